"""Roster health: what stands in the way of calling, district by district.

Each figure is one GROUP BY in the database; each links to the admin list
that shows the records to fix.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef

from booths.models import Booth, District, Post

from .models import PresidentRotation, RosterReport
from .selectors import roster_reports_open


@dataclass
class DistrictHealth:
    district: District
    figures: dict[str, int] = field(default_factory=dict)


def _by_district(queryset, path: str) -> dict[int, int]:
    return dict(queryset.values(path).annotate(n=Count("pk")).values_list(path, "n"))


def roster_health(*, region_id: int | None = None) -> list[DistrictHealth]:
    districts = District.objects.select_related("region").order_by("region__name", "name")
    if region_id:
        districts = districts.filter(region_id=region_id)
    booths = Booth.objects.filter(is_active=True)
    presidents = Post.objects.current().filter(role=Post.Role.BOOTH_PRESIDENT, booth__is_active=True)
    shared = (
        Post.objects.current()
        .filter(role=Post.Role.BOOTH_PRESIDENT, person__mobile=OuterRef("person__mobile"))
        .exclude(booth_id=OuterRef("booth_id"))
    )
    reports = roster_reports_open(district_ids=None).order_by()
    figures = {
        "booths": _by_district(booths, "mandal__district"),
        "vacant": _by_district(booths.vacant(), "mandal__district"),
        "no_mobile": _by_district(presidents.filter(person__mobile=""), "booth__mandal__district"),
        "shared": _by_district(presidents.exclude(person__mobile="").filter(Exists(shared)), "booth__mandal__district"),
        "unreachable": _by_district(
            PresidentRotation.objects.filter(
                post__end_date__isnull=True, unreachable_mobile=F("post__person__mobile")
            ).exclude(unreachable_mobile=""),
            "district",
        ),
        "wrong_number": _by_district(reports.filter(kind=RosterReport.Kind.WRONG_NUMBER), "district"),
        "not_president": _by_district(reports.filter(kind=RosterReport.Kind.NOT_PRESIDENT), "district"),
    }
    return [
        DistrictHealth(district, {key: counts.get(district.pk, 0) for key, counts in figures.items()})
        for district in districts
    ]
