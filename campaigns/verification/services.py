"""Writes of campaigns: defining one, units' reports, and the answers of a call."""

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from booths.models import Booth, District, Mandal, Region, State, User

from ..models import Answer, CallLog, Campaign, CampaignAnswer, CampaignQuestion, CampaignReport

BOOTH_QUESTION = gettext_lazy("Did the campaign reach your booth (workers visited households)?")


def campaign_create(
    *,
    name: str,
    start: datetime.date,
    end: datetime.date,
    state: State | None = None,
    regions: Sequence[Region] = (),
    districts: Sequence[District] = (),
    questions: Sequence[tuple[str, str]] = (),
    user: User | None = None,
) -> Campaign:
    """A campaign with its booth-level question first, then up to two more
    (text, kind): yes/no or a number."""
    if not name.strip():
        raise ValidationError(_("A campaign needs a name."))
    if end < start:
        raise ValidationError(_("A campaign ends on or after the day it starts."))
    if len(questions) > CampaignQuestion.MAX_PER_CAMPAIGN - 1:
        raise ValidationError(
            _("A campaign asks the booth-level question and at most %(n)s more.")
            % {"n": CampaignQuestion.MAX_PER_CAMPAIGN - 1}
        )
    for text, kind in questions:
        if not text.strip() or kind not in (CampaignQuestion.Kind.YES_NO, CampaignQuestion.Kind.NUMBER):
            raise ValidationError(_("Each further question needs its text, answered yes/no or with a number."))
    twin = Campaign.objects.filter(name__iexact=name.strip(), start__lte=end, end__gte=start).first()
    if twin is not None:
        raise ValidationError(
            _("A campaign called “%(name)s” already runs in those days (number %(id)s, %(start)s to %(end)s).")
            % {"name": twin.name, "id": twin.pk, "start": twin.start.isoformat(), "end": twin.end.isoformat()}
        )
    with transaction.atomic():
        campaign = Campaign.objects.create(name=name.strip(), start=start, end=end, state=state, created_by=user)
        campaign.regions.set(regions)
        campaign.districts.set(districts)
        campaign_questions_ensure(campaign=campaign)
        for position, (text, kind) in enumerate(questions, start=2):
            CampaignQuestion.objects.create(campaign=campaign, position=position, kind=kind, text=text.strip())
    return campaign


def booth_question_text() -> str:
    """The booth-level question as stored: in English, the catalogue's msgid, so
    each caller reads it in their own language (`question_label`)."""
    with translation.override("en"):
        return str(BOOTH_QUESTION)


def campaign_questions_ensure(*, campaign: Campaign) -> None:
    """The booth-level question is always the first (the admin may add others)."""
    CampaignQuestion.objects.get_or_create(
        campaign=campaign,
        position=1,
        defaults={"kind": CampaignQuestion.Kind.BOOTH_REACH, "text": booth_question_text()},
    )


def report_check(
    *,
    campaign: Campaign,
    district: District,
    mandal: Mandal | None,
    reported_on: datetime.date,
    booths_covered: int,
    booths: int | None = None,
) -> dict[str, str]:
    """What is wrong with a report, by field (empty: nothing). `booths`: the
    unit's active booths when the caller has counted them (a sheet, for all its rows at once)."""
    errors: dict[str, str] = {}
    if mandal is not None and mandal.district_id != district.pk:
        errors["mandal"] = _("%(mandal)s is not a mandal of %(district)s.") % {
            "mandal": mandal.name,
            "district": district.name,
        }
        return errors
    if not campaign.start <= reported_on <= campaign.end + datetime.timedelta(days=30):
        errors["reported_on"] = _("The campaign runs from %(start)s to %(end)s; a report is dated within it.") % {
            "start": campaign.start.isoformat(),
            "end": campaign.end.isoformat(),
        }
    elif reported_on > timezone.localdate():
        errors["reported_on"] = _("%(day)s is in the future.") % {"day": reported_on.isoformat()}
    if booths is None:
        active = Booth.objects.filter(is_active=True)
        active = active.filter(mandal=mandal) if mandal is not None else active.filter(mandal__district=district)
        booths = active.count()
    total = booths
    if booths_covered > total:
        errors["booths_covered"] = _("%(n)s booths covered, but %(unit)s has %(total)s booths.") % {
            "n": booths_covered,
            "unit": mandal.name if mandal is not None else district.name,
            "total": total,
        }
    return errors


def campaign_report_record(
    *,
    campaign: Campaign,
    district: District,
    mandal: Mandal | None,
    reported_on: datetime.date,
    booths_covered: int,
    households_contacted: int,
    user: User | None = None,
    booths: int | None = None,
) -> tuple[CampaignReport, bool]:
    """Record a unit's report for a day (a second report the same day replaces
    the first). Returns the report and whether it was created."""
    errors = report_check(campaign=campaign, district=district, mandal=mandal, reported_on=reported_on,
                          booths_covered=booths_covered, booths=booths)  # fmt: skip
    if errors:
        raise ValidationError(errors)
    lookup = {"campaign": campaign, "reported_on": reported_on}
    lookup.update({"mandal": mandal} if mandal is not None else {"district": district, "mandal": None})
    with transaction.atomic():
        report, created = CampaignReport.objects.select_for_update().get_or_create(
            **lookup,
            defaults={
                "district": district,
                "booths_covered": booths_covered,
                "households_contacted": households_contacted,
                "reported_by": user,
            },
        )
        if not created and (report.booths_covered, report.households_contacted) != (
            booths_covered,
            households_contacted,
        ):
            report.booths_covered, report.households_contacted = booths_covered, households_contacted
            report.reported_by = user
            report.save(update_fields=["booths_covered", "households_contacted", "reported_by", "updated_at"])
    return report, created


def call_answers_sync(*, log: CallLog, answers: dict[int, Any], questions: list[CampaignQuestion]) -> None:
    """Keep a call's answers equal to what the form (or API) last said: answers
    to `questions` only, none when the president was not reached (`answers` empty)."""
    booth = log.assignment.post.booth
    assert booth is not None  # a president's post
    wanted = {question.pk: question for question in questions if answers.get(question.pk) not in (None, "")}
    log.answers.exclude(question_id__in=list(wanted)).delete()
    for pk, question in wanted.items():
        value = answers[pk]
        is_number = question.kind == CampaignQuestion.Kind.NUMBER
        CampaignAnswer.objects.update_or_create(
            log=log,
            question=question,
            defaults={
                "campaign_id": question.campaign_id,
                "district_id": booth.mandal.district_id,
                "mandal_id": booth.mandal_id,
                "booth": booth,
                "day": log.assignment.day,
                "answer": "" if is_number else Answer(value),
                "number": int(value) if is_number else None,
            },
        )
