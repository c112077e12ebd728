from django.contrib import admin
from django.http import HttpRequest

from campaigns.signin import SESSION_KEY


class AdminSite(admin.AdminSite):
    """The admin, closed to sessions opened by a caller's sign-in link: a link
    grants the caller's own pages only, whoever the caller is."""

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and not request.session.get(SESSION_KEY)
