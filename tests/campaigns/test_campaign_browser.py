"""A leader on a phone, in Hindi, finds the district that over-reports and, one
tap away, the calls that say so (Debian's Chromium through Playwright)."""

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.signin import signin_url
from tests.campaigns.test_campaign_verification import _district_with_answers
from tests.factories import make_viewer
from tests.support import requires_chromium

pytestmark = [requires_chromium, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_a_leader_on_a_phone_sees_who_over_reports_and_the_calls_behind_it(live_server, settings, browser):
    settings.SITE_URL = live_server.url
    answers = ["yes"] * 5 + ["no"] * 6 + ["partly"]  # 12 asked, 45.8 % verified; 90 % reported
    district, campaign = _district_with_answers(answers, reported=36, booths=40, name="आगरा")
    leader = make_viewer(state=district.region.state)
    link = signin_url(user=leader, day=timezone.localdate())
    context = browser.new_context(locale="hi-IN", viewport={"width": 360, "height": 740}, device_scale_factor=2)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(link)
    page.goto(f"{live_server.url}/dashboard/campaigns/")
    page.get_by_role("link", name=campaign.name).click()
    warning = page.locator("section.warn")
    expect(warning).to_contain_text("आगरा")
    expect(warning).to_contain_text("90%")
    expect(page.locator("#table-units")).to_contain_text("बढ़ा-चढ़ाकर बताया")
    assert page.evaluate("document.documentElement.scrollWidth") <= 361  # the table scrolls in its box
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "campaign-360-hi.png", full_page=True)

    page.locator("#table-units").get_by_role("link", name="आगरा").click()
    evidence = page.locator("#table-answers")
    expect(evidence.locator("tbody tr")).to_have_count(12)
    expect(evidence).to_contain_text("आंशिक")
    evidence.locator("tbody a").first.click()  # the booth's calls
    expect(page.locator("ul.calls li").first).to_be_visible()
    assert not errors
    context.close()
