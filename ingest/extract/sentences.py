"""Sentence splitting that keeps character offsets into the original text."""

from __future__ import annotations

import re
from dataclasses import dataclass

ABBREVIATIONS = frozenset(
    "mr mrs ms dr lt col gen sen rep st no jan feb mar apr jun jul aug sep sept oct nov dec "
    "inc co corp ltd vs etc prof gov adm maj capt sgt cmdr approx fig".split()
)
BOUNDARY = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9\u00c0-\u024f])")
PARAGRAPH = re.compile(r"\n\s*\n|\n")
MAX_SENTENCE = 2000


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int


def split_sentences(text: str) -> list[Sentence]:
    """Split text into sentences; every Sentence.text equals text[start:end]."""
    sentences: list[Sentence] = []
    position = 0
    for block in PARAGRAPH.split(text):
        block_start = text.find(block, position) if block else position
        position = block_start + len(block)
        sentences.extend(_split_block(text, block_start, block_start + len(block)))
    return sentences


def _split_block(text: str, start: int, end: int) -> list[Sentence]:
    pieces: list[Sentence] = []
    cursor = start
    for match in BOUNDARY.finditer(text, start, end):
        if _is_abbreviation(text, cursor, match.start()):
            continue
        stop = match.end() - len(match.group()) + len(match.group().rstrip())
        pieces.extend(_make(text, cursor, stop))
        cursor = match.end()
    pieces.extend(_make(text, cursor, end))
    return pieces


TRAILING_WORD = re.compile(r"([A-Za-z.]+)$")


def _is_abbreviation(text: str, sentence_start: int, dot: int) -> bool:
    word = TRAILING_WORD.search(text[max(sentence_start, dot - 12) : dot])
    if not word:
        return False
    token = word.group(1)
    if "." in token.strip("."):
        return True  # U.S. or e.g.
    return len(token) == 1 and token.isupper() or token.lower() in ABBREVIATIONS


def _make(text: str, start: int, end: int) -> list[Sentence]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return []
    # very long runs without punctuation are cut so later stages stay linear
    return [
        Sentence(text[s : min(s + MAX_SENTENCE, end)], s, min(s + MAX_SENTENCE, end))
        for s in range(start, end, MAX_SENTENCE)
    ]
