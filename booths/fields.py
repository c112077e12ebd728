"""Form and model fields for Indian mobile numbers."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.db import models
from django.db.models import Q
from phonenumber_field.modelfields import PhoneNumberField
from phonenumber_field.phonenumber import PhoneNumber

from .phones import format_indian_mobile, parse_indian_mobile, validate_indian_mobile

if TYPE_CHECKING:
    # phonenumber_field has no types: to mypy, a model field whose attribute is a
    # PhoneNumber (or whatever is assigned to it: a number as text).
    _PhoneNumberField = models.Field[Any, Any]
else:
    _PhoneNumberField = PhoneNumberField

# What a stored mobile looks like, checked by the database too: E.164, India, 6-9 first.
MOBILE_E164_REGEX = r"^\+91[6-9][0-9]{9}$"


class IndianMobileFormField(forms.CharField):
    """Accepts every way an Indian mobile is written and explains what is wrong."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        kwargs.pop("region", None)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "tel")
        self.widget.attrs.setdefault("autocomplete", "tel")

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, PhoneNumber):
            return format_indian_mobile(value.as_e164) if value.is_valid() else value.raw_input
        return value

    def to_python(self, value: Any) -> PhoneNumber | str:
        value = super().to_python(value)
        if value in self.empty_values:
            return ""
        return parse_indian_mobile(value)


class MobileNumberField(_PhoneNumberField):
    """A `PhoneNumberField` for region IN that accepts only mobile numbers."""

    default_validators = [validate_indian_mobile]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("region", "IN")
        kwargs.setdefault("max_length", 16)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs: Any) -> forms.Field | None:
        defaults: dict[str, Any] = {"form_class": IndianMobileFormField}
        defaults.update(kwargs)
        return super(PhoneNumberField, self).formfield(**defaults)


def mobile_shape_check(field: str) -> Q:
    """Database check: the column is empty or holds an Indian mobile in E.164."""
    return Q(**{field: ""}) | Q(**{f"{field}__regex": MOBILE_E164_REGEX})
