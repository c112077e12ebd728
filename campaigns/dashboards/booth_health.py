"""Booth health: the party's standing and the presidents' well-being, as the
booths' presidents reported them in calls.

A booth is counted once, by its latest report in the period (a report: a call
that reached the president and recorded the standing). For a period that runs
to today the daily rows hold the count of each day's reports that are their
booth's latest; for a period that ended earlier the latest report of each booth
in the period is found in the calls themselves.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum, Window
from django.db.models.functions import Coalesce, RowNumber

from booths.models import Post

from ..models import CallAssignment, CallLog, FollowUp, PresidentRotation
from .figures import Row, district_days, mandal_days
from .query import DashboardQuery

HEALTH_FIELDS = ("booths_asked", "strong", "competitive", "weak", "all_well", "needs_attention")
_ROLLUP = {
    "booths_asked": "latest_reports",
    "strong": "latest_strong",
    "competitive": "latest_competitive",
    "weak": "latest_weak",
    "all_well": "latest_all_well",
    "needs_attention": "latest_needs_attention",
}
_ROLLUP_SUMS = {name: Coalesce(Sum(column), 0) for name, column in _ROLLUP.items()}
_REPORT_COUNTS = {
    "booths_asked": Count("pk"),
    "strong": Count("pk", filter=Q(standing=CallLog.Standing.STRONG)),
    "competitive": Count("pk", filter=Q(standing=CallLog.Standing.COMPETITIVE)),
    "weak": Count("pk", filter=Q(standing=CallLog.Standing.WEAK)),
    "all_well": Count("pk", filter=Q(wellbeing=CallLog.Wellbeing.ALL_WELL)),
    "needs_attention": Count("pk", filter=Q(wellbeing=CallLog.Wellbeing.NEEDS_ATTENTION)),
}
_BOOTH = "assignment__post__booth"
_UNIT_PATH = {
    "state": f"{_BOOTH}__mandal__district__region__state_id",
    "region": f"{_BOOTH}__mandal__district__region_id",
    "district": f"{_BOOTH}__mandal__district_id",
    "mandal": f"{_BOOTH}__mandal_id",
    "booth": f"{_BOOTH}_id",
}


@dataclass
class Health:
    booths_asked: int = 0
    strong: int = 0
    competitive: int = 0
    weak: int = 0
    all_well: int = 0
    needs_attention: int = 0

    @classmethod
    def of(cls, values: dict) -> "Health":
        return cls(**{name: values.get(name) or 0 for name in HEALTH_FIELDS})

    def share(self, name: str) -> float | None:
        return getattr(self, name) / self.booths_asked if self.booths_asked else None


def latest_reports(q: DashboardQuery) -> QuerySet[CallLog]:
    """Each booth's latest report in the period, within the scope and the unit shown."""
    reports = CallLog.objects.filter(
        assignment__day__gte=q.period.start,
        assignment__day__lte=q.period.end,
        assignment__outcome=CallAssignment.Outcome.REACHED,
    ).exclude(standing="")
    reports = q.scope.filter(reports, f"{_BOOTH}__mandal__district_id")
    if q.level:
        reports = reports.filter(**{_UNIT_PATH[q.level]: q.unit.pk})
    if q.period.runs_to(q.today):
        return reports.filter(latest_for_booth=True)
    latest = reports.annotate(
        place=Window(
            RowNumber(),
            partition_by=[F(f"{_BOOTH}_id")],
            order_by=[F("assignment__day").desc(), F("assignment_id").desc()],
        )
    ).filter(place=1)
    # Filtered through the primary key, so that counts grouped over it come after
    # the window (grouping the windowed query itself would group before it).
    return CallLog.objects.filter(pk__in=latest.values("pk"))


def health_totals(q: DashboardQuery) -> Health:
    if q.period.runs_to(q.today) and q.level != "booth":
        source = mandal_days(q) if q.level == "mandal" else district_days(q)
        return Health.of(source.aggregate(**_ROLLUP_SUMS))
    return Health.of(latest_reports(q).aggregate(**_REPORT_COUNTS))


# Each level's id, name and parents' names, from a district (or, for a mandal, from a mandal).
_LEVEL_PATHS = {
    "state": ("district", "region__state__id", "region__state__name", {}),
    "region": ("district", "region__id", "region__name", {"state": "region__state__name"}),
    "district": ("district", "id", "name", {"region": "region__name"}),
    "mandal": ("mandal", "id", "name", {"region": "district__region__name", "district": "district__name"}),
}


def health_rows(q: DashboardQuery, by: str) -> list[Row]:
    """Each unit's booth health under the unit shown (only units with booths asked)."""
    if by == "booth":
        return _booth_reports(q)
    base, key, name, parents = _LEVEL_PATHS[by]
    source: QuerySet[Any]
    counts: dict[str, Any]
    if q.period.runs_to(q.today):
        source, counts = (mandal_days(q) if base == "mandal" else district_days(q)), _ROLLUP_SUMS
        prefix = f"{base}__"
    else:
        source, counts = latest_reports(q), _REPORT_COUNTS
        prefix = f"{_BOOTH}__mandal__" + ("" if base == "mandal" else "district__")
    keys = [prefix + key, prefix + name, *(prefix + path for path in parents.values())]
    rows = [
        Row(
            value[prefix + name],
            None,
            by,
            value[prefix + key],
            {level: value[prefix + path] for level, path in parents.items()},
            extra={"health": Health.of(value)},
        )
        for value in source.values(*keys).annotate(**counts).order_by()
        if value["booths_asked"]
    ]
    return sorted(rows, key=lambda r: (*r.parents.values(), r.name))


