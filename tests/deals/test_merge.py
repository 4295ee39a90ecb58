import datetime
from decimal import Decimal

import pytest

from deals.merging import deal_merge_candidate, party_for_company
from deals.models import Deal, Evidence, Party, PartyKind, Role, StatusChange
from tests.deals.reports import reported_deal
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def article_from(publisher: str, published=datetime.date(2024, 3, 1), **fields):
    return ArticleFactory(publisher=publisher, published=published, **fields)


def test_first_report_creates_a_deal_with_its_parties_evidence_and_status_change():
    article = article_from("alpha.example")

    deal, created = deal_merge_candidate(article=article, candidate=reported_deal(), extractor_version="t1")

    assert created
    assert (deal.codes(Role.SUPPLIER), deal.codes(Role.RECIPIENT)) == (["KR"], ["PL"])
    assert (deal.item, deal.quantity, deal.status) == ("K2 tanks", 180, "signed")
    evidence = deal.evidence.get()
    assert evidence.sentence.startswith("Poland signed a contract")
    assert evidence.reported["supplier"] == ["KR"]
    assert evidence.extractor_version == "t1"
    assert list(deal.status_changes.values_list("status", "reported_on")) == [("signed", article.published)]
    assert (deal.source_count, deal.outlet_count) == (1, 1)
    assert deal.merge_key == "armored_vehicles|KR|PL"


def test_three_outlets_reporting_one_deal_make_one_deal_with_three_sources():
    for publisher in ("alpha.example", "beta.example", "gamma.example"):
        deal_merge_candidate(article=article_from(publisher), candidate=reported_deal())

    deal = Deal.objects.get()
    assert deal.evidence.count() == 3
    assert (deal.source_count, deal.outlet_count) == (3, 3)


def test_wire_story_reprinted_by_three_sites_counts_as_one_independent_source():
    original = article_from("wire.example")
    copies = [article_from(f"site{n}.example", syndicated_from=original) for n in range(2)]
    for article in [original, *copies]:
        deal_merge_candidate(article=article, candidate=reported_deal())

    deal = Deal.objects.get()
    assert (deal.source_count, deal.outlet_count) == (3, 1)


def test_later_negotiating_report_never_undoes_signed_but_is_kept_in_the_history():
    deal_merge_candidate(
        article=article_from("alpha.example", datetime.date(2024, 3, 1)), candidate=reported_deal()
    )
    later = article_from("beta.example", datetime.date(2024, 4, 1))

    deal, created = deal_merge_candidate(article=later, candidate=reported_deal(status="negotiating"))

    assert not created
    assert deal.status == "signed"
    assert list(deal.status_changes.order_by("reported_on").values_list("status", flat=True)) == [
        "signed",
        "negotiating",
    ]


def test_deal_moves_along_its_lifecycle_as_reports_arrive():
    statuses = [("negotiating", 1), ("agreed", 2), ("signed", 3), ("delivered", 4)]
    for status, month in statuses:
        article = article_from(f"outlet{month}.example", datetime.date(2024, month, 1))
        deal, _ = deal_merge_candidate(article=article, candidate=reported_deal(status=status))

    assert Deal.objects.get().status == "delivered"
    assert StatusChange.objects.count() == 4


def test_disagreeing_figures_are_kept_per_source_and_the_deal_shows_the_most_specific():
    deal_merge_candidate(
        article=article_from("alpha.example"),
        candidate=reported_deal(
            quantity=200, quantity_qualifier="about", value=3e9, currency="USD", value_qualifier="about"
        ),
    )
    deal, _ = deal_merge_candidate(
        article=article_from("beta.example"),
        candidate=reported_deal(value=3.37e9, currency="USD", value_qualifier="about"),
    )

    assert (deal.quantity, deal.quantity_qualifier) == (180, "exact")
    assert deal.value == Decimal("3370000000.00")
    assert deal.value_usd == Decimal("3370000000.00")
    assert sorted(Evidence.objects.values_list("quantity", flat=True)) == [180, 200]
    assert sorted(Evidence.objects.values_list("value", flat=True)) == [
        Decimal("3000000000.00"),
        Decimal("3370000000.00"),
    ]


