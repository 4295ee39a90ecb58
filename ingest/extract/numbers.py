"""Counts in text: digits, number words, scales, qualifiers and ranges."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .gazetteer import word_set
from .knowledge import number_words, parties, qualifiers
from .literals import literal_alternation

HAS_DIGIT = re.compile(r"\d")
ASCII_DIGIT = re.compile(r"[0-9]")  # the same on ASCII text, and scanned for faster
HANDED_OVER = re.compile(
    r"\b(?:hand|hands|handed|handing|turn|turns|turned|turning|pass|passed|passing)\s*$", re.I
)
DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


def figure_not_after(excluded: str) -> str:
    """A group matching DIGITS where its first digit does not follow a character of the class body excluded.

    The same as (?<![excluded])(DIGITS), written to start with the digit, so that the regex engine can scan
    for digits instead of trying the look-behind at every position.
    """
    return rf"(\d(?<![{excluded}]\d)(?:\d{{0,2}}(?:,\d{{3}})+(?:\.\d+)?|\d*(?:\.\d+)?))"


DIGIT_FIGURE = re.compile(
    figure_not_after(r"\w$€£₹.,/-") + r"(?:\s+(dozen|hundred|thousand|million|billion)\b)?"
)
UNIT_AFTER = re.compile(
    r"^(?:\s?-?\s?(?:mm|millimet(?:re|er)s?|cm|km|kilomet(?:re|er)s?|miles?|met(?:re|er)s?|%|per ?cent|"
    r"percent|pounds?|kg|kilograms?|tonnes?|tons?|years?|months?|weeks?|days?|hours?|minutes?|seconds?|"
    r"times|calibre|caliber|st|nd|rd|th|am|pm|a\.m\.|p\.m\.)\b(?!-[a-z])|[A-Za-z0-9/])",
    re.IGNORECASE,
)
TALKS_BEFORE = re.compile(
    r"\b(?:negotiat\w*|talks|talking|discuss\w*|consultations|agreement|dispute)"
    r"(?:\s+with\s+(?:[\w'.-]+\s+){1,5}?)?\s*$",
    re.IGNORECASE,
)
DESIGNATION_BEFORE = re.compile(
    r"(?:[A-Za-z]+[-/]|\b(?:Block|Mark|Mk|Type|Model|Series|Batch|Phase|No\.?))\s?$"
)
RANGE_TAIL = re.compile(rf"^\s*(?:to|and|-|\u2013)\s*({DIGITS}|[a-z]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    value: int
    qualifier: str


@lru_cache(maxsize=2)
def _word_pattern(lowered_ascii: bool = False) -> re.Pattern[str]:
    """Runs of number words; with lowered_ascii, the same for lower-cased ASCII text, scanned for faster.

    There the leading word boundary is checked after the first letter ([0-9a-z_] being the word
    characters), so the regex engine can look for first letters instead of trying every position.
    """
    table = number_words()
    words = [w for w in table if len(w) > 2]
    scales = literal_alternation(w for w in words if table[w][1] == "scale")
    alternation = literal_alternation(words)
    if lowered_ascii:
        boundary = "(?<![0-9a-z_].)"
        first = rf"a{boundary}n?\s+(?:{scales})|{literal_alternation(words, after_first=boundary)}"
        return re.compile(rf"(?:{first})(?:[\s-]+(?:{alternation}|and\s+(?={alternation})))*\b")
    return re.compile(
        rf"\b(?:an?\s+(?:{scales})|{alternation})(?:[\s-]+(?:{alternation}|and\s+(?={alternation})))*\b",
        re.IGNORECASE,
    )


@lru_cache(maxsize=1)
def _qualifier_pattern() -> re.Pattern[str]:
    # the pattern is anchored at the end, so at most one phrase can match at a position
    alternation = literal_alternation(["between", *qualifiers()])
    return re.compile(rf"\b({alternation})\s+$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _spelled_numbers() -> frozenset[str]:
    """Number words that can start a spelled-out count (not the articles "a" and "an")."""
    return frozenset(word for word in number_words() if len(word) > 2)


WORD_BREAK = re.compile(r"[\s-]+")


def words_value(phrase: str) -> int | None:
    """Value of a run of number words ("two dozen" = 24, "half a million" is not handled), or None."""
    table = number_words()
    total = current = 0
    seen_count = False
    tokens = [t for t in WORD_BREAK.split(phrase.lower()) if t in table]
    if tokens and table[tokens[0]][1] == "scale":
        return None  # "million" on its own belongs to a figure before it
    for token in tokens:
        value, kind = table[token]
        if kind == "unit":
            current += value
            seen_count = seen_count or token not in {"a", "an"}
        else:
            current = max(current, 1) * value
            if value >= 1000:
                total, current = total + current, 0
            seen_count = True
    return total + current if seen_count else None


def parse_figure(figure: str, scale: str | None = None) -> float | None:
    """Digits (with commas) times an optional scale word."""
    try:
        number = float(figure.replace(",", ""))
    except ValueError:
        return None
    if scale:
        entry = number_words().get(scale.lower())
        if entry and entry[1] == "scale":
            number *= entry[0]
    return number


def qualifier_before(text: str, start: int) -> str:
    """Qualifier code for the words just before position start, or exact."""
    match = _qualifier_pattern().search(text[max(0, start - 25) : start])
    if not match:
        return "exact"
    word = match.group(1).lower()
    if word == "over" and HANDED_OVER.search(text[: start - len(match.group(0))]):
        return "exact"  # "handed over two launchers": a verb particle, not a qualifier
    if word in {"over", "about", "on"} and TALKS_BEFORE.search(
        text[max(0, start - 80) : start - len(match.group(0))]
    ):
        return (
            "exact"  # "negotiating over 54 tanks", "talks with Paris about 26 jets": what the talks are about
        )
    return "up_to" if word == "between" else qualifiers()[word]


def has_digit(text: str) -> bool:
    """True when text contains a decimal digit."""
    return bool((ASCII_DIGIT if text.isascii() else HAS_DIGIT).search(text))


def find_quantities(text: str) -> list[Quantity]:
    """All counts in text that are not measurements, years, designations or money."""
    has_words = not _spelled_numbers().isdisjoint(word_set(text))
    if not has_words and not has_digit(text):
        return []
    found: list[Quantity] = []
    for match in DIGIT_FIGURE.finditer(text):
        value = parse_figure(match.group(1), match.group(2))
        if value is None or not _acceptable(text, match.start(), match.end(), match.group(1)):
            continue
        found.append(_with_range(text, match.start(), match.end(), int(value)))
    if has_words:
        found += _spelled_quantities(text)
    return _drop_nested(sorted(found, key=lambda q: (q.start, -q.end)))


def _spelled_quantities(text: str) -> list[Quantity]:
    ascii_text = text.isascii()
    found = []
    for match in _word_pattern(ascii_text).finditer(text.lower() if ascii_text else text):
        value = words_value(match.group())  # words_value ignores case
        if value is None or not _acceptable(text, match.start(), match.end(), None):
            continue
        found.append(_with_range(text, match.start(), match.end(), value))
    return found


def _drop_nested(found: list[Quantity]) -> list[Quantity]:
    kept: list[Quantity] = []
    for quantity in found:
        if not kept or quantity.start >= kept[-1].end:
            kept.append(quantity)
    return kept


CURRENCY_SIGN_BEFORE = re.compile(r"[$€£₹]\s?$")
NAME_BEFORE = re.compile(r"\b([A-Z][a-z]+)\s$")
YEAR = re.compile(r"(19|20)\d\d")
CURRENCY_WORD_AFTER = re.compile(
    r"^\s*(?:bn|m|billion|million|trillion|crore)?\s*(?:won|euros|dollars|pounds)"
)


def _acceptable(text: str, start: int, end: int, digits: str | None) -> bool:
    if UNIT_AFTER.match(text[end : end + 14]):
        return False
    before = text[max(0, start - 12) : start]
    if DESIGNATION_BEFORE.search(before) or CURRENCY_SIGN_BEFORE.search(before):
        return False
    name = NAME_BEFORE.search(before)
    if (
        name
        and name.group(1) not in CAPITALISED_FUNCTION_WORDS
        and not _qualifier_pattern().search(before)
        and not _is_place(name.group(1))
    ):
        return False  # "Challenger 2", "January 14": a name or date precedes the figure
    if digits and YEAR.fullmatch(digits):
        return False
    return not CURRENCY_WORD_AFTER.match(text[end : end + 20])


CAPITALISED_FUNCTION_WORDS = frozenset(
    "The These Those All Its Their Our His Her Another Some Only Just Of And But With For Since Of".split()
)  # "The three vessels were ordered": a sentence opening, not a name such as "Challenger 2"


def _is_place(word: str) -> bool:
    """A country or capital name before a figure ("send Ukraine 200 vehicles") is not a designation."""
    entry = parties().get(word.lower())
    return entry is not None and entry.kind in {"name", "short", "capital"}


def _with_range(text: str, start: int, end: int, value: int) -> Quantity:
    qualifier = qualifier_before(text, start)
    tail = RANGE_TAIL.match(text[end : end + 20])
    if tail and qualifier in {"up_to", "exact"}:
        upper = parse_figure(tail.group(1)) if tail.group(1)[0].isdigit() else words_value(tail.group(1))
        if upper and upper > value:
            return Quantity(start, end + tail.end(), int(upper), "up_to")
    return Quantity(start, end, value, qualifier)
