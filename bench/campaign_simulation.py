"""How soon the calls catch an over-reporting district, with and without targeting.

    .venv/bin/python bench/campaign_simulation.py [--runs 12] [--days 12] [--false-alarm-runs 1000]

Each run: a fresh copy of the `sim` demo state (10 districts of 120 booths,
16 callers: 9 district in-charges, 7 state office-bearers), one district
reporting 90 % of its booths covered where the truth behind its presidents'
answers is 50 %, the others reporting their truth; `--days` days of calls
through the real assignment and call logging (`campaigns.verification.simulation`).
The same seeds run with CAMPAIGN_TARGETING 0 (off) and 0.5 (the default).

Then the false alarms: honest districts (reporting their true share exactly)
whose presidents are asked at the pace the runs showed, over ≥ 200 runs of a
30-day campaign, flagged on the last evening (what a campaign review sees) and
on any evening (what a leader looking every day would have seen once).

Runs on SQLite files (the figures are days and shares, not seconds).
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="campaign-sim-"))
DB = WORK / "db.sqlite3"
os.environ.update(DATABASE_URL=f"sqlite:///{DB}", SECRET_KEY="bench-only", DEBUG="false", LOG_LEVEL="WARNING")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outreach.settings")
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402

from bench.common import machine  # noqa: E402
from booths.demo import seed_demo  # noqa: E402
from campaigns.verification.simulation import false_alarm_rate, simulate_campaign  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=12, help="seeds per setting")
    parser.add_argument("--days", type=int, default=12)
    parser.add_argument("--false-alarm-runs", type=int, default=1000)
    args = parser.parse_args()
    started = time.monotonic()
    print(f"machine: {machine()}")
    call_command("migrate", verbosity=0)
    seed_demo(preset="sim", seed=1)
    connections.close_all()
    template = WORK / "template.sqlite3"
    shutil.copy(DB, template)

    results: dict[float, list] = {0.0: [], 0.5: []}
    for seed in range(1, args.runs + 1):
        for targeting in results:
            connections.close_all()
            shutil.copy(template, DB)
            run = simulate_campaign(days=args.days, seed=seed, targeting=targeting)
            results[targeting].append(run)
            print(f"seed {seed:>2} targeting {targeting:.1f}: flagged on day {run.flagged_day}, predicted "
                  f"{run.predicted_day}; answers {run.answers_by_day}; honest flagged at the end "
                  f"{run.honest_flagged_end}/{run.honest}", flush=True)  # fmt: skip
    print()
    print(
        "| targeting | runs | flagged within the days | days to flag: median (range) | predicted within ±1 day "
        "| answers from the district by day 7 (median) | honest districts flagged on the last evening |"
    )
    print("|---|---|---|---|---|---|---|")
    for targeting, runs in results.items():
        flagged = [run.flagged_day for run in runs if run.flagged_day is not None]
        close = sum(1 for run in runs if run.flagged_day and run.predicted_day
                    and abs(run.flagged_day - run.predicted_day) <= 1)  # fmt: skip
        by_seven = statistics.median(run.answers_by_day[min(6, args.days - 1)] for run in runs)
        honest = sum(run.honest for run in runs)
        honest_end = sum(run.honest_flagged_end for run in runs)
        middle = statistics.median(flagged) if flagged else None
        print(f"| {targeting:.1f} | {len(runs)} | {len(flagged)} | {middle} ({min(flagged, default=None)}–"
              f"{max(flagged, default=None)}) | {close}/{len(runs)} | {by_seven} | "
              f"{honest_end}/{honest} ({honest_end / honest:.1%}) |")  # fmt: skip
    paired = [(a.flagged_day, b.flagged_day) for a, b in zip(results[0.0], results[0.5], strict=True)
              if a.flagged_day and b.flagged_day]  # fmt: skip
    if paired:
        saved = [a - b for a, b in paired]
        print(f"\ndays saved by targeting, paired by seed: mean {statistics.mean(saved):.2f}, median "
              f"{statistics.median(saved)}, range {min(saved)}–{max(saved)} over {len(saved)} seeds")  # fmt: skip
    pace = statistics.mean(
        run.answers_by_day[-1] / args.days for run in results[0.0]
    )  # an honest district's pace is the same as the over-reporting one's without targeting
    print()
    # This state's districts (120 booths), and an Uttar Pradesh district (~1,660 booths) at the same pace.
    for booths in (120, 1_660):
        at_end, ever = false_alarm_rate(runs=args.false_alarm_runs, booths=booths, answers_per_day=pace, days=30)
        print(f"false alarms, {booths:,} booths, {args.false_alarm_runs} runs of 30 days at {pace:.2f} answers "
              f"a day: {at_end:.1%} flagged on the last evening, {ever:.1%} on some evening")  # fmt: skip
    print(f"\n{time.monotonic() - started:.0f} s in all")
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
