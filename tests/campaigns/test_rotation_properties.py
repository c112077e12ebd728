"""Property-based tests of the rotation over random rosters and many simulated days.

Each example builds a random organisation (districts, mandals, booths, vacant
booths, do-not-call presidents, callers with overlapping scopes), then runs the
daily assignment day after day with random call outcomes, checking after each
day that:

- no president goes to two callers on one day;
- nobody is given a second time while someone eligible in the caller's scope
  has never been given (the rotation);
- a caller left short had nobody eligible and usable left in their scope;
- a caller's two picks share a mandal only when the best remaining class of
  their scope had no other mandal;
- a president not reached yesterday never goes back to the same caller today.

Assignments are created in the order callers are served, so their primary keys
tell which caller came first.
"""

import datetime
import random
from collections import defaultdict
from unittest import mock

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from booths.models import Booth, Person, Post
from booths.selectors import caller_scopes
from campaigns.models import CallAssignment, PresidentRotation
from campaigns.services import assignment_record_outcome, assignments_create_for_day, assignments_mark_missed
from tests.factories import (
    AssemblySeatFactory,
    BoothFactory,
    BoothPresidentFactory,
    DistrictFactory,
    MandalFactory,
    RegionFactory,
    make_caller,
)

START = datetime.date(2020, 1, 6)  # simulated days lie in the past, so unlogged calls become missed


rosters = st.fixed_dictionaries(
    {
        "districts": st.lists(
            st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=3),  # booths per mandal
            min_size=1,
            max_size=3,
        ),
        "vacant_share": st.sampled_from([0.0, 0.1, 0.3]),
        "dnc_share": st.sampled_from([0.0, 0.1]),
        "callers": st.lists(
            st.one_of(
                st.tuples(st.just("incharge"), st.lists(st.integers(0, 2), min_size=1, max_size=2, unique=True)),
                st.tuples(st.just("state"), st.just([])),
                st.tuples(st.just("region"), st.lists(st.integers(0, 1), min_size=1, max_size=1)),
            ),
            min_size=1,
            max_size=5,
        ),
        "days": st.integers(min_value=3, max_value=10),
        "seed": st.integers(min_value=0, max_value=10_000),
    }
)


def build(roster: dict, rng: random.Random) -> None:
    region_a = RegionFactory()
    region_b = RegionFactory(state=region_a.state)
    regions = [region_a, region_b]
    districts = []
    for index, mandal_sizes in enumerate(roster["districts"]):
        district = DistrictFactory(region=regions[index % 2])
        districts.append(district)
        seat = AssemblySeatFactory()
        for size in mandal_sizes:
            mandal = MandalFactory(district=district)
            for _ in range(size):
                booth = BoothFactory(assembly_seat=seat, mandal=mandal)
                if rng.random() >= roster["vacant_share"]:
                    post = BoothPresidentFactory(booth=booth)
                    if rng.random() < roster["dnc_share"]:
                        Person.objects.filter(pk=post.person_id).update(do_not_call=True, do_not_call_reason="test")
    for kind, picks in roster["callers"]:
        if kind == "incharge":
            make_caller(districts=list(dict.fromkeys(districts[i % len(districts)] for i in picks)))
        elif kind == "state":
            make_caller(state=region_a.state)
        else:
            make_caller(state=region_a.state, regions=[regions[picks[0]]])


def eligible_presidents() -> dict[int, tuple[int, int, int]]:
    """post id -> (person id, mandal id, district id) of everyone who may be called."""
    unreachable = {
        post_id
        for post_id, number, mobile in PresidentRotation.objects.exclude(unreachable_mobile="").values_list(
            "post_id", "unreachable_mobile", "post__person__mobile"
        )
        if number == str(mobile)
    }
    rows = (
        Post.objects.current()
        .filter(role=Post.Role.BOOTH_PRESIDENT, booth__is_active=True, person__do_not_call=False)
        .exclude(person__mobile="")
        .values_list("pk", "person_id", "booth__mandal_id", "booth__mandal__district_id")
    )
    return {pk: (person, mandal, district) for pk, person, mandal, district in rows if pk not in unreachable}


