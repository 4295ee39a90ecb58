"""Merging each extracted report into the records: find its deal or create one, add the evidence."""

import datetime
import json
import zlib
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.text import slugify

from .lifecycle import (
    ITEM_SIMILARITY_THRESHOLD,
    TERMINAL,
    ReportedDeal,
    is_more_detailed_item,
    is_more_specific,
    item_similarity,
    reported_quantity,
    status_after_report,
    unit_interval,
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
from .services import aggregates_apply, usd_value

ROLE_FIELDS = (
    (Role.SUPPLIER, "supplier"),
    (Role.RECIPIENT, "recipient"),
    (Role.END_USER, "end_user"),
    (Role.INTENDED_FOR, "intended_for"),
    (Role.DENIED_BY, "denied_by"),
)
FALLBACK_CATEGORY = "military_equipment_other"
REVIEWED_FIELDS = frozenset(
    {"status", "quantity", "quantity_qualifier", "value", "currency", "value_qualifier", "item"}
    | {"financing", "supplier_org"}
)


@transaction.atomic
def deal_merge_candidate(
    *, article: Article, candidate: ReportedDeal, extractor_version: str = ""
) -> tuple[Deal, bool]:
    """File one extracted deal: join the live deal it reports on or start a new one; True when new."""
    category = _category(candidate.category)
    roles = _reported_roles(candidate)
    already = _deal_already_citing(article, candidate, category)
    if already is not None:
        return already, False
    _serialise_merges(_merge_lock_keys(candidate))
    reported_on = article.published or timezone.localdate()
    deal, recorded = _matching_deal(category, roles, candidate.item, reported_on)
    created = deal is None
    if created:
        deal = _deal_create(category, roles, candidate, reported_on)
        evidence = _evidence_create(deal, article, candidate, extractor_version)
    else:
        evidence = _evidence_create(deal, article, candidate, extractor_version)
        _deal_absorb_report(deal, roles, recorded, candidate, reported_on, article)
    _status_change_record(deal, evidence, candidate, reported_on)
    return deal, created


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


def _category(slug: str) -> Category:
    leaves = _reference_cache("categories")
    if slug not in leaves:
        found = Category.objects.filter(slug=slug, parent__isnull=False).first()
        if found is None:
            return leaves.get(FALLBACK_CATEGORY) or Category.objects.get(slug=FALLBACK_CATEGORY)
        leaves[slug] = found
    return leaves[slug]


def _reference_cache(name: str) -> dict:
    # Categories, party codes and currencies are reference data that is added to but never
    # removed, so a worker remembers what it has seen instead of asking for it with every report.
    return _REFERENCE_CACHES.setdefault((connection.settings_dict["NAME"], name), {})


_REFERENCE_CACHES: dict[tuple[str, str], dict] = {}


def forget_reference_cache() -> None:
    """Drop remembered reference rows; needed only when they were deleted and seeded anew."""
    _REFERENCE_CACHES.clear()


def _known_codes(codes: Iterable[str], *, model, cache: str) -> dict[str, object]:
    """The primary keys of the rows with these codes, remembered once found."""
    seen = _reference_cache(cache)
    wanted = set(codes)
    if unseen := wanted - seen.keys():
        seen.update(model.objects.filter(code__in=unseen).values_list("code", "pk"))
    return {code: seen[code] for code in wanted if code in seen}


def _reported_roles(candidate: ReportedDeal) -> dict[str, list[str]]:
    wanted = {role: list(dict.fromkeys(getattr(candidate, name, None) or [])) for role, name in ROLE_FIELDS}
    every_code = [code for codes in wanted.values() for code in codes]
    known = _known_codes(every_code, model=Party, cache="party_codes")
    return {role: [code for code in codes if code in known] for role, codes in wanted.items()}


def _deal_already_citing(article: Article, candidate: ReportedDeal, category: Category) -> Deal | None:
    """The deal this very sentence was already filed under: merging it again changes nothing."""
    deal_ids = Evidence.objects.filter(
        article=article, start=candidate.evidence_start, deal__category=category
    ).values_list("deal_id", flat=True)[:1]
    return Deal.objects.get(pk=deal_ids[0]) if deal_ids else None


def deal_merges_lock(*, candidates: Iterable[ReportedDeal]) -> None:
    """Hold, until the transaction ends, the merge locks these reports need, taken in one order.

    A transaction that files several deals calls this first, so that two such transactions never
    wait on each other's locks in opposite orders.
    """
    keys = {key for candidate in candidates for key in _merge_lock_keys(candidate)}
    _serialise_merges(keys)


def _merge_lock_keys(candidate: ReportedDeal) -> set[str]:
    # Reports that could join one deal share its category and at least one named party, so
    # locking each (category, party) pair serialises exactly the reports that could collide.
    slug = _category(candidate.category).slug
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


def _matching_deal(
    category: Category, roles: Mapping[str, list[str]], item: str, reported_on: datetime.date
) -> tuple[Deal | None, dict[str, list[str]]]:
    """The live deal this report is about, with its parties by role; (None, {}) when there is none."""
    suppliers, recipients = set(roles[Role.SUPPLIER]), set(roles[Role.RECIPIENT])
    if not suppliers and not recipients:
        return None, {}
    window = datetime.timedelta(days=settings.MERGE_WINDOW_DAYS)
    linked = DealParty.objects.filter(
        Q(role=Role.SUPPLIER, party__code__in=suppliers) | Q(role=Role.RECIPIENT, party__code__in=recipients)
    )
    nearby = list(
        Deal.objects.live()
        .filter(category=category, pk__in=linked.values("deal_id"))
        .filter(Q(last_reported__isnull=True) | Q(last_reported__gte=reported_on - window))
        .filter(Q(first_reported__isnull=True) | Q(first_reported__lte=reported_on + window))
        .order_by("-last_reported", "-id")
    )
    recorded = _recorded_roles([deal.pk for deal in nearby])
    best: tuple[float, Deal] | None = None
    for deal in nearby:
        parties = recorded.get(deal.pk, {})
        if not _sides_agree(suppliers, set(parties.get(Role.SUPPLIER, ()))):
            continue
        if not _sides_agree(recipients, set(parties.get(Role.RECIPIENT, ()))):
            continue
        score = item_similarity(item, deal.item)
        if score >= ITEM_SIMILARITY_THRESHOLD and (best is None or score > best[0]):
            best = (score, deal)
    if best is None:
        return None, {}
    deal = best[1]
    deal.category = category
    return deal, recorded.get(deal.pk, {})


def _recorded_roles(deal_ids: Sequence[int]) -> dict[int, dict[str, list[str]]]:
    """Party codes by role for each deal, in their recorded order."""
    recorded: dict[int, dict[str, list[str]]] = {}
    rows = DealParty.objects.filter(deal_id__in=deal_ids).order_by("role", "position")
    for deal_id, role, code in rows.values_list("deal_id", "role", "party__code"):
        recorded.setdefault(deal_id, {}).setdefault(role, []).append(code)
    return recorded


def _sides_agree(reported: set[str], recorded: set[str]) -> bool:
    # A report that does not name one side ("Poland received the tanks") does not contradict it.
    return not reported or not recorded or reported == recorded


def _deal_create(
    category: Category,
    roles: Mapping[str, list[str]],
    candidate: ReportedDeal,
    reported_on: datetime.date,
) -> Deal:
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
        value_usd=usd_value(value, currency, reported_on.year),
        confidence=unit_interval(candidate.confidence),
        merge_key=deal_merge_key(category.slug, roles),
    )
    deal._change_reason = "created from a report"
    deal.save()
    for role, codes in roles.items():
        _roles_add(deal, role, codes)
    return deal


