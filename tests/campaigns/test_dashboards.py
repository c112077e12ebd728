"""The dashboard pages through HTTP, on an organisation whose figures are known
by hand (`dashboard_data.py`): what each page shows, what its exports write,
how many queries it takes, and how it answers a bad query."""

import csv
import datetime
import io
import re

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from booths.models import Booth
from campaigns.models import CallAssignment, CallLog, FollowUp
from tests.campaigns.dashboard_data import NOON, build
from tests.factories import AdminUserFactory, make_viewer
from tests.support import module_transaction

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _org(django_db_setup, django_db_blocker):
    with module_transaction(django_db_blocker):
        yield build()  # once for the module


@pytest.fixture
def org(_org, db):
    with time_machine.travel(NOON, tick=False):
        yield _org


@pytest.fixture
def leader(org):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(make_viewer(state=org.state))
    return client


def read_csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/csv")
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the Hindi
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def figures(row: dict[str, str]) -> tuple[int, ...]:
    return tuple(int(row[name]) for name in ("assigned", "logged", "reached", "missed"))


def test_overview_by_district_counts_each_call_once(leader):
    rows = read_csv(leader.get("/dashboard/?by=district&format=csv"))
    assert list(rows[0])[:6] == ["region", "district", "assigned", "logged", "reached", "missed"]
    by_district = {row["district"]: (row["region"], *figures(row), int(row["open"])) for row in rows}
    assert by_district == {
        "लखनऊ": ("अवध", 6, 5, 4, 0, 1),
        "उन्नाव": ("अवध", 6, 4, 3, 0, 2),
        "वाराणसी": ("काशी", 6, 1, 1, 3, 2),
    }


def test_overview_of_the_state_is_by_region_with_totals_and_a_trend(leader, org):
    response = leader.get("/dashboard/")
    assert response.status_code == 200
    result = response.context["result"]
    assert result.by == "region"
    assert {row.name: figures(vars(row.figures)) for row in result.rows} == {
        "अवध": (12, 9, 7, 0),
        "काशी": (6, 1, 1, 3),
    }
    assert figures(vars(result.totals)) == (18, 10, 8, 3)
    trend = {day: figures(vars(f)) for day, f in result.trend}
    assert len(trend) == 30  # the last 30 days, empty ones included
    assert trend[org.today] == (6, 1, 1, 0)
    assert sum(f[0] for f in trend.values()) == 18
    content = response.content.decode()
    assert "<svg" in content and "Day by day" in content
    assert f"?region={org.awadh.pk}" in content  # each row drills down


def test_the_period_changes_the_figures(leader, org):
    yesterday = {row["district"]: figures(row) for row in read_csv(
        leader.get("/dashboard/?period=yesterday&by=district&format=csv"))}  # fmt: skip
    assert yesterday == {"लखनऊ": (2, 2, 1, 0), "उन्नाव": (2, 2, 2, 0), "वाराणसी": (2, 1, 1, 1)}
    day = org.today.isoformat()
    custom = read_csv(leader.get(f"/dashboard/?from={day}&to={day}&by=district&format=csv"))
    assert {row["district"]: figures(row) for row in custom} == {
        "लखनऊ": (2, 1, 1, 0), "उन्नाव": (2, 0, 0, 0), "वाराणसी": (2, 0, 0, 0),
    }  # fmt: skip


def test_drilling_down_from_region_to_the_calls_of_a_booth(leader, org):
    region = leader.get(f"/dashboard/?region={org.awadh.pk}")
    assert region.context["result"].by == "district"
    assert {row.name for row in region.context["result"].rows} == {"लखनऊ", "उन्नाव"}

    district = leader.get(f"/dashboard/?district={org.lucknow.pk}")
    mandals = district.context["result"].rows
    assert district.context["result"].by == "mandal"
    assert sorted(row.figures.assigned for row in mandals) == [3, 3]  # one call a day in each mandal
    assert sum(row.figures.logged for row in mandals) == 5

    mandal = leader.get(f"/dashboard/?mandal={mandals[0].pk}")
    booths = mandal.context["result"].rows
    assert mandal.context["result"].by == "booth"
    assert sum(row.figures.assigned for row in booths) == 3

    booth = leader.get(f"/dashboard/?booth={booths[0].pk}")
    assert booth.status_code == 200
    calls = list(booth.context["calls"])
    assert calls and all(call.post.booth_id == booths[0].pk for call in calls)
    content = booth.content.decode()
    for call in calls:
        assert call.caller.name in content
        if call.outcome:
            assert str(call.get_outcome_display()) in content


