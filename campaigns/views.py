"""The caller's pages: today's calls, logging a call, history, follow-ups."""

import datetime

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import ALL

from outreach.ratelimits import limited
from outreach.types import AuthedRequest

from .access import (
    assignment_get_for_caller,
    dashboard_scope_get,
    follow_up_districts_for,
    follow_up_get_for_user,
    home_for,
    roster_report_get_for_user,
    tiffin_district_get_for_user,
    tiffin_meeting_get_for_user,
)
from .forms import CallFilterForm, CallOutcomeForm, FollowUpFilterForm, FollowUpForm, TiffinPlanForm, TiffinRecordForm
from .selectors import (
    call_asks_tiffin,
    call_cards,
    call_is_editable,
    call_questions,
    caller_history,
    follow_up_assignees,
    follow_ups_for,
    roster_reports_open,
)
from .services import CallLocked, call_log_record, follow_up_update, roster_report_dismiss
from .signin import SESSION_KEY, LinkError, end_of_day, signin_token_check
from .tiffin import (
    month_first,
    month_parse,
    tiffin_coverage,
    tiffin_district_plan,
    tiffin_meeting_cancel,
    tiffin_meeting_plan,
    tiffin_meeting_record,
)


@limited("SIGNIN_LINK_RATE_PER_IP", method=ALL)
def signin_link(request: HttpRequest, token: str) -> HttpResponse:
    """Sign the caller in from the link in their message, for the rest of the day."""
    try:
        check = signin_token_check(token)
    except LinkError as error:
        return render(request, "campaigns/link_error.html", {"error": error}, status=403)
    login(request, check.user, backend="booths.auth.MobileNumberBackend")
    request.session[SESSION_KEY] = True
    request.session.set_expiry(end_of_day(check.day))
    translation.activate(check.user.language)
    response = redirect(home_for(user=check.user, session=request.session))
    response.set_cookie("django_language", check.user.language, samesite="Lax")
    return response


@login_required
def today(request: AuthedRequest) -> HttpResponse:
    day = timezone.localdate()
    cards = call_cards(caller_id=request.user.person_id, day=day) if request.user.person_id else []
    logged = sum(1 for card in cards if card.outcome)
    return render(request, "campaigns/today.html", {"day": day, "cards": cards, "logged": logged, "active": "today"})


