"""The database keeps the roster honest whatever path a write takes."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from booths.models import Booth, Post
from booths.selectors import booth_current_president, caller_scopes, caller_users
from tests.factories import (
    AssemblySeatFactory,
    BoothFactory,
    BoothPresidentFactory,
    DistrictFactory,
    DistrictInchargeFactory,
    MandalFactory,
    PersonFactory,
    RegionFactory,
    StateOfficeBearerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_second_current_president_of_a_booth_is_refused():
    first = BoothPresidentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        BoothPresidentFactory(booth=first.booth)
    assert Post.objects.filter(booth=first.booth).count() == 1


def test_ended_president_keeps_history_and_allows_a_successor():
    first = BoothPresidentFactory(start_date=datetime.date(2020, 1, 1))
    first.end_date = datetime.date(2024, 3, 1)
    first.save()
    successor = BoothPresidentFactory(booth=first.booth, start_date=datetime.date(2024, 3, 1))

    assert booth_current_president(booth=first.booth) == successor.person
    assert list(first.booth.posts.order_by("start_date").values_list("person", flat=True)) == [
        first.person_id,
        successor.person_id,
    ]


def test_booth_without_current_president_is_vacant():
    vacant = BoothFactory()
    ended = BoothPresidentFactory(end_date=datetime.date(2024, 1, 2)).booth
    held = BoothPresidentFactory().booth

    assert set(Booth.objects.vacant()) == {vacant, ended}
    assert booth_current_president(booth=held) is not None
    assert booth_current_president(booth=vacant) is None


def test_duplicate_part_number_in_an_assembly_seat_is_refused():
    booth = BoothFactory(number=45)
    with pytest.raises(IntegrityError), transaction.atomic():
        BoothFactory(assembly_seat=booth.assembly_seat, number=45)
    BoothFactory(assembly_seat=AssemblySeatFactory(), number=45)  # another seat may use the number
    assert Booth.objects.filter(number=45).count() == 2


def test_assembly_seat_number_is_unique_within_its_state():
    seat = AssemblySeatFactory(number=171)
    with pytest.raises(IntegrityError), transaction.atomic():
        AssemblySeatFactory(number=171, lok_sabha_seat=seat.lok_sabha_seat)


def test_names_are_unique_within_their_parent_only():
    mandal = MandalFactory(name="सदर")
    with pytest.raises(IntegrityError), transaction.atomic():
        MandalFactory(name="सदर", district=mandal.district)
    MandalFactory(name="सदर")  # the same name in another district is fine


def test_post_must_name_the_unit_its_role_sits_at():
    person = PersonFactory()
    district = DistrictFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.create(person=person, role=Post.Role.BOOTH_PRESIDENT, district=district)
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.create(person=person, role=Post.Role.DISTRICT_INCHARGE, district=district, booth=BoothFactory())
    assert not Post.objects.exists()


def test_post_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        BoothPresidentFactory(start_date=datetime.date(2024, 5, 1), end_date=datetime.date(2024, 4, 1))


def test_database_refuses_a_mobile_that_is_not_an_indian_mobile():
    person = PersonFactory()
    Person = type(person)
    for bad in ["+15555550100", "+915876543210", "12345"]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Person.objects.filter(pk=person.pk).update(mobile=bad)


def test_do_not_call_needs_a_reason():
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(do_not_call=True, do_not_call_reason="")
    PersonFactory(do_not_call=True, do_not_call_reason="अस्वस्थ हैं")


def test_caller_scope_follows_current_posts():
    region = RegionFactory()
    other_region = RegionFactory(state=region.state)
    d1, d2 = DistrictFactory(region=region), DistrictFactory(region=region)
    d3 = DistrictFactory(region=other_region)

    incharge = DistrictInchargeFactory(district=d1).person
    DistrictInchargeFactory(person=incharge, district=d3)
    DistrictInchargeFactory(person=incharge, district=d2, end_date=datetime.date(2024, 6, 1))  # no longer
    whole_state = StateOfficeBearerFactory(state=region.state).person
    regional = StateOfficeBearerFactory(state=region.state, region=other_region).person
    BoothPresidentFactory(booth__mandal__district=d1)  # not a caller

    assert caller_scopes() == {
        incharge.pk: frozenset({d1.pk, d3.pk}),
        whole_state.pk: frozenset({d1.pk, d2.pk, d3.pk}),
        regional.pk: frozenset({d3.pk}),
    }


def test_caller_accounts_are_active_users_with_a_caller_post():
    caller = UserFactory(person=DistrictInchargeFactory().person)
    UserFactory(person=DistrictInchargeFactory().person, is_active=False)
    UserFactory(person=BoothPresidentFactory().person)
    UserFactory(person=DistrictInchargeFactory(end_date=datetime.date(2024, 2, 1)).person)
    assert list(caller_users()) == [caller]
