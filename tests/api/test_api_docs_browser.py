"""The API's documentation page in a real browser (Debian's Chromium): Swagger UI
draws every operation of the schema, with nothing refused by our Content
Security Policy (no inline script or style)."""

import pytest
from playwright.sync_api import expect

from tests.support import requires_chromium

pytestmark = [requires_chromium, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_api_docs_draw_the_schema_with_nothing_blocked_by_the_csp(live_server, browser):
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=15_000)
    expect(page.locator(".swagger-ui")).to_contain_text("/api/v1/assignments/{id}/outcome/")
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"  # our copy of its rules applied
    assert not [text for text in problems if "Content Security Policy" in text or "Refused" in text], problems
    context.close()
