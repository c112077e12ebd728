from django.http import HttpRequest


def caller(request: HttpRequest) -> dict[str, object]:
    """Whether the signed-in account belongs to a person (who may have calls and follow-ups)."""
    user = getattr(request, "user", None)
    return {"has_person": bool(user and user.is_authenticated and user.person_id)}
