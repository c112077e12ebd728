from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from booths.roster.problems import summary_lines
from campaigns.verification.reports_import import COLUMNS, reports_import


class Command(BaseCommand):
    help = (
        f"Import units' campaign reports from a CSV (UTF-8) or XLSX file with the columns {','.join(COLUMNS)} "
        "(mandal empty when a district reports as a whole). Nothing is written if a row is bad."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check and report; write nothing.")

    def handle(self, *args: object, file: str, dry_run: bool, **options: object) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file {file}.")
        with path.open("rb") as source:
            report = reports_import(source=source, filename=path.name, dry_run=dry_run)
        for line in summary_lines(report, roster=False):
            self.stdout.write(line)
        if report.errors:
            raise CommandError(f"Nothing was imported from {file}: fix the rows above and import it again.")
