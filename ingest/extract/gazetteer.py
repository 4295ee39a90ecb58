"""A phrase matcher over word tokens: finds gazetteer surfaces in time linear in the text length."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

from .knowledge import normalise_quotes

T = TypeVar("T")
TOKEN = re.compile(r"[0-9A-Za-z\u00c0-\u024f]+")
JOINER = re.compile(r"[ \t\-/.'&]{0,3}")  # "&" joins "Larsen & Toubro"
Entry = tuple[tuple[str, ...], str, T]


@dataclass(frozen=True)
class PhraseMatch(Generic[T]):
    start: int
    end: int
    surface: str
    value: T


def tokens_of(text: str) -> list[str]:
    """Lower-cased word tokens of a surface ("Poland's Armament Agency" -> poland, s, armament, agency)."""
    return [t.lower() for t in TOKEN.findall(normalise_quotes(text))]


@lru_cache(maxsize=4096)
def plural_variants(token: str) -> tuple[str, ...]:
    """The token and the singular forms it may stand for."""
    forms = [token]
    if token.endswith("ies") and len(token) > 4:
        forms.append(token[:-3] + "y")
    if token.endswith("es") and len(token) > 3:
        forms.append(token[:-2])
    if token.endswith("s") and len(token) > 2:
        forms.append(token[:-1])
    return tuple(forms)


@lru_cache(maxsize=64)
def word_spans(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, lower-cased word) for every word of text; shared by the matchers of one sentence."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters change length when lower-cased
        return tuple([(m.start(), m.end(), m.group().lower()) for m in TOKEN.finditer(text)])
    return tuple([(m.start(), m.end(), m.group()) for m in TOKEN.finditer(lowered)])


@lru_cache(maxsize=64)
def word_set(text: str) -> frozenset[str]:
    """The distinct lower-cased words of text."""
    return frozenset(TOKEN.findall(text.lower()))


PhraseIndex = dict[str, list[tuple[tuple[str, ...], str]]]


def phrase_index(phrases: Iterable[str]) -> PhraseIndex:
    """Index lexicon phrases by their first word, longest first ("re-export" is the words re, export)."""
    index: PhraseIndex = {}
    for phrase in sorted(phrases, key=lambda p: (-len(p.split()), -len(p))):
        words = tuple(
            w for part in phrase.lower().split() for w in (["*"] if part == "*" else tokens_of(part))
        )
        if words and words[0] != "*":
            index.setdefault(words[0], []).append((words, phrase))
    return index


def find_phrases(text: str, index: PhraseIndex) -> list[tuple[int, int, str]]:
    """Phrases of index found in text, as (start, end, phrase); "*" skips up to five words (a price such as "Rs 2,971 crore" is several).

    Words of a phrase must be separated by spaces or hyphens only; matches do not overlap.
    """
    spans = word_spans(text)
    found = []
    position = 0
    while position < len(spans):
        end_position = None
        for words, phrase in index.get(spans[position][2], ()):
            end_position = _phrase_end(text, spans, position, words)
            if end_position is not None:
                found.append((spans[position][0], spans[end_position][1], phrase))
                break
        position = position + 1 if end_position is None else end_position + 1
    return found


def _phrase_end(text, spans, position, phrase) -> int | None:
    current = position
    for offset, word in enumerate(phrase[1:], start=1):
        if word == "*":
            continue
        lowest = current + 1
        highest = current + (6 if phrase[offset - 1] == "*" else 1)
        for candidate in range(lowest, min(highest, len(spans) - 1) + 1):
            gap = text[spans[candidate - 1][1] : spans[candidate][0]]
            if spans[candidate][2] == word and (gap.isspace() or gap == "-"):
                current = candidate
                break
        else:
            return None
    if position > 0 and text[spans[position][0] - 1 : spans[position][0]] == "-":
        return None  # "re-export" is not "export"
    if text[spans[current][1] : spans[current][1] + 1] == "-":
        return None
    return current


class PhraseMatcher(Generic[T]):
    """Longest-first, left-to-right, non-overlapping matching of multi-word surfaces.

    Single words are looked up in one dictionary and longer phrases by their first two words, so the work
    per word of text is a few dictionary lookups whatever the size of the gazetteer.
    """

    def __init__(self, entries: Iterable[tuple[str, T]], *, plurals: bool) -> None:
        self.plurals = plurals
        self.single: dict[str, list[Entry]] = {}
        self.pairs: dict[tuple[str, str], list[Entry]] = {}
        for surface, value in entries:
            tokens = tuple(tokens_of(surface))
            if len(tokens) == 1:
                self.single.setdefault(tokens[0], []).append((tokens, surface, value))
            elif tokens:
                self.pairs.setdefault(tokens[:2], []).append((tokens, surface, value))
        for candidates in self.pairs.values():
            candidates.sort(key=lambda entry: -len(entry[0]))
        self.pair_heads = frozenset(first for first, _ in self.pairs)
        heads = set(self.single) | self.pair_heads
        if plurals:  # every written form whose singular is a head, so one set lookup screens a word
            heads |= {form for head in list(heads) for form in (head + "s", head + "es", head[:-1] + "ies")}
        self.heads = frozenset(heads)

    def find(self, text: str, accept: Callable[[str, int, int, str, T], bool]) -> list[PhraseMatch[T]]:
        """Matches in text for which accept(text, start, end, surface, value) holds."""
        spans = word_spans(text)
        found: list[PhraseMatch[T]] = []
        heads = self.heads
        position = 0
        while position < len(spans):
            word = spans[position][2]
            if word not in heads:
                position += 1
                continue
            match, width = self._match_at(text, spans, position, accept)
            if match is None:
                position += 1
            else:
                found.append(match)
                position += width
        return found

    def _match_at(self, text, spans, position, accept):
        word = spans[position][2]
        if word in self.pair_heads and position + 1 < len(spans):
            following = spans[position + 1]
            if JOINER.fullmatch(text, spans[position][1], following[0]):
                for second in plural_variants(following[2]) if self.plurals else (following[2],):
                    for tokens, surface, value in self.pairs.get((word, second), ()):
                        if len(tokens) > 2 and not self._continues(text, spans, position, tokens):
                            continue
                        start, end = spans[position][0], spans[position + len(tokens) - 1][1]
                        if accept(text, start, end, surface, value):
                            return PhraseMatch(start, end, surface, value), len(tokens)
        start, end, _ = spans[position]
        for head in plural_variants(word) if self.plurals else (word,):
            for _, surface, value in self.single.get(head, ()):
                if accept(text, start, end, surface, value):
                    return PhraseMatch(start, end, surface, value), 1
        return None, 0

    def _continues(self, text, spans, position, tokens) -> bool:
        if position + len(tokens) > len(spans):
            return False
        for offset in range(2, len(tokens)):
            previous, current = spans[position + offset - 1], spans[position + offset]
            if not JOINER.fullmatch(text, previous[1], current[0]):
                return False
            last = offset == len(tokens) - 1
            if current[2] != tokens[offset] and not (
                last and self.plurals and tokens[offset] in plural_variants(current[2])
            ):
                return False
        return True
