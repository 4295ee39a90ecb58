"""Overview, country, article and sources pages."""

from django.http import Http404
from django.shortcuts import render

from ingest import selectors as ingest_selectors

from .. import selectors
from ..decorators import browse_required
from ..highlight import Span, highlight, locate
from ..models import Article, Party, Role


@browse_required
def overview(request):
    """Totals, latest deals, top parties, deals per month by category and the largest flows."""
    context = {
        "stats": selectors.overview_stats(),
        "latest": selectors.latest_deals(limit=10),
        "top_suppliers": selectors.top_parties(role=Role.SUPPLIER),
        "top_recipients": selectors.top_parties(role=Role.RECIPIENT),
        "monthly": selectors.monthly_counts_by_category(),
        "flows": selectors.flows(limit=15),
    }
    return render(request, "deals/overview.html", context)


@browse_required
def country(request, code: str):
    """One party as supplier and as recipient: partners, categories, timeline, latest deals."""
    try:
        profile = selectors.country_profile(code=code)
    except Party.DoesNotExist as exc:
        raise Http404("No such party.") from exc
    return render(request, "deals/country.html", profile)


@browse_required
def article(request, article_id: int):
    """An article's text with every extracted sentence marked and linked to its deal."""
    try:
        item = selectors.article_detail(article_id=article_id)
    except Article.DoesNotExist as exc:
        raise Http404("No such article.") from exc
    spans, unplaced = [], []
    for evidence in item.evidence.all():
        found = locate(item.text, evidence.start, evidence.end, evidence.sentence)
        if found:
            spans.append(Span(*found, evidence.deal_id, evidence.pk))
        else:
            unplaced.append(evidence)
    context = {
        "article": item,
        "body": highlight(item.text, spans, link_deals=True),
        "evidence": list(item.evidence.all()),
        "unplaced": unplaced,
    }
    return render(request, "deals/article.html", context)


@browse_required
def sources(request):
    """Feeds with their last success and failure, articles per day, and what the data covers."""
    per_day = selectors.articles_per_day(days=30)
    context = {
        "feeds": list(ingest_selectors.feeds()),
        "per_day": per_day,
        "per_day_chart": [{"day": row["day"].isoformat(), "articles": row["articles"]} for row in per_day],
        "coverage": selectors.coverage_summary(),
    }
    return render(request, "deals/sources.html", context)
