"""Phrasings of writers the rules were not tuned on: who sells and who buys, carried context, money and counts."""

from ingest.extract.mentions import read_sentence
from ingest.extract.money import find_money
from ingest.extract.parties import find_parties
from ingest.extract.sentences import split_sentences
from tests.ingest.extract.helpers import deals_of, only

# who sells and who buys


def test_a_firm_that_wins_an_order_sells_to_the_customer_named_after_from():
    deals = deals_of("Kongsberg has won an order from Slovakia for NASAMS launchers worth NOK 2 billion.")
    deal = only(deals, category="air_defense")
    assert deal["supplier"] == ["NO"] and deal["recipient"] == ["SK"] and deal["status"] == "signed"
    assert deal["value"] == 2_000_000_000 and deal["currency"] == "NOK"


def test_an_order_from_a_buyer_inside_a_listing_is_sold_by_the_subject():
    deals = deals_of(
        "Slovak state exporter MSM Group said it had booked several orders abroad, including an order from "
        "Romania for 152mm shells."
    )
    deal = only(deals, category="artillery_ammunition")
    assert deal["supplier"] == ["SK"] and deal["recipient"] == ["RO"] and deal["status"] == "signed"


def test_a_firm_announcing_a_customers_order_is_the_seller():
    deals = deals_of(
        "Rheinmetall said the Hungarian army had ordered Lynx infantry fighting vehicles worth EUR 300 million."
    )
    deal = only(deals, category="armored_vehicles")
    assert deal["supplier"] == ["DE"] and deal["recipient"] == ["HU"] and deal["status"] == "signed"


def test_a_cancelled_contract_with_a_firm_was_a_purchase_from_the_firm():
    deals = deals_of(
        "Peru has cancelled its contract with Hyundai Rotem for K2 tanks, officials in Lima said."
    )
    deal = only(deals, category="armored_vehicles")
    assert deal["supplier"] == ["KR"] and deal["recipient"] == ["PE"] and deal["status"] == "cancelled"


def test_a_declined_offer_is_rejected_by_the_buyer_and_the_offer_is_not_a_second_deal():
    deals = deals_of(
        "Manila has turned down an offer from Beijing of four used patrol vessels, a navy spokesman said. "
        "China had offered the ships free of charge."
    )
    deal = only(deals, category="naval")
    assert deal["supplier"] == ["CN"] and deal["recipient"] == ["PH"] and deal["status"] == "rejected"
    assert deal["quantity"] == 4


def test_an_unnamed_institution_after_a_place_opener_acts_for_that_place():
    deals = deals_of(
        "In Canberra, the defence ministry said it had ordered 40 Black Hawk helicopters from Sikorsky."
    )
    deal = only(deals, category="helicopters")
    assert deal["supplier"] == ["US"] and deal["recipient"] == ["AU"] and deal["quantity"] == 40


def test_a_company_opener_is_not_read_as_a_place_of_an_institution():
    deals = deals_of("In Sweden, Saab said the Czech army had ordered Carl-Gustaf M4 launchers.")
    deal = only(deals, category="anti_tank")
    assert deal["supplier"] == ["SE"] and deal["recipient"] == ["CZ"]


def test_an_earlier_lot_set_against_a_new_order_is_its_own_deal_with_the_same_seller():
    deals = deals_of(
        "Norway ordered 24 more K9 howitzers from South Korea, in addition to the 28 it bought in 2017."
    )
    assert {d["quantity"] for d in deals if d["category"] == "artillery_systems"} == {24, 28}
    assert all(d["supplier"] == ["KR"] and d["recipient"] == ["NO"] for d in deals)


def test_companies_named_with_an_ampersand_or_their_initials_keep_their_home_state():
    assert [p.code for p in find_parties("Larsen & Toubro said")] == ["IN"]
    assert [(p.code, p.kind) for p in find_parties("IWI said")] == [("IL", "company")]
    deals = deals_of("Israel Weapon Industries will supply Negev machine guns to the Philippines.")
    assert only(deals, category="small_arms")["supplier"] == ["IL"]


