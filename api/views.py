"""REST API v1: a caller's day (their calls, logging them, their history) and
the follow-ups of their districts. Access is decided by `campaigns.access`, as
for the pages; writes go through the pages' own services and forms."""

import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from booths.models import Booth, Post, User
from booths.selectors import booths_with_current_president
from campaigns.access import (
    assignment_get_for_caller,
    dashboard_scope_for,
    follow_up_districts_for,
    follow_up_get_for_user,
)
from campaigns.dashboards.boards import BOARDS, board_page, table_name
from campaigns.dashboards.exports import export_value, table_rows
from campaigns.dashboards.figures import Figures, overview
from campaigns.dashboards.query import LEVELS, BadQuery, dashboard_query
from campaigns.forms import CallFilterForm, CallOutcomeForm, FollowUpFilterForm, FollowUpForm
from campaigns.models import Answer, CallAssignment, CampaignQuestion, FollowUp
from campaigns.selectors import (
    CallCard,
    call_asks_tiffin,
    call_cards,
    call_is_editable,
    call_questions,
    caller_history,
    follow_up_assignees,
    follow_ups_for,
)
from campaigns.services import CallLocked, call_log_record, follow_up_update
from outreach.types import AuthedApiRequest

from .filters import BoothFilter
from .serializers import (
    AssignmentDetailSerializer,
    AssignmentSerializer,
    BoothSerializer,
    CallSerializer,
    DashboardTableSerializer,
    FollowUpSerializer,
    FollowUpUpdateSerializer,
    MeSerializer,
    OutcomeSerializer,
    OverviewSerializer,
)


def _filters(form_class: type, params: object) -> dict:
    """The list's filters, checked by the page's own filter form (400 when wrong);
    the empty ones left out."""
    form = form_class(params)
    if not form.is_valid():
        raise ValidationError(_form_errors(form))
    return {key: value for key, value in form.cleaned_data.items() if value}


def _form_errors(form: object, renames: dict[str, str] | None = None) -> dict[str, list[str]]:
    """A form's errors as field → messages, under the API's field names."""
    renames = renames or {}
    errors: dict[str, list[str]] = {}
    for name, messages in form.errors.items():  # type: ignore[attr-defined]
        key = "non_field_errors" if name == "__all__" else renames.get(name, name)
        errors[key] = [str(message) for message in messages]
    return errors


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer, summary="The signed-in account and its current posts")
    def get(self, request: AuthedApiRequest) -> Response:
        user = request.user
        person = user.person
        posts = (
            Post.objects.current().with_accounts().filter(person=person).select_related("state", "region", "district")
            if person
            else []
        )
        data = {
            "id": user.pk,
            "username": user.get_username(),
            "name": person.name if person else user.get_full_name(),
            "mobile": str(person.mobile) if person and person.mobile else "",
            "language": user.language,
            "posts": [
                {
                    "role": post.role,
                    "state": post.state.code if post.state else None,
                    "region": post.region.name if post.region else None,
                    "district": post.district.name if post.district else None,
                }
                for post in posts
            ],
        }
        return Response(MeSerializer(data).data)


def _card_data(card: CallCard, day: datetime.date, editable: bool) -> dict:
    return {**{name: getattr(card, name) for name in card.__slots__}, "day": day, "editable": editable}


class AssignmentListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("day", datetime.date, description="YYYY-MM-DD; today in India by default")],
        responses=AssignmentSerializer(many=True),
        summary="My calls of a day",
    )
    def get(self, request: AuthedApiRequest) -> Response:
        raw = request.query_params.get("day")
        day = parse_date(raw) if raw else timezone.localdate()
        if day is None:
            raise ValidationError({"day": [_("Write the day as YYYY-MM-DD.")]})
        person_id = request.user.person_id
        cards = call_cards(caller_id=person_id, day=day) if person_id else []
        editable = day == timezone.localdate()
        return Response(AssignmentSerializer([_card_data(card, day, editable) for card in cards], many=True).data)


def _choices(question: CampaignQuestion) -> list[str]:
    if question.kind == CampaignQuestion.Kind.NUMBER:
        return []
    values = [value for value, _label in Answer.choices]
    if question.kind == CampaignQuestion.Kind.YES_NO:
        return [value for value in values if value != Answer.PARTLY]
    return values


