import pytest
from django.contrib.auth.models import Group

from deals.models import Category, Deal, DealParty, Evidence, ReviewState, StatusChange
from tests.factories import ArticleFactory, add_party, make_deal

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


@pytest.fixture
def viewer(django_user_model):
    user = django_user_model.objects.create_user("viewer", password="viewer-pass-123")
    user.groups.add(Group.objects.get(name="viewers"))
    return user


def test_review_queue_lists_unreviewed_deals_least_confident_first(analyst_client):
    sure = make_deal("US", "UA", confidence=0.9, item="sure thing")
    doubtful = make_deal("DE", "UA", confidence=0.2, item="doubtful thing")
    make_deal("FR", "UA", confidence=0.1, review_state=ReviewState.CONFIRMED, item="already checked")
    response = analyst_client.get("/review/")
    assert [deal.pk for deal in response.context["page"].object_list] == [doubtful.pk, sure.pk]
    html = response.content.decode()
    assert "already checked" not in html
    assert 'data-action="confirm"' in html and "js/review-keys.js" in html


def test_review_queue_sends_strangers_to_sign_in_and_refuses_viewers(client, viewer):
    assert client.get("/review/")["Location"].startswith("/accounts/login/")
    client.force_login(viewer)
    assert client.get("/review/").status_code == 403


def test_viewer_cannot_confirm_a_deal(client, viewer):
    deal = make_deal()
    client.force_login(viewer)
    assert client.post(f"/deals/{deal.pk}/confirm/").status_code == 403
    deal.refresh_from_db()
    assert deal.review_state == ReviewState.UNREVIEWED


def test_deal_page_shows_review_forms_only_to_analysts(client, analyst):
    deal = make_deal()
    assert "Merge another deal" not in client.get(f"/deals/{deal.pk}/").content.decode()
    client.force_login(analyst)
    assert "Merge another deal" in client.get(f"/deals/{deal.pk}/").content.decode()


def test_confirming_records_who_did_it_and_returns_to_the_queue(analyst_client, analyst):
    deal = make_deal()
    response = analyst_client.post(f"/deals/{deal.pk}/confirm/", {"next": "/review/?page=1"})
    assert response["Location"] == "/review/?page=1"
    deal.refresh_from_db()
    assert deal.review_state == ReviewState.CONFIRMED
    latest = deal.history.latest()
    assert latest.history_user == analyst and latest.history_change_reason == "confirmed"


def test_confirm_ignores_a_next_address_on_another_site(analyst_client):
    deal = make_deal()
    response = analyst_client.post(f"/deals/{deal.pk}/confirm/", {"next": "https://elsewhere.example/"})
    assert response["Location"] == f"/deals/{deal.pk}/"


def test_rejecting_keeps_the_deal_and_the_reason(analyst_client):
    deal = make_deal()
    analyst_client.post(f"/deals/{deal.pk}/reject/", {"reject-reason": "a rumour"})
    deal.refresh_from_db()
    assert deal.review_state == ReviewState.REJECTED
    assert deal.history.latest().history_change_reason == "rejected: a rumour"


def test_editing_locks_the_changed_fields_and_shows_who_changed_them(analyst_client):
    deal = make_deal("KR", "PL", quantity=180)
    form = {
        "edit-item": "K2 Black Panther tanks",
        "edit-category": Category.objects.get(slug="armored_vehicles").pk,
        "edit-status": "delivered",
        "edit-financing": "sale",
        "edit-quantity": "96",
        "edit-quantity_qualifier": "exact",
        "edit-value": "",
        "edit-currency": "",
        "edit-value_qualifier": "",
    }
    response = analyst_client.post(f"/deals/{deal.pk}/edit/", form)
    assert response.status_code == 302
    deal.refresh_from_db()
    assert (deal.item, deal.quantity, deal.status, deal.review_state) == (
        "K2 Black Panther tanks",
        96,
        "delivered",
        ReviewState.EDITED,
    )
    assert deal.locked_fields == ["financing", "item", "quantity", "status"]
    html = analyst_client.get(f"/deals/{deal.pk}/").content.decode()
    assert "<strong>quantity</strong>: 180 → 96" in html and ">analyst<" in html


def test_editing_a_value_without_a_currency_is_refused_with_the_form_shown(analyst_client):
    deal = make_deal()
    form = {
        "edit-item": deal.item,
        "edit-category": deal.category_id,
        "edit-status": deal.status,
        "edit-financing": deal.financing,
        "edit-quantity": "180",
        "edit-quantity_qualifier": "exact",
        "edit-value": "1000",
        "edit-currency": "",
        "edit-value_qualifier": "",
    }
    response = analyst_client.post(f"/deals/{deal.pk}/edit/", form)
    assert response.status_code == 400
    assert "Give a value and its currency together" in response.content.decode()
    deal.refresh_from_db()
    assert deal.value is None and deal.locked_fields == []


def test_merging_moves_evidence_parties_and_timeline_and_retires_the_other_deal(analyst_client):
    keep = make_deal("KR", "PL")
    other = make_deal("KR", ["PL", "CZ"])
    response = analyst_client.post(f"/deals/{keep.pk}/merge/", {"merge-other": other.pk})
    assert response.status_code == 302
    other.refresh_from_db()
    keep.refresh_from_db()
    assert other.merged_into == keep and other.removed_at is not None
    assert Evidence.objects.filter(deal=keep).count() == 2
    assert StatusChange.objects.filter(deal=keep).count() == 2
    assert sorted(keep.roles.values_list("party__code", "role")) == [
        ("CZ", "recipient"),
        ("KR", "supplier"),
        ("PL", "recipient"),
    ]
    assert keep.source_count == 2
    assert Deal.objects.live().filter(pk=other.pk).count() == 0


def test_merging_a_deal_into_itself_is_a_form_error(analyst_client):
    deal = make_deal()
    response = analyst_client.post(f"/deals/{deal.pk}/merge/", {"merge-other": deal.pk})
    assert response.status_code == 400
    assert "Choose a different deal." in response.content.decode()


def test_splitting_moves_the_chosen_evidence_to_a_new_deal_with_the_same_parties(analyst_client):
    deal = make_deal("US", "UA", quantity=100)
    article = ArticleFactory(text="The US pledged 50 HIMARS to Ukraine. End.")
    moved = Evidence.objects.create(
        deal=deal,
        article=article,
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
    response = analyst_client.post(f"/deals/{deal.pk}/split/", {"split-evidence": [moved.pk]})
    new_deal = Deal.objects.exclude(pk=deal.pk).get()
    assert response["Location"] == f"/deals/{new_deal.pk}/"
    assert (new_deal.item, new_deal.quantity, new_deal.status) == ("HIMARS", 50, "pledged")
    assert list(new_deal.evidence.all()) == [moved]
    assert new_deal.status_changes.get().evidence == moved
    assert sorted(DealParty.objects.filter(deal=new_deal).values_list("party__code", flat=True)) == [
        "UA",
        "US",
    ]
    assert deal.evidence.count() == 1


def test_splitting_off_every_sentence_is_refused(analyst_client):
    deal = make_deal()
    add_party(deal, "DE")
    response = analyst_client.post(f"/deals/{deal.pk}/split/", {"split-evidence": [deal.evidence.get().pk]})
    assert response.status_code == 400
    assert "Leave at least one evidence sentence" in response.content.decode()
