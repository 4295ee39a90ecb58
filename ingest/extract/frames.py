"""Who supplies and who receives, for each kind of trigger (give, get, approve, request, refuse, ...)."""

from __future__ import annotations

import re

from .context import ArticleState, code_mention, main_subject
from .mentions import SentenceFacts
from .parties import PartyMention
from .roles import (
    FROM_SUPPLIER,
    OFFICIALS_IN,
    TO_RECIPIENT,
    after_with_preposition,
    appositives_before,
    bare_object,
    introduced_by_preposition,
    leading_actor,
    requester,
    subject_of,
)
from .status import TriggerHit

COMMA_AT_END = re.compile(r",\s*$")


def resolve_subject(
    facts: SentenceFacts, trigger: TriggerHit, state: ArticleState, floor: int
) -> tuple[list[PartyMention], bool]:
    """The party acting as subject of a trigger, resolving pronouns; the flag says it was carried over."""
    if trigger.phrase.endswith("ing") and COMMA_AT_END.search(facts.text[: trigger.start]):
        main = leading_actor(facts.text, facts.parties)  # ", cancelling ...": the main clause acts
        if main and main[0].end <= trigger.start:
            return main, False
    shared = _shared_subject(facts, trigger, floor) or _owner_of_relative_items(facts, trigger)
    if shared:
        return shared, False
    subject, pronoun = subject_of(facts.text, facts.parties, trigger.start, floor)
    if subject and not pronoun:
        return subject, False
    place = _place_of_institution(facts, trigger)
    if place:
        return place, False
    speaker = _quoted_speaker(facts, trigger)
    if speaker:
        return speaker, False
    if subject and SPEAKER_PRONOUN.match(facts.text[subject[-1].end : trigger.start]):
        return subject, False  # "..., and Spain said it would send": the new clause's own subject
    main = leading_actor(facts.text, facts.parties) or main_subject(facts)
    company = _company_reference(facts, trigger, state, floor)
    if company:
        return company, False
    if pronoun and main and main[0].end <= trigger.start:
        return main, False
    if not subject and floor:
        subject, pronoun = subject_of(facts.text, facts.parties, trigger.start, 0)
        if subject and not pronoun:
            return subject, False
    if subject:
        return subject, False
    lead = facts.text[floor : trigger.start]
    if pronoun and NOUN_PRONOUN.search(lead) and trigger.frame in {"get", "request"} and state.drafts:
        last = state.drafts[-1]
        return [code_mention(c, None) for c in last.recipients], True
    return (list(state.topic), True) if pronoun else ([], False)


PLACE_OPENER = re.compile(r"^\W*(?:[A-Z][A-Z .'-]+\s*[-\u2013\u2014]+\s*)?(?:In|At|From)\s+$")
INSTITUTION_AFTER_PLACE = re.compile(
    r"^\s*,\s+(?:the\s+|its\s+|local\s+)?(?:[a-z-]+\s+){0,2}?(?:ministry|government|army|navy|air\s+force|military|"
    r"officials|authorities|cabinet|parliament|agency|department|president|prime\s+minister|minister|"
    r"procurement\s+office|armed\s+forces|coast\s+guard|administration)\b"
)


def _place_of_institution(facts: SentenceFacts, trigger: TriggerHit) -> list[PartyMention]:
    """ "In Tokyo, the defence ministry said it had ordered ...": an unnamed institution acts for the place."""
    first = next((p for p in facts.parties if not p.made_in), None)
    if first is None or first.kind not in {"capital", "name", "short"} or first.end > trigger.start:
        return []
    if not PLACE_OPENER.match(facts.text[: first.start]):
        return []
    if not INSTITUTION_AFTER_PLACE.match(facts.text[first.end : first.end + 60]):
        return []
    between = [
        p
        for p in facts.parties
        if first.end <= p.start < trigger.start
        and not p.made_in
        and not introduced_by_preposition(facts.text, p)
    ]
    return [] if between else [first]


VERB_COORDINATION = re.compile(
    r"\band\s+(?:(?:has|have|had|is|was|were|will|would)\s+)?(?:(?:since|also|then|later|now|\w+ly)\s+)*$",
    re.IGNORECASE,
)


