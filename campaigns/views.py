"""The caller's pages: today's calls, logging a call, history, follow-ups."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import ALL

from outreach.ratelimits import limited

from .access import (
    assignment_get_for_caller,
    follow_up_districts_for,
    follow_up_get_for_user,
    home_for,
    roster_report_get_for_user,
)
from .calls import CallLocked, call_is_editable, call_log_record, call_questions, follow_up_assignees, follow_up_update
from .forms import CallFilterForm, CallOutcomeForm, FollowUpFilterForm, FollowUpForm
from .selectors import call_cards, caller_history, follow_ups_for, roster_reports_open
from .signin import SESSION_KEY, LinkError, end_of_day, signin_token_check


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
def today(request: HttpRequest) -> HttpResponse:
    day = timezone.localdate()
    cards = call_cards(caller_id=request.user.person_id, day=day) if request.user.person_id else []
    logged = sum(1 for card in cards if card.outcome)
    return render(request, "campaigns/today.html", {"day": day, "cards": cards, "logged": logged, "active": "today"})


@login_required
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A call: who to ring, what earlier calls said, and the outcome form."""
    assignment = assignment_get_for_caller(user=request.user, pk=pk)
    editable = call_is_editable(assignment)
    questions = call_questions(assignment) if editable else []
    if request.method == "POST":
        form = CallOutcomeForm(request.POST, questions=questions)
        if form.is_valid():
            try:
                call_log_record(assignment=assignment, user=request.user, report=form.report())
            except CallLocked:
                messages.error(request, _("This call's day is over; its log can no longer be changed."))
                return redirect("call", pk=assignment.pk)
            messages.success(request, _("Saved: the call with %(name)s.") % {"name": assignment.president.name})
            return redirect("today")
    else:
        form = CallOutcomeForm(initial=CallOutcomeForm.initial_for(assignment), questions=questions)
    (card,) = call_cards(assignment_id=assignment.pk)
    context = {"call": assignment, "card": card, "form": form, "editable": editable, "active": "today"}
    return render(request, "campaigns/call.html", context)


@login_required
def my_calls(request: HttpRequest) -> HttpResponse:
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
def follow_ups(request: HttpRequest) -> HttpResponse:
    districts = follow_up_districts_for(user=request.user)
    form = FollowUpFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    items = follow_ups_for(district_ids=districts, **filters)
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    reports = roster_reports_open(district_ids=districts)[:100]
    context = {"form": form, "page": page, "reports": reports, "query": _query_without_page(request)}
    return render(request, "campaigns/follow_ups.html", {**context, "active": "follow_ups"})


@login_required
def follow_up_detail(request: HttpRequest, pk: int) -> HttpResponse:
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
def roster_report_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a report off the correction list (the roster was right after all)."""
    report = roster_report_get_for_user(user=request.user, pk=pk)
    report.dismissed_at = timezone.now()
    report.save(update_fields=["dismissed_at"])
    messages.success(request, _("Taken off the correction list."))
    return redirect("follow_ups")
