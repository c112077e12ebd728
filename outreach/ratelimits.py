"""Rate limits on the ways in: password sign-in, sign-in links, password reset.

Failed passwords lock an account (django-axes, see settings); these limits count
requests from one address (django-ratelimit) so that no one address can try
many accounts or many links quickly. The limits are per minute and loose enough
for an office or a mobile carrier's shared address (README: "Rate limits").
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.decorators import ratelimit


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind NUM_PROXIES proxies of our own
    the address the nearest of them saw (clients can prepend anything to
    X-Forwarded-For, so the entries are read from the right)."""
    if settings.NUM_PROXIES:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= settings.NUM_PROXIES:
            return hops[-settings.NUM_PROXIES]
    return request.META.get("REMOTE_ADDR", "")


def _ip_key(group: str, request: HttpRequest) -> str:
    return client_ip(request)


def limited(rate_setting: str, *, method: str | list[str] = "POST") -> Callable:
    """Limit a view to the rate named by a setting, per client address."""
    return ratelimit(key=_ip_key, rate=lambda group, request: getattr(settings, rate_setting), method=method)


def too_many(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "registration/too_many.html", status=429)


def locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """django-axes' answer to a locked account: what happened and the ways still open."""
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
