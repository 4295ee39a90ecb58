import pytest

from ingest.extract.numbers import find_quantities


def quantities(text):
    return [(q.value, q.qualifier) for q in find_quantities(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("it will supply 180 tanks", [(180, "exact")]),
        ("4,006 rounds", [(4006, "exact")]),
        ("two dozen guns", [(24, "exact")]),
        ("more than one million shells", [(1000000, "more_than")]),
        ("about 2,000 missiles", [(2000, "about")]),
        ("up to 1,000 tanks", [(1000, "up_to")]),
        ("at least seven batteries", [(7, "at_least")]),
        ("between 80 and 100 carriers", [(100, "up_to")]),
        ("40 to 50 jets", [(50, "up_to")]),
        ("twenty-five drones", [(25, "exact")]),
        ("send Ukraine 200 vehicles", [(200, "exact")]),
    ],
)
def test_counts_are_read_with_their_qualifier(text, expected):
    assert quantities(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "155mm shells",
        "a range of 300 kilometres",
        "in 2022 the army",
        "F-16 Block 70 jets",
        "Challenger 2 tanks",
        "On January 14 London said",
        "1,800 2,000-pound bombs",
    ],
)
def test_measurements_years_and_designations_are_not_counts(text):
    assert all(q.value not in {155, 300, 2022, 70, 2, 14, 2000} for q in find_quantities(text))
