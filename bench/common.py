"""Helpers shared by the benchmarks: throwaway PostgreSQL databases and timing."""

import os
import platform
import resource
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SERVER_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def database_url(name: str) -> str:
    return urlunparse(urlparse(SERVER_URL)._replace(path=f"/{name}"))


def _admin(sql: str) -> None:
    connection = psycopg2.connect(SERVER_URL)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql)
    connection.close()


@contextmanager
def scratch_database(name: str, keep: bool = False):
    """A new, migrated PostgreSQL database, dropped afterwards unless `keep`."""
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{name}"')
    url = database_url(name)
    manage("migrate", "-v0", url=url)
    try:
        yield url
    finally:
        if not keep:
            _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(*args: str, url: str) -> tuple[float, int, str]:
    """Run a management command in a child process; return (seconds, peak RSS MiB, output)."""
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-only", "DEBUG": "false"}
    env.pop("REDIS_URL", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest child so far: good enough when the measured child is the biggest.
    return seconds, max(peak, before) // 1024, result.stdout


def machine() -> str:
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