def test_overview_by_mandal_and_by_caller_exports(leader, org):
    mandals = read_csv(leader.get("/dashboard/?by=mandal&format=csv"))
    assert list(mandals[0])[:7] == ["region", "district", "mandal", "assigned", "logged", "reached", "missed"]
    assert len(mandals) == 4
    assert sum(int(row["assigned"]) for row in mandals) == 18

    callers = read_csv(leader.get("/dashboard/?by=caller&format=csv"))
    assert list(callers[0])[:7] == ["caller_name", "caller_phone", "caller_role", "assigned", "logged", "reached",
                                    "missed"]  # fmt: skip
    by_phone = {row["caller_phone"]: (row["caller_role"], *figures(row)) for row in callers}
    assert by_phone == {
        str(org.callers["लखनऊ"].person.mobile): ("district_incharge", 6, 5, 4, 0),
        str(org.callers["उन्नाव"].person.mobile): ("district_incharge", 6, 4, 3, 0),
        str(org.callers["वाराणसी"].person.mobile): ("district_incharge", 6, 1, 1, 3),
    }


def test_the_xlsx_export_equals_the_csv_with_numbers_as_numbers(leader):
    response = leader.get("/dashboard/?by=district&format=xlsx")
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    assert ".xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    as_csv = read_csv(leader.get("/dashboard/?by=district&format=csv"))
    assert header == list(as_csv[0])
    assert [row[:6] for row in rows] == [[r["region"], r["district"], *map(int, figures(r))] for r in as_csv]
    assert all(isinstance(value, int) for row in rows for value in row[2:6])


def test_callers_page_shows_accountability_and_sorts(leader, org):
    response = leader.get("/dashboard/callers/")
    assert response.status_code == 200
    table = response.context["tables"]["callers"]
    keys = [column.key for column in table.columns]
    rows = {row[keys.index("caller_phone")]: dict(zip(keys, row, strict=True)) for row in table.rows}
    lucknow = rows[str(org.callers["लखनऊ"].person.mobile)]
    varanasi = rows[str(org.callers["वाराणसी"].person.mobile)]
    assert (lucknow["assigned"], lucknow["logged"], lucknow["missed"], lucknow["streak"]) == (6, 5, 0, 2)
    assert round(lucknow["logged_share"], 3) == round(5 / 6, 3)
    assert lucknow["last_logged_at"] is not None
    assert (varanasi["logged"], varanasi["missed"], varanasi["streak"]) == (1, 3, 0)
    # Default order: the callers who log the fewest of their calls first.
    assert table.rows[0][keys.index("caller_phone")] == str(org.callers["वाराणसी"].person.mobile)
    by_name = leader.get("/dashboard/callers/?sort=-name").context["tables"]["callers"]
    names = [row[0] for row in by_name.rows]
    assert names == sorted(names, reverse=True)
    districts = leader.get("/dashboard/callers/?format=csv&table=districts")
    compared = {row["district"]: figures(row) for row in read_csv(districts)}
    assert compared["वाराणसी"] == (6, 1, 1, 3)
    regions = {
        row["region"]: figures(row) for row in read_csv(leader.get("/dashboard/callers/?format=csv&table=regions"))
    }
    assert regions == {"अवध": (12, 9, 7, 0), "काशी": (6, 1, 1, 3)}


def _latest_standings(org, *, day=None) -> dict[int, str]:
    """The latest standing of each booth (in one day, when given), read from the logs."""
    latest: dict[int, tuple] = {}
    logs = CallLog.objects.filter(assignment__outcome="reached").exclude(standing="").select_related("assignment__post")
    if day:
        logs = logs.filter(assignment__day=day)
    for log in logs:
        key = (log.assignment.day, log.assignment_id)
        booth = log.assignment.post.booth_id
        if booth not in latest or key > latest[booth][0]:
            latest[booth] = (key, log.standing, log.assignment.post.booth.mandal.district.name)
    return {booth: (standing, district) for booth, (_key, standing, district) in latest.items()}