def _roles_add(deal: Deal, role: str, codes: Sequence[str], present: Sequence[str] = ()) -> list[str]:
    """Link the parties not yet in this role; returns the role's codes afterwards."""
    missing = [code for code in codes if code not in present]
    if not missing:
        return list(present)
    party_ids = _known_codes(missing, model=Party, cache="party_codes")
    added = [code for code in missing if code in party_ids]
    DealParty.objects.bulk_create(
        DealParty(deal=deal, party_id=party_ids[code], role=role, position=len(present) + offset)
        for offset, code in enumerate(added)
    )
    return [*present, *added]


def _deal_absorb_report(
    deal: Deal,
    roles: Mapping[str, list[str]],
    recorded: dict[str, list[str]],
    candidate: ReportedDeal,
    reported_on: datetime.date,
    article: Article,
) -> None:
    """Update a deal with one more report, keeping what analysts reviewed and what is already firmer."""
    locked = set(deal.locked_fields)
    if deal.review_state == ReviewState.CONFIRMED:
        # A confirmed deal was checked field by field; new reports add evidence and history only.
        locked |= REVIEWED_FIELDS
    if "status" not in locked:
        # Only end states depend on when the current status was reported; spare the query otherwise.
        since = _status_since(deal) if {deal.status, candidate.status} & TERMINAL else None
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
    for role, codes in roles.items():
        present = recorded.get(role, [])
        # Suppliers and recipients only fill a side the deal lacked: matching made them agree.
        if role in (Role.SUPPLIER, Role.RECIPIENT) and present:
            continue
        recorded[role] = _roles_add(deal, role, codes, present)
    deal.confidence = max(deal.confidence, unit_interval(candidate.confidence))
    deal.merge_key = deal_merge_key(deal.category.slug, recorded)
    aggregates_apply(deal)
    deal._change_reason = f"report from {article.publisher or f'article {article.pk}'}"[:100]
    deal.save()


def _status_since(deal: Deal) -> datetime.date | None:
    return deal.status_changes.filter(status=deal.status).aggregate(since=Max("reported_on"))["since"]


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
    if not _known_codes([candidate.currency], model=Currency, cache="currencies"):
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


def _evidence_create(
    deal: Deal, article: Article, candidate: ReportedDeal, extractor_version: str
) -> Evidence:
    quantity, quantity_qualifier = reported_quantity(candidate)
    value, currency, _ = _value(candidate)
    start = max(0, int(candidate.evidence_start))
    end = max(int(candidate.evidence_end), start + max(1, len(candidate.evidence or "")))
    return Evidence.objects.create(
        deal=deal,
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
        reported=_jsonable(candidate.to_dict()),
        confidence=unit_interval(candidate.confidence),
        extractor_version=extractor_version[:32],
    )


def _jsonable(reported: dict) -> dict:
    return json.loads(json.dumps(reported, default=str))


def _status_change_record(
    deal: Deal, evidence: Evidence, candidate: ReportedDeal, reported_on: datetime.date
) -> StatusChange:
    quantity, _ = reported_quantity(candidate)
    return StatusChange.objects.create(
        deal=deal,
        status=candidate.status,
        reported_on=evidence.article.published or reported_on,
        quantity=quantity,
        evidence=evidence,
        note=f"reported by {evidence.article.publisher}"[:300] if evidence.article.publisher else "",
    )
