"""The synthetic data set for benchmarks looks like the real records and obeys their rules."""

from collections import Counter

import pytest
from django.core.management import call_command

from deals.models import Category, Deal, DealParty, Evidence, Role, StatusChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_synthetic", deals=120, batch_size=50, seed=3, stdout=None)
    return Deal.objects.all()


def test_seed_makes_the_number_of_deals_asked_for_in_every_category(seeded):
    assert seeded.count() == 120
    assert set(seeded.values_list("category_id", flat=True)) == set(
        Category.objects.leaves().values_list("id", flat=True)
    )


def test_every_seeded_deal_has_a_supplier_a_recipient_evidence_and_a_status_history(seeded):
    for deal in seeded.prefetch_related("roles", "evidence", "status_changes"):
        roles = Counter(link.role for link in deal.roles.all())
        assert roles[Role.SUPPLIER] >= 1
        assert roles[Role.RECIPIENT] == 1
        assert deal.evidence.count() == deal.source_count >= 1
        assert deal.status_changes.count() == deal.evidence.count()


def test_seeded_evidence_offsets_point_at_the_sentence_in_its_article():
    call_command("seed_synthetic", deals=30, seed=4, stdout=None)

    for evidence in Evidence.objects.select_related("article"):
        assert evidence.article.text[evidence.start : evidence.end] == evidence.sentence
        assert evidence.deal.first_reported <= evidence.article.published <= evidence.deal.last_reported


def test_seeded_suppliers_are_skewed_towards_a_few_states():
    call_command("seed_synthetic", deals=400, seed=5, stdout=None)

    counts = Counter(
        DealParty.objects.filter(role=Role.SUPPLIER).values_list("party__code", flat=True)
    ).most_common()
    top_three = sum(n for _, n in counts[:3])
    assert counts[0][0] == "US"
    assert top_three > sum(n for _, n in counts) * 0.3


def test_seeding_twice_adds_to_the_data_without_colliding():
    call_command("seed_synthetic", deals=20, seed=6, stdout=None)
    call_command("seed_synthetic", deals=20, seed=6, stdout=None)

    assert Deal.objects.count() == 40
    assert StatusChange.objects.filter(evidence__isnull=False).count() == Evidence.objects.count()
