from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from booths.management.commands.export_roster import CommandOutput
from booths.models import User
from booths.progress import TerminalProgress, command_stream
from booths.roster.export import callers_export


class Command(BaseCommand):
    help = "Write the callers in the import format (CSV, or XLSX when --output ends in .xlsx)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", help="File to write; default: standard output (CSV).")

    def handle(self, *args: Any, output: str | None, **options: Any) -> None:
        xlsx = bool(output and output.lower().endswith(".xlsx"))
        # With the sheet on standard output, progress goes to standard error.
        progress = TerminalProgress(command_stream(self.stdout if output else self.stderr), unit="people")
        try:
            callers_export(
                users=User.objects.filter(is_active=True),
                target=output or CommandOutput(self),
                xlsx=xlsx,
                progress=progress,
            )
        except BrokenPipeError:
            raise  # the reader stopped (`| head`): manage.py ends quietly
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}.") from exc
        finally:
            progress.close()
        if output:
            self.stdout.write(f"Callers written to {output}.")
