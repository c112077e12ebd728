"""Admins see every assignment run, the assignments and the queues in the admin."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from campaigns.models import AssignmentRun, CallAssignment
from tests.factories import DistrictFactory, make_booths, make_caller

DAY = datetime.date(2026, 11, 28)
IST = datetime.timezone(datetime.timedelta(hours=5, minutes=30))


@pytest.fixture
def assigned(db):
    call_command("seed_demo", "--preset", "small", stdout=StringIO())
    with time_machine.travel(datetime.datetime(2026, 11, 28, 7, 0, tzinfo=IST), tick=False):  # messages: on the day
        call_command("assign_calls", "--date", str(DAY), stdout=StringIO())


@pytest.mark.parametrize(
    "url",
    [
        "/admin/campaigns/assignmentrun/",
        "/admin/campaigns/callassignment/",
        "/admin/campaigns/callassignment/?status__exact=assigned",
        "/admin/campaigns/callassignment/?district={district}",
        "/admin/campaigns/presidentrotation/",
        "/admin/campaigns/presidentrotation/?priority__exact=2",
        "/admin/campaigns/message/",
        "/admin/campaigns/rotationsync/",
    ],
)
def test_outreach_lists_load_with_bounded_queries(admin_client, assigned, url, django_assert_max_num_queries):
    district = CallAssignment.objects.select_related("post__booth__mandal").first().post.booth.mandal.district_id
    with django_assert_max_num_queries(12):
        response = admin_client.get(url.format(district=district))
    assert response.status_code == 200
    assert response.context["cl"].result_count > 0


def test_a_run_shows_its_figures_and_shortfalls(admin_client, db):
    district = DistrictFactory()
    make_booths(district=district, count=3, vacant=2)
    make_caller(districts=[district])
    call_command("assign_calls", "--date", str(DAY), stdout=StringIO())
    run = AssignmentRun.objects.get()

    response = admin_client.get(f"/admin/campaigns/assignmentrun/{run.pk}/change/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "Completed" in content
    assert "&quot;vacant&quot;: 2" in content or '"vacant": 2' in content
    assert admin_client.get("/admin/campaigns/assignmentrun/add/").status_code == 403


@pytest.mark.parametrize(
    "url",
    ["/admin/campaigns/followup/", "/admin/campaigns/rosterreport/", "/admin/campaigns/rosterreport/?open=yes",
     "/admin/booths/rosterupload/", "/admin/roster-health/", "/admin/campaigns/presidentrotation/?unreachable=yes"],
)  # fmt: skip
def test_follow_up_and_roster_pages_load_with_bounded_queries(
    admin_client, assigned, url, django_assert_max_num_queries
):
    with django_assert_max_num_queries(14):
        assert admin_client.get(url).status_code == 200
