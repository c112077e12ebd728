"""The app's URLs plus `/bench/one-read/`: the ceiling of the load benchmark, a
page that loads the session, makes one indexed read and renders a small
template, through the same middleware as every page."""

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from outreach.urls import handler500  # noqa: F401 - the app's own error pages
from outreach.urls import urlpatterns as app_urlpatterns

TEMPLATE = engines["django"].from_string(
    "<!doctype html><html lang='hi'><head><meta charset='utf-8'><title>{{ name }}</title></head>"
    "<body><p>{{ name }}</p></body></html>"
)


def one_read(request: HttpRequest) -> HttpResponse:
    user_id = request.session.get("_auth_user_id")
    name = get_user_model().objects.filter(pk=user_id).values_list("username", flat=True).first()
    return HttpResponse(TEMPLATE.render({"name": name or "-"}, request))


urlpatterns = [path("bench/one-read/", one_read), *app_urlpatterns]
