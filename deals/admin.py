from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Article, Category, Currency, Deal, DealParty, Evidence, ExchangeRate, Party, StatusChange


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "home_state", "un_member"]
    list_filter = ["kind", "un_member"]
    search_fields = ["code", "name", "aliases"]
    autocomplete_fields = ["home_state"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "position"]
    list_filter = ["parent"]
    search_fields = ["slug", "name"]


@admin.register(Currency)
class CurrencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["currency", "year", "units_per_usd"]
    list_filter = ["year", "currency"]


class DealPartyInline(admin.TabularInline):
    model = DealParty
    extra = 0
    autocomplete_fields = ["party"]


class EvidenceInline(admin.StackedInline):
    model = Evidence
    extra = 0
    fields = [
        "article",
        "sentence",
        "status",
        "item",
        "quantity",
        "value",
        "currency",
        "confidence",
        "extractor_version",
    ]
    readonly_fields = fields
    show_change_link = True
    can_delete = False


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    fields = ["reported_on", "status", "quantity", "note"]
    readonly_fields = ["reported_on", "status", "quantity"]


@admin.register(Deal)
class DealAdmin(SimpleHistoryAdmin):
    list_display = [
        "id",
        "item",
        "category",
        "status",
        "quantity",
        "value",
        "currency",
        "source_count",
        "outlet_count",
        "confidence",
        "review_state",
        "last_reported",
    ]
    list_filter = ["status", "review_state", "category__parent", "category", "financing"]
    search_fields = ["item", "roles__party__code", "roles__party__name", "evidence__sentence"]
    date_hierarchy = "last_reported"
    autocomplete_fields = ["supplier_org", "merged_into"]
    readonly_fields = ["value_usd", "source_count", "outlet_count", "merge_key", "created_at", "updated_at"]
    inlines = [DealPartyInline, EvidenceInline, StatusChangeInline]
    list_select_related = ["category", "currency"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "publisher",
        "published",
        "source_kind",
        "language",
        "syndicated_from",
        "created_at",
    ]
    list_filter = ["source_kind", "language", "publisher"]
    search_fields = ["title", "url", "canonical_url", "text"]
    date_hierarchy = "published"
    readonly_fields = ["content_hash", "created_at", "fetched_at"]
    autocomplete_fields = ["syndicated_from"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = [
        "deal",
        "article",
        "status",
        "quantity",
        "value",
        "currency",
        "confidence",
        "extractor_version",
    ]
    list_filter = ["status", "extractor_version"]
    search_fields = ["sentence", "article__title"]
    raw_id_fields = ["deal", "article"]
    list_select_related = ["deal", "article", "currency"]


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ["deal", "status", "reported_on", "quantity"]
    list_filter = ["status"]
    raw_id_fields = ["deal", "evidence"]
