"""The leadership dashboards at national scale, on PostgreSQL.

    .venv/bin/python bench/dashboards.py [--days 365] [--repeats 20] [--reuse]

1. Seed `seed_demo --preset india` into a fresh database (`bench_dashboards`;
   --reuse keeps one made before), then bulk-generate a year of calls in SQL:
   every caller two booth presidents of their scope each day (~40,000 a day),
   96 % logged with outcomes, standing and well-being that differ by district,
   one district in 23 whose in-charge leaves most calls unlogged, needs and
   follow-ups (~15 million assignments, ~14 million call logs). Then the
   dashboards' daily rows, latest reports and streaks are built by
   `stats_rebuild` (the code the app runs), the queues by `rotation_sync` and
   the roster counts by `roster_health_refresh`, and the tables analysed.
2. In a child process, sign in as Uttar Pradesh's state leadership and request
   every page at every level (state, region, district, mandal) with Django's
   test client: median and p95 server time over --repeats requests after two
   warm-ups, and the number of queries.
3. Beside them, in the same run, the raw-query reference: the same figures
   counted straight from the assignments and call logs (one GROUP BY each), its
   time, and a check that the page's CSV equals it.
"""

import argparse
import csv
import datetime
import io
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import PYTHON, database_url, machine, manage, scratch_database  # noqa: E402

NAME = "bench_dashboards"


