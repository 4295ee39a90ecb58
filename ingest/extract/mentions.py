"""Everything the engine needs to know about one sentence, found once."""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from .items import ItemMention, find_items
from .knowledge import normalise_quotes
from .literals import ascii_lower, may_contain
from .money import UNRESOLVED_CURRENCY, Money, find_money, without_conversions
from .numbers import Quantity, find_quantities
from .parties import PartyMention, find_parties
from .sentences import Sentence
from .status import TriggerHit, cue_spans, find_triggers

ASKED_FOR = re.compile(
    r"\b(?:ask|asks|asked|asking|appealed|appeals|pleaded|pleads|requests?|requested|called|calls|pressed|"
    r"lobbied|waiting)\s+(?:(?:the\s+)?[A-Z][\w'-]*\s+){0,3}(?:(?:this|last|next)\s+\w+\s+|in\s+\w+\s+)?"
    r"for\s+(?:the\s+|more\s+|its\s+|their\s+)?$"
)
PURPOSE_BEFORE = re.compile(
    r"\bfor\s+(?:(?:the\s+|their\s+|its\s+)?(?:army|navy|air\s+force|marines|military|forces|troops|brigade|"
    r"regiment|battalion|unit)'s\s+|the\s+|their\s+|its\s+|them\s+|[A-Z][\w'-]*'s\s+)?$"
)
INDEFINITE = re.compile(
    r"\b(?:thousands|hundreds|dozens|millions|tens of thousands|hundreds of thousands|several|many|"
    r"an unspecified number|a number|a small number|large quantities|quantities|more)\s+(?:of\s+)?(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SentenceFacts:
    index: int
    sentence: Sentence
    text: str
    parties: list[PartyMention]
    items: list[ItemMention]
    quantities: list[Quantity]
    money: list[Money]
    triggers: list[TriggerHit]


def read_sentence(
    index: int, sentence: Sentence, seen_codes: AbstractSet[str] = frozenset(), previous: str = ""
) -> SentenceFacts:
    """Find parties, items, counts, money and triggers in one sentence.

    seen_codes are the parties named earlier in the article, for a currency word that only they explain;
    previous is the sentence before, whose last item a bare count may stand for ("ordered 24 in 2015").
    """
    text = normalise_quotes(sentence.text)
    triggers = find_triggers(text)
    found_parties = find_parties(text)
    amounts = find_money(text, restated=True)  # conversions are kept only to keep their figures from counts
    money = _with_local_currency(without_conversions(text, amounts), found_parties, seen_codes)
    money = _local_riyals(text, money, found_parties, seen_codes)
    money = [m for m in money if not PER_UNIT_AFTER.match(text, m.end)]  # "$1 billion each" prices one unit
    if not triggers:
        # without a trigger a sentence only lends context: who is talking, and prices or denials
        return SentenceFacts(index, sentence, text, found_parties, [], [], money, [])
    quantities = [q for q in find_quantities(text) if not any(m.start <= q.start < m.end for m in amounts)]
    raw_items = find_items(text)
    items = _deal_items(text, raw_items)
    items = sorted(
        items + _elliptic_items(text, quantities, items, previous) + _version_items(text, items),
        key=lambda i: i.start,
    )
    parties = _mark_origins(text, found_parties, raw_items)
    triggers = [t for t in triggers if not any(i.start < t.end and t.start < i.end for i in raw_items)]
    return SentenceFacts(index, sentence, text, parties, items, quantities, money, triggers)


COMPONENT_OF_BUILD = re.compile(
    r"\b(?:built|made|produced|assembled|manufactured)\s+(?:locally\s+)?by\s+[^,.;]{1,40}?\s+(?:with|using)\s+"
    r"(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
DESCRIBED_AS_BEFORE = re.compile(
    r"\b(?:was|were|is|are|became|become|remains?)\s+(?:the|its|their)\s+(?:very\s+)?(?:first|only|last|largest|"
    r"biggest)\s+(?:[\w-]+\s+){0,3}$",
    re.IGNORECASE,
)


PRODUCTION_WORDS = (
    "produc",
    "output",
    "manufactur",
    "building",
    "assembl",
)  # one of them is in every PRODUCTION_BEFORE match
PRODUCTION_BEFORE = re.compile(
    r"\b(?:production|output|manufacture|manufacturing|produce|producing|building|assembling|assembly)\s+"
    r"(?:of\s+)?(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
USED_BEFORE = re.compile(
    r"\b(?:using|used|uses|use|fired|firing|fires|launched|launching|deployed|deploying|operating|operates|"
    r"flying|relies on|relied on|relying on)\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,2}?$"
)
ATTACKED_WITH = re.compile(
    r"\b(?:attack\w*|struck|strik\w*|hit|hits|target\w*|shell\w*|bomb\w*|pound\w*)\b[^,.;]{0,30}\bwith\s+"
    r"(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,2}?$",
    re.IGNORECASE,
)
NOT_A_WEAPON_TANK = re.compile(r"\b(?:think|fuel|water|septic|oil|storage|gas|fish)\s+$", re.IGNORECASE)
ORIGIN_ADJECTIVE = re.compile(r"\b[A-Z]\w*-(?:made|built|designed|supplied|produced|manufactured)\b")
NOT_TRANSFERRED_AFTER = re.compile(
    r"^\s*(?:and\s+[\w-]+\s+)?(?:attacks?|strikes?|raids?|launches|threats?|barrages?|fire|production|programme|program|"
    r"industry|factory|factories|plants?|makers?|maker|manufacturers?|units?|crews?|pilots?|contract|market|fleet|"
    r"testing|tests?|launch|programme|agency|command|directorate|bureau|administration|organi[sz]ation)\b",
    re.IGNORECASE,
)


ELLIPSIS_AFTER = re.compile(
    r"^(?:\s+(?:more|further|others?)\b(?!\s+(?:years?|months?|weeks?|days?|decades?|times)\b)|\s+(?:it|they|that|which)\s|\s*[,.;]|\s*$)"
)
ELLIPSIS_BEFORE = re.compile(r"\b(?:a further|another|the|the other)\s+$", re.IGNORECASE)


MORE_AFTER = re.compile(r"^\s+(?:more|further)\b")
VERB_ELLIPSIS_BEFORE = re.compile(
    r"\b(?:(?:signed|contracted|opted|asked)\s+for|ordered|bought|purchased|acquired|received|took)\s+"
    r"(?:another\s+|a\s+further\s+)?$|\band\s+(?:another|a\s+further)\s+$",
    re.IGNORECASE,
)  # "and Iraq signed for eight later that year", "ordered another 30 in 2021"
WHEN_OR_WHENCE_AFTER = re.compile(
    r"^\s+(?:later|earlier|last|this|next|in|from|since|within|soon|the\s+following)\b", re.IGNORECASE
)


def _elliptic_items(
    text: str, quantities: list[Quantity], items: list[ItemMention], previous: str = ""
) -> list[ItemMention]:
    """ "promised three more", "would buy a further 60", "the two it has delivered": a count whose item
    was named just before stands for another lot of that item."""
    found: list[ItemMention] = []
    for quantity in quantities:
        tail = text[quantity.end : quantity.end + 16]
        if VERB_ELLIPSIS_BEFORE.search(text, max(0, quantity.start - 30), quantity.start):
            if not ELLIPSIS_AFTER.match(tail) and not WHEN_OR_WHENCE_AFTER.match(tail):
                continue
            if any(0 <= i.start - quantity.end <= 16 for i in items):
                continue
            earlier = [i for i in items + found if i.end <= quantity.start] or _previous_items(previous)
            if earlier:
                last = earlier[-1]
                found.append(ItemMention(quantity.end, quantity.end, last.category, last.text, last.named))
            continue
        elif not ELLIPSIS_AFTER.match(tail):
            continue
        elif not MORE_AFTER.match(tail) and not ELLIPSIS_BEFORE.search(text[: quantity.start]):
            continue
        if any(0 <= i.start - quantity.end <= 16 for i in items):
            continue  # "10 more NASAMS": the item is named
        earlier = [i for i in items if i.end <= quantity.start]
        if earlier:
            last = earlier[-1]
            found.append(ItemMention(quantity.end, quantity.end, last.category, last.text, last.named))
    return found


def _previous_items(previous: str) -> list[ItemMention]:
    """The named items of the sentence before, read only when a bare count needs them."""
    if not previous:
        return []
    text = normalise_quotes(previous)
    return [i for i in _deal_items(text, find_items(text)) if i.named]


VERSION_NOUN = re.compile(
    r"\b(?:the|its|an?)\s+(?:[a-z][\w-]*\s+){0,2}(?:version|variant|model)s?\b(?=\s+(?:it|they|that|which)\b)|"
    r"\b(?:their|its)\s+own\b(?=\s*(?:[,.;]|$|\s+(?:in|within|by|from|last|this|next|on|at|after|before|soon|"
    r"earlier|later)\b))",
    re.IGNORECASE,
)  # "the naval version it ordered", "Niger took delivery of its own within a year"


def _version_items(text: str, items: list[ItemMention]) -> list[ItemMention]:
    """ "26 more Rafales, in addition to the naval version it ordered": another lot of the item just named."""
    if not items:
        return []
    found = []
    for match in VERSION_NOUN.finditer(text, items[0].end):
        earlier = [i for i in items if i.end <= match.start()]
        if earlier and not any(match.start() <= i.start < match.end() for i in items):
            last = earlier[-1]
            found.append(ItemMention(match.end(), match.end(), last.category, last.text, last.named))
    return found


PER_UNIT_AFTER = re.compile(
    r"\s*(?:each|apiece|a\s+piece|per\s+(?:unit|piece|copy|system|aircraft|jet|plane|helicopter|vehicle|tank|ship|"
    r"vessel|launcher|battery|round|shell|missile))\b",
    re.IGNORECASE,
)
PESO_STATES = {
    "PH": "PHP",
    "MX": "MXN",
    "CL": "CLP",
    "CO": "COP",
    "AR": "ARS",
    "UY": "UYU",
    "DO": "DOP",
    "CU": "CUP",
}


def _with_local_currency(
    money: list[Money], parties: list[PartyMention], seen_codes: AbstractSet[str]
) -> list[Money]:
    """A bare "peso" is the peso of the peso-using state the sentence names, or else of the only one the
    article has named; without one it is no price."""
    if all(m.currency != UNRESOLVED_CURRENCY for m in money):
        return money
    local = next((PESO_STATES[p.code] for p in parties if p.code in PESO_STATES), None)
    earlier = [PESO_STATES[c] for c in sorted(seen_codes) if c in PESO_STATES]
    if local is None and len(earlier) == 1:
        local = earlier[0]
    return [
        m if m.currency != UNRESOLVED_CURRENCY else Money(m.start, m.end, m.value, local, m.qualifier)
        for m in money
        if m.currency != UNRESOLVED_CURRENCY or local
    ]


SPACES_OR_HYPHENS = re.compile(r"[\s-]*")
RIYAL_STATES = {"SA": "SAR", "QA": "QAR", "OM": "OMR", "YE": "YER"}
BARE_RIYAL = re.compile(r"\s(?:riyals?|rials?)$", re.IGNORECASE)


def _local_riyals(
    text: str, money: list[Money], parties: list[PartyMention], seen_codes: AbstractSet[str]
) -> list[Money]:
    """A bare "riyal" is Saudi unless the sentence, or else the article alone, names another riyal state."""
    if not any(m.currency == "SAR" and BARE_RIYAL.search(text, m.start, m.end) for m in money):
        return money
    local = next((RIYAL_STATES[p.code] for p in parties if p.code in RIYAL_STATES), None)
    earlier = [RIYAL_STATES[c] for c in sorted(seen_codes) if c in RIYAL_STATES]
    if local is None and len(earlier) == 1:
        local = earlier[0]
    if local is None or local == "SAR":
        return money
    return [
        Money(m.start, m.end, m.value, local, m.qualifier)
        if m.currency == "SAR" and BARE_RIYAL.search(text, m.start, m.end)
        else m
        for m in money
    ]


def _mark_origins(text: str, parties: list[PartyMention], items: list[ItemMention]) -> list[PartyMention]:
    """A demonym right before an item ("Russian S-400") names where the item comes from, and so does a maker
    named inside the item ("FN SCAR rifles")."""
    marked = []
    for party in parties:
        if party.is_company and any(i.start <= party.start and party.end <= i.end for i in items):
            party = PartyMention(party.start, party.end, party.code, party.kind, party.org, made_in=True)
        elif (party.kind == "demonym" or party.kind == "short") and any(
            (i.start >= party.end and SPACES_OR_HYPHENS.fullmatch(text[party.end : i.start]))
            or (i.start == party.start and i.end > party.end)
            for i in items
        ):
            party = PartyMention(party.start, party.end, party.code, party.kind, party.org, made_in=True)
        marked.append(party)
    return marked


RELATIVE_AFTER = re.compile(r"^\s+(?:that|which)\s")
ACCESSORY_BEFORE = re.compile(
    r"\b(?:(?:together\s+)?with\s+(?:their|its)|associated|related|accompanying)\s+$"
)
TANK_TEXT = re.compile(r"tanks?\b", re.IGNORECASE)
SPECULATION_AFTER = re.compile(r"^\s+(?:might|could|may)\s")
QUALIFIES_ROUNDS_AFTER = re.compile(r"^\s+(?:and|or)\s+[\w-]+\s+(?:rounds|ammunition|shells)\b")
RUNNING_TOTAL_OF = re.compile(
    r"\b(?:bringing|brings|brought|taking|takes|took|raising|raises)\s+(?:its|the|their|his|her)\s+"
    r"(?:overall\s+|cumulative\s+)?total\s+(?:[\w-]+\s+){0,2}?$",
    re.IGNORECASE,
)
SERVICE_AFTER = re.compile(
    r"\s+(?:maintenance|training|upgrades?|modernis\w+|moderniz\w+|sustainment|repairs?|overhauls?)\b",
    re.IGNORECASE,
)  # "EUR 1 billion for F-16 maintenance": a service for the aircraft, not the aircraft
MILESTONE_BEFORE = re.compile(r"\b\d{2,}(?:st|nd|rd|th)\s+(?:[\w-]+\s+)?$")
FINANCED_BY = re.compile(
    r"\b(?:financed|funded|paid\s+for|backed)\s+(?:in\s+part\s+|partly\s+|largely\s+|mostly\s+|partially\s+)?"
    r"(?:by|through|with|from)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
MILESTONE = re.compile(r"\d{2,}(?:st|nd|rd|th)\b")
# "handed over the 560th C-130J": a production milestone, not a transfer
CIVIL_BEFORE = re.compile(
    r"\b(?:wide-?body|narrow-?body|passenger|commercial|civil|civilian|airliners?|freighters?|business)\s+"
    r"(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
AIRLINE = re.compile(r"\b[A-Z][\w-]*\s+(?:Airways|Airlines|Air\s+Lines|Aviation\s+Group)\b")
CIVIL_CATEGORIES = frozenset({"aircraft", "helicopters"})
OWN_AMMUNITION = frozenset({"anti_tank", "air_defense"})
OWN_AMMUNITION_GAP = re.compile(r"\s+(?:and|with|plus|together\s+with)\s+(?:their\s+|its\s+)?")


def _deal_items(text: str, items: list[ItemMention]) -> list[ItemMention]:
    rates = cue_spans("rate", text)
    support = cue_spans("support", text)
    lowered = ascii_lower(text)
    airline = "Air" in text and AIRLINE.search(text) is not None
    kept = []
    for position, item in enumerate(items):
        if item.category == "financial_aid" and FINANCED_BY.search(text, max(0, item.start - 40), item.start):
            continue  # "financed in part by a French export credit": how the deal is paid, not another deal
        if MILESTONE_BEFORE.search(text, max(0, item.start - 30), item.start) or MILESTONE.match(item.text):
            continue
        if item.category in CIVIL_CATEGORIES and (
            airline or CIVIL_BEFORE.search(text, max(0, item.start - 40), item.start)
        ):
            continue  # "Qatar Airways ordered Boeing widebody jets": civil aircraft are not munitions
        if position and any(
            start <= item.start
            and item.end <= end
            or (item.end == end and item.category == "military_equipment_other")
            for start, end in support
        ):
            continue  # simulators and spare parts bundled with a platform are not deals of their own
        if (
            position
            and PURPOSE_BEFORE.search(text[max(0, item.start - 30) : item.start])
            and not ASKED_FOR.search(text[max(0, item.start - 60) : item.start])
            and not RELATIVE_AFTER.match(text[item.end : item.end + 8])
        ):
            continue  # "rockets for HIMARS launchers": the launcher only says what the rockets are for
        if any(0 <= start - item.end <= 30 for start, _ in rates):
            continue  # "rounds a day" is consumption
        if position and COMPONENT_OF_BUILD.search(text, max(0, item.start - 70), item.start):
            continue  # "to be built by LIG Nex1 with radars from Hanwha Systems": a component of the build
        if (
            position
            and not item.named
            and DESCRIBED_AS_BEFORE.search(text, max(0, item.start - 50), item.start)
        ):
            continue  # "the radars were the first Japanese defence equipment exported": a description
        if NOT_TRANSFERRED_AFTER.match(text[item.end : item.end + 40]) or SERVICE_AFTER.match(text, item.end):
            continue  # "missile and drone attacks", "the tank contract"
        if position and ACCESSORY_BEFORE.search(text[max(0, item.start - 30) : item.start]):
            continue  # "NASAMS ... together with their missiles": part of the system already named
        lead = text[max(0, item.start - 50) : item.start]
        if TANK_TEXT.match(item.text) and NOT_A_WEAPON_TANK.search(lead):
            continue  # "a think tank", "fuel tanks"
        described = lead[-25:] + item.text
        if (
            "-" in described
            and ORIGIN_ADJECTIVE.search(described)
            and (USED_BEFORE.search(lead) or ATTACKED_WITH.search(lead))
        ):
            continue  # "began using Iranian-made drones against cities": a description of use, not a transfer
        if RUNNING_TOTAL_OF.search(text, max(0, item.start - 50), item.start):
            continue  # "taking its total military aid to GBP 12 billion": a running total, not a deal
        if may_contain(lowered, PRODUCTION_WORDS) and PRODUCTION_BEFORE.search(
            text[max(0, item.start - 40) : item.start]
        ):
            continue  # "expand production of Patriot interceptors": industry, not a transfer
        if SPECULATION_AFTER.match(text[item.end : item.end + 10]):
            continue  # "a launcher might follow": speculation
        if (
            kept
            and item.text.lower() in {"ammunition", "munitions", "rounds", "missiles"}
            and kept[-1].category in OWN_AMMUNITION
            and OWN_AMMUNITION_GAP.fullmatch(text[kept[-1].end : item.start])
        ):
            continue  # "Carl-Gustaf rifles and ammunition", "Skynex systems with ammunition": the system's own rounds
        if not item.named and QUALIFIES_ROUNDS_AFTER.match(text[item.end : item.end + 30]):
            continue  # "tank and mortar rounds": the first noun only qualifies the rounds
        kept.append(item)
    return kept


def is_indefinite(text: str, item: ItemMention) -> bool:
    """True for "thousands of", "an unspecified number of" and the like before the item."""
    return bool(INDEFINITE.search(text[max(0, item.start - 60) : item.start]))