# allegations


def test_an_accusation_of_shipping_names_the_accused_as_supplier():
    deals = deals_of(
        "Washington has accused Tehran of shipping drones to Russian forces, which Tehran denies."
    )
    deal = only(deals, category="drones")
    assert deal["supplier"] == ["IR"] and deal["recipient"] == ["RU"] and deal["status"] == "alleged"


def test_a_states_arms_firms_act_for_the_state_in_a_spy_agency_claim():
    deals = deals_of("The GRU said Bulgarian arms companies were sending rockets to Ukraine through Poland.")
    deal = only(deals, category="rockets_missiles")
    assert deal["supplier"] == ["BG"] and deal["recipient"] == ["UA"] and deal["status"] == "alleged"


def test_bare_ammunition_in_an_accusation_folds_into_the_kinds_named_later():
    deals = deals_of(
        "Minsk dismissed an accusation that Belarusian factories were supplying ammunition to Russia. "
        "Kyiv's intelligence service said Belarus was shipping artillery shells to Russia by rail."
    )
    assert [d["category"] for d in deals] == ["artillery_ammunition"]
    assert deals[0]["supplier"] == ["BY"] and deals[0]["recipient"] == ["RU"]


# not deals


def test_a_customer_left_unnamed_gives_no_deal():
    assert (
        deals_of("Saab has won a SEK 1 billion contract to supply radars to an undisclosed customer.") == []
    )
    assert deals_of("Hanwha has sold its howitzers to more than ten countries since 2001.") == []


def test_weapons_sent_against_targets_are_attacks_not_transfers():
    text = "Ukraine's air defences face the drones that Russia sends against its power plants every night."
    assert deals_of(text) == []


def test_a_plan_that_was_to_have_happened_is_no_deal():
    assert deals_of("The cancelled contract was to have supplied 30 Leopard tanks to Qatar.") == []


def test_a_scheme_that_buys_for_a_beneficiary_is_not_the_donor_buying():
    deals = deals_of(
        "The Netherlands will give EUR 250 million to the Czech-led initiative that procures shells abroad for Ukraine."
    )
    deal = only(deals, category="financial_aid")
    assert deal["supplier"] == ["NL"] and deal["recipient"] == ["CZ"] and deal["intended_for"] == ["UA"]
    assert len(deals) == 1


def test_a_buyer_of_the_article_is_not_taken_as_the_supplier_of_a_vague_arrival():
    deals = deals_of(
        "Chile bought two frigates from Australia last year. Elsewhere, Peru is preparing to receive new fighters."
    )
    assert [d["recipient"] for d in deals] == [["CL"]]


def test_the_delivery_schedule_of_a_signed_order_is_not_a_new_pledge():
    deals = deals_of(
        "Greece signed a contract with Lockheed Martin for 20 F-35 fighters. The jets will be delivered from 2028."
    )
    assert [(d["category"], d["status"]) for d in deals] == [("aircraft", "signed")]


def test_shipping_as_a_noun_is_no_shipment():
    assert deals_of("Minehunters from Belgium will clear mines from shipping lanes near Odesa.") == []


# parties carried from context


def test_a_maker_named_in_a_verbless_sentence_supplies_the_next_arrival():
    deals = deals_of("Chinese drones followed. Algeria's first Wing Loong II drones arrived in 2022.")
    deal = only(deals, category="drones")
    assert deal["supplier"] == ["CN"] and deal["recipient"] == ["DZ"] and deal["status"] == "delivered"


def test_its_army_refers_to_the_state_the_previous_sentence_spoke_about():
    deals = deals_of(
        "Kenya has long relied on American equipment. Its army received 16 armoured vehicles last year."
    )
    deal = only(deals, category="armored_vehicles")
    assert deal["supplier"] == ["US"] and deal["recipient"] == ["KE"] and deal["quantity"] == 16


