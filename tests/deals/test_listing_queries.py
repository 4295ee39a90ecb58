"""The faster list queries give the same answers as the plain definitions of each filter and facet."""

import datetime

import pytest
from django.http import QueryDict

from deals import selectors
from deals.models import Category, Deal, DealParty, ReviewState, Role, Status
from tests.demo_data import seed_deals
from tests.factories import add_party, make_deal

pytestmark = pytest.mark.django_db

FILTER_MIXES = [
    "",
    "supplier=US",
    "status=delivered,signed",
    "category=air_defense",
    "category=ammunition&status=delivered",
    "category=vehicles_aircraft,air_defense&review_state=confirmed,unreviewed",
    "supplier=US&recipient=UA&review_state=confirmed",
    "country=UA&category=ammunition,air_defense&status=signed",
    "recipient=PL&date_from=2023-06-01&review_state=unreviewed",
    # Both party facets set: each counts the deals the other one leaves.
    "supplier=US&recipient=UA",
    "supplier=US,DE,FR&recipient=UA,PL&status=delivered,signed",
    "supplier=FR&recipient=UA",
    "country=UA&supplier=US&category=ammunition",
    "country=PL&recipient=PL&review_state=edited,confirmed",
    "category=ammunition,air_defense&status=signed&review_state=unreviewed&supplier=FR",
    "q=shells&recipient=UA",
    "date_to=2023-12-31&supplier=US,KR&category=air_defense",
    "supplier=NATO",
]


def plain_facet(params: QueryDict, facet: str) -> list[tuple[str, str, int]]:
    """A facet counted the slow, obvious way: every deal the other filters leave, one by one."""
    others = params.copy()
    others.pop(facet, None)
    counts: dict[tuple[str, str], int] = {}
    for deal in selectors.deal_list(params=others):
        if facet in ("supplier", "recipient"):
            keys = [(link.party.code, link.party.name) for link in deal.roles.all() if link.role == facet]
        elif facet == "category":
            keys = [(deal.category.slug, deal.category.name)]
        else:
            value = getattr(deal, facet)
            keys = [(value, dict(Deal._meta.get_field(facet).choices)[value])]
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    rows = [(value, label, n) for (value, label), n in counts.items()]
    return sorted(rows, key=lambda row: (-row[2], row[0]))


@pytest.fixture
def varied_deals():
    deals = seed_deals(36)
    # Two suppliers on one deal, and a second leaf of the ammunition group, so marginals are not trivial.
    make_deal(("US", "DE"), "UA", category="air_defense", status=Status.DELIVERED)
    make_deal("FR", "PL", category="tank_ammunition", review_state=ReviewState.EDITED, status=Status.SIGNED)
    # Two recipients, a party in another role, and a merged deal that no count may see.
    both = make_deal("FR", ("UA", "PL"), category="air_defense", status=Status.DELIVERED)
    add_party(both, "DE", Role.END_USER)
    merged = make_deal("US", "UA", category="air_defense", status=Status.DELIVERED)
    Deal.objects.filter(pk=merged.pk).update(merged_into=both)
    return deals


@pytest.mark.parametrize("query", FILTER_MIXES)
def test_facets_and_total_equal_counting_each_deal_one_by_one(varied_deals, query):
    params = QueryDict(query)
    facets, total = selectors.deal_facets_and_total(params=params, limit=1000)
    assert total == selectors.deal_list(params=params).count()
    for facet in selectors.FACETS:
        assert facets[facet] == plain_facet(params, facet), facet


def test_a_party_facet_keeps_the_most_frequent_parties_ties_by_code(varied_deals):
    facets, _ = selectors.deal_facets_and_total(params=QueryDict(""), limit=2)
    full, _ = selectors.deal_facets_and_total(params=QueryDict(""), limit=1000)
    for role in selectors.PARTY_FACETS:
        assert facets[role] == full[role][:2]
        assert len(full[role]) > 2


def test_with_both_party_filters_each_party_facet_obeys_the_other_one():
    make_deal("US", "UA")
    make_deal("US", "PL")
    make_deal("DE", "PL")
    make_deal("FR", ("UA", "PL"))
    facets, total = selectors.deal_facets_and_total(params=QueryDict("supplier=US&recipient=PL"))
    assert total == 1
    assert [(code, n) for code, _, n in facets["supplier"]] == [("DE", 1), ("FR", 1), ("US", 1)]
    assert [(code, n) for code, _, n in facets["recipient"]] == [("PL", 1), ("UA", 1)]


def test_a_group_category_filter_counts_the_deals_of_its_leaves(varied_deals):
    group = Category.objects.get(slug="ammunition")
    params = QueryDict(f"category={group.slug}")
    facets, total = selectors.deal_facets_and_total(params=params)
    leaves = Deal.objects.live().filter(category__parent=group)
    assert total == leaves.count() > 0
    assert sum(n for _, _, n in facets["status"]) == total


def reported(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def test_date_to_keeps_a_deal_whose_reports_run_long_after_the_date():
    long_running = make_deal(
        "US", "UA", first_reported=reported("2018-06-01"), last_reported=reported("2021-03-01")
    )
    make_deal("FR", "PL", first_reported=reported("2018-11-30"), last_reported=reported("2018-12-02"))
    later = make_deal("DE", "PL", first_reported=reported("2019-02-01"), last_reported=reported("2019-02-01"))
    listed = list(selectors.deal_list(params=QueryDict("date_to=2018-12-31")))
    assert long_running in listed
    assert later not in listed
    assert len(listed) == 2


def test_date_to_keeps_a_deal_with_a_first_report_and_no_last_one():
    unfinished = make_deal("US", "UA", first_reported=reported("2018-06-01"), last_reported=None)
    make_deal("FR", "PL", first_reported=reported("2018-11-30"), last_reported=reported("2019-05-02"))
    listed = list(selectors.deal_list(params=QueryDict("date_to=2018-12-31")))
    assert unfinished in listed
    assert len(listed) == 2


def test_api_count_with_date_to_counts_every_match(client):
    for day in range(1, 8):
        make_deal(
            "US", "UA", first_reported=datetime.date(2018, 3, day), last_reported=datetime.date(2020, 1, day)
        )
    make_deal("FR", "PL", first_reported=reported("2019-01-02"), last_reported=reported("2019-01-03"))
    body = client.get("/api/v1/deals/", {"date_to": "2018-12-31", "page_size": 3}).json()
    assert body["count"] == 7
    assert len(body["results"]) == 3
    assert DealParty.objects.filter(deal_id__in=[row["id"] for row in body["results"]]).exists()
