"""The daily figures of the calls: per mandal, district, caller and caller's state,
recomputed from the assignments and call logs (see the package's docstring)."""

import datetime
from collections.abc import Iterable
from contextlib import nullcontext
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from booths.models import Booth, Mandal, Post

from ..models import CallAssignment, CallLog, MandalDayStats
from .follow_ups import follow_up_stats_rebuild
from .sql import CALL_COLUMNS, REPORT_COLUMNS, STANDINGS, WELLBEING, Outcome, Status, T, hash_joins, in_list, lock


def _call_sums() -> tuple[str, list]:
    """assigned, logged, reached, missed of the assignments `a` grouped (named as the columns)."""
    sql = (
        "COUNT(*) AS assigned, "
        "SUM(CASE WHEN a.status = %s THEN 1 ELSE 0 END) AS logged, "
        "SUM(CASE WHEN a.outcome = %s THEN 1 ELSE 0 END) AS reached, "
        "SUM(CASE WHEN a.status = %s THEN 1 ELSE 0 END) AS missed"
    )
    return sql, [Status.LOGGED, Outcome.REACHED, Status.MISSED]


def _report_sums() -> tuple[str, list]:
    parts = ["SUM(CASE WHEN l.latest_for_booth THEN 1 ELSE 0 END)"]
    params: list = []
    value: str
    for _name, value in STANDINGS:
        parts.append("SUM(CASE WHEN l.latest_for_booth AND l.standing = %s THEN 1 ELSE 0 END)")
        params.append(value)
    for _name, value in WELLBEING:
        parts.append("SUM(CASE WHEN l.latest_for_booth AND l.wellbeing = %s THEN 1 ELSE 0 END)")
        params.append(value)
    return ", ".join(parts), params


def _refresh_units(cursor, days: list[datetime.date], mandal_id: int | None = None) -> None:
    """Recompute the mandal rows of `days` (of one mandal, or all), then the rows
    of the districts concerned from them."""
    day_marks, day_params = in_list(days)
    calls, call_params = _call_sums()
    reports, report_params = _report_sums()
    columns = ", ".join(["day", "mandal_id", "district_id", *CALL_COLUMNS, *REPORT_COLUMNS])
    if mandal_id is None:
        cursor.execute(f"DELETE FROM {T['mandal_stats']} WHERE day IN ({day_marks})", day_params)  # noqa: S608
        with hash_joins(cursor):
            cursor.execute(
                f"""
                INSERT INTO {T["mandal_stats"]} ({columns})
                SELECT a.day, b.mandal_id, m.district_id, {calls}, {reports}
                FROM {T["assignment"]} a
                JOIN {T["post"]} p ON p.id = a.post_id
                JOIN {T["booth"]} b ON b.id = p.booth_id
                JOIN {T["mandal"]} m ON m.id = b.mandal_id
                LEFT JOIN {T["log"]} l ON l.assignment_id = a.id
                WHERE a.day IN ({day_marks})
                GROUP BY a.day, b.mandal_id, m.district_id
                """,  # noqa: S608 - table names from the models, values as parameters
                [*call_params, *report_params, *day_params],
            )
        district_where, district_params = f"day IN ({day_marks})", list(day_params)
    else:
        # One mandal: its posts first, then their calls (one table at a time, so no
        # plan can turn quadratic on tables whose statistics are out of date).
        district_id = Mandal.objects.filter(pk=mandal_id).values_list("district_id", flat=True).get()
        booth_ids = list(Booth.objects.filter(mandal_id=mandal_id).values_list("pk", flat=True))
        post_ids = list(Post.objects.filter(booth_id__in=booth_ids).values_list("pk", flat=True))
        cursor.execute(
            f"DELETE FROM {T['mandal_stats']} WHERE day IN ({day_marks}) AND mandal_id = %s",  # noqa: S608
            [*day_params, mandal_id],
        )
        if post_ids:
            post_marks, post_params = in_list(post_ids)
            cursor.execute(
                f"""
                INSERT INTO {T["mandal_stats"]} ({columns})
                SELECT a.day, %s, %s, {calls}, {reports}
                FROM {T["assignment"]} a
                LEFT JOIN {T["log"]} l ON l.assignment_id = a.id
                WHERE a.day IN ({day_marks}) AND a.post_id IN ({post_marks})
                GROUP BY a.day
                """,  # noqa: S608
                [mandal_id, district_id, *call_params, *report_params, *day_params, *post_params],
            )
        district_where, district_params = f"day IN ({day_marks}) AND district_id = %s", [*day_params, district_id]
    # The districts' rows: sums of their mandals' rows.
    figures = [*CALL_COLUMNS, *REPORT_COLUMNS]
    cursor.execute(f"DELETE FROM {T['district_stats']} WHERE {district_where}", district_params)  # noqa: S608
    cursor.execute(
        f"""
        INSERT INTO {T["district_stats"]} (day, district_id, {", ".join(figures)})
        SELECT day, district_id, {", ".join(f"SUM({name})" for name in figures)}
        FROM {T["mandal_stats"]}
        WHERE {district_where}
        GROUP BY day, district_id
        """,  # noqa: S608
        district_params,
    )


