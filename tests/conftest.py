import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Production settings redirect to HTTPS; the test client speaks plain HTTP.
    settings.SECURE_SSL_REDIRECT = False
    # The manifest storage needs `collectstatic`; tests serve static files as in DEBUG.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def admin_client(client, db):
    """A client signed in as a superuser, asking for English pages."""
    from tests.factories import AdminUserFactory

    client.force_login(AdminUserFactory())
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
