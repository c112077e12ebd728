"""A demo history of calls: past days filled through the real services.

Each day is assigned by `assignments_create_for_day` and its calls are logged
by `call_log_record`, as callers would have logged them that day, so every
dashboard shows what the real code makes of them. The mix differs by district:
some districts strong, some weak, and one whose in-charge often leaves calls
unlogged (they turn missed at the next day's run). All synthetic and
reproducible from the seed.
"""

import datetime
import random
import time
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from booths.models import District, Mandal, Post, User

from .models import CallAssignment, CallDay, CallLog, FollowUp, NeedCategory, RosterReport, TiffinMeeting
from .selectors import call_questions
from .services import CallReport, assignments_create_for_day, assignments_mark_missed, call_log_record, follow_up_update
from .stats import follow_up_stats_rebuild
from .tiffin import month_add, month_first, month_last
from .verification.demo import demo_answers, demo_campaign_create, demo_reports

Outcome = CallAssignment.Outcome
Standing = CallLog.Standing

# (strong, competitive, weak) by a district's character.
STANDING_MIX = {
    "strong": (0.6, 0.3, 0.1),
    "typical": (0.35, 0.4, 0.25),
    "weak": (0.12, 0.33, 0.55),
}
NOT_REACHED_MIX = [
    (Outcome.NO_ANSWER, 40),
    (Outcome.SWITCHED_OFF, 18),
    (Outcome.BUSY, 12),
    (Outcome.NOT_REACHABLE, 10),
    (Outcome.CALL_BACK, 8),
    (Outcome.WRONG_NUMBER, 8),
    (Outcome.NOT_PRESIDENT, 4),
]
NEEDS_MIX = [
    (NeedCategory.BOOTH_COMMITTEE, 30),
    (NeedCategory.CAMPAIGN_MATERIAL, 25),
    (NeedCategory.VOTER_LIST, 18),
    (NeedCategory.LEADER_VISIT, 12),
    (NeedCategory.LOCAL_GRIEVANCE, 10),
    (NeedCategory.OTHER, 5),
]
NOTES = [
    "बूथ समिति की बैठक हर सप्ताह हो रही है।",
    "पन्ना प्रमुखों की सूची अधूरी है, दो पन्ने खाली हैं।",
    "मतदाता सूची में नए नाम जुड़वाने का काम चल रहा है।",
    "गांव में सड़क की समस्या से लोग नाराज़ हैं।",
    "महाजनसंपर्क अभियान में कार्यकर्ता घर-घर गए।",
    "युवा कार्यकर्ता सक्रिय हैं, प्रचार सामग्री चाहिए।",
    "विपक्ष की सक्रियता बढ़ी है, ध्यान देना होगा।",
    "",
    "",
]
OTHER_NEEDS = ["बूथ पर बैठने के लिए दरी और कुर्सियां", "दीवार लेखन के लिए रंग", "मोबाइल रिचार्ज की मदद"]
WELLBEING_NOTES = ["पिताजी अस्पताल में भर्ती हैं", "परिवार में शादी है", "फसल खराब हो गई"]


@dataclass
class SimulationSummary:
    days: int = 0
    assigned: int = 0
    logged: int = 0
    outcomes: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    profiles: dict[str, list[str]] = field(default_factory=dict)  # character -> district names
    over_reported: str = ""  # the district whose campaign reports the calls do not bear out


class HistoryExists(Exception):
    """Calls are already assigned on or after the first day to simulate."""


def district_profiles(seed: int) -> dict[int, str]:
    """Each district's character: mostly typical, some strong, some weak, and one
    (`lax`) whose in-charge often does not log their calls."""
    districts = list(District.objects.order_by("pk").values_list("pk", flat=True))
    rng = random.Random(f"profiles-{seed}")
    rng.shuffle(districts)
    characters = ["strong", "typical", "lax", "weak", "typical", "strong", "typical", "weak"]
    profiles = {pk: characters[i] if i < len(characters) else "typical" for i, pk in enumerate(districts)}
    for pk in districts[len(characters) :]:
        profiles[pk] = rng.choices(["typical", "strong", "weak"], weights=[5, 2, 2])[0]
    return profiles


