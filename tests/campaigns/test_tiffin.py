"""Tiffin meetings through their public entry points: the planning and record
pages, the photo, the coverage dashboard and its exports, the import command,
the reminder task and the admin."""

import csv
import datetime
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from booths.models import Mandal
from campaigns.models import TiffinMeeting
from campaigns.tiffin import tiffin_meeting_plan, tiffin_meeting_record
from tests.factories import (
    AdminUserFactory,
    DistrictFactory,
    MandalFactory,
    RegionFactory,
    make_caller,
    make_viewer,
)

pytestmark = pytest.mark.django_db
IST = datetime.timezone(datetime.timedelta(hours=5, minutes=30))
# Mid-month (plans for this month and later), and the month's last week (reminders).
MID_MONTH = datetime.datetime(2025, 3, 12, 11, 0, tzinfo=IST)
TODAY = MID_MONTH.date()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def clock():
    with time_machine.travel(MID_MONTH, tick=False):
        yield


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _district(name: str = "लखनऊ", mandals: int = 4, region=None):
    district = DistrictFactory(name=name, **({"region": region} if region else {}))
    for n in range(mandals):
        MandalFactory(district=district, name=f"{name} मंडल {n + 1}")
    return district


def _image(size=(64, 48), fmt="PNG", name="photo.png", exif_orientation: int | None = None) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 80, 20))
    kwargs = {}
    if exif_orientation:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        exif[0x010F] = "PhoneMaker"  # Make: must not survive
        kwargs["exif"] = exif
    image.save(buffer, fmt, **kwargs)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def _plan(mandal, day=TODAY, **fields):
    return tiffin_meeting_plan(mandal=mandal, scheduled_on=day, place=fields.get("place", "चौपाल"),
                               host=fields.get("host", ""), user=None)  # fmt: skip


def _held(mandal, held_on, attendance=30):
    meeting = (
        _plan(mandal, held_on)
        if held_on >= TODAY.replace(day=1)
        else TiffinMeeting.objects.create(mandal=mandal, district_id=mandal.district_id, scheduled_on=held_on)
    )
    return tiffin_meeting_record(meeting=meeting, held_on=held_on, attendance=attendance, notes="", photo=None,
                                 user=None)  # fmt: skip


def _csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.content
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


# Planning ---------------------------------------------------------------------


