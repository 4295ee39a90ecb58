"""Re-export and third-party-transfer permissions: who holds the weapons and where they would go."""

from __future__ import annotations

import re

from .building import build_drafts, unique_codes
from .context import ArticleState, recent_drafts
from .drafts import Draft, ItemCount
from .frames import resolve_subject
from .items import ItemMention
from .mentions import SentenceFacts
from .parties import PartyMention
from .status import TriggerHit

ONWARD_VERB = (
    r"(?:re-?export\w*|pass(?:es|ed|ing)?\s+on|transfer\w*|send|sending|give|giving|supply|supplying|"
    r"hand(?:ed|ing)?\s+(?:over|on)|donate|donating)"
)
HOLDER_BEFORE = re.compile(
    r"\b(?:let|lets|letting|allow|allows|allowed|allowing|permit|permits|permitted|permitting|"
    r"requests?\s+from|(?:one|another)\s+from|blocked|stopped|barred|prevented)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
ONWARD_AFTER = re.compile(rf"^\s+(?:to\s+|from\s+)?{ONWARD_VERB}\b", re.IGNORECASE)
TRANSFER_OF = re.compile(
    r"^\s+(?:the\s+)?(?:re-?export|onward transfer|transfer|handover|passing on)s?\s+of\b", re.IGNORECASE
)
TO_BEFORE = re.compile(r"\b(?:to|into)\s+(?:the\s+)?$", re.IGNORECASE)
FROM_BEFORE = re.compile(r"\bfrom\s+(?:the\s+)?$", re.IGNORECASE)


def permission_parties(
    facts: SentenceFacts, trigger: TriggerHit, stop: int
) -> tuple[PartyMention, PartyMention | None] | None:
    """The state holding the weapons and the final destination, when a trigger grants or refuses an onward transfer.

    "refused to let Denmark re-export vehicles to Ukraine", "approved the transfer of Hawks from Spain to
    Ukraine": the holder asks the state of origin, and the destination is the end user.
    """
    text = facts.text
    holder = None
    candidates = [p for p in facts.parties if trigger.start <= p.start < stop and not p.made_in]
    for party in candidates:
        lead = text[max(0, party.start - 25) : party.start]
        if ONWARD_AFTER.match(text[party.end : party.end + 40]) and HOLDER_BEFORE.search(lead):
            holder = party
            break
    if (
        holder is None
        and trigger.frame == "approve"
        and TRANSFER_OF.match(text[trigger.end : trigger.end + 40])
    ):
        holder = next(
            (p for p in candidates if FROM_BEFORE.search(text[max(0, p.start - 10) : p.start])), None
        )
    if holder is None:
        return None
    destination = next(
        (
            p
            for p in candidates
            if p.start > holder.end
            and p.code != holder.code
            and TO_BEFORE.search(text[max(0, p.start - 8) : p.start])
        ),
        None,
    )
    return holder, destination


ONWARD_PRONOUN = re.compile(
    r"^\s+(?:their|its|the|these|those)\s+(?:re-?exports?|transfers?|onward transfers?|handover)\b(?!\s+of\b)",
    re.IGNORECASE,
)


def approved_onward(
    facts: SentenceFacts, trigger: TriggerHit, state: ArticleState, floor: int
) -> list[Draft]:
    """ "Washington had to approve their re-export": the approval covers each onward transfer just reported."""
    subject, _ = resolve_subject(facts, trigger, state, floor)
    if not subject:
        return []
    approver = subject[0].code
    drafts = []
    for earlier in recent_drafts(state, facts.index, 4):
        if (
            earlier.status not in {"pledged", "delivered"}
            or approver in earlier.suppliers + earlier.recipients
            or (earlier.summary and not earlier.confirmed)  # a donor's unconfirmed share of a general list
        ):
            continue
        same = next(
            (d for d in drafts if d.category == earlier.category and d.end_user == earlier.recipients), None
        )
        named = {p.code for p in facts.parties}
        if same is not None and set(same.recipients + earlier.suppliers) <= named:
            # one approval addressed to several named holders is one deal ("telling Copenhagen and The Hague")
            same.recipients = unique_codes(same.recipients + earlier.suppliers)
            continue
        draft = Draft([approver], None, list(earlier.suppliers), earlier.category, "approved", facts)
        draft.counts = [ItemCount(c.text, None, False, named=c.named) for c in earlier.counts]
        draft.end_user = list(earlier.recipients)
        draft.confidence = earlier.confidence - 0.15
        drafts.append(draft)
    return drafts


PERMISSION_ASKED = re.compile(r"\b(?:permission|approval|consent|clearance|licen[cs]e)\b", re.IGNORECASE)


TO_AT_END = re.compile(r"\bto\s+(?:the\s+)?$")


def permission_request(
    facts: SentenceFacts,
    trigger: TriggerHit,
    items: list[ItemMention],
    suppliers: list[PartyMention],
    recipients: list[PartyMention],
    status: str,
    confidence: float,
    state: ArticleState,
    stop: int,
) -> list[Draft]:
    """ "asked the US for permission to send its Stingers to Ukraine": the holder asks the state of origin."""
    drafts = build_drafts(facts, trigger, items, suppliers, recipients, status, confidence, state)
    holder = unique_codes(p.code for p in recipients)
    involved = set(holder) | {p.code for p in suppliers}
    destination = next(
        (
            p.code
            for p in facts.parties
            if trigger.end <= p.start < stop
            and p.code not in involved
            and not p.made_in
            and TO_AT_END.search(facts.text[max(0, p.start - 8) : p.start])
        ),
        None,
    )
    for draft in drafts:
        draft.recipients = list(holder)
        draft.end_user = [destination] if destination else []
    return drafts
