"""Exports by mandal name each mandal's region and district, on every page that
groups by mandal (booth health and needs wrote an empty region column)."""

import csv
import datetime
import io

import pytest
import time_machine
from django.test import Client

from tests.campaigns.dashboard_data import NOON, build
from tests.factories import make_viewer
from tests.support import module_transaction

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _org(django_db_setup, django_db_blocker):
    with module_transaction(django_db_blocker):
        yield build()


@pytest.fixture
def org(_org, db):
    with time_machine.travel(NOON, tick=False):
        yield _org


@pytest.fixture
def leader(org):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(make_viewer(state=org.state))
    return client


def rows_of(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.content[:300]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def periods(org) -> list[str]:
    yesterday = org.today - datetime.timedelta(days=1)
    # One that runs to today (read from the daily rows) and one that ended (read from the calls).
    return ["", f"&from={org.today - datetime.timedelta(days=29)}&to={yesterday}"]


@pytest.mark.parametrize("url", ["/dashboard/", "/dashboard/booth-health/", "/dashboard/needs/"])
def test_mandal_rows_name_their_region_and_district(leader, org, url):
    regions = {"लखनऊ": "अवध", "उन्नाव": "अवध", "वाराणसी": "काशी"}
    for period in periods(org):
        rows = rows_of(leader.get(f"{url}?by=mandal&format=csv{period}"))
        assert rows, (url, period)
        assert list(rows[0])[:3] == ["region", "district", "mandal"]
        assert {(row["district"], row["region"]) for row in rows} <= set(regions.items()), (url, period, rows)
        for row in rows:
            assert row["region"] == regions[row["district"]], (url, period, row)


def test_a_download_without_table_gives_the_first_table_the_unit_has(leader, org):
    """A booth's overview shows only its calls and a mandal's needs no table by
    unit: adding format=csv to the page's URL downloads what the page shows."""
    from booths.models import Booth

    booth = Booth.objects.filter(mandal__district=org.lucknow, is_active=True).first()
    calls = rows_of(leader.get(f"/dashboard/?booth={booth.pk}&format=csv"))
    assert calls and list(calls[0])[:2] == ["date", "caller_name"]
    assert {row["district"] for row in calls} == {"लखनऊ"}
    mandal = org.lucknow.mandals.first()
    response = leader.get(f"/dashboard/needs/?mandal={mandal.pk}&format=csv")
    assert list(rows_of(response)[0])[:3] == ["raised_at", "district", "mandal"]
    # A table asked for by name and not on the page is still a 400 that says so.
    response = leader.get(f"/dashboard/?booth={booth.pk}&table=rows&format=csv")
    assert response.status_code == 400 and b"table=rows" in response.content
