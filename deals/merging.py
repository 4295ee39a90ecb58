"""Merging extracted reports into the records: find each report's deal or create one, add the evidence.

Reports are filed in batches. The deals a batch could touch are read with a few set-based queries;
each report is then applied, in order, to those deals in memory, with the same rules and the same
outcome as filing the reports one by one; and what changed is written with one statement per
table. A single report is a batch of one.
"""

import datetime
import itertools
import json
import zlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from .lifecycle import (
    ITEM_SIMILARITY_THRESHOLD,
    ReportedDeal,
    is_more_detailed_item,
    is_more_specific,
    item_similarity,
    reported_quantity,
    status_after_report,
    unit_interval,
)
from .merge_lookup import (
    TrackedDeal,
    candidate_deal_ids,
    forget_reference_cache,  # noqa: F401  (part of this module's interface)
    is_candidate,
    known_codes,
    leaf_category,
    recent_first,
    stored_deals,
)
from .models import (
    Article,
    Category,
    Currency,
    Deal,
    DealParty,
    Evidence,
    Financing,
    Party,
    PartyKind,
    ReviewState,
    Role,
    StatusChange,
)
from .services import AGGREGATE_FIELDS, UsdRates, aggregates_from_sources, rows_insert, rows_update

ROLE_FIELDS = (
    (Role.SUPPLIER, "supplier"),
    (Role.RECIPIENT, "recipient"),
    (Role.END_USER, "end_user"),
    (Role.INTENDED_FOR, "intended_for"),
    (Role.DENIED_BY, "denied_by"),
)
REVIEWED_FIELDS = frozenset(
    {"status", "quantity", "quantity_qualifier", "value", "currency", "value_qualifier", "item"}
    | {"financing", "supplier_org"}
)
# What filing a report may change on a deal that already exists; updated_at moves with every change.
ABSORBED_FIELDS = [
    *sorted(REVIEWED_FIELDS),
    "confidence",
    "merge_key",
    *AGGREGATE_FIELDS,
    "updated_at",
]


def deal_merge_candidate(
    *, article: Article, candidate: ReportedDeal, extractor_version: str = ""
) -> tuple[Deal, bool]:
    """File one extracted deal: join the live deal it reports on or start a new one; True when new."""
    [[result]] = deal_merge_reports(reports=[(article, [candidate])], extractor_version=extractor_version)
    return result


@transaction.atomic
def deal_merge_reports(
    *,
    reports: Sequence[tuple[Article, Sequence[ReportedDeal]]],
    extractor_version: str = "",
    new_articles: bool = False,
) -> list[list[tuple[Deal, bool]]]:
    """File the extracted deals of several stored articles, in order; per article, (deal, True when new).

    `new_articles` tells that the articles were stored by this very transaction, so none of their
    sentences can have been filed before.
    """
    filings = [_Filing.of(article, candidate) for article, candidates in reports for candidate in candidates]
    if not filings:
        return [[] for _ in reports]
    # Every lock the batch needs, taken at once in one order: two batches never wait on each
    # other's locks in opposite orders.
    _serialise_merges({key for filing in filings for key in _merge_lock_keys(filing.candidate)})
    batch = _Batch(filings, extractor_version, new_articles=new_articles)
    results = iter([batch.file(filing) for filing in filings])
    batch.write()
    return [list(itertools.islice(results, len(candidates))) for _, candidates in reports]


def party_for_company(*, name: str, home_code: str | None = None) -> Party:
    """The company Party with this name, created (with its home state) on first sight."""
    code = slugify(name)[:64] or "company"
    party = Party.objects.filter(code=code).first()
    if party is not None:
        return party
    home = Party.objects.filter(code=home_code, kind=PartyKind.STATE).first() if home_code else None
    try:
        with transaction.atomic():
            return Party.objects.create(
                code=code, name=name[:200], kind=PartyKind.COMPANY, home_state=home, aliases=[name]
            )
    except IntegrityError:
        # Another worker met the same company at the same moment.
        return Party.objects.get(code=code)


def deal_merge_key(category_slug: str, roles: Mapping[str, Sequence[str]]) -> str:
    """A readable key for the parties and category that make deals candidates for merging."""
    suppliers = ",".join(sorted(roles.get(Role.SUPPLIER, ())))
    recipients = ",".join(sorted(roles.get(Role.RECIPIENT, ())))
    return f"{category_slug}|{suppliers}|{recipients}"[:400]


def _reported_roles(candidate: ReportedDeal) -> dict[str, list[str]]:
    wanted = {role: list(dict.fromkeys(getattr(candidate, name, None) or [])) for role, name in ROLE_FIELDS}
    every_code = [code for codes in wanted.values() for code in codes]
    known = known_codes(every_code, model=Party, cache="party_codes")
    return {role: [code for code in codes if code in known] for role, codes in wanted.items()}


