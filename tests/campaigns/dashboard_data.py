"""A small organisation with three days of calls whose figures are known by hand.

    Uttar Pradesh
    ├── region अवध:   district लखनऊ (2 mandals of 2 booths), district उन्नाव (1 mandal, 4 booths)
    └── region काशी:  district वाराणसी (1 mandal, 4 booths)

One district in-charge per district; each gets 2 calls a day (a president not
reached goes to another caller the next day, or waits a day: 4 booths a
district keep every caller's day full). Three days: two days ago, yesterday, today. What each
caller logged is written in PLAN; every other call is left unlogged (missed on
past days, open today).
"""

import datetime
import zoneinfo
from dataclasses import dataclass

import time_machine

from campaigns.models import CallAssignment
from campaigns.services import CallReport, assignments_create_for_day, call_log_record
from tests.factories import DistrictFactory, RegionFactory, StateFactory, make_booths, make_caller

IST = zoneinfo.ZoneInfo("Asia/Kolkata")
TODAY = datetime.date(2026, 11, 20)
NOON = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=IST)  # the moment the tests look at the pages


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=IST)


# (day offset, district, slot) -> report; offsets: -2, -1, 0 (today)
REACHED_STRONG = CallReport("reached", wellbeing="all_well", standing="strong", needs={"voter_list": ""})
REACHED_WEAK = CallReport("reached", wellbeing="needs_attention", wellbeing_note="बीमार", standing="weak",
                          needs={"booth_committee": "", "leader_visit": ""})  # fmt: skip
REACHED_COMPETITIVE = CallReport("reached", wellbeing="all_well", standing="competitive")
NO_ANSWER = CallReport("no_answer")
PLAN = {
    (-2, "लखनऊ", 1): REACHED_STRONG,
    (-2, "लखनऊ", 2): REACHED_WEAK,
    (-2, "उन्नाव", 1): REACHED_COMPETITIVE,
    (-2, "उन्नाव", 2): NO_ANSWER,
    # वाराणसी logs nothing on day -2: both missed.
    (-1, "लखनऊ", 1): REACHED_COMPETITIVE,
    (-1, "लखनऊ", 2): NO_ANSWER,
    (-1, "उन्नाव", 1): REACHED_STRONG,
    (-1, "उन्नाव", 2): REACHED_WEAK,
    (-1, "वाराणसी", 1): REACHED_WEAK,
    # today: लखनऊ logs one call, the rest stay open.
    (0, "लखनऊ", 1): REACHED_STRONG,
}


@dataclass
class Org:
    state: object
    awadh: object
    kashi: object
    lucknow: object
    unnao: object
    varanasi: object
    callers: dict
    today: datetime.date


def build() -> Org:
    """The organisation and its three days, each day assigned at 07:00 and logged at 11:00."""
    with time_machine.travel(at(TODAY, 6), tick=False):
        state = StateFactory()
        awadh, kashi = RegionFactory(state=state, name="अवध"), RegionFactory(state=state, name="काशी")
        lucknow = DistrictFactory(region=awadh, name="लखनऊ")
        unnao = DistrictFactory(region=awadh, name="उन्नाव")
        varanasi = DistrictFactory(region=kashi, name="वाराणसी")
        make_booths(district=lucknow, count=4, mandals=2)
        make_booths(district=unnao, count=4, mandals=1)
        make_booths(district=varanasi, count=4, mandals=1)
        callers = {district.name: make_caller(districts=[district]) for district in (lucknow, unnao, varanasi)}
    for offset in (-2, -1, 0):
        day = TODAY + datetime.timedelta(days=offset)
        with time_machine.travel(at(day, 7), tick=False):
            assignments_create_for_day(day=day, source="test")
        for (when, district, slot), report in PLAN.items():
            if when != offset:
                continue
            user = callers[district]
            call = CallAssignment.objects.get(caller=user.person, day=day, slot=slot)
            with time_machine.travel(at(day, 11, slot), tick=False):
                call_log_record(assignment=call, user=user, report=report)
    return Org(state, awadh, kashi, lucknow, unnao, varanasi, callers, TODAY)
