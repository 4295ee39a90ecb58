"""CSV and JSON downloads of exactly the deals a filter selects, streamed row by row."""

import csv
import json
from collections.abc import Iterator

from django.db.models import QuerySet

from .models import Deal, Role

COLUMNS = (
    "id",
    "item",
    "category",
    "category_group",
    "status",
    "suppliers",
    "recipients",
    "quantity",
    "quantity_qualifier",
    "value",
    "currency",
    "value_usd",
    "financing",
    "first_reported",
    "last_reported",
    "source_count",
    "outlet_count",
    "confidence",
    "review_state",
)
CHUNK_SIZE = 2000
# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def deal_row(deal: Deal) -> dict:
    """One deal as a flat record; codes of several parties in a role are joined with spaces."""
    category = deal.category
    return {
        "id": deal.pk,
        "item": deal.item,
        "category": category.slug,
        "category_group": category.parent.slug if category.parent_id else category.slug,
        "status": deal.status,
        "suppliers": " ".join(deal.codes(Role.SUPPLIER)),
        "recipients": " ".join(deal.codes(Role.RECIPIENT)),
        "quantity": deal.quantity,
        "quantity_qualifier": deal.quantity_qualifier,
        "value": str(deal.value) if deal.value is not None else None,
        "currency": deal.currency_id,
        "value_usd": str(deal.value_usd) if deal.value_usd is not None else None,
        "financing": deal.financing,
        "first_reported": deal.first_reported.isoformat() if deal.first_reported else None,
        "last_reported": deal.last_reported.isoformat() if deal.last_reported else None,
        "source_count": deal.source_count,
        "outlet_count": deal.outlet_count,
        "confidence": round(deal.confidence, 3),
        "review_state": deal.review_state,
    }


class _Echo:
    """A file-like object whose write() hands the line back, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def _spreadsheet_safe(value) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_lines(deals: QuerySet[Deal]) -> Iterator[str]:
    """The header, then one CSV line per deal."""
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for deal in deals.iterator(chunk_size=CHUNK_SIZE):
        row = deal_row(deal)
        yield writer.writerow([_spreadsheet_safe(row[column]) for column in COLUMNS])


def json_chunks(deals: QuerySet[Deal]) -> Iterator[str]:
    """A JSON array of deal records, produced one record at a time."""
    yield "["
    separator = ""
    for deal in deals.iterator(chunk_size=CHUNK_SIZE):
        yield separator + json.dumps(deal_row(deal), ensure_ascii=False)
        separator = ",\n"
    yield "]\n"