def _shared_subject(facts: SentenceFacts, trigger: TriggerHit, floor: int) -> list[PartyMention]:
    """ "Slovakia gave Kyiv its jets and has since received F-16s": the second verb shares the first subject."""
    if not floor:
        return []
    match = VERB_COORDINATION.search(facts.text, floor, trigger.start)
    if not match or any(match.start() <= p.start < trigger.start for p in facts.parties):
        return []
    earlier, pronoun = subject_of(facts.text, facts.parties, floor, 0)
    return [] if pronoun else earlier


RELATIVE_AFTER_ITEMS = re.compile(r",\s+which\s+(?:[a-z]+\s+){0,3}$")


def _owner_of_relative_items(facts: SentenceFacts, trigger: TriggerHit) -> list[PartyMention]:
    """ "sent Kyiv its BMPs, which were replaced by Marders from Germany": the main subject receives."""
    if trigger.frame != "get":
        return []
    match = RELATIVE_AFTER_ITEMS.search(facts.text, 0, trigger.start)
    if not match or not any(0 <= match.start() - i.end <= 20 for i in facts.items):
        return []
    main = leading_actor(facts.text, facts.parties)
    return [p for p in main if p.end <= match.start()]


SPEAKER_PRONOUN = re.compile(
    r"^(?:'s\s+(?:[\w-]+\s+){0,3}?)?\s*(?:[\w-]+ly\s+)?(?:has\s+|had\s+)?"
    r"(?:said|says|announced|announces|added|confirmed|stated|declared|told\s+[\w\s]{1,30}?)\s+"
    r"(?:on\s+\w+\s+)?(?:that\s+)?(?:it|they)\b",
    re.IGNORECASE,
)
QUOTED_WE = re.compile(r'^[^"]*"[^"]*\b(?:we|we\'ll|we\'re|we\'ve|our country)\s+[^"]*$', re.IGNORECASE)


def _quoted_speaker(facts: SentenceFacts, trigger: TriggerHit) -> list[PartyMention]:
    """ "We will hand over 20 tanks," the Danish minister said: "we" is the party of the speaker."""
    if not QUOTED_WE.match(facts.text[: trigger.start]):
        return []
    closing = facts.text.find('"', trigger.end)
    if closing < 0:
        return []
    after = [p for p in facts.parties if p.start > closing and not p.made_in and not p.is_company]
    return after[:1]


BEHALF_AFTER = re.compile(r"^'s\s+behalf\b")
PURCHASE_AFTER = re.compile(
    r"^\s+(?:the\s+)?(?:planned\s+)?(?:purchase|acquisition|procurement|import)s?\b", re.IGNORECASE
)
NOUN_PRONOUN = re.compile(
    r"\bthe (?:island|kingdom|country|republic|state|navy|army|air force|armed forces|military)\b",
    re.IGNORECASE,
)
COMPANY_PRONOUN = re.compile(r"\bthe (?:company|firm|manufacturer|group|contractor|maker)\b", re.IGNORECASE)


def _company_reference(
    facts: SentenceFacts, trigger: TriggerHit, state: ArticleState, floor: int
) -> list[PartyMention]:
    """ "the company will supply": the company named most recently in the article."""
    lead = facts.text[floor : trigger.start]
    if not COMPANY_PRONOUN.search(lead) or state.company is None:
        return []
    if any(p.start >= floor and p.end <= trigger.start and not p.made_in for p in facts.parties):
        return []
    return [state.company]


WITH_AFTER = re.compile(r"^\s+with\b")


WITH_BEFORE = re.compile(r"\bwith\s+(?:the\s+)?$", re.IGNORECASE)
STATE_BODY_AFTER = re.compile(
    r"(?:'s|\u2019s)?\s+(?:defen[cs]e\s+ministry|ministry\s+of\s+defen[cs]e|air\s+force|army|navy|armed\s+forces|"
    r"government|military|procurement\s+agency)\b",
    re.IGNORECASE,
)
MAKER_NOUN = re.compile(
    r"\s+(?:company|firm|manufacturer|maker|group|shipyard|shipbuilder|contractor|builder)\b", re.IGNORECASE
)


