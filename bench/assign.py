"""Daily call assignment on PostgreSQL with seed_demo data.

    .venv/bin/python bench/assign.py [--preset up india] [--days 5] [--year] [--reuse]

For each preset: seed a fresh database (or reuse `bench_assign_<preset>` with
--reuse, emptying its assignment tables), then in a child process assign
`--days` consecutive days, printing each day's time and the process's peak
memory. Day 1 also builds the rotation (one row per president); the
later days are the steady state. Then the naive baseline, on a random sample
of callers in a rolled-back transaction: for each caller one ORM query over
their scope ordered by the rotation, and one save() per assignment and per
rotation row; its time per caller is extrapolated to all callers.

--year simulates 365 days at UP scale with call outcomes (75 % reached, 20 %
not reached, 5 % never logged, applied set-wise in SQL) and reports the
coverage efficiency: distinct presidents assigned / assignments made.
"""

import argparse
import datetime
import json
import os
import random
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import PYTHON, database_url, machine, manage, scratch_database  # noqa: E402

# Days in the past (runs for dates after tomorrow are refused); room for --year.
START = datetime.date.today() - datetime.timedelta(days=400)


def child(mode: str, url: str, **params: object) -> list[dict]:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-only", "DEBUG": "false", "LOG_LEVEL": "WARNING"}
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [PYTHON, __file__, "--child", mode, "--params", json.dumps(params)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode:
        raise SystemExit(f"child {mode} failed:\n{result.stdout}\n{result.stderr}")
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


# --- child processes: Django is set up from DATABASE_URL ---------------------------------


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outreach.settings")
    import django

    django.setup()


def _rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _at(day: datetime.date, hour: int, minute: int = 0):
    """The clock at hour:minute IST of `day`, as beat's jobs see it."""
    import time_machine

    ist = datetime.timezone(datetime.timedelta(hours=5, minutes=30))
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=ist), tick=True)


def child_fast(days: int, start: str) -> None:
    """Day 1 as the first morning of a new deployment: the 07:00 run straight
    after loading, building the queues itself. Later days as beat runs them:
    the hourly job marks yesterday's unlogged calls missed (03:05), the nightly
    rotation refresh (05:30), then the timed 07:00 run."""
    _setup()
    import time

    from campaigns.services import assignments_create_for_day, assignments_mark_missed, rotation_sync

    print(json.dumps({"rss_before_mib": round(_rss_mib(), 1)}), flush=True)
    first = datetime.date.fromisoformat(start)
    for offset in range(days):
        day = first + datetime.timedelta(days=offset)
        if offset:
            with _at(day, 3, 5):
                assignments_mark_missed()
            with _at(day, 5, 30):
                rotation_sync(source="bench")
        with _at(day, 7):
            started = time.perf_counter()
            run = assignments_create_for_day(day=day, source="bench")
            seconds = time.perf_counter() - started
        print(json.dumps({"day": offset + 1, "seconds": round(seconds, 3), "created": run.assignments_created,
                          "callers": run.callers, "short": run.shortfall_calls,
                          "peak_mib": round(_peak_mib(), 1)}), flush=True)  # fmt: skip


