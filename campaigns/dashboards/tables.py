"""The tables of the dashboard pages, column by column: the page shows them and
their exports write them, so a download always equals what the page shows.

A column's `key` is its header in CSV and XLSX (names scripts rely on); its
`label` is what the page shows, in the reader's language.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from booths.models import Post
from booths.phones import mask_mobile
from outreach.types import Text

from ..models import Answer, CallAssignment, CallLog, FollowUp
from ..verification.stats import CONSISTENT, FLAG_LABELS, UNDER
from .booth_health import HEALTH_FIELDS, Health
from .figures import Figures, Row
from .needs import AGES, CATEGORIES, STATUSES

if TYPE_CHECKING:
    from ..tiffin import Coverage

Link = Callable[[Row], str | None]
MASKED = {"president_phone"}  # columns shown as 98••••3210 to readers without view_full_phone


@dataclass(frozen=True)
class Column:
    key: str
    label: Text
    kind: str = "int"  # text, int, pct (a share 0..1), vote (a vote share 0..100), gap (points), date, datetime, phone
    link: bool = False  # the column that carries the row's link
    sort: bool = False  # the page can sort by it

    @property
    def numeric(self) -> bool:
        return self.kind in ("int", "pct", "vote", "gap")


@dataclass
class Table:
    name: str
    title: Text
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    links: list[str | None] = field(default_factory=list)
    total: list | None = None  # a totals row, when the rows add up

    def display(self, pairs: Iterable[tuple[list, str | None]] | None = None) -> list[tuple[list, str | None]]:
        """Rows for a page: each a list of (value, column) and the row's link."""
        if pairs is None:
            pairs = zip(self.rows, self.links or [None] * len(self.rows), strict=True)
        return [(list(zip(values, self.columns, strict=True)), link) for values, link in pairs]

    def mask_phones(self) -> None:
        """Booth presidents' mobiles as 98••••3210, on the page and in its exports.
        Callers' stay whole: they are the office-bearers the reader leads, and the
        callers table is there to phone the ones who do not call."""
        phones = [i for i, column in enumerate(self.columns) if column.kind == "phone" and column.key in MASKED]
        if phones:
            for row in self.rows:
                for i in phones:
                    row[i] = mask_mobile(row[i])

    def display_total(self) -> list[tuple[object, Column]]:
        return list(zip(self.total or [], self.columns, strict=True))


LEVEL_LABELS = {
    "state": _("State"),
    "region": _("Region"),
    "district": _("District"),
    "mandal": _("Mandal"),
    "booth": _("Booth"),
}
FIGURE_COLUMNS = [
    Column("assigned", _("Assigned"), sort=True),
    Column("logged", _("Logged"), sort=True),
    Column("reached", _("Reached"), sort=True),
    Column("missed", _("Missed"), sort=True),
    Column("open", _("Not logged yet"), sort=True),
    Column("logged_share", _("Logged %"), "pct", sort=True),
    Column("reach_rate", _("Reach rate"), "pct", sort=True),
]
ROLE_LABELS = dict(Post.Role.choices)


def figure_values(figures: Figures) -> list:
    return [figures.assigned, figures.logged, figures.reached, figures.missed, figures.open,
            figures.logged_share, figures.reach_rate]  # fmt: skip


def _unit_columns(by: str) -> list[Column]:
    """The columns naming a unit of level `by`: its ancestors, then itself."""
    chain = {"state": [], "region": ["region"], "district": ["region", "district"],
             "mandal": ["region", "district", "mandal"]}[by]  # fmt: skip
    columns = [Column(level, LEVEL_LABELS[level], "text", link=level == by) for level in chain]
    return columns or [Column("state", LEVEL_LABELS["state"], "text", link=True)]


def _unit_values(row: Row, by: str) -> list:
    chain = {"state": ["state"], "region": ["region"], "district": ["region", "district"],
             "mandal": ["region", "district", "mandal"]}[by]  # fmt: skip
    return [row.name if level == by else row.parents.get(level, "") for level in chain]


def _state_column(by: str) -> list[Column]:
    # Region names repeat across states (a country's roster): the state says which.
    return [Column("state", LEVEL_LABELS["state"], "text")] if by in ("region", "district", "mandal") else []


