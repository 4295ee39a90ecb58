from ingest.extract.gazetteer import PhraseMatcher, find_phrases, phrase_index
from ingest.extract.knowledge import items, parties, read_rows, triggers


def test_a_missing_lexicon_file_reads_as_empty():
    assert list(read_rows("no_such_lexicon.tsv")) == []


def test_lexicons_load_and_carry_their_columns():
    assert parties()["seoul"].code == "KR"
    assert items()["k9 thunder"].category == "artillery_systems"
    assert triggers()["took delivery"].frame == "get"


def test_matcher_prefers_the_longest_phrase_and_reads_plurals():
    matcher = PhraseMatcher([("tank", "generic"), ("main battle tank", "mbt")], plurals=True)
    found = matcher.find("two main battle tanks and a tank", lambda *args: True)
    assert [(m.value, m.start, m.end) for m in found] == [("mbt", 4, 21), ("generic", 28, 32)]


def test_matcher_can_reject_a_match_and_try_the_next_entry():
    matcher = PhraseMatcher([("Hawk", "named")], plurals=False)
    assert matcher.find("a hawk flew", lambda text, start, end, surface, value: text[start].isupper()) == []


def test_phrase_wildcards_skip_a_few_words():
    index = phrase_index(["signed * contract", "re-export"])
    found = find_phrases("Poland signed a second executive contract and may re-export jets", index)
    assert [phrase for _, _, phrase in found] == ["signed * contract", "re-export"]
