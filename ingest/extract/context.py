"""What an article has said so far: its topic, recent deals, the last package, and gap filling from them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .drafts import Draft, merge_into
from .items import ItemMention, lookup
from .literals import ascii_lower, may_contain
from .mentions import SentenceFacts
from .merging import add_draft
from .money import Money
from .parties import PartyMention
from .roles import (
    PRONOUN_SUBJECT,
    leading_actor,
    looks_like_subject,
    subject_of,
)
from .status import cue_spans, has_cue

SPECIFIC_AMMUNITION = frozenset({"artillery_ammunition", "tank_ammunition", "small_arms_ammunition"})
END_USER = re.compile(r"\bend[\s-]users?\b", re.IGNORECASE)
VALUE_WORDS = re.compile(r"\b(?:value|valued|worth|cost|costs|price|priced)\b", re.IGNORECASE)
BOTH_PARTIES = re.compile(r"\b(?:both|the two) (?:governments|countries|sides|capitals)\b", re.IGNORECASE)
CARRY_WINDOW = 6
SEPARATELY = re.compile(r"\W*(?:separately|in\s+a\s+separate\b|elsewhere|meanwhile)\b", re.IGNORECASE)


@dataclass
class ArticleState:
    topic: list[PartyMention] = field(default_factory=list)
    drafts: list[Draft] = field(default_factory=list)
    package: list[Draft] = field(default_factory=list)
    package_sentence: int = -10
    package_money: Money | None = None
    package_status: str | None = None
    frame: Draft | None = None  # parties and status of the last deal-like clause, even without items
    ammunition: str | None = None  # the last specific kind of ammunition the article spoke of
    company: PartyMention | None = None  # the last company named, for "the company"
    seen_codes: set[str] = field(default_factory=set)  # every party named so far
    origin: tuple[str, str | None, int] | None = None  # "Turkish drones came next": maker, category, sentence
    pending: list[Draft] = field(default_factory=list)  # a buyer's deals whose seller is not named yet
    scheme_leader: PartyMention | None = None  # "the Czech-led initiative": who acts for "the scheme"
    scheme_for: PartyMention | None = (
        None  # "... initiative that buys shells for Ukraine": who the scheme serves
    )


def recent_drafts(state: ArticleState, index: int, window: int) -> list[Draft]:
    """Drafts from the last window sentences, oldest first; reads only the tail of the list."""
    found = []
    for draft in reversed(state.drafts):
        if index - draft.sentence.index > window:
            break
        found.append(draft)
    return found[::-1]


def main_subject(facts: SentenceFacts) -> list[PartyMention]:
    """The subject of the first trigger, or else the first party the sentence names."""
    if facts.triggers:
        subject, _ = subject_of(facts.text, facts.parties, facts.triggers[0].start, 0)
        if subject:
            return subject
    actor = leading_actor(facts.text, facts.parties)
    return actor if actor and looks_like_subject(facts.text, actor[0]) else []


def fill_missing(
    suppliers: list[PartyMention],
    recipients: list[PartyMention],
    items: list[ItemMention],
    state: ArticleState,
    facts: SentenceFacts,
    confidence: float,
    siblings: tuple[Draft, ...] = (),
) -> tuple[list[PartyMention], list[PartyMention], float]:
    """Complete a missing supplier or recipient from the item's origin and the deals just reported.

    siblings are the deals already read from earlier clauses of the same sentence.
    """
    recent = recent_drafts(state, facts.index, CARRY_WINDOW) + list(siblings)
    if not suppliers:
        suppliers = (
            _origin_of(facts, items)
            or _company_in_sentence(facts, recipients)
            or _recent_origin(state, facts, items, recipients)
        )
        confidence -= 0.1 if suppliers else 0.0
    if not suppliers:
        source = _supplier_source(recent, items, {p.code for p in recipients})
        if source:
            suppliers = [code_mention(c, source.org) for c in source.suppliers]
            if not recipients and source.category in {i.category for i in items}:
                # "The aircraft will be delivered by 2030": the same deal's buyer, not the article's usual one
                recipients = [code_mention(c, None) for c in source.recipients]
        elif (
            state.topic
            and not {p.code for p in state.topic} & {p.code for p in recipients}
            and not _unknown_seller_named(facts)
            and not _known_buyer(recent, state.topic)
        ):
            suppliers = list(state.topic)
        confidence -= 0.25
    supplier_codes = {p.code for p in suppliers}
    usual = _usual_recipient(recent, supplier_codes)
    if not recipients and usual:
        recipients = [code_mention(usual, None)]
        confidence -= 0.2
    elif not recipients and state.frame and facts.index - state.frame.sentence.index <= 2:
        recipients = [code_mention(c, None) for c in state.frame.recipients]
        confidence -= 0.2
    elif not recipients and state.topic:
        recipients = list(state.topic)
        confidence -= 0.3
    supplier_codes = {p.code for p in suppliers}
    recipients = [p for p in recipients if p.code not in supplier_codes]
    return suppliers, recipients, confidence


UNKNOWN_SELLER = re.compile(r"\b(?:from|with)\s+(?:the\s+)?([A-Z][\w&'-]*(?:\s+(?:&\s+)?[A-Z][\w&'-]*){0,3})")


CALENDAR_WORD = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Monday|"
    r"Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)


def _unknown_seller_named(facts: SentenceFacts) -> bool:
    """ "an order ... with Larsen & Toubro": a seller the gazetteer does not know is still not the topic."""
    starts = {p.start for p in facts.parties}
    return any(
        m.start(1) not in starts and not CALENDAR_WORD.match(m.group(1))
        for m in UNKNOWN_SELLER.finditer(facts.text)
    )


def _known_buyer(recent: list[Draft], topic: list[PartyMention]) -> bool:
    """ "Brazil signs for Centauro II ... Argentina is preparing to receive fighters": a buyer sells nothing here."""
    codes = {p.code for p in topic}
    bought = any(codes & set(d.recipients) for d in recent)
    return bought and not any(codes & set(d.suppliers) for d in recent)


def _usual_recipient(recent: list[Draft], supplier_codes: set[str]) -> str | None:
    """The recipient the recent deals most often went to (the latest on a tie), other than the supplier."""
    counts: dict[str, int] = {}
    for position, draft in enumerate(recent):
        for code in draft.recipients:
            if code not in supplier_codes:
                counts[code] = counts.get(code, 0) + 1 + position / 1000
    return max(counts, key=counts.get) if counts else None


def _supplier_source(
    recent: list[Draft], items: list[ItemMention], recipient_codes: set[str]
) -> Draft | None:
    """The earlier deal most likely to share this deal's supplier."""
    categories = {i.category for i in items}
    usable = [d for d in recent if not set(d.suppliers) & recipient_codes]
    for pool in (
        [d for d in usable if d.category in categories and set(d.recipients) & recipient_codes],
        [d for d in usable if d.category in categories],
        [d for d in usable if set(d.recipients) & recipient_codes],
        [d for d in usable if not recipient_codes],
    ):
        if pool:
            return pool[-1]
    return None


