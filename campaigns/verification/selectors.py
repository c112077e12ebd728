"""Reads of campaigns: which are active where, and reported vs verified by unit.

The unit of verification is the booth: a unit reports how many of its booths
the campaign covered, and each booth president asked says whether it reached
their booth. A booth asked twice counts once, with its latest answer (`unknown`
is not an answer, so an earlier yes, partly or no stands).
"""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from booths.models import Booth, District, Mandal

from ..access import Scope, campaign_district_ids, campaign_scope
from ..models import Answer, Campaign, CampaignAnswer, CampaignQuestion, CampaignReport
from .stats import Verification


def campaigns_for_scope(scope: Scope) -> list[Campaign]:
    """The campaigns that run somewhere in the scope, newest first."""
    campaigns = list(Campaign.objects.prefetch_related("districts", "regions").order_by("-start", "name"))
    return [campaign for campaign in campaigns if campaign_scope(campaign, scope).district_ids != frozenset()]


def questions_for_call(*, district_id: int, day: datetime.date) -> list[CampaignQuestion]:
    """The questions a call to a booth of `district_id` on `day` asks: those of
    every campaign active that day whose scope takes in the district."""
    campaigns = [
        campaign
        for campaign in Campaign.objects.active_on(day).prefetch_related("districts", "regions")
        if (ids := campaign_district_ids(campaign)) is None or district_id in ids
    ]
    if not campaigns:
        return []
    return list(
        CampaignQuestion.objects.filter(campaign__in=campaigns)
        .select_related("campaign")
        .order_by("campaign__start", "campaign_id", "position")
    )


def min_answers() -> int:
    return settings.CAMPAIGN_MIN_ANSWERS


@dataclass
class UnitVerification:
    """A district or mandal: its names, its report and what the calls say."""

    pk: int
    name: str
    region_id: int
    region: str
    district_id: int
    district: str
    verification: Verification
    households: int | None = None
    reported_on: datetime.date | None = None
    asked_per_day: float = 0.0  # answers a day so far, for the estimate of days to settle
    days_left: int = 0  # days the campaign still runs

    @property
    def days_to_settle(self) -> int | None:
        more = self.verification.answers_to_settle
        if more is None or not self.asked_per_day:
            return None
        return math.ceil(more / self.asked_per_day)


@dataclass
class _Tally:
    booths: int = 0
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    asked: int = 0  # answers given (every call, before counting a booth once)


def latest_answer_counts(answers: QuerySet[CampaignAnswer], *group: str) -> list[tuple]:
    """(each of `group`'s values, answer, booths) over `answers` (a queryset of
    CampaignAnswer), each booth counted once with its latest yes, partly or no.
    `group` are paths from an answer (`"district_id"`, `"booth__assembly_seat_id"`).

    The window runs over the answers the queryset selects, so it filters before
    it ranks: an `unknown` never hides an earlier answer."""
    keys = {f"group_{n}": F(path) for n, path in enumerate(group)}
    latest = Window(RowNumber(), partition_by=F("booth_id"), order_by=[F("day").desc(), F("id").desc()])
    ranked = (
        answers.filter(answer__in=[Answer.YES, Answer.PARTLY, Answer.NO])
        .annotate(**keys, latest=latest)
        .values(*keys, "answer", "latest")
        .order_by()
    )
    inner, params = ranked.query.sql_with_params()
    columns = ", ".join([*keys, "answer"])
    # Aggregating over a window's result needs the window in a subquery, which the ORM does not write.
    sql = f"SELECT {columns}, COUNT(*) FROM ({inner}) answers WHERE latest = 1 GROUP BY {columns}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _answer_counts(question: CampaignQuestion, scope: Scope) -> list[tuple[int, int, str, int]]:
    """(district, mandal, answer, booths) with each booth's latest answer."""
    return latest_answer_counts(scope.filter(CampaignAnswer.objects.filter(question=question)), "district_id",
                                "mandal_id")  # fmt: skip


def _latest_reports(campaign: Campaign, scope: Scope) -> tuple[dict, dict]:
    """The latest report of each mandal, and of each district reporting as a whole."""
    reports = scope.filter(CampaignReport.objects.filter(campaign=campaign)).order_by("reported_on", "pk")
    by_mandal: dict[int, CampaignReport] = {}
    by_district: dict[int, CampaignReport] = {}
    for report in reports.only("district_id", "mandal_id", "reported_on", "booths_covered", "households_contacted"):
        (by_mandal if report.mandal_id else by_district)[report.mandal_id or report.district_id] = report
    return by_mandal, by_district


