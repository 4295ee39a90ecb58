"""A phrase matcher over word tokens: finds gazetteer surfaces in time linear in the text length."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Generic, NamedTuple, TypeVar

from .knowledge import normalise_quotes

T = TypeVar("T")
TOKEN = re.compile(r"[0-9A-Za-z\u00c0-\u024f]+")
JOINER_CHARS = " \t-/.'&"  # up to three of these join the words of one surface ("Larsen & Toubro")
Entry = tuple[tuple[str, ...], str, T]


class PhraseMatch(NamedTuple, Generic[T]):
    """One surface found in a text (a named tuple: built for every match, so kept light)."""

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
    lowered = text.lower()
    if len(lowered) == len(text):  # then word_spans holds the same words, already found
        return frozenset(words_of(text))
    return frozenset(TOKEN.findall(lowered))


@lru_cache(maxsize=64)
def words_of(text: str) -> tuple[str, ...]:
    """The lower-cased words of word_spans(text), in order."""
    return tuple([word for _, _, word in word_spans(text)])


def _joins(text: str, start: int, end: int) -> bool:
    """True when text[start:end] is at most three joiner characters (a space, hyphen, slash, dot or apostrophe)."""
    return end - start <= 3 and not text[start:end].strip(JOINER_CHARS)


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
    free = 0  # the first word not inside a phrase already found
    for position in [i for i, span in enumerate(spans) if span[2] in index]:
        if position < free:
            continue
        for words, phrase in index[spans[position][2]]:
            end_position = _phrase_end(text, spans, position, words)
            if end_position is not None:
                found.append((spans[position][0], spans[end_position][1], phrase))
                free = end_position + 1
                break
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
        # Written forms that may match a one-word surface, and word pairs that may begin a longer one:
        # a word that is neither (with the word after it) starts no match, so find() skips it at once.
        self.single_forms = frozenset(self._written_forms(self.single) if plurals else self.single)
        self.pair_forms = frozenset(
            (first, form)
            for first, second in self.pairs
            for form in (self._written_forms([second]) if plurals else (second,))
        )
        self.heads = self.single_forms | self.pair_heads

    @staticmethod
    def _written_forms(words: Iterable[str]) -> set[str]:
        """The words and every form whose plural_variants include one of them."""
        return {form for word in words for form in (word, word + "s", word + "es", word[:-1] + "ies")}

    def find(self, text: str, accept: Callable[[str, int, int, str, T], bool]) -> list[PhraseMatch[T]]:
        """Matches in text for which accept(text, start, end, surface, value) holds."""
        spans = word_spans(text)
        words = words_of(text)
        heads, singles, pairs, last = self.heads, self.single_forms, self.pair_forms, len(words) - 1
        found: list[PhraseMatch[T]] = []
        free = 0  # the first word not inside a match already found
        for position in [i for i, word in enumerate(words) if word in heads]:
            if position < free:
                continue
            word = words[position]
            if word not in singles and (position == last or (word, words[position + 1]) not in pairs):
                continue  # "the" of "the Pentagon" before another word: nothing can start here
            match, width = self._match_at(text, spans, position, accept)
            if match is not None:
                found.append(match)
                free = position + width
        return found

    def _match_at(self, text, spans, position, accept):
        word = spans[position][2]
        if position + 1 < len(spans) and (word, spans[position + 1][2]) in self.pair_forms:
            following = spans[position + 1]
            if _joins(text, spans[position][1], following[0]):
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
            if not _joins(text, previous[1], current[0]):
                return False
            last = offset == len(tokens) - 1
            if current[2] != tokens[offset] and not (
                last and self.plurals and tokens[offset] in plural_variants(current[2])
            ):
                return False
        return True
