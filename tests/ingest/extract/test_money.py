import pytest

from ingest.extract.money import find_money


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("a deal worth $9bn", 9_000_000_000, "USD"),
        ("about $3.37 billion", 3_370_000_000, "USD"),
        ("€250 million", 250_000_000, "EUR"),
        ("C$40 million", 40_000_000, "CAD"),
        ("A$7 billion", 7_000_000_000, "AUD"),
        ("£2.3bn of military aid", 2_300_000_000, "GBP"),
        ("₹63,000 crore", 630_000_000_000, "INR"),
        ("2 trillion won", 2_000_000_000_000, "KRW"),
        ("$1.008 billion", 1_008_000_000, "USD"),
        ("600 million hryvnias", 600_000_000, "UAH"),
    ],
)
def test_amounts_are_converted_to_full_units(text, value, currency):
    (money,) = find_money(text)
    assert money.value == pytest.approx(value)
    assert money.currency == currency


def test_two_currencies_are_both_found_in_order():
    found = find_money("worth about $3.37 billion, or roughly 4.5 trillion won")
    assert [m.currency for m in found] == ["USD", "KRW"]
    assert found[0].qualifier == "about"


def test_a_figure_without_a_currency_is_not_money():
    assert find_money("a mid-three-digit million-euro sum and 300 tanks") == []