def test_fields_an_analyst_locked_are_never_overwritten():
    deal, _ = deal_merge_candidate(
        article=article_from("alpha.example"), candidate=reported_deal(quantity=None)
    )
    Deal.objects.filter(pk=deal.pk).update(
        quantity=150, quantity_qualifier="exact", status="agreed", locked_fields=["quantity", "status"]
    )

    deal, _ = deal_merge_candidate(
        article=article_from("beta.example"), candidate=reported_deal(quantity=180, status="delivered")
    )

    assert (deal.quantity, deal.status) == (150, "agreed")
    assert deal.evidence.count() == 2


def test_confirmed_deal_keeps_its_reviewed_figures_and_only_gains_evidence_and_history():
    deal, _ = deal_merge_candidate(article=article_from("alpha.example"), candidate=reported_deal())
    Deal.objects.filter(pk=deal.pk).update(review_state="confirmed")

    deal, _ = deal_merge_candidate(
        article=article_from("beta.example", datetime.date(2024, 5, 1)),
        candidate=reported_deal(status="delivered", value=3.37e9, currency="USD"),
    )

    assert (deal.status, deal.value, deal.source_count) == ("signed", None, 2)
    assert list(deal.status_changes.values_list("status", flat=True)) == ["signed", "delivered"]


def test_delivered_tranche_does_not_replace_the_ordered_quantity():
    deal_merge_candidate(article=article_from("alpha.example"), candidate=reported_deal())
    deal, _ = deal_merge_candidate(
        article=article_from("beta.example", datetime.date(2024, 6, 1)),
        candidate=reported_deal(quantity=10, status="delivered"),
    )

    assert (deal.quantity, deal.status) == (180, "delivered")
    assert deal.status_changes.get(status="delivered").quantity == 10


def test_reports_of_different_items_recipients_or_far_apart_in_time_stay_separate_deals():
    deal_merge_candidate(article=article_from("a.example"), candidate=reported_deal())
    deal_merge_candidate(article=article_from("b.example"), candidate=reported_deal(item="K9 howitzers"))
    deal_merge_candidate(article=article_from("c.example"), candidate=reported_deal(recipient=("RO",)))
    deal_merge_candidate(
        article=article_from("d.example", datetime.date(2027, 3, 1)), candidate=reported_deal()
    )

    assert Deal.objects.count() == 4


def test_filing_the_same_sentence_twice_changes_nothing():
    article = article_from("alpha.example")
    first, _ = deal_merge_candidate(article=article, candidate=reported_deal())

    again, created = deal_merge_candidate(article=article, candidate=reported_deal())

    assert (again.pk, created) == (first.pk, False)
    assert Evidence.objects.count() == 1
    assert StatusChange.objects.count() == 1


def test_report_that_omits_the_supplier_joins_the_deal_and_a_later_one_fills_it_in():
    deal, _ = deal_merge_candidate(article=article_from("a.example"), candidate=reported_deal(supplier=()))
    assert deal.codes(Role.SUPPLIER) == []

    joined, created = deal_merge_candidate(article=article_from("b.example"), candidate=reported_deal())

    assert (joined.pk, created) == (deal.pk, False)
    assert list(joined.roles.filter(role=Role.SUPPLIER).values_list("party__code", flat=True)) == ["KR"]
    assert joined.merge_key == "armored_vehicles|KR|PL"


def test_named_company_becomes_a_company_party_with_its_home_state_once():
    deal, _ = deal_merge_candidate(
        article=article_from("a.example"), candidate=reported_deal(supplier_org="Hyundai Rotem")
    )
    party_for_company(name="Hyundai Rotem", home_code="KR")

    company = Party.objects.get(code="hyundai-rotem")
    assert (company.kind, company.home_state.code, company.name) == (PartyKind.COMPANY, "KR", "Hyundai Rotem")
    assert deal.supplier_org == company
    assert Party.objects.filter(kind=PartyKind.COMPANY).count() == 1


def test_unknown_category_is_filed_under_other_equipment():
    deal, _ = deal_merge_candidate(
        article=article_from("a.example"), candidate=reported_deal(category="zeppelins")
    )

    assert deal.category.slug == "military_equipment_other"
