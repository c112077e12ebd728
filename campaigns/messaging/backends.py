"""Ways of sending a message, chosen with `MESSAGE_BACKEND` like Django's email backends.

A backend's `send(message)` returns the provider's message id, or raises
TransientSendError (not sent, worth retrying: the gateway unreachable, 5xx,
429), UncertainSendError (the request went out but no answer came back: the
gateway may have accepted it, so a retry could send it twice) or
PermanentSendError (the request itself is wrong: 4xx, missing configuration).
"""

import http.client
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Protocol, TextIO

from django.conf import settings
from django.utils.module_loading import import_string

from campaigns.models import Message


class SendError(Exception):
    pass


class TransientSendError(SendError):
    pass


class PermanentSendError(SendError):
    pass


class UncertainSendError(SendError):
    """The whole request was sent and no answer came back (a timeout, a dropped
    connection, a cut-off answer). `retry_safe` when the request carried an
    idempotency key the gateway honours: then sending again cannot send twice."""

    def __init__(self, message: str, *, retry_safe: bool = False) -> None:
        super().__init__(message)
        self.retry_safe = retry_safe


class Backend(Protocol):
    """What every backend does: send a message, return the gateway's id for it."""

    def send(self, message: Message) -> str: ...


class ConsoleBackend:
    """Prints messages: the default for a first run (`make run`)."""

    name = "console"

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def send(self, message: Message) -> str:
        stream = self.stream or sys.stdout
        stream.write(f"── message to {message.to} ({message.get_kind_display()}, {message.language}) ──\n")
        stream.write(message.text + "\n")
        stream.flush()
        return ""


class OutboxBackend:
    """Sends nothing: the message rows are the outbox, listed in the admin. The default in tests."""

    name = "outbox"

    def send(self, message: Message) -> str:
        return f"outbox-{message.pk}"


