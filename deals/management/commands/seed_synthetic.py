"""Make a large, realistic synthetic data set for benchmarks: `manage.py seed_synthetic --deals N`.

Suppliers and recipients follow a Zipf-like skew (a few states account for most deals, as in the
real trade), every category appears, reports span ten years, and every deal has evidence sentences
in articles, sources and a status history. Rows are written with bulk_create in batches.
"""

import datetime
import hashlib
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from deals.models import (
    Article,
    Category,
    Deal,
    DealParty,
    Evidence,
    ExchangeRate,
    Financing,
    Party,
    ReviewState,
    Role,
    SourceKind,
    Status,
    StatusChange,
)

# Largest first: the head of each skewed distribution.
TOP_SUPPLIERS = ["US", "RU", "FR", "CN", "DE", "IT", "GB", "ES", "IL", "KR", "TR", "NL", "SE", "UA", "PL"]
TOP_RECIPIENTS = ["UA", "IN", "SA", "QA", "EG", "PL", "JP", "AU", "PK", "KR", "AE", "US", "GB", "IL", "TW"]
ITEMS = ["shells", "missiles", "rifles", "vehicles", "systems", "rounds", "launchers", "units", "kits"]
STATUS_WEIGHTS = {
    Status.ANNOUNCED: 20,
    Status.SIGNED: 18,
    Status.DELIVERED: 16,
    Status.PLEDGED: 12,
    Status.APPROVED: 10,
    Status.AGREED: 8,
    Status.NEGOTIATING: 6,
    Status.REQUESTED: 5,
    Status.ALLEGED: 2,
    Status.DENIED: 1,
    Status.CANCELLED: 1,
    Status.REJECTED: 1,
}
REVIEW_WEIGHTS = {
    ReviewState.UNREVIEWED: 60,
    ReviewState.CONFIRMED: 30,
    ReviewState.EDITED: 8,
    ReviewState.REJECTED: 2,
}
CURRENCY_WEIGHTS = {"USD": 70, "EUR": 20, "GBP": 6, "KRW": 4}
YEARS = 10
MERGED_SHARE = 0.01
REPORT_GAP_DAYS = 20
JITTER_DAYS = 15


def zipf_weights(count: int, exponent: float = 1.1) -> list[float]:
    return [1 / (rank**exponent) for rank in range(1, count + 1)]


def ranked(codes: list[str], head: list[str]) -> list[str]:
    """The head codes first (where they exist), then the rest in a fixed shuffled order."""
    present = [code for code in head if code in codes]
    tail = sorted(set(codes) - set(present))
    random.Random(7).shuffle(tail)
    return present + tail


@dataclass
class World:
    """Reference data the generator draws from, loaded once."""

    parties: dict[str, Party]
    suppliers: list[str]
    supplier_weights: list[float]
    recipients: list[str]
    recipient_weights: list[float]
    categories: list[Category]
    category_weights: list[float]
    rates: dict[tuple[str, int], Decimal]
    run: str
    total: int = 0
    today: datetime.date = field(default_factory=datetime.date.today)

    @classmethod
    def load(cls) -> "World":
        parties = {p.code: p for p in Party.objects.filter(kind="state")}
        codes = list(parties)
        suppliers, recipients = ranked(codes, TOP_SUPPLIERS), ranked(codes, TOP_RECIPIENTS)
        categories = list(Category.objects.leaves().order_by("position"))
        rates = {(r.currency_id, r.year): r.units_per_usd for r in ExchangeRate.objects.all()}
        run = str((Article.objects.aggregate(m=Max("id"))["m"] or 0) + 1)
        return cls(
            parties=parties,
            suppliers=suppliers,
            supplier_weights=zipf_weights(len(suppliers)),
            recipients=recipients,
            recipient_weights=zipf_weights(len(recipients)),
            categories=categories,
            # Skewed, but no category so rare that a small run misses it (see the round-robin below).
            category_weights=zipf_weights(len(categories), exponent=0.6),
            rates=rates,
            run=run,
        )

    def usd(self, value: Decimal, currency: str, year: int) -> Decimal | None:
        if currency == "USD":
            return value
        rate = self.rates.get((currency, year)) or self.rates.get((currency, year - 1))
        return (value / rate).quantize(Decimal("0.01")) if rate else None


