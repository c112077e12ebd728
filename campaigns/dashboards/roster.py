"""Roster health within a viewer's scope: the same figures as the admin's page,
plus do-not-call and presidents never reached, from the kept district counts."""

import datetime

from django.db.models import Min, QuerySet, Sum
from django.db.models.functions import Coalesce

from ..health import FIGURES, roster_health_refresh
from ..models import DistrictRosterHealth
from .figures import Row
from .query import DashboardQuery

_SUMS = {name: Coalesce(Sum(name), 0) for name in FIGURES}
_UNIT_PATH = {"state": "district__region__state_id", "region": "district__region_id", "district": "district_id"}


def roster_counts(q: DashboardQuery) -> QuerySet[DistrictRosterHealth]:
    if not DistrictRosterHealth.objects.exists():
        roster_health_refresh()  # the first time: beat keeps them fresh from here on
    rows = q.scope.filter(DistrictRosterHealth.objects.all())
    if q.level in _UNIT_PATH:
        rows = rows.filter(**{_UNIT_PATH[q.level]: q.unit.pk})
    return rows


def roster_totals(q: DashboardQuery) -> tuple[dict[str, int], datetime.datetime | None]:
    values = roster_counts(q).aggregate(**_SUMS, counted_at=Min("computed_at"))
    return {name: values[name] for name in FIGURES}, values["counted_at"]


def roster_rows(q: DashboardQuery, by: str) -> list[Row]:
    keys = {
        "state": ("district__region__state_id", "district__region__state__name", {}),
        "region": ("district__region_id", "district__region__name", {}),
        "district": ("district_id", "district__name", {"region": "district__region__name"}),
    }
    key, name, parents = keys[by]
    grouped = roster_counts(q).values(key, name, *parents.values()).annotate(**_SUMS).order_by()
    rows = [
        Row(value[name], None, by, value[key], {level: value[path] for level, path in parents.items()},
            extra={"roster": {figure: value[figure] for figure in FIGURES}})
        for value in grouped
    ]  # fmt: skip
    return sorted(rows, key=lambda r: (*r.parents.values(), r.name))
