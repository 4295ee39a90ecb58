"""The deal record returned by extract(), shaped like the extraction contract."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class DealCandidate:
    supplier: tuple[str, ...]
    supplier_org: str | None
    recipient: tuple[str, ...]
    end_user: tuple[str, ...]
    intended_for: tuple[str, ...]
    category: str
    item: str
    quantity: int | None
    quantity_qualifier: str | None
    value: float | None
    currency: str | None
    value_qualifier: str | None
    financing: str | None
    status: str
    denied_by: tuple[str, ...]
    evidence: str
    evidence_start: int
    evidence_end: int
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        """The contract's JSON form: lists instead of tuples, whole-unit values as integers."""
        data = asdict(self)
        for key in ("supplier", "recipient", "end_user", "intended_for", "denied_by"):
            data[key] = list(data[key])
        if isinstance(self.value, float) and self.value.is_integer():
            data["value"] = int(self.value)
        return data
