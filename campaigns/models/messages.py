"""Messages to callers (SMS, WhatsApp, console, outbox): every send is a row."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from booths.models import Person


class Message(models.Model):
    class Kind(models.TextChoices):
        MORNING_LIST = "morning_list", _("Morning list")
        EVENING_REMINDER = "evening_reminder", _("Evening reminder")
        TIFFIN_REMINDER = "tiffin_reminder", _("Tiffin meeting reminder")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        RETRYING = "retrying", _("Waiting to retry")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        ERROR = "error", _("Not sendable")
        # A worker took it for sending and never recorded how it went (killed, or
        # it lost the database): the gateway may or may not have accepted it.
        UNKNOWN = "unknown", _("Unknown: may have been sent")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    day = models.DateField(_("day"))
    caller = models.ForeignKey(Person, models.PROTECT, related_name="messages", verbose_name=_("caller"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("account")
    )
    # The calls the message is about (sorted assignment ids): a message is sent
    # once for a set; new calls later in the day make a new set and a new message.
    calls_digest = models.CharField(_("calls"), max_length=64)
    language = models.CharField(_("language"), max_length=8)
    backend = models.CharField(_("sent through"), max_length=32)
    to = models.CharField(_("to"), max_length=16, blank=True)
    template_id = models.CharField(_("template"), max_length=64, blank=True)
    variables = models.JSONField(_("template variables"), default=list)
    text = models.TextField(_("text"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    provider_id = models.CharField(_("provider's message id"), max_length=128, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # When the next attempt is due (queued or waiting to retry): a message still
    # waiting a few minutes after this lost its task and is queued again.
    due_at = models.DateTimeField(_("next attempt due"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("taken for sending"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        permissions = [("resend_message", _("Can send messages again"))]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "caller", "day", "calls_digest"], name="message_once_per_set_of_calls"
            ),
        ]
        indexes = [models.Index(fields=["day", "status"], name="message_day_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.caller} · {self.day}"
