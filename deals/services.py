"""Writes across the deal records: derived aggregates and USD values. Merging lives in merging.py."""

import datetime
import re
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import JSONField, Model
from django.utils import timezone

from .models import (
    Deal,
    ExchangeRate,
)


def usd_value(value: Decimal | None, currency: str | None, year: int | None) -> Decimal | None:
    """A value converted to US dollars at the yearly average rate (the nearest year we have)."""
    return UsdRates().convert(value, currency, year)


class UsdRates:
    """Yearly rates read once per currency, so a batch of writes converts many values cheaply.

    Short-lived on purpose (one batch of writes): the rate table is refreshed while workers run.
    """

    def __init__(self) -> None:
        self._years: dict[str, list[tuple[int, Decimal]]] = {}

    def convert(self, value: Decimal | None, currency: str | None, year: int | None) -> Decimal | None:
        """The value in US dollars, or None when there is no value or no rate for its currency."""
        if value is None or not currency:
            return None
        if currency == "USD":
            return Decimal(value)
        rate = _rate_for(self._rates(currency), year)
        if rate is None:
            return None
        return (Decimal(value) / rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def _rates(self, currency: str) -> list[tuple[int, Decimal]]:
        if currency not in self._years:
            rows = ExchangeRate.objects.filter(currency_id=currency).order_by("year")
            self._years[currency] = list(rows.values_list("year", "units_per_usd"))
        return self._years[currency]


def _rate_for(years: list[tuple[int, Decimal]], year: int | None) -> Decimal | None:
    """The rate of that year or the nearest earlier one, else the earliest; the latest when no year."""
    if not years:
        return None
    if year is None:
        return years[-1][1]
    earlier = [rate for rate_year, rate in years if rate_year <= year]
    return earlier[-1] if earlier else years[0][1]


def deal_refresh_aggregates(*, deal: Deal) -> Deal:
    """Recompute what is derived from a deal's evidence: source counts, report dates, USD value."""
    aggregates_apply(deal)
    deal.save(update_fields=[*AGGREGATE_FIELDS, "updated_at"])
    return deal


AGGREGATE_FIELDS = ["source_count", "outlet_count", "first_reported", "last_reported", "value_usd"]


def aggregates_apply(deal: Deal) -> None:
    """Set the derived fields on an unsaved deal from its evidence; the caller saves."""
    # Only ids and dates are needed: a syndicated copy counts under the id of the story it reprints.
    articles = set(
        deal.evidence.values_list("article_id", "article__syndicated_from_id", "article__published")
    )
    aggregates_from_sources(deal, articles, UsdRates())


def aggregates_from_sources(
    deal: Deal, articles: Iterable[tuple[int, int | None, datetime.date | None]], rates: UsdRates
) -> None:
    """Set the derived fields from (article id, id of the story it reprints, published) of each source."""
    articles = set(articles)
    dates = [published for _, _, published in articles if published is not None]
    deal.source_count = len({article_id for article_id, _, _ in articles})
    deal.outlet_count = len({original_id or article_id for article_id, original_id, _ in articles})
    deal.first_reported = min(dates, default=None) or deal.first_reported
    deal.last_reported = max(dates, default=None) or deal.last_reported
    year = deal.first_reported.year if deal.first_reported else None
    deal.value_usd = rates.convert(deal.value, deal.currency_id, year)


def recompute_usd_values() -> int:
    """Refresh every deal's USD value after the rate table changed; returns how many changed."""
    changed, rates, now = 0, UsdRates(), timezone.now()
    deals = Deal.objects.filter(value__isnull=False).only("id", "value", "currency", "first_reported", "value_usd")
    for deal in deals.iterator(chunk_size=2000):
        year = deal.first_reported.year if deal.first_reported else None
        new_value = rates.convert(deal.value, deal.currency_id, year)
        if new_value != deal.value_usd:
            # updated_at moves too: incremental sync and the API's page cache follow it
            Deal.objects.filter(pk=deal.pk).update(value_usd=new_value, updated_at=now)
            changed += 1
    return changed


def rows_insert(rows: Sequence[Model], *, returning: bool = False) -> None:
    """Insert new rows (all of one model, none saved) in one statement; with `returning`, set their ids.

    On PostgreSQL each column travels as one array that unnest() turns back into rows: the same
    short statement for any number of rows, and no per-value work in Python beyond adapting JSON.
    """
    if not rows:
        return
    model = type(rows[0])
    if connection.vendor != "postgresql":
        model.objects.bulk_create(rows)
        return
    meta = model._meta
    # New rows leave their id to the database's sequence.
    columns = [field for field in meta.concrete_fields if field is not meta.pk]
    for row in rows:
        row._prepare_related_fields_for_save(operation_name="bulk_create")  # ids of saved parents
    arrays = [[_db_value(field, field.pre_save(row, True)) for row in rows] for field in columns]
    names = ", ".join(connection.ops.quote_name(field.column) for field in columns)
    suffix = f" RETURNING {connection.ops.quote_name(meta.pk.column)}" if returning else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({names}) "
            f"SELECT * FROM unnest({_array_casts(columns)}){suffix}",
            arrays,
        )
        if returning:
            # Rows come back in the order of the arrays, as for Django's own bulk insert.
            for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
                row.pk = pk
                row._state.adding, row._state.db = False, connection.alias


def rows_update(rows: Sequence[Model], fields: Sequence[str]) -> None:
    """Write these fields of these saved rows (all of one model) in a single UPDATE.

    On PostgreSQL the values travel as arrays joined on the primary key: bulk_update builds a
    CASE per field and row, which costs more Python time than the database spends on it.
    """
    if not rows:
        return
    model = type(rows[0])
    if connection.vendor != "postgresql":
        model.objects.bulk_update(rows, fields)
        return
    meta = model._meta
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    arrays = [[_db_value(field, getattr(row, field.attname)) for row in rows] for field in columns]
    names = [connection.ops.quote_name(field.column) for field in columns]
    assignments = ", ".join(f"{name} = v.{name}" for name in names[1:])
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {connection.ops.quote_name(meta.db_table)} AS t SET {assignments} "
            f"FROM unnest({_array_casts(columns)}) AS v({', '.join(names)}) WHERE t.{names[0]} = v.{names[0]}",
            arrays,
        )


def _db_value(field, value):
    # psycopg2 adapts plain values itself; JSON needs the field's own adapter.
    return field.get_db_prep_save(value, connection) if isinstance(field, JSONField) else value


def _array_casts(columns) -> str:
    # Base types without length or precision: a cast to varchar(300) would cut a long value
    # silently, while storing an over-long varchar value into the column fails as it should.
    return ", ".join(f"%s::{_TYPE_MODIFIERS.sub('', field.db_type(connection))}[]" for field in columns)


_TYPE_MODIFIERS = re.compile(r"\(.*?\)")


# --- Merging reports into deals ----------------------------------------------------------------
