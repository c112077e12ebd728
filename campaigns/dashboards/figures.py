"""The overview: how the calls of a period went, for a unit of the map and the
units under it, and day by day.

Figures come from the daily rows of `campaigns.models.stats` (summed in the
database), except under a mandal, where a booth's calls are few and read raw.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, Count, Q, QuerySet, Sum
from django.db.models.functions import Cast, Coalesce

from booths.models import Booth, District, Mandal, Person, Post, Region, State, booth_label

from ..models import CallAssignment, CallerDayStats, CallerStateDayStats, DistrictDayStats, MandalDayStats
from .query import LEVELS, DashboardQuery

CALL_FIELDS = ("assigned", "logged", "reached", "missed")
SUMS = {name: Coalesce(Sum(name), 0) for name in CALL_FIELDS}
# The same figures counted from raw assignments (under a mandal).
RAW_COUNTS = {
    "assigned": Count("pk"),
    "logged": Count("pk", filter=Q(status=CallAssignment.Status.LOGGED)),
    "reached": Count("pk", filter=Q(outcome=CallAssignment.Outcome.REACHED)),
    "missed": Count("pk", filter=Q(status=CallAssignment.Status.MISSED)),
}


@dataclass
class Figures:
    assigned: int = 0
    logged: int = 0
    reached: int = 0
    missed: int = 0

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> "Figures":
        return cls(**{name: values.get(name) or 0 for name in CALL_FIELDS})

    @property
    def open(self) -> int:
        """Not logged yet, and not missed yet: today's calls, or a day not closed yet."""
        return self.assigned - self.logged - self.missed

    @property
    def logged_share(self) -> float | None:
        return self.logged / self.assigned if self.assigned else None

    @property
    def reach_rate(self) -> float | None:
        return self.reached / self.assigned if self.assigned else None


@dataclass
class Row:
    """A table row: a unit (or a caller) and its figures."""

    name: str
    figures: Figures | None  # None on the rows of boards without call figures (health, tiffin)
    level: str = ""
    pk: int | None = None
    parents: dict[str, str] = field(default_factory=dict)  # level -> name
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def calls(self) -> Figures:
        """The call figures, on the rows of the boards that have them."""
        assert self.figures is not None
        return self.figures


@dataclass
class Overview:
    by: str
    totals: Figures
    trend: list[tuple[datetime.date, Figures]]
    rows: list[Row]
    units_without_calls: int = 0
    units_total: int = 0


def default_by(q: DashboardQuery) -> str:
    """The level under the unit shown; for the whole scope, the highest level at
    which it holds more than one unit."""
    if q.level:
        return LEVELS[LEVELS.index(q.level) + 1] if q.level != "booth" else ""
    if q.scope.district_ids is None:
        return "state" if State.objects.count() > 1 else "region"
    districts = District.objects.filter(pk__in=q.scope.district_ids)
    counts = districts.aggregate(
        states=Count("region__state", distinct=True), regions=Count("region", distinct=True), districts=Count("pk")
    )
    if counts["states"] > 1:
        return "state"
    if counts["regions"] > 1:
        return "region"
    return "district" if counts["districts"] > 1 else "mandal"


_UNIT_PATH = {  # from a district's row to the unit looked at
    "state": "district__region__state_id",
    "region": "district__region_id",
    "district": "district_id",
}


def district_days(q: DashboardQuery) -> QuerySet[DistrictDayStats]:
    """The districts' daily rows of the period, within the scope and the unit
    (a state, region or district)."""
    rows = q.scope.filter(DistrictDayStats.objects.filter(day__gte=q.period.start, day__lte=q.period.end))
    if q.level in _UNIT_PATH:
        rows = rows.filter(**{_UNIT_PATH[q.level]: q.unit.pk})
    return rows


def mandal_days(q: DashboardQuery) -> QuerySet[MandalDayStats]:
    rows = q.scope.filter(MandalDayStats.objects.filter(day__gte=q.period.start, day__lte=q.period.end))
    if q.level == "mandal":
        return rows.filter(mandal_id=q.unit.pk)
    if q.level in _UNIT_PATH:
        rows = rows.filter(**{_UNIT_PATH[q.level]: q.unit.pk})
    return rows


