"""Sign-in with a mobile number (typed the way people type numbers) or a username,
and the password: one backend, so a wrong password costs one hash, not two."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest

from .models import User
from .phones import parse_indian_mobile


def login_key(username: object) -> str:
    """The one name of an account in a sign-in attempt: the mobile in E.164 when
    it is one (`98111 22233`, `+919811122233` and `09811122233` are one account,
    also for counting failed attempts), else the username as typed."""
    text = str(username or "").strip()
    try:
        return parse_indian_mobile(text).as_e164
    except ValidationError:
        return text


class MobileNumberBackend(ModelBackend):
    """Finds the account by its username, or by the mobile number of its person
    (or a username that is the number). Families share phones: when several
    accounts have the number, the password decides."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if not username or not password:
            return None
        number = login_key(username)
        condition = Q(username=username) | Q(username=number)
        if number.startswith("+"):
            condition |= Q(person__mobile=number)
        users = list(User.objects.filter(condition).order_by("pk"))
        if not users:
            User().set_password(password)  # as long as a wrong password: no hint that the number is unknown
        for user in users:
            if user.check_password(password) and self.user_can_authenticate(user):
                return user
        return None


def axes_username(request: HttpRequest, credentials: dict | None) -> str:
    """The account a sign-in attempt is counted against (django-axes)."""
    credentials = credentials or {}
    raw = credentials.get("username") or (request.POST.get("username") if request is not None else "")
    return login_key(raw)
