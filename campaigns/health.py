"""Roster health: what stands in the way of calling, district by district.

Each figure is one GROUP BY over the roster. Counting a whole state takes most
of a second, so the figures are kept per district in `DistrictRosterHealth`,
recounted by beat every few minutes (`refresh_roster_health`) and on demand
(the admin's *Count again*); pages read those rows and say when they were
counted.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from booths.models import Booth, District, Post

from .models import DistrictRosterHealth, PresidentRotation, RosterReport
from .selectors import roster_reports_open

FIGURES = [
    "booths",
    "vacant",
    "no_mobile",
    "shared",
    "do_not_call",
    "unreachable",
    "wrong_number",
    "not_president",
    "never_reached",
]


@dataclass
class DistrictHealth:
    district: District
    figures: dict[str, int] = field(default_factory=dict)
    counted_at: datetime.datetime | None = None


def _by_district(queryset: QuerySet, path: str, **counts: Count) -> dict[str, dict[int, int]]:
    """Several counts of one queryset, district by district, in one GROUP BY."""
    result: dict[str, dict[int, int]] = {name: {} for name in counts}
    for row in queryset.values(path).annotate(**counts).order_by():
        for name in counts:
            result[name][row[path]] = row[name]
    return result


def roster_health_count() -> dict[str, dict[int, int]]:
    """Each figure of every district, counted from the roster now (four GROUP BYs)."""
    current = Post.objects.current().filter(role=Post.Role.BOOTH_PRESIDENT)
    # A number is shared when current presidents of two booths have it.
    shared_mobiles = (
        current.exclude(person__mobile="")
        .values("person__mobile")
        .annotate(booths=Count("booth_id", distinct=True))
        .filter(booths__gt=1)
        .values("person__mobile")
    )
    presidents = current.filter(booth__is_active=True)
    reports = roster_reports_open(district_ids=None).order_by()
    unreachable = PresidentRotation.objects.filter(
        post__end_date__isnull=True, unreachable_mobile=F("post__person__mobile")
    ).exclude(unreachable_mobile="")
    counted = {
        **_by_district(Booth.objects.filter(is_active=True), "mandal__district", booths=Count("pk")),
        **_by_district(
            presidents,
            "booth__mandal__district",
            presidents=Count("pk"),
            no_mobile=Count("pk", filter=Q(person__mobile="")),
            shared=Count("pk", filter=Q(person__mobile__in=shared_mobiles)),
            do_not_call=Count("pk", filter=Q(person__do_not_call=True)),
            # The current president has never been reached by a call (the rotation
            # keeps the day each president was last reached).
            never_reached=Count("pk", filter=Q(rotation__last_reached_on__isnull=True)),
        ),
        **_by_district(unreachable, "district", unreachable=Count("pk")),
        **_by_district(
            reports,
            "district",
            wrong_number=Count("pk", filter=Q(kind=RosterReport.Kind.WRONG_NUMBER)),
            not_president=Count("pk", filter=Q(kind=RosterReport.Kind.NOT_PRESIDENT)),
        ),
    }
    # A booth has at most one current president (a constraint says so): the rest are vacant.
    presidents_by_district = counted.pop("presidents")
    counted["vacant"] = {
        district: booths - presidents_by_district.get(district, 0) for district, booths in counted["booths"].items()
    }
    return counted


def roster_health_refresh() -> int:
    """Count every district again and keep the figures; returns the number of districts."""
    counted = roster_health_count()
    now = timezone.now()
    rows = [
        DistrictRosterHealth(
            district_id=district_id, computed_at=now, **{name: counted[name].get(district_id, 0) for name in FIGURES}
        )
        for district_id in District.objects.values_list("pk", flat=True)
    ]
    with transaction.atomic():
        DistrictRosterHealth.objects.all().delete()
        DistrictRosterHealth.objects.bulk_create(rows, batch_size=2_000)
    return len(rows)


def roster_health_rows(districts: QuerySet[District]) -> QuerySet[DistrictRosterHealth]:
    """The kept figures of the districts given, counting them first if they never were."""
    if not DistrictRosterHealth.objects.exists():
        roster_health_refresh()
    return (
        DistrictRosterHealth.objects.filter(district__in=districts)
        .select_related("district__region")
        .order_by("district__region__name", "district__name")
    )


ADMIN_FIGURES = FIGURES[:4] + FIGURES[5:8]  # the admin's columns, each a link to the records to fix


def roster_health(*, region_id: int | None = None) -> list[DistrictHealth]:
    """Every district's kept figures (of a region), for the admin's roster-health page."""
    districts = District.objects.all()
    if region_id:
        districts = districts.filter(region_id=region_id)
    return [
        DistrictHealth(row.district, {name: getattr(row, name) for name in ADMIN_FIGURES}, row.computed_at)
        for row in roster_health_rows(districts)
    ]
