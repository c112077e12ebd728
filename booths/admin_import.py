"""Importing roster and callers files in the admin: upload, preview, confirm.

The upload is kept in the database (a `RosterUpload`), previewed with a dry
run that reports exactly what the import would do, and imported only when the
admin confirms; the rows with errors can be downloaded to fix and upload again.
Both runs happen in the Celery worker (booths/imports.py): the page shows their
progress and reloads itself until the result is there.
"""

import io
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from outreach.types import AuthedRequest, Text, signed_in

from .audit import audit_record
from .imports import (
    IMPORTERS,
    RunRefused,
    UploadProgress,
    eta_seconds,
    roster_upload_create,
    roster_upload_import,
    roster_uploads_fail_stale,
)
from .models import Booth, RosterUpload, User
from .phones import sees_full_phones
from .progress import phase_label
from .roster.callers import CALLER_COLUMNS
from .roster.export import callers_export, roster_export
from .roster.importer import ROSTER_COLUMNS

# A callers file creates accounts and changes them: it needs the rights to manage users.
IMPORT_PERMISSIONS: dict[str, list[str]] = {
    RosterUpload.Kind.ROSTER: ["booths.import_roster"],
    RosterUpload.Kind.CALLERS: ["booths.import_callers", "booths.add_user", "booths.change_user"],
}
COLUMNS: dict[str, list[str]] = {RosterUpload.Kind.ROSTER: ROSTER_COLUMNS, RosterUpload.Kind.CALLERS: CALLER_COLUMNS}
# The page that watches a run reloads itself this often (no JavaScript needed).
REFRESH_SECONDS = 2