def child(mode: str, url: str, **params: object) -> list[dict]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-only",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "false",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "LANGUAGE_CODE": "en",
    }
    env.pop("REDIS_URL", None)
    process = subprocess.Popen(
        [PYTHON, __file__, "--child", mode, "--params", json.dumps(params)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    lines = []
    for line in process.stdout:
        if line.startswith("{"):
            lines.append(json.loads(line))
        else:
            print("   ", line.rstrip(), flush=True)
    if process.wait():
        raise SystemExit(f"child {mode} failed")
    return lines


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outreach.settings")
    import django

    django.setup()


# --- generating a year of calls, set-wise ------------------------------------------------

PREPARE = """
CREATE TEMP TABLE bp AS
SELECT p.id AS post_id, p.person_id, b.id AS booth_id, m.district_id, r.state_id,
       row_number() OVER (PARTITION BY m.district_id ORDER BY (p.id * 2654435761) % 2147483629) - 1 AS rn_d,
       row_number() OVER (PARTITION BY r.state_id ORDER BY (p.id * 2654435761) % 2147483629) - 1 AS rn_s
FROM booths_post p
JOIN booths_booth b ON b.id = p.booth_id
JOIN booths_mandal m ON m.id = b.mandal_id
JOIN booths_district d ON d.id = m.district_id
JOIN booths_region r ON r.id = d.region_id
JOIN booths_person pe ON pe.id = p.person_id
WHERE p.role = 'booth_president' AND p.end_date IS NULL AND b.is_active AND pe.mobile <> '';
CREATE INDEX ON bp (district_id, rn_d);
CREATE INDEX ON bp (state_id, rn_s);
CREATE INDEX ON bp (post_id);
CREATE TEMP TABLE dn AS SELECT district_id, count(*) AS n FROM bp GROUP BY 1;
CREATE TEMP TABLE sn AS SELECT state_id, count(*) AS n FROM bp GROUP BY 1;
CREATE TEMP TABLE bc AS
WITH posts AS (
    SELECT DISTINCT ON (p.person_id) p.person_id, p.role, p.district_id,
           COALESCE(p.state_id, r.state_id) AS state_id
    FROM booths_post p
    LEFT JOIN booths_district d ON d.id = p.district_id
    LEFT JOIN booths_region r ON r.id = d.region_id
    WHERE p.end_date IS NULL AND p.role IN ('district_incharge', 'state_office_bearer')
    ORDER BY p.person_id, p.role
), keyed AS (
    SELECT person_id, role, CASE WHEN role = 'district_incharge' THEN district_id ELSE state_id END AS key_id,
           (role = 'district_incharge' AND district_id % 23 = 0) AS lax
    FROM posts
)
SELECT person_id, role, key_id, lax,
       row_number() OVER (PARTITION BY role, key_id ORDER BY person_id) - 1 AS rank,
       count(*) OVER (PARTITION BY role, key_id) AS k
FROM keyed;
"""

# u: one draw per (caller, day, slot) in 0..999; the outcome follows it.
ASSIGN = """
INSERT INTO campaigns_callassignment
    (day, caller_id, caller_role, slot, post_id, president_id, reason, status, outcome, logged_at, created_at)
SELECT %(day)s, x.person_id, x.role, x.slot, x.post_id, x.president_id, 'least_recently_reached',
       CASE WHEN x.open THEN 'assigned' WHEN x.missed THEN 'missed' ELSE 'logged' END,
       CASE WHEN x.open OR x.missed THEN ''
            WHEN x.v < 75 THEN 'reached' WHEN x.v < 85 THEN 'no_answer' WHEN x.v < 90 THEN 'switched_off'
            WHEN x.v < 94 THEN 'busy' WHEN x.v < 96 THEN 'not_reachable' WHEN x.v < 98 THEN 'call_back'
            WHEN x.v < 99 THEN 'wrong_number' ELSE 'not_president' END,
       CASE WHEN x.open OR x.missed THEN NULL
            ELSE (%(day)s::timestamp + interval '9 hours' + (x.u * 37 %% 660) * interval '1 minute')
                 AT TIME ZONE 'Asia/Kolkata' END,
       now()
FROM (
    SELECT c.person_id, c.role, s.slot, bp.post_id, bp.person_id AS president_id,
           (c.person_id * 7919 + %(i)s * 104729 + s.slot * 1299709) %% 1000 AS u,
           (c.person_id * 31 + %(i)s * 17 + s.slot * 7) %% 100 AS v,
           %(today)s AND (c.person_id * 7919 + %(i)s * 104729 + s.slot * 1299709) %% 1000 < 450 AS open,
           NOT %(today)s AND (c.person_id * 7919 + %(i)s * 104729 + s.slot * 1299709) %% 1000
               < CASE WHEN c.lax THEN 550 ELSE 40 END AS missed
    FROM bc c
    CROSS JOIN (VALUES (1), (2)) AS s(slot)
    JOIN dn ON c.role = 'district_incharge' AND dn.district_id = c.key_id
    JOIN bp ON bp.district_id = c.key_id AND bp.rn_d = (%(i)s * 2 * c.k + 2 * c.rank + s.slot - 1) %% dn.n
    UNION ALL
    SELECT c.person_id, c.role, s.slot, bp.post_id, bp.person_id,
           (c.person_id * 7919 + %(i)s * 104729 + s.slot * 1299709) %% 1000,
           (c.person_id * 31 + %(i)s * 17 + s.slot * 7) %% 100,
           %(today)s AND (c.person_id * 7919 + %(i)s * 104729 + s.slot * 1299709) %% 1000 < 450,
           NOT %(today)s AND (c.person_id * 7919 + %(i)s * 104729 + s.slot * 1299709) %% 1000 < 40
    FROM bc c
    CROSS JOIN (VALUES (1), (2)) AS s(slot)
    JOIN sn ON c.role = 'state_office_bearer' AND sn.state_id = c.key_id
    JOIN bp ON bp.state_id = c.key_id AND bp.rn_s = (%(i)s * 2 * c.k + 2 * c.rank + s.slot - 1) %% sn.n
) AS x
ON CONFLICT DO NOTHING
"""

# Standing leans by district: strong where district_id % 3 = 0, weak where it is 2.
LOG = """
INSERT INTO campaigns_calllog
    (assignment_id, wellbeing, wellbeing_note, standing, notes, follow_up_wanted, latest_for_booth,
     tiffin_meeting, created_at, updated_at)
SELECT a.id,
       CASE WHEN a.outcome <> 'reached' THEN '' WHEN h %% 100 < 12 THEN 'needs_attention' ELSE 'all_well' END,
       '',
       CASE WHEN a.outcome <> 'reached' THEN ''
            WHEN (h / 100) %% 100 < CASE bp.district_id %% 3 WHEN 0 THEN 55 WHEN 1 THEN 35 ELSE 15 END
                THEN 'strong'
            WHEN (h / 100) %% 100 < CASE bp.district_id %% 3 WHEN 0 THEN 88 WHEN 1 THEN 75 ELSE 45 END
                THEN 'competitive'
            ELSE 'weak' END,
       CASE WHEN h %% 7 = 0 THEN 'बूथ समिति की बैठक नियमित है।' ELSE '' END,
       a.outcome = 'reached' AND h %% 10 = 0, false, '', a.logged_at, a.logged_at
FROM (SELECT a.*, (a.id * 2654435761) %% 1000003 AS h FROM campaigns_callassignment a
      WHERE a.day = %(day)s AND a.status = 'logged') AS a
JOIN bp ON bp.post_id = a.post_id
"""

NEEDS = """
WITH raised AS (
    SELECT l.assignment_id, bp.booth_id, bp.district_id, a.logged_at, a.day,
           (ARRAY['booth_committee', 'campaign_material', 'voter_list', 'leader_visit', 'local_grievance',
                  'other'])[1 + ((a.id * 2654435761) %% 1000003 / 7) %% 6] AS category,
           (a.id * 40503) %% 100 AS r
    FROM campaigns_callassignment a
    JOIN campaigns_calllog l ON l.assignment_id = a.id
    JOIN bp ON bp.post_id = a.post_id
    WHERE a.day = %(day)s AND a.outcome = 'reached' AND (a.id * 2654435761) %% 1000003 %% 100 < 30
), needs AS (
    INSERT INTO campaigns_callneed (log_id, category, detail)
    SELECT assignment_id, category, CASE WHEN category = 'other' THEN 'दरी और कुर्सियां' ELSE '' END FROM raised
)
INSERT INTO campaigns_followup
    (district_id, booth_id, log_id, category, detail, status, resolution_note, created_at, updated_at,
     resolved_at)
SELECT district_id, booth_id, assignment_id, category, '',
       CASE WHEN r < %(resolved)s THEN 'resolved' WHEN r < %(resolved)s + 15 THEN 'in_progress' ELSE 'open' END,
       CASE WHEN r < %(resolved)s THEN 'हो गया' ELSE '' END,
       logged_at, logged_at,
       CASE WHEN r < %(resolved)s THEN logged_at + interval '3 days' END
FROM raised
"""


def child_generate(days: int) -> None:
    _setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from booths.demo import demo_leaders_create
    from booths.models import State
    from campaigns.health import roster_health_refresh
    from campaigns.services import rotation_sync
    from campaigns.stats import stats_rebuild

    today = timezone.localdate()
    first = today - datetime.timedelta(days=days)
    started = time.perf_counter()
    demo_leaders_create(state=State.objects.get(code="UP"))
    with connection.cursor() as cursor:
        cursor.execute(PREPARE)
    for i in range(days + 1):
        day = first + datetime.timedelta(days=i)
        age = (today - day).days
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO campaigns_callday (day) VALUES (%s) ON CONFLICT DO NOTHING", [day])
            cursor.execute(ASSIGN, {"day": day, "i": i, "today": day == today})
            cursor.execute(LOG, {"day": day})
            cursor.execute(NEEDS, {"day": day, "resolved": 75 if age > 30 else 40 if age > 7 else 10})
        if i % 30 == 0:
            print(f"day {i + 1} of {days + 1} ({day}) after {time.perf_counter() - started:.0f} s", flush=True)
    generated = time.perf_counter() - started
    print(json.dumps({"step": "calls generated", "seconds": round(generated, 1)}), flush=True)

    step = time.perf_counter()
    rotation_sync(source="bench")
    with connection.cursor() as cursor:
        cursor.execute("""
            UPDATE campaigns_presidentrotation r SET last_reached_on = x.day, priority = 2, sort_key = x.day
            FROM (SELECT post_id, max(day) AS day FROM campaigns_callassignment WHERE outcome = 'reached'
                  GROUP BY post_id) AS x
            WHERE x.post_id = r.post_id
        """)
        cursor.execute("ANALYZE")
    print(json.dumps({"step": "queues", "seconds": round(time.perf_counter() - step, 1)}), flush=True)
    step = time.perf_counter()
    rebuilt = stats_rebuild()
    print(json.dumps({"step": "stats_rebuild", "days": rebuilt, "seconds": round(time.perf_counter() - step, 1)}),
          flush=True)  # fmt: skip
    step = time.perf_counter()
    roster_health_refresh()
    print(json.dumps({"step": "roster_health_refresh", "seconds": round(time.perf_counter() - step, 1)}), flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as a deployment would right after loading; no VACUUM
        cursor.execute(
            "SELECT (SELECT count(*) FROM campaigns_callassignment), (SELECT count(*) FROM campaigns_calllog),"
            " (SELECT count(*) FROM campaigns_followup), (SELECT count(*) FROM booths_booth),"
            " pg_database_size(current_database())"
        )
        assignments, logs, follow_ups, booths, size = cursor.fetchone()
    print(json.dumps({"step": "done", "assignments": assignments, "logs": logs, "follow_ups": follow_ups,
                      "booths": booths, "database_gib": round(size / 2**30, 1)}), flush=True)  # fmt: skip


# --- measuring the pages ----------------------------------------------------------------------


def _leaders() -> dict:
    """The state leadership of Uttar Pradesh, and the units to look at on each level: a
    region, its busiest district, that district's busiest mandal."""
    from django.db.models import Sum

    from booths.models import District, Mandal, Post, Region, State, User
    from campaigns.models import DistrictDayStats, MandalDayStats

    up = State.objects.get(code="UP")
    leader = User.objects.get(person__posts__role=Post.Role.LEADERSHIP, person__posts__state=up)
    region = Region.objects.filter(state=up).order_by("name").first()
    district = District.objects.get(
        pk=DistrictDayStats.objects.filter(district__region=region).values("district")
        .annotate(n=Sum("assigned")).order_by("-n").values_list("district", flat=True)[:1]
    )  # fmt: skip
    mandal = Mandal.objects.get(
        pk=MandalDayStats.objects.filter(district=district).values("mandal")
        .annotate(n=Sum("assigned")).order_by("-n").values_list("mandal", flat=True)[:1]
    )  # fmt: skip
    return {"leader": leader, "state": up, "region": region, "district": district, "mandal": mandal}


def _time(client, url: str, repeats: int) -> dict:
    from django.db import connection

    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:500])
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"median_ms": round(statistics.median(times), 1), "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
            "queries": len(queries), "bytes": len(response.content)}  # fmt: skip


