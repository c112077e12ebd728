"""The follow-ups' figures per district and day raised (the needs dashboard)."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from ..models import FollowUp, FollowUpDayStats
from .sql import lock


def _follow_up_counts() -> dict[str, Count]:
    counts: dict[str, Count] = {
        status: Count("pk", filter=Q(status=status)) for status, _label in FollowUp.Status.choices
    }
    counts.update(
        {category: Count("pk", filter=Q(category=category)) for category, _label in FollowUp.CATEGORY_CHOICES}
    )
    return counts


def follow_up_stats_refresh(*, district_id: int, day: datetime.date) -> None:
    """Recompute the follow-up figures of a district's day (IST), inside the caller's
    transaction: after a follow-up is raised, withdrawn or moves on."""
    lock(district_ids=[district_id])
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    items = FollowUp.objects.filter(
        district_id=district_id, created_at__gte=start, created_at__lt=start + datetime.timedelta(days=1)
    )
    counts = items.aggregate(**_follow_up_counts())
    if any(counts.values()):
        FollowUpDayStats.objects.update_or_create(district_id=district_id, day=day, defaults=counts)
    else:
        FollowUpDayStats.objects.filter(district_id=district_id, day=day).delete()


def follow_up_stats_refresh_for(items: Iterable[FollowUp]) -> None:
    """The days and districts of some follow-ups (changed or about to be deleted)."""
    pairs = {(item.district_id, timezone.localdate(item.created_at)) for item in items}
    if not pairs:
        return
    lock(district_ids=[district_id for district_id, _day in pairs])  # all at once, in order
    for district_id, day in pairs:
        follow_up_stats_refresh(district_id=district_id, day=day)


def follow_up_stats_rebuild() -> int:
    """Every district's follow-up figures of every day, from the follow-ups."""
    rows = [
        FollowUpDayStats(**row)  # day, district_id and the counts
        for row in FollowUp.objects.annotate(day=TruncDate("created_at"))
        .values("day", "district_id")
        .annotate(**_follow_up_counts())
        .order_by()
    ]
    with transaction.atomic():
        lock()
        FollowUpDayStats.objects.all().delete()
        FollowUpDayStats.objects.bulk_create(rows, batch_size=5_000)
    return len(rows)
