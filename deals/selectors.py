"""Reads shared by the pages, the API and the exports, so they always agree."""

from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Case, Count, F, Max, Min, Prefetch, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractYear, TruncDate, TruncMonth
from django.http import QueryDict
from django.utils import timezone

from .filters import DealFilterSet, party_links
from .models import Article, Category, Deal, DealParty, Evidence, Party, ReviewState, Role, StatusChange


class InvalidFilter(ValueError):
    """Raised with the form errors (field -> messages) of a bad filter query."""

    def __init__(self, errors: Mapping[str, list[str]]):
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in self.errors.items()))


def deal_filterset(params: Mapping, *, queryset: QuerySet[Deal] | None = None) -> DealFilterSet:
    """The bound filter set over live deals; callers check is_valid() or use deal_list()."""
    base = queryset if queryset is not None else Deal.objects.live()
    return DealFilterSet(data=params, queryset=base)


class ListingFilterSet(DealFilterSet):
    """The deal filters with their form class built once rather than on every list request.

    django-filter builds the class (every field, label and choice list) per filter set; that
    costs more than a first page's query. Each form still gets its own copy of the fields.
    """

    def get_form_class(self):
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class


def deal_list(*, params: Mapping) -> QuerySet[Deal]:
    """Live deals matching the filters, newest report first unless an ordering is given."""
    filterset = ListingFilterSet(data=params, queryset=Deal.objects.live())
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
    return deal_facets_and_total(params=params, limit=limit)[0]


DEAL_COLUMN_FACETS = ("category", "status", "review_state")
PARTY_FACETS = ("supplier", "recipient")
OTHER_PARTY = {"supplier": "recipient", "recipient": "supplier"}


def deal_facets_and_total(*, params: Mapping, limit: int = 30) -> tuple[dict, int]:
    """The facets of deal_facets() and the number of deals the filters leave, in few queries.

    The filters are read once; all but the five facet filters make one base set. Category,
    status and review state come from one grouped count over the base deals the party filters
    leave; each of them, and the total, is a marginal of it. Parties whose own filter is not set
    share one count; a party facet whose filter is set gets its own.
    """
    filterset = _valid_filterset(_without(params))
    cleaned = filterset.form.cleaned_data
    links = {
        role: party_links(cleaned[role], role).order_by().values("deal_id")
        for role in PARTY_FACETS
        if cleaned.get(role)
    }
    base = _apply_filters(filterset, filterset.queryset.order_by(), _non_facet_filters(filterset))
    in_parties = base.filter(*(Q(pk__in=deal_ids) for deal_ids in links.values()))
    facets, total = _count_deal_columns(in_parties, _accepted_column_values(filterset))
    facets.update(_count_parties(_apply_filters(filterset, base, DEAL_COLUMN_FACETS), links, limit))
    return {facet: facets[facet] for facet in FACETS}, total


def _non_facet_filters(filterset: DealFilterSet) -> list[str]:
    return [name for name in filterset.filters if name not in (*FACETS, "ordering")]


def _apply_filters(filterset: DealFilterSet, deals: QuerySet[Deal], names) -> QuerySet[Deal]:
    """`deals` narrowed by the named filters of a validated filter set, each as it defines itself."""
    cleaned = filterset.form.cleaned_data
    for name in names:
        deals = filterset.filters[name].filter(deals, cleaned.get(name))
    return deals


def _count_deal_columns(deals: QuerySet[Deal], accepted: dict[str, set]) -> tuple[dict, int]:
    # One pass grouped by the three columns (the category by id: no join, a narrow key). A group
    # that every column filter accepts counts in each facet and in the total; a group that only
    # one filter refuses counts in that filter's facet alone, since a facet ignores its own filter.
    rows = deals.values_list("category_id", "status", "review_state").annotate(n=Count("*"))
    categories = {category.pk: category for category in Category.objects.select_related("parent")}
    accepts = [_acceptor(column, accepted.get(column), categories) for column in DEAL_COLUMN_FACETS]
    counts: list[dict] = [{} for _ in DEAL_COLUMN_FACETS]
    total = 0
    for *keys, n in rows:
        refused = [i for i, (accept, key) in enumerate(zip(accepts, keys, strict=True)) if not accept(key)]
        if len(refused) > 1:
            continue
        for i in refused or range(len(keys)):
            counts[i][keys[i]] = counts[i].get(keys[i], 0) + n
        if not refused:
            total += n
    counted = {
        column: _labelled(column, counts[i], categories) for i, column in enumerate(DEAL_COLUMN_FACETS)
    }
    return counted, total


