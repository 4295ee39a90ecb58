"""Reports that restate, qualify or complete deals told earlier in the article."""

from __future__ import annotations

import re

from .context import ArticleState, code_mention, recent_drafts
from .drafts import ANAPHOR, Draft
from .items import ItemMention
from .mentions import SentenceFacts
from .parties import PartyMention
from .roles import FROM_SUPPLIER, after_with_preposition
from .status import TriggerHit

SCHEME_NAME = re.compile(
    r"\b(?:package|packages|model|scheme|initiative|programme|program|mechanism)$", re.IGNORECASE
)


def without_scheme_names(drafts: list[Draft]) -> list[Draft]:
    """ "tanks and drones as part of a package worth DKK 4.2bn", "howitzers under the Danish model": the
    package or scheme names how the items are given, and its value is theirs."""
    goods = [d for d in drafts if d.category != "financial_aid"]
    if not goods:
        return drafts
    kept = []
    for draft in drafts:
        if draft.category == "financial_aid" and all(SCHEME_NAME.search(c.text) for c in draft.counts):
            for other in goods:
                if other.sentence is draft.sentence and other.money is None:
                    other.money = draft.money
            continue
        kept.append(draft)
    return kept


def lot_supplier(
    facts: SentenceFacts,
    trigger: TriggerHit,
    items: list[ItemMention],
    siblings: tuple[Draft, ...],
    stop: int,
) -> list[PartyMention]:
    """ "30 more jets from France, on top of the two dozen it ordered in 2015": the same seller as the new lot."""
    if after_with_preposition(facts.text, facts.parties, trigger.end, stop, FROM_SUPPLIER):
        return []
    categories = {i.category for i in items}
    same = [d for d in siblings if d.category in categories]
    return [code_mention(c, same[-1].org) for c in same[-1].suppliers] if same else []


DELIVERY_VERBS = ("deliver", "arriv", "land", "touch", "left", "sail", "ship", "hand", "receiv", "tak")
CONTRACTED = frozenset({"signed", "agreed", "approved"})


def scheduled_delivery(
    state: ArticleState,
    facts: SentenceFacts,
    trigger: TriggerHit,
    recipients: list[PartyMention],
    items: list[ItemMention],
) -> bool:
    """ "The jets will be delivered from 2028" after the order: the timetable of a signed deal, not a pledge."""
    if not trigger.phrase.startswith(DELIVERY_VERBS):
        return False
    codes = {p.code for p in recipients}
    categories = {i.category for i in items}
    referring = all(not i.named and ANAPHOR.search(facts.text, max(0, i.start - 12), i.start) for i in items)
    return any(
        d.status in CONTRACTED and (d.category in categories or referring) and codes & set(d.recipients)
        for d in recent_drafts(state, facts.index, 3)
    )


def continued_allegation(
    state: ArticleState,
    facts: SentenceFacts,
    suppliers: list[PartyMention],
    recipients: list[PartyMention],
    status: str,
) -> str:
    """A further detail of a transfer the article just reported as alleged is alleged too."""
    if status not in {"delivered", "pledged", "announced"}:
        return status
    pair = ({p.code for p in suppliers}, {p.code for p in recipients})
    for draft in recent_drafts(state, facts.index, 3):
        if (
            draft.status in {"alleged", "denied"}
            and pair[0] & set(draft.suppliers)
            and pair[1] & set(draft.recipients)
        ):
            return "alleged"
    return status


def refused_offer(
    state: ArticleState, facts: SentenceFacts, suppliers: list[PartyMention], items: list[ItemMention]
) -> bool:
    """ "The Pentagon had offered the aircraft" after the offer was declined: the same offer, told again."""
    codes = {p.code for p in suppliers}
    categories = {i.category for i in items}
    return any(
        d.status in {"rejected", "cancelled"} and codes & set(d.suppliers) and d.category in categories
        for d in recent_drafts(state, facts.index, 3)
    )
