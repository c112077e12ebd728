"""The daily assignment against the real servers: concurrent runs and a killed
run on PostgreSQL, and a real Celery worker with beat on Redis and PostgreSQL.

These tests commit data (other processes must see it), so they use
transactional databases and restore the migrated rows afterwards.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg2
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from campaigns.models import AssignmentRun, CallAssignment
from campaigns.services import assignment_runs_fail_stale
from tests.support import requires_postgres, requires_redis

ROOT = Path(__file__).resolve().parents[2]
real_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def child_database_url() -> str:
    """The URL of the test database this session created, for child processes."""
    url = urlparse(os.environ["DATABASE_URL"])
    return urlunparse(url._replace(path=f"/{connection.settings_dict['NAME']}"))


def child_env(**extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": child_database_url(),
        "SECRET_KEY": "tests-only",
        "MESSAGE_BACKEND": "outbox",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(extra)
    return env


def manage(*args: str, **popen: object) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **popen,
    )  # fmt: skip


def seed_small() -> None:
    call_command("seed_demo", "--preset", "small", stdout=StringIO())


def empty_broker() -> str:
    """A Redis database of its own for the worker, emptied."""
    import redis

    broker = urlunparse(urlparse(os.environ["REDIS_URL"])._replace(path="/15"))
    redis.Redis.from_url(broker).flushdb()
    return broker


def every_two_seconds(**job: str) -> None:
    """Make a beat job fire every two seconds for the test."""
    interval, _ = IntervalSchedule.objects.get_or_create(every=2, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.filter(**job).update(interval=interval, crontab=None)


def start_worker(broker: str) -> subprocess.Popen:
    """A real Celery worker with beat, as `make run` and compose start it."""
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "outreach", "worker", "--beat", "--pool", "solo", "--loglevel", "INFO",
         "--schedule", "/dev/null"],
        cwd=ROOT, env=child_env(REDIS_URL=broker), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip


def wait_for(condition, worker: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 90
    while not condition():
        assert worker.poll() is None, worker.stdout.read()
        assert time.monotonic() < deadline, what
        time.sleep(0.5)
    time.sleep(3)  # later ticks run too, and add nothing


def stop_worker(worker: subprocess.Popen) -> str:
    os.killpg(worker.pid, signal.SIGTERM)
    return worker.communicate(timeout=30)[0]


@requires_postgres
@real_db
def test_two_runs_at_the_same_moment_create_no_duplicates():
    seed_small()
    day = str(timezone.localdate() - datetime.timedelta(days=7))
    runs = [manage("assign_calls", "--date", day) for _ in range(3)]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], outputs

    assignments = CallAssignment.objects.filter(day=day)
    assert assignments.count() == 32
    assert assignments.values("president").distinct().count() == 32
    created = sorted(AssignmentRun.objects.filter(day=day).values_list("assignments_created", flat=True))
    assert created == [0, 0, 32]


def _backend_waiting_on_a_lock(pid_of_child: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query ILIKE '%%UPDATE%%presidentrotation%%'"
        )
        return cursor.fetchone()[0] > 0


@requires_postgres
@real_db
def test_a_worker_killed_in_the_middle_leaves_nothing_and_the_next_run_completes():
    seed_small()
    day = timezone.localdate() - datetime.timedelta(days=7)
    first_day = day - datetime.timedelta(days=1)
    call_command("assign_calls", "--date", str(first_day), stdout=StringIO())  # the queues exist now

    # Another session locks the rotation rows: the run inserts its assignments,
    # then waits at the rotation update, inside its transaction.
    blocker = psycopg2.connect(child_database_url())
    try:
        with blocker.cursor() as cursor:
            cursor.execute("SELECT post_id FROM campaigns_presidentrotation FOR UPDATE")
        child = manage("assign_calls", "--date", str(day), start_new_session=True)
        deadline = time.monotonic() + 60
        while not _backend_waiting_on_a_lock(child.pid):
            assert child.poll() is None, child.stdout.read()
            assert time.monotonic() < deadline, "the run never reached the rotation update"
            time.sleep(0.2)
        os.killpg(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        blocker.rollback()
        blocker.close()

    # The orphaned transaction is rolled back once its backend sees the client gone.
    deadline = time.monotonic() + 60
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND state <> 'idle'"
            )
            busy = cursor.fetchone()[0]
        if not busy:
            break
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert not CallAssignment.objects.filter(day=day).exists()
    killed = AssignmentRun.objects.get(day=day)
    assert killed.status == AssignmentRun.Status.RUNNING  # killed: never finished
    # Within its time a run may be alive; past it, the hourly job records it failed.
    assert assignment_runs_fail_stale() == 0
    later = timezone.now() + datetime.timedelta(minutes=settings.ASSIGNMENT_RUN_STALE_MINUTES + 1)
    assert assignment_runs_fail_stale(now=later) == 1
    killed.refresh_from_db()
    assert killed.status == AssignmentRun.Status.FAILED and "Nothing of it was kept" in killed.error

    out = StringIO()
    call_command("assign_calls", "--date", str(day), stdout=out)
    assert CallAssignment.objects.filter(day=day).count() == 32
    assert "32 calls assigned" in out.getvalue()


@requires_postgres
@requires_redis
@real_db
def test_a_real_worker_with_beat_assigns_todays_calls():

    seed_small()
    broker = empty_broker()
    every_two_seconds(name="Make sure today's calls are assigned (hourly)")  # the hourly safety net
    today = timezone.localdate()
    worker = start_worker(broker)
    try:
        wait_for(lambda: CallAssignment.objects.filter(day=today).count() >= 32, worker, "the worker assigned nothing")
    finally:
        log = stop_worker(worker)
    assert CallAssignment.objects.filter(day=today).count() == 32
    runs = AssignmentRun.objects.filter(day=today, source="beat")
    assert runs.filter(assignments_created=32).count() == 1
    assert "campaigns.tasks.assign_calls" in log


@requires_postgres
@requires_redis
@real_db
def test_a_real_worker_delivers_messages_whose_tasks_were_lost():
    """Messages saved while the broker was away (no task for them) are found by
    the recovery job on a real worker and sent, each once."""

    from campaigns.messaging.services import messages_prepare
    from campaigns.models import Message

    seed_small()
    broker = empty_broker()
    today = timezone.localdate()
    call_command("assign_calls", "--no-messages", stdout=StringIO())
    lost = messages_prepare(kind=Message.Kind.MORNING_LIST, day=today)
    assert len(lost) == 16
    Message.objects.update(due_at=timezone.now() - datetime.timedelta(minutes=10))
    every_two_seconds(task="campaigns.tasks.recover_messages")
    PeriodicTask.objects.exclude(task="campaigns.tasks.recover_messages").update(enabled=False)
    worker = start_worker(broker)
    try:
        sent = Message.objects.filter(status=Message.Status.SENT)
        wait_for(lambda: sent.count() >= 16, worker, "the lost messages were never sent")
    finally:
        log = stop_worker(worker)
    assert set(Message.objects.values_list("status", "attempts")) == {(Message.Status.SENT, 1)}
    assert "campaigns.tasks.recover_messages" in log