def _raw(sql: str, params: list, repeats: int = 5) -> tuple[list, float]:
    from django.db import connection

    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        times.append((time.perf_counter() - started) * 1000)
    return rows, round(statistics.median(times), 1)


RAW_BY_DISTRICT = """
SELECT d.name, count(*), count(*) FILTER (WHERE a.status = 'logged'), count(*) FILTER (WHERE a.outcome = 'reached'),
       count(*) FILTER (WHERE a.status = 'missed')
FROM campaigns_callassignment a
JOIN booths_post p ON p.id = a.post_id JOIN booths_booth b ON b.id = p.booth_id
JOIN booths_mandal m ON m.id = b.mandal_id JOIN booths_district d ON d.id = m.district_id
JOIN booths_region r ON r.id = d.region_id
WHERE r.state_id = %s AND a.day BETWEEN %s AND %s
GROUP BY d.name
"""
RAW_BOOTH_HEALTH = """
SELECT d.name, count(*), count(*) FILTER (WHERE x.standing = 'strong'),
       count(*) FILTER (WHERE x.standing = 'competitive'), count(*) FILTER (WHERE x.standing = 'weak')
FROM (
    SELECT DISTINCT ON (p.booth_id) p.booth_id, l.standing
    FROM campaigns_callassignment a
    JOIN campaigns_calllog l ON l.assignment_id = a.id
    JOIN booths_post p ON p.id = a.post_id
    WHERE a.day BETWEEN %s AND %s AND a.outcome = 'reached' AND l.standing <> ''
    ORDER BY p.booth_id, a.day DESC, a.id DESC
) AS x
JOIN booths_booth b ON b.id = x.booth_id JOIN booths_mandal m ON m.id = b.mandal_id
JOIN booths_district d ON d.id = m.district_id JOIN booths_region r ON r.id = d.region_id
WHERE r.state_id = %s
GROUP BY d.name
"""
RAW_BY_CALLER = """
SELECT pe.mobile, count(*), count(*) FILTER (WHERE a.status = 'logged'),
       count(*) FILTER (WHERE a.outcome = 'reached'), count(*) FILTER (WHERE a.status = 'missed')
FROM campaigns_callassignment a
JOIN booths_person pe ON pe.id = a.caller_id
JOIN booths_post p ON p.id = a.post_id JOIN booths_booth b ON b.id = p.booth_id
JOIN booths_mandal m ON m.id = b.mandal_id JOIN booths_district d ON d.id = m.district_id
JOIN booths_region r ON r.id = d.region_id
WHERE r.state_id = %s AND a.day BETWEEN %s AND %s
GROUP BY pe.mobile
"""


