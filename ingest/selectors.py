"""Reads for the ingest and sources pages."""

from django.db.models import QuerySet

from .models import Feed, IngestJob, JobState

ACTIVE_STATES = (JobState.PENDING, JobState.RUNNING)


def recent_jobs(*, limit: int = 50) -> list[IngestJob]:
    """The latest ingest jobs, newest first, with their article and submitter."""
    return list(
        IngestJob.objects.select_related("article", "submitted_by", "feed").order_by("-created_at", "-id")[
            :limit
        ]
    )


def feeds() -> QuerySet[Feed]:
    """Every feed, enabled ones first."""
    return Feed.objects.order_by("-enabled", "title", "url")


def job_states(*, limit: int = 50) -> list[dict]:
    """A compact view of the latest jobs for the page's live refresh."""
    rows = IngestJob.objects.order_by("-created_at", "-id").values(
        "id", "state", "error", "deals_created", "deals_merged", "article_id"
    )[:limit]
    return list(rows)
