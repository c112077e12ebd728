"""Building a caller's day for the tests of the caller's pages."""

import datetime

from django.utils import timezone

from campaigns.models import CallAssignment
from campaigns.services import assignments_create_for_day
from tests.factories import DistrictFactory, make_booths, make_caller


def caller_with_calls(*, day: datetime.date | None = None, booths: int = 6, district=None, **caller):
    """A district in-charge with their calls for `day` (today by default)."""
    district = district or DistrictFactory()
    make_booths(district=district, count=booths, mandals=2)
    user = make_caller(districts=[district], **caller)
    assignments_create_for_day(day=day or timezone.localdate(), source="test")
    return user, list(CallAssignment.objects.filter(caller=user.person).order_by("slot"))
