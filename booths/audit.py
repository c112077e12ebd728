"""The audit trail of actions that are not edits of a record: exports, confirmed
imports, revoked sign-in links, sign-in links shown. Kept as the admin's own log
entries (visible in the admin under *Audit log*, beside each record's history
from django-simple-history) and written to the `booths.audit` logger."""

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

if TYPE_CHECKING:
    from .models import User

logger = logging.getLogger("booths.audit")


def audit_record(*, user: "User", message: str, obj: Model | None = None, flag: int = CHANGE) -> None:
    audit_records(user=user, message=message, objects=[obj] if obj is not None else [None], flag=flag)


def audit_records(*, user: "User", message: str, objects: Iterable[Model | None], flag: int = CHANGE) -> None:
    """One entry an object (or one for none), written together."""
    entries = [
        LogEntry(
            user_id=user.pk,
            content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
            object_id=str(obj.pk) if obj is not None else None,
            object_repr=str(obj)[:200] if obj is not None else "",
            action_flag=flag,
            change_message=message,
        )
        for obj in objects
    ]
    LogEntry.objects.bulk_create(entries)
    for entry in entries:
        logger.warning("%s: %s%s", user.get_username(), message, f" ({entry.object_repr})" if entry.object_id else "")