def _state_body_signed_with(
    facts: SentenceFacts, trigger: TriggerHit, subject: list[PartyMention], stop: int
) -> list[PartyMention]:
    """ "Saab signed with the Colombian air force for 17 jets", "the Swedish company signed the contract ...
    with Thailand's defence ministry": a maker that signs with a state's forces or ministry sells to that state."""
    if trigger.frame != "get" or trigger.passive or not trigger.phrase.startswith("sign") or not subject:
        return []
    text = facts.text
    maker = all(p.is_company for p in subject) or bool(MAKER_NOUN.match(text, subject[0].end))
    if not maker:
        return []
    own = {p.code for p in subject}
    return [
        p
        for p in facts.parties
        if trigger.start < p.start < stop
        and not p.is_company
        and p.code not in own
        and WITH_BEFORE.search(text, max(0, p.start - 12), p.start)
        and STATE_BODY_AFTER.match(text, p.end)
    ][:1]


MARKET_IN = re.compile(r"^\s*in\s+(?:the\s+)?$", re.IGNORECASE)


def frame_roles(
    facts: SentenceFacts, trigger: TriggerHit, subject: list[PartyMention], state: ArticleState, stop: int
) -> tuple[list[PartyMention], list[PartyMention], float]:
    """Suppliers, recipients and a confidence for a trigger, read by its frame."""
    text, parties = facts.text, facts.parties
    frame = trigger.frame
    direction = trigger.direction or ("get" if frame == "negotiate" else frame)
    to_after = after_with_preposition(text, parties, trigger.start, stop, TO_RECIPIENT)
    from_after = after_with_preposition(text, parties, trigger.start, stop, FROM_SUPPLIER)
    obj = bare_object(text, parties, trigger)
    confidence = 0.85
    if frame in {"refuse", "approve"} and trigger.passive:
        # "the sale of 48 jets to Riyadh has been blocked by Germany"
        by = after_with_preposition(text, parties, trigger.end, stop, re.compile(r"\bby\s+(?:the\s+)?$"))
        recipients = _before_with(text, parties, [], trigger, r"\b(?:to|for)\s+(?:the\s+)?$") or to_after
        return by, recipients, confidence - 0.05
    offer = OFFER_AFTER.match(text[trigger.end : trigger.end + 40]) if frame == "refuse" else None
    if offer:
        # "Bogota declined an offer from Washington of 24 jets", "a Russian offer": the offering party supplies
        inside = [p for p in parties if trigger.end <= p.start and p.end <= trigger.end + offer.end()]
        offerer = inside[:1] or from_after or _possessive_after(text, parties, trigger, stop)
        return offerer, subject, confidence - 0.05
    if frame == "refuse":
        asked = requester(text, parties, trigger) or to_after
        return subject, asked, confidence
    if frame == "request":
        inside = [p for p in parties if trigger.start < p.start and p.end <= trigger.end and not p.made_in]
        asked = inside[:1] or (  # "urged Japan to send": the party asked sits inside the chained verbs
            [obj]
            if obj
            else from_after
            or _before_with(
                text, parties, subject, trigger, r"\bto\s+(?:his|her|its|their|the)?\s*(?:[\w-]+\s+){0,1}$"
            )
        )
        if not asked and REQUEST_NOUN.search(trigger.phrase):
            # "a request to the European Union for two boats": the body the request is addressed to
            asked = after_with_preposition(
                text, parties, trigger.end, min(stop, trigger.end + 40), REQUEST_TO
            )
        if not asked:
            asked = _asked_elsewhere(facts, trigger) or _before_with(
                text, parties, [], trigger, r"\bambassador\s+(?:in|to)\s+$"
            )
        if not subject and REQUEST_NOUN.search(trigger.phrase):
            # "Officials in Chisinau said a request to NATO for two boats ...": the speakers' state asked
            subject = [
                p for p in parties if p.end <= trigger.start and OFFICIALS_IN.search(text, 0, p.start)
            ][:1]
        return asked, subject, confidence - 0.05
    if frame == "approve" and PURCHASE_AFTER.match(text[trigger.end : trigger.end + 40]):
        return from_after, subject, confidence  # "India has cleared the purchase of drones from the US"
    if frame == "approve":
        recipients = to_after or ([obj] if obj else []) or _possessive_after(text, parties, trigger, stop)
        return subject, recipients, confidence
    if frame == "negotiate":
        partner = from_after or _before_with(text, parties, subject, trigger, r"\bwith\s+(?:the\s+)?$")
        if direction == "give":
            return subject, to_after or partner, confidence - 0.05
        return partner, subject, confidence - 0.05
    if frame == "cancel":
        return _cancel_roles(text, parties, subject, trigger)
    if frame == "get" and trigger.passive:
        # "a contract ... was awarded to Lockheed Martin by the Polish defence ministry"
        by = after_with_preposition(text, parties, trigger.end, stop, re.compile(r"\bby\s+(?:the\s+)?$"))
        awardee = [p for p in subject if p.is_company]  # "Hanwha was awarded a contract by Australia"
        if from_after and not trigger.phrase.startswith("award"):
            return from_after, by, confidence - 0.05  # "the MiG-29s were bought from Belarus"
        return to_after or awardee, by, confidence - 0.05
    if frame == "win":
        # "Rheinmetall has received an order from Lithuania": the one who wins the order sells
        buyers = after_with_preposition(text, parties, trigger.start, stop, BUYER_AFTER) or to_after
        own = {p.code for p in subject}
        if buyers and {p.code for p in buyers} <= own:
            # "a contract from the Pentagon for interceptors for Ukraine": the home state buys for another
            buyers = [p for p in to_after if p.code not in own] or buyers
        return subject, buyers, confidence
    state_body = _state_body_signed_with(facts, trigger, subject, stop)
    if state_body:
        return subject, state_body, confidence - 0.05
    if frame == "get" and subject and all(p.is_company for p in subject):
        # "Hanwha has signed its first contract in Vietnam": a maker's contract in a country sells to it
        market = after_with_preposition(text, parties, trigger.end, min(stop, trigger.end + 20), MARKET_IN)
        if market and not market[0].is_company and market[0].code not in {p.code for p in subject}:
            return subject, market[:1], confidence - 0.05
    if direction == "get" or frame == "get":
        return _get_roles(facts, trigger, subject, from_after, obj, stop, confidence)
    if trigger.passive and WITH_AFTER.match(text[trigger.end : trigger.end + 8]):
        # "Ukraine was supplied with 50 vehicles by the United States": the subject receives
        by = _agent_of(text, after_with_preposition(text, parties, trigger.end, stop, BY_AGENT), trigger)
        return by, [p for p in leading_actor(text, parties) if p.end <= trigger.start], confidence - 0.1
    if trigger.passive:
        by = _agent_of(text, after_with_preposition(text, parties, trigger.end, stop, BY_AGENT), trigger)
        owner = [
            p
            for p in leading_actor(text, parties)
            if p.end <= trigger.start and not SPEECH_VERB.search(text, p.end, trigger.start)
        ]  # "Seoul's spy agency said shells had been shipped": the speaker is not the shipper
        recipients = to_after or _before_with(text, parties, [], trigger, r"\b(?:to|for)\s+(?:the\s+)?$")
        if by and not recipients and owner and owner[0].code != by[0].code:
            return by, owner, confidence - 0.1  # "Kenya's air force was gifted six helicopters by China"
        return by or owner, recipients, confidence - 0.1
    recipients = (
        to_after
        or ([obj] if obj else [])
        or _before_with(text, parties, subject, trigger, r"\b(?:to|for)\s+(?:the\s+)?$")
        or _before_with(text, parties, subject, trigger, r"\b(?:contracts?|deals?|agreements?)\s+with\s+$")
        or _chain_partner(text, parties, trigger, stop)
    )
    return subject, recipients, confidence


