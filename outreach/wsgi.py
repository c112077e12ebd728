import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outreach.settings")

application = get_wsgi_application()

from .startup import delivery_backends_check  # noqa: E402 - needs the settings loaded

delivery_backends_check()
