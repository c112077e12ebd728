"""The demo's Mahajansampark campaign: a truth behind every booth, answers drawn
from it in the simulated calls, reports from every district, and one district
that reports far more than its booths' presidents bear out."""

import datetime
import random
from dataclasses import dataclass

from booths.models import Booth, District, Mandal

from ..models import Answer, Campaign, CampaignQuestion
from .services import campaign_create, campaign_report_record

NAME = "महाजनसंपर्क अभियान"
# The share of booths the campaign really reached, by a district's character.
TRUTH = {"strong": 0.8, "typical": 0.6, "weak": 0.35, "lax": 0.55}
OVER_REPORTED_TRUTH, OVER_REPORTED_CLAIM = 0.4, 0.9


@dataclass
class DemoCampaign:
    campaign: Campaign
    truth: dict[int, float]  # district -> share of booths really reached
    over_reported: District | None


def demo_campaign_create(*, first: datetime.date, today: datetime.date, profiles: dict[int, str]) -> DemoCampaign:
    """A campaign over the simulated days and two weeks on, every district in it."""
    campaign = campaign_create(
        name=NAME,
        start=first,
        end=today + datetime.timedelta(days=14),
        questions=[("क्या बूथ पर पर्चे बांटे गए?", CampaignQuestion.Kind.YES_NO)],
    )
    typical = sorted(pk for pk, character in profiles.items() if character == "typical")
    over = District.objects.filter(pk=typical[0]).first() if typical else None
    truth = {pk: TRUTH.get(character, 0.6) for pk, character in profiles.items()}
    if over is not None:
        truth[over.pk] = OVER_REPORTED_TRUTH
    return DemoCampaign(campaign=campaign, truth=truth, over_reported=over)


def _reached(booth_id: int, share: float, seed: int) -> bool:
    """Whether the campaign really reached a booth: fixed per booth, so a president asked twice agrees."""
    return random.Random(f"campaign-{seed}-{booth_id}").random() < share


def demo_answers(*, demo: DemoCampaign, questions: list[CampaignQuestion], booth: Booth, district_id: int,
                 rng: random.Random, seed: int) -> dict[int, str]:  # fmt: skip
    """What a reached president answers, drawn from their booth's truth."""
    answers: dict[int, str] = {}
    reached = _reached(booth.pk, demo.truth.get(district_id, 0.6), seed)
    for question in questions:
        if question.campaign_id != demo.campaign.pk:
            continue
        roll = rng.random()
        if question.kind == CampaignQuestion.Kind.BOOTH_REACH:
            if reached:
                answers[question.pk] = Answer.YES if roll < 0.88 else Answer.PARTLY if roll < 0.97 else Answer.UNKNOWN
            else:
                answers[question.pk] = Answer.NO if roll < 0.85 else Answer.PARTLY if roll < 0.92 else Answer.UNKNOWN
        elif question.kind == CampaignQuestion.Kind.YES_NO:
            answers[question.pk] = Answer.YES if (roll < 0.8) == reached else Answer.NO
    return answers


def demo_reports(*, demo: DemoCampaign, today: datetime.date, seed: int) -> int:
    """Each mandal reports once a week; honest mandals report their booths' truth
    as it grows, the over-reporting district's claim 90 % at the end."""
    campaign = demo.campaign
    booths: dict[int, list[int]] = {}
    for booth_id, mandal_id in Booth.objects.filter(is_active=True).values_list("pk", "mandal_id"):
        booths.setdefault(mandal_id, []).append(booth_id)
    written = 0
    days = _weekly(campaign.start, today)
    for mandal in Mandal.objects.order_by("pk"):
        ids = booths.get(mandal.pk, [])
        if not ids:
            continue
        over = demo.over_reported is not None and mandal.district_id == demo.over_reported.pk
        share = demo.truth.get(mandal.district_id, 0.6)
        really = sum(_reached(pk, share, seed) for pk in ids)
        per_booth = random.Random(f"{seed}-{mandal.pk}").randint(60, 140)  # households a booth
        for n, day in enumerate(days, start=1):
            progress = n / len(days)
            covered = round(len(ids) * OVER_REPORTED_CLAIM * progress) if over else round(really * progress)
            campaign_report_record(campaign=campaign, district=mandal.district, mandal=mandal, reported_on=day,
                                   booths_covered=covered, households_contacted=covered * per_booth)  # fmt: skip
            written += 1
    return written


def _weekly(start: datetime.date, today: datetime.date) -> list[datetime.date]:
    days, day = [], start + datetime.timedelta(days=6)
    while day <= today:
        days.append(day)
        day += datetime.timedelta(days=7)
    return days or [today]