def simulate_calls(*, days: int, seed: int = 1, today: datetime.date | None = None) -> SimulationSummary:
    """Fill the `days` days before today with assigned and logged calls."""
    started = time.monotonic()
    today = today or timezone.localdate()
    first = today - datetime.timedelta(days=days)
    if CallDay.objects.filter(day__gte=first).exists():
        raise HistoryExists(f"Calls are already assigned on or after {first}: a history can only come before them.")
    profiles = district_profiles(seed)
    summary = SimulationSummary()
    for pk, name in District.objects.values_list("pk", "name"):
        summary.profiles.setdefault(profiles[pk], []).append(name)
    users = {user.person_id: user for user in User.objects.filter(person__isnull=False)}
    lax_callers = set(
        Post.objects.current()
        .filter(role=Post.Role.DISTRICT_INCHARGE, district_id__in=[pk for pk, p in profiles.items() if p == "lax"])
        .values_list("person_id", flat=True)
    )
    campaign = demo_campaign_create(first=first, today=today, profiles=profiles)
    summary.over_reported = campaign.over_reported.name if campaign.over_reported else ""
    for offset in range(days):
        day = first + datetime.timedelta(days=offset)
        rng = random.Random(f"{seed}-{day.isoformat()}")
        assignments_create_for_day(day=day, source="demo")
        calls = list(
            CallAssignment.objects.filter(day=day).select_related("post__booth__mandal").order_by("caller_id", "slot")
        )
        for call in calls:
            summary.assigned += 1
            diligence = 0.4 if call.caller_id in lax_callers else 0.93
            if rng.random() > diligence:
                continue  # never logged: missed at the next day's run
            booth = call.post.booth
            assert booth is not None  # a president's post
            district_id = booth.mandal.district_id
            report = _report(rng, profiles.get(district_id, "typical"))
            if report.outcome == Outcome.REACHED:
                # Asked (and kept) only where the mandal's meeting was recorded held this month.
                report.tiffin_meeting = rng.choices(["yes", "no", "unknown"], [82, 12, 6])[0]
                report.answers = demo_answers(demo=campaign, questions=call_questions(call), booth=booth,
                                              district_id=district_id, rng=rng, seed=seed)  # fmt: skip
            at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))) + datetime.timedelta(
                minutes=rng.randrange(11 * 60)
            )
            with transaction.atomic():
                user = users.get(call.caller_id)
                assert user is not None  # every caller has an account
                call_log_record(assignment=call, user=user, report=report, at=at)
                _backdate(call, at)
            summary.logged += 1
            summary.outcomes[report.outcome] += 1
        _work_on_follow_ups(rng, day)
        summary.days += 1
    demo_reports(demo=campaign, today=today - datetime.timedelta(days=1), seed=seed)
    assignments_mark_missed()  # as the hourly job would: the last day's unlogged calls are missed
    follow_up_stats_rebuild()  # the follow-ups were moved back to the days they were raised on
    summary.seconds = time.monotonic() - started
    return summary


def _report(rng: random.Random, profile: str) -> CallReport:
    if rng.random() > 0.74:
        outcomes, weights = zip(*NOT_REACHED_MIX, strict=True)
        return CallReport(outcome=rng.choices(outcomes, weights)[0], notes=rng.choice(["", "", "शाम को फिर करें"]))
    strong, competitive, weak = STANDING_MIX["typical" if profile == "lax" else profile]
    standing = rng.choices([Standing.STRONG, Standing.COMPETITIVE, Standing.WEAK], [strong, competitive, weak])[0]
    attention = rng.random() < 0.12
    needs: dict[str, str] = {}
    if rng.random() < (0.55 if standing == Standing.WEAK else 0.3):
        categories, weights = zip(*NEEDS_MIX, strict=True)
        for category in set(rng.choices(categories, weights, k=rng.choice([1, 1, 2]))):
            needs[category] = rng.choice(OTHER_NEEDS) if category == NeedCategory.OTHER else ""
    return CallReport(
        outcome=Outcome.REACHED,
        wellbeing=CallLog.Wellbeing.NEEDS_ATTENTION if attention else CallLog.Wellbeing.ALL_WELL,
        wellbeing_note=rng.choice(WELLBEING_NOTES) if attention else "",
        standing=standing,
        needs=needs,
        notes=rng.choice(NOTES),
        follow_up_wanted=rng.random() < 0.1,
    )


