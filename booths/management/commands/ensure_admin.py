import os
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

DEMO_PASSWORD = "admin"  # noqa: S105 - only with DEBUG, for a first local run


class Command(BaseCommand):
    help = (
        "Create an admin account when there is none and say how to sign in. The password comes from "
        "ADMIN_PASSWORD; with DEBUG on and no ADMIN_PASSWORD it is 'admin'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument("--url", default="http://127.0.0.1:8000/admin/", help="Where to tell people to sign in.")

    def handle(self, *args: Any, username: str, url: str, **options: Any) -> None:
        User = get_user_model()
        existing = User.objects.filter(is_superuser=True).order_by("pk").first()
        if existing:
            self.stdout.write(
                f"Sign in at {url} as '{existing.username}' (existing account; "
                f"`manage.py changepassword {existing.username}` resets its password)."
            )
            return
        password = os.environ.get("ADMIN_PASSWORD", "")
        if not password:
            if not settings.DEBUG:
                raise CommandError("Set ADMIN_PASSWORD to create the first admin account outside DEBUG.")
            password = DEMO_PASSWORD
        User.objects.create_superuser(username=username, password=password, email="")
        shown = password if password == DEMO_PASSWORD else "the password in ADMIN_PASSWORD"
        self.stdout.write(self.style.SUCCESS(f"Sign in at {url} as '{username}' with {shown}."))
