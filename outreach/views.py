from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.i18n import set_language


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.user.person_id:
        return redirect("today")
    return render(request, "home.html")


def language_set(request: HttpRequest) -> HttpResponse:
    """Switch the page language, and remember it for the caller's messages too."""
    response = set_language(request)
    language = request.POST.get("language")
    user = request.user
    if request.method == "POST" and user.is_authenticated and language in ("hi", "en") and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and docker-compose: the app answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
