"""The morning rush: gunicorn (sync workers) on PostgreSQL and Redis with
seed_demo data, loaded by wrk over loopback, bounded in time.

    .venv/bin/python bench/load.py [--preset up] [--reuse] [--seconds 20] [--connections 32] [--workers 4]
    .venv/bin/python bench/load.py --faults [--reuse]    # the same, restarting PostgreSQL, then Redis, under load

Seeds `bench_load_<preset>` (or reuses it with --reuse), assigns today's calls,
signs in a sample of callers (real sessions of the configured engine, with a
CSRF cookie), starts gunicorn with the app's own gunicorn.conf.py, then runs
wrk, one page at a time, each for --seconds:

- ceiling: `/bench/one-read/` (session + one indexed read + a small template,
  through the same middleware): what this machine can serve at best;
- today: the Today page (`/today/`), each request another caller;
- call: a call's page (`/calls/<id>/`);
- outcome: POSTs of a call's outcome (the form as a phone sends it);
- mix: callers as they use it: Today, a call, its outcome, Today, the other
  call, its outcome, Today.

It prints req/s, p50/p95/p99, errors (non-2xx/3xx, timeouts, broken
connections) and each page's ratio to the ceiling measured in the same run.

--faults runs the mix with a Celery worker and beat beside gunicorn, restarts
PostgreSQL, then Redis, and meanwhile posts outcomes from its own clients,
recording which the app confirmed: afterwards every confirmed outcome must be
in the database, once; it reports failed requests by kind (5xx pages: plain
"try again", no traceback), when each service came back, and that tomorrow's
assignment and its messages (queued during the restarts) complete.
"""

import argparse
import datetime
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import PYTHON, database_url, machine, manage, scratch_database  # noqa: E402

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
SAMPLE = 2_000
LUA = r"""
local lines = {}
init = function(args)
  local requests = {}
  for line in io.lines(args[1]) do
    local method, path, cookie, body = line:match("^(%S+)\t(%S+)\t([^\t]*)\t?(.*)$")
    local headers = {["Cookie"] = cookie, ["Accept-Language"] = "hi"}
    if method == "POST" then
      headers["Content-Type"] = "application/x-www-form-urlencoded"
    else
      body = nil
    end
    table.insert(requests, wrk.format(method, path, headers, body))
  end
  lines = requests
  -- each thread starts elsewhere in the list; groups of seven requests belong together
  position = math.floor(math.random(#lines) / 7) * 7
end
request = function()
  position = position % #lines + 1
  return lines[position]
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, ' ..
    '"p50": %.2f, "p95": %.2f, "p99": %.2f, "max": %.2f}\n',
    summary.requests, summary.duration / 1e6, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end
"""


def child_env(url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": "bench-only-not-a-secret",
        "DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": "bench.load_settings",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "MESSAGE_BACKEND": "outbox",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


# --- child: sign callers in (Django set up from the environment) ----------------------------


def child_sessions(sample: int) -> None:
    """Print, for a sample of today's callers, a session cookie, a CSRF cookie and their calls."""
    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.middleware.csrf import _get_new_csrf_string
    from django.utils import timezone

    from booths.models import User
    from campaigns.models import CallAssignment

    engine = import_module(settings.SESSION_ENGINE)
    today = timezone.localdate()
    calls: dict[int, list[int]] = {}
    for caller_id, pk in (
        CallAssignment.objects.filter(day=today).order_by("caller_id", "slot").values_list("caller_id", "pk")
    ):
        calls.setdefault(caller_id, []).append(pk)
    people = [person for person, pks in calls.items() if len(pks) == 2]
    random.Random(11).shuffle(people)
    users = User.objects.filter(person_id__in=people[:sample], is_active=True)
    for user in users:
        session = engine.SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "booths.auth.MobileNumberBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.set_expiry(12 * 3600)
        session.save()
        csrf = _get_new_csrf_string()
        cookie = (
            f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}; "
            "django_language=hi"
        )
        print(json.dumps({"cookie": cookie, "csrf": csrf, "calls": calls[user.person_id]}))


# --- the parent -------------------------------------------------------------------------------


