"""Sign-in with a mobile number and password, typed the way people type numbers."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest

from .models import User
from .phones import parse_indian_mobile


class MobileNumberBackend(ModelBackend):
    """Finds the account by the mobile number of its person (or a username that
    is the number). Families share phones: when several accounts have the
    number, the password decides."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: object
    ) -> User | None:
        if not username or not password:
            return None
        try:
            number = parse_indian_mobile(username).as_e164
        except ValidationError:
            return None
        users = list(User.objects.filter(Q(username=number) | Q(person__mobile=number)).order_by("pk"))
        if not users:
            User().set_password(password)  # as long as a wrong password: no hint that the number is unknown
        for user in users:
            if user.check_password(password) and self.user_can_authenticate(user):
                return user
        return None