def _booth_reports(q: DashboardQuery) -> list[Row]:
    """Under a mandal: each booth asked in the period, with its latest report."""
    reports = (
        latest_reports(q)
        .select_related("assignment__caller", "assignment__post__booth__assembly_seat")
        .order_by(f"{_BOOTH}__assembly_seat__number", f"{_BOOTH}__number")
    )
    rows = []
    for log in reports:
        booth = log.assignment.post.booth
        assert booth is not None  # a president's post
        single = {"booths_asked": 1, log.standing: 1}
        if log.wellbeing:
            single[log.wellbeing] = 1
        rows.append(Row(booth.name, None, "booth", booth.pk, extra={"label": booth.label, "log": log,
                                                                     "health": Health.of(single)}))  # fmt: skip
    return rows


def weak_booths(q: DashboardQuery) -> QuerySet[CallLog]:
    """The booths whose latest report in the period says the party is weak, newest first."""
    return (
        latest_reports(q)
        .filter(standing=CallLog.Standing.WEAK)
        .select_related(
            "assignment__caller",
            "assignment__president",
            "assignment__post__booth__assembly_seat",
            "assignment__post__booth__mandal__district",
        )
        # Newest day first, then by mandal, as `weak_booths_page` finds them.
        .order_by("-assignment__day", "-assignment__post__booth__mandal_id", "-assignment_id")
    )


def weak_booths_page(q: DashboardQuery, number: int, per_page: int) -> list[CallLog]:
    """A page of `weak_booths` for a period that runs to today, found through the
    daily rows: they say which (day, mandal) holds how many weak latest reports, so
    only those calls are read (a region's weak booths are a few in a hundred of the
    country's, too sparse to find by walking all of them)."""
    cells = (
        mandal_days(q)
        .filter(latest_weak__gt=0)
        .order_by("-day", "-mandal_id")
        .values_list("day", "mandal_id", "latest_weak")
    )
    start = (number - 1) * per_page
    chosen: list[tuple] = []
    before = seen = offset = 0
    chunk = 2 * per_page
    while seen < start + per_page:
        batch = list(cells[offset : offset + chunk])
        for day, mandal_id, n in batch:
            if seen + n <= start:
                seen += n
                continue
            if not chosen:
                before = seen
            chosen.append((day, mandal_id))
            seen += n
            if seen >= start + per_page:
                break
        if len(batch) < chunk:
            break
        offset, chunk = offset + chunk, chunk * 2
    if not chosen:
        return []
    pairs = set(chosen)
    logs = [
        log
        for log in weak_booths(q).filter(
            assignment__day__in={day for day, _m in pairs},
            assignment__post__booth__mandal_id__in={m for _d, m in pairs},
        )
        if (log.assignment.day, _mandal_id(log)) in pairs
    ]
    logs.sort(key=lambda log: (log.assignment.day, _mandal_id(log), log.assignment_id), reverse=True)
    skip = start - before
    return logs[skip : skip + per_page]


def _mandal_id(log: CallLog) -> int:
    booth = log.assignment.post.booth
    assert booth is not None  # a president's post
    return booth.mandal_id


def open_follow_ups_by_booth(booth_ids: list[int]) -> dict[int, list[FollowUp]]:
    items: dict[int, list[FollowUp]] = {pk: [] for pk in booth_ids}
    for item in FollowUp.objects.filter(booth_id__in=booth_ids).exclude(status=FollowUp.Status.RESOLVED):
        items[item.booth_id].append(item)
    return items


def president_reached() -> Exists:
    """True for a president's post (the outer query's row) that some call has
    reached: the rotation keeps the day one last did."""
    return Exists(PresidentRotation.objects.filter(post_id=OuterRef("pk"), last_reached_on__isnull=False))


def never_reached(q: DashboardQuery) -> QuerySet[Post]:
    """Current presidents of active booths under the unit shown whom no call has reached yet."""
    posts: QuerySet[Post] = Post.objects.current().filter(role=Post.Role.BOOTH_PRESIDENT, booth__is_active=True)
    posts = posts.exclude(president_reached())
    posts = q.scope.filter(posts, "booth__mandal__district_id")
    path = {
        "state": "booth__mandal__district__region__state_id",
        "region": "booth__mandal__district__region_id",
        "district": "booth__mandal__district_id",
        "mandal": "booth__mandal_id",
        "booth": "booth_id",
    }
    if q.level:
        posts = posts.filter(**{path[q.level]: q.unit.pk})
    return posts.select_related("person", "booth__assembly_seat", "booth__mandal").order_by(
        "booth__mandal__name", "booth__assembly_seat__number", "booth__number"
    )
