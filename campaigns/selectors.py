"""Reads of the daily calls."""

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import F, Model, Q, QuerySet
from django.utils import timezone

from booths.models import AssemblySeat, Booth, Mandal, Person, Post, booth_label
from outreach.prepared import fetch_all
from outreach.types import Text

from .models import CallAssignment, CallLog, CallNeed, CampaignQuestion, FollowUp, RosterReport
from .tiffin import tiffin_held_for_call
from .verification.selectors import questions_for_call

EXPORT_COLUMNS = [
    "date",
    "caller_name",
    "caller_phone",
    "caller_role",
    "region",
    "district",
    "mandal",
    "assembly_no",
    "booth_no",
    "president_name",
    "president_phone",
    "status",
    "outcome",
    "logged_at",
    # What was said (empty until the call is logged; needs as codes joined by ";").
    "wellbeing",
    "standing",
    "needs",
    "notes",
    "follow_up",
]
_EXPORT_FIELDS = (
    "pk",
    "day",
    "caller__name",
    "caller__mobile",
    "caller_role",
    "post__booth__mandal__district__region__name",
    "post__booth__mandal__district__name",
    "post__booth__mandal__name",
    "post__booth__assembly_seat__number",
    "post__booth__number",
    "president__name",
    "president__mobile",
    "status",
    "outcome",
    "logged_at",
    "log__wellbeing",
    "log__standing",
    "log__notes",
    "log__follow_up_wanted",
)


def call_export_rows(
    *, date_from: datetime.date, date_to: datetime.date, calls: QuerySet[CallAssignment] | None = None
) -> Iterator[list[str]]:
    """One row per assignment between the dates (inclusive), in EXPORT_COLUMNS order,
    streamed from the database in chunks (of `calls` when given: a scope's)."""
    calls = CallAssignment.objects.all() if calls is None else calls
    rows = (
        calls.filter(day__gte=date_from, day__lte=date_to)
        .order_by("day", "caller__name", "caller_id", "slot")
        .values_list(*_EXPORT_FIELDS)
    )
    chunk: list[tuple] = []
    for row in rows.iterator(chunk_size=5_000):
        chunk.append(row)
        if len(chunk) == 5_000:
            yield from _export_chunk(chunk)
            chunk = []
    yield from _export_chunk(chunk)


def _export_chunk(rows: list[tuple]) -> Iterator[list[str]]:
    needs: dict[int, list[str]] = defaultdict(list)
    if rows:
        found = CallNeed.objects.filter(log_id__in=[row[0] for row in rows]).order_by("pk")
        for log_id, category in found.values_list("log_id", "category"):
            needs[log_id].append(category)
    for pk, *head, logged_at, wellbeing, standing, notes, follow_up in rows:
        yield [
            *("" if value is None else str(value) for value in head),
            timezone.localtime(logged_at).isoformat(timespec="seconds") if logged_at else "",
            wellbeing or "",
            standing or "",
            ";".join(needs.get(pk, ())),
            notes or "",
            "" if follow_up is None else ("yes" if follow_up else "no"),
        ]


def day_assignments(*, day: datetime.date) -> QuerySet[CallAssignment]:
    """A day's assignments with everything a list of them shows, caller by caller."""
    return (
        CallAssignment.objects.filter(day=day)
        .select_related("caller", "president", "post__booth__assembly_seat", "post__booth__mandal")
        .order_by("caller__name", "caller_id", "slot")
    )


@dataclass(frozen=True, slots=True)
class EarlierCall:
    day: datetime.date
    caller_name: str
    result: Text  # the outcome, or "missed"
    standing: Text  # its label, or ""
    notes: str


