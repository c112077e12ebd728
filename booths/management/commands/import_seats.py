from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from booths.roster.problems import summary_lines
from booths.seats import SEAT_COLUMNS, seats_import


class Command(BaseCommand):
    help = (
        "Set the Lok Sabha seats' target and last vote share from a sheet with the columns "
        f"{','.join(SEAT_COLUMNS)}; nothing is written if a row is bad."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="A .csv (UTF-8) or .xlsx file with a header row.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report; write nothing.")

    def handle(self, *args: object, file: str, dry_run: bool, **options: object) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file {file}.")
        with path.open("rb") as source:
            report = seats_import(source=source, filename=path.name, dry_run=dry_run)
        for line in summary_lines(report, roster=False):
            self.stdout.write(line)
        if report.errors:
            raise CommandError(f"Nothing was imported from {file}: fix the rows above and import it again.")
