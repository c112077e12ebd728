"""Campaigns (abhiyan) such as Mahajansampark: what units report, and what booth
presidents say in calls about it. The calls are an independent sample against
which the reports are checked (`campaigns.verification`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from booths.models import Booth, District, Mandal, Region, State

from .calls import CallLog


class CampaignQuerySet(models.QuerySet["Campaign"]):
    def active_on(self, day: object) -> "CampaignQuerySet":
        return self.filter(start__lte=day, end__gte=day)


class Campaign(models.Model):
    """A campaign (abhiyan) with a period and a scope: the districts named, else
    the regions named, else the state (no state: every state)."""

    name = models.CharField(_("name"), max_length=200)
    start = models.DateField(_("starts"))
    end = models.DateField(_("ends"))
    state = models.ForeignKey(
        State, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("state"),
        help_text=_("Empty with no regions or districts: every state."),
    )  # fmt: skip
    regions = models.ManyToManyField(Region, blank=True, related_name="+", verbose_name=_("regions"))
    districts = models.ManyToManyField(District, blank=True, related_name="+", verbose_name=_("districts"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "name"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")),
                name="campaign_ends_after_it_starts",
                violation_error_message=_("A campaign ends on or after the day it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class CampaignQuestion(models.Model):
    """A question callers ask while the campaign runs. The first is always the
    booth-level one (`booth_reach`), on which reported and verified are compared."""

    class Kind(models.TextChoices):
        BOOTH_REACH = "booth_reach", _("Yes, partly, no, don't know")
        YES_NO = "yes_no", _("Yes, no, don't know")
        NUMBER = "number", _("A number")

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="questions", verbose_name=_("campaign"))
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("answered with"), max_length=16, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=300)

    MAX_PER_CAMPAIGN = 3

    class Meta:
        ordering = ["campaign", "position"]
        verbose_name = _("verification question")
        verbose_name_plural = _("verification questions")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "position"], name="campaign_question_position_once"),
            models.CheckConstraint(
                condition=Q(position__gte=1, position__lte=3), name="campaign_question_position_1_to_3"
            ),
            models.CheckConstraint(
                condition=Q(position=1, kind="booth_reach") | (Q(position__gt=1) & ~Q(kind="booth_reach")),
                name="campaign_question_first_is_booth_reach",
                violation_error_message=_("The first question is the booth-level one, and only the first."),
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def label(self) -> str:
        """The question in the reader's language: the default booth-level question
        is stored as the catalogue's English msgid; one an admin typed stays as typed."""
        return gettext(self.text) if self.text else ""


class Answer(models.TextChoices):
    """What a president says; the values are relied on by scripts and statistics."""

    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Don't know")


class CampaignAnswer(models.Model):
    """A president's answer to a verification question in a call (only calls that
    reached them). District, mandal and day are copied from the call so the
    verification figures group one table."""

    log = models.ForeignKey(CallLog, models.CASCADE, related_name="answers", verbose_name=_("call log"))
    question = models.ForeignKey(CampaignQuestion, models.CASCADE, related_name="answers", verbose_name=_("question"))
    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="answers", verbose_name=_("campaign"))
    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    mandal = models.ForeignKey(Mandal, models.PROTECT, related_name="+", verbose_name=_("mandal"))
    booth = models.ForeignKey(Booth, models.PROTECT, related_name="+", verbose_name=_("booth"))
    day = models.DateField(_("day"))
    answer = models.CharField(_("answer"), max_length=8, choices=Answer.choices, blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)

    class Meta:
        verbose_name = _("campaign answer")
        verbose_name_plural = _("campaign answers")
        constraints = [
            models.UniqueConstraint(fields=["log", "question"], name="campaign_answer_once_per_call"),
        ]
        indexes = [models.Index(fields=["question", "district", "mandal"], name="campaign_answer_unit")]

    def __str__(self) -> str:
        return f"{self.question}: {self.answer or self.number}"


class CampaignReport(models.Model):
    """What a unit reports of its progress: a mandal, or a district reporting as a
    whole (no mandal). The latest report of a unit counts; one a unit a day."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="reports", verbose_name=_("campaign"))
    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    mandal = models.ForeignKey(
        Mandal, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("mandal"),
        help_text=_("Empty when the district reports as a whole."),
    )  # fmt: skip
    reported_on = models.DateField(_("reported on"))
    booths_covered = models.PositiveIntegerField(_("booths covered"))
    households_contacted = models.PositiveIntegerField(_("households contacted"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-reported_on", "-pk"]
        verbose_name = _("campaign report")
        verbose_name_plural = _("campaign reports")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "mandal", "reported_on"],
                condition=Q(mandal__isnull=False),
                name="campaign_report_mandal_once_a_day",
            ),
            models.UniqueConstraint(
                fields=["campaign", "district", "reported_on"],
                condition=Q(mandal__isnull=True),
                name="campaign_report_district_once_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.mandal or self.district} · {self.reported_on}"
