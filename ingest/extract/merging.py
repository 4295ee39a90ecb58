"""Folding repeated reports of one deal together, and dropping deals that later text supersedes."""

from __future__ import annotations

import re

from .drafts import Draft, merge_into

REFERENCE_REACH = 200  # "the ammunition" may point far back, but work per sentence stays bounded


def add_draft(drafts: list[Draft], draft: Draft) -> None:
    """Record a draft, or fold it into an earlier report of the same deal."""
    if _refers_back(drafts, draft):
        return
    reference = bool(draft.counts) and all(c.anaphoric for c in draft.counts)
    for existing in reversed(drafts[-REFERENCE_REACH:]):
        if draft.sentence.index - existing.sentence.index > 5 and not reference:
            break
        if _narrows(existing, draft):
            existing.recipients = list(draft.recipients)
            merge_into(existing, draft)
            return
        if (
            existing.key == draft.key
            and existing.sentence.index != draft.sentence.index
            and _same_deal(existing, draft)
        ):
            merge_into(existing, draft)
            return
    drafts.append(draft)


PROGRESS = {
    "announced": 0,
    "negotiating": 1,
    "agreed": 2,
    "pledged": 2,
    "approved": 3,
    "signed": 3,
    "delivered": 4,
}


def _refers_back(drafts: list[Draft], draft: Draft) -> bool:
    """ "the last of those aircraft arrived": a later stage of a deal already recorded."""
    if not draft.counts or not all(c.anaphoric and c.quantity is None for c in draft.counts):
        return False
    for existing in reversed(drafts):
        if draft.sentence.index - existing.sentence.index > 2:
            break
        same = existing.category == draft.category and existing.suppliers == draft.suppliers
        if same and set(existing.recipients) & set(draft.recipients):
            if PROGRESS.get(draft.status, -1) > PROGRESS.get(existing.status, 5):
                existing.status = draft.status
            return True
    return False


def _narrows(existing: Draft, draft: Draft) -> bool:
    """A summary deal to several recipients followed by the detail for one of them."""
    return (
        existing.sentence.index != draft.sentence.index
        and existing.suppliers == draft.suppliers
        and existing.category == draft.category
        and existing.status == draft.status
        and len(existing.recipients) > 1
        and set(draft.recipients) < set(existing.recipients)
        and not any(c.quantity for c in existing.counts)
    )


def _same_deal(existing: Draft, draft: Draft) -> bool:
    if draft.package == existing.package and draft.package >= 0:
        return True
    if draft.continuation and draft.sentence.index - existing.sentence.index <= 2:
        return True
    known = {c.text.lower() for c in existing.counts}
    if all(c.anaphoric or c.text.lower() in known for c in draft.counts):
        return True
    if not any(c.quantity for c in existing.counts) and not any(c.quantity is None for c in draft.counts):
        return True
    return _generic_and_named(existing, draft)


def _generic_and_named(existing: Draft, draft: Draft) -> bool:
    """ "anti-aircraft missiles" then "Stinger systems": a general mention and its specific name."""
    old_named = any(c.named for c in existing.counts)
    new_named = any(c.named for c in draft.counts)
    return old_named != new_named


GRANTED = {"approved", "pledged", "signed", "agreed", "delivered"}


def dedupe(drafts: list[Draft]) -> list[Draft]:
    """Drop requests later granted (folded into the grant) and general summaries a detail replaced."""
    granted: dict[tuple[frozenset[str], frozenset[str], str], list[Draft]] = {}
    for d in drafts:
        if d.status in GRANTED:
            granted.setdefault((frozenset(d.suppliers), frozenset(d.recipients), d.category), []).append(d)
    confirmed = {(d.sentence.index, tuple(d.suppliers), tuple(d.recipients)) for d in drafts if d.confirmed}
    kept = [
        d
        for d in drafts
        if not (
            d.status == "requested"
            and _granted_later(
                d, granted.get((frozenset(d.suppliers), frozenset(d.recipients), d.category), [])
            )
        )
        and not _superseded_summary(d, confirmed)
    ]
    return _fold_bare_ammunition(_one_answer_per_request(kept))


SPECIFIC_AMMUNITION = frozenset(
    {"artillery_ammunition", "tank_ammunition", "small_arms_ammunition", "rockets_missiles"}
)
BARE_AMMUNITION = frozenset({"ammunition", "munitions", "rounds"})


def _fold_bare_ammunition(drafts: list[Draft]) -> list[Draft]:
    """ "supplying ammunition to Ukraine", later "sending artillery shells and rockets": the kinds named."""
    specific: dict[tuple[frozenset[str], frozenset[str], str], Draft] = {}
    for draft in drafts:
        if draft.category in SPECIFIC_AMMUNITION:
            specific.setdefault(
                (frozenset(draft.suppliers), frozenset(draft.recipients), draft.status), draft
            )
    kept = []
    for draft in drafts:
        target = specific.get((frozenset(draft.suppliers), frozenset(draft.recipients), draft.status))
        bare = draft.category == "ammunition_other" and all(
            c.text.lower() in BARE_AMMUNITION and c.quantity is None for c in draft.counts
        )
        if bare and target is not None and draft.money is None:
            target.denied_by = sorted(set(target.denied_by) | set(draft.denied_by))
            continue
        kept.append(draft)
    return kept


ANOTHER_REQUEST = re.compile(r"\b(?:also|separately|additionally)\b", re.IGNORECASE)


def _granted_later(request: Draft, grants: list[Draft]) -> bool:
    """A request folds into a grant of the same kind, unless both name different items (Abrams vs Bushmasters)."""
    asked = {c.text.lower() for c in request.counts if c.named}
    another = ANOTHER_REQUEST.search(request.sentence.text) is not None
    for grant in grants:
        if another and grant.sentence.index < request.sentence.index:
            continue  # "Manila has also asked Japan for six destroyers": a new request, not the grant told again
        given = {c.text.lower() for c in grant.counts if c.named}
        if not asked or not given or asked & given or _shares_model(asked, given):
            return True
    return False


def _shares_model(asked: set[str], given: set[str]) -> bool:
    """ "Patriot systems" and "Patriot batteries" name the same model."""
    return bool({t.split()[0] for t in asked} & {t.split()[0] for t in given})


def _one_answer_per_request(drafts: list[Draft]) -> list[Draft]:
    """A request the article also reports as refused is that refusal, told twice: keep the refusal once."""
    refused: dict[tuple[frozenset[str], frozenset[str], str], Draft] = {}
    for draft in drafts:
        if draft.status == "rejected":
            refused.setdefault(
                (frozenset(draft.suppliers), frozenset(draft.recipients), draft.category), draft
            )
    kept = []
    for draft in drafts:
        first = refused.get((frozenset(draft.suppliers), frozenset(draft.recipients), draft.category))
        if first is not None and first is not draft and draft.status in {"requested", "rejected"}:
            if not any(c.quantity for c in draft.counts) or not any(c.quantity for c in first.counts):
                first.org = first.org or draft.org
                continue
        kept.append(draft)
    return kept


def _superseded_summary(draft: Draft, confirmed: set[tuple[int, tuple[str, ...], tuple[str, ...]]]) -> bool:
    """ "Estonia, Latvia and Lithuania will send anti-tank and anti-aircraft missiles", then who sends what:
    a donor's share of the general list that the detail does not confirm is dropped."""
    if not draft.summary or draft.confirmed:
        return False
    return (draft.sentence.index, tuple(draft.suppliers), tuple(draft.recipients)) in confirmed
