"""Per-item sources, elided items, places inside institution names and denials of past shipments."""

from ingest.extract import extract
from ingest.extract.mentions import read_sentence
from ingest.extract.parties import find_parties
from ingest.extract.sentences import split_sentences
from ingest.extract.status import find_triggers


def deals(text):
    return sorted(
        (tuple(d.supplier), tuple(d.recipient), d.category, d.quantity, d.status) for d in extract(text)
    )


def facts(text, previous=""):
    return read_sentence(0, split_sentences(text)[0], frozenset(), previous)


def test_each_item_takes_the_nearest_source_after_it():
    found = deals("Chile has bought tanks from Germany, and frigates and helicopters from Britain.")
    assert [(s, c) for s, _, c, _, _ in found] == [
        (("DE",), "armored_vehicles"),
        (("GB",), "helicopters"),
        (("GB",), "naval"),
    ]


def test_a_single_source_still_covers_the_whole_list():
    found = deals("Chile has bought tanks and frigates from Germany.")
    assert {s for s, *_ in found} == {("DE",)}


def test_a_second_buyer_signing_for_a_bare_count_takes_the_item_just_named():
    text = "Peru agreed to buy 12 K9 howitzers from South Korea, and Ecuador signed for six in June."
    assert (("KR",), ("EC",), "artillery_systems", 6, "signed") in deals(text)


def test_and_another_count_is_a_second_lot_of_the_same_item():
    found = deals("Qatar ordered 24 Rafale jets from France in 2015 and another 12 in 2017.")
    assert sorted(q for *_, q, _ in found) == [12, 24]


def test_a_bare_count_after_an_order_verb_reads_the_item_of_the_sentence_before():
    sentence = facts(
        "Chile ordered 16 from Spain in 2009.", previous="The navy flies its Airbus C295 aircraft."
    )
    assert [(i.category, i.start == i.end) for i in sentence.items] == [("aircraft", True)]


def test_a_bare_count_without_an_order_verb_does_not_borrow_an_item():
    sentence = facts("Chile saw 16 in 2009 from Spain.", previous="The navy flies its Airbus C295 aircraft.")
    assert sentence.items == []


def test_places_that_name_think_tanks_and_universities_are_not_parties():
    assert [m.code for m in find_parties("The Kiel Institute for the World Economy said Poland paid.")] == [
        "PL"
    ]
    assert [m.code for m in find_parties("A study by the University of Warsaw found that Germany paid.")] == [
        "DE"
    ]
    assert "DE" in [m.code for m in find_parties("Germany and the NATO Defense College agreed.")]


def test_a_place_followed_by_other_words_is_still_a_party():
    assert [m.code for m in find_parties("Sweden sent the institute a letter.")] == ["SE"]


def test_never_with_a_past_shipment_is_a_denial_not_a_refusal():
    assert find_triggers("It said it had never shipped rockets to Russia.") == []
    (hit,) = find_triggers("Berlin will not send Taurus missiles to Kyiv.")
    assert hit.status == "rejected"


def test_a_denial_after_an_allegation_marks_the_allegation_only():
    text = (
        "Lithuanian intelligence says Belarus shipped Russia Grad rockets last year. "
        "Minsk said it had never transferred rockets to any side in the war in Ukraine."
    )
    (deal,) = extract(text)
    assert (deal.supplier, deal.recipient, deal.status, deal.denied_by) == (
        ("BY",),
        ("RU",),
        "alleged",
        ("BY",),
    )


def test_the_first_few_of_an_order_are_a_delivery_and_the_order_a_deal_of_its_own():
    found = deals(
        "Chile took delivery of the first three of 12 Black Hawk helicopters it ordered from the US."
    )
    assert [(q, s) for *_, q, s in found] == [(3, "delivered"), (12, "signed")]


def test_the_first_few_of_a_known_order_keep_the_order_only():
    found = deals(
        "The first three of the 12 Black Hawk helicopters that Chile ordered from the US are due in May."
    )
    assert [q for *_, q, _ in found] == [12]


