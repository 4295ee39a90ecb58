"""What the API returns. Field sets are explicit so the schema and the JSON never drift apart."""

import datetime

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from deals.models import QUALIFIERS, Article, Category, Deal, DealParty, Evidence, Party, Role, StatusChange
from ingest.models import IngestJob


# A pattern, not an enum: one choice set under two field names would become two schema components.
@extend_schema_field({"type": "string", "pattern": f"^({'|'.join(value for value, _ in QUALIFIERS)})?$"})
class QualifierField(serializers.ChoiceField):
    """Shared by quantities and values; one inline enum instead of two components with the same choices."""

    def __init__(self, **kwargs):
        super().__init__(choices=QUALIFIERS, **kwargs)


class PartySerializer(serializers.ModelSerializer):
    home_state = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Party
        fields = ["code", "name", "kind", "home_state", "un_member"]


class DealPartySerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="party.code")
    name = serializers.CharField(source="party.name")
    kind = serializers.CharField(source="party.kind")

    class Meta:
        model = DealParty
        fields = ["role", "code", "name", "kind"]


class CategoryRefSerializer(serializers.ModelSerializer):
    group = serializers.SlugRelatedField(source="parent", slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Category
        fields = ["slug", "name", "group"]


class CategoryLeafSerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["slug", "name"]


class CategoryTreeSerializer(serializers.ModelSerializer):
    children = CategoryLeafSerializer(many=True, read_only=True)

    class Meta:
        model = Category
        fields = ["slug", "name", "children"]


def iso_datetime(value) -> str:
    """As DRF writes datetimes: ISO 8601, with Z for UTC."""
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def optional(value, convert):
    return None if value is None else convert(value)


def decimal_text(value) -> str:
    return f"{value:f}"


# The columns a list row needs, read as values: for a page of 50 deals, building model
# instances and walking the generic field machinery costs more than the queries.
LISTED_FIELDS = (
    "id",
    "item",
    "category__slug",
    "category__name",
    "category__parent__slug",
    "status",
    "review_state",
    "financing",
    "quantity",
    "quantity_qualifier",
    "value",
    "currency_id",
    "value_qualifier",
    "value_usd",
    "supplier_org__code",
    "first_reported",
    "last_reported",
    "source_count",
    "outlet_count",
    "confidence",
    "updated_at",
)


def listed_values(deals: QuerySet[Deal]) -> QuerySet:
    """The deals as value rows of LISTED_FIELDS, what FastDealList writes out."""
    return deals.prefetch_related(None).values(*LISTED_FIELDS)


def listed_roles(deal_ids: list[int]) -> dict[int, list[tuple[str, str, str, str]]]:
    """(role, code, name, kind) of each deal's parties, in role and position order, in one query."""
    links = (
        DealParty.objects.filter(deal_id__in=deal_ids)
        .order_by("deal_id", "role", "position", "id")
        .values_list("deal_id", "role", "party__code", "party__name", "party__kind")
    )
    roles: dict[int, list[tuple[str, str, str, str]]] = {deal_id: [] for deal_id in deal_ids}
    for deal_id, *link in links:
        roles[deal_id].append(tuple(link))
    return roles


class FastDealList(serializers.ListSerializer):
    """Pages of deals from value rows (listed_values), written out directly. A test checks that
    each row equals what DealSerializer itself produces."""

    def to_representation(self, data) -> list[dict]:
        request = self.context["request"]
        # Detail URLs are the list URL plus the id (see urls.py), so one reverse() serves the page.
        list_url = request.build_absolute_uri(reverse("api:deal-list"))
        rows = list(data)
        roles = listed_roles([row["id"] for row in rows])
        return [deal_row(row, roles[row["id"]], list_url) for row in rows]


def deal_row(deal: dict, roles: list[tuple[str, str, str, str]], list_url: str) -> dict:
    return {
        "id": deal["id"],
        "url": f"{list_url}{deal['id']}/",
        "item": deal["item"],
        "category": {
            "slug": deal["category__slug"],
            "name": deal["category__name"],
            "group": deal["category__parent__slug"],
        },
        "status": deal["status"],
        "review_state": deal["review_state"],
        "financing": deal["financing"],
        "quantity": deal["quantity"],
        "quantity_qualifier": deal["quantity_qualifier"],
        "value": optional(deal["value"], decimal_text),
        "currency": deal["currency_id"],
        "value_qualifier": deal["value_qualifier"],
        "value_usd": optional(deal["value_usd"], decimal_text),
        "suppliers": [code for role, code, _, _ in roles if role == Role.SUPPLIER],
        "recipients": [code for role, code, _, _ in roles if role == Role.RECIPIENT],
        "supplier_org": deal["supplier_org__code"],
        "parties": [
            {"role": role, "code": code, "name": name, "kind": kind} for role, code, name, kind in roles
        ],
        "first_reported": optional(deal["first_reported"], datetime.date.isoformat),
        "last_reported": optional(deal["last_reported"], datetime.date.isoformat),
        "source_count": deal["source_count"],
        "outlet_count": deal["outlet_count"],
        "confidence": deal["confidence"],
        "updated_at": iso_datetime(deal["updated_at"]),
    }


class DealSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:deal-detail")
    category = CategoryRefSerializer(read_only=True)
    currency = serializers.CharField(source="currency_id", allow_null=True)
    supplier_org = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    suppliers = serializers.SerializerMethodField()
    recipients = serializers.SerializerMethodField()
    parties = DealPartySerializer(source="roles", many=True, read_only=True)
    quantity_qualifier = QualifierField(read_only=True)
    value_qualifier = QualifierField(read_only=True)

    class Meta:
        model = Deal
        list_serializer_class = FastDealList
        fields = [
            "id",
            "url",
            "item",
            "category",
            "status",
            "review_state",
            "financing",
            "quantity",
            "quantity_qualifier",
            "value",
            "currency",
            "value_qualifier",
            "value_usd",
            "suppliers",
            "recipients",
            "supplier_org",
            "parties",
            "first_reported",
            "last_reported",
            "source_count",
            "outlet_count",
            "confidence",
            "updated_at",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_suppliers(self, deal: Deal) -> list[str]:
        return deal.codes(Role.SUPPLIER)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_recipients(self, deal: Deal) -> list[str]:
        return deal.codes(Role.RECIPIENT)


@extend_schema_serializer(component_name="DealInCursorPage")
class DealCursorSerializer(DealSerializer):
    """The same fields; a name of its own so cursor pages (no count) get their own schema."""


class ArticleRefSerializer(serializers.ModelSerializer):
    url = serializers.CharField(read_only=True, help_text="Empty for pasted text and uploaded files")

    class Meta:
        model = Article
        fields = ["id", "url", "title", "publisher", "published", "syndicated_from"]


class EvidenceSerializer(serializers.ModelSerializer):
    article = ArticleRefSerializer(read_only=True)
    currency = serializers.CharField(source="currency_id", allow_null=True)
    quantity_qualifier = QualifierField(read_only=True)

    class Meta:
        model = Evidence
        fields = [
            "id",
            "article",
            "sentence",
            "start",
            "end",
            "status",
            "item",
            "quantity",
            "quantity_qualifier",
            "value",
            "currency",
            "confidence",
        ]


class StatusChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = StatusChange
        fields = ["status", "reported_on", "quantity", "evidence", "note"]


class DealDetailSerializer(DealSerializer):
    evidence = EvidenceSerializer(many=True, read_only=True)
    sources = serializers.SerializerMethodField()
    status_history = StatusChangeSerializer(source="status_changes", many=True, read_only=True)

    class Meta(DealSerializer.Meta):
        fields = [*DealSerializer.Meta.fields, "merged_into", "evidence", "sources", "status_history"]

    @extend_schema_field(ArticleRefSerializer(many=True))
    def get_sources(self, deal: Deal) -> list[dict]:
        articles = {e.article_id: e.article for e in deal.evidence.all()}
        return ArticleRefSerializer(list(articles.values()), many=True).data


class RemovedDealSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    merged_into = serializers.IntegerField(source="merged_into_id", allow_null=True)
    reason = serializers.ChoiceField(choices=["merged", "rejected"])
    removed_at = serializers.DateTimeField(source="removed")


class ArticleSerializer(serializers.ModelSerializer):
    # Blank for pasted text and uploaded files, so not typed as URIs.
    url = serializers.CharField(read_only=True)
    canonical_url = serializers.CharField(read_only=True)
    api_url = serializers.HyperlinkedIdentityField(view_name="api:article-detail")
    deals = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = [
            "id",
            "api_url",
            "url",
            "canonical_url",
            "publisher",
            "title",
            "published",
            "language",
            "source_kind",
            "syndicated_from",
            "created_at",
            "deals",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_deals(self, article: Article) -> list[int]:
        return sorted({e.deal_id for e in article.evidence.all()})


class SupportedDealSerializer(serializers.Serializer):
    """A deal as one article supports it: the deal and the sentence that proves it."""

    id = serializers.IntegerField(source="deal.id")
    item = serializers.CharField(source="deal.item")
    status = serializers.CharField(source="deal.status")
    category = serializers.CharField(source="deal.category.slug")
    sentence = serializers.CharField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()


class ArticleDetailSerializer(ArticleSerializer):
    deals = SupportedDealSerializer(source="evidence", many=True, read_only=True)

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "text"]


class CountSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class StatsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    supplier = CountSerializer(many=True)
    recipient = CountSerializer(many=True)
    category = CountSerializer(many=True)
    status = CountSerializer(many=True)
    month = CountSerializer(many=True)


class IngestRequestSerializer(serializers.Serializer):
    url = serializers.URLField(required=False, allow_blank=True, max_length=2000)
    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=True, max_length=1_000_000)
    filename = serializers.CharField(required=False, allow_blank=True, max_length=300)

    def validate(self, attrs: dict) -> dict:
        if bool(attrs.get("url")) == bool(attrs.get("text")):
            raise serializers.ValidationError({"url": ["Give either a url or a text, not both or neither."]})
        return attrs


class IngestJobSerializer(serializers.ModelSerializer):
    url = serializers.CharField(read_only=True, help_text="Empty for a pasted text")

    class Meta:
        model = IngestJob
        fields = [
            "id",
            "kind",
            "state",
            "url",
            "filename",
            "error",
            "article",
            "duplicate",
            "deals_created",
            "deals_merged",
            "attempts",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