def test_planning_page_lists_unplanned_mandals_first_and_schedules_one(clock):
    district = _district(mandals=3)
    first, second, third = Mandal.objects.filter(district=district).order_by("name")
    _plan(second)
    client = _client(make_caller(districts=[district]))

    page = client.get(f"/tiffin/district/{district.pk}/")
    assert page.status_code == 200
    assert [m.pk for m in page.context["plan"].unplanned] == [first.pk, third.pk]
    html = page.content.decode()
    assert "Mandals without a meeting (2)" in html
    assert html.index(first.name) < html.index("Schedule a meeting")

    response = client.post(
        f"/tiffin/district/{district.pk}/",
        {"mandal": third.pk, "scheduled_on": "2025-03-20", "place": "पंचायत भवन", "host": "रामलाल"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/tiffin/district/{district.pk}/?month=2025-03"
    meeting = TiffinMeeting.objects.get(mandal=third)
    assert (meeting.district_id, meeting.scheduled_on, meeting.place, meeting.host, meeting.status) == (
        district.pk, datetime.date(2025, 3, 20), "पंचायत भवन", "रामलाल", "planned"
    )  # fmt: skip
    assert meeting.created_by is not None
    assert [m.pk for m in client.get(f"/tiffin/district/{district.pk}/").context["plan"].unplanned] == [first.pk]

    # The same mandal and day again: updated, not a second meeting.
    client.post(f"/tiffin/district/{district.pk}/",
                {"mandal": third.pk, "scheduled_on": "2025-03-20", "place": "स्कूल", "host": ""})  # fmt: skip
    assert TiffinMeeting.objects.filter(mandal=third).count() == 1
    assert TiffinMeeting.objects.get(mandal=third).place == "स्कूल"


def test_planning_refuses_a_date_in_an_earlier_month_or_a_mandal_of_another_district(clock):
    district, other = _district(mandals=1), _district("उन्नाव", mandals=1)
    client = _client(make_caller(districts=[district]))
    mandal = Mandal.objects.get(district=district)
    response = client.post(f"/tiffin/district/{district.pk}/",
                           {"mandal": mandal.pk, "scheduled_on": "2025-02-27", "place": "चौपाल"})  # fmt: skip
    assert response.status_code == 200
    assert "Choose a date from 01-03-2025" in response.content.decode()
    foreign = Mandal.objects.get(district=other)
    response = client.post(f"/tiffin/district/{district.pk}/",
                           {"mandal": foreign.pk, "scheduled_on": "2025-03-20", "place": "चौपाल"})  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["mandal"]
    assert not TiffinMeeting.objects.exists()


def test_tiffin_home_lists_the_users_districts_with_coverage(clock):
    district, other = _district(mandals=2), _district("उन्नाव", mandals=2)
    _held(Mandal.objects.filter(district=district).first(), TODAY)
    page = _client(make_viewer(districts=[district])).get("/tiffin/")
    assert page.status_code == 200
    assert [row.name for row in page.context["rows"]] == ["लखनऊ"]
    assert (page.context["rows"][0].planned, page.context["rows"][0].held) == (1, 1)
    assert "Tiffin meetings" in page.content.decode()  # the nav entry
    assert other.name not in page.content.decode()


def test_bad_month_on_the_planning_page_is_a_400(clock):
    district = _district(mandals=1)
    response = _client(make_caller(districts=[district])).get(f"/tiffin/district/{district.pk}/?month=2025-13")
    assert response.status_code == 400
    assert "month=2025-13" in response.content.decode()


# Recording and photos -----------------------------------------------------------


def test_record_a_meeting_with_a_big_photo_resized_and_stripped(clock):
    district = _district(mandals=1)
    meeting = _plan(Mandal.objects.get(district=district), TODAY)
    client = _client(make_caller(districts=[district]))
    photo = _image((3000, 2000), "JPEG", "IMG_0001.jpg", exif_orientation=6)  # rotated 90° by the phone
    response = client.post(f"/tiffin/{meeting.pk}/", {"held_on": "2025-03-12", "attendance": "42",
                                                      "notes": "अच्छी बैठक", "photo": photo})  # fmt: skip
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.held_on, meeting.attendance, meeting.notes) == (
        "held", datetime.date(2025, 3, 12), 42, "अच्छी बैठक"
    )  # fmt: skip
    assert meeting.photo.name.startswith("tiffin/2025/03/") and meeting.photo.name.endswith(".jpg")
    with Image.open(meeting.photo.path) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) <= 1280
        assert stored.size == (853, 1280)  # upright: the EXIF rotation applied
        assert not stored.getexif()  # no metadata kept

    page = client.get(f"/tiffin/{meeting.pk}/")
    assert f'src="/tiffin/{meeting.pk}/photo/"' in page.content.decode()
    served = client.get(f"/tiffin/{meeting.pk}/photo/")
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert "private" in served["Cache-Control"]
    assert b"".join(served.streaming_content)[:2] == b"\xff\xd8"


def test_record_a_meeting_with_a_small_png(clock):
    district = _district(mandals=1)
    meeting = _plan(Mandal.objects.get(district=district), TODAY)
    client = _client(make_viewer(districts=[district]))
    response = client.post(f"/tiffin/{meeting.pk}/",
                           {"held_on": "2025-03-12", "attendance": "7", "photo": _image()})  # fmt: skip
    assert response.status_code == 302
    meeting.refresh_from_db()
    with Image.open(meeting.photo.path) as stored:
        assert (stored.format, stored.size) == ("JPEG", (64, 48))


def test_a_file_that_is_not_an_image_is_refused_and_nothing_saved(clock, settings):
    district = _district(mandals=1)
    meeting = _plan(Mandal.objects.get(district=district), TODAY)
    client = _client(make_caller(districts=[district]))
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 this is no photo" * 40, content_type="image/jpeg")
    response = client.post(f"/tiffin/{meeting.pk}/", {"held_on": "2025-03-12", "attendance": "10", "photo": fake})
    assert response.status_code == 200
    assert "This file is not a photo: send a JPEG, PNG or WebP image." in response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.status, meeting.attendance, meeting.photo.name) == ("planned", None, "")
    assert not (settings.MEDIA_ROOT / "tiffin").exists()