def verification_rows(
    *, campaign: Campaign, scope: Scope, by: str, today: datetime.date | None = None
) -> list[UnitVerification]:
    """Reported vs verified for each district (or mandal) of the campaign in the scope.

    A district's report is the sum of its mandals' latest reports, or its own
    latest report as a whole when that is newer."""
    today = today or timezone.localdate()
    scope = campaign_scope(campaign, scope)
    question = campaign.questions.filter(position=1).first()
    key = "mandal_id" if by == "mandal" else "mandal__district_id"
    booths = scope.filter(Booth.objects.filter(is_active=True), "mandal__district_id")
    tallies: dict[int, _Tally] = defaultdict(_Tally)
    for pk, n in booths.values_list(key).annotate(n=Count("pk")).order_by():
        tallies[pk].booths = n
    if question is not None:
        for district_id, mandal_id, answer, n in _answer_counts(question, scope):
            tallies[mandal_id if by == "mandal" else district_id].counts[answer] += n
        # Every answer given (the pace of the calls) and the "don't know"s, in one pass.
        answered = scope.filter(CampaignAnswer.objects.filter(question=question))
        given = answered.values_list("mandal_id" if by == "mandal" else "district_id").annotate(
            asked=Count("pk", filter=~Q(answer=Answer.UNKNOWN)), unknown=Count("pk", filter=Q(answer=Answer.UNKNOWN))
        )
        for pk, asked, unknown in given.order_by():
            tallies[pk].asked = asked
            tallies[pk].counts[Answer.UNKNOWN] += unknown
    by_mandal, by_district = _latest_reports(campaign, scope)
    reported: dict[int, tuple[int, int, datetime.date]] = {}
    if by == "mandal":
        for pk, report in by_mandal.items():
            reported[pk] = (report.booths_covered, report.households_contacted, report.reported_on)
    else:
        sums: dict[int, list] = {}
        for report in by_mandal.values():
            entry = sums.setdefault(report.district_id, [0, 0, report.reported_on])
            entry[0] += report.booths_covered
            entry[1] += report.households_contacted
            entry[2] = max(entry[2], report.reported_on)
        for pk, entry in sums.items():
            reported[pk] = tuple(entry)
        for pk, report in by_district.items():
            if pk not in reported or report.reported_on > reported[pk][2]:
                reported[pk] = (report.booths_covered, report.households_contacted, report.reported_on)
    units: QuerySet | None = Mandal.objects.filter(district_id__in=_district_ids(scope)) if by == "mandal" else None
    if units is None:
        units = District.objects.filter(pk__in=_district_ids(scope))
        names = units.values_list("pk", "name", "region_id", "region__name", "pk", "name")
    else:
        names = units.values_list(
            "pk", "name", "district__region_id", "district__region__name", "district_id", "district__name"
        )
    elapsed = max((min(today, campaign.end) - campaign.start).days + 1, 1)
    days_left = max((campaign.end - max(today, campaign.start)).days + 1, 0)
    rows = []
    for pk, name, region_id, region, district_id, district in names:
        tally = tallies.get(pk, _Tally())
        report = reported.get(pk)
        verification = Verification(
            booths=tally.booths,
            booths_reported=report[0] if report else None,
            yes=tally.counts[Answer.YES],
            partly=tally.counts[Answer.PARTLY],
            no=tally.counts[Answer.NO],
            unknown=tally.counts[Answer.UNKNOWN],
            min_answers=min_answers(),
        )
        rows.append(
            UnitVerification(
                pk=pk,
                name=name,
                region_id=region_id,
                region=region,
                district_id=district_id,
                district=district,
                verification=verification,
                households=report[1] if report else None,
                reported_on=report[2] if report else None,
                asked_per_day=tally.asked / elapsed if campaign.start <= today else 0.0,
                days_left=days_left,
            )
        )
    rows.sort(key=lambda row: (row.region, row.district, row.name))
    return rows


def _district_ids(scope: Scope) -> list[int] | QuerySet:
    return sorted(scope.district_ids) if scope.district_ids is not None else District.objects.values("pk")


def verification_total(rows: list[UnitVerification]) -> Verification:
    """All the units together (reported: the sum of what units reported)."""
    reported = [row.verification.booths_reported for row in rows if row.verification.booths_reported is not None]
    return Verification(
        booths=sum(row.verification.booths for row in rows),
        booths_reported=sum(reported) if reported else None,
        yes=sum(row.verification.yes for row in rows),
        partly=sum(row.verification.partly for row in rows),
        no=sum(row.verification.no for row in rows),
        unknown=sum(row.verification.unknown for row in rows),
        min_answers=min_answers(),
    )


def answers_of_unit(
    *, campaign: Campaign, scope: Scope, district_id: int | None = None, mandal_id: int | None = None
) -> QuerySet:
    """The answers to the booth-level question behind a unit's figures, newest
    first: the evidence, one call each."""
    answers = campaign_scope(campaign, scope).filter(
        CampaignAnswer.objects.filter(campaign=campaign, question__position=1)
    )
    if mandal_id:
        answers = answers.filter(mandal_id=mandal_id)
    elif district_id:
        answers = answers.filter(district_id=district_id)
    return answers.select_related(
        "booth__assembly_seat", "mandal__district", "log__assignment__president", "log__assignment__caller"
    ).order_by("-day", "-pk")


def campaign_targets(*, day: datetime.date) -> frozenset[int]:
    """The districts whose reports of a campaign active on `day` are in doubt
    (the daily assignment sends them more of the wide-scope callers' picks)."""
    targets: set[int] = set()
    for campaign in Campaign.objects.active_on(day):
        for row in verification_rows(campaign=campaign, scope=Scope(None), by="district", today=day):
            if row.verification.doubtful:
                targets.add(row.pk)
    return frozenset(targets)
