"""The callers file is written set-wise: the same queries for 10 rows as for 30
(a national roll-out's 20,000 take seconds, bench/import_callers.py), with the
people's, accounts' and posts' history kept as writing them one by one did;
and the people-sheet commands show their progress."""

import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from booths.models import Person, Post, User
from booths.progress import TerminalProgress
from booths.roster.callers import callers_import
from tests.booths.sheets import booth_row, caller_row, write_sheet
from tests.factories import DistrictFactory, RegionFactory, StateFactory

pytestmark = pytest.mark.django_db
DISTRICTS = ["लखनऊ महानगर", "उन्नाव", "वाराणसी", "गाज़ीपुर"]


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def roster():
    state = StateFactory()
    awadh, kashi = RegionFactory(state=state, name="अवध"), RegionFactory(state=state, name="काशी")
    for name in DISTRICTS[:2]:
        DistrictFactory(region=awadh, name=name)
    for name in DISTRICTS[2:]:
        DistrictFactory(region=kashi, name=name)
    return state


def people(count: int, first: int, *, changed: bool = False) -> list[dict[str, object]]:
    """`count` people: in-charges of one or two districts, office-bearers of a
    region or the state, leadership. `changed`: every third renamed, every
    fifth with a new number, every fourth in-charge moved to other districts."""
    rows = []
    for n in range(first, first + count):
        name, phone = f"कार्यकर्ता {n}", f"98{n:08d}"
        if changed and n % 3 == 0:
            name += " (नया)"
        if changed and n % 5 == 0:
            phone = f"97{n:08d}"
        kind = n % 4
        if kind in (0, 1):
            districts = DISTRICTS[n % 4] + (f";{DISTRICTS[(n + 1) % 4]}" if kind else "")
            if changed and n % 4 == 0:
                districts = DISTRICTS[(n + 2) % 4]
            rows.append(caller_row(name=name, phone=phone, districts=districts))
        elif kind == 2:
            rows.append(caller_row(name=name, phone=phone, role="state_office_bearer", districts="",
                                   regions="अवध" if n % 8 == 2 else ""))  # fmt: skip
        else:
            rows.append(caller_row(name=name, phone=phone, role="leadership", districts=""))
    return rows


def queries(path) -> tuple[int, str]:
    out = StringIO()
    with CaptureQueriesContext(connection) as captured:
        call_command("import_callers", str(path), stdout=out)
    return len(captured), out.getvalue()


def test_a_callers_file_takes_the_same_queries_for_10_rows_as_for_30(tmp_path, roster):
    small, output = queries(write_sheet(tmp_path / "small.csv", people(10, 1_000)))
    assert "Imported 10 of 10 rows" in output
    large, output = queries(write_sheet(tmp_path / "large.csv", people(30, 5_000)))
    assert "Imported 30 of 30 rows" in output
    assert small == large

    small_changes, output = queries(write_sheet(tmp_path / "small2.csv", people(10, 1_000, changed=True)))
    assert "changed" in output
    large_changes, _output = queries(write_sheet(tmp_path / "large2.csv", people(30, 5_000, changed=True)))
    assert small_changes == large_changes

    unchanged, output = queries(write_sheet(tmp_path / "large3.csv", people(30, 5_000, changed=True)))
    assert "No changes" in output
    assert unchanged < large_changes


def test_written_set_wise_the_file_does_what_row_by_row_did_and_keeps_history(tmp_path, roster):
    call_command("import_callers", str(write_sheet(tmp_path / "a.csv", people(8, 100))), stdout=StringIO())
    assert User.objects.count() == Person.objects.count() == 8
    assert Person.history.filter(history_type="+").count() == 8
    assert User.history.filter(history_type="+").count() == 8
    assert Post.history.filter(history_type="+").count() == Post.objects.count() == 8 + 2  # two in-charges of two
    assert not any(user.has_usable_password() for user in User.objects.all())

    out = StringIO()
    call_command("import_callers", str(write_sheet(tmp_path / "b.csv", people(8, 100, changed=True))), stdout=out)
    # 102 and 105 renamed, 105 renumbered too; 104 moved from its district to another.
    renamed = Person.objects.get(name="कार्यकर्ता 102 (नया)")
    assert Person.history.filter(id=renamed.pk, history_type="~", name="कार्यकर्ता 102 (नया)").exists()
    # A new number is a new account (sign-in links go to the number); the old one is left as it was.
    renumbered = User.objects.select_related("person").get(username="+919700000105")
    assert renumbered.person.name == "कार्यकर्ता 105 (नया)"
    assert User.objects.get(username="+919800000105").person.name == "कार्यकर्ता 105"
    moved = Person.objects.get(name="कार्यकर्ता 104")
    posts = list(Post.objects.filter(person=moved).order_by("pk").values_list("district__name", "end_date"))
    assert posts == [("लखनऊ महानगर", timezone.localdate()), ("वाराणसी", None)]
    ended = Post.objects.get(person=moved, end_date__isnull=False)
    assert Post.history.filter(id=ended.pk, history_type="~", end_date=timezone.localdate()).exists()


