"""Celery tasks: thin wrappers over the services, safe to run any number of times."""

import datetime

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from .health import roster_health_refresh
from .messaging.services import RetryLater, message_deliver, messages_prepare, messages_recover
from .models import Message
from .services import assignment_runs_fail_stale, assignments_create_for_day, assignments_mark_missed, rotation_sync
from .stats import stats_days_to_check, stats_refresh_days
from .tiffin import tiffin_reminders_prepare


def _day(day: str | None) -> datetime.date:
    return datetime.date.fromisoformat(day) if day else timezone.localdate()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=30, max_retries=5)
def assign_calls(day: str | None = None) -> dict[str, object]:
    """Fill the day's assignments (today in IST unless a date is given), then send
    the morning messages not sent yet (a message lost with a broker is sent by the
    next hourly tick)."""
    run = assignments_create_for_day(day=_day(day), source="beat")
    send_morning_messages.delay(str(run.day))
    return {"day": str(run.day), "created": run.assignments_created, "short": run.shortfall_calls}


@shared_task(autoretry_for=(OperationalError,), retry_backoff=30, max_retries=5)
def mark_missed_calls() -> int:
    assignment_runs_fail_stale()
    return assignments_mark_missed(now=timezone.now())


@shared_task(autoretry_for=(OperationalError,), retry_backoff=30, max_retries=5)
def sync_rotation() -> dict[str, int]:
    """Refresh the rotation from the roster (nightly, before the morning run)."""
    sync = rotation_sync(source="beat")
    return {"added": sync.added, "removed": sync.removed, "moved": sync.moved}


@shared_task(autoretry_for=(OperationalError,), retry_backoff=30, max_retries=5)
def refresh_dashboard_stats() -> int:
    """Nightly: recompute yesterday's and today's dashboard figures from the calls
    (they follow every change already; this catches booths moved on the map)."""
    days = stats_days_to_check()
    stats_refresh_days(days=days)
    return len(days)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=30, max_retries=5)
def refresh_roster_health() -> int:
    """Every few minutes: count the roster's health again, district by district."""
    return roster_health_refresh()


def _send(kind: str, day: str | None) -> int:
    return _queue(messages_prepare(kind=kind, day=_day(day)))


def _queue(messages: list[Message]) -> int:
    for message in messages:
        if message.status == Message.Status.QUEUED:
            deliver_message.delay(message.pk)
    return len(messages)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=30, max_retries=5)
def send_morning_messages(day: str | None = None) -> int:
    return _send(Message.Kind.MORNING_LIST, day)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=30, max_retries=5)
def send_evening_reminders(day: str | None = None) -> int:
    return _send(Message.Kind.EVENING_REMINDER, day)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=30, max_retries=5)
def send_tiffin_reminders(day: str | None = None) -> int:
    """Daily: in a month's last week, remind the in-charges of districts with mandals
    that have no tiffin meeting planned (once a month each)."""
    return _queue(tiffin_reminders_prepare(day=_day(day)))


# The number of attempts is the service's (MESSAGE_MAX_ATTEMPTS): it marks the
# message failed after the last one, so the task itself retries without a limit.
@shared_task(bind=True, max_retries=None)
def deliver_message(self, message_id: int) -> str:
    """Send one message; a gateway error or 5xx is retried with backoff (1, 2, 4...
    minutes). A database that is down is retried too; and a message whose task is
    lost anyway is queued again by `recover_messages`."""
    try:
        return message_deliver(message_id=message_id).status
    except RetryLater as exc:
        raise self.retry(exc=exc, countdown=exc.seconds) from exc
    except OperationalError as exc:
        raise self.retry(exc=exc, countdown=30 * 2 ** min(self.request.retries, 5)) from exc


@shared_task(autoretry_for=(OperationalError,), retry_backoff=30, max_retries=5)
def recover_messages() -> dict[str, int]:
    """Every few minutes: queue again the messages whose task was lost, and mark
    those taken for sending by a worker that never finished as unknown."""
    recovered = messages_recover()
    for message_id in recovered.requeued:
        deliver_message.delay(message_id)
    return {"requeued": len(recovered.requeued), "unknown": recovered.unknown, "expired": recovered.expired}
