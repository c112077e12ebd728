"""Settings for `bench/load.py`: the app's own, plus the ceiling page."""

from outreach.settings import *  # noqa: F403

ROOT_URLCONF = "bench.load_urls"
