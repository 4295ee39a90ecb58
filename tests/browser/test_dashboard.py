"""The dashboard in a real browser: filtering, reading evidence, ingesting an article, every page."""

import re

import pytest
from django.contrib.auth.models import Group

from tests.demo_data import seed_deals

# Each test ends with a flush; deals.seed.ensure_reference_data puts the reference data back.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTICLE = (
    "Berlin, 3 March 2024. Germany will deliver 18 Leopard 2 tanks to Ukraine, "
    "the defence ministry said on Tuesday. The tanks come from army stocks."
)


def sign_in(page, live_server, django_user_model) -> None:
    user = django_user_model.objects.create_user("analyst", password="analyst-pass-123")
    user.groups.add(Group.objects.get_or_create(name="analysts")[0])
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("User name").fill("analyst")
    page.get_by_label("Password").fill("analyst-pass-123")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")


def test_filtering_by_country_and_category_shows_the_matching_rows_and_counts(page, live_server, screenshot):
    seed_deals(12)
    page.goto(f"{live_server.url}/deals/")
    assert page.locator("#result-count").inner_text() == "12 deals"
    page.get_by_label("Country in any role").fill("UA")
    page.get_by_label("Category").select_option("ammunition")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"country=UA.*category=ammunition|category=ammunition.*country=UA"))
    assert page.locator("#result-count").inner_text() == "2 deals"
    rows = page.locator("#deal-table tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).inner_text().count("155mm shells") == 1
    supplier_facet = page.locator('details[data-facet="supplier"] li')
    assert [" ".join(text.split()) for text in supplier_facet.all_inner_texts()] == ["United States 2"]
    screenshot("deals-filtered")
    page.go_back()
    assert page.locator("#result-count").inner_text() == "12 deals"


def test_opening_a_deal_shows_its_evidence_highlighted(page, live_server, screenshot):
    seed_deals(3)
    page.goto(f"{live_server.url}/deals/?supplier=DE")
    page.locator("#deal-table tbody tr a", has_text="IRIS-T systems").first.click()
    mark = page.locator("mark.evidence")
    assert mark.count() == 1
    assert mark.inner_text() == "DE agreed to send 20 IRIS-T systems to PL, officials said."
    assert mark.evaluate("el => getComputedStyle(el).backgroundColor") != "rgba(0, 0, 0, 0)"
    screenshot("deal-detail")


def test_a_submitted_article_turns_into_a_deal(
    page, live_server, screenshot, django_user_model, eager_celery
):
    sign_in(page, live_server, django_user_model)
    page.goto(f"{live_server.url}/ingest/")
    page.get_by_label("Article text").fill(ARTICLE)
    page.get_by_role("button", name="Read text").click()
    page.wait_for_url(f"{live_server.url}/ingest/")
    first_job = page.locator("#jobs tbody tr").first
    first_job.locator(".state-done").wait_for()
    assert first_job.locator("td").nth(5).inner_text() == "1"
    screenshot("ingest")
    first_job.locator("td").nth(4).locator("a").click()
    page.locator("mark.evidence a").first.wait_for()
    screenshot("article")
    page.locator("mark.evidence a").first.click()
    assert "Leopard" in page.locator("h1").inner_text()
    assert page.locator("mark.evidence").count() >= 1


def test_every_page_renders_without_errors(page, live_server, screenshot, django_user_model):
    seed_deals(24)
    sign_in(page, live_server, django_user_model)
    pages = {
        "overview": "/",
        "deals": "/deals/",
        "country": "/countries/UA/",
        "review": "/review/",
        "sources": "/sources/",
    }
    for name, path in pages.items():
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() >= 1
        screenshot(name)
    response = page.goto(f"{live_server.url}/deals/?country=Narnia")
    assert response.status == 400
    assert "Not a party code: NARNIA" in page.locator("#filter-errors").inner_text()
    screenshot("bad-filter")
    # The 400 of the page itself is expected; nothing else may fail.
    page.console_errors.remove(
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    )
    page.goto(f"{live_server.url}/")
    assert page.locator("canvas[data-chart]").count() == 2
    # Chart.js sizes its canvas only once it has drawn.
    assert page.locator('canvas[data-chart="monthly"]').evaluate("el => el.width") > 0


def test_review_queue_works_from_the_keyboard(page, live_server, screenshot, django_user_model):
    seed_deals(4)
    sign_in(page, live_server, django_user_model)
    page.goto(f"{live_server.url}/review/")
    before = page.locator("tr[data-review-row]").count()
    page.keyboard.press("j")
    assert "is-current" in (page.locator("tr[data-review-row]").nth(1).get_attribute("class") or "")
    page.keyboard.press("c")
    page.wait_for_load_state()
    page.locator(".message.success").wait_for()
    assert page.locator("tr[data-review-row]").count() == before - 1
    screenshot("review-queue")