def child_naive(sample: int, day: str) -> None:
    _setup()
    import time

    from django.db import transaction

    from booths.selectors import caller_scopes, caller_users
    from campaigns.models import CallAssignment, PresidentRotation

    on = datetime.date.fromisoformat(day)
    scopes = caller_scopes()
    callers = sorted(caller_users().values_list("person_id", flat=True))
    chosen = random.Random(7).sample(callers, min(sample, len(callers)))
    with transaction.atomic():
        started = time.perf_counter()
        for person_id in chosen:
            for slot in (1, 2):
                rotation = (
                    PresidentRotation.objects.filter(
                        district_id__in=scopes[person_id],
                        post__end_date__isnull=True,
                        post__booth__is_active=True,
                        post__person__do_not_call=False,
                    )
                    .exclude(post__person__mobile="")
                    .exclude(post_id__in=CallAssignment.objects.filter(day=on).values("post_id"))
                    .order_by("priority", "sort_key", "tiebreak")
                    .select_related("post")
                    .first()
                )
                if rotation is None:
                    continue
                CallAssignment(
                    day=on, caller_id=person_id, caller_role="district_incharge", slot=slot, post=rotation.post,
                    president_id=rotation.post.person_id, reason="never_contacted",
                ).save()  # fmt: skip
                rotation.priority, rotation.sort_key, rotation.last_assigned_on = 2, on, on
                rotation.save()
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    print(json.dumps({"callers": len(chosen), "seconds": round(seconds, 3), "all_callers": len(callers)}))


LIMIT_SQL = """
WITH callers AS (
    SELECT c.person_id, c.district_id,
           row_number() OVER (PARTITION BY c.district_id ORDER BY c.person_id) AS k
    FROM unnest(%(callers)s::bigint[], %(districts)s::bigint[]) AS c(person_id, district_id)
), need AS (
    SELECT district_id, 2 * count(*) AS picks FROM callers GROUP BY district_id
), queue AS (
    SELECT need.district_id, h.post_id, h.person_id,
           row_number() OVER (PARTITION BY need.district_id
                              ORDER BY h.priority, h.sort_key, h.tiebreak, h.post_id) AS n
    FROM need CROSS JOIN LATERAL (
        SELECT r.post_id, p.person_id, r.priority, r.sort_key, r.tiebreak
        FROM campaigns_presidentrotation r
        JOIN booths_post p ON p.id = r.post_id
        JOIN booths_booth b ON b.id = p.booth_id
        JOIN booths_person pe ON pe.id = p.person_id
        WHERE r.district_id = need.district_id AND p.end_date IS NULL AND b.is_active AND NOT pe.do_not_call
          AND pe.mobile <> '' AND r.unreachable_mobile <> pe.mobile
        ORDER BY r.priority, r.sort_key, r.tiebreak, r.post_id
        LIMIT need.picks
    ) h
), picked AS (
    SELECT c.person_id AS caller_id, q.post_id, q.person_id AS president_id, (q.n - 1) %% 2 + 1 AS slot
    FROM queue q JOIN callers c ON c.district_id = q.district_id AND c.k = (q.n + 1) / 2
), inserted AS (
    INSERT INTO campaigns_callassignment
        (caller_id, caller_role, slot, post_id, president_id, reason, day, status, outcome, created_at)
    SELECT caller_id, 'district_incharge', slot, post_id, president_id, 'never_contacted', %(day)s, 'assigned', '',
           now()
    FROM picked
    ON CONFLICT DO NOTHING
    RETURNING post_id, caller_id
)
UPDATE campaigns_presidentrotation r
SET priority = 2, sort_key = %(day)s, last_assigned_on = %(day)s, times_assigned = times_assigned + 1,
    last_caller_id = inserted.caller_id
FROM inserted WHERE r.post_id = inserted.post_id
"""


def child_limit(day: str) -> None:
    """The raw-SQL limit: one statement that reads the head of each district's
    queue (as many rows as its callers need), gives each caller the next two of
    their (first) district, inserts the assignments and moves the rotation,
    set-wise (rolled back). Not the real rules (no multi-district merge, no
    mandal spread, no shortfall reasons): the floor of the work."""
    _setup()
    import time

    from django.db import connection, transaction

    from booths.selectors import caller_scopes, caller_users

    scopes = caller_scopes()
    callers = [p for p in caller_users().values_list("person_id", flat=True) if scopes.get(p)]
    districts = [min(scopes[p]) for p in callers]
    with transaction.atomic():
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(LIMIT_SQL, {"callers": callers, "districts": districts, "day": day})
            moved = cursor.rowcount
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    print(json.dumps({"seconds": round(seconds, 3), "moved": moved, "callers": len(callers)}))


