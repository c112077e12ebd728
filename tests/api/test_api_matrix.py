"""Every role against every URL of the API, with objects inside and outside
its territory: the status, and no row from outside in any body. And a guard:
every URL of the site is in a table of the tests that walk it, so a new URL
fails here until someone decides who may open it and tests that."""

import json
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.urls import URLResolver, get_resolver

from booths.models import Booth
from campaigns.models import CallAssignment, FollowUp
from tests.campaigns import test_dashboard_access as access_tests
from tests.factories import AdminUserFactory

pytestmark = pytest.mark.django_db
# The hand-counted organisation of the dashboards' role tests, and another state beside it.
_world, world, _users = access_tests._world, access_tests.world, access_tests._users
DISTRICTS = ["लखनऊ", "उन्नाव", "वाराणसी", "पटना"]
ROLES = [
    "anonymous",
    "district_incharge",
    "state_office_bearer_of_a_region",
    "state_office_bearer",
    "district_president",
    "regional_president",
    "leadership",
    "staff_with_permission",
    "roster_admin",
    "superuser",
]


def _account(world, role: str):
    """(user or None, the districts its territory holds)."""
    if role == "anonymous":
        return None, set()
    if role == "roster_admin":  # staff who keep the roster in the admin: no dashboards, no territory
        admin = AdminUserFactory(username="roster-admin", is_superuser=False)
        admin.user_permissions.add(*Permission.objects.filter(codename__in=["add_booth", "change_booth", "view_booth"]))
        return admin, set()
    return _users(world)[role]


def _client(user) -> Client:
    if user is None:
        return Client(HTTP_ACCEPT_LANGUAGE="en")
    out = StringIO()
    call_command("api_token", user.username, stdout=out)
    return Client(HTTP_AUTHORIZATION=f"Token {out.getvalue().splitlines()[-1]}", HTTP_ACCEPT_LANGUAGE="en")


def _body(response) -> str:
    return json.dumps(response.json(), ensure_ascii=False) if response.content else ""


@pytest.mark.parametrize("role", ROLES)
def test_each_role_against_each_api_url_inside_and_outside_its_territory(world, role):
    user, sees = _account(world, role)
    client = _client(user)
    # Staff work on follow-ups in the admin; the callers' pages and the API show a
    # person's territory only (campaigns.access.follow_up_districts_for).
    follow_up_sees = sees if user is not None and user.person_id else set()
    own_calls = set(CallAssignment.objects.filter(caller__user=user).values_list("pk", flat=True)) if user else set()
    denied = 401 if user is None else None

    lists = {
        "/api/v1/me/": 200,
        "/api/v1/assignments/": 200,
        "/api/v1/calls/": 200,
        "/api/v1/follow-ups/": 200,
        "/api/v1/booths/": 200,
        "/api/v1/dashboard/overview/?by=district&period=7d": 200 if sees else 404,
        **{
            f"/api/v1/dashboard/{board}/?{query}": 200 if sees else 404
            for board, query in [
                ("callers", "table=districts"),
                ("booth-health", "by=district"),
                ("needs", "by=district&table=open"),
                ("roster-health", "by=district"),
                ("seats", ""),
                ("tiffin", "by=district"),
            ]
        },
    }
    bodies = []
    for url, expected in lists.items():
        response = client.get(url)
        assert response.status_code == (denied or expected), (role, url, response.content[:200])
        bodies.append((url, _body(response)))
    for url, body in bodies:
        for name in set(DISTRICTS) - sees:
            assert name not in body, (role, url, name)  # nothing from outside, in any list

    if user is None:
        for url in ("/api/v1/assignments/1/", "/api/v1/booths/1/", "/api/v1/follow-ups/1/"):
            assert client.get(url).status_code == 401
        assert client.put("/api/v1/assignments/1/outcome/", {}, content_type="application/json").status_code == 401
        assert client.patch("/api/v1/follow-ups/1/", {}, content_type="application/json").status_code == 401
        return

    assigned = {row["id"] for row in json.loads(bodies[1][1])}
    assert assigned == {pk for pk in own_calls if CallAssignment.objects.get(pk=pk).day == world.today}
    for call in CallAssignment.objects.filter(day=world.today).select_related("post__booth__mandal__district"):
        status = client.get(f"/api/v1/assignments/{call.pk}/").status_code
        assert status == (200 if call.pk in own_calls else 404), (role, call.pk)
        if call.pk not in own_calls:
            put = client.put(f"/api/v1/assignments/{call.pk}/outcome/", {"outcome": "busy"},
                             content_type="application/json")  # fmt: skip
            assert put.status_code == 404

    for name in DISTRICTS:
        inside = name in sees
        booth = Booth.objects.filter(mandal__district__name=name).first()
        assert client.get(f"/api/v1/booths/{booth.pk}/").status_code == (200 if inside else 404), (role, name)
        district_id = booth.mandal.district_id
        for board in ("overview", "calls", "booth-health", "needs"):
            response = client.get(f"/api/v1/dashboard/{board}/?district={district_id}")
            assert response.status_code == (200 if inside else 404), (role, board, name)
        for item in FollowUp.objects.filter(district_id=district_id):
            expected = 200 if name in follow_up_sees else 404
            assert client.get(f"/api/v1/follow-ups/{item.pk}/").status_code == expected, (role, name)
            if expected == 404:
                patch = client.patch(f"/api/v1/follow-ups/{item.pk}/", {"status": "in_progress"},
                                     content_type="application/json")  # fmt: skip
                assert patch.status_code == 404
    booths = {row["district_id"] for row in client.get("/api/v1/booths/").json()["results"]}
    assert {Booth.objects.filter(mandal__district_id=pk).first().mandal.district.name for pk in booths} == sees


