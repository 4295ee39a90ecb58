"""A varied set of deals for page and browser tests: several suppliers, recipients, categories, months."""

import datetime
import itertools

from deals.models import Article, Deal, Evidence, ReviewState
from tests.factories import make_deal

SUPPLIERS = ["US", "DE", "FR", "GB", "KR", "PL"]
RECIPIENTS = ["UA", "PL", "TW", "IL", "EE", "LT"]
CATEGORIES = [
    "artillery_ammunition",
    "air_defense",
    "armored_vehicles",
    "drones",
    "small_arms",
    "financial_aid",
]
STATUSES = ["signed", "delivered", "pledged", "approved", "announced"]
ITEMS = [
    "155mm shells",
    "IRIS-T systems",
    "Leopard 2 tanks",
    "Switchblade drones",
    "rifles",
    "budget support",
]


def seed_deals(count: int) -> list[Deal]:
    """`count` deals cycling through parties, categories, statuses and months of 2023-2024."""
    deals = []
    combos = itertools.cycle(zip(SUPPLIERS, RECIPIENTS, CATEGORIES, ITEMS, strict=True))
    for index in range(count):
        supplier, recipient, category, item = next(combos)
        if supplier == recipient:
            recipient = "UA"
        reported = datetime.date(2023, 1, 15) + datetime.timedelta(days=23 * index)
        deal = make_deal(
            supplier,
            recipient,
            category=category,
            item=item,
            status=STATUSES[index % len(STATUSES)],
            quantity=10 * (index + 1),
            first_reported=reported,
            last_reported=reported,
            confidence=round(0.3 + (index % 7) / 10, 2),
            review_state=ReviewState.CONFIRMED if index % 4 == 0 else ReviewState.UNREVIEWED,
        )
        _tell_the_story(deal, supplier, recipient, item, reported)
        deals.append(deal)
    return deals


def _tell_the_story(deal: Deal, supplier: str, recipient: str, item: str, reported: datetime.date) -> None:
    """Give the deal's article a text that names its parties, with the evidence sentence inside it."""
    evidence = Evidence.objects.select_related("article").get(deal=deal)
    sentence = f"{supplier} agreed to send {deal.quantity} {item} to {recipient}, officials said."
    text = f"Defence ministers met on Tuesday.\n\n{sentence} Deliveries are due next year."
    start = text.index(sentence)
    Article.objects.filter(pk=evidence.article_id).update(
        text=text, published=reported, title=f"{supplier} to send {item} to {recipient}"
    )
    Evidence.objects.filter(pk=evidence.pk).update(sentence=sentence, start=start, end=start + len(sentence))
