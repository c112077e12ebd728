import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from booths.phones import format_indian_mobile
from campaigns.assignment import AssignmentError, assignments_create_for_day
from campaigns.selectors import day_assignments


def parse_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"“{value}” is not a date; write it as YYYY-MM-DD, e.g. 2026-11-28.") from None


class Command(BaseCommand):
    help = "Give every active caller their booth presidents to call on a day (only what is missing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="YYYY-MM-DD; default: today in India (IST).")

    def handle(self, *args: object, date: str | None, **options: object) -> None:
        day = parse_date(date) if date else timezone.localdate()
        try:
            run = assignments_create_for_day(day=day, source="command")
        except AssignmentError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{day}: {run.assignments_created} calls assigned to {run.callers_filled} of {run.callers} active callers "
            f"in {run.duration_ms} ms."
        )
        if run.marked_missed:
            self.stdout.write(f"{run.marked_missed} calls of earlier days had no outcome and are now missed.")
        if run.shortfall_calls:
            reasons = ", ".join(f"{reason}: {n}" for reason, n in sorted(run.shortfall_reasons.items()))
            self.stdout.write(
                self.style.WARNING(
                    f"{run.shortfall_calls} calls short: {run.shortfalls.count()} callers have too few presidents "
                    f"to call in their scope ({reasons})."
                )
            )
        elif run.assignments_created == 0:
            self.stdout.write("Nothing was missing: every active caller already has their calls for the day.")
        self._show(day, everyone=options["verbosity"] >= 2)

    def _show(self, day: datetime.date, everyone: bool) -> None:
        """Print the day's calls: one caller's as an example, or everyone's."""
        assignments = day_assignments(day=day)
        if not everyone:
            first = next(iter(assignments), None)
            assignments = [a for a in assignments if first and a.caller_id == first.caller_id]
            if assignments:
                self.stdout.write("For example:")
        caller_id = None
        for assignment in assignments:
            if assignment.caller_id != caller_id:
                caller_id = assignment.caller_id
                caller = assignment.caller
                self.stdout.write(f"  {caller.name} ({format_indian_mobile(caller.mobile)}) calls:")
            booth, president = assignment.post.booth, assignment.president
            self.stdout.write(
                f"    {assignment.slot}. {president.name}, {format_indian_mobile(president.mobile)}"
                f" · booth {booth.assembly_seat.number}/{booth.number} {booth.name} · mandal {booth.mandal.name}"
                f" · {assignment.get_reason_display()}"
            )
