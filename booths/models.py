"""The party's organisation map and the people who hold its posts.

The map: State > Region (kshetra) > District (jila) > Mandal > ShaktiKendra > Booth,
and beside it the electoral map: LokSabhaSeat > AssemblySeat > Booth. A booth is
identified by its assembly seat and its part number, as the Election Commission
numbers polling stations.

People hold posts over time (`Post`, with start and end dates), so "the current
booth president" is a query, and the roster keeps its history.
"""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .fields import MobileNumberField, mobile_shape_check


class State(models.Model):
    """A state or union territory (pradesh)."""

    code = models.CharField(_("code"), max_length=4, unique=True, help_text=_("For example UP."))
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("state")
        verbose_name_plural = _("states")

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """A region of the state unit (kshetra); Uttar Pradesh has six."""

    state = models.ForeignKey(State, models.PROTECT, related_name="regions", verbose_name=_("state"))
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.UniqueConstraint(fields=["state", "name"], name="region_unique_name_in_state"),
        ]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """The party's organisational district (jila), which may differ from the
    administrative district: a large city is often a district of its own."""

    region = models.ForeignKey(Region, models.PROTECT, related_name="districts", verbose_name=_("region"))
    name = models.CharField(_("name"), max_length=100)
    administrative_district = models.CharField(
        _("administrative district"),
        max_length=100,
        blank=True,
        help_text=_("The government district it lies in, where that differs from the name."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="district_unique_name_in_region"),
        ]

    def __str__(self) -> str:
        return self.name


class Mandal(models.Model):
    """The party's unit below a district (mandal)."""

    district = models.ForeignKey(District, models.PROTECT, related_name="mandals", verbose_name=_("district"))
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("mandal")
        verbose_name_plural = _("mandals")
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="mandal_unique_name_in_district"),
        ]

    def __str__(self) -> str:
        return self.name


class ShaktiKendra(models.Model):
    """A cluster of about five booths within a mandal (shakti kendra)."""

    mandal = models.ForeignKey(Mandal, models.PROTECT, related_name="shakti_kendras", verbose_name=_("mandal"))
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("shakti kendra")
        verbose_name_plural = _("shakti kendras")
        constraints = [
            models.UniqueConstraint(fields=["mandal", "name"], name="shakti_kendra_unique_name_in_mandal"),
        ]

    def __str__(self) -> str:
        return self.name


