"""Phrasings met in articles by other writers: clauses, pronoun objects, reported speech, permissions."""

from ingest.extract.mentions import read_sentence
from ingest.extract.money import find_money
from ingest.extract.numbers import find_quantities
from ingest.extract.sentences import split_sentences
from tests.ingest.extract.helpers import deals_of, only


def test_new_clause_after_and_said_it_gets_its_own_supplier():
    deals = deals_of(
        "Germany delivered two IRIS-T systems to Ukraine, and Spain said it would send four Hawk launchers."
    )
    hawks = only(deals, category="air_defense", quantity=4)
    assert hawks["supplier"] == ["ES"] and hawks["recipient"] == ["UA"] and hawks["status"] == "pledged"


def test_coordinated_subject_does_not_swallow_a_prepositional_party():
    deals = deals_of(
        "Brazil ordered Gripen fighters from Sweden, and Chile bought 20 Leopard 2 tanks from Germany."
    )
    tanks = only(deals, category="armored_vehicles")
    assert tanks["recipient"] == ["CL"] and tanks["supplier"] == ["DE"]
    assert only(deals, category="aircraft")["recipient"] == ["BR"]


def test_buying_for_a_third_party_gives_the_donation_as_its_own_deal():
    deals = deals_of("Canada will buy a NASAMS from the United States and donate it to Ukraine.")
    donation = only(deals, supplier=["CA"])
    assert donation["recipient"] == ["UA"] and donation["status"] == "pledged" and donation["quantity"] == 1
    assert only(deals, supplier=["US"])["recipient"] == ["CA"]


def test_transfer_asserted_by_an_outsider_is_alleged_and_a_later_rejection_denies_it():
    deals = deals_of(
        "The United States said Iran had delivered ballistic missiles to Russia. "
        "Iran's foreign ministry rejected the accusation as baseless."
    )
    deal = only(deals, category="rockets_missiles")
    assert deal["status"] == "alleged" and deal["denied_by"] == ["IR"]


def test_party_speaking_about_its_own_delivery_is_not_an_allegation():
    deal = only(
        deals_of("Turkey's defence ministry said it had delivered six Bayraktar TB2 drones to Niger.")
    )
    assert deal["status"] == "delivered" and deal["supplier"] == ["TR"]


def test_request_that_the_article_reports_as_refused_is_kept_once_as_rejected():
    deals = deals_of(
        "Israel has refused a Ukrainian request for air defence systems. "
        "Kyiv asked Israel this month for Iron Dome batteries."
    )
    assert [d["status"] for d in deals] == ["rejected"]


def test_origin_adjective_on_weapons_in_use_is_not_a_transfer():
    deals = deals_of(
        "Kyiv asked Israel for Iron Dome batteries after Russia began using Iranian-made drones."
    )
    assert {d["category"] for d in deals} == {"air_defense"}


def test_re_export_refusal_codes_origin_holder_and_end_user():
    deal = only(
        deals_of("Switzerland refused to let Denmark re-export Piranha armoured vehicles to Ukraine.")
    )
    assert (deal["supplier"], deal["recipient"], deal["end_user"]) == (["CH"], ["DK"], ["UA"])
    assert deal["status"] == "rejected"


def test_approved_transfer_from_a_holder_is_a_permission():
    deal = only(deals_of("Washington approved the transfer of Hawk missiles from Spain to Ukraine."))
    assert (deal["supplier"], deal["recipient"], deal["end_user"]) == (["US"], ["ES"], ["UA"])


def test_second_request_answered_by_the_same_refusal():
    deals = deals_of(
        "Switzerland turned down a request from Denmark to pass on Piranha carriers "
        "and one from Spain to transfer anti-aircraft guns."
    )
    guns = only(deals, category="air_defense")
    assert (guns["supplier"], guns["recipient"], guns["status"]) == (["CH"], ["ES"], "rejected")


def test_joint_delivery_is_split_by_each_donors_share():
    deals = deals_of(
        "Norway and Denmark jointly delivered nine Archer howitzers to Ukraine, five from Norwegian stocks "
        "and four from Danish ones."
    )
    assert {(tuple(d["supplier"]), d["quantity"]) for d in deals} == {(("NO",), 5), (("DK",), 4)}


def test_first_of_a_promised_lot_is_one_delivered():
    deal = only(deals_of("Spain delivered the first of six Hawk launchers it has promised to Ukraine."))
    assert (deal["status"], deal["quantity"], deal["recipient"]) == ("delivered", 1, ["UA"])


