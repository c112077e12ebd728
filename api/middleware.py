"""ETags on the API's answers: a script polling its calls or the figures gets
304 Not Modified (no body) while nothing changed."""

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import parse_http_date_safe

API_PREFIX = "/api/v1/"


class ApiConditionalGetMiddleware(ConditionalGetMiddleware):
    """Django's conditional GET (an ETag from the body, If-None-Match → 304),
    for the API only (the pages carry a CSRF token and change every time), and
    for HEAD as for GET (Django's own skips HEAD: a script asking whether its
    list changed without downloading it got no ETag)."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if not request.path.startswith(API_PREFIX) or request.method not in ("GET", "HEAD"):
            return response
        if not isinstance(response, HttpResponse):
            return response  # streamed: no body to take an ETag from
        if self.needs_etag(response) and not response.has_header("ETag"):
            set_response_etag(response)
        etag = response.get("ETag")
        last_modified = (
            parse_http_date_safe(response["Last-Modified"]) if response.has_header("Last-Modified") else None
        )
        if etag or last_modified:
            return (
                get_conditional_response(request, etag=etag, last_modified=last_modified, response=response) or response
            )
        return response
