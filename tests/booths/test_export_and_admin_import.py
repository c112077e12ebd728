"""Exporting in the import format, importing in the admin (upload, preview,
confirm), and the roster-health page."""

import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from booths.models import Booth, District, Person, Post, RosterUpload
from booths.roster.importer import ROSTER_COLUMNS
from campaigns.models import CallAssignment
from tests.booths.sheets import read_sheet, write_sheet
from tests.booths.test_import import import_roster, roster_state
from tests.campaigns.helpers import caller_with_calls

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"  # the commands speak the installation's language


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--preset", "small", stdout=StringIO())


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(demo, tmp_path, fmt):
    target = tmp_path / f"roster.{fmt}"
    out = StringIO()
    call_command("export_roster", "--output", str(target), stdout=out)
    assert "360 booths written" in out.getvalue()
    rows = read_sheet(target)
    assert list(rows[0]) == ROSTER_COLUMNS
    assert len(rows) == 360
    before = roster_state()
    assert "No changes" in import_roster(target)
    assert roster_state() == before


def test_export_of_one_district_to_standard_output(demo):
    district = District.objects.order_by("pk").first()
    out = StringIO()
    call_command("export_roster", "--district", f" {district.name} ", stdout=out)
    lines = out.getvalue().lstrip("\ufeff").splitlines()
    assert lines[0] == ",".join(ROSTER_COLUMNS)
    assert len(lines) - 1 == Booth.objects.filter(mandal__district=district).count()
    assert all(f",{district.name}," in line for line in lines[1:])


class _ClosedPipe(StringIO):
    """Standard output whose reader went away after a line (`| head -1`)."""

    def write(self, text: str) -> int:
        if self.tell() > 0:
            raise BrokenPipeError(32, "Broken pipe")
        return super().write(text)


@pytest.mark.parametrize(("command", "args"), [("export_roster", []), ("export_callers", [])])
def test_an_export_whose_reader_stops_ends_quietly_not_with_cannot_write_none(demo, command, args):
    # manage.py turns the BrokenPipeError into a quiet exit (as `head` expects);
    # the command must not dress it up as "Cannot write None: Broken pipe."
    with pytest.raises(BrokenPipeError):
        call_command(command, *args, stdout=_ClosedPipe(), stderr=StringIO())


def test_export_writes_phones_as_ten_digits_excel_keeps(demo, tmp_path):
    call_command("export_roster", "--output", str(tmp_path / "r.csv"), stdout=StringIO())
    phones = [row["president_phone"] for row in read_sheet(tmp_path / "r.csv") if row["president_phone"]]
    assert all(len(phone) == 10 and phone.isdigit() for phone in phones)


def test_export_of_an_unknown_district_is_refused(demo):
    with pytest.raises(CommandError, match="There is no district “कहीं नहीं”"):
        call_command("export_roster", "--district", "कहीं नहीं", stdout=StringIO())


def test_callers_export_then_import_changes_nothing(demo, tmp_path):
    target = tmp_path / "callers.csv"
    call_command("export_callers", "--output", str(target), stdout=StringIO())
    rows = read_sheet(target)
    assert len(rows) == 16
    assert {row["role"] for row in rows} == {"district_incharge", "state_office_bearer"}
    before = list(
        Post.objects.current().callers().order_by("pk").values_list("pk", "person_id", "district_id", "region_id")
    )
    out = StringIO()
    call_command("import_callers", str(target), stdout=out)
    assert "No changes" in out.getvalue()
    after = list(
        Post.objects.current().callers().order_by("pk").values_list("pk", "person_id", "district_id", "region_id")
    )
    assert after == before


def test_admin_export_action_downloads_the_selected_booths(admin_client, demo):
    district = District.objects.order_by("pk").first()
    selected = list(Booth.objects.filter(mandal__district=district).values_list("pk", flat=True))
    response = admin_client.post("/admin/booths/booth/", {"action": "export_booths_xlsx", "_selected_action": selected})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="roster.xlsx"'
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == ROSTER_COLUMNS
    assert len(rows) - 1 == len(selected)


def _upload(client, path, *, kind="roster", skip_invalid=False):
    with path.open("rb") as file:
        data = {"file": file}
        if skip_invalid:
            data["skip_invalid"] = "on"
        return client.post(f"/admin/booths/rosterupload/new/{kind}/", data)