def _company_in_sentence(facts: SentenceFacts, recipients: list[PartyMention]) -> list[PartyMention]:
    """ "Airbus found a new customer when Kazakhstan signed for two A400Ms": the one company the sentence
    names sells, rather than a supplier carried over from earlier sentences."""
    taken = {p.code for p in recipients}
    companies = [p for p in facts.parties if p.is_company and not p.made_in and p.code not in taken]
    if companies and len({p.org for p in companies}) == 1:
        return [companies[0]]
    return []


def _origin_of(facts: SentenceFacts, items: list[ItemMention]) -> list[PartyMention]:
    """ "the Russian S-400": the demonym before the item names its maker."""
    for item in items:
        for party in facts.parties:
            if party.made_in and item.start - 12 <= party.start and party.end <= item.end + 0:
                return [party]
    return []


ORIGIN_GOODS = re.compile(
    r"[\s-]+(?:made\s+|built\s+|supplied\s+)?(?:[a-z-]+\s+)?(equipment|weapons|arms|hardware|drones|aircraft|jets|"
    r"fighters|tanks|helicopters|missiles|rockets|launchers|vehicles|warships|ships|frigates|boats|submarines|guns|"
    r"howitzers|rifles|radars|ammunition|munitions|shells)\b"
)
ANY_GOODS = frozenset({"equipment", "weapons", "arms", "hardware"})


