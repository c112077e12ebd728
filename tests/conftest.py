import os

import pytest
from hypothesis import settings as hypothesis_settings

from tests.support import CHROMIUM

# CI is a gate: the same examples every run (a run at a desk explores new ones,
# and a failure it finds is kept as an @example).
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make beside it are safe (one thread), so Django's async guard may stand down.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases; then the migrated rows (the beat jobs the
    migrations wrote, content types) that `serialized_rollback` puts back after
    a transactional test, kept on the
    connection's class and not only on the connection object. Django keeps them
    on the object, but the connection is held in a context variable, and once
    Playwright's sync API has started (a session fixture) the tests run in
    another context with a connection object of its own: serialized rollback
    then silently stopped working (the flush emptied the beat schedule, and the
    content types came back with new ids under a cache holding the old ones).
    One database here, so one contents per backend class."""
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        contents = connection.__dict__.get("_test_serialized_contents")
        if contents is not None:
            type(connection)._test_serialized_contents = contents


@pytest.fixture(scope="session", autouse=True)
def _plain_http(django_test_environment):
    """Settings the whole session needs before any server starts (the live server
    builds its middleware once): plain HTTP, and static files as in DEBUG (the
    manifest storage needs `collectstatic`)."""
    from django.conf import settings
    from django.test import override_settings

    with override_settings(
        SECURE_SSL_REDIRECT=False,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        yield


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Messages go to the outbox (the Message rows) unless a test says otherwise.
    settings.MESSAGE_BACKEND = "outbox"
    settings.SITE_URL = "http://testserver"
    # Each test counts its own requests for the rate limits (a cache of its own,
    # not the Redis the broker uses).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def _celery_eager():
    """Tasks run in the test's process when called with .delay(); the tests that
    need a real worker start one."""
    from outreach.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def admin_client(client, db):
    """A client signed in as a superuser, asking for English pages."""
    from tests.factories import AdminUserFactory

    client.force_login(AdminUserFactory())
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, as this machine has it (Playwright cannot download browsers here)."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """pytest-playwright's `page` fixture makes any test naming `page` (a parameter
    too) a browser test in a transactional database, which flushes what the
    migrations wrote for the tests after it (twice a CI run failed so). Our
    browser tests open their pages from `browser`; `page` is refused."""
    for item in items:
        if "page" in getattr(item, "fixturenames", ()):
            raise pytest.UsageError(
                f"{item.nodeid} names 'page', pytest-playwright's fixture: call the parameter something else "
                "(browser tests open pages from the `browser` fixture)"
            )
