"""Money amounts: currency signs and words, scales (bn, million, crore) and qualifiers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .knowledge import currencies
from .numbers import DIGITS, parse_figure, qualifier_before

# ISO 4217 "no currency": currencies.tsv marks a word (peso) whose country the sentence must tell.
UNRESOLVED_CURRENCY = "XXX"

HAS_DIGIT = re.compile(r"\d")
SCALES = r"trillion|billion|million|thousand|crore|lakh|bn|tn|mn|m|k|b"


@dataclass(frozen=True)
class Money:
    start: int
    end: int
    value: float
    currency: str
    qualifier: str


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    before = [(s, c) for s, c, p in currencies() if p == "before"]
    after = [(s, c) for s, c, p in currencies() if p == "after"]
    codes = {s.lower(): c for s, c in before + after}
    signs = "|".join(re.escape(s) for s, _ in before)
    words = "|".join(re.escape(s) for s, _ in after)
    sign_first = re.compile(
        rf"(?<![A-Za-z])({signs})\s?({DIGITS})(?:[\s-]?({SCALES})\b)?",
    )
    word_after = re.compile(
        rf"(?<![\w.,])({DIGITS})(?:\s?({SCALES}))?\s+({words})\b",
    )
    return sign_first, word_after, codes


def find_money(text: str, *, restated: bool = False) -> list[Money]:
    """All money amounts in text, in order of appearance; with restated, also conversions into another currency."""
    if not HAS_DIGIT.search(text):
        return []
    sign_first, word_after, codes = _patterns()
    found: list[Money] = []
    for match in sign_first.finditer(text):
        value = parse_figure(match.group(2), match.group(3))
        if value:
            found.append(_money(text, match, value, codes[match.group(1).lower()]))
    taken = [(m.start, m.end) for m in found]
    for match in word_after.finditer(text):
        if any(s <= match.start() < e for s, e in taken):
            continue
        value = parse_figure(match.group(1), match.group(2))
        if value:
            found.append(_money(text, match, value, codes[match.group(3).lower()]))
    found.sort(key=lambda m: m.start)
    return found if restated else without_conversions(text, found)


CONVERSION_GAP = re.compile(
    r"^\s*(?:\(\s*(?:(?:about|around|roughly|some|approximately|nearly|almost|or|equivalent\s+to)\s+)?|"
    r",\s*(?:or|about|around|roughly|approximately|some|nearly|equivalent\s+to)\s+)$",
    re.IGNORECASE,
)


def without_conversions(text: str, found: list[Money]) -> list[Money]:
    """ "350 billion won (about $250 million)": the converted figure restates the first, which is kept."""
    kept: list[Money] = []
    for money in found:
        if (
            kept
            and kept[-1].currency != money.currency
            and CONVERSION_GAP.match(text[kept[-1].end : money.start])
        ):
            continue
        kept.append(money)
    return kept


def _money(text: str, match: re.Match[str], value: float, currency: str) -> Money:
    return Money(match.start(), match.end(), value, currency, qualifier_before(text, match.start()))
