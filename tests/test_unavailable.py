"""A database or Redis restarting mid-request gives a plain "try again" page
(503 with Retry-After), never a traceback; other errors the plain 500 page."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from redis.exceptions import ConnectionError as RedisConnectionError

from tests.campaigns.helpers import caller_with_calls

pytestmark = pytest.mark.django_db


def client_for(user, language: str = "hi") -> Client:
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("server closed the connection unexpectedly"),
        RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused."),
    ],
)
def test_a_server_restarting_gives_a_plain_try_again_page(error):
    user, _calls = caller_with_calls()
    with mock.patch("campaigns.views.call_cards", side_effect=error):
        response = client_for(user).get("/today/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    page = response.content.decode()
    assert "थोड़ी देर में फिर से कोशिश करें" in page
    assert "Traceback" not in page and "connection" not in page.lower()


def test_the_try_again_page_in_english():
    user, _calls = caller_with_calls()
    with mock.patch("campaigns.views.call_cards", side_effect=OperationalError("the database system is starting up")):
        page = client_for(user, "en").get("/today/").content.decode()
    assert "Please try again in a moment" in page and "may not have been saved" in page


def test_any_other_error_is_the_plain_500_page():
    user, _calls = caller_with_calls()
    with mock.patch("campaigns.views.call_cards", side_effect=ValueError("a bug")):
        response = client_for(user, "en").get("/today/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page and "a bug" not in page and "Traceback" not in page
