"""Indian mobile numbers: every common way of writing one is understood, and
every kind of damage is refused with a message that says what is wrong."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from booths.models import Person
from booths.phones import parse_indian_mobile
from tests.factories import PersonFactory


@pytest.mark.parametrize(
    "raw",
    [
        "9876543210",
        "09876543210",
        "+91 98765 43210",
        "+91-98765-43210",
        "919876543210",
        "0091-9876543210",
        "0091 98765 43210",
        "98765 43210",
        "(+91) 98765-43210",
        "'9876543210",
        " 9876543210 ",
        "9876543210.0",
        "\ufeff9876543210",
        "९८७६५४३२१०",
    ],
)
def test_indian_mobile_formats_normalise_to_e164(raw):
    assert parse_indian_mobile(raw).as_e164 == "+919876543210"


@pytest.mark.parametrize(
    ("raw", "code", "says"),
    [
        ("9.87654E+09", "scientific", "scientific notation"),
        ("9,87654E+09", "scientific", "scientific notation"),
        ("0522-2234567", "landline", "landline"),
        ("5876543210", "landline", "landline"),
        ("080 2345 6789", "landline", "landline"),
        ("987654321", "too_short", "9 digits"),
        ("98765432101", "too_long", "11 digits"),
        ("98765 43210 / 91234 56789", "two_numbers", "more than one number"),
        ("9876543210, 9123456789", "two_numbers", "more than one number"),
        ("9876543210 9123456789", "two_numbers", "more than one number"),
        ("+1 415 555 2671", "foreign", "not an Indian number"),
        ("98765abcde", "letters", "contains letters"),
        ("", "empty", "Enter a mobile number"),
        ("1800123456", "invalid", "not a valid Indian mobile"),
    ],
)
def test_damaged_numbers_are_refused_with_the_reason(raw, code, says):
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            parse_indian_mobile(raw)
        assert caught.value.code == code
        assert says in caught.value.messages[0]


def test_reason_is_given_in_hindi_too():
    with translation.override("hi"):
        with pytest.raises(ValidationError) as caught:
            parse_indian_mobile("0522-2234567")
        assert "लैंडलाइन" in caught.value.messages[0]


def test_admin_form_normalises_a_typed_number(admin_client):
    response = admin_client.post(
        "/admin/booths/person/add/",
        {"name": "रामलाल यादव", "mobile": "098765 43210", "alternate_mobile": "", "notes": "", **_empty_posts()},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Person.objects.get().mobile.as_e164 == "+919876543210"


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("0522 2234567", "landline number, not a mobile"),
        ("98765432", "has 8 digits"),
        ("98765 43210 / 91234 56789", "more than one number"),
    ],
)
def test_admin_form_refuses_bad_number_and_saves_nothing(admin_client, raw, says):
    response = admin_client.post(
        "/admin/booths/person/add/",
        {"name": "रामलाल यादव", "mobile": raw, "alternate_mobile": "", "notes": "", **_empty_posts()},
    )
    assert response.status_code == 200
    assert says in response.content.decode()
    assert not Person.objects.exists()


def test_families_may_share_a_mobile(db):
    first = PersonFactory(mobile="+919876543210")
    second = PersonFactory(mobile="+919876543210")
    assert first.pk != second.pk
    assert Person.objects.filter(mobile="+919876543210").count() == 2


def _empty_posts() -> dict[str, str]:
    return {
        "posts-TOTAL_FORMS": "0",
        "posts-INITIAL_FORMS": "0",
        "posts-MIN_NUM_FORMS": "0",
        "posts-MAX_NUM_FORMS": "1000",
    }
