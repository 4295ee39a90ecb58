import csv
import datetime
import io
import json

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deals.models import Article, Evidence
from deals.querystring import query_with
from ingest.models import Feed
from tests.demo_data import seed_deals
from tests.factories import ArticleFactory, make_deal

pytestmark = pytest.mark.django_db


def body_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def test_deal_list_with_thirty_deals_needs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    seed_deals(30)
    # Fixed cost: slug checks and party/category lookups per filtered set, three facet counts
    # (the total comes with them), the category tree, the rows and their parties.
    with django_assert_max_num_queries(14):
        response = client.get("/deals/", {"country": "UA", "category": "ammunition"})
    assert response.status_code == 200
    # 30 deals cycle through six pairs: US->UA carries artillery ammunition five times.
    assert response.context["page"].paginator.count == 5


def test_query_count_does_not_grow_with_the_number_of_deals(client):
    seed_deals(5)
    with CaptureQueriesContext(connection) as few:
        client.get("/deals/")
    seed_deals(45)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/deals/")
    assert len(response.context["page"].object_list) == 50
    assert len(many) == len(few)


def test_country_and_category_filters_leave_matching_rows_and_facet_counts(client):
    seed_deals(12)
    response = client.get("/deals/", {"supplier": "de", "category": "air_defense"})
    html = body_of(response)
    deals = list(response.context["page"].object_list)
    assert len(deals) == 2
    assert all(deal.codes("supplier") == ["DE"] and deal.category.slug == "air_defense" for deal in deals)
    facets = {facet["name"]: facet for facet in response.context["facets"]}
    # The supplier facet ignores its own filter: it counts air-defence deals for every supplier.
    assert [(c["value"], c["count"], c["selected"]) for c in facets["supplier"]["choices"]] == [
        ("DE", 2, True)
    ]
    assert {c["value"]: c["count"] for c in facets["category"]["choices"]} == {
        slug: 2
        for slug in [
            "air_defense",
        ]
    }
    assert "IRIS-T systems" in html and "155mm shells" not in html


def test_a_facet_ignores_its_own_filter_but_obeys_the_others(client):
    seed_deals(12)
    response = client.get("/deals/", {"status": "signed", "recipient": "UA", "supplier": ""})
    facets = {facet["name"]: facet["choices"] for facet in response.context["facets"]}
    assert {c["value"]: (c["count"], c["selected"]) for c in facets["status"]} == {
        "signed": (1, True),
        "delivered": (1, False),
    }
    assert [(c["value"], c["count"]) for c in facets["supplier"]] == [("US", 1)]
    assert [(c["value"], c["count"]) for c in facets["recipient"]] == [("EE", 1), ("LT", 1), ("UA", 1)]
    assert response.context["page"].paginator.count == 1


def test_a_bad_filter_value_is_a_form_error_with_status_400(client):
    response = client.get("/deals/", {"country": "Narnia", "date_from": "yesterday"})
    html = body_of(response)
    assert response.status_code == 400
    assert 'role="alert"' in html
    assert "Not a party code: NARNIA" in html
    assert "date_from" in html
    assert 'id="f-country"' in html and 'value="Narnia"' in html


def test_sort_headers_toggle_direction_and_keep_the_filters(client):
    seed_deals(6)
    response = client.get("/deals/", {"country": "UA", "ordering": "-confidence"})
    sort = response.context["sort"]
    assert sort["confidence"]["direction"] == "desc"
    assert "ordering=confidence" in sort["confidence"]["url"] and "country=UA" in sort["confidence"]["url"]
    confidences = [deal.confidence for deal in response.context["page"].object_list]
    assert confidences == sorted(confidences, reverse=True)


def test_pages_link_forward_and_keep_the_filters(client):
    seed_deals(60)
    response = client.get("/deals/", {"status": "signed,delivered,pledged,approved,announced"})
    assert response.context["page"].paginator.num_pages == 2
    assert "page=2" in response.context["page_links"]["next"]
    assert "status=" in response.context["page_links"]["next"]


def test_csv_download_holds_exactly_the_filtered_deals(client):
    deals = seed_deals(12)
    response = client.get("/deals/export.csv", {"recipient": "PL"})
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body_of(response))))
    expected = {deal.pk for deal in deals if deal.codes("recipient") == ["PL"]}
    assert {int(row["id"]) for row in rows} == expected
    assert all(row["recipients"] == "PL" for row in rows)


def test_json_download_matches_the_page_filters(client):
    seed_deals(12)
    response = client.get("/deals/export.json", {"category": "drones", "supplier": "GB"})
    records = json.loads(body_of(response))
    assert [(r["suppliers"], r["category"]) for r in records] == [("GB", "drones"), ("GB", "drones")]


def test_csv_download_defuses_cells_that_spreadsheets_would_run(client):
    make_deal("US", "UA", item='=HYPERLINK("http://evil")')
    rows = list(csv.DictReader(io.StringIO(body_of(client.get("/deals/export.csv")))))
    assert rows[0]["item"].startswith("'=")


def test_download_with_a_bad_filter_is_a_400_naming_the_field(client):
    response = client.get("/deals/export.csv", {"value_min": "lots"})
    assert response.status_code == 400
    assert "value_min" in response.content.decode()


