"""The ways in, as an attacker tries them: wrong passwords in a row, one address
trying many links or accounts, damaged numbers, revoked links, and the settings
a production deployment could get wrong."""

import datetime
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import time_machine
from django.contrib.admin.sites import site
from django.core import mail
from django.utils import timezone

from booths.models import User
from campaigns.signin import signin_token
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a-long-caller-password"
# Rate limits count in windows of the clock (a minute): a test that straddled the
# end of one would see its count start again. Time stands still in those tests.
FROZEN = time_machine.travel(datetime.datetime(2026, 11, 29, 10, 0, 30, tzinfo=datetime.UTC), tick=False)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def caller():
    person = PersonFactory(mobile="+919811122233")
    return User.objects.create_user("+919811122233", password=PASSWORD, person=person)


def sign_in(client, username: str, password: str, ip: str = "203.0.113.7"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_a_right_password_signs_in_with_the_number_written_any_way(client, caller):
    for written in ("98111 22233", "+91 98111-22233", "09811122233"):
        client.logout()
        assert sign_in(client, written, PASSWORD).status_code == 302


def test_rapid_wrong_passwords_lock_the_account_whatever_way_the_number_is_written(client, caller, settings):
    written = ["9811122233", "+919811122233", "098111 22233", "91 9811122233", "9811122233"]
    for number in written[: settings.AXES_FAILURE_LIMIT]:
        response = sign_in(client, number, "wrong-guess")
        assert response.status_code in (200, 429)
    locked = sign_in(client, "9811122233", PASSWORD)  # even the right password, for now
    assert locked.status_code == 429
    assert "locked for 15 minutes" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not locked with it.
    other = User.objects.create_user("+919822233344", password=PASSWORD, person=PersonFactory(mobile="+919822233344"))
    assert sign_in(client, "9822233344", PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


def test_the_admin_login_is_locked_the_same_way(client, settings):
    User.objects.create_superuser("root", "root@party.example", "an-admin-password")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "root", "password": "guess"}, REMOTE_ADDR="203.0.113.9")
    response = client.post("/admin/login/", {"username": "root", "password": "an-admin-password"})
    assert response.status_code == 429


@FROZEN
def test_one_address_is_limited_whatever_accounts_it_tries(client, caller, settings):
    settings.LOGIN_RATE_PER_IP = "3/m"
    for n in range(3):
        assert sign_in(client, f"98{n:08d}", "guess", ip="198.51.100.4").status_code == 200
    response = sign_in(client, "9811122233", PASSWORD, ip="198.51.100.4")
    assert response.status_code == 429
    assert "Too many sign-in attempts came from your network" in response.content.decode()
    assert sign_in(client, "9811122233", PASSWORD, ip="198.51.100.5").status_code == 302


@FROZEN
def test_sign_in_links_are_limited_per_address(client, caller, settings):
    settings.SIGNIN_LINK_RATE_PER_IP = "2/m"
    for n in range(2):
        assert client.get(f"/s/{n}.guess.0.AAAAAAAAAAAA", REMOTE_ADDR="198.51.100.8").status_code == 403
    assert client.get("/s/3.guess.0.AAAAAAAAAAAA", REMOTE_ADDR="198.51.100.8").status_code == 429


@FROZEN
def test_password_reset_is_limited_per_address(client, caller, settings):
    caller.email = "caller@party.example"
    caller.save()
    settings.PASSWORD_RESET_RATE_PER_IP = "2/m"
    for _ in range(2):
        response = client.post("/accounts/password_reset/", {"email": "caller@party.example"}, REMOTE_ADDR="192.0.2.1")
        assert response.status_code == 302
    response = client.post("/accounts/password_reset/", {"email": "caller@party.example"}, REMOTE_ADDR="192.0.2.1")
    assert response.status_code == 429
    assert len(mail.outbox) == 2


@FROZEN
def test_behind_our_proxy_the_address_is_the_one_it_saw(client, caller, settings):
    settings.NUM_PROXIES = 1
    settings.LOGIN_RATE_PER_IP = "1/m"
    forwarded = {"REMOTE_ADDR": "10.0.0.2"}  # the proxy
    assert sign_in_via(client, "198.51.100.20", forwarded).status_code == 200
    # A client cannot pose as another by prepending an address of its choice.
    assert sign_in_via(client, "6.6.6.6, 198.51.100.20", forwarded).status_code == 429
    assert sign_in_via(client, "198.51.100.21", forwarded).status_code == 200


def sign_in_via(client, forwarded_for: str, meta: dict):
    data = {"username": "9811122233", "password": "guess"}
    return client.post("/accounts/login/", data, HTTP_X_FORWARDED_FOR=forwarded_for, **meta)