@dataclass(slots=True)
class CallCard:
    """What a call's card shows (the Today page and the call page): who to ring,
    why today, how it went, and what earlier calls and open needs say."""

    pk: int
    slot: int
    reason: Text
    outcome: str
    outcome_label: Text
    president_name: str
    president_mobile: str
    booth: str  # "seat/number", as the party writes it
    booth_name: str
    mandal_name: str
    history: list[EarlierCall] = field(default_factory=list)
    open_needs: list[str] = field(default_factory=list)


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _as_date(value: object) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def call_cards(
    *,
    caller_id: int | None = None,
    day: datetime.date | None = None,
    assignment_id: int | None = None,
    earlier: int = 3,
) -> list[CallCard]:
    """The cards of a caller's calls on a day (or of one assignment), in two
    fixed SQL statements. This is the page every caller opens first each
    morning: built with the ORM (select_related over five tables, a prefetch,
    two more querysets) it took four queries and ~10 ms of compiling SQL a
    request, the most of the page's time. These two statements are planned
    once per connection on PostgreSQL (`outreach.prepared`): ~0.5 ms."""
    assignment, person, post, booth, seat, mandal, log, follow_up = (
        _table(model) for model in (CallAssignment, Person, Post, Booth, AssemblySeat, Mandal, CallLog, FollowUp)
    )
    if assignment_id:
        params: list[Any]
        name, where, params = "call_card", "a.id = %s", [assignment_id]
    else:
        name, where, params = "call_cards_of_day", "a.caller_id = %s AND a.day = %s", [caller_id, day]
    rows = fetch_all(
        name,
        f"""
        SELECT a.id, a.slot, a.reason, a.outcome, a.day, a.president_id, b.id, pr.name, pr.mobile,
               s.number, b.number, b.name, m.name
        FROM {assignment} a
        JOIN {person} pr ON pr.id = a.president_id
        JOIN {post} po ON po.id = a.post_id
        JOIN {booth} b ON b.id = po.booth_id
        JOIN {seat} s ON s.id = b.assembly_seat_id
        JOIN {mandal} m ON m.id = b.mandal_id
        WHERE {where}
        ORDER BY a.slot
        """,  # noqa: S608 - table names from the models, values as parameters
        params,
    )
    if not rows:
        return []
    cards, by_president, by_booth = [], defaultdict(list), defaultdict(list)
    for row in rows:
        pk, slot, reason, outcome, _day, president_id, booth_id, name, mobile, seat_no, number, *names = row
        booth_name, mandal = names
        card = CallCard(
            pk=pk, slot=slot, reason=CallAssignment.Reason(reason).label, outcome=outcome,
            outcome_label=CallAssignment.Outcome(outcome).label if outcome else "", president_name=name,
            president_mobile=mobile, booth=booth_label(seat_no, number), booth_name=booth_name, mandal_name=mandal,
        )  # fmt: skip
        cards.append(card)
        by_president[president_id].append(card)
        by_booth[booth_id].append(card)
    extra = fetch_all(
        "call_cards_context",
        f"""
        SELECT 'call', president_id, day, outcome, status, caller_name, standing, notes
        FROM (
            SELECT a.president_id, a.day, a.outcome, a.status, c.name AS caller_name,
                   COALESCE(l.standing, '') AS standing, COALESCE(l.notes, '') AS notes,
                   ROW_NUMBER() OVER (PARTITION BY a.president_id ORDER BY a.day DESC, a.id DESC) AS n
            FROM {assignment} a
            JOIN {person} c ON c.id = a.caller_id
            LEFT JOIN {log} l ON l.assignment_id = a.id
            WHERE a.president_id = ANY(%s) AND a.day < %s AND a.status <> %s
        ) earlier
        WHERE n <= %s
        UNION ALL
        SELECT 'need', booth_id, NULL, category, NULL, NULL, NULL, NULL
        FROM {follow_up}
        WHERE booth_id = ANY(%s) AND status <> %s
        """,  # noqa: S608 - table names from the models, values as parameters
        [list(by_president), _as_date(rows[0][4]), CallAssignment.Status.ASSIGNED, earlier, list(by_booth),
         FollowUp.Status.RESOLVED],
    )  # fmt: skip
    outcomes, statuses = dict(CallAssignment.Outcome.choices), dict(CallAssignment.Status.choices)
    standings, categories = dict(CallLog.Standing.choices), dict(FollowUp.CATEGORY_CHOICES)
    history: dict[int, list[EarlierCall]] = defaultdict(list)
    needs: dict[int, list[str]] = defaultdict(list)
    for kind, key, on, value, status, caller_name, standing, notes in extra:
        if kind == "call":
            result = outcomes[value] if value else statuses[status]
            history[key].append(EarlierCall(_as_date(on), caller_name, result, standings.get(standing, ""), notes))
        else:
            needs[key].append(categories.get(value, value))
    for president_id, its_cards in by_president.items():
        calls = sorted(history[president_id], key=lambda call: call.day, reverse=True)
        for card in its_cards:
            card.history = calls
    for booth_id, its_cards in by_booth.items():
        for card in its_cards:
            card.open_needs = needs[booth_id]
    return cards


