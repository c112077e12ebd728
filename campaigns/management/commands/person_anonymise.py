from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from campaigns.management.commands.person_export import find
from campaigns.privacy import person_anonymise


class Command(BaseCommand):
    help = (
        "Anonymise a person on request: name, numbers and the notes about them blanked, their account closed, "
        "marked do-not-call; their posts and calls kept, so every figure stays as it was."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("phone", help="Their mobile (or alternate) number, in any usual form.")
        parser.add_argument("--person", type=int, help="The person's id, when several people share the number.")

    def handle(self, *args: Any, phone: str, person: int | None, **options: Any) -> None:
        done = person_anonymise(person=find(phone, person))
        self.stdout.write(
            f"Person {done.person_id} anonymised: name and numbers blanked, notes of {done.calls_received} calls "
            f"about them and {done.messages} messages to them cleared"
            + (", their account closed." if done.account else ".")
        )
