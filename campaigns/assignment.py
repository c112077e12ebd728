"""The daily assignment: every active caller gets booth presidents to phone.

How a day is filled (`assignments_create_for_day`):

1. Lock the day (one `CallDay` row, `SELECT ... FOR UPDATE`), so two runs at the
   same moment serialise; the second finds the day filled and adds nothing.
2. Mark earlier assignments without an outcome as missed, and bring the
   rotation queues up to date with the roster (new presidents join as never
   contacted, ended posts leave, moved booths change district).
3. Walk the callers, smallest scope first, and give each the best presidents of
   their scope that nobody has today: the district queues are read in order
   (one indexed query per district, more only when a queue runs dry) and merged
   for callers whose scope spans many districts. A caller's picks come from
   different mandals when the best remaining class of the scope allows it.
4. Insert the assignments and move the picked presidents to the back of their
   queues, all in the same transaction: a run killed half-way leaves nothing,
   and the next run (the hourly tick) fills the day.
"""

import datetime
import heapq
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from booths.models import Booth, Mandal, Person, Post
from booths.selectors import caller_scopes, caller_users

from .models import AssignmentRun, AssignmentShortfall, CallAssignment, CallDay, PresidentRotation, RotationSync

log = logging.getLogger(__name__)

Priority = PresidentRotation.Priority
REASON_FOR_PRIORITY = {
    Priority.NEVER_CONTACTED: CallAssignment.Reason.NEVER_CONTACTED,
    Priority.RETRY: CallAssignment.Reason.RETRY_NOT_REACHED,
    Priority.CONTACTED: CallAssignment.Reason.LEAST_RECENTLY_REACHED,
}
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
# A diversity scan for a different mandal looks this far down the queue at most.
DIVERSITY_SCAN_LIMIT = 5_000
QUEUE_BATCH_MIN = 8

# Multiplicative hashing: a pseudo-random yet reproducible tiebreak per (post, day).
_HASH_A, _HASH_B, _HASH_P = 2_654_435_761, 40_503, 2_147_483_629


def tiebreak_for(post_id: int, day: datetime.date) -> int:
    return (post_id * _HASH_A + day.toordinal() * _HASH_B) % _HASH_P


class AssignmentError(Exception):
    """The day cannot be assigned; the message says why."""


@dataclass(slots=True)
class Candidate:
    post_id: int
    person_id: int
    mandal_id: int
    priority: int
    last_caller_id: int | None
    last_assigned_on: datetime.date | None
    key: tuple


@dataclass
class Caller:
    person_id: int
    role: str
    districts: frozenset[int]
    free_slots: list[int]
    picks: list[Candidate] = field(default_factory=list)


class DistrictQueue:
    """A district's eligible presidents in queue order, read from the database
    in batches as callers consume them."""

    def __init__(self, district_id: int, batch: int, mandal_district: dict[int, int]) -> None:
        self.district_id = district_id
        self.mandal_district = mandal_district
        self.batch = max(QUEUE_BATCH_MIN, batch)
        self.rows: list[Candidate] = []
        self.exhausted = False
        self.start = 0  # rows before this index are all taken

    def get(self, index: int) -> Candidate | None:
        while index >= len(self.rows) and not self.exhausted:
            self.add(list(_queue_queryset(self.district_id)[len(self.rows) : len(self.rows) + self.batch]))
        return self.rows[index] if index < len(self.rows) else None

    def add(self, rows: list[tuple]) -> None:
        """Append rows read in queue order (QUEUE_COLUMNS); fewer than a batch means the end.

        A booth moved to another district since the last queue refresh is left
        out here rather than in SQL: a condition on the booth's district in the
        query lets PostgreSQL read the district through its booths and sort it,
        twenty times slower than walking the queue index."""
        self.rows.extend(
            Candidate(post_id, person_id, mandal_id, priority, last_caller_id, last_assigned_on,
                      (priority, sort_key or datetime.date.min, tiebreak, post_id))
            for post_id, person_id, mandal_id, priority, last_caller_id, last_assigned_on, sort_key, tiebreak in rows
            if self.mandal_district.get(mandal_id) == self.district_id
        )  # fmt: skip
        if len(rows) < self.batch:
            self.exhausted = True
        self.batch *= 2  # a queue read twice is likely to be read again