OFFER_AFTER = re.compile(
    r"^\s+(?:an?|the|its|their|this|that)\s+(?:[\w'-]+\s+){0,3}?(?:offers?|proposals?)\b", re.IGNORECASE
)
BUYER_AFTER = re.compile(r"\b(?:from|by|with)\s+(?:the\s+)?(?:[\w-]+\s+){0,1}?$", re.IGNORECASE)
COMPANY_SAYS = re.compile(
    r"^(?:,[^,;]{1,60},)?\s+(?:\w+ly\s+)?(?:has\s+|had\s+)?(?:said|says|announced|announces|confirmed|confirms|"
    r"reported|reports|stated|disclosed)\b"
)
SPEECH_VERB = re.compile(
    r"\b(?:said|says|say|told|believes|believed|claimed|claims|reported|added|adding|estimated|estimates)\b"
)
BY_AGENT = re.compile(r"\bby\s+(?:the\s+)?$")
OTHER_PARTICIPLE = re.compile(r"\b\w+(?:ed|en)\s+by\s+(?:the\s+)?$")


def _agent_of(text: str, by: list[PartyMention], trigger: TriggerHit) -> list[PartyMention]:
    """The "by X" of a passive verb, unless it belongs to another participle ("a deal brokered by Canada")."""
    if by and OTHER_PARTICIPLE.search(text[trigger.end : by[0].start]):
        return []
    return by