def figures_table(name: str, title: Text, rows: list[Row], by: str, link: Link, total: Figures | None = None) -> Table:
    """Units of level `by`, callers or booths, with their call figures."""
    suffix: list[Column] = []
    if by == "caller":
        prefix = [
            Column("caller_name", _("Caller"), "text", link=True, sort=True),
            Column("caller_phone", _("Mobile"), "phone"),
            Column("caller_role", _("Role"), "role"),
        ]

        def name_values(row: Row) -> list:
            return [row.name, row.extra["phone"], row.extra["role"]]
    elif by == "booth":
        prefix = [Column("booth", _("Booth"), "text", link=True), Column("booth_name", _("Name"), "text")]

        def name_values(row: Row) -> list:
            return [row.extra["label"], row.name]
    else:
        prefix, suffix = _unit_columns(by), _state_column(by)

        def name_values(row: Row) -> list:
            return _unit_values(row, by)

    values = [
        [*name_values(row), *figure_values(row.calls), *([row.parents.get("state", "")] if suffix else [])]
        for row in rows
    ]
    table = Table(name, title, [*prefix, *FIGURE_COLUMNS, *suffix], values, [link(row) for row in rows])
    if total is not None:
        table.total = [None] * len(prefix) + figure_values(total) + [None] * len(suffix)
    return table


def trend_table(trend: list[tuple], title: Text) -> Table:
    columns = [Column("date", _("Day"), "date"), *FIGURE_COLUMNS]
    return Table("trend", title, columns, [[day, *figure_values(figures)] for day, figures in trend],
                 [None] * len(trend))  # fmt: skip


def callers_table(rows: list[Row], link: Link) -> Table:
    columns = [
        Column("caller_name", _("Caller"), "text", link=True, sort=True),
        Column("caller_phone", _("Mobile"), "phone"),
        Column("caller_role", _("Role"), "role"),
        *FIGURE_COLUMNS,
        Column("streak", _("Days in a row all logged"), sort=True),
        Column("last_logged_at", _("Last call logged"), "datetime", sort=True),
    ]
    values = [
        [row.name, row.extra["phone"], row.extra["role"], *figure_values(row.calls), row.extra.get("streak", 0),
         row.extra.get("last_logged_at")]
        for row in rows
    ]  # fmt: skip
    return Table("callers", _("Callers"), columns, values, [link(row) for row in rows])


def compared_table(name: str, title: Text, rows: list[Row], by: str, link: Link) -> Table:
    columns = [*_unit_columns(by), *FIGURE_COLUMNS]
    values = [[*_unit_values(row, by), *figure_values(row.calls)] for row in rows]
    return Table(name, title, columns, values, [link(row) for row in rows])


HEALTH_COLUMNS = [
    Column("booths_asked", _("Booths asked")),
    Column("strong", _("Strong")),
    Column("competitive", _("Competitive")),
    Column("weak", _("Weak")),
    Column("weak_share", _("Weak %"), "pct"),
    Column("all_well", _("Family all well")),
    Column("needs_attention", _("Needs attention")),
]


def health_values(health: Health) -> list:
    return [*(getattr(health, name) for name in HEALTH_FIELDS[:4]), health.share("weak"),
            *(getattr(health, name) for name in HEALTH_FIELDS[4:])]  # fmt: skip


def health_table(rows: list[Row], by: str, link: Link, total: Health | None = None) -> Table:
    if by == "booth":
        columns = [Column("booth", _("Booth"), "text", link=True), Column("booth_name", _("Name"), "text"),
                   Column("day", _("Latest report"), "date"), *HEALTH_COLUMNS]  # fmt: skip
        values = [[row.extra["label"], row.name, row.extra["log"].assignment.day, *health_values(row.extra["health"])]
                  for row in rows]  # fmt: skip
    else:
        columns = [*_unit_columns(by), *HEALTH_COLUMNS]
        values = [[*_unit_values(row, by), *health_values(row.extra["health"])] for row in rows]
    table = Table("units", _("Booth health"), columns, values, [link(row) for row in rows])
    if total is not None:
        table.total = [None] * (len(columns) - len(HEALTH_COLUMNS)) + health_values(total)
    return table