def _detail(assignment: CallAssignment) -> dict:
    (card,) = call_cards(assignment_id=assignment.pk)
    editable = call_is_editable(assignment)
    initial = CallOutcomeForm.initial_for(assignment)
    log = None
    if initial:
        log = {
            "wellbeing": initial["wellbeing"],
            "wellbeing_note": initial["wellbeing_note"],
            "standing": initial["standing"],
            "needs": initial["needs"],
            "need_other": initial["need_other"],
            "notes": initial["notes"],
            "follow_up": initial["follow_up_wanted"],
            "tiffin_meeting": initial["tiffin_meeting"],
            "answers": {key[1:]: value for key, value in initial.items() if key.startswith("q") and key[1:].isdigit()},
        }
    questions = call_questions(assignment) if editable else []
    for question in questions:
        setattr(question, "choices", _choices(question))  # noqa: B010 - for QuestionSerializer, not a model field
    return {
        **_card_data(card, assignment.day, editable),
        "questions": questions,
        "asks_tiffin_meeting": editable and call_asks_tiffin(assignment),
        "log": log,
    }


class AssignmentDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=AssignmentDetailSerializer, summary="One of my calls, with earlier calls and open needs")
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        assignment = assignment_get_for_caller(user=request.user, pk=pk)
        return Response(AssignmentDetailSerializer(_detail(assignment)).data)


class OutcomeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=OutcomeSerializer,
        responses={200: AssignmentDetailSerializer, 400: None, 409: None},
        summary="Log (or correct, the same day) how one of my calls went",
    )
    def put(self, request: AuthedApiRequest, pk: int) -> Response:
        assignment = assignment_get_for_caller(user=request.user, pk=pk)
        if not call_is_editable(assignment):
            return Response({"detail": _("This call's day is over; its log can no longer be changed.")},
                            status=status.HTTP_409_CONFLICT)  # fmt: skip
        body = OutcomeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        questions = call_questions(assignment)
        known = {str(question.pk): question for question in questions}
        answers = data.pop("answers", {}) or {}
        unknown = [key for key in answers if str(key) not in known]
        if unknown:
            raise ValidationError({f"answers.{key}": [_("Not a question of this call.")] for key in unknown})
        form_data = {
            **{key: value for key, value in data.items() if key != "follow_up"},
            "follow_up_wanted": data.get("follow_up", False),
            **{f"q{key}": value for key, value in answers.items()},
        }
        form = CallOutcomeForm(form_data, questions=questions, ask_tiffin=call_asks_tiffin(assignment))
        if not form.is_valid():
            renames = {f"q{pk}": f"answers.{pk}" for pk in known} | {"follow_up_wanted": "follow_up"}
            raise ValidationError(_form_errors(form, renames))
        try:
            assignment = call_log_record(assignment=assignment, user=request.user, report=form.report())
        except CallLocked:
            return Response({"detail": _("This call's day is over; its log can no longer be changed.")},
                            status=status.HTTP_409_CONFLICT)  # fmt: skip
        assignment = assignment_get_for_caller(user=request.user, pk=assignment.pk)
        return Response(AssignmentDetailSerializer(_detail(assignment)).data)


class CallListView(generics.ListAPIView):
    """My calls, newest first; filters as on the page."""

    permission_classes = [IsAuthenticated]
    request: AuthedApiRequest  # past IsAuthenticated
    serializer_class = CallSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("date_from", datetime.date),
            OpenApiParameter("date_to", datetime.date),
            OpenApiParameter("status", str),
            OpenApiParameter("outcome", str),
        ],
        summary="My call history",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[CallAssignment]:
        filters = _filters(CallFilterForm, self.request.query_params)
        return caller_history(person_id=self.request.user.person_id or 0, **filters)


class FollowUpListView(generics.ListAPIView):
    """The follow-ups of my districts, unresolved ones unless a status is asked for."""

    permission_classes = [IsAuthenticated]
    request: AuthedApiRequest  # past IsAuthenticated
    serializer_class = FollowUpSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, description="open, in_progress, resolved or all"),
            OpenApiParameter("category", str),
        ],
        summary="Follow-ups of my districts",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[FollowUp]:
        filters = _filters(FollowUpFilterForm, self.request.query_params)
        return follow_ups_for(district_ids=follow_up_districts_for(user=self.request.user), **filters)


class FollowUpDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=FollowUpSerializer, summary="A follow-up of my districts")
    def get(self, request: AuthedApiRequest, pk: int) -> Response:
        return Response(FollowUpSerializer(follow_up_get_for_user(user=request.user, pk=pk)).data)

    @extend_schema(request=FollowUpUpdateSerializer, responses=FollowUpSerializer, summary="Move a follow-up on")
    def patch(self, request: AuthedApiRequest, pk: int) -> Response:
        item = follow_up_get_for_user(user=request.user, pk=pk)
        body = FollowUpUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        form = FollowUpForm(
            {
                "status": data.get("status", item.status),
                "assigned_to": data.get("assigned_to", item.assigned_to_id),
                "note": data.get("note", item.resolution_note),
            },
            assignees=follow_up_assignees(district_id=item.district_id),
        )
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        cleaned = form.cleaned_data
        follow_up_update(follow_up=item, status=cleaned["status"], assigned_to=cleaned["assigned_to"],
                         note=cleaned["note"])  # fmt: skip
        return Response(FollowUpSerializer(follow_up_get_for_user(user=request.user, pk=pk)).data)