def _merge_lock_keys(candidate: ReportedDeal) -> set[str]:
    # Reports that could join one deal share its category and at least one named party, so
    # locking each (category, party) pair serialises exactly the reports that could collide.
    slug = leaf_category(candidate.category).slug
    return {f"{slug}|{code}" for code in [*candidate.supplier, *candidate.recipient]}


def _serialise_merges(keys: Iterable[str]) -> None:
    # Two workers filing reports of one new deal at once would each find nothing and create it
    # twice; transaction-scoped locks make the second wait and then find the first one's deal.
    if connection.vendor != "postgresql" or not keys:
        return  # SQLite lets one writer in at a time anyway
    lock_ids = sorted({zlib.crc32(f"deal-merge:{key}".encode()) for key in keys})
    with connection.cursor() as cursor:
        # One statement, locks taken in ascending order, so no two transactions can deadlock here.
        cursor.execute(
            "SELECT pg_advisory_xact_lock(lock_id) FROM unnest(%s::bigint[]) AS lock_id ORDER BY lock_id",
            [lock_ids],
        )


@dataclass(frozen=True)
class _Filing:
    """One report to file, with what merging reads from it resolved once."""

    article: Article
    candidate: ReportedDeal
    category: Category
    roles: dict[str, list[str]]
    reported_on: datetime.date
    reported: dict

    @classmethod
    def of(cls, article: Article, candidate: ReportedDeal) -> "_Filing":
        reported_on = article.published or timezone.localdate()
        category, roles = leaf_category(candidate.category), _reported_roles(candidate)
        return cls(article, candidate, category, roles, reported_on, _jsonable(candidate.to_dict()))

    @property
    def suppliers(self) -> set[str]:
        return set(self.roles[Role.SUPPLIER])

    @property
    def recipients(self) -> set[str]:
        return set(self.roles[Role.RECIPIENT])


