from ingest.extract import extract


def deals(text):
    return [(d.supplier, d.recipient, d.category, d.status) for d in extract(text)]


def test_active_giver_is_supplier_and_to_phrase_is_recipient():
    assert deals("Spain will send Patriot missiles to Ukraine.") == [
        (("ES",), ("UA",), "air_defense", "pledged")
    ]


def test_bare_object_after_give_verb_is_recipient():
    assert deals("France agreed last year to sell Armenia three Ground Master 200 radars.") == [
        (("FR",), ("AM",), "radars_sensors", "agreed")
    ]


def test_buyer_subject_and_from_phrase_supplier():
    assert deals("Egypt ordered 24 Rafale jets from France in 2015.") == [
        (("FR",), ("EG",), "aircraft", "signed")
    ]


def test_passive_voice_delivery_gets_supplier_from_by_phrase():
    assert deals("Forty tanks were delivered to Ukraine by Denmark.") == [
        (("DK",), ("UA",), "armored_vehicles", "delivered")
    ]


def test_possessive_request_names_the_recipient_of_a_refusal():
    assert deals("Chancellor Olaf Scholz has refused Ukraine's requests for Taurus cruise missiles.") == [
        (("DE",), ("UA",), "rockets_missiles", "rejected")
    ]


def test_government_ordering_from_its_own_industry_for_a_third_country_supplies_it():
    found = extract("Germany has ordered TRML-4D radars for Ukraine from Hensoldt.")
    assert [(d.supplier, d.supplier_org, d.recipient, d.status) for d in found] == [
        (("DE",), "Hensoldt", ("UA",), "signed")
    ]


def test_separate_donors_in_one_sentence_make_separate_deals():
    found = deals("Latvia and Lithuania will send Stinger air-defence systems to Ukraine.")
    assert found == [
        (("LV",), ("UA",), "air_defense", "pledged"),
        (("LT",), ("UA",), "air_defense", "pledged"),
    ]


def test_each_item_keeps_the_recipient_named_right_after_it():
    found = deals("The State Department approved the sale of F-16 jets to Turkey and F-35 jets to Greece.")
    assert sorted(found) == [
        (("US",), ("GR",), "aircraft", "approved"),
        (("US",), ("TR",), "aircraft", "approved"),
    ]


def test_relative_clause_reports_an_earlier_delivery():
    text = "Poland agreed to buy 116 Abrams to replace the tanks it had donated to Kyiv."
    assert (("PL",), ("UA",), "armored_vehicles", "delivered") in deals(text)


def test_accusation_makes_an_alleged_deal_denied_by_the_accused():
    found = extract("Washington accused Belarus of supplying artillery shells to Russia. Minsk denied it.")
    assert [(d.supplier, d.recipient, d.status, d.denied_by) for d in found] == [
        (("BY",), ("RU",), "alleged", ("BY",))
    ]


def test_a_government_clearing_its_own_purchase_is_the_recipient():
    assert deals("India has cleared the purchase of 31 MQ-9B drones from the United States.") == [
        (("US",), ("IN",), "drones", "approved")
    ]


def test_passive_refusal_takes_the_refuser_from_the_by_phrase():
    assert deals("The sale of 48 Eurofighter Typhoons to Saudi Arabia has been blocked by Germany.") == [
        (("DE",), ("SA",), "aircraft", "rejected")
    ]


def test_a_count_standing_alone_repeats_the_item_named_before_it():
    text = "Germany delivered the first IRIS-T system to Ukraine in October and has promised three more."
    assert [(d.supplier, d.recipient, d.status, d.quantity) for d in extract(text)] == [
        (("DE",), ("UA",), "delivered", 1),
        (("DE",), ("UA",), "pledged", 3),
    ]


def test_a_later_order_of_the_same_tanks_is_its_own_deal():
    text = "Taiwan took delivery of the first M1A2T Abrams tanks from the United States. Taipei ordered 108 of the tanks in 2019."
    assert [(d.status, d.quantity) for d in extract(text)] == [("delivered", None), ("signed", 108)]
