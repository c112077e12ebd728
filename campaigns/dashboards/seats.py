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
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from booths.models import AssemblySeat, Booth, LokSabhaSeat, Post

from ..models import CallAssignment, CallLog
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


def _in_view(queryset: QuerySet, q: DashboardQuery, booth: str = "") -> QuerySet:
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


def seat_extra_columns(q: DashboardQuery, by: str, seat_ids: Iterable[int]) -> list[ExtraColumn]:
    """Room for the columns other features add to the seats' tables, after `weak`:
    campaign verification (Mahajansampark progress reported vs verified in calls)
    and tiffin coverage (mandals with a meeting held in the period). Each counts
    the booths or mandals of the seats `seat_ids` (Lok Sabha seats, or assembly
    seats when `by` is "assembly") within the scope and the unit shown, like
    `seat_figures` (`_in_view` filters them), with one GROUP BY a column group,
    never a query a seat. None are counted yet: a column shows only once its
    figures are real."""
    return []


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
            prefix = [seat.number, seat.name, seat.target_vote_pct, seat.last_vote_pct, gap(seat)]
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
