"""Signing in: the personal link of the day, and mobile number with password."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from booths.models import User
from campaigns.signin import signin_token, signin_url
from tests.campaigns.helpers import caller_with_calls
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def link_path(user: User, day: datetime.date | None = None) -> str:
    return f"/s/{signin_token(user=user, day=day or timezone.localdate())}"


def test_the_link_signs_the_caller_in_until_the_end_of_the_day(client):
    user, calls = caller_with_calls()
    response = client.get(link_path(user))
    assert response.status_code == 302
    assert response["Location"] == "/today/"
    today = client.get("/today/")
    assert today.status_code == 200
    assert calls[0].president.name in today.content.decode()
    expiry = client.session.get_expiry_date()
    midnight = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=1), datetime.time())
    )
    assert expiry == midnight


def test_the_link_is_short_enough_for_a_dlt_variable():
    user = UserFactory.build(pk=123_456_789, signin_link_version=12)
    assert len(signin_token(user=user, day=datetime.date(2099, 12, 31))) <= 30


def test_the_link_opens_the_callers_pages_in_their_language(client):
    user, _calls = caller_with_calls()
    user.language = "en"
    user.save()
    client.get(link_path(user))
    assert "Today's calls" in client.get("/today/").content.decode()


def test_yesterdays_link_is_refused_with_a_clear_page(client):
    user, _calls = caller_with_calls()
    response = client.get(link_path(user, timezone.localdate() - datetime.timedelta(days=1)), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "has expired" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_link_stops_working_at_midnight_ist(client):
    user, _calls = caller_with_calls(day=datetime.date(2026, 11, 28))
    path = link_path(user, datetime.date(2026, 11, 28))
    with time_machine.travel(datetime.datetime(2026, 11, 28, 18, 29, tzinfo=datetime.UTC)):  # 23:59 IST
        assert client.get(path).status_code == 302
    client.logout()
    with time_machine.travel(datetime.datetime(2026, 11, 28, 18, 31, tzinfo=datetime.UTC)):  # 00:01 IST
        assert client.get(path).status_code == 403


def test_a_revoked_link_is_refused(client, admin_client):
    user, _calls = caller_with_calls()
    path = link_path(user)
    response = admin_client.post(
        "/admin/booths/user/", {"action": "revoke_signin_links", "_selected_action": [user.pk]}
    )
    assert response.status_code == 302
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "withdrawn" in response.content.decode()


@pytest.mark.parametrize("mangle", [lambda t: t[:-2] + "xx", lambda t: t.replace(".", "-"), lambda t: "1.2.3.4"])
def test_a_damaged_link_is_refused(client, mangle):
    user, _calls = caller_with_calls()
    response = client.get(f"/s/{mangle(signin_token(user=user, day=timezone.localdate()))}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "not complete or not correct" in response.content.decode()


def test_a_link_for_an_inactive_account_is_refused(client):
    user, _calls = caller_with_calls()
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(link_path(user)).status_code == 403


def test_a_link_session_never_reaches_the_admin_even_for_staff(client):
    user, _calls = caller_with_calls()
    User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    client.get(link_path(user))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("typed", ["{national}", "0{national}", "+91 {spaced}"])
def test_password_sign_in_with_the_mobile_number_typed_any_way(client, typed):
    user, _calls = caller_with_calls()
    user.set_password("a-long-test-password")
    user.save()
    national = str(user.person.mobile)[3:]
    typed = typed.format(national=national, spaced=f"{national[:5]} {national[5:]}")
    response = client.post("/accounts/login/", {"username": typed, "password": "a-long-test-password"})
    assert response.status_code == 302
    assert response["Location"] == "/today/"


def test_a_wrong_password_says_so_and_signs_nobody_in(client):
    user, _calls = caller_with_calls()
    response = client.post(
        "/accounts/login/", {"username": str(user.person.mobile), "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "do not match" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_on_a_shared_phone_the_password_picks_the_account(client):
    person = PersonFactory(mobile="+919812345678")
    relative = PersonFactory(mobile="+919812345678")
    UserFactory(username="first", person=person, password="first-password-long")
    second = UserFactory(username="second", person=relative, password="second-password-long")
    client.post("/accounts/login/", {"username": "98123 45678", "password": "second-password-long"})
    assert client.session["_auth_user_id"] == str(second.pk)


def test_password_reset_is_offered(client, db):
    assert client.get("/accounts/password_reset/").status_code == 200


def test_signin_link_command_prints_todays_link(client):
    user, _calls = caller_with_calls()
    out = StringIO()
    call_command("signin_link", f"0{str(user.person.mobile)[3:]}", stdout=out)
    url = out.getvalue().strip()
    assert url == signin_url(user=user, day=timezone.localdate())
    assert client.get(url.removeprefix("http://testserver")).status_code == 302


def test_signin_link_command_for_another_day(client):
    user, _calls = caller_with_calls()
    out = StringIO()
    call_command("signin_link", str(user.person.mobile), "--date", "2030-01-02", stdout=out)
    assert out.getvalue().strip() == signin_url(user=user, day=datetime.date(2030, 1, 2))


def test_signin_link_command_refuses_a_day_that_is_over(db):
    user, _calls = caller_with_calls()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    out = StringIO()
    with pytest.raises(CommandError, match=f"{yesterday} is over .* a link works on its own day only"):
        call_command("signin_link", str(user.person.mobile), "--date", str(yesterday), stdout=out)
    assert out.getvalue() == ""


@pytest.mark.parametrize(
    ("phone", "says"), [("9812300000", "No active account"), ("0522 2234567", "landline"), ("12345", "digits")]
)
def test_signin_link_command_explains_what_is_wrong(db, settings, phone, says):
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(CommandError, match=says):
        call_command("signin_link", phone, stdout=StringIO())


def test_the_admin_shows_a_callers_link_of_the_day(admin_client):
    user, _calls = caller_with_calls()
    response = admin_client.get(f"/admin/booths/user/{user.pk}/change/")
    assert signin_url(user=user, day=timezone.localdate()) in response.content.decode()


def test_choosing_english_is_remembered_for_messages(client):
    user, _calls = caller_with_calls()
    client.get(link_path(user))
    client.post("/language/", {"language": "en", "next": "/today/"})
    user.refresh_from_db()
    assert user.language == "en"
    with time_machine.travel(timezone.now()):
        assert "Today's calls" in client.get("/today/").content.decode()
