"""Article-level extraction: sentences -> triggers -> roles -> deals, with carry-over between sentences."""

from __future__ import annotations

import re
from dataclasses import replace

from .attachment import SCHEME_RELATIVE_INSIDE, earlier_lot, main_verb_after_relative
from .building import build_drafts, unique_codes, with_known_ammunition
from .candidate import DealCandidate
from .clauses import (
    another_request,
    clause_stop,
    company_contracted,
    passed_on_items,
    reduced_relative_giver,
    unnamed_recipients,
)
from .context import (
    VALUE_WORDS,
    ArticleState,
    apply_denials,
    apply_end_user,
    attach_value_sentence,
    code_mention,
    fill_missing,
    recent_drafts,
    remember,
)
from .drafts import Draft, ItemCount, count_for, freeze
from .frames import frame_roles, resolve_subject
from .items import ItemMention
from .mentions import SentenceFacts, read_sentence
from .merging import dedupe
from .numbers import Quantity
from .parties import PartyMention, find_parties
from .permissions import (
    ONWARD_PRONOUN,
    PERMISSION_ASKED,
    approved_onward,
    permission_parties,
    permission_request,
)
from .regions import resolve_compass_names
from .restatements import (
    continued_allegation,
    lot_supplier,
    refused_offer,
    scheduled_delivery,
    without_scheme_names,
)
from .roles import (
    requester,
    subject_of,
)
from .sentences import Sentence, split_sentences
from .stages import (
    allegation_status,
    continues_approval,
    contract_status,
    in_approval_context,
    licence_status,
    third_party_claim,
)
from .status import TriggerHit, has_cue