QUEUE_COLUMNS = (
    "post_id",
    "post__person_id",
    "post__booth__mandal_id",
    "priority",
    "last_caller_id",
    "last_assigned_on",
    "sort_key",
    "tiebreak",
)


def _queue_queryset(district_id: int):
    """Eligible presidents of a district, in queue order. Eligibility is checked
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
        .exclude(unreachable_mobile=F("post__person__mobile"))
        .order_by("priority", "sort_key", "tiebreak", "post_id")
        .values_list(*QUEUE_COLUMNS)
    )


def _load_queue_heads(queues: dict[int, DistrictQueue]) -> None:
    """Read the first batch of every district's queue.

    On PostgreSQL in one statement: a LATERAL subquery walks each district's
    queue index, so the query is planned once instead of once a district
    (planning costs ~2 ms, reading a queue head ~0.5 ms). The conditions are
    those of `_queue_queryset`.
    """
    if connection.vendor != "postgresql":
        for queue in queues.values():
            queue.get(0)
        return
    rotation, post, booth, person = (model._meta.db_table for model in (PresidentRotation, Post, Booth, Person))
    district_ids = list(queues)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT q.district_id, c.post_id, c.person_id, c.mandal_id, c.priority, c.last_caller_id,
                   c.last_assigned_on, c.sort_key, c.tiebreak
            FROM unnest(%s::bigint[], %s::int[]) AS q(district_id, batch)
            CROSS JOIN LATERAL (
                SELECT r.post_id, p.person_id, b.mandal_id, r.priority, r.last_caller_id, r.last_assigned_on,
                       r.sort_key, r.tiebreak
                FROM {rotation} r
                JOIN {post} p ON p.id = r.post_id
                JOIN {booth} b ON b.id = p.booth_id
                JOIN {person} pe ON pe.id = p.person_id
                WHERE r.district_id = q.district_id AND p.end_date IS NULL AND b.is_active
                  AND NOT pe.do_not_call AND pe.mobile <> '' AND r.unreachable_mobile <> pe.mobile
                ORDER BY r.priority, r.sort_key, r.tiebreak, r.post_id
                LIMIT q.batch
            ) AS c
            """,  # noqa: S608 - table names from the models, values as parameters
            [district_ids, [queues[d].batch for d in district_ids]],
        )
        rows: dict[int, list[tuple]] = defaultdict(list)
        for district_id, *row in cursor.fetchall():
            rows[district_id].append(tuple(row))
    for district_id, queue in queues.items():
        queue.add(rows.get(district_id, []))


class ScopeStream:
    """The merged queue of a set of districts, shared by the callers with that scope.

    The heap holds, for each district, the next row not yet read by this stream
    (its frontier), plus rows that callers passed over and gave back.
    """

    def __init__(self, queues: list[DistrictQueue], taken: set[int]) -> None:
        self.taken = taken
        self.heap: list[tuple[tuple, int, int]] = []
        self.queues = {queue.district_id: queue for queue in queues}
        self.frontier: dict[int, int] = {}
        for queue in queues:
            # Skip the taken rows at the head once, for every stream that reads this queue.
            while (row := queue.get(queue.start)) is not None and row.post_id in taken:
                queue.start += 1
            self._push_from(queue.district_id, queue.start)

    def _push_from(self, district_id: int, index: int) -> None:
        queue = self.queues[district_id]
        while (candidate := queue.get(index)) is not None and candidate.post_id in self.taken:
            index += 1
        self.frontier[district_id] = index
        if candidate is not None:
            heapq.heappush(self.heap, (candidate.key, district_id, index))

    def candidates(self) -> Iterator[tuple[Candidate, int, int]]:
        """Untaken candidates in queue order; each is consumed from the stream.
        Give back what a caller passed over with `give_back`."""
        while self.heap:
            _key, district_id, index = heapq.heappop(self.heap)
            if index == self.frontier[district_id]:
                self._push_from(district_id, index + 1)
            candidate = self.queues[district_id].get(index)
            if candidate is not None and candidate.post_id not in self.taken:
                yield candidate, district_id, index

    def give_back(self, entries: Iterable[tuple[Candidate, int, int]]) -> None:
        for candidate, district_id, index in entries:
            heapq.heappush(self.heap, (candidate.key, district_id, index))


