"""The caller's day in a real browser: Debian's Chromium driven by Playwright
through the real pages, at the size of a cheap phone."""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from campaigns.models import CallAssignment, CallLog, FollowUp, Message
from campaigns.signin import signin_url
from campaigns.tasks import assign_calls
from tests.factories import DistrictFactory, make_booths, make_caller
from tests.support import requires_chromium

pytestmark = [requires_chromium, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def site(live_server, settings):
    settings.SITE_URL = live_server.url
    return live_server


def phone_page(browser: Browser, locale: str) -> tuple[Page, list[str]]:
    context = browser.new_context(locale=locale, viewport=PHONE, device_scale_factor=2)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors


def district_incharge():
    district = DistrictFactory(name="लखनऊ महानगर")
    make_booths(district=district, count=6, mandals=2)
    return make_caller(districts=[district])


def test_a_district_incharges_day_in_hindi(site, browser):
    user = district_incharge()
    assign_calls.apply()  # the morning run: the day's calls, and the message to the outbox
    message = Message.objects.get(caller=user.person, kind=Message.Kind.MORNING_LIST)
    assert message.status == Message.Status.SENT
    link = re.search(r"http://\S+/s/\S+", message.text).group(0)
    first, second = CallAssignment.objects.filter(caller=user.person).order_by("slot")

    page, errors = phone_page(browser, "hi-IN")
    page.goto(link)
    expect(page.locator("h1")).to_have_text("आज की कॉलें")
    expect(page.locator("article.card")).to_have_count(2)
    expect(page.locator(f"#call-{first.pk}")).to_contain_text(first.president.name)
    expect(page.locator(f"#call-{first.pk} a.call")).to_have_attribute("href", f"tel:{first.president.mobile}")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "today-360-hi.png", full_page=True)

    page.locator(f"#call-{first.pk} a.log").click()
    page.get_by_label("बात हुई").check()
    page.get_by_label("सब कुशल है").check()
    page.get_by_label("मुक़ाबला").check()
    page.get_by_label("बूथ समिति के लिए कार्यकर्ता").check()
    page.get_by_label("प्रचार सामग्री").check()
    page.get_by_label("टिप्पणी").fill("बूथ पर दो नए कार्यकर्ता चाहिए")
    page.get_by_role("button", name="दर्ज करें").click()
    expect(page.locator(".flash")).to_contain_text(f"दर्ज हो गया: {first.president.name} से कॉल।")

    page.locator(f"#call-{second.pk} a.log").click()
    page.get_by_label("फ़ोन नहीं उठाया").check()
    expect(page.get_by_label("सब कुशल है")).to_be_hidden()  # the conversation is only for a reached call
    page.get_by_role("button", name="दर्ज करें").click()
    expect(page.locator(f"#call-{second.pk} .status")).to_contain_text("फ़ोन नहीं उठाया")
    expect(page.locator(".muted").first).to_contain_text("2 में से 2 कॉलें दर्ज")

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.outcome, second.status, second.outcome) == ("logged", "reached", "logged", "no_answer")
    assert CallLog.objects.count() == 2
    log = CallLog.objects.get(assignment=first)
    assert (log.wellbeing, log.standing) == ("all_well", "competitive")
    assert set(log.needs.values_list("category", flat=True)) == {"booth_committee", "campaign_material"}
    district_id = first.post.booth.mandal.district_id
    assert set(FollowUp.objects.filter(district_id=district_id).values_list("category", flat=True)) == {
        "booth_committee",
        "campaign_material",
    }
    assert errors == []


def test_password_sign_in_and_logging_in_english(site, browser):
    user = district_incharge()
    user.set_password("a-long-test-password")
    user.language = "en"
    user.save()
    assign_calls.apply()
    first = CallAssignment.objects.filter(caller=user.person).order_by("slot").first()

    page, errors = phone_page(browser, "en-IN")
    page.goto(f"{site.url}/accounts/login/")
    page.get_by_label("Mobile number").fill("0" + str(user.person.mobile)[3:])
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Today's calls")

    page.locator(f"#call-{first.pk} a.log").click()
    page.get_by_label("Reached", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".error").first).to_contain_text("Tap one")  # well-being and standing are needed
    page.get_by_label("Needs attention", exact=True).check()
    page.get_by_label("What needs attention?").fill("Father in hospital")
    page.get_by_label("Weak", exact=True).check()
    page.get_by_label("Follow-up wanted from the district").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash")).to_contain_text("Saved")

    first.refresh_from_db()
    assert first.outcome == "reached"
    assert FollowUp.objects.get().category == FollowUp.GENERAL
    page.get_by_role("link", name="Follow-ups").click()
    expect(page.locator("ul.rows").first).to_contain_text("Follow-up asked for")
    assert errors == []


def test_an_expired_link_is_refused_with_a_clear_page(site, browser):
    user = district_incharge()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page, errors = phone_page(browser, "hi-IN")
    response = page.goto(signin_url(user=user, day=yesterday))
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("यह लिंक काम नहीं करता")
    expect(page.locator("main")).to_contain_text("पुराना हो गया है")
    expect(page.get_by_role("link", name="साइन इन", exact=True)).to_be_visible()
    assert [error for error in errors if "403" not in error] == []
