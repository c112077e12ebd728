"""The caller's pages through HTTP: today's cards, logging a call, history,
follow-ups and the roster-correction list, and who may see what."""

import datetime
import gzip
import re
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from booths.models import Person
from campaigns.models import CallAssignment, CallLog, FollowUp, PresidentRotation, RosterReport
from campaigns.services import assignment_record_outcome, assignments_create_for_day
from tests.campaigns.helpers import caller_with_calls
from tests.factories import DistrictFactory, PersonFactory, make_caller

pytestmark = pytest.mark.django_db
REACHED = {
    "outcome": "reached",
    "wellbeing": "all_well",
    "standing": "competitive",
    "needs": ["booth_committee", "campaign_material"],
    "notes": "बूथ समिति में दो कार्यकर्ता और चाहिए",
}


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_today_shows_the_callers_cards_with_call_buttons_and_no_one_elses():
    user, calls = caller_with_calls()
    _other, other_calls = caller_with_calls()
    content = signed_in(user).get("/today/").content.decode()
    for call in calls:
        assert call.president.name in content
        assert f'href="tel:{call.president.mobile}"' in content
        assert f'href="https://wa.me/{str(call.president.mobile)[1:]}"' in content
        assert f"{call.post.booth.assembly_seat.number}/{call.post.booth.number}" in content
        assert call.post.booth.mandal.name in content
    for call in other_calls:
        assert f"tel:{call.president.mobile}" not in content


def test_today_in_hindi_by_default():
    user, _calls = caller_with_calls()
    client = Client()
    client.force_login(user)
    content = client.get("/today/").content.decode()
    assert "आज की कॉलें" in content
    assert "कॉल दर्ज करें" in content


def test_cards_show_earlier_calls_to_the_president():
    district = DistrictFactory()
    user, calls = caller_with_calls(district=district, booths=2, day=timezone.localdate() - datetime.timedelta(days=1))
    earlier = calls[0]
    client = signed_in(user)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=1)):
        client.post(f"/calls/{earlier.pk}/", {**REACHED, "needs": ["leader_visit"]})
    colleague = make_caller(districts=[district])
    assignments_create_for_day(day=timezone.localdate(), source="test")
    today_call = CallAssignment.objects.get(day=timezone.localdate(), post=earlier.post)
    content = signed_in(colleague if today_call.caller_id == colleague.person_id else user).get("/today/").content
    content = content.decode()
    assert user.person.name in content  # who called before
    assert "Reached" in content and "Competitive" in content
    assert "A leader&#x27;s visit" in content  # the open need


def test_logging_a_reached_call_records_the_conversation_needs_and_follow_ups():
    user, calls = caller_with_calls()
    call = calls[0]
    response = signed_in(user).post(f"/calls/{call.pk}/", {**REACHED, "follow_up_wanted": "on"})
    assert response.status_code == 302
    assert response["Location"] == "/today/"

    call.refresh_from_db()
    assert (call.status, call.outcome) == ("logged", "reached")
    log = CallLog.objects.get(assignment=call)
    assert (log.wellbeing, log.standing, log.follow_up_wanted, log.logged_by) == (
        "all_well", "competitive", True, user
    )  # fmt: skip
    assert set(log.needs.values_list("category", flat=True)) == {"booth_committee", "campaign_material"}
    items = FollowUp.objects.filter(log=log)
    assert set(items.values_list("category", flat=True)) == {"booth_committee", "campaign_material"}
    assert {item.district_id for item in items} == {call.post.booth.mandal.district_id}
    rotation = PresidentRotation.objects.get(post=call.post)
    assert rotation.last_reached_on == call.day


def test_submitting_twice_keeps_one_log_and_one_set_of_follow_ups():
    user, calls = caller_with_calls()
    client = signed_in(user)
    client.post(f"/calls/{calls[0].pk}/", REACHED)
    client.post(f"/calls/{calls[0].pk}/", REACHED)
    assert CallLog.objects.count() == 1
    assert FollowUp.objects.count() == 2


