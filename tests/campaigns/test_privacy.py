"""Access and erasure requests: `person_export PHONE` gives everything held about a
person; `person_anonymise PHONE` blanks what identifies them and keeps every figure.
Uploaded files are cleared after RETENTION_DAYS by a nightly job."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from booths.models import Person, RosterUpload, User
from booths.tasks import purge_old_uploads
from campaigns.models import CallAssignment, CallLog, DistrictDayStats
from campaigns.selectors import EXPORT_COLUMNS, call_export_rows
from tests.campaigns.helpers import caller_with_calls
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
REACHED = {"outcome": "reached", "wellbeing": "needs_attention", "wellbeing_note": "बेटा बीमार है",
           "standing": "weak", "needs": ["booth_committee"], "notes": "परिवार से मिलना है"}  # fmt: skip


def run(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def called():
    """A president whom a caller reached today, with notes about their family."""
    user, calls = caller_with_calls()
    client = Client()
    client.force_login(user)
    client.post(f"/calls/{calls[0].pk}/", REACHED)
    return calls[0].president, user


def counted(rows) -> list[tuple]:
    """What the figures count in `export_calls`: not who the president was."""
    kept = [EXPORT_COLUMNS.index(c) for c in ("date", "district", "booth_no", "status", "outcome", "standing")]
    return [tuple(row[i] for i in kept) for row in rows]


def test_person_export_gives_everything_held_about_them(called):
    president, caller = called
    data = json.loads(run("person_export", str(president.mobile)[3:]))
    assert data["person"]["name"] == president.name and data["person"]["mobile"] == str(president.mobile)
    assert [post["role"] for post in data["posts"]] == ["booth_president"]
    (call,) = data["calls_received"]
    assert (call["outcome"], call["log__wellbeing_note"], call["log__notes"]) == (
        "reached", "बेटा बीमार है", "परिवार से मिलना है",
    )  # fmt: skip
    assert data["follow_ups_about_them"][0]["category"] == "booth_committee"
    caller_data = json.loads(run("person_export", str(caller.person.mobile)))
    assert caller_data["account"]["username"] == caller.username
    assert "password" not in json.dumps(caller_data["account"])
    assert len(caller_data["calls_made"]) == CallAssignment.objects.filter(caller=caller.person).count()


def test_person_anonymise_blanks_them_and_keeps_every_figure(called):
    president, _caller = called
    today = timezone.localdate()
    figures = list(DistrictDayStats.objects.values_list("district_id", "day", "assigned", "logged", "reached"))
    rows_before = counted(call_export_rows(date_from=today, date_to=today))
    output = run("person_anonymise", str(president.mobile))
    assert "anonymised" in output
    president.refresh_from_db()
    assert (str(president.mobile), str(president.alternate_mobile), president.do_not_call) == ("", "", True)
    assert "anonymised" in president.name
    log = CallLog.objects.get(assignment__president=president)
    assert (log.notes, log.wellbeing_note, log.standing, log.wellbeing) == ("", "", "weak", "needs_attention")
    assert list(DistrictDayStats.objects.values_list("district_id", "day", "assigned", "logged", "reached")) == figures
    assert counted(call_export_rows(date_from=today, date_to=today)) == rows_before
    assert Person.objects.filter(pk=president.pk).exists()  # history kept, not deleted
    with pytest.raises(CommandError, match="No one has the number"):
        run("person_export", "9000000001")


def test_anonymising_a_caller_closes_their_account(called):
    _president, caller = called
    run("person_anonymise", str(caller.person.mobile))
    caller.refresh_from_db()
    assert not caller.is_active and not caller.has_usable_password() and caller.email == ""
    assert caller.username.startswith("anonymised-")
    assert not User.objects.filter(username=str(caller.person.mobile)).exists()


def test_a_shared_number_asks_which_person(db):
    first = PersonFactory(mobile="+919811122233")
    PersonFactory(mobile="+919822233344", alternate_mobile="+919811122233")
    with pytest.raises(CommandError, match=f"--person {first.pk}"):
        run("person_export", "9811122233")
    assert json.loads(run("person_export", "9811122233", "--person", str(first.pk)))["person"]["id"] == first.pk
    with pytest.raises(CommandError, match="98765432²0"):
        run("person_anonymise", "98765432²0")


def test_uploads_are_cleared_after_the_retention_period_by_a_nightly_job(db, settings):
    settings.RETENTION_DAYS = 90
    old = RosterUpload.objects.create(kind="roster", filename="old.csv", content=b"x", error_rows=b"y")
    new = RosterUpload.objects.create(kind="roster", filename="new.csv", content=b"x", error_rows=b"y")
    RosterUpload.objects.filter(pk=old.pk).update(uploaded_at=timezone.now() - datetime.timedelta(days=91))
    assert purge_old_uploads.delay().get() == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert (bytes(old.content), bytes(old.error_rows), old.filename) == (b"", b"", "old.csv")
    assert old.purged_at is not None
    assert bytes(new.content) == b"x"
    job = PeriodicTask.objects.get(task="booths.tasks.purge_old_uploads")
    assert (job.crontab.hour, job.crontab.minute) == ("3", "15")
