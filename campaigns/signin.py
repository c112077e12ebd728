"""Personal sign-in links: a caller taps the link in their message and is in.

A link is `SITE_URL/s/<token>`: the token names the account, the day and the
account's link version, and carries an HMAC of the three. It is short (at most
30 characters: a DLT template variable), works only on its day (IST), and every
link of an account stops working when an admin raises its version (revokes).
A session opened by a link reaches the caller's own pages, never the admin.
"""

import base64
import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

if TYPE_CHECKING:
    from booths.models import User

SESSION_KEY = "signed_in_by_link"
_SALT = "campaigns.signin.link"
_MAC_BYTES = 9  # 72 bits: a day's life, and the token stays within 30 characters


class LinkError(Exception):
    """The link cannot sign anyone in; `reason` says why (expired, revoked, invalid)."""

    def __init__(self, reason: str, day: datetime.date | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.day = day


@dataclass(frozen=True)
class LinkCheck:
    user: "User"
    day: datetime.date


def _mac(payload: str) -> str:
    digest = salted_hmac(_SALT, payload, algorithm="sha256").digest()[:_MAC_BYTES]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def signin_token(*, user: "User", day: datetime.date) -> str:
    payload = f"{user.pk:x}.{day.toordinal():x}.{user.signin_link_version:x}"
    return f"{payload}.{_mac(payload)}"


def signin_url(*, user: "User", day: datetime.date) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/s/{signin_token(user=user, day=day)}"


def signin_token_check(token: str, *, today: datetime.date | None = None) -> LinkCheck:
    """The account and day of a valid token for today, or LinkError."""
    parts = token.split(".")
    if len(parts) != 4:
        raise LinkError("invalid")
    user_hex, day_hex, version_hex, mac = parts
    if not constant_time_compare(mac, _mac(f"{user_hex}.{day_hex}.{version_hex}")):
        raise LinkError("invalid")
    try:
        user_id, day, version = int(user_hex, 16), datetime.date.fromordinal(int(day_hex, 16)), int(version_hex, 16)
    except ValueError:
        raise LinkError("invalid") from None
    if day != (today or timezone.localdate()):
        raise LinkError("expired", day=day)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).select_related("person").first()
    if user is None or user.signin_link_version != version:
        raise LinkError("revoked", day=day)
    return LinkCheck(user=user, day=day)


def end_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight after `day`, India time: when a link and its session stop working."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time()))