def test_a_reached_call_needs_well_being_and_standing_and_nothing_is_saved_without():
    user, calls = caller_with_calls()
    response = signed_in(user).post(f"/calls/{calls[0].pk}/", {"outcome": "reached", "needs": ["other"]})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Tap one: all well, or needs attention." in content
    assert "Tap one: strong, competitive or weak." in content
    assert "Say what else the booth needs." in content
    calls[0].refresh_from_db()
    assert calls[0].status == "assigned"
    assert not CallLog.objects.exists()


def test_an_unknown_outcome_is_refused():
    user, calls = caller_with_calls()
    response = signed_in(user).post(f"/calls/{calls[0].pk}/", {"outcome": "maybe"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not CallLog.objects.exists()


def test_a_call_not_reached_keeps_no_conversation():
    user, calls = caller_with_calls()
    signed_in(user).post(f"/calls/{calls[0].pk}/", {**REACHED, "outcome": "no_answer", "notes": "शाम को करें"})
    calls[0].refresh_from_db()
    assert calls[0].outcome == "no_answer"
    log = CallLog.objects.get()
    assert (log.standing, log.wellbeing, log.notes) == ("", "", "शाम को करें")
    assert not log.needs.exists()
    assert not FollowUp.objects.exists()
    assert PresidentRotation.objects.get(post=calls[0].post).failed_attempts == 1


def test_correcting_a_call_the_same_day_withdraws_what_no_longer_applies():
    user, calls = caller_with_calls()
    client = signed_in(user)
    client.post(f"/calls/{calls[0].pk}/", {**REACHED, "needs": ["voter_list"]})
    client.post(f"/calls/{calls[0].pk}/", {"outcome": "wrong_number"})
    assert not FollowUp.objects.exists()
    assert RosterReport.objects.filter(assignment=calls[0]).exists()
    client.post(f"/calls/{calls[0].pk}/", {**REACHED, "needs": []})
    assert not RosterReport.objects.exists()
    rotation = PresidentRotation.objects.get(post=calls[0].post)
    assert (rotation.failed_attempts, rotation.unreachable_mobile) == (0, "")


def test_wrong_number_goes_to_the_districts_correction_list_until_the_roster_changes():
    user, calls = caller_with_calls()
    call = calls[0]
    client = signed_in(user)
    client.post(f"/calls/{call.pk}/", {"outcome": "wrong_number"})
    report = RosterReport.objects.get()
    listed = f"/follow-ups/roster/{report.pk}/dismiss/"
    page = client.get("/follow-ups/").content.decode()
    assert "Roster corrections needed" in page
    assert listed in page

    Person.objects.filter(pk=call.president_id).update(mobile="+919000011111")  # corrected in the roster
    assert listed not in client.get("/follow-ups/").content.decode()


def test_not_the_president_any_more_sets_the_number_aside_and_can_be_dismissed():
    user, calls = caller_with_calls()
    call = calls[0]
    client = signed_in(user)
    client.post(f"/calls/{call.pk}/", {"outcome": "not_president"})
    rotation = PresidentRotation.objects.get(post=call.post)
    assert rotation.unreachable_mobile == str(call.president.mobile)
    report = RosterReport.objects.get()
    listed = f'action="/follow-ups/roster/{report.pk}/dismiss/"'
    assert listed in client.get("/follow-ups/").content.decode()
    assert client.post(f"/follow-ups/roster/{report.pk}/dismiss/").status_code == 302
    assert listed not in client.get("/follow-ups/").content.decode()


def test_a_call_of_a_past_day_is_read_only():
    user, calls = caller_with_calls(day=timezone.localdate() - datetime.timedelta(days=1))
    client = signed_in(user)
    page = client.get(f"/calls/{calls[0].pk}/").content.decode()
    assert "can be read but not changed" in page
    assert 'name="outcome"' not in page
    response = client.post(f"/calls/{calls[0].pk}/", REACHED, follow=True)
    assert "can no longer be changed" in response.content.decode()
    calls[0].refresh_from_db()
    assert calls[0].status == "assigned"


def test_my_calls_lists_history_with_filters():
    user, calls = caller_with_calls(day=timezone.localdate() - datetime.timedelta(days=2))
    assignment_record_outcome(assignment=calls[0], outcome="busy")
    client = signed_in(user)
    everything = client.get("/calls/").content.decode()
    assert calls[0].president.name in everything and calls[1].president.name in everything
    busy = client.get("/calls/", {"outcome": "busy"}).content.decode()
    assert calls[0].president.name in busy and calls[1].president.name not in busy
    assert "No calls match." in client.get("/calls/", {"date_from": "2099-01-01"}).content.decode()
    assert client.get("/calls/", {"date_from": "not a date"}).status_code == 200


def test_follow_ups_page_shows_the_districts_items_and_resolves_them():
    user, calls = caller_with_calls()
    client = signed_in(user)
    client.post(f"/calls/{calls[0].pk}/", REACHED)
    item = FollowUp.objects.get(category="booth_committee")
    listed = f'href="/follow-ups/{item.pk}/"'
    assert listed in client.get("/follow-ups/").content.decode()

    detail = client.get(f"/follow-ups/{item.pk}/").content.decode()
    assert user.person.name in detail  # the in-charge can take it
    refused = client.post(f"/follow-ups/{item.pk}/", {"status": "resolved", "note": ""})
    assert "Say how it was resolved." in refused.content.decode()
    item.refresh_from_db()
    assert item.status == "open"

    client.post(f"/follow-ups/{item.pk}/", {"status": "in_progress", "assigned_to": user.person_id, "note": ""})
    item.refresh_from_db()
    assert (item.status, item.assigned_to_id) == ("in_progress", user.person_id)
    client.post(
        f"/follow-ups/{item.pk}/", {"status": "resolved", "assigned_to": user.person_id, "note": "दो कार्यकर्ता जुड़े"}
    )
    item.refresh_from_db()
    assert item.status == "resolved" and item.resolved_at is not None
    assert listed not in client.get("/follow-ups/").content.decode()
    assert listed in client.get("/follow-ups/", {"status": "all"}).content.decode()


def test_follow_ups_cannot_be_assigned_to_someone_outside_the_district():
    user, calls = caller_with_calls()
    client = signed_in(user)
    client.post(f"/calls/{calls[0].pk}/", REACHED)
    item = FollowUp.objects.first()
    outsider = PersonFactory()
    response = client.post(f"/follow-ups/{item.pk}/", {"status": "in_progress", "assigned_to": outsider.pk})
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.assigned_to is None


def test_every_caller_url_is_closed_to_other_callers():
    user, _calls = caller_with_calls()
    other, other_calls = caller_with_calls()
    signed_in(other).post(f"/calls/{other_calls[0].pk}/", {"outcome": "wrong_number"})
    signed_in(other).post(f"/calls/{other_calls[1].pk}/", REACHED)
    item = FollowUp.objects.first()
    report = RosterReport.objects.get()
    client = signed_in(user)
    assert client.get(f"/calls/{other_calls[0].pk}/").status_code == 404
    assert client.post(f"/calls/{other_calls[1].pk}/", {"outcome": "busy"}).status_code == 404
    assert client.get(f"/follow-ups/{item.pk}/").status_code == 404
    assert client.post(f"/follow-ups/{item.pk}/", {"status": "resolved", "note": "x"}).status_code == 404
    assert client.post(f"/follow-ups/roster/{report.pk}/dismiss/").status_code == 404
    other_calls[1].refresh_from_db()
    assert other_calls[1].outcome == "reached"
    assert FollowUp.objects.filter(status="resolved").count() == 0
    assert report.__class__.objects.get().dismissed_at is None
    page = client.get("/follow-ups/").content.decode()
    assert f"/follow-ups/roster/{report.pk}/" not in page
    assert f"/follow-ups/{item.pk}/" not in page


@pytest.mark.parametrize("url", ["/today/", "/calls/", "/calls/1/", "/follow-ups/", "/follow-ups/1/"])
def test_caller_pages_ask_for_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_forms_refuse_a_post_without_csrf_token():
    user, calls = caller_with_calls()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(f"/calls/{calls[0].pk}/", REACHED).status_code == 403
    calls[0].refresh_from_db()
    assert calls[0].status == "assigned"


def test_caller_pages_make_a_bounded_number_of_queries(django_assert_max_num_queries):
    user, calls = caller_with_calls()
    client = signed_in(user)
    client.post(f"/calls/{calls[0].pk}/", REACHED)
    for url in ("/today/", f"/calls/{calls[1].pk}/", "/calls/", "/follow-ups/"):
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200


def test_today_and_the_call_form_weigh_under_60_kb_compressed():
    user, calls = caller_with_calls()
    client = signed_in(user)
    pages = [
        client.get("/today/", HTTP_ACCEPT_ENCODING="gzip"),
        client.get(f"/calls/{calls[0].pk}/", HTTP_ACCEPT_ENCODING="gzip"),
    ]
    assert all(page["Content-Encoding"] == "gzip" for page in pages)
    css = gzip.compress((Path(__file__).resolve().parents[2] / "static/css/app.css").read_bytes())
    total = sum(len(page.content) for page in pages) + len(css)
    assert total < 60 * 1024


def test_staff_on_the_callers_pages_see_only_their_own_districts_follow_ups():
    """Being staff opens the admin (where its permissions apply), not every
    district's follow-ups through the callers' pages, link session or not."""
    user, calls = caller_with_calls()
    signed_in(user).post(f"/calls/{calls[0].pk}/", REACHED)
    item = FollowUp.objects.first()
    staff_caller, _calls = caller_with_calls()  # a caller of another district who is also staff
    staff_caller.is_staff = True
    staff_caller.save()
    client = signed_in(staff_caller)
    assert f'href="/follow-ups/{item.pk}/"' not in client.get("/follow-ups/", {"status": "all"}).content.decode()
    assert client.get(f"/follow-ups/{item.pk}/").status_code == 404
    assert client.post(f"/follow-ups/{item.pk}/", {"status": "resolved", "note": "x"}).status_code == 404
    item.refresh_from_db()
    assert item.status == "open"


def test_each_card_lists_its_presidents_last_three_calls_newest_first(django_assert_num_queries):
    district = DistrictFactory()
    today = timezone.localdate()
    user, _calls = caller_with_calls(district=district, booths=2, day=today - datetime.timedelta(days=5))
    for back in (5, 4, 3, 2, 1):
        day = today - datetime.timedelta(days=back)
        if back < 5:
            assignments_create_for_day(day=day, source="test")
        for assignment in CallAssignment.objects.filter(day=day):
            assignment_record_outcome(assignment=assignment, outcome="reached")
    assignments_create_for_day(day=today, source="test")
    client = signed_in(user)
    client.get("/today/")  # the menu is kept in the session on the first page
    with django_assert_num_queries(4):  # session, account, the calls, their history and open needs
        content = client.get("/today/").content.decode()
    cards = content.split('<article class="card')[1:]
    assert len(cards) == 2
    for card in cards:
        earlier = card.split('<section class="history">')[1]
        shown = [datetime.datetime.strptime(d, "%d %B %Y").date() for d in re.findall(r"<li>(\d+ \w+ \d{4})", earlier)]
        assert shown == sorted(shown, reverse=True) and len(shown) == 3
        assert shown[0] == today - datetime.timedelta(days=1)
