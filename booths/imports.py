"""Checking and importing an uploaded roster or callers file in the background.

The admin's upload (a `RosterUpload`) is checked with a dry run and, once the
admin confirms, imported, each by the Celery worker (`booths.tasks`): a state's
roster takes longer than a web request may. The run writes where it is to the
upload's row (step, rows checked, rows written, a sign of life each second),
the page that watches it refreshes itself, and the result is kept on the row
for the page and the upload list.

One run at a time per upload: confirming locks the row and refuses a second
import while one is queued or running. A run that stops giving signs of life
(a worker killed, out of memory, never started) is marked failed with its
reason by `roster_uploads_fail_stale`; an import writes in one transaction, so
nothing of a stopped one is kept.
"""

import datetime
import io
import logging
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .audit import audit_record
from .models import RosterUpload, User
from .progress import Progress, remaining_seconds
from .roster.callers import callers_import
from .roster.importer import roster_import
from .roster.problems import ImportReport, summary_lines

IMPORTERS: dict[str, Callable[..., ImportReport]] = {
    RosterUpload.Kind.ROSTER: roster_import,
    RosterUpload.Kind.CALLERS: callers_import,
}
SHOWN_PROBLEMS = 300
logger = logging.getLogger(__name__)


class RunRefused(Exception):
    """The upload cannot be imported now (already running, already imported, not importable)."""


def roster_upload_create(
    *, kind: str, filename: str, content: bytes, skip_invalid: bool, user: User, language: str
) -> RosterUpload:
    """Keep an uploaded file and queue its dry run."""
    upload = RosterUpload.objects.create(
        kind=kind,
        filename=filename,
        content=content,
        skip_invalid=skip_invalid,
        uploaded_by=user,
        language=language,
    )
    roster_upload_check(upload=upload)
    return upload


def roster_upload_check(*, upload: RosterUpload) -> None:
    """Queue the dry run of a new upload."""
    _queue(upload, dry_run=True)


def roster_upload_import(*, upload_id: int, user: User) -> RosterUpload:
    """Queue the import of a checked upload; refused while a run is queued or
    running, or once imported (two clicks, two tabs, two admins)."""
    with transaction.atomic():
        upload = RosterUpload.objects.select_for_update().get(pk=upload_id)
        if upload.running:
            raise RunRefused(_("This file is already being checked or imported: wait for it to finish."))
        if upload.imported_at is not None:
            raise RunRefused(_("This file has been imported already."))
        if not upload.can_import:
            raise RunRefused(_("This file cannot be imported: its check found errors."))
        upload.imported_by = user
        _mark_queued(upload, status=RosterUpload.Status.IMPORTING)
    audit_record(user=user, obj=upload, message="Import started")
    _send(upload, dry_run=False)
    return upload


def _queue(upload: RosterUpload, *, dry_run: bool) -> None:
    _mark_queued(upload, status=RosterUpload.Status.CHECKING)
    _send(upload, dry_run=dry_run)


def _mark_queued(upload: RosterUpload, *, status: str) -> None:
    upload.status = status
    upload.phase = ""
    upload.rows_checked = upload.rows_written = 0
    upload.queued_at = upload.progress_at = timezone.now()
    upload.started_at = upload.phase_started_at = upload.finished_at = None
    upload.failure = ""
    upload.save()


def _send(upload: RosterUpload, *, dry_run: bool) -> None:
    from .tasks import run_roster_upload

    run_roster_upload.delay(upload.pk, dry_run)


def roster_upload_run(*, upload_id: int, dry_run: bool) -> None:
    """The worker's part: claim the upload, run the importer with progress, keep
    the result. Anything that goes wrong ends as `failed` with its reason."""
    expected = RosterUpload.Status.CHECKING if dry_run else RosterUpload.Status.IMPORTING
    now = timezone.now()
    claimed = RosterUpload.objects.filter(pk=upload_id, status=expected, started_at=None).update(
        started_at=now, progress_at=now
    )
    if not claimed:  # run already, or given up on as stale
        logger.warning("upload %s: not %s and waiting, not run", upload_id, expected)
        return
    upload = RosterUpload.objects.get(pk=upload_id)
    progress = UploadProgress(upload_id)
    try:
        with translation.override(upload.language or settings.LANGUAGE_CODE):
            report, errors = run_importer(upload, dry_run=dry_run, progress=progress)
            _finish(upload, report, errors, dry_run=dry_run)
    except Exception as exc:
        logger.exception("upload %s failed", upload_id)
        RosterUpload.objects.filter(pk=upload_id).update(
            status=RosterUpload.Status.FAILED,
            failure=_("The run stopped with an error: %(error)s. Nothing of it was written.")
            % {"error": f"{type(exc).__name__}: {exc}"[:500]},
            finished_at=timezone.now(),
        )
    finally:
        progress.close()


def run_importer(upload: RosterUpload, *, dry_run: bool, progress: Progress) -> tuple[ImportReport, bytes]:
    """Import (or dry-run) an upload; return the report and the rows with errors as CSV."""
    with tempfile.TemporaryDirectory() as folder:
        error_file = Path(folder) / "errors.csv"
        report = IMPORTERS[upload.kind](
            source=io.BytesIO(bytes(upload.content)),
            filename=upload.filename,
            dry_run=dry_run,
            skip_invalid=upload.skip_invalid,
            error_file=error_file,
            progress=progress,
        )
        errors = error_file.read_bytes() if error_file.exists() else b""
    return report, errors


