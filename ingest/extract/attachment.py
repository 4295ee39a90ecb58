"""Which verb of a sentence an item belongs to, when a relative clause or an earlier lot intervenes."""

from __future__ import annotations

import re

from .items import ItemMention
from .status import TriggerHit

SCHEME_RELATIVE_INSIDE = re.compile(
    r"\b(?:initiative|scheme|fund|facility|mechanism|programme|program|coalition|platform)\s+(?:that|which)\s",
    re.IGNORECASE,
)
RELATIVE_OPENS = re.compile(
    r"\s+(?:[a-z][\w-]*\s+){0,2}?(?:(?:that|which)\s+(?:[\w'-]+\s+){0,3}|"
    r"(?:it|they|we|[A-Z][\w'-]*)\s+(?:had\s+|has\s+|have\s+)?(?:\w+ly\s+)?)"
)  # "the tanks that Denmark pledged", "the ambulances it promised"
MAIN_VERB_GAP = re.compile(
    r"[^,;]*?\s(?:has|have|had|is|are|was|were)\s+(?:now\s+|already\s+|also\s+|finally\s+|all\s+)?(?:been\s+)?$",
    re.IGNORECASE,
)


def main_verb_after_relative(text: str, item: ItemMention, relative: TriggerHit, main: TriggerHit) -> bool:
    """The item is the subject of a verb that follows the relative clause describing it."""
    if main.status != "delivered" or relative.frame not in {"give", "get", "approve"}:
        return False
    return bool(RELATIVE_OPENS.fullmatch(text, item.end, relative.start)) and bool(
        MAIN_VERB_GAP.fullmatch(text, relative.end, main.start)
    )


EARLIER_LOT_BEFORE = re.compile(
    r"\b(?:on\s+top\s+of|in\s+addition\s+to|besides|adding\s+to|beyond|as\s+well\s+as)\s+(?:the\s+|its\s+|their\s+)?"
    r"(?:[\w-]+\s+){0,3}$",
    re.IGNORECASE,
)
EARLIER_LOT_GAP = re.compile(
    r"^\s+(?:(?:that|which)\s+)?(?:it|they|[A-Z][\w'-]*)?\s*(?:had\s+|has\s+|have\s+)?(?:already\s+)?$"
)


def earlier_lot(text: str, item: ItemMention, trigger: TriggerHit) -> bool:
    """An item set against the new one ("on top of the 20 it bought") belongs to its own relative verb."""
    if trigger.frame not in {"get", "give"} or trigger.status not in {"signed", "delivered"}:
        return False
    lead = text[max(0, item.start - 40) : item.start].rstrip() + " "  # an elliptic lot starts after its count
    return bool(EARLIER_LOT_BEFORE.search(lead)) and bool(
        EARLIER_LOT_GAP.match(text[item.end : trigger.start])
    )