def test_deal_page_highlights_evidence_and_escapes_hostile_article_text(
    client, django_assert_max_num_queries
):
    deal = make_deal("US", "UA")
    evidence = deal.evidence.get()
    sentence = "The US will send 300 <img src=x onerror=alert(1)> shells to Ukraine."
    text = f"<script>alert('x')</script> Opening line.\n{sentence} More text."
    start = text.index(sentence)
    Article.objects.filter(pk=evidence.article_id).update(text=text)
    Evidence.objects.filter(pk=evidence.pk).update(sentence=sentence, start=start, end=start + len(sentence))
    with django_assert_max_num_queries(12):
        html = body_of(client.get(f"/deals/{deal.pk}/"))
    assert "<script>alert" not in html and "<img src=x" not in html
    assert (
        f'<mark class="evidence" id="evidence-{evidence.pk}">The US will send 300 &lt;img src=x '
        "onerror=alert(1)&gt; shells to Ukraine.</mark>" in html
    )
    assert "https://news.example.org/report-" in html


def test_deal_page_shows_when_sources_disagree_on_the_quantity(client):
    deal = make_deal("KR", "PL", quantity=180)
    other = ArticleFactory(text="South Korea will deliver 200 K2 tanks to Poland. Later.")
    Evidence.objects.create(
        deal=deal,
        article=other,
        sentence="South Korea will deliver 200 K2 tanks to Poland.",
        start=0,
        end=48,
        status="signed",
        item="K2 tanks",
        quantity=200,
        quantity_qualifier="exact",
        extractor_version="test",
    )
    html = body_of(client.get(f"/deals/{deal.pk}/"))
    assert "Sources disagree on the quantity: 180, 200" in html
    assert 'class="num differs"' in html


def test_unknown_deal_is_a_404(client):
    assert client.get("/deals/999999/").status_code == 404


def test_article_page_links_each_sentence_to_its_deal(client):
    deal = seed_deals(1)[0]
    evidence = deal.evidence.get()
    html = body_of(client.get(f"/articles/{evidence.article_id}/"))
    assert f'<mark class="evidence" id="evidence-{evidence.pk}"><a href="/deals/{deal.pk}/">' in html
    assert "Defence ministers met on Tuesday." in html


def test_overview_shows_totals_top_parties_and_chart_data(client):
    seed_deals(12)
    response = client.get("/")
    html = body_of(response)
    assert response.context["stats"]["deals"] == 12
    assert response.context["top_suppliers"][0]["deals"] == 2
    assert {"supplier": "US", "recipient": "UA", "deals": 2} in response.context["flows"]
    assert 'id="monthly-data"' in html and "Ammunition and explosives" in html


def test_country_page_splits_supplier_and_recipient_roles(client):
    seed_deals(12)
    response = client.get("/countries/pl/")
    assert response.context["roles"]["supplier"] == 2
    assert response.context["roles"]["recipient"] == 2
    assert [row["code"] for row in response.context["recipients"]] == ["LT"]
    assert [row["code"] for row in response.context["suppliers"]] == ["DE"]
    assert client.get("/countries/QQ/").status_code == 404


def test_sources_page_shows_a_failing_feed_with_its_reason(client):
    Feed.objects.create(
        url="https://feeds.example.org/rss", title="Defence wire", last_error="HTTP 503 from feed"
    )
    html = body_of(client.get("/sources/"))
    assert "Defence wire" in html and "HTTP 503 from feed" in html
    assert "What it does not cover" in html


def test_pages_send_a_content_security_policy_without_inline_script(client):
    seed_deals(2)
    response = client.get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "<script>" not in body_of(response)


@override_settings(PUBLIC_BROWSING=False)
def test_browsing_asks_strangers_to_sign_in_when_it_is_not_public(client, analyst):
    response = client.get("/deals/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(analyst)
    assert client.get("/deals/").status_code == 200


def test_a_source_address_that_is_not_a_web_address_is_not_linked(client):
    deal = make_deal("US", "UA")
    Article.objects.filter(pk=deal.evidence.get().article_id).update(url="javascript:alert(1)")
    html = body_of(client.get(f"/deals/{deal.pk}/"))
    assert "javascript:alert" not in html
    assert "original source" not in html


def test_each_facet_choice_links_to_the_query_with_that_choice_set_or_removed(client):
    seed_deals(12)
    response = client.get("/deals/", {"status": "signed", "q": "s", "ordering": "-value", "page": "1"})
    params = response.wsgi_request.GET
    choices = [(facet["name"], choice) for facet in response.context["facets"] for choice in facet["choices"]]
    assert len(choices) > 10
    for name, choice in choices:
        change = None if choice["selected"] else choice["value"]
        assert choice["url"] == query_with(params, **{name: change})


def test_a_row_links_its_number_and_item_to_the_deal_and_shows_the_last_report_day(client):
    dated = make_deal(
        "US", "UA", first_reported=datetime.date(2024, 5, 1), last_reported=datetime.date(2024, 5, 6)
    )
    make_deal("FR", "PL", first_reported=None, last_reported=None)
    html = body_of(client.get("/deals/"))
    assert html.count(f'href="/deals/{dated.pk}/"') == 2
    assert '<td class="date">2024-05-06</td>' in html
    assert '<td class="date">—</td>' in html