def _backdate(call: CallAssignment, at: datetime.datetime) -> None:
    """Rows the services stamp with the clock get the simulated moment instead."""
    CallLog.objects.filter(assignment=call).update(created_at=at, updated_at=at)
    FollowUp.objects.filter(log__assignment=call).update(created_at=at, updated_at=at)
    RosterReport.objects.filter(assignment=call).update(created_at=at)


def _work_on_follow_ups(rng: random.Random, day: datetime.date) -> None:
    """Districts take up and resolve some of their open follow-ups, older ones more often."""
    evening = timezone.make_aware(datetime.datetime.combine(day, datetime.time(19)))
    for item in FollowUp.objects.exclude(status=FollowUp.Status.RESOLVED).filter(created_at__lt=evening):
        age = (evening - item.created_at).days
        roll = rng.random()
        if age >= 2 and roll < 0.12:
            follow_up_update(follow_up=item, status=FollowUp.Status.RESOLVED, assigned_to=item.assigned_to,
                             note="समस्या का समाधान कर दिया गया।")  # fmt: skip
            FollowUp.objects.filter(pk=item.pk).update(resolved_at=evening, updated_at=evening)
        elif item.status == FollowUp.Status.OPEN and roll < 0.2:
            follow_up_update(follow_up=item, status=FollowUp.Status.IN_PROGRESS, assigned_to=None,
                             note="जिला कार्यालय ने संपर्क किया है।")  # fmt: skip
            FollowUp.objects.filter(pk=item.pk).update(updated_at=evening)


TIFFIN_PLACES = ["पंचायत भवन", "प्राथमिक विद्यालय", "मंडल अध्यक्ष का निवास", "शिव मंदिर प्रांगण", "सामुदायिक केंद्र"]
TIFFIN_NOTES = ["बूथ समितियों की समीक्षा हुई।", "महाजनसंपर्क अभियान की योजना बनी।", "पन्ना प्रमुखों ने भाग लिया।", ""]


def simulate_tiffin_meetings(*, seed: int = 1, today: datetime.date | None = None) -> int:
    """This month's tiffin plan half done (about half of each district's mandals
    planned, those already past mostly held) and the two months before mostly
    held, for the coverage dashboard. Returns the meetings written."""
    today = today or timezone.localdate()
    rng = random.Random(f"tiffin-{seed}")
    this = month_first(today)
    meetings = []
    for mandal in Mandal.objects.order_by("district_id", "name"):
        for months_back, chance in ((2, 0.8), (1, 0.7)):
            if rng.random() < chance:
                month = month_add(this, -months_back)
                day = month + datetime.timedelta(days=rng.randrange(month_last(month).day))
                meetings.append(_tiffin(rng, mandal, day, held=True))
        if rng.random() < 0.5:
            day = this + datetime.timedelta(days=rng.randrange(month_last(this).day))
            meetings.append(_tiffin(rng, mandal, day, held=day < today and rng.random() < 0.75))
    TiffinMeeting.objects.bulk_create(meetings, batch_size=1000)
    return len(meetings)


def _tiffin(rng: random.Random, mandal: Mandal, day: datetime.date, *, held: bool) -> TiffinMeeting:
    meeting = TiffinMeeting(mandal=mandal, district_id=mandal.district_id, scheduled_on=day,
                            place=rng.choice(TIFFIN_PLACES), host="")  # fmt: skip
    if held:
        meeting.status, meeting.held_on = TiffinMeeting.Status.HELD, day
        meeting.attendance, meeting.notes = rng.randrange(15, 120), rng.choice(TIFFIN_NOTES)
    return meeting
