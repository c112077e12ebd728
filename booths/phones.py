"""Indian mobile numbers as they arrive from people and spreadsheets.

`parse_indian_mobile` is the one place that turns a typed or pasted number into a
`PhoneNumber`, and it says exactly what is wrong when it cannot: admins fix
numbers by reading these messages, so each kind of damage gets its own.
"""

import re
import unicodedata
from typing import TYPE_CHECKING

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from phonenumber_field.phonenumber import PhoneNumber

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User

INDIA = "IN"
INDIA_COUNTRY_CODE = 91
MOBILE_TYPES = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)

# A spreadsheet that stored the number as a float shows it in scientific notation
# with only a few significant digits: the rest of the number is gone.
_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$")
# ... or as a float that kept every digit: "9876543210.0".
_FLOAT_SUFFIX = re.compile(r"^(\d{10,13})[.,]0+$")
# Characters people put between digit groups.
_SEPARATORS = re.compile(r"[\s\-().\u00a0\u200b\u200c\u200d\ufeff]")
# Two numbers in one cell: "98765 43210 / 91234 56789", "9876543210, 9123456789".
_LIST_SEPARATORS = re.compile(r"[/,;|&]|\bor\b|\band\b|या|व|और", re.IGNORECASE)

# Devanagari and other Indian digits come from Hindi keyboards.
_DIGITS = str.maketrans(
    "०१२३४५६७८९০১২৩৪৫৬৭৮৯੦੧੨੩੪੫੬੭੮੯૦૧૨૩૪૫૬૭૮૯",
    "0123456789" * 4,
)

MESSAGES = {
    "empty": _("Enter a mobile number."),
    "scientific": _(
        "“%(value)s” was turned into scientific notation by a spreadsheet and its last "
        "digits are lost; type the number again as text."
    ),
    "two_numbers": _(
        "“%(value)s” holds more than one number; enter one mobile number here "
        "(put a second one in the alternate mobile)."
    ),
    "letters": _("“%(value)s” contains letters; a mobile number has only digits."),
    "too_short": _(
        "“%(value)s” has %(digits)s digits; an Indian mobile number has 10 digits (optionally with +91 or 0 in front)."
    ),
    "too_long": _(
        "“%(value)s” has %(digits)s digits; an Indian mobile number has 10 digits (optionally with +91 or 0 in front)."
    ),
    "foreign": _("“%(value)s” is not an Indian number; enter an Indian mobile number."),
    "landline": _("“%(value)s” is a landline number, not a mobile number."),
    "invalid": _("“%(value)s” is not a valid Indian mobile number."),
}


def ascii_digits(value: str) -> str:
    """Decimal digits of any script (Devanagari, Bengali, fullwidth, ...) as 0-9."""
    value = value.translate(_DIGITS)
    if value.isascii():
        return value
    return "".join(str(unicodedata.decimal(char)) if unicodedata.decimal(char, None) is not None else char
                   for char in value)  # fmt: skip


def _error(code: str, value: str, **params: object) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params={"value": value, **params})


def parse_indian_mobile(raw: object) -> PhoneNumber:
    """Return the mobile number in `raw` or raise ValidationError saying why not.

    Accepts what people and spreadsheets really write: spaces and dashes, a
    leading apostrophe, `+91`, `91`, `0091` or `0` in front, Devanagari digits,
    and a float that kept all digits (`9876543210.0`). Refuses lost digits,
    two numbers in one cell, landlines and anything that is not an Indian mobile.
    """
    return PhoneNumber.from_string(indian_mobile_e164(raw))


def indian_mobile_e164(raw: object) -> str:
    """`parse_indian_mobile` as its E.164 text (`+919876543210`), for the imports'
    hundreds of thousands of numbers: the same checks and errors, without
    building a PhoneNumber twice."""
    value = "" if raw is None else str(raw)
    value = ascii_digits(value.strip().lstrip("'’`").strip())
    shown = value
    if not value:
        raise _error("empty", shown)
    if _SCIENTIFIC.match(value):
        raise _error("scientific", shown)
    if match := _FLOAT_SUFFIX.match(value):
        value = match.group(1)
    if _LIST_SEPARATORS.search(value) and len(re.findall(r"\d", value)) > 13:
        raise _error("two_numbers", shown)
    compact = _SEPARATORS.sub("", value)
    if compact.startswith("+"):
        plus, compact = "+", compact[1:]
    else:
        plus = ""
    if not (compact.isascii() and compact.isdigit()):  # "²" and "①" are digits to str.isdigit()
        if len(re.findall(r"\d{10}", compact)) > 1 or len(re.findall(r"\d", compact)) > 13:
            raise _error("two_numbers", shown)
        raise _error("letters", shown)
    if not plus and compact.startswith("00"):
        plus, compact = "+", compact[2:]
    if plus and not compact.startswith(str(INDIA_COUNTRY_CODE)):
        raise _error("foreign", shown)
    national = compact
    if plus or (len(compact) == 12 and compact.startswith("91")):
        national = compact[2:]
    elif len(compact) == 11 and compact.startswith("0"):
        national = compact[1:]
    if len(national) < 10:
        raise _error("too_short", shown, digits=len(national))
    if len(national) > 10:
        if len(national) >= 20:
            raise _error("two_numbers", shown)
        raise _error("too_long", shown, digits=len(national))
    if national[0] in "678" or (national[0] == "9" and national[1] != "1"):
        # What phonenumbers.parse(national, "IN") gives for ten digits that neither
        # start with the trunk prefix 0 nor with 91 (which it may read as the
        # country code): the number as it stands, at a tenth of the cost.
        number = phonenumbers.PhoneNumber(country_code=INDIA_COUNTRY_CODE, national_number=int(national))
    else:
        try:
            number = phonenumbers.parse(national, INDIA)
        except phonenumbers.NumberParseException:
            raise _error("invalid", shown) from None
    kind = phonenumbers.number_type(number)
    if kind in (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.VOIP):
        raise _error("landline", shown)
    # Some Indian ranges are listed as "fixed line or mobile": they are mobiles in
    # practice, so only a number known to be a landline is refused as one. (An
    # invalid number's type is UNKNOWN: not a mobile type either.)
    if kind not in MOBILE_TYPES:
        raise _error("invalid", shown)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_indian_mobile(value: object) -> None:
    """Model-field validator: the stored number must be an Indian mobile."""
    if value in (None, ""):
        return
    parse_indian_mobile(value.as_e164 if isinstance(value, PhoneNumber) else value)


def format_indian_mobile(value: object) -> str:
    """`+919876543210` -> `98765 43210`, as Indians write and read it."""
    text = str(value or "")
    if text.startswith("+91") and len(text) == 13:
        return f"{text[3:8]} {text[8:]}"
    return text


FULL_PHONE_PERMISSION = "booths.view_full_phone"


def mask_mobile(value: object) -> str:
    """`+919876543210` as `98••••3210`: enough to tell numbers apart, not to call."""
    text = str(value or "")
    digits = re.sub(r"\D", "", text)[-10:]
    if len(digits) < 10:
        return "••••" if text else ""
    return f"{digits[:2]}••••{digits[-4:]}"


def sees_full_phones(user: "User | AnonymousUser") -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_perm(FULL_PHONE_PERMISSION)
