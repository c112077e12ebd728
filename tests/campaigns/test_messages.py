"""Messages to callers: what they say, that each goes once, and the SMS and
WhatsApp gateways, tested against a real HTTP server on 127.0.0.1."""

import io
import json
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from campaigns.messaging.backends import ConsoleBackend, TransientSendError
from campaigns.messaging.services import message_deliver, messages_prepare
from campaigns.models import CallAssignment, Message
from campaigns.services import assignment_record_outcome, assignments_create_for_day
from campaigns.signin import signin_token
from campaigns.tasks import assign_calls, deliver_message, send_evening_reminders
from tests.campaigns.helpers import caller_with_calls
from tests.factories import DistrictFactory, make_booths, make_caller

pytestmark = pytest.mark.django_db
MORNING, REMINDER = Message.Kind.MORNING_LIST, Message.Kind.EVENING_REMINDER


def test_the_morning_run_sends_each_caller_their_list_with_a_sign_in_link():
    district = DistrictFactory()
    make_booths(district=district, count=8)
    users = [make_caller(districts=[district]) for _ in range(2)]
    assign_calls.apply()

    messages = Message.objects.filter(kind=MORNING)
    assert messages.count() == 2
    for user in users:
        message = messages.get(caller=user.person)
        assert (message.status, message.backend, message.to, message.language) == (
            "sent", "outbox", str(user.person.mobile), "hi"
        )  # fmt: skip
        assert message.text.startswith("बूथ संवाद ")
        for call in CallAssignment.objects.filter(caller=user.person):
            booth = call.post.booth
            assert call.president.name in message.text
            assert str(call.president.mobile)[3:] in message.text
            assert f"बूथ {booth.assembly_seat.number}/{booth.number}" in message.text
            assert f"मंडल {booth.mandal.name}" in message.text
        token = signin_token(user=user, day=timezone.localdate())
        assert message.text.endswith(f"http://testserver/s/{token}")


def test_running_again_sends_nothing_twice_but_a_new_call_gets_a_new_message():
    district = DistrictFactory()
    make_booths(district=district, count=8)
    first = make_caller(districts=[district])
    assign_calls.apply()
    assign_calls.apply()
    assert Message.objects.count() == 1

    late = make_caller(districts=[district])
    assign_calls.apply()
    assert list(Message.objects.order_by("pk").values_list("caller", flat=True)) == [first.person_id, late.person_id]


def test_a_caller_who_chose_english_gets_english():
    user, _calls = caller_with_calls()
    user.language = "en"
    user.save()
    (message,) = messages_prepare(kind=MORNING, day=timezone.localdate())
    assert message.text.startswith("Booth Samvad ")
    assert "please call these booth presidents today" in message.text


def test_one_call_uses_the_one_call_template():
    _user, _calls = caller_with_calls(booths=1)
    (message,) = messages_prepare(kind=MORNING, day=timezone.localdate())
    assert "आज इन बूथ अध्यक्ष को फ़ोन करें:" in message.text
    assert len(message.variables) == 6


def test_a_value_too_long_for_its_template_is_an_error_not_a_shortened_text():
    _user, calls = caller_with_calls()
    calls[0].president.name = "अत्यंत लम्बे नाम वाले माननीय श्री बूथ अध्यक्ष जी"
    calls[0].president.save()
    (message,) = messages_prepare(kind=MORNING, day=timezone.localdate())
    assert message.status == Message.Status.ERROR
    assert "a template variable holds at most 30" in message.error
    assert message.text == ""
    assert message_deliver(message_id=message.pk).status == Message.Status.ERROR  # never sent


def test_a_language_without_a_template_is_an_error(settings):
    settings.MESSAGE_TEMPLATES = {"morning_list": {"en": {}}}
    caller_with_calls()
    (message,) = messages_prepare(kind=MORNING, day=timezone.localdate())
    assert message.status == Message.Status.ERROR
    assert "no morning_list template is registered for language 'hi'" in message.error


