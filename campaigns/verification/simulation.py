"""Does the check work? A campaign simulated through the real assignment and the
real call logging: one district reports 90 % of its booths covered where the
truth behind its presidents' answers is 50 %, the others report the truth. How
many days until the over-reporting district is flagged, with and without
targeting, against what the page predicted; and how often an honest district is
flagged (a Monte Carlo of the statistic at the same pace, for many runs).

Used by `bench/campaign_simulation.py` and the tests; it writes to the database
it runs in (seed it with `seed_demo --preset sim` first).
"""

import datetime
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from booths.models import Booth, District, User

from ..access import Scope
from ..models import Answer, CallAssignment, CallLog, CampaignQuestion
from ..selectors import call_questions
from ..services import CallReport, assignments_create_for_day, call_log_record
from . import stats
from .selectors import verification_rows
from .services import campaign_create, campaign_report_record

REACH_RATE = 0.74  # share of calls that reach the president (as in the demo history)
UNKNOWN_RATE = 0.05  # presidents who cannot say
PREDICT_FROM = 3


@dataclass
class CampaignRun:
    days: int
    over_district: str
    flagged_day: int | None = None  # the day the over-reporting district was first flagged
    predicted_day: int | None = None  # the day the page predicted it would be settled, the first evening with
    # PREDICT_FROM answers (a prediction from one answer and one day's pace is a guess)
    honest: int = 0
    honest_flagged_ever: int = 0  # honest districts flagged on some evening
    honest_flagged_end: int = 0  # honest districts flagged on the last evening
    answers_by_day: list[int] = field(default_factory=list)  # the over-reporting district's answers, each evening


def _reached(booth_id: int, share: float, seed: int) -> bool:
    return random.Random(f"truth-{seed}-{booth_id}").random() < share


def simulate_campaign(
    *, days: int, seed: int = 1, targeting: float = 0.0, over_truth: float = 0.5, over_claim: float = 0.9
) -> CampaignRun:
    """Run `days` days of calls ending yesterday, in a database seeded with the `sim` preset."""
    rng = random.Random(f"campaign-{seed}")
    today = timezone.localdate()
    first = today - datetime.timedelta(days=days)
    districts = list(District.objects.filter(mandals__booths__is_active=True).distinct().order_by("pk"))
    over = districts[rng.randrange(len(districts))]
    truth = {d.pk: (over_truth if d.pk == over.pk else rng.uniform(0.35, 0.85)) for d in districts}
    campaign = campaign_create(name="महाजनसंपर्क (simulation)", start=first, end=today)
    question = campaign.questions.get(position=1)
    booths: dict[int, list[int]] = {}
    for booth_id, district_id in Booth.objects.filter(is_active=True).values_list("pk", "mandal__district_id"):
        booths.setdefault(district_id, []).append(booth_id)
    for district in districts:
        ids = booths.get(district.pk, [])
        covered = sum(_reached(pk, truth[district.pk], seed) for pk in ids)
        if district.pk == over.pk:
            covered = round(len(ids) * over_claim)
        campaign_report_record(campaign=campaign, district=district, mandal=None, reported_on=first,
                               booths_covered=covered, households_contacted=covered * 90)  # fmt: skip
    users = {user.person_id: user for user in User.objects.filter(person__isnull=False)}
    run = CampaignRun(days=days, over_district=over.name, honest=len(districts) - 1)
    flagged_honest: set[int] = set()
    with override_settings(CAMPAIGN_TARGETING=targeting):
        for n in range(1, days + 1):
            day = first + datetime.timedelta(days=n - 1)
            _one_day(day, question, truth, seed, rng, users)
            rows = {row.pk: row for row in verification_rows(campaign=campaign, scope=Scope(None), by="district",
                                                              today=day)}  # fmt: skip
            mine = rows[over.pk]
            run.answers_by_day.append(mine.verification.answers)
            if mine.verification.flag == stats.OVER and run.flagged_day is None:
                run.flagged_day = n
            if run.predicted_day is None and mine.verification.answers >= PREDICT_FROM:
                if mine.verification.flag == stats.OVER:
                    run.predicted_day = n
                elif mine.days_to_settle is not None:
                    run.predicted_day = n + mine.days_to_settle
            honest_over = {pk for pk, row in rows.items() if pk != over.pk and row.verification.flag == stats.OVER}
            flagged_honest |= honest_over
            if n == days:
                run.honest_flagged_end = len(honest_over)
    run.honest_flagged_ever = len(flagged_honest)
    return run


def _one_day(day: datetime.date, question: CampaignQuestion, truth: dict[int, float], seed: int,
             rng: random.Random, users: dict[int | None, User]) -> None:  # fmt: skip
    assignments_create_for_day(day=day, source="simulation")
    calls = CallAssignment.objects.filter(day=day).select_related("post__booth__mandal").order_by("pk")
    noon = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    for call in calls:
        if rng.random() >= REACH_RATE:
            report = CallReport(outcome=CallAssignment.Outcome.NO_ANSWER)
        else:
            booth = call.post.booth
            assert booth is not None  # a president's post
            reached = _reached(booth.pk, truth[booth.mandal.district_id], seed)
            answer = Answer.UNKNOWN if rng.random() < UNKNOWN_RATE else Answer.YES if reached else Answer.NO
            asked = {q.pk: answer for q in call_questions(call) if q.pk == question.pk}
            report = CallReport(outcome=CallAssignment.Outcome.REACHED, wellbeing=CallLog.Wellbeing.ALL_WELL,
                                standing=CallLog.Standing.COMPETITIVE, answers=asked)  # fmt: skip
        with transaction.atomic():
            user = users.get(call.caller_id)
            assert user is not None  # every caller was given an account
            call_log_record(assignment=call, user=user, report=report, at=noon)


def false_alarm_rate(
    *, runs: int, booths: int, answers_per_day: float, days: int, seed: int = 1
) -> tuple[float, float]:
    """The share of honest districts flagged over-reported (on the last evening,
    and on any evening) when each reports its true share exactly and its booths'
    presidents are asked at `answers_per_day`, each booth at most once."""
    rng = random.Random(f"false-alarms-{seed}")
    at_end = ever = 0
    min_answers = settings.CAMPAIGN_MIN_ANSWERS
    for _ in range(runs):
        share = rng.uniform(0.3, 0.9)
        status = [rng.random() < share for _ in range(booths)]
        reported = sum(status)
        rng.shuffle(status)
        asked, yes, flagged, carry = 0, 0, False, 0.0
        verification = None
        for _day in range(days):
            carry += answers_per_day
            while carry >= 1 and asked < booths:
                carry -= 1
                yes += status[asked]
                asked += 1
            verification = stats.Verification(booths=booths, booths_reported=reported, yes=yes, no=asked - yes,
                                              min_answers=min_answers)  # fmt: skip
            flagged |= verification.flag == stats.OVER
        at_end += verification is not None and verification.flag == stats.OVER
        ever += flagged
    return at_end / runs, ever / runs
