import datetime
from collections import Counter
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from booths.phones import format_indian_mobile
from campaigns.messaging.services import messages_send_now
from campaigns.models import Message
from campaigns.selectors import day_assignments
from campaigns.services import AssignmentError, assignments_create_for_day


def parse_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"“{value}” is not a date; write it as YYYY-MM-DD, e.g. 2026-11-28.") from None


class Command(BaseCommand):
    help = "Give every active caller their booth presidents to call on a day (only what is missing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="YYYY-MM-DD; default: today in India (IST).")
        parser.add_argument(
            "--no-messages", action="store_true", help="Do not send the callers their morning message now."
        )

    def handle(self, *args: Any, date: str | None, no_messages: bool, **options: Any) -> None:
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
        elif run.left_short:
            self.stdout.write(
                f"Nothing was changed: {day} was assigned and later days have been since. Callers left without "
                f"calls that day (short of presidents then, or added since) stay so: {run.left_short}."
            )
        elif run.assignments_created == 0:
            self.stdout.write("Nothing was missing: every active caller already has their calls for the day.")
        if not no_messages and day < timezone.localdate():
            # Its links work on their day only, and the message says "today": an
            # earlier day re-run (a no-op or not) sends nothing to the callers.
            self.stdout.write(f"No morning messages: {day} is over (India time) and its sign-in links no longer work.")
        elif not no_messages:
            sent = messages_send_now(kind=Message.Kind.MORNING_LIST, day=day)
            by_status = Counter(message.get_status_display() for message in sent)
            summary = ", ".join(f"{status}: {n}" for status, n in sorted(by_status.items())) or "none new"
            self.stdout.write(f"Morning messages through '{settings.MESSAGE_BACKEND}': {summary}.")
        if options["verbosity"] >= 2:
            self._show(day)

    def _show(self, day: datetime.date) -> None:
        """Print every call of the day, caller by caller."""
        caller_id = None
        for assignment in day_assignments(day=day):
            if assignment.caller_id != caller_id:
                caller_id = assignment.caller_id
                caller = assignment.caller
                self.stdout.write(f"  {caller.name} ({format_indian_mobile(caller.mobile)}) calls:")
            booth, president = assignment.post.booth, assignment.president
            assert booth is not None  # a president's post
            self.stdout.write(
                f"    {assignment.slot}. {president.name}, {format_indian_mobile(president.mobile)}"
                f" · booth {booth.label} {booth.name} · mandal {booth.mandal.name}"
                f" · {assignment.get_reason_display()}"
            )
