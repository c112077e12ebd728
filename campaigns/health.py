"""Roster health: what stands in the way of calling, district by district.

Each figure is one GROUP BY over the roster. Counting a whole state takes most
of a second, so the figures are kept per district in `DistrictRosterHealth`,
recounted by beat every few minutes (`refresh_roster_health`) and on demand
(the admin's *Count again*); pages read those rows and say when they were
counted.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from booths.models import Booth, District, Mandal, Person, Post

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


_PRESIDENTS = """
    WITH shared AS (
        SELECT pe.mobile FROM {post} p JOIN {person} pe ON pe.id = p.person_id
        WHERE p.role = %(role)s AND p.end_date IS NULL AND pe.mobile <> ''
        GROUP BY pe.mobile HAVING COUNT(DISTINCT p.booth_id) > 1
    )
    SELECT m.district_id, COUNT(*),
           SUM(CASE WHEN pe.mobile = '' THEN 1 ELSE 0 END),
           SUM(CASE WHEN s.mobile IS NOT NULL THEN 1 ELSE 0 END),
           SUM(CASE WHEN pe.do_not_call THEN 1 ELSE 0 END),
           SUM(CASE WHEN r.last_reached_on IS NULL THEN 1 ELSE 0 END)
    FROM {post} p
    JOIN {booth} b ON b.id = p.booth_id
    JOIN {mandal} m ON m.id = b.mandal_id
    JOIN {person} pe ON pe.id = p.person_id
    LEFT JOIN shared s ON s.mobile = pe.mobile
    LEFT JOIN {rotation} r ON r.post_id = p.id
    WHERE p.role = %(role)s AND p.end_date IS NULL AND b.is_active
    GROUP BY m.district_id
"""


def _presidents_by_district() -> dict[str, dict[int, int]]:
    """Current presidents of active booths, district by district: how many, without a
    mobile, with a number another booth's president has too, do-not-call, never
    reached by a call (the rotation keeps the day each was last reached). The
    shared numbers are joined, not tested with IN: at national scale their list
    outgrows the memory a hashed IN may use, and a plain IN rescans it each row."""
    tables = {"post": Post, "person": Person, "booth": Booth, "mandal": Mandal, "rotation": PresidentRotation}
    sql = _PRESIDENTS.format(**{name: model._meta.db_table for name, model in tables.items()})
    names = ["presidents", "no_mobile", "shared", "do_not_call", "never_reached"]
    counted: dict[str, dict[int, int]] = {name: {} for name in names}
    with connection.cursor() as cursor:
        cursor.execute(sql, {"role": Post.Role.BOOTH_PRESIDENT})
        for district_id, *figures in cursor.fetchall():
            for name, value in zip(names, figures, strict=True):
                counted[name][district_id] = int(value or 0)
    return counted


def roster_health_count() -> dict[str, dict[int, int]]:
    """Each figure of every district, counted from the roster now (four GROUP BYs)."""
    reports = roster_reports_open(district_ids=None).order_by()
    unreachable = PresidentRotation.objects.filter(post__end_date__isnull=True).set_aside()
    counted = {
        **_by_district(Booth.objects.filter(is_active=True), "mandal__district", booths=Count("pk")),
        **_presidents_by_district(),
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
