"""Tiffin meetings (tiffin baithak): workers' meetings, each bringing their own
lunch, held every month in every mandal."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from booths.models import District, Mandal


class TiffinMeeting(models.Model):
    """A tiffin meeting planned in a mandal, and once held, what came of it."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    mandal = models.ForeignKey(Mandal, models.PROTECT, related_name="+", verbose_name=_("mandal"))
    # Copied from the mandal: coverage is counted district by district.
    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    scheduled_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    host = models.CharField(_("host"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    attendance = models.PositiveIntegerField(_("attendance"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="tiffin/%Y/%m/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("planned by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["scheduled_on", "pk"]
        verbose_name = _("tiffin meeting")
        verbose_name_plural = _("tiffin meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="held", held_on__isnull=False, attendance__isnull=False) | ~Q(status="held"),
                name="tiffin_meeting_held_has_date_and_attendance",
                violation_error_message=_("A meeting marked held has the day it was held and its attendance."),
            ),
        ]
        indexes = [
            models.Index(fields=["district", "scheduled_on"], name="tiffin_meeting_district_day"),
            models.Index(fields=["mandal", "scheduled_on"], name="tiffin_meeting_mandal_day"),
        ]

    def __str__(self) -> str:
        return f"{self.mandal} · {self.scheduled_on}"
