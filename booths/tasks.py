from celery import shared_task

from .retention import roster_uploads_purge


@shared_task
def purge_old_uploads() -> int:
    """Daily: clear uploaded files and their error rows older than RETENTION_DAYS."""
    return roster_uploads_purge()


# Acknowledged when taken, not when done: a worker killed mid-import must not
# hand the file to the next worker to run again behind the admin's back; the
# upload shows it failed (roster_uploads_fail_stale) and the admin starts it again.
@shared_task(acks_late=False)
def run_roster_upload(upload_id: int, dry_run: bool) -> None:
    """Check (dry run) or import an uploaded roster or callers file."""
    from .imports import roster_upload_run

    roster_upload_run(upload_id=upload_id, dry_run=dry_run)