def check_day(
    day: datetime.date, before: dict[int, tuple], ever_assigned: set[int], targeted: frozenset[int] = frozenset()
) -> None:
    eligible = eligible_presidents()
    scopes = caller_scopes()
    today = list(
        CallAssignment.objects.filter(day=day)
        .order_by("pk")
        .values_list("pk", "caller_id", "post_id", "president_id", "post__booth__mandal_id")
    )
    order = {post_id: pk for pk, _c, post_id, _p, _m in today}
    presidents = [president for _pk, _c, _post, president, _m in today]
    assert len(presidents) == len(set(presidents)), "a president went to two callers"

    by_caller: dict[int, list[tuple]] = defaultdict(list)
    for row in today:
        by_caller[row[1]].append(row)
    yesterday = day - datetime.timedelta(days=1)

    def usable(post_id: int, caller_id: int) -> bool:
        person = eligible[post_id][0]
        priority, last_caller, last_day = before.get(post_id, (0, None, None))
        retry_by_same = priority == 1 and last_caller == caller_id and last_day == yesterday
        return person != caller_id and not retry_by_same

    for caller_id, scope in scopes.items():
        in_scope = [post_id for post_id, (_p, _m, district) in eligible.items() if district in scope]
        mine = by_caller.get(caller_id, [])
        for pk, _c, post_id, _president, _mandal in mine:
            assert post_id in in_scope, "a president outside the caller's scope"
            priority, last_caller, last_day = before.get(post_id, (0, None, None))
            assert not (priority == 1 and last_caller == caller_id and last_day == yesterday), (
                "a retry went back to the same caller the next day"
            )
            if post_id in ever_assigned:
                waiting = [q for q in in_scope if q not in ever_assigned and not (q in order and order[q] < pk)]
                assert not waiting, "given a second time while others in scope were never given"
        if len(mine) < 2:
            last_pk = max((row[0] for row in mine), default=None)

            def taken_before_caller_finished(q: int, last_pk: int | None = last_pk) -> bool:
                # With no pick of their own the order is unknown: any assignment today counts.
                return q in order and (last_pk is None or order[q] <= last_pk)

            left = [q for q in in_scope if usable(q, caller_id) and not taken_before_caller_finished(q)]
            assert not left, "a caller was left short while usable presidents remained"
        if len(mine) == 2 and mine[0][4] == mine[1][4]:
            second_pk, second_post = mine[1][0], mine[1][2]
            second_class = min(before.get(second_post, (0,))[0], 2)
            second_district = eligible[second_post][2]
            alternatives = [
                q
                for q in in_scope
                # A pick sent to a doubtful district (targeting) looks for another mandal there.
                if (second_district not in targeted or eligible[q][2] in targeted)
                and eligible[q][1] != mine[0][4]
                and before.get(q, (0,))[0] == second_class
                and usable(q, caller_id)
                and not (q in order and order[q] < second_pk)
            ]
            assert not alternatives, "two picks from one mandal while another mandal had an equal candidate"


@pytest.mark.django_db
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(roster=rosters)
def test_rotation_invariants_hold_over_random_rosters_and_days(roster):
    run_days(roster)


@pytest.mark.django_db
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(roster=rosters, share=st.sampled_from([0.5, 1.0]))
@example(  # a caller's first pick sent to a doubtful district left their second without candidates
    roster={
        "districts": [[2], [0, 1, 4]],
        "vacant_share": 0.0,
        "dnc_share": 0.0,
        "days": 4,
        "callers": [("region", [1]), ("state", []), ("incharge", [1, 0])],
        "seed": 0,
    },
    share=0.5,
)
@example(
    roster={
        "districts": [[2], [1, 1, 0]],
        "vacant_share": 0.0,
        "dnc_share": 0.1,
        "days": 6,
        "callers": [("incharge", [2, 1])],
        "seed": 0,
    },
    share=0.5,
)
def test_targeting_doubtful_districts_keeps_the_rotation_invariants(roster, share):
    """The same invariants while a campaign's doubtful districts (a random set,
    changing day by day) get `share` of the wide-scope callers' picks."""
    from django.test import override_settings

    rng = random.Random(f"targets-{roster['seed']}")

    def targets(*, day: datetime.date) -> frozenset[int]:
        districts = sorted(Booth.objects.values_list("mandal__district_id", flat=True).distinct())
        return frozenset(d for d in districts if rng.random() < 0.5)

    with override_settings(CAMPAIGN_TARGETING=share), mock.patch("campaigns.assignment.campaign_targets", targets):
        run_days(roster, targets=True)


def run_days(roster: dict, *, targets: bool = False) -> None:
    rng = random.Random(roster["seed"])
    with transaction.atomic():
        build(roster, rng)
        ever_assigned: set[int] = set()
        for offset in range(roster["days"]):
            day = START + datetime.timedelta(days=offset)
            assignments_mark_missed()
            before = {
                post_id: (priority, last_caller, last_day)
                for post_id, priority, last_caller, last_day in PresidentRotation.objects.values_list(
                    "post_id", "priority", "last_caller_id", "last_assigned_on"
                )
            }
            if targets:
                import campaigns.assignment

                chosen = campaigns.assignment.campaign_targets(day=day)
                with mock.patch("campaigns.assignment.campaign_targets", lambda *, day, chosen=chosen: chosen):
                    assignments_create_for_day(day=day, source="test")
            else:
                chosen = frozenset()
                assignments_create_for_day(day=day, source="test")
            check_day(day, before, ever_assigned, chosen)
            for assignment in CallAssignment.objects.filter(day=day):
                ever_assigned.add(assignment.post_id)
                roll = rng.random()
                if roll < 0.5:
                    assignment_record_outcome(assignment=assignment, outcome="reached")
                elif roll < 0.8:
                    outcome = rng.choice(["no_answer", "busy", "switched_off", "wrong_number", "call_back"])
                    assignment_record_outcome(assignment=assignment, outcome=outcome)
                # else: never logged, so missed the next day
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_coverage_is_complete_until_the_scope_is_exhausted():
    """In one scope, every assignment goes to a new president until each eligible
    one has had one (across scopes a small district may run out first)."""
    rng = random.Random(5)
    build(
        {"districts": [[5, 4, 3, 6]], "vacant_share": 0.1, "dnc_share": 0.0,
         "callers": [("incharge", [0]), ("incharge", [0]), ("state", [])], "days": 0, "seed": 5},
        rng,
    )  # fmt: skip
    eligible = len(eligible_presidents())
    seen: list[int] = []
    day = START
    while len(seen) < eligible:
        assignments_create_for_day(day=day, source="test")
        for assignment in CallAssignment.objects.filter(day=day).order_by("pk"):
            seen.append(assignment.post_id)
            assignment_record_outcome(assignment=assignment, outcome="reached")
        day += datetime.timedelta(days=1)
    first_pass = seen[:eligible]
    assert len(set(first_pass)) == eligible == Booth.objects.count() - Booth.objects.vacant().count()
