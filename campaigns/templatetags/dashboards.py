import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format, number_format

from booths.phones import format_indian_mobile

from ..dashboards.query import DashboardQuery
from ..dashboards.tables import CHOICE_LABELS
from ..models import NeedCategory

register = template.Library()
NEED_LABELS = dict(NeedCategory.choices)


@register.simple_tag
def query_with(q: DashboardQuery, **changes: object) -> str:
    """This page's query string with some parameters changed (empty value: dropped)."""
    return "?" + q.params(**{key: (value if value != "" else None) for key, value in changes.items()})


@register.filter
def cell(value: object, kind: str) -> str:
    """A table cell as the page shows it."""
    if value is None or value == "":
        return "—" if kind in ("pct", "date", "datetime") else ""
    if kind == "pct":
        return f"{round(value * 100)}%"
    if kind == "int":
        return number_format(value, force_grouping=True)
    if kind == "datetime" and isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "j M, H:i")
    if kind == "date" and isinstance(value, datetime.date):
        return date_format(value, "j M Y")
    if kind == "phone":
        return format_indian_mobile(value)
    if kind == "needs":
        return ", ".join(str(NEED_LABELS.get(code, code)) for code in str(value).split(";") if code)
    if kind in CHOICE_LABELS:
        return str(CHOICE_LABELS[kind].get(value, value))
    return str(value)


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


@register.filter
def share_of(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"
