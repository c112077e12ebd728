"""A people sheet manages callers' and viewers' accounts, never anyone else's: it
cannot take over an admin's account, change an account's email (where a password
reset goes) or bring back a deactivated account; a file that changes a signing-in
person's mobile (where their sign-in links go) is logged."""

import logging
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from booths.models import Person, Post, User
from tests.booths.sheets import booth_row, caller_row, write_sheet
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def roster(tmp_path):
    call_command("import_roster", str(write_sheet(tmp_path / "roster.csv", [booth_row(1)])), stdout=StringIO())


def import_callers(path, *args: str) -> str:
    out = StringIO()
    call_command("import_callers", str(path), *args, stdout=out)
    return out.getvalue()


def refused(path) -> str:
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_callers", str(path), stdout=out)
    return out.getvalue()


def accounts() -> list[tuple]:
    return list(
        User.objects.order_by("pk").values_list(
            "username", "email", "is_active", "is_staff", "is_superuser", "person_id", "password"
        )
    )


@pytest.mark.parametrize(
    ("username", "person_mobile", "cell"),
    [
        ("+919811122233", None, "9811122233"),  # the username is the number
        ("admin", "+919811122233", "+91 98111 22233"),  # the admin's person has the number
        ("9811122233", None, "09811122233"),  # a username that is the number written another way
    ],
)
@pytest.mark.parametrize("kind", ["superuser", "staff"])
def test_a_row_naming_an_admins_mobile_is_refused_and_changes_nothing(
    tmp_path, roster, username, person_mobile, cell, kind
):
    person = PersonFactory(name="सुरेश चंद्र", mobile=person_mobile) if person_mobile else None
    admin = User.objects.create_user(username, email="admin@party.example", password="an-admin-password",
                                     is_staff=True, is_superuser=kind == "superuser", person=person)  # fmt: skip
    before, people, posts = accounts(), list(Person.objects.values_list("pk", "name", "mobile")), Post.objects.count()
    rows = [caller_row(name="सुरेश चंद्र", phone=cell, email="uploader@evil.example")]
    output = refused(write_sheet(tmp_path / "callers.csv", rows))
    assert "row 2, phone: This number belongs to an admin account" in output
    assert accounts() == before
    assert list(Person.objects.values_list("pk", "name", "mobile")) == people
    assert Post.objects.count() == posts
    admin.refresh_from_db()
    assert admin.check_password("an-admin-password") and admin.email == "admin@party.example"


def test_the_admin_preview_refuses_it_too(tmp_path, roster, admin_client):
    User.objects.create_superuser("+919811122233", "root@party.example", "an-admin-password")
    path = write_sheet(tmp_path / "callers.csv", [caller_row(email="uploader@evil.example")])
    with open(path, "rb") as upload:
        response = admin_client.post("/admin/booths/rosterupload/new/callers/", {"file": upload})
    assert "This number belongs to an admin account" in response.content.decode()
    assert User.objects.get(username="+919811122233").email == "root@party.example"


def test_a_file_never_changes_an_existing_accounts_email_and_says_so(tmp_path, roster):
    import_callers(write_sheet(tmp_path / "a.csv", [caller_row(email="suresh@party.example")]))
    output = import_callers(write_sheet(tmp_path / "b.csv", [caller_row(email="someone@else.example")]))
    assert "row 2, email: The account's email stays suresh@party.example" in output
    assert User.objects.get(username="+919811122233").email == "suresh@party.example"


def test_a_file_does_not_give_an_email_to_an_account_without_one(tmp_path, roster):
    import_callers(write_sheet(tmp_path / "a.csv", [caller_row()]))
    User.objects.filter(username="+919811122233").update(email="")
    import_callers(write_sheet(tmp_path / "b.csv", [caller_row(email="uploader@evil.example")]))
    assert User.objects.get(username="+919811122233").email == ""


def test_a_file_never_reactivates_a_deactivated_account_and_says_so(tmp_path, roster):
    import_callers(write_sheet(tmp_path / "a.csv", [caller_row()]))
    User.objects.filter(username="+919811122233").update(is_active=False)
    output = import_callers(write_sheet(tmp_path / "b.csv", [caller_row(districts="लखनऊ महानगर")]))
    assert "row 2, phone: This account is deactivated and stays so" in output
    assert not User.objects.get(username="+919811122233").is_active


def test_a_roster_file_changing_a_callers_mobile_is_logged_and_says_so(tmp_path, roster, caplog):
    president = Post.objects.get(role=Post.Role.BOOTH_PRESIDENT).person
    User.objects.create_user(str(president.mobile), person=president)  # the president also calls
    caplog.set_level(logging.WARNING, logger="booths.audit")
    out = StringIO()
    rows = [booth_row(1, president_phone="9899988877")]
    call_command("import_roster", str(write_sheet(tmp_path / "b.csv", rows)), stdout=out)
    assert "signs in to Booth Samvad: their sign-in links will go to the new number" in out.getvalue()
    assert "changed the mobile of person" in caplog.text and "+919899988877" in caplog.text


def test_the_callers_upload_needs_user_management_permissions(tmp_path, roster, client):
    uploader = User.objects.create_user("roster-keeper", password="a-long-test-password", is_staff=True)
    from django.contrib.auth.models import Permission

    uploader.user_permissions.add(*Permission.objects.filter(codename__in=["add_booth", "import_roster"]))
    client.force_login(uploader)
    path = write_sheet(tmp_path / "callers.csv", [caller_row()])
    with open(path, "rb") as upload:
        response = client.post("/admin/booths/rosterupload/new/callers/", {"file": upload})
    assert response.status_code == 403
    assert client.get("/admin/booths/rosterupload/new/roster/").status_code == 200
