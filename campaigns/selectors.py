"""Reads of the daily calls."""

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from .models import CallAssignment, CallNeed, FollowUp, RosterReport

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


def caller_calls_on(*, person_id: int, day: datetime.date) -> list[CallAssignment]:
    """A caller's calls of a day, each with `history` (the last earlier calls to
    the same president) and `open_follow_ups` (the booth's unresolved needs)."""
    calls = list(
        CallAssignment.objects.filter(caller_id=person_id, day=day)
        .select_related("president", "post__booth__assembly_seat", "post__booth__mandal", "log")
        .prefetch_related("log__needs")
        .order_by("slot")
    )
    attach_context(calls, before=day)
    return calls


def attach_context(calls: list[CallAssignment], *, before: datetime.date, earlier: int = 3) -> None:
    """Give each call its president's earlier calls and its booth's open follow-ups (two queries)."""
    if not calls:
        return
    history: dict[int, list[CallAssignment]] = {call.president_id: [] for call in calls}
    for past in (
        CallAssignment.objects.filter(president_id__in=list(history), day__lt=before)
        .exclude(status=CallAssignment.Status.ASSIGNED)
        .select_related("caller", "log")
        .order_by("-day")[: earlier * len(history)]
    ):
        if len(history[past.president_id]) < earlier:
            history[past.president_id].append(past)
    open_items: dict[int, list[FollowUp]] = {call.post.booth_id: [] for call in calls}
    for item in FollowUp.objects.filter(booth_id__in=list(open_items)).exclude(status=FollowUp.Status.RESOLVED):
        open_items[item.booth_id].append(item)
    for call in calls:
        call.history = history[call.president_id]
        call.open_follow_ups = open_items[call.post.booth_id]


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
