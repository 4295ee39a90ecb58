"""Status adjustments that depend on the article around a sentence (approvals, contracts, allegations)."""

from __future__ import annotations

import re

from .context import ArticleState
from .literals import ascii_lower, may_contain
from .mentions import SentenceFacts
from .parties import PartyMention
from .roles import introduced_by_preposition
from .status import TriggerHit, has_cue

SIGNED_CONTRACT = re.compile(
    r"\bunder\s+(?:a|an|the|its|their)\s+(?:[\w$€£₹.,-]+\s+){0,5}?(?:contract|deal|agreement)\s+"
    r"(?:(?:it|they|that|which)\s+)?(?:had\s+|has\s+|was\s+)?(?:signed|concluded|awarded|won|placed)\b",
    re.IGNORECASE,
)


WOULD_BEFORE = re.compile(r"\b(?:would|will)\s+(?:\w+\s+){0,2}$")


def continues_approval(
    trigger: TriggerHit, suppliers: list[PartyMention], state: ArticleState, status: str, trigger_lead: str
) -> bool:
    """ "Israel could also buy ...", "which Boeing would deliver": the details of an approved sale."""
    if status not in {"pledged", "announced"} or trigger.phrase in {
        "including",
        "includes",
        "include",
        "covers",
        "contains",
    }:
        return False
    if trigger.frame == "get":
        return True
    if trigger.frame != "give" or not WOULD_BEFORE.search(trigger_lead):
        return False
    approved = [d for d in state.package if d.status == "approved"] or ([state.frame] if state.frame else [])
    codes = {c for d in approved for c in d.suppliers}
    return trigger.frame == "give" and bool(suppliers) and all(p.code in codes for p in suppliers)


def in_approval_context(facts: SentenceFacts, state: ArticleState) -> bool:
    """True when a sale approval was reported in the last few sentences."""
    if state.package_status == "approved" and facts.index - state.package_sentence <= 3:
        return True
    frame = state.frame
    return bool(frame and frame.status == "approved" and facts.index - frame.sentence.index <= 3)


UNDER_THE_CONTRACT = re.compile(r"\b(?:under|in) the (?:\w+ )?(?:contract|agreement|deal)\b", re.IGNORECASE)


def contract_status(facts: SentenceFacts, state: ArticleState, trigger: TriggerHit, status: str) -> str:
    """ "Under the contract, X will supply ..." reports the stage of that contract, not a promise."""
    if status in {"pledged", "announced"} and SIGNED_CONTRACT.search(facts.text, trigger.end):
        return "signed"  # "will receive two corvettes under a contract signed in 2021"
    if (
        status != "pledged"
        or not may_contain(ascii_lower(facts.text), ("contract", "agreement", "deal"))
        or not UNDER_THE_CONTRACT.search(facts.text)
    ):
        return status
    frame = state.frame
    if frame and facts.index - frame.sentence.index <= 2 and frame.status in {"signed", "agreed", "approved"}:
        return frame.status
    return status


def allegation_status(facts: SentenceFacts, status: str, trigger: TriggerHit) -> str:
    """Turn a reported transfer into alleged or denied when the sentence says so."""
    if status not in {"delivered", "pledged", "signed", "announced", "agreed"}:
        return status
    if has_cue("allegation", facts.text):
        return "alleged"
    if has_cue("denial", facts.text):
        return "denied"
    if has_cue("report", facts.text[: trigger.start]):
        return "alleged"
    return status


SPEAKER_AFTER = re.compile(
    r"^(?:'s\s+(?:[\w-]+\s+){0,3}?|(?:\s+[a-z][\w-]*){1,2}\s+)?\s*(?:\w+ly\s+)?(?:said|says|told\s+[\w\s]{1,30}?|"
    r"claimed|claims|stated|"
    r"alleged|alleges|believes|concluded|assessed)\s+(?:on\s+\w+\s+)?(?:that\s+)?",
    re.IGNORECASE,
)


def third_party_claim(facts: SentenceFacts, trigger: TriggerHit, status: str, involved: set[str]) -> str:
    """ "The United States said Iran had delivered missiles to Russia": a transfer asserted by an outsider."""
    if status != "delivered":
        return status
    for party in facts.parties:
        if party.end > trigger.start:
            break
        if party.made_in or party.is_company or party.code in involved:
            continue
        match = SPEAKER_AFTER.match(facts.text[party.end : trigger.start])
        clause = party.end + match.end() if match else -1
        reported = [
            p
            for p in facts.parties
            if clause <= p.start < trigger.start and not introduced_by_preposition(facts.text, p)
        ]
        if match and reported and reported[0].code in involved and reported[0].start - clause <= 30:
            return "alleged"  # the reported clause opens with a party to the transfer
    return status


LICENCE = r"(?:export\s+)?(?:licen[cs]es?|permits?|authori[sz]ations?)\b"
LICENCE_GRANTED = re.compile(
    rf"\b(?:granted|grants|granting|approved|approves|issued|issues|gave|awarded)\s+(?:[\w-]+\s+){{0,4}}?{LICENCE}",
    re.IGNORECASE,
)
LICENCE_REFUSED = re.compile(
    rf"\b(?:refused|refuses|denied|denies|rejected|rejects|turned\s+down|withheld|blocked)\s+(?:[\w-]+\s+){{0,4}}?{LICENCE}",
    re.IGNORECASE,
)
LICENCE_REVOKED = re.compile(
    rf"\b(?:revoked|revokes|annulled|annuls|suspended|suspends|withdrew|withdrawn|cancelled|canceled)\s+"
    rf"(?:[\w-]+\s+){{0,4}}?{LICENCE}",
    re.IGNORECASE,
)
HALTED = re.compile(
    r"\b(?:stop|stops|stopped|halt|halts|halted|cease|ceases|ceased|end|ends|ended)\s+(?:all\s+|any\s+|further\s+)?$",
    re.IGNORECASE,
)


def licence_status(facts: SentenceFacts, trigger: TriggerHit, status: str) -> str:
    """An export licence granted is an approval, one refused a rejection, one revoked a cancellation;
    "must stop exporting" ends deliveries."""
    if trigger.frame not in {"give", "get", "approve"}:
        return status
    if trigger.frame == "give" and HALTED.search(facts.text, max(0, trigger.start - 20), trigger.start):
        return "cancelled"
    lead = facts.text[max(0, trigger.start - 80) : trigger.end + 40]
    if LICENCE_REFUSED.search(lead):
        return "rejected"
    if LICENCE_REVOKED.search(lead):
        return "cancelled"
    if LICENCE_GRANTED.search(lead):
        return "approved"
    return status
