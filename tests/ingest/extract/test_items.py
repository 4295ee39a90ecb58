import pytest

from ingest.extract.items import find_items


def categories(text):
    return [(m.text, m.category) for m in find_items(text)]


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("180 K2 Black Panther main battle tanks", "armored_vehicles"),
        ("Patriot MIM-104E GEM-T missiles", "air_defense"),
        ("Javelin anti-tank missiles", "anti_tank"),
        ("Switchblade loitering munitions", "drones"),
        ("HIMARS rocket launchers", "artillery_systems"),
        ("ATACMS missiles", "rockets_missiles"),
        ("body armour", "non_lethal_equipment"),
        ("Sandown-class minehunters", "naval"),
    ],
)
def test_named_systems_take_their_category(text, category):
    assert categories(text)[-1][1] == category


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("4,006 rounds of 152mm artillery ammunition", "artillery_ammunition"),
        ("32,739 rounds of 120mm tank ammunition", "tank_ammunition"),
        ("250,000 rounds of 25mm ammunition", "ammunition_other"),
        ("two million rounds of small-arms ammunition", "small_arms_ammunition"),
        ("50,000 120mm high-explosive mortar cartridges", "artillery_ammunition"),
        ("large-calibre rounds", "artillery_ammunition"),
    ],
)
def test_ammunition_category_follows_calibre_and_kind(text, category):
    assert categories(text)[-1][1] == category


def test_plurals_and_hyphen_variants_match():
    assert categories("two Mi-24s and six TB2s")[0][1] == "helicopters"
    assert categories("two Mi-24s and six TB2s")[1][1] == "drones"


def test_coordinated_modifiers_name_both_kinds():
    found = {c for _, c in categories("anti-tank and anti-aircraft missiles")}
    assert found == {"anti_tank", "air_defense"}


def test_a_bare_generic_refers_to_the_named_system_before_it():
    found = categories("the Bayraktar TB2 drone; it would donate three of the aircraft")
    assert [c for _, c in found] == ["drones", "drones"]


def test_an_item_does_not_run_on_across_a_preposition_into_the_next_noun():
    found = categories("will provide coastal radars under its security assistance programme")
    assert found[0] == ("coastal radars", "radars_sensors")