OUTCOMES_SQL = """
WITH o AS (
    SELECT id, CASE WHEN (id * 7919) %% 100 < 75 THEN 'reached'
                    WHEN (id * 7919) %% 100 < 95 THEN 'no_answer' ELSE 'missed' END AS kind
    FROM campaigns_callassignment WHERE day = %(day)s
)
UPDATE campaigns_callassignment a
SET status = CASE WHEN o.kind = 'missed' THEN 'missed' ELSE 'logged' END,
    outcome = CASE WHEN o.kind = 'missed' THEN '' ELSE o.kind END,
    logged_at = CASE WHEN o.kind = 'missed' THEN NULL ELSE now() END
FROM o WHERE a.id = o.id;
UPDATE campaigns_presidentrotation r
SET priority = CASE WHEN a.outcome = 'reached' THEN 2 ELSE 1 END,
    last_reached_on = CASE WHEN a.outcome = 'reached' THEN a.day ELSE r.last_reached_on END,
    sort_key = a.day
FROM campaigns_callassignment a
WHERE a.day = %(day)s AND a.post_id = r.post_id AND r.last_assigned_on = a.day;
"""


def child_year(days: int, start: str) -> None:
    _setup()
    import time

    from django.db import connection

    from campaigns.models import CallAssignment
    from campaigns.services import assignments_create_for_day, rotation_sync

    first = datetime.date.fromisoformat(start)
    seen: set[int] = set()
    total = 0
    first_repeat_day = None
    distinct_before_first_repeat = total_before_first_repeat = 0
    times = []
    for offset in range(days):
        day = first + datetime.timedelta(days=offset)
        if offset:
            with _at(day, 5, 30):
                rotation_sync(source="bench")
        with _at(day, 7):
            started = time.perf_counter()
            assignments_create_for_day(day=day, source="bench")
            times.append(time.perf_counter() - started)
        with connection.cursor() as cursor:
            cursor.execute(OUTCOMES_SQL, {"day": day})
        for post_id, reason in CallAssignment.objects.filter(day=day).values_list("post_id", "reason"):
            if first_repeat_day is None and reason != "never_contacted":
                first_repeat_day = offset + 1
                distinct_before_first_repeat, total_before_first_repeat = len(seen), total
            seen.add(post_id)
            total += 1
        if (offset + 1) % 30 == 0 or offset + 1 == days:
            print(json.dumps({"day": offset + 1, "assignments": total, "distinct": len(seen),
                              "median_seconds": round(statistics.median(times), 3)}), flush=True)  # fmt: skip
    print(json.dumps({"first_repeat_day": first_repeat_day, "distinct_before": distinct_before_first_repeat,
                      "total_before": total_before_first_repeat}))  # fmt: skip


# --- the parent ----------------------------------------------------------------------------


def prepare(preset: str, reuse: bool) -> str:
    name = f"bench_assign_{preset}"
    url = database_url(name)
    if reuse:
        try:
            _seconds, _peak, out = manage(
                "shell", "-c", "from booths.models import Booth; print(Booth.objects.count())", url=url
            )
            if int(out.strip().splitlines()[-1]) > 0:
                manage("migrate", "-v0", url=url)
                _admin_sql(
                    name,
                    "TRUNCATE campaigns_callassignment, campaigns_assignmentshortfall, campaigns_assignmentrun, "
                    "campaigns_presidentrotation, campaigns_callday",
                )
                print(f"reusing database {name}")
                return url
        except SystemExit:
            pass
    with scratch_database(name, keep=True) as url:
        seconds, peak, _out = manage("seed_demo", "--preset", preset, url=url)
    print(f"seeded {name} in {seconds:.0f} s (peak {peak} MiB)")
    return url