def caller_days(q: DashboardQuery) -> QuerySet[CallerDayStats]:
    """Callers' daily rows, by the district of the booths they called."""
    rows = q.scope.filter(CallerDayStats.objects.filter(day__gte=q.period.start, day__lte=q.period.end))
    if q.level in _UNIT_PATH:
        rows = rows.filter(**{_UNIT_PATH[q.level]: q.unit.pk})
    elif q.level in ("mandal", "booth"):
        raise ValueError("callers' figures go down to a district")
    return rows


def raw_assignments(q: DashboardQuery) -> QuerySet[CallAssignment]:
    """The period's assignments under a unit, within the scope, read raw."""
    calls = q.scope.filter(
        CallAssignment.objects.filter(day__gte=q.period.start, day__lte=q.period.end),
        "post__booth__mandal__district_id",
    )
    path = {
        "state": "post__booth__mandal__district__region__state_id",
        "region": "post__booth__mandal__district__region_id",
        "district": "post__booth__mandal__district_id",
        "mandal": "post__booth__mandal_id",
        "booth": "post__booth_id",
    }
    if q.level:
        calls = calls.filter(**{path[q.level]: q.unit.pk})
    return calls


def totals_and_trend(q: DashboardQuery) -> tuple[Figures, list[tuple[datetime.date, Figures]]]:
    """The figures of the unit shown over the period, and day by day (every day of the period)."""
    source: QuerySet[Any]
    sums: dict[str, Any]
    if q.level == "booth":
        source, sums = raw_assignments(q), RAW_COUNTS
    elif q.level == "mandal":
        source, sums = mandal_days(q), SUMS
    else:
        source, sums = district_days(q), SUMS
    by_day = {row["day"]: Figures.of(row) for row in source.values("day").annotate(**sums).order_by()}
    totals = Figures(*(sum(getattr(figures, name) for figures in by_day.values()) for name in CALL_FIELDS))
    return totals, [(day, by_day.get(day, Figures())) for day in q.period.days]


def overview(q: DashboardQuery) -> Overview:
    by = q.by or default_by(q)
    totals, trend = totals_and_trend(q)
    rows = unit_rows(q, by) if by else []
    result = Overview(by=by, totals=totals, trend=trend, rows=rows)
    if by in LEVELS:
        result.units_total = units_under(q, by).count()
        result.units_without_calls = max(0, result.units_total - len(rows))
    return result


# From a unit of one level up to the unit of a higher level it lies in.
_UP_TO = {
    ("region", "state"): "state",
    ("district", "state"): "region__state",
    ("district", "region"): "region",
    ("mandal", "state"): "district__region__state",
    ("mandal", "region"): "district__region",
    ("mandal", "district"): "district",
    ("booth", "state"): "mandal__district__region__state",
    ("booth", "region"): "mandal__district__region",
    ("booth", "district"): "mandal__district",
    ("booth", "mandal"): "mandal",
}


def units_under(q: DashboardQuery, level: str) -> QuerySet:
    """The units of `level` under the unit shown, within the scope."""
    model = {"state": State, "region": Region, "district": District, "mandal": Mandal, "booth": Booth}[level]
    to_district = {"state": "regions__districts", "region": "districts", "district": "", "mandal": "district",
                   "booth": "mandal__district"}[level]  # fmt: skip
    units = model._default_manager.all()
    if q.scope.district_ids is not None:
        units = units.filter(**{f"{to_district}__in" if to_district else "pk__in": sorted(q.scope.district_ids)})
    if q.level:
        units = units.filter(**{_UP_TO[(level, q.level)]: q.unit.pk})
    if level == "booth":
        units = units.filter(is_active=True)
    return units.distinct()


