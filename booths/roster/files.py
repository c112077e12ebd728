"""Reading and writing roster spreadsheets: CSV (UTF-8, with or without BOM) and XLSX.

Cells come back as clean text: surrounding spaces and a leading apostrophe
(Excel's "keep this as text" mark) removed, runs of spaces made one, Unicode
in NFC, whole numbers stored by Excel as floats written without their ".0".
Headers are matched case-insensitively, punctuation and spaces read as
underscores.

Cells written are inert: a text starting with `=`, `+`, `-`, `@`, a tab or a
line break would be a formula to Excel and LibreOffice (`=HYPERLINK(...)` in a
name would run for whoever opens the sheet), so CSV cells get the apostrophe
that keeps them text (reading strips it again, so a round trip changes nothing)
and XLSX cells are typed as text. Plain numbers (`+919811122233`, `-3`) stay.
"""

import csv
import datetime
import io
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol, TypeVar, overload

from django.conf import settings
from django.utils.translation import gettext as _

from booths.phones import ascii_digits

# Characters people and spreadsheets leave around values.
_D = TypeVar("_D")
_INVISIBLE = "\ufeff\u200b\u00a0"
# What makes a cell a formula to a spreadsheet, and what stays a plain number.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


class TextSink(Protocol):
    """Anything text is written to: a file, an HTTP response, a command's output."""

    def write(self, text: str, /) -> object: ...


# Where a sheet goes: a path, a binary stream (XLSX) or a text one (CSV).
Target = str | Path | IO[Any] | TextSink


class FileError(Exception):
    """The file as a whole cannot be read (format, encoding, header)."""


class Cells(tuple[str, ...]):
    """A row's cells, read by column name (`cells["district"]`, `cells.get("state", "")`)
    like a dict, stored as a tuple that shares its table's column index: a state's
    163,000 rows as dicts took five times the memory."""

    __slots__ = ()
    # Set for each table on a subclass of its own; it shadows tuple.index on purpose.
    index: dict[str, int] = {}  # type: ignore[assignment]

    @overload
    def get(self, column: str) -> str | None: ...
    @overload
    def get(self, column: str, default: _D) -> str | _D: ...
    def get(self, column: str, default: object = None) -> object:
        position = self.index.get(column)
        return default if position is None else tuple.__getitem__(self, position)

    def __getitem__(self, column: str | int) -> str:  # type: ignore[override]  # by name too
        if isinstance(column, str):
            try:
                return tuple.__getitem__(self, self.index[column])
            except KeyError:
                raise KeyError(column) from None
        return tuple.__getitem__(self, column)

    def __contains__(self, column: object) -> bool:
        return column in self.index

    def keys(self) -> list[str]:
        return list(self.index)

    def items(self) -> list[tuple[str, str]]:
        return [(column, tuple.__getitem__(self, position)) for column, position in self.index.items()]


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[tuple[int, Cells]]  # (row number in the sheet, column -> cell)


# A column with more distinct values than this (names, phones) is not worth sharing.
_SHARED_VALUES_PER_COLUMN = 20_000


# The short-i sign (ि) typed before its consonant, at a word's start, as legacy
# Hindi fonts (Kruti Dev and the like) order it: 'िनशा' converted from one is निशा.
_I_SIGN_FIRST = re.compile("(?<![\u0900-\u097f\u200c\u200d])\u093f([\u0915-\u0939\u0958-\u095f]\u093c?)")


def clean_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value)).strip(" \t\r\n" + _INVISIBLE)
    if text.startswith(("'", "’")):
        text = text[1:].strip()
    if "\u093f" in text:
        text = _I_SIGN_FIRST.sub("\\1\u093f", text)
    return " ".join(text.split())  # "राम  प्रसाद" typed with two spaces is still राम प्रसाद


SHEET_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y")


def sheet_date(value: str) -> datetime.date | None:
    """A date as offices write it in a sheet: YYYY-MM-DD, DD-MM-YYYY, DD/MM/YYYY
    or DD.MM.YYYY (Hindi digits too); an XLSX date cell arrives as `2025-03-20 00:00:00`."""
    text = ascii_digits(clean_cell(value))
    if text.endswith(" 00:00:00"):
        text = text[: -len(" 00:00:00")]
    for form in SHEET_DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None


def name_key(value: str) -> str:
    """`Lucknow `, `lucknow` and `LUCKNOW` name one unit; Hindi names as written (NFC)."""
    return clean_cell(value).casefold()


def header_key(value: object) -> str:
    """`Booth No.`, `booth-no` and `booth_no` all name the column booth_no."""
    words = re.findall(r"[a-z0-9]+", clean_cell(value).lower())
    return "_".join(words)


def read_table(source: str | Path | IO[bytes], filename: str | None = None) -> Table:
    """Read the first sheet of an XLSX file or a CSV file into cleaned rows."""
    name = (filename or str(getattr(source, "name", source))).lower()
    if name.endswith(".xls"):
        raise FileError(_("This is an old Excel file (.xls): save it as .xlsx or as CSV UTF-8 and upload that."))
    if name.endswith(".xlsx"):
        lines = _xlsx_lines(source.read() if hasattr(source, "read") else Path(source).read_bytes())
        return _table(lines)
    if hasattr(source, "read") and not isinstance(source, (str, Path)):
        return _table(_csv_lines(source))
    with Path(source).open("rb") as stream:
        return _table(_csv_lines(stream))


