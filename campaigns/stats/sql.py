"""What the dashboards' figures are recomputed with: the tables, a lock, and SQL helpers."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import connection

from booths.models import Booth, District, Mandal, Post, Region

from ..models import (
    CallAssignment,
    CallerDayStats,
    CallerStateDayStats,
    CallLog,
    DistrictDayStats,
    MandalDayStats,
)

LOCK_KEY = 0x42535354  # "BSST": any recomputation of the dashboard figures

Status, Outcome = CallAssignment.Status, CallAssignment.Outcome
STANDINGS = [("strong", CallLog.Standing.STRONG), ("competitive", CallLog.Standing.COMPETITIVE),
              ("weak", CallLog.Standing.WEAK)]  # fmt: skip
WELLBEING = [("all_well", CallLog.Wellbeing.ALL_WELL), ("needs_attention", CallLog.Wellbeing.NEEDS_ATTENTION)]

T = {
    "assignment": CallAssignment._meta.db_table,
    "log": CallLog._meta.db_table,
    "post": Post._meta.db_table,
    "booth": Booth._meta.db_table,
    "mandal": Mandal._meta.db_table,
    "district": District._meta.db_table,
    "region": Region._meta.db_table,
    "mandal_stats": MandalDayStats._meta.db_table,
    "district_stats": DistrictDayStats._meta.db_table,
    "caller_stats": CallerDayStats._meta.db_table,
    "caller_state_stats": CallerStateDayStats._meta.db_table,
}
CALL_COLUMNS = ["assigned", "logged", "reached", "missed"]
REPORT_COLUMNS = ["latest_reports", *(f"latest_{name}" for name, _v in STANDINGS + WELLBEING)]


DISTRICT_LOCKS, CALLER_LOCKS = 1, 2  # the first key of the two-key locks: what the second one is


def lock(*, district_ids: Iterable[int] = (), caller_id: int | None = None) -> None:
    """Serialise the recomputations of the figures that could touch the same rows.

    A recomputation of whole days (no arguments) takes the lock alone. A call's
    or a follow-up's takes it shared, then its district's (the district's and its
    mandals' rows) and its caller's (the caller's rows), so calls in different
    districts by different callers are recorded at the same time: with one lock
    for all, the morning rush queued behind it (~40 outcomes a second on 2
    cores). Always in that order, districts sorted, so no two transactions can
    wait for each other in a cycle."""
    if connection.vendor != "postgresql":
        return  # SQLite: write transactions are IMMEDIATE (settings), so they run one at a time.
    with connection.cursor() as cursor:
        if not district_ids and caller_id is None:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
            return
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [LOCK_KEY])
        for district_id in sorted(set(district_ids)):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [DISTRICT_LOCKS, district_id])
        if caller_id is not None:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [CALLER_LOCKS, caller_id])


def in_list(values: Iterable) -> tuple[str, list]:
    values = list(values)
    return ", ".join(["%s"] * len(values)), values


@contextmanager
def hash_joins(cursor) -> Iterator[None]:
    """Whole days (thousands of calls) are joined to the map by hashing. Right after a
    bulk load the planner may believe the tables empty and pick nested loops over
    sequential scans instead: quadratic at national scale."""
    if connection.vendor != "postgresql":
        yield
        return
    cursor.execute("SET LOCAL enable_nestloop = off")
    try:
        yield
    finally:
        cursor.execute("SET LOCAL enable_nestloop TO DEFAULT")
