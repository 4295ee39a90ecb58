"""Regression floor on the shared development corpus (skipped when the corpus is not checked out)."""

import importlib.util
import json
from pathlib import Path

import pytest

from ingest.extract import extract, parse_document

SHARED = Path(__file__).resolve().parents[4] / "shared"
CORPUS = SHARED / "corpus" / "dev"
SCORER = SHARED / "eval" / "score.py"
STRICT_F1_FLOOR = 0.88

pytestmark = pytest.mark.skipif(
    not (CORPUS / "gold.jsonl").exists() or not SCORER.exists(), reason="no corpus"
)


def load_scorer():
    spec = importlib.util.spec_from_file_location("deal_scorer", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dev_corpus_strict_f1_stays_above_the_floor():
    scorer = load_scorer()
    gold = [json.loads(line) for line in (CORPUS / "gold.jsonl").read_text().splitlines() if line.strip()]
    predictions = {}
    for row in gold:
        document = parse_document((CORPUS / f"{row['id']}.txt").read_bytes(), filename=f"{row['id']}.txt")
        predictions[row["id"]] = [d.to_dict() for d in extract(document.text, published=document.published)]
    result = scorer.score(gold, predictions, lenient=False)
    assert result["f1"] >= STRICT_F1_FLOOR, result
    assert result["fields"]["status"][0] >= 0.8, result["fields"]