def _recent_origin(
    state: ArticleState, facts: SentenceFacts, items: list[ItemMention], recipients: list[PartyMention]
) -> list[PartyMention]:
    """ "Turkish drones came next. Mali's first TB2s arrived ...": the maker named just before."""
    if state.origin is None or facts.index - state.origin[2] > 2 or not items:
        return []
    code, category, _ = state.origin
    if code in {p.code for p in recipients}:
        return []
    if category is not None and category not in {i.category for i in items}:
        return []
    return [code_mention(code, None)]


def _remember_origin(facts: SentenceFacts, state: ArticleState) -> None:
    for party in facts.parties:
        if party.kind != "demonym":
            continue
        match = ORIGIN_GOODS.match(facts.text, party.end, party.end + 40)
        if match:
            noun = match.group(1)
            category = None if noun in ANY_GOODS else _goods_category(noun)
            state.origin = (party.code, category, facts.index)


def _goods_category(noun: str) -> str | None:
    entry = lookup(noun)
    return entry.category if entry else None


def code_mention(code: str, org: str | None) -> PartyMention:
    """A stand-in mention for a party carried over from earlier sentences."""
    return PartyMention(-1, -1, code, "company" if org else "carried", org=org)


def attach_value_sentence(facts: SentenceFacts, state: ArticleState, new: list[Draft]) -> None:
    """A sentence that only states the price of the previous deal ("put the value at $3bn")."""
    if (
        new
        or not facts.money
        or not VALUE_WORDS.search(facts.text)
        or facts.index - state.package_sentence > 2
        or any(t.phrase.startswith("export") for t in facts.triggers)  # trade totals, not this deal's price
        or SEPARATELY.match(facts.text)
    ):
        return
    for draft in state.package:
        if draft.money is None:
            draft.money = facts.money[0]


def apply_end_user(facts: SentenceFacts, state: ArticleState) -> None:
    """ "the US would be the end user": an explicit end-user assurance for the deal just reported."""
    match = may_contain(ascii_lower(facts.text), ("user",)) and END_USER.search(facts.text)
    if not match:
        return
    named = [p for p in facts.parties if p.end <= match.start() and not p.made_in]
    recent = recent_drafts(state, facts.index, 2)
    if named and recent:
        recent[-1].end_user = [named[-1].code]


def apply_denials(facts: SentenceFacts, state: ArticleState) -> None:
    """ "Both governments reject the accusations": add the deniers to recent alleged deals."""
    if not has_cue("denial", facts.text):
        return
    recent = [d for d in recent_drafts(state, facts.index, 4) if d.status == "alleged"]
    if not recent:
        return
    codes = _denying_parties(facts)
    if not codes and state.topic:
        codes = {state.topic[0].code}
    for draft in recent:
        parties = set(draft.suppliers) | set(draft.recipients)
        found = parties if BOTH_PARTIES.search(facts.text) else codes & parties
        draft.denied_by = sorted(set(draft.denied_by) | found)


def _denying_parties(facts: SentenceFacts) -> set[str]:
    """ "Pyongyang said it had never sent arms to Moscow": the denier speaks before the denial."""
    speakers = [p for p in facts.parties if not p.made_in]
    spans = cue_spans("denial", facts.text)
    before = [p for p in speakers if spans and p.end <= spans[0][0]]
    return {p.code for p in (before or speakers)}


SERVES = re.compile(r"\bfor\s+$")
LED_SCHEME = re.compile(
    r"-led\s+(?:[\w-]+\s+){0,2}?(?:initiative|scheme|coalition|programme|program|mechanism|effort|drive)\b",
    re.IGNORECASE,
)


