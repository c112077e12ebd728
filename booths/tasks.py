from celery import shared_task

from .retention import roster_uploads_purge


@shared_task
def purge_old_uploads() -> int:
    """Daily: clear uploaded files and their error rows older than RETENTION_DAYS."""
    return roster_uploads_purge()