def test_the_evening_reminder_goes_only_to_callers_with_calls_not_logged():
    district = DistrictFactory()
    make_booths(district=district, count=8)
    done, pending = make_caller(districts=[district]), make_caller(districts=[district])
    assignments_create_for_day(day=timezone.localdate(), source="test")
    for call in CallAssignment.objects.filter(caller=done.person):
        assignment_record_outcome(assignment=call, outcome="reached")
    assignment_record_outcome(assignment=CallAssignment.objects.filter(caller=pending.person).first(), outcome="busy")

    assert send_evening_reminders.apply().get() == 1
    (reminder,) = Message.objects.filter(kind=REMINDER)
    assert reminder.caller == pending.person
    assert reminder.text.startswith("बूथ संवाद: आज की 1 कॉल अभी दर्ज नहीं हुई हैं।")
    assert send_evening_reminders.apply().get() == 0


def test_the_evening_reminder_is_in_the_beat_schedule_at_six_ist():
    job = PeriodicTask.objects.select_related("crontab").get(task="campaigns.tasks.send_evening_reminders")
    assert (job.crontab.minute, job.crontab.hour, str(job.crontab.timezone)) == ("0", "18", "Asia/Kolkata")


def test_the_console_backend_prints_the_text():
    caller_with_calls()
    (message,) = messages_prepare(kind=MORNING, day=timezone.localdate())
    out = io.StringIO()
    ConsoleBackend(stream=out).send(message)
    assert message.text in out.getvalue()
    assert message.to in out.getvalue()


def test_a_message_is_never_delivered_twice():
    caller_with_calls()
    (message,) = messages_prepare(kind=MORNING, day=timezone.localdate())
    assert message_deliver(message_id=message.pk).status == Message.Status.SENT
    again = message_deliver(message_id=message.pk)
    assert (again.status, again.attempts) == (Message.Status.SENT, 1)