class LokSabhaSeat(models.Model):
    """A parliamentary constituency, numbered within its state."""

    state = models.ForeignKey(State, models.PROTECT, related_name="lok_sabha_seats", verbose_name=_("state"))
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=100)
    target_vote_pct = models.DecimalField(
        _("target vote share (%)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    last_vote_pct = models.DecimalField(
        _("vote share last time (%)"), max_digits=4, decimal_places=1, null=True, blank=True
    )

    class Meta:
        ordering = ["state", "number"]
        verbose_name = _("Lok Sabha seat")
        verbose_name_plural = _("Lok Sabha seats")
        constraints = [
            models.UniqueConstraint(fields=["state", "number"], name="lok_sabha_seat_unique_number_in_state"),
            models.UniqueConstraint(fields=["state", "name"], name="lok_sabha_seat_unique_name_in_state"),
            models.CheckConstraint(condition=Q(number__gte=1), name="lok_sabha_seat_number_positive"),
            models.CheckConstraint(
                condition=Q(target_vote_pct__gte=0, target_vote_pct__lte=100) | Q(target_vote_pct=None),
                name="lok_sabha_seat_target_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=Q(last_vote_pct__gte=0, last_vote_pct__lte=100) | Q(last_vote_pct=None),
                name="lok_sabha_seat_last_is_a_percentage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class AssemblySeat(models.Model):
    """An assembly constituency (vidhan sabha), numbered within its state."""

    # `state` repeats lok_sabha_seat.state so the database can hold assembly
    # numbers unique per state (the key roster files use) and imports can look a
    # seat up by (state, number) without a join; `clean()` keeps the two equal.
    state = models.ForeignKey(State, models.PROTECT, related_name="assembly_seats", verbose_name=_("state"))
    lok_sabha_seat = models.ForeignKey(
        LokSabhaSeat, models.PROTECT, related_name="assembly_seats", verbose_name=_("Lok Sabha seat")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["state", "number"]
        verbose_name = _("assembly seat")
        verbose_name_plural = _("assembly seats")
        constraints = [
            models.UniqueConstraint(fields=["state", "number"], name="assembly_seat_unique_number_in_state"),
            models.UniqueConstraint(fields=["state", "name"], name="assembly_seat_unique_name_in_state"),
            models.CheckConstraint(condition=Q(number__gte=1), name="assembly_seat_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    def clean(self) -> None:
        if self.lok_sabha_seat_id and self.state_id and self.lok_sabha_seat.state_id != self.state_id:
            raise ValidationError({"lok_sabha_seat": _("This Lok Sabha seat is in another state.")})


def booth_label(seat_number: object, number: object) -> str:
    """How the party names a booth: assembly seat number / part number, e.g. 123/45
    (from the numbers, where a query read them without the booth)."""
    return f"{seat_number}/{number}"


class BoothQuerySet(models.QuerySet["Booth"]):
    def with_president_flag(self) -> "BoothQuerySet":
        current_president = Post.objects.current().filter(role=Post.Role.BOOTH_PRESIDENT, booth=OuterRef("pk"))
        return self.annotate(has_president=Exists(current_president))

    def vacant(self) -> "BoothQuerySet":
        # The plugin checks filters against the model's fields; it cannot see this queryset's own annotations.
        return self.with_president_flag().filter(has_president=False)  # type: ignore[misc]


class Booth(models.Model):
    """A polling station (booth), identified by its assembly seat and part number."""

    assembly_seat = models.ForeignKey(
        AssemblySeat, models.PROTECT, related_name="booths", verbose_name=_("assembly seat")
    )
    number = models.PositiveIntegerField(_("part number"))
    name = models.CharField(_("name"), max_length=200)
    mandal = models.ForeignKey(Mandal, models.PROTECT, related_name="booths", verbose_name=_("mandal"))
    shakti_kendra = models.ForeignKey(
        ShaktiKendra,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="booths",
        verbose_name=_("shakti kendra"),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive booths (merged, abolished) get no calls.")
    )

    objects = BoothQuerySet.as_manager()
    history = HistoricalRecords()  # who changed it in the admin, and when

    class Meta:
        ordering = ["assembly_seat__number", "number"]
        verbose_name = _("booth")
        verbose_name_plural = _("booths")
        constraints = [
            models.UniqueConstraint(fields=["assembly_seat", "number"], name="booth_unique_part_number_in_seat"),
            models.CheckConstraint(condition=Q(number__gte=1), name="booth_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.name}"

    @property
    def label(self) -> str:
        """How the party names a booth: assembly seat number / part number, e.g. 123/45."""
        return booth_label(self.assembly_seat.number, self.number)

    def clean(self) -> None:
        kendra_id, mandal_id = self.shakti_kendra_id, self.mandal_id
        if kendra_id and mandal_id and self.shakti_kendra is not None and self.shakti_kendra.mandal_id != mandal_id:
            raise ValidationError({"shakti_kendra": _("This shakti kendra belongs to another mandal.")})


class PersonQuerySet(models.QuerySet["Person"]):
    def with_shared_mobile_flag(self) -> "PersonQuerySet":
        others = Person.objects.filter(mobile=OuterRef("mobile")).exclude(pk=OuterRef("pk"))
        return self.annotate(mobile_shared=Exists(others))


class Person(models.Model):
    """Anyone in the organisation: a booth president, an office-bearer, a caller.

    A mobile number is not a key: families share phones, so two people may have
    the same number.
    """

    name = models.CharField(_("name"), max_length=200, help_text=_("As written, usually in Devanagari."))
    mobile = MobileNumberField(_("mobile"), blank=True, db_index=True)
    alternate_mobile = MobileNumberField(_("alternate mobile"), blank=True, db_index=True)
    do_not_call = models.BooleanField(_("do not call"), default=False)
    do_not_call_reason = models.CharField(_("reason for do-not-call"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PersonQuerySet.as_manager()
    history = HistoricalRecords()

    # Only on people read through a user by a query that prefetches them (UserAdmin).
    caller_posts_list: list["Post"]

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        # Without it, lists, dashboards and exports show mobiles as 98••••3210.
        permissions = [("view_full_phone", _("Can see full mobile numbers in lists, dashboards and exports"))]
        constraints = [
            models.CheckConstraint(condition=mobile_shape_check("mobile"), name="person_mobile_is_indian_mobile"),
            models.CheckConstraint(
                condition=mobile_shape_check("alternate_mobile"), name="person_alternate_mobile_is_indian_mobile"
            ),
            models.CheckConstraint(
                condition=Q(alternate_mobile="") | ~Q(alternate_mobile=models.F("mobile")),
                name="person_alternate_mobile_differs",
                violation_error_message=_("The alternate mobile is the same as the mobile."),
            ),
            models.CheckConstraint(
                condition=Q(do_not_call=False) | ~Q(do_not_call_reason=""),
                name="person_do_not_call_has_reason",
                violation_error_message=_("Say why this person must not be called."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PostRole(models.TextChoices):
    BOOTH_PRESIDENT = "booth_president", _("Booth president")
    PANNA_PRAMUKH = "panna_pramukh", _("Panna pramukh")
    SHAKTI_KENDRA_CONVENOR = "shakti_kendra_convenor", _("Shakti kendra convenor")
    MANDAL_PRESIDENT = "mandal_president", _("Mandal president")
    DISTRICT_PRESIDENT = "district_president", _("District president")
    DISTRICT_INCHARGE = "district_incharge", _("District in-charge")
    REGIONAL_PRESIDENT = "regional_president", _("Regional president")
    STATE_OFFICE_BEARER = "state_office_bearer", _("State office-bearer")
    LEADERSHIP = "leadership", _("State leadership")


# The level of the map each role sits at: the one unit field its post must set.
ROLE_UNIT: dict[str, str] = {
    PostRole.BOOTH_PRESIDENT: "booth",
    PostRole.PANNA_PRAMUKH: "booth",
    PostRole.SHAKTI_KENDRA_CONVENOR: "shakti_kendra",
    PostRole.MANDAL_PRESIDENT: "mandal",
    PostRole.DISTRICT_PRESIDENT: "district",
    PostRole.DISTRICT_INCHARGE: "district",
    PostRole.REGIONAL_PRESIDENT: "region",
    PostRole.STATE_OFFICE_BEARER: "state",
    PostRole.LEADERSHIP: "state",
}
UNIT_FIELDS = ("state", "region", "district", "mandal", "shakti_kendra", "booth")
# Units a role may name besides its own: the regions a state office-bearer looks after.
ROLE_OPTIONAL_UNITS: dict[str, tuple[str, ...]] = {PostRole.STATE_OFFICE_BEARER: ("region",)}
# Posts whose holders phone booth presidents every day.
CALLER_ROLES = (PostRole.DISTRICT_INCHARGE, PostRole.STATE_OFFICE_BEARER)
# Posts whose holders read the dashboards of their territory and get no calls:
# the state president and organisation secretary (leadership), regional and
# district presidents.
VIEWER_ROLES = (PostRole.LEADERSHIP, PostRole.REGIONAL_PRESIDENT, PostRole.DISTRICT_PRESIDENT)
# Posts that come with an account, kept in the people sheet (`import_callers`).
ACCOUNT_ROLES = (*CALLER_ROLES, *VIEWER_ROLES)


def _role_unit_condition() -> Q:
    """Each role sets exactly its own unit (plus the ones it may optionally name)."""
    condition = Q()
    for role, field in ROLE_UNIT.items():
        allowed = {field, *ROLE_OPTIONAL_UNITS.get(role, ())}
        branch = Q(role=role, **{f"{field}__isnull": False})
        for other in UNIT_FIELDS:
            if other not in allowed:
                branch &= Q(**{f"{other}__isnull": True})
        condition |= branch
    return condition


class PostQuerySet(models.QuerySet["Post"]):
    def current(self) -> "PostQuerySet":
        return self.filter(end_date__isnull=True)

    def callers(self) -> "PostQuerySet":
        return self.filter(role__in=CALLER_ROLES)

    def with_accounts(self) -> "PostQuerySet":
        """Posts of the people sheet: callers and dashboard viewers."""
        return self.filter(role__in=ACCOUNT_ROLES)


class Post(models.Model):
    """A person's post in the organisation over a period of time.

    A post is current while it has no end date. Each role sits at one level of
    the map (a booth president at a booth, a district in-charge at a district);
    a state office-bearer sits at the state and may be given some regions to
    look after.
    """

    Role = PostRole
    ROLE_UNIT = ROLE_UNIT
    UNIT_FIELDS = UNIT_FIELDS
    ROLE_OPTIONAL_UNITS = ROLE_OPTIONAL_UNITS
    CALLER_ROLES = CALLER_ROLES
    VIEWER_ROLES = VIEWER_ROLES
    ACCOUNT_ROLES = ACCOUNT_ROLES

    person = models.ForeignKey(Person, models.PROTECT, related_name="posts", verbose_name=_("person"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    title = models.CharField(
        _("title"), max_length=100, blank=True, help_text=_("As the party writes it, e.g. प्रदेश उपाध्यक्ष.")
    )
    state = models.ForeignKey(
        State, models.PROTECT, null=True, blank=True, related_name="posts", verbose_name=_("state")
    )
    region = models.ForeignKey(
        Region, models.PROTECT, null=True, blank=True, related_name="posts", verbose_name=_("region")
    )
    district = models.ForeignKey(
        District, models.PROTECT, null=True, blank=True, related_name="posts", verbose_name=_("district")
    )
    mandal = models.ForeignKey(
        Mandal, models.PROTECT, null=True, blank=True, related_name="posts", verbose_name=_("mandal")
    )
    shakti_kendra = models.ForeignKey(
        ShaktiKendra, models.PROTECT, null=True, blank=True, related_name="posts", verbose_name=_("shakti kendra")
    )
    booth = models.ForeignKey(
        Booth, models.PROTECT, null=True, blank=True, related_name="posts", verbose_name=_("booth")
    )
    start_date = models.DateField(_("since"), default=timezone.localdate)
    end_date = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty while the post is held."))

    objects = PostQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "pk"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.CheckConstraint(condition=_role_unit_condition(), name="post_unit_matches_role"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="post_ends_after_start",
                violation_error_message=_("A post cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["booth"],
                condition=Q(end_date__isnull=True, role="booth_president"),
                name="post_one_current_booth_president",
                violation_error_message=_("This booth already has a current president; end that post first."),
            ),
            models.UniqueConstraint(
                fields=["shakti_kendra"],
                condition=Q(end_date__isnull=True, role="shakti_kendra_convenor"),
                name="post_one_current_shakti_kendra_convenor",
                violation_error_message=_("This shakti kendra already has a current convenor; end that post first."),
            ),
            models.UniqueConstraint(
                fields=["mandal"],
                condition=Q(end_date__isnull=True, role="mandal_president"),
                name="post_one_current_mandal_president",
                violation_error_message=_("This mandal already has a current president; end that post first."),
            ),
            models.UniqueConstraint(
                fields=["district"],
                condition=Q(end_date__isnull=True, role="district_president"),
                name="post_one_current_district_president",
                violation_error_message=_("This district already has a current president; end that post first."),
            ),
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(end_date__isnull=True, role="regional_president"),
                name="post_one_current_regional_president",
                violation_error_message=_("This region already has a current president; end that post first."),
            ),
            models.UniqueConstraint(
                fields=["person", "district"],
                condition=Q(end_date__isnull=True, role="district_incharge"),
                name="post_person_incharge_once_per_district",
                violation_error_message=_("This person is already the in-charge of this district."),
            ),
        ]
        indexes = [
            # Current posts of a person (caller scope) and current holders of a role.
            models.Index(fields=["person", "role"], condition=Q(end_date__isnull=True), name="post_current_person"),
            models.Index(fields=["role", "district"], condition=Q(end_date__isnull=True), name="post_current_role"),
        ]

    def __str__(self) -> str:
        unit = self.unit
        return f"{self.get_role_display()} · {unit}" if unit else self.get_role_display()

    @property
    def unit(self) -> models.Model | None:
        field = self.ROLE_UNIT.get(self.role)
        return getattr(self, field) if field else None

    def clean(self) -> None:
        errors: dict[str, object] = {}
        field = self.ROLE_UNIT.get(self.role)
        if field:
            allowed = {field, *self.ROLE_OPTIONAL_UNITS.get(self.role, ())}
            if getattr(self, f"{field}_id") is None:
                errors[field] = _("A %(role)s post needs this.") % {"role": self.get_role_display()}
            for other in self.UNIT_FIELDS:
                if other not in allowed and getattr(self, f"{other}_id") is not None:
                    errors[other] = _("Leave this empty for a %(role)s post.") % {"role": self.get_role_display()}
        if self.region_id and self.state_id and self.region is not None and self.region.state_id != self.state_id:
            errors["region"] = _("This region is in another state.")
        today = timezone.localdate()
        if self.start_date and self.start_date > today:
            errors["start_date"] = _("A post cannot start in the future.")
        if self.end_date and self.end_date > today:
            errors["end_date"] = _("Enter the day the post ended; it cannot be in the future.")
        if errors:
            raise ValidationError(errors)


class User(AbstractUser):
    """A sign-in account. A caller's account is linked to their `Person`; whether
    they call, and which booths, follows from that person's current posts."""

    class Language(models.TextChoices):
        HINDI = "hi", "हिन्दी"
        ENGLISH = "en", "English"

    person = models.OneToOneField(
        Person, models.SET_NULL, null=True, blank=True, related_name="user", verbose_name=_("person")
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=Language.choices,
        default=Language.HINDI,
        help_text=_("The language of their messages and pages."),
    )
    # Raised to revoke every sign-in link handed out so far.
    signin_link_version = models.PositiveIntegerField(_("sign-in link version"), default=0)
    # Changes to the account (never its password hash; sign-ins are not changes).
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django ends an account's sessions when its password changes; revoking
        its sign-in links (raising the version) ends them too, wherever they were
        opened. Version 0 hashes as Django does, so existing sessions live on."""
        if not self.signin_link_version:
            return super()._get_session_auth_hash(secret=secret)  # type: ignore[misc]  # private in Django, absent from the stubs
        key_salt = "booths.User.get_session_auth_hash"
        value = f"{self.password}:{self.signin_link_version}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()


class RosterUpload(models.Model):
    """A roster or callers file uploaded in the admin: kept for the preview and
    the confirmed import (whichever web process serves them), and as a record
    of who imported what, when, with what result."""

    class Kind(models.TextChoices):
        ROSTER = "roster", _("Roster (booths and presidents)")
        CALLERS = "callers", _("Callers")

    class Status(models.TextChoices):
        """A file is checked (a dry run), then imported, each by the Celery worker."""

        CHECKING = "checking", _("being checked")
        CHECKED = "checked", _("checked")
        IMPORTING = "importing", _("being imported")
        IMPORTED = "imported", _("imported")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("file"))
    skip_invalid = models.BooleanField(_("import the good rows, set the bad ones aside"), default=False)
    uploaded_by = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    error_rows = models.BinaryField(_("rows with errors"), blank=True, default=b"")
    # When the file and its error rows were cleared (RETENTION_DAYS after the upload).
    purged_at = models.DateTimeField(_("file deleted"), null=True, blank=True)
    # The background run (booths/imports.py): where it is, for the page that watches it.
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.CHECKING)
    phase = models.CharField(_("step"), max_length=16, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_checked = models.PositiveIntegerField(_("rows checked"), default=0)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    phase_started_at = models.DateTimeField(null=True, blank=True)
    progress_at = models.DateTimeField(_("last progress"), null=True, blank=True)  # the run's last sign of life
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    failure = models.TextField(_("why it failed"), blank=True)
    # What the check or the import found, as its page shows it (summary, counts, first problems).
    result = models.JSONField(_("result"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)  # the uploader's, for the result
    imported_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("imported by")
    )

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("roster upload")
        verbose_name_plural = _("roster uploads")
        # Reading or writing the whole roster (every phone number) is a right of its
        # own, not a side effect of being allowed to view or add a booth. A callers
        # file also creates and changes accounts, so it needs the user rights too.
        permissions = [
            ("import_roster", _("Can import roster files")),
            ("export_roster", _("Can export the roster")),
            ("import_callers", _("Can import callers files")),
            ("export_callers", _("Can export callers")),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.uploaded_at:%Y-%m-%d %H:%M})"

    @property
    def running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.IMPORTING)

    @property
    def can_import(self) -> bool:
        """Checked, found importable, not imported yet (again after a failed import)."""
        return (
            self.imported_at is None
            and self.status in (self.Status.CHECKED, self.Status.FAILED)
            and bool(self.result.get("dry_run") and self.result.get("can_import"))
        )
