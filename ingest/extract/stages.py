"""Status adjustments that depend on the article around a sentence (approvals, contracts, allegations)."""

from __future__ import annotations

import re

from .context import ArticleState
from .mentions import SentenceFacts
from .parties import PartyMention
from .status import TriggerHit, has_cue


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
    if trigger.frame != "give" or not re.search(r"\b(?:would|will)\s+(?:\w+\s+){0,2}$", trigger_lead):
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


def contract_status(facts: SentenceFacts, state: ArticleState, trigger: TriggerHit, status: str) -> str:
    """ "Under the contract, X will supply ..." reports the stage of that contract, not a promise."""
    if status != "pledged" or not re.search(
        r"\b(?:under|in) the (?:\w+ )?(?:contract|agreement|deal)\b", facts.text, re.IGNORECASE
    ):
        return status
    frame = state.frame
    if frame and facts.index - frame.sentence.index <= 2 and frame.status in {"signed", "agreed", "approved"}:
        return frame.status
    return status


def allegation_status(facts: SentenceFacts, status: str, trigger: TriggerHit) -> str:
    """Turn a reported transfer into alleged or denied when the sentence says so."""
    if status not in {"delivered", "pledged", "signed", "announced"}:
        return status
    if has_cue("allegation", facts.text):
        return "alleged"
    if has_cue("denial", facts.text):
        return "denied"
    if has_cue("report", facts.text[: trigger.start]):
        return "alleged"
    return status
