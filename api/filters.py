"""Filters of the API's lists (django-filter)."""

import django_filters
from django.db.models import QuerySet

from booths.models import Booth


class BoothFilter(django_filters.FilterSet):
    region = django_filters.NumberFilter(field_name="mandal__district__region_id", help_text="A region's id.")
    district = django_filters.NumberFilter(field_name="mandal__district_id", help_text="A district's id.")
    mandal = django_filters.NumberFilter(field_name="mandal_id", help_text="A mandal's id.")
    vacant = django_filters.BooleanFilter(method="filter_vacant", help_text="Booths without (or with) a president.")

    class Meta:
        model = Booth
        fields = ["region", "district", "mandal", "vacant"]

    def filter_vacant(self, queryset: QuerySet[Booth], name: str, value: bool) -> QuerySet[Booth]:
        return queryset.with_president_flag().filter(has_president=not value)  # type: ignore[attr-defined]
