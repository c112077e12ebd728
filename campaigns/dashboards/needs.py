"""Needs and follow-ups: what booths asked for in the period, by category and
unit, where the follow-ups stand, and the open ones oldest first."""

import datetime
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from ..models import FollowUp, FollowUpDayStats
from .figures import Row
from .query import DashboardQuery

CATEGORIES = [code for code, _label in FollowUp.CATEGORY_CHOICES]
STATUSES = [code for code, _label in FollowUp.Status.choices]
# (label, from, to): raised `from` to `to` days ago (0: today); the last has no end.
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


_KEPT_PATH = {  # from a day's row of follow-ups to the unit shown
    "state": "district__region__state_id",
    "region": "district__region_id",
    "district": "district_id",
}
_SUMS = {name: Coalesce(Sum(name), 0) for name in [*CATEGORIES, *STATUSES]}


def _with_total(counts: dict) -> dict:
    """Every follow-up is in one of the statuses: their sum is the total."""
    return {**counts, "total": sum(counts[status] for status in STATUSES)}


def _kept_days(q: DashboardQuery) -> QuerySet[FollowUpDayStats] | None:
    """The districts' days of follow-ups under the unit shown (None under a mandal:
    there the follow-ups themselves are few enough to count)."""
    if q.level in ("mandal", "booth"):
        return None
    days = q.scope.filter(FollowUpDayStats.objects.all())
    if q.level:
        days = days.filter(**{_KEPT_PATH[q.level]: q.unit.pk})
    return days


def needs_totals(q: DashboardQuery) -> dict[str, int]:
    days = _kept_days(q)
    if days is None:
        return raised_in_period(q).aggregate(**_COUNTS)
    return _with_total(days.filter(day__gte=q.period.start, day__lte=q.period.end).aggregate(**_SUMS))


def needs_rows(q: DashboardQuery, by: str) -> list[Row]:
    """Follow-ups raised in the period under the unit shown, by unit: each category, each status."""
    keys = {
        "state": ("district__region__state_id", "district__region__state__name", {}),
        "region": ("district__region_id", "district__region__name", {}),
        "district": ("district_id", "district__name", {"region": "district__region__name"}),
        "mandal": (
            "booth__mandal_id",
            "booth__mandal__name",
            {"region": "district__region__name", "district": "district__name"},
        ),
    }
    key, name, parents = keys[by]
    days = _kept_days(q)
    if days is None or by == "mandal":
        grouped = raised_in_period(q).values(key, name, *parents.values()).annotate(**_COUNTS).order_by()
    else:
        days = days.filter(day__gte=q.period.start, day__lte=q.period.end)
        grouped = [_with_total(row) for row in days.values(key, name, *parents.values()).annotate(**_SUMS).order_by()]
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


def open_ages(q: DashboardQuery, today: datetime.date | None = None) -> dict[str, int]:
    """How long the open follow-ups have waited, in days since the day they were raised."""
    today = today or timezone.localdate()
    bounds = {label: (younger, older) for label, younger, older in AGES}
    days = _kept_days(q)
    value: Count | CombinedExpression
    counted: QuerySet[Any]
    if days is None:
        items = follow_ups_in(q).exclude(status=FollowUp.Status.RESOLVED).annotate(day=TruncDate("created_at"))
        value, counted = Count("pk"), items
    else:
        value, counted = F("open") + F("in_progress"), days
    sums = {}
    for label, (younger, older) in bounds.items():
        condition = Q(day__lte=today - datetime.timedelta(days=younger))
        if older is not None:
            condition &= Q(day__gt=today - datetime.timedelta(days=older))
        sums[label] = Count("pk", filter=condition) if days is None else Coalesce(Sum(value, filter=condition), 0)
    sums["open_total"] = Count("pk") if days is None else Coalesce(Sum(value), 0)
    return counted.aggregate(**sums)
