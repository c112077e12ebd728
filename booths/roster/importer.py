"""Importing a roster sheet: one row per booth, with its place in the map and its president.

Three passes. Read and check every row on its own (required cells, numbers,
phones), then across rows (a booth twice, a mandal under two districts, a
seat with two names) and against the roster (a district already in another
region). Then, in one transaction, upsert on natural keys with bulk queries:
the map (regions ... booths), then the presidents, where a new name ends the
old post on the import date and starts a new one, so history is kept.

By default nothing is written when any row has an error; with `skip_invalid`
the good rows are imported and the bad ones written to an error file (the
same columns plus `errors`) to fix and import again. A dry run does all of it
and rolls back, so it reports exactly what an import would do.
"""

import datetime
import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import CharField, ExpressionWrapper, F, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from booths.models import (
    AssemblySeat,
    Booth,
    District,
    LokSabhaSeat,
    Mandal,
    Person,
    Post,
    Region,
    ShaktiKendra,
    State,
    User,
)
from booths.phones import ascii_digits, indian_mobile_e164
from booths.progress import Progress, counted, no_progress
from booths.states import STATES

from .bulk import insert_rows
from .files import Cells, FileError, Table, clean_cell, read_table, write_table
from .problems import ERROR, WARNING, ImportReport, Problem

ROSTER_COLUMNS = [
    "region",
    "district",
    "mandal",
    "shakti_kendra",
    "lok_sabha_no",
    "lok_sabha_name",
    "assembly_no",
    "assembly_name",
    "booth_no",
    "booth_name",
    "president_name",
    "president_phone",
    "president_alt_phone",
]
OPTIONAL_COLUMNS = {"state", "shakti_kendra", "president_alt_phone"}
REQUIRED_CELLS = [c for c in ROSTER_COLUMNS if c not in OPTIONAL_COLUMNS and not c.startswith("president_")]
BATCH = 5_000
PROGRESS_STEP = 5_000  # rows between two reports of progress
BOOTH_FIELDS = ["name", "mandal_id", "shakti_kendra_id", "is_active"]
audit = logging.getLogger("booths.audit")


@dataclass(slots=True)
class RosterRow:
    number: int
    cells: Cells
    state: str = ""  # state code
    lok_sabha_no: int = 0
    assembly_no: int = 0
    booth_no: int = 0
    mobile: str = ""  # E.164
    alternate: str = ""


def run_import(
    *,
    source: str | Path | IO[bytes],
    filename: str | None,
    required: list[str],
    columns: list[str],
    check: Callable[[Table, ImportReport], list],
    write: Callable[[list, ImportReport], None],
    dry_run: bool,
    skip_invalid: bool,
    error_file: str | Path | None,
    progress: Progress = no_progress,
) -> ImportReport:
    """The flow every import follows: read, check every row, then write the good
    rows in one transaction (rolled back for a dry run), unless a row is bad and
    the bad rows are not to be set aside in `error_file`. `progress` hears of each
    phase's start and end; `check` and `write` may report more often."""
    report = ImportReport(dry_run=dry_run)
    progress("reading", 0, 0)
    try:
        table = read_table(source, filename)
        missing = [column for column in required if column not in table.headers]
        if missing:
            raise FileError(
                _("The header row lacks the columns %(missing)s. The file needs the columns: %(columns)s.")
                % {"missing": ", ".join(missing), "columns": ",".join(columns)}
            )
    except FileError as exc:
        report.problems.append(Problem(0, "", str(exc)))
        return report
    report.rows = len(table.rows)
    progress("reading", report.rows, report.rows)
    progress("checking", 0, report.rows)
    rows = check(table, report)
    progress("checking", report.rows, report.rows)
    bad = report.bad_rows
    good = [row for row in rows if row.number not in bad]
    if report.errors and not skip_invalid:
        return report
    progress("writing", 0, len(good))
    with transaction.atomic():
        write(good, report)
        progress("writing", len(good), len(good))
        report.rows_imported = len(good)
        report.written = not dry_run
        if dry_run:
            transaction.set_rollback(True)
    if report.errors and error_file:
        write_error_file(error_file, table, report)
        report.error_file = str(error_file)
    return report


