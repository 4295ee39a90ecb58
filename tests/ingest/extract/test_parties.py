from ingest.extract.parties import find_parties


def codes(text):
    return [(text[m.start : m.end], m.code, m.kind) for m in find_parties(text)]


def test_capitals_institutions_and_demonyms_map_to_states():
    found = {
        surface: code
        for surface, code, _ in codes("Seoul told the Kremlin that Polish officials and Kyiv agreed.")
    }
    assert found == {"Seoul": "KR", "the Kremlin": "RU", "Polish": "PL", "Kyiv": "UA"}


def test_companies_are_coded_by_their_home_state():
    (mention,) = [m for m in find_parties("Hanwha Aerospace will build the guns.") if m.is_company]
    assert (mention.code, mention.org) == ("KR", "Hanwha Aerospace")


def test_the_longest_name_wins():
    assert [c for _, c, _ in codes("North Korea and South Korea")] == ["KP", "KR"]


def test_acronyms_match_only_in_capitals():
    assert codes("they told us") == []
    assert [c for _, c, _ in codes("the US approved it")] == ["US"]


def test_made_in_marks_an_origin_not_an_actor():
    (mention,) = find_parties("US-made Javelins")
    assert mention.code == "US" and mention.made_in


def test_a_titled_person_is_read_through_the_title_state():
    found = codes("Dutch Prime Minister Mark Rutte pledged jets")
    assert [c for _, c, _ in found] == ["NL"]
