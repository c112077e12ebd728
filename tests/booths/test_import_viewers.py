"""The people sheet's dashboard viewers: leadership, regional and district presidents,
imported with `import_callers` beside the callers, exported back unchanged."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from booths.models import Person, Post, User
from booths.roster.callers import callers_import
from tests.booths.sheets import caller_row, read_sheet, write_sheet
from tests.factories import DistrictFactory, PersonFactory, PostFactory, RegionFactory, StateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def roster():
    state = StateFactory()
    awadh = RegionFactory(state=state, name="अवध")
    kashi = RegionFactory(state=state, name="काशी")
    DistrictFactory(region=awadh, name="लखनऊ महानगर")
    DistrictFactory(region=awadh, name="उन्नाव")
    DistrictFactory(region=kashi, name="वाराणसी")
    return state


def run(path, *args: str) -> str:
    out = StringIO()
    call_command("import_callers", str(path), *args, stdout=out)
    return out.getvalue()


VIEWERS = [
    caller_row(name="प्रदेश अध्यक्ष सिंह", phone="9811100001", role="leadership", districts="", regions=""),
    caller_row(
        name="क्षेत्रीय अध्यक्ष वर्मा", phone="9811100002", role="regional_president", districts="", regions="अवध; काशी"
    ),
    caller_row(name="जिला अध्यक्ष यादव", phone="9811100003", role="district_president", districts="उन्नाव"),
]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_viewers_get_accounts_and_posts_of_their_territory_and_no_calls(tmp_path, roster, fmt):
    run(write_sheet(tmp_path / f"people.{fmt}", VIEWERS))
    leader = User.objects.get(username="+919811100001")
    assert set(Post.objects.current().filter(person=leader.person).values_list("role", "state_id")) == {
        ("leadership", roster.pk)
    }
    regional = Post.objects.current().filter(person__mobile="+919811100002")
    assert {post.region.name for post in regional} == {"अवध", "काशी"}
    assert {post.role for post in regional} == {"regional_president"}
    district = Post.objects.current().get(person__mobile="+919811100003")
    assert (district.role, district.district.name) == ("district_president", "उन्नाव")
    from booths.selectors import caller_users

    assert not caller_users().filter(person__mobile__in=["+919811100001", "+919811100002", "+919811100003"]).exists()


def test_a_new_district_president_ends_the_post_of_the_one_before_and_says_so(tmp_path, roster):
    from booths.models import District

    unnao = District.objects.get(name="उन्नाव")
    before = PostFactory(person=PersonFactory(name="पुराने अध्यक्ष"), role="district_president", district=unnao)
    output = run(write_sheet(tmp_path / "people.csv", VIEWERS[2:]))
    assert "पुराने अध्यक्ष" in output  # the warning names who is replaced
    before.refresh_from_db()
    assert before.end_date is not None
    assert Post.objects.current().get(role="district_president", district=unnao).person.mobile == "+919811100003"


@pytest.mark.parametrize(
    ("row", "column", "says"),
    [
        (dict(role="regional_president", regions="", districts=""), "regions", "needs their regions"),
        (dict(role="regional_president", regions="पूर्वांचल"), "regions", "no region"),
        (dict(role="district_president", districts=""), "districts", "needs their districts"),
        (dict(role="district_president", districts="गाजीपुर"), "districts", "no district"),
        (dict(role="chief_minister"), "role", "is not a caller role"),
    ],
)
def test_a_bad_viewer_row_is_refused_and_nothing_is_written(tmp_path, roster, row, column, says):
    out = StringIO()
    path = write_sheet(tmp_path / "people.csv", [VIEWERS[0], caller_row(phone="9811100009", **row)])
    with pytest.raises(CommandError):
        call_command("import_callers", str(path), stdout=out)
    line = next(line for line in out.getvalue().splitlines() if line.strip().startswith("row 3,"))
    assert f"row 3, {column}:" in line and says in line
    assert not Person.objects.exists()
    assert not User.objects.exists()


def test_two_presidents_of_one_district_in_one_file_are_refused(tmp_path, roster):
    out = StringIO()
    rows = [VIEWERS[2], caller_row(name="दूसरे अध्यक्ष", phone="9811100004", role="district_president",
                                   districts="उन्नाव")]  # fmt: skip
    with pytest.raises(CommandError):
        call_command("import_callers", str(write_sheet(tmp_path / "people.csv", rows)), stdout=out)
    assert "row 3, districts: Row 2 names another president" in out.getvalue()
    assert not Post.objects.exists()


def test_changing_role_ends_the_old_post(tmp_path, roster):
    run(write_sheet(tmp_path / "a.csv", VIEWERS[2:]))
    run(write_sheet(tmp_path / "b.csv", [{**VIEWERS[2], "role": "district_incharge"}]))
    posts = Post.objects.filter(person__mobile="+919811100003")
    assert set(posts.current().values_list("role", flat=True)) == {"district_incharge"}
    assert posts.filter(role="district_president", end_date__isnull=False).exists()


def test_the_people_sheet_round_trips_with_viewers(tmp_path, roster):
    callers = [caller_row(), caller_row(name="राज्य पदाधिकारी", phone="9811122244", role="state_office_bearer",
                                        districts="", regions="काशी")]  # fmt: skip
    run(write_sheet(tmp_path / "people.csv", callers + VIEWERS))
    exported = tmp_path / "exported.csv"
    call_command("export_callers", "--output", str(exported), stdout=StringIO())
    rows = read_sheet(exported)
    assert {row["role"] for row in rows} == {
        "district_incharge", "state_office_bearer", "leadership", "regional_president", "district_president"
    }  # fmt: skip
    regional = next(row for row in rows if row["role"] == "regional_president")
    assert set(regional["regions"].split(";")) == {"अवध", "काशी"}
    report = callers_import(source=exported, dry_run=True)
    assert not report.errors
    assert report.counts[("caller posts", "created")] == 0
    assert report.counts[("caller posts", "ended")] == 0
