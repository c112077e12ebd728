"""Importing planned tiffin meetings from a spreadsheet (CSV or XLSX), one row a
meeting: `district,mandal,scheduled_on,place,host`.

Districts and mandals are found by name (case and spaces aside; a mandal within
its district). Every row is checked first: one bad row and nothing is written,
and each problem says its row and column. A row planned again (same mandal and
day) updates that meeting, so a sheet can be imported again after a correction.
"""

import datetime
from dataclasses import dataclass
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _

from booths.models import District, Mandal, User
from booths.roster.files import Cells, FileError, name_key, read_table, sheet_date
from booths.roster.problems import ImportReport, Problem

from .models import TiffinMeeting
from .tiffin import plan_date_error, tiffin_meeting_plan

COLUMNS = ["district", "mandal", "scheduled_on", "place", "host"]
REQUIRED = ["district", "mandal", "scheduled_on"]
TEXT_LIMIT = 200


@dataclass(frozen=True)
class PlanRow:
    number: int
    mandal: Mandal
    scheduled_on: datetime.date
    place: str
    host: str


def tiffin_import(*, source: IO[bytes], filename: str, dry_run: bool = False, user: User | None = None) -> ImportReport:
    report = ImportReport(dry_run=dry_run)
    try:
        table = read_table(source, filename)
        missing = [column for column in REQUIRED if column not in table.headers]
        if missing:
            raise FileError(
                _("The header row lacks the columns %(missing)s. The file needs the columns: %(columns)s.")
                % {"missing": ", ".join(missing), "columns": ",".join(COLUMNS)}
            )
    except FileError as exc:
        report.problems.append(Problem(0, "", str(exc)))
        return report
    report.rows = len(table.rows)
    rows = _check(table.rows, report)
    if report.errors:
        return report
    with transaction.atomic():
        for row in rows:
            existing = (
                TiffinMeeting.objects.filter(mandal=row.mandal, scheduled_on=row.scheduled_on)
                .exclude(status=TiffinMeeting.Status.CANCELLED)
                .first()
            )
            if existing is None:
                action = "created"
            else:
                action = "unchanged" if (existing.place, existing.host) == (row.place, row.host) else "changed"
            report.count("tiffin meetings", action)
            if not dry_run:
                tiffin_meeting_plan(mandal=row.mandal, scheduled_on=row.scheduled_on, place=row.place, host=row.host,
                                    user=user)  # fmt: skip
        report.rows_imported = len(rows)
        report.written = not dry_run
    return report


def _check(cells_by_row: list[tuple[int, Cells]], report: ImportReport) -> list[PlanRow]:
    districts: dict[str, list[District]] = {}
    for each in District.objects.all():
        districts.setdefault(name_key(each.name), []).append(each)
    wanted = {name_key(cells.get("district", "")) for _number, cells in cells_by_row}
    ids = [d.pk for key in wanted for d in districts.get(key, [])]
    mandals = {(m.district_id, name_key(m.name)): m for m in Mandal.objects.filter(district_id__in=ids)}
    rows: list[PlanRow] = []
    seen: dict[tuple[int, datetime.date], int] = {}
    for number, cells in cells_by_row:

        def error(column: str, message: str, number: int = number) -> None:
            report.problems.append(Problem(number, column, message))

        district_name, mandal_name = cells.get("district", ""), cells.get("mandal", "")
        found = districts.get(name_key(district_name), [])
        district = found[0] if len(found) == 1 else None
        if not district_name:
            error("district", _("The district is missing."))
        elif not found:
            error("district", _("There is no district “%(name)s”.") % {"name": district_name})
        elif len(found) > 1:
            error("district", _("Several districts are named “%(name)s”.") % {"name": district_name})
        mandal = mandals.get((district.pk, name_key(mandal_name))) if district else None
        if not mandal_name:
            error("mandal", _("The mandal is missing."))
        elif district and mandal is None:
            error("mandal", _("District %(district)s has no mandal “%(name)s”.")
                  % {"district": district.name, "name": mandal_name})  # fmt: skip
        raw_day = cells.get("scheduled_on", "")
        day = sheet_date(raw_day)
        if not raw_day:
            error("scheduled_on", _("The date is missing."))
        elif day is None:
            error("scheduled_on", _("“%(value)s” is not a date: write YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY.")
                  % {"value": raw_day})  # fmt: skip
        elif too_early_or_late := plan_date_error(day):
            error("scheduled_on", too_early_or_late)
        for column in ("place", "host"):
            if len(cells.get(column, "")) > TEXT_LIMIT:
                error(column, _("At most %(limit)s characters.") % {"limit": TEXT_LIMIT})
        if mandal is not None and day is not None:
            earlier = seen.setdefault((mandal.pk, day), number)
            if earlier != number:
                error("mandal", _("Row %(row)s already plans this mandal on this day.") % {"row": earlier})
        if number not in report.bad_rows:
            assert mandal is not None and day is not None  # a row without errors has both
            rows.append(PlanRow(number, mandal, day, cells.get("place", ""), cells.get("host", "")))
    return rows
