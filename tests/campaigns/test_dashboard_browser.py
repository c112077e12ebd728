"""A leader's look at the dashboards in a real browser (Debian's Chromium through
Playwright): sign in with the link, drill down from a region to a booth's calls,
download the district figures as CSV."""

import csv
import io
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import expect

from campaigns.signin import signin_url
from tests.campaigns.dashboard_data import NOON, build
from tests.factories import make_viewer
from tests.support import requires_chromium

pytestmark = [requires_chromium, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def leader_link(live_server, settings):
    settings.SITE_URL = live_server.url
    org = build()
    english = make_viewer(state=org.state, language="en")
    hindi = make_viewer(state=org.state)  # Hindi, the default
    # The pages are asked for "now": the server's clock is moved to the day the calls were made.
    with time_machine.travel(NOON, tick=True):
        yield org, {"en": signin_url(user=english, day=org.today), "hi": signin_url(user=hindi, day=org.today)}


def test_a_leader_drills_down_from_a_region_to_a_booths_calls_and_downloads_a_csv(leader_link, browser):
    org, links = leader_link
    link = links["en"]
    context = browser.new_context(locale="en-IN", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(link)
    expect(page).to_have_url(f"{link.split('/s/')[0]}/dashboard/")
    expect(page.locator("h1")).to_contain_text("Calls")
    expect(page.locator("#table-rows")).to_contain_text("अवध")
    expect(page.locator("svg.chart").first).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "dashboard-state-en.png", full_page=True)

    page.locator("#table-rows").get_by_role("link", name="अवध").click()
    expect(page.locator(".crumbs")).to_contain_text("अवध")
    page.locator("#table-rows").get_by_role("link", name="लखनऊ").click()
    expect(page.locator(".crumbs")).to_contain_text("लखनऊ")
    page.locator("#table-rows tbody a").first.click()  # a mandal
    expect(page.locator("#table-rows caption")).to_have_text("By booth")
    page.locator("#table-rows tbody a").first.click()  # a booth
    expect(page.locator("ul.calls li").first).to_be_visible()
    expect(page.locator("ul.calls")).to_contain_text(org.callers["लखनऊ"].person.name)
    page.screenshot(path=ARTIFACTS / "dashboard-booth-calls-en.png", full_page=True)

    page.locator(".subtabs a").first.click()  # back to the overview, at the booth's level
    page.goto(f"{link.split('/s/')[0]}/dashboard/?by=district")
    with page.expect_download() as download_info:
        page.locator("#table-rows").locator("xpath=following::p[@class='downloads'][1]").get_by_text("CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_bytes().decode("utf-8-sig")
    rows = {row["district"]: row for row in csv.DictReader(io.StringIO(text))}
    assert (rows["वाराणसी"]["assigned"], rows["वाराणसी"]["missed"]) == ("6", "3")
    assert not errors
    context.close()


def test_the_dashboard_reads_on_a_phone_in_hindi(leader_link, browser):
    _org, links = leader_link
    link = links["hi"]
    context = browser.new_context(locale="hi-IN", viewport={"width": 360, "height": 740}, device_scale_factor=2)
    page = context.new_page()
    page.goto(link)
    expect(page.locator("h1")).to_contain_text("कॉल")
    page.goto(page.url.split("/dashboard/")[0] + "/dashboard/booth-health/")
    expect(page.locator("h1")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360 + 1  # wide tables scroll inside their box, the page does not
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "dashboard-booth-health-360-hi.png", full_page=True)
    context.close()
