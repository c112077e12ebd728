"""Every figure the dashboards export equals the same figure computed from
`export_calls` (the raw calls, as scripts read them), on a simulated month of
the demo organisation, before and after late corrections, missed calls and a
mandal moved on the map; the daily rows kept with each call equal the rows
rebuilt from scratch."""

import csv
import datetime
import io
from collections import Counter, defaultdict
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from booths.models import District, Mandal
from campaigns.models import (
    CallAssignment,
    CallerDayStats,
    CallerStateDayStats,
    CallLog,
    DistrictDayStats,
    FollowUpDayStats,
    MandalDayStats,
)
from campaigns.services import CallReport, call_log_record
from campaigns.stats import stats_rebuild
from campaigns.tasks import mark_missed_calls, refresh_dashboard_stats
from tests.factories import AdminUserFactory
from tests.support import module_transaction, requires_postgres

pytestmark = pytest.mark.django_db
IST = datetime.timezone(datetime.timedelta(hours=5, minutes=30))
TODAY = datetime.date(2026, 11, 20)


@pytest.fixture(scope="module")
def _month(django_db_setup, django_db_blocker):
    """The small demo with 14 simulated days and today's calls, half of them logged
    (built once for the module)."""
    with module_transaction(django_db_blocker):
        with time_machine.travel(datetime.datetime(2026, 11, 20, 6, 0, tzinfo=IST), tick=False):
            call_command("seed_demo", "--preset", "small", stdout=StringIO())
            call_command("simulate_calls", "--days", "14", "--seed", "3", stdout=StringIO())
        with time_machine.travel(datetime.datetime(2026, 11, 20, 7, 0, tzinfo=IST), tick=False):
            call_command("assign_calls", "--no-messages", stdout=StringIO())
        with time_machine.travel(datetime.datetime(2026, 11, 20, 11, 0, tzinfo=IST), tick=False):
            for n, call in enumerate(CallAssignment.objects.filter(day=TODAY).select_related("caller__user")[:16]):
                report = CallReport("reached", wellbeing="all_well", standing=["strong", "weak", "competitive"][n % 3])
                call_log_record(assignment=call, user=call.caller.user, report=report if n % 4 else CallReport("busy"))
        yield


@pytest.fixture
def month(_month, db):
    """The month, seen at 15:00 on its last day."""
    with time_machine.travel(datetime.datetime(2026, 11, 20, 15, 0, tzinfo=IST), tick=False):
        yield


