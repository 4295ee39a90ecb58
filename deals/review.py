"""Analyst review writes: confirm, edit, reject, merge and split deals, each recorded in the history."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from .models import Deal, DealParty, Evidence, ReviewState, StatusChange
from .services import deal_refresh_aggregates, usd_value

EDITABLE_FIELDS = (
    "item",
    "category",
    "status",
    "financing",
    "quantity",
    "quantity_qualifier",
    "value",
    "currency",
    "value_qualifier",
)


class ReviewError(ValueError):
    """A review action that cannot be applied (merging a deal into itself, splitting off nothing...)."""


def _save_reviewed(deal: Deal, user, state: str, reason: str) -> Deal:
    deal.review_state = state
    deal._history_user = user
    deal._change_reason = reason
    deal.save()
    return deal


@transaction.atomic
def deal_confirm(*, deal: Deal, user) -> Deal:
    """Mark a deal as checked and correct as extracted."""
    return _save_reviewed(deal, user, ReviewState.CONFIRMED, "confirmed")


@transaction.atomic
def deal_reject(*, deal: Deal, user, reason: str = "") -> Deal:
    """Mark a deal as wrong: it stays in the records (and the history) but is flagged as rejected."""
    return _save_reviewed(deal, user, ReviewState.REJECTED, f"rejected: {reason}".strip(": "))


@transaction.atomic
def deal_edit(*, deal: Deal, user, changes: Mapping[str, Any]) -> Deal:
    """Apply an analyst's corrections and lock the changed fields against later ingestion."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ReviewError(f"Not editable: {', '.join(sorted(unknown))}")
    changed = [name for name, value in changes.items() if getattr(deal, name) != value]
    for name in changed:
        setattr(deal, name, changes[name])
    if deal.quantity is None:
        deal.quantity_qualifier = ""
    elif not deal.quantity_qualifier:
        deal.quantity_qualifier = "exact"
    if {"value", "currency"} & set(changed):
        year = deal.first_reported.year if deal.first_reported else None
        deal.value_usd = usd_value(deal.value, deal.currency_id, year)
    deal.locked_fields = sorted(set(deal.locked_fields) | set(changed))
    return _save_reviewed(deal, user, ReviewState.EDITED, "edited: " + ", ".join(changed))


@transaction.atomic
def deal_merge(*, keep: Deal, remove: Deal, user) -> Deal:
    """Fold `remove` into `keep`: its evidence, parties and status changes move over; it is retired."""
    if keep.pk == remove.pk:
        raise ReviewError("A deal cannot be merged into itself.")
    if remove.merged_into_id or keep.merged_into_id:
        raise ReviewError("One of these deals has already been merged into another.")
    _move_evidence(remove, keep)
    _move_roles(remove, keep)
    remove.merged_into = keep
    remove.removed_at = timezone.now()
    remove._history_user = user
    remove._change_reason = f"merged into {keep.pk}"
    remove.save()
    deal_refresh_aggregates(deal=keep)
    keep.refresh_from_db()
    keep.confidence = max(keep.confidence, remove.confidence)
    keep._history_user = user
    keep._change_reason = f"absorbed {remove.pk}"
    keep.save()
    return keep


def _move_evidence(source: Deal, target: Deal) -> None:
    taken = set(target.evidence.values_list("article_id", "start"))
    for evidence in source.evidence.all():
        if (evidence.article_id, evidence.start) in taken:
            # The same sentence already backs the kept deal; its status change goes with it.
            evidence.delete()
            continue
        evidence.deal = target
        evidence.save(update_fields=["deal"])
    StatusChange.objects.filter(deal=source).update(deal=target)


def _move_roles(source: Deal, target: Deal) -> None:
    existing = set(target.roles.values_list("party_id", "role"))
    next_position = (target.roles.aggregate(top=Max("position"))["top"] or 0) + 1
    for link in source.roles.order_by("role", "position"):
        if (link.party_id, link.role) not in existing:
            DealParty.objects.create(
                deal=target, party_id=link.party_id, role=link.role, position=next_position
            )
            next_position += 1


@transaction.atomic
def deal_split(*, deal: Deal, evidence_ids: Iterable[int], user) -> Deal:
    """Move some of a deal's evidence to a new deal with the same parties; returns the new deal."""
    chosen = list(Evidence.objects.filter(deal=deal, pk__in=list(evidence_ids)))
    if not chosen:
        raise ReviewError("Choose at least one evidence sentence of this deal to split off.")
    if len(chosen) == deal.evidence.count():
        raise ReviewError("Leave at least one evidence sentence with the original deal.")
    first = chosen[0]
    new_deal = Deal(
        category=deal.category,
        item=first.item or deal.item,
        quantity=first.quantity,
        quantity_qualifier=first.quantity_qualifier if first.quantity else "",
        value=first.value if first.currency_id else None,
        currency=first.currency if first.value is not None else None,
        status=first.status,
        financing=deal.financing,
        supplier_org=deal.supplier_org,
        confidence=first.confidence,
        review_state=ReviewState.EDITED,
    )
    new_deal._history_user = user
    new_deal._change_reason = f"split from {deal.pk}"
    new_deal.save()
    for link in deal.roles.all():
        DealParty.objects.create(
            deal=new_deal, party_id=link.party_id, role=link.role, position=link.position
        )
    Evidence.objects.filter(pk__in=[e.pk for e in chosen]).update(deal=new_deal)
    StatusChange.objects.filter(evidence__in=chosen).update(deal=new_deal)
    deal_refresh_aggregates(deal=new_deal)
    deal_refresh_aggregates(deal=deal)
    _save_reviewed(deal, user, ReviewState.EDITED, f"split off {new_deal.pk}")
    return new_deal
