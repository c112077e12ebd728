import csv
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from booths.roster.files import inert
from campaigns.management.commands.assign_calls import parse_date
from campaigns.selectors import EXPORT_COLUMNS, call_export_rows


class Command(BaseCommand):
    help = "Write the call assignments of a date range as CSV (UTF-8, header row), one row per assignment."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="date_from", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="date_to", required=True, help="Last day (included), YYYY-MM-DD.")
        parser.add_argument("--output", help="File to write; default: standard output.")
        parser.add_argument("--bom", action="store_true", help="Start with a UTF-8 byte-order mark (for Excel).")

    def handle(self, *args: Any, date_from: str, date_to: str, output: str | None, bom: bool, **options) -> None:
        first, last = parse_date(date_from), parse_date(date_to)
        if first > last:
            raise CommandError(f"--from {first} is after --to {last}.")
        try:
            stream = open(output, "w", encoding="utf-8", newline="") if output else None  # noqa: SIM115
        except BrokenPipeError:
            raise  # the reader stopped (`| head`): manage.py ends quietly
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}.") from exc
        target = stream or self.stdout
        try:
            if bom:
                target.write("\ufeff")
            writer = csv.writer(target, lineterminator="\n")
            writer.writerow(EXPORT_COLUMNS)
            count = 0
            for row in call_export_rows(date_from=first, date_to=last):
                writer.writerow([inert(value) for value in row])
                count += 1
        finally:
            if stream:
                stream.close()
        if output:
            self.stdout.write(f"{count} assignments from {first} to {last} written to {output}.")
