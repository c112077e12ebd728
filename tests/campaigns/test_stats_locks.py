"""Recording calls updates the dashboards' figures under locks by district and
caller: calls in other districts go through while one is being recorded, calls
that touch the same rows wait their turn, and whole-day recomputations wait
for everything (PostgreSQL's advisory locks, held by another connection here)."""

import os
from urllib.parse import urlparse, urlunparse

import psycopg2
import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from campaigns.services import CallReport, call_log_record
from campaigns.stats import stats_refresh_days
from campaigns.stats.sql import CALLER_LOCKS, DISTRICT_LOCKS, LOCK_KEY
from tests.campaigns.helpers import caller_with_calls
from tests.support import requires_postgres

pytestmark = [pytest.mark.django_db(transaction=True), requires_postgres]  # committed: locks end with each write
REACHED = CallReport(outcome="reached", wellbeing="all_well", standing="strong")


@pytest.fixture
def other_session():
    """Another database session, as another gunicorn worker would have."""
    url = urlparse(os.environ["DATABASE_URL"])
    session = psycopg2.connect(urlunparse(url._replace(path=f"/{connection.settings_dict['NAME']}")))
    session.autocommit = False
    yield session
    session.rollback()
    session.close()


def hold(session, sql: str, params: list) -> None:
    with session.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def short_wait():
    """This session gives up waiting for a lock after 300 ms (a lock timeout error)."""
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '300ms'")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET lock_timeout")


def district_of(call) -> int:
    return call.post.booth.mandal.district_id


def test_a_call_in_another_district_goes_through_while_one_is_being_recorded(other_session, short_wait):
    user_a, calls_a = caller_with_calls()
    user_b, calls_b = caller_with_calls()
    assert district_of(calls_a[0]) != district_of(calls_b[0])
    hold(other_session, "SELECT pg_advisory_xact_lock_shared(%s), pg_advisory_xact_lock(%s, %s)",
         [LOCK_KEY, DISTRICT_LOCKS, district_of(calls_a[0])])  # fmt: skip
    call_log_record(assignment=calls_b[0], user=user_b, report=REACHED)  # not held up
    with pytest.raises(OperationalError, match="lock timeout"):
        call_log_record(assignment=calls_a[0], user=user_a, report=REACHED)  # same district: waits


def test_the_same_caller_waits_and_a_whole_day_waits_for_everyone(other_session, short_wait):
    user, calls = caller_with_calls()
    hold(other_session, "SELECT pg_advisory_xact_lock_shared(%s), pg_advisory_xact_lock(%s, %s)",
         [LOCK_KEY, CALLER_LOCKS, user.person_id])  # fmt: skip
    with pytest.raises(OperationalError, match="lock timeout"):
        call_log_record(assignment=calls[0], user=user, report=REACHED)
    with pytest.raises(OperationalError, match="lock timeout"):
        stats_refresh_days(days=[timezone.localdate()])
