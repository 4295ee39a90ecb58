import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from ingest.extract.literals import WholeWords, last_words, literal_alternation, may_contain

PHRASES = ["a day", "a month", "a", "ab", "abc", "'ll", "per day", "it", "its government"]
# Pieces that build texts full of near misses: prefixes, case changes, hyphens and non-ASCII letters.
PIECES = ["a", "A", "b", "c", "day", "Day", "month", "'ll", "it", "IT", "its", "government", "per"]
PIECES += [" ", "  ", "-", "_", ",", "\u0130", "\u017f", "x", "1"]
texts = st.lists(st.sampled_from(PIECES), max_size=10).map("".join)


def flat(phrases: list[str]) -> str:
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))


@settings(max_examples=400, deadline=None)
@given(text=texts)
@example(text="a day and a month, abc")
def test_a_prefix_tree_alternation_matches_what_the_longest_first_alternation_matches(text):
    bounded = r"(?<![\w-])(?:{})(?![\w-])"
    tree = re.compile(bounded.format(literal_alternation(PHRASES)), re.IGNORECASE)
    longest_first = re.compile(bounded.format(flat(PHRASES)), re.IGNORECASE)
    assert [m.span() for m in tree.finditer(text)] == [m.span() for m in longest_first.finditer(text)]


def test_an_empty_alternation_matches_nothing():
    assert re.search(literal_alternation([]), "anything") is None


@settings(max_examples=400, deadline=None)
@given(text=texts)
@example(text="with its government")
def test_whole_words_answer_as_the_bounded_case_insensitive_regex(text):
    phrases = ["it", "its government", "per day", "a"]
    regex = re.compile(rf"\b(?:{flat(phrases)})\b", re.IGNORECASE)
    assert WholeWords(phrases).found_in(text) == bool(regex.search(text))


@settings(max_examples=400, deadline=None)
@given(text=texts)
@example(text="paid per day ")
def test_an_end_anchored_pattern_finds_a_match_in_the_last_words_exactly_when_in_the_whole(text):
    pattern = re.compile(r"\b(?:per|its|a)\s+(?:day\s+)?$", re.IGNORECASE)
    assert bool(pattern.search(last_words(text, 2))) == bool(pattern.search(text))


def test_last_words_keeps_the_tail_from_the_start_of_the_counted_run():
    assert last_words("sent to the ", 2) == "to the "
    assert last_words("  to ", 3) == "  to "


def test_the_substring_screen_only_rules_out_ascii_text_without_the_words():
    assert not may_contain("no such words here", ("agreed",))
    assert may_contain("they agreed to", ("agreed",))
    assert may_contain(None, ("agreed",))  # not ASCII: the pattern has to decide
