import sys

from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render, resolve_url
from django.template import loader
from django.utils.decorators import method_decorator
from django.views.i18n import set_language

from campaigns.access import home_for
from campaigns.forms import MobileLoginForm

from .ratelimits import limited
from .types import signed_in


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        destination = home_for(user=request.user, session=request.session)
        if destination != "home":
            return redirect(destination)
    return render(request, "home.html")


@method_decorator(limited("LOGIN_RATE_PER_IP"), name="dispatch")
class LoginView(auth_views.LoginView):
    """Sign-in with a mobile number; callers land on their calls, leaders on the dashboards."""

    authentication_form = MobileLoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        # After a sign-in, or for a user already signed in (redirect_authenticated_user).
        return resolve_url(home_for(user=signed_in(self.request), session=self.request.session))


@method_decorator(limited("PASSWORD_RESET_RATE_PER_IP"), name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Django's, limited: each request may send an email."""


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


def _unavailable_errors() -> tuple[type[BaseException], ...]:
    """Errors that mean a server we depend on is restarting or out of reach,
    not a bug: the database, Redis (cache, broker)."""
    from django.db import InterfaceError, OperationalError
    from kombu.exceptions import OperationalError as BrokerError
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    return (OperationalError, InterfaceError, BrokerError, RedisConnectionError, RedisTimeoutError)


def server_error(request: HttpRequest) -> HttpResponse:
    """The answer to an uncaught exception (handler500). When the database or
    Redis is restarting, a plain "try again" page (503, Retry-After), which a
    phone on a weak network can simply reload; otherwise Django's plain 500.
    Rendered without the request's context: nothing here may need a server."""
    error = sys.exc_info()[1]
    if isinstance(error, _unavailable_errors()):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "10"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
