"""Deal extraction: plain text in, DealCandidate records out. Imports no Django.

Pipeline, per sentence: sentences.py splits with offsets; parties.py and items.py find gazetteer
mentions (gazetteer.py, data/*.tsv); numbers.py and money.py read figures; status.py finds trigger
phrases and their status; frames.py assigns supplier and recipient from local syntax; clauses.py bounds
each trigger's clause; permissions.py reads re-export and onward-transfer permissions; context.py
carries topic, package and parties across sentences; building.py and merging.py turn items into
one deal per category and fold repeated reports together.
"""

from __future__ import annotations

import datetime

from .candidate import DealCandidate
from .document import Document, parse_document
from .engine import extract_deals

EXTRACTOR_VERSION = "1.4.1"

__all__ = ["EXTRACTOR_VERSION", "DealCandidate", "Document", "extract", "parse_document"]


def extract(text: str, *, published: datetime.date | None = None) -> list[DealCandidate]:
    """Every arms or aid deal reported in text, each with the sentence that supports it.

    published is the article's date when known; the contract's deal fields do not depend on it, so it
    is accepted for callers that have it and otherwise unused. Text past the first million characters
    is not read.
    """
    if not text or not text.strip():
        return []
    return extract_deals(text)