@login_required
def call_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A call: who to ring, what earlier calls said, and the outcome form."""
    assignment = assignment_get_for_caller(user=request.user, pk=pk)
    editable = call_is_editable(assignment)
    questions = call_questions(assignment) if editable else []
    ask_tiffin = editable and call_asks_tiffin(assignment)
    if request.method == "POST":
        form = CallOutcomeForm(request.POST, questions=questions, ask_tiffin=ask_tiffin)
        if form.is_valid():
            try:
                call_log_record(assignment=assignment, user=request.user, report=form.report())
            except CallLocked:
                messages.error(request, _("This call's day is over; its log can no longer be changed."))
                return redirect("call", pk=assignment.pk)
            messages.success(request, _("Saved: the call with %(name)s.") % {"name": assignment.president.name})
            return redirect("today")
    else:
        form = CallOutcomeForm(
            initial=CallOutcomeForm.initial_for(assignment), questions=questions, ask_tiffin=ask_tiffin
        )
    (card,) = call_cards(assignment_id=assignment.pk)
    context = {"call": assignment, "card": card, "form": form, "editable": editable, "active": "today"}
    return render(request, "campaigns/call.html", context)


@login_required
def my_calls(request: AuthedRequest) -> HttpResponse:
    form = CallFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    calls = caller_history(person_id=request.user.person_id or 0, **filters)
    page = Paginator(calls, 30).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": _query_without_page(request), "active": "calls"}
    return render(request, "campaigns/my_calls.html", context)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def follow_ups(request: AuthedRequest) -> HttpResponse:
    districts = follow_up_districts_for(user=request.user)
    form = FollowUpFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    items = follow_ups_for(district_ids=districts, **filters)
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    reports = roster_reports_open(district_ids=districts)[:100]
    context = {"form": form, "page": page, "reports": reports, "query": _query_without_page(request)}
    return render(request, "campaigns/follow_ups.html", {**context, "active": "follow_ups"})


@login_required
def follow_up_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    item = follow_up_get_for_user(user=request.user, pk=pk)
    assignees = follow_up_assignees(district_id=item.district_id)
    if request.method == "POST":
        form = FollowUpForm(request.POST, assignees=assignees)
        if form.is_valid():
            data = form.cleaned_data
            follow_up_update(follow_up=item, status=data["status"], assigned_to=data["assigned_to"], note=data["note"])
            messages.success(request, _("Follow-up saved."))
            return redirect("follow_ups")
    else:
        form = FollowUpForm(
            initial={"status": item.status, "assigned_to": item.assigned_to_id, "note": item.resolution_note},
            assignees=assignees,
        )
    return render(request, "campaigns/follow_up.html", {"item": item, "form": form, "active": "follow_ups"})


@login_required
@require_POST
def roster_report_dismiss_post(request: AuthedRequest, pk: int) -> HttpResponse:
    """Take a report off the correction list (the roster was right after all)."""
    roster_report_dismiss(report=roster_report_get_for_user(user=request.user, pk=pk))
    messages.success(request, _("Taken off the correction list."))
    return redirect("follow_ups")


def _month_or_400(request: HttpRequest, view: str) -> datetime.date | HttpResponse:
    """The month asked for (`month=YYYY-MM`, this month by default), or a 400 page."""
    raw = request.GET.get("month")
    month = month_parse(raw) if raw else month_first(timezone.localdate())
    if month is None:
        errors = [_("month=%(value)s: write the month as YYYY-MM, e.g. month=2025-03.") % {"value": raw}]
        return render(request, "dashboards/bad_query.html", {"errors": errors, "view": view}, status=400)
    return month


@login_required
def tiffin(request: AuthedRequest) -> HttpResponse:
    """The user's districts, each with this month's tiffin-meeting coverage."""
    scope = dashboard_scope_get(request.user)
    month = month_first(timezone.localdate())
    rows = tiffin_coverage(scope=scope, month=month, by="district")
    return render(request, "campaigns/tiffin.html", {"rows": rows, "month": month, "active": "tiffin"})


@login_required
def tiffin_district(request: AuthedRequest, pk: int) -> HttpResponse:
    """Plan a district's tiffin meetings: its mandals without one this month first."""
    district = tiffin_district_get_for_user(user=request.user, pk=pk)
    month = _month_or_400(request, "tiffin")
    if isinstance(month, HttpResponse):
        return month
    plan = tiffin_district_plan(district_id=district.pk, month=month)
    form = TiffinPlanForm(request.POST or None, mandals=plan.mandals, initial=plan.initial(request.GET.get("mandal")))
    if request.method == "POST" and form.is_valid():
        meeting = tiffin_meeting_plan(**form.cleaned_data, user=request.user)
        messages.success(request, _("Planned: %(mandal)s on %(day)s.") % {"mandal": meeting.mandal.name,
                         "day": formats.date_format(meeting.scheduled_on, "j F")})  # fmt: skip
        return redirect(f"{reverse('tiffin_district', args=[district.pk])}?month={meeting.scheduled_on:%Y-%m}")
    context = {"district": district, "month": month, "plan": plan, "form": form, "active": "tiffin",
               "today": timezone.localdate()}  # fmt: skip
    return render(request, "campaigns/tiffin_district.html", context)


@login_required
def tiffin_meeting(request: AuthedRequest, pk: int) -> HttpResponse:
    """A meeting: mark it held, with attendance, notes and a photo."""
    meeting = tiffin_meeting_get_for_user(user=request.user, pk=pk)
    initial = {"held_on": meeting.held_on or min(meeting.scheduled_on, timezone.localdate()),
               "attendance": meeting.attendance, "notes": meeting.notes}  # fmt: skip
    form = TiffinRecordForm(request.POST or None, request.FILES or None, initial=initial)
    if getattr(request, "upload_too_large", False):
        form.add_error(None, _("The photo is too large to send: choose a smaller one."))
    elif request.method == "POST" and form.is_valid():
        tiffin_meeting_record(meeting=meeting, **form.cleaned_data, user=request.user)
        messages.success(request, _("Saved: the meeting in %(mandal)s.") % {"mandal": meeting.mandal.name})
        return redirect(f"{reverse('tiffin_district', args=[meeting.district_id])}?month={meeting.scheduled_on:%Y-%m}")
    return render(request, "campaigns/tiffin_meeting.html", {"meeting": meeting, "form": form, "active": "tiffin"})


@login_required
@require_POST
def tiffin_meeting_cancel_view(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = tiffin_meeting_get_for_user(user=request.user, pk=pk)
    if tiffin_meeting_cancel(meeting=meeting, user=request.user):
        messages.success(request, _("Cancelled: the meeting in %(mandal)s.") % {"mandal": meeting.mandal.name})
    else:
        messages.error(request, _("Only a meeting not yet held can be cancelled."))
    return redirect(f"{reverse('tiffin_district', args=[meeting.district_id])}?month={meeting.scheduled_on:%Y-%m}")


@login_required
def tiffin_photo(request: AuthedRequest, pk: int) -> FileResponse:
    """A meeting's photo, only to those who may see the meeting (never a public file)."""
    meeting = tiffin_meeting_get_for_user(user=request.user, pk=pk)
    if not meeting.photo:
        raise Http404
    assert meeting.photo.name is not None  # a photo that is there has a name
    try:
        photo = default_storage.open(meeting.photo.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(photo, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response
