"""Admin for the daily calls: runs, assignments, the rotation."""

from typing import TYPE_CHECKING, Any, cast

from django.contrib import admin, messages
from django.db.models import OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from booths.admin import UserAdmin
from booths.admin_tools import EstimatedCountPaginator, MaskedPhonesMixin, masked_column, unit_filters
from booths.audit import audit_record, audit_records
from booths.models import User
from outreach.types import Text, signed_in

from .messaging.services import messages_send_again
from .models import (
    AssignmentRun,
    AssignmentShortfall,
    CallAssignment,
    CallDay,
    CallLog,
    CallNeed,
    DistrictDayStats,
    FollowUp,
    Message,
    PresidentRotation,
    RosterReport,
    RotationSync,
    TiffinMeeting,
)
from .models.assignment import PresidentRotationQuerySet
from .selectors import roster_reports_open
from .services import follow_up_update, signin_links_revoke
from .signin import signin_url
from .tasks import deliver_message
from .tiffin import month_add, month_first, month_last, month_parse

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class _DayCounts(TypedDict):
        n_assigned: int
        n_logged: int
        n_missed: int
        last_status: str | None

    # A day as CallDayAdmin.get_queryset reads it.
    CountedDay = WithAnnotations[CallDay, _DayCounts]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written by the system: looked at, never edited by hand."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ShortfallInline(admin.TabularInline):
    model = AssignmentShortfall
    fields = ("caller", "missing", "reasons")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("caller")


@admin.register(CallDay)
class CallDayAdmin(ReadOnlyAdmin):
    """The days calls were assigned for, with what became of them. A day with no
    calls (a run for a mistyped date, from before such dates were refused) may be
    deleted: a later day that exists stops earlier days from being filled."""

    list_display = ["day", "assigned", "logged", "missed", "last_run"]
    ordering = ["-day"]
    date_hierarchy = "day"

    def get_queryset(self, request: HttpRequest) -> QuerySet[CallDay]:
        # The dashboards' figures of the day (one row a district), not the day's
        # 40,000 assignments counted again for every line of the list.
        of_day = DistrictDayStats.objects.filter(day=OuterRef("day")).order_by().values("day")

        def total(column: str) -> Coalesce:
            return Coalesce(Subquery(of_day.annotate(n=Sum(column)).values("n")), 0)

        last_run = AssignmentRun.objects.filter(day=OuterRef("day")).order_by("-started_at")
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_assigned=total("assigned"),
                n_logged=total("logged"),
                n_missed=total("missed"),
                last_status=Subquery(last_run.values("status")[:1]),
            )
        )

    @admin.display(description=_("calls assigned"), ordering="n_assigned")
    def assigned(self, day: "CountedDay") -> int:
        return day.n_assigned

    @admin.display(description=_("calls logged"), ordering="n_logged")
    def logged(self, day: "CountedDay") -> int:
        return day.n_logged

    @admin.display(description=_("calls missed"), ordering="n_missed")
    def missed(self, day: "CountedDay") -> int:
        return day.n_missed

    @admin.display(description=_("last run"))
    def last_run(self, day: "CountedDay") -> Text:
        return AssignmentRun.Status(day.last_status).label if day.last_status else "–"

    def has_delete_permission(self, request: HttpRequest, obj: CallDay | None = None) -> bool:
        if not request.user.has_perm("campaigns.delete_callday"):
            return False
        return obj is None or not CallAssignment.objects.filter(day=obj.day).exists()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CallDay]) -> None:
        with_calls = set(CallAssignment.objects.filter(day__in=queryset.values("day")).values_list("day", flat=True))
        queryset.exclude(day__in=with_calls).delete()
        if with_calls:
            self.message_user(
                request,
                _("Days with calls are kept: %(days)s") % {"days": ", ".join(map(str, sorted(with_calls)))},
                level=messages.WARNING,
            )


@admin.register(AssignmentRun)
class AssignmentRunAdmin(ReadOnlyAdmin):
    list_display = [
        "started_at",
        "day",
        "source",
        "status",
        "callers",
        "callers_filled",
        "assignments_created",
        "shortfall_calls",
        "marked_missed",
        "duration_ms",
    ]
    list_filter = ["status", "source", "day"]
    date_hierarchy = "day"
    inlines = [ShortfallInline]


@admin.register(CallAssignment)
class CallAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["day", "caller", "caller_role", "president", "booth", "reason", "status", "outcome", "logged_at"]
    list_filter = [
        "status",
        "outcome",
        "reason",
        "caller_role",
        *unit_filters(region="post__booth__mandal__district__region", district="post__booth__mandal__district"),
    ]
    date_hierarchy = "day"
    list_select_related = ["caller", "president", "post__booth__assembly_seat"]
    search_fields = ["caller__name", "president__name"]
    ordering = ["-day", "caller_id", "slot"]

    @admin.display(description=_("booth"))
    def booth(self, assignment: CallAssignment) -> str:
        return str(assignment.post.booth)


