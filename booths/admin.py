"""Django admin for roster admins, usable with a whole state's booths loaded."""

from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from .selectors import BoothWithPresident

from outreach.types import Text

from .admin_import import export_booths_csv, export_booths_xlsx, export_callers_csv, export_callers_xlsx
from .admin_tools import (
    EstimatedCountPaginator,
    MaskedPhonesMixin,
    UnitFilter,
    masked_column,
    mobile_search_condition,
    unit_filters,
)
from .models import (
    AssemblySeat,
    Booth,
    BoothQuerySet,
    District,
    LokSabhaSeat,
    Mandal,
    Person,
    PersonQuerySet,
    Post,
    Region,
    ShaktiKendra,
    State,
    User,
)
from .phones import format_indian_mobile, mask_mobile

admin.site.site_header = _("Booth Samvad administration")
admin.site.site_title = _("Booth Samvad")
admin.site.index_title = _("Organisation roster")


class RosterAdmin(admin.ModelAdmin):
    """Defaults for every roster list: no full-table COUNT, a sensible page size."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER  # facet counts would COUNT big tables once per filter choice
    list_per_page = 50


@admin.register(State)
class StateAdmin(RosterAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Region)
class RegionAdmin(RosterAdmin):
    list_display = ["name", "state"]
    list_filter = ["state"]
    list_select_related = ["state"]
    search_fields = ["name"]
    autocomplete_fields = ["state"]


@admin.register(District)
class DistrictAdmin(RosterAdmin):
    list_display = ["name", "region", "administrative_district"]
    list_filter = ["region__state", "region"]
    list_select_related = ["region"]
    search_fields = ["name", "administrative_district"]
    autocomplete_fields = ["region"]


@admin.register(Mandal)
class MandalAdmin(RosterAdmin):
    list_display = ["name", "district", "region"]
    list_filter = unit_filters(region="district__region", district="district")
    list_select_related = ["district__region"]
    search_fields = ["name"]
    autocomplete_fields = ["district"]

    @admin.display(description=_("region"), ordering="district__region__name")
    def region(self, mandal: Mandal) -> Region:
        return mandal.district.region


@admin.register(ShaktiKendra)
class ShaktiKendraAdmin(RosterAdmin):
    list_display = ["name", "mandal", "district"]
    list_filter = unit_filters(region="mandal__district__region", district="mandal__district", mandal="mandal")
    list_select_related = ["mandal__district"]
    search_fields = ["name"]
    autocomplete_fields = ["mandal"]

    @admin.display(description=_("district"), ordering="mandal__district__name")
    def district(self, shakti_kendra: ShaktiKendra) -> District:
        return shakti_kendra.mandal.district


@admin.register(LokSabhaSeat)
class LokSabhaSeatAdmin(RosterAdmin):
    # The target and last result are set here one seat at a time, or by `import_seats` for all.
    list_display = ["number", "name", "state", "target_vote_pct", "last_vote_pct"]
    list_display_links = ["number", "name"]
    list_filter = ["state"]
    list_select_related = ["state"]
    search_fields = ["name", "=number"]
    autocomplete_fields = ["state"]


@admin.register(AssemblySeat)
class AssemblySeatAdmin(RosterAdmin):
    list_display = ["number", "name", "lok_sabha_seat", "state"]
    list_display_links = ["number", "name"]
    list_filter = ["state"]
    list_select_related = ["state", "lok_sabha_seat"]
    search_fields = ["name", "=number"]
    autocomplete_fields = ["state", "lok_sabha_seat"]


class BoothPostFormSet(BaseInlineFormSet):
    """All of a booth's posts in one form: check the one-current-president rule on
    the submitted whole, so ending one president and adding the next is one save
    (existing rows are saved before new ones, so the database agrees)."""

    def clean(self) -> None:
        super().clean()
        current_presidents = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("role") == Post.Role.BOOTH_PRESIDENT
            and not form.cleaned_data.get("end_date")
        ]
        if len(current_presidents) > 1:
            raise ValidationError(
                _(
                    "A booth has one current president. Fill in “until” on the outgoing "
                    "president's post when you add the next one."
                )
            )


class BoothPostInline(admin.TabularInline):
    """The booth's presidents and panna pramukhs, current and past."""

    model = Post
    fk_name = "booth"
    formset = BoothPostFormSet
    fields = ["person", "role", "title", "start_date", "end_date"]
    autocomplete_fields = ["person"]
    extra = 0
    verbose_name = _("post at this booth")
    verbose_name_plural = _("posts at this booth (history kept: end a post instead of deleting it)")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Post]:
        return super().get_queryset(request).select_related("person").order_by(F("end_date").desc(nulls_first=True))

    def formfield_for_choice_field(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "role":
            booth_roles = {role for role, unit in Post.ROLE_UNIT.items() if unit == "booth"}
            kwargs["choices"] = [choice for choice in Post.Role.choices if choice[0] in booth_roles]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


class VacantFilter(admin.SimpleListFilter):
    title = _("president")
    parameter_name = "vacant"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Text]]:
        return [("yes", _("Vacant (no current president)")), ("no", _("Has a president"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Booth]) -> QuerySet[Booth]:
        if self.value() in ("yes", "no"):
            booths = cast(BoothQuerySet, queryset)  # the admin's queryset of Booth.objects
            # The plugin checks filters against the model's fields; it cannot see this queryset's own annotations.
            return booths.with_president_flag().filter(has_president=self.value() == "no")  # type: ignore[misc]
        return queryset


@admin.register(Booth)
class BoothAdmin(MaskedPhonesMixin, SimpleHistoryAdmin, RosterAdmin):
    masked_columns = {"president_mobile": "president_mobile_masked"}
    list_display = ["booth_number", "name", "mandal", "district", "president", "president_mobile", "is_active"]
    list_display_links = ["booth_number", "name"]
    list_filter = [
        VacantFilter,
        "is_active",
        *unit_filters(region="mandal__district__region", district="mandal__district", mandal="mandal"),
    ]
    list_select_related = ["assembly_seat", "mandal__district"]
    search_fields = ["name"]
    search_help_text = _("Booth name, a part number (45) or assembly/part (123/45).")
    autocomplete_fields = ["assembly_seat", "mandal", "shakti_kendra"]
    inlines = [BoothPostInline]
    ordering = ["assembly_seat__number", "number"]
    actions = [export_booths_xlsx, export_booths_csv]

    def has_export_roster_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("booths.export_roster")

    change_list_template = "admin/booths/booth/change_list.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Booth]:
        president_posts = Post.objects.current().filter(role=Post.Role.BOOTH_PRESIDENT).select_related("person")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("posts", queryset=president_posts, to_attr="current_president_posts"))
        )

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Booth], search_term: str
    ) -> tuple[QuerySet[Booth], bool]:
        term = search_term.strip()
        seat, sep, part = term.partition("/")
        if sep and seat.strip().isdigit() and part.strip().isdigit():
            return queryset.filter(assembly_seat__number=int(seat), number=int(part)), False
        if term.isdigit():
            return queryset.filter(Q(number=int(term)) | Q(name__icontains=term)), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("booth"), ordering="assembly_seat__number")
    def booth_number(self, booth: Booth) -> str:
        return booth.label

    @admin.display(description=_("district"), ordering="mandal__district__name")
    def district(self, booth: Booth) -> District:
        return booth.mandal.district

    @admin.display(description=_("president"))
    def president(self, booth: "BoothWithPresident") -> Text:
        posts = booth.current_president_posts
        return posts[0].person.name if posts else _("— vacant —")

    @admin.display(description=_("mobile"))
    def president_mobile(self, booth: "BoothWithPresident") -> str:
        posts = booth.current_president_posts
        return format_indian_mobile(posts[0].person.mobile) if posts else ""

    president_mobile_masked = masked_column(
        _("mobile"),
        lambda booth: booth.current_president_posts[0].person.mobile if booth.current_president_posts else "",
    )


