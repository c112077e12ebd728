"""Admin for campaigns: define one with its questions, and keep units' reports."""

from django import forms
from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from outreach.types import signed_in

from ..models import Campaign, CampaignAnswer, CampaignQuestion, CampaignReport
from .services import booth_question_text, campaign_questions_ensure


class QuestionInlineFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        kept = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        first = [form for form in kept if form.cleaned_data.get("position") == 1]
        if first and first[0].cleaned_data.get("kind") != CampaignQuestion.Kind.BOOTH_REACH:
            raise forms.ValidationError(_("The first question is the booth-level one (yes, partly, no, don't know)."))


class CampaignQuestionInline(admin.TabularInline):
    model = CampaignQuestion
    formset = QuestionInlineFormSet
    extra = 0
    max_num = CampaignQuestion.MAX_PER_CAMPAIGN
    fields = ["position", "kind", "text"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "start", "end", "created_at"]
    search_fields = ["name"]
    date_hierarchy = "start"
    filter_horizontal = ["regions", "districts"]
    fields = ["name", ("start", "end"), "state", "regions", "districts"]
    inlines = [CampaignQuestionInline]

    def get_formset_kwargs(self, request: HttpRequest, obj: Campaign, inline: InlineModelAdmin, prefix: str) -> dict:
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if obj.pk is None and request.method == "GET":
            kwargs["initial"] = [
                {"position": 1, "kind": CampaignQuestion.Kind.BOOTH_REACH, "text": booth_question_text()}
            ]
        return kwargs

    def get_inline_instances(self, request: HttpRequest, obj: Campaign | None = None) -> list:
        instances = super().get_inline_instances(request, obj)
        for inline in instances:
            inline.extra = 1 if obj is None else 0
        return instances

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: list, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        campaign_questions_ensure(campaign=form.instance)  # the booth-level question, whatever was typed


@admin.register(CampaignReport)
class CampaignReportAdmin(admin.ModelAdmin):
    list_display = ["campaign", "district", "mandal", "reported_on", "booths_covered", "households_contacted"]
    list_filter = ["campaign", "reported_on"]
    search_fields = ["district__name", "mandal__name"]
    raw_id_fields = ["district", "mandal"]
    readonly_fields = ["reported_by", "created_at", "updated_at"]
    list_select_related = ["campaign", "district", "mandal"]

    def save_model(self, request: HttpRequest, obj: CampaignReport, form: forms.ModelForm, change: bool) -> None:
        if obj.mandal_id and obj.mandal is not None:
            obj.district_id = obj.mandal.district_id
        obj.reported_by = signed_in(request)
        super().save_model(request, obj, form, change)


@admin.register(CampaignAnswer)
class CampaignAnswerAdmin(admin.ModelAdmin):
    """Answers are written by calls; here they are read."""

    list_display = ["day", "campaign", "question", "booth", "answer", "number"]
    list_filter = ["campaign", "answer"]
    list_select_related = ["campaign", "question", "booth__assembly_seat"]
    raw_id_fields = ["log", "booth", "district", "mandal"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).order_by("-day", "-pk")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