@dataclass
class DayResult:
    callers: int = 0
    callers_filled: int = 0
    created: int = 0
    short: dict[int, int] = field(default_factory=dict)  # caller person id -> calls missing


def assignments_create_for_day(*, day: datetime.date, source: str = "command") -> AssignmentRun:
    """Give every active caller their calls for `day`, filling only what is missing."""
    run = AssignmentRun.objects.create(day=day, source=source)
    started = time.monotonic()
    try:
        with transaction.atomic():
            CallDay.objects.bulk_create([CallDay(day=day)], ignore_conflicts=True)
            CallDay.objects.select_for_update().get(day=day)
            later = CallDay.objects.filter(day__gt=day).order_by("-day").values_list("day", flat=True).first()
            if later:
                raise AssignmentError(
                    f"Calls are already assigned for {later}; an earlier day ({day}) cannot be assigned after it."
                )
            run.marked_missed = assignments_mark_missed(now=timezone.now())
            result = _assign(day, run)
            run.callers = result.callers
            run.callers_filled = result.callers_filled
            run.assignments_created = result.created
            run.shortfall_calls = sum(result.short.values())
            run.shortfall_reasons = _record_shortfalls(run, day, result.short)
            run.status = AssignmentRun.Status.COMPLETED
            run.finished_at = timezone.now()
            run.duration_ms = round((time.monotonic() - started) * 1000)
            run.save()
    except Exception as exc:
        AssignmentRun.objects.filter(pk=run.pk).update(
            status=AssignmentRun.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}",
            finished_at=timezone.now(),
            duration_ms=round((time.monotonic() - started) * 1000),
        )
        raise
    log.info(
        "assigned %s calls for %s to %s of %s callers (%s short) in %s ms",
        run.assignments_created, day, run.callers_filled, run.callers, run.shortfall_calls, run.duration_ms,
    )  # fmt: skip
    return run


def rotation_sync(*, source: str = "command") -> RotationSync:
    """Bring the queues in line with the whole roster: new presidents join as
    never contacted, ended posts leave, booths moved to another district move
    queue. Set-wise queries over the whole roster (~2 s for a country): run
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
    """Add current presidents' posts missing from the queues (only posts with a
    higher id than `after_post_id`, when given: the cheap check every run makes
    for presidents added since the last full sync). One INSERT ... SELECT."""
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
              AND NOT EXISTS (SELECT 1 FROM {rotation} r WHERE r.post_id = p.id)
            """,  # noqa: S608 - table names from the models, values as parameters
            [Priority.NEVER_CONTACTED, _HASH_A, _HASH_B * datetime.date.min.toordinal(), _HASH_P,
             Post.Role.BOOTH_PRESIDENT, after_post_id or 0],
        )  # fmt: skip
        added = cursor.rowcount
        if added > 1_000 and connection.vendor == "postgresql":
            # Fresh statistics, or the planner reads a district's queue by sorting
            # the whole district instead of walking the queue index.
            cursor.execute(f"ANALYZE {rotation}")
    return added


def _rotation_refresh() -> None:
    """Before picking: a full sync once a day, else only the newest presidents."""
    midnight = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time()))
    if RotationSync.objects.filter(finished_at__gte=midnight).exists():
        newest = PresidentRotation.objects.order_by("-post_id").values_list("post_id", flat=True).first()
        _rotation_add_new(after_post_id=newest)
    else:
        rotation_sync(source="assignment")