@dataclass
class DealDraft:
    deal: Deal
    suppliers: list[str]
    recipient: str
    sentences: list[str]
    articles: list[int] = field(default_factory=list)


class Command(BaseCommand):
    help = "Create N synthetic deals with parties, articles, evidence and status history."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--deals", type=int, default=10_000, help="How many deals to create")
        parser.add_argument("--batch-size", type=int, default=5_000, help="Deals per transaction")
        parser.add_argument("--seed", type=int, default=1, help="Random seed, for repeatable data")

    def handle(self, *args, deals: int, batch_size: int, seed: int, **options) -> None:
        world = World.load()
        world.total = deals
        rng = random.Random(seed)
        started = time.monotonic()
        made = 0
        while made < deals:
            size = min(batch_size, deals - made)
            with transaction.atomic():
                write_batch(world, rng, size, offset=made)
            made += size
            elapsed = time.monotonic() - started
            self.stdout.write(f"{made} deals in {elapsed:.1f} s")
        self.stdout.write(self.style.SUCCESS(f"Created {made} deals in {time.monotonic() - started:.1f} s"))


def write_batch(world: World, rng: random.Random, size: int, *, offset: int) -> None:
    drafts = [draft_deal(world, rng, offset + i) for i in range(size)]
    articles = write_articles(world, rng, drafts, offset)
    for draft in drafts:
        take_dates_from_sources(draft, articles)
    Deal.objects.bulk_create([d.deal for d in drafts])
    write_parties(world, drafts)
    write_evidence(drafts, articles)
    mark_merged(rng, drafts)


def draft_deal(world: World, rng: random.Random, index: int) -> DealDraft:
    # Round-robin over categories for the first deals, so every category appears in any run.
    if index < len(world.categories):
        category = world.categories[index]
    else:
        category = rng.choices(world.categories, world.category_weights)[0]
    suppliers = rng.choices(world.suppliers, world.supplier_weights, k=2 if rng.random() < 0.05 else 1)
    suppliers = list(dict.fromkeys(suppliers))
    recipient = rng.choices(world.recipients, world.recipient_weights)[0]
    if recipient in suppliers:
        recipient = next(code for code in world.recipients if code not in suppliers)
    first = report_date(world, rng, index)
    item = f"{category.name.split()[0]} {rng.choice(ITEMS)}"
    quantity = int(rng.paretovariate(1.2) * 10) if rng.random() < 0.8 else None
    status = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
    deal = Deal(
        category=category,
        item=item,
        quantity=quantity,
        quantity_qualifier="exact" if quantity else "",
        status=status,
        financing=rng.choice(Financing.values),
        review_state=rng.choices(list(REVIEW_WEIGHTS), list(REVIEW_WEIGHTS.values()))[0],
        first_reported=first,
        last_reported=first,
        confidence=round(rng.uniform(0.3, 0.99), 2),
        merge_key=f"{'+'.join(suppliers)}>{recipient}:{category.slug}:{first.year}:{index}",
    )
    if rng.random() < 0.6:
        set_value(world, rng, deal)
    sources = min(1 + int(rng.expovariate(1.2)), 5)
    names = " and ".join(world.parties[code].name for code in suppliers)
    what = f"{quantity} {item}" if quantity else item
    sentences = [
        f"{names} {verb(status)} {what} for {world.parties[recipient].name}, report {n + 1} said."
        for n in range(sources)
    ]
    return DealDraft(deal=deal, suppliers=suppliers, recipient=recipient, sentences=sentences)


def report_date(world: World, rng: random.Random, index: int) -> datetime.date:
    """Dates advance with the index, as ids do when news is read as it comes, with some jitter."""
    span = YEARS * 365
    day = int(span * index / max(world.total, 1)) + rng.randint(-JITTER_DAYS, JITTER_DAYS)
    return world.today - datetime.timedelta(days=span - min(max(day, 0), span))


def verb(status: str) -> str:
    return {"delivered": "delivered", "pledged": "pledged", "requested": "was asked for"}.get(
        status, f"{status} a deal on"
    )