class _Batch:
    """The deals that a batch of reports could touch, changed in memory and then written at once."""

    def __init__(self, filings: Sequence[_Filing], extractor_version: str, *, new_articles: bool) -> None:
        self.extractor_version = extractor_version[:32]
        self.rates = UsdRates()
        self.now = timezone.now()
        self.deals: list[TrackedDeal] = []
        self.by_category: dict[int, list[TrackedDeal]] = defaultdict(list)
        self.created: list[TrackedDeal] = []
        self.parties: list[DealParty] = []
        self.evidence: list[Evidence] = []
        self.status_changes: list[StatusChange] = []
        self.history: list[tuple[TrackedDeal, object]] = []
        self.history_model = Deal.history.model  # each access to Deal.history builds a manager
        self.citing = {} if new_articles else self._citing_evidence(filings)
        stored_ids = candidate_deal_ids(filings) | {deal_id for deal_id in self.citing.values()}
        by_id = {tracked.deal.pk: tracked for tracked in stored_deals(stored_ids)}
        for tracked in by_id.values():
            self._track(tracked)
        self.citing = {key: by_id[deal_id] for key, deal_id in self.citing.items()}

    def _track(self, tracked: TrackedDeal) -> None:
        self.deals.append(tracked)
        self.by_category[tracked.deal.category_id].append(tracked)

    @staticmethod
    def _citing_evidence(filings: Sequence[_Filing]) -> dict[tuple, int]:
        """Sentences of these articles already filed: (article, start, category) -> deal id."""
        rows = (
            Evidence.objects.filter(
                article_id__in={filing.article.pk for filing in filings},
                start__in={max(0, int(filing.candidate.evidence_start)) for filing in filings},
            )
            .order_by("id")
            .values_list("article_id", "start", "deal__category_id", "deal_id")
        )
        citing: dict[tuple, int] = {}
        for article_id, start, category_id, deal_id in rows:
            citing.setdefault((article_id, start, category_id), deal_id)
        return citing

    def file(self, filing: _Filing) -> tuple[Deal, bool]:
        """Apply one report to the deals in memory, as filing it alone would."""
        key = (filing.article.pk, filing.candidate.evidence_start, filing.category.pk)
        if (already := self.citing.get(key)) is not None:
            return already.deal, False  # this very sentence was filed already: nothing changes
        tracked = self._matching(filing)
        created = tracked is None
        if created:
            tracked = self._create(filing)
        evidence = self._evidence_add(tracked, filing)
        if not created:
            self._absorb(tracked, filing)
        self._status_change_add(tracked, evidence, filing)
        return tracked.deal, created

    def _matching(self, filing: _Filing) -> TrackedDeal | None:
        """The live deal this report is about, chosen as `_matching_deal` would from the database."""
        suppliers, recipients = filing.suppliers, filing.recipients
        if not suppliers and not recipients:
            return None
        window = datetime.timedelta(days=settings.MERGE_WINDOW_DAYS)
        low, high = filing.reported_on - window, filing.reported_on + window
        nearby = [
            tracked
            for tracked in self.by_category[filing.category.pk]
            if is_candidate(tracked, filing.category, suppliers, recipients, low, high)
        ]
        nearby.sort(key=recent_first)
        best: tuple[float, TrackedDeal] | None = None
        for tracked in nearby:
            score = item_similarity(filing.candidate.item, tracked.deal.item)
            if score >= ITEM_SIMILARITY_THRESHOLD and (best is None or score > best[0]):
                best = (score, tracked)
        if best is None:
            return None
        best[1].deal.category = filing.category
        return best[1]

    def _create(self, filing: _Filing) -> TrackedDeal:
        candidate, category, roles = filing.candidate, filing.category, filing.roles
        reported_on = filing.reported_on
        quantity, quantity_qualifier = reported_quantity(candidate)
        value, currency, value_qualifier = _value(candidate)
        deal = Deal(
            category=category,
            item=(candidate.item or category.name)[:300],
            quantity=quantity,
            quantity_qualifier=quantity_qualifier,
            value=value,
            currency_id=currency,
            value_qualifier=value_qualifier,
            financing=_financing(candidate),
            status=candidate.status,
            supplier_org=_supplier_org(candidate, roles),
            first_reported=reported_on,
            last_reported=reported_on,
            # One report so far: the aggregates are known without asking the database.
            source_count=1,
            outlet_count=1,
            value_usd=self.rates.convert(value, currency, reported_on.year),
            confidence=unit_interval(candidate.confidence),
            merge_key=deal_merge_key(category.slug, roles),
        )
        tracked = TrackedDeal(deal=deal, roles={}, order=len(self.created), new=True)
        self._track(tracked)
        self.created.append(tracked)
        self._snapshot(tracked, "+", "created from a report")
        for role, codes in roles.items():
            tracked.roles[role] = self._roles_add(tracked, role, codes)
        return tracked

    def _roles_add(self, tracked: TrackedDeal, role: str, codes: Sequence[str], present: Sequence[str] = ()):
        """Link the parties not yet in this role; returns the role's codes afterwards."""
        missing = [code for code in codes if code not in present]
        if not missing:
            return list(present)
        party_ids = known_codes(missing, model=Party, cache="party_codes")
        added = [code for code in missing if code in party_ids]
        self.parties.extend(
            DealParty(deal=tracked.deal, party_id=party_ids[code], role=role, position=len(present) + offset)
            for offset, code in enumerate(added)
        )
        return [*present, *added]

    def _absorb(self, tracked: TrackedDeal, filing: _Filing) -> None:
        """Update a deal with one more report, keeping what analysts reviewed and what is already firmer."""
        deal, candidate, roles, reported_on = tracked.deal, filing.candidate, filing.roles, filing.reported_on
        locked = set(deal.locked_fields)
        if deal.review_state == ReviewState.CONFIRMED:
            # A confirmed deal was checked field by field; new reports add evidence and history only.
            locked |= REVIEWED_FIELDS
        if "status" not in locked:
            since = tracked.status_dates.get(deal.status)
            deal.status = status_after_report(deal.status, since, candidate.status, reported_on)
        if not locked & {"quantity", "quantity_qualifier"}:
            _adopt_quantity(deal, candidate)
        if not locked & {"value", "currency", "value_qualifier"}:
            _adopt_value(deal, candidate)
        if "item" not in locked and candidate.item and is_more_detailed_item(candidate.item, deal.item):
            deal.item = candidate.item[:300]
        if "financing" not in locked and deal.financing == Financing.UNKNOWN:
            deal.financing = _financing(candidate)
        if "supplier_org" not in locked and deal.supplier_org_id is None:
            deal.supplier_org = _supplier_org(candidate, roles)
        recorded = tracked.roles
        for role, codes in roles.items():
            present = recorded.get(role, [])
            # Suppliers and recipients only fill a side the deal lacked: matching made them agree.
            if role in (Role.SUPPLIER, Role.RECIPIENT) and present:
                continue
            recorded[role] = self._roles_add(tracked, role, codes, present)
        deal.confidence = max(deal.confidence, unit_interval(candidate.confidence))
        deal.merge_key = deal_merge_key(deal.category.slug, recorded)
        aggregates_from_sources(deal, tracked.sources, self.rates)
        tracked.changed = True
        source = filing.article.publisher or f"article {filing.article.pk}"
        self._snapshot(tracked, "~", f"report from {source}")

    def _evidence_add(self, tracked: TrackedDeal, filing: _Filing) -> Evidence:
        article, candidate = filing.article, filing.candidate
        quantity, quantity_qualifier = reported_quantity(candidate)
        value, currency, _ = _value(candidate)
        start = max(0, int(candidate.evidence_start))
        end = max(int(candidate.evidence_end), start + max(1, len(candidate.evidence or "")))
        evidence = Evidence(
            deal=tracked.deal,
            article=article,
            sentence=candidate.evidence or "",
            start=start,
            end=end,
            status=candidate.status,
            item=(candidate.item or "")[:300],
            quantity=quantity,
            quantity_qualifier=quantity_qualifier,
            value=value,
            currency_id=currency,
            reported=filing.reported,
            confidence=unit_interval(candidate.confidence),
            extractor_version=self.extractor_version,
        )
        self.evidence.append(evidence)
        self.citing.setdefault((article.pk, start, filing.category.pk), tracked)
        tracked.sources.add((article.pk, article.syndicated_from_id, article.published))
        return evidence

    def _status_change_add(self, tracked: TrackedDeal, evidence: Evidence, filing: _Filing) -> None:
        article = filing.article
        quantity, _ = reported_quantity(filing.candidate)
        reported_on = article.published or filing.reported_on
        self.status_changes.append(
            StatusChange(
                deal=tracked.deal,
                status=filing.candidate.status,
                reported_on=reported_on,
                quantity=quantity,
                evidence=evidence,
                note=f"reported by {article.publisher}"[:300] if article.publisher else "",
            )
        )
        latest = tracked.status_dates.get(filing.candidate.status)
        if reported_on is not None and (latest is None or reported_on > latest):
            tracked.status_dates[filing.candidate.status] = reported_on

    def _snapshot(self, tracked: TrackedDeal, history_type: str, reason: str) -> None:
        """A history row for the deal as it stands after this report, like saving it would write."""
        if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            return
        model, deal = self.history_model, tracked.deal
        row = model(
            history_date=timezone.now(),
            history_type=history_type,
            history_user=model.get_default_history_user(deal),
            history_change_reason=reason[:100],
            **{
                tracked_field.attname: getattr(deal, tracked_field.attname)
                for tracked_field in model.tracked_fields
            },
        )
        self.history.append((tracked, row))

    def write(self) -> None:
        """Insert the new rows and update the changed deals, one statement per table."""
        rows_insert([tracked.deal for tracked in self.created], returning=True)
        changed = [tracked.deal for tracked in self.deals if tracked.changed and not tracked.new]
        for deal in changed:
            deal.updated_at = self.now  # bulk updates skip auto_now; the API's sync reads this field
        rows_update(changed, ABSORBED_FIELDS)
        rows_insert(self.parties)
        rows_insert(self.evidence, returning=True)
        rows_insert(self.status_changes)
        for tracked, row in self.history:
            # Known only once the deal is inserted, and the same in every row of one deal.
            row.id, row.created_at = tracked.deal.pk, tracked.deal.created_at
        rows_insert([row for _, row in self.history])


