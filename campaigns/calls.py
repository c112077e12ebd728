"""Logging calls and following up on them: the writes behind the caller's pages."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from booths.models import Person, Post, User
from booths.selectors import caller_scopes

from .models import CallAssignment, CallLog, CallNeed, FollowUp, RosterReport
from .rotation import assignment_record_outcome

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


def assignment_get_for_caller(*, user: User, pk: int) -> CallAssignment:
    """The caller's own assignment, or 404: the one place caller access is checked."""
    if not user.is_authenticated or user.person_id is None:
        raise Http404
    assignment = (
        CallAssignment.objects.select_related(
            "president", "post__booth__assembly_seat", "post__booth__mandal__district", "log"
        )
        .filter(pk=pk, caller_id=user.person_id)
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


def call_is_editable(assignment: CallAssignment, today: datetime.date | None = None) -> bool:
    return assignment.day == (today or timezone.localdate()) and assignment.status != CallAssignment.Status.MISSED


def call_log_record(*, assignment: CallAssignment, user: User, report: CallReport) -> CallAssignment:
    """Record (or correct, the same day) the outcome of a call and what was said.

    One log per assignment whatever the number of submissions; the rotation,
    the district's follow-ups and its roster-correction list follow the latest
    outcome.
    """
    if not call_is_editable(assignment):
        raise CallLocked
    with transaction.atomic():
        assignment = CallAssignment.objects.select_for_update().get(pk=assignment.pk)
        if not call_is_editable(assignment):
            raise CallLocked
        assignment = assignment_record_outcome(assignment=assignment, outcome=report.outcome)
        reached = report.outcome == Outcome.REACHED
        log, _created = CallLog.objects.update_or_create(
            assignment=assignment,
            defaults={
                "wellbeing": report.wellbeing if reached else "",
                "wellbeing_note": report.wellbeing_note if reached else "",
                "standing": report.standing if reached else "",
                "notes": report.notes,
                "follow_up_wanted": report.follow_up_wanted and reached,
                "logged_by": user,
            },
        )
        needs = report.needs if reached else {}
        _sync_needs(log, needs)
        _sync_follow_ups(log, assignment, needs, report.follow_up_wanted and reached, report.notes)
        _sync_roster_report(assignment, report.outcome)
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
    log.follow_ups.filter(status=FollowUp.Status.OPEN, assigned_to=None).exclude(category__in=list(wanted)).delete()
    existing = set(log.follow_ups.values_list("category", flat=True))
    booth = assignment.post.booth
    for category, detail in wanted.items():
        if category not in existing:
            FollowUp.objects.create(
                district_id=booth.mandal.district_id, booth=booth, log=log, category=category, detail=detail
            )


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


def user_district_ids(*, user: User) -> set[int] | None:
    """The districts whose follow-ups a user may see: a caller's scope; every
    district (None) for staff."""
    if user.is_staff:
        return None
    if user.person_id is None:
        return set()
    return set(caller_scopes(person_ids=[user.person_id]).get(user.person_id, ()))


def follow_up_get_for_user(*, user: User, pk: int) -> FollowUp:
    districts = user_district_ids(user=user)
    follow_ups = FollowUp.objects.select_related(
        "booth__assembly_seat", "booth__mandal", "district", "assigned_to", "log__assignment__president"
    )
    if districts is not None:
        follow_ups = follow_ups.filter(district_id__in=districts)
    follow_up = follow_ups.filter(pk=pk).first()
    if follow_up is None:
        raise Http404
    return follow_up


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
    follow_up.status = status
    follow_up.assigned_to = assigned_to
    follow_up.resolution_note = note
    follow_up.resolved_at = timezone.now() if status == FollowUp.Status.RESOLVED else None
    follow_up.save()
    return follow_up
