"""The admin's upload through a real Celery worker on Redis and PostgreSQL:
progress seen while it runs, a second Import now refused, a worker killed in
the middle of the import leaving nothing written and the upload failed.

These tests commit data (the worker is another process), so they use
transactional databases."""

import datetime
import os
import signal
import subprocess
import sys
import time
from urllib.parse import urlparse, urlunparse

import psycopg2
import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from booths.imports import roster_uploads_fail_stale
from booths.models import Booth, District, Region, RosterUpload
from tests.booths.sheets import booth_row, state_sheet, write_sheet
from tests.campaigns.test_assignment_real_servers import ROOT, child_database_url, child_env
from tests.support import requires_chromium, requires_postgres, requires_redis

ARTIFACTS = ROOT / "test-artifacts"
pytestmark = [requires_postgres, requires_redis, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def big_sheet(path, rows: int):
    """`rows` booths over a few mandals, each with a president."""
    return write_sheet(
        path, [booth_row(n, mandal=f"मंडल {n % 7}", shakti_kendra=f"केंद्र {n % 31}") for n in range(1, rows + 1)]
    )


@pytest.fixture
def worker():
    """A real worker on a Redis database of its own; this process sends it the tasks."""
    import redis

    from outreach.celery import app

    broker = urlunparse(urlparse(os.environ["REDIS_URL"])._replace(path="/14"))
    redis.Redis.from_url(broker).flushdb()
    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = broker, False
    _fresh_connections(app)
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "outreach", "worker", "--pool", "solo", "--loglevel", "INFO"],
        cwd=ROOT, env=child_env(REDIS_URL=broker, ROSTER_UPLOAD_PROGRESS_SECONDS="0.05"),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.communicate(timeout=30)
            except subprocess.TimeoutExpired:  # in the middle of a long task
                os.killpg(process.pid, signal.SIGKILL)
                process.communicate(timeout=30)
        app.conf.broker_url, app.conf.task_always_eager = saved
        _fresh_connections(app)


def _fresh_connections(app) -> None:
    """Drop the pooled broker connections, so the next task goes to the broker now configured."""
    app._pool = None
    app.__dict__.get("amqp") and setattr(app.amqp, "_producer_pool", None)


def follow(upload_id: int, worker: subprocess.Popen, *, until: set[str], seconds: float = 180) -> list[tuple]:
    """Watch the upload's row as the page would, until its status is in `until`;
    return what was seen on the way (status, phase, rows checked, rows written, total)."""
    seen: list[tuple] = []
    deadline = time.monotonic() + seconds
    while True:
        item = RosterUpload.objects.get(pk=upload_id)
        state = (item.status, item.phase, item.rows_checked, item.rows_written, item.rows_total)
        if not seen or seen[-1] != state:
            seen.append(state)
        if item.status in until:
            return seen
        assert worker.poll() is None, worker.stdout.read()
        assert time.monotonic() < deadline, f"still {state} after {seconds} s"
        time.sleep(0.05)


def upload(client, path):
    with path.open("rb") as file:
        return client.post("/admin/booths/rosterupload/new/roster/", {"file": file})


def test_a_big_file_is_checked_and_imported_by_the_worker_with_progress_on_the_way(admin_client, worker, tmp_path):
    rows = 20_000
    sheet = big_sheet(tmp_path / "state.csv", rows)
    first = upload(admin_client, sheet).content.decode()
    assert 'http-equiv="refresh"' in first  # the page follows the run
    item = RosterUpload.objects.get()

    seen = follow(item.pk, worker, until={"checked", "failed"})
    item.refresh_from_db()
    assert item.status == "checked", item.failure
    assert item.rows_checked == item.rows_total == rows
    assert any(status == "checking" and phase for status, phase, *_counts in seen), seen
    assert any(status == "checking" and 0 < checked < rows for status, _phase, checked, *_rest in seen), seen
    page = admin_client.get(f"/admin/booths/rosterupload/{item.pk}/progress/").content.decode()
    assert f"Dry run of {rows} rows: nothing was written." in page and "Import now" in page
    assert not Booth.objects.exists()

    admin_client.post(f"/admin/booths/rosterupload/{item.pk}/confirm/")
    again = admin_client.post(f"/admin/booths/rosterupload/{item.pk}/confirm/", follow=True).content.decode()
    assert "This file is already being checked or imported: wait for it to finish." in again

    seen = follow(item.pk, worker, until={"imported", "failed"})
    item.refresh_from_db()
    assert item.status == "imported", item.failure
    assert any(status == "importing" and phase == "writing" for status, phase, *_counts in seen), seen
    assert item.rows_written == rows and item.imported_at and item.imported_by is not None
    assert Booth.objects.count() == rows
    page = admin_client.get(f"/admin/booths/rosterupload/{item.pk}/progress/").content.decode()
    assert f"Imported {rows} of {rows} rows." in page and 'http-equiv="refresh"' not in page
    listing = admin_client.get("/admin/booths/rosterupload/").content.decode()
    assert "imported" in listing


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query ILIKE '%%booths_booth%%'"
        )
        return cursor.fetchone()[0] > 0


