"""The daily calls' writes, one home for the pages, the admin, the API, the
tasks and the commands: logging a call and correcting it the same day, following
up on it, taking a roster report off the list, revoking sign-in links, and the
day's assignment (its engine is `assignment.py`, the presidents' order
`rotation.py`; these are their entry points).

Each service takes keyword arguments and runs in one transaction; those that
change calls or follow-ups keep the dashboards' figures current in it. Reads
live in `selectors.py`, who may see what in `access.py`.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from booths.audit import audit_records
from booths.models import Person, User

from .assignment import AssignmentError, assignment_runs_fail_stale, assignments_create_for_day, assignments_mark_missed
from .models import CallAssignment, CallLog, CallNeed, FollowUp, PresidentRotation, RosterReport
from .rotation import NOT_REACHED, UNREACHABLE_AFTER, rotation_sync
from .selectors import call_asks_tiffin, call_is_editable, call_questions
from .stats import follow_up_stats_refresh_for, stats_refresh_for_call
from .verification.services import call_answers_sync

__all__ = [
    "AssignmentError",
    "CallLocked",
    "CallReport",
    "assignment_record_outcome",
    "assignment_runs_fail_stale",
    "assignments_create_for_day",
    "assignments_mark_missed",
    "call_log_record",
    "follow_up_update",
    "roster_report_dismiss",
    "rotation_sync",
    "signin_links_revoke",
]

Priority = PresidentRotation.Priority

Outcome = CallAssignment.Outcome


class CallLocked(Exception):
    """The call's day is over: its log can be read, no longer changed."""


@dataclass
class CallReport:
    """What a caller says about a call (the outcome form, cleaned)."""

    outcome: str
    wellbeing: str = ""
    wellbeing_note: str = ""
    standing: str = ""
    needs: dict[str, str] = field(default_factory=dict)  # category -> detail
    notes: str = ""
    follow_up_wanted: bool = False
    answers: dict[int, Any] = field(default_factory=dict)  # campaign question id -> answer
    tiffin_meeting: str = ""  # yes / no / unknown: the president confirms the mandal's tiffin meeting


def call_log_record(
    *, assignment: CallAssignment, user: User, report: CallReport, at: datetime.datetime | None = None
) -> CallAssignment:
    """Record (or correct, the same day) the outcome of a call and what was said.

    One log per assignment whatever the number of submissions; the rotation,
    the district's follow-ups and its roster-correction list follow the latest
    outcome, and so do the dashboards' figures. `at` is when it is recorded
    (now; the demo history records its days as they were).
    """
    at = at or timezone.now()
    today = timezone.localdate(at)
    if not call_is_editable(assignment, today):
        raise CallLocked
    with transaction.atomic():
        assignment = CallAssignment.objects.select_for_update().get(pk=assignment.pk)
        if not call_is_editable(assignment, today):
            raise CallLocked
        assignment = assignment_record_outcome(assignment=assignment, outcome=report.outcome, logged_at=at)
        reached = report.outcome == Outcome.REACHED
        log, _created = CallLog.objects.update_or_create(
            assignment=assignment,
            defaults={
                "wellbeing": report.wellbeing if reached else "",
                "wellbeing_note": report.wellbeing_note if reached else "",
                "standing": report.standing if reached else "",
                "notes": report.notes,
                "follow_up_wanted": report.follow_up_wanted and reached,
                "tiffin_meeting": report.tiffin_meeting if reached and call_asks_tiffin(assignment) else "",
                "logged_by": user,
            },
        )
        needs = report.needs if reached else {}
        _sync_needs(log, needs)
        _sync_follow_ups(log, assignment, needs, report.follow_up_wanted and reached, report.notes)
        _sync_roster_report(assignment, report.outcome)
        call_answers_sync(log=log, answers=report.answers if reached else {}, questions=call_questions(assignment))
        stats_refresh_for_call(assignment=assignment)
    return assignment