def _booths_in_scope(user: User | AnonymousUser) -> QuerySet[Booth]:
    scope = dashboard_scope_for(user)
    if scope is None:
        return Booth.objects.none()
    booths = scope.filter(booths_with_current_president(), "mandal__district_id")
    return booths.order_by("assembly_seat__number", "number")


class BoothListView(generics.ListAPIView):
    """Booths of my territory (a caller's districts, a viewer's region or state)."""

    permission_classes = [IsAuthenticated]
    serializer_class = BoothSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = BoothFilter

    def get_queryset(self) -> QuerySet[Booth]:
        return _booths_in_scope(self.request.user)


class BoothDetailView(generics.RetrieveAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = BoothSerializer

    def get_queryset(self) -> QuerySet[Booth]:
        return _booths_in_scope(self.request.user)


def _figures(figures: Figures) -> dict:
    """Counts as numbers, shares in percent with one decimal, as the CSV writes them."""
    counts = {name: getattr(figures, name) for name in ("assigned", "logged", "reached", "missed", "open")}
    shares = {name: getattr(figures, name) for name in ("logged_share", "reach_rate")}
    return {**counts, **{name: None if v is None else export_value(v, "pct") for name, v in shares.items()}}


class DashboardOverviewView(APIView):
    """The overview dashboard as data: the same figures as the page and its CSV."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("period", str, description="today, yesterday, 7d, 30d (default) or month"),
            OpenApiParameter("from", datetime.date, description="a custom period: from and to, YYYY-MM-DD"),
            OpenApiParameter("to", datetime.date),
            OpenApiParameter("by", str, description="region, district, mandal, booth or caller"),
            *(OpenApiParameter(level, int, description=f"only this {level} (its id)") for level in LEVELS),
        ],
        responses=OverviewSerializer,
        summary="Assigned, logged, reached and missed calls in my scope, by unit or caller, and day by day",
    )
    def get(self, request: AuthedApiRequest) -> Response:
        scope = dashboard_scope_for(request.user)
        if scope is None:
            raise NotFound
        try:
            q = dashboard_query(request.query_params, scope=scope, by_choices=[*LEVELS, "caller"])
        except BadQuery as exc:
            raise ValidationError({"query": exc.errors}) from exc
        result = overview(q)
        data = {
            "date_from": q.period.start,
            "date_to": q.period.end,
            "by": result.by,
            "totals": _figures(result.totals),
            "trend": [{"day": day, **_figures(figures)} for day, figures in result.trend],
            "rows": [
                {"id": row.pk, "name": row.name, "level": row.level, "parents": row.parents, **_figures(row.calls)}
                for row in result.rows
            ],
            "units_total": result.units_total,
            "units_without_calls": result.units_without_calls,
        }
        return Response(OverviewSerializer(data).data)


API_BOARDS = ["calls", "callers", "booth-health", "needs", "roster-health", "seats", "tiffin"]


class DashboardTableView(APIView):
    """Any other dashboard's table: the figures the page shows and downloads."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("board", str, OpenApiParameter.PATH, enum=API_BOARDS),
            OpenApiParameter("table", str, description="the page's other tables (see the page's downloads)"),
            OpenApiParameter("period", str, description="today, yesterday, 7d, 30d (default) or month"),
            OpenApiParameter("from", datetime.date),
            OpenApiParameter("to", datetime.date),
            OpenApiParameter("by", str),
            *(OpenApiParameter(level, int, description=f"only this {level} (its id)") for level in LEVELS),
        ],
        responses=DashboardTableSerializer,
        summary="A dashboard's table within my scope: callers, booth health, needs, roster health, calls, seats",
    )
    def get(self, request: AuthedApiRequest, board: str) -> Response:
        if board not in API_BOARDS:
            raise NotFound
        try:
            q, page = board_page(request.user, BOARDS[board], request.query_params, export=True)
        except BadQuery as exc:
            raise ValidationError({"query": exc.errors}) from exc
        name = table_name(BOARDS[board], page, q.table)
        table = page.tables.get(name)
        if table is None:
            raise ValidationError(
                {"table": [_("table=%(table)s is not on this page for what it shows.") % {"table": name}]}
            )
        keys = [column.key for column in table.columns]
        data = {
            "board": board,
            "table": table.name,
            "date_from": q.period.start,
            "date_to": q.period.end,
            "by": q.by,
            "columns": [{"key": c.key, "label": str(c.label), "kind": c.kind} for c in table.columns],
            "rows": [dict(zip(keys, row, strict=True)) for row in table_rows(table)],
        }
        return Response(DashboardTableSerializer(data).data)
