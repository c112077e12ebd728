"""What callers record: the conversation, the booth's needs, follow-ups, roster reports."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from booths.models import Booth, District, Person, Post

from .assignment import CallAssignment


class CallLog(models.Model):
    """The conversation of a call that reached the president (the outcome itself
    lives on the assignment, so every assignment has one, reached or not)."""

    class Wellbeing(models.TextChoices):
        ALL_WELL = "all_well", _("All well")
        NEEDS_ATTENTION = "needs_attention", _("Needs attention")

    class Standing(models.TextChoices):
        STRONG = "strong", _("Strong")
        COMPETITIVE = "competitive", _("Competitive")
        WEAK = "weak", _("Weak")

    assignment = models.OneToOneField(
        CallAssignment, models.CASCADE, primary_key=True, related_name="log", verbose_name=_("assignment")
    )
    wellbeing = models.CharField(_("well-being of the family"), max_length=16, choices=Wellbeing.choices, blank=True)
    wellbeing_note = models.CharField(_("about their well-being"), max_length=500, blank=True)
    standing = models.CharField(_("party's standing in the booth"), max_length=16, choices=Standing.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    follow_up_wanted = models.BooleanField(_("follow-up wanted"), default=False)
    # Asked only when the booth's mandal recorded a tiffin meeting held this month:
    # does the president confirm it? (yes / no / unknown, as campaign answers)
    tiffin_meeting = models.CharField(
        _("tiffin meeting in the mandal this month"),
        max_length=8,
        choices=[("yes", _("Yes")), ("no", _("No")), ("unknown", _("Don't know"))],
        blank=True,
    )
    # The booth's most recent report (reached, with the party's standing): what the
    # booth-health figures count. Kept by `call_log_record`, rebuilt by `stats_rebuild`.
    latest_for_booth = models.BooleanField(_("the booth's latest report"), default=False)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("logged by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()  # each save: what the caller wrote, and corrections

    class Meta:
        verbose_name = _("call log")
        verbose_name_plural = _("call logs")
        indexes = [
            # The booths where the party is weak, newest first (booth health).
            models.Index(
                fields=["-assignment"], condition=Q(latest_for_booth=True, standing="weak"), name="call_log_latest_weak"
            ),
        ]

    def __str__(self) -> str:
        return str(self.assignment)


class NeedCategory(models.TextChoices):
    BOOTH_COMMITTEE = "booth_committee", _("Workers for the booth committee")
    CAMPAIGN_MATERIAL = "campaign_material", _("Campaign material")
    LEADER_VISIT = "leader_visit", _("A leader's visit")
    LOCAL_GRIEVANCE = "local_grievance", _("A local grievance")
    VOTER_LIST = "voter_list", _("Voter-list work")
    OTHER = "other", _("Other")


class CallNeed(models.Model):
    """Something the booth needs to strengthen the party, raised in a call."""

    log = models.ForeignKey(CallLog, models.CASCADE, related_name="needs", verbose_name=_("call log"))
    category = models.CharField(_("need"), max_length=32, choices=NeedCategory.choices)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        constraints = [models.UniqueConstraint(fields=["log", "category"], name="call_need_once_per_log")]

    def __str__(self) -> str:
        return self.get_category_display()


class FollowUp(models.Model):
    """A need or a request raised in a call, owned by the booth's district until resolved."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")

    GENERAL = "general"
    CATEGORY_CHOICES = [*NeedCategory.choices, (GENERAL, _("Follow-up asked for"))]

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    booth = models.ForeignKey(Booth, models.PROTECT, related_name="+", verbose_name=_("booth"))
    log = models.ForeignKey(CallLog, models.CASCADE, related_name="follow_ups", verbose_name=_("raised in call"))
    category = models.CharField(_("about"), max_length=32, choices=CATEGORY_CHOICES)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    assigned_to = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("assigned to")
    )
    resolution_note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("raised"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.UniqueConstraint(fields=["log", "category"], name="follow_up_once_per_log_and_category"),
            models.CheckConstraint(
                condition=Q(status="resolved", resolved_at__isnull=False)
                | (~Q(status="resolved") & Q(resolved_at=None)),
                name="follow_up_resolved_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["district", "status"], name="follow_up_district_status"),
            # Needs raised in a period, district by district (the needs dashboard).
            models.Index(fields=["district", "created_at"], name="follow_up_district_created"),
            # Open follow-ups, oldest first.
            models.Index(fields=["created_at"], condition=~Q(status="resolved"), name="follow_up_open_by_age"),
        ]

    def __str__(self) -> str:
        return f"{self.booth} · {self.get_category_display()}"


class RosterReport(models.Model):
    """A call found the roster wrong: the number is wrong, or the person is not
    the president any more. It stays on the district's correction list until the
    roster changes (another president, another number) or someone dismisses it."""

    class Kind(models.TextChoices):
        WRONG_NUMBER = "wrong_number", _("Wrong number")
        NOT_PRESIDENT = "not_president", _("Not the president any more")

    assignment = models.OneToOneField(
        CallAssignment, models.CASCADE, related_name="roster_report", verbose_name=_("reported in call")
    )
    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    booth = models.ForeignKey(Booth, models.PROTECT, related_name="+", verbose_name=_("booth"))
    post = models.ForeignKey(Post, models.PROTECT, related_name="+", verbose_name=_("president's post"))
    kind = models.CharField(_("problem"), max_length=16, choices=Kind.choices)
    reported_mobile = models.CharField(_("number called"), max_length=16)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    dismissed_at = models.DateTimeField(_("dismissed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("roster report")
        verbose_name_plural = _("roster reports")
        indexes = [models.Index(fields=["district", "created_at"], name="roster_report_district")]

    def __str__(self) -> str:
        return f"{self.booth} · {self.get_kind_display()}"
