"""Checks a serving process makes before it starts: the web app (wsgi, asgi) and
the Celery worker and beat. Management commands skip them: a migration or a
benchmark sends nothing."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DELIVERY_SETTINGS = {
    "MESSAGE_BACKEND": "sms, whatsapp, outbox (kept in the admin, sent by no one) or a dotted path",
    "EMAIL_BACKEND": "e.g. django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST",
}


def delivery_backends_check() -> None:
    """With DEBUG off, messages and email need a backend said out loud: the
    development default prints them (numbers, names, sign-in and password-reset
    links) to the logs and sends nothing."""
    for name, choices in DELIVERY_SETTINGS.items():
        if not getattr(settings, name):
            raise ImproperlyConfigured(
                f"{name} is not set. With DEBUG off, set it in the environment ({choices}); "
                "the development default would print messages to the logs instead of sending them."
            )
