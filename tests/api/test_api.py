"""REST API v1: a caller's day through tokens, with the pages' access and checks."""

import csv
import datetime
import io
from io import StringIO

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from api.models import ApiToken
from campaigns.models import CallLog, FollowUp
from tests.campaigns.helpers import caller_with_calls
from tests.factories import AdminUserFactory, DistrictFactory, make_booths, make_caller, make_viewer

pytestmark = pytest.mark.django_db
REACHED = {
    "outcome": "reached",
    "wellbeing": "all_well",
    "standing": "competitive",
    "needs": ["booth_committee"],
    "notes": "बूथ समिति बनानी है",
    "follow_up": True,
}


def token_for(user) -> str:
    out = StringIO()
    call_command("api_token", user.username, stdout=out)
    return out.getvalue().splitlines()[-1]


def api(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en")


def test_a_script_with_a_token_does_a_callers_whole_day():
    user, calls = caller_with_calls()
    client = api(token_for(user))
    me = client.get("/api/v1/me/").json()
    assert me["username"] == user.username and me["posts"][0]["role"] == "district_incharge"

    listed = client.get("/api/v1/assignments/").json()
    assert [item["id"] for item in listed] == [call.pk for call in calls]
    assert all(item["editable"] and item["outcome"] == "" for item in listed)
    detail = client.get(f"/api/v1/assignments/{calls[0].pk}/").json()
    assert detail["president_name"] == calls[0].president.name and detail["log"] is None

    first = client.put(f"/api/v1/assignments/{calls[0].pk}/outcome/", REACHED, content_type="application/json")
    assert first.status_code == 200, first.content
    assert first.json()["outcome"] == "reached" and first.json()["log"]["needs"] == ["booth_committee"]
    second = client.put(
        f"/api/v1/assignments/{calls[1].pk}/outcome/", {"outcome": "no_answer"}, content_type="application/json"
    )
    assert second.status_code == 200, second.content

    history = client.get("/api/v1/calls/").json()
    assert history["count"] == len(calls)
    assert {row["outcome"] for row in history["results"]} >= {"reached", "no_answer"}
    log = CallLog.objects.get(assignment=calls[0])
    assert (log.logged_by, log.standing) == (user, "competitive")
    assert FollowUp.objects.filter(log=log, category="booth_committee").exists()

    # What the API logged is in export_calls, as a call logged on the page is.
    out = StringIO()
    today = str(timezone.localdate())
    call_command("export_calls", "--from", today, "--to", today, stdout=out)
    rows = {row["president_phone"]: row for row in csv.DictReader(io.StringIO(out.getvalue()))}
    row = rows[str(calls[0].president.mobile)]
    assert (row["outcome"], row["standing"], row["needs"]) == ("reached", "competitive", "booth_committee")


def test_another_callers_assignment_is_a_404_and_a_token_sees_only_its_own_calls():
    user, calls = caller_with_calls()
    _other, other_calls = caller_with_calls(district=DistrictFactory())
    client = api(token_for(user))
    assert client.get(f"/api/v1/assignments/{other_calls[0].pk}/").status_code == 404
    put = client.put(f"/api/v1/assignments/{other_calls[0].pk}/outcome/", REACHED, content_type="application/json")
    assert put.status_code == 404
    assert not CallLog.objects.exists()
    listed = {item["id"] for item in client.get("/api/v1/assignments/").json()}
    assert listed == {call.pk for call in calls}
    assert {row["id"] for row in client.get("/api/v1/calls/").json()["results"]} == listed


def test_the_outcome_is_checked_as_the_form_checks_it_and_nothing_is_saved_when_bad():
    user, calls = caller_with_calls()
    client = api(token_for(user))
    url = f"/api/v1/assignments/{calls[0].pk}/outcome/"
    missing = client.put(url, {"outcome": "reached"}, content_type="application/json")
    assert missing.status_code == 400
    assert set(missing.json()) == {"wellbeing", "standing"}
    assert missing.json()["standing"] == ["Tap one: strong, competitive or weak."]
    unknown = client.put(url, {"outcome": "answered"}, content_type="application/json")
    assert unknown.status_code == 400 and "outcome" in unknown.json()
    bad_need = client.put(url, {**REACHED, "needs": ["gold"]}, content_type="application/json")
    assert bad_need.status_code == 400 and "needs" in bad_need.json()
    not_json = client.put(url, "outcome=reached", content_type="application/x-www-form-urlencoded")
    assert not_json.status_code == 415
    wrong_question = client.put(url, {**REACHED, "answers": {"999999": "yes"}}, content_type="application/json")
    assert wrong_question.status_code == 400 and "answers.999999" in wrong_question.json()
    calls[0].refresh_from_db()
    assert calls[0].status == "assigned" and not CallLog.objects.exists()


def test_a_call_of_a_past_day_cannot_be_logged_after_midnight():
    user, calls = caller_with_calls(day=timezone.localdate() - datetime.timedelta(days=1))
    client = api(token_for(user))
    response = client.put(f"/api/v1/assignments/{calls[0].pk}/outcome/", REACHED, content_type="application/json")
    assert response.status_code == 409
    assert "can no longer be changed" in response.json()["detail"]
    day = str(calls[0].day)
    listed = client.get(f"/api/v1/assignments/?day={day}").json()
    assert [item["editable"] for item in listed] == [False] * len(calls)
    assert client.get("/api/v1/assignments/?day=yesterday").status_code == 400


def test_follow_ups_of_my_districts_are_listed_and_moved_on():
    user, calls = caller_with_calls()
    client = api(token_for(user))
    client.put(f"/api/v1/assignments/{calls[0].pk}/outcome/", REACHED, content_type="application/json")
    items = client.get("/api/v1/follow-ups/").json()["results"]
    assert [item["category"] for item in items] == ["booth_committee"]
    url = f"/api/v1/follow-ups/{items[0]['id']}/"
    refused = client.patch(url, {"status": "resolved"}, content_type="application/json")
    assert refused.status_code == 400 and refused.json() == {"note": ["Say how it was resolved."]}
    done = client.patch(url, {"status": "resolved", "note": "समिति बन गई"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "resolved"
    other, _calls = caller_with_calls(district=DistrictFactory())
    assert api(token_for(other)).get(url).status_code == 404


def test_tokens_are_stored_hashed_and_revoked_tokens_are_refused():
    user, _calls = caller_with_calls()
    key = token_for(user)
    token = ApiToken.objects.get()
    assert key not in (token.digest, token.prefix) and key.startswith(token.prefix + ".")
    assert api(key).get("/api/v1/me/").status_code == 200
    assert api(key + "x").get("/api/v1/me/").status_code == 401
    assert api("nonsense").get("/api/v1/me/").status_code == 401
    assert Client().get("/api/v1/me/").status_code in (401, 403)
    out = StringIO()
    call_command("api_token", user.username, "--revoke", stdout=out)
    assert "1 token(s)" in out.getvalue()
    assert api(key).get("/api/v1/me/").status_code == 401
    with pytest.raises(CommandError, match="There is no account"):
        call_command("api_token", "+919999999999", stdout=StringIO())


def test_a_user_makes_and_revokes_tokens_on_the_tokens_page():
    user, _calls = caller_with_calls()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    page = client.post("/api/tokens/", {"name": "ज़िला आईटी सेल"})
    assert page["Cache-Control"] == "no-store"
    body = page.content.decode()
    token = ApiToken.objects.get(user=user)
    start = body.index(f"<code>{token.prefix}.") + len("<code>")
    key = body[start : body.index("</code>", start)]
    assert api(key).get("/api/v1/me/").status_code == 200
    assert key not in client.get("/api/tokens/").content.decode()  # shown once
    client.post(f"/api/tokens/{token.pk}/revoke/")
    assert api(key).get("/api/v1/me/").status_code == 401
    assert Client().get("/api/tokens/").status_code == 302  # sign in first


def test_the_schema_is_served_and_the_docs_use_no_cdn():
    schema = Client().get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/assignments/{id}/outcome/" in schema.content
    docs = Client().get("/api/docs/").content.decode()
    assert "cdn" not in docs.lower() and "swagger" in docs.lower()
    assert "<style" not in docs and "<script>" not in docs  # nothing inline: the CSP allows none


def test_requests_past_the_rate_get_429_with_retry_after(monkeypatch):
    monkeypatch.setattr(
        "rest_framework.throttling.SimpleRateThrottle.THROTTLE_RATES", {"user": "3/min", "anon": "2/min"}
    )
    user, _calls = caller_with_calls()
    client = api(token_for(user))
    assert [client.get("/api/v1/me/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert int(client.get("/api/v1/me/")["Retry-After"]) > 0
    anonymous = Client()  # the schema is open to all: counted by address
    assert [anonymous.get("/api/schema/").status_code for _ in range(3)] == [200, 200, 429]


def test_booths_of_my_territory_with_filters_and_none_outside():
    mine = DistrictFactory()
    elsewhere = DistrictFactory(region=mine.region)
    booths = make_booths(district=mine, count=5, mandals=2, vacant=2)
    outside = make_booths(district=elsewhere, count=3)
    caller = make_caller(districts=[mine])
    client = api(token_for(caller))
    listed = client.get("/api/v1/booths/").json()
    assert listed["count"] == 5 and {row["id"] for row in listed["results"]} == {booth.pk for booth in booths}
    vacant = client.get("/api/v1/booths/?vacant=true").json()["results"]
    assert {row["id"] for row in vacant} == {booth.pk for booth in booths[3:]}
    assert all(row["president_name"] == "" for row in vacant)
    by_mandal = client.get(f"/api/v1/booths/?mandal={booths[0].mandal_id}").json()["results"]
    assert {row["id"] for row in by_mandal} == {b.pk for b in booths if b.mandal_id == booths[0].mandal_id}
    assert client.get(f"/api/v1/booths/?district={elsewhere.pk}").json()["count"] == 0
    assert client.get(f"/api/v1/booths/{outside[0].pk}/").status_code == 404
    one = client.get(f"/api/v1/booths/{booths[0].pk}/").json()
    assert one["label"] == booths[0].label and one["president_name"]

    leader = make_viewer(state=mine.region.state)  # the state's leadership sees both districts
    assert api(token_for(leader)).get("/api/v1/booths/").json()["count"] == 8


def test_the_overview_figures_are_the_dashboards_own_within_my_scope():
    user, calls = caller_with_calls()
    district = calls[0].post.booth.mandal.district
    client = api(token_for(user))
    client.put(f"/api/v1/assignments/{calls[0].pk}/outcome/", REACHED, content_type="application/json")
    client.put(f"/api/v1/assignments/{calls[1].pk}/outcome/", {"outcome": "no_answer"}, content_type="application/json")
    _other, _calls = caller_with_calls(district=DistrictFactory(region=district.region))

    leader = make_viewer(state=district.region.state)
    data = api(token_for(leader)).get("/api/v1/dashboard/overview/?period=today&by=district").json()
    rows = {row["name"]: row for row in data["rows"]}
    assert len(rows) == 2 and data["by"] == "district"
    mine = rows[district.name]
    assert (mine["assigned"], mine["logged"], mine["reached"]) == (len(calls), 2, 1)
    assert mine["reach_rate"] == round(100 / len(calls), 1)  # percent, as the CSV writes it
    assert data["totals"]["assigned"] == sum(row["assigned"] for row in rows.values())
    page = Client(HTTP_ACCEPT_LANGUAGE="en")
    page.force_login(leader)
    sheet = csv.DictReader(io.StringIO(page.get("/dashboard/?period=today&by=district&format=csv").content.decode()))
    from_page = {row["district"]: row for row in sheet}
    assert int(from_page[district.name]["assigned"]) == mine["assigned"]
    assert int(from_page[district.name]["reached"]) == mine["reached"]
    assert float(from_page[district.name]["reach_rate"]) == mine["reach_rate"]
    assert float(from_page[district.name]["logged_share"]) == mine["logged_share"]

    # A district in-charge sees their district only; a bad query says what is wrong.
    own = client.get("/api/v1/dashboard/overview/?period=today&by=district").json()
    assert [row["name"] for row in own["rows"]] == [district.name]
    bad = client.get("/api/v1/dashboard/overview/?from=2026-01-05&to=2026-01-01")
    assert bad.status_code == 400 and "query" in bad.json()
    outside = client.get(f"/api/v1/dashboard/overview/?district={DistrictFactory().pk}")
    assert outside.status_code == 404


def test_an_admin_makes_a_token_for_an_account_and_sees_the_key_once():
    user, _calls = caller_with_calls()
    admin = Client(HTTP_ACCEPT_LANGUAGE="en")
    admin.force_login(AdminUserFactory())
    response = admin.post("/admin/api/apitoken/add/", {"user": user.pk, "name": "ज़िला आईटी सेल"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    body = response.content.decode()
    start = body.index('<code id="token-key">') + len('<code id="token-key">')
    key = body[start : body.index("</code>", start)]
    token = ApiToken.objects.get()
    assert token.user == user and token.name == "ज़िला आईटी सेल" and key.startswith(token.prefix + ".")
    assert api(key).get("/api/v1/me/").json()["username"] == user.username
    listing = admin.get("/admin/api/apitoken/").content.decode()
    assert key not in listing and token.prefix in listing
    admin.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    assert api(key).get("/api/v1/me/").status_code == 401
    entry = LogEntry.objects.get(change_message__startswith="API tokens revoked")
    assert entry.change_message == f"API tokens revoked: {user.username}: {token.prefix}"


def test_a_list_polled_unchanged_is_304_without_a_body_and_changes_when_a_call_is_logged():
    user, calls = caller_with_calls()
    client = api(token_for(user))
    first = client.get("/api/v1/assignments/")
    etag = first["ETag"]
    again = client.get("/api/v1/assignments/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    head = client.head("/api/v1/assignments/")
    assert head.status_code == 200 and head["ETag"] == etag and head.content == b""
    assert client.head("/api/v1/assignments/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    client.put(f"/api/v1/assignments/{calls[0].pk}/outcome/", {"outcome": "busy"}, content_type="application/json")
    changed = client.get("/api/v1/assignments/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    page = Client()
    page.force_login(user)
    assert not page.get("/today/").has_header("ETag")  # the pages are left as they were


@pytest.mark.parametrize(
    ("board", "query"),
    [
        ("callers", "period=today"),
        ("callers", "period=today&table=districts"),
        ("booth-health", "by=district"),
        ("needs", "period=today&by=district"),
        ("roster-health", "by=district"),
        ("tiffin", "by=district"),
    ],
)
def test_each_dashboard_table_is_the_pages_download_as_json(board, query):
    user, calls = caller_with_calls()
    district = calls[0].post.booth.mandal.district
    client = api(token_for(user))
    client.put(f"/api/v1/assignments/{calls[0].pk}/outcome/", REACHED, content_type="application/json")
    leader = make_viewer(state=district.region.state)
    data = api(token_for(leader)).get(f"/api/v1/dashboard/{board}/?{query}").json()
    page = Client(HTTP_ACCEPT_LANGUAGE="en")
    page.force_login(leader)
    sheet = page.get(f"/dashboard/{'' if board == 'overview' else board + '/'}?{query}&format=csv")
    rows = list(csv.DictReader(io.StringIO(sheet.content.decode("utf-8-sig"))))
    assert [column["key"] for column in data["columns"]] == list(rows[0]) if rows else data["rows"] == []
    as_text = [{key: "" if value is None else str(value) for key, value in row.items()} for row in data["rows"]]
    assert as_text == rows


def test_a_dashboard_table_outside_my_scope_or_unknown_is_refused():
    user, calls = caller_with_calls()
    client = api(token_for(user))
    mine = client.get("/api/v1/dashboard/callers/?period=today&table=districts").json()
    assert [row["district"] for row in mine["rows"]] == [calls[0].post.booth.mandal.district.name]
    assert client.get(f"/api/v1/dashboard/booth-health/?district={DistrictFactory().pk}").status_code == 404
    assert client.get("/api/v1/dashboard/nonsense/").status_code == 404
    bad = client.get("/api/v1/dashboard/callers/?table=weak")
    assert bad.status_code == 400 and "table=weak" in bad.json()["query"][0]
    assert client.get("/api/v1/dashboard/needs/?by=planet").status_code == 400
