"""Reads of the daily calls."""

import datetime
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone

from .models import CallAssignment

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
]


def call_export_rows(*, date_from: datetime.date, date_to: datetime.date) -> Iterator[list[str]]:
    """One row per assignment between the dates (inclusive), in EXPORT_COLUMNS order,
    streamed from the database in chunks."""
    rows = (
        CallAssignment.objects.filter(day__gte=date_from, day__lte=date_to)
        .order_by("day", "caller__name", "caller_id", "slot")
        .values_list(
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
        )
    )
    for row in rows.iterator(chunk_size=5_000):
        *head, logged_at = row
        yield [
            *("" if value is None else str(value) for value in head),
            timezone.localtime(logged_at).isoformat(timespec="seconds") if logged_at else "",
        ]


def day_assignments(*, day: datetime.date) -> QuerySet[CallAssignment]:
    """A day's assignments with everything a list of them shows, caller by caller."""
    return (
        CallAssignment.objects.filter(day=day)
        .select_related("caller", "president", "post__booth__assembly_seat", "post__booth__mandal")
        .order_by("caller__name", "caller_id", "slot")
    )