def roster_import(
    *,
    source: str | Path | IO[bytes],
    filename: str | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    error_file: str | Path | None = None,
    on: datetime.date | None = None,
    progress: Progress = no_progress,
) -> ImportReport:
    """Import a roster sheet; see the module's docstring."""
    report = run_import(
        source=source,
        filename=filename,
        required=[column for column in ROSTER_COLUMNS if column not in OPTIONAL_COLUMNS],
        columns=ROSTER_COLUMNS,
        check=lambda table, report: _check_rows(table, report, progress),
        write=lambda rows, report: _Writer(report, on or timezone.localdate(), progress).write(rows),
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        error_file=error_file,
        progress=progress,
    )
    if report.written and report.rows_imported > 10_000 and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # plans for the daily job over the new roster
    return report


def _check_rows(table: Table, report: ImportReport, progress: Progress = no_progress) -> list[RosterRow]:
    state_codes = {**{code: code for code in STATES}, **{name: code for code, name in STATES.items()}}
    state_codes.update(State.objects.values_list("name", "code"))
    total = len(table.rows)
    rows = [
        _check_row(number, cells, report, state_codes)
        for number, cells in counted(table.rows, "checking", progress, total, step=PROGRESS_STEP)
    ]
    _check_across_rows(rows, report)
    return rows


def _whole_number(value: str) -> int | None:
    text = ascii_digits(value[:-2] if value.endswith(".0") else value)  # "४५" typed on a Hindi keyboard is 45
    # isascii: "²" and "①" are digits to str.isdigit(), and int() refuses them.
    return int(text) if text.isascii() and text.isdigit() and int(text) > 0 else None


# The largest number and longest text each column's field holds: a bigger value is
# a row error here, not a database error (a 500 on PostgreSQL) at the end.
NUMBER_LIMITS = {"lok_sabha_no": 32_767, "assembly_no": 32_767, "booth_no": 2_147_483_647}
TEXT_LIMITS = {
    "region": 100,
    "district": 100,
    "mandal": 100,
    "shakti_kendra": 100,
    "lok_sabha_name": 100,
    "assembly_name": 100,
    "booth_name": 200,
    "president_name": 200,
}


def too_long(value: str, limit: int) -> str | None:
    if len(value) > limit:
        return _("This cell has %(length)s characters; at most %(limit)s fit.") % {"length": len(value), "limit": limit}
    return None


def _check_row(number: int, cells: Cells, report: ImportReport, state_codes: dict[str, str]) -> RosterRow:
    def error(column: str, message: str) -> None:
        report.problems.append(Problem(number, column, message))

    row = RosterRow(number, cells)
    for column in REQUIRED_CELLS:
        if not cells.get(column):
            error(column, _("This cell is empty; every booth needs its %(column)s.") % {"column": column})
    for column in ("lok_sabha_no", "assembly_no", "booth_no"):
        value = cells.get(column, "")
        if value:
            parsed = _whole_number(value)
            if parsed is None:
                error(column, _("“%(value)s” is not a number; write a whole number such as 45.") % {"value": value})
            elif parsed > NUMBER_LIMITS[column]:
                error(column, _("%(value)s is too large for a %(column)s.") % {"value": value, "column": column})
            else:
                setattr(row, column, parsed)
    for column, limit in TEXT_LIMITS.items():
        if message := too_long(cells.get(column, ""), limit):
            error(column, message)
    state = cells.get("state", "") or settings.DEFAULT_STATE_CODE
    row.state = state_codes.get(state.upper(), state_codes.get(state, ""))
    if not row.state:
        error("state", _("“%(value)s” is not a state we know; use its code, such as UP.") % {"value": state})
    name, phone, alternate = (cells.get(c, "") for c in ("president_name", "president_phone", "president_alt_phone"))
    if (phone or alternate) and not name:
        error("president_name", _("A phone number is given but no name; leave both empty for a vacant booth."))
    for column, value in (("president_phone", phone), ("president_alt_phone", alternate)):
        if value:
            try:
                setattr(row, "mobile" if column == "president_phone" else "alternate", indian_mobile_e164(value))
            except ValidationError as exc:
                error(column, exc.messages[0])
    if name and not phone:
        report.problems.append(
            Problem(number, "president_phone", _("No phone number: this president cannot be called."), WARNING)
        )
    if row.alternate and row.alternate == row.mobile:
        report.problems.append(
            Problem(number, "president_alt_phone", _("The same number as the phone; left out."), WARNING)
        )
        row.alternate = ""
    return row


