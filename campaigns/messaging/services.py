"""Preparing and delivering messages to callers.

`messages_prepare` writes one `Message` row for each caller whose set of calls
has no message yet (so re-running sends nothing twice, and a caller given a new
call later in the day gets a new message); `message_deliver` claims a row and
sends it through the configured backend, recording what happened.
"""

import datetime
import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone, translation

from booths.models import Person
from campaigns.models import CallAssignment, Message
from campaigns.signin import signin_token

from .backends import PermanentSendError, TransientSendError, UncertainSendError, get_backend
from .templates import TemplateError, render

log = logging.getLogger(__name__)


def _digest(kind: str, assignment_ids: list[int]) -> str:
    return hashlib.sha256(f"{kind}:{','.join(map(str, sorted(assignment_ids)))}".encode()).hexdigest()


def _morning_variables(day: datetime.date, assignments: list[CallAssignment], token: str, language: str) -> list[str]:
    with translation.override(language):
        variables = [formats.date_format(day, "j F")]
    for assignment in assignments:
        booth = assignment.post.booth
        assert booth is not None  # a president's post
        variables += [
            assignment.president.name,
            str(assignment.president.mobile)[-10:],
            booth.label,
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
    created = []
    for caller_id, calls in by_caller.items():
        digest = _digest(kind, [a.pk for a in calls])
        if (caller_id, digest) in already:
            continue

        def variables(token: str, language: str, calls: list[CallAssignment] = calls) -> tuple[list[str], int | str]:
            if kind == Message.Kind.MORNING_LIST:
                return _morning_variables(day, calls, token, language), len(calls)
            return [str(len(calls)), token], "any"

        message = message_write(kind=kind, day=day, caller=calls[0].caller, digest=digest, variables=variables)
        if message is not None:
            created.append(message)
    return created


def message_write(
    *,
    kind: str,
    day: datetime.date,
    caller: Person,
    digest: str,
    variables: Callable[[str, str], tuple[list[str], int | str]],
) -> Message | None:
    """Write one message to a caller in their language, with their sign-in link
    for `day`: `variables(token, language)` gives the template's values and
    variant. A message that cannot be written within its template is recorded
    with status `error` and the reason. None when another worker wrote the same
    message (kind, caller, day, digest) a moment ago."""
    user = getattr(caller, "user", None)
    language = user.language if user else settings.LANGUAGE_CODE
    backend = settings.MESSAGE_BACKEND
    message = Message(kind=kind, day=day, caller=caller, user=user, calls_digest=digest, language=language,
                      backend=backend, to=str(caller.mobile or ""), due_at=timezone.now())  # fmt: skip
    try:
        if user is None:
            raise TemplateError("the caller has no account to sign in with")
        if not message.to:
            raise TemplateError("the caller has no mobile number")
        values, variant = variables(signin_token(user=user, day=day), language)
        rendered = render(kind=kind, language=language, variant=variant, variables=values)
    except TemplateError as exc:
        message.status, message.error = Message.Status.ERROR, str(exc)
    else:
        message.text, message.variables = rendered.text, rendered.variables
        message.template_id = rendered.whatsapp_template if backend == "whatsapp" else rendered.template_id
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        return None  # another worker wrote this message a moment ago
    return message


class RetryLater(TransientSendError):
    """Not sent this time; the next attempt is due in `seconds`."""

    def __init__(self, reason: str, *, seconds: int) -> None:
        super().__init__(reason)
        self.seconds = seconds


def retry_delay(attempts: int) -> int:
    """Seconds to wait after the given number of failed attempts: 1, 2, 4... minutes."""
    return 60 * 2 ** max(attempts - 1, 0)


def message_deliver(*, message_id: int) -> Message:
    """Send a queued message once, and record what happened, whatever happens.

    Raises RetryLater (a TransientSendError) when a retry may succeed: the message
    is then `retrying` with its next attempt due after `retry_delay`, or `failed` after
    MESSAGE_MAX_ATTEMPTS. A send whose result is unknown (no answer after the
    request went out) is retried only when the request carried an idempotency
    key; otherwise the message is `unknown`, for an admin to check and resend.
    Any other exception fails the message with its reason. A worker that dies
    mid-send leaves it `sending`; `messages_recover` turns that into `unknown`."""
    now = timezone.now()
    claimed = Message.objects.filter(pk=message_id, status__in=[Message.Status.QUEUED, Message.Status.RETRYING]).update(
        status=Message.Status.SENDING, claimed_at=now
    )
    message = Message.objects.get(pk=message_id)
    if not claimed:
        return message  # sent, failed, or being sent by another worker: never twice
    message.attempts += 1
    retry: UncertainSendError | TransientSendError | None = None
    try:
        message.provider_id = get_backend(message.backend).send(message)
    except PermanentSendError as exc:
        message.status, message.error = Message.Status.FAILED, str(exc)
    except UncertainSendError as exc:
        if exc.retry_safe:
            retry = exc
        else:
            message.status = Message.Status.UNKNOWN
            message.error = f"{exc}. The gateway may have accepted it: check its log before sending again."
    except TransientSendError as exc:
        retry = exc
    except Exception as exc:  # a bug or a bad setting: recorded, never a message stuck "sending"
        log.exception("message %s could not be sent", message_id)
        message.status, message.error = Message.Status.FAILED, f"{type(exc).__name__}: {exc}"
    else:
        message.status, message.error, message.sent_at = Message.Status.SENT, "", timezone.now()
    if retry is not None:
        message.error = str(retry)
        if message.attempts >= settings.MESSAGE_MAX_ATTEMPTS:
            message.status = Message.Status.FAILED
        else:
            message.status = Message.Status.RETRYING
            message.due_at = timezone.now() + datetime.timedelta(seconds=retry_delay(message.attempts))
    message.save(update_fields=["status", "error", "attempts", "provider_id", "sent_at", "due_at"])
    if message.status == Message.Status.RETRYING:
        raise RetryLater(message.error, seconds=retry_delay(message.attempts)) from retry
    return message


@dataclass
class Recovered:
    requeued: list[int] = field(default_factory=list)
    unknown: int = 0
    expired: int = 0


def messages_recover(*, now: datetime.datetime | None = None) -> Recovered:
    """Find the messages that lost their way, for the periodic job to deliver.

    - queued or waiting to retry, still there MESSAGE_REQUEUE_AFTER_MINUTES after
      they were due (the task was lost with a broker, or never queued): returned
      to be queued again (their attempt is claimed atomically, so a task that was
      merely slow cannot send them twice);
    - taken for sending MESSAGE_SENDING_TIMEOUT_MINUTES ago without a result
      (the worker died, or lost the database after sending): `unknown`, which an
      admin may send again after checking the gateway;
    - queued or retrying for a day already over: `failed` (the links were for
      that day)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    waiting = [Message.Status.QUEUED, Message.Status.RETRYING]
    result = Recovered()
    result.expired = Message.objects.filter(status__in=waiting, day__lt=today).update(
        status=Message.Status.FAILED, error="not sent before its day was over"
    )
    timeout = now - datetime.timedelta(minutes=settings.MESSAGE_SENDING_TIMEOUT_MINUTES)
    result.unknown = Message.objects.filter(status=Message.Status.SENDING, claimed_at__lt=timeout).update(
        status=Message.Status.UNKNOWN,
        error=f"taken for sending at least {settings.MESSAGE_SENDING_TIMEOUT_MINUTES} minutes ago with no result "
        "recorded (the worker stopped or lost the database): the gateway may have accepted it; check its log "
        "before sending again",
    )
    late = now - datetime.timedelta(minutes=settings.MESSAGE_REQUEUE_AFTER_MINUTES)
    stalled = Message.objects.filter(status__in=waiting, day__gte=today).filter(
        Q(due_at__lt=late) | Q(due_at__isnull=True, created_at__lt=late)
    )
    with transaction.atomic():
        result.requeued = list(stalled.select_for_update(skip_locked=True).values_list("pk", flat=True))
        # Due now: queued again, it is not picked up again before another few minutes.
        Message.objects.filter(pk__in=result.requeued).update(due_at=now)
    if result.requeued or result.unknown or result.expired:
        log.warning(
            "messages recovered: %s queued again, %s unknown, %s expired",
            len(result.requeued), result.unknown, result.expired,
        )  # fmt: skip
    return result


def messages_send_again(*, message_ids: Iterable[int]) -> list[int]:
    """An admin's decision: failed or unknown messages queued as new (attempts
    from zero). Returns the ids queued; the caller delivers them."""
    resendable = [Message.Status.FAILED, Message.Status.UNKNOWN]
    with transaction.atomic():
        ids = list(
            Message.objects.select_for_update()
            .filter(pk__in=list(message_ids), status__in=resendable)
            .values_list("pk", flat=True)
        )
        Message.objects.filter(pk__in=ids).update(
            status=Message.Status.QUEUED, attempts=0, due_at=timezone.now(), claimed_at=None
        )
    return ids


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
