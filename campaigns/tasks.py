"""Celery tasks: thin wrappers over the services, safe to run any number of times."""

import datetime

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from .assignment import assignments_create_for_day, assignments_mark_missed, rotation_sync


@shared_task(autoretry_for=(OperationalError,), retry_backoff=30, max_retries=5)
def assign_calls(day: str | None = None) -> dict[str, object]:
    """Fill the day's assignments (today in IST unless a date is given)."""
    run = assignments_create_for_day(
        day=datetime.date.fromisoformat(day) if day else timezone.localdate(), source="beat"
    )
    return {"day": str(run.day), "created": run.assignments_created, "short": run.shortfall_calls}


@shared_task(autoretry_for=(OperationalError,), retry_backoff=30, max_retries=5)
def mark_missed_calls() -> int:
    return assignments_mark_missed(now=timezone.now())


@shared_task(autoretry_for=(OperationalError,), retry_backoff=30, max_retries=5)
def sync_rotation() -> dict[str, int]:
    """Refresh the calling queues from the roster (nightly, before the morning run)."""
    sync = rotation_sync(source="beat")
    return {"added": sync.added, "removed": sync.removed, "moved": sync.moved}
