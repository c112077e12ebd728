"""The leadership dashboards: thin views over `pages.py`. Every page takes the
same query string (period, unit, grouping, sort, page) and downloads any of its
tables with `format=csv` or `format=xlsx` (and `table=` for a page's other tables)."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from booths.phones import sees_full_phones
from outreach.types import AuthedRequest

from ..access import campaign_get_for_viewer, dashboard_scope_get
from ..verification.selectors import campaigns_for_scope
from . import campaign_pages, pages
from .boards import BOARDS, Board, board_page, seat_board, table_name
from .exports import table_response
from .query import PERIODS, BadQuery, DashboardFilterForm, dashboard_query

TABS = [
    ("dashboard", gettext_lazy("Overview")),
    ("dashboard_callers", gettext_lazy("Callers")),
    ("dashboard_booth_health", gettext_lazy("Booth health")),
    ("dashboard_needs", gettext_lazy("Needs")),
    ("dashboard_roster_health", gettext_lazy("Roster health")),
    ("dashboard_campaigns", gettext_lazy("Campaigns")),
    ("dashboard_seats", gettext_lazy("Seats")),
    ("dashboard_tiffin", gettext_lazy("Tiffin meetings")),
]


def _dashboard(request: AuthedRequest, view: str, board: Board, template: str) -> HttpResponse:
    try:
        q, page = board_page(request.user, board, request.GET)
    except BadQuery as exc:
        if request.GET.get("format"):
            return HttpResponse("\n".join(exc.errors) + "\n", status=400, content_type="text/plain; charset=utf-8")
        context: dict[str, Any] = {"errors": exc.errors, "view": view, "tabs": TABS, "active": "dashboard"}
        return render(request, "dashboards/bad_query.html", context, status=400)
    if q.format:
        table = page.tables.get(table_name(board, page, q.table))
        if table is None:
            message = _("table=%(table)s is not on this page for what it shows.") % {"table": q.table}
            return HttpResponse(message + "\n", status=400, content_type="text/plain; charset=utf-8")
        period = page.label or f"{q.period.start:%Y-%m-%d}_{q.period.end:%Y-%m-%d}"
        name = "-".join(part for part in ("booth-samvad", view.replace("_", "-"), q.by, table.name, period) if part)
        return table_response(table, filename=name, output=q.format)
    context = {
        "q": q,
        "view": view,
        "tabs": TABS,
        "tables": page.tables,
        "crumbs": pages.crumbs(view, q),
        "form": DashboardFilterForm(initial={"period": q.period.key, "from": q.period.start, "to": q.period.end}),
        "periods": PERIODS,
        "page_query": q.params(),
        "active": "dashboard",
        "full_phones": sees_full_phones(request.user),
        **page.context,
    }
    return render(request, page.template or template, context)


@login_required
def overview(request: AuthedRequest) -> HttpResponse:
    return _dashboard(request, "dashboard", BOARDS["overview"], "dashboards/overview.html")


@login_required
def calls(request: AuthedRequest) -> HttpResponse:
    return _dashboard(request, "dashboard_calls", BOARDS["calls"], "dashboards/calls.html")


@login_required
def callers(request: AuthedRequest) -> HttpResponse:
    return _dashboard(request, "dashboard_callers", BOARDS["callers"], "dashboards/callers.html")


@login_required
def booth_health(request: AuthedRequest) -> HttpResponse:
    return _dashboard(request, "dashboard_booth_health", BOARDS["booth-health"], "dashboards/booth_health.html")


@login_required
def needs(request: AuthedRequest) -> HttpResponse:
    return _dashboard(request, "dashboard_needs", BOARDS["needs"], "dashboards/needs.html")


@login_required
def roster_health(request: AuthedRequest) -> HttpResponse:
    return _dashboard(request, "dashboard_roster_health", BOARDS["roster-health"], "dashboards/roster_health.html")


@login_required
def campaigns(request: AuthedRequest) -> HttpResponse:
    """The campaigns running in the viewer's territory."""
    scope = dashboard_scope_get(request.user)
    context = {"campaigns": campaigns_for_scope(scope), "tabs": TABS, "view": "dashboard_campaigns",
               "active": "dashboard", "today": timezone.localdate()}  # fmt: skip
    return render(request, "dashboards/campaigns.html", context)


@login_required
def campaign(request: AuthedRequest, pk: int) -> HttpResponse:
    """Reported vs verified for a campaign, by district or mandal, with the answers behind them."""
    campaign, scope = campaign_get_for_viewer(user=request.user, pk=pk)
    try:
        q = dashboard_query(request.GET, scope=scope, by_choices=["district", "mandal"],
                            extra={"table": ["units", "answers"]})  # fmt: skip
        if q.level == "booth":
            raise BadQuery([_("A campaign's figures go down to a mandal: choose a district or a mandal.")])
        page = campaign_pages.campaign_page(campaign, scope, q)
    except BadQuery as exc:
        if request.GET.get("format"):
            return HttpResponse("\n".join(exc.errors) + "\n", status=400, content_type="text/plain; charset=utf-8")
        context: dict[str, Any] = {
            "errors": exc.errors,
            "view": "dashboard_campaigns",
            "tabs": TABS,
            "active": "dashboard",
        }
        return render(request, "dashboards/bad_query.html", context, status=400)
    tables = page["tables"]
    if q.format:
        table = tables.get(q.table or "units")
        if table is None:
            message = _("table=%(table)s is not on this page for what it shows.") % {"table": q.table}
            return HttpResponse(message + "\n", status=400, content_type="text/plain; charset=utf-8")
        name = "-".join(part for part in ("booth-samvad-campaign", str(campaign.pk), page["by"], table.name) if part)
        return table_response(table, filename=name, output=q.format)
    crumbs = campaign_pages.crumbs(campaign, q)
    context = {
        **page,
        "q": q,
        "tabs": TABS,
        "view": "dashboard_campaigns",
        "active": "dashboard",
        "crumbs": crumbs,
    }
    return render(request, "dashboards/campaign.html", context)


@login_required
def seats(request: AuthedRequest) -> HttpResponse:
    return _dashboard(request, "dashboard_seats", BOARDS["seats"], "dashboards/seats.html")


@login_required
def seat(request: AuthedRequest, pk: int) -> HttpResponse:
    return _dashboard(request, "dashboard_seats", seat_board(pk), "dashboards/seat.html")


@login_required
def tiffin(request: AuthedRequest) -> HttpResponse:
    """Tiffin-meeting coverage of a month (`month=YYYY-MM`, this month by default)."""
    return _dashboard(request, "dashboard_tiffin", BOARDS["tiffin"], "dashboards/tiffin.html")