def _adopt_quantity(deal: Deal, candidate: ReportedDeal) -> None:
    quantity, qualifier = reported_quantity(candidate)
    # A delivery of fewer items than ordered is a tranche of the deal, not a new total.
    is_tranche = candidate.status == "delivered" and deal.quantity and quantity and quantity < deal.quantity
    if not is_tranche and is_more_specific(quantity, qualifier, deal.quantity, deal.quantity_qualifier):
        deal.quantity, deal.quantity_qualifier = quantity, qualifier


def _adopt_value(deal: Deal, candidate: ReportedDeal) -> None:
    value, currency, qualifier = _value(candidate)
    if is_more_specific(value, qualifier, deal.value, deal.value_qualifier):
        deal.value, deal.currency_id, deal.value_qualifier = value, currency, qualifier


def _value(candidate: ReportedDeal) -> tuple[Decimal | None, str | None, str]:
    if candidate.value is None or candidate.value < 0 or not candidate.currency:
        return None, None, ""
    if not known_codes([candidate.currency], model=Currency, cache="currencies"):
        return None, None, ""
    value = Decimal(str(candidate.value)).quantize(Decimal("0.01"))
    return value, candidate.currency, candidate.value_qualifier or "exact"


def _financing(candidate: ReportedDeal) -> str:
    financing = getattr(candidate, "financing", None)
    return financing if financing in Financing.values else Financing.UNKNOWN


def _supplier_org(candidate: ReportedDeal, roles: Mapping[str, list[str]]) -> Party | None:
    name = (getattr(candidate, "supplier_org", None) or "").strip()
    if not name:
        return None
    home = roles[Role.SUPPLIER][0] if roles[Role.SUPPLIER] else None
    return party_for_company(name=name, home_code=home)


def _jsonable(reported: dict) -> dict:
    return json.loads(json.dumps(reported, default=str))