def test_booth_health_counts_each_booth_by_its_latest_report(leader, org):
    rows = read_csv(leader.get("/dashboard/booth-health/?by=district&format=csv"))
    assert list(rows[0])[:6] == ["region", "district", "booths_asked", "strong", "competitive", "weak"]
    got = {row["district"]: tuple(int(row[k]) for k in ("booths_asked", "strong", "competitive", "weak"))
           for row in rows}  # fmt: skip
    # Hand count: उन्नाव's booths said competitive (two days ago), strong and weak (yesterday, two other
    # booths); वाराणसी's one booth reached said weak; लखनऊ's three booths reached said strong, weak,
    # competitive, and today's call went back to one of the first two.
    assert got["उन्नाव"] == (3, 1, 1, 1)
    assert got["वाराणसी"] == (1, 0, 0, 1)
    lucknow = [standing for standing, district in _latest_standings(org).values() if district == "लखनऊ"]
    assert got["लखनऊ"] == (3, lucknow.count("strong"), lucknow.count("competitive"), lucknow.count("weak"))

    yesterday = read_csv(leader.get("/dashboard/booth-health/?period=yesterday&by=district&format=csv"))
    assert {row["district"]: (int(row["booths_asked"]), int(row["weak"])) for row in yesterday} == {
        "लखनऊ": (1, 0), "उन्नाव": (2, 1), "वाराणसी": (1, 1),
    }  # fmt: skip


def test_booth_health_lists_weak_booths_with_open_needs_and_presidents_never_reached(leader, org):
    page = leader.get(f"/dashboard/booth-health/?district={org.varanasi.pk}")
    assert page.status_code == 200
    weak = page.context["tables"]["weak"]
    assert len(weak.rows) == 1
    row = dict(zip([c.key for c in weak.columns], weak.rows[0], strict=True))
    assert set(row["open_needs"].split(";")) == {"booth_committee", "leader_visit"}  # codes in the files
    assert "Workers for the booth committee" in page.content.decode()  # labels on the page
    weak_csv = read_csv(leader.get(f"/dashboard/booth-health/?district={org.varanasi.pk}&table=weak&format=csv"))
    assert set(weak_csv[0]["open_needs"].split(";")) == {"booth_committee", "leader_visit"}
    never = page.context["never_page"]
    assert never.paginator.count == 3  # वाराणसी's other presidents were never reached
    weak_csv = read_csv(leader.get(f"/dashboard/booth-health/?district={org.varanasi.pk}&format=csv&table=weak"))
    assert [r["district"] for r in weak_csv] == ["वाराणसी"]
    never_csv = read_csv(
        leader.get(f"/dashboard/booth-health/?district={org.varanasi.pk}&format=csv&table=never_reached")
    )
    assert len(never_csv) == 3
    # Presidents' numbers are masked for readers without view_full_phone.
    assert all(re.fullmatch(r"\d\d••••\d{4}", row["president_phone"]) for row in never_csv)
    listed = {(int(row["booth"].split("/")[0]), int(row["booth"].split("/")[1])) for row in never_csv}
    reached_labels = set(
        CallAssignment.objects.filter(outcome="reached").values_list(
            "post__booth__assembly_seat__number", "post__booth__number"
        )
    )
    assert not listed & reached_labels


def test_needs_page_counts_follow_ups_by_category_and_status(leader, org):
    rows = read_csv(leader.get("/dashboard/needs/?by=district&format=csv"))
    by_district = {row["district"]: row for row in rows}
    assert {name: int(row["total"]) for name, row in by_district.items()} == {"लखनऊ": 4, "उन्नाव": 3, "वाराणसी": 2}
    lucknow = by_district["लखनऊ"]
    assert (int(lucknow["voter_list"]), int(lucknow["booth_committee"]), int(lucknow["leader_visit"])) == (2, 1, 1)
    assert int(lucknow["open"]) == 4 and int(lucknow["resolved"]) == 0
    page = leader.get("/dashboard/needs/")
    assert page.context["totals"]["total"] == 9
    ages = read_csv(leader.get("/dashboard/needs/?format=csv&table=ages"))[0]
    assert (int(ages["under_7_days"]), int(ages["open_total"])) == (9, 9)
    open_items = read_csv(leader.get("/dashboard/needs/?format=csv&table=open"))
    raised = [row["raised_at"] for row in open_items]
    assert len(raised) == 9 and raised == sorted(raised)  # oldest first
    # Codes, not labels: a script reads the same file whatever the reader's language.
    assert {row["status"] for row in open_items} == {"open"}
    assert {row["category"] for row in open_items} <= set(dict(FollowUp.CATEGORY_CHOICES))
    assert "/follow-ups/" in page.content.decode()