def test_an_unnamed_department_of_a_donor_is_not_the_recipient_just_named():
    deals = deals_of(
        "Sweden will send Ukraine 20 CV90 infantry fighting vehicles. "
        "The ministry will also provide Ukraine with SEK 400 million of drones."
    )
    deal = only(deals, category="drones")
    assert deal["supplier"] == ["SE"] and deal["recipient"] == ["UA"] and deal["value"] == 400_000_000


# status words


def test_past_progressive_shipments_are_deliveries_and_completed_deliveries_too():
    deals = deals_of("Nammo has completed deliveries of 155mm shells to Estonia.")
    assert only(deals, category="artillery_ammunition")["status"] == "delivered"


def test_a_donor_pledging_money_for_equipment_gives_that_equipment_with_the_sum():
    deals = deals_of("Seoul is pledging KRW 20 billion for demining equipment for Ukraine, officials said.")
    deal = only(deals, category="non_lethal_equipment")
    assert deal["supplier"] == ["KR"] and deal["recipient"] == ["UA"] and deal["status"] == "pledged"
    assert deal["value"] == 20_000_000_000 and deal["currency"] == "KRW"


def test_paying_for_items_made_elsewhere_gives_them_to_the_beneficiary():
    deals = deals_of("Lithuania will pay EUR 40 million for Ukrainian-made drones for Ukraine's army.")
    deal = only(deals, category="drones")
    assert deal["supplier"] == ["LT"] and deal["recipient"] == ["UA"] and deal["value"] == 40_000_000


def test_money_spent_on_aid_to_a_named_state_is_aid_and_a_budget_is_not():
    deal = only(
        deals_of("Norway will spend NOK 5 billion on military aid to Ukraine next year."),
        category="financial_aid",
    )
    assert deal["supplier"] == ["NO"] and deal["recipient"] == ["UA"]
    assert deals_of("Poland will spend PLN 160 billion on defence next year.") == []


# money and counts


def test_a_converted_figure_restates_the_first_currency_and_is_no_count():
    sentence = split_sentences(
        "Poland ordered 96 K9 howitzers in a deal worth 1.2 trillion won (about $900 million)."
    )[0]
    facts = read_sentence(0, sentence)
    assert [(m.currency, m.value) for m in facts.money] == [("KRW", 1.2e12)]
    assert [q.value for q in facts.quantities] == [96]


def test_iso_codes_of_smaller_currencies_are_money():
    assert [m.currency for m in find_money("a CZK 2 billion and an ISK 300 million grant")] == ["CZK", "ISK"]


def test_a_package_value_goes_to_each_kind_of_item_and_the_package_is_not_aid_money():
    deals = deals_of(
        "Finland will send Ukraine air defence missiles and armoured vehicles as part of a military aid package "
        "worth EUR 190 million."
    )
    assert {d["category"] for d in deals} == {"air_defense", "armored_vehicles"}
    assert all(d["value"] == 190_000_000 for d in deals)


def test_a_price_stated_two_sentences_later_is_the_contracts():
    deals = deals_of(
        "Romania signed a contract for 54 Abrams tanks from the United States. "
        "The tanks will equip a new brigade. The ministry put the cost at just under $1 billion."
    )
    assert only(deals, category="armored_vehicles")["value"] == 1_000_000_000


def test_a_peso_price_takes_the_peso_of_the_state_the_article_named():
    deals = deals_of(
        "Mexico has ordered Black Hawk helicopters from the United States. "
        "The contract, worth 5 billion pesos, was signed in May."
    )
    deal = only(deals, category="helicopters")
    assert deal["currency"] == "MXN" and deal["value"] == 5_000_000_000


