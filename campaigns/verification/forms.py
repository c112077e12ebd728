"""The form a district office reports its campaign progress with."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from booths.models import District, Mandal


class CampaignReportForm(forms.Form):
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none())
    mandal = forms.ModelChoiceField(
        label=_("Mandal"),
        queryset=Mandal.objects.none(),
        required=False,
        empty_label=_("The whole district"),
        help_text=_("Leave as the whole district when the district reports as one."),
    )
    reported_on = forms.DateField(
        label=_("As of"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    booths_covered = forms.IntegerField(label=_("Booths where the campaign was done"), min_value=0)
    households_contacted = forms.IntegerField(label=_("Households contacted"), min_value=0)

    def __init__(self, *args: Any, districts: list[District], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [district.pk for district in districts]
        district, mandal = self.fields["district"], self.fields["mandal"]
        assert isinstance(district, forms.ModelChoiceField) and isinstance(mandal, forms.ModelChoiceField)
        district.queryset = District.objects.filter(pk__in=ids).order_by("name")
        mandal.queryset = (
            Mandal.objects.filter(district_id__in=ids).select_related("district").order_by("district__name", "name")
        )
        if len(ids) == 1:
            self.fields["district"].initial = ids[0]
        # Django's way to label one form's choices; the stubs see only the method it stands in for.
        mandal.label_from_instance = lambda unit: unit.name if len(ids) == 1 else f"{unit.name} ({unit.district.name})"  # type: ignore[method-assign,assignment]
        for name in ("booths_covered", "households_contacted"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"