def _labelled(column: str, counts: dict, categories: dict[int, Category]) -> list[tuple[str, str, int]]:
    if column == "category":
        named = [(categories[pk].slug, categories[pk].name, n) for pk, n in counts.items()]
    else:
        labels = dict(Deal._meta.get_field(column).choices)
        named = [(value, labels.get(value, value), n) for value, n in counts.items()]
    return sorted(named, key=lambda item: (-item[2], item[0]))


def _accepted_column_values(filterset: DealFilterSet) -> dict[str, set]:
    """For each column filter that is set, the values it lets through (category and group slugs)."""
    cleaned = filterset.form.cleaned_data
    return {column: set(cleaned[column]) for column in DEAL_COLUMN_FACETS if cleaned.get(column)}


def _acceptor(column: str, values: set | None, categories: dict[int, Category]):
    """Whether a column filter lets a grouped key through (any key when the filter is not set)."""
    if not values:
        return lambda key: True
    if column == "category":
        # A group slug stands for its leaves, as in the category filter.
        values = {
            pk
            for pk, category in categories.items()
            if category.slug in values or (category.parent is not None and category.parent.slug in values)
        }
    return values.__contains__


def _count_parties(deals: QuerySet[Deal], links: dict[str, QuerySet], limit: int) -> dict:
    """The party facets: the facets whose filter is not set share one count, a set one gets its own.

    `deals` are the deals every other filter leaves; `links` holds the deal ids each set party
    filter accepts.
    """
    unset = [role for role in PARTY_FACETS if role not in links]
    in_parties = deals.filter(*(Q(pk__in=deal_ids) for deal_ids in links.values()))
    counts = _party_counts(in_parties, unset) if unset else []
    for role in links:
        other = OTHER_PARTY[role]
        in_other = deals.filter(pk__in=links[other]) if other in links else deals
        counts += _party_counts(in_other, [role])
    names = Party.objects.filter(pk__in={party_id for _, party_id, _ in counts}).values_list(
        "pk", "code", "name"
    )
    parties = {pk: (code, name) for pk, code, name in names}
    counted: dict[str, list[tuple[str, str, int]]] = {role: [] for role in PARTY_FACETS}
    for role, party_id, n in counts:
        counted[role].append((*parties[party_id], n))
    return {
        role: sorted(items, key=lambda item: (-item[2], item[0]))[:limit] for role, items in counted.items()
    }


def _party_counts(deals: QuerySet[Deal], roles: list[str]) -> list[tuple[str, int, int]]:
    # Grouped by the party's id (a narrow key, no join); the codes and names are read afterwards
    # for the few parties counted. A party holds a role in a deal at most once (a unique
    # constraint), so rows count deals.
    links = DealParty.objects.filter(role__in=roles, deal_id__in=deals.values("pk"))
    return list(links.values_list("role", "party_id").annotate(n=Count("*")))


def _without(params: Mapping, *keys: str) -> QueryDict:
    reduced = QueryDict(mutable=True)
    for name in params:
        if name not in (*keys, "ordering", "page", "cursor", "format"):
            values = params.getlist(name) if hasattr(params, "getlist") else [params[name]]
            reduced.setlist(name, values)
    return reduced


def _valid_filterset(params: Mapping) -> DealFilterSet:
    filterset = deal_filterset(params)
    if not filterset.is_valid():
        raise InvalidFilter({field: [str(e) for e in errs] for field, errs in filterset.errors.items()})
    return filterset


def _filtered_ids(params: Mapping) -> QuerySet:
    return _valid_filterset(params).qs.order_by().values("pk")


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


# --- Pages: overview, country, article, review queue, sources ----------------------------------


def overview_stats() -> dict[str, int | Decimal | None]:
    """Headline totals over live deals: deals, value in USD, parties, sources, and what awaits review."""
    live = Deal.objects.live()
    totals = live.aggregate(
        deals=Count("pk"),
        value_usd=Sum("value_usd"),
        unreviewed=Count("pk", filter=Q(review_state=ReviewState.UNREVIEWED)),
    )
    links = DealParty.objects.filter(deal__merged_into__isnull=True)
    totals["suppliers"] = links.filter(role=Role.SUPPLIER).values("party_id").distinct().count()
    totals["recipients"] = links.filter(role=Role.RECIPIENT).values("party_id").distinct().count()
    totals["articles"] = Article.objects.count()
    return totals


def latest_deals(*, limit: int = 10) -> list[Deal]:
    """The most recently recorded live deals."""
    return list(Deal.objects.live().order_by("-created_at", "-id").for_listing()[:limit])


