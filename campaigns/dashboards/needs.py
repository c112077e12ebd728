"""Needs and follow-ups: what booths asked for in the period, by category and
unit, where the follow-ups stand, and the open ones oldest first."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ..models import FollowUp
from .figures import Row
from .query import DashboardQuery

CATEGORIES = [code for code, _label in FollowUp.CATEGORY_CHOICES]
STATUSES = [code for code, _label in FollowUp.Status.choices]
AGES = [("under_7_days", 0, 7), ("7_to_30_days", 7, 30), ("over_30_days", 30, None)]
_UNIT_PATH = {
    "state": "district__region__state_id",
    "region": "district__region_id",
    "district": "district_id",
    "mandal": "booth__mandal_id",
    "booth": "booth_id",
}
_COUNTS = {
    **{category: Count("pk", filter=Q(category=category)) for category in CATEGORIES},
    **{status: Count("pk", filter=Q(status=status)) for status in STATUSES},
    "total": Count("pk"),
}


def follow_ups_in(q: DashboardQuery) -> QuerySet[FollowUp]:
    """Every follow-up of the unit shown, within the scope (any time)."""
    items = q.scope.filter(FollowUp.objects.all())
    if q.level:
        items = items.filter(**{_UNIT_PATH[q.level]: q.unit.pk})
    return items


def raised_in_period(q: DashboardQuery) -> QuerySet[FollowUp]:
    start = timezone.make_aware(datetime.datetime.combine(q.period.start, datetime.time()))
    end = timezone.make_aware(datetime.datetime.combine(q.period.end + datetime.timedelta(days=1), datetime.time()))
    return follow_ups_in(q).filter(created_at__gte=start, created_at__lt=end)


def needs_totals(q: DashboardQuery) -> dict[str, int]:
    return raised_in_period(q).aggregate(**_COUNTS)


def needs_rows(q: DashboardQuery, by: str) -> list[Row]:
    """Follow-ups raised in the period under the unit shown, by unit: each category, each status."""
    keys = {
        "state": ("district__region__state_id", "district__region__state__name", {}),
        "region": ("district__region_id", "district__region__name", {}),
        "district": ("district_id", "district__name", {"region": "district__region__name"}),
        "mandal": ("booth__mandal_id", "booth__mandal__name", {"district": "district__name"}),
    }
    key, name, parents = keys[by]
    grouped = raised_in_period(q).values(key, name, *parents.values()).annotate(**_COUNTS).order_by()
    rows = [
        Row(value[name], None, by, value[key], {level: value[path] for level, path in parents.items()},
            extra={"counts": {count: value[count] for count in _COUNTS}})
        for value in grouped
    ]  # fmt: skip
    return sorted(rows, key=lambda r: (*r.parents.values(), r.name))


def open_items(q: DashboardQuery) -> QuerySet[FollowUp]:
    """Follow-ups not resolved yet, oldest first (whenever they were raised)."""
    return (
        follow_ups_in(q)
        .exclude(status=FollowUp.Status.RESOLVED)
        .select_related("district", "booth__assembly_seat", "booth__mandal", "assigned_to")
        .order_by("created_at", "pk")
    )


def open_ages(q: DashboardQuery, now: datetime.datetime | None = None) -> dict[str, int]:
    """How long the open follow-ups have waited."""
    now = now or timezone.now()
    counts = {}
    for label, younger, older in AGES:
        condition = Q(created_at__lte=now - datetime.timedelta(days=younger))
        if older is not None:
            condition &= Q(created_at__gt=now - datetime.timedelta(days=older))
        counts[label] = Count("pk", filter=condition)
    return follow_ups_in(q).exclude(status=FollowUp.Status.RESOLVED).aggregate(**counts, open_total=Count("pk"))
