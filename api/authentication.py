"""`Authorization: Token <key>`, DRF's convention, against hashed keys."""

from django.utils.translation import gettext as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from .services import api_token_check


class HashedTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request: Request) -> tuple | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Write the header as: Authorization: Token <key>."))
        token = api_token_check(parts[1].decode("ascii", errors="replace"))
        if token is None or not token.user.is_active:
            raise AuthenticationFailed(_("This token is not valid: it was revoked, or mistyped."))
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword
