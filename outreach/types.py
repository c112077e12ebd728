"""Types shared by the apps' annotations, for mypy: nothing here changes what runs."""

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils.functional import Promise
from rest_framework.request import Request

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

    from booths.models import User

    # Text a reader sees: a plain string or a lazy translation (gettext_lazy), rendered when shown.
    Text = str | StrPromise
else:
    Text = str | Promise


class AuthedRequest(HttpRequest):
    """A request to a view only signed-in users reach (login_required, the admin's own views)."""

    user: "User"


class AuthedApiRequest(Request):
    """An API request past IsAuthenticated (every API view's permission)."""

    user: "User"


def signed_in(request: HttpRequest) -> "User":
    """The user of a request that only signed-in users reach: the admin's pages and
    actions (it lets no one else in), views behind login_required."""
    user = request.user
    assert user.is_authenticated, "only signed-in users reach this"
    return user
