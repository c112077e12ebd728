import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outreach.settings")

application = get_asgi_application()

from .startup import delivery_backends_check  # noqa: E402 - needs the settings loaded

delivery_backends_check()
