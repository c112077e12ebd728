"""Who sees what: each role against each dashboard page and export, with units
inside and outside its territory. Outside is a 404, exports hold only rows
inside."""

import csv
import datetime
import io

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.test import Client

from booths.models import Booth, Mandal, Post
from campaigns.services import assignments_create_for_day
from tests.campaigns.dashboard_data import NOON, TODAY, at, build
from tests.factories import (
    AdminUserFactory,
    DistrictFactory,
    PersonFactory,
    RegionFactory,
    StateFactory,
    UserFactory,
    make_booths,
    make_caller,
    make_viewer,
)
from tests.support import module_transaction

pytestmark = pytest.mark.django_db
PAGES = ["/dashboard/", "/dashboard/callers/", "/dashboard/booth-health/", "/dashboard/needs/",
         "/dashboard/roster-health/"]  # fmt: skip
MORE_PAGES = ["/dashboard/campaigns/", "/dashboard/tiffin/", "/dashboard/seats/"]


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    """The hand-counted organisation and another state beside it (built once for the module)."""
    with module_transaction(django_db_blocker):
        org = build()
        with time_machine.travel(at(TODAY, 7, 30), tick=False):
            bihar = StateFactory(code="BR", name="बिहार")
            patna = DistrictFactory(region=RegionFactory(state=bihar, name="मगध"), name="पटना")
            make_booths(district=patna, count=4, mandals=1)
            make_caller(districts=[patna])
            assignments_create_for_day(day=TODAY, source="test")
        org.bihar, org.patna = bihar, patna
        yield org


@pytest.fixture
def world(_world, db):
    with time_machine.travel(NOON, tick=False):
        yield _world


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _users(org) -> dict[str, tuple[object, set[str]]]:
    """Each role's account and the districts it must see."""
    up_all = {"लखनऊ", "उन्नाव", "वाराणसी"}
    office_kashi = make_caller(state=org.state, regions=[org.kashi])
    office_state = make_caller(state=org.state)
    staff = AdminUserFactory(username="office-with-permission", is_superuser=False)
    staff.user_permissions.add(Permission.objects.get(codename="view_dashboards"))
    return {
        "leadership": (make_viewer(state=org.state), up_all),
        "regional_president": (make_viewer(regions=[org.awadh]), {"लखनऊ", "उन्नाव"}),
        "district_president": (make_viewer(districts=[org.unnao]), {"उन्नाव"}),
        "district_incharge": (org.callers["लखनऊ"], {"लखनऊ"}),
        "state_office_bearer_of_a_region": (office_kashi, {"वाराणसी"}),
        "state_office_bearer": (office_state, up_all),
        "staff_with_permission": (staff, up_all | {"पटना"}),
        "superuser": (AdminUserFactory(username="root"), up_all | {"पटना"}),
    }


def _units(org) -> dict[str, dict[str, tuple[str, int]]]:
    """A region, a district, a mandal and a booth under each district, as query parameters."""
    units = {}
    for district in (org.lucknow, org.unnao, org.varanasi, org.patna):
        mandal = Mandal.objects.filter(district=district).first()
        booth = Booth.objects.filter(mandal=mandal).first()
        units[district.name] = {
            "region": ("region", district.region_id),
            "district": ("district", district.pk),
            "mandal": ("mandal", mandal.pk),
            "booth": ("booth", booth.pk),
        }
    return units