def _backends_idle() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND state <> 'idle' AND backend_type = 'client backend'"
        )
        return cursor.fetchone()[0] == 0


def test_a_worker_killed_in_the_middle_of_an_import_leaves_nothing_and_the_upload_failed(
    admin_client, worker, tmp_path
):
    sheet = big_sheet(tmp_path / "district.csv", 3_000)
    upload(admin_client, sheet)
    item = RosterUpload.objects.get()
    follow(item.pk, worker, until={"checked", "failed"})

    # Another session holds the booths table: the import writes the map above the
    # booths, then waits to write them, inside its transaction; the worker dies there.
    blocker = psycopg2.connect(child_database_url())
    try:
        with blocker.cursor() as cursor:
            cursor.execute("LOCK TABLE booths_booth IN EXCLUSIVE MODE")
        admin_client.post(f"/admin/booths/rosterupload/{item.pk}/confirm/")
        deadline = time.monotonic() + 60
        while not _waiting_on_a_lock():
            assert worker.poll() is None, worker.stdout.read()
            assert time.monotonic() < deadline, "the import never reached the booths"
            time.sleep(0.1)
        running = RosterUpload.objects.get(pk=item.pk)
        assert (running.status, running.phase) == ("importing", "writing")
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        blocker.rollback()
        blocker.close()
    deadline = time.monotonic() + 60
    while not _backends_idle():  # the dead worker's transaction is rolled back
        assert time.monotonic() < deadline
        time.sleep(0.2)

    assert not Booth.objects.exists() and not District.objects.exists() and not Region.objects.exists()
    killed = RosterUpload.objects.get(pk=item.pk)
    assert killed.status == "importing" and killed.imported_at is None  # killed: never finished
    assert roster_uploads_fail_stale() == 0  # within its time it may be alive
    later = timezone.now() + datetime.timedelta(minutes=settings.ROSTER_UPLOAD_STALE_MINUTES + 1)
    assert roster_uploads_fail_stale(now=later) == 1
    page = admin_client.get(f"/admin/booths/rosterupload/{item.pk}/progress/").content.decode()
    assert "It did not finish." in page and "nothing of it was written" in page
    assert "Import now" in page  # the admin starts it again


@requires_chromium
def test_an_admin_uploads_a_state_roster_and_watches_it_to_done_in_a_browser(live_server, worker, browser, tmp_path):
    """The whole of UP (163,000 booths) through the admin in Chromium: upload, the
    check's progress, Import now, the import's progress, done; no JavaScript needed."""
    from playwright.sync_api import expect

    from tests.factories import AdminUserFactory

    admin = AdminUserFactory()
    admin.set_password("an-admin-password")
    admin.save()
    sheet = state_sheet(tmp_path / "up.csv")
    context = browser.new_context(locale="en-IN", java_script_enabled=False)
    context.set_default_timeout(60_000)
    slow = 300_000  # the whole state: checked, then imported, on a busy 2-core machine
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/?next=/admin/booths/rosterupload/new/roster/")
    page.fill("#id_username", admin.username)
    page.fill("#id_password", "an-admin-password")
    page.click("input[type=submit]")
    page.set_input_files("#id_file", str(sheet))
    page.click("input[type=submit]")

    expect(page.locator("#progress")).to_contain_text("This page updates itself")
    expect(page.locator("#content")).to_contain_text("Dry run of 163000 rows: nothing was written.", timeout=slow)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "admin-import-checked.png", full_page=True)
    page.get_by_role("button", name="Import now").click()
    expect(page.locator("#progress")).to_contain_text("Importing the file…")
    page.screenshot(path=ARTIFACTS / "admin-import-progress.png", full_page=True)
    expect(page.locator("#content")).to_contain_text("Imported 163000 of 163000 rows.", timeout=slow)
    expect(page.locator("#progress")).to_have_count(0)
    page.get_by_role("link", name="All uploads").click()
    expect(page.locator("#result_list")).to_contain_text("imported")
    context.close()
    assert Booth.objects.count() == 163_000