def test_urged_party_to_send_is_the_party_asked():
    deal = only(deals_of("Ukraine's foreign minister urged Japan to send more Patriot interceptors."))
    assert (deal["supplier"], deal["recipient"], deal["status"]) == (["JP"], ["UA"], "requested")


def test_offer_to_unnamed_countries_guesses_no_recipient():
    deals = deals_of(
        "The Philippines bought BrahMos missiles from India. "
        "New Delhi has offered the missile to several countries in Southeast Asia."
    )
    assert len(deals) == 1 and deals[0]["recipient"] == ["PH"]


def test_state_contract_with_a_company_to_provide_makes_the_company_the_supplier():
    deal = only(
        deals_of("Australia's contract with Rheinmetall to provide 100 Boxer vehicles is worth A$1bn.")
    )
    assert deal["supplier"] == ["DE"] and deal["recipient"] == ["AU"] and deal["value"] == 1_000_000_000


def test_by_phrase_of_another_participle_is_not_the_supplier():
    deal = only(
        deals_of(
            "US-made Black Hawk helicopters for Colombia will be shipped under a deal brokered by Canada."
        )
    )
    assert deal["supplier"] == ["US"] and deal["recipient"] == ["CO"]


def test_quoted_we_is_the_speakers_state():
    deal = only(
        deals_of('"We will hand over 20 Leopard tanks to Ukraine," the Danish defence minister said.')
    )
    assert deal["supplier"] == ["DK"] and deal["quantity"] == 20


def test_contract_signed_earlier_gives_signed_status_to_a_future_delivery():
    deal = only(
        deals_of(
            "The Philippine navy will receive two corvettes from South Korea under a 28 billion peso contract signed in 2021."
        )
    )
    assert (deal["status"], deal["value"], deal["currency"]) == ("signed", 28_000_000_000, "PHP")


def test_bare_peso_is_the_peso_of_the_state_named_and_otherwise_no_price():
    assert find_money("a 5 billion peso deal")[0].currency == "XXX"  # resolved per sentence
    assert (
        read_sentence(0, split_sentences("Chile signed a 5 billion peso deal.")[0]).money[0].currency == "CLP"
    )
    assert read_sentence(0, split_sentences("They signed a 5 billion peso deal.")[0]).money == []


def test_handed_over_is_not_a_more_than_qualifier():
    assert [(q.value, q.qualifier) for q in find_quantities("Norway handed over two launchers")] == [
        (2, "exact")
    ]


def test_asking_the_state_of_origin_for_permission_is_a_re_export_request():
    deal = only(
        deals_of(
            "Lithuania will ask the United States for permission to send its Stinger missiles to Ukraine."
        )
    )
    assert (deal["supplier"], deal["recipient"], deal["end_user"]) == (["US"], ["LT"], ["UA"])
    assert deal["status"] == "requested"


def test_declining_to_provide_does_not_reject_an_unrelated_earlier_request():
    deals = deals_of(
        "Lithuania will ask the United States for permission to send its Stinger missiles to Ukraine. "
        "Italy has so far declined to provide Ukraine with SAMP/T air defence systems."
    )
    assert only(deals, supplier=["US"])["status"] == "requested"
    assert only(deals, supplier=["IT"])["status"] == "rejected"


def test_passive_supplied_with_makes_the_subject_the_recipient():
    deal = only(
        deals_of("Ukraine was supplied with 40 to 50 Bradley fighting vehicles by the United States.")
    )
    assert (deal["supplier"], deal["recipient"], deal["quantity"], deal["quantity_qualifier"]) == (
        ["US"],
        ["UA"],
        50,
        "up_to",
    )


def test_items_due_to_arrive_for_a_buyer_come_from_their_origin():
    deal = only(deals_of("The Czech-made Dana howitzers for Azerbaijan are due to arrive next year."))
    assert (deal["supplier"], deal["recipient"]) == (["CZ"], ["AZ"])


def test_close_to_a_deal_is_negotiating():
    deal = only(deals_of("Colombia is close to a deal with Sweden for 16 Gripen jets."))
    assert (deal["supplier"], deal["recipient"], deal["status"]) == (["SE"], ["CO"], "negotiating")


def test_cancelled_order_names_the_origin_of_the_item_not_a_later_clause():
    deal = only(
        deals_of(
            "Thailand cancelled its order for a Chinese submarine after Germany refused to supply engines."
        )
    )
    assert (deal["supplier"], deal["recipient"], deal["status"]) == (["CN"], ["TH"], "cancelled")


def test_denial_of_a_third_party_claim_keeps_it_alleged():
    deal = only(
        deals_of("The Pentagon said Belarus had supplied tanks to Russia, while Minsk denied the claim.")
    )
    assert (deal["status"], deal["denied_by"]) == ("alleged", ["BY"])


