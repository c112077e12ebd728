import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from booths.models import Booth, District
from booths.progress import TerminalProgress, command_stream
from booths.roster.export import roster_export


class CommandOutput:
    """A command's output as a plain text stream (Django's wrapper adds newlines)."""

    def __init__(self, command: BaseCommand) -> None:
        self.command = command

    def write(self, text: str) -> None:
        self.command.stdout.write(text, ending="")


class Command(BaseCommand):
    help = "Write the roster in the import format (CSV, or XLSX when --output ends in .xlsx)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--district", help="Only this district's booths (its name as in the roster).")
        parser.add_argument("--output", help="File to write; default: standard output (CSV).")

    def handle(self, *args: Any, district: str | None, output: str | None, **options: Any) -> None:
        booths = Booth.objects.all()
        if district:
            name = unicodedata.normalize("NFC", district.strip())
            matches = list(District.objects.filter(name=name).select_related("region"))
            if not matches:
                raise CommandError(f"There is no district “{district}” in the roster.")
            if len(matches) > 1:
                regions = ", ".join(match.region.name for match in matches)
                raise CommandError(f"“{district}” is a district in several regions ({regions}).")
            booths = booths.filter(mandal__district=matches[0])
        xlsx = bool(output and output.lower().endswith(".xlsx"))
        # With the sheet on standard output, progress goes to standard error.
        progress = TerminalProgress(command_stream(self.stdout if output else self.stderr), unit="booths")
        try:
            roster_export(booths=booths, target=output or CommandOutput(self), xlsx=xlsx, progress=progress)
        except BrokenPipeError:
            raise  # the reader stopped (`| head`): manage.py ends quietly
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}.") from exc
        finally:
            progress.close()
        if output:
            self.stdout.write(f"{booths.filter(is_active=True).count()} booths written to {output}.")
