"""The seats pages through HTTP, on a map whose figures are counted by hand:

    Uttar Pradesh, region अवध, districts लखनऊ (mandal चौक) and उन्नाव (mandal सदर)
    Lok Sabha 35 लखनऊ (target 56.0, last 54.2)
        assembly 171: booths 1, 2 (चौक), 3 (चौक, vacant), 4 (चौक, inactive)
        assembly 172: booths 1, 2 (चौक), 3, 4 (सदर)
    Lok Sabha 36 उन्नाव (target 50.0, last 52.0)
        assembly 165: booths 1, 2, 3 (सदर; 3 vacant)
    Lok Sabha 37 मोहनलालगंज (no target, no booths)

Calls (the period: the last 30 days), see CALLS.
"""

import csv
import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from booths.models import AssemblySeat, Booth, Post
from campaigns.models import CallAssignment, CallLog, CampaignAnswer, PresidentRotation, TiffinMeeting
from campaigns.services import CallReport, call_log_record
from campaigns.verification.services import campaign_create
from campaigns.verification.stats import wilson
from tests.campaigns.dashboard_data import NOON, TODAY, at
from tests.factories import (
    AdminUserFactory,
    AssemblySeatFactory,
    BoothFactory,
    BoothPresidentFactory,
    DistrictFactory,
    LokSabhaSeatFactory,
    MandalFactory,
    RegionFactory,
    StateFactory,
    UserFactory,
    make_booths,
    make_caller,
    make_viewer,
)

pytestmark = pytest.mark.django_db

STRONG = CallReport("reached", wellbeing="all_well", standing="strong")
WEAK = CallReport("reached", wellbeing="all_well", standing="weak")
COMPETITIVE = CallReport("reached", wellbeing="all_well", standing="competitive")
NO_ANSWER = CallReport("no_answer")
# (day offset, booth "assembly/part", report or None: assigned, never logged)
CALLS = [
    (-40, "171/4", STRONG),  # before the period, and the booth is inactive now
    (-40, "172/2", STRONG),  # before the period: reached, strong, no call in the period
    (-2, "171/1", STRONG),
    (-2, "172/1", NO_ANSWER),
    (-1, "171/1", WEAK),  # the booth's latest report
    (-1, "172/3", COMPETITIVE),
    (-1, "165/1", None),
    (0, "171/2", STRONG),
    (0, "165/2", WEAK),
]
FIGURES = ["booths", "booths_vacant", "booths_reached", "reached_pct", "calls_assigned", "calls_logged",
           "logged_pct", "strong", "competitive", "weak"]  # fmt: skip
CAMPAIGN = ["campaign_answers", "campaign_verified_pct", "campaign_verified_low", "campaign_verified_high"]
TIFFIN = ["tiffin_mandals", "tiffin_mandals_held", "tiffin_held_pct"]
# No campaign runs: no campaign columns.
COLUMNS = ["lok_sabha_no", "lok_sabha_name", "target_vote_pct", "last_vote_pct", "gap_pct", *FIGURES, *TIFFIN]