IN_OR_TO = re.compile(r"\b(?:in|to)\s+$")
FOR_TO = re.compile(r"\b(?:for|to)\s+(?:the\s+)?$")  # "the shells left Raufoss for Ukraine"
PAID_BY = re.compile(r"\b(?:paid\s+for|funded|financed|donated|gifted)\s+by\s+(?:the\s+)?$", re.IGNORECASE)
RELATIVE_BUYER = re.compile(r"\b(?:that|which)\s+$", re.IGNORECASE)
REQUEST_NOUN = re.compile(r"(?:requests?|appeals?|pleas?|applications?)$")
REQUEST_TO = re.compile(r"^\s*to\s+(?:the\s+)?$", re.IGNORECASE)


def _asked_elsewhere(facts: SentenceFacts, trigger: TriggerHit) -> list[PartyMention]:
    """ "Ukraine needs seven batteries ... and has asked NATO allies": the party asked in another clause."""
    for other in facts.triggers:
        if other is not trigger and other.frame == "request":
            obj = bare_object(facts.text, facts.parties, other)
            if obj:
                return [obj]
    return []


def _chain_partner(
    text: str, parties: list[PartyMention], trigger: TriggerHit, stop: int
) -> list[PartyMention]:
    """ "signed a contract with Hungary to provide ...": the partner named inside the chain receives."""
    if trigger.direction != "give":
        return []
    return after_with_preposition(text, parties, trigger.start, stop, re.compile(r"\bwith\s+(?:the\s+)?$"))


BY_AT_END = re.compile(r"\bby\s+$")


def _get_roles(
    facts: SentenceFacts,
    trigger: TriggerHit,
    subject: list[PartyMention],
    from_after: list[PartyMention],
    obj: PartyMention | None,
    stop: int,
    confidence: float,
) -> tuple[list[PartyMention], list[PartyMention], float]:
    text, parties = facts.text, facts.parties
    if trigger.phrase.startswith(("arriv", "landed", "touched", "left", "sailed")):
        made_by = [
            p for p in parties if p.is_company and BY_AT_END.search(text[max(0, p.start - 8) : p.start])
        ]
        into = after_with_preposition(
            text,
            parties,
            trigger.start,
            stop,
            IN_OR_TO if trigger.phrase.startswith(("arriv", "land", "touch")) else FOR_TO,
        )
        into = into or _before_with(text, parties, [], trigger, r"\bfor\s+(?:the\s+)?$")
        into = (
            into
            or [  # "Algeria's first drones arrived": the owner receives
                p
                for p in parties
                if p.end <= trigger.start and not p.made_in and text.startswith("'s", p.end)
            ][:1]
        )
        into = (
            into
            or [  # "two jets landed, the first of 24 aircraft that Nigeria ordered": the buyer of the lot
                p
                for p in parties
                if p.start > trigger.end
                and not p.made_in
                and RELATIVE_BUYER.search(text, max(0, p.start - 8), p.start)
            ][:1]
        )
        sender = made_by or _before_with(text, parties, [], trigger, r"\bfrom\s+(?:the\s+)?$")
        sender = (
            sender
            or [  # "the shells left Raufoss for Ukraine, paid for by the Norwegian government"
                p
                for p in parties
                if p.start > trigger.end and PAID_BY.search(text, max(0, p.start - 25), p.start)
            ][:1]
        )
        return sender, into, confidence - 0.1  # "a shipment of missiles from the US arrived in Taiwan"
    suppliers = ([obj] if obj and obj.is_company else []) or from_after
    if trigger.phrase == "paid * for":  # "it paid the British government GBP 84 million for the carrier"
        suppliers = [p for p in parties if trigger.start < p.start and p.end < trigger.end][:1] or suppliers
    if not suppliers:
        suppliers = [p for p in parties if p.is_company and p.start > trigger.end and p.end <= stop][:1]
    if not suppliers:
        suppliers = _before_with(text, parties, subject, trigger, r"\b(?:from|with)\s+(?:the\s+)?$")
    if not suppliers:
        suppliers = _speaking_company(text, parties, subject, trigger)
    beneficiary = after_with_preposition(
        text, parties, trigger.end, stop, re.compile(r"\b(?:for|on\s+behalf\s+of)\s+(?:the\s+)?$")
    ) or [
        p
        for p in parties
        if p.start >= trigger.end and p.end <= stop and BEHALF_AFTER.match(text[p.end : p.end + 12])
    ]
    recipients = subject
    if beneficiary and not subject and not (suppliers and suppliers[0].code == beneficiary[0].code):
        recipients = beneficiary  # "an order for 9mm rounds for the Guardia Civil from IMI Systems"
    if beneficiary and subject and beneficiary[0].code != subject[0].code:
        if not suppliers or suppliers[0].code == subject[0].code:
            suppliers, recipients = (suppliers or subject), beneficiary
    return suppliers, recipients, confidence


