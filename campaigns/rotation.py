"""The rotation: each district's booth presidents in the order they are due a call.

The order is (priority, sort_key, tiebreak): never-contacted presidents first,
then those not reached on their last call (oldest attempt first), then those
reached (least recently first), ties in a pseudo-random order drawn from the
date. Eligibility is checked live against the roster when a rotation is read.
The rotations follow the roster through `rotation_sync` (nightly, and in the
first run of a day without it) and follow the calls through
`rotation_after_assignment` and `assignment_record_outcome`.
"""

import datetime
import heapq
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from booths.models import Booth, Mandal, Person, Post

from .models import AssignmentRun, CallAssignment, PresidentRotation, RotationSync
from .models.assignment import NOT_SET_ASIDE_SQL

Priority = PresidentRotation.Priority
# Outcomes after which the president was not reached; three in a row and the
# number is set aside as unreachable.
NOT_REACHED = {
    CallAssignment.Outcome.NO_ANSWER,
    CallAssignment.Outcome.BUSY,
    CallAssignment.Outcome.SWITCHED_OFF,
    CallAssignment.Outcome.NOT_REACHABLE,
    CallAssignment.Outcome.WRONG_NUMBER,
}
UNREACHABLE_AFTER = 3
ROTATION_BATCH_MIN = 8

# Multiplicative hashing: a pseudo-random yet reproducible tiebreak per (post, day).
_HASH_A, _HASH_B, _HASH_P = 2_654_435_761, 40_503, 2_147_483_629


def tiebreak_for(post_id: int, day: datetime.date) -> int:
    return (post_id * _HASH_A + day.toordinal() * _HASH_B) % _HASH_P


@dataclass(slots=True)
class Candidate:
    post_id: int
    person_id: int
    mandal_id: int
    priority: int
    last_caller_id: int | None
    last_assigned_on: datetime.date | None
    key: tuple


class DistrictRotation:
    """A district's eligible presidents in rotation order, read from the database
    in batches as callers consume them."""

    def __init__(self, district_id: int, batch: int, mandal_district: dict[int, int]) -> None:
        self.district_id = district_id
        self.mandal_district = mandal_district
        self.batch = max(ROTATION_BATCH_MIN, batch)
        self.rows: list[Candidate] = []
        self.exhausted = False
        self.start = 0  # rows before this index are all taken

    def get(self, index: int) -> Candidate | None:
        while index >= len(self.rows) and not self.exhausted:
            self.add(list(rotation_queryset(self.district_id)[len(self.rows) : len(self.rows) + self.batch]))
        return self.rows[index] if index < len(self.rows) else None

    def add(self, rows: list[tuple]) -> None:
        """Append rows read in rotation order (ROTATION_COLUMNS); fewer than a batch means the end.

        A booth moved to another district since the last rotation refresh is left
        out here rather than in SQL: a condition on the booth's district in the
        query lets PostgreSQL read the district through its booths and sort it,
        twenty times slower than walking the rotation index."""
        self.rows.extend(
            Candidate(post_id, person_id, mandal_id, priority, last_caller_id, last_assigned_on,
                      (priority, sort_key or datetime.date.min, tiebreak, post_id))
            for post_id, person_id, mandal_id, priority, last_caller_id, last_assigned_on, sort_key, tiebreak in rows
            if self.mandal_district.get(mandal_id) == self.district_id
        )  # fmt: skip
        if len(rows) < self.batch:
            self.exhausted = True
        self.batch *= 2  # a rotation read twice is likely to be read again


ROTATION_COLUMNS = (
    "post_id",
    "post__person_id",
    "post__booth__mandal_id",
    "priority",
    "last_caller_id",
    "last_assigned_on",
    "sort_key",
    "tiebreak",
)


def rotation_queryset(district_id: int):
    """Eligible presidents of a district, in rotation order. Eligibility is checked
    against the live roster, so a president marked do-not-call a minute ago is
    skipped without any bookkeeping."""
    return (
        PresidentRotation.objects.filter(
            district_id=district_id,
            post__end_date__isnull=True,
            post__booth__is_active=True,
            post__person__do_not_call=False,
        )
        .exclude(post__person__mobile="")
        .not_set_aside()
        .order_by("priority", "sort_key", "tiebreak", "post_id")
        .values_list(*ROTATION_COLUMNS)
    )