def test_received_items_donated_by_a_party_come_from_that_party():
    deal = only(deals_of("Ghana has received four patrol boats donated by China."))
    assert (deal["supplier"], deal["recipient"], deal["quantity"]) == (["CN"], ["GH"], 4)


def test_passive_gift_with_by_agent_goes_to_the_subject():
    deal = only(deals_of("Kenya's air force was gifted six Harbin Z-9 helicopters by China."))
    assert (deal["supplier"], deal["recipient"], deal["status"]) == (["CN"], ["KE"], "delivered")


def test_purchase_verbs_beyond_buy_and_order_are_read():
    deals = deals_of(
        "Pakistan completed the acquisition of 25 J-10C fighters from China. "
        "Nigeria will procure 24 M-346 trainer jets from Italy's Leonardo. "
        "Qatar agreed a deal with Turkey for 100 armoured vehicles."
    )
    assert {(d["supplier"][0], d["recipient"][0], d["status"], d["quantity"]) for d in deals} == {
        ("CN", "PK", "signed", 25),
        ("IT", "NG", "announced", 24),
        ("TR", "QA", "agreed", 100),
    }


def test_reduced_relative_after_a_comma_supplies_the_seller():
    deal = only(
        deals_of(
            "Nigeria's air force took delivery of 12 AH-1Z attack helicopters, bought from the US for $997 million."
        )
    )
    assert (deal["supplier"], deal["recipient"], deal["value"]) == (["US"], ["NG"], 997_000_000)


def test_approving_their_re_export_covers_each_holder_just_reported():
    deals = deals_of(
        "Estonia will send Javelin missiles to Ukraine, and Latvia will send Stinger missiles to Ukraine. "
        "Washington had to approve their re-export."
    )
    approvals = {(d["recipient"][0], d["category"]) for d in deals if d["status"] == "approved"}
    assert approvals == {("EE", "anti_tank"), ("LV", "air_defense")}
    assert all(
        d["end_user"] == ["UA"] and d["supplier"] == ["US"] for d in deals if d["status"] == "approved"
    )


def test_one_approval_addressed_to_two_named_holders_is_one_deal():
    deals = deals_of(
        "Denmark and the Netherlands will give F-16 fighter jets to Ukraine. "
        "The State Department approved the transfers, telling Copenhagen and The Hague it would issue licences."
    )
    approval = only(deals, status="approved")
    assert sorted(approval["recipient"]) == ["DK", "NL"] and approval["end_user"] == ["UA"]


def test_later_sentence_calling_the_claims_false_adds_the_denier():
    deal = only(
        deals_of(
            "Britain said China had supplied drone engines to Russia. Beijing said the claims were false."
        )
    )
    assert (deal["status"], deal["denied_by"]) == ("alleged", ["CN"])


def test_press_report_of_a_sale_is_alleged():
    deal = only(deals_of("A newspaper reported that Egypt had sold artillery shells to the United States."))
    assert (deal["supplier"], deal["recipient"], deal["status"]) == (["EG"], ["US"], "alleged")


def test_shipment_from_a_party_arriving_in_another_is_a_delivery():
    deal = only(
        deals_of("A shipment of 500 Javelin missiles from the United States arrived in Taiwan last week.")
    )
    assert (deal["supplier"], deal["recipient"], deal["quantity"]) == (["US"], ["TW"], 500)


def test_request_for_other_named_items_is_not_folded_into_a_pledge():
    deals = deals_of(
        "Australia will hand over 20 Bushmaster vehicles to Ukraine. "
        "Ukraine's ambassador urged Australia to send Abrams tanks as well."
    )
    assert {d["status"] for d in deals} == {"pledged", "requested"}


def test_participle_after_items_is_not_given_by_the_sentence_subject():
    deals = deals_of(
        "Ukraine destroyed two Russian-made Pantsir systems donated to Moscow's allies years ago."
    )
    assert all(d["supplier"] != ["UA"] for d in deals)


def test_sending_to_the_front_names_no_recipient_to_guess():
    deals = deals_of(
        "Russia bought 20 drones from Iran. Poland sent 14 Leopard tanks to the front in February."
    )
    assert [d["category"] for d in deals] == ["drones"]


def test_buyer_passing_purchase_to_its_own_forces_is_no_second_deal():
    deals = deals_of(
        "Qatar will buy two NASAMS batteries from Norway's Kongsberg and hand them to its air force."
    )
    deal = only(deals, category="air_defense")
    assert (deal["supplier"], deal["recipient"], deal["supplier_org"]) == (["NO"], ["QA"], "Kongsberg")


