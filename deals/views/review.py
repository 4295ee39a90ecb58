"""Review: the queue of unreviewed deals and the POST actions on one deal."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .. import review, selectors
from ..decorators import analyst_required
from ..forms import DealEditForm, MergeForm, RejectForm, SplitForm
from ..review import EDITABLE_FIELDS, ReviewError
from .detail import load_deal, render_deal_page

QUEUE_PAGE_SIZE = 50


@analyst_required
def review_queue(request):
    """Unreviewed deals, least confident first, workable from the keyboard."""
    page = Paginator(selectors.review_queue(), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "deals/review_queue.html", {"page": page, "here": request.get_full_path()})


def _back(request, deal):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("deals:deal_detail", deal_id=deal.pk)


@require_POST
@analyst_required
def deal_confirm(request, deal_id: int):
    deal = load_deal(deal_id)
    review.deal_confirm(deal=deal, user=request.user)
    messages.success(request, f"Deal {deal.pk} confirmed.")
    return _back(request, deal)


@require_POST
@analyst_required
def deal_reject(request, deal_id: int):
    deal = load_deal(deal_id)
    form = RejectForm(request.POST, prefix="reject")
    if not form.is_valid():
        return render_deal_page(request, deal, forms={"reject": form}, status=400)
    review.deal_reject(deal=deal, user=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, f"Deal {deal.pk} rejected.")
    return _back(request, deal)


@require_POST
@analyst_required
def deal_edit(request, deal_id: int):
    deal = load_deal(deal_id)
    form = DealEditForm(request.POST, instance=deal, prefix="edit")
    if not form.is_valid():
        return render_deal_page(request, deal, forms={"edit": form}, status=400)
    changes = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS}
    review.deal_edit(deal=deal, user=request.user, changes=changes)
    messages.success(request, f"Deal {deal.pk} saved; changed fields are locked against re-ingestion.")
    return redirect("deals:deal_detail", deal_id=deal.pk)


@require_POST
@analyst_required
def deal_merge(request, deal_id: int):
    deal = load_deal(deal_id)
    form = MergeForm(request.POST, deal=deal, prefix="merge")
    if not form.is_valid():
        return render_deal_page(request, deal, forms={"merge": form}, status=400)
    other = form.cleaned_data["other"]
    try:
        review.deal_merge(keep=deal, remove=other, user=request.user)
    except ReviewError as exc:
        form.add_error("other", str(exc))
        return render_deal_page(request, deal, forms={"merge": form}, status=400)
    messages.success(request, f"Deal {other.pk} merged into this one.")
    return redirect("deals:deal_detail", deal_id=deal.pk)


@require_POST
@analyst_required
def deal_split(request, deal_id: int):
    deal = load_deal(deal_id)
    form = SplitForm(request.POST, deal=deal, prefix="split")
    if not form.is_valid():
        return render_deal_page(request, deal, forms={"split": form}, status=400)
    try:
        new_deal = review.deal_split(
            deal=deal, evidence_ids=[e.pk for e in form.cleaned_data["evidence"]], user=request.user
        )
    except ReviewError as exc:
        form.add_error("evidence", str(exc))
        return render_deal_page(request, deal, forms={"split": form}, status=400)
    messages.success(request, f"Split off as deal {new_deal.pk}.")
    return redirect("deals:deal_detail", deal_id=new_deal.pk)
