"""ETags on the API's answers: a script polling its calls or the figures gets
304 Not Modified (no body) while nothing changed."""

from django.http import HttpRequest, HttpResponseBase
from django.middleware.http import ConditionalGetMiddleware

API_PREFIX = "/api/v1/"


class ApiConditionalGetMiddleware(ConditionalGetMiddleware):
    """Django's conditional GET (an ETag from the body, If-None-Match → 304),
    for the API only: the pages carry a CSRF token and change every time."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if not request.path.startswith(API_PREFIX):
            return response
        return super().process_response(request, response)
