"""The API against its committed OpenAPI schema (schemathesis, in process):
generated requests, authenticated as a caller and as the state's leadership,
never get a 5xx, and every answer the schema describes matches it."""

from io import StringIO
from pathlib import Path

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from tests.campaigns.helpers import caller_with_calls
from tests.factories import make_viewer

ROOT = Path(__file__).resolve().parents[2]


class _App:
    """The project's WSGI app, built at the first request: after the session's
    settings (plain HTTP), which the middleware reads once when it is built."""

    handler = None

    def __call__(self, environ: dict, start_response: object) -> object:
        self.handler = self.handler or get_wsgi_application()
        return self.handler(environ, start_response)


schema = schemathesis.openapi.from_path(ROOT / "api" / "openapi.yml")
schema.app = _App()


@pytest.fixture
def _keep_the_test_connection():
    """A real WSGI handler closes old database connections at each request's
    start and end; inside a test that would close the connection holding the
    test's transaction. Django's test client stands them down the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["caller", "leadership"])
def headers(request, db, settings, _keep_the_test_connection):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]  # the in-process client's host
    user, calls = caller_with_calls()
    if request.param == "leadership":
        user = make_viewer(state=calls[0].post.booth.mandal.district.region.state)
    out = StringIO()
    call_command("api_token", user.username, stdout=out)
    token = out.getvalue().splitlines()[-1]
    # identity: the in-process client does not undo the gzip the site applies to large answers
    return {"Authorization": f"Token {token}", "Accept-Language": "en", "Accept-Encoding": "identity"}


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_api_answers_as_its_schema_says(case, headers, monkeypatch):
    # Limits count per account; these requests test answers, not the limits.
    monkeypatch.setattr("rest_framework.throttling.SimpleRateThrottle.THROTTLE_RATES", {"user": None, "anon": None})
    case.call_and_validate(headers=headers, checks=[not_a_server_error, response_schema_conformance])
