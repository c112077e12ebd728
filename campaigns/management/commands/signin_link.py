from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils import timezone

from booths.models import User
from booths.phones import parse_indian_mobile
from campaigns.management.commands.assign_calls import parse_date
from campaigns.signin import signin_url


class Command(BaseCommand):
    help = "Print a caller's sign-in link for a day (for a caller whose message did not arrive)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("phone", help="The caller's mobile number, in any usual form.")
        parser.add_argument("--date", help="YYYY-MM-DD; default: today in India (IST). A link works on its day only.")

    def handle(self, *args: Any, phone: str, date: str | None, **options: Any) -> None:
        day = parse_date(date) if date else timezone.localdate()
        if day < timezone.localdate():
            raise CommandError(
                f"{day} is over (India time): a link works on its own day only, so it would be refused. "
                "Leave out --date for today's link."
            )
        try:
            number = parse_indian_mobile(phone).as_e164
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from exc
        users = list(
            User.objects.filter(Q(username=number) | Q(person__mobile=number), is_active=True)
            .select_related("person")
            .order_by("pk")
        )
        if not users:
            raise CommandError(f"No active account has the mobile number {number}.")
        for user in users:
            name = user.person.name if user.person else user.get_username()
            if len(users) > 1:
                self.stdout.write(f"{name} ({user.get_username()}):")
            self.stdout.write(signin_url(user=user, day=day))