def _assign(day: datetime.date, run: AssignmentRun) -> DayResult:
    per_caller = settings.CALLS_PER_CALLER
    scopes = caller_scopes()
    users = caller_users().values_list("person_id", flat=True)
    roles = _caller_roles()
    existing = list(CallAssignment.objects.filter(day=day).values_list("caller_id", "slot", "post_id", "president_id"))
    taken_posts = {post_id for _c, _s, post_id, _p in existing}
    taken_people = {president_id for _c, _s, _p, president_id in existing}
    used_slots: dict[int, set[int]] = defaultdict(set)
    for caller_id, slot, _post, _president in existing:
        used_slots[caller_id].add(slot)

    callers = []
    for person_id in users:
        free = [slot for slot in range(1, per_caller + 1) if slot not in used_slots[person_id]]
        callers.append(Caller(person_id, roles.get(person_id, ""), scopes.get(person_id, frozenset()), free))
    result = DayResult(callers=len(callers))
    # Smallest scopes first, so a district in-charge is not left with the scraps of
    # state-wide callers; ties in a reproducible random order.
    callers.sort(key=lambda c: (len(c.districts), tiebreak_for(c.person_id, day)))
    hungry = [caller for caller in callers if caller.free_slots]
    if not hungry:
        return result
    _rotation_refresh()

    # How many rows each district's queue is likely to give: a scope's calls spread
    # over its districts (thousands of state office-bearers share a few scopes).
    scope_calls: Counter[frozenset[int]] = Counter()
    for caller in hungry:
        scope_calls[caller.districts] += len(caller.free_slots)
    demand: Counter[int] = Counter()
    for scope, calls in scope_calls.items():
        for district_id in scope:
            demand[district_id] += calls / len(scope)
    mandal_district = dict(Mandal.objects.values_list("pk", "district_id"))
    mandal_counts = Counter(mandal_district.values())
    queues = {
        district_id: DistrictQueue(district_id, round(2 * want) + 4, mandal_district)
        for district_id, want in demand.items()
    }
    _load_queue_heads(queues)
    streams: dict[frozenset[int], tuple[ScopeStream, bool]] = {}
    yesterday = day - datetime.timedelta(days=1)

    for caller in hungry:
        if not caller.districts:
            result.short[caller.person_id] = len(caller.free_slots)
            continue
        if caller.districts not in streams:
            streams[caller.districts] = (
                ScopeStream([queues[d] for d in sorted(caller.districts)], taken_posts),
                sum(mandal_counts[d] for d in caller.districts) > 1,
            )
        stream, several_mandals = streams[caller.districts]
        _pick_for_caller(caller, stream, taken_posts, taken_people, yesterday, several_mandals)
        if caller.picks:
            result.callers_filled += 1
        missing = len(caller.free_slots) - len(caller.picks)
        if missing:
            result.short[caller.person_id] = missing

    rows = [
        (caller.person_id, caller.role, slot, pick.post_id, pick.person_id, REASON_FOR_PRIORITY[pick.priority])
        for caller in hungry
        for slot, pick in zip(caller.free_slots, caller.picks, strict=False)
    ]
    _insert_assignments(day, run, rows)
    result.created = len(rows)
    _rotation_after_assignment(day, run)
    return result


def _insert_assignments(day: datetime.date, run: AssignmentRun, rows: list[tuple]) -> None:
    """Insert (caller, role, slot, post, president, reason) rows for the day.

    bulk_create, except on PostgreSQL, where building and preparing 40,000
    model instances (~2.5 s) dwarfs the insert itself: there psycopg2's
    execute_values takes the tuples as they are."""
    if connection.vendor != "postgresql":
        CallAssignment.objects.bulk_create(
            [
                CallAssignment(day=day, caller_id=caller_id, caller_role=role, slot=slot, post_id=post_id,
                               president_id=president_id, reason=reason, run=run)
                for caller_id, role, slot, post_id, president_id, reason in rows
            ],
            batch_size=5_000,
        )  # fmt: skip
        return
    from psycopg2.extras import execute_values

    columns = "caller_id, caller_role, slot, post_id, president_id, reason, day, status, outcome, run_id, created_at"
    same_for_all = (day, CallAssignment.Status.ASSIGNED, "", run.pk, timezone.now())
    with connection.cursor() as cursor:
        execute_values(
            cursor.cursor,
            f"INSERT INTO {CallAssignment._meta.db_table} ({columns}) VALUES %s",  # noqa: S608
            [row + same_for_all for row in rows],
            page_size=5_000,
        )


