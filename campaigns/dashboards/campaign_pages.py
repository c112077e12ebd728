"""The campaign pages of the dashboards: reported vs verified, unit by unit, with
the calls' answers behind each figure one tap away."""

from typing import Any

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..access import Scope
from ..models import Campaign, CampaignAnswer
from ..verification import stats
from ..verification.selectors import (
    UnitVerification,
    answers_of_unit,
    min_answers,
    verification_rows,
    verification_total,
)
from .pages import _Unit
from .query import DashboardQuery
from .tables import LEVEL_LABELS, Column, Table

FLAG_MEANINGS = {
    stats.OVER: gettext_lazy(
        "The unit reports more booths covered than the booth presidents' answers can explain, "
        "even at the top of the %(confidence)s range."
    ),
    stats.CONSISTENT: gettext_lazy("What the unit reports lies within the range the answers allow."),
    stats.UNDER: gettext_lazy("The answers say the campaign reached more booths than the unit reported."),
    stats.TOO_FEW: gettext_lazy("Too few booth presidents have answered yet to judge the report."),
    stats.NOT_REPORTED: gettext_lazy("The unit has not reported its progress yet."),
}
ANSWER_PAGE = 50


def _columns(by: str) -> list[Column]:
    units = [Column("region", LEVEL_LABELS["region"], "text"), Column("district", LEVEL_LABELS["district"], "text")]
    if by == "mandal":
        units.append(Column("mandal", LEVEL_LABELS["mandal"], "text"))
    units[-1] = Column(units[-1].key, units[-1].label, "text", link=True)
    return [
        *units,
        Column("booths", _("Booths")),
        Column("booths_reported", _("Booths reported covered")),
        Column("reported_pct", _("Reported"), "pct"),
        Column("answers", _("Presidents asked")),
        Column("verified_pct", _("Verified"), "pct"),
        Column("verified_low", _("Verified, at least"), "pct"),
        Column("verified_high", _("Verified, at most"), "pct"),
        Column("flag", _("Verdict"), "flag"),
        Column("yes", _("Yes")),
        Column("partly", _("Partly")),
        Column("no", _("No")),
        Column("unknown", _("Didn't know")),
        Column("households_contacted", _("Households reported")),
        Column("reported_on", _("Last report"), "date"),
        Column("more_answers", _("Answers to settle it")),
        Column("days_to_settle", _("Days to settle it, at this pace")),
    ]


def _values(row: UnitVerification, by: str) -> list:
    v = row.verification
    low, high = v.interval or (None, None)
    units = [row.region, row.district] + ([row.name] if by == "mandal" else [])
    return [
        *units, v.booths, v.booths_reported, v.reported, v.answers, v.verified, low, high, v.flag,
        v.yes, v.partly, v.no, v.unknown, row.households, row.reported_on, v.answers_to_settle, row.days_to_settle,
    ]  # fmt: skip


def campaign_link(campaign: Campaign, q: DashboardQuery, **params: object) -> str:
    return f"{reverse('dashboard_campaign', args=[campaign.pk])}?{q.params(**params)}"


def campaign_page(campaign: Campaign, scope: Scope, q: DashboardQuery) -> dict:
    """The tables (for the page and its exports) and the page's other context."""
    by = q.by or ("mandal" if q.level in ("district", "mandal") else "district")
    rows = verification_rows(campaign=campaign, scope=scope, by=by, today=q.today)
    if q.level == "region":
        rows = [row for row in rows if row.region_id == q.unit.pk]
    elif q.level == "district":
        rows = [row for row in rows if row.district_id == q.unit.pk]
    elif q.level == "mandal":
        rows = [row for row in rows if row.pk == q.unit.pk]
    table = Table("units", _("Reported and verified, by %(unit)s") % {"unit": LEVEL_LABELS[by].lower()}, _columns(by))
    table.rows = [_values(row, by) for row in rows]
    level = "mandal" if by == "mandal" else "district"
    table.links = [campaign_link(campaign, q.at(level, _Unit(row.pk))) for row in rows]
    context = {
        "campaign": campaign,
        "by": by,
        "rows": rows,
        "total": verification_total(rows),
        "flags": [
            (code, stats.FLAG_LABELS[code], str(FLAG_MEANINGS[code]) % {"confidence": "95 %"})
            for code in stats.FLAG_LABELS
        ],
        "flagged": [row for row in rows if row.verification.flag == stats.OVER],
        "doubtful": [row for row in rows if row.verification.answers_to_settle is not None][:20],
        "min_answers": min_answers(),
    }
    tables = {"units": table}
    # The answers behind the figures: listed on a district's or a mandal's page,
    # and downloadable for any unit (`table=answers`, the whole campaign in view).
    if q.level in ("district", "mandal") or (q.format and q.table == "answers"):
        answers = answers_of_unit(
            campaign=campaign,
            scope=scope,
            district_id=q.unit.pk if q.level == "district" else None,
            mandal_id=q.unit.pk if q.level == "mandal" else None,
        )
        if q.level == "region":
            answers = answers.filter(district__region_id=q.unit.pk)
        evidence = Table("answers", _("What the booth presidents said"), ANSWER_COLUMNS)
        if q.format:
            evidence.rows = [_answer_values(answer) for answer in answers]
        else:
            page = Paginator(answers, ANSWER_PAGE).get_page(q.page)
            evidence.rows = [_answer_values(answer) for answer in page]
            evidence.links = [
                f"{reverse('dashboard_calls')}?booth={answer.booth_id}"
                f"&from={answer.day.isoformat()}&to={answer.day.isoformat()}"
                for answer in page
            ]
            context["answers_page"] = page
        tables["answers"] = evidence
    return {"tables": tables, **context}


ANSWER_COLUMNS = [
    Column("day", _("Day"), "date"),
    Column("booth", _("Booth"), "text", link=True),
    Column("booth_name", _("Polling station"), "text"),
    Column("mandal", LEVEL_LABELS["mandal"], "text"),
    Column("district", LEVEL_LABELS["district"], "text"),
    Column("president_name", _("Booth president"), "text"),
    Column("caller_name", _("Caller"), "text"),
    Column("answer", _("Answer"), "answer"),
]


def _answer_values(answer: CampaignAnswer) -> list:
    call = answer.log.assignment
    return [answer.day, answer.booth.label, answer.booth.name, answer.mandal.name, answer.mandal.district.name,
            call.president.name, call.caller.name, answer.answer]  # fmt: skip


def crumbs(campaign: Campaign, q: DashboardQuery) -> list[tuple[str, str]]:
    """Campaigns › this campaign › region › district › mandal, each a link."""
    steps = [(_("Campaigns"), reverse("dashboard_campaigns")), (campaign.name, campaign_link(campaign, q.at("", None)))]
    chain: list[tuple[str, Any]] = []
    unit = q.unit
    for level in ("mandal", "district", "region"):
        if q.level == level or (chain and unit is not None):
            chain.append((level, unit))
            unit = {"mandal": lambda u: u.district, "district": lambda u: u.region, "region": lambda u: None}[level](
                unit
            )
    steps += [(unit.name, campaign_link(campaign, q.at(level, unit))) for level, unit in reversed(chain)]
    return steps
