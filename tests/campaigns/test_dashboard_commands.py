"""The dashboards' commands, periodic jobs and admin pages: the demo history,
the demo leaders, rebuilding the figures, the call logs in the admin, and what
`export_calls` now says about each call."""

import csv
import datetime
import io
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django_celery_beat.models import PeriodicTask

from booths.models import Post
from campaigns.models import CallAssignment, CallLog, DistrictDayStats, DistrictRosterHealth, FollowUp
from campaigns.signin import signin_token
from campaigns.tasks import refresh_dashboard_stats, refresh_roster_health
from tests.support import module_transaction

pytestmark = pytest.mark.django_db
IST = datetime.timezone(datetime.timedelta(hours=5, minutes=30))


@pytest.fixture(scope="module")
def _history(django_db_setup, django_db_blocker):
    """The small demo and six simulated days (built once for the module)."""
    with module_transaction(django_db_blocker):
        with time_machine.travel(datetime.datetime(2026, 11, 20, 6, 0, tzinfo=IST), tick=False):
            call_command("seed_demo", "--preset", "small", stdout=StringIO())
            out = StringIO()
            call_command("simulate_calls", "--days", "6", stdout=out)
        yield out.getvalue()


@pytest.fixture
def history(_history, db):
    with time_machine.travel(datetime.datetime(2026, 11, 20, 6, 0, tzinfo=IST), tick=False):
        yield _history


def test_simulate_calls_fills_past_days_through_the_real_services(history):
    assert "6 days simulated" in history
    days = set(CallAssignment.objects.values_list("day", flat=True))
    assert len(days) == 6 and max(days) == datetime.date(2026, 11, 19)
    statuses = set(CallAssignment.objects.values_list("status", flat=True))
    assert statuses == {"logged", "missed"}  # the last day's unlogged calls too, once the day is over
    assert CallLog.objects.exclude(standing="").exists() and FollowUp.objects.exists()
    assert FollowUp.objects.filter(status="resolved").exists()
    # A district whose in-charge often leaves calls unlogged, strong and weak ones.
    assert "calls often left unlogged" in history and "strong:" in history and "weak:" in history
    by_district = {row.district_id: row for row in DistrictDayStats.objects.all()}
    assert by_district  # the figures followed every call
    # Follow-ups carry the moment they were raised, not the moment of the simulation.
    assert FollowUp.objects.filter(created_at__date__lt=datetime.date(2026, 11, 19)).exists()


def test_simulate_calls_refuses_a_database_with_calls_and_skips_with_if_empty(history):
    with time_machine.travel(datetime.datetime(2026, 11, 20, 6, 0, tzinfo=IST), tick=False):
        with pytest.raises(CommandError, match="already assigned"):
            call_command("simulate_calls", "--days", "5", stdout=StringIO())
        out = StringIO()
        call_command("simulate_calls", "--days", "5", "--if-empty", stdout=out)
        assert "no demo history added" in out.getvalue()
        with pytest.raises(CommandError, match="between 1 and 400"):
            call_command("simulate_calls", "--days", "0", stdout=StringIO())


def test_demo_leaders_prints_sign_in_links_that_open_the_dashboard(history):
    with time_machine.travel(datetime.datetime(2026, 11, 20, 9, 0, tzinfo=IST), tick=False):
        out = StringIO()
        call_command("demo_leaders", stdout=out)
        again = StringIO()
        call_command("demo_leaders", stdout=again)
        lines = out.getvalue().splitlines()
        assert [line.split(":")[0] for line in lines] == [
            "State leadership",
            "Regional president",
            "District president",
        ]
        assert out.getvalue() == again.getvalue()  # safe to run again: the same accounts
        assert Post.objects.current().filter(role="leadership").count() == 1
        path = lines[0].split("http://testserver")[1]
        client = Client()
        assert client.get(path)["Location"] == "/dashboard/"
        assert client.get("/dashboard/").status_code == 200


