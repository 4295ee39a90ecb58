"""Tiny factories for the records; reference data (parties, categories, currencies) comes from the seeds."""

import datetime
import hashlib

import factory

from deals.models import Article, Category, Deal, DealParty, Evidence, Party, Role, StatusChange


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Report {n}")
    url = factory.Sequence(lambda n: f"https://news.example.org/report-{n}")
    canonical_url = factory.SelfAttribute("url")
    publisher = "news.example.org"
    published = datetime.date(2024, 3, 1)
    text = factory.Sequence(lambda n: f"Poland signed a contract for 180 K2 tanks from South Korea. Report {n}.")
    content_hash = factory.LazyAttribute(lambda o: hashlib.sha256(o.text.encode()).hexdigest())
    language = "en"


class DealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deal

    category = factory.LazyFunction(lambda: Category.objects.get(slug="armored_vehicles"))
    item = "K2 tanks"
    quantity = 180
    quantity_qualifier = "exact"
    status = "signed"
    first_reported = datetime.date(2024, 3, 1)
    last_reported = datetime.date(2024, 3, 1)
    confidence = 0.8


def add_party(deal: Deal, code: str, role: str = Role.SUPPLIER, position: int = 0) -> DealParty:
    return DealParty.objects.create(deal=deal, party=Party.objects.get(code=code), role=role, position=position)


def make_deal(supplier="KR", recipient="PL", *, category="armored_vehicles", **fields) -> Deal:
    """A deal between two states, with one evidence sentence from a fresh article."""
    deal = DealFactory(category=Category.objects.get(slug=category), **fields)
    for code in [supplier] if isinstance(supplier, str) else supplier:
        add_party(deal, code, Role.SUPPLIER)
    for code in [recipient] if isinstance(recipient, str) else recipient:
        add_party(deal, code, Role.RECIPIENT)
    article = ArticleFactory()
    evidence = Evidence.objects.create(
        deal=deal,
        article=article,
        sentence=article.text.split(". ")[0] + ".",
        start=0,
        end=len(article.text.split(". ")[0]) + 1,
        status=deal.status,
        item=deal.item,
        quantity=deal.quantity,
        quantity_qualifier=deal.quantity_qualifier,
        extractor_version="test",
    )
    StatusChange.objects.create(deal=deal, status=deal.status, reported_on=article.published, evidence=evidence)
    Deal.objects.filter(pk=deal.pk).update(source_count=1, outlet_count=1)
    deal.refresh_from_db()
    return deal