def _insert_caller_rows(cursor, days: list[datetime.date], caller_id: int | None = None) -> None:
    """Recompute callers' rows of `days` (one caller's, or everyone's), streaks left at 0."""
    day_marks, day_params = in_list(days)
    where, where_params = f"a.day IN ({day_marks})", list(day_params)
    delete_where, delete_params = f"day IN ({day_marks})", list(day_params)
    if caller_id is not None:
        where += " AND a.caller_id = %s"
        where_params.append(caller_id)
        delete_where += " AND caller_id = %s"
        delete_params.append(caller_id)
    cursor.execute(f"DELETE FROM {T['caller_stats']} WHERE {delete_where}", delete_params)  # noqa: S608
    calls, call_params = _call_sums()
    with hash_joins(cursor) if caller_id is None else nullcontext():
        _insert_caller_query(cursor, calls, [*call_params, *where_params], where)


def _insert_caller_query(cursor, calls: str, params: list, where: str) -> None:
    cursor.execute(
        f"""
        INSERT INTO {T["caller_stats"]}
            (day, caller_id, district_id, caller_role, {", ".join(CALL_COLUMNS)}, last_logged_at, streak)
        SELECT a.day, a.caller_id, m.district_id, MAX(a.caller_role), {calls}, MAX(a.logged_at), 0
        FROM {T["assignment"]} a
        JOIN {T["post"]} p ON p.id = a.post_id
        JOIN {T["booth"]} b ON b.id = p.booth_id
        JOIN {T["mandal"]} m ON m.id = b.mandal_id
        WHERE {where}
        GROUP BY a.day, a.caller_id, m.district_id
        """,  # noqa: S608
        params,
    )


def _refresh_caller_states(cursor, days: list[datetime.date] | None, caller_id: int | None = None) -> None:
    """The callers' state rows of `days` (None: every day), summed from their district rows."""
    conditions: list[str] = []
    params: list[Any] = []
    if days is not None:
        day_marks, params = in_list(days)
        conditions.append(f"{{t}}day IN ({day_marks})")
    if caller_id is not None:
        conditions.append("{t}caller_id = %s")
        params = [*params, caller_id]
    where = " AND ".join(conditions) or "1 = 1"
    cursor.execute(f"DELETE FROM {T['caller_state_stats']} WHERE {where.format(t='')}", params)  # noqa: S608
    figures = ", ".join(CALL_COLUMNS)
    sums = ", ".join(f"SUM(c.{name})" for name in CALL_COLUMNS)
    cursor.execute(
        f"""
        INSERT INTO {T["caller_state_stats"]} (day, caller_id, state_id, caller_role, {figures})
        SELECT c.day, c.caller_id, r.state_id, MAX(c.caller_role), {sums}
        FROM {T["caller_stats"]} c
        JOIN {T["district"]} d ON d.id = c.district_id
        JOIN {T["region"]} r ON r.id = d.region_id
        WHERE {where.format(t="c.")}
        GROUP BY c.day, c.caller_id, r.state_id
        """,  # noqa: S608
        params,
    )


def _refresh_callers(cursor, days: list[datetime.date], caller_id: int | None = None) -> None:
    """Recompute callers' rows of `days`, then their streaks from the first of those
    days on: a later day's streak counts on the earlier one's."""
    _insert_caller_rows(cursor, days, caller_id)
    _refresh_caller_states(cursor, days, caller_id)
    later_where = "day > %s" + (" AND caller_id = %s" if caller_id is not None else "")
    later_params = [max(days)] + ([caller_id] if caller_id is not None else [])
    cursor.execute(
        f"SELECT DISTINCT day FROM {T['caller_stats']} WHERE {later_where} ORDER BY day",  # noqa: S608
        later_params,
    )
    for day in sorted(set(days)) + [row[0] for row in cursor.fetchall()]:
        _update_streaks(cursor, day, caller_id)


