"""Extracted deals built by hand, so merging can be tested without the extractor's judgement."""

import dataclasses

from ingest.extract.candidate import DealCandidate

_K2_SENTENCE = "Poland signed a contract with South Korea for 180 K2 tanks."


def reported_deal(**fields) -> DealCandidate:
    """A report of South Korea selling 180 K2 tanks to Poland; keyword arguments change any field."""
    base = DealCandidate(
        supplier=("KR",),
        supplier_org=None,
        recipient=("PL",),
        end_user=(),
        intended_for=(),
        category="armored_vehicles",
        item="K2 tanks",
        quantity=180,
        quantity_qualifier="exact",
        value=None,
        currency=None,
        value_qualifier=None,
        financing=None,
        status="signed",
        denied_by=(),
        evidence=_K2_SENTENCE,
        evidence_start=0,
        evidence_end=len(_K2_SENTENCE),
        confidence=0.8,
    )
    return dataclasses.replace(base, **fields)