def test_buyer_passing_a_company_purchase_on_is_the_giver():
    deals = deals_of(
        "Qatar will buy two NASAMS batteries from Norway's Kongsberg and donate them to Ukraine."
    )
    gift = only(deals, recipient=["UA"])
    assert (gift["supplier"], gift["supplier_org"], gift["status"]) == (["QA"], None, "pledged")


def test_the_north_after_a_korean_capital_is_north_korea():
    deals = deals_of(
        "Seoul's intelligence service said on Friday that the North had shipped anti-tank missiles to Russia."
    )
    deal = only(deals, category="anti_tank")
    assert deal["supplier"] == ["KP"] and deal["recipient"] == ["RU"]


def test_the_north_without_a_korean_context_names_no_party():
    deals = deals_of("Italy sent new rifles to the North last week.")
    assert all("KP" not in d["recipient"] for d in deals)


def test_speaker_after_a_from_phrase_is_not_a_second_supplier():
    deal = only(deals_of("Caracas has received combat drones from Iran, Colombian officials said."))
    assert deal["supplier"] == ["IR"] and deal["recipient"] == ["VE"]


def test_never_having_sent_arms_denies_the_alleged_deal_for_the_speaker_only():
    deals = deals_of(
        "Washington said Belarus had shipped artillery shells to Russia. "
        "Minsk said it had never supplied weapons to Moscow."
    )
    assert only(deals, category="artillery_ammunition")["denied_by"] == ["BY"]


def test_calling_the_claims_a_provocation_is_a_denial():
    deals = deals_of(
        "British intelligence said Iran had sent attack drones to Russia. "
        "Tehran called the claims a provocation."
    )
    assert only(deals, category="drones")["denied_by"] == ["IR"]


def test_request_between_capitals_gives_one_deal_per_category():
    deals = deals_of("Hanoi has asked Canberra for coastal patrol boats and surveillance radars.")
    assert {d["category"] for d in deals} == {"naval", "radars_sensors"}
    assert all(d["supplier"] == ["AU"] and d["recipient"] == ["VN"] for d in deals)
    assert {d["status"] for d in deals} == {"requested"}


def test_second_verb_of_a_coordinated_clause_shares_the_first_subject():
    deals = deals_of(
        "Bulgaria handed Kyiv its old Su-25 jets and has since received F-16s from the United States."
    )
    assert only(deals, supplier=["US"])["recipient"] == ["BG"]
    assert only(deals, supplier=["BG"])["recipient"] == ["UA"]


def test_emphatic_past_is_a_delivery():
    deal = only(deals_of("Lisbon did deliver three Leopard 2 tanks to Ukraine last spring."))
    assert deal["status"] == "delivered" and deal["supplier"] == ["PT"]


def test_items_replaced_by_others_from_a_state_are_received_by_their_owner():
    deal = only(deals_of("Prague's T-72 tanks were replaced by Leopard 2A4 tanks from Germany."))
    assert (deal["supplier"], deal["recipient"], deal["status"]) == (["DE"], ["CZ"], "delivered")


def test_state_that_approved_the_purchase_is_its_supplier():
    deal = only(
        deals_of("Warsaw has bought 96 Apache helicopters, a sale that the US State Department approved.")
    )
    assert (deal["supplier"], deal["recipient"], deal["quantity"]) == (["US"], ["PL"], 96)
    assert deal["status"] in {"approved", "signed"}


def test_choice_clause_before_a_signature_adds_no_second_deal():
    deal = only(deals_of("Bucharest had chosen US-made HIMARS instead and had signed for 18 launchers."))
    assert (deal["supplier"], deal["status"], deal["quantity"]) == (["US"], "signed", 18)


def test_opting_for_a_system_is_at_most_an_announcement():
    deals = deals_of("Bern opted for the American Patriot system over the French SAMP/T.")
    assert all(d["status"] == "announced" and d["confidence"] < 0.8 for d in deals)


def test_item_sent_to_a_coordinated_list_goes_to_every_listed_recipient():
    deal = only(deals_of("Norway sent mine-clearing vehicles to Finland, Sweden and Denmark."))
    assert deal["recipient"] == ["FI", "SE", "DK"] and deal["supplier"] == ["NO"]


def test_speaker_of_a_passive_that_clause_is_not_the_shipper():
    assert deals_of("Japan's defence ministry said that cruise missiles had been shipped to Myanmar.") == []
    deal = only(
        deals_of("Poland's intelligence agency said that Belarusian drones had been delivered to Russia.")
    )
    assert deal["supplier"] == ["BY"] and deal["recipient"] == ["RU"]