def prepare(preset: str, reuse: bool) -> str:
    name = f"bench_load_{preset}"
    url = database_url(name)
    seeded = False
    if reuse:
        try:
            count = "from booths.models import Booth; print(Booth.objects.count())"
            _s, _p, out = manage("shell", "-c", count, url=url)
            seeded = int(out.strip().splitlines()[-1]) > 0
        except SystemExit:
            seeded = False
    if seeded:
        manage("migrate", "-v0", url=url)
        print(f"reusing database {name}")
    else:
        with scratch_database(name, keep=True) as url:
            seconds, _peak, _out = manage("seed_demo", "--preset", preset, url=url)
        print(f"seeded {name} in {seconds:.0f} s")
    manage("collectstatic", "--noinput", "-v0", url=url)  # as a deployment does: the manifest the pages need
    seconds, _peak, out = manage("assign_calls", "--no-messages", url=url)
    print(f"today's calls: {out.strip().splitlines()[0]} ({seconds:.1f} s)")
    return url


def sessions(url: str, sample: int) -> list[dict]:
    result = subprocess.run(
        [PYTHON, __file__, "--child", "sessions", "--sample", str(sample)],
        cwd=ROOT, env=child_env(url), capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode:
        raise SystemExit(f"signing callers in failed:\n{result.stderr}")
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    def __init__(self, url: str, workers: int, log: Path) -> None:
        self.port = free_port()
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "outreach.wsgi", "-c", "gunicorn.conf.py", "--workers", str(workers),
             "--bind", f"127.0.0.1:{self.port}", "--access-logfile", "/dev/null", "--timeout", "30"],
            cwd=ROOT, env=child_env(url), stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if get(self.base, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not start; see {log}")
            time.sleep(0.3)

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)
        self.log.close()


def get(base: str, path: str, headers: dict | None = None, body: str | None = None) -> tuple[int, str, dict]:
    parts = urllib.parse.urlparse(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("POST" if body is not None else "GET", path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace"), dict(response.getheaders())
    finally:
        connection.close()


def outcome_body(csrf: str, n: int) -> str:
    standing = ("strong", "competitive", "weak")[n % 3]
    fields = {"csrfmiddlewaretoken": csrf, "outcome": "reached", "wellbeing": "all_well", "standing": standing,
              "needs": "campaign_material", "notes": f"bench {n}"}  # fmt: skip
    return urllib.parse.urlencode(fields)


def request_lines(kind: str, people: list[dict]) -> list[str]:
    lines = []
    for n, person in enumerate(people):
        cookie, (first, second) = person["cookie"], person["calls"]
        today = f"GET\t/today/\t{cookie}"
        call = [f"GET\t/calls/{first}/\t{cookie}", f"GET\t/calls/{second}/\t{cookie}"]
        post = [f"POST\t/calls/{pk}/\t{cookie}\t{outcome_body(person['csrf'], n)}" for pk in (first, second)]
        if kind == "ceiling":
            lines += [f"GET\t/bench/one-read/\t{cookie}"] * 7
        elif kind == "today":
            lines += [today] * 7
        elif kind == "call":
            lines += [call[0], call[1], call[0], call[1], call[0], call[1], call[0]]
        elif kind == "outcome":
            lines += [post[0], post[1], post[0], post[1], post[0], post[1], post[0]]
        else:  # the mix, as a caller goes through the morning
            lines += [today, call[0], post[0], today, call[1], post[1], today]
    return lines


def wrk(base: str, kind: str, people: list[dict], seconds: int, connections: int, work: Path) -> dict:
    script, lines = work / "bench.lua", work / f"{kind}.tsv"
    script.write_text(LUA)
    lines.write_text("\n".join(request_lines(kind, people)) + "\n")
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script), base, "--",
         str(lines)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    figures = json.loads(next(line for line in result.stdout.splitlines() if line.startswith("{")))
    figures["rps"] = figures["requests"] / figures["seconds"]
    figures["errors"] = sum(figures[key] for key in ("connect", "read", "write", "status", "timeout"))
    return figures


def check_pages(base: str, person: dict) -> None:
    """Before measuring: each page answers as it should for a signed-in caller."""
    headers = {"Cookie": person["cookie"], "Accept-Language": "hi"}
    first = person["calls"][0]
    for path in ("/bench/one-read/", "/today/", f"/calls/{first}/"):
        status, body, _h = get(base, path, headers)
        if status != 200:
            raise SystemExit(f"{path}: HTTP {status}\n{body[:500]}")
    status, body, answer = get(
        base, f"/calls/{first}/", {**headers, "Content-Type": "application/x-www-form-urlencoded"},
        outcome_body(person["csrf"], 0),
    )  # fmt: skip
    if status != 302 or not answer.get("Location", "").endswith("/today/"):
        raise SystemExit(f"posting an outcome: HTTP {status}\n{body[:800]}")


def row(name: str, figures: dict, ceiling: float) -> str:
    return (
        f"  {name:<8} {figures['rps']:>7.1f} req/s  p50 {figures['p50']:>6.1f} ms  p95 {figures['p95']:>6.1f} ms  "
        f"p99 {figures['p99']:>6.1f} ms  errors {figures['errors']:>4}  {figures['rps'] / ceiling:>6.1%} of ceiling"
    )


def bench_pages(args: argparse.Namespace, url: str, people: list[dict], work: Path) -> None:
    server = Gunicorn(url, args.workers, work / "gunicorn.log")
    try:
        check_pages(server.base, people[0])
        print(f"\n== {args.preset}: gunicorn {args.workers} sync workers, wrk 2 threads x {args.connections} "
              f"connections, {args.seconds} s a page, {len(people):,} signed-in callers ==")  # fmt: skip
        results = {}
        for kind in ("ceiling", "today", "call", "outcome", "mix"):
            results[kind] = wrk(server.base, kind, people, args.seconds, args.connections, work)
            print(row(kind, results[kind], results["ceiling"]["rps"]), flush=True)
        again = wrk(server.base, "ceiling", people, args.seconds, args.connections, work)
        print(row("ceiling", again, results["ceiling"]["rps"]) + "  (again, at the end)")
    finally:
        server.stop()


# --- faults -------------------------------------------------------------------------------------


def restart_postgres() -> None:
    version = next(iter(os.listdir("/etc/postgresql")))
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart", "-m", "fast"],
                   check=True, capture_output=True)  # fmt: skip


