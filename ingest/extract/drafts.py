"""Deals under construction: built per trigger, merged across a package, then frozen."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .candidate import DealCandidate
from .items import ItemMention
from .mentions import SentenceFacts, is_indefinite
from .money import Money
from .numbers import Quantity

MASS_NOUNS = (
    "s",
    "ammunition",
    "armour",
    "armor",
    "aircraft",
    "artillery",
    "equipment",
    "gear",
    "aid",
    "defence",
    "defense",
    "fuel",
)
UNCOUNTABLE = {"financial_aid", "humanitarian_aid", "non_lethal_equipment"}
COUNT_GAP = re.compile(
    r"^\s*(?:(?:rounds|sets|units|pieces|batteries|systems|of|the|its|their|more|new|additional|further|"
    r"other|used|older|old|first|last|remaining|[A-Za-z0-9][\w/.-]*)\s+){0,5}$"
)
GAP_STOPWORDS = re.compile(
    r"\b(?:and|or|to|for|with|from|by|in|on|at|than|per|a|an|was|were|is|are|had|has|have)\b"
)
SINGLE = re.compile(
    r"\b(?:a|an|one|a single|a third|a second|a fourth|the first|its first|a further)\s+"
    r"(?:(?!of\b|the\b)[\w/-]+\s+){0,4}$",  # not "its first sale of the gun"
    re.IGNORECASE,
)


OWNER = r"(?:the\s+|its\s+|their\s+|[A-Z][\w-]*(?:'s|s')\s+)?"
FIRST_OF = re.compile(rf"\b(?:the|its|their)\s+first\s+of\s+{OWNER}$", re.IGNORECASE)
LATER_OF = re.compile(
    r"\b(?:the|its|their)\s+(?:(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|next)"
    rf"(?:\s+and\s+(?:last|final))?)\s+of\s+{OWNER}$",
    re.IGNORECASE,
)  # "the second of two corvettes", "the third and last of the vessels": one of the lot
LATER_OF_LOT = re.compile(
    r"\b(?:the|its|their)\s+(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)"
    r"(?:\s+and\s+(?:last|final))?\s+of\s+(?:the|its|their)\s+(?:[\w-]+\s+){0,3}$",
    re.IGNORECASE,
)  # "commissioned the Walo, the third and last of the patrol vessels": one ship of the lot
# ("the last of the 39 ambulances have arrived" completes the lot and keeps its count)


def _handed_by_supplier(facts: SentenceFacts, position: int) -> bool:
    """True when the verb governing a count is one of giving (delivered, handed over, sent)."""
    before = [t for t in facts.triggers if t.end <= position]
    return bool(before) and before[-1].frame == "give" and not before[-1].passive


@dataclass
class ItemCount:
    text: str
    quantity: Quantity | None
    indefinite: bool
    anaphoric: bool = False
    named: bool = False
    lot: Quantity | None = None  # "the first of five aircraft": the whole lot the one delivered belongs to
    ordered_lot: bool = False  # "the first six of 24 jets": the lot is an order reported as its own deal


@dataclass
class Draft:
    suppliers: list[str]
    org: str | None
    recipients: list[str]
    category: str
    status: str
    sentence: SentenceFacts
    counts: list[ItemCount] = field(default_factory=list)
    money: Money | None = None
    end_user: list[str] = field(default_factory=list)
    intended_for: list[str] = field(default_factory=list)
    denied_by: list[str] = field(default_factory=list)
    confidence: float = 0.85
    package: int = -1
    continuation: bool = False
    summary: bool = False  # one of several donors named together with only general kinds of items
    confirmed: bool = False  # a later report was merged into it

    @property
    def key(self) -> tuple[frozenset[str], frozenset[str], str, str]:
        return frozenset(self.suppliers), frozenset(self.recipients), self.category, self.status


ANAPHOR = re.compile(r"\b(?:the|those|these|them|of the|of those)\s+$", re.IGNORECASE)


def count_for(facts: SentenceFacts, item: ItemMention) -> ItemCount:
    """The count that quantifies an item, read from the words just before it."""
    count = _count(facts, item)
    bare_ammunition = item.text.lower() in {"ammunition", "munitions"} and item.category != "ammunition_other"
    count.anaphoric = not item.named and (
        bare_ammunition or bool(ANAPHOR.search(facts.text[max(0, item.start - 12) : item.start]))
    )
    count.named = item.named
    return count


def _count(facts: SentenceFacts, item: ItemMention) -> ItemCount:
    text = facts.text
    for quantity in reversed(facts.quantities):
        if quantity.end > item.start:
            continue
        gap = text[quantity.end : item.start]
        if COUNT_GAP.match(gap) and not GAP_STOPWORDS.search(gap) and "," not in gap:
            part = _part_of_lot(facts, quantity, item)
            if part is not None:
                return part
            if LATER_OF.search(text[max(0, quantity.start - 40) : quantity.start]):
                return ItemCount(item.text, Quantity(quantity.start, quantity.end, 1, "exact"), False)
            if FIRST_OF.search(text[max(0, quantity.start - 40) : quantity.start]) and _handed_by_supplier(
                facts, quantity.start
            ):
                # "Spain delivered the first of six launchers": the supplier reports one handed over;
                # "received the first of 24 helicopters" reports the arrival of the 24-strong order
                first = ItemCount(item.text, Quantity(quantity.start, quantity.end, 1, "exact"), False)
                first.lot = quantity
                return first
            return ItemCount(item.text, quantity, False)
        break
    if LATER_OF_LOT.search(text, max(0, item.start - 60), item.start):
        return ItemCount(item.text, Quantity(item.start, item.start, 1, "exact"), False)
    singular_acronym = item.text.split()[-1].isupper()  # "a NASAMS", "a HIMARS"
    if item.category not in UNCOUNTABLE and (singular_acronym or not item.text.lower().endswith(MASS_NOUNS)):
        if SINGLE.search(text[max(0, item.start - 40) : item.start]):
            return ItemCount(item.text, Quantity(item.start, item.start, 1, "exact"), False)
    return ItemCount(item.text, None, is_indefinite(text, item))


PART_BEFORE_LOT = re.compile(
    r"\b(?:the|its|their)\s+(?:first|initial|last|final)\s+(?:batch\s+)?of\s+$", re.IGNORECASE
)
ONE_OF_LOT = re.compile(r"\b(?:the|its|their)\s+(?:last|final)\s+of\s+$", re.IGNORECASE)


def _part_of_lot(facts: SentenceFacts, lot: Quantity, item: ItemMention) -> ItemCount | None:
    """ "the first six of 24 helicopters", "the last of four radars": a delivered part of an order whose
    size is given; the part is counted, and the order becomes a deal of its own."""
    before = facts.text[max(0, lot.start - 40) : lot.start]
    if ONE_OF_LOT.search(before) and _handed_by_supplier(facts, lot.start):
        # "Indra handed over the last of four radars"; "received the last of 24 jets" reports the lot complete
        part = Quantity(lot.start, lot.start, 1, "exact")
    elif ONE_OF_LOT.search(before):
        return None
    elif PART_BEFORE_LOT.search(before):
        return None
    else:
        part = next(
            (
                q
                for q in facts.quantities
                if q.end < lot.start
                and PART_OF_GAP.fullmatch(facts.text, q.end, lot.start)
                and FIRST_BEFORE.search(facts.text, max(0, q.start - 20), q.start)
            ),
            None,
        )
        if part is None:
            return None
    count = ItemCount(item.text, part, False)
    count.lot = lot
    count.ordered_lot = True
    return count


PART_OF_GAP = re.compile(r"\s+of\s+", re.IGNORECASE)  # "the first six of the 42 jets" restates a known order
FIRST_BEFORE = re.compile(r"\b(?:the|its|their)\s+(?:first|initial)\s+$", re.IGNORECASE)


def quantity_of(counts: list[ItemCount]) -> Quantity | None:
    """One counted item gives its count; several items of one category merge to no count."""
    counted = [c for c in counts if c.quantity is not None or c.indefinite]
    if len(counted) == 1 and counted[0].quantity is not None:
        return counted[0].quantity
    return None


def merge_into(target: Draft, other: Draft) -> None:
    """Fold a second report of the same deal into the first."""
    target.confirmed = True
    seen = {c.text.lower() for c in target.counts}
    fresh = [c for c in other.counts if c.text.lower() not in seen and not c.anaphoric]
    had_count = any(c.quantity for c in target.counts)
    if any(c.quantity for c in fresh) and had_count and not _breakdown(target, fresh):
        target.counts.extend(fresh)
    elif any(c.quantity for c in fresh) and not had_count:
        target.counts = [c for c in fresh if c.quantity] + [c for c in target.counts if not c.indefinite]
        target.money = other.money or target.money
    target.money = target.money or other.money
    target.org = target.org or other.org
    target.denied_by = sorted(set(target.denied_by) | set(other.denied_by))
    target.confidence = max(target.confidence, other.confidence)


def _breakdown(target: Draft, fresh: list[ItemCount]) -> bool:
    """ "26 jets ... 22 single-seat and four twin-seat": parts that add up to the total already known."""
    total = quantity_of(target.counts)
    parts = [c.quantity.value for c in fresh if c.quantity]
    return bool(total and parts and all(part < total.value for part in parts) and sum(parts) <= total.value)


def freeze(draft: Draft) -> DealCandidate:
    """Turn a draft into the contract record."""
    quantity = quantity_of(draft.counts)
    sentence = draft.sentence.sentence
    names = []
    for count in draft.counts:
        if count.text.lower() not in {n.lower() for n in names}:
            names.append(count.text)
    return DealCandidate(
        supplier=tuple(draft.suppliers),
        supplier_org=draft.org,
        recipient=tuple(draft.recipients),
        end_user=tuple(draft.end_user),
        intended_for=tuple(draft.intended_for),
        category=draft.category,
        item=", ".join(names)[:200],
        quantity=quantity.value if quantity else None,
        quantity_qualifier=quantity.qualifier if quantity else None,
        value=draft.money.value if draft.money else None,
        currency=draft.money.currency if draft.money else None,
        value_qualifier=draft.money.qualifier if draft.money else None,
        financing=_financing(draft),
        status=draft.status,
        denied_by=tuple(draft.denied_by),
        evidence=sentence.text,
        evidence_start=sentence.start,
        evidence_end=sentence.end,
        confidence=round(max(0.05, min(0.99, draft.confidence)), 2),
    )


DONATION_WORDS = re.compile(r"\b(?:donat|gift|free of charge)")
SALE_STEMS = ("sale", "sell", "sold", "buy", "bought", "purchase", "order")
SALE_WORDS = re.compile(r"\b(?:sale|sell|sold|buy|bought|purchase|order)")


def _financing(draft: Draft) -> str | None:
    text = draft.sentence.text.lower()
    if (
        "drawn from" in text
        or "drawdown" in text
        or "from its stocks" in text
        or "from pentagon stocks" in text
    ):
        return "drawdown"
    if "foreign military financing" in text:
        return "grant_funded"
    if any(word in text for word in ("donat", "gift", "free of charge")) and DONATION_WORDS.search(text):
        return "donation"
    if any(word in text for word in SALE_STEMS) and SALE_WORDS.search(text):
        return "sale"
    return None
