"""CSV rows for each list, read with values() in chunks so memory stays flat however many rows match."""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from django.db.models import QuerySet

from deals.models import DealParty, Evidence, Role

CHUNK_SIZE = 2000

DEAL_COLUMNS = {
    "id": "id",
    "item": "item",
    "category": "category__slug",
    "category_group": "category__parent__slug",
    "status": "status",
    "review_state": "review_state",
    "financing": "financing",
    "quantity": "quantity",
    "quantity_qualifier": "quantity_qualifier",
    "value": "value",
    "currency": "currency_id",
    "value_qualifier": "value_qualifier",
    "value_usd": "value_usd",
    "supplier_org": "supplier_org__code",
    "first_reported": "first_reported",
    "last_reported": "last_reported",
    "source_count": "source_count",
    "outlet_count": "outlet_count",
    "confidence": "confidence",
    "updated_at": "updated_at",
}
DEAL_HEADER = [*DEAL_COLUMNS, "suppliers", "recipients"]

ARTICLE_COLUMNS = {
    "id": "id",
    "url": "url",
    "canonical_url": "canonical_url",
    "publisher": "publisher",
    "title": "title",
    "published": "published",
    "language": "language",
    "source_kind": "source_kind",
    "syndicated_from": "syndicated_from_id",
    "created_at": "created_at",
}
ARTICLE_HEADER = [*ARTICLE_COLUMNS, "deals"]

PARTY_COLUMNS = {
    "code": "code",
    "name": "name",
    "kind": "kind",
    "home_state": "home_state__code",
    "un_member": "un_member",
}
REMOVED_COLUMNS = {"id": "id", "merged_into": "merged_into_id", "reason": "reason", "removed_at": "removed"}


def value_rows(queryset: QuerySet, columns: dict[str, str]) -> Iterator[list]:
    """Rows of the named columns, fetched CHUNK_SIZE at a time (a server-side cursor on PostgreSQL)."""
    paths = list(columns.values())
    plain = queryset.prefetch_related(None).values_list(*paths)
    return (list(row) for row in plain.iterator(chunk_size=CHUNK_SIZE))


def chunks(rows: Iterator[list], size: int = CHUNK_SIZE) -> Iterator[list[list]]:
    """Consecutive lists of up to `size` rows."""
    while chunk := list(islice(rows, size)):
        yield chunk


def deal_rows(deals: QuerySet) -> Iterator[list]:
    """Deal rows with their supplier and recipient codes, joined one chunk at a time."""
    for chunk in chunks(value_rows(deals, DEAL_COLUMNS)):
        codes = _party_codes([row[0] for row in chunk])
        for row in chunk:
            yield [*row, ";".join(codes[row[0], Role.SUPPLIER]), ";".join(codes[row[0], Role.RECIPIENT])]


def _party_codes(deal_ids: Sequence[int]) -> dict[tuple[int, str], list[str]]:
    codes: dict[tuple[int, str], list[str]] = defaultdict(list)
    links = (
        DealParty.objects.filter(deal_id__in=deal_ids, role__in=[Role.SUPPLIER, Role.RECIPIENT])
        .order_by("deal_id", "role", "position", "id")
        .values_list("deal_id", "role", "party__code")
    )
    for deal_id, role, code in links:
        codes[deal_id, role].append(code)
    return codes


def article_rows(articles: QuerySet) -> Iterator[list]:
    """Article rows with the ids of the deals each supports."""
    for chunk in chunks(value_rows(articles, ARTICLE_COLUMNS)):
        deals = _deal_ids_by_article([row[0] for row in chunk])
        for row in chunk:
            yield [*row, ";".join(str(deal_id) for deal_id in deals[row[0]])]


def _deal_ids_by_article(article_ids: Sequence[int]) -> dict[int, list[int]]:
    deals: dict[int, list[int]] = defaultdict(list)
    links = (
        Evidence.objects.filter(article_id__in=article_ids)
        .order_by("article_id", "deal_id")
        .values_list("article_id", "deal_id")
        .distinct()
    )
    for article_id, deal_id in links:
        deals[article_id].append(deal_id)
    return deals


def count_rows(stats: dict[str, list[tuple[str, str, int]]]) -> Iterable[list]:
    """Stats as long-format rows: dimension, key, label, count."""
    return ([dimension, key, label, n] for dimension, counts in stats.items() for key, label, n in counts)
