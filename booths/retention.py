"""Keeping uploaded files no longer than needed: the file and its rows with errors
(every phone number in them) are cleared RETENTION_DAYS after the upload; the
record of who uploaded what, when, with what result, stays."""

import datetime

from django.conf import settings
from django.utils import timezone

from .models import RosterUpload


def roster_uploads_purge(*, now: datetime.datetime | None = None) -> int:
    """Clear the content of uploads older than RETENTION_DAYS; return how many."""
    before = (now or timezone.now()) - datetime.timedelta(days=settings.RETENTION_DAYS)
    old = RosterUpload.objects.filter(uploaded_at__lt=before).exclude(content=b"", error_rows=b"")
    return old.update(content=b"", error_rows=b"", purged_at=now or timezone.now())