def _post(url: str, body: bytes, headers: dict[str, str], timeout: float, *, retry_safe: bool = False) -> dict | str:
    """POST and read the answer. urllib wraps what fails before the request is
    fully sent (no connection, DNS) in URLError: certainly not sent. What fails
    after (no answer in time, connection dropped, answer cut off) comes through
    as it is: the gateway may have accepted the message."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - configured URL
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            text = response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace")[:500]
        if exc.code == 429 or exc.code >= 500:
            raise TransientSendError(f"HTTP {exc.code}: {detail}") from exc
        raise PermanentSendError(f"HTTP {exc.code}: {detail}") from exc
    except urllib.error.URLError as exc:
        raise TransientSendError(f"cannot reach the gateway: {exc.reason}") from exc
    except TimeoutError as exc:
        raise UncertainSendError(f"no answer within {timeout} s", retry_safe=retry_safe) from exc
    except (OSError, http.client.HTTPException) as exc:
        raise UncertainSendError(
            f"the connection broke before the answer: {type(exc).__name__}: {exc}", retry_safe=retry_safe
        ) from exc
    try:
        return json.loads(text)
    except ValueError:
        return text


def _lookup(data: Any, path: str) -> object:
    for key in path.split(".") if path else []:
        if isinstance(data, dict):
            data = data.get(key)
        elif isinstance(data, list) and key.isdigit() and int(key) < len(data):
            data = data[int(key)]
        else:
            return None
    return data


class SmsHttpBackend:
    """An Indian bulk-SMS HTTP gateway under TRAI's DLT rules.

    `SMS_GATEWAY` gives the URL, the auth header, the sender header, the
    principal-entity id and the request body as a template: every string value
    may use {to}, {text}, {sender}, {pe_id} and {template_id}. `format` is
    "json" or "form"; `number_format` is "91" (919876543210), "10" (9876543210)
    or "e164" (+919876543210). `id_field` is where the response keeps the
    message id (dotted path), `success_field`/`success_value` what a success
    looks like when the gateway answers 200 for failures too.
    """

    name = "sms"
    NUMBER_FORMATS = ("91", "10", "e164")

    def __init__(self) -> None:
        self.config = settings.SMS_GATEWAY

    def send(self, message: Message) -> str:
        config = self.config
        for key in ("url", "sender", "pe_id"):
            if not config.get(key):
                raise PermanentSendError(f"SMS_GATEWAY has no {key}")
        if not message.template_id:
            raise PermanentSendError(f"no DLT template id is configured for {message.kind} in '{message.language}'")
        number_format = str(config.get("number_format", "91"))
        if number_format not in self.NUMBER_FORMATS:
            raise PermanentSendError(f"SMS_NUMBER_FORMAT must be one of 91, 10, e164, not '{number_format}'")
        number = {"91": message.to.lstrip("+"), "10": message.to[-10:], "e164": message.to}[number_format]
        fields = {
            "to": number,
            "text": message.text,
            "sender": config["sender"],
            "pe_id": config["pe_id"],
            "template_id": message.template_id,
            "key": message_key(message),
        }
        try:
            body = {
                key: value.format(**fields) if isinstance(value, str) else value
                for key, value in config["body"].items()
            }
        except (KeyError, IndexError, ValueError) as exc:
            raise PermanentSendError(f"SMS_GATEWAY_BODY has a placeholder it cannot fill: {exc}") from exc
        headers = {"Accept": "application/json"}
        if config.get("auth_value"):
            headers[config.get("auth_header") or "Authorization"] = config["auth_value"]
        # The gateway drops a repeated key: a header, or the key in a body field.
        idempotent = bool(config.get("idempotency_header")) or any(
            isinstance(value, str) and "{key}" in value for value in config["body"].values()
        )
        if config.get("idempotency_header"):
            headers[config["idempotency_header"]] = message_key(message)
        if config.get("format", "json") == "form":
            payload = urllib.parse.urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        else:
            payload = json.dumps(body, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json; charset=utf-8"
        answer = _post(config["url"], payload, headers, float(config.get("timeout", 10)), retry_safe=idempotent)
        if config.get("success_field"):
            value = _lookup(answer, config["success_field"])
            if str(value) != str(config.get("success_value", "success")):
                raise PermanentSendError(f"the gateway refused the message: {str(answer)[:500]}")
        return str(_lookup(answer, config.get("id_field", "")) or "")


class WhatsAppCloudBackend:
    """WhatsApp Business Cloud API: a pre-approved template with its parameters."""

    name = "whatsapp"

    def __init__(self) -> None:
        self.config = settings.WHATSAPP

    def send(self, message: Message) -> str:
        config = self.config
        for key in ("url", "phone_number_id", "token"):
            if not config.get(key):
                raise PermanentSendError(f"WHATSAPP has no {key}")
        if not message.template_id:
            raise PermanentSendError(f"no WhatsApp template is configured for {message.kind} in '{message.language}'")
        body = {
            "messaging_product": "whatsapp",
            "to": message.to.lstrip("+"),
            "type": "template",
            "template": {
                "name": message.template_id,
                "language": {"code": message.language},
                "components": [
                    {"type": "body", "parameters": [{"type": "text", "text": value} for value in message.variables]}
                ],
            },
        }
        url = f"{config['url'].rstrip('/')}/{config['phone_number_id']}/messages"
        headers = {"Authorization": f"Bearer {config['token']}", "Content-Type": "application/json"}
        answer = _post(url, json.dumps(body, ensure_ascii=False).encode(), headers, float(config.get("timeout", 10)))
        return str(_lookup(answer, "messages.0.id") or "")


def message_key(message: Message) -> str:
    """The same for every attempt at one message: an idempotency key for gateways
    that honour one (header `SMS_GATEWAY_IDEMPOTENCY_HEADER`, or `{key}` in the body)."""
    return f"booth-samvad-message-{message.pk}"


ALIASES = {
    "console": ConsoleBackend,
    "outbox": OutboxBackend,
    "sms": SmsHttpBackend,
    "whatsapp": WhatsAppCloudBackend,
}


def get_backend(name: str | None = None) -> Backend:
    name = name or settings.MESSAGE_BACKEND
    if not name:
        from outreach.startup import delivery_backends_check

        delivery_backends_check()  # says what to set
    backend_class = ALIASES.get(name) or import_string(name)
    return backend_class()
