"""No message lost: a task lost with the broker, a crash before queueing, a
database error in the middle, a worker that dies while sending, an exception
nobody expected. Each ends sent, failed with its reason, or `unknown` for an
admin to check, never stuck and never sent twice on its own."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from campaigns.messaging import backends
from campaigns.messaging.backends import OutboxBackend, TransientSendError
from campaigns.messaging.services import message_deliver, messages_prepare, messages_recover
from campaigns.models import Message
from campaigns.tasks import deliver_message, recover_messages, send_morning_messages
from tests.campaigns.helpers import caller_with_calls

pytestmark = pytest.mark.django_db
MORNING = Message.Kind.MORNING_LIST
IST = datetime.timezone(datetime.timedelta(hours=5, minutes=30))
MORNING_AT = datetime.datetime(2026, 11, 30, 7, 0, tzinfo=IST)


def minutes(n: float) -> datetime.timedelta:
    return datetime.timedelta(minutes=n)


@pytest.fixture
def morning():
    """07:00 IST on a day with one caller's calls assigned; the clock moves only when told."""
    with time_machine.travel(MORNING_AT, tick=False) as clock:
        caller_with_calls()
        yield clock


class CountingOutbox(OutboxBackend):
    sent: list[int] = []

    def send(self, message: Message) -> str:
        CountingOutbox.sent.append(message.pk)
        return super().send(message)


@pytest.fixture
def counting(settings, monkeypatch):
    CountingOutbox.sent = []
    monkeypatch.setitem(backends.ALIASES, "counting", CountingOutbox)
    settings.MESSAGE_BACKEND = "counting"
    return CountingOutbox.sent


def test_the_recovery_job_is_in_the_beat_schedule_every_five_minutes():
    job = PeriodicTask.objects.get(task="campaigns.tasks.recover_messages")
    assert (job.crontab.minute, job.crontab.hour, str(job.crontab.timezone)) == ("*/5", "*", "Asia/Kolkata")
    assert job.enabled


def test_a_message_whose_task_was_lost_is_queued_again_and_delivered(morning, counting):
    (message,) = messages_prepare(kind=MORNING, day=timezone.localdate())  # saved; its task never ran
    morning.shift(minutes(settings.MESSAGE_REQUEUE_AFTER_MINUTES - 1))
    assert recover_messages.apply().get() == {"requeued": 0, "unknown": 0, "expired": 0}  # maybe only slow
    morning.shift(minutes(2))
    assert recover_messages.apply().get() == {"requeued": 1, "unknown": 0, "expired": 0}
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert counting == [message.pk]


def test_a_crash_between_saving_and_queueing_loses_nothing(morning, counting):
    with (
        mock.patch.object(deliver_message, "delay", side_effect=ConnectionError("broker gone")),
        pytest.raises(ConnectionError),
    ):
        send_morning_messages.apply(args=[str(timezone.localdate())]).get()
    (message,) = Message.objects.all()
    assert message.status == Message.Status.QUEUED
    morning.shift(minutes(settings.MESSAGE_REQUEUE_AFTER_MINUTES + 1))
    recover_messages.apply()
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert counting == [message.pk]


def test_a_retry_lost_with_the_broker_is_picked_up_after_it_was_due(morning, counting):
    (message,) = messages_prepare(kind=MORNING, day=timezone.localdate())
    with (
        mock.patch.object(CountingOutbox, "send", side_effect=TransientSendError("HTTP 503")),
        pytest.raises(TransientSendError),
    ):
        message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == Message.Status.RETRYING
    assert message.due_at == timezone.now() + minutes(1)  # the first backoff
    morning.shift(minutes(1 + settings.MESSAGE_REQUEUE_AFTER_MINUTES - 1))
    assert messages_recover().requeued == []  # the retry task may still be on its way
    morning.shift(minutes(2))
    recover_messages.apply()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Message.Status.SENT, 2)


def test_a_slow_task_and_a_requeued_one_send_once(morning, counting):
    (message,) = messages_prepare(kind=MORNING, day=timezone.localdate())
    morning.shift(minutes(settings.MESSAGE_REQUEUE_AFTER_MINUTES + 1))
    recover_messages.apply()
    deliver_message.apply(args=[message.pk])  # the original task, arriving late
    assert counting == [message.pk]