def unit_rows(q: DashboardQuery, by: str) -> list[Row]:
    """The figures of each unit of level `by` (or each caller) under the unit shown."""
    if by == "caller":
        return caller_rows(q)
    if by == "booth":
        return _booth_rows(q)
    if by == "mandal":
        grouped = mandal_days(q).values(
            "mandal_id", "mandal__name", "district__name", "district__region__name", "district__region__state__name"
        )
        rows = [
            Row(
                row["mandal__name"],
                Figures.of(row),
                "mandal",
                row["mandal_id"],
                {
                    "state": row["district__region__state__name"],
                    "region": row["district__region__name"],
                    "district": row["district__name"],
                },
            )
            for row in grouped.annotate(**SUMS).order_by()
        ]
    else:
        keys = {
            "state": ["district__region__state_id", "district__region__state__name"],
            "region": ["district__region_id", "district__region__name", "district__region__state__name"],
            "district": ["district_id", "district__name", "district__region__name", "district__region__state__name"],
        }[by]
        rows = []
        for row in district_days(q).values(*keys).annotate(**SUMS).order_by():
            parents = {
                level: row[f"{path}__name"]
                for level, path in (("state", "district__region__state"), ("region", "district__region"))
                if f"{path}__name" in row and level != by
            }
            rows.append(Row(row[keys[1]], Figures.of(row), by, row[keys[0]], parents))
    return sorted(rows, key=lambda r: (*r.parents.values(), r.name))


def _booth_rows(q: DashboardQuery) -> list[Row]:
    grouped = raw_assignments(q).values(
        "post__booth_id", "post__booth__name", "post__booth__number", "post__booth__assembly_seat__number"
    )
    rows = [
        Row(
            row["post__booth__name"],
            Figures.of(row),
            "booth",
            row["post__booth_id"],
            extra={"label": booth_label(row["post__booth__assembly_seat__number"], row["post__booth__number"])},
        )
        for row in grouped.annotate(**RAW_COUNTS).order_by()
    ]
    return sorted(rows, key=lambda r: [int(part) for part in str(r.extra["label"]).split("/")])


def whole_states(q: DashboardQuery) -> list[int] | None:
    """The states the page shows, when it shows whole states (a state, or a scope made
    of whole states); None when it shows part of one."""
    if q.level not in ("", "state"):
        return None
    districts = District.objects.all()
    if q.level == "state":
        districts = districts.filter(region__state_id=q.unit.pk)
    elif q.scope.district_ids is not None:
        districts = districts.filter(region__state__regions__districts__in=sorted(q.scope.district_ids))
    if q.scope.district_ids is None:
        return list(districts.values_list("region__state_id", flat=True).distinct().order_by())
    counted = districts.values("region__state_id").annotate(
        total=Count("pk", distinct=True), mine=Count("pk", distinct=True, filter=Q(pk__in=sorted(q.scope.district_ids)))
    )
    states = [row["region__state_id"] for row in counted]
    return states if all(row["total"] == row["mine"] for row in counted) else None


def caller_figures(q: DashboardQuery) -> QuerySet:
    """Each caller's calls into the unit shown (within the scope) in the period, one
    row a (caller, role): summed from one row a caller a day for whole states, else
    from their district rows."""
    states = whole_states(q)
    days: QuerySet[Any]
    if states is not None:
        days = CallerStateDayStats.objects.filter(state_id__in=states, day__gte=q.period.start, day__lte=q.period.end)
    else:
        days = caller_days(q)
    return days.values("caller_id", "caller_role").annotate(**SUMS)


def caller_rows(q: DashboardQuery, figures: list[dict] | None = None) -> list[Row]:
    """Rows of `caller_figures` (all of them, or those given), with names and numbers."""
    rows = list(caller_figures(q).order_by()) if figures is None else figures
    # The mobile as stored (E.164 text): turning thousands into phone-number objects
    # costs ~35 µs each, and the tables print the stored form anyway.
    callers = Person.objects.filter(pk__in={row["caller_id"] for row in rows}).annotate(
        number=Cast("mobile", output_field=CharField())
    )
    people = {pk: (name, number) for pk, name, number in callers.values_list("pk", "name", "number")}
    roles = dict(Post.Role.choices)
    result = [
        Row(
            people[row["caller_id"]][0],
            Figures.of(row),
            "caller",
            row["caller_id"],
            extra={
                "phone": people[row["caller_id"]][1],
                "role": row["caller_role"],
                "role_label": roles.get(row["caller_role"], ""),
            },
        )
        for row in rows
    ]
    return result if figures is not None else sorted(result, key=lambda r: (r.name, r.pk))
