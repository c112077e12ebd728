"""A person's data on request: everything held about them (an access request),
and anonymising them (erasure) without losing history or changing a figure.

The person is found by a mobile number (theirs or their alternate); families
share phones, so a number may name several people: both functions then ask for
the person's id. Anonymising blanks the name, the numbers and the free text
written about them, ends their account's use and marks them do-not-call; their
posts, calls and outcomes stay (as "anonymised"), so every count, rollup and
export keeps its figures.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from booths.models import Person, User
from booths.phones import parse_indian_mobile

from .models import CallAssignment, CallLog, FollowUp, Message, PresidentRotation, RosterReport

ANONYMISED = "अनाम (anonymised)"


class PersonNotFound(Exception):
    pass


class SeveralPeople(Exception):
    def __init__(self, people: list[Person]) -> None:
        super().__init__("several people have this number")
        self.people = people


def person_find(*, phone: str, person_id: int | None = None) -> Person:
    """The one person with this mobile (or alternate), or PersonNotFound / SeveralPeople."""
    number = parse_indian_mobile(phone).as_e164  # ValidationError says what is wrong with it
    people = Person.objects.filter(Q(mobile=number) | Q(alternate_mobile=number)).order_by("pk")
    if person_id is not None:
        people = people.filter(pk=person_id)
    found = list(people)
    if not found:
        raise PersonNotFound(number)
    if len(found) > 1:
        raise SeveralPeople(found)
    return found[0]


def _iso(value: object) -> object:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _rows(queryset: QuerySet, *fields: str) -> list[dict]:
    return [{key: _iso(value) for key, value in row.items()} for row in queryset.values(*fields)]


def person_export_data(*, person: Person) -> dict:
    """Everything held about a person, as plain JSON-ready data."""
    user = User.objects.filter(person=person).first()
    as_president = CallAssignment.objects.filter(president=person).order_by("day", "pk")
    return {
        "exported_at": _iso(timezone.now()),
        "person": {
            "id": person.pk,
            "name": person.name,
            "mobile": str(person.mobile or ""),
            "alternate_mobile": str(person.alternate_mobile or ""),
            "do_not_call": person.do_not_call,
            "do_not_call_reason": person.do_not_call_reason,
            "notes": person.notes,
            "created_at": _iso(person.created_at),
            "updated_at": _iso(person.updated_at),
        },
        "posts": [
            {**row, "unit": str(post)}
            for post, row in zip(
                person.posts.order_by("start_date", "pk"),
                _rows(person.posts.order_by("start_date", "pk"), "role", "title", "start_date", "end_date"),
                strict=True,
            )
        ],
        "account": None
        if user is None
        else {
            "username": user.username,
            "email": user.email,
            "language": user.language,
            "is_active": user.is_active,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "calls_received": _rows(
            as_president,
            "day",
            "status",
            "outcome",
            "logged_at",
            "log__wellbeing",
            "log__wellbeing_note",
            "log__standing",
            "log__notes",
        ),
        "calls_made": _rows(
            CallAssignment.objects.filter(caller=person).order_by("day", "pk"),
            "day",
            "president__name",
            "status",
            "outcome",
            "logged_at",
        ),
        "follow_ups_about_them": _rows(
            FollowUp.objects.filter(log__assignment__president=person).order_by("created_at"),
            "category",
            "detail",
            "status",
            "resolution_note",
            "created_at",
            "resolved_at",
        ),
        "follow_ups_assigned_to_them": _rows(
            FollowUp.objects.filter(assigned_to=person).order_by("created_at"), "category", "status", "created_at"
        ),
        "messages_to_them": _rows(
            Message.objects.filter(caller=person).order_by("created_at"),
            "kind",
            "day",
            "to",
            "text",
            "status",
            "sent_at",
        ),
    }


@dataclass
class Anonymised:
    person_id: int
    calls_received: int
    messages: int
    account: bool


def person_anonymise(*, person: Person) -> Anonymised:
    """Blank what identifies the person; keep every record and figure (see the module)."""
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        person.name, person.mobile, person.alternate_mobile, person.notes = ANONYMISED, "", "", ""
        person.do_not_call, person.do_not_call_reason = True, "anonymised on request"
        person.save()
        received = CallAssignment.objects.filter(president=person)
        CallLog.objects.filter(assignment__in=received).update(wellbeing_note="", notes="")
        FollowUp.objects.filter(log__assignment__president=person).update(detail="", resolution_note="")
        PresidentRotation.objects.filter(post__person=person).update(unreachable_mobile="")
        RosterReport.objects.filter(post__person=person).update(reported_mobile="")
        messages = Message.objects.filter(caller=person).update(to="", text="", variables=[])
        user = User.objects.filter(person=person).first()
        if user is not None:
            user.username = f"anonymised-{user.pk}"
            user.first_name = user.last_name = user.email = ""
            user.is_active = user.is_staff = user.is_superuser = False
            user.set_unusable_password()
            user.save()
    return Anonymised(person.pk, received.count(), messages, user is not None)
