"""Seats' targets and last results through `import_seats`, with real CSV and XLSX files."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from booths.models import LokSabhaSeat
from booths.seats import SEAT_COLUMNS, parse_percent
from tests.booths.sheets import write_sheet
from tests.factories import LokSabhaSeatFactory, StateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def seats():
    state = StateFactory(code="UP", name="उत्तर प्रदेश")
    return {
        number: LokSabhaSeatFactory(state=state, number=number, name=name)
        for number, name in ((35, "लखनऊ"), (36, "मोहनलालगंज"), (77, "वाराणसी"))
    }


def row(number: int, name: str, target: object = "", last: object = "") -> dict[str, object]:
    return {"lok_sabha_no": number, "lok_sabha_name": name, "target_vote_pct": target, "last_vote_pct": last}


def import_seats(path, *args: str) -> str:
    out = StringIO()
    call_command("import_seats", str(path), *args, stdout=out)
    return out.getvalue()


def failing_import(path, *args: str) -> tuple[str, str]:
    out = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_seats", str(path), *args, stdout=out)
    return out.getvalue(), str(failure.value)


def targets() -> dict[int, tuple]:
    return {seat.number: (seat.target_vote_pct, seat.last_vote_pct) for seat in LokSabhaSeat.objects.all()}


def test_a_csv_with_a_bom_and_hindi_names_sets_targets_and_results(tmp_path, seats):
    path = write_sheet(
        tmp_path / "seats.csv",
        [row(35, "लखनऊ", "56", "54.2%"), row(36, "मोहनलालगंज", "52,5", "49.8 %"), row(77, "वाराणसी", "", "")],
        SEAT_COLUMNS,
        bom=True,
    )
    output = import_seats(path)

    assert "Imported 3 of 3 rows." in output
    assert "Lok Sabha seats" in output
    assert "Warnings" not in output
    assert targets() == {
        35: (Decimal("56.0"), Decimal("54.2")),
        36: (Decimal("52.5"), Decimal("49.8")),
        77: (None, None),
    }


def test_an_xlsx_with_numbers_as_numbers_imports_the_same(tmp_path, seats):
    path = write_sheet(tmp_path / "seats.xlsx", [row(35, "लखनऊ", 56, 54.2), row(77, "वाराणसी", 60.0, 63.75)],
                       SEAT_COLUMNS)  # fmt: skip
    output = import_seats(path)

    assert "Imported 2 of 2 rows." in output
    assert "63.75 is kept as 63.8 (one decimal)" in output  # a warning, not an error
    assert targets()[35] == (Decimal("56.0"), Decimal("54.2"))
    assert targets()[77] == (Decimal("60.0"), Decimal("63.8"))
    assert targets()[36] == (None, None)  # a seat not in the file is left alone


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(tmp_path, seats):
    LokSabhaSeat.objects.filter(number=35).update(target_vote_pct=50)
    before = targets()
    path = write_sheet(
        tmp_path / "seats.csv",
        [
            row(35, "लखनऊ", "101", "48"),  # row 2
            row(36, "मोहनलालगंज", "पचास", "-3"),  # row 3
            row(99, "कहीं नहीं", "50", "50"),  # row 4
            row(35, "लखनऊ", "50", "50"),  # row 5
            row("", "वाराणसी", "50", "50"),  # row 6
        ],
        SEAT_COLUMNS,
    )
    output, message = failing_import(path)

    assert "Nothing was imported" in message
    assert "row 2, target_vote_pct: 101 is above 100" in output
    assert "row 3, target_vote_pct: “पचास” is not a percentage" in output
    assert "row 3, last_vote_pct: -3 is below 0" in output
    assert "row 4, lok_sabha_no: There is no Lok Sabha seat 99 in the roster." in output
    assert "row 5, lok_sabha_no: Seat 35 is already in row 2 of this file." in output
    assert "row 6, lok_sabha_no: This cell is empty" in output
    assert targets() == before


def test_another_spelling_of_a_name_is_a_warning_and_the_name_stays(tmp_path, seats):
    path = write_sheet(tmp_path / "seats.csv", [row(77, "बनारस", "60", "58")], SEAT_COLUMNS)
    output = import_seats(path)

    assert "row 2, lok_sabha_name: Seat 77 is called वाराणसी in the roster; the name is left as it is." in output
    seat = LokSabhaSeat.objects.get(number=77)
    assert (seat.name, seat.target_vote_pct) == ("वाराणसी", Decimal("60.0"))


def test_importing_the_same_file_again_says_no_changes(tmp_path, seats):
    path = write_sheet(tmp_path / "seats.csv", [row(35, "लखनऊ", "56", "54.2"), row(36, "मोहनलालगंज", "", "49")],
                       SEAT_COLUMNS)  # fmt: skip
    import_seats(path)
    again = import_seats(path)

    assert "No changes" in again
    assert "Lok Sabha seats" in again and "2" in again  # two unchanged


def test_a_blank_cell_empties_the_field(tmp_path, seats):
    LokSabhaSeat.objects.filter(number=35).update(target_vote_pct=55, last_vote_pct=51)
    import_seats(write_sheet(tmp_path / "seats.csv", [row(35, "लखनऊ", "57", "")], SEAT_COLUMNS))

    assert targets()[35] == (Decimal("57.0"), None)


def test_a_dry_run_reports_and_writes_nothing(tmp_path, seats):
    path = write_sheet(tmp_path / "seats.csv", [row(35, "लखनऊ", "56", "54")], SEAT_COLUMNS)
    output = import_seats(path, "--dry-run")

    assert "Dry run of 1 rows: nothing was written." in output
    assert targets()[35] == (None, None)


def test_a_missing_file_or_a_missing_column_is_a_clear_error(tmp_path, seats):
    with pytest.raises(CommandError, match="There is no file"):
        call_command("import_seats", str(tmp_path / "nowhere.csv"), stdout=StringIO())
    path = write_sheet(tmp_path / "seats.csv", [row(35, "लखनऊ", "56", "54")], ["lok_sabha_no", "target_vote_pct"])
    output, _message = failing_import(path)
    assert "The header row lacks the columns lok_sabha_name, last_vote_pct" in output


def test_with_seats_in_two_states_the_state_column_is_required(tmp_path, seats):
    bihar = StateFactory(code="BR", name="बिहार")
    LokSabhaSeatFactory(state=bihar, number=35, name="पटना साहिब")
    path = write_sheet(tmp_path / "seats.csv", [row(35, "लखनऊ", "56", "54")], SEAT_COLUMNS)
    output, _message = failing_import(path)
    assert "add a column state with each row's state code" in output

    columns = ["state", *SEAT_COLUMNS]
    path = write_sheet(tmp_path / "seats.csv", [{**row(35, "पटना साहिब", "45", "40"), "state": "br"},
                                                {**row(35, "लखनऊ", "56", "54"), "state": "UP"}], columns)  # fmt: skip
    import_seats(path)
    assert LokSabhaSeat.objects.get(state=bihar).target_vote_pct == Decimal("45.0")
    assert LokSabhaSeat.objects.get(state__code="UP", number=35).target_vote_pct == Decimal("56.0")

    path = write_sheet(tmp_path / "seats.csv", [{**row(35, "लखनऊ", "56", "54"), "state": "XX"}], columns)
    output, _message = failing_import(path)
    assert "row 2, state: “XX” is not a state with seats in the roster" in output


@pytest.mark.parametrize(
    ("cell", "share"),
    [("48", "48.0"), ("48.5", "48.5"), ("48,5", "48.5"), ("48.5%", "48.5"), ("४८.५", "48.5"), ("0", "0.0"),
     ("100", "100.0")],
)  # fmt: skip
def test_percentages_are_read_as_people_write_them(cell, share):
    assert parse_percent(cell)[:2] == (Decimal(share), None)


@pytest.mark.parametrize("cell", ["100.1", "-1", "abc", "48.5.1", "1e2", "NaN"])
def test_what_is_not_a_percentage_is_refused(cell):
    assert parse_percent(cell)[1]


def test_the_admin_lists_and_edits_the_target_and_last_result(admin_client, seats):
    seat = seats[35]
    LokSabhaSeat.objects.filter(pk=seat.pk).update(target_vote_pct=56, last_vote_pct="54.2")
    listing = admin_client.get("/admin/booths/loksabhaseat/").content.decode()
    assert "target vote share (%)" in listing.lower() and "54.2" in listing

    form = {"state": seat.state_id, "number": 35, "name": "लखनऊ", "target_vote_pct": "57.5", "last_vote_pct": ""}
    response = admin_client.post(f"/admin/booths/loksabhaseat/{seat.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert targets()[35] == (Decimal("57.5"), None)
    form["target_vote_pct"] = "101"
    response = admin_client.post(f"/admin/booths/loksabhaseat/{seat.pk}/change/", form)
    assert response.status_code == 200  # refused: a vote share is at most 100


def test_the_demo_gives_every_seat_a_last_result_near_51_and_a_target_above_it():
    call_command("seed_demo", preset="small", stdout=StringIO())
    seats = list(LokSabhaSeat.objects.values_list("target_vote_pct", "last_vote_pct"))

    assert seats and all(last is not None and target > last for target, last in seats)
    assert all(30 <= last <= 70 and target <= 75 for target, last in seats)
