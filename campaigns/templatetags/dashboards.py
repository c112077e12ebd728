import datetime
from typing import Any

from django import template
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from booths.phones import format_indian_mobile

from ..dashboards.query import DashboardQuery
from ..dashboards.tables import CHOICE_LABELS, Table
from ..models import NeedCategory

register = template.Library()
NEED_LABELS = dict(NeedCategory.choices)


@register.simple_tag
def query_with(q: DashboardQuery, **changes: object) -> str:
    """This page's query string with some parameters changed (empty value: dropped)."""
    return "?" + q.params(**{key: (value if value != "" else None) for key, value in changes.items()})


@register.simple_tag
def hidden_fields(q: DashboardQuery, *drop: str) -> str:
    """This page's query as hidden inputs, but for the parameters a form sets itself (`drop`)."""
    params = QueryDict(q.params(**dict.fromkeys(drop)))
    return format_html_join("", '<input type="hidden" name="{}" value="{}">', params.items())


@register.filter
def cell(value: Any, kind: str) -> str:
    """A table cell as the page shows it."""
    if value is None or value == "":
        return "—" if kind in ("pct", "vote", "gap", "date", "datetime") else ""
    if kind == "pct":
        return f"{round(value * 100)}%"
    if kind == "vote":
        return f"{value:.1f}%"
    if kind == "gap":
        return f"{value:+.1f}"
    if kind == "int":
        return indian_grouping(value)
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


def indian_grouping(value: int) -> str:
    """1630000 -> 16,30,000: thousands, then lakhs and crores (both languages group so,
    see `outreach/formats`); a table of thousands of numbers is drawn faster than
    through the localised formatter."""
    if not isinstance(value, int) or value < 0:
        return number_format(value, force_grouping=True)
    digits = str(value)
    if len(digits) <= 3:
        return digits
    head, tail = digits[:-3], digits[-3:]
    pairs: list[str] = []
    while len(head) > 2:
        pairs.insert(0, head[-2:])
        head = head[:-2]
    return ",".join([head, *pairs, tail]) if head else ",".join([*pairs, tail])


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


@register.filter
def share_of(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


@register.simple_tag
def figures_table(table: Table, display: list, q: DashboardQuery, sortable: bool = False, sort: str = "") -> str:
    """A dashboard table as HTML, built here rather than by template loops: a year
    of days is 365 rows of eight cells, which the template engine takes ~100 ms to draw."""
    head = []
    for column in table.columns:
        label: str = escape(str(column.label))
        if sortable and column.sort:
            target = f"-{column.key}" if sort == column.key else column.key
            arrow = " ▲" if sort == column.key else " ▼" if sort == f"-{column.key}" else ""
            label = f'<a href="{escape(query_with(q, sort=target, page=""))}">{label}{arrow}</a>'
        head.append(f'<th scope="col"{NUM if column.numeric else ""}>{label}</th>')
    body = []
    for cells, link in display:
        row = []
        for value, column in cells:
            text: str = escape(cell(value, column.kind))
            if column.link and link:
                text = f'<a href="{escape(link)}">{text}</a>'
            row.append(f"<td{NUM if column.numeric else ''}>{text}</td>")
        body.append(f"<tr>{''.join(row)}</tr>")
    if not body:
        body.append(
            f'<tr><td colspan="{len(table.columns)}" class="muted">{escape(_("Nothing in this period."))}</td></tr>'
        )
    foot = ""
    if table.total:
        cells = []
        for n, (value, column) in enumerate(table.display_total()):
            if n == 0:
                cells.append(f'<th scope="row">{escape(_("Total"))}</th>')
            else:
                cells.append(
                    "<td></td>" if value is None else f'<td class="num">{escape(cell(value, column.kind))}</td>'
                )
        foot = f"<tfoot><tr>{''.join(cells)}</tr></tfoot>"
    html = (
        f'<div class="table-wrap"><table class="figures" id="table-{escape(table.name)}">'
        f"<caption>{escape(str(table.title))}</caption><thead><tr>{''.join(head)}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody>{foot}</table></div>"
    )
    return mark_safe(html)  # noqa: S308 - every value escaped above


NUM = ' class="num"'
