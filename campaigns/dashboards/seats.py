"""Seats: the organisation read by Lok Sabha seat (and, under one, by assembly
seat) beside the seat's target vote share and last result.

Every figure counts only the booths within the viewer's scope (and the unit
shown, when the query names one); a seat is listed when any of its booths is
in scope. A page takes a constant number of queries whatever the number of
seats: the seats, then one GROUP BY each for the booths, the calls and the
standings.

- booths, booths_vacant, booths_reached: active booths; vacant without a current
  booth president (`Booth.objects.with_president_flag`, as roster health counts
  them); reached when some call has reached its current president (the rule of
  booth health's "never reached", `booth_health.president_reached`).
- calls_assigned, calls_logged: the period's assignments to the seat's booths.
- strong, competitive, weak: active booths by their latest report ever
  (`CallLog.latest_for_booth`), not only the period's: a seat's standing is what
  its booths last said.
- campaign_answers, campaign_verified_pct, _low, _high: the campaign chosen
  (`seat_extras`), verified side only: booths asked, each with its latest yes,
  partly or no (`latest_answer_counts`), and (yes + partly / 2) / asked with its
  95 % Wilson interval. No campaign in the scope: no such columns.
- tiffin_mandals, tiffin_mandals_held, tiffin_held_pct: mandals with an active
  booth of the seat, and of them those that held a tiffin meeting in the month.

The extra columns take one GROUP BY each (and one for the tiffin total), plus
the campaigns the viewer may choose from.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import TypeVar, cast

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from booths.models import AssemblySeat, Booth, LokSabhaSeat, Post

from ..access import Scope, campaign_get_for_scope, campaign_scope
from ..models import Answer, CallAssignment, CallLog, Campaign, CampaignAnswer
from ..tiffin import held_in, month_first, month_parse
from ..verification.selectors import campaigns_for_scope, latest_answer_counts
from ..verification.stats import Verification
from .booth_health import president_reached
from .figures import raw_assignments
from .query import DashboardQuery
from .tables import Column, Table

# The seat's or assembly seat's id, from a booth.
GROUPS = {"lok_sabha": "assembly_seat__lok_sabha_seat_id", "assembly": "assembly_seat_id"}
# From a booth to the unit a query may name.
_UNIT_PATH = {
    "state": "mandal__district__region__state_id",
    "region": "mandal__district__region_id",
    "district": "mandal__district_id",
    "mandal": "mandal_id",
    "booth": "id",
}


@dataclass
class SeatFigures:
    booths: int = 0
    booths_vacant: int = 0
    booths_reached: int = 0
    calls_assigned: int = 0
    calls_logged: int = 0
    strong: int = 0
    competitive: int = 0
    weak: int = 0

    @property
    def reached_pct(self) -> float | None:
        return self.booths_reached / self.booths if self.booths else None

    @property
    def logged_pct(self) -> float | None:
        return self.calls_logged / self.calls_assigned if self.calls_assigned else None

    def add(self, other: "SeatFigures") -> None:
        for name in (f.name for f in fields(self)):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class SeatRow:
    """A Lok Sabha seat (with its target and last result) or an assembly seat."""

    seat: LokSabhaSeat | AssemblySeat
    figures: SeatFigures = field(default_factory=SeatFigures)


_QS = TypeVar("_QS", bound=QuerySet)


def _in_view(queryset: _QS, q: DashboardQuery, booth: str = "") -> _QS:
    """Rows whose booth (reached through `booth`, a path ending in `__`) is within the
    scope and the unit shown."""
    queryset = q.scope.filter(queryset, f"{booth}mandal__district_id")
    if q.level:
        queryset = queryset.filter(**{booth + _UNIT_PATH[q.level]: q.unit.pk})
    return queryset


def _seats_in_view(seats: QuerySet, q: DashboardQuery, to_booth: str) -> QuerySet:
    if q.scope.everything and not q.level:
        return seats
    return seats.filter(Exists(_in_view(Booth.objects.filter(**{to_booth: OuterRef("pk")}), q)))


def lok_sabha_seats(q: DashboardQuery) -> QuerySet[LokSabhaSeat]:
    """The Lok Sabha seats with a booth in view (all of them, for the whole of everything)."""
    return _seats_in_view(LokSabhaSeat.objects.select_related("state"), q, "assembly_seat__lok_sabha_seat")


def assembly_seats(q: DashboardQuery, lok_sabha_seat: LokSabhaSeat) -> QuerySet[AssemblySeat]:
    return _seats_in_view(AssemblySeat.objects.filter(lok_sabha_seat=lok_sabha_seat), q, "assembly_seat")


def seat_figures(q: DashboardQuery, by: str, lok_sabha_seat: LokSabhaSeat | None = None) -> dict[int, SeatFigures]:
    """Each seat's figures (`by`: "lok_sabha" or "assembly"), in three queries."""
    group = GROUPS[by]
    booths = _in_view(Booth.objects.filter(is_active=True), q)
    calls = raw_assignments(q)
    reports = _in_view(CallLog.objects.filter(latest_for_booth=True, assignment__post__booth__is_active=True), q,
                       "assignment__post__booth__")  # fmt: skip
    if lok_sabha_seat is not None:
        booths = booths.filter(assembly_seat__lok_sabha_seat=lok_sabha_seat)
        calls = calls.filter(post__booth__assembly_seat__lok_sabha_seat=lok_sabha_seat)
        reports = reports.filter(assignment__post__booth__assembly_seat__lok_sabha_seat=lok_sabha_seat)
    reached = Post.objects.current().filter(role=Post.Role.BOOTH_PRESIDENT, booth=OuterRef("pk"))
    reached = reached.filter(president_reached())
    counted: dict[int, SeatFigures] = {}

    def figures_of(pk: int) -> SeatFigures:
        return counted.setdefault(pk, SeatFigures())

    booth_counts = (
        booths.with_president_flag()
        .annotate(president_reached=Exists(reached))
        .values(group)
        .annotate(
            n=Count("pk"),
            vacant=Count("pk", filter=Q(has_president=False)),
            reached=Count("pk", filter=Q(president_reached=True)),
        )
        .order_by()
    )
    for row in booth_counts:
        figures = figures_of(row[group])
        figures.booths, figures.booths_vacant, figures.booths_reached = row["n"], row["vacant"], row["reached"]
    call_counts = (
        calls.values(f"post__booth__{group}")
        .annotate(assigned=Count("pk"), logged=Count("pk", filter=Q(status=CallAssignment.Status.LOGGED)))
        .order_by()
    )
    for row in call_counts:
        figures = figures_of(row[f"post__booth__{group}"])
        figures.calls_assigned, figures.calls_logged = row["assigned"], row["logged"]
    standings = CallLog.Standing
    report_counts = (
        reports.values(f"assignment__post__booth__{group}")
        .annotate(**{standing: Count("pk", filter=Q(standing=standing)) for standing in standings.values})
        .order_by()
    )
    for row in report_counts:
        figures = figures_of(row[f"assignment__post__booth__{group}"])
        figures.strong, figures.competitive, figures.weak = (row[s] for s in standings.values)
    return counted


