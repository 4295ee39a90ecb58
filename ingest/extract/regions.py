"""Bare compass names for divided states ("the North" after Seoul or Pyongyang is named)."""

from __future__ import annotations

import re

from .mentions import SentenceFacts
from .parties import PartyMention

# a compass name resolves only when one half of the divided state has already been named
DIVIDED_STATES: dict[frozenset[str], dict[str, str]] = {
    frozenset({"KP", "KR"}): {"North": "KP", "South": "KR"},
}
COMPASS_NAME = re.compile(r"\bthe (North|South)\b(?![\s-]+[A-Z])")


def resolve_compass_names(facts: SentenceFacts, seen_codes: set[str]) -> None:
    """Add a party mention for "the North" / "the South" when the article is about a divided state."""
    if "the North" not in facts.text and "the South" not in facts.text:
        return
    codes = seen_codes | {p.code for p in facts.parties}
    for halves, names in DIVIDED_STATES.items():
        if not halves & codes:
            continue
        for match in COMPASS_NAME.finditer(facts.text):
            if any(p.start < match.end() and match.start() < p.end for p in facts.parties):
                continue
            mention = PartyMention(match.start(), match.end(), names[match.group(1)], "short")
            facts.parties.append(mention)
        facts.parties.sort(key=lambda p: p.start)
