"""Logging calls and following up on them: the writes behind the caller's pages."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from booths.models import Person, Post, User

from .models import CallAssignment, CallLog, CallNeed, CampaignQuestion, FollowUp, RosterReport
from .rotation import assignment_record_outcome
from .stats import follow_up_stats_refresh_for, stats_refresh_for_call
from .tiffin import tiffin_held_for_call
from .verification.selectors import questions_for_call
from .verification.services import call_answers_sync

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
    answers: dict[int, str | int] = field(default_factory=dict)  # campaign question id -> answer
    tiffin_meeting: str = ""  # yes / no / unknown: the president confirms the mandal's tiffin meeting


def call_questions(assignment: CallAssignment) -> list[CampaignQuestion]:
    """The campaigns' questions for this call (its booth's district, its day)."""
    return questions_for_call(district_id=assignment.post.booth.mandal.district_id, day=assignment.day)


def call_asks_tiffin(assignment: CallAssignment) -> bool:
    """Whether the call asks the president to confirm this month's tiffin meeting."""
    return tiffin_held_for_call(mandal_id=assignment.post.booth.mandal_id, day=assignment.day)


def call_is_editable(assignment: CallAssignment, today: datetime.date | None = None) -> bool:
    return assignment.day == (today or timezone.localdate()) and assignment.status != CallAssignment.Status.MISSED


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
    kinds = {
        Outcome.WRONG_NUMBER: RosterReport.Kind.WRONG_NUMBER,
        Outcome.NOT_PRESIDENT: RosterReport.Kind.NOT_PRESIDENT,
    }
    if outcome not in kinds:
        RosterReport.objects.filter(assignment=assignment, dismissed_at=None).delete()
        return
    booth = assignment.post.booth
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


def follow_up_update(*, follow_up: FollowUp, status: str, assigned_to: Person | None, note: str) -> FollowUp:
    with transaction.atomic():
        follow_up.status = status
        follow_up.assigned_to = assigned_to
        follow_up.resolution_note = note
        follow_up.resolved_at = timezone.now() if status == FollowUp.Status.RESOLVED else None
        follow_up.save()
        follow_up_stats_refresh_for([follow_up])
    return follow_up
