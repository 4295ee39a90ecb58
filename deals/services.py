"""Writes across the deal records."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Max, Min

from .models import Deal, ExchangeRate


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
    evidence = deal.evidence.select_related("article")
    dates = evidence.aggregate(first=Min("article__published"), last=Max("article__published"))
    articles = {e.article for e in evidence}
    deal.source_count = len(articles)
    deal.outlet_count = len({article.outlet_key for article in articles})
    deal.first_reported = dates["first"] or deal.first_reported
    deal.last_reported = dates["last"] or deal.last_reported
    year = deal.first_reported.year if deal.first_reported else None
    deal.value_usd = usd_value(deal.value, deal.currency_id, year)
    deal.save(
        update_fields=[
            "source_count",
            "outlet_count",
            "first_reported",
            "last_reported",
            "value_usd",
            "updated_at",
        ]
    )
    return deal


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
