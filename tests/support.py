"""Markers and helpers shared by tests."""

import os
import shutil

import pytest

requires_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL: set DATABASE_URL=postgres://... (CI does)",
)
requires_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs Redis: set REDIS_URL=redis://... (CI does)"
)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
requires_chromium = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason="needs Chromium: apt-get install chromium (CI does)"
)
