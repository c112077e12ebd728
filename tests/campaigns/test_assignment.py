"""The daily assignment through its entry points: the command, the service the
command and the Celery task share, and the admin that shows its runs."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import override_settings
from django_celery_beat.models import PeriodicTask

from booths.models import Booth, Post
from campaigns import assignment as assignment_module
from campaigns.models import AssignmentRun, CallAssignment, CallDay, Message, PresidentRotation, RotationSync
from campaigns.services import (
    AssignmentError,
    assignment_record_outcome,
    assignments_create_for_day,
    assignments_mark_missed,
    rotation_sync,
)
from campaigns.tasks import assign_calls as assign_calls_task
from campaigns.tasks import mark_missed_calls as mark_missed_task
from campaigns.tasks import sync_rotation as sync_rotation_task
from tests.factories import (
    BoothPresidentFactory,
    DistrictFactory,
    MandalFactory,
    PersonFactory,
    RegionFactory,
    make_booths,
    make_caller,
)

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 28)
IST = datetime.timezone(datetime.timedelta(hours=5, minutes=30))


def assign(day: datetime.date = DAY) -> AssignmentRun:
    return assignments_create_for_day(day=day, source="test")


def picks(user, day: datetime.date = DAY) -> list[CallAssignment]:
    return list(CallAssignment.objects.filter(caller=user.person, day=day).select_related("post__booth__mandal"))


def districts_of(assignments: list[CallAssignment]) -> set[int]:
    return {a.post.booth.mandal.district_id for a in assignments}


def test_each_caller_gets_two_presidents_from_their_own_scope():
    region = RegionFactory()
    other_region = RegionFactory(state=region.state)
    d1, d2 = DistrictFactory(region=region), DistrictFactory(region=region)
    d3 = DistrictFactory(region=other_region)
    for district in (d1, d2, d3):
        make_booths(district=district, count=6)
    incharge = make_caller(districts=[d1])
    two_districts = make_caller(districts=[d2, d3])
    regional = make_caller(state=region.state, regions=[other_region])
    statewide = make_caller(state=region.state)

    run = assign()

    assert run.status == AssignmentRun.Status.COMPLETED
    assert (run.callers, run.callers_filled, run.assignments_created) == (4, 4, 8)
    assert districts_of(picks(incharge)) == {d1.pk}
    assert districts_of(picks(two_districts)) <= {d2.pk, d3.pk}
    assert districts_of(picks(regional)) == {d3.pk}
    assert districts_of(picks(statewide)) <= {d1.pk, d2.pk, d3.pk}
    for user in (incharge, two_districts, regional, statewide):
        assignments = picks(user)
        assert [a.slot for a in assignments] == [1, 2]
        assert all(a.president_id == a.post.person_id for a in assignments)
        assert {a.reason for a in assignments} == {CallAssignment.Reason.NEVER_CONTACTED}
        assert {a.caller_role for a in assignments} == {
            Post.Role.STATE_OFFICE_BEARER if user in (regional, statewide) else Post.Role.DISTRICT_INCHARGE
        }


def test_running_again_adds_nothing_and_says_so():
    district = DistrictFactory()
    make_booths(district=district, count=10)
    make_caller(districts=[district])
    assign()
    before = list(CallAssignment.objects.values_list("pk", "post_id"))

    out = StringIO()
    call_command("assign_calls", "--date", str(DAY), stdout=out)

    assert list(CallAssignment.objects.values_list("pk", "post_id")) == before
    assert "0 calls assigned" in out.getvalue()
    assert "Nothing was missing" in out.getvalue()
    assert AssignmentRun.objects.count() == 2


def test_a_later_run_fills_only_what_is_missing():
    district = DistrictFactory()
    make_booths(district=district, count=10)
    first = make_caller(districts=[district])
    assign()
    first_picks = {a.pk for a in picks(first)}
    late = make_caller(districts=[district])  # appointed during the day

    run = assign()

    assert run.assignments_created == 2
    assert {a.pk for a in picks(first)} == first_picks
    assert len(picks(late)) == 2
    assert not {a.post_id for a in picks(first)} & {a.post_id for a in picks(late)}


def test_no_president_goes_to_two_callers_on_one_day():
    region = RegionFactory()
    district = DistrictFactory(region=region)
    make_booths(district=district, count=7)
    callers = [make_caller(districts=[district]) for _ in range(2)] + [make_caller(state=region.state)]

    run = assign()

    presidents = list(CallAssignment.objects.filter(day=DAY).values_list("president_id", flat=True))
    assert len(presidents) == len(set(presidents)) == 6
    assert run.shortfall_calls == 0
    assert all(len(picks(user)) == 2 for user in callers)


def test_ineligible_presidents_are_skipped_and_the_shortfall_explained():
    district = DistrictFactory()
    booths = make_booths(district=district, count=8, vacant=2)  # 6 presidents
    presidents = [booth.posts.get().person for booth in booths[:6]]
    presidents[0].do_not_call, presidents[0].do_not_call_reason = True, "अस्पताल में भर्ती"
    presidents[0].save()
    presidents[1].mobile = ""
    presidents[1].save()
    Booth.objects.filter(pk=booths[2].pk).update(is_active=False)
    elsewhere = make_caller(districts=[DistrictFactory()])
    assign(DAY - datetime.timedelta(days=1))  # builds the queues of every district
    elsewhere.is_active = False
    elsewhere.save()
    PresidentRotation.objects.filter(post__person=presidents[3]).update(unreachable_mobile=str(presidents[3].mobile))
    caller = make_caller(districts=[district])
    other = make_caller(districts=[district])

    run = assign()

    given = {a.president_id for a in CallAssignment.objects.filter(day=DAY)}
    assert given == {presidents[4].pk, presidents[5].pk}
    assert run.shortfall_calls == 2
    assert run.shortfall_reasons == {
        "booths": 8,
        "vacant": 2,
        "inactive_booths": 1,
        "no_mobile": 1,
        "do_not_call": 1,
        "unreachable": 1,
        "assigned_today": 2,
    }
    shortfall = run.shortfalls.get()
    assert shortfall.caller_id in (caller.person_id, other.person_id)
    assert shortfall.missing == 2
    assert shortfall.reasons["assigned_to_others"] == 2


def test_a_caller_with_an_empty_scope_is_reported_short():
    district = DistrictFactory()
    make_booths(district=district, count=3, vacant=3)
    make_caller(districts=[district])
    out = StringIO()
    call_command("assign_calls", "--date", str(DAY), stdout=out)
    assert "2 calls short" in out.getvalue()
    assert "vacant: 3" in out.getvalue()


def test_two_picks_come_from_different_mandals():
    district = DistrictFactory()
    make_booths(district=district, count=12, mandals=2)
    callers = [make_caller(districts=[district]) for _ in range(3)]
    assign()
    for user in callers:
        assert len({a.post.booth.mandal_id for a in picks(user)}) == 2


def test_nobody_is_called_twice_before_everyone_in_scope_once():
    district = DistrictFactory()
    booths = make_booths(district=district, count=9, mandals=3)
    make_caller(districts=[district])
    seen: list[int] = []
    for offset in range(5):
        day = DAY + datetime.timedelta(days=offset - 4)  # days up to tomorrow only
        assign(day)
        for a in CallAssignment.objects.filter(day=day):
            assignment_record_outcome(assignment=a, outcome="reached")
        seen += list(CallAssignment.objects.filter(day=day).values_list("post_id", flat=True))
    first_round = seen[: len(booths)]
    assert len(set(first_round)) == len(booths) == 9
    assert set(seen[9:]) <= set(first_round)
    reasons = list(CallAssignment.objects.order_by("day", "slot").values_list("reason", flat=True))
    assert reasons[:9] == ["never_contacted"] * 9
    assert reasons[9] == "least_recently_reached"


def test_not_reached_comes_back_ahead_of_the_reached_but_to_another_caller():
    district = DistrictFactory()
    make_booths(district=district, count=4, mandals=1)
    first, second = make_caller(districts=[district]), make_caller(districts=[district])
    assign()
    for a in CallAssignment.objects.filter(day=DAY):
        assignment_record_outcome(assignment=a, outcome="reached")
    next_day = DAY + datetime.timedelta(days=1)
    assign(next_day)  # the other two presidents, never contacted
    missed_by_first = picks(first, next_day)[0]
    assignment_record_outcome(assignment=missed_by_first, outcome="no_answer")
    for a in CallAssignment.objects.filter(day=next_day).exclude(pk=missed_by_first.pk):
        assignment_record_outcome(assignment=a, outcome="reached")

    third_day = next_day + datetime.timedelta(days=1)
    assign(third_day)

    retried = CallAssignment.objects.get(day=third_day, post=missed_by_first.post)
    assert retried.caller_id == second.person_id
    assert retried.reason == CallAssignment.Reason.RETRY_NOT_REACHED


def test_three_failed_attempts_set_the_number_aside_until_it_changes():
    district = DistrictFactory()
    make_booths(district=district, count=1, mandals=1)
    make_caller(districts=[district])
    make_caller(districts=[district])  # a retry goes to the other caller the next day
    for offset in range(3):
        day = DAY + datetime.timedelta(days=offset - 3)
        assign(day)
        assignment_record_outcome(assignment=CallAssignment.objects.get(day=day), outcome="wrong_number")
    fourth = DAY
    run = assign(fourth)
    assert run.assignments_created == 0
    assert run.shortfall_reasons["unreachable"] == 1

    person = Post.objects.get(role=Post.Role.BOOTH_PRESIDENT).person
    person.mobile = "+919000000123"  # the district office found the right number
    person.save()
    assert assign(fourth).assignments_created == 1


def test_each_assignment_says_why_it_was_picked():
    district = DistrictFactory()
    make_booths(district=district, count=3, mandals=1)
    user, other = make_caller(districts=[district]), make_caller(districts=[district])
    assign()
    if len(picks(user)) == 1:
        user, other = other, user
    first, second = picks(user)
    (third,) = picks(other)
    assignment_record_outcome(assignment=first, outcome="reached")
    assignment_record_outcome(assignment=second, outcome="busy")
    assignment_record_outcome(assignment=third, outcome="reached")
    assign(DAY + datetime.timedelta(days=1))
    reasons = dict(CallAssignment.objects.filter(day=DAY + datetime.timedelta(days=1)).values_list("post_id", "reason"))
    assert reasons == {
        first.post_id: CallAssignment.Reason.LEAST_RECENTLY_REACHED,
        second.post_id: CallAssignment.Reason.RETRY_NOT_REACHED,
        third.post_id: CallAssignment.Reason.LEAST_RECENTLY_REACHED,
    }


@override_settings(MISSED_GRACE_HOURS=2)
def test_unlogged_assignments_are_marked_missed_after_the_day_and_grace():
    district = DistrictFactory()
    make_booths(district=district, count=4)
    make_caller(districts=[district])
    assign()
    logged = CallAssignment.objects.first()
    assignment_record_outcome(assignment=logged, outcome="reached")

    # 01:30 IST the next day: within the grace period, nothing is missed yet.
    with time_machine.travel(datetime.datetime(2026, 11, 28, 20, 0, tzinfo=datetime.UTC), tick=False):
        assert assignments_mark_missed() == 0
    # 02:30 IST: the other one is missed, once.
    with time_machine.travel(datetime.datetime(2026, 11, 28, 21, 0, tzinfo=datetime.UTC), tick=False):
        assert assignments_mark_missed() == 1
        assert assignments_mark_missed() == 0
    statuses = dict(CallAssignment.objects.values_list("pk", "status"))
    assert sorted(statuses.values()) == ["logged", "missed"]
    missed = CallAssignment.objects.get(status="missed")
    rotation = PresidentRotation.objects.get(post=missed.post)
    assert rotation.priority == PresidentRotation.Priority.RETRY


def test_the_day_is_the_indian_day_when_the_server_clock_is_utc():
    district = DistrictFactory()
    make_booths(district=district, count=4)
    make_caller(districts=[district])
    # 19:00 UTC on the 28th is 00:30 IST on the 29th.
    with time_machine.travel(datetime.datetime(2026, 11, 28, 19, 0, tzinfo=datetime.UTC), tick=False):
        call_command("assign_calls", stdout=StringIO())
    assert set(CallAssignment.objects.values_list("day", flat=True)) == {datetime.date(2026, 11, 29)}


def test_an_earlier_day_cannot_be_assigned_after_a_later_one():
    district = DistrictFactory()
    make_booths(district=district, count=4)
    make_caller(districts=[district])
    assign(DAY)
    with pytest.raises(CommandError, match="already assigned for 2026-11-28"):
        call_command("assign_calls", "--date", "2026-11-27", stdout=StringIO())
    assert not CallAssignment.objects.filter(day=datetime.date(2026, 11, 27)).exists()
    assert AssignmentRun.objects.filter(status=AssignmentRun.Status.FAILED).count() == 1


@pytest.mark.parametrize("bad", ["28-11-2026", "2026-13-01", "tomorrow"])
def test_a_bad_date_is_refused_clearly(bad):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("assign_calls", "--date", bad, stdout=StringIO())
    assert not AssignmentRun.objects.exists()


def test_a_run_that_dies_half_way_leaves_nothing_and_the_next_run_fills_the_day(monkeypatch):
    district = DistrictFactory()
    make_booths(district=district, count=6)
    make_caller(districts=[district])
    make_caller(districts=[district])

    def crash(day, run):
        raise RuntimeError("worker lost")

    monkeypatch.setattr(assignment_module, "rotation_after_assignment", crash)
    with pytest.raises(RuntimeError):
        assign()
    assert not CallAssignment.objects.exists()
    assert AssignmentRun.objects.get().status == AssignmentRun.Status.FAILED
    assert "worker lost" in AssignmentRun.objects.get().error

    monkeypatch.undo()
    assert assign().assignments_created == 4


def test_the_celery_task_runs_the_same_service_for_today():
    district = DistrictFactory()
    make_booths(district=district, count=4)
    make_caller(districts=[district])
    with time_machine.travel(datetime.datetime(2026, 11, 28, 2, 0, tzinfo=datetime.UTC), tick=False):
        result = assign_calls_task.apply().get()
    assert result == {"day": "2026-11-28", "created": 2, "short": 0}
    assert AssignmentRun.objects.get().source == "beat"


def test_the_morning_job_is_in_the_beat_schedule_at_seven_ist():
    job = PeriodicTask.objects.select_related("crontab").get(name="Daily call assignment (07:00)")
    assert job.task == "campaigns.tasks.assign_calls"
    assert (job.crontab.minute, job.crontab.hour, str(job.crontab.timezone)) == ("0", "7", "Asia/Kolkata")
    assert job.enabled
    hourly = PeriodicTask.objects.get(name="Make sure today's calls are assigned (hourly)")
    assert hourly.task == "campaigns.tasks.assign_calls"
    assert PeriodicTask.objects.filter(task="campaigns.tasks.mark_missed_calls", enabled=True).exists()
    refresh = PeriodicTask.objects.select_related("crontab").get(task="campaigns.tasks.sync_rotation")
    assert (refresh.crontab.minute, refresh.crontab.hour) == ("30", "5")


def test_a_caller_is_never_given_themselves():
    district = DistrictFactory()
    booths = make_booths(district=district, count=3, mandals=1)
    user = make_caller(districts=[district])
    own_post = booths[0].posts.get()
    own_post.person = user.person  # the in-charge is also president of a booth
    own_post.save()
    assign()
    assert user.person_id not in {a.president_id for a in picks(user)}


def test_a_new_president_joins_the_queue_as_never_contacted():
    district = DistrictFactory()
    booths = make_booths(district=district, count=2, mandals=1)
    make_caller(districts=[district])
    assign()
    for a in CallAssignment.objects.all():
        assignment_record_outcome(assignment=a, outcome="reached")
    old = booths[0].posts.get()
    old.end_date = DAY
    old.save()
    newcomer = BoothPresidentFactory(booth=booths[0], person=PersonFactory(), start_date=DAY)

    assign(DAY + datetime.timedelta(days=1))

    reasons = dict(CallAssignment.objects.filter(day=DAY + datetime.timedelta(days=1)).values_list("post", "reason"))
    assert reasons[newcomer.pk] == CallAssignment.Reason.NEVER_CONTACTED
    assert old.pk not in reasons
    assert PresidentRotation.objects.filter(post=old).exists()  # skipped until the nightly refresh
    assert sync_rotation_task.apply().get() == {"added": 0, "removed": 1, "moved": 0}
    assert not PresidentRotation.objects.filter(post=old).exists()


def test_a_booth_moved_to_another_district_is_called_from_there_after_the_refresh():
    home, new_home = DistrictFactory(), DistrictFactory()
    (booth,) = make_booths(district=home, count=1, mandals=1)
    make_booths(district=new_home, count=1, mandals=1)
    old_incharge, new_incharge = make_caller(districts=[home]), make_caller(districts=[new_home])
    assign()  # builds the queues
    CallAssignment.objects.all().delete()
    booth.mandal = MandalFactory(district=new_home)
    booth.save()

    run = assign(DAY + datetime.timedelta(days=1))  # the same day's queues: the move is not synced yet
    assert not picks(old_incharge, DAY + datetime.timedelta(days=1))
    assert booth.posts.get().pk not in {a.post_id for a in picks(new_incharge, DAY + datetime.timedelta(days=1))}
    assert run.shortfall_calls == 3

    sync = rotation_sync(source="test")
    assert sync.moved == 1
    assign(DAY + datetime.timedelta(days=2))
    assert booth.posts.get().pk in {a.post_id for a in picks(new_incharge, DAY + datetime.timedelta(days=2))}


def test_the_first_run_of_a_day_refreshes_the_queues_once():
    district = DistrictFactory()
    make_booths(district=district, count=4)
    make_caller(districts=[district])
    assign()
    make_caller(districts=[district])
    assign()
    assert list(RotationSync.objects.values_list("source", "added")) == [("assignment", 4)]


def test_a_complete_earlier_day_runs_again_as_a_harmless_no_op():
    district = DistrictFactory()
    make_booths(district=district, count=8)
    make_caller(districts=[district])
    earlier, later = DAY - datetime.timedelta(days=1), DAY
    assign(earlier)
    assign(later)
    before = sorted(CallAssignment.objects.values_list("pk", "day", "post_id"))
    out = StringIO()
    call_command("assign_calls", "--date", str(earlier), "--no-messages", stdout=out)
    assert "Nothing was missing" in out.getvalue()
    assert sorted(CallAssignment.objects.values_list("pk", "day", "post_id")) == before
    assert AssignmentRun.objects.filter(day=earlier).latest("started_at").status == AssignmentRun.Status.COMPLETED


def test_an_earlier_day_run_again_sends_no_messages_for_a_day_that_is_over():
    """The command's default sends the morning messages; for a day already over
    they would tell callers to phone "today" with a link that no longer works."""
    district = DistrictFactory()
    make_booths(district=district, count=8)
    make_caller(districts=[district])
    earlier = DAY - datetime.timedelta(days=1)
    assign(earlier)  # assigned without messages (the API, --no-messages, simulate_calls)
    assign(DAY)
    out = StringIO()
    with time_machine.travel(datetime.datetime(2026, 11, 28, 9, 0, tzinfo=IST), tick=False):
        call_command("assign_calls", "--date", str(earlier), stdout=out)
    assert "Nothing was missing" in out.getvalue()
    assert "No morning messages: 2026-11-27 is over" in out.getvalue()
    assert not Message.objects.exists()
    with time_machine.travel(datetime.datetime(2026, 11, 28, 9, 0, tzinfo=IST), tick=False):
        call_command("assign_calls", "--date", str(DAY), stdout=StringIO())  # today's still go out
    assert set(Message.objects.values_list("day", flat=True)) == {DAY}


def test_an_assigned_earlier_day_with_callers_short_or_added_since_runs_again_as_a_no_op_that_says_so():
    district = DistrictFactory()
    make_booths(district=district, count=8)
    make_caller(districts=[district])
    earlier = DAY - datetime.timedelta(days=1)
    assign(earlier)
    assign(DAY)
    make_caller(districts=[district])  # joined after: has nothing on the earlier day
    make_caller(districts=[DistrictFactory()])  # a district without booths: short on every day
    out = StringIO()
    call_command("assign_calls", "--date", str(earlier), "--no-messages", stdout=out)
    assert "Nothing was changed: 2026-11-27 was assigned and later days have been since." in out.getvalue()
    assert "(short of presidents then, or added since) stay so: 2." in out.getvalue()
    assert CallAssignment.objects.filter(day=earlier).count() == 2
    assert AssignmentRun.objects.filter(day=earlier).latest("started_at").status == AssignmentRun.Status.COMPLETED


def test_an_earlier_day_never_assigned_is_refused_once_a_later_day_exists_and_says_how_many():
    district = DistrictFactory()
    make_booths(district=district, count=8)
    make_caller(districts=[district])
    earlier = DAY - datetime.timedelta(days=1)
    assign(DAY)
    with pytest.raises(CommandError, match="1 callers have calls missing on 2026-11-27, but calls are already"):
        call_command("assign_calls", "--date", str(earlier), stdout=StringIO())
    assert not CallAssignment.objects.filter(day=earlier).exists()


@pytest.mark.parametrize("ahead", [2, 30, 365 * 3])
def test_a_date_after_tomorrow_is_refused_and_does_not_jam_the_schedule(ahead):
    district = DistrictFactory()
    make_booths(district=district, count=8)
    make_caller(districts=[district])
    with time_machine.travel(datetime.datetime(2026, 11, 28, 7, 0, tzinfo=IST), tick=False):
        future = DAY + datetime.timedelta(days=ahead)
        with pytest.raises(CommandError, match=f"{future} is too far ahead: calls are assigned for today"):
            call_command("assign_calls", "--date", str(future), stdout=StringIO())
        with pytest.raises(AssignmentError, match="too far ahead"):
            assign_calls_task.apply(args=[str(future)]).get()
        assert not CallDay.objects.exists() and not AssignmentRun.objects.exists()
        out = StringIO()
        call_command("assign_calls", "--date", str(DAY + datetime.timedelta(days=1)), stdout=out)  # tomorrow is fine
        assert "2 calls assigned" in out.getvalue()


def test_a_run_that_never_finished_is_marked_failed_by_the_hourly_job():
    with time_machine.travel(datetime.datetime(2026, 11, 28, 7, 0, tzinfo=IST), tick=False) as clock:
        stale = AssignmentRun.objects.create(day=DAY, source="beat")
        clock.shift(datetime.timedelta(minutes=20))
        fresh = AssignmentRun.objects.create(day=DAY, source="command")
        clock.shift(datetime.timedelta(minutes=15))
        mark_missed_task.apply().get()
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == AssignmentRun.Status.FAILED and "No finish recorded within 30 minutes" in stale.error
    assert fresh.status == AssignmentRun.Status.RUNNING


def test_the_admin_shows_call_days_and_deletes_only_days_without_calls(admin_client):
    district = DistrictFactory()
    make_booths(district=district, count=8)
    make_caller(districts=[district])
    assign(DAY)
    CallDay.objects.create(day=datetime.date(2027, 11, 28))  # left by a mistyped run before dates were checked
    page = admin_client.get("/admin/campaigns/callday/").content.decode()
    assert "28 November 2026" in page and "28 November 2027" in page and "Completed" in page
    assert admin_client.get(f"/admin/campaigns/callday/{DAY}/delete/").status_code == 403
    admin_client.post("/admin/campaigns/callday/2027-11-28/delete/", {"post": "yes"})
    assert list(CallDay.objects.values_list("day", flat=True)) == [DAY]
    assert "2 calls assigned" in _run_today(DAY + datetime.timedelta(days=1))


def _run_today(day: datetime.date) -> str:
    out = StringIO()
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(7), tzinfo=IST), tick=False):
        call_command("assign_calls", stdout=out)
    return out.getvalue()