@dataclass
class ExtraColumn:
    """A column more on the seats' tables: its header and label, and each seat's value."""

    column: Column
    values: dict[int, object] = field(default_factory=dict)  # seat id -> value (missing: empty)
    total: object = None


@dataclass(frozen=True)
class SeatExtras:
    """What the extra columns count: a campaign's verification (`campaign` None:
    no campaign runs in the scope, no such columns), and the month's tiffin meetings.
    `campaigns` are those the viewer may choose from."""

    month: datetime.date
    campaign: Campaign | None = None
    campaign_scope: Scope | None = None  # the part of the campaign the viewer sees
    campaigns: list[Campaign] = field(default_factory=list)


def seat_extras(q: DashboardQuery) -> SeatExtras:
    """The campaign asked for (`campaign=`, a 404 outside the scope) or else the
    latest that runs today in the scope, else the latest; the month asked for
    (`month=YYYY-MM`, checked by the view) or this month."""
    month = month_parse(q.extra.get("month")) or month_first(q.today)
    campaigns = campaigns_for_scope(q.scope)
    campaign: Campaign | None
    seen: Scope | None
    if q.extra.get("campaign"):
        campaign, seen = campaign_get_for_scope(scope=q.scope, pk=int(q.extra["campaign"]))
        return SeatExtras(month, campaign, seen, campaigns)
    active = [campaign for campaign in campaigns if campaign.start <= q.today <= campaign.end]
    campaign = active[0] if active else campaigns[0] if campaigns else None
    seen = campaign_scope(campaign, q.scope) if campaign is not None else None
    return SeatExtras(month, campaign, seen, campaigns)