def weak_table(logs: Iterable[CallLog], open_items: dict[int, list[FollowUp]], link: Callable) -> Table:
    columns = [
        Column("date", _("Latest report"), "date"),
        Column("district", LEVEL_LABELS["district"], "text"),
        Column("mandal", LEVEL_LABELS["mandal"], "text"),
        Column("booth", _("Booth"), "text", link=True),
        Column("booth_name", _("Name"), "text"),
        Column("president_name", _("Booth president"), "text"),
        Column("caller_name", _("Caller"), "text"),
        Column("notes", _("Notes"), "text"),
        Column("open_needs", _("Open needs"), "needs"),
    ]
    table = Table("weak", _("Booths where the party is weak"), columns)
    for log in logs:
        booth = log.assignment.post.booth
        assert booth is not None  # a president's post
        needs = ";".join(item.category for item in open_items.get(booth.pk, []))  # codes; the page shows labels
        table.rows.append([log.assignment.day, booth.mandal.district.name, booth.mandal.name, booth.label, booth.name,
                           log.assignment.president.name, log.assignment.caller.name, log.notes, needs])  # fmt: skip
        table.links.append(link(booth))
    return table


def never_reached_table(posts: Iterable[Post], link: Callable) -> Table:
    columns = [
        Column("mandal", LEVEL_LABELS["mandal"], "text"),
        Column("booth", _("Booth"), "text", link=True),
        Column("booth_name", _("Name"), "text"),
        Column("president_name", _("Booth president"), "text"),
        Column("president_phone", _("Mobile"), "phone"),
    ]
    table = Table("never_reached", _("Presidents no call has reached yet"), columns)
    for post in posts:
        booth = post.booth
        assert booth is not None  # a president's post
        table.rows.append([booth.mandal.name, booth.label, booth.name, post.person.name, post.person.mobile])
        table.links.append(link(booth))
    return table


NEED_LABELS = dict(FollowUp.CATEGORY_CHOICES)
STATUS_LABELS = dict(FollowUp.Status.choices)


def needs_table(rows: list[Row], by: str, link: Link, totals: dict | None = None) -> Table:
    columns = [
        *_unit_columns(by),
        *(Column(category, NEED_LABELS[category]) for category in CATEGORIES),
        *(Column(status, STATUS_LABELS[status]) for status in STATUSES),
        Column("total", _("Total")),
    ]
    keys = [*CATEGORIES, *STATUSES, "total"]
    values = [[*_unit_values(row, by), *(row.extra["counts"][key] for key in keys)] for row in rows]
    table = Table("units", _("Needs raised in the period"), columns, values, [link(row) for row in rows])
    if totals is not None:
        table.total = [None] * len(_unit_columns(by)) + [totals[key] for key in keys]
    return table


def open_items_table(items: Iterable[FollowUp], link: Callable) -> Table:
    columns = [
        Column("raised_at", _("Raised"), "datetime"),
        Column("district", LEVEL_LABELS["district"], "text"),
        Column("mandal", LEVEL_LABELS["mandal"], "text"),
        Column("booth", _("Booth"), "text", link=True),
        Column("category", _("About"), "need"),
        Column("detail", _("Detail"), "text"),
        Column("status", _("Status"), "follow_up_status"),
        Column("assigned_to", _("Assigned to"), "text"),
    ]
    table = Table("open", _("Open follow-ups, oldest first"), columns)
    for item in items:
        table.rows.append([item.created_at, item.district.name, item.booth.mandal.name, item.booth.label,
                           item.category, item.detail, item.status,
                           item.assigned_to.name if item.assigned_to else ""])  # fmt: skip
        table.links.append(link(item))
    return table


def ages_table(ages: dict[str, int]) -> Table:
    labels = {"under_7_days": _("Under 7 days"), "7_to_30_days": _("7 to 30 days"), "over_30_days": _("Over 30 days")}
    columns = [Column(label, labels[label]) for label, _younger, _older in AGES] + [Column("open_total", _("Total"))]
    return Table("ages", _("How long open follow-ups have waited"), columns,
                 [[ages[column.key] for column in columns]], [None])  # fmt: skip


ROSTER_COLUMNS = [
    Column("booths", _("Active booths")),
    Column("vacant", _("Vacant")),
    Column("no_mobile", _("President without a mobile")),
    Column("shared", _("Number shared with another booth")),
    Column("do_not_call", _("Do not call")),
    Column("unreachable", _("Unreachable after 3 tries")),
    Column("wrong_number", _("Reported wrong number")),
    Column("not_president", _("Reported not the president")),
    Column("never_reached", _("President never reached")),
]


def roster_table(rows: list[Row], by: str, link: Link, totals: dict | None = None) -> Table:
    columns = [*_unit_columns(by), *ROSTER_COLUMNS]
    values = [[*_unit_values(row, by), *(row.extra["roster"][c.key] for c in ROSTER_COLUMNS)] for row in rows]
    table = Table("units", _("Roster health"), columns, values, [link(row) for row in rows])
    if totals is not None:
        table.total = [None] * len(_unit_columns(by)) + [totals[column.key] for column in ROSTER_COLUMNS]
    return table


