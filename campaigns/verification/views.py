"""District offices report their campaign progress (the dashboards read it)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from outreach.types import AuthedRequest

from ..access import campaign_district_ids, campaign_get_for_reporter, report_districts_for
from ..models import Campaign, CampaignReport
from .forms import CampaignReportForm
from .services import campaign_report_record


@login_required
def reports(request: AuthedRequest) -> HttpResponse:
    """The campaigns a district office can report on."""
    mine = report_districts_for(user=request.user)
    today = timezone.localdate()
    campaigns = [
        campaign
        for campaign in Campaign.objects.filter(end__gte=today - datetime.timedelta(days=30), start__lte=today)
        if mine and ((ids := campaign_district_ids(campaign)) is None or mine & ids)
    ]
    return render(request, "campaigns/campaign_reports.html", {"campaigns": campaigns, "active": "reports"})


@login_required
def report(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign, districts = campaign_get_for_reporter(user=request.user, pk=pk)
    form = CampaignReportForm(request.POST or None, districts=districts)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign_report_record(campaign=campaign, user=request.user, **data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("Saved: the report for %(unit)s.")
                             % {"unit": (data["mandal"] or data["district"]).name})  # fmt: skip
            return redirect("campaign_report", pk=campaign.pk)
    recent = (
        CampaignReport.objects.filter(campaign=campaign, district__in=districts)
        .select_related("district", "mandal")
        .order_by("-reported_on", "-pk")[:30]
    )
    context = {"campaign": campaign, "form": form, "recent": recent, "active": "reports"}
    return render(request, "campaigns/campaign_report.html", context)
