"""Tiffin meetings (tiffin baithak): planning one a month in every mandal, recording
those held, and counting which mandals are covered.

Writes are `tiffin_meeting_*`; coverage is counted in the database, a mandal at
a time (`Exists`), then summed by district or region (`Count(filter=...)`).
A mandal is *planned* in a month when it has a meeting scheduled in that month
that was not cancelled, and *held* when a meeting of it was held in that month.
"""

import datetime
import hashlib
import io
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from booths.models import Mandal, Post, User

from .access import Scope
from .messaging.services import message_write
from .models import CallLog, Message, TiffinMeeting
from .verification.stats import Verification

Status = TiffinMeeting.Status

PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}
PHOTO_LONG_SIDE = 1280  # px: sharp on a phone, ~150-300 KB as JPEG
PHOTO_QUALITY = 80
# A small file can still decode to a huge bitmap (a "decompression bomb"): phone
# cameras stay well under 50 megapixels.
PHOTO_MAX_PIXELS = 50_000_000
ATTENDANCE_MAX = 100_000
PLAN_DAYS_AHEAD = 366


# Months ---------------------------------------------------------------------------


def month_first(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_last(day: datetime.date) -> datetime.date:
    return month_add(month_first(day), 1) - datetime.timedelta(days=1)


def month_add(month: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` after (or before) the month of `month`."""
    index = month.year * 12 + month.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_parse(value: str | None) -> datetime.date | None:
    """`YYYY-MM` as the first day of that month; None when it is not one."""
    try:
        year, month = (value or "").split("-")
        if len(year) != 4 or len(month) != 2:
            return None
        return datetime.date(int(year), int(month), 1)
    except ValueError:
        return None


def plan_date_error(scheduled_on: datetime.date, *, today: datetime.date | None = None) -> str | None:
    """Why a meeting cannot be planned on this day, or None. Plans are for this
    month or later (a meeting held earlier this month may still be entered), up
    to a year ahead."""
    today = today or timezone.localdate()
    first, last = month_first(today), today + datetime.timedelta(days=PLAN_DAYS_AHEAD)
    if first <= scheduled_on <= last:
        return None
    return _("Choose a date from %(first)s to %(last)s: meetings are planned for this month or later.") % {
        "first": first.strftime("%d-%m-%Y"),
        "last": last.strftime("%d-%m-%Y"),
    }


# Writes ---------------------------------------------------------------------------


def tiffin_meeting_plan(
    *, mandal: Mandal, scheduled_on: datetime.date, place: str, host: str, user: User | None
) -> TiffinMeeting:
    """Plan a meeting in a mandal; planning the same mandal and day again (a form
    sent twice, a sheet imported again) updates that meeting's place and host."""
    with transaction.atomic():
        # Two offices planning the same mandal at once: one after the other.
        Mandal.objects.select_for_update().filter(pk=mandal.pk).first()
        meeting = (
            TiffinMeeting.objects.filter(mandal=mandal, scheduled_on=scheduled_on)
            .exclude(status=Status.CANCELLED)
            .order_by("pk")
            .first()
        )
        if meeting is None:
            return TiffinMeeting.objects.create(
                mandal=mandal, district_id=mandal.district_id, scheduled_on=scheduled_on, place=place, host=host,
                created_by=user if user and user.is_authenticated else None,
            )  # fmt: skip
        if (meeting.place, meeting.host) != (place, host):
            meeting.place, meeting.host = place, host
            meeting.save(update_fields=["place", "host", "updated_at"])
        return meeting


def tiffin_meeting_record(
    *,
    meeting: TiffinMeeting,
    held_on: datetime.date,
    attendance: int,
    notes: str,
    photo: ContentFile | None,
    user: User | None,
) -> TiffinMeeting:
    """Mark a meeting held. `photo` is one made by `tiffin_photo_prepare` (or None
    to keep the photo it has); a replaced photo's file is removed once saved."""
    with transaction.atomic():
        meeting = TiffinMeeting.objects.select_for_update().get(pk=meeting.pk)
        old_photo = meeting.photo.name if meeting.photo else ""
        meeting.status, meeting.held_on, meeting.attendance, meeting.notes = Status.HELD, held_on, attendance, notes
        if photo is not None:
            assert photo.name is not None  # tiffin_photo_prepare names it
            meeting.photo.save(photo.name, photo, save=False)
        meeting.save()
        if photo is not None and old_photo:
            transaction.on_commit(lambda: default_storage.delete(old_photo))
    return meeting


def tiffin_meeting_cancel(*, meeting: TiffinMeeting, user: User | None) -> bool:
    """Cancel a meeting not held; False when it was held (or already cancelled)."""
    return bool(
        TiffinMeeting.objects.filter(pk=meeting.pk, status=Status.PLANNED).update(
            status=Status.CANCELLED, updated_at=timezone.now()
        )
    )


# Photos ---------------------------------------------------------------------------


def tiffin_photo_prepare(upload: UploadedFile) -> ContentFile:
    """A phone-sized JPEG of an uploaded photo: checked to really be a JPEG, PNG or
    WebP image within TIFFIN_PHOTO_MAX_MB, turned upright as its EXIF says, at most
    PHOTO_LONG_SIDE px on its long side, and without its metadata (a phone's
    photo carries where it was taken). ValidationError says what is wrong."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    limit = settings.TIFFIN_PHOTO_MAX_MB
    assert upload.size is not None  # an upload's size is known
    if upload.size > limit * 1024 * 1024:
        raise ValidationError(
            _("The photo is %(size)s MB; it can be at most %(limit)s MB. Send a smaller photo.")
            % {"size": f"{upload.size / (1024 * 1024):.1f}", "limit": limit},
            code="too_large",
        )
    not_a_photo = ValidationError(_("This file is not a photo: send a JPEG, PNG or WebP image."), code="not_image")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in PHOTO_FORMATS:
                raise not_a_photo
            if probe.width * probe.height > PHOTO_MAX_PIXELS:
                raise ValidationError(_("This photo is too large to process."), code="too_many_pixels")
            probe.verify()  # the whole file, not just its header
        upload.seek(0)
        image: Image.Image
        with Image.open(upload) as image:
            image.draft("RGB", (PHOTO_LONG_SIDE, PHOTO_LONG_SIDE))  # JPEG: decode at a smaller scale
            image.load()
            image = ImageOps.exif_transpose(image)
            if image.mode in ("RGBA", "LA", "P"):
                image = image.convert("RGBA")
                flat = Image.new("RGB", image.size, "white")
                flat.paste(image, mask=image.getchannel("A"))
                image = flat
            elif image.mode != "RGB":
                image = image.convert("RGB")
            image.thumbnail((PHOTO_LONG_SIDE, PHOTO_LONG_SIDE), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            image.save(out, "JPEG", quality=PHOTO_QUALITY, optimize=True)  # no exif= : metadata dropped
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_a_photo from None
    # A random name: the stored path says nothing of the meeting and cannot be guessed.
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


# Reads ----------------------------------------------------------------------------


def _planned_in(month: datetime.date) -> Exists:
    return Exists(
        TiffinMeeting.objects.filter(
            mandal=OuterRef("pk"), scheduled_on__gte=month, scheduled_on__lte=month_last(month)
        ).exclude(status=Status.CANCELLED)
    )


def held_in(month: datetime.date, mandal: str = "pk") -> Exists:
    """Whether the mandal (the outer query's `mandal` field) held a meeting in `month`."""
    return Exists(
        TiffinMeeting.objects.filter(
            mandal=OuterRef(mandal), status=Status.HELD, held_on__gte=month, held_on__lte=month_last(month)
        )
    )


def mandals_unplanned(*, district_id: int, month: datetime.date) -> QuerySet[Mandal]:
    return Mandal.objects.filter(district_id=district_id).filter(~_planned_in(month)).order_by("name")


def tiffin_meetings_of(*, district_id: int, month: datetime.date) -> QuerySet[TiffinMeeting]:
    """The meetings of a district scheduled or held in a month, by day."""
    first, last = month, month_last(month)
    return (
        TiffinMeeting.objects.filter(district_id=district_id)
        .filter(Q(scheduled_on__gte=first, scheduled_on__lte=last) | Q(held_on__gte=first, held_on__lte=last))
        .select_related("mandal")
        .order_by("scheduled_on", "mandal__name", "pk")
    )


def tiffin_held_for_call(*, mandal_id: int, day: datetime.date) -> bool:
    """Whether a call to a booth of this mandal on `day` asks the president to
    confirm a tiffin meeting: one was recorded held in the mandal this month."""
    return TiffinMeeting.objects.filter(
        mandal_id=mandal_id, status=Status.HELD, held_on__gte=month_first(day), held_on__lte=day
    ).exists()


@dataclass
class Confirmation:
    """What booth presidents said of the meetings recorded held in a unit's mandals."""

    pk: int
    yes: int = 0
    no: int = 0
    unknown: int = 0

    @property
    def verification(self) -> Verification:
        """As a campaign's unit, with TIFFIN_CONFIRM_EXPECTED as the "report": the
        meetings are flagged (over-reported) when even the top of the 95 % range
        of presidents confirming them is under that share."""
        expected = round(settings.TIFFIN_CONFIRM_EXPECTED * 1000)
        return Verification(booths=1000, booths_reported=expected, yes=self.yes, no=self.no, unknown=self.unknown,
                            min_answers=settings.CAMPAIGN_MIN_ANSWERS)  # fmt: skip


def tiffin_confirmations(*, scope: Scope, month: datetime.date, by: str) -> dict[int, Confirmation]:
    """Presidents' answers in the month's calls, by region or district (`by`)."""
    key = {"region": "assignment__post__booth__mandal__district__region_id",
           "district": "assignment__post__booth__mandal__district_id"}[by]  # fmt: skip
    logs = scope.filter(CallLog.objects.exclude(tiffin_meeting=""), "assignment__post__booth__mandal__district_id")
    logs = logs.filter(assignment__day__gte=month, assignment__day__lte=month_last(month))
    counts = logs.values(key).annotate(
        yes=Count("pk", filter=Q(tiffin_meeting="yes")),
        no=Count("pk", filter=Q(tiffin_meeting="no")),
        unknown=Count("pk", filter=Q(tiffin_meeting="unknown")),
    )
    return {row[key]: Confirmation(row[key], row["yes"], row["no"], row["unknown"]) for row in counts}


@dataclass
class Coverage:
    """A unit's mandals, and of them those planned and held in a month; `history`
    holds the share held in earlier months (oldest first)."""

    pk: int
    name: str
    region: str
    mandals: int
    planned: int
    held: int
    history: list[tuple[datetime.date, float | None]]

    @property
    def held_share(self) -> float | None:
        return self.held / self.mandals if self.mandals else None

    @property
    def planned_share(self) -> float | None:
        return self.planned / self.mandals if self.mandals else None


_GROUPS = {
    "region": ("district__region_id", "district__region__name", "district__region__name"),
    "district": ("district_id", "district__name", "district__region__name"),
}
_UNIT_PATHS = {"state": "district__region__state_id", "region": "district__region_id", "district": "district_id"}


def tiffin_coverage(
    *,
    scope: Scope,
    month: datetime.date,
    by: str,
    level: str = "",
    unit_id: int | None = None,
    history: int = 0,
) -> list[Coverage]:
    """Coverage of each region or district (`by`) of the scope, or of the unit
    given, in `month`, and the share held in each of the `history` months before."""
    mandals = scope.filter(Mandal.objects.all())
    if level:
        mandals = mandals.filter(**{_UNIT_PATHS[level]: unit_id})
    key, name, region = _GROUPS[by]
    past = [month_add(month, -n) for n in range(history, 0, -1)]
    counts = {
        "mandals": Count("pk"),
        "planned": Count("pk", filter=_planned_in(month)),
        "held": Count("pk", filter=held_in(month)),
        **{f"held_{n}": Count("pk", filter=held_in(m)) for n, m in enumerate(past)},
    }
    rows = mandals.values(*dict.fromkeys([key, name, region])).annotate(**counts).order_by(region, name)
    return [
        Coverage(
            pk=row[key], name=row[name], region=row[region], mandals=row["mandals"], planned=row["planned"],
            held=row["held"],
            history=[(m, row[f"held_{n}"] / row["mandals"] if row["mandals"] else None) for n, m in enumerate(past)],
        )
        for row in rows
    ]  # fmt: skip


def districts_with_unplanned(*, month: datetime.date) -> dict[int, int]:
    """District id -> how many of its mandals have no meeting planned in `month`."""
    rows = (
        Mandal.objects.filter(~_planned_in(month))
        .values("district_id")
        .annotate(unplanned=Count("pk"))
        .order_by("district_id")
    )
    return {row["district_id"]: row["unplanned"] for row in rows}


@dataclass
class DistrictPlan:
    """A district's month on its planning page."""

    month: datetime.date
    unplanned: list[Mandal]
    planned: list[Mandal]
    meetings: list[TiffinMeeting]

    @property
    def mandals(self) -> list[Mandal]:
        return [*self.unplanned, *self.planned]

    @property
    def previous(self) -> datetime.date:
        return month_add(self.month, -1)

    @property
    def next(self) -> datetime.date:
        return month_add(self.month, 1)

    def initial(self, mandal: str | None) -> dict[str, object]:
        """The form's first values: the mandal tapped in the list, a day of the month shown."""
        today = timezone.localdate()
        day = today if month_first(today) == self.month else max(self.month, month_first(today))
        chosen = next((m.pk for m in self.mandals if str(m.pk) == mandal), None)
        return {"mandal": chosen, "scheduled_on": day}


def tiffin_district_plan(*, district_id: int, month: datetime.date) -> DistrictPlan:
    mandals = list(Mandal.objects.filter(district_id=district_id).annotate(planned=_planned_in(month)).order_by("name"))
    return DistrictPlan(
        month=month,
        unplanned=[mandal for mandal in mandals if not mandal.planned],
        planned=[mandal for mandal in mandals if mandal.planned],
        meetings=list(tiffin_meetings_of(district_id=district_id, month=month)),
    )


# Reminders ------------------------------------------------------------------------

REMINDER_DAYS = 7  # the last week of a month


def tiffin_reminders_prepare(*, day: datetime.date) -> list[Message]:
    """On each of the last REMINDER_DAYS days of a month, write a reminder to each
    district in-charge of a district with mandals still unplanned this month:
    one a month at most (its digest names the month), however often this runs."""
    if day < month_last(day) - datetime.timedelta(days=REMINDER_DAYS - 1):
        return []
    month = month_first(day)
    unplanned = districts_with_unplanned(month=month)
    if not unplanned:
        return []
    kind = Message.Kind.TIFFIN_REMINDER
    digest = hashlib.sha256(f"{kind}:{month:%Y-%m}".encode()).hexdigest()
    reminded = Message.objects.filter(kind=kind, calls_digest=digest).values("caller_id")
    posts = (
        Post.objects.current()
        .filter(role=Post.Role.DISTRICT_INCHARGE, district_id__in=list(unplanned))
        .exclude(person_id__in=reminded)
        .select_related("person__user", "district")
        .order_by("person_id", "district__name")
    )
    districts: dict[int, list] = {}
    people = {}
    for post in posts:
        districts.setdefault(post.person_id, []).append(post.district)
        people[post.person_id] = post.person
    created = []
    for person_id, theirs in districts.items():
        # One message however many districts: the first named, the others counted.
        label = theirs[0].name + (f" +{len(theirs) - 1}" if len(theirs) > 1 else "")
        count = str(sum(unplanned[district.pk] for district in theirs))

        def variables(token: str, language: str, label: str = label, count: str = count) -> tuple[list[str], str]:
            return [label, count, token], "any"

        message = message_write(kind=kind, day=day, caller=people[person_id], digest=digest, variables=variables)
        if message is not None:
            created.append(message)
    return created