class PersonPostInline(admin.TabularInline):
    model = Post
    fk_name = "person"
    fields = [
        "role",
        "title",
        "state",
        "region",
        "district",
        "mandal",
        "shakti_kendra",
        "booth",
        "start_date",
        "end_date",
    ]
    autocomplete_fields = ["state", "region", "district", "mandal", "shakti_kendra", "booth"]
    extra = 0
    verbose_name_plural = _("posts (history kept: end a post instead of deleting it)")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Post]:
        return super().get_queryset(request).order_by(F("end_date").desc(nulls_first=True), "-start_date")


if TYPE_CHECKING:

    class _PersonListed(TypedDict):
        mobile_shared: bool
        current_posts_list: list[Post]

    # A person as PersonAdmin.get_queryset reads them.
    ListedPerson = WithAnnotations[Person, _PersonListed]


class PhoneProblemFilter(admin.SimpleListFilter):
    title = _("mobile number")
    parameter_name = "mobile_problem"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Text]]:
        return [
            ("missing", _("No mobile")),
            ("shared", _("Shared with another person")),
            ("do_not_call", _("Do not call")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Person]) -> QuerySet[Person]:
        match self.value():
            case "missing":
                return queryset.filter(mobile="")
            case "shared":
                # with_shared_mobile_flag() (PersonAdmin.get_queryset) adds it; the plugin sees only fields.
                return queryset.exclude(mobile="").filter(mobile_shared=True)  # type: ignore[misc]
            case "do_not_call":
                return queryset.filter(do_not_call=True)
        return queryset