def _table(lines: Iterable[tuple[int, Sequence[object]]]) -> Table:
    headers: list[str] = []
    rows: list[tuple[int, Cells]] = []
    limit = settings.ROSTER_MAX_ROWS
    row_type: type[Cells] = Cells
    positions: list[int] = []  # where each named column is in a line
    # The same region, district, mandal and seat names come back row after row:
    # one string each, not one a row.
    shared: list[dict[str, str] | None] = []
    for number, cells in lines:
        values = [clean_cell(cell) for cell in cells]
        if not any(values):
            continue
        if len(rows) >= limit:
            raise FileError(
                _("The file has more than %(limit)s rows; split it (by region or district) and import the parts.")
                % {"limit": f"{limit:,}"}
            )
        if not headers:
            headers = [header_key(cell) for cell in cells]
            named = {header: position for position, header in enumerate(headers) if header}
            positions = list(named.values())  # a column named twice: the last one, as a dict would keep
            row_type = type("TableCells", (Cells,), {"__slots__": (), "index": {h: i for i, h in enumerate(named)}})
            shared = [{} for _ in positions]
            continue
        kept = []
        for slot, position in enumerate(positions):
            value = values[position] if position < len(values) else ""
            memo = shared[slot]
            if memo is not None:
                value = memo.setdefault(value, value)
                if len(memo) > _SHARED_VALUES_PER_COLUMN:
                    shared[slot] = None
            kept.append(value)
        rows.append((number, row_type(kept)))
    if not headers:
        raise FileError(_("The file is empty: it needs a header row and one row per booth."))
    return Table(headers=[header for header in headers if header], rows=rows)


def _xlsx_lines(data: bytes) -> Iterator[tuple[int, tuple]]:
    from openpyxl import load_workbook

    _check_unzipped_size(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileError(_("This is not a readable .xlsx file (%(error)s).") % {"error": exc}) from exc
    sheet = workbook.worksheets[0]
    yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    workbook.close()


def _check_unzipped_size(data: bytes) -> None:
    """An XLSX file is a zip: a small upload can unpack to gigabytes (openpyxl
    loads the shared strings whole). Refuse one whose parts are too large before
    reading any of them."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(entry.file_size for entry in archive.infolist())
    except zipfile.BadZipFile:
        raise FileError(_("This is not a readable .xlsx file (it is not a zip archive).")) from None
    limit = settings.ROSTER_MAX_UNZIPPED_MB * 1024 * 1024
    if unpacked > limit:
        raise FileError(
            _("This .xlsx file unpacks to %(size)s MB, more than %(limit)s MB; save it as CSV UTF-8 or split it.")
            % {"size": unpacked // (1024 * 1024), "limit": settings.ROSTER_MAX_UNZIPPED_MB}
        )


def _csv_lines(stream: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    """Read and decoded as it goes, not all at once: a state's file as text is twice its bytes."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        first_line = text.readline()
        delimiter = max([",", ";", "\t"], key=first_line.count)
        yield from enumerate(csv.reader(itertools.chain([first_line], text), delimiter=delimiter), start=1)
    except UnicodeDecodeError:
        raise FileError(
            _("The file is not in UTF-8, so Hindi names would be garbled: in Excel choose Save As › CSV UTF-8.")
        ) from None
    finally:
        text.detach()  # the stream is the caller's to close


def is_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text)


def inert(value: object) -> object:
    """A CSV cell a spreadsheet shows as written, never runs (see the module's docstring)."""
    if isinstance(value, str) and is_formula(value):
        return "'" + value
    return value


def xlsx_row(sheet: object, values: Iterable[object]) -> list[object]:
    """Cells for a write-only XLSX sheet: numbers as numbers, text as text, and a
    text that looks like a formula typed as text with Excel's quote prefix
    (openpyxl would otherwise write `=...` as a live formula)."""
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for value in values:
        if isinstance(value, str) and is_formula(value):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            cell.quotePrefix = True
            value = cell
        cells.append(value)
    return cells


def write_table(target: Target, headers: list[str], rows: Iterable[list[str]], *, xlsx: bool) -> None:
    """Write a sheet: XLSX with every cell as text (phone numbers stay numbers of
    digits, not 9.87654E+09), or CSV in UTF-8 with a BOM so Excel reads Hindi.
    Either way no cell is a formula."""
    if xlsx:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(headers)
        for row in rows:
            sheet.append(xlsx_row(sheet, [str(value) for value in row]))
        workbook.save(target)
        return
    if isinstance(target, (str, Path)):
        with open(target, "w", encoding="utf-8-sig", newline="") as stream:
            _write_csv(stream, headers, rows)
    else:
        target.write("\ufeff")
        _write_csv(target, headers, rows)


def _write_csv(stream: TextSink, headers: list[str], rows: Iterable[list[str]]) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows([inert(value) for value in row] for row in rows)
