"""Checks on the gazetteers the deal extractor reads: parties, companies and items."""

from collections import defaultdict
from pathlib import Path

import pycountry
import pytest

DATA_DIR = Path(__file__).resolve().parents[3] / "ingest" / "extract" / "data"

BLOC_CODES = {"EU", "NATO"}
EXTRA_STATE_CODES = {"XK"}
PARTY_TYPES = {"name", "short", "demonym", "capital", "institution", "person", "other"}
CATEGORIES = {
    "artillery_ammunition",
    "small_arms_ammunition",
    "tank_ammunition",
    "ammunition_other",
    "rockets_missiles",
    "air_defense",
    "anti_tank",
    "artillery_systems",
    "armored_vehicles",
    "aircraft",
    "helicopters",
    "drones",
    "naval",
    "small_arms",
    "mines_explosives",
    "radars_sensors",
    "military_equipment_other",
    "non_lethal_equipment",
    "financial_aid",
    "humanitarian_aid",
}
UN_MEMBERS = set(
    """
    AD AE AF AG AL AM AO AR AT AU AZ BA BB BD BE BF BG BH BI BJ BN BO BR BS BT BW BY BZ CA CD CF CG CH
    CI CL CM CN CO CR CU CV CY CZ DE DJ DK DM DO DZ EC EE EG ER ES ET FI FJ FM FR GA GB GD GE GH GM GN
    GQ GR GT GW GY HN HR HT HU ID IE IL IN IQ IR IS IT JM JO JP KE KG KH KI KM KN KP KR KW KZ LA LB LC
    LI LK LR LS LT LU LV LY MA MC MD ME MG MH MK ML MM MN MR MT MU MV MW MX MY MZ NA NE NG NI NL NO NP
    NR NZ OM PA PE PG PH PK PL PT PW PY QA RO RS RU RW SA SB SC SD SE SG SI SK SL SM SN SO SR SS ST SV
    SY SZ TD TG TH TJ TL TM TN TO TR TT TV TZ UA UG US UY UZ VC VE VN VU WS YE ZA ZM ZW
    """.split()
)
# Surfaces a state lacks on purpose, because the obvious one belongs to another code or is a common word.
DELIBERATE_GAPS = {
    ("BE", "capital"): "Brussels is coded EU",
    ("SC", "capital"): "Victoria is also an Australian state",
    ("DM", "demonym"): "Dominican belongs to the Dominican Republic",
    ("CG", "demonym"): "Congolese is coded CD",
}


def data_rows(file_name: str) -> list[tuple[int, list[str]]]:
    """(line number, tab-separated columns) of each non-comment, non-blank line of a data file."""
    rows = []
    text = (DATA_DIR / file_name).read_text(encoding="utf-8")
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            rows.append((number, line.split("\t")))
    return rows


def is_party_code(code: str) -> bool:
    return (
        code in BLOC_CODES or code in EXTRA_STATE_CODES or pycountry.countries.get(alpha_2=code) is not None
    )


def company_surfaces(columns: list[str]) -> list[str]:
    name, _code, aliases = columns
    return [name] + [alias for alias in aliases.split("|") if alias]


def party_kinds_by_code() -> dict[str, set[str]]:
    kinds = defaultdict(set)
    for _, (code, kind, _surface) in data_rows("parties.tsv"):
        kinds[code].add(kind)
    return kinds


@pytest.mark.parametrize(("file_name", "width"), [("parties.tsv", 3), ("companies.tsv", 3), ("items.tsv", 3)])
def test_every_data_line_has_the_expected_number_of_columns(file_name, width):
    bad = [(number, columns) for number, columns in data_rows(file_name) if len(columns) != width]
    assert bad == []


@pytest.mark.parametrize("file_name", ["parties.tsv", "companies.tsv", "items.tsv"])
def test_no_field_is_padded_and_first_two_fields_are_filled(file_name):
    bad = [
        number
        for number, columns in data_rows(file_name)
        if any(field != field.strip() for field in columns) or not all(columns[:2])
    ]
    assert bad == []


def test_party_codes_are_iso_alpha2_or_blocs():
    bad = {code for _, (code, _kind, _surface) in data_rows("parties.tsv") if not is_party_code(code)}
    assert bad == set()


def test_company_home_codes_are_iso_alpha2_or_blocs():
    bad = {columns[1] for _, columns in data_rows("companies.tsv") if not is_party_code(columns[1])}
    assert bad == set()


def test_party_types_come_from_the_allowed_set():
    bad = {kind for _, (_code, kind, _surface) in data_rows("parties.tsv") if kind not in PARTY_TYPES}
    assert bad == set()


def test_item_categories_are_contract_categories():
    bad = {
        category
        for _, (_surface, category, _canonical) in data_rows("items.tsv")
        if category not in CATEGORIES
    }
    assert bad == set()


def test_every_contract_category_has_item_surfaces():
    used = {category for _, (_surface, category, _canonical) in data_rows("items.tsv")}
    assert used == CATEGORIES


