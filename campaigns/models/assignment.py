"""The daily calls: who phones which booth president on which day, and how it went."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from booths.models import District, Person, Post


class CallDay(models.Model):
    """One row a day on which calls were assigned: the lock that serialises
    assignment runs for that day (two beat instances, a manual run beside a
    scheduled one)."""

    day = models.DateField(_("day"), primary_key=True)

    class Meta:
        verbose_name = _("call day")
        verbose_name_plural = _("call days")

    def __str__(self) -> str:
        return str(self.day)


class AssignmentRun(models.Model):
    """A record of one run of the daily assignment, for the admin and for audit."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running (or killed)")
        COMPLETED = "completed", _("Completed")
        FAILED = "failed", _("Failed")

    day = models.DateField(_("day"), db_index=True)
    source = models.CharField(_("started by"), max_length=32)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    callers = models.PositiveIntegerField(_("active callers"), default=0)
    callers_filled = models.PositiveIntegerField(_("callers given calls"), default=0)
    assignments_created = models.PositiveIntegerField(_("assignments created"), default=0)
    marked_missed = models.PositiveIntegerField(_("earlier calls marked missed"), default=0)
    shortfall_calls = models.PositiveIntegerField(_("calls short"), default=0)
    shortfall_reasons = models.JSONField(_("why short (booths in the short scopes)"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    # Set by a re-run of an earlier, assigned day: callers it left short (or who
    # came after it) that can no longer be given calls for it. Not stored.
    left_short: int = 0

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("assignment run")
        verbose_name_plural = _("assignment runs")

    def __str__(self) -> str:
        return f"{self.day} · {self.get_status_display()} · {self.assignments_created}"


class RotationSync(models.Model):
    """A record of one full refresh of the rotation from the roster."""

    source = models.CharField(_("started by"), max_length=32)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    added = models.PositiveIntegerField(_("presidents added"), default=0)
    removed = models.PositiveIntegerField(_("ended posts removed"), default=0)
    moved = models.PositiveIntegerField(_("booths moved to another district"), default=0)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("rotation refresh")
        verbose_name_plural = _("rotation refreshes")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} +{self.added} −{self.removed} ↷{self.moved}"


class AssignmentShortfall(models.Model):
    """A caller who got fewer calls than asked for, and what their scope lacked."""

    run = models.ForeignKey(AssignmentRun, models.CASCADE, related_name="shortfalls", verbose_name=_("run"))
    caller = models.ForeignKey(Person, models.CASCADE, related_name="+", verbose_name=_("caller"))
    missing = models.PositiveSmallIntegerField(_("calls missing"))
    reasons = models.JSONField(_("reasons"), default=dict)

    class Meta:
        verbose_name = _("shortfall")
        verbose_name_plural = _("shortfalls")

    def __str__(self) -> str:
        return f"{self.caller} −{self.missing}"


class CallAssignment(models.Model):
    """A booth president given to a caller to phone on a day, and how it went."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned")
        LOGGED = "logged", _("Logged")
        MISSED = "missed", _("Missed")

    class Reason(models.TextChoices):
        NEVER_CONTACTED = "never_contacted", _("Never contacted")
        RETRY_NOT_REACHED = "retry_not_reached", _("Retry: not reached last time")
        LEAST_RECENTLY_REACHED = "least_recently_reached", _("Least recently reached")

    class Outcome(models.TextChoices):
        REACHED = "reached", _("Reached")
        NO_ANSWER = "no_answer", _("No answer")
        BUSY = "busy", _("Busy")
        SWITCHED_OFF = "switched_off", _("Switched off")
        NOT_REACHABLE = "not_reachable", _("Not reachable")
        WRONG_NUMBER = "wrong_number", _("Wrong number")
        NOT_PRESIDENT = "not_president", _("Not the president any more")
        CALL_BACK = "call_back", _("Call back later")

    day = models.DateField(_("day"))
    # Foreign keys without indexes of their own: the composite indexes below start
    # with them, and every index costs 40,000 inserts a day at national scale.
    caller = models.ForeignKey(
        Person, models.PROTECT, related_name="call_assignments", verbose_name=_("caller"), db_index=False
    )
    caller_role = models.CharField(_("caller's role"), max_length=32, choices=Post.Role.choices)
    slot = models.PositiveSmallIntegerField(_("slot"))
    post = models.ForeignKey(
        Post, models.PROTECT, related_name="call_assignments", verbose_name=_("president's post"), db_index=False
    )
    # The post's person, kept here so the database can refuse a second caller for
    # the same president on the same day.
    president = models.ForeignKey(
        Person, models.PROTECT, related_name="calls_received", verbose_name=_("booth president"), db_index=False
    )
    reason = models.CharField(_("why picked"), max_length=32, choices=Reason.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ASSIGNED)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    logged_at = models.DateTimeField(_("logged at"), null=True, blank=True)
    run = models.ForeignKey(
        AssignmentRun,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("run"),
        db_index=False,  # runs are never deleted; assignments are found by day
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-day", "caller", "slot"]
        verbose_name = _("call assignment")
        verbose_name_plural = _("call assignments")
        constraints = [
            # (president, day) also serves "earlier calls to this president";
            # (caller, day, slot) a caller's day and their history.
            models.UniqueConstraint(fields=["president", "day"], name="assignment_one_caller_per_president_a_day"),
            models.UniqueConstraint(fields=["caller", "day", "slot"], name="assignment_unique_caller_slot"),
            models.CheckConstraint(condition=Q(slot__gte=1), name="assignment_slot_positive"),
            models.CheckConstraint(
                condition=Q(status="logged", logged_at__isnull=False) & ~Q(outcome="")
                | (~Q(status="logged") & Q(outcome="")),
                name="assignment_logged_has_outcome",
            ),
        ]
        indexes = [
            models.Index(fields=["day", "status"], name="assignment_day_status"),
            models.Index(fields=["post", "day"], name="assignment_post_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} · {self.caller} → {self.president}"


class PresidentRotationQuerySet(models.QuerySet["PresidentRotation"]):
    """The one rule for "set aside as unreachable": the number that failed
    UNREACHABLE_AFTER times in a row is still the president's number. A new
    number in the roster brings them back, with no bookkeeping."""

    def set_aside(self) -> "PresidentRotationQuerySet":
        return self.exclude(unreachable_mobile="").filter(unreachable_mobile=F("post__person__mobile"))

    def not_set_aside(self) -> "PresidentRotationQuerySet":
        return self.exclude(unreachable_mobile=F("post__person__mobile"))


# The same rule in the assignment's SQL, for a rotation row `r` and its president `pe`.
NOT_SET_ASIDE_SQL = "r.unreachable_mobile <> pe.mobile"


class PresidentRotation(models.Model):
    """Where a booth president's post stands in its district's rotation.

    The rotation order is (priority, sort_key, tiebreak): never-contacted presidents
    first, then those not reached on their last call (oldest attempt first), then
    those reached (least recently first); the tiebreak is a pseudo-random number
    redrawn from the date at each assignment, so ties fall in an order that is
    random yet reproducible. Eligibility (current post, active booth, a mobile,
    not do-not-call, not unreachable) is checked live against the roster when
    picking, so roster edits need no bookkeeping here.
    """

    class Priority(models.IntegerChoices):
        NEVER_CONTACTED = 0, _("Never contacted")
        RETRY = 1, _("Not reached last time")
        CONTACTED = 2, _("Reached, or called today")

    post = models.OneToOneField(
        Post, models.CASCADE, primary_key=True, related_name="rotation", verbose_name=_("president's post")
    )
    # The booth's district, kept here so each district's rotation is one index range;
    # the daily run moves rows whose booth changed district.
    district = models.ForeignKey(
        District,
        models.CASCADE,
        related_name="+",
        verbose_name=_("district"),
        db_index=False,  # see rotation_queue
    )
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=0)
    sort_key = models.DateField(_("rotation date"), null=True, blank=True)
    tiebreak = models.BigIntegerField(_("tiebreak"), default=0)
    last_assigned_on = models.DateField(_("last assigned"), null=True, blank=True)
    last_reached_on = models.DateField(_("last reached"), null=True, blank=True)
    last_caller = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("last caller"), db_index=False
    )
    times_assigned = models.PositiveIntegerField(_("times assigned"), default=0)
    failed_attempts = models.PositiveSmallIntegerField(_("failed attempts in a row"), default=0)
    # The number that failed three times: the president is skipped until the
    # roster has another number for them.
    unreachable_mobile = models.CharField(_("unreachable number"), max_length=16, blank=True)

    objects = PresidentRotationQuerySet.as_manager()

    class Meta:
        verbose_name = _("rotation entry")
        verbose_name_plural = _("rotation")
        indexes = [
            models.Index(fields=["district", "priority", "sort_key", "tiebreak", "post"], name="rotation_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.post_id}: {self.get_priority_display()}"