def _update_streaks(cursor, day: datetime.date, caller_id: int | None) -> None:
    """streak = 1 + the streak of the caller's previous day with calls, when every
    call of the day (in every district) is logged; else 0."""
    table = T["caller_stats"]
    caller_where, caller_params = ("AND caller_id = %s", [caller_id]) if caller_id is not None else ("", [])
    cursor.execute(
        f"""
        UPDATE {table} SET streak = CASE
            WHEN (SELECT SUM(c.assigned) - SUM(c.logged) FROM {table} c
                  WHERE c.caller_id = {table}.caller_id AND c.day = {table}.day) = 0
            THEN 1 + COALESCE((SELECT p.streak FROM {table} p
                               WHERE p.caller_id = {table}.caller_id AND p.day < {table}.day
                               ORDER BY p.day DESC LIMIT 1), 0)
            ELSE 0 END
        WHERE day = %s {caller_where}
        """,  # noqa: S608
        [day, *caller_params],
    )


def _latest_report_sync(*, booth_id: int) -> set[datetime.date]:
    """Mark the booth's most recent report as its latest (and no other); return
    the days whose figures that changes. A booth has a few calls a year: they are
    read by their ids, one table at a time."""
    post_ids = list(Post.objects.filter(booth_id=booth_id).values_list("pk", flat=True))
    calls = dict(CallAssignment.objects.filter(post_id__in=post_ids).values_list("pk", "day"))
    logs = list(
        CallLog.objects.filter(assignment_id__in=list(calls)).values_list(
            "assignment_id", "latest_for_booth", "standing"
        )
    )
    reached = set(
        CallAssignment.objects.filter(pk__in=list(calls), outcome=Outcome.REACHED).values_list("pk", flat=True)
    )
    reports = [pk for pk, _flag, standing in logs if standing and pk in reached]
    latest_id = max(reports, key=lambda pk: (calls[pk], pk)) if reports else None
    flagged = [pk for pk, flag, _standing in logs if flag]
    changed = {calls[pk] for pk in flagged if pk != latest_id}
    stale = [pk for pk in flagged if pk != latest_id]
    if stale:
        CallLog.objects.filter(assignment_id__in=stale).update(latest_for_booth=False)
    if latest_id is not None and latest_id not in flagged:
        CallLog.objects.filter(assignment_id=latest_id).update(latest_for_booth=True)
        changed.add(calls[latest_id])
    return changed


def stats_refresh_for_call(*, assignment: CallAssignment) -> None:
    """After a call was logged or corrected (inside the same transaction)."""
    booth_id, mandal_id, district_id = (
        Booth.objects.filter(posts=assignment.post_id).values_list("pk", "mandal_id", "mandal__district_id").get()
    )
    lock(district_ids=[district_id], caller_id=assignment.caller_id)
    days = _latest_report_sync(booth_id=booth_id) | {assignment.day}
    with connection.cursor() as cursor:
        for day in sorted(days):
            _refresh_units(cursor, [day], mandal_id=mandal_id)
        _refresh_callers(cursor, [assignment.day], caller_id=assignment.caller_id)


def stats_refresh_days(*, days: Iterable[datetime.date]) -> None:
    """Recompute every figure of whole days (after an assignment run, or calls marked missed)."""
    days = sorted(set(days))
    if not days:
        return
    with transaction.atomic():
        lock()
        with connection.cursor() as cursor:
            for start in range(0, len(days), 50):
                chunk = days[start : start + 50]
                _refresh_units(cursor, chunk)
                _refresh_callers(cursor, chunk)


def stats_rebuild(*, date_from: datetime.date | None = None, date_to: datetime.date | None = None) -> int:
    """Recompute the booths' latest reports, then every figure of the days between
    the dates (all days with calls when not given). Returns the number of days."""
    with transaction.atomic():
        lock()
        latest_reports_rebuild()
        found = CallAssignment.objects.order_by().values_list("day", flat=True).distinct()
        if date_from:
            found = found.filter(day__gte=date_from)
        if date_to:
            found = found.filter(day__lte=date_to)
        days = sorted(found)
        with connection.cursor() as cursor:
            for start in range(0, len(days), 31):
                _refresh_units(cursor, days[start : start + 31])
        streaks_rebuild(days=days, every_day=not (date_from or date_to))
        follow_up_stats_rebuild()
    return len(days)


