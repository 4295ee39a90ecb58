"""The records: parties, the munitions taxonomy, deals with their evidence and status history.

Integrity lives in the database: foreign keys, unique keys and check constraints refuse what an
analyst could not trust (a negative quantity, an unknown currency, evidence from no article).
"""

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

QUALIFIERS = [
    ("exact", "exact"),
    ("up_to", "up to"),
    ("about", "about"),
    ("at_least", "at least"),
    ("more_than", "more than"),
]


class PartyKind(models.TextChoices):
    STATE = "state", "State"
    BLOC = "bloc", "Bloc or alliance"
    ORGANISATION = "organisation", "Organisation or agency"
    COMPANY = "company", "Company"


class PartyQuerySet(models.QuerySet):
    def states(self):
        return self.filter(kind=PartyKind.STATE)

    def by_codes(self, codes):
        return self.filter(code__in=[code.upper() for code in codes])


class Party(models.Model):
    """A state (ISO 3166-1 alpha-2), a bloc (EU, NATO), or an organisation or company."""

    code = models.CharField(
        max_length=64, unique=True, help_text="ISO alpha-2 for states; EU, NATO; a slug for companies"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=PartyKind.choices, db_index=True)
    home_state = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        limit_choices_to={"kind": PartyKind.STATE},
    )
    aliases = models.JSONField(default=list, blank=True)
    un_member = models.BooleanField(default=False)

    objects = PartyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "parties"
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=PartyKind.STATE) | Q(code__regex=r"^[A-Z]{2}$"),
                name="party_state_code_is_alpha2",
            ),
            models.CheckConstraint(
                condition=~Q(kind=PartyKind.STATE) | Q(home_state__isnull=True),
                name="party_state_has_no_home_state",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def country_code(self) -> str:
        """The code a company or agency is counted under: its home state's."""
        return self.home_state.code if self.home_state_id else self.code


class CategoryQuerySet(models.QuerySet):
    def leaves(self):
        return self.filter(parent__isnull=False)

    def groups(self):
        return self.filter(parent__isnull=True)


class Category(models.Model):
    """The munitions taxonomy: groups at the top, the contract's leaves below them."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=100)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("id")), name="category_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name


class Currency(models.Model):
    """An ISO 4217 currency; deals may only name one of these."""

    code = models.CharField(max_length=3, primary_key=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "currencies"
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[A-Z]{3}$"), name="currency_code_is_iso4217"),
        ]

    def __str__(self) -> str:
        return self.code


class ExchangeRate(models.Model):
    """Yearly average: how many units of a currency one US dollar bought that year."""

    currency = models.ForeignKey(Currency, on_delete=models.CASCADE, related_name="rates")
    year = models.PositiveSmallIntegerField()
    units_per_usd = models.DecimalField(max_digits=18, decimal_places=6)

    class Meta:
        ordering = ["currency", "year"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "year"], name="exchange_rate_one_per_year"),
            models.CheckConstraint(condition=Q(units_per_usd__gt=0), name="exchange_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.currency_id} {self.units_per_usd}/USD"


class SourceKind(models.TextChoices):
    URL = "url", "Web page"
    FEED = "feed", "Feed entry"
    TEXT = "text", "Pasted text"
    FILE = "file", "Uploaded file"


class Article(models.Model):
    """A source: one article as fetched or submitted, with its cleaned text."""

    url = models.URLField(max_length=2000, blank=True)
    canonical_url = models.URLField(max_length=2000, blank=True)
    publisher = models.CharField(max_length=200, blank=True, db_index=True)
    title = models.CharField(max_length=500, blank=True)
    published = models.DateField(null=True, blank=True, db_index=True)
    text = models.TextField()
    language = models.CharField(max_length=16, blank=True)
    content_hash = models.CharField(max_length=64, unique=True)
    source_kind = models.CharField(max_length=8, choices=SourceKind.choices, default=SourceKind.URL)
    syndicated_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="syndicated_copies",
        help_text="The first copy of a wire story that this article reprints",
    )
    fetched_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-published", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["canonical_url"],
                condition=~Q(canonical_url=""),
                name="article_unique_canonical_url",
            ),
            models.CheckConstraint(condition=~Q(syndicated_from=F("id")), name="article_not_own_copy"),
        ]

    def __str__(self) -> str:
        return self.title or self.canonical_url or f"Article {self.pk}"

    @property
    def outlet_key(self) -> int:
        """Copies of one wire story share this key: they are one independent source, not several."""
        return self.syndicated_from_id or self.pk


class Status(models.TextChoices):
    ANNOUNCED = "announced", "Announced"
    NEGOTIATING = "negotiating", "Negotiating"
    AGREED = "agreed", "Agreed"
    SIGNED = "signed", "Signed"
    PLEDGED = "pledged", "Pledged"
    APPROVED = "approved", "Approved"
    DELIVERED = "delivered", "Delivered"
    REQUESTED = "requested", "Requested"
    REJECTED = "rejected", "Rejected"
    ALLEGED = "alleged", "Alleged"
    DENIED = "denied", "Denied"
    CANCELLED = "cancelled", "Cancelled"


class Financing(models.TextChoices):
    SALE = "sale", "Sale"
    DONATION = "donation", "Donation from stocks"
    DRAWDOWN = "drawdown", "Drawdown"
    LOAN = "loan", "Loan"
    GRANT_FUNDED = "grant_funded", "Grant-funded purchase"
    UNKNOWN = "unknown", "Unknown"


class ReviewState(models.TextChoices):
    UNREVIEWED = "unreviewed", "Unreviewed"
    CONFIRMED = "confirmed", "Confirmed"
    EDITED = "edited", "Edited"
    REJECTED = "rejected", "Rejected"


class Role(models.TextChoices):
    SUPPLIER = "supplier", "Supplier"
    RECIPIENT = "recipient", "Recipient"
    END_USER = "end_user", "End user"
    INTENDED_FOR = "intended_for", "Intended for"
    DENIED_BY = "denied_by", "Denied by"


class DealQuerySet(models.QuerySet):
    def live(self):
        """Deals an analyst should see: not merged into another one."""
        return self.filter(merged_into__isnull=True)

    def involving(self, codes, role: str | None = None):
        roles = DealParty.objects.filter(party__code__in=codes)
        if role:
            roles = roles.filter(role=role)
        return self.filter(pk__in=roles.values("deal_id"))

    def in_categories(self, slugs):
        # Ids as constants (a group stands for its leaves) rather than an OR across two joins,
        # which would stop the planner from using the category index.
        matching = Category.objects.filter(Q(slug__in=slugs) | Q(parent__slug__in=slugs))
        return self.filter(category_id__in=list(matching.values_list("pk", flat=True)))

    def for_listing(self):
        return self.select_related(
            "category", "category__parent", "currency", "supplier_org"
        ).prefetch_related(
            models.Prefetch(
                "roles", queryset=DealParty.objects.select_related("party").order_by("role", "position", "id")
            )
        )


class Deal(models.Model):
    """One transfer, sale, pledge or request between parties, merged across every report of it."""

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="deals")
    item = models.CharField(max_length=300)
    quantity = models.PositiveBigIntegerField(null=True, blank=True)
    quantity_qualifier = models.CharField(max_length=10, choices=QUALIFIERS, blank=True)
    value = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    currency = models.ForeignKey(Currency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    value_qualifier = models.CharField(max_length=10, choices=QUALIFIERS, blank=True)
    value_usd = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True, db_index=True)
    financing = models.CharField(max_length=16, choices=Financing.choices, default=Financing.UNKNOWN)
    status = models.CharField(max_length=16, choices=Status.choices, db_index=True)
    supplier_org = models.ForeignKey(
        Party,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deals_as_company",
        limit_choices_to={"kind__in": [PartyKind.COMPANY, PartyKind.ORGANISATION]},
    )
    parties = models.ManyToManyField(Party, through="DealParty", related_name="deals")
    first_reported = models.DateField(null=True, blank=True, db_index=True)
    last_reported = models.DateField(null=True, blank=True, db_index=True)
    source_count = models.PositiveIntegerField(default=0)
    outlet_count = models.PositiveIntegerField(
        default=0, help_text="Independent sources: syndicated copies count once"
    )
    confidence = models.FloatField(default=0.5)
    review_state = models.CharField(
        max_length=12, choices=ReviewState.choices, default=ReviewState.UNREVIEWED, db_index=True
    )
    locked_fields = models.JSONField(
        default=list, blank=True, help_text="Fields an analyst set by hand; ingestion never overwrites them"
    )
    merge_key = models.CharField(max_length=400, db_index=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_deals"
    )
    removed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "merge_key"])
    objects = DealQuerySet.as_manager()

    class Meta:
        ordering = ["-last_reported", "-id"]
        indexes = [
            models.Index(fields=["category", "status"], name="deal_category_status"),
            models.Index(fields=["-last_reported", "-id"], name="deal_recent_first"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gt=0), name="deal_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True, quantity_qualifier="")
                | (Q(quantity__isnull=False) & ~Q(quantity_qualifier="")),
                name="deal_quantity_qualifier_with_quantity",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0), name="deal_value_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True, currency__isnull=True)
                | Q(value__isnull=False, currency__isnull=False),
                name="deal_currency_with_value",
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1), name="deal_confidence_in_unit_range"
            ),
            models.CheckConstraint(
                condition=Q(first_reported__isnull=True)
                | Q(last_reported__isnull=True)
                | Q(first_reported__lte=F("last_reported")),
                name="deal_reported_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(outlet_count__lte=F("source_count")), name="deal_outlets_within_sources"
            ),
            models.CheckConstraint(condition=~Q(merged_into=F("id")), name="deal_not_merged_into_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.item} ({self.get_status_display()})"

    def codes(self, role: str) -> list[str]:
        """Party codes in one role, from the prefetched roles when present."""
        return [link.party.code for link in self.roles.all() if link.role == role]


class DealParty(models.Model):
    """A party in one role of a deal."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="roles")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="deal_roles")
    role = models.CharField(max_length=16, choices=Role.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["role", "position"]
        indexes = [models.Index(fields=["party", "role"], name="dealparty_party_role")]
        constraints = [
            models.UniqueConstraint(fields=["deal", "party", "role"], name="dealparty_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.party.code} as {self.role}"


class Evidence(models.Model):
    """One sentence of one article that supports a deal, with the figures that source gave."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="evidence")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="evidence")
    sentence = models.TextField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices)
    item = models.CharField(max_length=300, blank=True)
    quantity = models.PositiveBigIntegerField(null=True, blank=True)
    quantity_qualifier = models.CharField(max_length=10, choices=QUALIFIERS, blank=True)
    value = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    currency = models.ForeignKey(Currency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reported = models.JSONField(
        default=dict, blank=True, help_text="The deal exactly as extracted from this source"
    )
    confidence = models.FloatField(default=0.5)
    extractor_version = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article__published", "id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.UniqueConstraint(fields=["deal", "article", "start"], name="evidence_once_per_sentence"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="evidence_span_not_empty"),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gt=0), name="evidence_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0), name="evidence_value_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1),
                name="evidence_confidence_in_unit_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article} [{self.start}:{self.end}]"


class StatusChange(models.Model):
    """A deal's status as one report gave it; the sequence is the deal's history."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=16, choices=Status.choices)
    reported_on = models.DateField(null=True, blank=True)
    quantity = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The amount this report concerns, e.g. a delivered tranche"
    )
    evidence = models.OneToOneField(
        Evidence, null=True, blank=True, on_delete=models.CASCADE, related_name="status_change"
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reported_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gt=0), name="statuschange_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.status} on {self.reported_on}"
