import datetime
from typing import cast

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _

from campaigns.signin import SESSION_KEY

from .ratelimits import limited


class AdminSite(admin.AdminSite):
    """The admin, closed to sessions opened by a caller's sign-in link (a link grants
    the caller's own pages only, whoever the caller is), with the roster-health page."""

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and not request.session.get(SESSION_KEY)

    @method_decorator(limited("LOGIN_RATE_PER_IP"))
    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        return super().login(request, extra_context)

    def get_urls(self) -> list:
        return [
            path("roster-health/", self.admin_view(self.roster_health_view), name="roster_health"),
            *super().get_urls(),
        ]

    def roster_health_view(self, request: HttpRequest) -> HttpResponse:
        from booths.models import Region
        from campaigns.health import roster_health, roster_health_refresh

        if request.method == "POST":
            roster_health_refresh()
            return redirect(request.get_full_path())
        region = request.GET.get("region")
        region_id = int(region) if region and region.isascii() and region.isdigit() else None
        rows = roster_health(region_id=region_id)
        totals = {key: sum(row.figures[key] for row in rows) for key in (rows[0].figures if rows else {})}
        counted_at = min((cast(datetime.datetime, row.counted_at) for row in rows), default=None)  # set when counted
        context = {
            **self.each_context(request),
            "title": _("Roster health"),
            "rows": rows,
            "totals": totals,
            "regions": Region.objects.order_by("name"),
            "region_id": region_id,
            "counted_at": counted_at,
            # Reversed once, not once a cell: a country has ~1,000 districts.
            "urls": {
                "booths": reverse("admin:booths_booth_changelist"),
                "people": reverse("admin:booths_person_changelist"),
                "rotation": reverse("admin:campaigns_presidentrotation_changelist"),
                "reports": reverse("admin:campaigns_rosterreport_changelist"),
            },
        }
        return render(request, "admin/roster_health.html", context)