def test_roster_health_within_scope_with_do_not_call(leader, org):
    from booths.models import Person, Post

    post = Post.objects.current().filter(role="booth_president", booth__mandal__district=org.unnao).first()
    Person.objects.filter(pk=post.person_id).update(do_not_call=True, do_not_call_reason="मना किया")
    from campaigns.health import roster_health_refresh

    roster_health_refresh()
    rows = {row["district"]: row for row in read_csv(leader.get("/dashboard/roster-health/?by=district&format=csv"))}
    assert {name: int(row["booths"]) for name, row in rows.items()} == {"लखनऊ": 4, "उन्नाव": 4, "वाराणसी": 4}
    assert int(rows["उन्नाव"]["do_not_call"]) == 1
    assert int(rows["वाराणसी"]["never_reached"]) == 3
    assert all(int(row["vacant"]) == 0 for row in rows.values())
    page = leader.get("/dashboard/roster-health/")
    assert "counted at" in page.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/",
        "/dashboard/?by=mandal",
        "/dashboard/callers/",
        "/dashboard/booth-health/",
        "/dashboard/needs/",
        "/dashboard/roster-health/",
        "/dashboard/?period=yesterday",
        "/dashboard/booth-health/?period=yesterday",
    ],
)
def test_each_page_takes_a_bounded_number_of_queries(leader, org, url, django_assert_max_num_queries):
    leader.get(url)  # the session's first page remembers its tabs
    with django_assert_max_num_queries(15):
        assert leader.get(url).status_code == 200


def test_unit_pages_take_a_bounded_number_of_queries(leader, org, django_assert_max_num_queries):
    leader.get("/dashboard/")
    mandal = org.lucknow.mandals.first()
    for url in (f"/dashboard/?district={org.lucknow.pk}", f"/dashboard/?mandal={mandal.pk}",
                f"/dashboard/booth-health/?mandal={mandal.pk}", f"/dashboard/needs/?mandal={mandal.pk}",
                f"/dashboard/calls/?district={org.lucknow.pk}"):  # fmt: skip
        with django_assert_max_num_queries(15):
            assert leader.get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("from=2026-11-20&to=2026-11-01", "starts"),
        ("from=2026-13-45&to=2026-11-21", "valid date"),
        ("from=2026-11-01", "both dates"),
        ("from=2020-01-01&to=2026-11-20", "at most"),
        ("period=decade", "valid choice"),
        ("by=booth_president", "by=booth_president"),
        ("format=pdf", "format=pdf"),
        ("region=abc", "not a number"),
        ("page=0", "page=0"),
    ],
)
def test_a_bad_query_says_what_is_wrong(leader, query, says):
    page = leader.get(f"/dashboard/?{query}")
    assert page.status_code == 400
    assert says in page.content.decode()
    export = leader.get(f"/dashboard/?{query}&format=csv") if "format" not in query else page
    assert export.status_code == 400


def test_grouping_above_the_unit_shown_is_refused(leader, org):
    response = leader.get(f"/dashboard/?district={org.lucknow.pk}&by=region&format=csv")
    assert response.status_code == 400
    assert "by=region" in response.content.decode()
    assert leader.get(f"/dashboard/callers/?mandal={org.lucknow.mandals.first().pk}").status_code == 400
    assert leader.get("/dashboard/?format=csv&table=nonsense").status_code == 400
    assert leader.get("/dashboard/booth-health/?format=csv&table=never_reached").status_code == 400
    # A page that takes no by= says so (it listed no choices: "by=district is not one of —").
    callers = leader.get("/dashboard/callers/?by=district")
    assert callers.status_code == 400 and "this page is not grouped by a unit" in callers.content.decode()