class Gateway:
    """A real HTTP server on 127.0.0.1 that answers with the statuses it is given."""

    def __init__(self, answers: list[tuple[int, dict] | str]) -> None:
        self.answers = list(answers)
        self.requests: list[dict] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                headers = {key.lower(): value for key, value in self.headers.items()}
                gateway.requests.append({"path": self.path, "headers": headers, "body": body})
                answer = gateway.answers.pop(0) if gateway.answers else (200, {"message_id": "ok"})
                if answer == "hang":
                    time.sleep(1.5)
                    answer = (200, {"message_id": "late"})
                if answer == "drop":  # took the request, closed the connection without a word
                    self.close_connection = True
                    return
                status, payload = (200, {"message_id": "cut"}) if answer == "cut" else answer
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                # "cut": the answer announced is longer than the one sent (IncompleteRead)
                self.send_header("Content-Length", str(len(data) + (50 if answer == "cut" else 0)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    @contextmanager
    def running(self):
        thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.server.shutdown()
            self.server.server_close()


@pytest.fixture
def sms(settings):
    def configure(gateway: Gateway, **overrides: object) -> None:
        settings.MESSAGE_BACKEND = "sms"
        settings.SMS_GATEWAY = {
            **settings.SMS_GATEWAY,
            "url": f"{gateway.url}/api/v1/send",
            "auth_header": "authkey",
            "auth_value": "secret-key",
            "sender": "BSAMVD",
            "pe_id": "1201159000000000001",
            "timeout": 1.0,
            **overrides,
        }
        templates = {
            "morning_list": {
                "hi": {n: {**variant, "dlt_template_id": f"110716000000000000{n}"} for n, variant in (
                    (1, _default("morning_list", "hi", 1)), (2, _default("morning_list", "hi", 2)))}
            }
        }  # fmt: skip
        settings.MESSAGE_TEMPLATES = templates

    return configure


def _default(kind: str, language: str, variant: int) -> dict:
    from campaigns.messaging.templates import default_templates

    return default_templates()[kind][language][variant]


def test_the_sms_gateway_gets_the_dlt_fields_and_the_exact_text(sms):
    with Gateway([(200, {"status": "success", "message_id": "SMS-123"})]).running() as gateway:
        sms(gateway)
        user, _calls = caller_with_calls()
        (message,) = messages_prepare(kind=MORNING, day=timezone.localdate())
        sent = message_deliver(message_id=message.pk)
    assert (sent.status, sent.provider_id, sent.attempts) == (Message.Status.SENT, "SMS-123", 1)
    (request,) = gateway.requests
    assert request["path"] == "/api/v1/send"
    assert request["headers"]["authkey"] == "secret-key"
    body = json.loads(request["body"])
    assert body == {
        "sender": "BSAMVD",
        "route": "dlt",
        "pe_id": "1201159000000000001",
        "template_id": "1107160000000000002",
        "to": str(user.person.mobile)[1:],
        "message": message.text,
        "unicode": "1",
    }


def test_the_sms_gateway_can_take_a_form_and_ten_digit_numbers(sms):
    with Gateway([(200, {"message_id": "x"})]).running() as gateway:
        sms(gateway, format="form", number_format="10")
        user, _calls = caller_with_calls()
        (message,) = messages_prepare(kind=MORNING, day=timezone.localdate())
        message_deliver(message_id=message.pk)
    body = parse_qs(gateway.requests[0]["body"])
    assert body["to"] == [str(user.person.mobile)[3:]]
    assert body["message"] == [message.text]


def test_a_refusal_from_the_gateway_fails_the_message_without_retrying(sms):
    with Gateway([(400, {"error": "template mismatch"})]).running() as gateway:
        sms(gateway)
        caller_with_calls()
        (message,) = messages_prepare(kind=MORNING, day=timezone.localdate())
        assert deliver_message.apply(args=[message.pk]).get() == Message.Status.FAILED
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert "HTTP 400" in message.error and "template mismatch" in message.error
    assert len(gateway.requests) == 1


def test_a_gateway_error_is_retried_until_it_goes_through(sms, monkeypatch):
    from outreach.celery import app

    monkeypatch.setitem(app.conf, "task_eager_propagates", False)
    with Gateway([(503, {"error": "busy"}), (500, {"error": "oops"}), (200, {"message_id": "third"})]).running() as g:
        sms(g)
        caller_with_calls()
        (message,) = messages_prepare(kind=MORNING, day=timezone.localdate())
        # Eager mode runs the retries at once (a worker waits 1, then 2 minutes).
        deliver_message.apply(args=[message.pk])
    message.refresh_from_db()
    assert (message.status, message.attempts, message.provider_id) == (Message.Status.SENT, 3, "third")
    assert len(g.requests) == 3


@pytest.mark.parametrize("answer", ["hang", "drop", "cut"])
def test_a_request_without_an_answer_is_unknown_and_never_sent_blindly_again(sms, answer):
    """The gateway took the request and no answer came back: it may have sent
    the SMS, so without an idempotency key the message waits for an admin."""
    with Gateway([answer]).running() as gateway:
        sms(gateway, timeout=0.3)
        caller_with_calls()
        (message,) = messages_prepare(kind=MORNING, day=timezone.localdate())
        assert deliver_message.apply(args=[message.pk]).get() == Message.Status.UNKNOWN
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Message.Status.UNKNOWN, 1)
    assert "may have accepted it" in message.error
    assert len(gateway.requests) == 1
    assert message_deliver(message_id=message.pk).status == Message.Status.UNKNOWN  # a stray task sends nothing
    assert len(gateway.requests) == 1


@pytest.mark.parametrize("where", ["header", "body"])
def test_with_an_idempotency_key_a_request_without_an_answer_is_retried_with_the_same_key(sms, monkeypatch, where):
    from outreach.celery import app

    monkeypatch.setitem(app.conf, "task_eager_propagates", False)
    with Gateway(["drop", "hang", (200, {"message_id": "third"})]).running() as gateway:
        if where == "header":
            sms(gateway, timeout=0.3, idempotency_header="X-Idempotency-Key")
        else:
            from django.conf import settings

            sms(gateway, timeout=0.3, body={**settings.SMS_GATEWAY["body"], "client_ref": "{key}"})
        caller_with_calls()
        (message,) = messages_prepare(kind=MORNING, day=timezone.localdate())
        deliver_message.apply(args=[message.pk])
    message.refresh_from_db()
    assert (message.status, message.attempts, message.provider_id) == (Message.Status.SENT, 3, "third")
    if where == "header":
        keys = {request["headers"]["x-idempotency-key"] for request in gateway.requests}
    else:
        keys = {json.loads(request["body"])["client_ref"] for request in gateway.requests}
    assert keys == {f"booth-samvad-message-{message.pk}"}


def test_an_unreachable_gateway_is_a_transient_error(sms):
    gateway = Gateway([])
    sms(gateway)  # never started: nothing listens on the port
    gateway.server.server_close()
    caller_with_calls()
    (message,) = messages_prepare(kind=MORNING, day=timezone.localdate())
    with pytest.raises(TransientSendError, match="cannot reach the gateway"):
        message_deliver(message_id=message.pk)


def test_without_a_dlt_template_id_nothing_is_sent(sms, settings):
    with Gateway([]).running() as gateway:
        sms(gateway)
        settings.MESSAGE_TEMPLATES = {}
        caller_with_calls()
        (message,) = messages_prepare(kind=MORNING, day=timezone.localdate())
        sent = message_deliver(message_id=message.pk)
    assert sent.status == Message.Status.FAILED
    assert "no DLT template id" in sent.error
    assert gateway.requests == []


def test_whatsapp_sends_the_approved_template_with_its_parameters(settings):
    with Gateway([(200, {"messages": [{"id": "wamid.ABC"}]})]).running() as gateway:
        settings.MESSAGE_BACKEND = "whatsapp"
        settings.WHATSAPP = {"url": f"{gateway.url}/v20.0", "phone_number_id": "1055", "token": "tok", "timeout": 1}
        user, _calls = caller_with_calls()
        (message,) = messages_prepare(kind=MORNING, day=timezone.localdate())
        sent = message_deliver(message_id=message.pk)
    assert (sent.status, sent.provider_id) == (Message.Status.SENT, "wamid.ABC")
    (request,) = gateway.requests
    assert request["path"] == "/v20.0/1055/messages"
    assert request["headers"]["authorization"] == "Bearer tok"
    body = json.loads(request["body"])
    assert body["to"] == str(user.person.mobile)[1:]
    assert body["template"]["name"] == "booth_samvad_morning_2"
    assert body["template"]["language"] == {"code": "hi"}
    assert [p["text"] for p in body["template"]["components"][0]["parameters"]] == message.variables


def test_whatsapp_rate_limit_is_retried_and_a_bad_request_is_not(settings):
    with Gateway([(429, {"error": "slow down"}), (400, {"error": "bad template"})]).running() as gateway:
        settings.MESSAGE_BACKEND = "whatsapp"
        settings.WHATSAPP = {"url": gateway.url, "phone_number_id": "1", "token": "t", "timeout": 1}
        caller_with_calls()
        (message,) = messages_prepare(kind=MORNING, day=timezone.localdate())
        with pytest.raises(TransientSendError):
            message_deliver(message_id=message.pk)
        assert message_deliver(message_id=message.pk).status == Message.Status.FAILED
    message.refresh_from_db()
    assert "bad template" in message.error


def test_missing_gateway_settings_fail_clearly(settings):
    settings.MESSAGE_BACKEND = "sms"
    caller_with_calls()
    (message,) = messages_prepare(kind=MORNING, day=timezone.localdate())
    sent = message_deliver(message_id=message.pk)
    assert sent.status == Message.Status.FAILED
    assert "SMS_GATEWAY has no url" in sent.error


def test_the_admin_lists_the_outbox_and_can_send_a_failed_message_again(admin_client, settings):
    caller_with_calls()
    (message,) = messages_prepare(kind=MORNING, day=timezone.localdate())
    Message.objects.filter(pk=message.pk).update(status=Message.Status.FAILED, error="HTTP 500")
    page = admin_client.get("/admin/campaigns/message/")
    assert page.status_code == 200 and "HTTP 500" in page.content.decode()
    admin_client.post("/admin/campaigns/message/", {"action": "send_again", "_selected_action": [message.pk]})
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
