"""The page where a user makes and revokes their own API tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from outreach.types import AuthedRequest

from .models import ApiToken
from .services import api_token_create, api_tokens_revoke

MAX_LIVE_TOKENS = 10


@login_required
def tokens(request: AuthedRequest) -> HttpResponse:
    """My tokens; a new one is shown once, on the page that made it."""
    key = ""
    live = ApiToken.objects.live().filter(user=request.user)
    if request.method == "POST":
        if live.count() >= MAX_LIVE_TOKENS:
            messages.error(request, _("You have %(count)s tokens already: revoke one you no longer use.")
                           % {"count": MAX_LIVE_TOKENS})  # fmt: skip
        else:
            _token, key = api_token_create(user=request.user, name=request.POST.get("name", "").strip())
    context = {"tokens": live, "key": key, "active": ""}
    response = render(request, "api/tokens.html", context)
    response["Cache-Control"] = "no-store"  # the key is on this page once
    return response


@login_required
@require_POST
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    if api_tokens_revoke(user=request.user, by=request.user, pk=pk):
        messages.success(request, _("Token revoked: scripts using it are refused from now on."))
    return redirect("api:tokens")
