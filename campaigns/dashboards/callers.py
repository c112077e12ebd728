"""Accountability: how each caller did with the calls they were given, and how
districts and regions compare."""

from typing import Any

from django.db.models import Count, F, FloatField, OuterRef, Subquery, Window
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Cast

from booths.models import Person

from ..models import CallerDayStats
from .figures import Row, caller_figures, caller_rows, unit_rows
from .query import DashboardQuery

SORTS = ["name", "assigned", "logged", "reached", "missed", "logged_share", "reach_rate", "streak", "last_logged_at"]
DEFAULT_SORT = "logged_share"  # the callers who log the fewest of their calls first


FACTS = ("streak", "last_logged_at")


def callers(q: DashboardQuery, *, facts: bool = True) -> list[Row]:
    """Each caller with calls into the unit shown in the period, sorted as asked, with
    their current streak and last logged call (whatever the period): for all of them
    when asked (`facts`) or when they decide the order, else for none (a page of
    rows gets them with `attach_facts`: a state has thousands of callers)."""
    rows = caller_rows(q)
    sort = q.sort or DEFAULT_SORT
    if facts or sort.lstrip("-") in FACTS:
        attach_facts(rows, q)
    return sort_rows(rows, sort, SORTS)


# The orders the database can give itself, over the sums (the rest need every name or streak).
_SQL_ORDERS: dict[str, F | CombinedExpression] = {
    "assigned": F("assigned"),
    "logged": F("logged"),
    "reached": F("reached"),
    "missed": F("missed"),
    "open": F("assigned") - F("logged") - F("missed"),
    "logged_share": Cast(F("logged"), FloatField()) / Cast(F("assigned"), FloatField()),
    "reach_rate": Cast(F("reached"), FloatField()) / Cast(F("assigned"), FloatField()),
}


def callers_page_rows(q: DashboardQuery, number: int, per_page: int) -> tuple[list[Row], int] | None:
    """One page of callers sorted by a figure, sorted and cut in the database (a state
    has thousands of callers); None for an order that needs them all (name, streak)."""
    sort = q.sort or DEFAULT_SORT
    key = sort.lstrip("-")
    if key not in _SQL_ORDERS:
        return None
    order = _SQL_ORDERS[key].desc() if sort.startswith("-") else _SQL_ORDERS[key].asc()
    figures = caller_figures(q).annotate(callers=Window(Count("*")))  # the number of callers, on every row
    start = (number - 1) * per_page
    found = list(figures.order_by(order, "caller_id")[start : start + per_page])
    if not found and number > 1:
        return callers_page_rows(q, 1, per_page)
    total = found[0]["callers"] if found else 0
    rows = caller_rows(q, found)
    attach_facts(rows, q)
    return rows, total


def attach_facts(rows: list[Row], q: DashboardQuery) -> None:
    missing = [row for row in rows if "streak" not in row.extra]
    if missing:
        facts = _current_facts([row.pk for row in missing if row.pk is not None], q)  # an IN () drops NULLs anyway
        for row in missing:
            row.extra.update(facts.get(row.pk, {"streak": 0, "last_logged_at": None}))


def _current_facts(person_ids: list[int], q: DashboardQuery) -> dict[int | None, dict]:
    """Streak as of today (today counts once every call of today is logged) and
    the last logged call, in one query."""
    mine = CallerDayStats.objects.filter(caller_id=OuterRef("pk"))
    before = mine.filter(day__lt=q.today).order_by("-day").values("streak")[:1]
    today = mine.filter(day=q.today).order_by().values("streak")[:1]
    last = mine.filter(last_logged_at__isnull=False).order_by("-day", "-last_logged_at").values("last_logged_at")[:1]
    facts: dict[int | None, dict] = {}
    for pk, streak_before, streak_today, last_logged_at in (
        Person.objects.filter(pk__in=person_ids)
        .annotate(streak_before=Subquery(before), streak_today=Subquery(today), last_logged_at=Subquery(last))
        .values_list("pk", "streak_before", "streak_today", "last_logged_at")
    ):
        facts[pk] = {"streak": streak_today or streak_before or 0, "last_logged_at": last_logged_at}
    return facts


def sort_rows(rows: list[Row], sort: str, allowed: list[str]) -> list[Row]:
    """Rows sorted by a column (`-column`: largest first); empty values last."""
    key = sort.lstrip("-")
    if key not in allowed:
        key, sort = allowed[0], allowed[0]
    descending = sort.startswith("-")

    def value(row: Row) -> Any:
        if key == "name":
            return row.name
        if key in ("logged_share", "reach_rate", "assigned", "logged", "reached", "missed", "open"):
            return getattr(row.figures, key)
        return row.extra.get(key)

    present = [row for row in rows if value(row) is not None]
    missing = [row for row in rows if value(row) is None]
    return sorted(present, key=value, reverse=descending) + missing


def compared(q: DashboardQuery, level: str) -> list[Row]:
    """Districts (or regions) side by side: how their callers did with their calls."""
    return unit_rows(q, level)
