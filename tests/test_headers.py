"""Every page carries the security headers: a Content Security Policy with no
inline script or style, Referrer-Policy and Permissions-Policy; and no template
of ours has inline script for the policy to block."""

import re
from pathlib import Path

import pytest

from tests.campaigns.helpers import caller_with_calls
from tests.factories import AdminUserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/admin/login/", "/today/", "/admin/", "/s/bad.token"])
def test_pages_carry_the_security_headers(client, url):
    user, _calls = caller_with_calls()
    if url in ("/today/",):
        client.force_login(user)
    if url == "/admin/":
        client.force_login(AdminUserFactory(is_staff=True, is_superuser=True))
    response = client.get(url, secure=True)
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_no_template_or_admin_html_of_ours_has_inline_script_or_handlers():
    sources = list((ROOT / "templates").rglob("*.html"))
    sources += [path for app in ("booths", "campaigns", "outreach") for path in (ROOT / app).rglob("*.py")]
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
    handler = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I)
    style_attribute = re.compile(r"""\sstyle\s*=\s*["']""", re.I)
    found = [
        f"{path.relative_to(ROOT)}: {pattern.pattern}"
        for path in sources
        for pattern in (inline_script, handler, style_attribute)
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
