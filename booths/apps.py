from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .models import User


class BoothsConfig(AppConfig):
    name = "booths"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from django.contrib.auth import user_logged_in
        from django.contrib.auth.models import update_last_login

        # A sign-in is not a change to the account: record last_login with an
        # UPDATE, so the account's history (django-simple-history) lists changes only.
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(_last_login_quietly, dispatch_uid="update_last_login_quietly")


def _last_login_quietly(sender: object, user: "User", **kwargs: Any) -> None:
    from django.utils import timezone

    user.last_login = timezone.now()
    type(user)._default_manager.filter(pk=user.pk).update(last_login=user.last_login)
