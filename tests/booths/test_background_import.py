"""The admin's upload checked and imported in the background: the page that
follows a run, one import at a time, a run that stops or fails.

Tasks run in the test's process here (eager); tests/booths/test_background_import_worker.py
runs them in a real worker."""

import datetime
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.utils import timezone

from booths.imports import UploadProgress, roster_upload_run, roster_uploads_fail_stale
from booths.models import Booth, Post, RosterUpload
from tests.booths.sheets import booth_row, write_sheet
from tests.booths.test_import import roster_state

pytestmark = pytest.mark.django_db


def upload(client, path, *, kind="roster"):
    with path.open("rb") as file:
        return client.post(f"/admin/booths/rosterupload/new/{kind}/", {"file": file})


@pytest.fixture
def sheet(tmp_path):
    return write_sheet(tmp_path / "booths.csv", [booth_row(n) for n in range(1, 6)])


def test_the_check_runs_as_a_task_and_its_result_is_kept_on_the_upload(admin_client, sheet):
    page = upload(admin_client, sheet).content.decode()
    assert "Dry run of 5 rows: nothing was written." in page and "Import now" in page
    item = RosterUpload.objects.get()
    assert item.status == RosterUpload.Status.CHECKED
    assert (item.rows_total, item.rows_checked) == (5, 5)
    assert item.result["summary"] == "Dry run of 5 rows: nothing was written. An import would do this:"
    assert ["booths", 5, 0, 0, 0] in item.result["table"]
    assert item.started_at and item.finished_at and item.language == "en"
    assert not Booth.objects.exists()

    # The same page later, from its own address (where the refresh goes), tells the same.
    again = admin_client.get(f"/admin/booths/rosterupload/{item.pk}/progress/").content.decode()
    assert "Dry run of 5 rows" in again and 'http-equiv="refresh"' not in again


def test_import_now_twice_imports_once(admin_client, sheet):
    upload(admin_client, sheet)
    item = RosterUpload.objects.get()
    first = admin_client.post(f"/admin/booths/rosterupload/{item.pk}/confirm/").content.decode()
    assert "Imported 5 of 5 rows." in first
    posts = Post.objects.count()

    second = admin_client.post(f"/admin/booths/rosterupload/{item.pk}/confirm/", follow=True).content.decode()
    assert "This file has been imported already." in second
    assert Post.objects.count() == posts == 5
    item.refresh_from_db()
    assert item.status == RosterUpload.Status.IMPORTED and item.rows_written == 5
    assert LogEntry.objects.filter(change_message__startswith="Imported:").count() == 1


def test_import_now_while_a_run_is_going_is_refused(admin_client, sheet):
    upload(admin_client, sheet)
    item = RosterUpload.objects.get()
    RosterUpload.objects.filter(pk=item.pk).update(status=RosterUpload.Status.IMPORTING, started_at=timezone.now())
    before = roster_state()
    page = admin_client.post(f"/admin/booths/rosterupload/{item.pk}/confirm/", follow=True).content.decode()
    assert "This file is already being checked or imported: wait for it to finish." in page
    assert roster_state() == before
    item.refresh_from_db()
    assert item.status == RosterUpload.Status.IMPORTING and item.imported_at is None


def test_a_file_with_errors_cannot_be_imported_from_a_crafted_post(admin_client, tmp_path):
    bad = write_sheet(tmp_path / "bad.csv", [booth_row(1, president_phone="12345")])
    page = upload(admin_client, bad).content.decode()
    assert "Nothing was imported: 1 of 1 rows have errors." in page and "Import now" not in page
    item = RosterUpload.objects.get()
    page = admin_client.post(f"/admin/booths/rosterupload/{item.pk}/confirm/", follow=True).content.decode()
    assert "This file cannot be imported: its check found errors." in page
    assert not Booth.objects.exists()


def test_the_page_of_a_running_import_shows_its_progress_and_refreshes_itself(admin_client, sheet):
    upload(admin_client, sheet)
    item = RosterUpload.objects.get()
    now = timezone.now()
    RosterUpload.objects.filter(pk=item.pk).update(
        status=RosterUpload.Status.IMPORTING, started_at=now - datetime.timedelta(seconds=30), phase="writing",
        rows_total=160_000, rows_checked=160_000, rows_written=40_000,
        phase_started_at=now - datetime.timedelta(seconds=10), progress_at=now,
    )  # fmt: skip
    page = admin_client.get(f"/admin/booths/rosterupload/{item.pk}/progress/").content.decode()
    refresh = re.search(r'<meta http-equiv="refresh" content="2;url=([^"]+)">', page)
    assert refresh and refresh.group(1) == f"/admin/booths/rosterupload/{item.pk}/progress/"
    assert "Importing the file…" in page and "writing to the roster 25 %" in page
    assert "40000" in page and "160000" in page
    assert re.search(r"about 3\d seconds", page)  # a quarter in 10 s: 30 s more
    assert "Import now" not in page
    listing = admin_client.get("/admin/booths/rosterupload/").content.decode()
    assert "being imported: writing to the roster 25 %" in listing


