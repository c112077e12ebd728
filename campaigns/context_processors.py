from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .access import user_menu


def caller(request: HttpRequest) -> dict[str, object]:
    """Whether the signed-in account belongs to a person, and which tabs it gets
    (its calls, the dashboards), read only when a page shows the tabs."""
    user: Any = getattr(request, "user", None)  # none on pages that fail before the middleware
    signed_in = bool(user and user.is_authenticated)
    return {
        "has_person": bool(signed_in and user.person_id),
        "menu": SimpleLazyObject(lambda: user_menu(user=user, session=getattr(request, "session", None)))
        if signed_in
        else {},
    }
