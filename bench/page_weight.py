"""What a caller's phone downloads: the Today page and the outcome form.

    .venv/bin/python bench/page_weight.py

Builds the small demo organisation in a throwaway SQLite file, signs a demo
caller in, and measures the bytes of each page as sent (gzip, as the app's
GZipMiddleware and WhiteNoise send them) and uncompressed, with the one
stylesheet; there is no JavaScript and no web font. Budget: 60 KB in total.
"""

import datetime
import gzip
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RUN_DIR = tempfile.mkdtemp(prefix="bench-page-weight-")
os.environ.update(
    RUN_DIR=RUN_DIR,
    SECRET_KEY="bench-only",
    DEBUG="false",
    LOG_LEVEL="WARNING",
    STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",  # no collectstatic here
)
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outreach.settings")

import warnings  # noqa: E402

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from io import StringIO  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from bench.common import machine  # noqa: E402

BUDGET = 60 * 1024


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--preset", "small", stdout=StringIO())
    call_command("assign_calls", "--no-messages", stdout=StringIO())
    from campaigns.models import CallAssignment

    first = CallAssignment.objects.order_by("pk").select_related("caller__user").first()
    with override_settings(SECURE_SSL_REDIRECT=False, ALLOWED_HOSTS=["testserver"]):
        client = Client(HTTP_ACCEPT_LANGUAGE="hi", HTTP_ACCEPT_ENCODING="gzip")
        client.force_login(first.caller.user)
        pages = {"Today page": "/today/", "outcome form": f"/calls/{first.pk}/"}
        rows = []
        for name, url in pages.items():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            sent = len(response.content)
            raw = len(gzip.decompress(response.content)) if response.get("Content-Encoding") == "gzip" else sent
            rows.append((name, raw, sent))
    css = (ROOT / "static/css/app.css").read_bytes()
    rows.append(("app.css", len(css), len(gzip.compress(css, 9))))
    print(f"page weight · {datetime.date.today()} · {machine()}")
    for name, raw, sent in rows:
        print(f"  {name:<14} {raw / 1024:6.1f} KB raw  {sent / 1024:5.1f} KB sent (gzip)")
    total_raw, total_sent = sum(r for _, r, _ in rows), sum(s for _, _, s in rows)
    print(f"  {'total':<14} {total_raw / 1024:6.1f} KB raw  {total_sent / 1024:5.1f} KB sent; budget 60 KB: "
          f"{'within' if total_sent < BUDGET else 'OVER'} ({total_sent / BUDGET:.0%} of it)")  # fmt: skip


if __name__ == "__main__":
    main()