MAX_TEXT = 1_000_000
CORRECTION_NOTE = re.compile(
    r"^\W*(?:Correction|Clarification)\b[^.:]{0,40}:|"
    r"\b(?:an\s+earlier|a\s+previous|the\s+original)\s+version\s+of\s+this\s+(?:article|story|report)\b",
    re.IGNORECASE,
)
HEADER_LINE = re.compile(r"^(?:Title|Published):", re.IGNORECASE)
RELATIVE_GAP = re.compile(
    r"^[\s,]*(?:(?i:that|which|whom|several of which|some of which|most of which|many of which|it|they)\s+(?:\S+\s+){0,4}|"
    r"[A-Z][\w'-]*\s+(?:had\s+|has\s+|have\s+)?(?:\w+ly\s+)?)$"
)
SUBJECT_OF_VERB = re.compile(r"^\s+(?:\w+ly\s+)?(?:(?:have|has|had|were|was|are|is)\s+)?(?:\w+ly\s+)?$")
SCHEDULED_SUBJECT = re.compile(
    r"^(?:\s+for\s+(?:the\s+)?[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?)?\s+(?:are|is|were|was)\s+"
    r"(?:due|expected|set|scheduled|likely|slated)\s+to\s+$"
)  # "the howitzers for Azerbaijan are due to arrive"
CLAUSE_BREAK = re.compile(
    r";|,\s+(?:but|while|although|whereas|citing|saying|arguing|adding|noting|according)\b|\bbut\b"
)
NOT_AID_MONEY = re.compile(
    r"\b(?:total|brings|cumulative|package of (?:weapons|arms|equipment)|weapons package|arms package)\b",
    re.IGNORECASE,
)
CUMULATIVE = re.compile(
    r"\b(?:so far|in total|to date|brings the total|bringing the total|since (?:the (?:start|beginning)|"
    r"the (?:full-scale )?invasion|(?:january|february|march|april|may|june|july|august|september|october|"
    r"november|december)?\s*\d{4}|(?:january|february|march|april|may|june|july|august|september|october|"
    r"november|december)\s+(?:last|of last)\s+year|last year))",
    re.IGNORECASE,
)
PRICE_OF_A_SALE = re.compile(
    r"^\s*(?:[\w-]+\s+){0,2}?(?:sale|deal|contract|package|order|purchase|arms)\b", re.IGNORECASE
)
AUXILIARY = re.compile(r"\b(?:will|would|shall|be|been|is|are|was|were)\b", re.IGNORECASE)
TRANCHE_OF = re.compile(
    r"\b(?:the|its|their)\s+(?:first|second|third|next|latest)\s+(?:[\w-]+\s+)?of\s+"
    r"(?:the\s+|its\s+|their\s+|[A-Z][\w-]*'s\s+)?(?:[\w,-]+\s+){0,2}$",
    re.IGNORECASE,
)
TRANCHE_BEFORE = re.compile(r"\b(?:the\s+)?first\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
PACKAGE_SUBJECT = re.compile(
    r"\b(?:said|says|added|confirmed|announced|stated)\s+(?:that\s+)?(?:the|its|this|their)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:package|deal|contract|order|sale|agreement|purchase)\b",
    re.IGNORECASE,
)
BUDGET_OBJECT = re.compile(
    r"\s+(?:its|their|the|his|her)\s+(?:[\w-]+\s+){0,3}?(?:budget|funds|funding|money|savings)\s+(?:to|for|on)\s"
)
BENEFICIARY_BEFORE = re.compile(r"\b(?:for|on\s+behalf\s+of)\s+(?:the\s+)?$", re.IGNORECASE)
ACKNOWLEDGED = re.compile(
    r"\b(?:acknowledged|admitted|confirmed|conceded|denied|acknowledges|admits|confirms|denies)\s+$",
    re.IGNORECASE,
)  # "have acknowledged buying drones": a purchase made, not one announced
PACKAGE_JUST_BEFORE = re.compile(
    r"\b(?:the|its|this|that)\s+(?:[\w-]+\s+){0,2}?(?:package|deal|contract|order|agreement|sale)\s+(?:\w+ly\s+)?$",
    re.IGNORECASE,
)  # "According to a White House fact sheet, the package covers ...": the package includes, not the source
PACKAGE_OPENS = re.compile(
    r"\W*(?:the|this|that|its|their)\s+(?:[\w-]+\s+){0,2}?(?:package|deal|contract|order|agreement|sale)\b",
    re.IGNORECASE,
)
SCHEME_SUBJECT = re.compile(
    r"^\W*(?:[A-Z][A-Z .'-]+\s*[-\u2013\u2014]+\s*)?(?:the|this|that)\s+(?:[\w-]+\s+)?(?:initiative|scheme|"
    r"coalition|programme|program|mechanism)\s+(?:has\s+|had\s+|have\s+)?$",
    re.IGNORECASE,
)
SHARE_AFTER = re.compile(r"(?:'s|’s)?\s+(?:share|contribution|portion|part)\b", re.IGNORECASE)


def _contributor(facts: SentenceFacts, trigger: TriggerHit, floor: int) -> list[PartyMention]:
    """ "The Dutch share", "Copenhagen's contribution": the party whose money pays gives what it buys."""
    for party in facts.parties:
        if party.start >= trigger.start:
            break
        if party.start >= floor and SHARE_AFTER.match(facts.text, party.end):
            return [party]
    return []


SCHEME_RELATIVE = re.compile(
    r"\b(?:initiative|scheme|fund|facility|mechanism|programme|program|coalition|platform)\s+(?:that|which)\s+"
    r"(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
PACKAGE_NOUN = re.compile(
    r"\b(?:package|list|deal|contract|notification|sales?|agreement|order|tranche|consignment|shipment|bill|"
    r"law|programme|it|this|they)\b",
    re.IGNORECASE,
)


def extract_deals(text: str) -> list[DealCandidate]:
    """Every deal in text, one per category per trigger, with its evidence sentence."""
    state = ArticleState()
    note_end = -1
    previous = ""
    approver = ""
    for index, sentence in enumerate(split_sentences(text[:MAX_TEXT])):
        if HEADER_LINE.match(sentence.text) or sentence.start < note_end:
            continue
        if (
            "version" in sentence.text or "larification" in sentence.text or "orrection" in sentence.text
        ) and (CORRECTION_NOTE.search(sentence.text)):
            # "Correction: an earlier version of this article said ...": the note restates figures already
            # fixed in the text; its paragraph is skipped
            paragraph_end = text.find("\n\n", sentence.start)
            note_end = len(text) if paragraph_end < 0 else paragraph_end
            continue
        listed = _notified_sale(sentence, approver)
        facts = read_sentence(index, listed or sentence, state.seen_codes, previous)
        if listed is not None:
            facts = replace(facts, sentence=sentence)  # the evidence stays the line as printed
        previous = sentence.text
        resolve_compass_names(facts, state.seen_codes)
        apply_denials(facts, state)
        apply_end_user(facts, state)
        new = _sentence_drafts(facts, state)
        shares = _split_joint_order(facts, state)
        if shares:
            new = [d for d in new if not set(d.recipients) <= shares]
        attach_value_sentence(facts, state, new)
        remember(facts, state, new)
        if not approver and NOTIFIED_SALES.search(sentence.text):
            approver = _approving_state(facts)
    return [freeze(d) for d in dedupe(state.drafts)]


NOTIFIED_SALES = re.compile(
    r"\b(?:approved|cleared|notified|authori[sz]ed)\b[^.]{0,60}?\bsales?\b", re.IGNORECASE
)
LIST_ENTRY = re.compile(
    r"(?P<buyer>(?:The\s+)?[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,3}):\s+(?=(?:up\s+to\s+)?\d)"
)
LIST_PRICE = re.compile(
    r"\b(?:for|at|worth|valued\s+at)\s+(?:an?\s+)?(?:estimated\s+|approximately\s+|about\s+)?"
    r"(?:US)?[$\u20ac\u00a3]|\bestimated\s+at\b",
    re.IGNORECASE,
)


def _approving_state(facts: SentenceFacts) -> str:
    """The state whose approval a notification lead reports, as written there ("The State Department")."""
    for party in facts.parties:
        if not party.is_company and not party.made_in:
            return facts.text[party.start : party.end]
    return ""


def _notified_sale(sentence: Sentence, approver: str) -> Sentence | None:
    """ "Saudi Arabia: 1,000 missiles, with support, for an estimated $3.5 billion." under a lead saying a
    state approved possible sales: each priced entry is a sale that state approved to the buyer named; the
    entry is read as a full clause, its offsets and evidence unchanged."""
    if not approver or ":" not in sentence.text[:50]:
        return None
    entry = LIST_ENTRY.match(sentence.text)
    if entry is None or not LIST_PRICE.search(sentence.text, entry.end()):
        return None
    buyer = entry.group("buyer")
    if not any(not p.is_company for p in find_parties(buyer)):
        return None  # "Update: 5 ..." names no buyer
    clause = f"{approver} approved the possible sale to {buyer} of {sentence.text[entry.end() :]}"
    return Sentence(clause, sentence.start, sentence.end)


CONDITIONAL_OPENING = re.compile(r"^\W*(?:if|should|unless|were)\b", re.IGNORECASE)


SHARE_GAP = re.compile(r"^(?:\s+(?:\w+\s+){0,3}?|\s+)$")


def _shares(facts: SentenceFacts) -> list[tuple[PartyMention, Quantity]]:
    """ "Finland will receive 100 vehicles, Norway 60, Lithuania 50 and Estonia 40": each buyer and its share."""
    pairs = []
    parties = [p for p in facts.parties if not p.made_in and not p.is_company]
    for position, party in enumerate(parties):
        limit = parties[position + 1].start if position + 1 < len(parties) else len(facts.text)
        quantity = next((q for q in facts.quantities if party.end <= q.start < limit), None)
        if quantity is not None and SHARE_GAP.match(facts.text[party.end : quantity.start]):
            pairs.append((party, quantity))
    bare = [p for p, q in pairs if facts.text[p.end : q.start].isspace()]
    return pairs if len(pairs) >= 3 and len(bare) >= 2 else []


def _split_joint_order(facts: SentenceFacts, state: ArticleState) -> set[str]:
    """Split a joint order just reported into one deal per buyer with its own share; the joint value stays
    on every share. Returns the codes of the buyers whose shares were read."""
    pairs = _shares(facts)
    codes = {p.code for p, _ in pairs}
    if not pairs:
        return set()
    for draft in reversed(recent_drafts(state, facts.index, 3)):
        if len(draft.recipients) >= 2 and codes <= set(draft.recipients):
            state.drafts.remove(draft)
            item = draft.counts[0].text if draft.counts else ""
            for party, quantity in pairs:
                share = replace(draft, recipients=[party.code], counts=[ItemCount(item, quantity, False)])
                share.money = draft.money or (facts.money[0] if facts.money else None)
                state.drafts.append(share)
            return codes
    return set()


def _sentence_drafts(facts: SentenceFacts, state: ArticleState) -> list[Draft]:
    if not facts.triggers or CONDITIONAL_OPENING.match(facts.text):
        return []
    assignment = _assign_items(facts)
    drafts: list[Draft] = []
    for position, trigger in enumerate(facts.triggers):
        items = assignment.get(position, [])
        floor = facts.triggers[position - 1].end if position else 0
        stop = clause_stop(facts, position)
        another = another_request(facts, position)
        if another is not None:
            trigger, floor = another, 0
        passed_on = passed_on_items(facts, position, assignment)
        if not items and passed_on:
            items = passed_on  # "will buy a NASAMS from the US and donate it to Ukraine"
            floor = facts.triggers[position - 1].end
        if trigger.frame == "include":
            drafts.extend(_include_drafts(facts, trigger, items, state, floor))
        elif items and passed_on and not assignment.get(position):
            drafts.extend(_passed_on_drafts(facts, trigger, items, state, floor, stop, drafts))
        elif items:
            drafts.extend(_trigger_drafts(facts, trigger, items, state, floor, stop, tuple(drafts)))
        elif trigger.frame == "approve" and ONWARD_PRONOUN.match(facts.text[trigger.end : trigger.end + 40]):
            drafts.extend(approved_onward(facts, trigger, state, floor))
        elif trigger.frame in {"give", "get", "approve", "negotiate", "win"}:
            aid = []
            if trigger.frame in {"give", "approve"} and _money_follows(facts, trigger, stop):
                aid = _money_only_drafts(facts, trigger, state, floor, stop)
            drafts.extend(aid)
            if not aid:
                _remember_frame(facts, trigger, state, floor, stop)
        elif trigger.frame == "refuse":
            _refuse_earlier_requests(facts, trigger, state, drafts, floor)
    drafts.extend(_delivered_parts(facts, drafts))
    _cancelled_in_the_end(facts, assignment, drafts)
    _talks_under_way(facts, assignment, drafts)
    drafts = without_scheme_names(drafts)
    donated = {id(d.money) for d in drafts if d.category == "financial_aid" and d.money is not None}
    for draft in drafts:
        if draft.category != "financial_aid" and id(draft.money) in donated:
            draft.money = None  # the sum was given as money; the items it buys are priced elsewhere
    if any(d.category == "financial_aid" and d.money and CUMULATIVE.search(d.sentence.text) for d in drafts):
        # "has committed C$1bn since last year, including howitzers and ammunition": a running total's contents
        drafts = [d for d in drafts if any(c.quantity for c in d.counts)]
    return [d for d in drafts if d.category != "financial_aid" or _single_sum(d)]


CANCELLED_OBJECT = re.compile(
    r"\s+(?:it|them|the\s+(?:[\w-]+\s+)?(?:contract|deal|order|purchase|sale|agreement|acquisition))\b",
    re.IGNORECASE,
)
RESTORED = re.compile(
    r"\b(?:reinstated|reinstates|restored|restores|revived|revives|unfroze|unfrozen|reversed\s+(?:the|its|that)\s+"
    r"(?:cancellation|decision))\b",
    re.IGNORECASE,
)


TALKS_PARTNER = re.compile(r"\bwith\s+(?:the\s+)?$", re.IGNORECASE)


def _talks_under_way(
    facts: SentenceFacts, assignment: dict[int, list[ItemMention]], drafts: list[Draft]
) -> None:
    """ "Germany has offered to buy two systems from the US, and ... talks with Washington were under way":
    the purchase just announced is being negotiated with the party named."""
    for position, trigger in enumerate(facts.triggers):
        if trigger.frame != "negotiate" or assignment.get(position):
            continue
        partners = {
            p.code
            for p in facts.parties
            if trigger.end <= p.start <= trigger.end + 30
            and TALKS_PARTNER.search(facts.text, max(0, p.start - 10), p.start)
        }
        for draft in drafts:
            if draft.status in {"announced", "agreed"} and partners & set(draft.suppliers + draft.recipients):
                draft.status = "negotiating"


def _cancelled_in_the_end(
    facts: SentenceFacts, assignment: dict[int, list[ItemMention]], drafts: list[Draft]
) -> None:
    """ "the ministry first cancelled it, then reinstated it, before the cabinet finally rescinded the contract":
    the last event decides the deal's state."""
    cancels = [
        t.start
        for position, t in enumerate(facts.triggers)
        if t.frame == "cancel" and not assignment.get(position) and CANCELLED_OBJECT.match(facts.text, t.end)
    ]
    if not cancels or not drafts:
        return
    restored = [m.start() for m in RESTORED.finditer(facts.text)]
    if restored and max(restored) > max(cancels):
        return
    for draft in drafts:
        if draft.status not in {"rejected", "denied", "cancelled", "alleged"}:
            draft.status = "cancelled"


def _passed_on_drafts(
    facts: SentenceFacts,
    trigger: TriggerHit,
    items: list[ItemMention],
    state: ArticleState,
    floor: int,
    stop: int,
    bought: list[Draft],
) -> list[Draft]:
    """The buyer of the earlier clause gives what it bought: "buy X from A and donate it to B"."""
    buyers = unique_codes(c for d in bought for c in d.recipients)
    drafts = _trigger_drafts(facts, trigger, items, state, floor, stop, tuple(bought))
    if not buyers:
        return drafts
    for draft in drafts:
        draft.suppliers, draft.org = list(buyers), None
    return [d for d in drafts if not set(d.suppliers) & set(d.recipients)]


def _single_sum(draft: Draft) -> bool:
    """A financial aid deal needs its sum, and a running total since the war began is not one deal."""
    return draft.money is not None and not CUMULATIVE.search(draft.sentence.text)


def _refuse_earlier_requests(
    facts: SentenceFacts, trigger: TriggerHit, state: ArticleState, drafts: list[Draft], floor: int
) -> None:
    """ "... requesting anti-aircraft systems, a request Seoul turned down": the request was rejected."""
    explicit, pronoun = subject_of(facts.text, facts.parties, trigger.start, floor)
    asker = {p.code for p in requester(facts.text, facts.parties, trigger)}
    earlier = [
        d
        for d in state.drafts
        if facts.index - d.sentence.index <= 2
        and (not asker or asker & set(d.recipients))
        and not (explicit and not pronoun and d.suppliers and explicit[0].code not in d.suppliers)
    ]  # "Washington has declined" answers a request made to Washington, not one made to NATO
    for draft in drafts + earlier:
        if draft.status == "requested":
            draft.status = "rejected"
            if explicit and not pronoun and explicit[0].code not in draft.recipients:
                draft.suppliers = [explicit[0].code]


def _remember_frame(
    facts: SentenceFacts, trigger: TriggerHit, state: ArticleState, floor: int, stop: int
) -> None:
    """Keep who deals with whom from a clause with no item, for the sentences that list the items."""
    subject, _ = resolve_subject(facts, trigger, state, floor)
    suppliers, recipients, confidence = frame_roles(facts, trigger, subject, state, stop)
    if state.frame and state.frame.sentence.index == facts.index:
        return
    if suppliers and recipients and suppliers[0].code != recipients[0].code:
        frame = Draft(
            [suppliers[0].code],
            suppliers[0].org,
            unique_codes(p.code for p in recipients),
            "",
            allegation_status(facts, trigger.status, trigger),
            facts,
        )
        frame.money = facts.money[0] if facts.money else None
        frame.confidence = confidence
        state.frame = frame


BY_AFTER = re.compile(r"^\s+by\b")
RELATIVE_AFTER_COMMA = re.compile(r",\s+(?:which|that)\s+[^,]*$")


def _assign_items(facts: SentenceFacts) -> dict[int, list[ItemMention]]:
    """Each item goes to the nearest trigger on its left in its clause, or to a relative clause after it."""
    assignment: dict[int, list[ItemMention]] = {}
    triggers = facts.triggers
    first_real = next((i for i, t in enumerate(triggers) if t.frame != "include"), None)
    for item in facts.items:
        left = [
            i
            for i, t in enumerate(triggers)
            if t.end <= item.start
            and not (t.phrase == "including" and first_real is not None and first_real < i)
        ]
        right = [i for i, t in enumerate(triggers) if t.start >= item.end]
        chosen = left[-1] if left else None
        if chosen is not None and (
            CLAUSE_BREAK.search(facts.text[triggers[chosen].end : item.start])
            or SCHEME_RELATIVE_INSIDE.search(facts.text, triggers[chosen].end, item.start)
        ):
            chosen = None
        reduced_relative = bool(left) and bool(
            BY_AFTER.match(facts.text[triggers[right[0]].end : triggers[right[0]].end + 5])
            if right
            else False
        )  # "received four boats donated by China": the participle describes the boats
        if right and triggers[right[0]].phrase.endswith((" by", " with")):
            right = []  # "the old tanks were replaced by Leopards": the subject is what goes away
        if (
            right
            and not reduced_relative
            and (
                SUBJECT_OF_VERB.match(facts.text[item.end : triggers[right[0]].start])
                or SCHEDULED_SUBJECT.match(facts.text[item.end : triggers[right[0]].start])
            )
        ):
            chosen = right[0]  # "the last of those aircraft arrived": the item is the verb's subject
        if chosen is None and right:
            gap = facts.text[item.end : triggers[right[0]].start]
            passive = triggers[right[0]].passive
            if len(gap) <= 50 and not CLAUSE_BREAK.search(gap) and (passive or not AUXILIARY.search(gap)):
                chosen = right[0]
        if right and triggers[right[0]].frame in {"give", "approve"}:
            gap = facts.text[item.end : triggers[right[0]].start]
            relative = RELATIVE_GAP.match(gap) or (not left and RELATIVE_AFTER_COMMA.search(gap))
            background = triggers[right[0]].status in {"delivered", "signed"}
            if len(gap) < 80 and relative and (background or not left):
                chosen = right[0]
        if len(right) > 1 and main_verb_after_relative(
            facts.text, item, triggers[right[0]], triggers[right[1]]
        ):
            # "the 14 tanks that Denmark pledged to Ukraine have now been delivered": the relative clause
            # names the parties, the main verb the stage the deal has reached
            chosen = right[0]
            triggers[chosen] = replace(triggers[chosen], status="delivered")
        if (
            chosen is not None
            and right
            and any(i.category == item.category for i in assignment.get(chosen, ()))
            and TRANCHE_OF.search(facts.text, max(0, item.start - 60), item.start)
            and RELATIVE_GAP.match(facts.text[item.end : triggers[right[0]].start])
        ):
            # "Two jets landed, the first of 24 aircraft that Nigeria ordered": the lot delivered, and the order
            chosen = right[0]
        if right and earlier_lot(facts.text, item, triggers[right[0]]):
            chosen = right[0]  # "a further 42 launchers, on top of the 20 it bought in 2023": an earlier deal
        if chosen is not None:
            assignment.setdefault(chosen, []).append(item)
    return assignment


def _trigger_drafts(
    facts: SentenceFacts,
    trigger: TriggerHit,
    items: list[ItemMention],
    state: ArticleState,
    floor: int,
    stop: int,
    siblings: tuple[Draft, ...] = (),
) -> list[Draft]:
    if trigger.weak and not in_approval_context(facts, state):
        return []
    if trigger.frame == "give" and BUDGET_OBJECT.match(facts.text, trigger.end):
        # "had committed its vehicle budget to ASCOD vehicles from GDELS": the subject spends on a purchase
        trigger = replace(trigger, frame="get", status="signed", direction="get")
    if SCHEME_RELATIVE.search(facts.text, max(0, trigger.start - 60), trigger.start):
        return []  # "the Czech-led initiative that buys shells for Ukraine": the scheme's own purchases
    if trigger.status == "pledged" and trigger.phrase.startswith(("arriv", "deliver")):
        items = [i for i in items if not TRANCHE_BEFORE.search(facts.text[max(0, i.start - 30) : i.start])]
        if not items:
            return []  # "the first two dozen guns are to arrive in December": a delivery tranche
    subject, carried = resolve_subject(facts, trigger, state, floor)
    contributor = _contributor(facts, trigger, floor) if not subject and trigger.frame == "give" else []
    subject = contributor or subject  # "The Dutch share, EUR 250 million, will pay for"
    if state.scheme_leader is not None and SCHEME_SUBJECT.search(facts.text, floor, trigger.start):
        subject, carried = [state.scheme_leader], False  # "The scheme delivered": its leading state acts
    suppliers, recipients, confidence = frame_roles(facts, trigger, subject, state, stop)
    if contributor and not recipients and state.scheme_for is not None:
        recipients = [state.scheme_for]  # a share of a scheme's money buys for those the scheme serves
    if trigger.frame == "get" and not suppliers:
        suppliers = _approver_in_apposition(facts, trigger)
    if items and all(i.start == i.end for i in items):
        suppliers = lot_supplier(facts, trigger, items, siblings, stop) or suppliers
    giver = reduced_relative_giver(facts, trigger, stop)
    if giver is not None:
        suppliers = giver  # the sentence's subject did not give these; an origin may still be read below
    if company_contracted(facts, trigger, suppliers, recipients):
        suppliers, recipients = recipients, suppliers  # "Australia's contract with Rheinmetall to provide"
    if carried and {p.code for p in suppliers} & {p.code for p in recipients}:
        suppliers = []  # "the department will provide Ukraine ...": the carried topic is the recipient here
    confidence -= 0.15 if carried else 0.0
    status = trigger.status or "announced"
    if trigger.weak or (
        in_approval_context(facts, state)
        and continues_approval(
            trigger, suppliers, state, status, facts.text[max(0, trigger.start - 40) : trigger.start]
        )
    ):
        status = "approved"
    status = contract_status(facts, state, trigger, status)
    status = licence_status(facts, trigger, status)
    if trigger.phrase.endswith("ing") and ACKNOWLEDGED.search(
        facts.text, max(0, trigger.start - 30), trigger.start
    ):
        status = "delivered" if trigger.frame == "give" or trigger.phrase.startswith("receiv") else "signed"
    status = third_party_claim(facts, trigger, status, {p.code for p in suppliers + recipients})
    status = allegation_status(facts, status, trigger)
    if trigger.frame == "request" and not suppliers:
        suppliers = _refuser_after(facts, trigger)
        status = "rejected" if suppliers else status
    if trigger.frame == "request" and not suppliers:
        return []  # a request to unnamed "allies" names no supplier
    explicit_recipients = bool(recipients)
    suppliers, recipients, confidence = fill_missing(
        suppliers, recipients, items, state, facts, confidence, siblings
    )
    status = continued_allegation(state, facts, suppliers, recipients, status)
    if trigger.phrase.startswith("spen") and not explicit_recipients:
        return []  # "will spend $10bn on tanks" names a budget; the seller and buyer come from elsewhere
    if not suppliers and explicit_recipients and trigger.frame == "get" and items:
        # "Ukraine will receive 5,000 missiles under a new contract": the next sentences may name the seller
        state.pending = build_drafts(
            facts, trigger, items, [code_mention("", None)], recipients, status, confidence, state
        )
    if (
        not suppliers
        or not recipients
        or (not explicit_recipients and unnamed_recipients(facts, trigger, stop))
    ):
        return []
    guns = "small_arms_ammunition" if any(i.category == "small_arms" for i in items) else None
    items = [with_known_ammunition(item, state, guns) for item in items]
    if status == "pledged" and scheduled_delivery(state, facts, trigger, recipients, items):
        return []  # "the missiles would be delivered between 2027 and 2035": the timetable of a signed deal
    if trigger.phrase.startswith("offer") and refused_offer(state, facts, suppliers, items):
        return []  # "The Pentagon had offered the aircraft": the offer just reported as declined
    if trigger.frame == "request" and PERMISSION_ASKED.search(facts.text, trigger.start, trigger.end):
        return permission_request(
            facts, trigger, items, suppliers, recipients, status, confidence, state, stop
        )
    permission = permission_parties(facts, trigger, stop)
    if permission and trigger.frame in {"approve", "refuse", "request"}:
        holder, destination = permission
        drafts = build_drafts(facts, trigger, items, suppliers, [holder], status, confidence, state)
        for draft in drafts:
            draft.recipients = [holder.code]
            draft.end_user = [destination.code] if destination else []
        return [d for d in drafts if holder.code not in d.suppliers]
    sources = (
        _item_sources(facts, trigger, items, stop) if trigger.frame == "get" and len(items) > 1 else None
    )
    if sources:
        drafts = []
        for source, group in sources:
            drafts += build_drafts(
                facts,
                trigger,
                group,
                [source] if source else suppliers,
                recipients,
                status,
                confidence,
                state,
            )
    else:
        drafts = build_drafts(facts, trigger, items, suppliers, recipients, status, confidence, state)
    drafts += _contracted_lots(facts, drafts)
    if trigger.frame == "get" and not trigger.passive and status != "rejected":
        drafts = (
            _bought_for_another(facts, items, drafts, stop) + drafts
        )  # the purchase stays the latest deal
    return drafts


SOURCE_FROM = re.compile(r"\bfrom\s+(?:the\s+)?$", re.IGNORECASE)


def _item_sources(
    facts: SentenceFacts, trigger: TriggerHit, items: list[ItemMention], stop: int
) -> list[tuple[PartyMention | None, list[ItemMention]]] | None:
    """ "bought jets from France, and drones and helicopters from the US": each item takes the nearest
    "from" party after it, when the sentence names more than one source."""
    sources = [
        p
        for p in facts.parties
        if trigger.end <= p.start < stop
        and not p.made_in
        and SOURCE_FROM.search(facts.text, max(0, p.start - 12), p.start)
    ]
    if len({p.code for p in sources}) < 2:
        return None
    groups: dict[int, tuple[PartyMention | None, list[ItemMention]]] = {}
    for item in items:
        source = next((p for p in sources if p.start >= item.end), None)
        key = -1 if source is None else source.start
        groups.setdefault(key, (source, []))[1].append(item)
    return list(groups.values())


LOT_CONTRACT = re.compile(
    r"\b(?:under|through|as\s+part\s+of)\s+(?:a|an|the)\s+(?:[\w$€£₹.,-]+\s+){0,3}?(?:contract|deal|order)\b",
    re.IGNORECASE,
)


PART_OF_ORDER = re.compile(
    r"\b(?:the|its|their)\s+(?:first|initial|last|final)\s+(?P<part>[\w,-]+)\s+of\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def _delivered_parts(facts: SentenceFacts, drafts: list[Draft]) -> list[Draft]:
    """ "The first six of the 24 jets Argentina bought from Denmark landed on Friday", "received the last two
    of the six frigates it ordered": the order of the whole lot, and a delivery of the part."""
    found = []
    for draft in drafts:
        if draft.status not in {"signed", "announced", "delivered"} or len(draft.counts) != 1:
            continue
        lot = draft.counts[0].quantity
        bought = any(t.frame == "get" and t.status in {"signed", "announced"} for t in facts.triggers)
        whole = draft.counts[0].lot
        if draft.status == "delivered" and whole is not None and not draft.counts[0].ordered_lot and bought:
            # "China handed over the first of eight submarines ..., a decade after Islamabad ordered them"
            found.append(
                replace(draft, status="signed", counts=[ItemCount(draft.counts[0].text, whole, False)])
            )
            draft.money = None
            continue
        if lot is None or whole is not None:
            continue
        before = PART_OF_ORDER.search(facts.text, max(0, lot.start - 40), lot.start)
        part = before and next(
            (q for q in facts.quantities if q.start == before.start("part") and q.end == before.end("part")),
            None,
        )
        if not part or part.value >= lot.value:
            continue
        if (
            draft.status == "delivered"
            and before.group(0).lower().split()[1] in {"last", "final"}
            and not bought
        ):
            continue  # "the last four of the 16 vehicles Norway pledged have been handed over": all 16 are in
        if draft.status == "delivered":
            found.append(replace(draft, status="signed"))  # the order keeps the lot and its price
            draft.counts = [ItemCount(draft.counts[0].text, part, False)]
            draft.money = None
            continue
        if not any(
            t.status == "delivered" and t.frame == "get" and t.start > lot.end for t in facts.triggers
        ):
            continue
        draft.status = "signed"  # a delivery has begun: the order is firm
        delivered = replace(draft, status="delivered", counts=[ItemCount(draft.counts[0].text, part, False)])
        delivered.money = None  # a price belongs to the order, not to the part delivered
        found.append(delivered)
    return found


FIRST_UNIT = re.compile(r"\b(?:its|their)\s+first\s+(?!of\b)", re.IGNORECASE)


def _contracted_lots(facts: SentenceFacts, drafts: list[Draft]) -> list[Draft]:
    """ "handed the first of Portugal's five aircraft ..., under a contract worth EUR 827 million": the first
    aircraft delivered, and the contract for all five, which carries the price."""
    found = []
    for draft in drafts:
        ordered = [c for c in draft.counts if c.ordered_lot and c.lot is not None]
        if draft.status == "delivered" and len(ordered) == 1 and len(draft.counts) == 1:
            # "took delivery of the first six of 24 helicopters": the delivery, and the order of 24
            found.append(
                replace(draft, status="signed", counts=[ItemCount(ordered[0].text, ordered[0].lot, False)])
            )
            draft.money = None  # a price belongs to the order, not to the part delivered
            continue
        if draft.money is None or draft.status != "delivered" or not LOT_CONTRACT.search(facts.text):
            continue
        lots = [c for c in draft.counts if c.lot is not None]
        if len(lots) == 1:
            whole = replace(draft, status="signed", counts=[ItemCount(lots[0].text, lots[0].lot, False)])
        elif FIRST_UNIT.search(facts.text):  # "took delivery of its first battery under a $375m contract"
            whole = replace(
                draft, status="signed", counts=[ItemCount(c.text, None, False) for c in draft.counts]
            )
        else:
            continue
        draft.money = None
        found.append(whole)
    return found


def _bought_for_another(
    facts: SentenceFacts, items: list[ItemMention], drafts: list[Draft], stop: int
) -> list[Draft]:
    """ "Germany has offered to buy two Patriot systems from the United States for Ukraine": the purchase,
    intended for Ukraine, and the buyer's gift to Ukraine."""
    if not items or not drafts:
        return []
    last = max(i.end for i in items)
    gifts = []
    for party in facts.parties:
        if party.start < last or party.end > stop or party.made_in or party.is_company:
            continue
        if not BENEFICIARY_BEFORE.search(facts.text, max(0, party.start - 12), party.start):
            continue
        for draft in drafts:
            if party.code in draft.recipients or party.code in draft.suppliers:
                continue
            draft.intended_for = [party.code]
            gift = replace(
                draft,
                suppliers=list(draft.recipients),
                org=None,
                recipients=[party.code],
                status="pledged",
                money=None,
                intended_for=[],
                counts=list(draft.counts),
            )
            gift.confidence = draft.confidence - 0.1
            gifts.append(gift)
        break
    return gifts


def _refuser_after(facts: SentenceFacts, trigger: TriggerHit) -> list[PartyMention]:
    """ "Doha asked to buy the F-35, and Washington has declined": the party that refuses was the one asked."""
    for later in facts.triggers:
        if later.start > trigger.end and later.frame == "refuse":
            subject, pronoun = subject_of(facts.text, facts.parties, later.start, trigger.end)
            return [] if pronoun else subject[:1]
    return []


APPROVED_APPOSITION = re.compile(
    r",\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?(?:request|sale|deal|purchase|order)s?\s+(?:that|which)?",
    re.IGNORECASE,
)


def _approver_in_apposition(facts: SentenceFacts, trigger: TriggerHit) -> list[PartyMention]:
    """ "bought 40 jets, a request that the US State Department approved": the approving state sells."""
    approvals = [t for t in facts.triggers if t.frame == "approve" and t.start > trigger.end]
    if not approvals:
        return []
    match = APPROVED_APPOSITION.search(facts.text, trigger.end, approvals[0].start)
    if not match:
        return []
    approver, pronoun = subject_of(facts.text, facts.parties, approvals[0].start, match.end())
    return [] if pronoun else approver[:1]


POSSESSIVE_AFTER = re.compile(r"^'s")


def _include_drafts(
    facts: SentenceFacts, trigger: TriggerHit, items: list[ItemMention], state: ArticleState, floor: int
) -> list[Draft]:
    if trigger.phrase.startswith("carr"):
        items = [
            i for i in items if i.start > trigger.end
        ]  # "the aircraft carried drones": the carrier is no deal
    if not items:
        return []
    subject, _ = subject_of(facts.text, facts.parties, trigger.start, floor)
    actor = [
        p
        for p in subject
        if p.kind not in {"demonym"} and not POSSESSIVE_AFTER.match(facts.text[p.end : p.end + 2])
    ]
    if actor and (
        PACKAGE_SUBJECT.search(facts.text, actor[-1].end, trigger.start)
        or PACKAGE_JUST_BEFORE.search(facts.text, actor[-1].end, trigger.start)
    ):
        actor = []  # "the ministry said the package included ...": the package, not the speaker, includes
    if actor:
        trig = TriggerHit(trigger.start, trigger.end, "give", "pledged", trigger.phrase)
        return _trigger_drafts(facts, trig, items, state, floor, len(facts.text))
    lead = facts.text[max(0, trigger.start - 80) : trigger.start]
    listing = (
        trigger.phrase in {"alongside", "the list"}
        or PACKAGE_NOUN.search(lead)
        or PACKAGE_OPENS.match(facts.text)  # "The contract, signed in Hanoi with ..., also covers"
    )
    if not listing and not any(i.end <= trigger.start for i in facts.items):
        return []
    base = _package_base(facts, state)
    if base is None:
        return []
    drafts = []
    by_category: dict[str, list[ItemMention]] = {}
    for item in items:
        by_category.setdefault(item.category, []).append(item)
    own_money = facts.money[0] if facts.money else None
    for category, group in by_category.items():
        draft = Draft(list(base.suppliers), base.org, list(base.recipients), category, base.status, facts)
        draft.counts = [count_for(facts, item) for item in group]
        draft.money = own_money or state.package_money or base.money
        draft.confidence = base.confidence - 0.05
        draft.package = base.package if base.package >= 0 else base.sentence.index
        drafts.append(draft)
    return drafts


def _package_base(facts: SentenceFacts, state: ArticleState) -> Draft | None:
    candidates = []
    if state.package and facts.index - state.package_sentence <= 2:
        candidates.append(state.package[0])
    if state.frame and facts.index - state.frame.sentence.index <= 2:
        candidates.append(state.frame)
    return max(candidates, key=lambda d: d.sentence.index) if candidates else None


INDUSTRY_SPENDING_AFTER = re.compile(
    r"\s*(?:[\w-]+\s+){0,2}?(?:joint[\s-]+venture|plant|factory|factories|production\s+line|investment|"
    r"expansion|shipyard)s?\b",
    re.IGNORECASE,
)


def _money_follows(facts: SentenceFacts, trigger: TriggerHit, stop: int) -> bool:
    """A sum is the object of the trigger: named in its clause with no item before it."""
    money = [m for m in facts.money if trigger.end <= m.start < min(stop, trigger.end + 30)]
    if not money or PRICE_OF_A_SALE.match(facts.text[money[0].end : money[0].end + 30]):
        return False
    if INDUSTRY_SPENDING_AFTER.match(facts.text, money[0].end):
        return False  # "approved a 500 million-euro joint venture": an industrial investment, not aid
    return not [i for i in facts.items if trigger.end <= i.start < money[0].start]


def _money_only_drafts(
    facts: SentenceFacts, trigger: TriggerHit, state: ArticleState, floor: int, stop: int
) -> list[Draft]:
    if has_cue("capacity", facts.text) or NOT_AID_MONEY.search(facts.text):
        return []
    if trigger.phrase.startswith(("export", "sell", "sold")):
        return []  # "exported goods worth EUR 1 billion last year": trade figures, not aid money
    if PACKAGE_OPENS.match(facts.text) and VALUE_WORDS.search(facts.text):
        return []  # "The order, which the council approved, is worth ...": the price of a deal already told
    money = [m for m in facts.money if m.start >= trigger.start and m.start < stop] or facts.money
    if not money:
        return []
    aid = ItemMention(money[0].start, money[0].end, "financial_aid", "financial aid", False)
    subject, carried = resolve_subject(facts, trigger, state, floor)
    contributor = _contributor(facts, trigger, floor) if not subject and trigger.frame == "give" else []
    subject = contributor or subject  # "The Dutch share, EUR 250 million, will pay for"
    if state.scheme_leader is not None and SCHEME_SUBJECT.search(facts.text, floor, trigger.start):
        subject, carried = [state.scheme_leader], False  # "The scheme delivered": its leading state acts
    suppliers, recipients, confidence = frame_roles(facts, trigger, subject, state, stop)
    if carried and {p.code for p in suppliers} & {p.code for p in recipients}:
        suppliers = []
    if trigger.phrase.startswith("spen") and not recipients:
        return []  # "will spend 2% of output on defence": a budget, not aid to anyone
    suppliers, recipients, confidence = fill_missing(
        suppliers, recipients, [aid], state, facts, confidence - 0.1
    )
    if not suppliers or not recipients:
        return []
    drafts = build_drafts(
        facts, trigger, [aid], suppliers, recipients, trigger.status or "pledged", confidence, state
    )
    for draft in drafts:
        draft.money = money[0]
        draft.intended_for = _beneficiary_after(facts, money[0].end, draft.recipients)
    return drafts


FOR_AT_END = re.compile(r"\bfor\s+(?:the\s+)?$")


def _beneficiary_after(facts: SentenceFacts, start: int, recipients: list[str]) -> list[str]:
    """ "150 million euros to a Czech-led initiative to buy shells for Ukraine": money passing through."""
    for party in facts.parties:
        if party.start >= start and party.code not in recipients and not party.made_in:
            if FOR_AT_END.search(facts.text[max(0, party.start - 12) : party.start]):
                return [party.code]
    return []