def _check_across_rows(rows: list[RosterRow], report: ImportReport) -> None:
    """Rules between rows, and against the roster: the first row decides, later rows are refused."""

    def error(row: RosterRow, column: str, message: str) -> None:
        report.problems.append(Problem(row.number, column, message))

    mandal_twice = _("Mandal %(mandal)s is under district %(other)s in row %(row)s; a mandal has one district.")
    district_twice = _("District %(district)s is in region %(other)s in row %(row)s; a district has one region.")
    district_elsewhere = _("District %(district)s is in region %(other)s in the roster; change it there first.")
    booths: dict[tuple, int] = {}
    mandal_district: dict[tuple, tuple[str, int]] = {}
    district_region: dict[tuple, tuple[str, int]] = {}
    seat_names: dict[tuple, tuple[str, int]] = {}
    seen: tuple[object, int]
    assembly_lok_sabha: dict[tuple, tuple[int, int]] = {}
    existing_regions = {
        (state, district): region
        for state, district, region in District.objects.values_list("region__state__code", "name", "region__name")
    }
    bad = report.bad_rows  # a row's own errors come after its turn here: checked once, not once a row
    for row in rows:
        cells = row.cells
        if row.number in bad:
            continue
        key = (row.state, row.assembly_no, row.booth_no)
        if key in booths:
            error(row, "booth_no", _("Booth %(booth)s is already in row %(row)s of this file.")
                  % {"booth": f"{row.assembly_no}/{row.booth_no}", "row": booths[key]})  # fmt: skip
        else:
            booths[key] = row.number
        district, region = cells["district"], cells["region"]
        seen = mandal_district.setdefault((row.state, cells["mandal"]), (district, row.number))
        if seen[0] != district:
            error(row, "mandal", mandal_twice % {"mandal": cells["mandal"], "other": seen[0], "row": seen[1]})
        seen = district_region.setdefault((row.state, district), (region, row.number))
        if seen[0] != region:
            error(row, "district", district_twice % {"district": district, "other": seen[0], "row": seen[1]})
        elif existing_regions.get((row.state, district), region) != region:
            other = existing_regions[(row.state, district)]
            error(row, "district", district_elsewhere % {"district": district, "other": other})
        for kind, number, column in (("lok_sabha", row.lok_sabha_no, "lok_sabha_name"),
                                     ("assembly", row.assembly_no, "assembly_name")):  # fmt: skip
            seen = seat_names.setdefault((row.state, kind, number), (cells[column], row.number))
            if seen[0] != cells[column]:
                error(row, column, _("Seat %(number)s is called %(other)s in row %(row)s.")
                      % {"number": number, "other": seen[0], "row": seen[1]})  # fmt: skip
        seen = assembly_lok_sabha.setdefault((row.state, row.assembly_no), (row.lok_sabha_no, row.number))
        if seen[0] != row.lok_sabha_no:
            error(row, "lok_sabha_no", _("Assembly seat %(number)s is in Lok Sabha seat %(other)s in row %(row)s.")
                  % {"number": row.assembly_no, "other": seen[0], "row": seen[1]})  # fmt: skip
    # Families share phones, so this is allowed: but it is worth a look.
    booths_of_phone: dict[str, list[int]] = defaultdict(list)
    bad = report.bad_rows
    for row in rows:
        if row.mobile and row.number not in bad:
            booths_of_phone[row.mobile].append(row.number)
    for numbers in booths_of_phone.values():
        if len(numbers) > 1:
            for number in numbers:
                others = ", ".join(str(n) for n in numbers if n != number)
                report.problems.append(
                    Problem(number, "president_phone",
                            _("The same number is also given in row(s) %(rows)s.") % {"rows": others}, WARNING)
                )  # fmt: skip