ROLES = [
    "leadership",
    "regional_president",
    "district_president",
    "district_incharge",
    "state_office_bearer_of_a_region",
    "state_office_bearer",
    "staff_with_permission",
    "superuser",
]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_its_territory_on_every_page_and_nothing_else(world, role):
    user, sees = _users(world)[role]
    client = _client(user)
    for page in [*PAGES, *MORE_PAGES]:
        assert client.get(page).status_code == 200, page
    tiffin = client.get("/dashboard/tiffin/?by=district&format=csv").content.decode("utf-8-sig")
    assert {row["district"] for row in csv.DictReader(io.StringIO(tiffin))} == sees
    from campaigns.verification.services import campaign_create

    campaign = campaign_create(name="महाजनसंपर्क", start=TODAY, end=TODAY)  # every state
    verified = client.get(f"/dashboard/campaigns/{campaign.pk}/?by=district&format=csv").content.decode("utf-8-sig")
    assert {row["district"] for row in csv.DictReader(io.StringIO(verified))} == sees
    for district in (world.lucknow, world.varanasi, world.patna):
        status = client.get(f"/dashboard/campaigns/{campaign.pk}/?district={district.pk}").status_code
        assert status == (200 if district.name in sees else 404)
    rows = csv.DictReader(io.StringIO(client.get("/dashboard/?by=district&format=csv").content.decode("utf-8-sig")))
    assert {row["district"] for row in rows} == sees
    health = client.get("/dashboard/roster-health/?by=district&format=csv").content.decode("utf-8-sig")
    assert {row["district"] for row in csv.DictReader(io.StringIO(health))} == sees
    needs = client.get("/dashboard/needs/?format=csv&table=open").content.decode("utf-8-sig")
    assert {row["district"] for row in csv.DictReader(io.StringIO(needs))} <= sees
    callers = client.get("/dashboard/?by=caller&format=csv").content.decode("utf-8-sig")
    assert sum(int(row["assigned"]) for row in csv.DictReader(io.StringIO(callers))) == sum(
        int(row["assigned"])
        for row in csv.DictReader(io.StringIO(client.get("/dashboard/?by=district&format=csv").content.decode()[1:]))
    )

    region_districts = {"अवध": {"लखनऊ", "उन्नाव"}, "काशी": {"वाराणसी"}, "मगध": {"पटना"}}
    for district, units in _units(world).items():
        for level, (name, pk) in units.items():
            if level == "region":
                # A region is reached through any of its districts in scope (and shows only those).
                region = next(r for r, members in region_districts.items() if district in members)
                inside = bool(region_districts[region] & sees)
            else:
                inside = district in sees
            for page in [*PAGES, "/dashboard/calls/"]:
                if page in ("/dashboard/callers/", "/dashboard/roster-health/") and level in ("mandal", "booth"):
                    continue  # these pages go down to a district
                if page == "/dashboard/calls/" and level == "region":
                    continue  # the calls list starts at a district
                status = client.get(f"{page}?{name}={pk}").status_code
                assert status == (200 if inside else 404), (page, level, district)


@pytest.mark.parametrize("role", ["district_president", "district_incharge", "regional_president"])
def test_a_region_outside_the_territory_is_a_404_and_one_partly_inside_shows_only_that_part(world, role):
    user, sees = _users(world)[role]
    client = _client(user)
    for region in (world.kashi, world.patna.region):
        if not {d.name for d in region.districts.all()} & sees:
            assert client.get(f"/dashboard/?region={region.pk}").status_code == 404
    awadh = client.get(f"/dashboard/?region={world.awadh.pk}&by=district&format=csv").content.decode("utf-8-sig")
    assert {row["district"] for row in csv.DictReader(io.StringIO(awadh))} == sees & {"लखनऊ", "उन्नाव"}


@pytest.mark.parametrize(
    "make",
    [
        lambda world: AdminUserFactory(username="office-without-permission", is_superuser=False),
        lambda world: UserFactory(person=PersonFactory()),  # an account whose person holds no post
        lambda world: UserFactory(username="no-person"),
    ],
)
def test_accounts_without_a_territory_get_no_dashboard(world, make):
    client = _client(make(world))
    for page in [*PAGES, *MORE_PAGES, "/dashboard/calls/?district=1"]:
        assert client.get(page).status_code == 404, page
        assert client.get(f"{page}{'&' if '?' in page else '?'}format=csv").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(world):
    for page in [*PAGES, *MORE_PAGES]:
        response = Client().get(page)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_an_ended_post_ends_the_territory(world):
    viewer = make_viewer(districts=[world.unnao])
    client = _client(viewer)
    assert client.get("/dashboard/").status_code == 200
    Post.objects.filter(person=viewer.person).update(end_date=TODAY - datetime.timedelta(days=1))
    assert client.get("/dashboard/").status_code == 404


def test_viewers_see_and_work_on_the_follow_ups_of_their_territory(world):
    client = _client(make_viewer(districts=[world.varanasi]))
    page = client.get("/follow-ups/")
    assert page.status_code == 200
    items = list(page.context["page"])
    assert items and {item.district_id for item in items} == {world.varanasi.pk}
    from campaigns.models import FollowUp

    other = FollowUp.objects.exclude(district=world.varanasi).first()
    assert client.get(f"/follow-ups/{other.pk}/").status_code == 404
    assert client.get(f"/follow-ups/{items[0].pk}/").status_code == 200