def test_the_last_of_a_lot_handed_over_by_the_maker_is_one_unit_of_an_order():
    found = deals("Saab handed over the last of three Giraffe radars to Latvia.")
    assert [(q, s) for *_, q, s in found] == [(1, "delivered"), (3, "signed")]


def test_the_last_of_a_lot_received_reports_the_lot_complete():
    found = deals("Qatar said it had received the last of 24 Rafale jets from France.")
    assert [(q, s) for *_, q, s in found] == [(24, "delivered")]


def test_a_makers_contract_in_a_country_sells_to_that_country():
    found = deals("Hanwha Aerospace has signed a contract in Peru for 24 K9 howitzers.")
    assert found == [(("KR",), ("PE",), "artillery_systems", 24, "signed")]


def test_a_buyer_signing_with_a_maker_buys_from_the_makers_state():
    found = deals("The Polish army has signed with Rheinmetall for 20,000 rounds of 155mm ammunition.")
    assert found == [(("DE",), ("PL",), "artillery_ammunition", 20000, "signed")]


def test_a_contract_signed_with_a_party_is_not_a_second_signing():
    (hit,) = [h for h in find_triggers("Peru received its first battery under a contract signed with India.")]
    assert hit.phrase != "signed with"


def test_what_a_buyer_cannot_buy_is_not_a_purchase():
    assert find_triggers("It suits air forces that cannot buy fighter jets.") == []
    assert find_triggers("Lima was unable to buy the tanks.") == []
    assert [h.phrase for h in find_triggers("Lima will buy the tanks.")] == ["buy"]


def test_hyphenated_amounts_and_crowns_are_money():
    from ingest.extract.money import find_money

    found = [
        (m.value, m.currency)
        for m in find_money("a 12.5-billion-yen loan, a 40 million-euro order and 2.1 billion Swedish crowns")
    ]
    assert found == [(12_500_000_000, "JPY"), (40_000_000, "EUR"), (2_100_000_000, "SEK")]


def test_money_for_a_joint_venture_plant_is_not_aid():
    assert deals("The Slovak cabinet approved a 300 million-euro joint venture plant with Rheinmetall.") == []


def test_a_noun_describing_an_item_already_named_is_not_another_item():
    sentence = facts("The frigates, bought in 2019, were the first Italian warships exported to Asia.")
    assert [i.text for i in sentence.items] == ["frigates"]


def test_a_further_request_after_a_grant_is_a_deal_of_its_own():
    text = (
        "Japan will give Vietnam four patrol boats under a new loan. "
        "Hanoi has also asked Japan for two retired frigates."
    )
    assert (("JP",), ("VN",), "naval", 2, "requested") in deals(text)


def test_the_scheme_acts_for_the_state_that_leads_it():
    text = (
        "The Estonian-led coalition that buys drones for Ukraine received new money from Norway. "
        "The coalition delivered 5,000 drones to Ukraine last year."
    )
    assert (("EE",), ("UA",), "drones", 5000, "delivered") in deals(text)


def test_a_states_share_of_a_scheme_pays_for_what_the_scheme_serves():
    text = (
        "The Latvian-led coalition that buys drones for Ukraine has new money from Sweden and Norway. "
        "The Swedish share, 90 million euros, will pay for about 4,000 drones."
    )
    assert (("SE",), ("UA",), "drones", 4000, "pledged") in deals(text)


def test_a_component_of_what_a_maker_builds_is_not_a_deal_of_its_own():
    found = facts("Peru ordered six K9 howitzers to be built by Hanwha with new radars from Thales.")
    assert [i.category for i in found.items] == ["artillery_systems"]


def test_keeping_leased_aircraft_is_an_agreed_lease_and_more_years_are_no_lot():
    text = "Slovakia has agreed with Sweden to keep its six leased Gripen fighters for three more years."
    assert deals(text) == [(("SE",), ("SK",), "aircraft", 6, "agreed")]
    assert find_triggers("The army wants to keep the tanks running.") == []