def rotation_heads_load(rotations: dict[int, DistrictRotation]) -> None:
    """Read the first batch of every district's rotation.

    On PostgreSQL in one statement: a LATERAL subquery walks each district's
    rotation index, so the query is planned once instead of once a district
    (planning costs ~2 ms, reading a rotation head ~0.5 ms). The conditions are
    those of `rotation_queryset`.
    """
    if connection.vendor != "postgresql":
        for district_rotation in rotations.values():
            district_rotation.get(0)
        return
    rotation_table, post, booth, person = (model._meta.db_table for model in (PresidentRotation, Post, Booth, Person))
    district_ids = list(rotations)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT q.district_id, c.post_id, c.person_id, c.mandal_id, c.priority, c.last_caller_id,
                   c.last_assigned_on, c.sort_key, c.tiebreak
            FROM unnest(%s::bigint[], %s::int[]) AS q(district_id, batch)
            CROSS JOIN LATERAL (
                SELECT r.post_id, p.person_id, b.mandal_id, r.priority, r.last_caller_id, r.last_assigned_on,
                       r.sort_key, r.tiebreak
                FROM {rotation_table} r
                JOIN {post} p ON p.id = r.post_id
                JOIN {booth} b ON b.id = p.booth_id
                JOIN {person} pe ON pe.id = p.person_id
                WHERE r.district_id = q.district_id AND p.end_date IS NULL AND b.is_active
                  AND NOT pe.do_not_call AND pe.mobile <> '' AND {NOT_SET_ASIDE_SQL}
                ORDER BY r.priority, r.sort_key, r.tiebreak, r.post_id
                LIMIT q.batch
            ) AS c
            """,  # noqa: S608 - table names from the models, values as parameters
            [district_ids, [rotations[d].batch for d in district_ids]],
        )
        rows: dict[int, list[tuple]] = defaultdict(list)
        for district_id, *row in cursor.fetchall():
            rows[district_id].append(tuple(row))
    for district_id, district_rotation in rotations.items():
        district_rotation.add(rows.get(district_id, []))


class ScopeStream:
    """The merged rotation of a set of districts, shared by the callers with that scope.

    The heap holds, for each district, the next row not yet read by this stream
    (its frontier), plus rows that callers passed over and gave back.
    """

    def __init__(self, rotations: list[DistrictRotation], taken: set[int]) -> None:
        self.taken = taken
        self.heap: list[tuple[tuple, int, int]] = []
        self.rotations = {district_rotation.district_id: district_rotation for district_rotation in rotations}
        self.frontier: dict[int, int] = {}
        for district_rotation in rotations:
            # Skip the taken rows at the head once, for every stream that reads this rotation.
            while (row := district_rotation.get(district_rotation.start)) is not None and row.post_id in taken:
                district_rotation.start += 1
            self._push_from(district_rotation.district_id, district_rotation.start)

    def _push_from(self, district_id: int, index: int) -> None:
        district_rotation = self.rotations[district_id]
        while (candidate := district_rotation.get(index)) is not None and candidate.post_id in self.taken:
            index += 1
        self.frontier[district_id] = index
        if candidate is not None:
            heapq.heappush(self.heap, (candidate.key, district_id, index))

    def candidates(self) -> Iterator[tuple[Candidate, int, int]]:
        """Untaken candidates in rotation order; each is consumed from the stream.
        Give back what a caller passed over with `give_back`."""
        while self.heap:
            _key, district_id, index = heapq.heappop(self.heap)
            if index == self.frontier[district_id]:
                self._push_from(district_id, index + 1)
            candidate = self.rotations[district_id].get(index)
            if candidate is not None and candidate.post_id not in self.taken:
                yield candidate, district_id, index

    def give_back(self, entries: Iterable[tuple[Candidate, int, int]]) -> None:
        for candidate, district_id, index in entries:
            heapq.heappush(self.heap, (candidate.key, district_id, index))


def rotation_sync(*, source: str = "command") -> RotationSync:
    """Bring the rotations in line with the whole roster: new presidents join as
    never contacted, ended posts leave, booths moved to another district move
    with them. Set-wise queries over the whole roster (~2 s for a country): run
    nightly by beat, and by the first assignment run of a day when the nightly
    job did not run."""
    sync = RotationSync.objects.create(source=source)
    with transaction.atomic():
        sync.added = _rotation_add_new(after_post_id=None)
        # Ended posts leave (their calls stay in CallAssignment).
        sync.removed, _ = PresidentRotation.objects.filter(post__end_date__isnull=False).delete()
        moved = list(
            PresidentRotation.objects.exclude(district_id=F("post__booth__mandal__district_id")).values_list(
                "post_id", "post__booth__mandal__district_id"
            )
        )
        for post_id, district_id in moved:
            PresidentRotation.objects.filter(post_id=post_id).update(district_id=district_id)
        sync.moved = len(moved)
        sync.finished_at = timezone.now()
        sync.save()
    return sync


def _rotation_add_new(*, after_post_id: int | None) -> int:
    """Add current presidents' posts missing from the rotations (only posts with a
    higher id than `after_post_id`, when given: the cheap check every run makes
    for presidents added since the last full sync). One INSERT ... SELECT.

    Posts already queued are skipped by ON CONFLICT on the primary key, not by
    a NOT EXISTS on the table being filled: planned while that table was empty
    (a fresh database), such an anti-join re-read the growing table once a row,
    quadratic (minutes for one state). An index probe a row cannot degrade."""
    rotation, post, booth, mandal = (model._meta.db_table for model in (PresidentRotation, Post, Booth, Mandal))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {rotation}
                (post_id, district_id, priority, tiebreak, times_assigned, failed_attempts, unreachable_mobile)
            SELECT p.id, m.district_id, %s, (p.id * %s + %s) %% %s, 0, 0, ''
            FROM {post} p
            JOIN {booth} b ON b.id = p.booth_id
            JOIN {mandal} m ON m.id = b.mandal_id
            WHERE p.role = %s AND p.end_date IS NULL AND p.id > %s
            ON CONFLICT (post_id) DO NOTHING
            """,  # noqa: S608 - table names from the models, values as parameters
            [Priority.NEVER_CONTACTED, _HASH_A, _HASH_B * datetime.date.min.toordinal(), _HASH_P,
             Post.Role.BOOTH_PRESIDENT, after_post_id or 0],
        )  # fmt: skip
        added = cursor.rowcount
        if added > 1_000 and connection.vendor == "postgresql":
            # Fresh statistics, or the planner reads a district's rotation by sorting
            # the whole district instead of walking the rotation index.
            cursor.execute(f"ANALYZE {rotation}")
    return added


