"""Importing roster and callers files in the admin: upload, preview, confirm.

The upload is kept in the database (a `RosterUpload`), previewed with a dry
run that reports exactly what the import would do, and imported only when the
admin confirms; the rows with errors can be downloaded to fix and upload again.
"""

import io
import tempfile
from collections.abc import Callable
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .audit import audit_record
from .models import Booth, RosterUpload, User
from .phones import sees_full_phones
from .roster.callers import CALLER_COLUMNS, callers_import
from .roster.export import callers_export, roster_export
from .roster.importer import ROSTER_COLUMNS, roster_import
from .roster.problems import ImportReport, summary_lines

IMPORTERS = {RosterUpload.Kind.ROSTER: roster_import, RosterUpload.Kind.CALLERS: callers_import}
# A callers file creates accounts and changes them: it needs the rights to manage users.
IMPORT_PERMISSIONS = {
    RosterUpload.Kind.ROSTER: ["booths.import_roster"],
    RosterUpload.Kind.CALLERS: ["booths.import_callers", "booths.add_user", "booths.change_user"],
}
COLUMNS = {RosterUpload.Kind.ROSTER: ROSTER_COLUMNS, RosterUpload.Kind.CALLERS: CALLER_COLUMNS}
SHOWN_PROBLEMS = 300


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


def run(upload: RosterUpload, *, dry_run: bool) -> tuple[ImportReport, bytes]:
    """Import (or dry-run) an upload; return the report and the rows with errors as CSV."""
    with tempfile.TemporaryDirectory() as folder:
        error_file = Path(folder) / "errors.csv"
        report = IMPORTERS[upload.kind](
            source=io.BytesIO(bytes(upload.content)),
            filename=upload.filename,
            dry_run=dry_run,
            skip_invalid=upload.skip_invalid,
            error_file=error_file,
        )
        errors = error_file.read_bytes() if error_file.exists() else b""
    return report, errors


@admin.register(RosterUpload)
class RosterUploadAdmin(admin.ModelAdmin):
    list_display = ["uploaded_at", "kind", "filename", "uploaded_by", "imported_at"]
    list_filter = ["kind"]
    list_select_related = ["uploaded_by"]
    fields = ["kind", "filename", "uploaded_by", "uploaded_at", "skip_invalid", "imported_at", "purged_at", "summary"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_urls(self) -> list:
        view = self.admin_site.admin_view
        return [
            path("new/<str:kind>/", view(self.upload_view), name="booths_rosterupload_new"),
            path("<int:pk>/confirm/", view(self.confirm_view), name="booths_rosterupload_confirm"),
            path("<int:pk>/errors/", view(self.errors_view), name="booths_rosterupload_errors"),
            *super().get_urls(),
        ]

    def _context(self, request: HttpRequest, **extra: object) -> dict:
        return {**self.admin_site.each_context(request), "opts": self.model._meta, **extra}

    def upload_view(self, request: HttpRequest, kind: str) -> HttpResponse:
        if kind not in IMPORTERS or not can_import(request.user, kind):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if getattr(request, "upload_too_large", False):  # stopped before its body was read
            form = UploadForm({}, {})
            form.is_valid()
            form.errors["file"] = form.error_class([too_large()])
            return render(request, "admin/booths/roster_upload.html", self._upload_context(request, kind, form))
        if request.method == "POST" and form.is_valid():
            upload = RosterUpload.objects.create(
                kind=kind,
                filename=form.cleaned_data["file"].name,
                content=form.cleaned_data["file"].read(),
                skip_invalid=form.cleaned_data["skip_invalid"],
                uploaded_by=request.user,
            )
            report, upload.error_rows = run(upload, dry_run=True)
            upload.save(update_fields=["error_rows"])
            return self._report_page(request, upload, report, preview=True)
        return render(request, "admin/booths/roster_upload.html", self._upload_context(request, kind, form))

    def _upload_context(self, request: HttpRequest, kind: str, form: UploadForm) -> dict:
        title = _("Import a roster file") if kind == RosterUpload.Kind.ROSTER else _("Import a callers file")
        return self._context(request, title=title, form=form, kind=kind, columns=",".join(COLUMNS[kind]))

    def _report_page(
        self, request: HttpRequest, upload: RosterUpload, report: ImportReport, *, preview: bool
    ) -> HttpResponse:
        """What a dry run found (with the button to import), or what the import did."""
        if preview:
            title = _("Check before importing: %(file)s") % {"file": upload.filename}
        else:
            title = _("Import of %(file)s") % {"file": upload.filename}
        context = self._context(
            request,
            title=title,
            upload=upload,
            report=report,
            summary=summary_lines(report, limit=0)[0],
            errors=report.errors[:SHOWN_PROBLEMS],
            warnings=report.warnings[:SHOWN_PROBLEMS],
            can_import=not report.errors or (upload.skip_invalid and report.rows_imported),
            preview=preview,
        )
        return render(request, "admin/booths/roster_import.html", context)

    def confirm_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        upload = get_object_or_404(RosterUpload, pk=pk, imported_at=None)
        if not can_import(request.user, upload.kind):
            raise PermissionDenied
        if request.method != "POST":
            return redirect("admin:booths_rosterupload_changelist")
        report, errors = run(upload, dry_run=False)
        upload.summary = "\n".join(summary_lines(report, limit=SHOWN_PROBLEMS))
        upload.error_rows = errors
        if report.written:
            upload.imported_at = timezone.now()
            audit_record(user=request.user, obj=upload, message=f"Imported: {summary_lines(report, limit=0)[0]}")
            messages.success(request, summary_lines(report, limit=0)[0])
        upload.save()
        return self._report_page(request, upload, report, preview=False)

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


def can_import(user: object, kind: str) -> bool:
    return user.has_perms(IMPORT_PERMISSIONS[kind])


def export_response(
    request: HttpRequest, name: str, write: Callable[..., None], queryset: QuerySet, *, xlsx: bool
) -> HttpResponse:
    """A download of `write(queryset, target, xlsx, masked)`, recorded: who took which
    rows; numbers masked for those who may not see them whole."""
    masked = not sees_full_phones(request.user)
    audit_record(
        user=request.user,
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


def _write_roster(booths: QuerySet[Booth], target: object, xlsx: bool, masked: bool) -> None:
    roster_export(booths=booths, target=target, xlsx=xlsx, masked=masked)


def _write_callers(users: QuerySet[User], target: object, xlsx: bool, masked: bool) -> None:
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
