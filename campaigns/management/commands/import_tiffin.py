from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from booths.roster.problems import summary_lines
from campaigns.tiffin_import import COLUMNS, tiffin_import


class Command(BaseCommand):
    help = (
        f"Import planned tiffin meetings from a sheet with the columns {','.join(COLUMNS)} (CSV UTF-8 or XLSX); "
        "nothing is written if a row is bad, and a row imported again updates its meeting."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="A .csv (UTF-8) or .xlsx file with a header row.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report; write nothing.")

    def handle(self, *args: object, file: str, dry_run: bool, **options: object) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file {file}.")
        with path.open("rb") as source:
            report = tiffin_import(source=source, filename=path.name, dry_run=dry_run)
        for line in summary_lines(report, roster=False):
            self.stdout.write(line)
        if report.errors:
            raise CommandError(f"Nothing was imported from {file}: fix the rows above and import it again.")
