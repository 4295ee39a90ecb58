"""Find weapon and aid item mentions and give each a category."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .gazetteer import PhraseMatcher
from .knowledge import ItemEntry, item_key, items, normalise_quotes, number_words, parties
from .literals import ascii_lower, may_contain

CALIBRE = re.compile(
    r"(\d{1,3}(?:\.\d{1,2})?)(?:\s?[x×]\s?\d{2,3})?\s?-?\s?(?:mm|millimet(?:re|er))\b", re.IGNORECASE
)  # "30x173mm" is a 30mm round with a 173mm case
AMMUNITION_CATEGORIES = {"ammunition_other", "artillery_ammunition"}
GENERIC_ROUNDS = re.compile(
    r"(?<![\w-])(?:rounds|cartridges)(?!\w)(?:\s+of\s+(?:[\w-]+\s+){0,3}?(?:ammunition|munitions))?",
    re.IGNORECASE,
)
LEFT_MODIFIER = re.compile(
    r"(?:[A-Z0-9][\w/.-]*|[a-z]+-[a-z-]+|main|battle|light|heavy|combat|used|new|old|older)$"
)


@dataclass(frozen=True)
class ItemMention:
    start: int
    end: int
    category: str
    text: str
    named: bool


@lru_cache(maxsize=1)
def _matcher() -> PhraseMatcher[ItemEntry]:
    return PhraseMatcher(((e.surface, e) for e in items().values()), plurals=True)


def _acceptable_item(text: str, start: int, end: int, surface: str, entry: ItemEntry) -> bool:
    """Named systems keep their capitals ("Hawk", not "hawk"); generic words are not halves of compounds."""
    if entry.named:
        matched = text[start:end]
        if _all_capitals(surface):
            return all(c.isupper() for c in matched[: len(surface)] if c.isalpha())
        return matched[:1] == surface[:1] or not surface[:1].isalpha()
    hyphen_before = start > 0 and text[start - 1] == "-"
    hyphen_after = text[end : end + 1] == "-" and text[end + 1 : end + 2].isalpha()
    return not hyphen_before and not hyphen_after


@lru_cache(maxsize=16384)
def _all_capitals(surface: str) -> bool:
    letters = [c for c in surface if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


POSSESSIVE_END = re.compile(r"'s$")
IES_END = re.compile(r"ies$")
ES_END = re.compile(r"es$")
S_END = re.compile(r"s$")


def lookup(surface: str) -> ItemEntry | None:
    """The gazetteer entry for a matched surface, trying singular forms."""
    key = item_key(surface)
    for candidate in (
        key,
        POSSESSIVE_END.sub("", key),
        IES_END.sub("y", key),
        ES_END.sub("", key),
        S_END.sub("", key),
    ):
        if candidate in items():
            return items()[candidate]
    return None


COORDINATED_MODIFIER = re.compile(
    r"\b(anti-[a-z]+)\s+(?:and|or)\s+anti-[a-z]+\s+(missiles|weapons|systems|rockets)\b", re.IGNORECASE
)
REFERRED_KINDS = {  # "the aircraft" may stand for drones or helicopters, never for missiles
    "aircraft": frozenset({"aircraft", "drones", "helicopters"}),
    "vehicles": frozenset(
        {"armored_vehicles", "military_equipment_other", "artillery_systems", "air_defense"}
    ),
    "guns": frozenset({"artillery_systems", "air_defense", "small_arms", "anti_tank"}),
}
REFERRING_GENERIC = frozenset(
    {"aircraft", "systems", "system", "weapons", "vehicles", "launchers", "launcher", "guns"}
)


def find_items(text: str) -> list[ItemMention]:
    """Item mentions in text; adjacent pieces of one noun phrase are joined."""
    normal = normalise_quotes(text)
    raw = _raw_mentions(normal) + _coordinated_modifiers(normal)
    joined = [_refine(normal, m) for m in _join_adjacent(normal, sorted(raw, key=lambda m: m.start))]
    return _resolve_referring(normal, joined)


def _coordinated_modifiers(text: str) -> list[ItemMention]:
    """ "anti-tank and anti-aircraft missiles" also names anti-tank missiles."""
    if not may_contain(ascii_lower(text), ("anti-",)):
        return []
    found = []
    for match in COORDINATED_MODIFIER.finditer(text):
        entry = lookup(f"{match.group(1)} {match.group(2)}")
        if entry:
            found.append(
                ItemMention(
                    match.start(1), match.end(1), entry.category, match.group(1) + " " + match.group(2), False
                )
            )
    return found


def _resolve_referring(text: str, mentions: list[ItemMention]) -> list[ItemMention]:
    """ "three of the aircraft" after "the Bayraktar TB2 drone" are drones: a bare generic takes the named kind."""
    resolved = []
    for position, mention in enumerate(mentions):
        head = mention.text.lower().split()[-1] if mention.text else ""
        earlier = [m for m in mentions[:position] if m.named]
        if (
            not mention.named
            and head in REFERRING_GENERIC
            and earlier
            and mention.text.lower() == head
            and (head not in REFERRED_KINDS or earlier[-1].category in REFERRED_KINDS[head])
        ):
            mention = ItemMention(mention.start, mention.end, earlier[-1].category, mention.text, False)
        resolved.append(mention)
    return resolved


def _raw_mentions(text: str) -> list[ItemMention]:
    found = [
        ItemMention(m.start, m.end, m.value.category, text[m.start : m.end], m.value.named)
        for m in _matcher().find(text, _acceptable_item)
    ]
    rounds = may_contain(ascii_lower(text), ("rounds", "cartridges"))
    for match in GENERIC_ROUNDS.finditer(text) if rounds else ():
        if not any(m.start < match.end() and match.start() < m.end for m in found):
            found.append(ItemMention(match.start(), match.end(), "ammunition_other", match.group(), False))
    return sorted(found, key=lambda m: m.start)


def _join_adjacent(text: str, mentions: list[ItemMention]) -> list[ItemMention]:
    joined: list[ItemMention] = []
    for mention in mentions:
        if joined and _same_phrase(text, joined[-1], mention):
            previous = joined[-1]
            category = _phrase_category(previous, mention)
            joined[-1] = ItemMention(
                previous.start,
                mention.end,
                category,
                text[previous.start : mention.end],
                previous.named or mention.named,
            )
        else:
            joined.append(mention)
    return joined


OF_GAP = re.compile(r"\s+of\s+(?:[\w-]+\s+){0,3}?")
MODIFIER_GAP = re.compile(r"[\s-]*(?:[\w/.-]+[\s-]+){0,3}?")
FUNCTION_WORD = re.compile(
    r"\b(?:and|or|for|with|to|from|of|the|a|an|that|which|in|on|as|by|is|are|was|were|be|been|will|"
    r"under|its|their|his|her|at|into|via|per|after|before|over|than|since|carried|carries|delivered|"
    r"received|shipped|sent|bought|ordered|sold|has|have|had)\b",
    re.IGNORECASE,
)


def _same_phrase(text: str, left: ItemMention, right: ItemMention) -> bool:
    gap = text[left.end : right.start]
    if OF_GAP.fullmatch(gap) and left.category == "ammunition_other":
        return True  # "rounds of 152mm artillery ammunition"
    return bool(MODIFIER_GAP.fullmatch(gap)) and "," not in gap and not FUNCTION_WORD.search(gap)


def _phrase_category(left: ItemMention, right: ItemMention) -> str:
    if left.category == "ammunition_other" and not left.named:
        return right.category  # "rounds of 155mm ammunition" takes the head's refinement
    if left.named and not right.named and not _platform_head(left, right):
        return left.category  # "Patriot missiles" are air defence
    if left.named and MODEL_DESIGNATION.fullmatch(right.text):
        return left.category  # "Carl-Gustaf M4": the version letter of a family is not the M4 carbine

    return right.category


MODEL_DESIGNATION = re.compile(r"[A-Z]{1,2}-?\d{1,2}[A-Z]?\d?")
PLATFORM_CATEGORIES = frozenset({"armored_vehicles", "aircraft", "helicopters", "naval"})


def _platform_head(left: ItemMention, right: ItemMention) -> bool:
    """ "Mamba armoured personnel carriers": a platform noun decides the kind over a clashing model name."""
    return right.category in PLATFORM_CATEGORIES and left.category not in PLATFORM_CATEGORIES | {"drones"}


ARMOURED_VEHICLE = re.compile(r"\barmou?red\b.*\b(?:vehicles?|trucks?|carriers?|cars?)$", re.IGNORECASE)


def _refine(text: str, mention: ItemMention) -> ItemMention:
    category = mention.category
    if category in AMMUNITION_CATEGORIES or mention.text.lower().endswith(("rounds", "ammunition", "shells")):
        category = _ammunition_category(text, mention, category)
    start = _extend_left(text, mention.start)
    if category == "military_equipment_other" and ARMOURED_VEHICLE.search(
        text[max(0, start - 10) : mention.end]
    ):
        category = "armored_vehicles"  # "armoured support vehicles": protection makes it an armoured vehicle
    return ItemMention(start, mention.end, category, text[start : mention.end], mention.named)


LEAD_BREAK = re.compile(r",|;|\(|\band\b|\bor\b")


def _ammunition_category(text: str, mention: ItemMention, category: str) -> str:
    lead = text[max(0, mention.start - 30) : mention.start]
    lead = LEAD_BREAK.split(lead)[-1]
    window = (lead + text[mention.start : mention.end]).lower()
    if "large-calibre" in window or "large calibre" in window:
        return "artillery_ammunition"
    if "tank" in window and "anti-tank" not in window:
        return "tank_ammunition"
    if "mortar" in window or "artillery" in window or "shell" in window:
        return "artillery_ammunition"
    if "small-arms" in window or "small arms" in window or "rifle" in window:
        return "small_arms_ammunition"
    calibre = CALIBRE.search(window)
    if calibre:
        size = float(calibre.group(1))
        if size >= 60:
            return "artillery_ammunition"
        if size < 15:
            return "small_arms_ammunition"
        return "ammunition_other"
    return _sentence_ammunition_hint(text.lower(), category) if not mention.named else category


ARTILLERY_WORDS = re.compile(r"\b(?:artillery|howitzers?|shells?|mortars?)\b")
TANK_WORD = re.compile(r"(?<!anti-)\btanks?\b")


def _sentence_ammunition_hint(sentence: str, category: str) -> str:
    if ARTILLERY_WORDS.search(sentence):
        return "artillery_ammunition"
    if TANK_WORD.search(sentence):
        return "tank_ammunition"
    return category


FIGURE = re.compile(r"[\d,.]+")


def _extend_left(text: str, start: int) -> int:
    for _ in range(3):
        before = text[:start].rstrip()
        words = before.rsplit(None, 1)
        token = words[-1] if words else ""  # the last run of non-space characters
        if not token or not LEFT_MODIFIER.fullmatch(token) or FIGURE.fullmatch(token):
            break
        if token[0].isupper() and start - len(token) - 1 <= 0:
            break
        if _names_a_place_or_verb(token):
            break
        if token.lower() in number_words() or token.lower() in DETERMINERS:
            break  # "KAINJI — Two M-346 trainers": a count or an article after a dateline, not a name
        start = len(before) - len(token)
    return start


DETERMINERS = frozenset({"the", "a", "an", "this", "these", "those", "its", "their", "our", "all", "some"})


def _names_a_place_or_verb(token: str) -> bool:
    """Modifiers stop at a country name ("to Germany") or a hyphenated verb ("re-export")."""
    if token.lower().startswith(("re-", "co-", "pre-")):
        return True
    entry = parties().get(token.strip(",.;:").lower())
    return entry is not None and entry.kind in {"name", "capital", "short"}
