"""What merging reads before it files a batch: remembered reference rows, the stored deals a batch
of reports could join (one set-based query on PostgreSQL), and the test that a deal held in memory
is a candidate for a report.
"""

import datetime
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Max, Q

from .models import Category, Deal, DealParty, Evidence, Party, Role, StatusChange

FALLBACK_CATEGORY = "military_equipment_other"


# Deals created by a batch get their ids when inserted; until then they sort after every stored deal.
UNSAVED_ID_BASE = 1 << 62


Source = tuple[int, int | None, datetime.date | None]


def leaf_category(slug: str) -> Category:
    leaves = reference_cache("categories")
    if slug not in leaves:
        found = Category.objects.filter(slug=slug, parent__isnull=False).first()
        if found is None:
            return leaves.get(FALLBACK_CATEGORY) or Category.objects.get(slug=FALLBACK_CATEGORY)
        leaves[slug] = found
    return leaves[slug]


def reference_cache(name: str) -> dict:
    # Categories, party codes and currencies are reference data that is added to but never
    # removed, so a worker remembers what it has seen instead of asking for it with every report.
    return _REFERENCE_CACHES.setdefault((connection.settings_dict["NAME"], name), {})


_REFERENCE_CACHES: dict[tuple[str, str], dict] = {}


def forget_reference_cache() -> None:
    """Drop remembered reference rows; needed only when they were deleted and seeded anew."""
    _REFERENCE_CACHES.clear()


def known_codes(codes: Iterable[str], *, model, cache: str) -> dict[str, object]:
    """The primary keys of the rows with these codes, remembered once found."""
    seen = reference_cache(cache)
    wanted = set(codes)
    if unseen := wanted - seen.keys():
        seen.update(model.objects.filter(code__in=unseen).values_list("code", "pk"))
    return {code: seen[code] for code in wanted if code in seen}


@dataclass(eq=False)
class TrackedDeal:
    """A deal as the batch sees it: the row, its party codes by role, its sources, its status dates."""

    deal: Deal
    roles: dict[str, list[str]]
    sources: set[Source] = field(default_factory=set)
    status_dates: dict[str, datetime.date] = field(default_factory=dict)
    order: int = 0
    new: bool = False
    changed: bool = False

    @property
    def sort_id(self) -> int:
        return self.deal.pk if self.deal.pk is not None else UNSAVED_ID_BASE + self.order


def is_candidate(
    tracked: TrackedDeal,
    category: Category,
    suppliers: set[str],
    recipients: set[str],
    low: datetime.date,
    high: datetime.date,
) -> bool:
    """The conditions of `_matching_deal`'s query and its checks, on a deal held in memory."""
    deal = tracked.deal
    if deal.merged_into_id is not None or deal.category_id != category.pk:
        return False
    if deal.last_reported is not None and deal.last_reported < low:
        return False
    if deal.first_reported is not None and deal.first_reported > high:
        return False
    recorded_suppliers = set(tracked.roles.get(Role.SUPPLIER, ()))
    recorded_recipients = set(tracked.roles.get(Role.RECIPIENT, ()))
    if not (suppliers & recorded_suppliers or recipients & recorded_recipients):
        return False
    return sides_agree(suppliers, recorded_suppliers) and sides_agree(recipients, recorded_recipients)


def recent_first(tracked: TrackedDeal) -> tuple:
    # ORDER BY last_reported DESC, id DESC as PostgreSQL sorts it: deals with no date come first.
    last = tracked.deal.last_reported
    return (last is not None, -last.toordinal() if last else 0, -tracked.sort_id)


_CANDIDATES_SQL = """
WITH report AS (
    SELECT * FROM jsonb_to_recordset(%s::jsonb)
        AS r(category_id bigint, suppliers bigint[], recipients bigint[], low date, high date)
), linked AS (
    SELECT report.*, link.deal_id FROM report
        CROSS JOIN LATERAL unnest(report.suppliers) AS named(party)
        JOIN deals_dealparty AS link ON link.party_id = named.party AND link.role = 'supplier'
    UNION
    SELECT report.*, link.deal_id FROM report
        CROSS JOIN LATERAL unnest(report.recipients) AS named(party)
        JOIN deals_dealparty AS link ON link.party_id = named.party AND link.role = 'recipient'
)
SELECT DISTINCT deal.id FROM linked
JOIN deals_deal AS deal ON deal.id = linked.deal_id
CROSS JOIN LATERAL (
    SELECT
        ARRAY(SELECT party_id FROM deals_dealparty
              WHERE deal_id = deal.id AND role = 'supplier' ORDER BY party_id) AS suppliers,
        ARRAY(SELECT party_id FROM deals_dealparty
              WHERE deal_id = deal.id AND role = 'recipient' ORDER BY party_id) AS recipients
) AS recorded
WHERE deal.category_id = linked.category_id
    AND deal.merged_into_id IS NULL
    AND (deal.last_reported IS NULL OR deal.last_reported >= linked.low)
    AND (deal.first_reported IS NULL OR deal.first_reported <= linked.high)
    AND (cardinality(linked.suppliers) = 0 OR cardinality(recorded.suppliers) = 0
         OR recorded.suppliers = linked.suppliers)
    AND (cardinality(linked.recipients) = 0 OR cardinality(recorded.recipients) = 0
         OR recorded.recipients = linked.recipients)
"""


