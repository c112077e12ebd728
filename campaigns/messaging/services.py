"""Preparing and delivering messages to callers.

`messages_prepare` writes one `Message` row for each caller whose set of calls
has no message yet (so re-running sends nothing twice, and a caller given a new
call later in the day gets a new message); `message_deliver` claims a row and
sends it through the configured backend, recording what happened.
"""

import datetime
import hashlib
from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation

from campaigns.models import CallAssignment, Message
from campaigns.signin import signin_token

from .backends import PermanentSendError, TransientSendError, get_backend
from .templates import TemplateError, render

MAX_ATTEMPTS = 5


def _digest(kind: str, assignment_ids: list[int]) -> str:
    return hashlib.sha256(f"{kind}:{','.join(map(str, sorted(assignment_ids)))}".encode()).hexdigest()


def _morning_variables(day: datetime.date, assignments: list[CallAssignment], token: str, language: str) -> list[str]:
    with translation.override(language):
        variables = [formats.date_format(day, "j F")]
    for assignment in assignments:
        booth = assignment.post.booth
        variables += [
            assignment.president.name,
            str(assignment.president.mobile)[-10:],
            f"{booth.assembly_seat.number}/{booth.number}",
            booth.mandal.name,
        ]
    return [*variables, token]


def messages_prepare(*, kind: str, day: datetime.date) -> list[Message]:
    """Write the messages due for `day` (morning list: every caller with calls;
    evening reminder: every caller with calls not yet logged). Returns the new
    rows; those that cannot be written within their template are recorded with
    status `error` and the reason."""
    assignments = CallAssignment.objects.filter(day=day).select_related(
        "caller__user", "president", "post__booth__assembly_seat", "post__booth__mandal"
    )
    if kind == Message.Kind.EVENING_REMINDER:
        assignments = assignments.filter(status=CallAssignment.Status.ASSIGNED)
    by_caller: dict[int, list[CallAssignment]] = defaultdict(list)
    for assignment in assignments.order_by("caller_id", "slot"):
        by_caller[assignment.caller_id].append(assignment)
    if not by_caller:
        return []
    already = set(Message.objects.filter(kind=kind, day=day).values_list("caller_id", "calls_digest"))
    backend = settings.MESSAGE_BACKEND
    created = []
    for caller_id, calls in by_caller.items():
        digest = _digest(kind, [a.pk for a in calls])
        if (caller_id, digest) in already:
            continue
        caller = calls[0].caller
        user = getattr(caller, "user", None)
        language = user.language if user else settings.LANGUAGE_CODE
        message = Message(kind=kind, day=day, caller=caller, user=user, calls_digest=digest, language=language,
                          backend=backend, to=str(caller.mobile or ""))  # fmt: skip
        try:
            if user is None:
                raise TemplateError("the caller has no account to sign in with")
            if not message.to:
                raise TemplateError("the caller has no mobile number")
            token = signin_token(user=user, day=day)
            if kind == Message.Kind.MORNING_LIST:
                variables, variant = _morning_variables(day, calls, token, language), len(calls)
            else:
                variables, variant = [str(len(calls)), token], "any"
            rendered = render(kind=kind, language=language, variant=variant, variables=variables)
        except TemplateError as exc:
            message.status, message.error = Message.Status.ERROR, str(exc)
        else:
            message.text, message.variables = rendered.text, rendered.variables
            message.template_id = rendered.whatsapp_template if backend == "whatsapp" else rendered.template_id
        try:
            with transaction.atomic():
                message.save()
        except IntegrityError:
            continue  # another worker wrote this message a moment ago
        created.append(message)
    return created


def message_deliver(*, message_id: int) -> Message:
    """Send a queued message once. Raises TransientSendError when a retry may
    succeed (the message is then `retrying`, or `failed` after MAX_ATTEMPTS)."""
    claimed = Message.objects.filter(pk=message_id, status__in=[Message.Status.QUEUED, Message.Status.RETRYING]).update(
        status=Message.Status.SENDING
    )
    message = Message.objects.get(pk=message_id)
    if not claimed:
        return message  # sent, failed, or being sent by another worker: never twice
    message.attempts += 1
    try:
        message.provider_id = get_backend(message.backend).send(message)
    except PermanentSendError as exc:
        message.status, message.error = Message.Status.FAILED, str(exc)
    except TransientSendError as exc:
        message.error = str(exc)
        message.status = Message.Status.FAILED if message.attempts >= MAX_ATTEMPTS else Message.Status.RETRYING
        message.save(update_fields=["status", "error", "attempts"])
        if message.status == Message.Status.RETRYING:
            raise
        return message
    else:
        message.status, message.error, message.sent_at = Message.Status.SENT, "", timezone.now()
    message.save(update_fields=["status", "error", "attempts", "provider_id", "sent_at"])
    return message


def messages_send_now(*, kind: str, day: datetime.date) -> list[Message]:
    """Prepare and deliver in this process (the management command and `make run`)."""
    sent = []
    for message in messages_prepare(kind=kind, day=day):
        if message.status == Message.Status.QUEUED:
            try:
                message = message_deliver(message_id=message.pk)
            except TransientSendError:
                message.refresh_from_db()
        sent.append(message)
    return sent
