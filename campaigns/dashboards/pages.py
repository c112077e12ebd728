"""What each dashboard page shows: its tables (which its exports write), charts
and headline figures, built from the selectors of this package."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from django.conf import settings
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Model, Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from booths.models import LokSabhaSeat

from ..access import dashboard_seat_get
from ..models import CallNeed, CampaignAnswer, FollowUp
from ..selectors import call_export_rows
from ..tiffin import Confirmation, Coverage, month_add, tiffin_confirmations, tiffin_coverage
from . import booth_health, callers, charts, figures, needs, roster, seats
from .figures import Row
from .query import LEVELS, BadQuery, DashboardQuery
from .tables import (
    CALL_COLUMNS,
    LEVEL_LABELS,
    Table,
    ages_table,
    callers_table,
    compared_table,
    figures_table,
    health_table,
    needs_table,
    never_reached_table,
    open_items_table,
    roster_table,
    tiffin_confirmed_table,
    tiffin_months_table,
    tiffin_table,
    trend_table,
    weak_table,
)

PAGE_ROWS = 50
CALLERS_PAGE = 100


@dataclass
class Page:
    tables: dict[str, Table]
    context: dict = field(default_factory=dict)
    template: str = ""  # instead of the view's own
    label: str = ""  # what its downloads' names say it covers, instead of the period (a month: 2025-03)


def _link(view: str, q: DashboardQuery, **params: object) -> str:
    return f"{reverse(view)}?{q.params(**params)}"


def _drill(view: str, q: DashboardQuery, by: str) -> Callable[[figures.Row], str | None]:
    """Each row links to its own unit on the same page (a booth: to its calls)."""

    def link(row: figures.Row) -> str | None:
        if row.pk is None or by not in LEVELS:
            return None
        if by == "booth" and view != "dashboard":
            return _link("dashboard_calls", q.at("booth", _Unit(row.pk)))
        return _link(view, q.at(by, _Unit(row.pk)))

    return link


def _caller_calls(q: DashboardQuery) -> Callable[[figures.Row], str]:
    """A caller's row links to their calls in the unit shown."""

    def link(row: figures.Row) -> str:
        return _link("dashboard_calls", q, caller=row.pk, by=None, sort=None)

    return link


def _booth_page(q: DashboardQuery) -> Callable[[Model], str]:
    def link(booth: Model) -> str:
        return _link("dashboard", q.at("booth", booth))

    return link


def _follow_up_page(item: FollowUp) -> str:
    return reverse("follow_up", args=[item.pk])


@dataclass(frozen=True)
class _Unit:
    pk: int


