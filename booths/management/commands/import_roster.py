from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from booths.progress import TerminalProgress, command_stream
from booths.roster.importer import roster_import
from booths.roster.problems import ImportReport, summary_lines


class ImportCommand(BaseCommand):
    """Shared by import_roster and import_callers."""

    importer = staticmethod(roster_import)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="A .csv (UTF-8) or .xlsx file with a header row.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report; write nothing.")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="Import the good rows; write the bad ones to an error file."
        )
        parser.add_argument("--errors", help="Where to write the bad rows (default: FILE.errors.csv).")

    def handle(self, *args: Any, file: str, dry_run: bool, skip_invalid: bool, errors: str | None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file {file}.")
        error_file = errors or str(path.with_name(path.stem + ".errors.csv"))
        progress = TerminalProgress(command_stream(self.stdout))
        with path.open("rb") as source:
            report = self.importer(
                source=source,
                filename=path.name,
                dry_run=dry_run,
                skip_invalid=skip_invalid,
                error_file=error_file,
                progress=progress,
            )
        progress.close()
        for line in summary_lines(report):
            self.stdout.write(line)
        if report.errors and not report.written and not report.dry_run:
            raise CommandError(f"Nothing was imported from {file}. (--skip-invalid imports the good rows.)")
        if report.errors and report.dry_run and not skip_invalid:
            raise CommandError(f"{file} has rows with errors.")


class Command(ImportCommand):
    help = "Import a roster sheet (one row per booth) into the organisation map; nothing is written if a row is bad."


class SheetImportCommand(BaseCommand):
    """Shared by the all-or-nothing sheets (seats, campaign reports, tiffin meetings):
    FILE and --dry-run; `importer(source=, filename=, dry_run=)` returns an ImportReport."""

    importer: Callable[..., ImportReport]  # set by each command

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="A .csv (UTF-8) or .xlsx file with a header row.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report; write nothing.")

    def handle(self, *args: Any, file: str, dry_run: bool, **options: Any) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file {file}.")
        with path.open("rb") as source:
            report = self.importer(source=source, filename=path.name, dry_run=dry_run)
        for line in summary_lines(report, roster=False):
            self.stdout.write(line)
        if report.errors:
            raise CommandError(f"Nothing was imported from {file}: fix the rows above and import it again.")