def test_a_new_user_corrects_the_demo_roster_in_a_spreadsheet(admin_client, demo, tmp_path):
    """Export from the admin, change a president and break a number in the sheet,
    upload: the error is clear and nothing changes; fix it, upload, confirm: the
    booth shows its president's history."""
    booth = Booth.objects.filter(posts__end_date__isnull=True).order_by("assembly_seat__number", "number").first()
    response = admin_client.post("/admin/booths/booth/", {"action": "export_booths_xlsx",
                                                          "_selected_action": [booth.pk]})  # fmt: skip
    sheet = tmp_path / "district.xlsx"
    sheet.write_bytes(response.content)
    workbook = load_workbook(sheet)
    cells = workbook.active
    header = [cell.value for cell in cells[1]]
    cells.cell(row=2, column=header.index("president_name") + 1, value="कमला देवी")
    cells.cell(row=2, column=header.index("president_phone") + 1, value="9.87654E+09")
    workbook.save(sheet)

    before = roster_state()
    preview = _upload(admin_client, sheet).content.decode()
    assert "Nothing was imported: 1 of 1 rows have errors." in preview
    assert "president_phone" in preview and "scientific notation" in preview
    assert "Import now" not in preview
    assert roster_state() == before

    cells.cell(row=2, column=header.index("president_phone") + 1, value="9876512345")
    workbook.save(sheet)
    preview = _upload(admin_client, sheet).content.decode()
    assert "Dry run of 1 rows: nothing was written." in preview
    assert roster_state() == before
    upload = RosterUpload.objects.latest("pk")
    result = admin_client.post(f"/admin/booths/rosterupload/{upload.pk}/confirm/")
    assert result.status_code == 200
    assert "Imported 1 of 1 rows." in result.content.decode()

    posts = list(Post.objects.filter(booth=booth, role=Post.Role.BOOTH_PRESIDENT).order_by("pk"))
    assert posts[-1].person.name == "कमला देवी" and posts[-1].end_date is None
    assert posts[-2].end_date == timezone.localdate()
    page = admin_client.get(f"/admin/booths/booth/{booth.pk}/change/").content.decode()
    assert "कमला देवी" in page and posts[-2].person.name in page
    upload.refresh_from_db()
    assert upload.imported_at is not None and "Imported 1 of 1 rows." in upload.summary


def test_admin_import_with_bad_rows_set_aside(admin_client, demo, tmp_path):
    from tests.booths.sheets import booth_row

    sheet = write_sheet(tmp_path / "r.csv", [booth_row(1), booth_row(2, president_phone="12345")])
    preview = _upload(admin_client, sheet, skip_invalid=True).content.decode()
    assert "Import now" in preview and "The rows with errors will be left out." in preview
    upload = RosterUpload.objects.latest("pk")
    admin_client.post(f"/admin/booths/rosterupload/{upload.pk}/confirm/")
    assert Booth.objects.filter(assembly_seat__number=171).count() == 1
    errors = admin_client.get(f"/admin/booths/rosterupload/{upload.pk}/errors/")
    assert errors["Content-Disposition"] == 'attachment; filename="r.errors.csv"'
    assert "has 5 digits" in errors.content.decode("utf-8-sig")


def test_admin_refuses_a_file_that_is_not_a_spreadsheet(admin_client, db, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    response = _upload(admin_client, path)
    assert "Upload a .xlsx or .csv file." in response.content.decode()
    assert not RosterUpload.objects.exists()


def test_admin_callers_import(admin_client, demo, tmp_path):
    from tests.booths.sheets import caller_row

    district = District.objects.order_by("pk").first()
    sheet = write_sheet(tmp_path / "callers.csv", [caller_row(districts=district.name)])
    assert "Dry run of 1 rows" in _upload(admin_client, sheet, kind="callers").content.decode()
    upload = RosterUpload.objects.latest("pk")
    admin_client.post(f"/admin/booths/rosterupload/{upload.pk}/confirm/")
    assert Person.objects.get(mobile="+919811122233").user.username == "+919811122233"


def test_the_roster_health_page_counts_problems_by_district_with_links(admin_client, db, django_assert_max_num_queries):
    user, calls = caller_with_calls(booths=4)
    call = calls[0]
    district = call.post.booth.mandal.district
    Post.objects.filter(booth=calls[1].post.booth).update(end_date=timezone.localdate())  # now vacant
    other_booth_post = (
        Post.objects.current()
        .filter(booth__mandal__district=district)
        .exclude(pk__in=[c.post_id for c in calls])
        .first()
    )
    Person.objects.filter(pk=other_booth_post.person_id).update(mobile=str(call.president.mobile))  # shared
    client = admin_client
    from django.test import Client

    caller = Client()
    caller.force_login(user)
    caller.post(f"/calls/{call.pk}/", {"outcome": "wrong_number"})
    assert CallAssignment.objects.get(pk=call.pk).outcome == "wrong_number"

    with django_assert_max_num_queries(14):
        page = client.get("/admin/roster-health/")
    assert page.status_code == 200
    row = next(r for r in page.context["rows"] if r.district == district)
    assert row.figures == {"booths": 4, "vacant": 1, "no_mobile": 0, "shared": 2, "unreachable": 0,
                           "wrong_number": 1, "not_president": 0}  # fmt: skip
    content = page.content.decode()
    assert f"/admin/booths/booth/?district={district.pk}&amp;vacant=yes" in content
    for link in (
        f"/admin/booths/booth/?district={district.pk}&vacant=yes",
        f"/admin/booths/person/?district={district.pk}&role=booth_president&mobile_problem=shared",
        f"/admin/campaigns/rosterreport/?district={district.pk}&kind__exact=wrong_number&open=yes",
    ):
        listed = client.get(link)
        assert listed.status_code == 200
        assert listed.context["cl"].result_count >= 1


def test_the_booth_list_offers_import_and_health(admin_client, db):
    content = admin_client.get("/admin/booths/booth/").content.decode()
    assert "/admin/booths/rosterupload/new/roster/" in content
    assert "/admin/roster-health/" in content