def remember(facts: SentenceFacts, state: ArticleState, new: list[Draft]) -> None:
    """Update the topic, the last company and the open package after a sentence."""
    state.seen_codes.update(p.code for p in facts.parties)
    if "-led" in facts.text:
        leader = next((p for p in facts.parties if LED_SCHEME.match(facts.text, p.end)), None)
        if leader is not None:
            state.scheme_leader = leader
            state.scheme_for = next(
                (
                    p
                    for p in facts.parties
                    if p.start > leader.end
                    and p.code != leader.code
                    and SERVES.search(facts.text, p.start - 5, p.start)
                ),
                state.scheme_for,
            )
    _remember_origin(facts, state)
    main = main_subject(facts)
    if main and not _opens_with_pronoun(facts, main[0]):
        state.topic = main
    companies = [p for p in facts.parties if p.is_company]
    if companies:
        state.company = companies[-1]
    if not new:
        if state.pending and facts.index - state.pending[0].sentence.index <= PENDING_REACH:
            _maker_named(facts, state)
        return
    package_drafts = [d for d in new if d.package < 0]
    if package_drafts and _continues_package(facts, state, package_drafts):
        for draft in package_drafts:  # "Washington is also sending ...": more of the same package
            draft.package = state.package[0].package
            draft.money = draft.money or state.package_money
        state.package_sentence = facts.index
        package_drafts = []
    for draft in package_drafts:
        draft.package = facts.index
    if package_drafts:
        state.package = package_drafts
        state.package_sentence = facts.index
        state.package_status = package_drafts[0].status if package_drafts else None
        state.package_money = next((d.money for d in package_drafts if d.money), None)
    _complete_pending(facts, state, new)
    for draft in new:
        if draft.category in SPECIFIC_AMMUNITION:
            state.ammunition = draft.category
        add_draft(state.drafts, draft)


PENDING_REACH = 2


def _complete_pending(facts: SentenceFacts, state: ArticleState, new: list[Draft]) -> None:
    """ "Ukraine will receive 5,000 missiles ... The ministry signed the contract with Thales UK for them":
    the later report names the seller, and the first one's count and price belong to it."""
    state.pending = [d for d in state.pending if facts.index - d.sentence.index <= PENDING_REACH]
    for draft in new:
        for waiting in state.pending:
            if (
                waiting.sentence.index < facts.index
                and waiting.category == draft.category
                and set(waiting.recipients) & set(draft.recipients)
            ):
                merge_into(draft, waiting)
                state.pending.remove(waiting)
                break


MAKER_BY = re.compile(
    r"\b(?:built|made|constructed|manufactured|produced|supplied|assembled)\s+by\s+", re.IGNORECASE
)
CONTRACT_WORD = re.compile(r"\b(?:contract|deal|order|agreement)\b", re.IGNORECASE)


def _maker_named(facts: SentenceFacts, state: ArticleState) -> None:
    """ "The navy received the frigate Tamandaré ... The ships are being built by a consortium led by TKMS, under a
    contract worth R$9.1 billion": the maker delivers the pending deal, and the contract covers the whole lot."""
    match = MAKER_BY.search(facts.text)
    if not match:
        return
    makers = [p for p in facts.parties if p.is_company and p.start >= match.end() and not p.made_in]
    if not makers:
        return
    maker = makers[0]
    for waiting in list(state.pending):
        if waiting.sentence.index >= facts.index or maker.code in waiting.recipients:
            continue
        state.pending.remove(waiting)
        waiting.suppliers, waiting.org = [maker.code], maker.org
        lots = [c for c in waiting.counts if c.quantity is not None and c.quantity.value > 1]
        if facts.money and lots and CONTRACT_WORD.search(facts.text):
            whole = replace(waiting, status="signed", counts=lots[:1], money=facts.money[0])
            waiting.counts = [c for c in waiting.counts if c not in lots]
            add_draft(state.drafts, waiting)
            add_draft(state.drafts, whole)
        else:
            add_draft(state.drafts, waiting)


CONTINUATION = re.compile(
    r"^\W*(?:alongside|in addition|besides|it also|the package also)\b|\balso\b", re.IGNORECASE
)


def _continues_package(facts: SentenceFacts, state: ArticleState, drafts: list[Draft]) -> bool:
    """A sentence that adds items to the package just described, by the same supplier to the same recipient."""
    if (
        not state.package
        or state.package_money is None
        or facts.index - state.package_sentence > 2
        or facts.money
    ):
        return False  # only a priced package needs its later items tied to it
    base = state.package[0]
    same_parties = all(d.suppliers == base.suppliers and d.recipients == base.recipients for d in drafts)
    return same_parties and bool(CONTINUATION.search(facts.text))


def _opens_with_pronoun(facts: SentenceFacts, first: PartyMention) -> bool:
    """ "Last year it blocked Germany ...": the sentence is still about the previous topic."""
    return PRONOUN_SUBJECT.found_in(facts.text[: first.start])
