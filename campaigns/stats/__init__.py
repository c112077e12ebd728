"""Keeping the dashboards' daily figures equal to the raw calls.

The figures of a (day, mandal), a (day, district) and a (day, caller, district)
are recomputed from `CallAssignment` and `CallLog` whenever one of their calls
changes, in the same transaction as the change:

- a call logged or corrected (`call_log_record`): that day's rows of the booth's
  mandal and district and of the caller, and the day of the booth's previous
  latest report, which stops (or starts again) being the latest;
- a day's assignments created, or past calls marked missed: those days, whole;
- every night (`refresh_dashboard_stats`), yesterday and today again, so rows
  follow a booth or mandal moved on the map, and `stats_rebuild` (the command
  `rebuild_dashboard_stats`) for any range.

Recomputing instead of adding and subtracting keeps the rows right whatever the
order of events; an exclusive advisory lock (PostgreSQL) makes concurrent
recomputations wait for each other, so none writes figures read before another
committed. Calls are logged about once a second at national scale and a
recomputation takes a few milliseconds, so the wait is short.
"""

from .calls import (
    latest_reports_rebuild,
    stats_days_to_check,
    stats_rebuild,
    stats_refresh_days,
    stats_refresh_for_call,
    streaks_rebuild,
)
from .follow_ups import follow_up_stats_rebuild, follow_up_stats_refresh, follow_up_stats_refresh_for

__all__ = [
    "follow_up_stats_rebuild",
    "follow_up_stats_refresh",
    "follow_up_stats_refresh_for",
    "latest_reports_rebuild",
    "stats_days_to_check",
    "stats_rebuild",
    "stats_refresh_days",
    "stats_refresh_for_call",
    "streaks_rebuild",
]