# The columns of `export_calls` (a test keeps the two the same), with their labels.
CALL_COLUMNS = [
    Column("date", _("Day"), "date"),
    Column("caller_name", _("Caller"), "text"),
    Column("caller_phone", _("Mobile"), "phone"),
    Column("caller_role", _("Role"), "role"),
    Column("region", LEVEL_LABELS["region"], "text"),
    Column("district", LEVEL_LABELS["district"], "text"),
    Column("mandal", LEVEL_LABELS["mandal"], "text"),
    Column("assembly_no", _("Assembly seat"), "text"),
    Column("booth_no", _("Part"), "text"),
    Column("president_name", _("Booth president"), "text"),
    Column("president_phone", _("Mobile"), "phone"),
    Column("status", _("Status"), "status"),
    Column("outcome", _("Outcome"), "outcome"),
    Column("logged_at", _("Logged at"), "text"),
    Column("wellbeing", _("Family"), "wellbeing"),
    Column("standing", _("Standing"), "standing"),
    Column("needs", _("Needs"), "needs"),
    Column("notes", _("Notes"), "text"),
    Column("follow_up", _("Follow-up"), "text"),
]
CHOICE_LABELS = {
    "role": ROLE_LABELS,
    "status": dict(CallAssignment.Status.choices),
    "outcome": dict(CallAssignment.Outcome.choices),
    "wellbeing": dict(CallLog.Wellbeing.choices),
    "standing": dict(CallLog.Standing.choices),
    "flag": FLAG_LABELS,
    "answer": dict(Answer.choices),
    "need": NEED_LABELS,
    "follow_up_status": STATUS_LABELS,
}


TIFFIN_COLUMNS = [
    Column("mandals", _("Mandals")),
    Column("mandals_planned", _("Mandals with a meeting planned")),
    Column("mandals_held", _("Mandals that held one")),
    Column("held_pct", _("Held %"), "pct"),
]


def tiffin_table(rows: list[Row], by: str, link: Link, total: "Coverage | None" = None) -> Table:
    """Tiffin-meeting coverage of each region or district in a month."""
    columns = [*_unit_columns(by), *TIFFIN_COLUMNS]

    def figures(coverage: "Coverage") -> list:
        return [coverage.mandals, coverage.planned, coverage.held, coverage.held_share]

    values = [[*_unit_values(row, by), *figures(row.extra["coverage"])] for row in rows]
    table = Table("units", _("Tiffin meetings"), columns, values, [link(row) for row in rows])
    if total is not None:
        table.total = [None] * len(_unit_columns(by)) + figures(total)
    return table


def tiffin_months_table(rows: list[Row], by: str, link: Link, months: list) -> Table:
    """The share of each unit's mandals that held a meeting, month by month."""
    columns = [*_unit_columns(by)]
    columns += [Column(f"{month:%Y-%m}", date_format(month, "M Y"), "pct") for month in months]
    values = [[*_unit_values(row, by), *(share for _m, share in row.extra["history"])] for row in rows]
    return Table("months", _("Share of mandals that held a meeting, month by month"), columns, values,
                 [link(row) for row in rows])  # fmt: skip


CONFIRMED_COLUMNS = [
    Column("mandals_held", _("Mandals that held one")),
    Column("answers", _("Presidents asked")),
    Column("confirmed_pct", _("Confirmed"), "pct"),
    Column("confirmed_low", _("Confirmed, at least"), "pct"),
    Column("confirmed_high", _("Confirmed, at most"), "pct"),
    Column("flag", _("Verdict"), "flag"),
]


def tiffin_confirmed_table(rows: list[Row], by: str, link: Link) -> Table:
    """The meetings recorded held, as booth presidents confirm them in calls."""

    def figures(row: Row) -> list:
        verification = row.extra["confirmation"].verification
        low, high = verification.interval or (None, None)
        flag = verification.flag if verification.answers else ""
        if flag == UNDER:
            flag = CONSISTENT  # more presidents confirm than the share expected: nothing in doubt
        return [row.extra["coverage"].held, verification.answers, verification.verified, low, high, flag]

    values = [[*_unit_values(row, by), *figures(row)] for row in rows]
    return Table("confirmed", _("Meetings as booth presidents confirm them"), [*_unit_columns(by), *CONFIRMED_COLUMNS],
                 values, [link(row) for row in rows])  # fmt: skip
