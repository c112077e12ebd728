"""Campaigns: defined by command, asked in calls, reported by units, and the
reported share checked against the calls' answers (figures, flags, exports, scope)."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone, translation

from campaigns.models import Campaign, CampaignAnswer, CampaignQuestion, CampaignReport
from campaigns.services import CallReport, call_log_record
from campaigns.verification.services import campaign_create, campaign_report_record
from campaigns.verification.stats import Verification, answers_to_flag, wilson
from tests.campaigns.helpers import caller_with_calls
from tests.factories import DistrictFactory, StateFactory, make_booths, make_caller, make_viewer

pytestmark = pytest.mark.django_db
REACHED = {"outcome": "reached", "wellbeing": "all_well", "standing": "competitive"}


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def rows_of(response) -> list[dict]:
    assert response.status_code == 200, response.content[:500]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


# --- the statistics, by hand ---------------------------------------------------------------


def test_wilson_interval_of_18_yes_in_40_asked():
    low, high = wilson(18, 40)
    assert (round(low * 100, 1), round(high * 100, 1)) == (30.7, 60.2)
    v = Verification(booths=200, booths_reported=100, yes=18, no=22)
    assert round(v.verified * 100, 1) == 45.0


def test_partly_counts_half_and_unknown_is_not_asked():
    v = Verification(booths=100, booths_reported=50, yes=10, partly=4, no=6, unknown=9)
    assert v.answers == 20
    assert v.verified == pytest.approx(12 / 20)
    assert v.interval == pytest.approx(wilson(12, 20))


@pytest.mark.parametrize(
    ("reported", "yes", "no", "flag"),
    [
        (90, 18, 22, "over_reported"),  # 90 % reported, at most 60.2 % verified
        (50, 18, 22, "consistent"),  # inside 30.7-60.2
        (60, 18, 22, "consistent"),
        (61, 18, 22, "over_reported"),  # just above the top
        (20, 18, 22, "under_reported"),
        (90, 5, 4, "too_few_answers"),  # 9 answers: under the minimum of 10
    ],
)
def test_the_flag_compares_the_report_with_the_interval(reported, yes, no, flag):
    assert Verification(booths=100, booths_reported=reported, yes=yes, no=no).flag == flag


def test_a_unit_without_a_report_is_not_reported():
    assert Verification(booths=100, booths_reported=None, yes=30, no=10).flag == "not_reported"


def test_answers_to_settle_a_doubtful_unit():
    # 5 of 9 say yes (55.6 %) where 90 % was reported: the minimum of 10 settles it.
    assert Verification(booths=100, booths_reported=90, yes=5, no=4).answers_to_settle == 1
    # Consistent so far, but the calls verify less than reported: how many answers until it is not.
    v = Verification(booths=100, booths_reported=60, yes=10, partly=4, no=10)
    assert v.flag == "consistent"
    more = v.answers_to_settle
    assert wilson(0.5 * (24 + more), 24 + more)[1] < 0.6 <= wilson(0.5 * (24 + more - 1), 24 + more - 1)[1]
    # Calls that verify at least the report leave nothing in doubt.
    assert Verification(booths=100, booths_reported=40, yes=30, no=10).answers_to_settle is None
    assert answers_to_flag(0.6, 0.5) is None


# --- a campaign from the command line --------------------------------------------------------


def test_create_campaign_prints_its_id_last_and_asks_the_booth_question_first():
    district = DistrictFactory(name="आगरा")
    DistrictFactory(name="मथुरा")
    out = io.StringIO()
    call_command("create_campaign", "--name", "महाजनसंपर्क अभियान", "--start", "2026-11-01", "--end", "2026-11-30",
                 "--districts", "आगरा;मथुरा", "--question", "Were leaflets handed out?",
                 "--question", "number:About how many households?", stdout=out)  # fmt: skip
    campaign = Campaign.objects.get(pk=int(out.getvalue().strip().splitlines()[-1]))
    assert campaign.name == "महाजनसंपर्क अभियान"
    assert (campaign.start, campaign.end) == (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
    assert {d.name for d in campaign.districts.all()} == {"आगरा", "मथुरा"}
    assert district in campaign.districts.all()
    kinds = list(campaign.questions.values_list("position", "kind"))
    assert kinds == [(1, "booth_reach"), (2, "yes_no"), (3, "number")]
    # Run again (a script retried): refused, naming the campaign that exists.
    with (
        translation.override("en"),
        pytest.raises(CommandError, match=f"already runs in those days \\(number {campaign.pk}"),
    ):
        call_command("create_campaign", "--name", "महाजनसंपर्क अभियान", "--start", "2026-11-15", "--end",
                     "2026-12-15", stdout=io.StringIO())  # fmt: skip
    assert Campaign.objects.count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--start", "2026-11-30", "--end", "2026-11-01"], "ends on or after"),
        (["--start", "30/11/2026", "--end", "2026-12-01"], "YYYY-MM-DD"),
        (["--start", "2026-11-01", "--end", "2026-11-30", "--districts", "कहीं नहीं"], "no district"),
        (["--start", "2026-11-01", "--end", "2026-11-30", "--question", "a", "--question", "b", "--question", "c"],
         "at most 2 more"),
    ],
)  # fmt: skip
def test_create_campaign_refuses_bad_input_and_creates_nothing(args, message):
    with translation.override("en"), pytest.raises(CommandError, match=message):
        call_command("create_campaign", "--name", "अभियान", *args, stdout=io.StringIO())
    assert not Campaign.objects.exists()


# --- questions in the call -------------------------------------------------------------------


def _campaign_for(district, **kwargs) -> Campaign:
    today = timezone.localdate()
    return campaign_create(name=kwargs.pop("name", "महाजनसंपर्क"), start=today - datetime.timedelta(days=10),
                           end=today + datetime.timedelta(days=10), districts=[district], **kwargs)  # fmt: skip


def test_the_call_form_asks_the_campaign_question_and_stores_the_answer():
    district = DistrictFactory()
    user, calls = caller_with_calls(district=district)
    campaign = _campaign_for(district, questions=[("Households visited?", CampaignQuestion.Kind.NUMBER)])
    first, number = campaign.questions.all()
    client = signed_in(user)
    page = client.get(f"/calls/{calls[0].pk}/").content.decode()
    assert "Did the campaign reach your booth" in page and 'value="partly"' in page
    response = client.post(f"/calls/{calls[0].pk}/", {**REACHED, f"q{first.pk}": "partly", f"q{number.pk}": "40"})
    assert response.status_code == 302
    answers = {a.question_id: (a.answer, a.number) for a in CampaignAnswer.objects.all()}
    assert answers == {first.pk: ("partly", None), number.pk: ("", 40)}
    answer = CampaignAnswer.objects.get(question=first)
    booth = calls[0].post.booth
    assert (answer.booth, answer.mandal_id, answer.district_id, answer.day) == (
        booth,
        booth.mandal_id,
        district.pk,
        calls[0].day,
    )
    # Corrected the same day: the answer follows; not reached: no answers at all.
    client.post(f"/calls/{calls[0].pk}/", {**REACHED, f"q{first.pk}": "yes"})
    assert list(CampaignAnswer.objects.values_list("answer", flat=True)) == ["yes"]
    client.post(f"/calls/{calls[0].pk}/", {"outcome": "no_answer", f"q{first.pk}": "yes"})
    assert not CampaignAnswer.objects.exists()


def test_a_reached_call_must_answer_the_booth_question():
    district = DistrictFactory()
    user, calls = caller_with_calls(district=district)
    _campaign_for(district)
    response = signed_in(user).post(f"/calls/{calls[0].pk}/", REACHED)
    assert response.status_code == 200
    assert "Don&#x27;t know" in response.content.decode()
    assert calls[0].__class__.objects.get(pk=calls[0].pk).status == "assigned"  # nothing saved


def test_no_question_outside_the_campaigns_districts_or_period():
    district = DistrictFactory()
    user, calls = caller_with_calls(district=district)
    _campaign_for(DistrictFactory())  # elsewhere
    today = timezone.localdate()
    campaign_create(name="बीता अभियान", start=today - datetime.timedelta(days=30),
                    end=today - datetime.timedelta(days=1), districts=[district])  # fmt: skip
    page = signed_in(user).get(f"/calls/{calls[0].pk}/").content.decode()
    assert "Did the campaign reach your booth" not in page


# --- reported vs verified --------------------------------------------------------------------


def _district_with_answers(answers: list[str], reported: int | None, *, booths: int = 40, name: str = "आगरा"):
    """A district whose in-charge's calls today drew these answers (one booth each)."""
    from campaigns.models import CallAssignment
    from campaigns.services import assignments_create_for_day

    district = DistrictFactory(name=name)
    make_booths(district=district, count=booths, mandals=2)
    callers = [make_caller(districts=[district]) for _ in range((len(answers) + 1) // 2)]
    campaign = _campaign_for(district)
    assignments_create_for_day(day=timezone.localdate(), source="test")
    calls = list(CallAssignment.objects.filter(post__booth__mandal__district=district).order_by("pk"))
    assert len(calls) >= len(answers)
    question = campaign.questions.get(position=1)
    for call, answer in zip(calls, answers, strict=False):
        user = next(c for c in callers if c.person_id == call.caller_id)
        call_log_record(assignment=call, user=user, report=CallReport(**REACHED, answers={question.pk: answer}))
    if reported is not None:
        campaign_report_record(campaign=campaign, district=district, mandal=None, reported_on=timezone.localdate(),
                               booths_covered=reported, households_contacted=reported * 50)  # fmt: skip
    return district, campaign


def test_the_export_has_the_figures_computed_from_the_answers():
    answers = ["yes"] * 6 + ["partly"] * 4 + ["no"] * 6 + ["unknown"] * 2  # 16 asked, 8 verified
    district, campaign = _district_with_answers(answers, reported=36, booths=40)
    leader = make_viewer(state=district.region.state)
    (row,) = rows_of(signed_in(leader).get(f"/dashboard/campaigns/{campaign.pk}/?by=district&format=csv"))
    low, high = wilson(8, 16)
    assert row == {**row, "region": district.region.name, "district": "आगरा", "booths": "40",
                   "booths_reported": "36", "reported_pct": "90.0", "answers": "16", "verified_pct": "50.0",
                   "verified_low": str(round(low * 100, 1)), "verified_high": str(round(high * 100, 1)),
                   "flag": "over_reported", "unknown": "2"}  # fmt: skip


def test_the_export_starts_with_the_promised_columns_and_by_mandal_adds_the_mandal():
    district, campaign = _district_with_answers(["yes"] * 4, reported=10)
    client = signed_in(make_viewer(state=district.region.state))
    url = f"/dashboard/campaigns/{campaign.pk}/"
    header = client.get(url + "?by=district&format=csv").content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("region,district,booths,booths_reported,reported_pct,answers,verified_pct,"
                             "verified_low,verified_high,flag")  # fmt: skip
    rows = rows_of(client.get(url + "?by=mandal&format=csv"))
    assert len(rows) == 2 and all(row["mandal"] for row in rows)
    assert sum(int(row["booths"]) for row in rows) == 40
    assert sum(int(row["answers"]) for row in rows) == 4
    assert {row["flag"] for row in rows} == {"not_reported"}  # the district reported as a whole


def test_an_honest_district_is_consistent_and_the_page_says_so():
    answers = ["yes"] * 9 + ["no"] * 9
    district, campaign = _district_with_answers(answers, reported=20, booths=40)  # 50 % reported, 50 % verified
    client = signed_in(make_viewer(state=district.region.state))
    (row,) = rows_of(client.get(f"/dashboard/campaigns/{campaign.pk}/?format=csv"))
    assert row["flag"] == "consistent"
    page = client.get(f"/dashboard/campaigns/{campaign.pk}/").content.decode()
    assert "Consistent" in page and "95 %" in page


def test_a_booth_asked_twice_counts_once_with_its_latest_answer():
    district, campaign = _district_with_answers(["no"] * 12, reported=10, booths=40)
    question = campaign.questions.get(position=1)
    first = CampaignAnswer.objects.filter(question=question).order_by("pk").first()
    # The same booth asked again a day later says yes (the answer moved to it).
    later = CampaignAnswer.objects.filter(question=question).order_by("pk")[1]
    CampaignAnswer.objects.filter(pk=later.pk).update(booth=first.booth, day=first.day + datetime.timedelta(days=1),
                                                      answer="yes")  # fmt: skip
    (row,) = rows_of(signed_in(make_viewer(state=district.region.state)).get(
        f"/dashboard/campaigns/{campaign.pk}/?format=csv"))  # fmt: skip
    assert (row["answers"], row["verified_pct"]) == ("11", str(round(100 / 11, 1)))


def test_the_district_page_lists_the_answers_behind_the_figures():
    district, campaign = _district_with_answers(["yes", "no", "partly"], reported=10)
    client = signed_in(make_viewer(state=district.region.state))
    page = client.get(f"/dashboard/campaigns/{campaign.pk}/?district={district.pk}").content.decode()
    answers = CampaignAnswer.objects.select_related("log__assignment__president")
    for answer in answers:
        assert answer.log.assignment.president.name in page
    assert page.count("/dashboard/calls/?booth=") >= 3
    rows = rows_of(client.get(f"/dashboard/campaigns/{campaign.pk}/?district={district.pk}&table=answers&format=csv"))
    assert sorted(row["answer"] for row in rows) == ["no", "partly", "yes"]
    # The whole campaign's answers download too, each with its district.
    rows = rows_of(client.get(f"/dashboard/campaigns/{campaign.pk}/?table=answers&format=csv"))
    assert sorted((row["district"], row["answer"]) for row in rows) == [("आगरा", "no"), ("आगरा", "partly"),
                                                                        ("आगरा", "yes")]  # fmt: skip


def test_viewers_see_only_their_districts_and_404_outside():
    state = StateFactory()
    inside, campaign = _district_with_answers(["yes"] * 3, reported=5, name="आगरा")
    outside = DistrictFactory(region=inside.region, name="मथुरा")
    make_booths(district=outside, count=10)
    campaign.districts.add(outside)
    president = make_viewer(districts=[inside])
    client = signed_in(president)
    rows = rows_of(client.get(f"/dashboard/campaigns/{campaign.pk}/?format=csv"))
    assert [row["district"] for row in rows] == ["आगरा"]
    assert client.get(f"/dashboard/campaigns/{campaign.pk}/?district={outside.pk}").status_code == 404
    elsewhere = campaign_create(name="दूसरा", start=campaign.start, end=campaign.end, districts=[outside])
    assert client.get(f"/dashboard/campaigns/{elsewhere.pk}/").status_code == 404
    assert "दूसरा" not in client.get("/dashboard/campaigns/").content.decode()
    assert make_viewer(state=state) and signed_in(make_caller()).get("/dashboard/campaigns/").status_code == 404


def test_a_bad_query_is_a_clear_400():
    district, campaign = _district_with_answers(["yes"], reported=5)
    client = signed_in(make_viewer(state=district.region.state))
    response = client.get(f"/dashboard/campaigns/{campaign.pk}/?by=booth&format=csv")
    assert response.status_code == 400 and b"by=booth" in response.content
    assert client.get("/dashboard/campaigns/99999/").status_code == 404


# --- units report ----------------------------------------------------------------------------


def test_the_latest_report_counts_and_a_district_sums_its_mandals():
    district, campaign = _district_with_answers(["yes"] * 2, reported=None, booths=40)
    mandals = list(district.mandals.order_by("pk"))
    today = timezone.localdate()
    day = today - datetime.timedelta(days=3)
    campaign_report_record(campaign=campaign, district=district, mandal=mandals[0], reported_on=day,
                           booths_covered=5, households_contacted=100)  # fmt: skip
    campaign_report_record(campaign=campaign, district=district, mandal=mandals[0], reported_on=today,
                           booths_covered=15, households_contacted=900)  # fmt: skip
    campaign_report_record(campaign=campaign, district=district, mandal=mandals[1], reported_on=day,
                           booths_covered=10, households_contacted=400)  # fmt: skip
    client = signed_in(make_viewer(state=district.region.state))
    (row,) = rows_of(client.get(f"/dashboard/campaigns/{campaign.pk}/?format=csv"))
    assert (row["booths_reported"], row["households_contacted"]) == ("25", "1300")


def test_leadership_without_calls_or_reports_is_sent_to_the_dashboards_not_told_of_calls_at_7():
    district = DistrictFactory()
    make_booths(district=district, count=4)
    _campaign_for(district)
    client = signed_in(make_viewer(state=district.region.state))
    reports = client.get("/campaigns/").content.decode()
    assert "No campaign is running in your districts" not in reports
    assert "report their districts' progress here" in reports and 'href="/dashboard/campaigns/"' in reports
    today = client.get("/today/").content.decode()
    assert "Your calls arrive every morning at 7" not in today and 'href="/dashboard/"' in today
    # A caller without calls today is still told when they come.
    caller = signed_in(make_caller(districts=[district]))
    assert "Your calls arrive every morning at 7" in caller.get("/today/").content.decode()


def test_a_district_in_charge_reports_through_the_form():
    district = DistrictFactory()
    booths = make_booths(district=district, count=12, mandals=2)
    campaign = _campaign_for(district)
    user = make_caller(districts=[district])
    client = signed_in(user)
    assert campaign.name in client.get("/campaigns/").content.decode()
    mandal = booths[0].mandal
    data = {"district": district.pk, "mandal": mandal.pk, "reported_on": timezone.localdate().isoformat(),
            "booths_covered": 4, "households_contacted": 250}  # fmt: skip
    response = client.post(f"/campaigns/{campaign.pk}/report/", data)
    assert response.status_code == 302
    report = CampaignReport.objects.get()
    assert (report.mandal, report.booths_covered, report.households_contacted, report.reported_by) == (
        mandal,
        4,
        250,
        user,
    )
    # More booths than the mandal has: refused, saying why, nothing changed.
    response = client.post(f"/campaigns/{campaign.pk}/report/", {**data, "booths_covered": 7})
    assert response.status_code == 200 and "has 6 booths" in response.content.decode()
    assert CampaignReport.objects.get().booths_covered == 4
    # Another district's in-charge cannot report here.
    other = make_caller(districts=[DistrictFactory()])
    assert signed_in(other).get(f"/campaigns/{campaign.pk}/report/").status_code == 404


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_import_reports_writes_rows_and_a_reimport_changes_nothing(tmp_path, english):
    district = DistrictFactory(name="आगरा")
    booths = make_booths(district=district, count=20, mandals=2)
    mandal = booths[0].mandal
    campaign = _campaign_for(district, name="महाजनसंपर्क अभियान")
    day = timezone.localdate().isoformat()
    path = tmp_path / "reports.csv"
    path.write_text(
        "\ufeffcampaign,district,mandal,reported_on,booths_covered,households_contacted\n"
        f'महाजनसंपर्क  अभियान,आगरा,{mandal.name},{day},8,"1,200"\n'
        f"{campaign.pk},आगरा,,{day},15,2000\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("import_reports", str(path), "--dry-run", stdout=out)
    assert not CampaignReport.objects.exists()
    call_command("import_reports", str(path), stdout=out)
    assert sorted(CampaignReport.objects.values_list("mandal_id", "booths_covered", "households_contacted"),
                  key=str) == sorted([(mandal.pk, 8, 1200), (None, 15, 2000)], key=str)  # fmt: skip
    out = io.StringIO()
    call_command("import_reports", str(path), stdout=out)
    assert "No changes" in out.getvalue()
    assert CampaignReport.objects.count() == 2


def test_import_reports_names_each_bad_row_and_writes_nothing(tmp_path, english):
    district = DistrictFactory(name="आगरा")
    booths = make_booths(district=district, count=20, mandals=2)
    campaign = _campaign_for(district, name="महाजनसंपर्क")
    day = timezone.localdate().isoformat()
    path = tmp_path / "reports.csv"
    path.write_text(
        "campaign,district,mandal,reported_on,booths_covered,households_contacted\n"
        f"महाजनसंपर्क,आगरा,{booths[0].mandal.name},{day},5,100\n"  # good
        f"महाजनसंपर्क,आगरा,कोई मंडल,{day},5,100\n"  # row 3: unknown mandal
        f"महाजनसंपर्क,आगरा,,31-02-2026,5,100\n"  # row 4: no such date
        f"महाजनसंपर्क,आगरा,,{day},25,100\n"  # row 5: more booths than the district has
        f"अभियान,आगरा,,{day},5,पाँच\n",  # row 6: unknown campaign, not a number
        encoding="utf-8",
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_reports", str(path), stdout=out)
    text = out.getvalue()
    assert "row 3, mandal:" in text and "कोई मंडल" in text
    assert "row 4, reported_on:" in text
    assert "row 5, booths_covered:" in text and "has 20 booths" in text
    assert "row 6, campaign:" in text and "row 6, households_contacted:" in text
    assert not CampaignReport.objects.exists()
    assert campaign.pk


def test_import_reports_without_a_needed_column_says_which(tmp_path, english):
    path = tmp_path / "reports.csv"
    path.write_text("campaign,district,reported_on\nx,y,2026-11-01\n", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_reports", str(path), stdout=out)
    assert "booths_covered" in out.getvalue()


# --- calls confirm tiffin meetings -----------------------------------------------------------


def _held_meeting(mandal, day):
    from campaigns.tiffin import tiffin_meeting_plan, tiffin_meeting_record

    meeting = tiffin_meeting_plan(mandal=mandal, scheduled_on=day, place="पंचायत भवन", host="", user=None)
    return tiffin_meeting_record(meeting=meeting, held_on=day, attendance=40, notes="", photo=None, user=None)


def test_a_call_asks_to_confirm_the_mandals_tiffin_meeting_only_where_one_was_held():
    district = DistrictFactory()
    user, calls = caller_with_calls(district=district, booths=2)
    held, other = calls[0], calls[1]
    assert held.post.booth.mandal_id != other.post.booth.mandal_id
    _held_meeting(held.post.booth.mandal, timezone.localdate().replace(day=1))
    client = signed_in(user)
    assert "tiffin meeting in your mandal" in client.get(f"/calls/{held.pk}/").content.decode()
    assert "tiffin meeting in your mandal" not in client.get(f"/calls/{other.pk}/").content.decode()
    assert client.post(f"/calls/{held.pk}/", REACHED).status_code == 200  # the answer is needed when reached
    assert client.post(f"/calls/{held.pk}/", {**REACHED, "tiffin_meeting": "no"}).status_code == 302
    assert client.post(f"/calls/{other.pk}/", {**REACHED, "tiffin_meeting": "yes"}).status_code == 302
    from campaigns.models import CallLog

    assert dict(CallLog.objects.values_list("assignment_id", "tiffin_meeting")) == {held.pk: "no", other.pk: ""}
    leader = make_viewer(state=district.region.state)
    rows = rows_of(signed_in(leader).get("/dashboard/tiffin/?by=district&table=confirmed&format=csv"))
    (row,) = [row for row in rows if row["district"] == district.name]
    assert (row["mandals_held"], row["answers"], row["confirmed_pct"], row["flag"]) == (
        "1",
        "1",
        "0.0",
        "too_few_answers",
    )


# --- the admin -------------------------------------------------------------------------------


def test_an_admin_defines_a_campaign_with_the_booth_question_first():
    from tests.factories import AdminUserFactory

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(AdminUserFactory())
    page = client.get("/admin/campaigns/campaign/add/").content.decode()
    assert "Did the campaign reach your booth" in page
    district = DistrictFactory()
    response = client.post("/admin/campaigns/campaign/add/", {
        "name": "महाजनसंपर्क", "start": "2026-11-01", "end": "2026-11-30", "districts": [district.pk],
        "questions-TOTAL_FORMS": "2", "questions-INITIAL_FORMS": "0", "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "3",
        "questions-0-position": "1", "questions-0-kind": "booth_reach", "questions-0-text": "क्या अभियान पहुँचा?",
        "questions-1-position": "2", "questions-1-kind": "number", "questions-1-text": "कितने परिवार?",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign = Campaign.objects.get()
    assert list(campaign.questions.values_list("position", "kind")) == [(1, "booth_reach"), (2, "number")]
    # The first question must be the booth-level one.
    response = client.post("/admin/campaigns/campaign/add/", {
        "name": "दूसरा", "start": "2026-11-01", "end": "2026-11-30",
        "questions-TOTAL_FORMS": "1", "questions-INITIAL_FORMS": "0", "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "3",
        "questions-0-position": "1", "questions-0-kind": "yes_no", "questions-0-text": "x",
    })  # fmt: skip
    assert response.status_code == 200 and Campaign.objects.count() == 1
    for url in (
        "/admin/campaigns/campaignreport/",
        "/admin/campaigns/campaignanswer/",
        "/admin/campaigns/campaignreport/add/",
        f"/admin/campaigns/campaign/{campaign.pk}/change/",
    ):
        assert client.get(url).status_code == 200, url  # fmt: skip


def test_import_reports_reads_a_spreadsheet_with_dates_as_dates(tmp_path, english):
    from openpyxl import Workbook

    district = DistrictFactory(name="आगरा")
    booths = make_booths(district=district, count=10, mandals=2)
    campaign = _campaign_for(district, name="महाजनसंपर्क")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Campaign", "District", "Mandal", "Reported on", "Booths covered", "Households contacted"])
    day = timezone.localdate() - datetime.timedelta(days=1)
    sheet.append(["महाजनसंपर्क", "आगरा", booths[0].mandal.name, datetime.datetime.combine(day, datetime.time()), 3, 450])
    path = tmp_path / "reports.xlsx"
    workbook.save(path)
    call_command("import_reports", str(path), stdout=io.StringIO())
    report = CampaignReport.objects.get()
    assert (report.campaign, report.mandal, report.reported_on, report.booths_covered) == (
        campaign,
        booths[0].mandal,
        day,
        3,
    )


def test_tiffin_meetings_most_presidents_confirm_are_consistent_and_those_few_confirm_are_flagged():
    from campaigns.dashboards.tables import tiffin_confirmed_table
    from campaigns.tiffin import Confirmation, Coverage

    def flag(yes: int, no: int) -> str:
        coverage = Coverage(1, "आगरा", "ब्रज", 4, 2, 1, [])
        row = type(
            "Row",
            (),
            {
                "name": "आगरा",
                "parents": {"region": "ब्रज"},
                "extra": {"coverage": coverage, "confirmation": Confirmation(1, yes, no, 0)},
            },
        )()
        table = tiffin_confirmed_table([row], "district", lambda row: None)
        return table.rows[0][-1]

    assert flag(19, 1) == "consistent"  # far more than half confirm: not "under-reported"
    assert flag(2, 18) == "over_reported"  # the meetings recorded, few presidents know of them
    assert flag(3, 3) == "too_few_answers"


def test_the_campaign_page_takes_the_same_queries_however_many_districts(django_assert_max_num_queries):
    district, campaign = _district_with_answers(["yes", "no"] * 6, reported=20)
    client = signed_in(make_viewer(state=district.region.state))
    url = f"/dashboard/campaigns/{campaign.pk}/"
    client.get(url)
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200
    for n in range(4):  # four more districts in the campaign, with booths and reports
        more = DistrictFactory(region=district.region, name=f"जिला {n}")
        make_booths(district=more, count=10, mandals=2)
        campaign.districts.add(more)
        campaign_report_record(campaign=campaign, district=more, mandal=None, reported_on=timezone.localdate(),
                               booths_covered=5, households_contacted=300)  # fmt: skip
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(url + "?by=mandal&format=csv").status_code == 200


def test_checking_a_reports_sheet_takes_the_same_queries_for_2_rows_or_20(tmp_path, english):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    district = DistrictFactory(name="आगरा")
    booths = make_booths(district=district, count=40, mandals=20)
    _campaign_for(district, name="महाजनसंपर्क")
    day = timezone.localdate()

    def queries(rows: int) -> int:
        path = tmp_path / f"reports-{rows}.csv"
        lines = ["campaign,district,mandal,reported_on,booths_covered,households_contacted"]
        mandals = sorted({booth.mandal.name for booth in booths})[:rows]
        lines += [f"महाजनसंपर्क,आगरा,{name},{(day - datetime.timedelta(days=1)).isoformat()},1,10" for name in mandals]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        with CaptureQueriesContext(connection) as captured:
            call_command("import_reports", str(path), "--dry-run", stdout=io.StringIO())
        return len(captured)

    assert queries(20) == queries(2)
