from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from booths.demo import demo_leaders_create
from booths.models import State
from booths.phones import format_indian_mobile
from campaigns.signin import signin_url


class Command(BaseCommand):
    help = (
        "Give a demo organisation's leadership accounts (the state president, a regional president, a district "
        "president) and print today's sign-in link of each, for a first look at the dashboards."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not State.objects.exists():
            raise CommandError("There is no organisation yet: load one first (seed_demo or import_roster).")
        leaders = demo_leaders_create()
        today = timezone.localdate()
        for label, user in (
            ("State leadership", leaders.leadership),
            ("Regional president", leaders.regional_president),
            ("District president", leaders.district_president),
        ):
            if user is not None:
                person = user.person
                assert person is not None  # a leader's account is theirs
                self.stdout.write(
                    f"{label}: {person.name} ({format_indian_mobile(person.mobile)}) · "
                    f"today's sign-in link {signin_url(user=user, day=today)}"
                )
