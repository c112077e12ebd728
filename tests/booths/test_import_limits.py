"""Bad values and oversized files are row or file errors, never a database error
or an exhausted worker: digits that are not 0-9, numbers beyond a column's range,
texts beyond its length, too many rows, an .xlsx that unpacks to too much, an
upload over the size limit (refused before its body is read)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from booths.models import Booth, Person, RosterUpload, User
from tests.booths.sheets import booth_row, caller_row, write_sheet

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def failing(command: str, path) -> str:
    out = StringIO()
    with pytest.raises(CommandError):
        call_command(command, str(path), stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("damage", "column", "says"),
    [
        ({"booth_no": "1²"}, "booth_no", "is not a number"),
        ({"assembly_no": "①"}, "assembly_no", "is not a number"),
        ({"assembly_no": 40_000}, "assembly_no", "too large for a assembly_no"),
        ({"lok_sabha_no": 99_999_999}, "lok_sabha_no", "too large"),
        ({"booth_no": 9_999_999_999}, "booth_no", "too large"),
        ({"president_name": "र" * 201}, "president_name", "at most 200 fit"),
        ({"booth_name": "क" * 201}, "booth_name", "at most 200 fit"),
        ({"mandal": "म" * 101}, "mandal", "at most 100 fit"),
        ({"district": "ज" * 101}, "district", "at most 100 fit"),
    ],
)
def test_a_value_the_database_cannot_hold_is_a_row_error(tmp_path, fmt, damage, column, says):
    path = write_sheet(tmp_path / f"roster.{fmt}", [booth_row(1), booth_row(2, **damage)])
    output = failing("import_roster", path)
    line = next(line for line in output.splitlines() if line.strip().startswith("row 3,"))
    assert f"row 3, {column}:" in line and says in line
    assert not Booth.objects.exists() and not Person.objects.exists()


def test_a_callers_row_too_long_for_the_database_is_a_row_error(tmp_path):
    call_command("import_roster", str(write_sheet(tmp_path / "roster.csv", [booth_row(1)])), stdout=StringIO())
    output = failing("import_callers", write_sheet(tmp_path / "callers.csv", [caller_row(name="स" * 201)]))
    assert "row 2, name: This cell has 201 characters; at most 200 fit." in output
    assert not User.objects.exists()


def test_too_many_rows_are_refused_before_any_is_checked(tmp_path, settings):
    settings.ROSTER_MAX_ROWS = 3
    output = failing("import_roster", write_sheet(tmp_path / "roster.csv", [booth_row(n) for n in range(1, 5)]))
    assert "more than 3 rows" in output
    assert not Booth.objects.exists()


def test_an_xlsx_that_unpacks_too_large_is_refused_before_it_is_parsed(tmp_path, settings):
    settings.ROSTER_MAX_UNZIPPED_MB = 0
    output = failing("import_roster", write_sheet(tmp_path / "roster.xlsx", [booth_row(1)]))
    assert "unpacks to 0 MB, more than 0 MB" in output


def test_a_file_that_is_not_a_zip_is_a_clear_error(tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(b"region,district\n")
    assert "not a zip archive" in failing("import_roster", path)


def test_an_upload_over_the_limit_is_refused_unread_and_nothing_is_kept(admin_client, tmp_path, settings):
    settings.UPLOAD_MAX_MB = 0  # the limit is then the slack for the form's fields: 64 KB
    path = write_sheet(tmp_path / "roster.csv", [booth_row(n) for n in range(1, 1500)])
    assert path.stat().st_size > 100_000
    with path.open("rb") as upload:
        response = admin_client.post("/admin/booths/rosterupload/new/roster/", {"file": upload})
    assert response.status_code == 200
    assert "The file is larger than 0 MB" in response.content.decode()
    assert not RosterUpload.objects.exists()


def test_seat_and_booth_numbers_in_devanagari_digits_are_read(tmp_path):
    call_command(
        "import_roster", str(write_sheet(tmp_path / "r.csv", [booth_row(1, booth_no="१२")])), stdout=StringIO()
    )
    assert Booth.objects.get().number == 12
