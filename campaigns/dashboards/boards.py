"""Each dashboard and the tables it shows, in one place for all who read them:
the pages, their downloads (`format=csv|xlsx`) and the API."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial

from django.http import QueryDict
from django.utils.translation import gettext as _

from booths.models import User
from booths.phones import sees_full_phones

from ..access import dashboard_scope_get
from ..models import CallAssignment
from ..tiffin import month_first, month_parse
from . import pages
from .query import DashboardQuery, dashboard_query

UNIT_BY = ["state", "region", "district", "mandal"]


def _month_error(value: str) -> str | None:
    if month_parse(value) is None:
        return _("month=%(value)s: write the month as YYYY-MM, e.g. month=2025-03.") % {"value": value}
    return None


def _tiffin_page(q: DashboardQuery) -> pages.Page:
    month = month_parse(q.extra.get("month")) or month_first(q.today)
    return pages.tiffin_page(q, month)


# The seats' campaign (`campaign=<id>`, a 404 outside the scope) and tiffin month (`month=YYYY-MM`).
SEAT_EXTRA = {"campaign": [], "month": _month_error}


@dataclass(frozen=True)
class Board:
    build: Callable[[DashboardQuery], pages.Page]
    tables: list[str]  # the first is what a download gives without table=
    by: list[str]
    extra: dict[str, list[str] | Callable[[str], str | None]]


def _board(build: Callable, tables: list[str], by: Sequence[str] = (), extra: dict | None = None) -> Board:
    return Board(build, list(tables), list(by), dict(extra or {}))


BOARDS: dict[str, Board] = {
    "overview": _board(pages.overview_page, ["rows", "trend", "calls"], [*UNIT_BY, "booth", "caller"]),
    "calls": _board(
        pages.calls_page,
        ["calls"],
        extra={
            "caller": [],  # any id: the calls are those of the scope anyway
            "status": CallAssignment.Status.values,
            "outcome": CallAssignment.Outcome.values,
        },
    ),
    "callers": _board(pages.callers_page, ["callers", "districts", "regions"]),
    "booth-health": _board(
        pages.booth_health_page, ["units", "weak", "never_reached"], ["region", "district", "mandal", "booth"]
    ),
    "needs": _board(pages.needs_page, ["units", "open", "ages"], ["region", "district", "mandal"]),
    "roster-health": _board(pages.roster_page, ["units"], ["region", "district"]),
    "seats": _board(pages.seats_page, ["seats"], extra=SEAT_EXTRA),
    "tiffin": _board(_tiffin_page, ["units", "months", "confirmed"], ["region", "district"], {"month": _month_error}),
}


def table_name(board: Board, page: pages.Page, asked: str = "") -> str:
    """The table a download gives: the one asked for (`table=`), else the first of
    the board's tables the page has for the unit shown (a booth's overview has only
    its calls, a mandal's needs no table by unit)."""
    return asked or next((name for name in board.tables if name in page.tables), board.tables[0])


def seat_board(pk: int) -> Board:
    return _board(partial(pages.seat_page, pk=pk), ["assembly_seats"], extra=SEAT_EXTRA)


def board_page(
    user: User, board: Board, params: QueryDict, *, export: bool = False
) -> tuple[DashboardQuery, pages.Page]:
    """A dashboard as `user` may see it: their scope (404 without one), the query
    checked (BadQuery says what is wrong), phone numbers masked for those who may
    not see them whole. `export`: the tables whole, as a download has them."""
    scope = dashboard_scope_get(user)
    q = dashboard_query(params, scope=scope, by_choices=board.by, extra={"table": board.tables, **board.extra})
    if export and not q.format:
        q = replace(q, format="json")
    page = board.build(q)
    if not sees_full_phones(user):
        for table in page.tables.values():
            table.mask_phones()
    return q, page