def _finish(upload: RosterUpload, report: ImportReport, errors: bytes, *, dry_run: bool) -> None:
    upload.refresh_from_db(fields=["status", "started_at"])
    upload.result = report_result(report, skip_invalid=upload.skip_invalid)
    upload.summary = "\n".join(summary_lines(report, limit=SHOWN_PROBLEMS))
    upload.error_rows = errors
    upload.finished_at = upload.progress_at = timezone.now()
    upload.rows_total = upload.rows_checked = report.rows
    upload.failure = ""
    if dry_run:
        upload.status = RosterUpload.Status.CHECKED
    elif report.written:
        upload.status = RosterUpload.Status.IMPORTED
        upload.imported_at = upload.finished_at
        upload.rows_written = report.rows_imported
    else:
        upload.status = RosterUpload.Status.FAILED
        upload.failure = upload.result["summary"]
    upload.save()
    if report.written and upload.imported_by is not None:
        audit_record(user=upload.imported_by, obj=upload, message=f"Imported: {summary_lines(report, limit=0)[0]}")


def report_result(report: ImportReport, *, skip_invalid: bool) -> dict:
    """What the page shows of a report, kept on the upload (JSON)."""
    errors, warnings = report.errors, report.warnings
    return {
        "summary": summary_lines(report, limit=0)[0],
        "table": [list(row) for row in report.table()],
        "errors": [[p.row, p.column, p.message] for p in errors[:SHOWN_PROBLEMS]],
        "error_count": len(errors),
        "warnings": [[p.row, p.column, p.message] for p in warnings[:SHOWN_PROBLEMS]],
        "warning_count": len(warnings),
        "can_import": bool(not errors or (skip_invalid and report.rows_imported)),
        "dry_run": report.dry_run,
        "written": report.written,
        "rows": report.rows,
        "rows_imported": report.rows_imported,
    }


class UploadProgress:
    """Writes a run's progress to its upload, at most once every
    ROSTER_UPLOAD_PROGRESS_SECONDS. While the import writes, its transaction holds what the page would
    read, so on PostgreSQL the progress goes through a connection of its own;
    SQLite has one writer at a time, so there it waits for the commit."""

    COLUMN = {"checking": "rows_checked", "writing": "rows_written"}

    def __init__(self, upload_id: int) -> None:
        self.upload_id = upload_id
        self.interval = settings.ROSTER_UPLOAD_PROGRESS_SECONDS
        self.phase = ""
        self.last: datetime.datetime | None = None
        self.side: BaseDatabaseWrapper | None = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = timezone.now()
        new_phase = phase != self.phase
        if not new_phase and self.last and (now - self.last).total_seconds() < self.interval and done < total:
            return
        values: dict[str, Any] = {"phase": phase, "progress_at": now}
        if total:
            values["rows_total"] = total
        if new_phase:
            values["phase_started_at"] = now
        if column := self.COLUMN.get(phase):
            values[column] = done
        if self._write(values):
            self.phase, self.last = phase, now

    def _write(self, values: dict[str, Any]) -> bool:
        if not connection.in_atomic_block:
            RosterUpload.objects.filter(pk=self.upload_id).update(**values)
            return True
        if connection.vendor != "postgresql":
            return False
        if self.side is None:
            self.side = connections.create_connection(DEFAULT_DB_ALIAS)
        assignments = ", ".join(f"{column} = %s" for column in values)  # our column names, not input
        with self.side.cursor() as cursor:  # autocommit: seen at once
            cursor.execute(
                f"UPDATE {RosterUpload._meta.db_table} SET {assignments} WHERE id = %s",  # noqa: S608
                [*values.values(), self.upload_id],
            )
        return True

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None


def roster_uploads_fail_stale(*, now: datetime.datetime | None = None) -> int:
    """Mark failed the runs that have given no sign of life for
    ROSTER_UPLOAD_STALE_MINUTES: queued with no worker to take them, or stopped
    (a worker killed mid-run writes nothing: the import is one transaction)."""
    now = now or timezone.now()
    before = now - datetime.timedelta(minutes=settings.ROSTER_UPLOAD_STALE_MINUTES)
    stale = RosterUpload.objects.annotate(alive=Coalesce("progress_at", "uploaded_at")).filter(
        status__in=[RosterUpload.Status.CHECKING, RosterUpload.Status.IMPORTING], alive__lt=before
    )
    never = stale.filter(started_at=None).update(
        status=RosterUpload.Status.FAILED,
        finished_at=now,
        failure=_(
            "No background worker took this file within %(minutes)s minutes, so nothing was done: is the Celery "
            "worker running? Upload the file again once it is."
        )
        % {"minutes": settings.ROSTER_UPLOAD_STALE_MINUTES},
    )
    stopped = stale.filter(~Q(started_at=None)).update(
        status=RosterUpload.Status.FAILED,
        finished_at=now,
        failure=_(
            "The run stopped without finishing (the worker was stopped or ran out of memory): nothing of it was "
            "written. Start it again."
        ),
    )
    return never + stopped


def eta_seconds(upload: RosterUpload, *, now: datetime.datetime | None = None) -> float | None:
    """Time left in the current step, at its rate so far."""
    if not upload.phase_started_at or upload.phase not in UploadProgress.COLUMN:
        return None
    done = getattr(upload, UploadProgress.COLUMN[upload.phase])
    elapsed = ((now or timezone.now()) - upload.phase_started_at).total_seconds()
    return remaining_seconds(done, upload.rows_total, elapsed)
