"""Turn the items of one trigger into draft deals: one per category (and per separately priced sale)."""

from __future__ import annotations

import re

from .context import ArticleState, main_subject
from .drafts import Draft, ItemCount, count_for
from .items import ItemMention
from .mentions import SentenceFacts
from .money import Money
from .numbers import Quantity
from .parties import PartyMention
from .roles import following_coordinated
from .status import TriggerHit, has_cue

BARE_AMMUNITION = frozenset({"ammunition", "munitions", "rounds"})


def with_known_ammunition(item: ItemMention, state: ArticleState, beside: str | None = None) -> ItemMention:
    """Bare "ammunition" in an article about shells is those shells; beside machine guns it is their rounds."""
    kind = beside or state.ammunition
    if item.category == "ammunition_other" and item.text.lower() in BARE_AMMUNITION and kind:
        return ItemMention(item.start, item.end, kind, item.text, item.named)
    return item


def build_drafts(
    facts: SentenceFacts,
    trigger: TriggerHit,
    items: list[ItemMention],
    suppliers: list[PartyMention],
    recipients: list[PartyMention],
    status: str,
    confidence: float,
    state: ArticleState,
) -> list[Draft]:
    """One draft per supplier and category (and per separately priced sale) for the items of a trigger."""
    by_category: dict[tuple[str, tuple[str, ...]], list[ItemMention]] = {}
    default_recipients = tuple(unique_codes(p.code for p in recipients))
    by_money: dict[tuple[str, tuple[str, ...]], Money | None] = {}
    for item in items:
        own = _item_recipient(facts, item)
        key = (item.category, own or default_recipients)
        money = _money_for(facts, [item])
        if key in by_money and by_money[key] is not money and money is not None and by_money[key] is not None:
            key = (item.category + "#" + str(item.start), key[1])  # a separately priced sale of the same kind
        elif item.start == item.end and key in by_category:
            key = (item.category + "#" + str(item.start), key[1])  # "ordered 24 in 2015 and another 30": two lots
        by_money.setdefault(key, money)
        by_category.setdefault(key, []).append(item)
    org = next((p.org for p in suppliers if p.org), None)
    drafts = []
    for supplier_code in unique_codes(p.code for p in suppliers):
        for (category, recipient_codes), group in by_category.items():
            if supplier_code in recipient_codes:
                continue
            category = category.split("#")[0]
            draft = Draft(
                [supplier_code], org, list(recipient_codes), category, status, facts, confidence=confidence
            )
            draft.counts = [count_for(facts, item) for item in group]
            draft.money = _money_for(facts, group)
            draft.continuation = facts.triggers[0].frame == "include" and facts.triggers[0].start < 20
            if all(not i.named for i in group):
                draft.confidence -= 0.1
                draft.summary = len(suppliers) > 1
            if status in {"alleged", "denied"}:
                draft.denied_by = _deniers(facts, [supplier_code], list(recipient_codes))
            share = _donor_share(facts, group, supplier_code) if len(suppliers) > 1 else None
            if share is not None:
                draft.counts = [ItemCount(group[0].text, share, False, named=group[0].named)]
            drafts.append(draft)
    return drafts


SHARE_FROM = re.compile(r"^\s+(?:of\s+them\s+|of\s+which\s+)?(?:came\s+|come\s+)?from\s+(?:the\s+)?$")


def _donor_share(facts: SentenceFacts, group: list[ItemMention], supplier_code: str) -> Quantity | None:
    """ "nine howitzers, five from Norwegian stocks and four from Danish ones": one donor's part of a joint lot."""
    last_item = max(i.end for i in group)
    for quantity in facts.quantities:
        if quantity.start < last_item:
            continue
        for party in facts.parties:
            if party.code == supplier_code and party.start > quantity.end:
                if SHARE_FROM.match(facts.text[quantity.end : party.start]):
                    return quantity
                break
    return None


TO_BEFORE_RECIPIENT = re.compile(r"^\s+to\s+(?:the\s+)?")


def _item_recipient(facts: SentenceFacts, item: ItemMention) -> tuple[str, ...]:
    """ "F-16s to Turkey and F-35s to Greece": a "to X" right after the item names its own recipient."""
    tail = facts.text[item.end : item.end + 30]
    match = TO_BEFORE_RECIPIENT.match(tail)
    if not match:
        return ()
    start = item.end + match.end()
    first = next((p for p in facts.parties if p.start == start and not p.made_in), None)
    if first is None:
        return ()
    # "tanks to Poland and Latvia": the whole coordinated list
    group = [first, *following_coordinated(facts.text, facts.parties, first, len(facts.text))]
    return tuple(unique_codes(p.code for p in group if not p.made_in))


def unique_codes(codes) -> list[str]:
    """Codes in first-seen order without repeats."""
    seen: list[str] = []
    for code in codes:
        if code not in seen:
            seen.append(code)
    return seen


def _money_for(facts: SentenceFacts, group: list[ItemMention]) -> Money | None:
    """The first amount after the item's clause, or the last amount before it."""
    if not facts.money:
        return None
    item = group[0]
    others = [i for i in facts.items if i.start > item.end]
    clause = NEW_CLAUSE.search(facts.text, item.end)
    limit = clause.start() if clause else len(facts.text)
    for money in facts.money:
        if RUNNING_TOTAL_BEFORE.search(facts.text, max(0, money.start - 60), money.start):
            continue  # "bringing the total to $60 billion" is no price of this deal
        if money.start >= limit:
            break  # "spend EUR 1bn on aid to Ukraine, while Norway will spend NOK 90bn": the next clause's sum
        if money.start >= item.end:
            blocked = [o for o in others if o.end <= money.start and o.category != item.category]
            if not blocked or all(_money_between(facts, item, o) for o in blocked):
                return money
            if len(facts.money) == 1 and WHOLE_DEAL_PRICE.search(
                facts.text[max(0, money.start - 40) : money.start]
            ):
                return money  # "a deal that also includes X and Y and is estimated to cost $2.5bn": the whole deal
            break
    before = [
        m
        for m in facts.money
        if m.end <= item.start and not RUNNING_TOTAL_BEFORE.search(facts.text, max(0, m.start - 60), m.start)
    ]
    return before[-1] if before else None


RUNNING_TOTAL_BEFORE = re.compile(
    r"\b(?:bringing|brings|brought|taking|takes|took|raising|raises|raised)\s+(?:[\w'-]+\s+){0,4}?"
    r"(?:total|tally|sum)\s+(?:[\w'-]+\s+){0,4}?to\s+"
    r"(?:about\s+|around\s+|some\s+|nearly\s+|more\s+than\s+|over\s+|almost\s+)?$",
    re.IGNORECASE,
)
NEW_CLAUSE = re.compile(r";|,\s+(?:while|whereas|but|although)\b", re.IGNORECASE)
WHOLE_DEAL_PRICE = re.compile(
    r"\b(?:estimated to cost|estimated at|valued at|total value of|total cost of|at a cost of|"
    r"(?:deal|package|sale|contract) (?:is |was )?worth)\s+(?:about|around|some|nearly|roughly|up to|more than)?\s*$",
    re.IGNORECASE,
)


def _money_between(facts: SentenceFacts, item: ItemMention, other: ItemMention) -> bool:
    return any(item.end <= m.start < other.start for m in facts.money)


def _deniers(facts: SentenceFacts, suppliers: list[str], recipients: list[str]) -> list[str]:
    if not has_cue("denial", facts.text):
        return []
    first = main_subject(facts)
    return [p.code for p in first if p.code in suppliers + recipients]
