"""The audit trail: who changed which person, post, booth, account, call log and
follow-up, and when (each record's history in the admin), and the actions that
change no record (exports, confirmed imports, revoked and shown sign-in links)."""

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client

from booths.models import Person, RosterUpload, User
from campaigns.models import CallLog, FollowUp
from tests.booths.sheets import booth_row, write_sheet
from tests.campaigns.helpers import caller_with_calls
from tests.factories import BoothPresidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def root():
    user = User.objects.create_superuser("root", "root@party.example", "an-admin-password")
    client = Client()
    client.force_login(user)
    return user, client


def test_an_admin_edit_of_a_person_is_in_their_history_with_who_and_when(root):
    admin, client = root
    person = BoothPresidentFactory().person
    data = {"name": "नया नाम", "mobile": str(person.mobile), "alternate_mobile": "", "notes": "",
            "do_not_call_reason": "", "posts-TOTAL_FORMS": 0, "posts-INITIAL_FORMS": 0}  # fmt: skip
    response = client.post(f"/admin/booths/person/{person.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = Person.history.filter(id=person.pk).latest("history_date")
    assert (latest.name, latest.history_user, latest.history_type) == ("नया नाम", admin, "~")
    page = client.get(f"/admin/booths/person/{person.pk}/history/").content.decode()
    assert "नया नाम" in page and "root" in page


def test_a_logged_and_corrected_call_keeps_each_version_with_the_caller(db):
    user, calls = caller_with_calls()
    client = Client()
    client.force_login(user)
    base = {"outcome": "reached", "wellbeing": "all_well", "standing": "weak", "needs": ["booth_committee"]}
    client.post(f"/calls/{calls[0].pk}/", {**base, "notes": "पहली बात"})
    client.post(f"/calls/{calls[0].pk}/", {**base, "standing": "strong", "notes": "सुधार"})
    versions = CallLog.history.filter(assignment_id=calls[0].pk).order_by("history_date")
    assert [(v.standing, v.notes, v.history_user) for v in versions] == [
        ("weak", "पहली बात", user),
        ("strong", "सुधार", user),
    ]
    assert FollowUp.history.filter(history_user=user).exists()


def test_an_accounts_history_never_holds_its_password_and_sign_ins_are_not_changes(root, client):
    _admin, staff = root
    caller = User.objects.create_user("+919811122233", password="a-first-password")
    caller.set_password("a-second-password")
    caller.save()
    client.post("/accounts/login/", {"username": "9811122233", "password": "a-second-password"})
    fields = {field.name for field in User.history.model._meta.fields}
    assert "password" not in fields and "last_login" not in fields
    assert User.history.filter(id=caller.pk).count() == 2  # created, password changed; the sign-in is not there
    assert staff.get(f"/admin/booths/user/{caller.pk}/history/").status_code == 200


def test_exports_imports_and_sign_in_links_are_in_the_audit_log(root, tmp_path):
    admin, client = root
    booth = BoothPresidentFactory().booth
    client.post("/admin/booths/booth/", {"action": "export_booths_csv", "_selected_action": [booth.pk]})
    caller, _calls = caller_with_calls()
    client.get(f"/admin/booths/user/{caller.pk}/change/")
    client.post("/admin/booths/user/", {"action": "revoke_signin_links", "_selected_action": [caller.pk]})
    path = write_sheet(tmp_path / "roster.csv", [booth_row(1)])
    with path.open("rb") as upload:
        client.post("/admin/booths/rosterupload/new/roster/", {"file": upload})
    client.post(f"/admin/booths/rosterupload/{RosterUpload.objects.get().pk}/confirm/")
    messages = list(LogEntry.objects.filter(user=admin).order_by("pk").values_list("change_message", flat=True))
    assert messages[0].startswith("Exported 1 rows as the roster sheet (csv")
    assert "Was shown today's sign-in link" in messages
    assert "Revoked their sign-in links" in messages
    assert any(message.startswith("Imported: ") for message in messages)
    assert "Revoked their sign-in links" in client.get("/admin/admin/logentry/").content.decode()