def test_a_role_changed_and_a_president_replaced_in_one_set(tmp_path, roster):
    first = [
        caller_row(name="अध्यक्ष एक", phone="9810000001", role="district_president", districts="उन्नाव"),
        caller_row(name="प्रभारी दो", phone="9810000002", districts="उन्नाव;वाराणसी"),
    ]
    call_command("import_callers", str(write_sheet(tmp_path / "a.csv", first)), stdout=StringIO())
    second = [
        caller_row(name="प्रभारी दो", phone="9810000002", role="district_president", districts="उन्नाव"),
    ]
    out = StringIO()
    call_command("import_callers", str(write_sheet(tmp_path / "b.csv", second)), stdout=out)
    assert "Replaces अध्यक्ष एक as president" in out.getvalue()
    current = Post.objects.current().order_by("pk").values_list("person__name", "role", "district__name")
    assert list(current) == [("प्रभारी दो", "district_president", "उन्नाव")]
    # One president post ended (the one before), two in-charge posts ended (the role changed).
    assert "caller posts               1         0          0       3" in out.getvalue()


def test_an_import_shows_lines_of_progress_in_a_log_and_a_bar_on_a_terminal(tmp_path, roster):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    path = write_sheet(tmp_path / "a.csv", people(30, 200))
    log = io.StringIO()
    callers_import(source=path, progress=TerminalProgress(log, interval=0))
    lines = log.getvalue().splitlines()
    assert "checking the rows: 0 / 30 rows, 0 %" in lines, lines
    assert any(line.startswith("writing to the roster: 10 / 30 rows, 33 %") for line in lines), lines
    assert "\r" not in log.getvalue()  # a log gets lines, not a bar

    terminal = Terminal()
    bar = TerminalProgress(terminal)
    bar("checking", 0, 200)
    bar("checking", 200, 200)
    bar.close()
    drawn = terminal.getvalue()
    assert "checking the rows" in drawn and "200/200" in drawn and "rows/s" in drawn and "\r" in drawn


@pytest.mark.parametrize(("command", "header"), [("export_callers", "name,phone,role"), ("export_roster", "region,")])
def test_an_export_to_standard_output_keeps_its_progress_on_standard_error(tmp_path, roster, monkeypatch, command,
                                                                           header):  # fmt: skip
    call_command("import_callers", str(write_sheet(tmp_path / "a.csv", people(12, 300))), stdout=StringIO())
    call_command("import_roster", str(write_sheet(tmp_path / "r.csv", [booth_row(1), booth_row(2)])), stdout=StringIO())
    monkeypatch.setattr("booths.progress.LINE_INTERVAL", 0)
    out, err = StringIO(), StringIO()
    call_command(command, stdout=out, stderr=err)
    assert out.getvalue().lstrip("\ufeff").startswith(header)
    assert "writing the sheet" not in out.getvalue()
    assert "writing the sheet: 0 / " in err.getvalue()

    target = tmp_path / "out.csv"
    out, err = StringIO(), StringIO()
    call_command(command, "--output", str(target), stdout=out, stderr=err)
    assert "writing the sheet: 0 / " in out.getvalue() and err.getvalue() == ""
    assert target.read_text(encoding="utf-8-sig").startswith(header)


def test_seed_demo_shows_the_booths_created_so_far(monkeypatch):
    monkeypatch.setattr("booths.progress.LINE_INTERVAL", 0)
    out = StringIO()
    call_command("seed_demo", "--preset", "small", stdout=out)
    lines = out.getvalue().splitlines()
    progress = [line for line in lines if line.startswith("creating the demo organisation:")]
    assert progress[0].startswith("creating the demo organisation: 0 / ")
    assert len(progress) > 3, lines
    assert any("Demo organisation 'small'" in line for line in lines)
