"""Verbless entries of sale notices, contracts signed with a ministry or an air force, parts of orders."""

from tests.ingest.extract.helpers import deals_of

LEAD = "The State Department approved two possible sales on Friday, the agency said.\n\n"


def test_priced_entry_under_an_approval_lead_is_an_approved_sale_to_the_country_named():
    deals = deals_of(LEAD + "Greece: 30 Javelin missiles, with launch units, for an estimated $45 million.\n")
    assert len(deals) == 1, deals
    deal = deals[0]
    assert (deal["supplier"], deal["recipient"], deal["status"]) == (["US"], ["GR"], "approved")
    assert (deal["quantity"], deal["value"]) == (30, 45_000_000)
    assert deal["evidence"].startswith("Greece: 30 Javelin")


def test_each_entry_gets_its_own_buyer():
    text = LEAD + (
        "Chile: 8 Harpoon missiles for an estimated $90 million.\n\nPeru: 20 Stinger missiles estimated at $12 million.\n"
    )
    assert sorted(d["recipient"][0] for d in deals_of(text)) == ["CL", "PE"]


def test_entry_without_an_approval_lead_is_not_a_deal():
    assert deals_of("Market report.\n\nGreece: 30 Javelin missiles for an estimated $45 million.\n") == []


def test_entry_without_a_price_is_not_read_as_a_sale():
    assert deals_of(LEAD + "Greece: 30 Javelin missiles were fired in an exercise last year.\n") == []


def stages(text):
    return sorted((d["status"], d["quantity"]) for d in deals_of(text))


def test_first_few_of_the_lot_bought_that_landed_are_a_delivery_and_the_order():
    text = "The first two of the eight Rafale jets Greece bought from France arrived on Monday."
    assert stages(text) == [("delivered", 2), ("signed", 8)]


def test_part_received_of_a_lot_being_bought_is_a_delivery_and_a_firm_order_with_the_price():
    deals = deals_of(
        "Egypt received the first two of the six frigates it is buying from Italy for $1 billion."
    )
    assert sorted((d["status"], d["quantity"], d["value"]) for d in deals) == [
        ("delivered", 2, None),
        ("signed", 6, 1_000_000_000),
    ]
    assert all((d["supplier"], d["recipient"]) == (["IT"], ["EG"]) for d in deals)


def test_last_few_of_an_order_taken_over_are_a_delivery_and_the_order():
    text = "Greece took delivery of the last two of the six Rafale jets it ordered from France."
    assert stages(text) == [("delivered", 2), ("signed", 6)]


def test_first_few_of_an_order_still_due_keep_the_order_only():
    text = "The first three of the 12 Black Hawk helicopters that Chile ordered from the US are due in May."
    assert stages(text) == [("signed", 12)]


def test_maker_signing_with_a_states_air_force_sells_to_that_state():
    deals = deals_of("Saab signed with the Colombian air force for 17 Gripen fighters.")
    assert [(d["supplier"], d["recipient"], d["quantity"]) for d in deals] == [(["SE"], ["CO"], 17)]


def test_maker_signing_with_a_defence_ministry_sells_to_its_state():
    deals = deals_of(
        "Rheinmetall signed a contract with Austria's defence ministry for 36 Skyranger systems."
    )
    assert [(d["supplier"], d["recipient"]) for d in deals] == [(["DE"], ["AT"])]


def test_company_named_by_its_nationality_sells_to_the_state_it_signed_with():
    text = (
        "Saab said work on Colombia's Gripen fighters was on schedule. The Swedish company signed the "
        "contract, worth about 3.1 billion euros, with the Colombian air force last November, and the first "
        "jets are due next year."
    )
    signed = [d for d in deals_of(text) if d["value"] == 3_100_000_000]
    assert [(d["supplier"], d["recipient"], d["status"]) for d in signed] == [(["SE"], ["CO"], "signed")]


def test_state_signing_with_another_government_still_buys():
    deals = deals_of("Poland signed a contract with the US government for 96 Apache helicopters.")
    assert [(d["supplier"], d["recipient"]) for d in deals] == [(["US"], ["PL"])]


def test_first_of_a_lot_handed_over_and_ordered_in_the_same_sentence_is_a_delivery_and_the_order():
    text = "Italy handed over the first of four frigates to the Indonesian navy, three years after Jakarta ordered them."
    assert stages(text) == [("delivered", 1), ("signed", 4)]


def test_entry_headed_by_a_word_that_is_no_state_is_not_a_sale():
    assert deals_of(LEAD + "Update: 30 Javelin missiles for an estimated $45 million.\n") == []
