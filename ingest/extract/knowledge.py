"""Loads the lexicons and gazetteers in data/ once per process."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).with_name("data")


def read_rows(name: str) -> Iterator[list[str]]:
    """Yield the tab-separated fields of every non-comment, non-blank line of data/<name>."""
    path = DATA_DIR / name
    if not path.exists():
        return
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n\r")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            yield [field.strip() for field in line.split("\t")]


def read_with_extra(stem: str) -> Iterator[list[str]]:
    """Rows of <stem>.tsv followed by rows of <stem>_extra.tsv."""
    yield from read_rows(f"{stem}.tsv")
    yield from read_rows(f"{stem}_extra.tsv")


@dataclass(frozen=True)
class PartyEntry:
    code: str
    kind: str
    surface: str


@dataclass(frozen=True)
class CompanyEntry:
    name: str
    code: str
    surface: str


@dataclass(frozen=True)
class ItemEntry:
    surface: str
    category: str
    canonical: str
    named: bool


@dataclass(frozen=True)
class Trigger:
    phrase: str
    frame: str
    status: str


@lru_cache(maxsize=1)
def parties() -> dict[str, PartyEntry]:
    """Party surfaces keyed by their lookup key (see surface_key)."""
    table: dict[str, PartyEntry] = {}
    for row in read_with_extra("parties"):
        if len(row) < 3 or not row[2]:
            continue
        code, kind, surface = row[0].upper(), row[1].lower(), row[2]
        table.setdefault(surface_key(surface), PartyEntry(code, kind, surface))
    return table


@lru_cache(maxsize=1)
def companies() -> dict[str, CompanyEntry]:
    """Company names and aliases keyed by their lookup key."""
    table: dict[str, CompanyEntry] = {}
    for row in read_with_extra("companies"):
        if len(row) < 2 or not row[0]:
            continue
        name, code = row[0], row[1].upper()
        aliases = [a.strip() for a in (row[2] if len(row) > 2 else "").split("|") if a.strip()]
        for surface in [name, *aliases]:
            table.setdefault(surface_key(surface), CompanyEntry(name, code, surface))
    return table


@lru_cache(maxsize=1)
def items() -> dict[str, ItemEntry]:
    """Item surfaces keyed by lower-cased, hyphen-normalised text."""
    table: dict[str, ItemEntry] = {}
    for row in read_with_extra("items"):
        if len(row) < 2 or not row[0]:
            continue
        surface, category = row[0], row[1]
        canonical = row[2] if len(row) > 2 and row[2] else surface
        named = any(ch.isupper() or ch.isdigit() for ch in surface)
        table.setdefault(item_key(surface), ItemEntry(surface, category, canonical, named))
    return table


@lru_cache(maxsize=1)
def triggers() -> dict[str, Trigger]:
    """Trigger phrases keyed by lower-case phrase."""
    return {
        row[0].lower(): Trigger(row[0].lower(), row[1], row[2] if len(row) > 2 else "")
        for row in read_rows("status_phrases.tsv")
        if len(row) >= 2
    }


@lru_cache(maxsize=1)
def cues() -> dict[str, frozenset[str]]:
    """Cue phrases grouped by kind."""
    grouped: dict[str, set[str]] = {}
    for row in read_rows("cues.tsv"):
        if len(row) >= 2:
            grouped.setdefault(row[1], set()).add(row[0].lower())
    return {kind: frozenset(words) for kind, words in grouped.items()}


@lru_cache(maxsize=1)
def number_words() -> dict[str, tuple[int, str]]:
    """Number words mapped to (value, kind)."""
    return {row[0].lower(): (int(row[1]), row[2]) for row in read_rows("numbers.tsv") if len(row) >= 3}


@lru_cache(maxsize=1)
def currencies() -> list[tuple[str, str, str]]:
    """(surface, ISO code, position) with longer surfaces first."""
    rows = [(r[0], r[1], r[2]) for r in read_rows("currencies.tsv") if len(r) >= 3]
    return sorted(rows, key=lambda r: -len(r[0]))


@lru_cache(maxsize=1)
def qualifiers() -> dict[str, str]:
    """Approximation phrases mapped to qualifier codes."""
    return {row[0].lower(): row[1] for row in read_rows("qualifiers.tsv") if len(row) >= 2}


def surface_key(surface: str) -> str:
    """Lookup key for a party or company surface: case kept for acronyms, folded otherwise."""
    text = normalise_quotes(surface)
    return text if is_acronym(text) else text.lower()


SPACES_AND_HYPHENS = re.compile(r"[\s\-]+")


def item_key(surface: str) -> str:
    """Lookup key for an item surface: lower case, hyphens and spaces folded to one space."""
    return SPACES_AND_HYPHENS.sub(" ", normalise_quotes(surface).lower()).strip()


def is_acronym(text: str) -> bool:
    """True when the letters of text are all capitals (NATO, UAE, U.S.)."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 1 and all(ch.isupper() for ch in letters) and len(letters) <= 6


def normalise_quotes(text: str) -> str:
    """Replace typographic apostrophes with the ASCII one."""
    return text.replace("\u2019", "'").replace("\u2018", "'")
