"""Dashboard tables as downloads: CSV (UTF-8 with a byte-order mark, so Excel
reads Hindi) or XLSX (numbers as numbers, text as text)."""

import csv
import datetime
import io
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

from booths.roster.files import inert, xlsx_row

from .tables import Table


def export_value(value: Any, kind: str) -> object:
    """A cell as scripts want it: numbers as numbers, shares in percent with one
    decimal, dates in ISO form, phones in E.164, choices as their codes."""
    if value is None:
        return ""
    if kind == "pct":
        return round(value * 100, 1)
    if kind in ("vote", "gap"):
        return float(value)  # a Decimal with one decimal: a number, not text, in XLSX
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return value
    return str(value)  # phones in E.164 as stored (validated), as `export_calls` writes them


def table_rows(table: Table) -> Iterable[list]:
    kinds = [column.kind for column in table.columns]
    for row in table.rows:
        yield [export_value(value, kind) for value, kind in zip(row, kinds, strict=True)]


def table_response(table: Table, *, filename: str, output: str) -> HttpResponse:
    headers = [column.key for column in table.columns]
    if output == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=table.name[:31])
        sheet.append(headers)
        for row in table_rows(table):
            sheet.append(xlsx_row(sheet, row))
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        text = io.StringIO()
        text.write("\ufeff")
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(headers)
        writer.writerows([inert(value) for value in row] for row in table_rows(table))
        response = HttpResponse(text.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{output}"'
    return response
