"""Shared helpers for the article-level extraction tests."""

from ingest.extract import extract


def deals_of(text):
    """The deals of a text as contract dictionaries."""
    return [d.to_dict() for d in extract(text)]


def only(deals, **fields):
    """The one deal whose fields have these values; fails when there is none or more than one."""
    found = [d for d in deals if all(d[k] == v for k, v in fields.items())]
    assert len(found) == 1, deals
    return found[0]
