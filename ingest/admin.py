from django.contrib import admin

from .models import Feed, IngestJob


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ["url", "title", "enabled", "interval_minutes", "last_success_at", "last_failure_at"]
    list_filter = ["enabled"]
    search_fields = ["url", "title", "last_error"]


@admin.register(IngestJob)
class IngestJobAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "kind",
        "state",
        "url",
        "article",
        "deals_created",
        "deals_merged",
        "attempts",
        "created_at",
    ]
    list_filter = ["state", "kind"]
    search_fields = ["url", "filename", "error"]
    raw_id_fields = ["article", "feed", "submitted_by"]
    readonly_fields = ["created_at", "enqueued_at", "started_at", "finished_at"]
