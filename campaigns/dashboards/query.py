"""What a dashboard page is asked for: a period, a unit of the map, a grouping,
a sort, a page of rows, an export format. Read from the query string and
checked once here for every page and export."""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..access import Scope, dashboard_unit_get

LEVELS = ["state", "region", "district", "mandal", "booth"]
PERIODS = [
    ("today", gettext_lazy("Today")),
    ("yesterday", gettext_lazy("Yesterday")),
    ("7d", gettext_lazy("Last 7 days")),
    ("30d", gettext_lazy("Last 30 days")),
    ("month", gettext_lazy("This month")),
    ("custom", gettext_lazy("Custom")),
]
DEFAULT_PERIOD = "30d"
MAX_DAYS = 731  # two years: every figure of a longer range is the sum of shorter ones
FORMATS = ["csv", "xlsx"]


class BadQuery(Exception):
    """The query string asks for something that cannot be shown; `errors` says what."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Period:
    key: str
    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> list[datetime.date]:
        return [self.start + datetime.timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    @property
    def label(self) -> str:
        return str(dict(PERIODS).get(self.key, ""))

    def runs_to(self, day: datetime.date) -> bool:
        return self.end >= day


def period_for(key: str, today: datetime.date) -> Period:
    if key == "today":
        return Period(key, today, today)
    if key == "yesterday":
        yesterday = today - datetime.timedelta(days=1)
        return Period(key, yesterday, yesterday)
    if key == "7d":
        return Period(key, today - datetime.timedelta(days=6), today)
    if key == "month":
        return Period(key, today.replace(day=1), today)
    return Period("30d", today - datetime.timedelta(days=29), today)


class DashboardFilterForm(forms.Form):
    period = forms.ChoiceField(label=gettext_lazy("Period"), choices=PERIODS, required=False)
    to = forms.DateField(label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: the field is added by name.
        self.fields["from"] = forms.DateField(
            label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
        )
        self.order_fields(["period", "from", "to"])


@dataclass(frozen=True)
class DashboardQuery:
    scope: Scope
    period: Period
    today: datetime.date
    level: str = ""  # the unit looked at: "" (the whole scope) or one of LEVELS
    # The unit looked at: a State, Region, District, Mandal or Booth, walked up by the
    # pages through whichever parent each has; present whenever `level` is set.
    unit: Any = None
    by: str = ""
    sort: str = ""
    page: int = 1
    format: str = ""
    table: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def params(self, **changes: object) -> str:
        """The query string of this query with some parameters changed (None drops one)."""
        values: dict[str, object] = {}
        if self.period.key == "custom":
            values["from"], values["to"] = self.period.start.isoformat(), self.period.end.isoformat()
        elif self.period.key != DEFAULT_PERIOD:
            values["period"] = self.period.key
        if self.unit is not None:
            values[self.level] = self.unit.pk
        values.update({"by": self.by, "sort": self.sort, **self.extra})
        values.update(changes)
        query = QueryDict(mutable=True)
        for key, value in values.items():
            if value not in (None, ""):
                query[key] = str(value)
        return query.urlencode()

    def at(self, level: str, unit: Any) -> "DashboardQuery":
        return replace(self, level=level if unit is not None else "", unit=unit, by="", sort="")


def dashboard_query(
    params: QueryDict,
    *,
    scope: Scope,
    by_choices: Sequence[str] = (),
    extra: dict[str, list[str] | Callable[[str], str | None]] | None = None,
    today: datetime.date | None = None,
) -> DashboardQuery:
    """Read and check a dashboard query string; BadQuery says what is wrong.
    A unit outside the scope is a 404 (from `dashboard_unit_get`)."""
    today = today or timezone.localdate()
    errors: list[Any] = []  # messages: text, lazy text or a form's errors
    form = DashboardFilterForm(params)
    form.is_valid()
    for name, messages in form.errors.items():
        label = name if name != "__all__" else ""
        errors += [f"{label}: {message}" if label else message for message in messages]
    data = form.cleaned_data
    start, end = data.get("from"), data.get("to")
    if params.get("from") or params.get("to"):
        if not (start and end):
            if not errors:
                errors.append(_("Give both dates of a custom period: from=YYYY-MM-DD&to=YYYY-MM-DD."))
            period = period_for(DEFAULT_PERIOD, today)
        elif start > end:
            errors.append(_("The period starts (%(start)s) after it ends (%(end)s).") % {"start": start, "end": end})
            period = period_for(DEFAULT_PERIOD, today)
        elif (end - start).days >= MAX_DAYS:
            errors.append(_("A period can be at most %(days)s days long.") % {"days": MAX_DAYS})
            period = period_for(DEFAULT_PERIOD, today)
        else:
            period = Period("custom", start, end)
    else:
        period = period_for(data.get("period") or DEFAULT_PERIOD, today)

    level, unit = "", None
    for name in reversed(LEVELS):
        raw = params.get(name)
        if raw in (None, ""):
            continue
        if not raw.isdigit():
            errors.append(_("%(name)s=%(value)s is not a number.") % {"name": name, "value": raw})
            break
        if not errors:
            unit = dashboard_unit_get(scope=scope, level=name, pk=int(raw))
            level = name
        break

    by = params.get("by", "")
    if by and not by_choices:
        errors.append(
            _("by=%(value)s: this page is not grouped by a unit; its other tables come with table=.") % {"value": by}
        )
    elif by and by not in by_choices:
        errors.append(_("by=%(value)s is not one of %(choices)s.") % {"value": by, "choices": ", ".join(by_choices)})
    elif by in LEVELS and level and LEVELS.index(by) <= LEVELS.index(level):
        errors.append(_("by=%(by)s is not below the %(level)s shown.") % {"by": by, "level": level})
    output = params.get("format", "")
    if output and output not in FORMATS:
        errors.append(_("format=%(value)s: write format=csv or format=xlsx.") % {"value": output})
    page = params.get("page", "1")
    if not page.isdigit() or int(page) < 1:
        errors.append(_("page=%(value)s is not a page number.") % {"value": page})
        page = "1"
    chosen: dict[str, str] = {}
    for name, allowed in (extra or {}).items():
        value = params.get(name, "")
        if value and callable(allowed):  # a check of its own: says what is wrong, or None
            error = allowed(value)
            if error:
                errors.append(error)
            else:
                chosen[name] = value
        elif value and not allowed and not value.isdigit():
            errors.append(_("%(name)s=%(value)s is not a number.") % {"name": name, "value": value})
        elif value and allowed and value not in cast(list[str], allowed):  # not a check: callable() above
            errors.append(
                _("%(name)s=%(value)s is not one of %(choices)s.")
                % {"name": name, "value": value, "choices": ", ".join(cast(list[str], allowed))}
            )
        elif value:
            chosen[name] = value
    if errors:
        raise BadQuery(errors)
    return DashboardQuery(
        scope=scope,
        period=period,
        today=today,
        level=level,
        unit=unit,
        by=by,
        sort=params.get("sort", "")[:40],
        page=int(page),
        format=output,
        table=chosen.pop("table", ""),
        extra=chosen,
    )