def test_calls_list_needs_a_unit_or_a_caller_and_exports_what_export_calls_writes(leader, org):
    assert leader.get("/dashboard/calls/").status_code == 400
    caller = org.callers["वाराणसी"].person
    rows = read_csv(leader.get(f"/dashboard/calls/?caller={caller.pk}&format=csv"))
    assert len(rows) == 6
    assert {row["status"] for row in rows} == {"logged", "missed", "assigned"}
    weak = next(row for row in rows if row["standing"] == "weak")
    assert (weak["wellbeing"], weak["needs"]) == ("needs_attention", "booth_committee;leader_visit")
    page = leader.get(f"/dashboard/calls/?district={org.varanasi.pk}&status=missed")
    assert len(page.context["calls"].object_list) == 3


def test_dashboards_are_in_hindi_by_default(org):
    client = Client()
    client.force_login(make_viewer(state=org.state))
    content = client.get("/dashboard/").content.decode()
    assert "कॉल" in content
    assert 'lang="hi"' in content


def test_a_leader_signs_in_with_the_link_and_lands_on_the_dashboard(org):
    from campaigns.signin import signin_token

    viewer = make_viewer(state=org.state)
    client = Client()
    response = client.get(f"/s/{signin_token(user=viewer, day=org.today)}")
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/admin/").status_code == 302  # a link never opens the admin