def restart_redis() -> None:
    port = urllib.parse.urlparse(REDIS_URL).port or 6379
    subprocess.run(["redis-cli", "-p", str(port), "shutdown", "nosave"], capture_output=True, check=False)
    time.sleep(1)
    subprocess.run(["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                    "--appendonly", "no"], check=True, capture_output=True)  # fmt: skip


class Supervised:
    """A process started again whenever it exits, until stopped (compose's `restart: unless-stopped`)."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path) -> None:
        self.command, self.env, self.log = command, env, log.open("w")
        self.restarts, self.stopping = 0, threading.Event()
        self.process = self._start()
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _start(self) -> subprocess.Popen:
        return subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
                                start_new_session=True)  # fmt: skip

    def _watch(self) -> None:
        while not self.stopping.is_set():
            if self.process.poll() is not None and not self.stopping.is_set():
                time.sleep(1)
                self.restarts += 1
                self.process = self._start()
            time.sleep(0.5)

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=5)
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=60)
        self.log.close()


class Poster(threading.Thread):
    """A caller's phone: posts outcomes one after the other and notes what the app confirmed."""

    def __init__(self, base: str, people: list[dict], stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.base, self.people, self.stop = base, people, stop
        self.confirmed: dict[int, str] = {}  # assignment -> the notes the app confirmed saving
        self.failures: dict[str, int] = {}
        self.tracebacks = 0

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            person = self.people[n % len(self.people)]
            pk = person["calls"][n % 2]
            body = outcome_body(person["csrf"], n)
            headers = {"Cookie": person["cookie"], "Content-Type": "application/x-www-form-urlencoded"}
            try:
                status, text, answer = get(self.base, f"/calls/{pk}/", headers, body)
            except OSError as exc:
                self.failures[type(exc).__name__] = self.failures.get(type(exc).__name__, 0) + 1
            else:
                if status == 302 and answer.get("Location", "").endswith("/today/"):
                    self.confirmed[pk] = f"bench {n}"
                else:
                    self.failures[f"HTTP {status}"] = self.failures.get(f"HTTP {status}", 0) + 1
                    if "Traceback" in text or "Exception Value" in text:
                        self.tracebacks += 1
            n += 1
            time.sleep(0.05)


def child_check(expected: str) -> None:
    """Compare what the clients saw confirmed with the database."""
    import django

    django.setup()
    from django.db.models import Count

    from campaigns.models import CallAssignment, CallLog, Message

    confirmed = {int(pk): notes for pk, notes in json.loads(Path(expected).read_text()).items()}
    stored = dict(CallLog.objects.filter(assignment_id__in=list(confirmed)).values_list("assignment_id", "notes"))
    lost = [pk for pk in confirmed if pk not in stored]
    # A later, unconfirmed post to the same call may have overwritten the notes: that is the newest answer, not a loss.
    duplicates = CallLog.objects.values("assignment_id").annotate(n=Count("pk")).filter(n__gt=1).count()
    tomorrow = datetime.date.fromisoformat(os.environ["BENCH_TOMORROW"])
    messages = dict(Message.objects.filter(day=tomorrow).values_list("status").annotate(n=Count("pk")))
    print(json.dumps({
        "confirmed": len(confirmed), "lost": len(lost), "duplicate_logs": duplicates,
        "tomorrow_assignments": CallAssignment.objects.filter(day=tomorrow).count(), "tomorrow_messages": messages,
    }))  # fmt: skip


def bench_faults(args: argparse.Namespace, url: str, people: list[dict], work: Path) -> None:
    from zoneinfo import ZoneInfo

    tomorrow = datetime.datetime.now(ZoneInfo("Asia/Kolkata")).date() + datetime.timedelta(days=1)
    env = child_env(url, BENCH_TOMORROW=str(tomorrow), MESSAGE_REQUEUE_AFTER_MINUTES="1")
    redis_flush()
    subprocess.run([PYTHON, "manage.py", "shell", "--no-imports", "-c", FAULT_SETUP], cwd=ROOT, env=env, check=True)
    server = Gunicorn(url, args.workers, work / "gunicorn.log")
    # Under a supervisor, as compose runs it (`restart: unless-stopped`): a worker that exits is started again.
    worker = Supervised(
        [str(ROOT / ".venv/bin/celery"), "-A", "outreach", "worker", "--beat", "--pool", "solo", "--loglevel", "INFO",
         "--schedule", str(work / "beat-schedule")],
        env, work / "celery.log",
    )  # fmt: skip
    stop = threading.Event()
    posters = [Poster(server.base, people[i::4], stop) for i in range(4)]
    seconds = max(args.seconds, 45)
    events = []
    try:
        check_pages(server.base, people[0])
        for poster in posters:
            poster.start()
        load = threading.Thread(
            target=lambda: events.append(("mix", wrk(server.base, "mix", people, seconds, args.connections, work)))
        )
        load.start()
        time.sleep(seconds * 0.25)
        # Tomorrow's run starts with the restarts, and its messages are queued through them.
        subprocess.run([PYTHON, "manage.py", "shell", "--no-imports", "-c", FAULT_KICK], cwd=ROOT, env=env, check=True)
        faults_started = started = time.monotonic()
        restart_postgres()
        events.append(("PostgreSQL restart took", time.monotonic() - started))
        events.append(("then the app answered from the database again after", wait_until(server.base, "/healthz")))
        time.sleep(seconds * 0.3)
        started = time.monotonic()
        restart_redis()
        events.append(("Redis restart took", time.monotonic() - started))
        # A sign-in link counts its rate in the cache, on Redis: 403 for a bad link once Redis answers.
        events.append(("then the app answered from Redis again after", wait_until(server.base, "/s/not-a-link", 403)))
        load.join()
        stop.set()
        for poster in posters:
            poster.join(timeout=40)
        # The worker and beat: tomorrow's calls and messages complete by themselves.
        deadline = time.monotonic() + 240
        status = {}
        while time.monotonic() < deadline:
            status = check(env, posters, work)
            if status["tomorrow_assignments"] and set(status["tomorrow_messages"]) == {"sent"}:
                break
            time.sleep(5)
        done_after = time.monotonic() - faults_started
        events.append(("tomorrow's run and messages complete, after the faults began", done_after))
    finally:
        stop.set()
        worker.stop()
        server.stop()
    mix = next(figures for name, figures in events if name == "mix")
    print(f"\n== faults: the mix for {seconds} s with {args.connections} connections, PostgreSQL restarted at "
          f"~{seconds * 0.25:.0f} s, Redis at ~{seconds * 0.55:.0f} s; 4 clients posting outcomes ==")  # fmt: skip
    print(f"  mix: {mix['requests']:,} requests, {mix['rps']:.1f} req/s, failed: {mix['status']} non-2xx/3xx, "
          f"{mix['connect'] + mix['read'] + mix['write']} broken connections, {mix['timeout']} timeouts")  # fmt: skip
    for name, value in events:
        if name != "mix":
            print(f"  {name}: {value:.1f} s")
    failures: dict[str, int] = {}
    for poster in posters:
        for kind, n in poster.failures.items():
            failures[kind] = failures.get(kind, 0) + n
    tracebacks = sum(poster.tracebacks for poster in posters)
    print(f"  outcome posts: {status['confirmed']} calls confirmed, {status['lost']} of them not in the database, "
          f"{status['duplicate_logs']} duplicate logs; failed posts {failures or 'none'}; "
          f"pages with a traceback: {tracebacks}")  # fmt: skip
    print(f"  tomorrow: {status['tomorrow_assignments']:,} assignments, messages {status['tomorrow_messages']}")
    log = (work / "celery.log").read_text(errors="replace")
    print(f"  worker: started again by its supervisor {worker.restarts} times "
          f"({log.count('Unrecoverable error')} 'Unrecoverable error' exits in its log)")  # fmt: skip
    errors = (work / "gunicorn.log").read_text(errors="replace")
    print(f"  gunicorn log: {errors.count('Traceback')} tracebacks, {errors.count('[CRITICAL] WORKER TIMEOUT')} "
          f"worker timeouts")  # fmt: skip


FAULT_SETUP = """
import datetime, json, os
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from campaigns.models import CallAssignment, CallDay, Message
tomorrow = datetime.date.fromisoformat(os.environ["BENCH_TOMORROW"])
CallAssignment.objects.filter(day=tomorrow).delete()
CallDay.objects.filter(day=tomorrow).delete()
Message.objects.filter(day=tomorrow).delete()
PeriodicTask.objects.filter(name__startswith="bench:").delete()
every_10, _ = IntervalSchedule.objects.get_or_create(every=10, period=IntervalSchedule.SECONDS)
every_30, _ = IntervalSchedule.objects.get_or_create(every=30, period=IntervalSchedule.SECONDS)
PeriodicTask.objects.filter(task="campaigns.tasks.recover_messages").update(interval=every_10, crontab=None)
PeriodicTask.objects.exclude(task="campaigns.tasks.recover_messages").update(enabled=False)
# The hourly "make sure the day is assigned" job, for tomorrow and every 30 s; switched on with the faults.
PeriodicTask.objects.create(name="bench: make sure tomorrow is assigned", task="campaigns.tasks.assign_calls",
                            interval=every_30, args=json.dumps([str(tomorrow)]), enabled=False)
"""

FAULT_KICK = """
import os
from django_celery_beat.models import PeriodicTask, PeriodicTasks
from campaigns.tasks import assign_calls
PeriodicTask.objects.filter(name="bench: make sure tomorrow is assigned").update(enabled=True)
PeriodicTasks.update_changed()  # beat reloads its schedule
assign_calls.delay(os.environ["BENCH_TOMORROW"])
"""


def redis_flush() -> None:
    port = urllib.parse.urlparse(REDIS_URL).port or 6379
    db = urllib.parse.urlparse(REDIS_URL).path.strip("/") or "0"
    subprocess.run(["redis-cli", "-p", str(port), "-n", db, "flushdb"], check=False, capture_output=True)


def wait_until(base: str, path: str, status: int = 200) -> float:
    started = time.monotonic()
    while time.monotonic() - started < 60:
        try:
            if get(base, path)[0] == status:
                return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.2)
    return float("inf")


def check(env: dict, posters: list[Poster], work: Path) -> dict:
    confirmed: dict[int, str] = {}
    for poster in posters:
        confirmed.update(poster.confirmed)
    expected = work / "confirmed.json"
    expected.write_text(json.dumps(confirmed))
    result = subprocess.run([PYTHON, __file__, "--child", "check", "--expected", str(expected)], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=True)  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--preset", default="up", choices=["small", "up", "india"])
    parser.add_argument("--reuse", action="store_true", help="reuse a seeded bench_load_<preset> database")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--sample", type=int, default=SAMPLE, help="callers signed in")
    parser.add_argument("--faults", action="store_true", help="restart PostgreSQL, then Redis, under load")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--expected", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "sessions":
        child_sessions(args.sample)
        return
    if args.child == "check":
        child_check(args.expected)
        return
    if not shutil.which("wrk"):
        raise SystemExit("needs wrk: apt-get install wrk")
    print(f"load benchmark · {datetime.date.today()} · {machine()}")
    url = prepare(args.preset, args.reuse)
    people = sessions(url, args.sample)
    with tempfile.TemporaryDirectory() as tmp:
        # BENCH_KEEP_LOGS=DIR keeps the scripts and the logs of gunicorn and the worker there.
        work = Path(os.environ.get("BENCH_KEEP_LOGS") or tmp)
        work.mkdir(parents=True, exist_ok=True)
        if args.faults:
            bench_faults(args, url, people, work)
        else:
            bench_pages(args, url, people, work)


if __name__ == "__main__":
    main()