# Each URL of the site (the admin has its own permissions and tests) and the
# tests that walk it for each role, inside and outside a territory.
COVERED_BY = {
    **dict.fromkeys(["", "healthz", "language/"], "tests/test_project.py"),
    **dict.fromkeys(
        [
            "accounts/login/",
            "accounts/logout/",
            "accounts/password_change/",
            "accounts/password_change/done/",
            "accounts/password_reset/",
            "accounts/password_reset/done/",
            "accounts/reset/<uidb64>/<token>/",
            "accounts/reset/done/",
        ],
        "tests/test_signin_security.py, tests/campaigns/test_browser.py",
    ),
    "s/<str:token>": "tests/test_signin_security.py",
    **dict.fromkeys(
        [
            "dashboard/",
            "dashboard/calls/",
            "dashboard/callers/",
            "dashboard/booth-health/",
            "dashboard/needs/",
            "dashboard/roster-health/",
            "dashboard/campaigns/",
            "dashboard/campaigns/<int:pk>/",
            "dashboard/tiffin/",
        ],
        "tests/campaigns/test_dashboard_access.py",
    ),
    **dict.fromkeys(["dashboard/seats/", "dashboard/seats/<int:pk>/"], "tests/campaigns/test_seats_dashboard.py"),
    **dict.fromkeys(
        [
            "today/",
            "calls/",
            "calls/<int:pk>/",
            "follow-ups/",
            "follow-ups/<int:pk>/",
            "follow-ups/roster/<int:pk>/dismiss/",
        ],
        "tests/campaigns/test_caller_pages.py",
    ),
    **dict.fromkeys(["campaigns/", "campaigns/<int:pk>/report/"], "tests/campaigns/test_campaign_verification.py"),
    **dict.fromkeys(
        [
            "tiffin/",
            "tiffin/district/<int:pk>/",
            "tiffin/<int:pk>/",
            "tiffin/<int:pk>/cancel/",
            "tiffin/<int:pk>/photo/",
        ],
        "tests/campaigns/test_tiffin.py",
    ),
    **dict.fromkeys(
        [
            "api/v1/me/",
            "api/v1/assignments/",
            "api/v1/assignments/<int:pk>/",
            "api/v1/assignments/<int:pk>/outcome/",
            "api/v1/calls/",
            "api/v1/follow-ups/",
            "api/v1/follow-ups/<int:pk>/",
            "api/v1/booths/",
            "api/v1/booths/<int:pk>/",
            "api/v1/dashboard/overview/",
            "api/v1/dashboard/<slug:board>/",
        ],
        "tests/api/test_api_matrix.py",
    ),
    **dict.fromkeys(
        ["api/schema/", "api/docs/", "api/tokens/", "api/tokens/<int:pk>/revoke/"], "tests/api/test_api.py"
    ),
}


def _routes(patterns, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def test_every_url_of_the_site_is_in_the_table_of_the_tests_that_walk_it():
    routes = {route for route in _routes(get_resolver().url_patterns) if not route.startswith("admin/")}
    assert routes - set(COVERED_BY) == set(), "a new URL: add it to a role test and to COVERED_BY"
    assert set(COVERED_BY) - routes == set(), "a URL gone: take it out of COVERED_BY"
