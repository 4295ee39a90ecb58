"""One deal: parties, figures per source, status timeline, evidence in context, review and history."""

from django.http import Http404
from django.shortcuts import render

from .. import selectors
from ..access import is_analyst
from ..decorators import browse_required
from ..forms import DealEditForm, MergeForm, RejectForm, SplitForm
from ..highlight import Span, in_context, locate
from ..models import Deal, Role


@browse_required
def deal_detail(request, deal_id: int):
    """The deal page."""
    return render_deal_page(request, load_deal(deal_id))


def load_deal(deal_id: int) -> Deal:
    try:
        return selectors.deal_detail(deal_id=deal_id)
    except Deal.DoesNotExist as exc:
        raise Http404("No such deal.") from exc


def render_deal_page(request, deal: Deal, *, forms: dict | None = None, status: int = 200):
    """The deal page, with any bound forms that failed validation shown with their errors."""
    evidence = list(deal.evidence.all())
    context = {
        "deal": deal,
        "parties": _parties_by_role(deal),
        "sources": _figures_per_source(deal, evidence),
        "disagreements": _disagreements(deal, evidence),
        "evidence": [_evidence_in_context(item) for item in evidence],
        "timeline": list(deal.status_changes.all()),
        "history": selectors.deal_history(deal=deal),
        "can_review": is_analyst(request.user),
    }
    if context["can_review"]:
        context["forms"] = {
            "edit": DealEditForm(instance=deal, prefix="edit"),
            "reject": RejectForm(prefix="reject"),
            "merge": MergeForm(deal=deal, prefix="merge"),
            "split": SplitForm(deal=deal, prefix="split"),
            **(forms or {}),
        }
    return render(request, "deals/deal_detail.html", context, status=status)


def _parties_by_role(deal: Deal) -> list[dict]:
    links = list(deal.roles.all())
    return [
        {"role": label, "parties": [link.party for link in links if link.role == role]}
        for role, label in Role.choices
        if any(link.role == role for link in links)
    ]


def _figures_per_source(deal: Deal, evidence: list) -> list[dict]:
    return [
        {
            "evidence": item,
            "quantity_differs": item.quantity is not None
            and deal.quantity is not None
            and item.quantity != deal.quantity,
            "value_differs": item.value is not None
            and deal.value is not None
            and (item.value != deal.value or item.currency_id != deal.currency_id),
        }
        for item in evidence
    ]


def _disagreements(deal: Deal, evidence: list) -> list[str]:
    notes = []
    quantities = sorted({item.quantity for item in evidence if item.quantity is not None})
    if len(quantities) > 1:
        notes.append("Sources disagree on the quantity: " + ", ".join(f"{q:,}" for q in quantities))
    values = sorted({(item.currency_id, item.value) for item in evidence if item.value is not None})
    if len(values) > 1:
        notes.append("Sources disagree on the value: " + ", ".join(f"{c} {v:,}" for c, v in values))
    return notes


def _evidence_in_context(item) -> dict:
    found = locate(item.article.text, item.start, item.end, item.sentence)
    context = in_context(item.article.text, Span(*found, item.deal_id, item.pk)) if found else None
    return {"evidence": item, "article": item.article, "context": context}
