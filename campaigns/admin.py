"""Admin for the daily calls: runs, assignments, the rotation queues."""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from booths.admin_tools import EstimatedCountPaginator, unit_filters

from .models import AssignmentRun, AssignmentShortfall, CallAssignment, PresidentRotation, RotationSync


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written by the system: looked at, never edited by hand."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ShortfallInline(admin.TabularInline):
    model = AssignmentShortfall
    fields = ["caller", "missing", "reasons"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("caller")


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
    list_filter = ["priority", *unit_filters(region="district__region", district="district")]
    list_select_related = ["district", "post__person", "post__booth__assembly_seat"]
    ordering = ["district", "priority", "sort_key", "tiebreak"]


@admin.register(RotationSync)
class RotationSyncAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "finished_at", "source", "added", "removed", "moved"]