def caller_history(
    *,
    person_id: int,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    status: str = "",
    outcome: str = "",
) -> QuerySet[CallAssignment]:
    calls = CallAssignment.objects.filter(caller_id=person_id)
    if date_from:
        calls = calls.filter(day__gte=date_from)
    if date_to:
        calls = calls.filter(day__lte=date_to)
    if status:
        calls = calls.filter(status=status)
    if outcome:
        calls = calls.filter(outcome=outcome)
    return calls.select_related("president", "post__booth__assembly_seat", "post__booth__mandal", "log").order_by(
        "-day", "slot"
    )


def follow_ups_for(*, district_ids: set[int] | None, status: str = "", category: str = "") -> QuerySet[FollowUp]:
    """Follow-ups of the districts (None: all), unresolved ones unless a status is asked for."""
    items = FollowUp.objects.all()
    if district_ids is not None:
        items = items.filter(district_id__in=district_ids)
    if status == "all":
        pass
    elif status:
        items = items.filter(status=status)
    else:
        items = items.exclude(status=FollowUp.Status.RESOLVED)
    if category:
        items = items.filter(category=category)
    return items.select_related(
        "district", "booth__assembly_seat", "booth__mandal", "assigned_to", "log__assignment__president"
    ).order_by("-created_at")


def roster_reports_open(*, district_ids: set[int] | None) -> QuerySet[RosterReport]:
    """Reports from calls that the roster has not answered yet: the post is still
    current and, for a wrong number, the number is still the one called."""
    reports = RosterReport.objects.filter(dismissed_at=None, post__end_date__isnull=True).filter(
        Q(kind=RosterReport.Kind.NOT_PRESIDENT) | Q(post__person__mobile=F("reported_mobile"))
    )
    if district_ids is not None:
        reports = reports.filter(district_id__in=district_ids)
    return reports.select_related(
        "district", "booth__assembly_seat", "booth__mandal", "post__person", "assignment__caller"
    ).order_by("-created_at")


def call_questions(assignment: CallAssignment) -> list[CampaignQuestion]:
    """The campaigns' questions for this call (its booth's district, its day)."""
    booth = assignment.post.booth
    assert booth is not None  # a president's post
    return questions_for_call(district_id=booth.mandal.district_id, day=assignment.day)


def call_asks_tiffin(assignment: CallAssignment) -> bool:
    """Whether the call asks the president to confirm this month's tiffin meeting."""
    booth = assignment.post.booth
    assert booth is not None  # a president's post
    return tiffin_held_for_call(mandal_id=booth.mandal_id, day=assignment.day)


def call_is_editable(assignment: CallAssignment, today: datetime.date | None = None) -> bool:
    return assignment.day == (today or timezone.localdate()) and assignment.status != CallAssignment.Status.MISSED


def follow_up_assignees(*, district_id: int) -> list[Person]:
    """People who can take a follow-up in a district: its office-bearers and in-charges,
    and its mandals' presidents and shakti kendra convenors."""
    posts = (
        Post.objects.current()
        .filter(
            role__in=[
                Post.Role.DISTRICT_PRESIDENT,
                Post.Role.DISTRICT_INCHARGE,
                Post.Role.MANDAL_PRESIDENT,
                Post.Role.SHAKTI_KENDRA_CONVENOR,
            ]
        )
        .filter(
            Q(district_id=district_id)
            | Q(mandal__district_id=district_id)
            | Q(shakti_kendra__mandal__district_id=district_id)
        )
        .select_related("person")
        .order_by("person__name")
    )
    people: dict[int, Person] = {}
    for post in posts:
        people.setdefault(post.person_id, post.person)
    return list(people.values())
