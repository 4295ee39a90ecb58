"""Whole short articles, written for these tests, with the deals each must yield."""

import json
from pathlib import Path

import pytest

from ingest.extract import extract, parse_document

ARTICLES = Path(__file__).with_name("articles")
COMPARED = ("category", "status", "quantity", "quantity_qualifier", "value", "currency", "supplier_org")


def article_paths():
    return sorted(ARTICLES.glob("*.txt"))


def matches(expected, deal):
    if set(expected["supplier"]) != set(deal["supplier"]) or set(expected["recipient"]) != set(
        deal["recipient"]
    ):
        return False
    for key in ("denied_by", "intended_for", "end_user"):
        if key in expected and set(expected[key]) != set(deal[key]):
            return False
    return all(expected[key] == deal[key] for key in COMPARED if key in expected)


@pytest.mark.parametrize("path", article_paths(), ids=lambda p: p.stem)
def test_article_yields_its_expected_deals(path):
    document = parse_document(path.read_bytes(), filename=path.name)
    found = [deal.to_dict() for deal in extract(document.text, published=document.published)]
    expected = json.loads(path.with_suffix(".json").read_text())
    for wanted in expected["deals"]:
        assert any(matches(wanted, deal) for deal in found), f"missing {wanted} in {found}"
    if expected["exact"]:
        assert len(found) == len(expected["deals"]), found


@pytest.mark.parametrize("path", article_paths(), ids=lambda p: p.stem)
def test_evidence_is_the_verbatim_sentence_at_its_offsets(path):
    document = parse_document(path.read_bytes(), filename=path.name)
    for deal in extract(document.text):
        assert document.text[deal.evidence_start : deal.evidence_end] == deal.evidence
        assert 0.0 < deal.confidence < 1.0


def test_there_are_enough_articles_to_cover_the_phrasings():
    assert len(article_paths()) >= 12
