from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from campaigns.health import roster_health_refresh
from campaigns.management.commands.assign_calls import parse_date
from campaigns.stats import stats_rebuild


class Command(BaseCommand):
    help = (
        "Recompute the dashboards' figures from the calls (every day with calls, or --from/--to), and count the "
        "roster's health again. The figures follow every call as it is logged; run this after loading calls by "
        "other means, or after moving many booths or mandals on the map."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="date_from", help="First day, YYYY-MM-DD (default: the first with calls).")
        parser.add_argument("--to", dest="date_to", help="Last day, YYYY-MM-DD (default: the last with calls).")

    def handle(self, *args: Any, date_from: str | None, date_to: str | None, **options: Any) -> None:
        first = parse_date(date_from) if date_from else None
        last = parse_date(date_to) if date_to else None
        if first and last and first > last:
            raise CommandError(f"--from {first} is after --to {last}.")
        days = stats_rebuild(date_from=first, date_to=last)
        districts = roster_health_refresh()
        self.stdout.write(f"Figures of {days} days recomputed; roster health of {districts} districts counted.")