def export_rows(date_from: str, date_to: str) -> list[dict[str, str]]:
    out = StringIO()
    call_command("export_calls", "--from", date_from, "--to", date_to, stdout=out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def expected_calls(rows: list[dict], keys: tuple[str, ...]) -> dict[tuple, tuple[int, int, int, int]]:
    counts: dict[tuple, Counter] = defaultdict(Counter)
    for row in rows:
        key = tuple(row[k] for k in keys)
        counts[key]["assigned"] += 1
        counts[key]["logged"] += row["status"] == "logged"
        counts[key]["reached"] += row["outcome"] == "reached"
        counts[key]["missed"] += row["status"] == "missed"
    return {key: (c["assigned"], c["logged"], c["reached"], c["missed"]) for key, c in counts.items()}


def expected_health(rows: list[dict], keys: tuple[str, ...]) -> dict[tuple, tuple[int, int, int, int]]:
    """Booths counted once, by the standing of their latest report in the rows."""
    latest: dict[tuple, tuple] = {}
    for row in rows:
        if row["standing"]:
            booth = (row["assembly_no"], row["booth_no"])
            when = (row["date"], row["logged_at"])
            if booth not in latest or when > latest[booth][0]:
                latest[booth] = (when, row)
    counts: dict[tuple, Counter] = defaultdict(Counter)
    for _when, row in latest.values():
        key = tuple(row[k] for k in keys)
        counts[key]["booths_asked"] += 1
        counts[key][row["standing"]] += 1
    return {key: (c["booths_asked"], c["strong"], c["competitive"], c["weak"]) for key, c in counts.items()}


def page_csv(client: Client, url: str) -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def got_calls(rows: list[dict], keys: tuple[str, ...]) -> dict[tuple, tuple[int, int, int, int]]:
    return {tuple(row[k] for k in keys): tuple(int(row[k]) for k in ("assigned", "logged", "reached", "missed"))
            for row in rows}  # fmt: skip


def got_health(rows: list[dict], keys: tuple[str, ...]) -> dict[tuple, tuple[int, int, int, int]]:
    return {tuple(row[k] for k in keys): tuple(int(row[k]) for k in ("booths_asked", "strong", "competitive", "weak"))
            for row in rows}  # fmt: skip


def periods() -> list[tuple[str, datetime.date, datetime.date]]:
    today = timezone.localdate()
    return [
        ("", today - datetime.timedelta(days=29), today),  # the default: last 30 days
        ("period=7d", today - datetime.timedelta(days=6), today),
        ("from=2026-11-05&to=2026-11-12", datetime.date(2026, 11, 5), datetime.date(2026, 11, 12)),  # ended earlier
        ("period=yesterday", today - datetime.timedelta(days=1), today - datetime.timedelta(days=1)),
    ]


def assert_everything_equals_export(client: Client, *, only: set[str] | None = None) -> None:
    for query, first, last in periods():
        rows = export_rows(first.isoformat(), last.isoformat())
        if only is not None:
            rows = [row for row in rows if row["district"] in only]
        for by, keys in (("region", ("region",)), ("district", ("region", "district")),
                         ("mandal", ("district", "mandal")), ("caller", ("caller_phone", "caller_role"))):  # fmt: skip
            page = page_csv(client, f"/dashboard/?{query}&by={by}&format=csv")
            assert got_calls(page, keys) == expected_calls(rows, keys), (query, by)
        for by, keys in (("district", ("region", "district")), ("mandal", ("district", "mandal"))):
            page = page_csv(client, f"/dashboard/booth-health/?{query}&by={by}&format=csv")
            assert got_health(page, keys) == expected_health(rows, keys), (query, by)


def stats_rows() -> dict[str, set[tuple]]:
    return {
        "mandal": set(MandalDayStats.objects.values_list()),
        "district": set(DistrictDayStats.objects.values_list()),
        "caller": set(CallerDayStats.objects.values_list()),
        "caller_state": set(CallerStateDayStats.objects.values_list()),
        "follow_ups": set(FollowUpDayStats.objects.values_list()),
        "latest": set(CallLog.objects.filter(latest_for_booth=True).values_list("pk", flat=True)),
    }


@pytest.fixture
def everything():
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(AdminUserFactory())
    return client


def _strip_ids(rows: dict[str, set[tuple]]) -> dict[str, set[tuple]]:
    return {name: {row[1:] for row in found} if name != "latest" else found for name, found in rows.items()}


def test_every_figure_equals_export_calls_on_a_simulated_month(month, everything):
    assert_everything_equals_export(everything)


def test_a_district_incharge_sees_only_their_district_and_its_figures_equal_export_calls(month):
    call = CallAssignment.objects.filter(caller_role="district_incharge").select_related("caller__user").first()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(call.caller.user)
    districts = set(
        District.objects.filter(posts__person=call.caller, posts__end_date=None).values_list("name", flat=True)
    )
    rows = page_csv(client, "/dashboard/?by=district&format=csv")
    assert {row["district"] for row in rows} == districts
    assert_everything_equals_export(client, only=districts)


def test_the_kept_rows_equal_rows_rebuilt_from_scratch(month):
    kept = stats_rows()
    stats_rebuild()
    assert _strip_ids(stats_rows()) == _strip_ids(kept)


def test_late_corrections_missed_calls_and_a_moved_mandal_keep_the_figures_right(month, everything):
    today = list(CallAssignment.objects.filter(day=TODAY, status="logged").select_related("caller__user", "post"))
    # Correct a reached call to not reached, and a not-reached one to reached: the booths'
    # latest reports go back to (or come from) the calls before.
    reached = next(call for call in today if call.outcome == "reached")
    busy = next(call for call in today if call.outcome == "busy")
    with time_machine.travel(datetime.datetime(2026, 11, 20, 23, 59, tzinfo=IST), tick=False):
        call_log_record(assignment=reached, user=reached.caller.user, report=CallReport("no_answer"))
        call_log_record(
            assignment=busy, user=busy.caller.user, report=CallReport("reached", wellbeing="all_well", standing="weak")
        )
    assert_everything_equals_export(everything)

    # After midnight and the grace hours, today's unlogged calls are missed.
    with time_machine.travel(datetime.datetime(2026, 11, 21, 3, 5, tzinfo=IST), tick=False):
        assert mark_missed_calls.delay().get() > 0
        assert_everything_equals_export(everything)
        # A mandal moves to another district: the nightly job follows it.
        mandal = Mandal.objects.filter(booths__isnull=False).first()
        other = District.objects.exclude(pk=mandal.district_id).first()
        Mandal.objects.filter(pk=mandal.pk).update(district=other)
        refresh_dashboard_stats.delay().get()
        assert_everything_equals_export(everything)
    kept = stats_rows()
    stats_rebuild()
    assert _strip_ids(stats_rows()) == _strip_ids(kept)


def test_a_call_logged_today_shows_at_once(month, everything):
    call = CallAssignment.objects.filter(day=TODAY, status="assigned").select_related("caller__user").first()
    before = {
        row["district"]: int(row["reached"]) for row in page_csv(everything, "/dashboard/?by=district&format=csv")
    }
    district = call.post.booth.mandal.district.name
    call_log_record(
        assignment=call, user=call.caller.user, report=CallReport("reached", wellbeing="all_well", standing="strong")
    )
    after = {row["district"]: int(row["reached"]) for row in page_csv(everything, "/dashboard/?by=district&format=csv")}
    assert after[district] == before[district] + 1


@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps the beat jobs the migrations wrote
def test_concurrent_logs_in_one_district_keep_the_figures_right():
    """Two callers log at the same moment on PostgreSQL: the advisory lock makes the
    second recomputation wait for the first, so neither overwrites the other."""
    import threading

    from django.db import connection

    from tests.campaigns.helpers import caller_with_calls
    from tests.factories import make_caller

    user, calls = caller_with_calls(booths=8)
    district = calls[0].post.booth.mandal.district
    colleague = make_caller(districts=[district])
    from campaigns.services import assignments_create_for_day

    assignments_create_for_day(day=timezone.localdate(), source="test")
    other = list(CallAssignment.objects.filter(caller=colleague.person, day=timezone.localdate()))
    barrier = threading.Barrier(2)

    def log(call, who):
        barrier.wait()
        call_log_record(
            assignment=call, user=who, report=CallReport("reached", wellbeing="all_well", standing="strong")
        )
        connection.close()

    threads = [
        threading.Thread(target=log, args=(calls[0], user)),
        threading.Thread(target=log, args=(other[0], colleague)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    row = DistrictDayStats.objects.get(district=district, day=timezone.localdate())
    assert (row.assigned, row.logged, row.reached) == (4, 2, 2)


def test_the_weak_booths_pages_follow_one_another_in_order(month):
    from campaigns.access import Scope
    from campaigns.dashboards.booth_health import weak_booths, weak_booths_page
    from campaigns.dashboards.query import DashboardQuery, period_for

    today = timezone.localdate()
    q = DashboardQuery(scope=Scope(None), period=period_for("30d", today), today=today)
    everything = [log.pk for log in weak_booths(q)]
    assert len(everything) > 7
    pages, number = [], 1
    while logs := weak_booths_page(q, number, 7):
        pages += [log.pk for log in logs]
        number += 1
    assert pages == everything
    from campaigns.dashboards.booth_health import health_totals

    assert health_totals(q).weak == len(everything)


def test_the_needs_figures_equal_the_follow_ups_themselves(month, everything):
    from campaigns.models import FollowUp
    from campaigns.services import follow_up_update

    # Some follow-ups move on after they were raised; the figures follow.
    for n, item in enumerate(FollowUp.objects.exclude(status="resolved").order_by("pk")[:12]):
        status = "resolved" if n % 2 else "in_progress"
        follow_up_update(follow_up=item, status=status, assigned_to=None, note="हो गया")
    for query, first, last in periods():
        expected: dict[str, Counter] = defaultdict(Counter)
        for item in FollowUp.objects.select_related("district"):
            if first <= timezone.localdate(item.created_at) <= last:
                expected[item.district.name][item.category] += 1
                expected[item.district.name][item.status] += 1
                expected[item.district.name]["total"] += 1
        rows = page_csv(everything, f"/dashboard/needs/?{query}&by=district&format=csv")
        got = {
            row["district"]: Counter({k: int(v) for k, v in row.items() if k not in ("region", "district") and int(v)})
            for row in rows
        }
        assert got == {name: +counts for name, counts in expected.items() if counts["total"]}, query
    today = timezone.localdate()
    open_items = [timezone.localdate(i.created_at) for i in FollowUp.objects.exclude(status="resolved")]
    ages = page_csv(everything, "/dashboard/needs/?format=csv&table=ages")[0]
    assert int(ages["open_total"]) == len(open_items)
    assert int(ages["under_7_days"]) == sum(1 for day in open_items if (today - day).days < 7)
    assert int(ages["over_30_days"]) == sum(1 for day in open_items if (today - day).days >= 30)


@pytest.mark.parametrize("sort", ["logged_share", "-logged_share", "missed", "-reach_rate", "open", "-assigned"])
def test_callers_sorted_in_the_database_come_in_the_order_of_the_figures(month, sort):
    from dataclasses import replace

    from campaigns.access import Scope
    from campaigns.dashboards.callers import callers, callers_page_rows
    from campaigns.dashboards.query import DashboardQuery, period_for

    today = timezone.localdate()
    q = replace(DashboardQuery(scope=Scope(None), period=period_for("30d", today), today=today), sort=sort)
    everyone = callers(q, facts=False)
    paged, number = [], 1
    while True:
        rows, total = callers_page_rows(q, number, 3)
        if number > 1 and rows and rows[0].pk == paged[0].pk:
            break  # past the last page, the first comes back
        paged += rows
        if len(paged) >= total:
            break
        number += 1
    key = sort.lstrip("-")

    def value(row):
        return getattr(row.figures, key)

    assert total == len(everyone)
    assert [value(row) for row in paged] == [value(row) for row in everyone]
    assert {row.pk for row in paged} == {row.pk for row in everyone}
    assert all("streak" in row.extra for row in paged)
