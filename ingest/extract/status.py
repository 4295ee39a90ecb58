"""Find deal trigger phrases in a sentence and read their status from tense and modality."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from .gazetteer import PhraseIndex, find_phrases, phrase_index, tokens_of, word_set
from .knowledge import cues, normalise_quotes, triggers
from .literals import ascii_lower, last_words, literal_alternation

CHAIN_GAP = re.compile(r"^[\s,]*(?:[\w'’-]+\s+){0,6}?(?:to|for)\s+(?:(?:help\s+)?)$", re.IGNORECASE)
PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|being|be|is|are)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
NEGATION_BEFORE = re.compile(
    r"\b(?:not|n't|never|no longer|refused to|declined to)\s+(?:\w+\s+)?$", re.IGNORECASE
)
UNABLE_BEFORE = re.compile(
    r"\b(?:cannot|can't|could\s+not|couldn't|unable\s+to)\s+(?:afford\s+to\s+)?$", re.IGNORECASE
)
NEVER_DONE_BEFORE = re.compile(r"\b(?:never|not\s+ever)\s+(?:\w+\s+)?$", re.IGNORECASE)
PAST_FORMS = ("ed", "sent", "sold", "given", "gave", "shipped", "supplied", "provided")


def _past_form(hit: TriggerHit) -> bool:
    return hit.phrase.split()[0].endswith(PAST_FORMS)


LEASED_AFTER = re.compile(
    r"\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,2}?(?:leased|rented|loaned|borrowed)\b", re.IGNORECASE
)
SIGNED_PARTICIPLE_BEFORE = re.compile(
    r"\b(?:contract|deal|agreement|order|accord|memorandum|framework|loan|lease|package)s?\s+(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)
CLAUSE_START = re.compile(r"[;:]|\b(?:but|while|although|whereas)\b", re.IGNORECASE)


@dataclass(frozen=True)
class TriggerHit:
    start: int
    end: int
    frame: str
    status: str
    phrase: str
    passive: bool = False
    direction: str = ""  # the give/get frame that decides who supplies, when a chain has one
    weak: bool = False


@lru_cache(maxsize=1)
def _phrase_index() -> PhraseIndex:
    return phrase_index(triggers())


@lru_cache(maxsize=8)
def _cue_pattern(kind: str) -> re.Pattern[str]:
    alternation = literal_alternation(cues().get(kind, ()))
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=8)
def _lowered_cue_pattern(kind: str) -> re.Pattern[str]:
    """_cue_pattern for lower-cased ASCII text, where a word character is [0-9a-z_].

    The look-behind comes after each cue's first character, so the engine can scan for those characters
    quickly; on such text it finds the same spans as _cue_pattern.
    """
    alternation = literal_alternation(cues().get(kind, ()), after_first="(?<![0-9a-z_-].)")
    return re.compile(rf"(?:{alternation})(?![\w-])")


@lru_cache(maxsize=8)
def _cue_screen(kind: str) -> re.Pattern[str]:
    # case-sensitive and without lookarounds, the engine scans for the cues' first letters quickly
    return re.compile(literal_alternation(cues().get(kind, ())))


def _cue_matches(kind: str, normal: str) -> Iterator[re.Match[str]]:
    """The cues of the kind in a text whose quotes are normalised, as _cue_pattern finds them."""
    if normal.isascii():
        return _lowered_cue_pattern(kind).finditer(normal.lower())
    return _cue_pattern(kind).finditer(normal)


@lru_cache(maxsize=64)
def has_cue(kind: str, text: str) -> bool:
    """True when text contains a cue of the given kind from cues.tsv."""
    return next(_cue_matches(kind, normalise_quotes(text)), None) is not None


def cue_spans(kind: str, text: str) -> list[tuple[int, int]]:
    """Spans of every cue of the given kind."""
    return [m.span() for m in _cue_matches(kind, normalise_quotes(text))]


@lru_cache(maxsize=1)
def _required_words() -> frozenset[str]:
    """One word every trigger phrase contains (its longest), to skip sentences that hold none."""
    words = set()
    for phrase in triggers():
        parts = [w for w in tokens_of(phrase) if w != "*"]
        words.add(max(parts, key=len))
    return frozenset(words)


def find_triggers(text: str) -> list[TriggerHit]:
    """Trigger phrases of a sentence with statuses adjusted for modality; chains are merged."""
    normal = normalise_quotes(text)
    if _required_words().isdisjoint(word_set(normal)):
        return []
    hits = []
    groups = None
    for start, end, phrase in find_phrases(normal, _phrase_index()):
        entry = triggers()[phrase]
        hit = TriggerHit(start, end, entry.frame, entry.status, entry.phrase)
        groups = _word_groups(normal) if groups is None else groups
        hits.append(_adjust(normal, hit, groups))
    return [h for h in _merge_chains(normal, hits) if h is not None]


NOUN_FORMS = frozenset(
    "purchase order supply supplies transfer transfers export gift pledge promise request requests sale talks "
    "negotiations".split()
)
DETERMINER_BEFORE = re.compile(
    r"(?:\b(?:the|a|an|its|their|his|her|this|that|these|those|first|second|large|planned|possible|new|"
    r"any|further|such)|'s)\s+(?:(?!(?:will|would|to|has|have|had|is|are|was|were|can|could|may|might|shall|should|"
    r"did|does|do|not|also)\b)[\w-]+\s+){0,3}$",
    re.IGNORECASE,
)
PURCHASE_NOUNS = frozenset({"purchase", "order"})
PAYEE = re.compile(r"\b(?:[A-Z][\w-]+|government|ministry|company|firm|manufacturer|shipyard)\b")
PRICED_BEFORE = re.compile(
    r"\d\s*(?:million|billion|bn|mn|m)?\s+$", re.IGNORECASE
)  # "a EUR 4 million order for ..."

POSSESSOR_BEFORE = re.compile(r"\b[A-Z][\w-]*(?:'s|s')\s+(?:earlier\s+|first\s+|previous\s+|recent\s+)?$")
OF_AFTER = re.compile(r"\s+of\s")
NOT_A_REFUSAL_AFTER = re.compile(
    r"^\s+(?:to\s+(?:comment|say|give details|confirm|disclose|specify|elaborate|name|take part|join|participate|sign up)|"
    r"(?:a|the)\s+reports?|reports|claims?|the\s+claims?|the\s+accusations?|accusations|allegations|the\s+allegations?)\b",
    re.IGNORECASE,
)
NOT_A_TRANSFER_AFTER = re.compile(
    r"^\s+(?:(?:[\w-]+\s+){0,2}against\b|(?:it|them|us|[A-Z][\w-]*)?\s*(?:a|an|the|its|their)\s+(?:[\w-]+\s+)?"
    r"(?:range|ability|edge|advantage|boost|chance|opportunity|impression|signal|sense|priority|say|voice|right)\b)"
)
SHIPPING_NOUN_AFTER = re.compile(
    r"^\s+(?:lanes?|routes?|lines?|compan(?:y|ies)|industry|containers?|costs?|channels?|traffic|corridors?|firms?|"
    r"giants?|groups?|insurance|rates?|agents?|documents?|records?|manifests?|data|movements?)\b",
    re.IGNORECASE,
)
SHIPS_SUBJECT_BEFORE = re.compile(
    r"(?:\b[A-Z][\w'-]*|\b(?:it|which|that|also|now|still|already|regularly|who|company|firm|maker|"
    r"manufacturer|country|government|ministry))\s+$"
)
SHIPS_DETERMINER = re.compile(
    r"\b(?:the|these|those|its|their|both|all|two|three|four|five|six|new|remaining)\s+$", re.IGNORECASE
)  # "The ships are being built by ...": the noun
PURPOSE_PASSIVE_BEFORE = re.compile(r"\bto\s+be\s+$", re.IGNORECASE)  # "pushed for the tanks to be sent"
LAST_WORDS = re.compile(r"(?:\S+\s+){0,6}$")
NOT_YET_BEFORE = re.compile(r"\b(?:not|yet to|n't)\s+(?:\w+\s+)?$", re.IGNORECASE)
UNREALISED_BEFORE = re.compile(r"\b(?:was|were)\s+(?:\w+\s+)?to\s+have\s+(?:been\s+)?$", re.IGNORECASE)
NONE_OF_BEFORE = re.compile(r"\b(?:none|neither|nobody|no one)\s+of\s+\w+\s+", re.IGNORECASE)
AGREED_TO_BEFORE = re.compile(r"\bagreed\s+(?:[\w-]+\s+){0,3}?to\s+(?:\w+\s+)?$", re.IGNORECASE)
VOTED_TO_BEFORE = re.compile(r"\bvoted\s+(?:\w+\s+){0,3}?to\s+$", re.IGNORECASE)
HABITUAL_BEFORE = re.compile(r"\b(?:regularly|routinely|usually|often|typically)\s+$", re.IGNORECASE)
PREPOSITION_BEFORE = re.compile(r"\b(?:of|for|about|on|than)\s+$", re.IGNORECASE)
ONGOING_BEFORE = re.compile(
    r"\b(?:was|were|has\s+been|have\s+been|had\s+been)\s+(?:\w+ly\s+)?$", re.IGNORECASE
)


DETERMINER_AFTER = re.compile(r"^\s+(?:the|that|its|their|his|her)\b")
# Words one of which every match of the pattern named in the comment contains. A group none of whose words
# is in the sentence lets _adjust skip that pattern for every trigger of the sentence.
WORD_GROUPS = {
    "not_yet": ("not", "yet to", "n't"),  # NOT_YET_BEFORE
    "none_of": ("none", "neither", "nobody", "no one"),  # NONE_OF_BEFORE
    "negation": (
        "not",
        "n't",
        "never",
        "no longer",
        "refused to",
        "declined to",
        "unable",
    ),  # NEGATION_BEFORE, UNABLE_BEFORE
    "agreed": ("agreed",),  # AGREED_TO_BEFORE
    "voted": ("voted",),  # VOTED_TO_BEFORE
    "habitual": ("regularly", "routinely", "usually", "often", "typically"),  # HABITUAL_BEFORE
    "modal": ("could", "might", "may", "can"),  # MODAL_BEFORE
    "contract": ("contract", "deal", "agreement", "order"),  # CONTRACT_TO_BEFORE
    "clause": (";", ":", "but", "while", "although", "whereas"),  # CLAUSE_START
    "if": ("if", "unless"),  # IF_WORD
}


_GROUP_OF_WORD = tuple((word, name) for name, words in WORD_GROUPS.items() for word in words)


def _word_groups(text: str) -> frozenset[str]:
    """The WORD_GROUPS and cue kinds that text may contain (all of them when it is not ASCII)."""
    lowered = ascii_lower(text)
    if lowered is None:
        return frozenset([*WORD_GROUPS, "conditional", "future"])
    found = {name for word, name in _GROUP_OF_WORD if word in lowered}
    found.update(kind for kind in ("conditional", "future") if _cue_screen(kind).search(lowered))
    return frozenset(found)


def _adjust(text: str, hit: TriggerHit, groups: frozenset[str]) -> TriggerHit | None:
    before = _clause_before(text, hit.start, groups)
    window = before[-40:]
    if (
        hit.phrase in PURCHASE_NOUNS
        and POSSESSOR_BEFORE.search(before[-40:])
        and OF_AFTER.match(text, hit.end)
    ):
        return replace(hit, status="signed")  # "Riyadh's purchase of drones from Beijing": a past deal
    if (
        hit.phrase in NOUN_FORMS
        and hit.frame not in {"negotiate", "request"}
        and DETERMINER_BEFORE.search(window)
        and not (hit.phrase in PURCHASE_NOUNS and PRICED_BEFORE.search(before[-30:]))
    ):
        return None  # "India's second large Rafale purchase" names a deal; it is not a trigger
    if hit.phrase == "paid * for":
        payee = text[hit.start + 4 : hit.end - 3]
        if not payee.strip():
            hit = replace(hit, frame="give", status="delivered", phrase="paid for")  # "paid for the shells"
        elif not PAYEE.search(payee):
            return (
                None  # "Turkey paid about $2.5 billion for the S-400": a price, the seller is not named here
            )
    if hit.phrase.startswith("order") and (
        ORDERED_MEASURE_BEFORE.search(before[-40:]) or ORDERED_MEASURE_AFTER.match(text, hit.end)
    ):
        return None  # "the pause, ordered in July", "a court ordered a halt to exports": a command, not a purchase
    if hit.frame == "request" and SPEED_UP_AFTER.match(text, hit.end):
        return None  # "asked Washington to speed up the helicopters it cleared": a deal already made
    if hit.phrase.startswith("transfer") and KNOW_HOW_AFTER.match(text, hit.end):
        return None  # "requires TKMS to transfer design know-how": technology, not goods
    if hit.phrase in {"landed", "touched down"} and CARRYING_AFTER.search(text, hit.end, hit.end + 80):
        return None  # "a transport plane landed carrying launchers": the plane only carries the cargo
    if GENERIC_SUBJECT_BEFORE.search(before[-30:]):
        return None  # "Nobody buys a fighter without the missiles": a general truth, not a deal
    if hit.frame == "give" and RELATIVE_SUBJECT_GIVES.search(before[-30:]):
        return (
            None  # "the aircraft that gives Peru the most capability": the thing described gives, not a state
        )
    if hit.phrase == "keep" and not LEASED_AFTER.match(text, hit.end):
        return None  # only "to keep its 14 leased fighters" extends a lease; "keep the tanks running" does not
    if hit.phrase == "signed with" and SIGNED_PARTICIPLE_BEFORE.search(before[-40:]):
        return None  # "a contract signed with India in 2022": the contract named, its own trigger elsewhere
    if hit.phrase == "shipping" and SHIPPING_NOUN_AFTER.match(text[hit.end : hit.end + 20]):
        return None  # "shipping lanes": the noun, not the verb
    if hit.phrase == "ships" and (
        not SHIPS_SUBJECT_BEFORE.search(window) or SHIPS_DETERMINER.search(before[-20:])
    ):
        return None  # "attacked ships with missiles": the noun, not the verb
    if hit.frame == "give" and NOT_A_TRANSFER_AFTER.match(text[hit.end : hit.end + 50]):
        return None  # "the drones Russia sends against cities", "the barrel gives a range of 30 km"
    if hit.frame == "refuse" and NOT_A_REFUSAL_AFTER.match(text[hit.end : hit.end + 40]):
        return None  # "declined to comment", "rejected a report" (a denial, handled by cues)
    if (
        hit.frame in {"give", "get", "approve", "refuse"}
        and hit.phrase.split()[0].endswith(("ed", "en", "ent", "ld", "ought", "ew"))
        and not hit.phrase.endswith((" by", " with"))  # "were replaced by": the owner receives
        and PASSIVE_BEFORE.search(last_words(before, 2))
    ):
        hit = replace(hit, passive=True)
    if _conditional_before(window, groups) or ("if" in groups and _conditional_after(text, hit.end)):
        return None
    if hit.frame in {"get", "negotiate"} and has_cue("capacity", text[hit.end : hit.end + 40]):
        return None  # "negotiating to expand production": industry, not a transfer
    if hit.frame == "approve" and "not_yet" in groups and NOT_YET_BEFORE.search(window):
        return replace(hit, frame="refuse", status="requested")
    if UNREALISED_BEFORE.search(window):
        return None  # "the contract was to have supplied rifles": a plan that did not happen
    if "none_of" in groups and NONE_OF_BEFORE.search(window):
        return None  # "which none of them has agreed to provide"
    if hit.frame == "get" and "negation" in groups and UNABLE_BEFORE.search(before[-24:]):
        return None  # "air forces that cannot buy fighter jets": what someone cannot do is no deal
    if hit.frame == "give" and "negation" in groups and NEVER_DONE_BEFORE.search(window) and _past_form(hit):
        return (
            None  # "it had never transferred missiles to anyone": a denial of past deliveries, not a refusal
        )
    if hit.frame == "give" and "negation" in groups and NEGATION_BEFORE.search(window):
        return replace(hit, frame="refuse", status="rejected", direction="give")
    if "agreed" in groups and AGREED_TO_BEFORE.search(window):
        return replace(hit, status="agreed")
    if "voted" in groups and VOTED_TO_BEFORE.search(window):
        return replace(hit, frame="approve", status="approved", direction=hit.frame)
    if "habitual" in groups and HABITUAL_BEFORE.search(window):
        return None  # habitual trade, not a deal
    if hit.phrase.endswith("ing") and PREPOSITION_BEFORE.search(window) and not has_cue("allegation", text):
        return None  # "the principle of sending only non-lethal aid"
    if hit.phrase == "given" and DETERMINER_AFTER.match(text[hit.end : hit.end + 8]):
        return None  # "given the interoperability": a preposition
    if "modal" in groups and MODAL_BEFORE.search(window):
        return replace(hit, weak=True)
    if hit.frame == "give" and hit.phrase.endswith("ing") and ONGOING_BEFORE.search(window):
        return replace(hit, status="delivered")  # "firms were sending shells": supplies under way
    if hit.frame == "give" and "contract" in groups and CONTRACT_TO_BEFORE.search(before[-100:]):
        return replace(hit, status="signed")
    if hit.frame in {"give", "get"} and "future" in groups and _future_before(window):
        return replace(hit, status="pledged" if hit.frame == "give" else _future_get(hit))
    return hit


ORDERED_MEASURE_BEFORE = re.compile(
    r"\b(?:pause|halt|freeze|suspension|review|inquiry|investigation|withdrawal|evacuation|ban|embargo|moratorium|"
    r"stop|audit|probe|strikes?|attacks?|offensive|mobili[sz]ation|retreat)\s*,?\s*(?:which\s+|that\s+)?(?:was\s+|were\s+)?$",
    re.IGNORECASE,
)
ORDERED_MEASURE_AFTER = re.compile(
    r"\s+(?:(?:the|a|an)\s+)?(?:(?:immediate|temporary|full)\s+)?(?:halt|stop|pause|freeze|suspension|review|inquiry|"
    r"investigation|withdrawal|evacuation|ban|end|retrial|probe|audit)\b|\s+(?:\w+\s+)?to\s+(?:stop|halt|leave|withdraw|"
    r"pay|retreat|end|suspend|return)\b",
    re.IGNORECASE,
)
SPEED_UP_AFTER = re.compile(
    r"\s+(?:[\w-]+\s+){0,3}?to\s+(?:speed\s+up|expedite|accelerate|hasten|bring\s+forward|fast-track)\b",
    re.IGNORECASE,
)
KNOW_HOW_AFTER = re.compile(
    r"\s+(?:the\s+|its\s+|some\s+)?(?:[\w-]+\s+(?:and\s+)?){0,3}?(?:know-how|technology|technologies|expertise|"
    r"skills|intellectual\s+property|production\s+rights|source\s+codes?)\b",
    re.IGNORECASE,
)
CARRYING_AFTER = re.compile(
    r"\b(?:carrying|loaded\s+with|laden\s+with|with\s+a\s+cargo|bringing|ferrying)\b", re.IGNORECASE
)
GENERIC_SUBJECT_BEFORE = re.compile(
    r"\b(?:nobody|no\s+one|no-one|no\s+country|no\s+government|no\s+army|no\s+air\s+force|no\s+navy|"
    r"everybody|everyone|anybody|anyone)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
RELATIVE_SUBJECT_GIVES = re.compile(
    r"\b(?:aircraft|jet|fighter|system|weapon|one|type|design|option)\s+(?:that|which)\s+$", re.IGNORECASE
)
MODAL_BEFORE = re.compile(
    r"\b(?:could|might|may|can)\s+(?:also\s+|still\s+|eventually\s+)?"
    r"(?:be\s+|seek\s+to\s+|try\s+to\s+|want\s+to\s+)?$",
    re.IGNORECASE,
)
CONTRACT_TO_BEFORE = re.compile(
    r"\b(?:contracts?|deals?|agreements?|orders?)\s+(?:(?:with|worth|valued\s+at)\s+[^;:]{1,60}?\s+)?to\s+$",
    re.IGNORECASE,
)


def _conditional_before(window: str, groups: frozenset[str]) -> bool:
    """ "If Berlin chose to send", "hoped a coalition would supply", "reluctant to approve"."""
    if "conditional" in groups:
        match = LAST_WORDS.search(window)
        near = match.group() if match else window
        if has_cue("conditional", near):
            return True
    return bool(PURPOSE_PASSIVE_BEFORE.search(window))


IF_WORD = re.compile(r"\b(?:if|unless)\b", re.IGNORECASE)


def _conditional_after(text: str, end: int) -> bool:
    """ "offered to pay for X if another ally provides Y": an if-clause later in the same clause."""
    rest = text[end : end + 120]
    cut = CLAUSE_START.search(rest)
    clause = rest[: cut.start()] if cut else rest
    return bool(IF_WORD.search(clause))


def _future_get(hit: TriggerHit) -> str:
    return "pledged" if hit.phrase in {"receive", "get", "arrive", "take delivery"} else "announced"


def _future_before(window: str) -> bool:
    return next(_cue_matches("future", window[-30:]), None) is not None


def _clause_before(text: str, start: int, groups: frozenset[str]) -> str:
    before = text[max(0, start - 120) : start]
    if "clause" not in groups:
        return before
    cut = list(CLAUSE_START.finditer(before))
    return before[cut[-1].end() :] if cut else before


def _merge_chains(text: str, hits: list[TriggerHit | None]) -> list[TriggerHit | None]:
    merged: list[TriggerHit | None] = []
    for hit in hits:
        if hit is None:
            continue
        previous = merged[-1] if merged else None
        if previous is not None and _chained(text, previous, hit):
            merged[-1] = _combine(previous, hit)
        else:
            merged.append(hit)
    return merged


SENTENCE_PUNCTUATION = re.compile(r"[;:.]")
ONLY_DETERMINER = re.compile(r"\s+(?:the\s+|its\s+|their\s+)?")
TO_GAP = re.compile(r"\s+to\s+")
ARTICLE_GAP = re.compile(r"\s+(?:the\s+|a\s+)?(?:possible\s+)?")


def _chained(text: str, first: TriggerHit, second: TriggerHit) -> bool:
    gap = text[first.end : second.start]
    if first.frame == "cancel" and second.frame == "negotiate":
        return bool(ONLY_DETERMINER.fullmatch(gap))  # "suspended talks"
    if len(gap) > 60 or SENTENCE_PUNCTUATION.search(gap):
        return False
    if first.frame == "refuse" and second.frame == "refuse" and second.direction == "give":
        return bool(TO_GAP.fullmatch(gap))  # "declined to provide", the second already negated
    if first.frame == "refuse" and second.frame in {"request", "give"}:
        return len(gap.split()) <= 6
    if first.frame in {"negotiate", "approve", "request", "get"} and second.frame in {"give", "get"}:
        return bool(CHAIN_GAP.match(gap + " ")) or bool(ARTICLE_GAP.fullmatch(gap))
    return False


def _combine(first: TriggerHit, second: TriggerHit) -> TriggerHit:
    if first.frame == "cancel" and second.frame == "negotiate":
        return replace(second, start=first.start, status="cancelled")
    if first.frame == "refuse":
        return replace(first, end=second.end, direction=first.direction or "give")
    if first.frame == "get" and second.frame in {"give", "get"}:
        return replace(first, end=second.end, frame=second.frame, direction=second.frame)
    return replace(first, end=second.end, direction=second.frame if second.frame in {"give", "get"} else "")