def test_rebuild_dashboard_stats_recomputes_from_the_calls(history):
    kept = set(DistrictDayStats.objects.values_list("day", "district_id", "assigned", "logged", "reached", "missed"))
    DistrictDayStats.objects.all().delete()
    out = StringIO()
    with time_machine.travel(datetime.datetime(2026, 11, 20, 6, 0, tzinfo=IST), tick=False):
        call_command("rebuild_dashboard_stats", stdout=out)
    assert "Figures of 6 days recomputed" in out.getvalue()
    rebuilt = set(DistrictDayStats.objects.values_list("day", "district_id", "assigned", "logged", "reached", "missed"))
    assert rebuilt == kept
    with pytest.raises(CommandError, match="is after"):
        call_command("rebuild_dashboard_stats", "--from", "2026-11-10", "--to", "2026-11-01", stdout=StringIO())
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("rebuild_dashboard_stats", "--from", "10/11/2026", stdout=StringIO())


def test_the_periodic_jobs_are_scheduled_and_run(history):
    tasks = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {"campaigns.tasks.refresh_roster_health", "campaigns.tasks.refresh_dashboard_stats"} <= tasks
    with time_machine.travel(datetime.datetime(2026, 11, 20, 6, 0, tzinfo=IST), tick=False):
        assert refresh_roster_health.delay().get() == DistrictRosterHealth.objects.count() == 12
        assert refresh_dashboard_stats.delay().get() == 2


def test_export_calls_writes_what_was_said(history):
    out = StringIO()
    call_command("export_calls", "--from", "2026-11-14", "--to", "2026-11-19", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0])[-5:] == ["wellbeing", "standing", "needs", "notes", "follow_up"]
    log = CallLog.objects.filter(needs__isnull=False).select_related("assignment").first()
    needs = ";".join(log.needs.order_by("pk").values_list("category", flat=True))
    row = next(
        r for r in rows
        if r["date"] == str(log.assignment.day) and r["president_phone"] == str(log.assignment.president.mobile)
    )  # fmt: skip
    assert (row["standing"], row["wellbeing"], row["needs"], row["notes"]) == (
        log.standing, log.wellbeing, needs, log.notes
    )  # fmt: skip
    assert row["follow_up"] in ("yes", "no")
    missed = next(r for r in rows if r["status"] == "missed")
    assert (missed["standing"], missed["needs"], missed["follow_up"]) == ("", "", "")


def test_call_logs_are_in_the_admin_read_only(history, admin_client):
    listing = admin_client.get("/admin/campaigns/calllog/?standing__exact=weak")
    assert listing.status_code == 200
    log = CallLog.objects.filter(standing="weak").first()
    assert log.assignment.president.name in listing.content.decode()
    page = admin_client.get(f"/admin/campaigns/calllog/{log.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert admin_client.get("/admin/campaigns/calllog/add/").status_code == 403
    response = admin_client.post(f"/admin/campaigns/calllog/{log.pk}/change/", {"standing": "strong"})
    assert response.status_code == 403
    log.refresh_from_db()
    assert log.standing == "weak"


def test_the_admin_roster_health_page_counts_again_on_demand(history, admin_client):
    admin_client.get("/admin/roster-health/")
    counted = DistrictRosterHealth.objects.order_by("computed_at").first().computed_at
    with time_machine.travel(datetime.datetime(2026, 11, 20, 6, 30, tzinfo=IST), tick=False):
        response = admin_client.post("/admin/roster-health/")
    assert response.status_code == 302
    assert DistrictRosterHealth.objects.order_by("computed_at").first().computed_at > counted


def test_a_link_for_a_viewer_never_opens_the_admin(history):
    from booths.demo import demo_leaders_create

    leaders = demo_leaders_create()
    leader = leaders.leadership
    leader.is_staff = True
    leader.is_superuser = True
    leader.save()
    client = Client()
    with time_machine.travel(datetime.datetime(2026, 11, 20, 9, 0, tzinfo=IST), tick=False):
        client.get(f"/s/{signin_token(user=leader, day=datetime.date(2026, 11, 20))}")
        assert client.get("/dashboard/").status_code == 200
        assert client.get("/admin/").status_code == 302
