import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from campaigns.demo import HistoryExists, simulate_calls, simulate_tiffin_meetings
from campaigns.models import CallDay, TiffinMeeting


class Command(BaseCommand):
    help = (
        "Fill the N days before today with demo calls, assigned and logged through the real services, so the "
        "dashboards have a history to show, and tiffin meetings (this month's half planned, two months held). "
        "Synthetic and reproducible from --seed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, required=True, help="How many past days to fill (1-400).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed; the same seed gives the same calls.")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when calls were ever assigned.")

    def handle(self, *args: Any, days: int, seed: int, if_empty: bool, **options: Any) -> None:
        if not 1 <= days <= 400:
            raise CommandError(f"--days {days}: give between 1 and 400 days.")
        if if_empty and CallDay.objects.exists():
            self.stdout.write("Calls were already assigned here; no demo history added.")
            return
        # The meetings first: calls to a mandal whose meeting was held ask the president to confirm it.
        meetings = simulate_tiffin_meetings(seed=seed) if not TiffinMeeting.objects.exists() else 0
        quiet = logging.getLogger("campaigns.assignment")
        level = quiet.level
        quiet.setLevel(logging.WARNING)  # one line a simulated day is noise here
        try:
            summary = simulate_calls(days=days, seed=seed)
        except HistoryExists as exc:
            raise CommandError(f"{exc} Use a fresh database (seed_demo, then simulate_calls).") from exc
        finally:
            quiet.setLevel(level)
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary.days} days simulated in {summary.seconds:.1f} s: {summary.assigned:,} calls assigned, "
                f"{summary.logged:,} logged ({summary.outcomes.get('reached', 0):,} reached)."
            )
        )
        if summary.over_reported:
            self.stdout.write(f"  over-reports its campaign progress: {summary.over_reported}")
        if meetings:
            self.stdout.write(f"{meetings:,} tiffin meetings: this month's half planned, the two before mostly held.")
        for character in ("strong", "weak", "lax"):
            names = summary.profiles.get(character, [])
            if names:
                label = {"strong": "strong", "weak": "weak", "lax": "calls often left unlogged"}[character]
                shown = ", ".join(names[:6]) + (" …" if len(names) > 6 else "")
                self.stdout.write(f"  {label}: {shown}")