class CurrentRoleFilter(admin.SimpleListFilter):
    title = _("current post")
    parameter_name = "role"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Text]]:
        return [*Post.Role.choices, ("none", _("No current post"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Person]) -> QuerySet[Person]:
        value = self.value()
        if value == "none":
            return queryset.exclude(Exists(Post.objects.current().filter(person=OuterRef("pk"))))
        if value in Post.Role.values:
            return queryset.filter(Exists(Post.objects.current().filter(person=OuterRef("pk"), role=value)))
        return queryset


class PersonDistrictFilter(UnitFilter):
    """People whose current post lies in a district (a booth, mandal or the district itself)."""

    title = _("district")
    parameter_name = "district"
    model = District

    def condition(self, pk: int) -> Q:
        in_district = (
            Q(booth__mandal__district_id=pk)
            | Q(shakti_kendra__mandal__district_id=pk)
            | Q(mandal__district_id=pk)
            | Q(district_id=pk)
        )
        return Q(Exists(Post.objects.current().filter(in_district, person=OuterRef("pk"))))


@admin.register(Person)
class PersonAdmin(MaskedPhonesMixin, SimpleHistoryAdmin, RosterAdmin):
    masked_columns = {"mobile_display": "mobile_masked", "alternate_display": "alternate_masked"}
    list_display = ["name", "mobile_display", "mobile_shared", "alternate_display", "do_not_call", "current_posts"]
    list_filter = [PhoneProblemFilter, CurrentRoleFilter, PersonDistrictFilter]
    search_fields = ["name"]
    search_help_text = _("Name, or a mobile number in any format.")
    fieldsets = [
        (None, {"fields": ["name", "mobile", "alternate_mobile"]}),
        (_("Calling"), {"fields": ["do_not_call", "do_not_call_reason", "notes"]}),
    ]
    inlines = [PersonPostInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Person]:
        current_posts = Post.objects.current().select_related(
            "state", "region", "district", "mandal", "shakti_kendra", "booth__assembly_seat"
        )
        return (
            cast(PersonQuerySet, super().get_queryset(request))  # the queryset of Person.objects
            .with_shared_mobile_flag()
            .prefetch_related(Prefetch("posts", queryset=current_posts, to_attr="current_posts_list"))
        )

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Person], search_term: str
    ) -> tuple[QuerySet[Person], bool]:
        condition = mobile_search_condition(search_term, "mobile", "alternate_mobile")
        if condition is not None:
            return queryset.filter(condition), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("mobile"), ordering="mobile")
    def mobile_display(self, person: Person) -> str:
        return format_indian_mobile(person.mobile)

    @admin.display(description=_("alternate mobile"))
    def alternate_display(self, person: Person) -> str:
        return format_indian_mobile(person.alternate_mobile)

    mobile_masked = masked_column(_("mobile"), lambda person: person.mobile, ordering="mobile")
    alternate_masked = masked_column(_("alternate mobile"), lambda person: person.alternate_mobile)

    @admin.display(description=_("shared number"), boolean=True)
    def mobile_shared(self, person: "ListedPerson") -> bool:
        return bool(person.mobile) and person.mobile_shared

    @admin.display(description=_("current posts"))
    def current_posts(self, person: "ListedPerson") -> str:
        return format_html_join(", ", "{}", ((str(post),) for post in person.current_posts_list))


