"""How a deal's status, figures and item name evolve as reports arrive: pure rules, no database."""

import datetime
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol

from rapidfuzz import fuzz

# Steps along a deal's life. A report can move a deal forward, never back: once a contract is
# reported signed, a later story that still calls it "under negotiation" is stale, not news.
PROGRESSION = {
    "alleged": 0,
    "requested": 1,
    "negotiating": 2,
    "announced": 3,
    "agreed": 4,
    "pledged": 4,
    "approved": 5,
    "signed": 6,
    "delivered": 7,
}
# End states that stop the progression; only a strictly later positive report revives the deal.
TERMINAL = frozenset({"cancelled", "rejected", "denied"})

QUALIFIER_SPECIFICITY = {"exact": 3, "about": 2, "at_least": 1, "more_than": 1, "up_to": 1, "": 0}
ITEM_SIMILARITY_THRESHOLD = 80

_SPACED_CALIBRE = re.compile(r"(\d)\s+(mm|cm)\b")
_NON_WORD = re.compile(r"[^\w\s]")


def status_after_report(
    current: str | None,
    current_since: datetime.date | None,
    reported: str,
    reported_on: datetime.date | None,
) -> str:
    """The deal's status once a report giving `reported` (dated `reported_on`) is taken into account."""
    if not current or current == reported:
        return reported
    if reported == "denied":
        # A denial answers an allegation; it cannot undo a contract other sources saw signed.
        return reported if current == "alleged" else current
    if reported in TERMINAL:
        if current in TERMINAL or current == "delivered" or _is_older(reported_on, current_since):
            return current
        return reported
    if current in TERMINAL:
        revived = PROGRESSION[reported] > 0 and _is_newer(reported_on, current_since)
        return reported if revived else current
    return reported if PROGRESSION[reported] > PROGRESSION[current] else current


def _is_older(day: datetime.date | None, than: datetime.date | None) -> bool:
    return day is not None and than is not None and day < than


def _is_newer(day: datetime.date | None, than: datetime.date | None) -> bool:
    return day is not None and (than is None or day > than)


def significant_digits(number: int | Decimal) -> int:
    """How many digits of the number carry information: 9,200,000,000 has two, 9,000,000,000 one."""
    digits = format(Decimal(number).normalize(), "f").replace(".", "").lstrip("0").rstrip("0")
    return len(digits)


def figure_specificity(number: int | Decimal | None, qualifier: str) -> tuple[int, int]:
    """A sortable measure of how precise a reported figure is: its qualifier, then its digits."""
    if number is None:
        return (-1, 0)
    return (QUALIFIER_SPECIFICITY.get(qualifier or "", 0), significant_digits(number))


def is_more_specific(
    number: int | Decimal | None, qualifier: str, than_number: int | Decimal | None, than_qualifier: str
) -> bool:
    """True when the first figure is strictly more precise than the second; ties keep the second."""
    return figure_specificity(number, qualifier) > figure_specificity(than_number, than_qualifier)


def normalised_item(item: str) -> str:
    """The item name reduced for comparison: case, punctuation, spacing and plurals removed."""
    text = _SPACED_CALIBRE.sub(r"\1\2", item.casefold()).replace("-", "")
    words = _NON_WORD.sub(" ", text).split()
    return " ".join(_singular(word) for word in words)


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _model_tokens(normalised: str) -> set[str]:
    return {token for token in normalised.split() if any(char.isdigit() for char in token)}


def item_similarity(first: str, second: str) -> float:
    """0-100: how likely two item names mean the same thing; different model numbers score 0."""
    a, b = normalised_item(first), normalised_item(second)
    if not a or not b:
        return 0.0
    models_a, models_b = _model_tokens(a), _model_tokens(b)
    # "Leopard 2A4" and "Leopard 2A6" look alike to a fuzzy matcher but are different tanks.
    if models_a and models_b and not models_a & models_b:
        return 0.0
    return fuzz.token_set_ratio(a, b)


def items_agree(first: str, second: str) -> bool:
    """True when two reports name the same item closely enough to be one deal."""
    return item_similarity(first, second) >= ITEM_SIMILARITY_THRESHOLD


def is_more_detailed_item(new: str, current: str) -> bool:
    """True when `new` names everything `current` does and more ("K2 Black Panther tanks" over "K2 tanks")."""
    new_words, current_words = set(normalised_item(new).split()), set(normalised_item(current).split())
    return current_words < new_words


class ReportedDeal(Protocol):
    """What merging reads from one extracted deal (the extraction contract's fields)."""

    supplier: Sequence[str]
    supplier_org: str | None
    recipient: Sequence[str]
    end_user: Sequence[str]
    intended_for: Sequence[str]
    category: str
    item: str
    quantity: int | None
    quantity_qualifier: str | None
    value: float | Decimal | None
    currency: str | None
    value_qualifier: str | None
    financing: str | None
    status: str
    denied_by: Sequence[str]
    evidence: str
    evidence_start: int
    evidence_end: int
    confidence: float

    def to_dict(self) -> dict: ...


def reported_quantity(candidate: ReportedDeal) -> tuple[int | None, str]:
    """The report's quantity with its qualifier ("exact" when none was given); no quantity is (None, "")."""
    quantity = candidate.quantity if candidate.quantity and candidate.quantity > 0 else None
    if quantity is None:
        return None, ""
    return int(quantity), candidate.quantity_qualifier or "exact"


def unit_interval(confidence: float | None) -> float:
    """A confidence clamped to 0..1, 0.5 when the report gave none."""
    return min(1.0, max(0.0, float(confidence if confidence is not None else 0.5)))