def too_large() -> str:
    return _("The file is larger than %(limit)s MB: split it (by region or district) and upload the parts.") % {
        "limit": settings.UPLOAD_MAX_MB
    }


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx, or .csv saved as CSV UTF-8)"))
    skip_invalid = forms.BooleanField(
        label=_("Import the good rows, and give me the rows with errors back in a file to fix"), required=False
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx", ".xls")):
            raise forms.ValidationError(_("Upload a .xlsx or .csv file."))
        if upload.size > settings.UPLOAD_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(too_large())
        return upload


_FIELDS = ("kind", "filename", "uploaded_by", "uploaded_at", "skip_invalid", "status", "failure", "imported_by",
           "imported_at", "purged_at", "summary")  # fmt: skip


@admin.register(RosterUpload)
class RosterUploadAdmin(admin.ModelAdmin):
    list_display = ["uploaded_at", "kind", "filename", "uploaded_by", "state", "imported_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["uploaded_by"]
    fields = _FIELDS
    readonly_fields = _FIELDS

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_urls(self) -> list:
        view = self.admin_site.admin_view
        return [
            path("new/<str:kind>/", view(self.upload_view), name="booths_rosterupload_new"),
            path("<int:pk>/progress/", view(self.progress_view), name="booths_rosterupload_progress"),
            path("<int:pk>/confirm/", view(self.confirm_view), name="booths_rosterupload_confirm"),
            path("<int:pk>/errors/", view(self.errors_view), name="booths_rosterupload_errors"),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        roster_uploads_fail_stale()
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("status"), ordering="status")
    def state(self, upload: RosterUpload) -> str:
        """Where the upload stands, linked to its page."""
        text: Text
        if upload.running:
            text = _("%(status)s: %(percent)s") % {"status": upload.get_status_display(), "percent": _percent(upload)}
        elif upload.status == RosterUpload.Status.FAILED:
            text = _("failed: %(reason)s") % {"reason": Truncator(upload.failure).chars(80)}
        elif upload.status == RosterUpload.Status.CHECKED and upload.can_import:
            text = _("checked: ready to import")
        elif upload.status == RosterUpload.Status.CHECKED:
            text = _("checked: has errors")
        else:
            text = upload.get_status_display()
        return format_html('<a href="{}">{}</a>', reverse("admin:booths_rosterupload_progress", args=[upload.pk]), text)

    def _context(self, request: HttpRequest, **extra: Any) -> dict:
        return {**self.admin_site.each_context(request), "opts": self.model._meta, **extra}

    def upload_view(self, request: AuthedRequest, kind: str) -> HttpResponse:
        if kind not in IMPORTERS or not can_import(request.user, kind):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if getattr(request, "upload_too_large", False):  # stopped before its body was read
            form = UploadForm({}, MultiValueDict())
            form.is_valid()
            form.errors["file"] = form.error_class([too_large()])
            return render(request, "admin/booths/roster_upload.html", self._upload_context(request, kind, form))
        if request.method == "POST" and form.is_valid():
            upload = roster_upload_create(
                kind=kind,
                filename=form.cleaned_data["file"].name,
                content=form.cleaned_data["file"].read(),
                skip_invalid=form.cleaned_data["skip_invalid"],
                user=request.user,
                language=translation.get_language() or "",
            )
            # The page that follows the check (its result at once if it was quick).
            return self._progress_page(request, upload.pk)
        return render(request, "admin/booths/roster_upload.html", self._upload_context(request, kind, form))

    def _upload_context(self, request: HttpRequest, kind: str, form: UploadForm) -> dict:
        title = _("Import a roster file") if kind == RosterUpload.Kind.ROSTER else _("Import a callers file")
        return self._context(request, title=title, form=form, kind=kind, columns=",".join(COLUMNS[kind]))

    def progress_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        roster_uploads_fail_stale()
        return self._progress_page(request, pk)

    def _progress_page(self, request: HttpRequest, pk: int) -> HttpResponse:
        """A run in progress (refreshing itself), or what the check or import found."""
        upload = get_object_or_404(RosterUpload, pk=pk)
        if not can_import(request.user, upload.kind):
            raise PermissionDenied
        result = upload.result
        preview = upload.status == RosterUpload.Status.CHECKED or (
            upload.status == RosterUpload.Status.CHECKING and upload.imported_at is None
        )
        if upload.status in (RosterUpload.Status.CHECKING, RosterUpload.Status.CHECKED):
            title = _("Check before importing: %(file)s") % {"file": upload.filename}
        else:
            title = _("Import of %(file)s") % {"file": upload.filename}
        eta = eta_seconds(upload)
        context = self._context(
            request,
            title=title,
            upload=upload,
            result=result,
            preview=preview,
            refresh_seconds=REFRESH_SECONDS if upload.running else None,
            phase=phase_label(upload.phase) if upload.phase else "",
            percent=_percent(upload),
            eta=round(eta) if eta is not None else None,
            waiting=upload.running and upload.started_at is None,
        )
        return render(request, "admin/booths/roster_import.html", context)

    def confirm_view(self, request: AuthedRequest, pk: int) -> HttpResponse:
        upload = get_object_or_404(RosterUpload, pk=pk)
        if not can_import(request.user, upload.kind):
            raise PermissionDenied
        if request.method != "POST":
            return redirect("admin:booths_rosterupload_progress", pk)
        try:
            roster_upload_import(upload_id=upload.pk, user=request.user)
        except RunRefused as refused:
            messages.error(request, str(refused))
            return redirect("admin:booths_rosterupload_progress", pk)
        return self._progress_page(request, upload.pk)

    def errors_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The rows with errors (with every phone number in them): for those who may
        import this kind of file, as kept by the preview or the import."""
        upload = get_object_or_404(RosterUpload, pk=pk)
        if not can_import(request.user, upload.kind):
            raise PermissionDenied
        if not upload.error_rows:
            raise Http404(_("This upload has no rows with errors."))
        response = HttpResponse(bytes(upload.error_rows), content_type="text/csv; charset=utf-8")
        name = Path(upload.filename).stem + ".errors.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def _percent(upload: RosterUpload) -> str:
    """How far the run is, in words: the step and its share done."""
    if upload.running and upload.started_at is None:
        return str(_("waiting for the worker"))
    if not upload.phase:
        return str(_("starting"))
    column = UploadProgress.COLUMN.get(upload.phase)
    if column and upload.rows_total:
        share = 100 * getattr(upload, column) / upload.rows_total
        return f"{phase_label(upload.phase)} {share:.0f} %"
    return phase_label(upload.phase)


def can_import(user: User | AnonymousUser, kind: str) -> bool:
    return user.has_perms(IMPORT_PERMISSIONS[kind])


def export_response(
    request: HttpRequest, name: str, write: Callable[..., None], queryset: QuerySet, *, xlsx: bool
) -> HttpResponse:
    """A download of `write(queryset, target, xlsx, masked)`, recorded: who took which
    rows; numbers masked for those who may not see them whole."""
    masked = not sees_full_phones(request.user)
    audit_record(
        user=signed_in(request),
        message=f"Exported {queryset.count()} rows as the {name} sheet ({'xlsx' if xlsx else 'csv'}"
        f"{', numbers masked' if masked else ''})",
    )
    if xlsx:
        buffer = io.BytesIO()
        write(queryset, buffer, True, masked)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        write(queryset, response, False, masked)
    response["Content-Disposition"] = f'attachment; filename="{name}.{"xlsx" if xlsx else "csv"}"'
    return response


def _write_roster(booths: QuerySet[Booth], target: IO[Any], xlsx: bool, masked: bool) -> None:
    roster_export(booths=booths, target=target, xlsx=xlsx, masked=masked)


def _write_callers(users: QuerySet[User], target: IO[Any], xlsx: bool, masked: bool) -> None:
    callers_export(users=users, target=target, xlsx=xlsx, masked=masked)


@admin.action(description=_("Export the selected booths as a roster sheet (XLSX)"), permissions=["export_roster"])
def export_booths_xlsx(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Booth]) -> HttpResponse:
    return export_response(request, "roster", _write_roster, queryset, xlsx=True)


@admin.action(description=_("Export the selected booths as a roster sheet (CSV)"), permissions=["export_roster"])
def export_booths_csv(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Booth]) -> HttpResponse:
    return export_response(request, "roster", _write_roster, queryset, xlsx=False)


@admin.action(description=_("Export the selected callers as a callers sheet (XLSX)"), permissions=["export_callers"])
def export_callers_xlsx(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[User]) -> HttpResponse:
    return export_response(request, "callers", _write_callers, queryset, xlsx=True)


@admin.action(description=_("Export the selected callers as a callers sheet (CSV)"), permissions=["export_callers"])
def export_callers_csv(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[User]) -> HttpResponse:
    return export_response(request, "callers", _write_callers, queryset, xlsx=False)