def candidate_deal_ids(filings: Sequence) -> set[int]:
    """Stored deals that any of these reports could join, as the database stood before the batch.

    The batch re-checks every one in memory, so this may hold a few too many, never too few: a deal
    the batch changes is held in memory from the start or was created by the batch.
    """
    window = datetime.timedelta(days=settings.MERGE_WINDOW_DAYS)
    reports = []
    for filing in filings:
        if not filing.suppliers and not filing.recipients:
            continue
        party_ids = known_codes([*filing.suppliers, *filing.recipients], model=Party, cache="party_codes")
        reports.append(
            {
                "category_id": filing.category.pk,
                "suppliers": sorted(party_ids[code] for code in filing.suppliers),
                "recipients": sorted(party_ids[code] for code in filing.recipients),
                "low": (filing.reported_on - window).isoformat(),
                "high": (filing.reported_on + window).isoformat(),
            }
        )
    if not reports:
        return set()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_CANDIDATES_SQL, [json.dumps(reports)])
            return {deal_id for (deal_id,) in cursor.fetchall()}
    return {deal_id for report in reports for deal_id in _candidate_deal_ids_of(report)}


def _candidate_deal_ids_of(report: dict) -> list[int]:
    """One report's candidates with the ORM, for databases without the set-based query above."""
    linked = DealParty.objects.filter(
        Q(role=Role.SUPPLIER, party_id__in=report["suppliers"])
        | Q(role=Role.RECIPIENT, party_id__in=report["recipients"])
    )
    low, high = datetime.date.fromisoformat(report["low"]), datetime.date.fromisoformat(report["high"])
    return list(
        Deal.objects.live()
        .filter(category_id=report["category_id"], pk__in=linked.values("deal_id"))
        .filter(Q(last_reported__isnull=True) | Q(last_reported__gte=low))
        .filter(Q(first_reported__isnull=True) | Q(first_reported__lte=high))
        .values_list("pk", flat=True)
    )


def stored_deals(deal_ids: set[int]) -> list[TrackedDeal]:
    """The deals with these ids, each with its parties by role, its sources and its status dates."""
    if not deal_ids:
        return []
    deals = Deal.objects.filter(pk__in=deal_ids).select_related("category").order_by("pk")
    tracked = {deal.pk: TrackedDeal(deal=deal, roles={}) for deal in deals}
    for deal_id, roles in _recorded_roles(list(tracked)).items():
        tracked[deal_id].roles = roles
    sources = Evidence.objects.filter(deal_id__in=tracked).values_list(
        "deal_id", "article_id", "article__syndicated_from_id", "article__published"
    )
    for deal_id, *source in sources:
        tracked[deal_id].sources.add(tuple(source))
    latest = (
        StatusChange.objects.filter(deal_id__in=tracked, reported_on__isnull=False)
        .values_list("deal_id", "status")
        .annotate(latest=Max("reported_on"))
        .order_by()
    )
    for deal_id, status, reported_on in latest:
        tracked[deal_id].status_dates[status] = reported_on
    return list(tracked.values())


def _recorded_roles(deal_ids: Sequence[int]) -> dict[int, dict[str, list[str]]]:
    """Party codes by role for each deal, in their recorded order."""
    recorded: dict[int, dict[str, list[str]]] = {}
    rows = DealParty.objects.filter(deal_id__in=deal_ids).order_by("role", "position")
    for deal_id, role, code in rows.values_list("deal_id", "role", "party__code"):
        recorded.setdefault(deal_id, {}).setdefault(role, []).append(code)
    return recorded


def sides_agree(reported: set[str], recorded: set[str]) -> bool:
    # A report that does not name one side ("Poland received the tanks") does not contradict it.
    return not reported or not recorded or reported == recorded
