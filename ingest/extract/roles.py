"""Assign supplier and recipient around a trigger from local syntax cues."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .literals import WholeWords, last_words
from .parties import PartyMention
from .status import TriggerHit

SUBJECT_BLOCKERS = re.compile(
    r"\b(?:to|for|from|with|by|in|into|of|at|on|against|than|between|across|near|about|over|after|before|"
    r"via|through|towards|among|like|unlike|including|under|beyond|without|since|during|despite|inside|outside|within|along)\s+(?:(?:the|his|her|its|their)\s+)?$",
    re.IGNORECASE,
)
REFERRING_NOUNS = (
    "ministry government country administration company kingdom island agency department chancellor "
    "president army navy group manufacturer firm"
).split() + ["air force"]
OWN_FORCES = [
    "army",
    "navy",
    "air force",
    "military",
    "armed forces",
    "forces",
    "defence ministry",
    "defense ministry",
]
PRONOUN_SUBJECT = WholeWords(
    ["it", "they", "he", "she", *(f"the {noun}" for noun in REFERRING_NOUNS)]
    + [f"{owner} {forces}" for owner in ("its", "their") for forces in OWN_FORCES]
    + ["its government", "her country", "his country", "their government", "their governments"]
)
TO_RECIPIENT = re.compile(
    r"\b(?:to|for|into)\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,2}?$", re.IGNORECASE
)
INSTITUTION_AFTER = re.compile(
    r"^\s+(?:[a-z]+\s+){0,2}?(?:government|ministry|officials?|authorities|army|navy|air\s+force|military|forces|"
    r"president|prime\s+minister|minister|chancellor|cabinet|parliament|administration|leaders?|lawmakers|"
    r"legislators|MPs|senators|deputies|prosecutors|regulators|courts?|judges|diplomats|negotiators|"
    r"mercenaries|contractors|firms?|companies|company|makers?|manufacturers?|producers?|exporters?|traders?|brokers?|industry|plants?|"
    r"factories|factory)\b"
)  # "Serbian defence firms were sending shells": the state's industry acts for it
ATTRIBUTIVE_AFTER = re.compile(
    r"^\s+(?!(?:has|have|had|is|are|was|were|will|would|said|says|can|could|may|might|did|does|do|also|and|or|to|"
    r"in|on|at|for|of|with|which|who|that|then|now|first|last)\b)[a-z][a-z-]+\b"
)
FROM_SUPPLIER = re.compile(r"\b(?:from|with|by)\s+(?:the\s+)?(?:[\w-]+\s+){0,1}?$", re.IGNORECASE)
BARE_OBJECT = re.compile(r"^\s*(?:the\s+)?$", re.IGNORECASE)
COORDINATION = re.compile(r"^\s*(?:,|,?\s+and|,?\s+as well as)\s+(?:the\s+)?$", re.IGNORECASE)
REQUESTER_BEFORE = re.compile(r"(?:'s|s')\s+(?:\w+\s+){0,2}?(?:requests?|appeals?|plea)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Roles:
    suppliers: tuple[PartyMention, ...]
    recipients: tuple[PartyMention, ...]
    supplier_pronoun: bool = False
    recipient_pronoun: bool = False


APPOSITIVE = re.compile(r",\s+(?:a|an|the|which|who|whose|its|one of)\b[^,;]*,")


@lru_cache(maxsize=16)
def _appositives(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of the appositives of text, found once per sentence."""
    return tuple(m.span() for m in APPOSITIVE.finditer(text))


def appositives_before(text: str, start: int) -> list[tuple[int, int]]:
    """Appositives that close before position start.

    An appositive runs from its comma to the next one, so these are exactly the ones found in text[:start].
    """
    return [span for span in _appositives(text) if span[1] <= start]


STARTS_CLAUSE = re.compile(
    r"^(?:'s\s+\w+)?\s+(?:\w+ly\s+)?(?:\w+ed|has|had|have|is|was|were|will|would|took|gave|sent|made|began|"
    r"agreed|won|bought|sold|said|says|plans|wants)\b"
)
SPEAKER_AFTER = re.compile(
    r"^\s+(?:[a-z]+\s+){1,3}?(?:said|says|told|claimed|claims|reported|believes|estimated)\b"
)  # "from Iran, Ukrainian intelligence said": the speaker, not a second supplier
CONJUNCTION_BEFORE = re.compile(r"\b(?:after|before|since|until|once)\s+(?:the\s+)?$", re.IGNORECASE)
VERB_AFTER = re.compile(
    r"^(?:'s\s+\w+)?\s+(?:\w+ed|has|had|have|is|was|were|will|would|took|gave|sent|made|began|agreed|won|bought|sold)\b"
)