def build() -> dict:
    with time_machine.travel(at(TODAY, 6), tick=False):
        state = StateFactory(code="UP", name="उत्तर प्रदेश")
        region = RegionFactory(state=state, name="अवध")
        lucknow, unnao = DistrictFactory(region=region, name="लखनऊ"), DistrictFactory(region=region, name="उन्नाव")
        chowk, sadar = MandalFactory(district=lucknow, name="चौक"), MandalFactory(district=unnao, name="सदर")
        seats = {
            35: LokSabhaSeatFactory(state=state, number=35, name="लखनऊ", target_vote_pct=56, last_vote_pct="54.2"),
            36: LokSabhaSeatFactory(state=state, number=36, name="उन्नाव", target_vote_pct=50, last_vote_pct=52),
            37: LokSabhaSeatFactory(state=state, number=37, name="मोहनलालगंज"),
        }
        booths = {}
        for lok_sabha, assembly, name, mandals in (
            (35, 171, "लखनऊ पश्चिम", [chowk, chowk, chowk, chowk]),
            (35, 172, "लखनऊ पूर्व", [chowk, chowk, sadar, sadar]),
            (36, 165, "उन्नाव सदर", [sadar, sadar, sadar]),
        ):
            seat = AssemblySeatFactory(lok_sabha_seat=seats[lok_sabha], number=assembly, name=name)
            for part, mandal in enumerate(mandals, start=1):
                booths[f"{assembly}/{part}"] = BoothFactory(assembly_seat=seat, number=part, mandal=mandal)
        for label, booth in booths.items():
            if label not in ("171/3", "165/3"):
                BoothPresidentFactory(booth=booth)
        callers = {lucknow.pk: make_caller(districts=[lucknow]), unnao.pk: make_caller(districts=[unnao])}
    slots: dict[tuple, int] = {}
    for offset, label, report in CALLS:
        day = TODAY + datetime.timedelta(days=offset)
        booth = booths[label]
        user = callers[booth.mandal.district_id]
        post = Post.objects.get(booth=booth, role=Post.Role.BOOTH_PRESIDENT, end_date=None)
        PresidentRotation.objects.update_or_create(
            post=post, defaults={"district_id": booth.mandal.district_id, "last_assigned_on": day}
        )
        slot = slots[(user.pk, day)] = slots.get((user.pk, day), 0) + 1
        call = CallAssignment.objects.create(day=day, caller=user.person, caller_role=Post.Role.DISTRICT_INCHARGE,
                                             slot=slot, post=post, president=post.person,
                                             reason=CallAssignment.Reason.NEVER_CONTACTED)  # fmt: skip
        if report is not None:
            with time_machine.travel(at(day, 11, slot), tick=False):
                call_log_record(assignment=call, user=user, report=report)
    Booth.objects.filter(pk=booths["171/4"].pk).update(is_active=False)
    return {"state": state, "lucknow": lucknow, "unnao": unnao, "seats": seats}


@pytest.fixture
def org():
    data = build()
    with time_machine.travel(NOON, tick=False):
        yield data


