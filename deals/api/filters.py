"""Query parameters of the API lists other than the shared deal filters (deals/filters.py)."""

from rest_framework import serializers

from deals.filters import DealFilterSet
from deals.models import PartyKind


class UnorderedDealFilterSet(DealFilterSet):
    """The deal filters without `ordering`, for lists whose order is fixed (cursor pages, stats)."""

    ordering = None


class PartyQuery(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=PartyKind.choices, required=False, help_text="Only parties of this kind"
    )
    q = serializers.CharField(
        required=False, max_length=100, help_text="Part of a name, or an exact code (ISO alpha-2, EU, NATO)"
    )


class RemovedQuery(serializers.Serializer):
    since = serializers.DateTimeField(
        required=False, help_text="Only deals removed at or after this time (ISO 8601)"
    )
