"""Lok Sabha seats' targets and last results, from a sheet: `seats_import`.

One row a seat: `lok_sabha_no,lok_sabha_name,target_vote_pct,last_vote_pct`
(and `state`, a state code, which is required only when the roster holds seats
of more than one state). Seats are matched by number within their state; the
import never creates a seat (the roster import does) and never renames one:
names are spelled many ways, so a name other than the roster's is a warning.

A percentage may be written `48`, `48.5`, `48,5` or `48.5%`, in any script's
digits; more than one decimal is rounded to one (with a warning). A blank cell
empties the field: the file says the whole truth about its rows, so importing
it again changes nothing. Nothing is written when any row has an error.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _

from .models import LokSabhaSeat, State
from .phones import ascii_digits
from .roster.files import Table, clean_cell
from .roster.importer import run_import
from .roster.problems import ERROR, WARNING, ImportReport, Problem

SEAT_COLUMNS = ["lok_sabha_no", "lok_sabha_name", "target_vote_pct", "last_vote_pct"]
PERCENT_COLUMNS = ("target_vote_pct", "last_vote_pct")
LABEL = "Lok Sabha seats"  # the summary's row, beside the roster import's
_ONE_DECIMAL = Decimal("0.1")
_PERCENT = re.compile(r"\d+(\.\d+)?")
Complain = Callable[..., None]  # (column, message[, level]): a problem of the row being read


@dataclass
class SeatRow:
    number: int  # the row in the sheet
    seat_id: int
    values: dict[str, Decimal | None]


def seats_import(*, source: str | Path | IO[bytes], filename: str | None = None, dry_run: bool = False) -> ImportReport:
    """Set the seats' target and last vote share from a sheet; see the module's docstring."""
    return run_import(
        source=source,
        filename=filename,
        required=SEAT_COLUMNS,
        columns=SEAT_COLUMNS,
        check=_check_rows,
        write=_write,
        dry_run=dry_run,
        skip_invalid=False,
        error_file=None,
    )


def parse_percent(value: str) -> tuple[Decimal | None, str | None, bool]:
    """(the share, an error, whether it was rounded) of a cell such as `48,5 %`."""
    text = ascii_digits(value).replace(" ", "").removesuffix("%").replace(",", ".")
    if not _PERCENT.fullmatch(text):
        if text.startswith("-") and _PERCENT.fullmatch(text[1:]):
            return None, _("%(value)s is below 0; a vote share is from 0 to 100.") % {"value": value}, False
        return None, _("“%(value)s” is not a percentage; write it as 48 or 48.5.") % {"value": value}, False
    try:
        share = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern lets only numbers through
        return None, _("“%(value)s” is not a percentage; write it as 48 or 48.5.") % {"value": value}, False
    if share > 100:
        return None, _("%(value)s is above 100; a vote share is from 0 to 100.") % {"value": value}, False
    rounded = share.quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)
    return rounded, None, rounded != share


def _check_rows(table: Table, report: ImportReport) -> list[SeatRow]:
    states = dict(State.objects.filter(lok_sabha_seats__isnull=False).distinct().values_list("code", "pk"))
    if not states:
        report.problems.append(Problem(0, "", _("The roster has no Lok Sabha seats yet: import the roster first.")))
        return []
    has_state_column = "state" in table.headers
    if len(states) > 1 and not has_state_column:
        report.problems.append(
            Problem(
                0,
                "state",
                _("The roster has seats in %(states)s: add a column state with each row's state code.")
                % {"states": ", ".join(sorted(states))},
            )
        )
        return []
    seats = {
        (state_id, number): (pk, name)
        for pk, state_id, number, name in LokSabhaSeat.objects.values_list("pk", "state_id", "number", "name")
    }
    seen: dict[tuple[int, int], int] = {}
    rows = []
    for number, cells in table.rows:

        def problem(column: str, message: str, level: str = ERROR, row: int = number) -> None:
            report.problems.append(Problem(row, column, message, level))

        state_id = (
            _state_of(cells.get("state", ""), states, problem) if has_state_column else next(iter(states.values()))
        )
        seat_no = _seat_number(cells.get("lok_sabha_no", ""), problem)
        values: dict[str, Decimal | None] = {}
        for column in PERCENT_COLUMNS:
            cell = cells.get(column, "")
            if not cell:
                values[column] = None
                continue
            share, error, rounded = parse_percent(cell)
            if error:
                problem(column, error)
            elif rounded:
                problem(column, _("%(value)s is kept as %(share)s (one decimal).") % {"value": cell, "share": share},
                        WARNING)  # fmt: skip
            values[column] = share
        if state_id is None or seat_no is None:
            continue
        key = (state_id, seat_no)
        if key in seen:
            problem("lok_sabha_no", _("Seat %(number)s is already in row %(row)s of this file.")
                    % {"number": seat_no, "row": seen[key]})  # fmt: skip
            continue
        seen[key] = number
        if key not in seats:
            problem("lok_sabha_no", _("There is no Lok Sabha seat %(number)s in the roster.") % {"number": seat_no})
            continue
        seat_id, roster_name = seats[key]
        name = cells.get("lok_sabha_name", "")
        if name and name != clean_cell(roster_name):
            problem("lok_sabha_name", _("Seat %(number)s is called %(name)s in the roster; the name is left as it is.")
                    % {"number": seat_no, "name": roster_name}, WARNING)  # fmt: skip
        rows.append(SeatRow(number, seat_id, values))
    return rows


def _state_of(cell: str, states: dict[str, int], problem: Complain) -> int | None:
    if not cell and len(states) == 1:
        return next(iter(states.values()))
    if not cell:
        problem("state", _("This cell is empty; the roster has seats in several states, so give the state code."))
        return None
    state_id = states.get(cell.upper())
    if state_id is None:
        problem("state", _("“%(value)s” is not a state with seats in the roster; use its code, such as UP.")
                % {"value": cell})  # fmt: skip
    return state_id


def _seat_number(cell: str, problem: Complain) -> int | None:
    if not cell:
        problem("lok_sabha_no", _("This cell is empty; every row needs its seat's number."))
        return None
    text = ascii_digits(cell.removesuffix(".0"))
    if not (text.isascii() and text.isdigit() and int(text) > 0):
        problem("lok_sabha_no", _("“%(value)s” is not a number; write a whole number such as 45.") % {"value": cell})
        return None
    return int(text)


def _write(rows: list[SeatRow], report: ImportReport) -> None:
    fields = list(PERCENT_COLUMNS)
    # Locked, so that an admin's edit between the check and this write is not lost unseen.
    current = {
        pk: values
        for pk, *values in LokSabhaSeat.objects.select_for_update()
        .filter(pk__in=[row.seat_id for row in rows])
        .values_list("pk", *fields)
    }
    changed = [
        LokSabhaSeat(pk=row.seat_id, **row.values)
        for row in rows
        if current[row.seat_id] != [row.values[field] for field in fields]
    ]
    if changed:
        LokSabhaSeat.objects.bulk_update(changed, fields)
    report.count(LABEL, "created", 0)  # seats come from the roster import; the summary says so
    report.count(LABEL, "changed", len(changed))
    report.count(LABEL, "unchanged", len(rows) - len(changed))


__all__ = ["SEAT_COLUMNS", "parse_percent", "seats_import"]