def set_value(world: World, rng: random.Random, deal: Deal) -> None:
    currency = rng.choices(list(CURRENCY_WEIGHTS), list(CURRENCY_WEIGHTS.values()))[0]
    value = Decimal(int(rng.lognormvariate(17, 2.0))).quantize(Decimal("1")) + 1
    if currency == "KRW":
        value *= 1000
    deal.value, deal.currency_id, deal.value_qualifier = value, currency, "about"
    deal.value_usd = world.usd(value, currency, deal.first_reported.year)


def write_articles(world: World, rng: random.Random, drafts: list[DealDraft], offset: int) -> list[Article]:
    """Articles whose text holds the evidence sentences; about two sentences from different deals each."""
    # Report n of a deal comes some weeks after its first; pairing neighbours in time keeps dates close.
    slots = sorted(
        (min(world.today, draft.deal.first_reported + datetime.timedelta(days=REPORT_GAP_DAYS * n)), i, n)
        for i, draft in enumerate(drafts)
        for n in range(len(draft.sentences))
    )
    articles = []
    for number, group in enumerate(neighbours(slots)):
        pair = [(drafts[i], n) for _, i, n in group]
        published = group[-1][0]
        text = " ".join(d.sentences[n] for d, n in pair)
        serial = f"{world.run}-{offset}-{number}"
        article = Article(
            url=f"https://news.example.org/{published:%Y/%m}/{serial}",
            canonical_url=f"https://news.example.org/{published:%Y/%m}/{serial}",
            publisher=f"outlet{rng.randrange(40)}.example.org",
            title=pair[0][0].sentences[0][:120],
            published=published,
            text=text,
            language="en",
            content_hash=hashlib.sha256(f"{serial}:{text}".encode()).hexdigest(),
            source_kind=SourceKind.URL,
            fetched_at=timezone.now(),
        )
        articles.append(article)
        for draft, _ in pair:
            draft.articles.append(len(articles) - 1)
    return Article.objects.bulk_create(articles)


def neighbours(slots: list[tuple]) -> Iterator[list[tuple]]:
    """Consecutive slots two by two, except that one deal's reports never share an article."""
    index = 0
    while index < len(slots):
        group = slots[index : index + 2]
        if len(group) == 2 and group[0][1] == group[1][1]:
            group = group[:1]
        index += len(group)
        yield group


def write_parties(world: World, drafts: list[DealDraft]) -> None:
    links = []
    for draft in drafts:
        for position, code in enumerate(draft.suppliers):
            links.append(
                DealParty(deal=draft.deal, party=world.parties[code], role=Role.SUPPLIER, position=position)
            )
        links.append(DealParty(deal=draft.deal, party=world.parties[draft.recipient], role=Role.RECIPIENT))
    DealParty.objects.bulk_create(links)


def take_dates_from_sources(draft: DealDraft, articles: list[Article]) -> None:
    dates = sorted(articles[i].published for i in draft.articles)
    draft.deal.source_count = draft.deal.outlet_count = len(set(draft.articles))
    draft.deal.first_reported, draft.deal.last_reported = dates[0], dates[-1]


def write_evidence(drafts: list[DealDraft], articles: list[Article]) -> None:
    evidence = []
    for draft in drafts:
        for sentence, article in zip(draft.sentences, draft.articles, strict=True):
            source = articles[article]
            start = source.text.index(sentence)
            evidence.append(
                Evidence(
                    deal=draft.deal,
                    article=source,
                    sentence=sentence,
                    start=start,
                    end=start + len(sentence),
                    status=draft.deal.status,
                    item=draft.deal.item,
                    quantity=draft.deal.quantity,
                    quantity_qualifier=draft.deal.quantity_qualifier,
                    confidence=draft.deal.confidence,
                    extractor_version="synthetic",
                )
            )
    Evidence.objects.bulk_create(evidence)
    StatusChange.objects.bulk_create(
        StatusChange(deal=item.deal, status=item.status, reported_on=item.article.published, evidence=item)
        for item in evidence
    )


def mark_merged(rng: random.Random, drafts: list[DealDraft]) -> None:
    """A few deals turn out to repeat another of the batch: they become tombstones pointing at it."""
    merged = [draft.deal.pk for draft in drafts[1:] if rng.random() < MERGED_SHARE]
    Deal.objects.filter(pk__in=merged).update(merged_into=drafts[0].deal, removed_at=timezone.now())