def test_a_gif_is_refused(clock):
    district = _district(mandals=1)
    meeting = _plan(Mandal.objects.get(district=district), TODAY)
    gif = _image(fmt="GIF", name="a.gif")
    response = _client(make_caller(districts=[district])).post(
        f"/tiffin/{meeting.pk}/", {"held_on": "2025-03-12", "attendance": "10", "photo": gif}
    )
    assert "This file is not a photo" in response.content.decode()


def test_an_oversized_photo_is_refused_with_the_limit(clock, settings):
    settings.TIFFIN_PHOTO_MAX_MB = 1
    district = _district(mandals=1)
    meeting = _plan(Mandal.objects.get(district=district), TODAY)
    big = SimpleUploadedFile("big.jpg", _image((64, 64), "JPEG").read() + b"\0" * (1024 * 1024 + 10))
    response = _client(make_caller(districts=[district])).post(
        f"/tiffin/{meeting.pk}/", {"held_on": "2025-03-12", "attendance": "10", "photo": big}
    )
    assert response.status_code == 200
    assert "it can be at most 1 MB" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == "planned"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"held_on": "2025-03-12", "attendance": "-1"}, "attendance"),
        ({"held_on": "2025-03-12", "attendance": "100001"}, "attendance"),
        ({"held_on": "2025-03-12", "attendance": ""}, "attendance"),
        ({"held_on": "2025-03-13", "attendance": "5"}, "held_on"),
    ],
)
def test_record_checks_attendance_and_day(clock, data, field):
    district = _district(mandals=1)
    meeting = _plan(Mandal.objects.get(district=district), TODAY)
    response = _client(make_caller(districts=[district])).post(f"/tiffin/{meeting.pk}/", data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    meeting.refresh_from_db()
    assert meeting.status == "planned"


def test_cancel_a_planned_meeting(clock):
    district = _district(mandals=1)
    meeting = _plan(Mandal.objects.get(district=district), TODAY)
    client = _client(make_caller(districts=[district]))
    assert client.post(f"/tiffin/{meeting.pk}/cancel/").status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "cancelled"
    page = client.get(f"/tiffin/district/{district.pk}/")
    assert [m.pk for m in page.context["plan"].unplanned] == [meeting.mandal_id]


def test_outside_the_territory_every_tiffin_url_is_a_404(clock):
    district, other = _district(mandals=1), _district("उन्नाव", mandals=1)
    meeting = _plan(Mandal.objects.get(district=district), TODAY)
    _client(make_caller(districts=[district])).post(
        f"/tiffin/{meeting.pk}/", {"held_on": "2025-03-12", "attendance": "3", "photo": _image()}
    )
    outsider = _client(make_caller(districts=[other]))
    assert outsider.get(f"/tiffin/district/{district.pk}/").status_code == 404
    assert outsider.post(f"/tiffin/district/{district.pk}/", {}).status_code == 404
    assert outsider.get(f"/tiffin/{meeting.pk}/").status_code == 404
    assert outsider.post(f"/tiffin/{meeting.pk}/", {"held_on": "2025-03-12", "attendance": "1"}).status_code == 404
    assert outsider.get(f"/tiffin/{meeting.pk}/photo/").status_code == 404
    assert outsider.post(f"/tiffin/{meeting.pk}/cancel/").status_code == 404
    assert outsider.get(f"/dashboard/tiffin/?district={district.pk}").status_code == 404
    meeting.refresh_from_db()
    assert meeting.attendance == 3
    # Signed out: to the sign-in page, never the photo.
    assert Client().get(f"/tiffin/{meeting.pk}/photo/").status_code == 302


# Coverage ----------------------------------------------------------------------


def test_coverage_csv_by_district_counts_planned_and_held_within_scope(clock):
    awadh, kashi = RegionFactory(name="अवध"), RegionFactory(name="काशी")
    lucknow = _district("लखनऊ", 4, awadh)
    unnao = _district("उन्नाव", 2, awadh)
    varanasi = _district("वाराणसी", 3, kashi)
    m = list(Mandal.objects.filter(district=lucknow).order_by("name"))
    _plan(m[0], datetime.date(2025, 3, 25))  # planned, not held yet
    _held(m[1], datetime.date(2025, 3, 5))  # planned and held
    cancelled = _plan(m[2], datetime.date(2025, 3, 28))
    TiffinMeeting.objects.filter(pk=cancelled.pk).update(status="cancelled")  # not planned any more
    _held(m[3], datetime.date(2025, 2, 10))  # last month: not this month's
    _plan(Mandal.objects.filter(district=varanasi).first(), datetime.date(2025, 3, 30))

    leader = _client(make_viewer(state=awadh.state))
    rows = _csv(leader.get("/dashboard/tiffin/?month=2025-03&by=district&format=csv"))
    assert list(rows[0]) == ["region", "district", "mandals", "mandals_planned", "mandals_held", "held_pct"]
    figures = {row["district"]: [row["region"], *(row[k] for k in list(row)[2:])] for row in rows}
    assert figures == {
        "लखनऊ": ["अवध", "4", "2", "1", "25.0"],
        "उन्नाव": ["अवध", "2", "0", "0", "0.0"],
        "वाराणसी": ["काशी", "3", "1", "0", "0.0"],
    }
    regions = _csv(leader.get("/dashboard/tiffin/?month=2025-03&by=region&format=csv"))
    assert [list(row.values()) for row in regions] == [["अवध", "6", "2", "1", "16.7"], ["काशी", "3", "1", "0", "0.0"]]
    assert list(regions[0])[:4] == ["region", "mandals", "mandals_planned", "mandals_held"]
    february = _csv(leader.get("/dashboard/tiffin/?month=2025-02&by=district&format=csv"))
    assert {row["district"]: row["mandals_held"] for row in february}["लखनऊ"] == "1"

    # A district president sees their district only; a drill-down to it, the same.
    own = _client(make_viewer(districts=[unnao]))
    assert [row["district"] for row in _csv(own.get("/dashboard/tiffin/?by=district&format=csv"))] == ["उन्नाव"]
    drilled = _csv(leader.get(f"/dashboard/tiffin/?region={awadh.pk}&format=csv"))
    assert {row["district"] for row in drilled} == {"लखनऊ", "उन्नाव"}
    months = _csv(leader.get("/dashboard/tiffin/?month=2025-03&by=district&format=csv&table=months"))
    assert list(months[0])[-2:] == ["2025-02", "2025-03"]
    assert {row["district"]: row["2025-02"] for row in months}["लखनऊ"] == "25.0"


def test_coverage_page_shows_tables_and_history(clock, django_assert_max_num_queries):
    district = _district("लखनऊ", 2)
    _district("वाराणसी", 2, RegionFactory(state=district.region.state, name="काशी"))
    _held(Mandal.objects.filter(district=district).first(), datetime.date(2025, 1, 20))
    leader = _client(make_viewer(state=district.region.state))
    with django_assert_max_num_queries(20):
        page = leader.get("/dashboard/tiffin/?month=2025-03")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tiffin meetings" in html and "month by month" in html
    assert page.context["by"] == "region"
    xlsx = leader.get("/dashboard/tiffin/?month=2025-03&format=xlsx")
    assert xlsx.status_code == 200
    assert "2025-03" in xlsx["Content-Disposition"]
    assert _client(make_viewer(districts=[district])).get("/dashboard/tiffin/").context["by"] == "district"


@pytest.mark.parametrize("month", ["2025-13", "march", "2025-3", "2025-03-01"])
def test_bad_month_on_the_dashboard_is_a_400(clock, month):
    leader = _client(make_viewer(state=_district().region.state))
    page = leader.get(f"/dashboard/tiffin/?month={month}")
    assert page.status_code == 400
    assert "write the month as YYYY-MM" in page.content.decode()
    export = leader.get(f"/dashboard/tiffin/?month={month}&format=csv")
    assert export.status_code == 400
    assert "YYYY-MM" in export.content.decode()


def test_admin_lists_and_adds_tiffin_meetings(clock):
    district = _district(mandals=1)
    mandal = Mandal.objects.get(district=district)
    _plan(mandal, TODAY)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(AdminUserFactory())
    assert client.get("/admin/campaigns/tiffinmeeting/").status_code == 200
    assert client.get("/admin/campaigns/tiffinmeeting/?status__exact=planned&q=मंडल").status_code == 200
    assert client.get("/admin/campaigns/tiffinmeeting/add/").status_code == 200
    response = client.post(
        "/admin/campaigns/tiffinmeeting/add/",
        {"mandal": mandal.pk, "scheduled_on": "2025-03-22", "place": "चौपाल", "host": "", "status": "planned",
         "notes": ""},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[-2000:]
    added = TiffinMeeting.objects.get(scheduled_on=datetime.date(2025, 3, 22))
    assert added.district_id == district.pk


def test_timezone_is_ist():
    assert str(timezone.get_current_timezone()) == "Asia/Kolkata"


# Import ------------------------------------------------------------------------


def _sheet(tmp_path, text: str, name: str = "tiffin.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _import(*args: str) -> tuple[str, Exception | None]:
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.utils import translation

    out = io.StringIO()
    try:
        with translation.override("en"):
            call_command("import_tiffin", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def test_import_plans_meetings_and_a_second_import_updates_them(clock, tmp_path):
    lucknow = _district("लखनऊ", 2)
    MandalFactory(district=DistrictFactory(name="Unnao"), name="Bighapur")  # a Latin name, matched in any case
    sheet = _sheet(tmp_path, "District,Mandal,Scheduled On,Place,Host\n"
                             " लखनऊ ,लखनऊ  मंडल 1,2025-03-20,पंचायत भवन,रामलाल\n"
                             "लखनऊ,लखनऊ मंडल 2,25-03-2025,स्कूल,\n"
                             "UNNAO, bighapur ,05/04/2025,चौपाल,सीता देवी\n")  # fmt: skip
    out, error = _import(sheet, "--dry-run")
    assert error is None, out
    assert not TiffinMeeting.objects.exists()
    out, error = _import(sheet)
    assert error is None, out
    planned = TiffinMeeting.objects.select_related("mandal")
    meetings = {(m.mandal.name, m.scheduled_on, m.place, m.host) for m in planned}
    assert meetings == {
        ("लखनऊ मंडल 1", datetime.date(2025, 3, 20), "पंचायत भवन", "रामलाल"),
        ("लखनऊ मंडल 2", datetime.date(2025, 3, 25), "स्कूल", ""),
        ("Bighapur", datetime.date(2025, 4, 5), "चौपाल", "सीता देवी"),
    }
    assert TiffinMeeting.objects.get(scheduled_on=datetime.date(2025, 3, 20)).district_id == lucknow.pk

    _sheet(tmp_path, "district,mandal,scheduled_on,place,host\nलखनऊ,लखनऊ मंडल 1,20-03-2025,नया स्थान,रामलाल\n")
    out, error = _import(sheet)
    assert error is None, out
    assert TiffinMeeting.objects.count() == 3
    assert TiffinMeeting.objects.get(scheduled_on=datetime.date(2025, 3, 20)).place == "नया स्थान"


def test_import_with_a_bad_row_reports_row_and_column_and_writes_nothing(clock, tmp_path):
    _district("लखनऊ", 2)
    sheet = _sheet(tmp_path, "district,mandal,scheduled_on,place,host\n"
                             "लखनऊ,लखनऊ मंडल 1,2025-03-20,चौपाल,\n"
                             "लखनऊ,कोई और मंडल,2025-03-21,चौपाल,\n"
                             "लखनऊ,लखनऊ मंडल 2,31-02-2025,चौपाल,\n"
                             "कानपुर,लखनऊ मंडल 2,2025-03-22,चौपाल,\n"
                             "लखनऊ,लखनऊ मंडल 2,2025-01-22,चौपाल,\n")  # fmt: skip
    out, error = _import(sheet)
    assert error is not None
    assert "row 3, mandal: District लखनऊ has no mandal “कोई और मंडल”." in out
    assert "row 4, scheduled_on: “31-02-2025” is not a date" in out
    assert "row 5, district: There is no district “कानपुर”." in out
    assert "row 6, scheduled_on: Choose a date from 01-03-2025" in out
    assert not TiffinMeeting.objects.exists()


def test_import_reads_xlsx(clock, tmp_path):
    from openpyxl import Workbook

    _district("लखनऊ", 1)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["district", "mandal", "scheduled_on", "place", "host"])
    sheet.append(["लखनऊ", "लखनऊ मंडल 1", datetime.datetime(2025, 3, 29), "चौपाल", None])
    path = tmp_path / "tiffin.xlsx"
    workbook.save(path)
    out, error = _import(str(path))
    assert error is None, out
    assert TiffinMeeting.objects.get().scheduled_on == datetime.date(2025, 3, 29)


# Reminders ---------------------------------------------------------------------


def test_reminder_goes_once_in_the_last_week_to_in_charges_of_districts_with_unplanned_mandals(settings):
    from django_celery_beat.models import PeriodicTask

    from campaigns.models import Message
    from campaigns.tasks import send_tiffin_reminders

    with time_machine.travel(MID_MONTH, tick=False):
        lucknow, unnao = _district("लखनऊ", 2), _district("उन्नाव", 1)
        lucknow_incharge = make_caller(districts=[lucknow])
        both = make_caller(districts=[lucknow, unnao])
        done = _district("वाराणसी", 1)
        make_caller(districts=[done])
        _plan(Mandal.objects.get(district=done), datetime.date(2025, 3, 28))
        make_viewer(districts=[lucknow])  # a district president: no reminder
        assert send_tiffin_reminders() == 0  # mid-month: nothing yet

    with time_machine.travel(datetime.datetime(2025, 3, 24, 10, 0, tzinfo=IST), tick=False):
        assert send_tiffin_reminders() == 0  # the 24th is before the last seven days

    with time_machine.travel(datetime.datetime(2025, 3, 25, 10, 0, tzinfo=IST), tick=False):
        assert send_tiffin_reminders() == 2
        messages = {m.caller_id: m for m in Message.objects.filter(kind="tiffin_reminder")}
        assert set(messages) == {lucknow_incharge.person_id, both.person_id}
        assert all(m.status == "sent" for m in messages.values())
        one = messages[lucknow_incharge.person_id]
        assert one.variables[:2] == ["लखनऊ", "2"]
        assert one.text.startswith("बूथ संवाद: लखनऊ के 2 मंडलों में इस महीने की टिफ़िन बैठक अभी तय नहीं है।")
        assert "http://testserver/s/" in one.text
        assert messages[both.person_id].variables[:2] in (["उन्नाव +1", "3"], ["लखनऊ +1", "3"])
        assert all(len(value) <= 30 for m in messages.values() for value in m.variables)
        assert send_tiffin_reminders() == 0  # the same day again

    with time_machine.travel(datetime.datetime(2025, 3, 31, 10, 0, tzinfo=IST), tick=False):
        assert send_tiffin_reminders() == 0  # once a month
        assert Message.objects.filter(kind="tiffin_reminder").count() == 2

    with time_machine.travel(datetime.datetime(2025, 4, 28, 10, 0, tzinfo=IST), tick=False):
        assert send_tiffin_reminders() == 3  # a new month: all three districts unplanned
    assert PeriodicTask.objects.filter(task="campaigns.tasks.send_tiffin_reminders", enabled=True).exists()


def test_a_planned_meeting_whose_day_has_passed_asks_to_be_recorded_or_cancelled(clock):
    district = _district(mandals=2)
    early, late = Mandal.objects.filter(district=district).order_by("name")
    tiffin_meeting_plan(mandal=early, scheduled_on=MID_MONTH.date() - datetime.timedelta(days=5), place="", host="",
                        user=None)  # fmt: skip
    tiffin_meeting_plan(mandal=late, scheduled_on=MID_MONTH.date() + datetime.timedelta(days=5), place="", host="",
                        user=None)  # fmt: skip
    html = _client(make_caller(districts=[district])).get(f"/tiffin/district/{district.pk}/").content.decode()
    assert html.count("Its day has passed: mark it held, or cancel it.") == 1
    (item,) = [li for li in html.split("<li>") if "Its day has passed" in li]
    assert early.name in item and late.name not in item