def test_a_database_error_before_the_send_is_retried_by_the_task(morning, counting, monkeypatch):
    (message,) = messages_prepare(kind=MORNING, day=timezone.localdate())
    real_filter = Message.objects.filter
    calls = {"n": 0}

    def flaky_filter(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_filter(*args, **kwargs)

    from outreach.celery import app

    monkeypatch.setitem(app.conf, "task_eager_propagates", False)
    with mock.patch.object(Message.objects, "filter", side_effect=flaky_filter):
        deliver_message.apply(args=[message.pk])
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert counting == [message.pk]


def test_a_database_error_after_the_send_leaves_it_unknown_never_sent_twice(morning, counting):
    (message,) = messages_prepare(kind=MORNING, day=timezone.localdate())
    with (
        mock.patch.object(Message, "save", side_effect=OperationalError("the database restarted")),
        pytest.raises(OperationalError),
    ):
        message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == Message.Status.SENDING  # sent, and the result could not be written
    morning.shift(minutes(settings.MESSAGE_REQUEUE_AFTER_MINUTES + 1))
    assert recover_messages.apply().get()["requeued"] == 0
    morning.shift(minutes(settings.MESSAGE_SENDING_TIMEOUT_MINUTES))
    assert recover_messages.apply().get()["unknown"] == 1
    message.refresh_from_db()
    assert message.status == Message.Status.UNKNOWN
    assert "may have accepted it" in message.error
    morning.shift(minutes(60))
    recover_messages.apply()
    assert counting == [message.pk]  # once: an unknown message is only sent again by a person


def test_a_worker_killed_while_sending_leaves_a_visible_unknown_that_an_admin_sends_again(
    morning, counting, admin_client
):
    (message,) = messages_prepare(kind=MORNING, day=timezone.localdate())
    Message.objects.filter(pk=message.pk).update(status=Message.Status.SENDING, claimed_at=timezone.now())
    morning.shift(minutes(settings.MESSAGE_SENDING_TIMEOUT_MINUTES + 1))
    recover_messages.apply()
    page = admin_client.get("/admin/campaigns/message/?status__exact=unknown")
    assert "Unknown: may have been sent" in page.content.decode()
    assert counting == []
    admin_client.post("/admin/campaigns/message/", {"action": "send_again", "_selected_action": [message.pk]})
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Message.Status.SENT, 1)
    assert counting == [message.pk]
    from django.contrib.admin.models import LogEntry

    assert LogEntry.objects.filter(object_id=str(message.pk), change_message="sent again").exists()


def test_send_again_leaves_sent_and_waiting_messages_alone(morning, counting, admin_client):
    (message,) = messages_prepare(kind=MORNING, day=timezone.localdate())
    message_deliver(message_id=message.pk)
    admin_client.post("/admin/campaigns/message/", {"action": "send_again", "_selected_action": [message.pk]})
    assert counting == [message.pk]


class ExplodingBackend:
    def send(self, message: Message) -> str:
        raise ValueError("unexpected gateway answer")


def test_an_unexpected_exception_fails_the_message_with_its_reason(morning, settings, monkeypatch):
    monkeypatch.setitem(backends.ALIASES, "exploding", ExplodingBackend)
    settings.MESSAGE_BACKEND = "exploding"
    (message,) = messages_prepare(kind=MORNING, day=timezone.localdate())
    assert deliver_message.apply(args=[message.pk]).get() == Message.Status.FAILED
    message.refresh_from_db()
    assert message.error == "ValueError: unexpected gateway answer"


def test_a_bad_number_format_fails_with_a_clear_reason(morning, settings):
    settings.MESSAGE_BACKEND = "sms"
    settings.SMS_GATEWAY = {**settings.SMS_GATEWAY, "url": "http://127.0.0.1:9/", "sender": "BSAMVD", "pe_id": "1",
                            "number_format": "+91"}  # fmt: skip
    (message,) = messages_prepare(kind=MORNING, day=timezone.localdate())
    Message.objects.filter(pk=message.pk).update(template_id="1107160000000000002")
    sent = message_deliver(message_id=message.pk)
    assert sent.status == Message.Status.FAILED
    assert "SMS_NUMBER_FORMAT must be one of 91, 10, e164, not '+91'" in sent.error


def test_the_retry_limit_is_one_setting(morning, settings, monkeypatch):
    from outreach.celery import app

    settings.MESSAGE_MAX_ATTEMPTS = 3
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)
    monkeypatch.setattr(OutboxBackend, "send", mock.Mock(side_effect=TransientSendError("HTTP 503")))
    (message,) = messages_prepare(kind=MORNING, day=timezone.localdate())
    deliver_message.apply(args=[message.pk])
    message.refresh_from_db()
    assert (message.status, message.attempts, message.error) == (Message.Status.FAILED, 3, "HTTP 503")


def test_a_message_left_waiting_when_its_day_is_over_fails_instead_of_sending_a_stale_link(morning, counting):
    (message,) = messages_prepare(kind=MORNING, day=timezone.localdate())
    morning.shift(datetime.timedelta(days=1))
    assert recover_messages.apply().get() == {"requeued": 0, "unknown": 0, "expired": 1}
    message.refresh_from_db()
    assert (message.status, message.error) == (Message.Status.FAILED, "not sent before its day was over")
    assert counting == []