def _pick_for_caller(
    caller: Caller,
    stream: ScopeStream,
    taken_posts: set[int],
    taken_people: set[int],
    yesterday: datetime.date,
    several_mandals: bool,
) -> None:
    """Take the caller's picks from the stream, best first, from different mandals
    where the best remaining class of the scope has another mandal."""
    passed_over: list[tuple[Candidate, int, int]] = []
    used_mandals: set[int] = set()
    entries = stream.candidates()

    def usable(candidate: Candidate) -> bool:
        if candidate.person_id in taken_people or candidate.person_id == caller.person_id:
            return False
        # Not reached yesterday by this caller: it goes to someone else today.
        return not (
            candidate.priority == Priority.RETRY
            and candidate.last_caller_id == caller.person_id
            and candidate.last_assigned_on == yesterday
        )

    def take(entry: tuple[Candidate, int, int]) -> None:
        candidate = entry[0]
        caller.picks.append(candidate)
        used_mandals.add(candidate.mandal_id)
        taken_posts.add(candidate.post_id)
        taken_people.add(candidate.person_id)

    try:
        while len(caller.picks) < len(caller.free_slots):
            best = None
            for entry in entries:
                if entry[0].person_id in taken_people:
                    continue  # the same person presides another booth already picked today
                if usable(entry[0]):
                    best = entry
                    break
                passed_over.append(entry)
            if best is None:
                break
            if not several_mandals or best[0].mandal_id not in used_mandals:
                take(best)
                continue
            # Look further down the same class for a mandal this caller has not got yet.
            alternative, scanned = None, []
            for entry in entries:
                if entry[0].priority != best[0].priority or len(scanned) >= DIVERSITY_SCAN_LIMIT:
                    scanned.append(entry)
                    break
                if usable(entry[0]) and entry[0].mandal_id not in used_mandals:
                    alternative = entry
                    break
                scanned.append(entry)
            if alternative is not None:
                take(alternative)
                passed_over.append(best)
            else:
                take(best)
            passed_over.extend(scanned)
    finally:
        stream.give_back(entry for entry in passed_over if entry[0].post_id not in taken_posts)


def _rotation_after_assignment(day: datetime.date, run: AssignmentRun) -> None:
    """Move the presidents picked in this run to the back of their queues: one
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


def _caller_roles() -> dict[int, str]:
    """A caller's role for the record: state office-bearer over district in-charge."""
    roles: dict[int, str] = {}
    for person_id, role in Post.objects.current().callers().values_list("person_id", "role"):
        if roles.get(person_id) != Post.Role.STATE_OFFICE_BEARER:
            roles[person_id] = role
    return roles


def _record_shortfalls(run: AssignmentRun, day: datetime.date, short: dict[int, int]) -> dict[str, int]:
    """Say, for each caller left short, what their scope lacks; return the same
    counts over all the short scopes together (each booth counted once)."""
    if not short:
        return {}
    scopes = caller_scopes(person_ids=list(short))
    own = Counter(CallAssignment.objects.filter(day=day, caller_id__in=list(short)).values_list("caller_id", flat=True))
    by_scope: dict[frozenset[int], dict[str, int]] = {}
    rows = []
    for person_id, missing in short.items():
        scope = scopes.get(person_id, frozenset())
        if scope not in by_scope:
            by_scope[scope] = shortfall_reasons(districts=scope, day=day)
        reasons = dict(by_scope[scope])
        assigned = reasons.pop("assigned_today", 0)
        if assigned - own[person_id]:
            reasons["assigned_to_others"] = assigned - own[person_id]
        rows.append(AssignmentShortfall(run=run, caller_id=person_id, missing=missing, reasons=reasons))
    AssignmentShortfall.objects.bulk_create(rows)
    return shortfall_reasons(districts=set().union(*(scopes.get(p, frozenset()) for p in short)), day=day)