def _admin_sql(database: str, sql: str) -> None:
    import psycopg2

    connection = psycopg2.connect(database_url(database))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql)
    connection.close()


def bench_preset(preset: str, days: int, sample: int, reuse: bool) -> None:
    url = prepare(preset, reuse)
    rows = child("fast", url, days=days, start=str(START))
    rss_before = rows[0]["rss_before_mib"]
    per_day = rows[1:]
    print(f"\n== {preset}: {per_day[0]['callers']:,} callers, {days} consecutive days ==")
    for row in per_day:
        print(f"  day {row['day']}: {row['seconds']:.3f} s, {row['created']:,} assignments, "
              f"{row['short']} short, peak RSS {row['peak_mib']:.0f} MiB")  # fmt: skip
    steady = statistics.median(row["seconds"] for row in per_day[1:]) if len(per_day) > 1 else per_day[0]["seconds"]
    first_day = per_day[0]["seconds"]
    fresh = "fresh database, straight after seeding" if not reuse else "reused database, emptied of calls"
    print(f"  first day ({fresh}; builds the rotation): {first_day:.3f} s; later days, median: {steady:.3f} s")
    print(f"  peak RSS {per_day[-1]['peak_mib']:.0f} MiB (process after Django start: {rss_before:.0f} MiB)")
    next_day = str(START + datetime.timedelta(days=days))
    limit = child("limit", url, day=next_day)[0]
    print(f"  raw-SQL limit (one set-wise statement, {limit['moved']:,} picks, rolled back): {limit['seconds']:.3f} s; "
          f"steady day / limit: {steady / limit['seconds']:.1f}x")  # fmt: skip
    naive = child("naive", url, sample=sample, day=next_day)[0]
    per_caller = naive["seconds"] / naive["callers"]
    estimate = per_caller * naive["all_callers"]
    print(f"  naive: {naive['callers']} callers in {naive['seconds']:.2f} s = {per_caller * 1000:.1f} ms/caller; "
          f"all {naive['all_callers']:,} callers ~ {estimate:.1f} s/day")  # fmt: skip
    print(f"  speed-up over naive (steady day): {estimate / steady:.0f}x; first day: {estimate / first_day:.0f}x")


def bench_year(reuse: bool) -> None:
    url = prepare("up", reuse)
    print("\n== a simulated year at UP scale (75 % reached, 20 % not reached, 5 % never logged) ==")
    rows = child("year", url, days=365, start=str(START))
    for row in rows[:-1]:
        print(f"  day {row['day']:>3}: {row['assignments']:,} assignments, {row['distinct']:,} distinct presidents "
              f"= {row['distinct'] / row['assignments']:.1%}; median {row['median_seconds']:.3f} s/day")  # fmt: skip
    last = rows[-1]
    if last["first_repeat_day"]:
        share = last["distinct_before"] / last["total_before"]
        print(f"  first repeat on day {last['first_repeat_day']}: before it, {last['distinct_before']:,} distinct "
              f"of {last['total_before']:,} assignments = {share:.1%}")  # fmt: skip
    else:
        print("  no president was assigned twice all year")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--preset", nargs="+", default=["up", "india"], choices=["small", "up", "india"])
    parser.add_argument("--days", type=int, default=5)
    parser.add_argument("--baseline-callers", type=int, default=300)
    parser.add_argument("--year", action="store_true", help="also simulate a year at UP scale")
    parser.add_argument("--reuse", action="store_true", help="reuse seeded bench_assign_<preset> databases")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--params", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        children = {"fast": child_fast, "naive": child_naive, "year": child_year, "limit": child_limit}
        children[args.child](**json.loads(args.params))
        return
    print(f"assignment benchmark · {datetime.date.today()} · {machine()}")
    for preset in args.preset:
        bench_preset(preset, args.days, args.baseline_callers, args.reuse)
    if args.year:
        bench_year(reuse=True)


if __name__ == "__main__":
    main()
