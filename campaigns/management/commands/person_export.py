import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from booths.models import Person
from campaigns.privacy import PersonNotFound, SeveralPeople, person_export_data, person_find


def find(phone: str, person_id: int | None) -> Person:
    try:
        return person_find(phone=phone, person_id=person_id)
    except ValidationError as exc:
        raise CommandError(exc.messages[0]) from None
    except PersonNotFound:
        raise CommandError(f"No one has the number {phone}.") from None
    except SeveralPeople as several:
        listed = "; ".join(f"--person {person.pk}: {person.name}" for person in several.people)
        raise CommandError(f"Several people have the number {phone}; say which: {listed}") from None


class Command(BaseCommand):
    help = "Everything held about a person (an access request), as JSON: person, posts, account, calls, messages."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("phone", help="Their mobile (or alternate) number, in any usual form.")
        parser.add_argument("--person", type=int, help="The person's id, when several people share the number.")
        parser.add_argument("--output", help="File to write; default: standard output.")

    def handle(self, *args: Any, phone: str, person: int | None, output: str | None, **options: Any) -> None:
        data = person_export_data(person=find(phone, person))
        text = json.dumps(data, ensure_ascii=False, indent=2)
        if output:
            try:
                with open(output, "w", encoding="utf-8") as stream:
                    stream.write(text + "\n")
            except BrokenPipeError:
                raise  # the reader stopped (`| head`): manage.py ends quietly
            except OSError as exc:
                raise CommandError(f"Cannot write {output}: {exc.strerror}.") from exc
            self.stdout.write(f"Everything held about person {data['person']['id']} written to {output}.")
        else:
            self.stdout.write(text)