def rotation_refresh() -> None:
    """Before picking: a full sync once a day, else only the newest presidents."""
    midnight = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time()))
    if RotationSync.objects.filter(finished_at__gte=midnight).exists():
        newest = PresidentRotation.objects.order_by("-post_id").values_list("post_id", flat=True).first()
        _rotation_add_new(after_post_id=newest)
    else:
        rotation_sync(source="assignment")


def rotation_after_assignment(day: datetime.date, run: AssignmentRun) -> None:
    """Move the presidents picked in this run to the back of their rotations: one
    UPDATE ... FROM joining the run's assignments (PostgreSQL, SQLite >= 3.33)."""
    rotation, assignment = PresidentRotation._meta.db_table, CallAssignment._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {rotation}
            SET priority = %s, sort_key = %s, last_assigned_on = %s, times_assigned = times_assigned + 1,
                tiebreak = ({rotation}.post_id * %s + %s) %% %s, last_caller_id = a.caller_id
            FROM {assignment} a
            WHERE a.post_id = {rotation}.post_id AND a.day = %s AND a.run_id = %s
            """,  # noqa: S608 - table names from the models, values as parameters
            [Priority.CONTACTED, day, day, _HASH_A, _HASH_B * day.toordinal(), _HASH_P, day, run.pk],
        )