def top_parties(*, role: str, limit: int = 10, deals: QuerySet[Deal] | None = None) -> list[dict]:
    """Parties with the most live deals in one role: code, name, deals, value_usd."""
    links = DealParty.objects.filter(role=role, deal__merged_into__isnull=True)
    if deals is not None:
        links = links.filter(deal__in=deals.order_by().values("pk"))
    return list(
        links.values(code=F("party__code"), name=F("party__name"))
        .annotate(deals=Count("deal_id", distinct=True), value_usd=Sum("deal__value_usd"))
        .order_by("-deals", "code")[:limit]
    )


def monthly_counts_by_category(*, months: int = 24, deals: QuerySet[Deal] | None = None) -> dict:
    """Deals per month of first report, per category group, over the latest `months` months with data.

    Returns {"months": ["2024-01", ...], "series": [{"slug", "name", "counts": [...]}, ...]}.
    """
    base = deals if deals is not None else Deal.objects.live()
    rows = (
        base.filter(first_reported__isnull=False)
        .annotate(month=TruncMonth("first_reported"))
        .values("month", group=Coalesce("category__parent__slug", "category__slug"))
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    counts: dict[tuple[str, str], int] = {}
    for row in rows:
        counts[(_month_key(row["month"]), row["group"])] = row["n"]
    month_keys = sorted({month for month, _ in counts})[-months:]
    series = [
        {
            "slug": group.slug,
            "name": group.name,
            "counts": [counts.get((m, group.slug), 0) for m in month_keys],
        }
        for group in Category.objects.groups()
    ]
    return {"months": month_keys, "series": [s for s in series if any(s["counts"])]}


def _month_key(value) -> str:
    return f"{value.year:04d}-{value.month:02d}"


def flows(*, limit: int = 15, deals: QuerySet[Deal] | None = None) -> list[dict]:
    """The largest supplier -> recipient pairs by number of live deals: supplier, recipient, deals."""
    links = DealParty.objects.filter(
        role=Role.SUPPLIER, deal__merged_into__isnull=True, deal__roles__role=Role.RECIPIENT
    )
    if deals is not None:
        links = links.filter(deal_id__in=deals.order_by().values("pk"))
    return list(
        links.values(supplier=F("party__code"), recipient=F("deal__roles__party__code"))
        .annotate(deals=Count("deal_id", distinct=True))
        .order_by("-deals", "supplier", "recipient")[:limit]
    )


def country_profile(*, code: str) -> dict:
    """A party's page: counts per role, partners each way, categories, yearly timeline, latest deals."""
    party = party_by_code(code)
    deals = Deal.objects.live().involving([party.code])
    as_supplier = Deal.objects.live().involving([party.code], Role.SUPPLIER)
    as_recipient = Deal.objects.live().involving([party.code], Role.RECIPIENT)
    return {
        "party": party,
        "roles": party_roles_summary(code=party.code),
        "recipients": top_parties(role=Role.RECIPIENT, deals=as_supplier),
        "suppliers": top_parties(role=Role.SUPPLIER, deals=as_recipient),
        "categories": _category_counts(deals),
        "timeline": _yearly_counts(as_supplier, as_recipient),
        "latest_as_supplier": list(as_supplier.order_by("-last_reported", "-id").for_listing()[:10]),
        "latest_as_recipient": list(as_recipient.order_by("-last_reported", "-id").for_listing()[:10]),
    }


def _category_counts(deals: QuerySet[Deal]) -> list[dict]:
    return list(
        deals.values(slug=F("category__slug"), name=F("category__name"))
        .annotate(deals=Count("pk"), value_usd=Sum("value_usd"))
        .order_by("-deals", "slug")
    )


def _yearly_counts(as_supplier: QuerySet[Deal], as_recipient: QuerySet[Deal]) -> list[dict]:
    def per_year(deals: QuerySet[Deal]) -> dict[int, int]:
        rows = (
            deals.filter(first_reported__isnull=False)
            .annotate(year=ExtractYear("first_reported"))
            .values("year")
            .annotate(n=Count("pk"))
        )
        return {row["year"]: row["n"] for row in rows}

    supplied, received = per_year(as_supplier), per_year(as_recipient)
    years = sorted(set(supplied) | set(received))
    return [{"year": y, "as_supplier": supplied.get(y, 0), "as_recipient": received.get(y, 0)} for y in years]


def article_detail(*, article_id: int) -> Article:
    """An article with its evidence and each evidence's deal (and the deal's parties) prefetched."""
    evidence = Evidence.objects.select_related("deal", "deal__category").prefetch_related(
        Prefetch(
            "deal__roles", queryset=DealParty.objects.select_related("party").order_by("role", "position")
        )
    )
    return (
        Article.objects.select_related("syndicated_from")
        .prefetch_related(Prefetch("evidence", queryset=evidence.order_by("start", "id")))
        .get(pk=article_id)
    )


def review_queue() -> QuerySet[Deal]:
    """Live unreviewed deals, least confident first, so doubtful extractions are checked first."""
    return (
        Deal.objects.live()
        .filter(review_state=ReviewState.UNREVIEWED)
        .order_by("confidence", "-last_reported", "id")
        .for_listing()
    )


def deal_history(*, deal: Deal, limit: int = 50) -> list[dict]:
    """Who changed what and when: each historical record with the fields it changed."""
    records = list(
        deal.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    entries = []
    for newer, older in zip(records, records[1:] + [None], strict=False):
        changes = newer.diff_against(older).changes if older is not None else []
        entries.append({"record": newer, "changes": changes})
    return entries[:limit]


def articles_per_day(*, days: int = 30) -> list[dict]:
    """How many articles were recorded on each of the last `days` days (days without any included)."""
    since = timezone.now().date() - timedelta(days=days - 1)
    rows = (
        Article.objects.filter(created_at__date__gte=since)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("pk"))
    )
    counts = {row["day"]: row["n"] for row in rows}
    return [
        {"day": since + timedelta(days=i), "articles": counts.get(since + timedelta(days=i), 0)}
        for i in range(days)
    ]


def coverage_summary() -> dict:
    """What the records span: article and deal date ranges, publishers, languages, source kinds."""
    articles = Article.objects.aggregate(
        articles=Count("pk"),
        first_published=Min("published"),
        last_published=Max("published"),
        publishers=Count("publisher", distinct=True),
    )
    articles["languages"] = list(
        Article.objects.exclude(language="")
        .values_list("language", flat=True)
        .distinct()
        .order_by("language")
    )
    articles["by_kind"] = list(Article.objects.values("source_kind").annotate(n=Count("pk")).order_by("-n"))
    articles.update(
        Deal.objects.live().aggregate(first_deal=Min("first_reported"), last_deal=Max("last_reported"))
    )
    return articles


STATS_PARTY_LIMIT = 300


def deal_stats(*, params: Mapping) -> dict[str, list[tuple[str, str, int]]]:
    """Counts of the filtered deals by supplier, recipient, category, status and month."""
    deal_ids = _filtered_ids(_without(params, "ordering"))
    stats = {
        facet: _count_facet(facet, deal_ids, STATS_PARTY_LIMIT)
        for facet in ("supplier", "recipient", "category", "status")
    }
    stats["month"] = _count_by_month(deal_ids)
    return stats


def _count_by_month(deal_ids: QuerySet) -> list[tuple[str, str, int]]:
    rows = (
        Deal.objects.filter(pk__in=deal_ids, first_reported__isnull=False)
        .annotate(month=TruncMonth("first_reported"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    return [(r["month"].strftime("%Y-%m"), r["month"].strftime("%B %Y"), r["n"]) for r in rows]


def removed_deals(*, since: datetime | None = None) -> QuerySet:
    """Tombstones: deals merged into another or rejected, oldest removal first, as value rows.

    A removal without a recorded time counts from the deal's last update.
    """
    removed = Deal.objects.filter(Q(merged_into__isnull=False) | Q(review_state=ReviewState.REJECTED))
    if since is not None:
        removed = removed.filter(Q(removed_at__gte=since) | Q(removed_at__isnull=True, updated_at__gte=since))
    return (
        removed.annotate(
            removed=Coalesce("removed_at", "updated_at"),
            reason=Case(When(merged_into__isnull=False, then=Value("merged")), default=Value("rejected")),
        )
        .order_by("removed", "id")
        .values("id", "merged_into_id", "reason", "removed")
    )


def party_list(*, kind: str = "", q: str = "") -> QuerySet[Party]:
    """Parties by name, optionally of one kind or matching a name fragment or exact code."""
    parties = Party.objects.select_related("home_state").order_by("name", "id")
    if kind:
        parties = parties.filter(kind=kind)
    if q:
        parties = parties.filter(Q(name__icontains=q) | Q(code__iexact=q))
    return parties


def article_list() -> QuerySet[Article]:
    """Articles newest first, without their text, each with the ids of the deals it supports."""
    links = Evidence.objects.only("id", "article_id", "deal_id").order_by("deal_id")
    return (
        Article.objects.defer("text")
        .order_by("-published", "-id")
        .prefetch_related(Prefetch("evidence", queryset=links))
    )