def shortfall_reasons(*, districts: Iterable[int], day: datetime.date) -> dict[str, int]:
    """How many booths of a scope could not be given on the day, by reason."""
    districts = list(districts)
    if not districts:
        return {"no_districts_in_scope": 1}
    booths = Booth.objects.filter(mandal__district_id__in=districts)
    counts = booths.aggregate(booths=Count("pk"), inactive=Count("pk", filter=Q(is_active=False)))
    vacant = booths.filter(is_active=True).vacant().count()
    presidents = Post.objects.current().filter(
        role=Post.Role.BOOTH_PRESIDENT, booth__is_active=True, booth__mandal__district_id__in=districts
    )
    people = presidents.aggregate(
        no_mobile=Count("pk", filter=Q(person__mobile="")),
        do_not_call=Count("pk", filter=Q(person__do_not_call=True) & ~Q(person__mobile="")),
    )
    unreachable = (
        PresidentRotation.objects.filter(post__in=presidents, unreachable_mobile=F("post__person__mobile"))
        .exclude(unreachable_mobile="")
        .count()
    )
    assigned_today = CallAssignment.objects.filter(day=day, post__booth__mandal__district_id__in=districts).count()
    reasons = {
        "booths": counts["booths"],
        "vacant": vacant,
        "inactive_booths": counts["inactive"],
        "no_mobile": people["no_mobile"],
        "do_not_call": people["do_not_call"],
        "unreachable": unreachable,
        "assigned_today": assigned_today,
    }
    return {reason: n for reason, n in reasons.items() if n}


def assignments_mark_missed(*, now: datetime.datetime | None = None) -> int:
    """Mark assignments without an outcome as missed once their day (IST) and the
    grace period are over. Safe to run any number of times."""
    now = now or timezone.now()
    cutoff = timezone.localdate(now - datetime.timedelta(hours=settings.MISSED_GRACE_HOURS))
    with transaction.atomic():
        due = list(
            CallAssignment.objects.select_for_update()
            .filter(status=CallAssignment.Status.ASSIGNED, day__lt=cutoff)
            .values_list("pk", "post_id", "day")
        )
        if not due:
            return 0
        marked = CallAssignment.objects.filter(
            pk__in=[pk for pk, _post, _day in due], status=CallAssignment.Status.ASSIGNED
        ).update(status=CallAssignment.Status.MISSED)
        # Not called at all: the president goes back ahead of those who were reached,
        # unless they have been assigned again since.
        by_day: dict[datetime.date, list[int]] = defaultdict(list)
        for _pk, post_id, day in due:
            by_day[day].append(post_id)
        for day, post_ids in by_day.items():
            PresidentRotation.objects.filter(post_id__in=post_ids, last_assigned_on=day).update(
                priority=Priority.RETRY, sort_key=day
            )
    return marked


def assignment_record_outcome(
    *, assignment: CallAssignment, outcome: str, logged_at: datetime.datetime | None = None
) -> CallAssignment:
    """Record how the call went and move the president in the rotation. Recording
    again (a same-day correction) first takes back what the earlier outcome did."""
    if outcome not in CallAssignment.Outcome.values:
        raise ValueError(f"unknown outcome {outcome!r}")
    with transaction.atomic():
        assignment = CallAssignment.objects.select_for_update().select_related("post__person").get(pk=assignment.pk)
        previous = assignment.outcome
        assignment.status = CallAssignment.Status.LOGGED
        assignment.outcome = outcome
        assignment.logged_at = logged_at or timezone.now()
        assignment.save(update_fields=["status", "outcome", "logged_at"])
        rotation = PresidentRotation.objects.select_for_update().filter(post_id=assignment.post_id).first()
        if rotation is None or rotation.last_assigned_on != assignment.day:
            return assignment  # assigned again since; the newer assignment decides
        mobile = str(assignment.post.person.mobile)
        if previous in NOT_REACHED:
            rotation.failed_attempts = max(0, rotation.failed_attempts - 1)
        if previous in (*NOT_REACHED, CallAssignment.Outcome.NOT_PRESIDENT) and rotation.unreachable_mobile == mobile:
            rotation.unreachable_mobile = ""  # set by the outcome being corrected
        if outcome == CallAssignment.Outcome.REACHED:
            rotation.priority = Priority.CONTACTED
            rotation.last_reached_on = assignment.day
            rotation.failed_attempts = 0
        else:
            rotation.priority = Priority.RETRY
            if outcome in NOT_REACHED:
                rotation.failed_attempts += 1
            if rotation.failed_attempts >= UNREACHABLE_AFTER:
                rotation.unreachable_mobile = mobile
            if outcome == CallAssignment.Outcome.NOT_PRESIDENT:
                # The roster is wrong: no more calls to this number for this booth
                # until the roster has another president or number.
                rotation.unreachable_mobile = mobile
        rotation.sort_key = assignment.day
        rotation.save()
    return assignment