class CallNeedInline(admin.TabularInline):
    model = CallNeed
    fields = ("category", "detail")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CallLog)
class CallLogAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    """What was said in each call, read-only: callers record it, nobody edits it here."""

    list_display = ["day", "caller", "president", "booth", "outcome", "standing", "wellbeing", "follow_up_wanted"]
    list_filter = [
        "standing",
        "wellbeing",
        "follow_up_wanted",
        "latest_for_booth",
        *unit_filters(
            region="assignment__post__booth__mandal__district__region",
            district="assignment__post__booth__mandal__district",
        ),
    ]
    list_select_related = ["assignment__caller", "assignment__president", "assignment__post__booth__assembly_seat"]
    search_fields = ["assignment__caller__name", "assignment__president__name", "notes"]
    ordering = ["-assignment_id"]  # newest first, through the primary key (no sort of millions of rows)
    inlines = [CallNeedInline]
    fields = (
        "assignment", "wellbeing", "wellbeing_note", "standing", "notes", "follow_up_wanted", "latest_for_booth",
        "logged_by", "created_at", "updated_at",
    )  # fmt: skip
    readonly_fields = fields

    @admin.display(description=_("day"), ordering="assignment__day")
    def day(self, log: CallLog) -> object:
        return log.assignment.day

    @admin.display(description=_("caller"))
    def caller(self, log: CallLog) -> str:
        return str(log.assignment.caller)

    @admin.display(description=_("booth president"))
    def president(self, log: CallLog) -> str:
        return str(log.assignment.president)

    @admin.display(description=_("booth"))
    def booth(self, log: CallLog) -> str:
        booth = log.assignment.post.booth
        assert booth is not None  # a president's post
        return booth.label

    @admin.display(description=_("outcome"))
    def outcome(self, log: CallLog) -> str:
        return log.assignment.get_outcome_display()


