"""Writes across the deal records: derived aggregates and USD values. Merging lives in merging.py."""

from decimal import ROUND_HALF_UP, Decimal

from .models import (
    Deal,
    ExchangeRate,
)


def usd_value(value: Decimal | None, currency: str | None, year: int | None) -> Decimal | None:
    """A value converted to US dollars at the yearly average rate (the nearest year we have)."""
    if value is None or not currency:
        return None
    if currency == "USD":
        return Decimal(value)
    rates = ExchangeRate.objects.filter(currency_id=currency)
    if year is not None:
        rate = rates.filter(year__lte=year).order_by("-year").first() or rates.order_by("year").first()
    else:
        rate = rates.order_by("-year").first()
    if rate is None:
        return None
    return (Decimal(value) / rate.units_per_usd).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


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
    dates = [published for _, _, published in articles if published is not None]
    deal.source_count = len({article_id for article_id, _, _ in articles})
    deal.outlet_count = len({original_id or article_id for article_id, original_id, _ in articles})
    deal.first_reported = min(dates, default=None) or deal.first_reported
    deal.last_reported = max(dates, default=None) or deal.last_reported
    year = deal.first_reported.year if deal.first_reported else None
    deal.value_usd = usd_value(deal.value, deal.currency_id, year)


def recompute_usd_values() -> int:
    """Refresh every deal's USD value after the rate table changed; returns how many changed."""
    changed = 0
    for deal in Deal.objects.filter(value__isnull=False).only(
        "id", "value", "currency", "first_reported", "value_usd"
    ):
        year = deal.first_reported.year if deal.first_reported else None
        new_value = usd_value(deal.value, deal.currency_id, year)
        if new_value != deal.value_usd:
            Deal.objects.filter(pk=deal.pk).update(value_usd=new_value)
            changed += 1
    return changed


# --- Merging reports into deals ----------------------------------------------------------------