def test_the_first_of_a_fleet_received_counts_the_fleet_and_one_sale_mention_is_no_count():
    received = deals_of("Romania received the first of 54 Abrams tanks from the United States.")
    assert only(received, category="armored_vehicles")["quantity"] == 54
    sold = deals_of(
        "Hanwha has signed a contract to supply Estonia with two dozen K9 howitzers, its first export of the gun "
        "to the Baltics."
    )
    assert only(sold, category="artillery_systems")["quantity"] == 24


def test_a_version_after_a_family_name_keeps_the_family_kind():
    deals = deals_of("Latvia ordered Carl-Gustaf M4 recoilless rifles and ammunition from Saab.")
    deal = only(deals, category="anti_tank")
    assert deal["supplier"] == ["SE"] and deal["recipient"] == ["LV"]
    assert len(deals) == 1


def test_an_autocannon_round_with_its_case_length_is_not_artillery():
    deals = deals_of("Patria said Latvia had ordered 30x173mm rounds for the army's CV90 vehicles.")
    assert [d["category"] for d in deals] == ["ammunition_other"]


def test_a_contract_that_also_covers_more_items_adds_them_to_the_same_deal():
    deals = deals_of(
        "Hanwha Aerospace has signed a contract to supply Egypt with 100 K9 howitzers. "
        "The contract, signed in Cairo with the Egyptian procurement agency, also covers K10 resupply vehicles."
    )
    vehicles = only(deals, category="armored_vehicles")
    assert (
        vehicles["supplier"] == ["KR"] and vehicles["recipient"] == ["EG"] and vehicles["status"] == "signed"
    )


def test_a_generic_aircraft_mention_does_not_become_the_missiles_named_before():
    deals = deals_of(
        "Qatar bought 12 Rafale jets from France with Meteor missiles, and the first aircraft arrived in 2019."
    )
    assert {d["category"] for d in deals} <= {"aircraft", "rockets_missiles"}
    assert only(deals, category="rockets_missiles")["supplier"] == ["FR"]


def test_the_subject_of_talks_is_not_an_approximate_count():
    deals = deals_of(
        "Peru is negotiating with Hyundai Rotem over 60 K2 tanks, and Chile is in talks with Paris about 12 Rafales."
    )
    tanks = only(deals, category="armored_vehicles")
    assert (tanks["quantity"], tanks["quantity_qualifier"], tanks["status"]) == (60, "exact", "negotiating")
    jets = only(deals, category="aircraft")
    assert (jets["quantity"], jets["quantity_qualifier"]) == (12, "exact")


def test_a_version_or_their_own_stands_for_another_lot_of_the_item_just_named():
    deals = deals_of(
        "Egypt is in talks with France about 30 more Rafale jets, on top of the two-seat version it bought in 2015."
    )
    assert sorted(d["status"] for d in deals if d["category"] == "aircraft") == ["negotiating", "signed"]
    deals = deals_of(
        "Chinese drones came first. Chad's first Wing Loong drones arrived in 2023, and Togo received its own in 2024."
    )
    assert {tuple(d["recipient"]) for d in deals} == {("TD",), ("TG",)}
    assert all(d["supplier"] == ["CN"] for d in deals)


def test_a_buyer_only_report_takes_its_seller_from_the_next_sentence():
    deals = deals_of(
        "Estonia will receive more than 1,200 anti-tank missiles under a EUR 90 million contract. "
        "The defence ministry signed the contract with Saab for NLAW missiles."
    )
    deal = only(deals, category="anti_tank")
    assert deal["supplier"] == ["SE"] and deal["recipient"] == ["EE"]
    assert (deal["quantity"], deal["quantity_qualifier"], deal["value"]) == (1200, "more_than", 90_000_000)


def test_a_pledge_in_a_relative_clause_takes_the_stage_of_the_main_verb():
    deals = deals_of(
        "The last three of the 12 Piranha vehicles that Ireland promised to Ukraine have now been handed over."
    )
    deal = only(deals, category="armored_vehicles")
    assert (deal["supplier"], deal["recipient"], deal["status"], deal["quantity"]) == (
        ["IE"],
        ["UA"],
        "delivered",
        12,
    )


