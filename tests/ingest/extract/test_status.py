import pytest

from ingest.extract.status import find_triggers


def first(text):
    hits = find_triggers(text)
    return (hits[0].frame, hits[0].status) if hits else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Germany sent 14 tanks", ("give", "delivered")),
        ("Germany will send 14 tanks", ("give", "pledged")),
        ("Spain is sending missiles", ("give", "pledged")),
        ("Norway has agreed in principle to contribute jets", ("give", "agreed")),
        ("Poland ordered 48 jets", ("get", "signed")),
        ("Ukraine would buy a further 60", ("get", "announced")),
        ("Canberra signed a contract worth A$1bn for howitzers", ("get", "signed")),
        ("The State Department approved the sale", ("approve", "approved")),
        ("Kyiv asked Seoul for shells", ("request", "requested")),
        ("Seoul turned down the request", ("refuse", "rejected")),
        ("Berlin says it will not send tanks", ("refuse", "rejected")),
        ("the two sides are in talks", ("negotiate", "negotiating")),
        ("Washington froze a planned sale", ("cancel", "cancelled")),
        ("parliament voted to send carriers", ("approve", "approved")),
    ],
)
def test_status_comes_from_verb_tense_and_modality(text, expected):
    assert first(text) == expected


def test_talks_to_export_keep_the_talks_status_and_the_export_direction():
    (hit,) = find_triggers("ongoing talks to export 155mm shells")
    assert (hit.frame, hit.status, hit.direction) == ("negotiate", "negotiating", "give")


@pytest.mark.parametrize(
    "text",
    [
        "If Berlin chose to send Taurus missiles, the front could shift",
        "officials declined to comment on the report",
        "It is India's second large Rafale purchase",
        "the principle of sending only non-lethal aid",
        "the industry regularly sells equipment to allies",
        "the Netherlands offered to pay for missiles if another ally provides a system",
    ],
)
def test_conditionals_nouns_and_habits_are_not_triggers(text):
    assert not [h for h in find_triggers(text) if h.frame in {"give", "get", "refuse"}]


def test_modal_could_marks_a_weak_trigger():
    (hit,) = find_triggers("Israel could also buy up to 30 missiles")
    assert hit.weak
