"""A campaign at Uttar Pradesh scale on PostgreSQL: what it costs the daily
assignment (targeting reads every district's figures each run) and how fast the
campaign page answers.

    .venv/bin/python bench/campaign_scale.py [--days 30] [--repeats 5]

Seeds `up` into a fresh database, then in a child process: a statewide
campaign with a report from every mandal, `--days` days of calls (the real
assignment; 75 % of calls logged reached with an answer, written set-wise), then

- the next day's assignment with targeting off and at 0.5, each in a
  rolled-back transaction, alternately `--repeats` times (the same day, the
  same queues): the difference is targeting's cost;
- the campaign page for the state's leadership by district and by mandal, and
  its CSV, through Django's test client (server time, queries), beside the
  plain ORM count of the state's booths the page cannot do without.
"""

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import PYTHON, machine, manage, scratch_database  # noqa: E402

NAME = "bench_campaign_up"


def child(days: int, repeats: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outreach.settings")
    import django

    django.setup()
    import random
    import time

    from django.db import connection, transaction
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from booths.models import Booth, Mandal, User
    from campaigns.models import CallAssignment, CallLog, CampaignAnswer
    from campaigns.services import assignments_create_for_day
    from campaigns.verification.services import campaign_create, campaign_report_record

    today = datetime.date.today()
    first = today - datetime.timedelta(days=days + 1)
    campaign = campaign_create(name="महाजनसंपर्क", start=first, end=today + datetime.timedelta(days=10))
    question = campaign.questions.get(position=1)
    rng = random.Random(1)
    booths_by_mandal: dict[int, int] = {}
    for mandal_id in Booth.objects.filter(is_active=True).values_list("mandal_id", flat=True):
        booths_by_mandal[mandal_id] = booths_by_mandal.get(mandal_id, 0) + 1
    for mandal in Mandal.objects.select_related("district"):
        covered = round(booths_by_mandal.get(mandal.pk, 0) * rng.uniform(0.4, 0.95))
        campaign_report_record(campaign=campaign, district=mandal.district, mandal=mandal, reported_on=first,
                               booths_covered=covered, households_contacted=covered * 90)  # fmt: skip
    for n in range(days):
        day = first + datetime.timedelta(days=n)
        with override_settings(CAMPAIGN_TARGETING=0.0):
            assignments_create_for_day(day=day, source="bench")
        fields = ("pk", "post__booth_id", "post__booth__mandal_id", "post__booth__mandal__district_id")
        calls = list(CallAssignment.objects.filter(day=day).values_list(*fields))
        reached = [call for call in calls if rng.random() < 0.75]
        CallAssignment.objects.filter(pk__in=[c[0] for c in reached]).update(
            status=CallAssignment.Status.LOGGED,
            outcome=CallAssignment.Outcome.REACHED,
            logged_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(12))),
        )
        CallLog.objects.bulk_create([CallLog(assignment_id=c[0], standing="competitive", wellbeing="all_well")
                                     for c in reached])  # fmt: skip
        CampaignAnswer.objects.bulk_create([
            CampaignAnswer(log_id=c[0], question=question, campaign=campaign, booth_id=c[1], mandal_id=c[2],
                           district_id=c[3], day=day, answer=rng.choice(["yes", "yes", "partly", "no", "unknown"]))
            for c in reached
        ])  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(json.dumps({"answers": CampaignAnswer.objects.count(), "reports": campaign.reports.count()}), flush=True)

    day = first + datetime.timedelta(days=days)
    timings: dict[float, list[float]] = {0.0: [], 0.5: []}
    for _ in range(repeats):
        for share in timings:
            with override_settings(CAMPAIGN_TARGETING=share), transaction.atomic():
                started = time.perf_counter()
                assignments_create_for_day(day=day, source="bench")
                timings[share].append(time.perf_counter() - started)
                transaction.set_rollback(True)
    print(json.dumps({"assign": {str(k): v for k, v in timings.items()}}), flush=True)

    leader = User.objects.create_superuser("bench-leader", password=None)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(leader)
    pages = {}
    for label, url in (
        ("by district", f"/dashboard/campaigns/{campaign.pk}/"),
        ("by mandal", f"/dashboard/campaigns/{campaign.pk}/?by=mandal"),
        ("by district, CSV", f"/dashboard/campaigns/{campaign.pk}/?format=csv"),
        ("by mandal, CSV", f"/dashboard/campaigns/{campaign.pk}/?by=mandal&format=csv"),
    ):
        client.get(url)
        times, queries = [], 0
        for _ in range(repeats * 2):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
            queries = len(captured)
        pages[label] = {"median_ms": round(statistics.median(times) * 1000), "max_ms": round(max(times) * 1000),
                        "queries": queries}  # fmt: skip
    started = time.perf_counter()
    for _ in range(repeats * 2):
        list(
            Booth.objects.filter(is_active=True).values("mandal__district_id").annotate(n=django.db.models.Count("pk"))
        )
    pages["reference: booths by district"] = {
        "median_ms": round((time.perf_counter() - started) / (repeats * 2) * 1000)
    }
    print(json.dumps({"pages": pages}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.days, args.repeats)
        return
    print(f"machine: {machine()}")
    with scratch_database(NAME) as url:
        seconds, _peak, _out = manage("seed_demo", "--preset", "up", url=url)
        print(f"seed_demo --preset up: {seconds:.0f} s")
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-only", "DEBUG": "false", "LOG_LEVEL": "WARNING",
               "ALLOWED_HOSTS": "testserver", "SECURE_SSL_REDIRECT": "false",
               "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # fmt: skip
        env.pop("REDIS_URL", None)
        result = subprocess.run([PYTHON, __file__, "--child", "--days", str(args.days), "--repeats", str(args.repeats)],
                                cwd=ROOT, env=env, capture_output=True, text=True, check=False)  # fmt: skip
        if result.returncode:
            raise SystemExit(f"child failed:\n{result.stdout}\n{result.stderr}")
        for line in result.stdout.splitlines():
            if not line.startswith("{"):
                continue
            data = json.loads(line)
            if "assign" in data:
                for share, times in data["assign"].items():
                    print(f"next day's assignment, targeting {share}: median {statistics.median(times):.3f} s "
                          f"(min {min(times):.3f}, max {max(times):.3f}, {len(times)} runs)")  # fmt: skip
            elif "pages" in data:
                for label, figures in data["pages"].items():
                    print(f"campaign page {label}: {figures}")
            else:
                print(data)


if __name__ == "__main__":
    main()