def test_a_leader_signs_in_with_mobile_and_password(org):
    viewer = make_viewer(regions=[org.awadh])
    response = Client().post(
        "/accounts/login/", {"username": str(viewer.person.mobile)[3:], "password": "a-long-test-password"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"


def test_staff_see_every_district_only_with_the_permission(org):
    from django.contrib.auth.models import Permission

    staff = AdminUserFactory(username="office", is_superuser=False)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff)
    assert client.get("/dashboard/").status_code == 404
    staff.user_permissions.add(Permission.objects.get(codename="view_dashboards"))
    client.force_login(staff)
    rows = read_csv(client.get("/dashboard/?by=district&format=csv"))
    assert len(rows) == 3


def test_the_tabs_show_what_a_user_has(org):
    caller = Client(HTTP_ACCEPT_LANGUAGE="en")
    caller.force_login(org.callers["लखनऊ"])
    content = caller.get("/today/").content.decode()
    assert 'href="/today/"' in content and 'href="/dashboard/"' in content  # an in-charge sees their district
    viewer = Client(HTTP_ACCEPT_LANGUAGE="en")
    viewer.force_login(make_viewer(districts=[org.unnao]))
    content = viewer.get("/dashboard/").content.decode()
    assert 'href="/today/"' not in content and 'href="/follow-ups/"' in content


@pytest.mark.parametrize(
    ("url", "table"),
    [
        ("/dashboard/?by=district", "rows"),
        ("/dashboard/?by=mandal", "rows"),
        ("/dashboard/?by=caller", "rows"),
        ("/dashboard/", "trend"),
        ("/dashboard/callers/", "callers"),
        ("/dashboard/callers/", "districts"),
        ("/dashboard/booth-health/?by=mandal", "units"),
        ("/dashboard/booth-health/", "weak"),
        ("/dashboard/needs/?by=district", "units"),
        ("/dashboard/needs/", "open"),
        ("/dashboard/roster-health/?by=district", "units"),
    ],
)
def test_each_export_equals_the_table_on_the_page(leader, url, table):
    # (not `page`: that is Playwright's fixture, and would make these browser tests)
    from campaigns.dashboards.exports import table_rows

    shown = leader.get(url).context["tables"][table]
    joiner = "&" if "?" in url else "?"
    exported = read_csv(leader.get(f"{url}{joiner}format=csv&table={table}"))
    assert exported, "the demo has rows for every table"
    assert list(exported[0]) == [column.key for column in shown.columns]
    expected = [[str(value) for value in row] for row in table_rows(shown)]
    assert [list(row.values()) for row in exported] == expected


def test_the_calls_table_has_the_columns_of_export_calls():
    from campaigns.dashboards.tables import CALL_COLUMNS
    from campaigns.selectors import EXPORT_COLUMNS

    assert [column.key for column in CALL_COLUMNS] == EXPORT_COLUMNS


@pytest.mark.parametrize("language", ["hi", "en"])
def test_numbers_are_grouped_the_indian_way_as_the_formats_say(language):
    from django.utils import translation
    from django.utils.formats import number_format

    from campaigns.templatetags.dashboards import cell

    with translation.override(language):
        for n in (0, 7, 999, 1_000, 12_345, 1_63_000, 16_30_000, 1_05_00_000, 12_34_56_789):
            assert cell(n, "int") == number_format(n, force_grouping=True)
        assert cell(16_30_000, "int") == "16,30,000"


def test_a_note_that_looks_like_a_formula_exports_inert(leader, org):
    caller = org.callers["वाराणसी"].person
    log = CallLog.objects.filter(assignment__caller=caller).first()
    CallLog.objects.filter(pk=log.pk).update(notes='=HYPERLINK("http://evil.example","x")')
    rows = read_csv(leader.get(f"/dashboard/calls/?caller={caller.pk}&format=csv"))
    assert '\'=HYPERLINK("http://evil.example","x")' in {row["notes"] for row in rows}
    response = leader.get(f"/dashboard/calls/?caller={caller.pk}&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    notes = [cell for row in sheet.iter_rows() for cell in row if str(cell.value).startswith("=HYPERLINK")]
    assert notes and all(cell.data_type == "s" for cell in notes)


def test_presidents_numbers_are_whole_only_with_view_full_phone(leader, org):
    from django.contrib.auth.models import Permission

    url = f"/dashboard/calls/?district={org.varanasi.pk}&format=csv"
    masked = read_csv(leader.get(url))
    assert masked and all(re.fullmatch(r"\d\d••••\d{4}", row["president_phone"]) for row in masked)
    assert all(row["caller_phone"].startswith("+91") for row in masked)  # the callers the reader leads
    page = leader.get(f"/dashboard/calls/?district={org.varanasi.pk}").content.decode()
    assert "••••" in page
    user = leader.session["_auth_user_id"]
    from booths.models import User

    User.objects.get(pk=user).user_permissions.add(Permission.objects.get(codename="view_full_phone"))
    whole = read_csv(leader.get(url))
    assert all(row["president_phone"].startswith("+91") for row in whole)


# Exports by mandal name each mandal's region and district (booth health and needs wrote an empty region).
def _periods(org) -> list[str]:
    yesterday = org.today - datetime.timedelta(days=1)
    # One that runs to today (read from the daily rows) and one that ended (read from the calls).
    return ["", f"&from={org.today - datetime.timedelta(days=29)}&to={yesterday}"]


@pytest.mark.parametrize("url", ["/dashboard/", "/dashboard/booth-health/", "/dashboard/needs/"])
def test_mandal_rows_name_their_region_and_district(leader, org, url):
    regions = {"लखनऊ": "अवध", "उन्नाव": "अवध", "वाराणसी": "काशी"}
    for period in _periods(org):
        rows = read_csv(leader.get(f"{url}?by=mandal&format=csv{period}"))
        assert rows, (url, period)
        assert list(rows[0])[:3] == ["region", "district", "mandal"]
        assert {(row["district"], row["region"]) for row in rows} <= set(regions.items()), (url, period, rows)
        for row in rows:
            assert row["region"] == regions[row["district"]], (url, period, row)


def test_a_download_without_table_gives_the_first_table_the_unit_has(leader, org):
    """A booth's overview shows only its calls and a mandal's needs no table by
    unit: adding format=csv to the page's URL downloads what the page shows."""
    booth = Booth.objects.filter(mandal__district=org.lucknow, is_active=True).first()
    calls = read_csv(leader.get(f"/dashboard/?booth={booth.pk}&format=csv"))
    assert calls and list(calls[0])[:2] == ["date", "caller_name"]
    assert {row["district"] for row in calls} == {"लखनऊ"}
    mandal = org.lucknow.mandals.first()
    response = leader.get(f"/dashboard/needs/?mandal={mandal.pk}&format=csv")
    assert list(read_csv(response)[0])[:3] == ["raised_at", "district", "mandal"]
    # A table asked for by name and not on the page is still a 400 that says so.
    response = leader.get(f"/dashboard/?booth={booth.pk}&table=rows&format=csv")
    assert response.status_code == 400 and b"table=rows" in response.content
