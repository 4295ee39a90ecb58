"""The deal filters, one definition shared by the deals page, the API and the CSV/JSON exports.

Every parameter is validated: a bad value becomes a form error naming the field, never a 500.
"""

import re
from datetime import UTC

import django_filters
from django import forms
from django.db import connections
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import RawSQL
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .models import Category, Deal, DealParty, Party, ReviewState, Role, Status

CODE_PATTERN = re.compile(r"^[A-Z]{2}$|^EU$|^NATO$")
SLUG_PATTERN = re.compile(r"^[a-z_]{1,64}$")
MAX_LIST_VALUES = 50


class CommaListWidget(forms.TextInput):
    """Accepts `?x=a,b` and `?x=a&x=b` alike."""

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        return ",".join(v for v in values if v)


class CodeListField(forms.CharField):
    widget = CommaListWidget

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return []
        codes = [part.strip().upper() for part in value.split(",") if part.strip()]
        if len(codes) > MAX_LIST_VALUES:
            raise forms.ValidationError(f"At most {MAX_LIST_VALUES} codes.")
        bad = [code for code in codes if not CODE_PATTERN.match(code)]
        if bad:
            raise forms.ValidationError(
                f"Not a party code: {', '.join(bad[:5])}. Use ISO 3166-1 alpha-2 codes, EU or NATO."
            )
        return codes


class UtcDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 time in any offset, compared in UTC (the database refuses offsets beyond ±16 h)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(UTC)
        except OverflowError as error:
            raise forms.ValidationError("Time out of range.") from error


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class SlugListField(forms.CharField):
    widget = CommaListWidget

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return []
        slugs = [part.strip().lower() for part in value.split(",") if part.strip()]
        if len(slugs) > MAX_LIST_VALUES or not all(SLUG_PATTERN.match(slug) for slug in slugs):
            raise forms.ValidationError("Not a category slug.")
        known = set(Category.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        unknown = [slug for slug in slugs if slug not in known]
        if unknown:
            raise forms.ValidationError(f"Unknown category: {', '.join(unknown[:5])}.")
        return slugs


class ChoiceListField(forms.CharField):
    widget = CommaListWidget

    def __init__(self, *args, choices=(), **kwargs):
        self.valid = {value for value, _ in choices}
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return []
        values = [part.strip().lower() for part in value.split(",") if part.strip()]
        unknown = [v for v in values if v not in self.valid]
        if unknown:
            raise forms.ValidationError(
                f"Unknown value: {', '.join(unknown[:5])}. Choose from {', '.join(sorted(self.valid))}."
            )
        return values


# The API schema shows these as one comma-separated string.
@extend_schema_field(OpenApiTypes.STR)
class CodeListFilter(django_filters.Filter):
    field_class = CodeListField


@extend_schema_field(OpenApiTypes.STR)
class SlugListFilter(django_filters.Filter):
    field_class = SlugListField


@extend_schema_field(OpenApiTypes.STR)
class ChoiceListFilter(django_filters.Filter):
    field_class = ChoiceListField


def party_links(codes: list[str], role: str | None = None):
    """The links of the parties named to their deals, in one role or in any."""
    # Party ids as constants, not a join on the code: the planner then knows how many deals a
    # party has (a few states are in most deals) and picks a hash join instead of a slow loop.
    party_ids = list(Party.objects.filter(code__in=codes).values_list("pk", flat=True))
    links = DealParty.objects.filter(party_id__in=party_ids)
    return links.filter(role=role) if role else links


def parties_in_role(codes: list[str], role: str | None = None):
    return Exists(party_links(codes, role).filter(deal=OuterRef("pk")))


def category_ids(slugs: list[str]) -> list[int]:
    """The leaves named, and the leaves of the groups named (the same set as DealQuerySet.in_categories)."""
    return list(
        Category.objects.filter(Q(slug__in=slugs) | Q(parent__slug__in=slugs)).values_list("pk", flat=True)
    )


# The latest last report a deal first reported on a given day can have: that day plus the longest
# span between a deal's first and last report (read from an index on the span, in the same
# statement, so it is exact for the rows the statement sees).
LATEST_LAST_REPORT = "%s::date + (SELECT COALESCE(MAX(last_reported - first_reported), 0) FROM deals_deal)"


def reported_on_or_before(queryset, day):
    """Deals first reported on or before `day`.

    On PostgreSQL the implied bound on the last report is added too, so the newest-first index
    on the last report starts near `day` instead of walking every later deal.
    """
    queryset = queryset.filter(first_reported__lte=day)
    if connections[queryset.db].vendor != "postgresql" or _some_reports_lack_an_end():
        return queryset
    return queryset.filter(last_reported__lte=RawSQL(LATEST_LAST_REPORT, [day]))


def _some_reports_lack_an_end() -> bool:
    # Such a deal would match on its first report alone, and no bound on the last one may drop it.
    return Deal.objects.filter(first_reported__isnull=False, last_reported__isnull=True).exists()


class DealFilterSet(django_filters.FilterSet):
    supplier = CodeListFilter(method="filter_supplier", help_text="Supplier codes (ISO alpha-2, EU, NATO)")
    recipient = CodeListFilter(method="filter_recipient", help_text="Recipient codes")
    country = CodeListFilter(method="filter_country", help_text="Codes in any role")
    category = SlugListFilter(method="filter_category", help_text="Leaf or group category slugs")
    status = ChoiceListFilter(field_name="status", lookup_expr="in", choices=Status.choices)
    review_state = ChoiceListFilter(field_name="review_state", lookup_expr="in", choices=ReviewState.choices)
    date_from = django_filters.DateFilter(
        field_name="last_reported", lookup_expr="gte", help_text="Reported on or after"
    )
    date_to = django_filters.DateFilter(
        field_name="first_reported", method="filter_date_to", help_text="Reported on or before"
    )
    value_min = django_filters.NumberFilter(
        field_name="value_usd", lookup_expr="gte", help_text="Minimum value in USD"
    )
    value_max = django_filters.NumberFilter(
        field_name="value_usd", lookup_expr="lte", help_text="Maximum value in USD"
    )
    updated_since = UtcDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    q = django_filters.CharFilter(
        method="filter_text", max_length=200, help_text="Free text: item, parties, evidence"
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("last_reported", "last_reported"),
            ("first_reported", "first_reported"),
            ("value_usd", "value"),
            ("quantity", "quantity"),
            ("confidence", "confidence"),
            ("source_count", "sources"),
            ("status", "status"),
            ("item", "item"),
            ("id", "id"),
        )
    )

    class Meta:
        model = Deal
        fields: list[str] = []

    def filter_supplier(self, queryset, name, codes):
        return queryset.filter(parties_in_role(codes, Role.SUPPLIER)) if codes else queryset

    def filter_recipient(self, queryset, name, codes):
        return queryset.filter(parties_in_role(codes, Role.RECIPIENT)) if codes else queryset

    def filter_country(self, queryset, name, codes):
        return queryset.filter(parties_in_role(codes)) if codes else queryset

    def filter_date_to(self, queryset, name, day):
        return reported_on_or_before(queryset, day)

    def filter_category(self, queryset, name, slugs):
        return queryset.filter(category_id__in=category_ids(slugs)) if slugs else queryset

    def filter_text(self, queryset, name, text):
        text = text.strip()
        if not text:
            return queryset
        party_match = Exists(
            DealParty.objects.filter(deal=OuterRef("pk")).filter(
                Q(party__name__icontains=text) | Q(party__code__iexact=text)
            )
        )
        return queryset.filter(Q(item__icontains=text) | party_match)
