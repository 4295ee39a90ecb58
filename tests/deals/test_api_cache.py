"""Cached API pages: served again while nothing changed, never after a write, never across access levels."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from rest_framework.permissions import IsAuthenticated
from rest_framework.test import APIClient

from deals import review
from deals.api import caching
from deals.api.views import DealListView
from deals.models import Deal, Evidence, Party, ReviewState, Role, StatusChange
from tests.factories import ArticleFactory, add_party, make_deal

pytestmark = pytest.mark.django_db

DEALS = "/api/v1/deals/"


@pytest.fixture
def client():
    return APIClient()


@pytest.fixture
def viewer(django_user_model):
    user = django_user_model.objects.create_user("viewer", password="viewer-pass-123")
    user.groups.add(Group.objects.get(name="viewers"))
    return user


def signed_in(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def items(response) -> list[str]:
    return [row["item"] for row in response.json()["results"]]


def test_the_same_page_twice_is_served_from_the_cache_after_one_query(client, django_assert_num_queries):
    make_deal("US", "UA", item="Patriot batteries")
    first = client.get(DEALS, {"supplier": "US"})

    with django_assert_num_queries(1):  # the data version
        second = client.get(DEALS, {"supplier": "US"})

    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert items(second) == ["Patriot batteries"]


def test_parameters_in_another_order_share_an_entry_and_other_filters_do_not(client):
    make_deal("US", "UA")
    client.get(DEALS, {"supplier": "US", "recipient": "UA"})

    assert client.get(f"{DEALS}?recipient=UA&supplier=US")["X-Cache"] == "hit"
    assert client.get(DEALS, {"supplier": "US"})["X-Cache"] == "miss"


def test_a_save_through_the_orm_is_seen_by_the_next_request(client):
    deal = make_deal(item="Leopard tanks")
    assert items(client.get(DEALS)) == ["Leopard tanks"]

    deal.item = "Leopard 2A6 tanks"
    deal.save()

    response = client.get(DEALS)
    assert response["X-Cache"] == "miss"
    assert items(response) == ["Leopard 2A6 tanks"]


def test_a_bulk_update_that_sets_updated_at_is_seen(client):
    deals = [make_deal(status="announced") for _ in range(3)]
    client.get(DEALS)

    Deal.objects.filter(pk__in=[deal.pk for deal in deals]).update(status="signed", updated_at=timezone.now())

    assert {row["status"] for row in client.get(DEALS).json()["results"]} == {"signed"}


def test_a_write_committed_after_a_newer_one_is_still_seen(client):
    # A long transaction stamps its rows when it writes them and may commit after a shorter one:
    # its updated_at is then older than the newest, which alone would not move.
    newest, older = make_deal(item="newest"), make_deal(item="older")
    now = timezone.now()
    Deal.objects.filter(pk=newest.pk).update(updated_at=now + datetime.timedelta(minutes=1))
    client.get(DEALS)

    Deal.objects.filter(pk=older.pk).update(item="changed", updated_at=now - datetime.timedelta(minutes=1))

    assert "changed" in items(client.get(DEALS))


def test_confirming_and_rejecting_in_review_are_seen(client, analyst):
    deal = make_deal()
    client.get(DEALS)

    review.deal_confirm(deal=deal, user=analyst)
    assert client.get(DEALS).json()["results"][0]["review_state"] == ReviewState.CONFIRMED

    review.deal_reject(deal=deal, user=analyst, reason="duplicate report")
    assert client.get(DEALS).json()["results"][0]["review_state"] == ReviewState.REJECTED


def test_an_edit_in_review_is_seen(client, analyst):
    deal = make_deal(item="howitzers")
    client.get(DEALS)

    review.deal_edit(deal=deal, user=analyst, changes={"item": "M777 howitzers"})

    assert items(client.get(DEALS)) == ["M777 howitzers"]


def test_a_merge_in_review_removes_the_merged_deal_and_shows_the_kept_one_with_its_parties(client, analyst):
    keep = make_deal("KR", "PL")
    other = make_deal("KR", ["PL", "CZ"])
    assert len(client.get(DEALS).json()["results"]) == 2

    review.deal_merge(keep=keep, remove=other, user=analyst)

    [row] = client.get(DEALS).json()["results"]
    assert row["id"] == keep.pk
    assert sorted(row["recipients"]) == ["CZ", "PL"]


def test_a_split_in_review_adds_the_new_deal(client, analyst):
    deal = make_deal("US", "UA")
    moved = Evidence.objects.create(
        deal=deal,
        article=ArticleFactory(text="The US pledged 50 HIMARS to Ukraine. End."),
        sentence="The US pledged 50 HIMARS to Ukraine.",
        start=0,
        end=36,
        status="pledged",
        item="HIMARS",
        quantity=50,
        quantity_qualifier="exact",
        extractor_version="test",
    )
    StatusChange.objects.create(deal=deal, status="pledged", evidence=moved)
    client.get(DEALS)

    new_deal = review.deal_split(deal=deal, evidence_ids=[moved.pk], user=analyst)

    assert new_deal.pk in [row["id"] for row in client.get(DEALS).json()["results"]]


@pytest.mark.django_db(transaction=True)
def test_renaming_a_party_is_seen_although_no_deal_changed(client):
    make_deal("US", "UA")
    client.get(DEALS)

    party = Party.objects.get(code="UA")
    party.name = "Ukraine (renamed)"
    party.save()

    [row] = client.get(DEALS).json()["results"]
    assert {p["name"] for p in row["parties"] if p["code"] == "UA"} == {"Ukraine (renamed)"}


def test_deleting_a_deal_is_seen(client, django_capture_on_commit_callbacks):
    gone = make_deal(item="gone")
    make_deal(item="kept")
    client.get(DEALS)

    with django_capture_on_commit_callbacks(execute=True):
        gone.delete()

    assert items(client.get(DEALS)) == ["kept"]


def test_each_access_level_has_entries_of_its_own(client, viewer, analyst):
    make_deal()
    anonymous, viewing, analysing = client, signed_in(viewer), signed_in(analyst)

    assert [api.get(DEALS)["X-Cache"] for api in (anonymous, viewing, analysing)] == ["miss"] * 3
    assert [api.get(DEALS)["X-Cache"] for api in (anonymous, viewing, analysing)] == ["hit"] * 3


def test_a_cached_page_is_not_served_to_a_client_the_permissions_refuse(client, viewer, monkeypatch):
    make_deal()
    monkeypatch.setattr(DealListView, "permission_classes", [IsAuthenticated])
    assert signed_in(viewer).get(DEALS).status_code == 200

    assert client.get(DEALS).status_code in (401, 403)


def test_a_client_holding_the_current_page_gets_304_until_the_data_changes(client):
    deal = make_deal(item="rifles")
    first = client.get(DEALS)
    etag = first["ETag"]

    unchanged = client.get(DEALS, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged["ETag"] == etag

    deal.item = "carbines"
    deal.save()
    changed = client.get(DEALS, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert items(changed) == ["carbines"]


def test_pages_tell_clients_to_revalidate_and_vary_on_who_asks(client):
    make_deal()
    response = client.get(DEALS)

    assert response["Cache-Control"] == "private, no-cache"
    assert {"Accept", "Authorization", "Cookie"} <= {part.strip() for part in response["Vary"].split(",")}


def test_a_bad_filter_is_still_a_400_naming_the_field_every_time(client):
    for _ in range(2):
        response = client.get(DEALS, {"supplier": "United States"})
        assert response.status_code == 400
        assert "supplier" in response.json()


def test_csv_and_the_browsable_page_are_not_cached(client):
    make_deal()

    assert "X-Cache" not in client.get(DEALS, {"format": "csv"})
    assert "X-Cache" not in client.get(DEALS, headers={"Accept": "text/html"})


def test_cursor_pages_are_cached_and_invalidated_too(client):
    deal = make_deal(item="shells")
    client.get("/api/v1/deals/cursor/")
    assert client.get("/api/v1/deals/cursor/")["X-Cache"] == "hit"

    deal.item = "155 mm shells"
    deal.save()

    assert items(client.get("/api/v1/deals/cursor/")) == ["155 mm shells"]


def test_with_page_caching_off_every_request_reads_the_database(client, settings):
    settings.API_RESPONSE_CACHE_SECONDS = 0
    make_deal()

    responses = [client.get(DEALS) for _ in range(2)]

    assert all("X-Cache" not in response for response in responses)
    assert responses[0].json() == responses[1].json()


def test_after_a_bulk_import_pages_bypass_the_cache_until_the_changes_age(client, monkeypatch):
    monkeypatch.setattr(caching, "RECENT_LIMIT", 2)
    deals = [make_deal(item=f"item {n}") for n in range(3)]

    responses = [client.get(DEALS) for _ in range(2)]

    assert [response["X-Cache"] for response in responses] == ["bypass", "bypass"]
    assert sorted(items(responses[1])) == sorted(deal.item for deal in deals)


def test_a_client_holding_the_page_is_answered_304_after_one_query(client, django_assert_num_queries):
    make_deal()
    etag = client.get(DEALS)["ETag"]

    with django_assert_num_queries(1):  # the data version, not the page
        assert client.get(DEALS, headers={"If-None-Match": etag}).status_code == 304


@pytest.mark.django_db(transaction=True)
def test_many_role_writes_in_one_transaction_replace_the_token_once(monkeypatch):
    deal = make_deal("US", "UA")
    replaced = []
    monkeypatch.setattr(caching, "_replace_generation", lambda: replaced.append(True))

    with transaction.atomic():
        for code in ("PL", "CZ", "SK"):
            add_party(deal, code, Role.RECIPIENT)

    assert replaced == [True]