def seat_extra_columns(q: DashboardQuery, by: str, seat_ids: Iterable[int], extras: SeatExtras) -> list[ExtraColumn]:
    """The columns after `weak`: the campaign's verification and the month's
    tiffin coverage. Each counts the booths or mandals of the seats `seat_ids`
    (Lok Sabha seats, or assembly seats when `by` is "assembly") within the scope
    and the unit shown, like `seat_figures` (`_in_view` filters them), with one
    GROUP BY a column group, never a query a seat."""
    seat_ids = list(seat_ids)
    columns = campaign_columns(q, by, seat_ids, extras) if extras.campaign is not None else []
    return [*columns, *tiffin_columns(q, by, seat_ids, extras.month)]


def campaign_columns(q: DashboardQuery, by: str, seat_ids: list[int], extras: SeatExtras) -> list[ExtraColumn]:
    """The campaign's booth-level question, verified side only (units report by
    mandal or district, not by seat): booths asked, with each booth's latest
    answer, and the share verified with its 95 % interval. Booths in the campaign's
    districts and the viewer's, by the booth's district (where it is today)."""
    group = f"booth__{GROUPS[by]}"
    answers = CampaignAnswer.objects.filter(question__campaign=extras.campaign, question__position=1,
                                            **{f"{group}__in": seat_ids})  # fmt: skip
    seen = extras.campaign_scope
    assert seen is not None  # set with the campaign
    answers = _in_view(seen.filter(answers, "booth__mandal__district_id"), q, "booth__")
    counts: dict[int, dict[str, int]] = {pk: dict.fromkeys(Answer.values, 0) for pk in seat_ids}
    for pk, answer, n in latest_answer_counts(answers, group):
        counts[pk][answer] += n
    verifications = {pk: Verification(booths=0, booths_reported=None, yes=c[Answer.YES], partly=c[Answer.PARTLY],
                                      no=c[Answer.NO]) for pk, c in counts.items()}  # fmt: skip
    total = Verification(booths=0, booths_reported=None, **{
        answer: sum(c[answer] for c in counts.values()) for answer in (Answer.YES, Answer.PARTLY, Answer.NO)
    })  # fmt: skip

    def values(v: Verification) -> list:
        low, high = v.interval or (None, None)
        return [v.answers, v.verified, low, high]

    by_seat = {pk: values(v) for pk, v in verifications.items()}
    return [
        ExtraColumn(column, {pk: row[n] for pk, row in by_seat.items()}, values(total)[n])
        for n, column in enumerate(CAMPAIGN_COLUMNS)
    ]


def tiffin_columns(q: DashboardQuery, by: str, seat_ids: list[int], month: datetime.date) -> list[ExtraColumn]:
    """The mandals with an active booth in view in each seat, and of them those
    that held a tiffin meeting in `month`. A mandal may cross seats and counts in
    each: the totals count each mandal once, in a query of their own."""
    group = GROUPS[by]
    booths = _in_view(Booth.objects.filter(is_active=True, **{f"{group}__in": seat_ids}), q)
    counts = {
        "mandals": Count("mandal_id", distinct=True),
        "held": Count("mandal_id", distinct=True, filter=held_in(month, "mandal_id")),
    }
    rows = {row[group]: row for row in booths.values(group).annotate(**counts).order_by()}
    total = booths.aggregate(**counts)
    mandals = {pk: rows[pk]["mandals"] if pk in rows else 0 for pk in seat_ids}
    held = {pk: rows[pk]["held"] if pk in rows else 0 for pk in seat_ids}
    share = {pk: held[pk] / mandals[pk] if mandals[pk] else None for pk in seat_ids}
    total_share = total["held"] / total["mandals"] if total["mandals"] else None
    return [
        ExtraColumn(TIFFIN_COLUMNS[0], mandals, total["mandals"]),
        ExtraColumn(TIFFIN_COLUMNS[1], held, total["held"]),
        ExtraColumn(TIFFIN_COLUMNS[2], share, total_share),
    ]