class PostCurrentFilter(admin.SimpleListFilter):
    title = _("held")
    parameter_name = "current"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Text]]:
        return [("yes", _("Currently held")), ("no", _("Ended"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Post]) -> QuerySet[Post]:
        if self.value() in ("yes", "no"):
            return queryset.filter(end_date__isnull=self.value() == "yes")
        return queryset


@admin.register(Post)
class PostAdmin(SimpleHistoryAdmin, RosterAdmin):
    list_display = ["person", "role", "title", "unit_display", "start_date", "end_date"]
    list_filter = [PostCurrentFilter, "role"]
    list_select_related = ["person", "state", "region", "district", "mandal", "shakti_kendra", "booth__assembly_seat"]
    search_fields = ["person__name", "title"]
    autocomplete_fields = ["person", "state", "region", "district", "mandal", "shakti_kendra", "booth"]
    ordering = ["-start_date", "-pk"]

    @admin.display(description=_("where"))
    def unit_display(self, post: Post) -> str:
        units = [getattr(post, field) for field in Post.UNIT_FIELDS if getattr(post, f"{field}_id")]
        return " · ".join(str(unit) for unit in units)


class CallerFilter(admin.SimpleListFilter):
    title = _("caller")
    parameter_name = "caller"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Text]]:
        return [("yes", _("Calls booth presidents")), ("no", _("Not a caller"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> QuerySet[User]:
        caller_posts = Post.objects.current().callers().filter(person_id=OuterRef("person_id"))
        if self.value() == "yes":
            return queryset.filter(Exists(caller_posts))
        if self.value() == "no":
            return queryset.exclude(Exists(caller_posts))
        return queryset


@admin.register(User)
class UserAdmin(MaskedPhonesMixin, SimpleHistoryAdmin, DjangoUserAdmin):
    masked_columns = {"username": "username_masked"}
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    list_display = ["username", "person", "caller_posts", "is_active", "is_staff", "last_login"]
    list_filter = [CallerFilter, "is_active", "is_staff", "is_superuser"]
    list_select_related = ["person"]
    search_fields = ["username", "person__name", "email"]
    autocomplete_fields = ["person"]
    actions = [export_callers_xlsx, export_callers_csv]
    change_list_template = "admin/booths/user/change_list.html"
    fieldsets = [
        (None, {"fields": ["username", "password", "person"]}),
        *(DjangoUserAdmin.fieldsets or ())[1:],
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        caller_posts = Post.objects.current().with_accounts().select_related("state", "region", "district")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("person__posts", queryset=caller_posts, to_attr="caller_posts_list"))
        )

    @admin.display(description=_("username"), ordering="username")
    def username_masked(self, user: User) -> str:
        # A caller's username is their mobile number; an admin's is a name, shown as it is.
        return mask_mobile(user.username) if user.username.startswith("+91") else user.username

    def has_export_callers_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("booths.export_callers")

    @admin.display(description=_("calls or leads as"))
    def caller_posts(self, user: User) -> str:
        if not user.person:
            return ""
        return format_html_join(", ", "{}", ((str(post),) for post in user.person.caller_posts_list))


@admin.register(LogEntry)
class AuditLogAdmin(admin.ModelAdmin):
    """Who did what in the admin: the admin's own log of additions, changes and
    deletions, and the actions that change no record (exports, imports, revoked
    and shown sign-in links; booths/audit.py). Nobody edits it."""

    list_display = ["action_time", "user", "action_flag", "content_type", "object_repr", "change_message"]
    list_filter = ["action_flag", "content_type"]
    list_select_related = ["user", "content_type"]
    search_fields = ["object_repr", "change_message", "user__username"]
    date_hierarchy = "action_time"
    readonly_fields = [field.name for field in LogEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