OFFICIALS_IN = re.compile(
    r"\b(?:officials|authorities|leaders|ministers|commanders|generals|diplomats|courts?|judges|prosecutors|"
    r"lawmakers|the\s+government|"
    r"the\s+(?:military\s+)?(?:junta|regime))\s+in\s+$",
    re.IGNORECASE,
)  # "Officials in Port Sudan have acknowledged buying": the seat of government acts for its state


FORCE_OF = re.compile(
    r"\b(?:navy|army|air\s+force|armed\s+forces|military|government|coast\s+guard|defen[cs]e\s+ministry|"
    r"ministry\s+of\s+defen[cs]e|president|prime\s+minister|king|emir)\s+of\s+(?:the\s+)?$",
    re.IGNORECASE,
)
TOPIC_OPENER = re.compile(r"\W*(?:for|as\s+for)\s+(?:the\s+)?", re.IGNORECASE)
SPOKE_AFTER = re.compile(r"\s+(?:\w+ly\s+)?(?:have\s+|has\s+)?(?:said|say|says|told|tell|insisted|argued)\b")


def introduced_by_preposition(text: str, mention: PartyMention) -> bool:
    """True for "to Ukraine", "from Seoul"; "after Switzerland refused" starts a clause instead."""
    return _introduced_by_preposition(text, mention.start, mention.end, mention.kind)


@lru_cache(maxsize=256)
def _introduced_by_preposition(text: str, start: int, end: int, kind: str) -> bool:
    # asked again for the same mention by several role rules of a sentence, so answered once
    window = text[max(0, start - 25) : start]
    before = last_words(window, 2)  # SUBJECT_BLOCKERS and CONJUNCTION_BEFORE span two words
    if not SUBJECT_BLOCKERS.search(before):
        return False
    if kind in {"name", "capital"} and FORCE_OF.search(window):
        return False  # "The navy of Ghana received": the state's own service acts for it
    if TOPIC_OPENER.fullmatch(text, 0, start):
        return False  # "For Lithuania the new vehicles come on top of ...": the sentence is about Lithuania
    if kind in {"capital", "name"} and OFFICIALS_IN.search(window) and not SPOKE_AFTER.match(text, end):
        return False
    return not (CONJUNCTION_BEFORE.search(before) and VERB_AFTER.match(text[end : end + 30]))


def looks_like_subject(text: str, mention: PartyMention) -> bool:
    """Near the start of the sentence, or followed by a verb or a possessive ("Poland has", "Seoul's")."""
    return mention.start < 40 or bool(VERB_AFTER.match(text[mention.end : mention.end + 30]))


def leading_actor(text: str, mentions: list[PartyMention]) -> list[PartyMention]:
    """The first party of the sentence that is not introduced by a preposition (its main subject)."""
    for mention in mentions:
        if mention.made_in or (mention.kind == "demonym" and mention.start > 20):
            continue
        if not introduced_by_preposition(text, mention):
            return [mention]
    return []


MODIFIER_KINDS = frozenset({"short", "demonym"})  # the kinds of name that can modify a noun ("US claims")
POSSESSIVE_START = re.compile(r"^(?:'s|’s)")


def subject_of(
    text: str, mentions: list[PartyMention], start: int, floor: int
) -> tuple[list[PartyMention], bool]:
    """Coordinated party mentions acting as subject before position start, and whether a pronoun stands between."""
    asides = appositives_before(text, start)
    candidates = [
        m
        for m in mentions
        if floor <= m.start
        and m.end <= start
        and not m.made_in
        and not (asides and any(a <= m.start < b for a, b in asides))
        and not (m.kind in MODIFIER_KINDS and _attributive(text, m))
    ]
    for index in range(len(candidates) - 1, -1, -1):
        mention = candidates[index]
        if introduced_by_preposition(text, mention):
            continue
        between = text[mention.end : start]
        pronoun = PRONOUN_SUBJECT.found_in(between) and not POSSESSIVE_START.match(between)
        return _coordinated(text, candidates[: index + 1]), pronoun
    return [], PRONOUN_SUBJECT.found_in(text[floor:start])