class _CountedPaginator(Paginator):
    """A paginator told its count (a figure the page has already summed), so that
    listing a page of rows does not count them all again."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count


def _paginate(items: Any, q: DashboardQuery, per_page: int = PAGE_ROWS, count: int | None = None) -> PaginatorPage:
    paginator = Paginator(items, per_page) if count is None else _CountedPaginator(items, per_page, count)
    return paginator.get_page(q.page)


def crumbs(view: str, q: DashboardQuery) -> list[tuple[str, str]]:
    """The way down to the unit shown, each step a link."""
    root = _("Everything") if q.scope.everything else _("Your territory")
    steps = [(root, _link(view, q.at("", None)))]
    chain: list[tuple[str, Any]] = []
    unit = q.unit
    for level in reversed(LEVELS[: LEVELS.index(q.level) + 1] if q.level else []):
        chain.append((level, unit))
        unit = {"booth": lambda u: u.mandal, "mandal": lambda u: u.district, "district": lambda u: u.region,
                "region": lambda u: u.state, "state": lambda u: None}[level](unit)  # fmt: skip
    for level, unit in reversed(chain):
        label = f"{unit.label} {unit.name}" if level == "booth" else unit.name
        steps.append((label, _link(view, q.at(level, unit))))
    return steps


def overview_page(q: DashboardQuery) -> Page:
    if q.level == "booth":
        return calls_page(q, title=_("Calls to this booth"))
    result = figures.overview(q)
    title = {"state": _("By state"), "region": _("By region"), "district": _("By district"),
             "mandal": _("By mandal"), "booth": _("By booth"), "caller": _("By caller")}[result.by]  # fmt: skip
    link = _caller_calls(q) if result.by == "caller" else _drill("dashboard", q, result.by)
    rows = figures_table("rows", title, result.rows, result.by, link, total=result.totals)
    trend = trend_table(result.trend, _("Day by day"))
    days = [day for day, _f in result.trend]
    line = charts.line_chart(
        days,
        [
            charts.Series(_("Assigned"), [f.assigned for _d, f in result.trend], "s-assigned"),
            charts.Series(_("Logged"), [f.logged for _d, f in result.trend], "s-logged"),
            charts.Series(_("Reached"), [f.reached for _d, f in result.trend], "s-reached"),
        ],
        _("Calls assigned, logged and reached, day by day"),
    )
    bars = charts.bar_chart(
        [(row.extra.get("label") or row.name, [row.calls.reached, row.calls.logged - row.calls.reached,
          row.calls.missed, row.calls.open], row.calls.assigned) for row in result.rows[:40]],
        [charts.Series(_("Reached"), [], "s-reached"), charts.Series(_("Logged, not reached"), [], "s-logged"),
         charts.Series(_("Missed"), [], "s-missed"), charts.Series(_("Not logged yet"), [], "s-open")],
        _("How each one's calls went"),
    )  # fmt: skip
    if q.level:
        below = LEVELS[LEVELS.index(q.level) + 1 :]
    else:
        below = LEVELS[LEVELS.index(result.by if result.by in LEVELS else figures.default_by(q)) :]
    choices = [level for level in below if level != "booth" or q.level in ("district", "mandal")]
    if q.level not in ("mandal", "booth"):
        choices.append("caller")
    labels = {**LEVEL_LABELS, "caller": _("Callers")}
    return Page(
        {"rows": rows, "trend": trend},
        {"result": result, "totals": result.totals, "line_chart": line, "bar_chart": bars,
         "by_choices": [(level, labels[level]) for level in choices]},
    )  # fmt: skip


def calls_page(q: DashboardQuery, title: str | None = None) -> Page:
    """The calls themselves: of a district, mandal or booth, or of one caller."""
    caller = q.extra.get("caller")
    if q.level not in ("district", "mandal", "booth") and not caller:
        raise BadQuery([_("Choose a district, a mandal, a booth or a caller to list their calls.")])
    calls = figures.raw_assignments(q)
    if caller:
        calls = calls.filter(caller_id=int(caller))
    for name in ("status", "outcome"):
        if q.extra.get(name):
            calls = calls.filter(**{name: q.extra[name]})
    table = Table("calls", title or _("Calls"), CALL_COLUMNS)
    if q.format:
        table.rows = list(call_export_rows(date_from=q.period.start, date_to=q.period.end, calls=calls))
        return Page({"calls": table})
    listed = calls.select_related(
        "caller", "president", "post__booth__assembly_seat", "post__booth__mandal__district__region", "log"
    ).prefetch_related(
        Prefetch("log__needs", queryset=CallNeed.objects.order_by("pk")),
        Prefetch("log__answers", queryset=CampaignAnswer.objects.select_related("question").order_by("question__pk")),
    )
    page = _paginate(listed.order_by("-day", "caller__name", "slot"), q)
    totals, _trend = figures.totals_and_trend(q) if not caller else (None, None)
    return Page({"calls": table}, {"calls": page, "totals": totals}, "dashboards/calls.html")


def callers_page(q: DashboardQuery) -> Page:
    if q.level in ("mandal", "booth"):
        raise BadQuery([_("Callers' figures go down to a district: choose a district, region or state.")])
    if q.format and (q.table or "callers") == "callers":
        return Page({"callers": callers_table(callers.callers(q, facts=True), _no_link)})
    districts = callers.compared(q, "district")
    regions = callers.compared(q, "region") if q.level != "district" else []
    tables = {
        "districts": compared_table("districts", _("Districts side by side"), districts, "district",
                                    _drill("dashboard_callers", q, "district")),
        "regions": compared_table("regions", _("Regions side by side"), regions, "region",
                                  _drill("dashboard_callers", q, "region")),
    }  # fmt: skip
    if q.format:
        return Page(tables)
    # A state has thousands of callers: only the page shown gets its streaks and links.
    sorted_page = callers.callers_page_rows(q, q.page, CALLERS_PAGE)
    if sorted_page is None:
        page = _paginate(callers.callers(q, facts=False), q, CALLERS_PAGE)
        shown = list(page.object_list)
        callers.attach_facts(shown, q)
    else:
        shown, count = sorted_page
        page = _CountedPaginator(range(count), CALLERS_PAGE, count).get_page(q.page)
    calls = q.at(q.level, q.unit)
    table = callers_table(shown, lambda row: _link("dashboard_calls", calls, caller=row.pk))
    tables["callers"] = table
    bars = charts.bar_chart(
        [(row.name, [row.calls.logged, row.calls.missed, row.calls.open], row.calls.assigned)
         for row in (districts if q.level in ("region", "district") else regions)[:40]],
        [charts.Series(_("Logged"), [], "s-reached"), charts.Series(_("Missed"), [], "s-missed"),
         charts.Series(_("Not logged yet"), [], "s-open")],
        _("Share of calls logged"),
    )  # fmt: skip
    context = {"sort": q.sort or callers.DEFAULT_SORT, "page": page, "callers_display": table.display(),
               "bar_chart": bars}  # fmt: skip
    return Page(tables, context)


def _no_link(_row: object) -> None:
    return None


def booth_health_page(q: DashboardQuery) -> Page:
    by = q.by or ("booth" if q.level in ("mandal", "booth") else figures.default_by(q))
    if by == "booth" and q.level not in ("mandal", "booth"):
        raise BadQuery([_("Booths are listed one mandal at a time: choose a mandal.")])
    rows = booth_health.health_rows(q, by)
    totals = booth_health.health_totals(q)
    units = health_table(rows, by, _drill("dashboard_booth_health", q, by), total=totals)
    weak = booth_health.weak_booths(q)
    never = booth_health.never_reached(q) if q.level in ("district", "mandal", "booth") else None
    booth_link = _booth_page(q)
    if q.format:
        if q.table == "weak":
            booths = list(weak.values_list("assignment__post__booth_id", flat=True))
            return Page({"weak": weak_table(weak, booth_health.open_follow_ups_by_booth(booths), booth_link)})
        if q.table == "never_reached" and never is not None:
            return Page({"never_reached": never_reached_table(never, booth_link)})
        return Page({"units": units})
    if q.period.runs_to(q.today) and q.level != "booth":
        # The weak booths are those the totals count as weak; the paginator only
        # numbers the pages, the page's rows are found through the daily rows.
        weak_page = _CountedPaginator(range(totals.weak), PAGE_ROWS, totals.weak).get_page(q.page)
        weak_page.object_list = booth_health.weak_booths_page(q, weak_page.number, PAGE_ROWS)
    else:
        weak_page = _paginate(weak, q)
    open_items = booth_health.open_follow_ups_by_booth([log.assignment.post.booth_id for log in weak_page])
    never_page = _paginate(never, q) if never is not None else None
    never_total = None
    if never is None:
        never_total = roster.roster_totals(q)[0]["never_reached"] if q.level in ("", "state", "region") else None
    tables = {"units": units, "weak": weak_table(weak_page, open_items, booth_link)}
    if never_page is not None:
        tables["never_reached"] = never_reached_table(never_page, booth_link)
    bars = charts.bar_chart(
        [(row.extra.get("label") or row.name, [row.extra["health"].strong, row.extra["health"].competitive,
          row.extra["health"].weak], row.extra["health"].booths_asked) for row in rows[:40]],
        [charts.Series(_("Strong"), [], "s-reached"), charts.Series(_("Competitive"), [], "s-logged"),
         charts.Series(_("Weak"), [], "s-missed")],
        _("The party's standing as booth presidents reported it"),
    )  # fmt: skip
    return Page(
        tables,
        {"by": by, "totals": totals, "weak_page": weak_page, "never_page": never_page, "never_total": never_total,
         "bar_chart": bars},
    )  # fmt: skip


def needs_page(q: DashboardQuery) -> Page:
    by = q.by or figures.default_by(q)
    if by == "booth":
        by = "mandal"
    if q.level in ("mandal", "booth"):
        by = ""
    rows = needs.needs_rows(q, by) if by else []
    totals = needs.needs_totals(q)
    follow_up_link = _follow_up_page
    ages = needs.open_ages(q)
    tables = {
        "units": needs_table(rows, by or "district", _drill("dashboard_needs", q, by), totals) if by else None,
        "ages": ages_table(ages),
    }
    items = needs.open_items(q)
    if q.format:
        tables["open"] = open_items_table(items, follow_up_link)
        return Page({name: table for name, table in tables.items() if table is not None})
    page = _paginate(items, q, count=ages["open_total"])
    tables["open"] = open_items_table(page, follow_up_link)
    by_category = [(label, totals[code]) for code, label in FollowUp.CATEGORY_CHOICES]
    bars = charts.bar_chart(
        [(str(label), [count], max(totals["total"], 1)) for label, count in by_category],
        [charts.Series(_("Share of the needs raised"), [], "s-logged")],
        _("Needs raised, by what they are about"),
    )
    return Page(
        {name: table for name, table in tables.items() if table is not None},
        {"by": by, "totals": totals, "open_page": page, "bar_chart": bars},
    )


def roster_page(q: DashboardQuery) -> Page:
    if q.level in ("mandal", "booth"):
        raise BadQuery([_("Roster health is counted by district: choose a district, region or state.")])
    by = q.by or ("district" if q.level in ("region", "district") else figures.default_by(q))
    if by == "mandal":
        by = "district"
    rows = roster.roster_rows(q, by)
    totals, counted_at = roster.roster_totals(q)
    table = roster_table(rows, by, _drill("dashboard_roster_health", q, by), totals)
    return Page({"units": table}, {"by": by, "totals": totals, "counted_at": counted_at})


def _with_query(url: str, q: DashboardQuery) -> str:
    params = q.params()
    return f"{url}?{params}" if params else url


def seats_page(q: DashboardQuery) -> Page:
    """The Lok Sabha seats in view, each linking to its assembly seats."""
    rows = [seats.SeatRow(seat) for seat in seats.lok_sabha_seats(q).order_by("state__name", "number")]
    counted = seats.seat_figures(q, "lok_sabha")
    for row in rows:
        row.figures = counted.get(row.seat.pk, row.figures)
    extras = seats.seat_extras(q)
    extra = seats.seat_extra_columns(q, "lok_sabha", [row.seat.pk for row in rows], extras)

    def link(row: seats.SeatRow) -> str:
        return _with_query(reverse("dashboard_seat", args=[row.seat.pk]), q)

    table = seats.seats_table(rows, "lok_sabha", link, extra)
    # Last time below the target: a positive gap (the seats are the page's rows, already read).
    below = sum(1 for row in rows if (gap := seats.gap(cast(LokSabhaSeat, row.seat))) is not None and gap > 0)
    return Page({"seats": table}, {"seats_below_target": below, "seats_total": len(rows), "extras": extras})


def seat_page(q: DashboardQuery, *, pk: int) -> Page:
    """One Lok Sabha seat in view: its target and last result, and its assembly seats."""
    seat = dashboard_seat_get(scope=q.scope, pk=pk)
    rows = [seats.SeatRow(assembly) for assembly in seats.assembly_seats(q, seat).order_by("number")]
    counted = seats.seat_figures(q, "assembly", lok_sabha_seat=seat)
    for row in rows:
        row.figures = counted.get(row.seat.pk, row.figures)
    extras = seats.seat_extras(q)
    extra = seats.seat_extra_columns(q, "assembly", [row.seat.pk for row in rows], extras)
    table = seats.seats_table(rows, "assembly", _no_link, extra)
    seats_link = _with_query(reverse("dashboard_seats"), q)
    crumbs = [(_("Lok Sabha seats"), seats_link), (str(seat), "")]
    return Page({"assembly_seats": table}, {"seat": seat, "gap": seats.gap(seat), "crumbs": crumbs, "extras": extras},
                "dashboards/seat.html")  # fmt: skip


TIFFIN_HISTORY = 6  # past months shown beside the month asked for


def tiffin_page(q: DashboardQuery, month: datetime.date) -> Page:
    """Tiffin-meeting coverage by region or district in a month, and the share
    held in the months before."""
    if q.level in ("mandal", "booth"):
        raise BadQuery([_("Tiffin meetings are counted by district: choose a district, region or state.")])
    by = q.by or ("region" if q.level in ("", "state") and figures.default_by(q) in ("state", "region") else "district")
    unit_id = q.unit.pk if q.unit is not None else None
    coverage = tiffin_coverage(scope=q.scope, month=month, by=by, level=q.level, unit_id=unit_id,
                               history=TIFFIN_HISTORY)  # fmt: skip
    confirmed = tiffin_confirmations(scope=q.scope, month=month, by=by)
    rows = [
        Row(c.name, None, by, c.pk, {"region": c.region} if by == "district" else {},
            extra={"coverage": c, "history": [*c.history, (month, c.held_share)],
                   "confirmation": confirmed.get(c.pk, Confirmation(c.pk))})
        for c in coverage
    ]  # fmt: skip
    total = Coverage(0, "", "", sum(c.mandals for c in coverage), sum(c.planned for c in coverage),
                     sum(c.held for c in coverage), [])  # fmt: skip
    link = _planning(month) if by == "district" else _drill("dashboard_tiffin", q, by)
    months = [month_add(month, -n) for n in range(TIFFIN_HISTORY, -1, -1)]
    tables = {
        "units": tiffin_table(rows, by, link, total),
        "months": tiffin_months_table(rows, by, link, months),
        "confirmed": tiffin_confirmed_table(rows, by, link),
    }
    return Page(tables, {"by": by, "month": month, "totals": total, "month_key": f"{month:%Y-%m}",
                         "confirm_expected": f"{settings.TIFFIN_CONFIRM_EXPECTED:.0%}",
                         "min_answers": settings.CAMPAIGN_MIN_ANSWERS,
                         "previous": month_add(month, -1), "next": month_add(month, 1)},
                label=f"{month:%Y-%m}")  # fmt: skip


def _planning(month: datetime.date) -> Callable[[figures.Row], str]:
    """A district's row links to its planning page for the month."""

    def link(row: figures.Row) -> str:
        return f"{reverse('tiffin_district', args=[row.pk])}?month={month:%Y-%m}"

    return link