def test_a_run_that_stops_giving_signs_of_life_is_shown_failed_and_can_be_started_again(admin_client, sheet, settings):
    upload(admin_client, sheet)
    item = RosterUpload.objects.get()
    long_ago = timezone.now() - datetime.timedelta(minutes=settings.ROSTER_UPLOAD_STALE_MINUTES + 1)
    RosterUpload.objects.filter(pk=item.pk).update(
        status=RosterUpload.Status.IMPORTING, started_at=long_ago, progress_at=long_ago, phase="writing"
    )
    page = admin_client.get(f"/admin/booths/rosterupload/{item.pk}/progress/").content.decode()
    assert "It did not finish." in page and "The run stopped without finishing" in page
    assert 'http-equiv="refresh"' not in page
    assert "Import now" in page  # the check found it good: try again
    item.refresh_from_db()
    assert item.status == RosterUpload.Status.FAILED

    # A late worker taking the old message does nothing; a new Import now does it.
    roster_upload_run(upload_id=item.pk, dry_run=False)
    assert not Booth.objects.exists()
    page = admin_client.post(f"/admin/booths/rosterupload/{item.pk}/confirm/").content.decode()
    assert "Imported 5 of 5 rows." in page
    assert Booth.objects.count() == 5


def test_an_upload_no_worker_takes_is_shown_failed_with_what_to_check(admin_client, sheet, settings, monkeypatch):
    monkeypatch.setattr("booths.tasks.run_roster_upload.delay", lambda *args: None)  # no worker
    page = upload(admin_client, sheet).content.decode()
    assert "Waiting for the background worker to take the file…" in page
    item = RosterUpload.objects.get()
    assert roster_uploads_fail_stale() == 0  # not yet
    later = timezone.now() + datetime.timedelta(minutes=settings.ROSTER_UPLOAD_STALE_MINUTES + 1)
    assert roster_uploads_fail_stale(now=later) == 1
    item.refresh_from_db()
    assert item.status == RosterUpload.Status.FAILED and "is the Celery worker running?" in item.failure
    listing = admin_client.get("/admin/booths/rosterupload/").content.decode()
    assert "failed: No background worker took this file" in listing


def test_a_run_that_raises_is_failed_with_its_reason_and_writes_nothing(admin_client, sheet, monkeypatch):
    upload(admin_client, sheet)
    item = RosterUpload.objects.get()

    def broken(*args, **kwargs):
        raise MemoryError("out of memory")

    monkeypatch.setitem(__import__("booths.imports").imports.IMPORTERS, RosterUpload.Kind.ROSTER, broken)
    page = admin_client.post(f"/admin/booths/rosterupload/{item.pk}/confirm/").content.decode()
    assert "It did not finish." in page and "MemoryError: out of memory" in page
    item.refresh_from_db()
    assert item.status == RosterUpload.Status.FAILED and item.imported_at is None
    assert not Booth.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps the beat jobs the migrations wrote
def test_progress_is_written_no_more_than_once_a_second_but_every_new_step(settings):
    settings.ROSTER_UPLOAD_PROGRESS_SECONDS = 60
    item = RosterUpload.objects.create(kind="roster", filename="x.csv", content=b"", status="checking")
    progress = UploadProgress(item.pk)
    progress("checking", 0, 1000)
    progress("checking", 500, 1000)  # within the interval: not written
    item.refresh_from_db()
    assert (item.phase, item.rows_checked, item.rows_total) == ("checking", 0, 1000)
    progress("checking", 1000, 1000)  # the end of a step always is
    item.refresh_from_db()
    assert item.rows_checked == 1000
    progress("writing", 0, 1000)
    item.refresh_from_db()
    assert item.phase == "writing" and item.phase_started_at is not None


def test_uploads_from_before_the_background_import_keep_their_summary(admin_client, db):
    old = RosterUpload.objects.create(
        kind="roster", filename="old.csv", content=b"", status="imported", imported_at=timezone.now(),
        summary="Imported 3 of 3 rows.",
    )  # fmt: skip
    page = admin_client.get(f"/admin/booths/rosterupload/{old.pk}/progress/").content.decode()
    assert "Imported 3 of 3 rows." in page and "Import now" not in page
