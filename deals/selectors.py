"""Reads shared by the pages, the API and the exports, so they always agree."""

from collections.abc import Mapping

from django.db.models import Count, Prefetch, QuerySet
from django.http import QueryDict

from .filters import DealFilterSet
from .models import Category, Deal, DealParty, Evidence, Party, Role, StatusChange


class InvalidFilter(ValueError):
    """Raised with the form errors (field -> messages) of a bad filter query."""

    def __init__(self, errors: Mapping[str, list[str]]):
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in self.errors.items()))


def deal_filterset(params: Mapping, *, queryset: QuerySet[Deal] | None = None) -> DealFilterSet:
    """The bound filter set over live deals; callers check is_valid() or use deal_list()."""
    base = queryset if queryset is not None else Deal.objects.live()
    return DealFilterSet(data=params, queryset=base)


def deal_list(*, params: Mapping) -> QuerySet[Deal]:
    """Live deals matching the filters, newest report first unless an ordering is given."""
    filterset = deal_filterset(params)
    if not filterset.is_valid():
        raise InvalidFilter({field: [str(e) for e in errs] for field, errs in filterset.errors.items()})
    queryset = filterset.qs
    if not filterset.form.cleaned_data.get("ordering"):
        queryset = queryset.order_by("-last_reported", "-id")
    return queryset.for_listing()


FACETS = ("supplier", "recipient", "category", "status", "review_state")


def deal_facets(*, params: Mapping, limit: int = 30) -> dict[str, list[tuple[str, str, int]]]:
    """For each facet, (value, label, count) of the deals that choosing it would leave.

    A facet's own filter is left out when counting it, so the alternatives stay visible.
    """
    return {facet: _count_facet(facet, _filtered_ids(_without(params, facet)), limit) for facet in FACETS}


def _without(params: Mapping, key: str) -> QueryDict:
    reduced = QueryDict(mutable=True)
    for name in params:
        if name not in (key, "ordering", "page", "cursor", "format"):
            values = params.getlist(name) if hasattr(params, "getlist") else [params[name]]
            reduced.setlist(name, values)
    return reduced


def _filtered_ids(params: Mapping) -> QuerySet:
    filterset = deal_filterset(params)
    if not filterset.is_valid():
        raise InvalidFilter({field: [str(e) for e in errs] for field, errs in filterset.errors.items()})
    return filterset.qs.order_by().values("pk")


def _count_facet(facet: str, deal_ids: QuerySet, limit: int) -> list[tuple[str, str, int]]:
    if facet in ("supplier", "recipient"):
        rows = (
            DealParty.objects.filter(deal_id__in=deal_ids, role=facet)
            .values("party__code", "party__name")
            .annotate(n=Count("deal_id", distinct=True))
            .order_by("-n", "party__code")[:limit]
        )
        return [(r["party__code"], r["party__name"], r["n"]) for r in rows]
    if facet == "category":
        rows = (
            Deal.objects.filter(pk__in=deal_ids)
            .values("category__slug", "category__name")
            .annotate(n=Count("pk"))
            .order_by("-n", "category__slug")
        )
        return [(r["category__slug"], r["category__name"], r["n"]) for r in rows]
    field = facet
    labels = dict(Deal._meta.get_field(field).choices)
    rows = Deal.objects.filter(pk__in=deal_ids).values(field).annotate(n=Count("pk")).order_by("-n", field)
    return [(r[field], labels.get(r[field], r[field]), r["n"]) for r in rows]


def deal_detail(*, deal_id: int) -> Deal:
    """One deal with everything its page and API detail show, in a fixed number of queries."""
    evidence = Evidence.objects.select_related("article", "currency").order_by("article__published", "id")
    return (
        Deal.objects.for_listing()
        .prefetch_related(
            Prefetch("evidence", queryset=evidence),
            Prefetch("status_changes", queryset=StatusChange.objects.order_by("reported_on", "id")),
        )
        .get(pk=deal_id)
    )


def category_tree() -> list[Category]:
    """Groups with their leaves prefetched, in taxonomy order."""
    return list(Category.objects.groups().prefetch_related("children"))


def party_roles_summary(*, code: str) -> dict[str, int]:
    """How many live deals a party is in, per role."""
    rows = (
        DealParty.objects.filter(party__code=code.upper(), deal__merged_into__isnull=True)
        .values("role")
        .annotate(n=Count("deal_id", distinct=True))
    )
    counts = {role: 0 for role in Role.values}
    counts.update({r["role"]: r["n"] for r in rows})
    return counts


def party_by_code(code: str) -> Party:
    return Party.objects.select_related("home_state").get(code=code.upper())