def _sync_needs(log: CallLog, needs: dict[str, str]) -> None:
    log.needs.exclude(category__in=list(needs)).delete()
    existing = {need.category: need for need in log.needs.all()}
    for category, detail in needs.items():
        if category in existing:
            if existing[category].detail != detail:
                existing[category].detail = detail
                existing[category].save(update_fields=["detail"])
        else:
            CallNeed.objects.create(log=log, category=category, detail=detail)


def _sync_follow_ups(
    log: CallLog, assignment: CallAssignment, needs: dict[str, str], follow_up_wanted: bool, notes: str
) -> None:
    """One follow-up per need (or one general one when a follow-up was asked for
    without a need). A correction the same day withdraws items nobody has
    started on."""
    wanted = dict(needs)
    if follow_up_wanted and not wanted:
        wanted[FollowUp.GENERAL] = notes[:500]
    withdrawn = list(
        log.follow_ups.filter(status=FollowUp.Status.OPEN, assigned_to=None).exclude(category__in=list(wanted))
    )
    FollowUp.objects.filter(pk__in=[item.pk for item in withdrawn]).delete()
    existing = set(log.follow_ups.values_list("category", flat=True))
    booth = assignment.post.booth
    assert booth is not None  # a president's post
    created = [
        FollowUp.objects.create(
            district_id=booth.mandal.district_id, booth=booth, log=log, category=category, detail=detail
        )
        for category, detail in wanted.items()
        if category not in existing
    ]
    if withdrawn or created:
        follow_up_stats_refresh_for([*withdrawn, *created])


def _sync_roster_report(assignment: CallAssignment, outcome: str) -> None:
    kinds: dict[str, str] = {
        Outcome.WRONG_NUMBER: RosterReport.Kind.WRONG_NUMBER,
        Outcome.NOT_PRESIDENT: RosterReport.Kind.NOT_PRESIDENT,
    }
    if outcome not in kinds:
        RosterReport.objects.filter(assignment=assignment, dismissed_at=None).delete()
        return
    booth = assignment.post.booth
    assert booth is not None  # a president's post
    RosterReport.objects.update_or_create(
        assignment=assignment,
        defaults={
            "district_id": booth.mandal.district_id,
            "booth": booth,
            "post": assignment.post,
            "kind": kinds[outcome],
            "reported_mobile": str(assignment.president.mobile),
        },
    )


def follow_up_update(*, follow_up: FollowUp, status: str, assigned_to: Person | None, note: str) -> FollowUp:
    with transaction.atomic():
        follow_up.status = status
        follow_up.assigned_to = assigned_to
        follow_up.resolution_note = note
        follow_up.resolved_at = timezone.now() if status == FollowUp.Status.RESOLVED else None
        follow_up.save()
        follow_up_stats_refresh_for([follow_up])
    return follow_up


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
        if previous == CallAssignment.Outcome.REACHED and outcome != previous:
            # Not reached after all: reached last on the day before, if ever.
            rotation.last_reached_on = (
                CallAssignment.objects.filter(post_id=assignment.post_id, outcome=CallAssignment.Outcome.REACHED)
                .exclude(pk=assignment.pk)
                .order_by("-day")
                .values_list("day", flat=True)
                .first()
            )
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


def roster_report_dismiss(*, report: RosterReport) -> RosterReport:
    """Take a report off the correction list (the roster was right after all)."""
    report.dismissed_at = timezone.now()
    report.save(update_fields=["dismissed_at"])
    return report


def signin_links_revoke(*, users: Iterable[User], by: User) -> int:
    """End every sign-in link of these accounts, and the sessions opened with one
    (the link's version is part of the session's hash), recorded in the audit trail."""
    users = list(users)
    with transaction.atomic():
        count = User.objects.filter(pk__in=[user.pk for user in users]).update(
            signin_link_version=F("signin_link_version") + 1
        )
        audit_records(user=by, objects=users, message="Revoked their sign-in links")
    return count
