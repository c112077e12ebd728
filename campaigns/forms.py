"""Forms of the caller's pages: big radio buttons and checkboxes for a thumb."""

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from booths.models import Mandal, Person

from .models import Answer, CallAssignment, CallLog, CampaignQuestion, FollowUp, NeedCategory
from .services import CallReport
from .tiffin import ATTENDANCE_MAX, plan_date_error, tiffin_photo_prepare

Outcome = CallAssignment.Outcome


class MobileLoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Mobile number"),
        max_length=40,
        widget=forms.TextInput(attrs={"autofocus": True, "inputmode": "tel", "autocomplete": "tel"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "That mobile number and password do not match. Check both, or ask your district office to reset "
            "your password."
        ),
    }


class CallOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did the call go?"), choices=Outcome.choices, widget=forms.RadioSelect, initial=Outcome.REACHED
    )
    wellbeing = forms.ChoiceField(
        label=_("Is all well with them and their family?"),
        choices=CallLog.Wellbeing.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    wellbeing_note = forms.CharField(label=_("What needs attention?"), max_length=500, required=False)
    standing = forms.ChoiceField(
        label=_("How does the party stand in their booth?"),
        choices=CallLog.Standing.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    needs = forms.MultipleChoiceField(
        label=_("What does the booth need to strengthen the party?"),
        choices=NeedCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    need_other = forms.CharField(label=_("Other need"), max_length=500, required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    follow_up_wanted = forms.BooleanField(label=_("Follow-up wanted from the district"), required=False)

    def __init__(
        self, *args: Any, questions: Sequence[CampaignQuestion] = (), ask_tiffin: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[self.question_field(question)] = _question_field(question)
        self.ask_tiffin = ask_tiffin
        if ask_tiffin:
            self.fields["tiffin_meeting"] = forms.ChoiceField(
                label=_("Was there a tiffin meeting in your mandal this month?"),
                choices=[(value, label) for value, label in Answer.choices if value != Answer.PARTLY],
                widget=forms.RadioSelect,
                required=False,
            )

    @staticmethod
    def question_field(question: CampaignQuestion) -> str:
        return f"q{question.pk}"

    def question_fields(self) -> list[tuple[str, list]]:
        """The campaigns' questions as (campaign name, bound fields), for the page."""
        grouped: dict[str, list] = {}
        for question in self.questions:
            grouped.setdefault(question.campaign.name, []).append(self[self.question_field(question)])
        return list(grouped.items())

    def clean(self) -> dict:
        data = super().clean()
        assert data is not None  # Form.clean() gives cleaned_data
        if data.get("outcome") == Outcome.REACHED:
            if self.ask_tiffin and not data.get("tiffin_meeting"):
                self.add_error("tiffin_meeting", _("Tap one; “Don't know” if they could not say."))
            for question in self.questions:
                name = self.question_field(question)
                if question.kind != CampaignQuestion.Kind.NUMBER and not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Tap one; “Don't know” if they could not say."))
            if not data.get("wellbeing"):
                self.add_error("wellbeing", _("Tap one: all well, or needs attention."))
            if not data.get("standing"):
                self.add_error("standing", _("Tap one: strong, competitive or weak."))
            if data.get("wellbeing") == CallLog.Wellbeing.NEEDS_ATTENTION and not data.get("wellbeing_note"):
                self.add_error("wellbeing_note", _("Say in a few words what needs attention."))
            if NeedCategory.OTHER in data.get("needs", []) and not data.get("need_other"):
                self.add_error("need_other", _("Say what else the booth needs."))
        return data

    def report(self) -> CallReport:
        data = self.cleaned_data
        needs = {category: (data["need_other"] if category == NeedCategory.OTHER else "") for category in data["needs"]}
        return CallReport(
            outcome=data["outcome"],
            wellbeing=data["wellbeing"],
            wellbeing_note=data["wellbeing_note"],
            standing=data["standing"],
            needs=needs,
            notes=data["notes"],
            follow_up_wanted=data["follow_up_wanted"],
            tiffin_meeting=data.get("tiffin_meeting", ""),
            answers={
                question.pk: data.get(self.question_field(question))
                for question in self.questions
                if data.get(self.question_field(question)) not in (None, "")
            },
        )

    @classmethod
    def initial_for(cls, assignment: CallAssignment) -> dict:
        log = getattr(assignment, "log", None)
        if log is None:
            return {}
        needs = list(log.needs.all())
        answers = {
            f"q{answer.question_id}": answer.number if answer.number is not None else answer.answer
            for answer in log.answers.all()
        }
        return {
            **answers,
            "tiffin_meeting": log.tiffin_meeting,
            "outcome": assignment.outcome or Outcome.REACHED,
            "wellbeing": log.wellbeing,
            "wellbeing_note": log.wellbeing_note,
            "standing": log.standing,
            "needs": [need.category for need in needs],
            "need_other": next((need.detail for need in needs if need.category == NeedCategory.OTHER), ""),
            "notes": log.notes,
            "follow_up_wanted": log.follow_up_wanted,
        }


def _question_field(question: CampaignQuestion) -> forms.Field:
    """A verification question as a form field: radios, or a number."""
    label = question.label
    if question.kind == CampaignQuestion.Kind.NUMBER:
        return forms.IntegerField(label=label, min_value=0, max_value=1_000_000, required=False)
    choices = Answer.choices
    if question.kind == CampaignQuestion.Kind.YES_NO:
        choices = [(value, label) for value, label in Answer.choices if value != Answer.PARTLY]
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect, required=False)


class CallFilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *CallAssignment.Status.choices], required=False
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", _("All")), *Outcome.choices], required=False)


class FollowUpFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Not resolved")), *FollowUp.Status.choices, ("all", _("All"))],
        required=False,
    )
    category = forms.ChoiceField(label=_("About"), choices=[("", _("All")), *FollowUp.CATEGORY_CHOICES], required=False)


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=FollowUp.Status.choices, widget=forms.RadioSelect)
    assigned_to = forms.ModelChoiceField(
        label=_("Assigned to"), queryset=Person.objects.none(), required=False, empty_label=_("Nobody yet")
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, assignees: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assigned_to"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Person.objects.filter(pk__in=[person.pk for person in assignees])

    def clean(self) -> dict:
        data = super().clean()
        assert data is not None  # Form.clean() gives cleaned_data
        if data.get("status") == FollowUp.Status.RESOLVED and not data.get("note"):
            self.add_error("note", _("Say how it was resolved."))
        return data


class TiffinPlanForm(forms.Form):
    """Schedule a tiffin meeting in one of a district's mandals."""

    mandal = forms.ModelChoiceField(label=_("Mandal"), queryset=Mandal.objects.none(), empty_label=_("Choose a mandal"))
    scheduled_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=200)
    host = forms.CharField(label=_("Host"), max_length=200, required=False)

    def __init__(self, *args: Any, mandals: list[Mandal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["mandal"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Mandal.objects.filter(pk__in=[mandal.pk for mandal in mandals])
        # The mandals without a meeting this month come first, as the page lists them.
        field.choices = [("", field.empty_label), *((mandal.pk, str(mandal)) for mandal in mandals)]

    def clean_scheduled_on(self) -> datetime.date:
        day = self.cleaned_data["scheduled_on"]
        error = plan_date_error(day)
        if error:
            raise forms.ValidationError(error)
        return day


class TiffinRecordForm(forms.Form):
    """What came of a tiffin meeting."""

    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    attendance = forms.IntegerField(
        label=_("How many attended"),
        min_value=0,
        max_value=ATTENDANCE_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    photo = forms.FileField(
        label=_("Photo (optional)"), required=False, widget=forms.FileInput(attrs={"accept": "image/*"})
    )

    def clean_held_on(self) -> datetime.date:
        day = self.cleaned_data["held_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A meeting cannot be marked held on a day still to come."))
        return day

    def clean_photo(self) -> ContentFile | None:
        upload = self.cleaned_data.get("photo")
        return tiffin_photo_prepare(upload) if upload else None
