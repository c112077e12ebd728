"""Admin building blocks that keep list pages fast at state scale.

A state has ~163,000 booths: a changelist must not COUNT the whole table on
every page, and a filter must not list 1,900 mandals in the sidebar.
"""

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from outreach.types import Text

from .models import District, Mandal, Region
from .phones import mask_mobile, parse_indian_mobile, sees_full_phones

if TYPE_CHECKING:
    _ModelAdmin = admin.ModelAdmin  # what the mixin is mixed into
else:
    _ModelAdmin = object


class EstimatedCountPaginator(Paginator):
    """Uses PostgreSQL's row estimate instead of COUNT(*) for an unfiltered big table.

    Filtered lists (a district's booths) are counted exactly: they are small and
    people read those numbers.
    """

    exact_below = 50_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if isinstance(queryset, QuerySet) and not queryset.query.where:
            connection = connections[queryset.db]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                        [queryset.model._meta.db_table],
                    )
                    row = cursor.fetchone()
                if row and row[0] >= self.exact_below:
                    return int(row[0])
        return super().count


class UnitFilter(admin.SimpleListFilter):
    """Filter by a unit of the map, listing only the units under the parent filter
    already chosen (a district's mandals once a district is picked).

    Subclasses set `model`, `parameter_name`, `title`, the `lookup_path` from the
    filtered model to the unit's id, and optionally a `parent` filter class.
    """

    model: type[Region | District | Mandal]
    parameter_name: str
    lookup_path: str = ""
    parent: "type[UnitFilter] | None" = None
    parent_field: str = ""  # the unit's field that points at the parent unit
    needs_parent = False  # list nothing until the parent is chosen (too many to list)

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> Iterable[tuple[Any, str]]:
        units = self.model.objects.order_by("name")
        if self.parent is not None:
            parent_value = request.GET.get(self.parent.parameter_name)
            if parent_value and parent_value.isdigit():
                units = units.filter(**{self.parent_field: parent_value})
            elif self.needs_parent:
                return []
        return [(unit.pk, unit.name) for unit in units.only("pk", "name")]

    def has_output(self) -> bool:
        return True

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(self.condition(int(value)))
        return queryset

    def condition(self, pk: int) -> Q:
        return Q(**{self.lookup_path: pk})


def unit_filters(*, region: str, district: str, mandal: str | None = None) -> list[Any]:
    """Region > district > mandal filters for a model reaching them through the given paths."""

    class RegionFilter(UnitFilter):
        title = _("region")
        parameter_name = "region"
        model = Region
        lookup_path = region

    class DistrictFilter(UnitFilter):
        title = _("district")
        parameter_name = "district"
        model = District
        lookup_path = district
        parent = RegionFilter
        parent_field = "region_id"

    filters: list[type[UnitFilter]] = [RegionFilter, DistrictFilter]
    if mandal:
        mandal_path = mandal

        class MandalFilter(UnitFilter):
            title = _("mandal (choose a district first)")
            parameter_name = "mandal"
            model = Mandal
            lookup_path = mandal_path
            parent = DistrictFilter
            parent_field = "district_id"
            needs_parent = True

        filters.append(MandalFilter)
    return filters


def mobile_search_condition(term: str, *fields: str) -> Q | None:
    """A condition matching `term` as a mobile number in any of `fields`, or None
    when the term is not a mobile number (then search by name instead)."""
    if sum(ch.isdigit() for ch in term) < 10:
        return None
    try:
        number = parse_indian_mobile(term).as_e164
    except ValidationError:
        return None
    condition = Q()
    for field in fields:
        condition |= Q(**{field: number})
    return condition


def masked_column(description: Text, number: Callable[[Any], object], ordering: str | None = None) -> Callable:
    """An admin list column showing `number(obj)` as 98••••3210 (see MaskedPhonesMixin)."""

    @admin.display(description=description, ordering=ordering)
    def column(modeladmin: admin.ModelAdmin, obj: Any) -> str:
        return mask_mobile(number(obj))

    return column


class MaskedPhonesMixin(_ModelAdmin):
    """List columns with mobile numbers show them masked (98••••3210) to staff
    without `view_full_phone`; a record's own page shows them whole."""

    masked_columns: dict[str, str] = {}  # column -> the method showing it masked

    def get_list_display(self, request: HttpRequest) -> list[Any]:
        columns: list[Any] = list(super().get_list_display(request))
        if sees_full_phones(request.user):
            return columns
        return [self.masked_columns.get(column, column) for column in columns]

    # Django returns None when list_display_links is None; the stubs say it never does.
    def get_list_display_links(self, request: HttpRequest, list_display: Any) -> Sequence[Any] | None:  # type: ignore[override]
        links: Sequence[Any] | None = super().get_list_display_links(request, list_display)
        if links is None or sees_full_phones(request.user):
            return links
        return [self.masked_columns.get(column, column) for column in links]
