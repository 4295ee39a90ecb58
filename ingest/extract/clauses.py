"""Clause structure around a trigger: where its reach ends, pronoun objects, elliptic second requests."""

from __future__ import annotations

import re

from .items import ItemMention
from .mentions import SentenceFacts
from .parties import PartyMention
from .status import TriggerHit

RELATIVE_BEFORE = re.compile(
    r"\b(?:it|they|which|that)\s+(?:has\s+|have\s+|had\s+|is\s+|are\s+|was\s+|were\s+)?(?:already\s+|recently\s+)?$",
    re.IGNORECASE,
)
PRONOUN_OBJECT = re.compile(
    r"^\s+(?:it|them|both|the\s+(?:system|systems|weapons|equipment))\b", re.IGNORECASE
)


BY_AFTER = re.compile(r"^\s+by\b")
COMMA_OR_SEMICOLON = re.compile(r"[,;]")
COMMA_AT_END = re.compile(r",\s*$")
SEMICOLON_OR_AND = re.compile(r"[;]|\band\b")


def _opens_relative(text: str, previous: TriggerHit, trigger: TriggerHit) -> bool:
    """ "... it has promised", "..., bought from the US": the trigger only describes the items just named."""
    gap = text[previous.end : trigger.start]
    if RELATIVE_BEFORE.search(gap[-30:]):
        return True
    participle = trigger.phrase.split()[0].endswith(("ed", "ought", "old", "ent", "ld"))
    if (
        participle
        and BY_AFTER.match(text[trigger.end : trigger.end + 5])
        and not COMMA_OR_SEMICOLON.search(gap)
    ):
        return True  # "received four patrol boats donated by China"
    return participle and bool(COMMA_AT_END.search(gap)) and not SEMICOLON_OR_AND.search(gap)


def clause_stop(facts: SentenceFacts, position: int) -> int:
    """Where a trigger's reach ends: the next trigger, or past it when that one only opens a relative clause.

    "the first of four systems it has promised to Ukraine": the recipient after the relative verb is the
    main verb's recipient too.
    """
    triggers = facts.triggers
    following = position + 1
    while following < len(triggers) and _opens_relative(
        facts.text, triggers[following - 1], triggers[following]
    ):
        following += 1
    return triggers[following].start if following < len(triggers) else len(facts.text)


ANOTHER_FROM = re.compile(r"\b(?:and|or)\s+(?:another|one)\s+from\s+(?:the\s+)?[A-Z][\w' -]{1,30}?\s+to\s+$")


def another_request(facts: SentenceFacts, position: int) -> TriggerHit | None:
    """ "turned down a request from Denmark to pass on X and one from Spain to transfer Y": a second request
    answered by the same verb."""
    trigger = facts.triggers[position]
    earlier = [t for t in facts.triggers[:position] if t.frame in {"refuse", "request", "approve"}]
    if trigger.frame != "give" or not earlier:
        return None
    match = ANOTHER_FROM.search(facts.text[max(0, trigger.start - 50) : trigger.start])
    if not match:
        return None
    start = max(0, trigger.start - 50) + match.start()
    return TriggerHit(
        start, trigger.end, earlier[-1].frame, earlier[-1].status, earlier[-1].phrase, direction="give"
    )


AND_THEN_AT_END = re.compile(r"\band\s+(?:then\s+|later\s+)?$")


def passed_on_items(
    facts: SentenceFacts, position: int, assignment: dict[int, list[ItemMention]]
) -> list[ItemMention]:
    """A give verb whose object is a pronoun for what an earlier verb of the sentence bought."""
    trigger = facts.triggers[position]
    if not position or trigger.frame != "give" or not PRONOUN_OBJECT.match(facts.text[trigger.end :]):
        return []
    previous = facts.triggers[position - 1]
    if previous.frame != "get" or not AND_THEN_AT_END.search(facts.text[previous.end : trigger.start]):
        return []
    return assignment.get(position - 1, [])


UNNAMED_RECIPIENTS = re.compile(
    r"\bto\s+(?:(?:more\s+than|over|at\s+least|about|around|nearly|almost|some)\s+)?"
    r"(?:(?:several|many|other|some|various|a number of|a few|\w+)\s+(?:other\s+)?(?:[A-Z]\w+\s+)?"
    r"(?:countries|buyers|customers|nations|states|governments|armies|partners)\b|"
    r"[\"']?(?:an?|one|another)\s+(?:(?:unnamed|undisclosed|unidentified|unspecified|foreign|[A-Z]\w+)\s+){0,2}"
    r"(?:country|customer|buyer|client|nation|government|member|ally|operator|user)\b|"
    r"(?:the|its|their)\s+(?:front|front\s*line|frontline|troops|forces|units|soldiers|border|region|east|south|"
    r"north|west|air\s+force|army|navy|military|armed\s+forces|coast\s*guard)\b)"
)


def unnamed_recipients(facts: SentenceFacts, trigger: TriggerHit, stop: int) -> bool:
    """ "has offered the missile to several countries": the text names no recipient, so none is guessed."""
    return trigger.frame == "give" and bool(UNNAMED_RECIPIENTS.search(facts.text, trigger.end, stop))


CONTRACT_WITH_TO = re.compile(r"\b(?:contracts?|deals?|agreements?)\s+with\s+[\w\s'’.-]{1,40}?\s+to\s+$")


PARTICIPLE_ENDINGS = ("ed", "ought", "old", "ent", "ld", "iven")


BY_AT_END = re.compile(r"\bby\s+(?:the\s+)?$")


def reduced_relative_giver(facts: SentenceFacts, trigger: TriggerHit, stop: int) -> list[PartyMention] | None:
    """ "two systems donated to Moscow's allies": a participle right after the items is passive.

    Returns the agent of its "by" phrase (or no one), or None when the trigger is an ordinary verb.
    """
    if trigger.frame != "give" or trigger.passive or not trigger.phrase.endswith(PARTICIPLE_ENDINGS):
        return None
    if not any(0 <= trigger.start - item.end <= 1 for item in facts.items):
        return None
    return [
        p
        for p in facts.parties
        if trigger.end <= p.start < stop and BY_AT_END.search(facts.text[max(0, p.start - 8) : p.start])
    ][:1]


def company_contracted(
    facts: SentenceFacts, trigger: TriggerHit, suppliers: list[PartyMention], recipients: list[PartyMention]
) -> bool:
    """In "a state's contract with a company to provide X", the company is the one that provides."""
    if trigger.frame != "give" or not suppliers or not recipients:
        return False
    if not recipients[0].is_company or suppliers[0].is_company:
        return False
    return bool(CONTRACT_WITH_TO.search(facts.text[max(0, trigger.start - 60) : trigger.start]))
