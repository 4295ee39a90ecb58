"""The database itself refuses records an analyst could not trust."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from deals.models import Article, Category, Currency, Deal, DealParty, Evidence, Party, Role
from deals.services import deal_refresh_aggregates, usd_value
from tests.factories import ArticleFactory, DealFactory, make_deal

pytestmark = pytest.mark.django_db


def assert_refused(create):
    """The write fails at the database, including deferred foreign-key checks."""
    with pytest.raises(IntegrityError), transaction.atomic():
        create()
        connection.check_constraints()


def test_negative_quantity_is_refused():
    assert_refused(lambda: DealFactory(quantity=-5))


def test_zero_quantity_is_refused():
    assert_refused(lambda: DealFactory(quantity=0))


def test_quantity_without_qualifier_is_refused():
    assert_refused(lambda: DealFactory(quantity=10, quantity_qualifier=""))


def test_unknown_currency_is_refused():
    assert_refused(lambda: DealFactory(value=Decimal("1000"), currency_id="XQZ"))


def test_value_without_currency_is_refused():
    assert_refused(lambda: DealFactory(value=Decimal("1000"), currency=None))


def test_confidence_outside_unit_range_is_refused():
    assert_refused(lambda: DealFactory(confidence=1.5))


def test_evidence_pointing_at_no_article_is_refused():
    deal = DealFactory()
    assert_refused(
        lambda: Evidence.objects.create(
            deal=deal,
            article_id=987654321,
            sentence="x",
            start=0,
            end=1,
            status="signed",
            extractor_version="t",
        )
    )


def test_evidence_with_an_empty_span_is_refused():
    deal, article = DealFactory(), ArticleFactory()
    assert_refused(
        lambda: Evidence.objects.create(
            deal=deal, article=article, sentence="x", start=5, end=5, status="signed", extractor_version="t"
        )
    )


def test_two_articles_with_one_content_hash_are_refused():
    article = ArticleFactory()
    assert_refused(lambda: ArticleFactory(text="other", content_hash=article.content_hash))


def test_two_articles_with_one_canonical_url_are_refused_but_blank_urls_are_not():
    ArticleFactory(canonical_url="https://a.example/x")
    assert_refused(lambda: ArticleFactory(canonical_url="https://a.example/x"))
    ArticleFactory(url="", canonical_url="")
    ArticleFactory(url="", canonical_url="")
    assert Article.objects.filter(canonical_url="").count() == 2


def test_a_party_in_the_same_role_twice_is_refused():
    deal = DealFactory()
    DealParty.objects.create(deal=deal, party=Party.objects.get(code="KR"), role=Role.SUPPLIER)
    assert_refused(
        lambda: DealParty.objects.create(deal=deal, party=Party.objects.get(code="KR"), role=Role.SUPPLIER)
    )


def test_a_state_code_must_be_two_capital_letters():
    assert_refused(lambda: Party.objects.create(code="usa", name="Bad", kind="state"))


def test_report_dates_out_of_order_are_refused():
    assert_refused(
        lambda: DealFactory(first_reported=datetime.date(2024, 5, 1), last_reported=datetime.date(2024, 1, 1))
    )


def test_seeds_hold_every_un_member_state_kosovo_and_the_blocs():
    from deals.reference import UN_MEMBERS

    assert len(UN_MEMBERS) == 193
    seeded = set(Party.objects.filter(un_member=True).values_list("code", flat=True))
    assert seeded == UN_MEMBERS
    assert Party.objects.get(code="XK").kind == "state"
    assert Party.objects.get(code="EU").kind == "bloc"
    assert Party.objects.get(code="NATO").kind == "bloc"
    assert Party.objects.get(code="KR").name == "South Korea"


CONTRACT_CATEGORIES = {
    "artillery_ammunition", "small_arms_ammunition", "tank_ammunition", "ammunition_other",
    "rockets_missiles", "air_defense", "anti_tank", "artillery_systems", "armored_vehicles",
    "aircraft", "helicopters", "drones", "naval", "small_arms", "mines_explosives",
    "radars_sensors", "military_equipment_other", "non_lethal_equipment", "financial_aid",
    "humanitarian_aid",
}  # fmt: skip


def test_seeds_hold_every_contract_category_as_a_leaf_under_a_group():
    leaves = Category.objects.leaves()
    assert set(leaves.values_list("slug", flat=True)) == CONTRACT_CATEGORIES
    assert all(leaf.parent.parent_id is None for leaf in leaves.select_related("parent"))
    assert Category.objects.groups().count() == 6


def test_seeds_hold_iso_currencies_and_yearly_rates():
    assert Currency.objects.filter(code__in=["USD", "EUR", "GBP", "KRW", "INR", "AUD", "CAD"]).count() == 7
    assert usd_value(Decimal("2000000000000"), "KRW", 2023) == Decimal("1531393568.15")


def test_usd_value_uses_the_nearest_earlier_year_when_the_year_is_missing():
    assert usd_value(Decimal("100"), "EUR", 2030) == usd_value(Decimal("100"), "EUR", 2025)
    assert usd_value(Decimal("100"), "USD", None) == Decimal("100")
    assert usd_value(None, "EUR", 2024) is None


def test_aggregates_count_a_syndicated_copy_as_one_outlet():
    deal = make_deal("KR", "PL")
    first = deal.evidence.get().article
    copy = ArticleFactory(syndicated_from=first)
    other = ArticleFactory(published=datetime.date(2024, 6, 1))
    for article in (copy, other):
        Evidence.objects.create(
            deal=deal, article=article, sentence="s", start=0, end=1, status="signed", extractor_version="t"
        )
    deal_refresh_aggregates(deal=deal)
    deal.refresh_from_db()
    assert (deal.source_count, deal.outlet_count) == (3, 2)
    assert deal.last_reported == datetime.date(2024, 6, 1)


def test_live_deals_leave_out_those_merged_away():
    kept, merged = make_deal("KR", "PL"), make_deal("KR", "PL")
    Deal.objects.filter(pk=merged.pk).update(merged_into=kept)
    assert list(Deal.objects.live()) == [kept]


def test_recomputing_usd_values_corrects_stale_figures_and_marks_the_deals_updated():
    from deals.services import recompute_usd_values

    deal = make_deal("DE", "UA", value=Decimal("100000000"), currency_id="EUR", first_reported=datetime.date(2023, 5, 1))
    untouched = make_deal("FR", "UA", value=Decimal("5000000"), currency_id="EUR", first_reported=datetime.date(2023, 5, 1))
    Deal.objects.filter(pk__in=[deal.pk, untouched.pk]).update(value_usd=None)
    recompute_usd_values()
    untouched.refresh_from_db()
    stale_since = untouched.updated_at
    Deal.objects.filter(pk=deal.pk).update(value_usd=Decimal("1"))

    assert recompute_usd_values() == 1
    deal.refresh_from_db()
    untouched.refresh_from_db()
    assert deal.value_usd == usd_value(Decimal("100000000"), "EUR", 2023)
    assert deal.updated_at > stale_since
    assert untouched.updated_at == stale_since
