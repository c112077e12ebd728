"""Importing roster and callers files through `import_roster` / `import_callers`,
with real CSV and XLSX files, damaged the way spreadsheets get damaged."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from booths.models import Booth, District, Mandal, Person, Post, State, User
from tests.booths.sheets import booth_row, caller_row, read_sheet, write_sheet
from tests.support import requires_postgres

pytestmark = pytest.mark.django_db
FORMATS = ["csv", "xlsx"]


def import_roster(path, *args: str) -> str:
    out = StringIO()
    call_command("import_roster", str(path), *args, stdout=out)
    return out.getvalue()


def failing_import(path, *args: str) -> str:
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_roster", str(path), *args, stdout=out)
    return out.getvalue()


def roster_state() -> list[tuple]:
    """Everything an import can change, to prove an import changed nothing."""
    return [
        *Booth.objects.order_by("pk").values_list("pk", "name", "mandal_id", "shakti_kendra_id", "is_active"),
        *Post.objects.order_by("pk").values_list("pk", "person_id", "booth_id", "start_date", "end_date"),
        *Person.objects.order_by("pk").values_list("pk", "name", "mobile", "alternate_mobile"),
        *Mandal.objects.order_by("pk").values_list("pk", "name", "district_id"),
    ]


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_new_roster_builds_the_map_and_its_presidents(tmp_path, fmt):
    path = write_sheet(tmp_path / f"roster.{fmt}", [booth_row(1), booth_row(2, mandal="अमीनाबाद", shakti_kendra=""),
                                                     booth_row(3, president_name="", president_phone="")])  # fmt: skip
    output = import_roster(path)

    assert "Imported 3 of 3 rows." in output
    assert State.objects.get().code == "UP"
    district = District.objects.get()
    assert (district.name, district.region.name) == ("लखनऊ महानगर", "अवध")
    assert set(Mandal.objects.values_list("name", flat=True)) == {"चौक", "अमीनाबाद"}
    booth = Booth.objects.get(assembly_seat__number=171, number=1)
    assert (booth.assembly_seat.lok_sabha_seat.number, booth.shakti_kendra.name) == (35, "नखास")
    assert Booth.objects.get(number=2).shakti_kendra is None
    president = Post.objects.get(booth=booth).person
    assert (president.name, president.mobile.as_e164) == ("राम प्रसाद 1", "+919800000001")
    assert Booth.objects.vacant().get().number == 3


@pytest.mark.parametrize("fmt", FORMATS)
def test_spreadsheet_noise_is_cleaned_up(tmp_path, fmt):
    rows = [
        booth_row(1, district="  लखनऊ महानगर ", president_name=" राम प्रसाद 1  ", president_phone="'9800000001"),
        booth_row(2, president_phone=9800000002.0 if fmt == "xlsx" else "9800000002.0"),
        booth_row(3, president_phone="+91 98000-00003", president_alt_phone="098000 00013"),
        booth_row(4, booth_no="4.0" if fmt == "csv" else 4.0, president_phone="0091 9800000004"),
    ]
    import_roster(write_sheet(tmp_path / f"roster.{fmt}", rows))
    assert District.objects.get().name == "लखनऊ महानगर"
    people = dict(Person.objects.values_list("name", "mobile"))
    assert {name: str(mobile) for name, mobile in people.items()} == {
        "राम प्रसाद 1": "+919800000001",
        "राम प्रसाद 2": "+919800000002",
        "राम प्रसाद 3": "+919800000003",
        "राम प्रसाद 4": "+919800000004",
    }
    assert str(Person.objects.get(name="राम प्रसाद 3").alternate_mobile) == "+919800000013"


def test_names_are_matched_after_unicode_normalisation(tmp_path):
    import_roster(write_sheet(tmp_path / "a.csv", [booth_row(1, mandal="क़स्बा")]))  # precomposed क़ (U+0958)
    import_roster(write_sheet(tmp_path / "b.csv", [booth_row(2, mandal="क\u093cस्बा")]))  # क + nukta
    assert Mandal.objects.count() == 1


DAMAGE = [
    ({"president_phone": "9.87654E+09"}, "president_phone", "scientific notation"),
    ({"president_phone": "0522 2234567"}, "president_phone", "landline"),
    ({"president_phone": "987654321"}, "president_phone", "has 9 digits"),
    ({"president_phone": "98765432101"}, "president_phone", "has 11 digits"),
    ({"president_phone": "9876543210 / 9123456789"}, "president_phone", "more than one number"),
    ({"president_alt_phone": "12345"}, "president_alt_phone", "has 5 digits"),
    ({"booth_no": "12A"}, "booth_no", "is not a number"),
    ({"assembly_no": ""}, "assembly_no", "This cell is empty"),
    ({"president_name": "", "president_phone": "9876543210"}, "president_name", "no name"),
    ({"state": "Atlantis"}, "state", "not a state we know"),
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("damage", "column", "says"), DAMAGE)
def test_a_damaged_cell_is_refused_with_its_row_column_and_reason_and_nothing_is_written(
    tmp_path, fmt, damage, column, says
):
    columns = None
    if "state" in damage:
        from booths.roster.importer import ROSTER_COLUMNS

        columns = [*ROSTER_COLUMNS, "state"]
    rows = [booth_row(1), booth_row(2, **damage), booth_row(3)]
    output = failing_import(write_sheet(tmp_path / f"roster.{fmt}", rows, columns))
    assert "Nothing was imported: 1 of 3 rows have errors." in output
    line = next(line for line in output.splitlines() if line.strip().startswith("row 3,"))
    assert f"row 3, {column}:" in line
    assert says in line
    assert not Booth.objects.exists() and not Person.objects.exists() and not District.objects.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_booth_twice_in_one_file_is_refused(tmp_path, fmt):
    output = failing_import(write_sheet(tmp_path / f"roster.{fmt}", [booth_row(1), booth_row(2), booth_row(1)]))
    assert "row 4, booth_no: Booth 171/1 is already in row 2 of this file." in output
    assert not Booth.objects.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_mandal_under_two_districts_is_refused(tmp_path, fmt):
    rows = [booth_row(1), booth_row(2, district="लखनऊ ग्रामीण")]
    output = failing_import(write_sheet(tmp_path / f"roster.{fmt}", rows))
    assert "row 3, mandal: Mandal चौक is under district लखनऊ महानगर in row 2" in output
    assert not Mandal.objects.exists()


def test_a_seat_with_two_names_is_refused(tmp_path):
    output = failing_import(write_sheet(tmp_path / "r.csv", [booth_row(1), booth_row(2, assembly_name="लखनऊ मध्य")]))
    assert "row 3, assembly_name: Seat 171 is called लखनऊ पश्चिम in row 2." in output


def test_a_district_already_in_another_region_is_refused(tmp_path):
    import_roster(write_sheet(tmp_path / "a.csv", [booth_row(1)]))
    before = roster_state()
    output = failing_import(write_sheet(tmp_path / "b.csv", [booth_row(2, region="काशी", mandal="नया")]))
    assert "District लखनऊ महानगर is in region अवध in the roster" in output
    assert roster_state() == before


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_phone_on_many_booths_is_allowed_with_a_warning(tmp_path, fmt):
    rows = [booth_row(1, president_phone="9811111111"), booth_row(2, president_phone="9811111111"), booth_row(3)]
    output = import_roster(write_sheet(tmp_path / f"roster.{fmt}", rows))
    assert "Imported 3 of 3 rows." in output
    assert "row 2, president_phone: The same number is also given in row(s) 3." in output
    assert Person.objects.filter(mobile="+919811111111").count() == 2


def test_missing_columns_are_named(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("region,district,booth_no\nअवध,लखनऊ,1\n", encoding="utf-8")
    output = failing_import(path)
    assert "The header row lacks the columns mandal, lok_sabha_no" in output


def test_a_csv_that_is_not_utf8_is_refused_clearly(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(",".join(booth_row(1)).encode() + b"\n" + "अवध".encode("utf-16"))
    assert "CSV UTF-8" in failing_import(path)


def test_an_old_excel_file_is_refused_clearly(tmp_path):
    path = tmp_path / "roster.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0 old excel")
    assert "old Excel file (.xls)" in failing_import(path)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="There is no file"):
        call_command("import_roster", str(tmp_path / "nope.csv"), stdout=StringIO())


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_new_president_ends_the_old_post_and_keeps_history(tmp_path, fmt):
    import_roster(write_sheet(tmp_path / f"a.{fmt}", [booth_row(1), booth_row(2)]))
    old = Post.objects.get(booth__number=1)
    changed = [booth_row(1, president_name="सीता देवी", president_phone="9812300000"), booth_row(2)]
    output = import_roster(write_sheet(tmp_path / f"b.{fmt}", changed))

    assert "Imported 2 of 2 rows." in output
    assert "presidents                 1         0          1       1" in output
    posts = list(Post.objects.filter(booth__number=1).order_by("pk"))
    assert [(post.person.name, post.end_date) for post in posts] == [
        ("राम प्रसाद 1", timezone.localdate()),
        ("सीता देवी", None),
    ]
    assert posts[1].start_date == timezone.localdate()
    assert Person.objects.filter(pk=old.person_id).exists()  # the former president stays in the roster


def test_a_vacated_booth_ends_its_presidents_post(tmp_path):
    import_roster(write_sheet(tmp_path / "a.csv", [booth_row(1), booth_row(2)]))
    output = import_roster(write_sheet(tmp_path / "b.csv", [booth_row(1, president_name="", president_phone=""),
                                                             booth_row(2)]))  # fmt: skip
    assert "presidents                 0         0          1       1" in output
    assert Booth.objects.vacant().get().number == 1


def test_the_same_president_with_a_new_number_is_a_change_not_a_new_post(tmp_path):
    import_roster(write_sheet(tmp_path / "a.csv", [booth_row(1)]))
    post = Post.objects.get()
    output = import_roster(write_sheet(tmp_path / "b.csv", [booth_row(1, president_phone="9899999999")]))
    assert "presidents                 0         1          0       0" in output
    assert list(Post.objects.values_list("pk", flat=True)) == [post.pk]
    assert str(Person.objects.get().mobile) == "+919899999999"


@pytest.mark.parametrize("fmt", FORMATS)
def test_importing_an_unchanged_file_changes_nothing_and_says_so(tmp_path, fmt):
    path = write_sheet(tmp_path / f"roster.{fmt}", [booth_row(n) for n in range(1, 6)])
    import_roster(path)
    before = roster_state()
    output = import_roster(path)
    assert "No changes: the roster already matches all 5 rows of this file." in output
    assert roster_state() == before


def test_a_dry_run_reports_what_an_import_would_do_and_writes_nothing(tmp_path):
    path = write_sheet(tmp_path / "roster.csv", [booth_row(n) for n in range(1, 4)])
    output = import_roster(path, "--dry-run")
    assert "Dry run of 3 rows: nothing was written." in output
    assert "booths                     3         0          0       0" in output
    assert not Booth.objects.exists() and not State.objects.exists()


def test_skip_invalid_imports_the_good_rows_and_returns_the_bad_ones_to_fix(tmp_path):
    rows = [booth_row(1), booth_row(2, president_phone="9.87654E+09"), booth_row(3), booth_row(4, booth_no="x")]
    path = write_sheet(tmp_path / "roster.csv", rows)
    output = import_roster(path, "--skip-invalid")
    assert "Imported 2 of 4 rows." in output
    assert sorted(Booth.objects.values_list("number", flat=True)) == [1, 3]
    error_file = tmp_path / "roster.errors.csv"
    assert f"The rows with errors are in {error_file}" in output
    bad = read_sheet(error_file)
    assert [row["booth_no"] for row in bad] == ["2", "x"]
    assert "scientific notation" in bad[0]["errors"]

    bad[0]["president_phone"], bad[1]["booth_no"] = "9800000002", "4"  # fixed in the sheet
    import_roster(write_sheet(tmp_path / "fixed.csv", bad))
    assert sorted(Booth.objects.values_list("number", flat=True)) == [1, 2, 3, 4]


def test_a_state_column_lets_one_installation_hold_several_states(tmp_path):
    from booths.roster.importer import ROSTER_COLUMNS

    rows = [booth_row(1, state="UP"), booth_row(1, state="बिहार", region="मगध", district="पटना", mandal="पटना सिटी")]
    import_roster(write_sheet(tmp_path / "roster.csv", rows, [*ROSTER_COLUMNS, "state"]))
    assert set(State.objects.values_list("code", flat=True)) == {"UP", "BR"}
    assert Booth.objects.filter(number=1).count() == 2


def import_callers(path, *args: str) -> str:
    out = StringIO()
    call_command("import_callers", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def roster(tmp_path):
    rows = [booth_row(1), booth_row(2, region="काशी", district="वाराणसी", mandal="भेलूपुर")]
    import_roster(write_sheet(tmp_path / "roster.csv", rows))


@pytest.mark.parametrize("fmt", FORMATS)
def test_callers_are_created_with_their_posts_and_accounts(tmp_path, roster, fmt):
    rows = [
        caller_row(),
        caller_row(name="गीता शर्मा", phone="9822233344", role="state_office_bearer", districts="", regions="काशी",
                   email="geeta@example.org"),
        caller_row(name="अजय सिंह", phone="9833344455", role="state_office_bearer", districts="", regions=""),
    ]  # fmt: skip
    output = import_callers(write_sheet(tmp_path / f"callers.{fmt}", rows))
    assert "Imported 3 of 3 rows." in output
    from booths.selectors import caller_scopes

    incharge = User.objects.get(username="+919811122233")
    assert incharge.person.name == "सुरेश चंद्र"
    assert not incharge.has_usable_password()
    scopes = caller_scopes()
    lucknow, varanasi = District.objects.get(name="लखनऊ महानगर"), District.objects.get(name="वाराणसी")
    assert scopes[incharge.person_id] == {lucknow.pk}
    assert scopes[User.objects.get(username="+919822233344").person_id] == {varanasi.pk}
    assert scopes[User.objects.get(username="+919833344455").person_id] == {lucknow.pk, varanasi.pk}
    assert User.objects.get(username="+919822233344").email == "geeta@example.org"


def test_a_callers_file_moves_posts_and_keeps_history(tmp_path, roster):
    import_callers(write_sheet(tmp_path / "a.csv", [caller_row()]))
    output = import_callers(write_sheet(tmp_path / "b.csv", [caller_row(districts="वाराणसी")]))
    assert "caller posts               1         0          0       1" in output
    posts = Post.objects.filter(role=Post.Role.DISTRICT_INCHARGE).order_by("pk")
    assert [(p.district.name, p.end_date) for p in posts] == [
        ("लखनऊ महानगर", timezone.localdate()),
        ("वाराणसी", None),
    ]
    assert "No changes" in import_callers(write_sheet(tmp_path / "c.csv", [caller_row(districts="वाराणसी")]))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("damage", "column", "says"),
    [
        ({"role": "booth_president"}, "role", "is not a caller role"),
        ({"districts": "गोरखपुर"}, "districts", "There is no district “गोरखपुर”"),
        ({"districts": ""}, "districts", "needs their districts"),
        ({"role": "state_office_bearer", "regions": "पश्चिम"}, "regions", "There is no region “पश्चिम”"),
        ({"phone": "0522 2234567"}, "phone", "landline"),
        ({"email": "not-an-email"}, "email", "is not an email address"),
        ({"name": ""}, "name", "every caller needs a name"),
    ],
)
def test_a_bad_callers_row_is_refused_and_nothing_is_written(tmp_path, roster, fmt, damage, column, says):
    out = StringIO()
    path = write_sheet(tmp_path / f"callers.{fmt}", [caller_row(phone="9844455566"), caller_row(**damage)])
    with pytest.raises(CommandError):
        call_command("import_callers", str(path), stdout=out)
    line = next(line for line in out.getvalue().splitlines() if line.strip().startswith("row 3,"))
    assert f"row 3, {column}:" in line and says in line
    assert not User.objects.exists()


def test_the_same_phone_twice_in_a_callers_file_is_refused(tmp_path, roster):
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_callers", str(write_sheet(tmp_path / "c.csv", [caller_row(), caller_row()])), stdout=out)
    assert "row 3, phone: This number is already in row 2 of this file." in out.getvalue()


@requires_postgres
def test_a_ten_thousand_row_file_imports_in_one_go(tmp_path):
    rows = [
        booth_row(n, assembly_no=100 + n // 500, assembly_name=f"विधानसभा {100 + n // 500}", lok_sabha_no=1 + n // 2500,
                  lok_sabha_name=f"लोकसभा {1 + n // 2500}", mandal=f"मंडल {n // 100}", president_phone=f"9{n:09d}")
        for n in range(1, 10_001)
    ]  # fmt: skip
    output = import_roster(write_sheet(tmp_path / "big.csv", rows))
    assert "Imported 10000 of 10000 rows." in output
    assert Booth.objects.count() == 10_000
    assert Post.objects.current().count() == 10_000
    assert "No changes" in import_roster(tmp_path / "big.csv")


def test_the_summary_and_the_reasons_speak_hindi_by_default(tmp_path, settings):
    settings.LANGUAGE_CODE = "hi"
    output = failing_import(write_sheet(tmp_path / "r.csv", [booth_row(1, president_phone="9.87654E+09")]))
    assert "कुछ आयात नहीं हुआ: 1 में से 1 पंक्तियों में त्रुटियाँ हैं।" in output
    assert "पंक्ति 2, president_phone:" in output
    assert "वैज्ञानिक संकेतन" in output


def test_the_summary_table_speaks_hindi_too(tmp_path, settings):
    settings.LANGUAGE_CODE = "hi"
    output = import_roster(write_sheet(tmp_path / "r.csv", [booth_row(1), booth_row(2)]))
    table = output.splitlines()
    assert "बनाया गया" in table[1] and "अपरिवर्तित" in table[1]
    assert any(line.split()[0] == "बूथ" and line.split()[1] == "2" for line in table[2:])
    assert any(line.split()[0] == "अध्यक्ष" for line in table[2:])
    assert "presidents" not in output and "created" not in output


def test_names_from_legacy_hindi_fonts_with_the_i_sign_first_are_mended(tmp_path):
    # Converted from Kruti Dev-like fonts, ि comes before its consonant at a word's start.
    rows = [booth_row(1, president_name="िनशा देवी", mandal="िकशनगंज"), booth_row(2, mandal="किशनगंज")]
    assert "Imported 2 of 2 rows." in import_roster(write_sheet(tmp_path / "r.csv", rows))
    assert Person.objects.filter(name="निशा देवी").exists()
    assert list(Mandal.objects.values_list("name", flat=True)) == ["किशनगंज"]  # one mandal, not two
    again = [booth_row(1, president_name="निशा देवी", mandal="किशनगंज"), booth_row(2, mandal="किशनगंज")]
    assert "No changes" in import_roster(write_sheet(tmp_path / "again.csv", again))


def test_header_spelling_and_spacing_inside_names_do_not_matter(tmp_path):
    path = tmp_path / "roster.csv"
    header = "Region,District,Mandal,Shakti Kendra,Lok Sabha No.,Lok Sabha Name,Assembly No.,Assembly Name,Booth No.,"
    header += "Booth Name,President Name,President Phone,President-Alt-Phone"
    path.write_text(
        header + "\nअवध,लखनऊ  महानगर,चौक,,35,लखनऊ,171,लखनऊ पश्चिम,1,विद्यालय,राम   प्रसाद,9800000001,\n",
        encoding="utf-8",
    )
    assert "Imported 1 of 1 rows." in import_roster(path)
    assert District.objects.get().name == "लखनऊ महानगर"
    Person.objects.update(name="राम  प्रसाद")  # two spaces, as typed in the admin
    assert "No changes" in import_roster(path)
