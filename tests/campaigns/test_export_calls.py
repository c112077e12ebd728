"""`export_calls`: one CSV row per assignment, in the columns scripts rely on."""

import csv
import datetime
import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from campaigns.models import CallAssignment
from campaigns.selectors import EXPORT_COLUMNS
from campaigns.services import assignment_record_outcome, assignments_create_for_day

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 28)
HEADER = (
    "date,caller_name,caller_phone,caller_role,region,district,mandal,assembly_no,booth_no,"
    "president_name,president_phone,status,outcome,logged_at,wellbeing,standing,needs,notes,follow_up"
)


@pytest.fixture
def two_days(db):
    call_command("seed_demo", "--preset", "small", stdout=StringIO())
    assignments_create_for_day(day=DAY, source="test")
    assignments_create_for_day(day=DAY + datetime.timedelta(days=1), source="test")
    logged = CallAssignment.objects.filter(day=DAY).order_by("pk").first()
    assignment_record_outcome(
        assignment=logged,
        outcome="reached",
        logged_at=datetime.datetime(2026, 11, 28, 5, 30, tzinfo=datetime.UTC),
    )
    return logged


def export(*args: str) -> str:
    out = StringIO()
    call_command("export_calls", *args, stdout=out)
    return out.getvalue()


def test_export_writes_one_row_per_assignment_with_the_agreed_columns(two_days, tmp_path):
    target = tmp_path / "calls.csv"
    message = export("--from", "2026-11-28", "--to", "2026-11-29", "--output", str(target))

    raw = target.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")
    assert text.splitlines()[0] == HEADER
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == CallAssignment.objects.count() == 64
    assert "64 assignments" in message
    assert list(rows[0]) == EXPORT_COLUMNS
    for row in rows:
        assert row["date"] in ("2026-11-28", "2026-11-29")
        assert row["caller_phone"].startswith("+91") and len(row["caller_phone"]) == 13
        assert row["president_phone"].startswith("+91") and len(row["president_phone"]) == 13
        assert row["caller_role"] in ("district_incharge", "state_office_bearer")
        assert row["status"] in ("assigned", "logged", "missed")
        assert row["region"] and row["district"] and row["mandal"]
        assert row["assembly_no"].isdigit() and row["booth_no"].isdigit()

    (logged,) = [row for row in rows if row["status"] == "logged"]
    assert logged["outcome"] == "reached"
    assert logged["logged_at"] == "2026-11-28T11:00:00+05:30"
    assert logged["president_name"] == two_days.president.name
    assert all(row["outcome"] == "" and row["logged_at"] == "" for row in rows if row["status"] != "logged")


def test_export_to_standard_output_and_only_the_range_asked_for(two_days):
    rows = list(csv.reader(io.StringIO(export("--from", "2026-11-29", "--to", "2026-11-29"))))
    assert ",".join(rows[0]) == HEADER
    assert {row[0] for row in rows[1:]} == {"2026-11-29"}
    assert len(rows) == 33


def test_export_of_an_empty_range_is_just_the_header(db):
    assert export("--from", "2020-01-01", "--to", "2020-01-31").strip() == HEADER


def test_export_with_a_byte_order_mark_for_excel(two_days, tmp_path):
    target = tmp_path / "calls.csv"
    export("--from", "2026-11-28", "--to", "2026-11-28", "--output", str(target), "--bom")
    assert target.read_bytes().startswith(b"\xef\xbb\xbfdate,caller_name")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--from", "2026-11-29", "--to", "2026-11-28"], "is after --to"),
        (["--from", "28/11/2026", "--to", "2026-11-28"], "YYYY-MM-DD"),
        (["--from", "2026-11-28", "--to", "2026-11-28", "--output", "/nonexistent/dir/calls.csv"], "Cannot write"),
    ],
)
def test_export_refuses_bad_arguments_clearly(db, args, says):
    with pytest.raises(CommandError, match=says):
        export(*args)


def test_export_requires_both_dates(db):
    with pytest.raises(CommandError, match="--to"):
        export("--from", "2026-11-28")


def test_a_note_that_looks_like_a_formula_is_written_inert(two_days):
    from campaigns.models import CallLog

    CallLog.objects.update_or_create(assignment=two_days, defaults={"notes": "=1+2+cmd|' /C calc'!A0"})
    rows = list(csv.DictReader(io.StringIO(export("--from", "2026-11-28", "--to", "2026-11-28"))))
    logged = next(row for row in rows if row["status"] == "logged")
    assert logged["notes"] == "'=1+2+cmd|' /C calc'!A0"
    assert logged["president_phone"].startswith("+91")  # a number stays a number
