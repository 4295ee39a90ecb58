"""Money amounts: currency signs and words, scales (bn, million, crore) and qualifiers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from string import ascii_letters

from .gazetteer import tokens_of, word_set
from .knowledge import currencies
from .literals import literal_alternation
from .numbers import DIGITS, figure_not_after, has_digit, parse_figure, qualifier_before

# ISO 4217 "no currency": currencies.tsv marks a word (peso) whose country the sentence must tell.
UNRESOLVED_CURRENCY = "XXX"

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
    signs = literal_alternation(s for s, _ in before)
    words = literal_alternation(s for s, _ in after)
    # the sign must not follow a letter; _sign_first checks that, so the engine can scan for the signs
    sign_first = re.compile(
        rf"({signs})\s?({DIGITS})(?:[\s-]?({SCALES})\b)?",
    )
    figure = figure_not_after(r"\w.,")
    word_after = re.compile(
        rf"{figure}(?:[\s-]?({SCALES}))?(?:\s+|-)({words})\b",  # "1.3 billion crowns", "a 34.5-billion-yen loan"
    )
    return sign_first, word_after, codes


def find_money(text: str, *, restated: bool = False) -> list[Money]:
    """All money amounts in text, in order of appearance; with restated, also conversions into another currency."""
    if not has_digit(text):
        return []
    sign_first, word_after, codes = _patterns()
    found: list[Money] = []
    for match in _sign_first(sign_first, text):
        value = parse_figure(match.group(2), match.group(3))
        if value:
            found.append(_money(text, match, value, codes[match.group(1).lower()]))
    taken = [(m.start, m.end) for m in found]
    for match in word_after.finditer(text) if _may_name_currency_word(text) else ():
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


@lru_cache(maxsize=1)
def _currency_word_heads() -> frozenset[str]:
    """The first word of every currency written after its figure ("dollars", "swiss" of "Swiss francs")."""
    return frozenset(tokens_of(s)[0] for s, _, p in currencies() if p == "after" and tokens_of(s))


def _may_name_currency_word(text: str) -> bool:
    """False when an ASCII text has no word that starts a currency written after its figure."""
    return not text.isascii() or not _currency_word_heads().isdisjoint(word_set(text))


def _sign_first(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Matches of pattern left to right without overlaps, as finditer, that do not follow an ASCII letter."""
    position = 0
    while match := pattern.search(text, position):
        start = match.start()
        if start and text[start - 1] in ascii_letters:
            position = start + 1
            continue
        yield match
        position = match.end()


def _money(text: str, match: re.Match[str], value: float, currency: str) -> Money:
    return Money(match.start(), match.end(), value, currency, qualifier_before(text, match.start()))