def _attributive(text: str, mention: PartyMention) -> bool:
    """ "US claims", "South Korean manufacturers": a name used as a modifier, not as an actor.

    "The Dutch government" or "US officials" still act for their state.
    """
    tail = text[mention.end : mention.end + 40]
    if mention.kind not in MODIFIER_KINDS or not ATTRIBUTIVE_AFTER.match(tail):
        return False
    return not INSTITUTION_AFTER.match(tail)


def _coordinated(text: str, candidates: list[PartyMention]) -> list[PartyMention]:
    group = [candidates[-1]]
    for mention in reversed(candidates[:-1]):
        if COORDINATION.match(text[mention.end : group[0].start]) and not introduced_by_preposition(
            text, mention
        ):
            group.insert(0, mention)
        else:
            break
    return group


def after_with_preposition(
    text: str, mentions: list[PartyMention], start: int, stop: int, pattern: re.Pattern[str]
) -> list[PartyMention]:
    """Party mentions between start and stop introduced by a preposition matching pattern."""
    found: list[PartyMention] = []
    for mention in mentions:
        if mention.start < start or mention.end > stop or mention.made_in:
            continue
        if pattern.search(text[max(start, mention.start - 30) : mention.start]):
            found.append(_owned_company(text, mentions, mention))
            found.extend(following_coordinated(text, mentions, mention, stop))
            break
    return found


POSSESSIVE_GAP = re.compile(r"'s\s+")


def _owned_company(text: str, mentions: list[PartyMention], owner: PartyMention) -> PartyMention:
    """ "South Korea's LIG Nex1": the company named after a possessive state is the party meant."""
    for mention in mentions:
        if (
            mention.is_company
            and mention.start > owner.end
            and POSSESSIVE_GAP.fullmatch(text[owner.end : mention.start])
        ):
            return mention
    return owner


def following_coordinated(
    text: str, mentions: list[PartyMention], head: PartyMention, stop: int
) -> list[PartyMention]:
    """Parties coordinated after head ("to Poland, Latvia and Estonia"), up to stop."""
    group: list[PartyMention] = []
    last = head
    for mention in mentions:
        if mention.start < last.end or mention.end > stop:
            continue
        after = text[mention.end : mention.end + 40]
        if (
            COORDINATION.match(text[last.end : mention.start])
            and not STARTS_CLAUSE.match(after)
            and not SPEAKER_AFTER.match(after)
        ):
            group.append(mention)
            last = mention
        elif mention.start > last.end:
            break
    return group


def bare_object(text: str, mentions: list[PartyMention], trigger: TriggerHit) -> PartyMention | None:
    """A party named right after the trigger with no preposition ("asked Washington", "sell Armenia")."""
    for mention in mentions:
        if mention.start >= trigger.end and not mention.made_in:
            return mention if BARE_OBJECT.match(text[trigger.end : mention.start]) else None
    return None


REQUEST_AFTER = re.compile(r"\s+(?:requests?|appeals?)\b", re.IGNORECASE)
PERMISSION_REQUESTED_OF = re.compile(
    r"\b(?:requests?\s+from|let|allow|allowed|permit|permitted)\s+$", re.IGNORECASE
)


def requester(text: str, mentions: list[PartyMention], trigger: TriggerHit) -> list[PartyMention]:
    """The party whose request is refused: a possessive, a demonym before 'request', or 'request from X'."""
    window_end = min(len(text), trigger.end + 80)
    for mention in mentions:
        if trigger.start <= mention.start < window_end and not mention.made_in:
            tail = text[mention.end : mention.end + 40]
            if REQUESTER_BEFORE.match(tail) or REQUEST_AFTER.match(tail):
                return [mention]
            head = text[max(trigger.start, mention.start - 30) : mention.start]
            if PERMISSION_REQUESTED_OF.search(head):
                return [mention]
            if BARE_OBJECT.search(text[trigger.end : mention.start]):
                return [mention]  # "blocked Germany from re-exporting"
    return []