class UnreachableFilter(admin.SimpleListFilter):
    title = _("number")
    parameter_name = "unreachable"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Text]]:
        return [("yes", _("Set aside as unreachable"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[PresidentRotation]) -> QuerySet[PresidentRotation]:
        if self.value() == "yes":
            rotations = cast(PresidentRotationQuerySet, queryset)  # the admin's queryset of PresidentRotation.objects
            return rotations.filter(post__end_date__isnull=True).set_aside()
        return queryset


@admin.register(PresidentRotation)
class PresidentRotationAdmin(ReadOnlyAdmin):
    list_display = [
        "post",
        "district",
        "priority",
        "sort_key",
        "times_assigned",
        "last_assigned_on",
        "last_reached_on",
        "failed_attempts",
        "unreachable_mobile",
    ]
    list_filter = ["priority", UnreachableFilter, *unit_filters(region="district__region", district="district")]
    list_select_related = ["district", "post__person", "post__booth__assembly_seat"]
    ordering = ["district", "priority", "sort_key", "tiebreak"]


@admin.register(RotationSync)
class RotationSyncAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "finished_at", "source", "added", "removed", "moved"]


@admin.register(Message)
class MessageAdmin(MaskedPhonesMixin, ReadOnlyAdmin):
    """Every message sent to callers; with the outbox backend, the outbox itself."""

    list_display = ["created_at", "kind", "day", "caller", "to", "language", "backend", "status", "attempts", "error"]
    masked_columns = {"to": "to_masked"}
    list_filter = ["status", "kind", "backend", "language"]
    date_hierarchy = "day"
    list_select_related = ["caller"]
    search_fields = ["caller__name", "to"]
    fields = [
        "kind", "day", "caller", "user", "to", "language", "backend", "template_id", "text", "variables",
        "status", "attempts", "error", "provider_id", "created_at", "due_at", "claimed_at", "sent_at",
    ]  # fmt: skip
    actions = ["send_again"]

    to_masked = masked_column(_("to"), lambda message: message.to)

    def has_resend_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("campaigns.resend_message")

    @admin.action(description=_("Send again (failed or unknown messages only)"), permissions=["resend"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        ids = messages_send_again(message_ids=queryset.values_list("pk", flat=True))
        for message_id in ids:
            deliver_message.delay(message_id)
        if ids:
            audit_records(user=signed_in(request), message="sent again", objects=Message.objects.filter(pk__in=ids))
        self.message_user(request, _("%(count)s messages queued again.") % {"count": len(ids)})


@admin.register(FollowUp)
class FollowUpAdmin(SimpleHistoryAdmin):
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    list_display = ["created_at", "district", "booth", "category", "status", "assigned_to", "resolved_at"]
    list_filter = ["status", "category", *unit_filters(region="district__region", district="district")]
    list_select_related = ["district", "booth__assembly_seat", "assigned_to"]
    autocomplete_fields = ["assigned_to"]
    readonly_fields = ["district", "booth", "log", "category", "created_at", "updated_at", "resolved_at"]
    fields = [*readonly_fields, "detail", "status", "resolution_note"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a booth's request stays on record: resolve it instead

    def save_model(self, request: HttpRequest, obj: FollowUp, form: object, change: bool) -> None:
        follow_up_update(follow_up=obj, status=obj.status, assigned_to=obj.assigned_to, note=obj.resolution_note)


class TiffinMonthFilter(admin.SimpleListFilter):
    """The month a meeting is scheduled in: this month and the eleven before it."""

    title = _("month")
    parameter_name = "month"

    def lookups(self, request: HttpRequest, model_admin: object) -> list[tuple[str, str]]:
        this = month_first(timezone.localdate())
        months = [month_add(this, -n) for n in range(12)]
        return [(f"{month:%Y-%m}", date_format(month, "F Y")) for month in months]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        month = month_parse(self.value())
        if month is None:
            return queryset
        return queryset.filter(scheduled_on__gte=month, scheduled_on__lte=month_last(month))


@admin.register(TiffinMeeting)
class TiffinMeetingAdmin(admin.ModelAdmin):
    """Tiffin meetings, planned and held; the district follows from the mandal."""

    list_display = ["scheduled_on", "mandal", "district", "place", "host", "status", "held_on", "attendance"]
    list_filter = ["status", TiffinMonthFilter, *unit_filters(region="district__region", district="district")]
    list_select_related = ["mandal", "district"]
    search_fields = ["mandal__name", "place", "host"]
    autocomplete_fields = ["mandal"]
    date_hierarchy = "scheduled_on"
    ordering = ["-scheduled_on", "mandal__name"]
    show_facets = admin.ShowFacets.NEVER
    fields = ["mandal", "scheduled_on", "place", "host", "status", "held_on", "attendance", "notes", "photo",
              "district", "created_by", "created_at", "updated_at"]  # fmt: skip
    readonly_fields = ["district", "created_by", "created_at", "updated_at"]

    def save_model(self, request: HttpRequest, obj: TiffinMeeting, form: object, change: bool) -> None:
        obj.district_id = obj.mandal.district_id  # coverage is counted by the mandal's district
        if not change:
            obj.created_by = signed_in(request)
        super().save_model(request, obj, form, change)


class OpenReportFilter(admin.SimpleListFilter):
    title = _("still to correct")
    parameter_name = "open"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Text]]:
        return [("yes", _("Yes: the roster is unchanged since"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[RosterReport]) -> QuerySet[RosterReport]:
        if self.value() == "yes":
            return queryset.filter(pk__in=roster_reports_open(district_ids=None).values("pk"))
        return queryset


@admin.register(RosterReport)
class RosterReportAdmin(MaskedPhonesMixin, ReadOnlyAdmin):
    list_display = ["created_at", "district", "booth", "kind", "reported_mobile", "dismissed_at"]
    masked_columns = {"reported_mobile": "reported_mobile_masked"}
    reported_mobile_masked = masked_column(_("number called"), lambda report: report.reported_mobile)

    list_filter = ["kind", OpenReportFilter, *unit_filters(region="district__region", district="district")]
    list_select_related = ["district", "booth__assembly_seat"]


class CallerUserAdmin(UserAdmin):
    """The roster's user admin, plus what callers need: today's sign-in link, and revoking links."""

    readonly_fields = [*UserAdmin.readonly_fields, "todays_signin_link"]
    actions = [*UserAdmin.actions, "revoke_signin_links"]

    def get_fieldsets(self, request: HttpRequest, obj: object = None) -> list:
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None:
            # Today's link signs in as them: only for those who may change accounts.
            fields: list[Any] = ["language", "signin_link_version"]
            if self.has_change_permission(request, obj):
                fields.insert(1, "todays_signin_link")
            fieldsets.insert(1, (_("Caller"), {"fields": fields}))
        return fieldsets

    def change_view(self, request: HttpRequest, object_id: str, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().change_view(request, object_id, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200 and self.has_change_permission(request):
            shown = self.get_object(request, object_id)
            if shown is not None and shown.is_active:
                audit_record(user=signed_in(request), obj=shown, message="Was shown today's sign-in link")
        return response

    @admin.display(description=_("today's sign-in link"))
    def todays_signin_link(self, user: User) -> str:
        if not user.pk or not user.is_active:
            return "—"
        url = signin_url(user=user, day=timezone.localdate())
        return format_html(
            '<input type="text" readonly value="{}" size="60"> <a href="{}">{}</a>',
            url, url, _("open"),
        )  # fmt: skip

    @admin.action(description=_("Revoke their sign-in links"), permissions=["change"])
    def revoke_signin_links(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = signin_links_revoke(users=queryset, by=signed_in(request))
        self.message_user(request, _("Sign-in links of %(count)s accounts no longer work.") % {"count": count})


admin.site.unregister(User)
admin.site.register(User, CallerUserAdmin)


from .verification import admin as campaign_admin  # noqa: E402, F401 - campaigns, reports and answers