def test_no_surface_names_two_parties_across_parties_and_companies():
    codes_by_surface = defaultdict(set)
    for _, (code, _kind, surface) in data_rows("parties.tsv"):
        codes_by_surface[surface.casefold()].add(code)
    for _, columns in data_rows("companies.tsv"):
        for surface in company_surfaces(columns):
            codes_by_surface[surface.casefold()].add(columns[1])
    clashes = {surface: codes for surface, codes in codes_by_surface.items() if len(codes) > 1}
    assert clashes == {}


def test_no_item_surface_maps_to_two_categories():
    categories_by_surface = defaultdict(set)
    for _, (surface, category, _canonical) in data_rows("items.tsv"):
        categories_by_surface[surface.casefold()].add(category)
    clashes = {surface: cats for surface, cats in categories_by_surface.items() if len(cats) > 1}
    assert clashes == {}


@pytest.mark.parametrize("kind", ["name", "demonym", "capital"])
def test_every_un_member_has_a_name_demonym_and_capital(kind):
    kinds = party_kinds_by_code()
    missing = {code for code in UN_MEMBERS if kind not in kinds[code] and (code, kind) not in DELIBERATE_GAPS}
    assert missing == set()


def test_deliberate_gaps_are_still_gaps():
    kinds = party_kinds_by_code()
    filled = {gap for gap in DELIBERATE_GAPS if gap[1] in kinds[gap[0]]}
    assert filled == set()


def test_un_member_list_is_complete_and_valid():
    assert len(UN_MEMBERS) == 193
    assert all(pycountry.countries.get(alpha_2=code) for code in UN_MEMBERS)


def test_items_file_has_at_least_600_surfaces():
    assert len({surface.casefold() for _, (surface, _c, _n) in data_rows("items.tsv")}) >= 600


def test_companies_file_has_at_least_150_companies():
    assert len(data_rows("companies.tsv")) >= 150


@pytest.mark.parametrize(
    ("surface", "category"),
    [
        ("HIMARS", "artillery_systems"),
        ("MARS II", "artillery_systems"),
        ("Chunmoo", "artillery_systems"),
        ("GMLRS", "rockets_missiles"),
        ("Storm Shadow", "rockets_missiles"),
        ("Harpoon Coastal Defense System", "rockets_missiles"),
        ("Hellfire", "rockets_missiles"),
        ("Sea Sparrow", "air_defense"),
        ("Gepard", "air_defense"),
        ("PAC-3", "air_defense"),
        ("Javelin", "anti_tank"),
        ("NLAW", "anti_tank"),
        ("120mm mortar rounds", "artillery_ammunition"),
        ("155mm shells", "artillery_ammunition"),
        ("25mm", "ammunition_other"),
        ("JDAM-ER", "ammunition_other"),
        ("120mm tank rounds", "tank_ammunition"),
        ("Humvees", "armored_vehicles"),
        ("Leopard 2A6", "armored_vehicles"),
        ("medium tactical vehicles", "military_equipment_other"),
        ("Switchblade", "drones"),
        ("Sandown-class minehunters", "naval"),
        ("unmanned surface vessels", "naval"),
        ("MS-110 reconnaissance pods", "radars_sensors"),
        ("Claymore", "mines_explosives"),
        ("field hospital", "non_lethal_equipment"),
        ("body armour", "non_lethal_equipment"),
        ("Foreign Military Financing", "financial_aid"),
        ("humanitarian aid", "humanitarian_aid"),
    ],
)
def test_category_notes_examples_map_to_their_categories(surface, category):
    categories = {c for _, (s, c, _n) in data_rows("items.tsv") if s.casefold() == surface.casefold()}
    assert categories == {category}


@pytest.mark.parametrize(
    ("surface", "code"),
    [
        ("Seoul", "KR"),
        ("the Kremlin", "RU"),
        ("Pyongyang", "KP"),
        ("Bundeswehr", "DE"),
        ("Armament Agency", "PL"),
        ("the Pentagon", "US"),
        ("Kyiv", "UA"),
        ("Kiev", "UA"),
        ("Türkiye", "TR"),
        ("Zelenskyy", "UA"),
        ("Nato", "NATO"),
        ("European Union", "EU"),
        ("Hanwha Aerospace", "KR"),
        ("Rheinmetall", "DE"),
        ("Czechoslovak Group", "CZ"),
        ("Baykar", "TR"),
        ("Raytheon", "US"),
        ("Hensoldt", "DE"),
    ],
)
def test_corpus_party_names_resolve_to_their_codes(surface, code):
    codes = {c for _, (c, _k, s) in data_rows("parties.tsv") if s.casefold() == surface.casefold()}
    codes |= {
        cols[1]
        for _, cols in data_rows("companies.tsv")
        if surface.casefold() in map(str.casefold, company_surfaces(cols))
    }
    assert codes == {code}
