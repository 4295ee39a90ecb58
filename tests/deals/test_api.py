"""The REST API: content, every filter, errors that name the field, access, CSV, cursors, tombstones."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.http import StreamingHttpResponse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.throttling import SimpleRateThrottle

from deals.api.serializers import DealSerializer
from deals.models import Deal, Party, ReviewState
from ingest.models import IngestJob
from tests.factories import ArticleFactory, make_deal

pytestmark = pytest.mark.django_db

API = "/api/v1"



@pytest.fixture
def client():
    return APIClient()


def token_client(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def csv_rows(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


# --- deals/ ---------------------------------------------------------------------------------------


def test_deal_list_shows_parties_in_their_roles_and_the_category_group(client):
    deal = make_deal("US", ["UA", "PL"], category="air_defense", item="Patriot batteries")

    [row] = client.get(f"{API}/deals/").json()["results"]

    assert row["id"] == deal.pk
    assert row["item"] == "Patriot batteries"
    assert row["suppliers"] == ["US"]
    assert sorted(row["recipients"]) == ["PL", "UA"]
    assert {(p["role"], p["code"]) for p in row["parties"]} == {
        ("supplier", "US"),
        ("recipient", "UA"),
        ("recipient", "PL"),
    }
    assert row["category"] == {"slug": "air_defense", "name": "Air defence", "group": "missiles_air_defence"}
    assert row["url"].endswith(f"/api/v1/deals/{deal.pk}/")


def test_list_rows_are_exactly_what_the_deal_serializer_writes(client):
    company = Party.objects.create(
        code="rheinmetall", name="Rheinmetall", kind="company", home_state=Party.objects.get(code="DE")
    )
    deal = make_deal(
        "DE",
        ["UA", "PL"],
        value=Decimal("1500000.50"),
        currency_id="EUR",
        value_qualifier="about",
        value_usd=Decimal("1650000.55"),
        supplier_org=company,
    )
    request = Request(APIRequestFactory().get("/api/v1/deals/"))
    expected = DealSerializer(Deal.objects.for_listing().get(pk=deal.pk), context={"request": request}).data

    [row] = client.get(f"{API}/deals/").json()["results"]

    assert row == json.loads(JSONRenderer().render(expected))
    assert row["supplier_org"] == "rheinmetall"
    assert row["value"] == "1500000.50"


def test_deal_list_is_newest_report_first_and_leaves_out_merged_deals(client):
    old = make_deal(last_reported=datetime.date(2023, 1, 5), first_reported=datetime.date(2023, 1, 5))
    new = make_deal(last_reported=datetime.date(2024, 6, 1))
    merged = make_deal()
    Deal.objects.filter(pk=merged.pk).update(merged_into=new)

    assert ids(client.get(f"{API}/deals/")) == [new.pk, old.pk]


@pytest.fixture
def assorted_deals():
    """Deals that differ in one respect each, named by what sets them apart."""
    return {
        "us_to_ua": make_deal(
            "US",
            "UA",
            category="air_defense",
            item="Patriot batteries",
            status="delivered",
            first_reported=datetime.date(2023, 2, 1),
            last_reported=datetime.date(2023, 3, 1),
            value_usd=Decimal("2500000000"),
        ),
        "kr_to_pl": make_deal(
            "KR",
            "PL",
            category="armored_vehicles",
            item="K2 tanks",
            status="signed",
            review_state=ReviewState.CONFIRMED,
            first_reported=datetime.date(2024, 5, 1),
            last_reported=datetime.date(2024, 6, 1),
            value_usd=Decimal("6000000000"),
        ),
        "fr_to_in": make_deal(
            "FR",
            "IN",
            category="aircraft",
            item="Rafale jets",
            status="pledged",
            first_reported=datetime.date(2022, 1, 10),
            last_reported=datetime.date(2022, 1, 10),
            value_usd=Decimal("100000"),
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("supplier=US", ["us_to_ua"]),
        ("supplier=kr,fr", ["kr_to_pl", "fr_to_in"]),
        ("recipient=PL", ["kr_to_pl"]),
        ("country=IN", ["fr_to_in"]),
        ("country=UA&country=PL", ["kr_to_pl", "us_to_ua"]),
        ("category=aircraft", ["fr_to_in"]),
        ("category=vehicles_aircraft", ["kr_to_pl", "fr_to_in"]),
        ("status=delivered,pledged", ["us_to_ua", "fr_to_in"]),
        ("review_state=confirmed", ["kr_to_pl"]),
        ("date_from=2023-01-01", ["kr_to_pl", "us_to_ua"]),
        ("date_to=2022-12-31", ["fr_to_in"]),
        ("value_min=1000000000", ["kr_to_pl", "us_to_ua"]),
        ("value_max=1000000", ["fr_to_in"]),
        ("q=patriot", ["us_to_ua"]),
        ("q=Poland", ["kr_to_pl"]),
        ("ordering=value", ["fr_to_in", "us_to_ua", "kr_to_pl"]),
        ("ordering=-first_reported", ["kr_to_pl", "us_to_ua", "fr_to_in"]),
    ],
)
def test_each_deal_filter_selects_the_matching_deals(client, assorted_deals, query, expected):
    response = client.get(f"{API}/deals/?{query}")

    assert response.status_code == 200
    assert ids(response) == [assorted_deals[name].pk for name in expected]


def test_updated_since_returns_only_deals_changed_after_the_time(client, assorted_deals):
    cutoff = timezone.now()
    Deal.objects.filter(pk=assorted_deals["fr_to_in"].pk).update(
        updated_at=cutoff + datetime.timedelta(seconds=5)
    )
    Deal.objects.exclude(pk=assorted_deals["fr_to_in"].pk).update(
        updated_at=cutoff - datetime.timedelta(days=1)
    )

    response = client.get(f"{API}/deals/", {"updated_since": cutoff.isoformat()})

    assert ids(response) == [assorted_deals["fr_to_in"].pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("date_from=garbage", "date_from"),
        ("date_to=2024-13-45", "date_to"),
        ("supplier=123", "supplier"),
        ("recipient=Poland!", "recipient"),
        ("country=toolong", "country"),
        ("category=nope", "category"),
        ("status=exploded", "status"),
        ("review_state=maybe", "review_state"),
        ("value_min=abc", "value_min"),
        ("value_max=1e999x", "value_max"),
        ("updated_since=yesterday", "updated_since"),
        ("ordering=bogus", "ordering"),
        ("q=" + "x" * 201, "q"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_field(client, query, field):
    response = client.get(f"{API}/deals/?{query}")

    assert response.status_code == 400
    assert field in response.json()


def test_page_size_is_honoured_and_capped(client):
    for _ in range(3):
        make_deal()

    assert len(client.get(f"{API}/deals/?page_size=2").json()["results"]) == 2
    assert client.get(f"{API}/deals/?page_size=2").json()["count"] == 3


def test_deal_list_takes_the_same_number_of_queries_for_any_page_size(client, django_assert_max_num_queries):
    for _ in range(12):
        make_deal("US", ["UA", "PL"])

    # data version, count, deals, roles with their parties
    with django_assert_max_num_queries(4):
        small = client.get(f"{API}/deals/?page_size=2")
    with django_assert_max_num_queries(4):
        large = client.get(f"{API}/deals/?page_size=12")

    assert len(small.json()["results"]) == 2
    assert len(large.json()["results"]) == 12


# --- deals/<id>/ ------------------------------------------------------------------------------------


def test_deal_detail_has_evidence_with_article_and_offsets_sources_and_status_history(client):
    deal = make_deal("KR", "PL")
    evidence = deal.evidence.get()

    body = client.get(f"{API}/deals/{deal.pk}/").json()

    [item] = body["evidence"]
    assert item["sentence"] == "Poland signed a contract for 180 K2 tanks from South Korea."
    assert (item["start"], item["end"]) == (evidence.start, evidence.end)
    assert item["article"]["id"] == evidence.article_id
    assert evidence.article.text[item["start"] : item["end"]] == item["sentence"]
    assert [source["id"] for source in body["sources"]] == [evidence.article_id]
    assert body["status_history"] == [
        {
            "status": "signed",
            "reported_on": "2024-03-01",
            "quantity": None,
            "evidence": evidence.pk,
            "note": "",
        }
    ]
    assert body["merged_into"] is None


def test_deal_detail_takes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    deal = make_deal("US", ["UA", "PL"])

    with django_assert_max_num_queries(4):
        response = client.get(f"{API}/deals/{deal.pk}/")

    assert response.status_code == 200


def test_unknown_deal_is_a_404(client):
    response = client.get(f"{API}/deals/999999/")

    assert response.status_code == 404
    assert "detail" in response.json()


# --- cursor pages ----------------------------------------------------------------------------------


def test_cursor_pages_walk_every_matching_deal_once_in_id_order(client):
    made = [make_deal("US", "UA").pk for _ in range(5)]
    make_deal("FR", "IN")

    seen, url = [], f"{API}/deals/cursor/?page_size=2&supplier=US"
    while url:
        body = client.get(url).json()
        assert "count" not in body
        seen += [row["id"] for row in body["results"]]
        url = body["next"]

    assert seen == sorted(made)


def test_cursor_pages_refuse_an_ordering(client):
    response = client.get(f"{API}/deals/cursor/?ordering=-value")

    assert response.status_code == 400
    assert "ordering" in response.json()


# --- CSV ---------------------------------------------------------------------------------------------


def test_deals_csv_streams_every_filtered_row_not_one_page(client):
    for _ in range(3):
        make_deal("US", ["UA", "PL"], value=Decimal("1500000"), currency_id="USD", value_qualifier="about")
    make_deal("FR", "IN")

    response = client.get(f"{API}/deals/?format=csv&supplier=US&page_size=1")

    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="deals.csv"' in response["Content-Disposition"]
    rows = csv_rows(response)
    assert len(rows) == 3
    assert {row["suppliers"] for row in rows} == {"US"}
    assert {row["recipients"] for row in rows} == {"UA;PL"}
    assert rows[0]["category"] == "armored_vehicles"
    assert rows[0]["category_group"] == "vehicles_aircraft"
    assert rows[0]["value"] == "1500000.00"


def test_a_bad_filter_on_a_csv_export_is_reported_as_json(client):
    response = client.get(f"{API}/deals/?format=csv&date_from=garbage")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "date_from" in response.json()


@pytest.mark.parametrize(
    ("path", "column"),
    [
        ("parties/?kind=bloc", "code"),
        ("categories/", "slug"),
        ("articles/", "url"),
        ("deals/removed/", "reason"),
        ("deals/cursor/", "item"),
        ("stats/", "dimension"),
    ],
)
def test_every_list_streams_csv(client, path, column):
    deal = make_deal()
    Deal.objects.filter(pk=deal.pk).update(review_state=ReviewState.REJECTED)

    response = client.get(f"{API}/{path}", {"format": "csv"})

    assert isinstance(response, StreamingHttpResponse)
    rows = csv_rows(response)
    assert rows
    assert all(row[column] for row in rows)


def test_articles_csv_lists_the_deals_each_article_supports(client):
    deal = make_deal()

    [row] = csv_rows(client.get(f"{API}/articles/?format=csv"))

    assert row["deals"] == str(deal.pk)


# --- tombstones ------------------------------------------------------------------------------------


def test_removed_lists_merged_and_rejected_deals_with_reason_and_target(client):
    survivor, merged, rejected = make_deal(), make_deal(), make_deal()
    Deal.objects.filter(pk=merged.pk).update(merged_into=survivor, removed_at=timezone.now())
    Deal.objects.filter(pk=rejected.pk).update(review_state=ReviewState.REJECTED)

    rows = client.get(f"{API}/deals/removed/").json()["results"]

    assert sorted((row["id"], row["reason"], row["merged_into"]) for row in rows) == sorted(
        [(merged.pk, "merged", survivor.pk), (rejected.pk, "rejected", None)]
    )


def test_removed_since_leaves_out_earlier_removals(client):
    survivor, early, late = make_deal(), make_deal(), make_deal()
    now = timezone.now()
    Deal.objects.filter(pk=early.pk).update(merged_into=survivor, removed_at=now - datetime.timedelta(days=3))
    Deal.objects.filter(pk=late.pk).update(merged_into=survivor, removed_at=now)

    since = (now - datetime.timedelta(days=1)).isoformat()
    rows = client.get(f"{API}/deals/removed/", {"since": since}).json()["results"]

    assert [row["id"] for row in rows] == [late.pk]


def test_removed_csv_has_each_value_under_its_heading(client):
    survivor, merged = make_deal(), make_deal()
    Deal.objects.filter(pk=merged.pk).update(merged_into=survivor, removed_at=timezone.now())

    [row] = csv_rows(client.get(f"{API}/deals/removed/?format=csv"))

    assert row["id"] == str(merged.pk)
    assert row["merged_into"] == str(survivor.pk)
    assert row["reason"] == "merged"
    assert row["removed_at"].startswith(str(timezone.now().year))


def test_removed_with_a_bad_since_is_a_400_naming_it(client):
    response = client.get(f"{API}/deals/removed/?since=last-week")

    assert response.status_code == 400
    assert "since" in response.json()


# --- stats, parties, categories, articles ------------------------------------------------------------


def test_stats_count_by_supplier_recipient_category_status_and_month(client, assorted_deals):
    make_deal(
        "US", "PL", category="air_defense", status="delivered", first_reported=datetime.date(2023, 2, 9)
    )

    body = client.get(f"{API}/stats/?supplier=US").json()

    assert body["total"] == 2
    assert body["supplier"] == [{"key": "US", "label": "United States", "count": 2}]
    assert {(c["key"], c["count"]) for c in body["recipient"]} == {("UA", 1), ("PL", 1)}
    assert body["category"] == [{"key": "air_defense", "label": "Air defence", "count": 2}]
    assert body["status"] == [{"key": "delivered", "label": "Delivered", "count": 2}]
    assert body["month"] == [{"key": "2023-02", "label": "February 2023", "count": 2}]


def test_stats_reject_a_bad_filter_naming_it(client):
    response = client.get(f"{API}/stats/?category=nope")

    assert response.status_code == 400
    assert "category" in response.json()


def test_parties_filter_by_kind_and_text(client):
    blocs = client.get(f"{API}/parties/?kind=bloc").json()["results"]
    by_code = client.get(f"{API}/parties/?q=ua").json()["results"]
    by_name = client.get(f"{API}/parties/?q=ukrain&kind=state").json()["results"]

    assert [p["code"] for p in blocs] == ["EU", "NATO"]
    assert "UA" in [p["code"] for p in by_code]
    assert [p["code"] for p in by_name] == ["UA"]


def test_categories_are_the_taxonomy_tree(client):
    tree = client.get(f"{API}/categories/").json()

    groups = {group["slug"]: [leaf["slug"] for leaf in group["children"]] for group in tree}
    assert len(groups) == 6
    assert groups["aid"] == ["financial_aid", "humanitarian_aid"]
    assert sum(len(leaves) for leaves in groups.values()) == 20


def test_articles_list_their_deals_and_detail_gives_the_supporting_sentence(client):
    deal = make_deal()
    article = deal.evidence.get().article
    ArticleFactory()

    listing = client.get(f"{API}/articles/").json()["results"]
    detail = client.get(f"{API}/articles/{article.pk}/").json()

    assert {row["id"]: row["deals"] for row in listing}[article.pk] == [deal.pk]
    assert detail["text"] == article.text
    assert detail["deals"] == [
        {
            "id": deal.pk,
            "item": "K2 tanks",
            "status": "signed",
            "category": "armored_vehicles",
            "sentence": "Poland signed a contract for 180 K2 tanks from South Korea.",
            "start": 0,
            "end": 59,
        }
    ]


def test_article_list_takes_the_same_number_of_queries_for_any_page_size(
    client, django_assert_max_num_queries
):
    for _ in range(8):
        make_deal()

    with django_assert_max_num_queries(3):
        small = client.get(f"{API}/articles/?page_size=2")
    with django_assert_max_num_queries(3):
        large = client.get(f"{API}/articles/?page_size=8")

    assert len(small.json()["results"]) == 2
    assert len(large.json()["results"]) == 8


@pytest.mark.parametrize(
    ("path", "queries"),
    # deals/cursor/: data version, deals, roles
    [("parties/", 2), ("deals/removed/", 2), ("deals/cursor/", 3), ("categories/", 2)],
)
def test_other_lists_take_a_fixed_number_of_queries(client, django_assert_max_num_queries, path, queries):
    survivor = make_deal()
    for _ in range(6):
        Deal.objects.filter(pk=make_deal().pk).update(merged_into=survivor)
    for _ in range(6):
        make_deal("US", ["UA", "PL"])

    with django_assert_max_num_queries(queries):
        response = client.get(f"{API}/{path}", {"page_size": 50})

    assert response.status_code == 200
    assert response.json()


# --- access and ingestion ------------------------------------------------------------------------------


def test_anonymous_clients_may_read(client):
    make_deal()

    assert client.get(f"{API}/deals/").status_code == 200


def test_anonymous_clients_may_not_ingest(client):
    response = client.post(f"{API}/ingest/", {"url": "https://news.example.org/a"}, format="json")

    assert response.status_code == 401
    assert not IngestJob.objects.exists()


def test_a_viewer_token_may_not_ingest_or_see_jobs(django_user_model):
    viewer = token_client(django_user_model.objects.create_user("viewer", password="viewer-pass-123"))
    job = IngestJob.objects.create(kind="text", text="Poland bought tanks.")

    assert viewer.post(f"{API}/ingest/", {"text": "Poland bought tanks."}, format="json").status_code == 403
    assert viewer.get(f"{API}/ingest/{job.pk}/").status_code == 403
    assert IngestJob.objects.count() == 1


def test_an_analyst_token_queues_a_url_with_202_and_can_follow_the_job(analyst):
    api = token_client(analyst)

    response = api.post(f"{API}/ingest/", {"url": "https://news.example.org/k2"}, format="json")

    assert response.status_code == 202
    job = IngestJob.objects.get()
    assert (job.kind, job.url, job.submitted_by) == ("url", "https://news.example.org/k2", analyst)
    assert response.json()["state"] == "pending"
    assert response["Location"].endswith(f"/api/v1/ingest/{job.pk}/")
    followed = api.get(response["Location"]).json()
    assert (followed["id"], followed["state"], followed["deals_created"]) == (job.pk, "pending", 0)


def test_an_analyst_can_ingest_pasted_text(analyst):
    response = token_client(analyst).post(
        f"{API}/ingest/", {"text": "Poland signed for 180 K2 tanks.", "filename": "note.txt"}, format="json"
    )

    assert response.status_code == 202
    assert IngestJob.objects.get().text == "Poland signed for 180 K2 tanks."


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "url"),
        ({"url": "https://news.example.org/a", "text": "both"}, "url"),
        ({"url": "not a url"}, "url"),
    ],
)
def test_an_ingest_request_needs_exactly_one_valid_url_or_text(analyst, payload, field):
    response = token_client(analyst).post(f"{API}/ingest/", payload, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not IngestJob.objects.exists()


def test_anonymous_reads_are_throttled(client, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/minute", "user": "100/minute"})
    # A cache of its own: clearing the shared one could empty a Redis database others use.
    monkeypatch.setattr(SimpleRateThrottle, "cache", LocMemCache("throttle-test", {}))
    statuses = [client.get(f"{API}/categories/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