CAMPAIGN_COLUMNS = [
    Column("campaign_answers", _("Campaign: presidents asked")),
    Column("campaign_verified_pct", _("Campaign: verified"), "pct"),
    Column("campaign_verified_low", _("Verified, at least"), "pct"),
    Column("campaign_verified_high", _("Verified, at most"), "pct"),
]
TIFFIN_COLUMNS = [
    Column("tiffin_mandals", _("Mandals")),
    Column("tiffin_mandals_held", _("Tiffin meeting held")),
    Column("tiffin_held_pct", _("Tiffin held %"), "pct"),
]
SEAT_COLUMNS = [
    Column("booths", _("Booths")),
    Column("booths_vacant", _("Vacant")),
    Column("booths_reached", _("President reached")),
    Column("reached_pct", _("Reached %"), "pct"),
    Column("calls_assigned", _("Calls assigned")),
    Column("calls_logged", _("Calls logged")),
    Column("logged_pct", _("Logged %"), "pct"),
    Column("strong", _("Strong")),
    Column("competitive", _("Competitive")),
    Column("weak", _("Weak")),
]
LOK_SABHA_COLUMNS = [
    Column("lok_sabha_no", _("No.")),
    Column("lok_sabha_name", _("Lok Sabha seat"), "text", link=True),
    Column("target_vote_pct", _("Target vote %"), "vote"),
    Column("last_vote_pct", _("Vote % last time"), "vote"),
    Column("gap_pct", _("Gap (points)"), "gap"),
]
ASSEMBLY_COLUMNS = [Column("assembly_no", _("No.")), Column("assembly_name", _("Assembly seat"), "text")]


def gap(seat: LokSabhaSeat) -> Decimal | None:
    """How far the seat's target is above its last result, in points."""
    if seat.target_vote_pct is None or seat.last_vote_pct is None:
        return None
    return seat.target_vote_pct - seat.last_vote_pct


def seats_table(rows: list[SeatRow], by: str, link: Callable[[SeatRow], str | None], extra: list[ExtraColumn]) -> Table:
    """Lok Sabha seats (`by` "lok_sabha") or assembly seats, with a totals row."""
    total = SeatFigures()
    values, links = [], []
    for row in rows:
        seat = row.seat
        if by == "lok_sabha":
            lok_sabha = cast(LokSabhaSeat, seat)
            prefix = [seat.number, seat.name, lok_sabha.target_vote_pct, lok_sabha.last_vote_pct, gap(lok_sabha)]
        else:
            prefix = [seat.number, seat.name]
        values.append([*prefix, *seat_values(row.figures), *(column.values.get(seat.pk) for column in extra)])
        links.append(link(row))
        total.add(row.figures)
    prefix_columns = LOK_SABHA_COLUMNS if by == "lok_sabha" else ASSEMBLY_COLUMNS
    title = _("Lok Sabha seats") if by == "lok_sabha" else _("Assembly seats")
    table = Table("seats" if by == "lok_sabha" else "assembly_seats", title,
                  [*prefix_columns, *SEAT_COLUMNS, *(column.column for column in extra)], values, links)  # fmt: skip
    table.total = [None] * len(prefix_columns) + seat_values(total) + [column.total for column in extra]
    return table


def seat_values(figures: SeatFigures) -> list:
    return [getattr(figures, column.key) for column in SEAT_COLUMNS]
