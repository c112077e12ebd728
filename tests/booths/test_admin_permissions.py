"""Admin actions and custom views check rights of their own: viewing booths or
accounts does not let anyone download every phone number, import a file, revoke
links or send messages again."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from booths.models import RosterUpload, User
from campaigns.models import Message
from tests.factories import BoothPresidentFactory, UserFactory

pytestmark = pytest.mark.django_db


def staff_with(*codenames: str) -> Client:
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("url", "action", "view", "export"),
    [
        ("/admin/booths/booth/", "export_booths_csv", "view_booth", "export_roster"),
        ("/admin/booths/booth/", "export_booths_xlsx", "view_booth", "export_roster"),
        ("/admin/booths/user/", "export_callers_csv", "view_user", "export_callers"),
        ("/admin/booths/user/", "export_callers_xlsx", "view_user", "export_callers"),
    ],
)
def test_exports_need_the_export_right(url, action, view, export):
    booth = BoothPresidentFactory().booth
    selected = booth.pk if "booth" in url else UserFactory().pk
    viewer = staff_with(view)
    assert action not in viewer.get(url).content.decode()
    refused = viewer.post(url, {"action": action, "_selected_action": [selected]})
    assert refused.status_code in (200, 302)
    assert "attachment" not in refused.get("Content-Disposition", "")
    exporter = staff_with(view, export)
    assert action in exporter.get(url).content.decode()
    response = exporter.post(url, {"action": action, "_selected_action": [selected]})
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize(("kind", "needs"), [("roster", ["import_roster"]),
                                             ("callers", ["import_callers", "add_user", "change_user"])])  # fmt: skip
def test_uploads_need_the_import_rights_of_their_kind(kind, needs):
    assert staff_with("add_booth", "view_booth").get(f"/admin/booths/rosterupload/new/{kind}/").status_code == 403
    # Part of the rights is not enough (a callers file also needs the user rights).
    assert staff_with(*needs[:-1]).get(f"/admin/booths/rosterupload/new/{kind}/").status_code == 403
    page = staff_with(*needs).get(f"/admin/booths/rosterupload/new/{kind}/", HTTP_ACCEPT_LANGUAGE="hi")
    assert page.status_code == 200
    # What a row is, in Hindi (the English kind code sat in the Hindi sentence).
    said = {"roster": "हर बूथ की एक पंक्ति", "callers": "हर कॉल करने वाले या डैशबोर्ड देखने वाले की एक पंक्ति"}
    assert said[kind] in page.content.decode()


def test_the_error_rows_need_the_import_right_and_never_rerun_an_import():
    upload = RosterUpload.objects.create(kind="roster", filename="r.csv", content=b"region\n", error_rows=b"a,b\n")
    assert staff_with("view_rosterupload").get(f"/admin/booths/rosterupload/{upload.pk}/errors/").status_code == 403
    importer = staff_with("view_rosterupload", "import_roster")
    response = importer.get(f"/admin/booths/rosterupload/{upload.pk}/errors/")
    assert response.status_code == 200 and response.content == b"a,b\n"
    clean = RosterUpload.objects.create(kind="roster", filename="c.csv", content=b"region\n")
    assert importer.get(f"/admin/booths/rosterupload/{clean.pk}/errors/").status_code == 404


def test_confirming_an_import_needs_the_import_right():
    upload = RosterUpload.objects.create(kind="roster", filename="r.csv", content=b"region\n")
    response = staff_with("view_rosterupload", "add_booth").post(f"/admin/booths/rosterupload/{upload.pk}/confirm/")
    assert response.status_code == 403
    upload.refresh_from_db()
    assert upload.imported_at is None


def test_send_again_needs_its_own_right():
    caller = User.objects.create_user("+919811122233")
    message = Message.objects.create(kind="morning_list", caller=BoothPresidentFactory().person, user=caller, to="x",
                                     status=Message.Status.FAILED, text="t", day="2026-11-28", backend="sms",
                                     language="hi", calls_digest="d")  # fmt: skip
    viewer = staff_with("view_message")
    assert "send_again" not in viewer.get("/admin/campaigns/message/").content.decode()
    viewer.post("/admin/campaigns/message/", {"action": "send_again", "_selected_action": [message.pk]})
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    sender = staff_with("view_message", "resend_message")
    assert "send_again" in sender.get("/admin/campaigns/message/").content.decode()


@pytest.mark.parametrize(
    ("url", "codename"),
    [("/admin/booths/booth/", "view_booth"), ("/admin/booths/person/", "view_person")],
)
def test_lists_mask_mobiles_without_view_full_phone(url, codename):
    president = BoothPresidentFactory().person
    number = str(president.mobile)
    national = f"{number[3:8]} {number[8:]}"
    masked = staff_with(codename).get(url).content.decode()
    assert f"{number[3:5]}••••{number[-4:]}" in masked and national not in masked
    whole = staff_with(codename, "view_full_phone").get(url).content.decode()
    assert national in whole


def test_a_persons_own_page_shows_the_number_whole():
    """That is where it is corrected."""
    president = BoothPresidentFactory().person
    page = staff_with("view_person").get(f"/admin/booths/person/{president.pk}/change/").content.decode()
    assert str(president.mobile)[3:] in page.replace(" ", "")


def test_exports_mask_mobiles_without_view_full_phone():
    booth = BoothPresidentFactory().booth
    number = str(booth.posts.get().person.mobile)
    data = {"action": "export_booths_csv", "_selected_action": [booth.pk]}
    masked = staff_with("view_booth", "export_roster").post("/admin/booths/booth/", data).content.decode("utf-8-sig")
    assert f"{number[3:5]}••••{number[-4:]}" in masked and number[3:] not in masked
    whole = staff_with("view_booth", "export_roster", "view_full_phone").post("/admin/booths/booth/", data)
    assert number[3:] in whole.content.decode("utf-8-sig")