# Gaps and islands over callers' days (`caller_days`: caller_id, day, complete): each
# day with an unlogged call starts a new island; a day's streak is its place among
# the complete days of its island.
_STREAKS = """
    islands AS (
        SELECT caller_id, day, complete,
               SUM(1 - complete) OVER (PARTITION BY caller_id ORDER BY day) AS island
        FROM caller_days
    ), streaks AS (
        SELECT caller_id, day,
               CASE WHEN complete = 1 THEN SUM(complete) OVER (
                   PARTITION BY caller_id, island ORDER BY day) ELSE 0 END AS streak
        FROM islands
    )
"""


def _rebuild_all_callers(cursor) -> None:
    """Every caller's row of every day, streaks included, in one statement."""
    table = T["caller_stats"]
    calls, call_params = _call_sums()
    cursor.execute(f"DELETE FROM {table}")  # noqa: S608
    with hash_joins(cursor):
        cursor.execute(
            f"""
            WITH rows AS (
                SELECT a.day, a.caller_id, m.district_id, MAX(a.caller_role) AS caller_role, {calls},
                       MAX(a.logged_at) AS last_logged_at
                FROM {T["assignment"]} a
                JOIN {T["post"]} p ON p.id = a.post_id
                JOIN {T["booth"]} b ON b.id = p.booth_id
                JOIN {T["mandal"]} m ON m.id = b.mandal_id
                GROUP BY a.day, a.caller_id, m.district_id
            ), caller_days AS (
                SELECT caller_id, day, CASE WHEN SUM(assigned) = SUM(logged) THEN 1 ELSE 0 END AS complete
                FROM rows GROUP BY caller_id, day
            ), {_STREAKS}
            INSERT INTO {table}
                (day, caller_id, district_id, caller_role, {", ".join(CALL_COLUMNS)}, last_logged_at, streak)
            SELECT r.day, r.caller_id, r.district_id, r.caller_role, r.assigned, r.logged, r.reached, r.missed,
                   r.last_logged_at, s.streak
            FROM rows r JOIN streaks s ON s.caller_id = r.caller_id AND s.day = r.day
            """,  # noqa: S608
            call_params,
        )


def streaks_rebuild(*, days: list[datetime.date], every_day: bool = False) -> None:
    """Callers' rows of `days` recomputed, then every streak set-wise over the whole
    history (`every_day`: the days are all there are, so one statement does both)."""
    if not days:
        return
    with connection.cursor() as cursor:
        if every_day:
            _rebuild_all_callers(cursor)
            _refresh_caller_states(cursor, None)
            return
        for start in range(0, len(days), 31):
            _insert_caller_rows(cursor, days[start : start + 31])
            _refresh_caller_states(cursor, days[start : start + 31])
        table = T["caller_stats"]
        cursor.execute(
            f"""
            WITH caller_days AS (
                SELECT caller_id, day, CASE WHEN SUM(assigned) = SUM(logged) THEN 1 ELSE 0 END AS complete
                FROM {table} GROUP BY caller_id, day
            ), {_STREAKS}
            UPDATE {table} SET streak = streaks.streak
            FROM streaks
            WHERE streaks.caller_id = {table}.caller_id AND streaks.day = {table}.day
              AND {table}.streak <> streaks.streak
            """  # noqa: S608
        )


def latest_reports_rebuild() -> None:
    """Flag each booth's most recent report (reached, with a standing) as its latest, set-wise."""
    with connection.cursor() as cursor, hash_joins(cursor):
        cursor.execute(
            f"""
            WITH ranked AS (
                SELECT a.id, ROW_NUMBER() OVER (PARTITION BY p.booth_id ORDER BY a.day DESC, a.id DESC) AS n
                FROM {T["assignment"]} a
                JOIN {T["post"]} p ON p.id = a.post_id
                JOIN {T["log"]} l ON l.assignment_id = a.id
                WHERE a.outcome = %s AND l.standing <> ''
            ), latest AS (SELECT id FROM ranked WHERE n = 1)
            UPDATE {T["log"]} SET latest_for_booth = NOT latest_for_booth
            WHERE latest_for_booth <> (assignment_id IN (SELECT id FROM latest))
            """,  # noqa: S608
            [Outcome.REACHED],
        )


def stats_days_to_check(*, today: datetime.date | None = None) -> list[datetime.date]:
    """The days the nightly job recomputes: yesterday, today, and every day whose
    rows put a mandal under the district it has left (a mandal moved on the map)."""
    today = today or timezone.localdate()
    moved = MandalDayStats.objects.exclude(district_id=F("mandal__district_id")).values_list("day", flat=True)
    return sorted({today - datetime.timedelta(days=1), today, *moved.distinct().order_by()})