class _Writer:
    """Upserts the checked rows with bulk queries."""

    def __init__(self, report: ImportReport, on: datetime.date, progress: Progress = no_progress) -> None:
        self.report = report
        self.on = on
        self.progress = progress

    def write(self, rows: list[RosterRow]) -> None:
        if not rows:
            return
        self.total = len(rows)
        self.booths_done = self.presidents_done = 0
        states = self._states({row.state for row in rows})
        regions = self._units(
            Region, "regions", {(states[r.state], r.cells["region"]) for r in rows}, ("state_id", "name")
        )
        districts = self._units(
            District,
            "districts",
            {(regions[(states[r.state], r.cells["region"])], r.cells["district"]) for r in rows},
            ("region_id", "name"),
        )
        district_of = {row.number: districts[(regions[(states[row.state], row.cells["region"])], row.cells["district"])]
                       for row in rows}  # fmt: skip
        mandals = self._units(
            Mandal, "mandals", {(district_of[r.number], r.cells["mandal"]) for r in rows}, ("district_id", "name")
        )
        mandal_of = {row.number: mandals[(district_of[row.number], row.cells["mandal"])] for row in rows}
        kendras = self._units(
            ShaktiKendra,
            "shakti kendras",
            {(mandal_of[r.number], r.cells["shakti_kendra"]) for r in rows if r.cells.get("shakti_kendra")},
            ("mandal_id", "name"),
        )
        lok_sabha = self._seats(
            LokSabhaSeat, "Lok Sabha seats",
            {(states[r.state], r.lok_sabha_no): {"name": r.cells["lok_sabha_name"]} for r in rows},
        )  # fmt: skip
        assembly = self._seats(
            AssemblySeat, "assembly seats",
            {(states[r.state], r.assembly_no): {"name": r.cells["assembly_name"],
                                               "lok_sabha_seat_id": lok_sabha[(states[r.state], r.lok_sabha_no)]}
             for r in rows},
        )  # fmt: skip
        booth_values = {  # BOOTH_FIELDS, as tuples: a state's booths as dicts took 60 MB
            (assembly[(states[r.state], r.assembly_no)], r.booth_no): (
                r.cells["booth_name"],
                mandal_of[r.number],
                kendras.get((mandal_of[r.number], r.cells.get("shakti_kendra", ""))),
                True,
            )
            for r in rows
        }
        del district_of  # a state's worth each: freed before the presidents' turn
        booths = self._booths(booth_values)
        del booth_values, mandal_of
        rows_by_booth = {booths[(assembly[(states[r.state], r.assembly_no)], r.booth_no)]: r for r in rows}
        del booths
        self._presidents(rows_by_booth)

    # Rows written, for the progress: half a row for its booth, half for its president.
    def _booths_written(self, n: int) -> None:
        self.booths_done += n
        self.progress("writing", (self.booths_done + self.presidents_done) // 2, self.total)

    def _presidents_written(self, n: int) -> None:
        self.presidents_done += n
        self.progress("writing", (self.booths_done + self.presidents_done) // 2, self.total)

    def _states(self, codes: set[str]) -> dict[str, int]:
        existing = dict(State.objects.filter(code__in=codes).values_list("code", "pk"))
        for code in codes - set(existing):
            existing[code] = State.objects.create(code=code, name=STATES[code]).pk
            self.report.count("states", "created")
        return existing

    def _units(self, model: type[Model], label: str, keys: set[tuple[int, str]], fields: tuple[str, str]) -> dict:
        """Units known by (parent, name): create the missing ones, return key -> id."""
        parent_field, name_field = fields
        parents = {parent for parent, _name in keys}
        existing = {
            (parent, _nfc(name)): pk
            for pk, parent, name in model._default_manager.filter(**{f"{parent_field}__in": parents}).values_list(
                "pk", parent_field, name_field
            )
        }
        missing = [key for key in keys if key not in existing]
        created = model._default_manager.bulk_create(
            [model(**{parent_field: parent, name_field: name}) for parent, name in missing], batch_size=BATCH
        )
        existing.update({key: obj.pk for key, obj in zip(missing, created, strict=True)})
        self.report.count(label, "created", len(created))
        self.report.count(label, "unchanged", len(keys) - len(created))
        return existing

    def _seats(self, model: type[Model], label: str, wanted: dict[tuple[int, int], dict]) -> dict[tuple[int, int], int]:
        """Seats known by (state, number): create, or update their name (and Lok Sabha seat)."""
        fields = list(next(iter(wanted.values())))
        return self._upsert(model, label, "state_id", fields, {key: tuple(v.values()) for key, v in wanted.items()})

    def _booths(self, wanted: dict[tuple[int, int], tuple]) -> dict[tuple[int, int], int]:
        """Booths known by (assembly seat, number): create, or update name, mandal, shakti kendra."""
        ids = self._upsert(Booth, "booths", "assembly_seat_id", BOOTH_FIELDS, wanted, on_batch=self._booths_written)
        self._booths_written(len(wanted) - self.booths_done)  # those already there
        return ids

    def _upsert(
        self,
        model: type[Model],
        label: str,
        parent: str,
        fields: list[str],
        wanted: dict[tuple[int, int], tuple],
        on_batch: Callable[[int], None] | None = None,
    ) -> dict:
        """Rows known by (parent, number), their `fields` given as tuples: create
        the new, update the changed, count the rest."""
        existing = {
            (parent_id, number): (pk, tuple(_nfc(v) for v in values))
            for pk, parent_id, number, *values in model._default_manager.filter(
                **{f"{parent}__in": {key[0] for key in wanted}}
            ).values_list("pk", parent, "number", *fields)
        }
        ids, create, update = {}, [], []
        for key, values in wanted.items():
            if key not in existing:
                create.append(key)
                continue
            pk, current = existing[key]
            ids[key] = pk
            if current != values:
                update.append(model(pk=pk, **dict(zip(fields, values, strict=True))))
        new_ids = insert_rows(
            model,
            [parent, "number", *fields],
            ((key[0], key[1], *wanted[key]) for key in create),
            on_batch=on_batch,
        )
        ids.update(zip(create, new_ids, strict=True))
        if update:
            model._default_manager.bulk_update(update, fields, batch_size=BATCH)
        self.report.count(label, "created", len(create))
        self.report.count(label, "changed", len(update))
        self.report.count(label, "unchanged", len(wanted) - len(create) - len(update))
        return ids

    def _presidents(self, rows_by_booth: dict[int, RosterRow]) -> None:
        """Same name: the same president (their numbers may change). Another name:
        the old post ends on the import date and the new president's starts."""
        current = {}
        for booth_id, post_id, person_id, name, mobile, alternate in (
            Post.objects.current()
            .filter(role=Post.Role.BOOTH_PRESIDENT, booth_id__in=list(rows_by_booth))
            # The numbers as stored (E.164 text): read through the field, 300,000
            # of them would each be parsed into a PhoneNumber again.
            .annotate(
                mobile_text=ExpressionWrapper(F("person__mobile"), output_field=CharField()),
                alternate_text=ExpressionWrapper(F("person__alternate_mobile"), output_field=CharField()),
            )
            .values_list("booth_id", "pk", "person_id", "person__name", "mobile_text", "alternate_text")
        ):
            current[booth_id] = (post_id, person_id, _nfc(name), str(mobile or ""), str(alternate or ""))
        ended: list[int] = []
        people_changed: list[Person] = []
        new_people: list[tuple[str, str, str]] = []  # name, mobile, alternate, as stored
        new_posts: list[int] = []  # their booths
        counts: Counter[str] = Counter()
        for booth_id, row in rows_by_booth.items():
            name = row.cells.get("president_name", "")
            holder = current.get(booth_id)
            if holder and holder[2] == name:
                if (holder[3], holder[4]) != (row.mobile, row.alternate):
                    people_changed.append(Person(pk=holder[1], mobile=row.mobile, alternate_mobile=row.alternate))
                    counts["changed"] += 1
                else:
                    counts["unchanged"] += 1
                continue
            if holder:
                ended.append(holder[0])
                counts["ended"] += 1
            if name:
                new_people.append((name, row.mobile, row.alternate))
                new_posts.append(booth_id)
                counts["created"] += 1
        self._audit_account_mobiles(people_changed, current, rows_by_booth)
        # End before starting: the database allows one current president per booth.
        for chunk in _chunks(ended):
            Post.objects.filter(pk__in=chunk).update(end_date=self.on)
        if people_changed:
            Person.objects.bulk_update(people_changed, ["mobile", "alternate_mobile"], batch_size=BATCH)
        person_ids = insert_rows(Person, ["name", "mobile", "alternate_mobile"], new_people)
        start = connection.ops.adapt_datefield_value(self.on)
        insert_rows(
            Post,
            ["person_id", "role", "booth_id", "start_date"],
            ((person_id, Post.Role.BOOTH_PRESIDENT.value, booth_id, start)
             for person_id, booth_id in zip(person_ids, new_posts, strict=True)),
            on_batch=self._presidents_written,
        )  # fmt: skip
        self._presidents_written(len(rows_by_booth) - self.presidents_done)  # kept, or vacant
        for action in ("created", "changed", "unchanged", "ended"):
            self.report.count("presidents", action, counts[action])

    def _audit_account_mobiles(
        self, people_changed: list[Person], current: dict[int, tuple], rows_by_booth: dict[int, "RosterRow"]
    ) -> None:
        """A president who also signs in (a caller or viewer) gets their sign-in
        links on their mobile: a file that changes it is logged and says so."""
        if not people_changed:
            return
        changed = {person.pk: person for person in people_changed}
        with_accounts = set(User.objects.filter(person_id__in=list(changed)).values_list("person_id", flat=True))
        for booth_id, holder in current.items():
            if holder[1] in with_accounts and booth_id in rows_by_booth:
                new_mobile = str(changed[holder[1]].mobile)
                if new_mobile == holder[3]:
                    continue
                audit.warning("roster file changed the mobile of person %s (an account) from %s to %s",
                              holder[1], holder[3], new_mobile)  # fmt: skip
                self.report.problems.append(Problem(
                    rows_by_booth[booth_id].number, "president_phone",
                    _("%(name)s signs in to Booth Samvad: their sign-in links will go to the new number.")
                    % {"name": holder[2]}, WARNING,
                ))  # fmt: skip


def _nfc(value: object) -> object:
    # Names typed in the admin may differ from the file's cleaned cells in Unicode
    # form or spacing alone: compare them cleaned the same way.
    return clean_cell(value) if isinstance(value, str) else value


def _chunks(items: list, size: int = BATCH) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def write_error_file(path: str | Path, table: Table, report: ImportReport) -> None:
    """The rows with errors, as they were, with their errors: fix them and import this file."""
    messages: dict[int, list[str]] = defaultdict(list)
    for problem in report.errors:
        messages[problem.row].append(f"{problem.column}: {problem.message}" if problem.column else problem.message)
    headers = [*table.headers, "errors"]
    rows = [
        [*(cells.get(header, "") for header in table.headers), " | ".join(messages[number])]
        for number, cells in table.rows
        if number in messages
    ]
    write_table(path, headers, rows, xlsx=str(path).lower().endswith(".xlsx"))


__all__ = ["ERROR", "ROSTER_COLUMNS", "WARNING", "roster_import", "write_error_file"]
