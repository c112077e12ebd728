from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from booths.demo import PRESETS, seed_demo
from booths.models import Booth
from booths.progress import TerminalProgress, command_stream


class Command(BaseCommand):
    help = "Fill an empty database with a synthetic, deterministic demo organisation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--preset", choices=sorted(PRESETS), default="small",
                            help="small: a few hundred booths; up: Uttar Pradesh (~163,000 booths); "
                                 "india: all states (~1,050,000 booths).")  # fmt: skip
        parser.add_argument("--seed", type=int, default=1, help="Random seed; the same seed gives the same data.")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when booths already exist.")

    def handle(self, *args: Any, preset: str, seed: int, if_empty: bool, **options: Any) -> None:
        existing = Booth.objects.count()
        if existing:
            if if_empty:
                self.stdout.write(f"The database already has {existing:,} booths; demo data not loaded.")
                return
            raise CommandError(
                f"The database already has {existing:,} booths. seed_demo only fills an empty database; "
                "use a fresh database (or `manage.py flush`) to load demo data."
            )
        progress = TerminalProgress(command_stream(self.stdout), unit="booths")
        try:
            summary = seed_demo(preset=preset, seed=seed, progress=progress)
        finally:
            progress.close()
        self.stdout.write(
            self.style.SUCCESS(f"Demo organisation '{preset}' (seed {seed}) created in {summary.seconds:.1f} s:")
        )
        for label, value in [
            ("states", summary.states),
            ("regions", summary.regions),
            ("districts", summary.districts),
            ("mandals", summary.mandals),
            ("shakti kendras", summary.shakti_kendras),
            ("Lok Sabha seats", summary.lok_sabha_seats),
            ("assembly seats", summary.assembly_seats),
            ("booths", summary.booths),
            ("vacant booths", summary.vacant_booths),
            ("people", summary.people),
            ("posts", summary.posts),
            ("callers", summary.callers),
        ]:
            self.stdout.write(f"  {label:<16} {value:>10,}")
        if summary.caller_usernames:
            self.stdout.write(f"  e.g. callers {', '.join(summary.caller_usernames)}")
