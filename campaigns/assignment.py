"""The daily assignment: every active caller gets booth presidents to phone.

How a day is filled (`assignments_create_for_day`):

1. Lock the day (one `CallDay` row, `SELECT ... FOR UPDATE`), so two runs at the
   same moment serialise; the second finds the day filled and adds nothing.
2. Mark earlier assignments without an outcome as missed, and bring the
   rotation (`rotation.py`) up to date with the roster: a full refresh
   when none ran today (the nightly job runs one at 05:30), else just the
   presidents added since.
3. Walk the callers, smallest scope first, and give each the best presidents of
   their scope that nobody has today: the heads of the districts' rotations are
   read in one query (more rows only when a rotation runs dry) and merged for
   callers whose scope spans many districts. A caller's picks come from
   different mandals when the best remaining class of the scope allows it.
4. Insert the assignments and move the picked presidents to the back of their
   rotations, all in the same transaction: a run killed half-way leaves nothing,
   and the next run (the hourly tick) fills the day.
"""

import datetime
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from booths.models import Booth, Mandal, Post
from booths.selectors import caller_scopes, caller_users

from .models import AssignmentRun, AssignmentShortfall, CallAssignment, CallDay, PresidentRotation
from .rotation import (
    Candidate,
    DistrictRotation,
    ScopeStream,
    rotation_after_assignment,
    rotation_heads_load,
    rotation_refresh,
    tiebreak_for,
)
from .stats import stats_refresh_days
from .verification.selectors import campaign_targets

log = logging.getLogger(__name__)

Priority = PresidentRotation.Priority
REASON_FOR_PRIORITY: dict[int, str] = {
    Priority.NEVER_CONTACTED: CallAssignment.Reason.NEVER_CONTACTED,
    Priority.RETRY: CallAssignment.Reason.RETRY_NOT_REACHED,
    Priority.CONTACTED: CallAssignment.Reason.LEAST_RECENTLY_REACHED,
}
# A diversity scan for a different mandal looks this far down the rotation at most.
DIVERSITY_SCAN_LIMIT = 5_000


class AssignmentError(Exception):
    """The day cannot be assigned; the message says why."""


@dataclass
class Caller:
    person_id: int
    role: str
    districts: frozenset[int]
    free_slots: list[int]
    picks: list[Candidate] = field(default_factory=list)


@dataclass
class DayResult:
    callers: int = 0
    callers_filled: int = 0
    created: int = 0
    short: dict[int, int] = field(default_factory=dict)  # caller person id -> calls missing


def assignments_create_for_day(*, day: datetime.date, source: str = "command") -> AssignmentRun:
    """Give every active caller their calls for `day`, filling only what is missing.

    Any day may be run again: when nothing is missing it adds nothing, even after
    later days were assigned. A day with calls missing cannot be filled once a
    later day exists (the rotations have moved on), and days after tomorrow (IST)
    are refused: a mistyped year would otherwise stop every later run."""
    today = timezone.localdate()
    if day > today + datetime.timedelta(days=1):
        raise AssignmentError(
            f"{day} is too far ahead: calls are assigned for today ({today}, India time) or tomorrow, not later. "
            "Check the date."
        )
    assignment_runs_fail_stale()
    run = AssignmentRun.objects.create(day=day, source=source)
    started = time.monotonic()
    try:
        with transaction.atomic():
            CallDay.objects.bulk_create([CallDay(day=day)], ignore_conflicts=True)
            CallDay.objects.select_for_update().get(day=day)
            later = CallDay.objects.filter(day__gt=day).order_by("-day").values_list("day", flat=True).first()
            run.marked_missed = assignments_mark_missed(now=timezone.now())
            result = _assign(day, run, later=later)
            if result.created:
                stats_refresh_days(days=[day])
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