@pytest.mark.parametrize("typed", ["98765432²0", "①9876543210", "９８７６５４３２１०", "x" * 39, "+1 (555) 010-9999"])
def test_a_damaged_number_on_the_sign_in_page_is_a_plain_error(client, caller, typed):
    response = sign_in(client, typed, PASSWORD)
    assert response.status_code == 200
    assert "That mobile number and password do not match" in response.content.decode()


def test_revoking_links_ends_the_sessions_they_opened(client, caller):
    from django.test import Client

    response = client.get(f"/s/{signin_token(user=caller, day=timezone.localdate())}")
    assert response.status_code == 302
    assert client.get("/today/").status_code == 200
    admin = User.objects.create_superuser("root", "root@party.example", "an-admin-password")
    staff = Client()
    staff.force_login(admin)
    staff.post("/admin/booths/user/", {"action": "revoke_signin_links", "_selected_action": [caller.pk]})
    caller.refresh_from_db()
    assert caller.signin_link_version == 1
    after = client.get("/today/")
    assert after.status_code == 302 and after["Location"].startswith("/accounts/login/")


def test_view_only_staff_cannot_revoke_links_or_see_todays_link(client, caller):
    from django.contrib.auth.models import Permission

    viewer = User.objects.create_user("viewer", password="a-long-test-password", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_user"))
    client.force_login(viewer)
    page = client.get(f"/admin/booths/user/{caller.pk}/change/").content.decode()
    assert "/s/" not in page
    changelist = client.get("/admin/booths/user/").content.decode()
    assert "revoke_signin_links" not in changelist
    client.post("/admin/booths/user/", {"action": "revoke_signin_links", "_selected_action": [caller.pk]})
    caller.refresh_from_db()
    assert caller.signin_link_version == 0


def test_the_user_admin_keeps_the_callers_export_actions():
    """campaigns extends the roster's user admin: the exports the README promises stay."""
    actions = dict((name, func) for func, name, _description in site._registry[User]._get_base_actions())
    assert {"export_callers_xlsx", "export_callers_csv", "revoke_signin_links"} <= set(actions)


def _production(**env: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "MESSAGE_BACKEND", "EMAIL_BACKEND", "RUN_DIR")}
    base.update(SECRET_KEY="a-production-key-of-enough-length-for-the-test-0123456789", ALLOWED_HOSTS="x.example")
    base["RUN_DIR"] = tempfile.mkdtemp(prefix="no-dev-env-")  # no .env there; nothing left in the checkout
    base.update(env)
    return base


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, "MESSAGE_BACKEND is not set"),
        ({"MESSAGE_BACKEND": "sms"}, "EMAIL_BACKEND is not set"),
    ],
)
def test_production_web_app_refuses_to_start_without_delivery_backends(env, missing):
    result = subprocess.run(
        [sys.executable, "-c", "import outreach.wsgi"], cwd=ROOT, env=_production(**env),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0
    assert missing in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    "service",
    [
        ["worker", "--pool", "solo"],
        # A scheduler of its own: beat builds it before its start signal, and the
        # database scheduler would want a migrated database first.
        ["beat", "--scheduler", "celery.beat:PersistentScheduler"],
    ],
    ids=["worker", "beat"],
)
def test_production_worker_and_beat_refuse_to_start_without_delivery_backends(service, tmp_path):
    """Celery only logs an exception raised by a signal handler and starts anyway;
    the worker and beat must stop, as the web app does."""
    env = _production(RUN_DIR=str(tmp_path))
    command = [sys.executable, "-m", "celery", "-A", "outreach", *service]
    if service[0] == "beat":
        command += ["--schedule", str(tmp_path / "beat-schedule")]
    try:
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired as running:
        raise AssertionError(f"celery {service[0]} started without MESSAGE_BACKEND: {running.stderr}") from None
    assert result.returncode != 0
    assert "MESSAGE_BACKEND is not set" in result.stdout + result.stderr


def test_production_web_app_starts_with_them_said():
    env = _production(MESSAGE_BACKEND="outbox", EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend")
    result = subprocess.run(
        [sys.executable, "-c", "import outreach.wsgi"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_the_access_log_masks_sign_in_links():
    from outreach.gunicorn_logging import mask

    assert mask("GET /s/1a.2b3c.0.AbCdEfGhIjKl HTTP/1.1") == "GET /s/… HTTP/1.1"
    assert mask("/today/") == "/today/"


def test_gunicorn_and_the_apps_log_show_no_sign_in_link(client, caller, caplog):
    import logging
    import runpy

    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["logger_class"] == "outreach.gunicorn_logging.MaskedLinksLogger"
    handler = logging.getLogger().handlers[0]
    token = "1a.2b3c.0.AbCdEfGhIjKl"
    record = logging.LogRecord("django.request", logging.WARNING, "", 0, "Forbidden: %s", (f"/s/{token}",), None)
    assert all(f.filter(record) for f in handler.filters)
    assert token not in record.getMessage() and "/s/…" in record.getMessage()