def _csv(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def _time_logging(state) -> None:
    """Logging a call (call_log_record, which recomputes the figures it touches),
    beside the same without the recomputation, each in a rolled-back transaction."""
    from unittest import mock

    from django.db import transaction
    from django.utils import timezone

    from campaigns import services as call_services
    from campaigns.models import CallAssignment
    from campaigns.services import CallReport, call_log_record

    report = CallReport("reached", wellbeing="all_well", standing="weak", needs={"voter_list": ""})
    open_calls = list(
        CallAssignment.objects.filter(day=timezone.localdate(), status="assigned",
                                      post__booth__mandal__district__region__state=state)
        .select_related("caller__user")[:40]
    )  # fmt: skip
    timings: dict[str, list[float]] = {"with": [], "without": []}
    for n, call in enumerate(open_calls):
        variant = "with" if n % 2 == 0 else "without"
        patch = mock.patch.object(call_services, "stats_refresh_for_call") if variant == "without" else None
        with transaction.atomic():
            if patch:
                patch.start()
            started = time.perf_counter()
            call_log_record(assignment=call, user=call.caller.user, report=report)
            timings[variant].append((time.perf_counter() - started) * 1000)
            if patch:
                patch.stop()
            transaction.set_rollback(True)
    print(json.dumps({"reference": "logging a call (median ms)", "with_figures": round(statistics.median(
        timings["with"]), 1), "without_figures": round(statistics.median(timings["without"]), 1),
        "calls": len(open_calls)}), flush=True)  # fmt: skip


def child_measure(repeats: int) -> None:
    _setup()
    from django.test import Client
    from django.utils import timezone

    from campaigns.health import roster_health_count

    units = _leaders()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(units["leader"])
    levels = {
        "state": "",
        "region": f"region={units['region'].pk}",
        "district": f"district={units['district'].pk}",
        "mandal": f"mandal={units['mandal'].pk}",
    }
    print(json.dumps({"units": {level: str(units[level]) for level in levels}}), flush=True)
    pages = [
        ("overview", "/dashboard/", ["state", "region", "district", "mandal"]),
        ("callers", "/dashboard/callers/", ["state", "region", "district"]),
        ("booth health", "/dashboard/booth-health/", ["state", "region", "district", "mandal"]),
        ("needs", "/dashboard/needs/", ["state", "region", "district", "mandal"]),
        ("roster health", "/dashboard/roster-health/", ["state", "region", "district"]),
        ("calls", "/dashboard/calls/", ["district", "mandal"]),
        ("overview, last 365 days", "/dashboard/?from={year_ago}&to={today}", ["state", "region", "district"]),
        ("export by district (CSV)", "/dashboard/?by=district&format=csv", ["state"]),
        ("export booth health (CSV)", "/dashboard/booth-health/?by=district&format=csv", ["state"]),
    ]
    today = timezone.localdate()
    year_ago = today - datetime.timedelta(days=364)
    from booths.models import User

    admin = User.objects.filter(username="bench-admin").first() or User.objects.create_superuser(
        "bench-admin", password="bench-only-password"
    )
    staff = Client(HTTP_ACCEPT_LANGUAGE="en")
    staff.force_login(admin)
    region = units["region"].pk
    print(
        json.dumps(
            {
                "page": "admin roster health (all India)",
                "level": "all",
                **_time(staff, "/admin/roster-health/", repeats),
            }
        ),
        flush=True,
    )
    print(json.dumps({"page": "admin roster health (a region)", "level": "region",
                      **_time(staff, f"/admin/roster-health/?region={region}", repeats)}), flush=True)  # fmt: skip
    for name, url, at in pages:
        for level in at:
            full = url.format(today=today, year_ago=year_ago)
            if levels[level]:
                full += ("&" if "?" in full else "?") + levels[level]
            print(json.dumps({"page": name, "level": level, **_time(client, full, repeats)}), flush=True)

    start = today - datetime.timedelta(days=29)
    up = units["state"].pk
    # The raw reference beside the pages, and the check that the pages' CSV equals it.
    rows, ms = _raw(RAW_BY_DISTRICT, [up, start, today])
    expected = {name: [assigned, logged, reached, missed] for name, assigned, logged, reached, missed in rows}
    got = {row["district"]: [int(row[k]) for k in ("assigned", "logged", "reached", "missed")]
           for row in _csv(client, "/dashboard/?by=district&format=csv")}  # fmt: skip
    print(json.dumps({"reference": "overview by district, 30 days, raw GROUP BY", "ms": ms,
                      "equal": got == expected, "rows": len(expected)}), flush=True)  # fmt: skip
    rows, ms = _raw(RAW_BOOTH_HEALTH, [start, today, up])
    expected = {name: list(figures) for name, *figures in rows}
    got = {row["district"]: [int(row[k]) for k in ("booths_asked", "strong", "competitive", "weak")]
           for row in _csv(client, "/dashboard/booth-health/?by=district&format=csv")}  # fmt: skip
    print(json.dumps({"reference": "booth health by district, 30 days, raw DISTINCT ON", "ms": ms,
                      "equal": got == expected, "rows": len(expected)}), flush=True)  # fmt: skip
    rows, ms = _raw(RAW_BY_CALLER, [up, start, today])
    expected = {phone: list(figures) for phone, *figures in rows}
    got = {row["caller_phone"]: [int(row[k]) for k in ("assigned", "logged", "reached", "missed")]
           for row in _csv(client, "/dashboard/?by=caller&format=csv")}  # fmt: skip
    print(json.dumps({"reference": "calls by caller, 30 days, raw GROUP BY", "ms": ms,
                      "equal": got == expected, "rows": len(expected)}), flush=True)  # fmt: skip
    rows, ms = _raw(RAW_BY_DISTRICT, [up, year_ago, today], repeats=3)
    print(json.dumps({"reference": "overview by district, 365 days, raw GROUP BY", "ms": ms}), flush=True)
    _time_logging(units["state"])
    started = time.perf_counter()
    roster_health_count()
    print(json.dumps({"reference": "roster health counted raw (every district of India)",
                      "ms": round((time.perf_counter() - started) * 1000, 1)}), flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--preset", default="india", choices=["small", "up", "india"])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--reuse", action="store_true", help="measure a database made by an earlier run")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--params", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        {"generate": child_generate, "measure": child_measure}[args.child](**json.loads(args.params))
        return
    print(f"dashboards benchmark · {datetime.date.today()} · {machine()}", flush=True)
    url = database_url(NAME)
    if not args.reuse:
        with scratch_database(NAME, keep=True) as url:
            seconds, _peak, _out = manage("seed_demo", "--preset", args.preset, url=url)
            print(f"seeded {args.preset} in {seconds:.0f} s", flush=True)
            for line in child("generate", url, days=args.days):
                print(json.dumps(line), flush=True)
    else:
        # A database made by an earlier run, brought to the current code's schema.
        seconds, _peak, _out = manage("migrate", "--noinput", url=url)
        print(f"migrated in {seconds:.0f} s", flush=True)
    for line in child("measure", url, repeats=args.repeats):
        print(json.dumps(line, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