def _assign(day: datetime.date, run: AssignmentRun, *, later: datetime.date | None = None) -> DayResult:
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
    if later:
        if AssignmentRun.objects.filter(day=day, status=AssignmentRun.Status.COMPLETED).exists():
            # The day was assigned as well as it could be then (callers short of
            # presidents, or added since): a re-run changes nothing, and says so.
            run.left_short = len(hungry)
            return result
        raise AssignmentError(
            f"{len(hungry)} callers have calls missing on {day}, but calls are already assigned for {later}: "
            "an earlier day cannot be filled after a later one."
        )
    rotation_refresh()

    # How many rows each district's rotation is likely to give: a scope's calls spread
    # over its districts (thousands of state office-bearers share a few scopes).
    scope_calls: Counter[frozenset[int]] = Counter()
    for caller in hungry:
        scope_calls[caller.districts] += len(caller.free_slots)
    demand: defaultdict[int, float] = defaultdict(float)
    for scope, calls in scope_calls.items():
        for district_id in scope:
            demand[district_id] += calls / len(scope)
    mandal_district = dict(Mandal.objects.values_list("pk", "district_id"))
    mandal_counts = Counter(mandal_district.values())
    rotations = {
        district_id: DistrictRotation(district_id, round(2 * want) + 4, mandal_district)
        for district_id, want in demand.items()
    }
    rotation_heads_load(rotations)
    streams: dict[frozenset[int], tuple[ScopeStream, bool]] = {}
    yesterday = day - datetime.timedelta(days=1)
    share = settings.CAMPAIGN_TARGETING
    targeted = campaign_targets(day=day) if share > 0 else frozenset()
    owed = 0.0  # targeted picks owed, carried from caller to caller so a share like 0.3 comes out fair

    for caller in hungry:
        if not caller.districts:
            result.short[caller.person_id] = len(caller.free_slots)
            continue
        if caller.districts not in streams:
            streams[caller.districts] = (
                ScopeStream([rotations[d] for d in sorted(caller.districts)], taken_posts),
                sum(mandal_counts[d] for d in caller.districts) > 1,
            )
        stream, several_mandals = streams[caller.districts]
        aim: frozenset[int] = frozenset()
        if targeted and (caller.districts & targeted) and not caller.districts <= targeted:
            owed += share * len(caller.free_slots)
            aim = targeted
        target_picks = int(owed) if aim else 0
        owed -= target_picks
        _pick_for_caller(caller, stream, taken_posts, taken_people, yesterday, several_mandals, aim, target_picks)
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
    rotation_after_assignment(day, run)
    return result


def assignment_runs_fail_stale(*, now: datetime.datetime | None = None) -> int:
    """Mark as failed the runs that never finished: a run's work is one
    transaction of seconds, so one still "running" after
    ASSIGNMENT_RUN_STALE_MINUTES was killed or lost its database, and kept nothing."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(minutes=settings.ASSIGNMENT_RUN_STALE_MINUTES)
    return AssignmentRun.objects.filter(status=AssignmentRun.Status.RUNNING, started_at__lt=cutoff).update(
        status=AssignmentRun.Status.FAILED,
        finished_at=now,
        error=f"No finish recorded within {settings.ASSIGNMENT_RUN_STALE_MINUTES} minutes: the run was stopped "
        "or lost its database connection. Nothing of it was kept; a later run fills the day.",
    )


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
    targeted: frozenset[int] = frozenset(),
    target_picks: int = 0,
) -> None:
    """Take the caller's picks from the stream, best first, from different mandals
    where the best remaining class of the scope has another mandal.

    `target_picks` of them go, when the best remaining class of the scope has
    one, to a district in `targeted` (a campaign's doubtful districts): like the
    mandals, a pick moves only within its class, so nobody is called again
    while someone of the scope has not been called."""
    passed_over: list[tuple[Candidate, int, int]] = []
    used_mandals: set[int] = set()
    entries = stream.candidates()
    wanted = {"targeted": target_picks}

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
        if entry[1] in targeted and wanted["targeted"]:
            wanted["targeted"] -= 1
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
            if wanted["targeted"] and best[1] not in targeted:
                # Look down the same class for a doubtful district's president, from a
                # mandal this caller has not got yet when there is one.
                scanned: list[Any] = []
                alternative = None
                for entry in entries:
                    if entry[0].priority != best[0].priority or len(scanned) >= DIVERSITY_SCAN_LIMIT:
                        scanned.append(entry)
                        break
                    if entry[1] in targeted and usable(entry[0]):
                        if not several_mandals or entry[0].mandal_id not in used_mandals:
                            if alternative is not None:
                                scanned.append(alternative)
                            alternative = entry
                            break
                        if alternative is None:
                            alternative = entry  # the fallback: the best doubtful one, same mandal
                            continue
                    scanned.append(entry)
                # What the scan read goes back into the stream at once: this caller's
                # next slot may need it (a pick passed over is not a pick lost).
                stream.give_back(scanned)
                entries = stream.candidates()  # the scan may have run the last one dry
                if alternative is not None:
                    take(alternative)
                    stream.give_back([best])
                    continue
                wanted["targeted"] = 0  # none left in this class: the rotation goes first
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
    unreachable = PresidentRotation.objects.filter(post__in=presidents).set_aside().count()
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
        stats_refresh_days(days=by_day)
    return marked
