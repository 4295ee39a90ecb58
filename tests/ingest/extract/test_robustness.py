"""Any input gives a list of candidates (possibly empty) without raising."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.extract import DealCandidate, extract, parse_document

WORDS = st.sampled_from(
    "Germany will send 14 Leopard tanks to Ukraine . Seoul asked Washington for $9bn of shells , "
    "the ministry it said approved rejected 155mm about more than up to € £ ₹ crore Kremlin NATO".split()
)


def check(deals):
    assert isinstance(deals, list)
    assert all(isinstance(d, DealCandidate) for d in deals)


@settings(max_examples=60, deadline=None)
@given(st.text())
def test_random_text_never_crashes(text):
    check(extract(text))


@settings(max_examples=60, deadline=None)
@given(st.lists(WORDS, max_size=80).map(" ".join))
def test_word_salad_from_the_domain_never_crashes(text):
    deals = extract(text)
    check(deals)
    for deal in deals:
        assert text[deal.evidence_start : deal.evidence_end] == deal.evidence


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_random_bytes_parse_and_extract(data):
    document = parse_document(data)
    assert isinstance(document.text, str)
    check(extract(document.text))


def test_empty_and_blank_input():
    assert extract("") == []
    assert extract("   \n\n ") == []
    assert parse_document(b"").text == ""


def test_huge_input_finishes():
    sentence = "Germany will send 14 Leopard tanks to Ukraine, officials said on Monday. "
    text = (sentence * 80_000)[:5_000_000]
    check(extract(text))


def test_huge_input_without_any_punctuation_finishes():
    check(extract("tanks Ukraine Germany send " * 200_000))


def test_deeply_nested_html_parses():
    html = (
        "<html><body>"
        + "<div>" * 5000
        + "Germany will send 14 tanks to Ukraine."
        + "</div>" * 5000
        + "</body></html>"
    )
    document = parse_document(html.encode(), filename="deep.html")
    assert isinstance(document.text, str)
    check(extract(document.text))
