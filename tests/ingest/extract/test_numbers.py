import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ingest.extract.numbers import DIGITS, _word_pattern, figure_not_after, find_quantities


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


FIGURE_PIECES = ["1", "12", "1234", ",", "000", ".", ".5", " ", "$", "a", "-", "_", "\u0663", "million"]


@settings(max_examples=400, deadline=None)
@given(text=st.lists(st.sampled_from(FIGURE_PIECES), max_size=10).map("".join))
@example(text="a12 $3,400.5 and 7")
def test_a_figure_written_to_start_with_its_digit_matches_as_the_look_behind_form(text):
    look_behind = re.compile(rf"(?<![\w$.,-])({DIGITS})")
    digit_first = re.compile(figure_not_after(r"\w$.,-"))
    assert [m.span(1) for m in digit_first.finditer(text)] == [m.span(1) for m in look_behind.finditer(text)]


NUMBER_PIECES = "one Two hundred a An dozen and million x _ ty seven".split() + [" ", "-"]


@settings(max_examples=400, deadline=None)
@given(text=st.lists(st.sampled_from(NUMBER_PIECES), max_size=9).map("".join))
@example(text="xone hundred and seven, a dozen, An hundred")
def test_number_words_read_the_same_from_lower_cased_ascii_text(text):
    spans = [(m.span(), m.group().lower()) for m in _word_pattern().finditer(text)]
    assert [(m.span(), m.group()) for m in _word_pattern(True).finditer(text.lower())] == spans
