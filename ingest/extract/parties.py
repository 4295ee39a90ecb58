"""Find party mentions (states, capitals, institutions, people) and companies in a sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .gazetteer import PhraseMatcher
from .knowledge import CompanyEntry, PartyEntry, companies, is_acronym, normalise_quotes, parties

ATTRIBUTE_SUFFIX = re.compile(
    r"^-(?:made|designed|built|supplied|produced|era|standard|calibre|style|origin)\b"
)


@dataclass(frozen=True)
class PartyMention:
    start: int
    end: int
    code: str
    kind: str  # name, short, demonym, capital, institution, person, other, company
    org: str | None = None
    made_in: bool = False  # "US-made": names the origin, not an actor

    @property
    def is_company(self) -> bool:
        return self.kind == "company"


@lru_cache(maxsize=1)
def _matcher() -> PhraseMatcher[CompanyEntry | PartyEntry]:
    # companies first, so that a company wins over a party name of the same length
    entries = [(e.surface, e) for e in companies().values()] + [(e.surface, e) for e in parties().values()]
    return PhraseMatcher(entries, plurals=False)


def find_parties(text: str) -> list[PartyMention]:
    """Party and company mentions in text, left to right, without overlaps."""
    normal = normalise_quotes(text)
    found = []
    for match in _matcher().find(normal, _cased_like_surface):
        entry = match.value
        if isinstance(entry, CompanyEntry):
            found.append(PartyMention(match.start, match.end, entry.code, "company", org=entry.name))
            continue
        made_in = bool(ATTRIBUTE_SUFFIX.match(normal[match.end : match.end + 12]))
        found.append(PartyMention(match.start, match.end, entry.code, entry.kind, made_in=made_in))
    if INSTITUTION_WORD.search(normal):
        found = [m for m in found if not _names_an_institution(normal, m)]
    return _drop_titled_people(normal, found)


INSTITUTION_WORDS = r"(?:Institute|Institution|University|College|School|Academy|Observatory|Foundation)"
INSTITUTION_WORD = re.compile(INSTITUTION_WORDS)  # cheap screen: most sentences name no institution
INSTITUTION_AFTER = re.compile(
    rf"(?:[ ]+(?:[A-Z][\w&'-]*|of|for|the)){{0,4}}?[ ]+{INSTITUTION_WORDS}\b"
)
INSTITUTION_BEFORE = re.compile(rf"\b{INSTITUTION_WORDS}[ ]+(?:of|for|in)[ ]+(?:the[ ]+)?$")


def _names_an_institution(text: str, mention: PartyMention) -> bool:
    """ "Stockholm International Peace Research Institute", "University of Warsaw": a place in the name of
    a think tank or a university, which is neither a supplier nor a recipient."""
    if mention.is_company:
        return False
    return bool(INSTITUTION_AFTER.match(text, mention.end)) or bool(
        INSTITUTION_BEFORE.search(text, max(0, mention.start - 30), mention.start)
    )


def _cased_like_surface(text: str, start: int, end: int, surface: str, value: object) -> bool:
    """Acronyms must match letter for letter; other names must start with a capital in the text."""
    matched = text[start:end]
    letters = _acronym_letters(surface)
    if letters is not None:
        return [c for c in matched if c.isalpha()] == letters
    return _capitalised(matched)


@lru_cache(maxsize=8192)
def _acronym_letters(surface: str) -> list[str] | None:
    """The letters of an acronym surface, or None for other names (read once per surface)."""
    return [c for c in surface if c.isalpha()] if is_acronym(surface) else None


TITLE_GAP = re.compile(r"(?:\s+[A-Z][\w-]*){0,4}\s+")


def _drop_titled_people(text: str, mentions: list[PartyMention]) -> list[PartyMention]:
    """ "Dutch Prime Minister Mark Rutte": the title's state speaks for the person."""
    kept: list[PartyMention] = []
    for mention in mentions:
        if mention.kind == "person" and kept and TITLE_GAP.fullmatch(text[kept[-1].end : mention.start]):
            continue
        if mention.kind == "person" and _inside_longer_name(text, mention):
            continue
        kept.append(mention)
    return kept


NEXT_NAME = re.compile(r"[ ]+([A-Z][a-z\u00e0-\u024f]+)\b")
NOT_A_SURNAME = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July "
    "August September October November December The This That On In At For And But Jr Sr".split()
)


def _inside_longer_name(text: str, mention: PartyMention) -> bool:
    """ "Admiral Marcos Sampaio Olsen": a one-word surname of the gazetteer followed by further name words
    is another person's given name."""
    if " " in text[mention.start : mention.end]:
        return False
    following = NEXT_NAME.match(text, mention.end)
    return bool(following) and following.group(1) not in NOT_A_SURNAME


def _capitalised(surface: str) -> bool:
    words = surface.split()
    if words and words[0].lower() == "the" and len(words) > 1:
        words = words[1:]
    return bool(words) and words[0][:1].isupper()
