"""Daily figures for the leadership dashboards, kept beside the raw calls.

A year of calls at national scale is ~15 million assignments: summing them for
every page view would take most of a second, summing these rows takes a few
milliseconds. Each row holds the figures of one (day, unit) and is recomputed
from the raw assignments whenever one of them changes (`campaigns/stats/`), so
the figures always equal a plain query over `CallAssignment` and `CallLog`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from booths.models import District, Mandal, Person, Post, State


class CallFigures(models.Model):
    """How a set of assignments went. `missed` is what `export_calls` calls missed:
    not logged by the end of its day and the grace hours; the rest not logged are
    still open (`assigned - logged - missed`)."""

    assigned = models.PositiveIntegerField(_("assigned"), default=0)
    logged = models.PositiveIntegerField(_("logged"), default=0)
    reached = models.PositiveIntegerField(_("reached"), default=0)
    missed = models.PositiveIntegerField(_("missed"), default=0)

    class Meta:
        abstract = True


class BoothReportFigures(CallFigures):
    """Besides the calls: what the booths' latest reports say. A report is a call
    that reached the president and recorded the party's standing; each booth's
    most recent report is its latest (`CallLog.latest_for_booth`). Summed over the
    days of a period that runs to today, these count each booth asked in the
    period once, by what it said last."""

    latest_reports = models.PositiveIntegerField(_("booths whose latest report is from this day"), default=0)
    latest_strong = models.PositiveIntegerField(_("strong"), default=0)
    latest_competitive = models.PositiveIntegerField(_("competitive"), default=0)
    latest_weak = models.PositiveIntegerField(_("weak"), default=0)
    latest_all_well = models.PositiveIntegerField(_("all well"), default=0)
    latest_needs_attention = models.PositiveIntegerField(_("needs attention"), default=0)

    class Meta:
        abstract = True


class DistrictDayStats(BoothReportFigures):
    """A district's calls of a day (the sum of its mandals' rows)."""

    day = models.DateField(_("day"))
    district = models.ForeignKey(District, models.CASCADE, related_name="+", verbose_name=_("district"))

    class Meta:
        verbose_name = _("district's day")
        verbose_name_plural = _("districts' days")
        constraints = [models.UniqueConstraint(fields=["day", "district"], name="district_day_stats_unique")]
        permissions = [("view_dashboards", _("Can see the dashboards of every district"))]

    def __str__(self) -> str:
        return f"{self.day} · {self.district_id}"


class MandalDayStats(BoothReportFigures):
    """A mandal's calls of a day. `district` is the mandal's district when the row
    was computed (a mandal moved to another district is recomputed nightly)."""

    day = models.DateField(_("day"))
    mandal = models.ForeignKey(Mandal, models.CASCADE, related_name="+", verbose_name=_("mandal"), db_index=False)
    district = models.ForeignKey(District, models.CASCADE, related_name="+", verbose_name=_("district"), db_index=False)

    class Meta:
        verbose_name = _("mandal's day")
        verbose_name_plural = _("mandals' days")
        constraints = [models.UniqueConstraint(fields=["day", "mandal"], name="mandal_day_stats_unique")]
        indexes = [models.Index(fields=["district", "day"], name="mandal_day_stats_district")]

    def __str__(self) -> str:
        return f"{self.day} · {self.mandal_id}"


class CallerDayStats(CallFigures):
    """A caller's calls of a day into one district, and their streak: the days in
    a row, up to this one, on which every call they were given was logged."""

    day = models.DateField(_("day"))
    caller = models.ForeignKey(Person, models.CASCADE, related_name="+", verbose_name=_("caller"), db_index=False)
    district = models.ForeignKey(District, models.CASCADE, related_name="+", verbose_name=_("district"), db_index=False)
    caller_role = models.CharField(_("caller's role"), max_length=32, choices=Post.Role.choices)
    last_logged_at = models.DateTimeField(_("last logged"), null=True, blank=True)
    streak = models.PositiveIntegerField(_("days in a row with every call logged"), default=0)

    class Meta:
        verbose_name = _("caller's day")
        verbose_name_plural = _("callers' days")
        constraints = [
            models.UniqueConstraint(fields=["caller", "day", "district"], name="caller_day_stats_unique"),
        ]
        # A region's or a district's callers: a range of days for each of its districts.
        indexes = [models.Index(fields=["district", "day"], name="caller_day_stats_district")]

    def __str__(self) -> str:
        return f"{self.day} · {self.caller_id} · {self.district_id}"


class CallerStateDayStats(CallFigures):
    """A caller's calls of a day into one state: the sum of their district rows, one
    row a caller a day. A state's callers page sums ~3,000 callers' last 30 days:
    90,000 of these rows, read from the index alone, instead of twice as many
    district rows (state office-bearers call into two districts a day)."""

    day = models.DateField(_("day"))
    caller = models.ForeignKey(Person, models.CASCADE, related_name="+", verbose_name=_("caller"), db_index=False)
    state = models.ForeignKey(State, models.CASCADE, related_name="+", verbose_name=_("state"), db_index=False)
    caller_role = models.CharField(_("caller's role"), max_length=32, choices=Post.Role.choices)

    class Meta:
        verbose_name = _("caller's day in a state")
        verbose_name_plural = _("callers' days in a state")
        constraints = [
            models.UniqueConstraint(fields=["caller", "day", "state"], name="caller_state_day_stats_unique"),
        ]
        indexes = [
            models.Index(
                fields=["state", "day"],
                include=["caller", "caller_role", "assigned", "logged", "reached", "missed"],
                name="caller_state_day_stats_state",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} · {self.caller_id} · {self.state_id}"


class DistrictRosterHealth(models.Model):
    """What stands in the way of calling in a district, counted from the roster at
    `computed_at` (every few minutes by beat: the roster changes through imports
    and the admin, and counting it for a whole state takes most of a second)."""

    district = models.OneToOneField(
        District, models.CASCADE, primary_key=True, related_name="+", verbose_name=_("district")
    )
    booths = models.PositiveIntegerField(_("active booths"), default=0)
    vacant = models.PositiveIntegerField(_("vacant"), default=0)
    no_mobile = models.PositiveIntegerField(_("president without a mobile"), default=0)
    shared = models.PositiveIntegerField(_("number shared with another booth"), default=0)
    do_not_call = models.PositiveIntegerField(_("do not call"), default=0)
    unreachable = models.PositiveIntegerField(_("set aside as unreachable"), default=0)
    wrong_number = models.PositiveIntegerField(_("reported wrong number"), default=0)
    not_president = models.PositiveIntegerField(_("reported not the president"), default=0)
    never_reached = models.PositiveIntegerField(_("president never reached"), default=0)
    computed_at = models.DateTimeField(_("counted at"))

    class Meta:
        verbose_name = _("district's roster health")
        verbose_name_plural = _("districts' roster health")

    def __str__(self) -> str:
        return str(self.district_id)


class FollowUpDayStats(models.Model):
    """The follow-ups raised on a day (IST) in a district: how many of each category,
    and where they stand now. Recomputed whenever one of them is raised, withdrawn or
    moves on, so the needs dashboard sums days instead of counting every follow-up."""

    day = models.DateField(_("day raised"))
    district = models.ForeignKey(District, models.CASCADE, related_name="+", verbose_name=_("district"))
    open = models.PositiveIntegerField(_("open"), default=0)
    in_progress = models.PositiveIntegerField(_("in progress"), default=0)
    resolved = models.PositiveIntegerField(_("resolved"), default=0)
    booth_committee = models.PositiveIntegerField(default=0)
    campaign_material = models.PositiveIntegerField(default=0)
    leader_visit = models.PositiveIntegerField(default=0)
    local_grievance = models.PositiveIntegerField(default=0)
    voter_list = models.PositiveIntegerField(default=0)
    other = models.PositiveIntegerField(default=0)
    general = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("district's follow-ups of a day")
        verbose_name_plural = _("districts' follow-ups of a day")
        constraints = [models.UniqueConstraint(fields=["district", "day"], name="follow_up_day_stats_unique")]

    def __str__(self) -> str:
        return f"{self.day} · {self.district_id}"