BUYER_WORDS = re.compile(r"\b(?:purchase|order|buy)", re.IGNORECASE)


def _speaking_company(
    text: str, parties: list[PartyMention], subject: list[PartyMention], trigger: TriggerHit
) -> list[PartyMention]:
    """ "Saab said the Estonian agency had ordered rifles": the company announcing a customer's order sells."""
    limit = subject[0].start if subject else trigger.start
    for party in parties:
        if party.end > limit:
            break
        if party.is_company and COMPANY_SAYS.match(text[party.end : party.end + 80]):
            return [party]
    return []


def _cancel_roles(
    text: str, parties: list[PartyMention], subject: list[PartyMention], trigger: TriggerHit
) -> tuple[list[PartyMention], list[PartyMention], float]:
    clause_end = _clause_end(text, trigger.end)
    others = [
        p for p in parties if trigger.end <= p.start < clause_end and p.code not in {s.code for s in subject}
    ]
    others = [p for p in others if p.made_in] if any(p.made_in for p in others) else others
    sellers = [p for p in others if p.is_company]
    if sellers and not any(p.is_company for p in subject):
        return (
            sellers[:1],
            subject,
            0.5,
        )  # "cancelled a contract with Israel Weapon Industries": the firm sold
    buyer_words = BUYER_WORDS.search(text[trigger.end : trigger.end + 60])
    floor = subject[-1].end if subject else 0
    between = [p for p in parties if floor <= p.start and p.end <= trigger.start and not p.made_in]
    if buyer_words and between:
        return subject, between[:1], 0.5  # "Washington removed Turkey, cancelling its purchase"
    if buyer_words:
        return others[:1], subject, 0.45  # "Egypt cancelled its purchase of Su-35s"
    return subject, others[:1], 0.5


SUBORDINATE = re.compile(r",|;|\b(?:after|before|because|when|while|since|as|but|although)\b")


def _clause_end(text: str, start: int) -> int:
    """Where the clause that starts at start ends: the next comma or subordinating word."""
    match = SUBORDINATE.search(text, start)
    return match.start() if match else len(text)


def _before_with(
    text: str, parties: list[PartyMention], subject: list[PartyMention], trigger: TriggerHit, pattern: str
) -> list[PartyMention]:
    floor = subject[-1].end if subject else 0
    asides = appositives_before(text, trigger.start)
    for mention in parties:
        if floor <= mention.start and mention.end <= trigger.start and not mention.made_in:
            if any(a <= mention.start < b for a, b in asides):
                continue
            if re.search(pattern, text[max(0, mention.start - 40) : mention.start], re.IGNORECASE):
                return [mention]
    return []


POSSESSIVE_WORD_AFTER = re.compile(r"^'s\b")


def _possessive_after(
    text: str, parties: list[PartyMention], trigger: TriggerHit, stop: int
) -> list[PartyMention]:
    for mention in parties:
        if trigger.end <= mention.start < stop and POSSESSIVE_WORD_AFTER.match(
            text[mention.end : mention.end + 3]
        ):
            return [mention]
    return []
