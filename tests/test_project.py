"""The project as a new user and an operator meet it: `make run`, settings, checks."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


# What the development .env of `make run` (RUN_DIR/.env) sets: the settings read it
# into this process's environment when the checkout has one, so a process started
# from here as production or as a fresh `make run` must not inherit them.
DEV_ENV_KEYS = ("DEBUG", "SECRET_KEY", "SITE_URL")


def _production_env(run_dir: Path, **overrides: str) -> dict[str, str]:
    """The environment of a production process: none of the development .env's
    settings, and a RUN_DIR without one (the checkout's .run/.env, written by an
    earlier `make run`, would turn DEBUG on and bring its key)."""
    env = {k: v for k, v in os.environ.items() if k not in (*DEV_ENV_KEYS, "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env["RUN_DIR"] = str(run_dir)
    env.update(overrides)
    return env


def test_migrations_are_committed(db):
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT, env=_production_env(tmp_path), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr


def test_deploy_checks_pass_under_production_settings(tmp_path):
    env = _production_env(tmp_path, SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="booths.example.org")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_health_check_reaches_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_home_page_speaks_hindi_by_default_and_english_on_request(client, db):
    hindi = client.get("/").content.decode()
    assert 'lang="hi"' in hindi
    assert "बूथ संवाद" in hindi
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Booth Samvad" in english


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, seconds: float) -> tuple[int, str]:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own local server
                return response.status, response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


@pytest.mark.slow
def test_make_run_serves_the_admin_login_and_starts_the_scheduler(tmp_path):
    """`make run` on the embedded defaults: no DATABASE_URL, no REDIS_URL, no SECRET_KEY."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", *DEV_ENV_KEYS)}
    env.update(PORT=str(port), RUN_DIR=str(tmp_path / "run"))
    log = tmp_path / "make-run.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "run"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        try:
            status, body = _wait_for(f"http://127.0.0.1:{port}/admin/login/", seconds=180)
        except OSError as exc:
            raise AssertionError(f"make run never served: {exc}\n{log.read_text()[-5000:]}") from exc
        assert status == 200
        assert "csrfmiddlewaretoken" in body
        output = log.read_text()
        assert "Demo organisation 'small'" in output
        assert f"Sign in at http://127.0.0.1:{port}/admin/ as 'admin' with admin." in output
        celery_log = tmp_path / "run" / "celery.log"
        deadline = time.monotonic() + 60
        while "ready." not in (celery_log.read_text() if celery_log.exists() else ""):
            assert time.monotonic() < deadline, celery_log.read_text() if celery_log.exists() else "no celery log"
            time.sleep(0.5)
        assert "beat: Starting" in celery_log.read_text()
        _readme_commands_work_from_a_second_shell(tmp_path, port)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _readme_commands_work_from_a_second_shell(tmp_path: Path, port: int) -> None:
    """The README's commands, typed as written in a new shell while `make run` serves:
    no SECRET_KEY or DEBUG exported (`make run` wrote them to RUN_DIR/.env), and a
    sign-in link printed there opens the running app."""
    shell = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "SITE_URL", "MESSAGE_BACKEND", "EMAIL_BACKEND")
    }
    shell["RUN_DIR"] = str(tmp_path / "run")  # this test's .run/, not the checkout's

    def command(line: str) -> str:
        result = subprocess.run(line, shell=True, cwd=ROOT, env=shell, capture_output=True, text=True, timeout=300)  # noqa: S602
        assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
        return result.stdout

    today = time.strftime("%Y-%m-%d")
    command(f".venv/bin/python manage.py export_roster --output {tmp_path}/roster.csv")
    command(f".venv/bin/python manage.py import_roster {tmp_path}/roster.csv --dry-run")
    command(f".venv/bin/python manage.py export_callers --output {tmp_path}/callers.csv")
    command(f".venv/bin/python manage.py import_callers {tmp_path}/callers.csv --dry-run")
    command(".venv/bin/python manage.py assign_calls --no-messages")
    command(f".venv/bin/python manage.py export_calls --from {today} --to {today} --output {tmp_path}/calls.csv")
    command(".venv/bin/python manage.py demo_leaders")
    phone = (tmp_path / "callers.csv").read_text(encoding="utf-8-sig").splitlines()[1].split(",")[1]
    link = command(f".venv/bin/python manage.py signin_link {phone}").split()[-1]
    assert link.startswith(f"http://127.0.0.1:{port}/s/"), link
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(link, timeout=10)
        raise AssertionError("the link did not redirect")
    except urllib.error.HTTPError as answer:
        assert answer.code == 302 and answer.headers["Location"] in ("/today/", "/dashboard/"), answer.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def test_demo_leaders_needs_an_organisation(db):
    from io import StringIO

    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="no organisation"):
        call_command("demo_leaders", stdout=StringIO())


def test_compose_publishes_the_app_on_localhost_only_and_secrets_stay_out_of_git_and_the_image():
    compose = (ROOT / "docker-compose.yml").read_text()
    assert '"127.0.0.1:8000:8000"' in compose and '"8000:8000"' not in compose.replace('"127.0.0.1:8000:8000"', "")
    for name in ("MESSAGE_BACKEND", "EMAIL_BACKEND", "SITE_URL", "SECRET_KEY"):
        assert f"${{{name}:?" in compose  # compose refuses to start without it
    for ignore in (".gitignore", ".dockerignore"):
        assert ".env" in (ROOT / ignore).read_text().split()
    assert "MaskedLinksLogger" in (ROOT / "gunicorn.conf.py").read_text()


def test_hsts_preload_is_off_unless_asked(tmp_path):
    env = _production_env(tmp_path, SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="x.example")
    code = "from django.conf import settings; print(settings.SECURE_HSTS_PRELOAD, settings.SECURE_HSTS_SECONDS > 0)"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "outreach.settings"}, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert result.stdout.split() == ["False", "True"], result.stderr
