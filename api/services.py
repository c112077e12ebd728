"""Creating, checking and revoking API tokens."""

import hashlib
import hmac
import secrets

from django.db.models import QuerySet
from django.utils import timezone

from booths.audit import audit_record
from booths.models import User

from .models import ApiToken

LAST_USED_EVERY = 60  # seconds: a token's last use is written at most this often


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, user: User, name: str = "", by: User | None = None) -> tuple[ApiToken, str]:
    """A new token and its key; the key is not stored and cannot be shown again."""
    prefix = secrets.token_hex(4)
    key = f"{prefix}.{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(user=user, name=name[:100], prefix=prefix, digest=_digest(key))
    audit_record(user=by or user, message=f"API token {prefix}… created for {user.get_username()}", obj=token)
    return token, key


def api_token_check(key: str) -> ApiToken | None:
    """The live token this key is, or None."""
    prefix, dot, _secret = key.partition(".")
    if not dot or not prefix:
        return None
    token = ApiToken.objects.live().select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(key)):
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_tokens_revoke(
    *, by: User, user: User | None = None, pk: int | None = None, tokens: QuerySet[ApiToken] | None = None
) -> int:
    """Revoke tokens: one of a user's (`pk`), all of a user's, or those chosen in
    the admin (`tokens`); how many were live. Recorded in the audit trail."""
    live = ApiToken.objects.live() if tokens is None else tokens.filter(revoked_at__isnull=True)
    if user is not None:
        live = live.filter(user=user)
    if pk is not None:
        live = live.filter(pk=pk)
    revoked = [f"{username}: {prefix}" for username, prefix in live.values_list("user__username", "prefix")]
    count = live.update(revoked_at=timezone.now())
    if count:
        audit_record(user=by, message=f"API tokens revoked: {', '.join(revoked)}")
    return count