def client_of(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def leader(org):
    return client_of(make_viewer(state=org["state"]))


def read_csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.content[:300]
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def by_seat(rows: list[dict[str, str]], key: str = "lok_sabha_no") -> dict[str, tuple]:
    return {row[key]: tuple(row[name] for name in FIGURES) for row in rows}


def test_leadership_sees_every_seat_with_booths_with_its_figures(leader, org):
    rows = read_csv(leader.get("/dashboard/seats/?format=csv"))

    assert list(rows[0]) == COLUMNS
    seats = [tuple(row[name] for name in COLUMNS[:5]) for row in rows]
    assert seats == [("35", "लखनऊ", "56.0", "54.2", "1.8"), ("36", "उन्नाव", "50.0", "52.0", "-2.0")]
    # booths, vacant, reached, reached %, assigned, logged, logged %, strong, competitive, weak
    assert by_seat(rows) == {
        "35": ("7", "1", "4", "57.1", "5", "5", "100.0", "2", "1", "1"),
        "36": ("3", "1", "1", "33.3", "2", "1", "50.0", "0", "0", "1"),
    }


def test_the_page_says_how_many_seats_fell_short_of_their_target_and_links_each_seat(leader, org):
    response = leader.get("/dashboard/seats/?period=7d")
    assert response.status_code == 200
    content = response.content.decode()
    assert "<b>1</b> of 2 seats got less than their target last time" in content
    assert f'href="/dashboard/seats/{org["seats"][35].pk}/?period=7d"' in content
    assert "56.0%" in content and "+1.8" in content
    assert response.context["tables"]["seats"].total[5:8] == [10, 2, 5]  # booths, vacant, reached


def test_a_seat_shows_its_assembly_seats_and_its_target(leader, org):
    seat = org["seats"][35]
    response = leader.get(f"/dashboard/seats/{seat.pk}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Lok Sabha seat 35 लखनऊ" in content
    assert "56.0%" in content and "54.2%" in content and "+1.8" in content

    rows = read_csv(leader.get(f"/dashboard/seats/{seat.pk}/?format=csv"))
    assert list(rows[0]) == ["assembly_no", "assembly_name", *FIGURES, *TIFFIN]
    assert by_seat(rows, "assembly_no") == {
        "171": ("3", "1", "2", "66.7", "3", "3", "100.0", "1", "0", "1"),
        "172": ("4", "0", "2", "50.0", "2", "2", "100.0", "1", "1", "0"),
    }


def test_a_district_president_sees_only_seats_touching_their_district_and_counts_only_its_booths(org):
    unnao = client_of(make_viewer(districts=[org["unnao"]]))
    rows = read_csv(unnao.get("/dashboard/seats/?format=csv"))

    assert by_seat(rows) == {
        "35": ("2", "0", "1", "50.0", "1", "1", "100.0", "0", "1", "0"),
        "36": ("3", "1", "1", "33.3", "2", "1", "50.0", "0", "0", "1"),
    }
    assert "<b>1</b> of 2 seats" in unnao.get("/dashboard/seats/").content.decode()
    rows = read_csv(unnao.get(f"/dashboard/seats/{org['seats'][35].pk}/?format=csv"))
    assert by_seat(rows, "assembly_no") == {"172": ("2", "0", "1", "50.0", "1", "1", "100.0", "0", "1", "0")}


def test_a_seat_outside_the_territory_is_a_404(org):
    lucknow = client_of(make_viewer(districts=[org["lucknow"]]))
    assert [row["lok_sabha_no"] for row in read_csv(lucknow.get("/dashboard/seats/?format=csv"))] == ["35"]
    for number in (36, 37):
        assert lucknow.get(f"/dashboard/seats/{org['seats'][number].pk}/").status_code == 404
        assert lucknow.get(f"/dashboard/seats/{org['seats'][number].pk}/?format=csv").status_code == 404
    assert lucknow.get("/dashboard/seats/999999/").status_code == 404


def test_accounts_without_dashboards_get_none(org):
    nobody = client_of(UserFactory())  # an account of no one in the roster
    assert nobody.get("/dashboard/seats/").status_code == 404
    assert nobody.get(f"/dashboard/seats/{org['seats'][35].pk}/").status_code == 404
    assert Client().get("/dashboard/seats/").status_code == 302  # to sign in


def test_staff_with_the_permission_see_every_seat_even_one_without_booths(org):
    staff = AdminUserFactory()
    rows = read_csv(client_of(staff).get("/dashboard/seats/?format=csv"))
    assert [row["lok_sabha_no"] for row in rows] == ["35", "36", "37"]
    assert by_seat(rows)["37"] == ("0", "0", "0", "", "0", "0", "", "0", "0", "0")


def test_the_xlsx_export_has_the_same_columns_with_numbers(leader, org):
    response = leader.get("/dashboard/seats/?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS
    assert rows[1][:6] == (35, "लखनऊ", 56.0, 54.2, pytest.approx(1.8), 7)
    assert rows[1][-3:] == (2, 0, 0.0)  # two mandals, no tiffin meeting held


def test_a_unit_in_the_query_narrows_the_seats_to_it(leader, org):
    rows = read_csv(leader.get(f"/dashboard/seats/?district={org['lucknow'].pk}&format=csv"))
    assert by_seat(rows) == {"35": ("5", "1", "3", "60.0", "4", "4", "100.0", "2", "0", "1")}


def test_the_pages_take_the_same_queries_however_many_seats(leader, org, django_assert_max_num_queries):
    seat = org["seats"][35]
    make_campaign(org, answers=ANSWERS)
    meeting(org["unnao"].mandals.get(), TiffinMeeting.Status.HELD, TODAY)
    leader.get("/dashboard/seats/")  # the session's first page remembers its tabs
    # 12 before the campaign and tiffin columns; then the campaigns to choose from (with their
    # districts and regions), the answers, the tiffin coverage and its total.
    with django_assert_max_num_queries(16):
        assert leader.get("/dashboard/seats/").status_code == 200
    with django_assert_max_num_queries(17):  # and the seat
        assert leader.get(f"/dashboard/seats/{seat.pk}/").status_code == 200
    with CaptureQueriesContext(connection) as before:
        leader.get("/dashboard/seats/")
        leader.get(f"/dashboard/seats/{seat.pk}/")
    assembly, mandal = seat.assembly_seats.first(), org["lucknow"].mandals.first()
    for number in range(40, 46):  # six seats more, and more assembly seats and booths in seat 35
        lok_sabha = LokSabhaSeatFactory(state=org["state"], number=number, target_vote_pct=Decimal("50.5"))
        AssemblySeat.objects.filter(booths__in=make_booths(district=org["lucknow"], count=3, mandals=1)).update(
            lok_sabha_seat=lok_sabha
        )
        BoothFactory(assembly_seat=AssemblySeatFactory(lok_sabha_seat=seat), mandal=mandal)
        BoothFactory(assembly_seat=assembly, number=100 + number, mandal=mandal)
    with CaptureQueriesContext(connection) as after:
        leader.get("/dashboard/seats/")
        leader.get(f"/dashboard/seats/{seat.pk}/")
    assert len(after) == len(before)


# --- campaign verification and tiffin coverage, seat by seat ---------------------------------

# (booth, day offset, answer) to the campaign's booth-level question; what each seat counts:
# 35: 171/1 yes (its earlier no superseded), 171/2 partly, 172/3 no (उन्नाव); 172/1 only "unknown": not asked
# 36: 165/2 yes, 165/1 yes (its later "unknown" is not an answer)
ANSWERS = [
    ("171/1", -2, "no"),
    ("171/1", -1, "yes"),
    ("171/2", 0, "partly"),
    ("172/3", -1, "no"),
    ("172/1", 0, "unknown"),
    ("165/2", 0, "yes"),
    ("165/1", -1, "yes"),
    ("165/1", 0, "unknown"),
]


def make_campaign(org, name="महाजनसंपर्क", *, start=-30, end=10, districts=None, answers=()):
    campaign = campaign_create(name=name, start=TODAY + datetime.timedelta(days=start),
                               end=TODAY + datetime.timedelta(days=end),
                               districts=districts or [org["lucknow"], org["unnao"]])  # fmt: skip
    question = campaign.questions.get(position=1)
    # The answers name their booth and day; any call's log will do as the call they came in.
    logs = iter(CallLog.objects.order_by("pk"))
    for label, offset, answer in answers:
        booth = Booth.objects.get(assembly_seat__number=int(label.split("/")[0]), number=int(label.split("/")[1]))
        CampaignAnswer.objects.create(log=next(logs), question=question, campaign=campaign, booth=booth,
                                      mandal_id=booth.mandal_id, district_id=booth.mandal.district_id,
                                      day=TODAY + datetime.timedelta(days=offset), answer=answer)  # fmt: skip
    return campaign


def verified(yes: float, answers: int) -> tuple[str, str, str, str]:
    """A seat's campaign columns as the CSV writes them."""
    low, high = wilson(yes, answers)
    return (str(answers), str(round(100 * yes / answers, 1)), str(round(low * 100, 1)), str(round(high * 100, 1)))


def figures_of(rows, names, key="lok_sabha_no") -> dict[str, tuple]:
    return {row[key]: tuple(row[name] for name in names) for row in rows}


def test_each_seat_shows_its_booths_latest_answers_to_the_campaign(leader, org):
    campaign = make_campaign(org, answers=ANSWERS)
    rows = read_csv(leader.get("/dashboard/seats/?format=csv"))

    assert list(rows[0]) == [*COLUMNS[:15], *CAMPAIGN, *TIFFIN]
    assert figures_of(rows, CAMPAIGN) == {"35": verified(1.5, 3), "36": verified(2, 2)}
    assert verified(1.5, 3)[:2] == ("3", "50.0")
    total = leader.get("/dashboard/seats/").context["tables"]["seats"].total
    assert total[15:19] == [5, 0.7, *wilson(3.5, 5)]
    rows = read_csv(leader.get(f"/dashboard/seats/{org['seats'][35].pk}/?format=csv"))
    assert figures_of(rows, CAMPAIGN, "assembly_no") == {"171": verified(1.5, 2), "172": verified(0, 1)}
    page = leader.get("/dashboard/seats/").content.decode()
    assert f'href="/dashboard/campaigns/{campaign.pk}/">Campaign columns: महाजनसंपर्क</a>' in page


def test_a_district_president_counts_only_the_answers_of_their_booths(org):
    make_campaign(org, answers=ANSWERS)
    unnao = client_of(make_viewer(districts=[org["unnao"]]))
    rows = read_csv(unnao.get("/dashboard/seats/?format=csv"))
    assert figures_of(rows, CAMPAIGN) == {"35": verified(0, 1), "36": verified(2, 2)}
    rows = read_csv(unnao.get(f"/dashboard/seats/{org['seats'][35].pk}/?format=csv"))
    assert figures_of(rows, CAMPAIGN, "assembly_no") == {"172": verified(0, 1)}


def test_the_campaign_running_today_is_the_default_and_another_can_be_chosen(leader, org):
    running = make_campaign(org, "महाजनसंपर्क", start=-30, end=10, answers=ANSWERS)
    ended = make_campaign(org, "सदस्यता अभियान", start=-10, end=-1, answers=[("171/1", -2, "no")])
    page = leader.get("/dashboard/seats/").content.decode()
    assert "Campaign columns: महाजनसंपर्क" in page
    assert f'<option value="{running.pk}" selected>' in page and f'<option value="{ended.pk}">' in page

    rows = read_csv(leader.get(f"/dashboard/seats/?campaign={ended.pk}&format=csv"))
    assert figures_of(rows, CAMPAIGN) == {"35": verified(0, 1), "36": ("0", "", "", "")}
    page = leader.get(f"/dashboard/seats/?campaign={ended.pk}&period=7d").content.decode()
    assert "Campaign columns: सदस्यता अभियान" in page
    # The seat links and the period's form keep the campaign; the campaign's form keeps the period.
    assert f'href="/dashboard/seats/{org["seats"][35].pk}/?period=7d&amp;campaign={ended.pk}"' in page
    assert '<input type="hidden" name="period" value="7d">' in page


def test_a_campaign_outside_the_territory_is_a_404(org):
    elsewhere = make_campaign(org, "लखनऊ अभियान", districts=[org["lucknow"]])
    unnao = client_of(make_viewer(districts=[org["unnao"]]))
    assert unnao.get(f"/dashboard/seats/?campaign={elsewhere.pk}").status_code == 404
    assert unnao.get(f"/dashboard/seats/?campaign={elsewhere.pk}&format=csv").status_code == 404
    assert unnao.get(f"/dashboard/seats/{org['seats'][36].pk}/?campaign={elsewhere.pk}").status_code == 404
    assert unnao.get("/dashboard/seats/?campaign=999999").status_code == 404
    assert unnao.get("/dashboard/seats/?campaign=abc").status_code == 400
    # Not theirs to choose, nor their default: no campaign columns.
    assert list(read_csv(unnao.get("/dashboard/seats/?format=csv"))[0]) == COLUMNS


def meeting(mandal, status, day):
    held = status == TiffinMeeting.Status.HELD
    return TiffinMeeting.objects.create(mandal=mandal, district_id=mandal.district_id, scheduled_on=day,
                                        status=status, held_on=day if held else None,
                                        attendance=20 if held else None)  # fmt: skip


def test_tiffin_meetings_held_in_the_month_are_counted_by_seat(leader, org):
    chowk, sadar = org["lucknow"].mandals.get(), org["unnao"].mandals.get()
    meeting(sadar, TiffinMeeting.Status.HELD, datetime.date(2026, 11, 5))
    meeting(chowk, TiffinMeeting.Status.HELD, datetime.date(2026, 10, 28))
    meeting(chowk, TiffinMeeting.Status.PLANNED, datetime.date(2026, 11, 25))
    meeting(chowk, TiffinMeeting.Status.CANCELLED, datetime.date(2026, 11, 10))

    # 35 has booths in चौक and सदर, 36 in सदर; the total counts सदर once.
    rows = read_csv(leader.get("/dashboard/seats/?format=csv"))
    assert figures_of(rows, TIFFIN) == {"35": ("2", "1", "50.0"), "36": ("1", "1", "100.0")}
    assert leader.get("/dashboard/seats/").context["tables"]["seats"].total[-3:] == [2, 1, 0.5]
    rows = read_csv(leader.get("/dashboard/seats/?month=2026-10&format=csv"))
    assert figures_of(rows, TIFFIN) == {"35": ("2", "1", "50.0"), "36": ("1", "0", "0.0")}
    rows = read_csv(leader.get(f"/dashboard/seats/{org['seats'][35].pk}/?format=csv"))
    assert figures_of(rows, TIFFIN, "assembly_no") == {"171": ("1", "0", "0.0"), "172": ("2", "1", "50.0")}
    unnao = client_of(make_viewer(districts=[org["unnao"]]))
    rows = read_csv(unnao.get("/dashboard/seats/?format=csv"))
    assert figures_of(rows, TIFFIN) == {"35": ("1", "1", "100.0"), "36": ("1", "1", "100.0")}


def test_a_bad_month_is_a_clear_400(leader, org):
    for month in ("2026-13", "nov", "2026-1"):
        response = leader.get(f"/dashboard/seats/?month={month}")
        assert response.status_code == 400
        assert f"month={month}: write the month as YYYY-MM" in response.content.decode()
        assert leader.get(f"/dashboard/seats/{org['seats'][35].pk}/?month={month}&format=csv").status_code == 400
