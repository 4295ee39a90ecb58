from ingest.extract import EXTRACTOR_VERSION, DealCandidate, extract

CONTRACT_FIELDS = {
    "supplier",
    "supplier_org",
    "recipient",
    "end_user",
    "intended_for",
    "category",
    "item",
    "quantity",
    "quantity_qualifier",
    "value",
    "currency",
    "value_qualifier",
    "financing",
    "status",
    "denied_by",
    "evidence",
    "evidence_start",
    "evidence_end",
    "confidence",
}


def test_to_dict_has_exactly_the_contract_fields_with_lists():
    (deal,) = extract("Hyundai Rotem will supply 180 K2 tanks to Poland, worth about $3.37 billion.")
    data = deal.to_dict()
    assert set(data) == CONTRACT_FIELDS
    assert data["supplier"] == ["KR"] and data["recipient"] == ["PL"]
    assert data["supplier_org"] == "Hyundai Rotem"
    assert data["value"] == 3_370_000_000 and isinstance(data["value"], int)
    assert data["quantity"] == 180 and data["quantity_qualifier"] == "exact"


def test_candidate_is_frozen():
    (deal,) = extract("Spain will send Patriot missiles to Ukraine.")
    assert isinstance(deal, DealCandidate)
    try:
        deal.status = "delivered"
    except AttributeError:
        return
    raise AssertionError("DealCandidate should be immutable")


def test_carried_over_parties_lower_the_confidence():
    explicit = extract("Germany will send 14 Leopard tanks to Ukraine.")[0]
    text = "Germany will send 14 Leopard tanks to Ukraine. It is also sending IRIS-T systems."
    carried = [d for d in extract(text) if d.category == "air_defense"][0]
    assert carried.confidence < explicit.confidence


def test_version_is_a_string():
    assert isinstance(EXTRACTOR_VERSION, str) and EXTRACTOR_VERSION