def test_a_home_state_buying_from_its_own_firm_for_another_state_supplies_that_state():
    deals = deals_of(
        "Lockheed Martin has secured a contract from the Pentagon for 300 PAC-3 interceptors for Ukraine."
    )
    deal = only(deals, category="air_defense")
    assert (deal["supplier"], deal["recipient"], deal["status"]) == (["US"], ["UA"], "signed")


def test_an_offer_named_by_a_demonym_was_made_by_that_state():
    deal = only(deals_of("Egypt has declined a Russian offer of Su-35 fighters."), category="aircraft")
    assert (deal["supplier"], deal["recipient"], deal["status"]) == (["RU"], ["EG"], "rejected")


def test_a_named_states_firm_exports_for_that_state_and_officials_reporting_it_make_it_alleged():
    deals = deals_of(
        "Dutch prosecutors said a Slovak company had exported 155mm shells to Armenia via Georgia."
    )
    deal = only(deals, category="artillery_ammunition")
    assert (deal["supplier"], deal["recipient"], deal["status"]) == (["SK"], ["AM"], "alleged")


def test_a_running_total_is_neither_a_price_nor_an_aid_deal():
    deals = deals_of(
        "Britain will send Ukraine drones worth GBP 200 million, taking its total military aid to GBP 12 billion."
    )
    deal = only(deals, category="drones")
    assert deal["value"] == 200_000_000 and len(deals) == 1
    sent = deals_of(
        "Spain has sent 40,000 shells to Ukraine since 2022, bringing the total to EUR 2 billion."
    )
    assert only(sent, category="artillery_ammunition")["value"] is None


def test_a_government_weighing_a_transfer_has_made_no_deal():
    assert deals_of("Officials say Tokyo is considering sending Patriot missiles to Britain.") == []


def test_area_denial_weapons_are_not_a_denial():
    deals = deals_of("Turkey will deliver area denial mines and 20 Kirpi vehicles to Ukraine.")
    assert all(d["status"] == "pledged" for d in deals) and deals


def test_a_possessive_purchase_of_items_from_a_seller_is_a_past_deal():
    deals = deals_of("The order follows Jakarta's purchase of Rafale jets from Paris in 2022.")
    deal = only(deals, category="aircraft")
    assert (deal["supplier"], deal["recipient"], deal["status"]) == (["FR"], ["ID"], "signed")


def test_suspended_talks_are_a_cancelled_negotiation():
    deals = deals_of("Qatar has suspended talks with Washington over 24 F-15 fighters.")
    deal = only(deals, category="aircraft")
    assert (deal["supplier"], deal["recipient"], deal["status"], deal["quantity"]) == (
        ["US"],
        ["QA"],
        "cancelled",
        24,
    )


def test_a_firm_awarded_a_contract_by_a_state_sells_to_it_and_a_contract_it_won_is_signed():
    deal = only(
        deals_of("Hanwha Aerospace was awarded a contract by Australia for 129 Redback vehicles."),
        category="armored_vehicles",
    )
    assert (deal["supplier"], deal["recipient"], deal["status"], deal["quantity"]) == (
        ["KR"],
        ["AU"],
        "signed",
        129,
    )
    deal = only(
        deals_of("KNDS will supply Caesar howitzers to Belgium under a contract it won last year."),
        category="artillery_systems",
    )
    assert (deal["supplier"], deal["recipient"], deal["status"]) == (["FR"], ["BE"], "signed")
    deal = only(
        deals_of("Navantia has landed a deal with the Saudi navy for five corvettes."), category="naval"
    )
    assert (deal["supplier"], deal["recipient"], deal["status"]) == (["ES"], ["SA"], "signed")
