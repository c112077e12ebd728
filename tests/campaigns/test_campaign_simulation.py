"""The check behind the campaign pages, simulated: an over-reporting district is
flagged about when the page predicts, honest districts are rarely flagged, and
targeting gives doubtful districts more calls without breaking the rotation."""

import datetime
from collections import Counter

import pytest
import time_machine
from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

from booths.demo import seed_demo
from campaigns.models import CallAssignment
from campaigns.verification.simulation import false_alarm_rate, simulate_campaign

pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2026, 6, 20, 21, 0, tzinfo=datetime.UTC)  # 21 June, early morning in India


def _seed() -> None:
    """The `sim` state as a fresh database holds it. The rotation breaks ties by a
    hash of each post's id, so which presidents are called depends on the ids; on
    PostgreSQL the sequences keep counting across tests, so without this the
    sample would change with whatever ran before (each run is a fair sample, but
    the assertions below pin one)."""
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(statement)
    seed_demo(preset="sim", seed=1)


def _run(targeting: float):
    with time_machine.travel(TODAY, tick=False):
        _seed()
        return simulate_campaign(days=8, seed=3, targeting=targeting)


def test_an_over_reporting_district_is_flagged_when_the_page_predicts_and_honest_ones_are_not():
    run = _run(targeting=0.0)
    assert run.flagged_day is not None, run
    assert run.predicted_day is not None, run
    # The page predicts from the pace of answers so far; the answers come a day early or late.
    assert abs(run.flagged_day - run.predicted_day) <= 2, run
    assert run.honest_flagged_end <= 1, run
    # Rotation: 8 days of 32 calls in a state of 1,200 booths call nobody twice.
    assert max(Counter(CallAssignment.objects.values_list("president_id", flat=True)).values()) == 1


def test_targeting_sends_more_calls_to_the_doubtful_district_and_never_a_president_twice():
    with time_machine.travel(TODAY, tick=False):
        _seed()
        with transaction.atomic():  # the same days without targeting, then forgotten
            untargeted = simulate_campaign(days=8, seed=3, targeting=0.0)
            transaction.set_rollback(True)
        targeted = simulate_campaign(days=8, seed=3, targeting=1.0)
    assert targeted.over_district == untargeted.over_district
    assert targeted.answers_by_day[-1] > untargeted.answers_by_day[-1], (targeted, untargeted)
    assert targeted.flagged_day is not None and targeted.flagged_day <= untargeted.flagged_day
    calls = list(CallAssignment.objects.values_list("day", "president_id"))
    assert max(Counter(president for _day, president in calls).values()) == 1


def test_honest_districts_are_flagged_in_at_most_five_percent_of_runs():
    at_end, _ever = false_alarm_rate(runs=400, booths=120, answers_per_day=2.5, days=30)
    assert at_end <= 0.05
