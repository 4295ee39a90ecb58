"""The ingestion outbox (jobs) and the feeds that Celery beat polls."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Feed(models.Model):
    """An RSS or Atom feed polled on an interval; failures stay visible."""

    url = models.URLField(max_length=2000, unique=True)
    title = models.CharField(max_length=300, blank=True)
    interval_minutes = models.PositiveIntegerField(default=60)
    enabled = models.BooleanField(default=True)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["url"]
        constraints = [
            models.CheckConstraint(
                condition=Q(interval_minutes__gte=5), name="feed_interval_at_least_5_minutes"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url


class JobKind(models.TextChoices):
    URL = "url", "URL"
    TEXT = "text", "Pasted text"
    FILE = "file", "Uploaded file"
    FEED_ENTRY = "feed_entry", "Feed entry"


class JobState(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class IngestJob(models.Model):
    """One article to ingest. Recorded before it is queued, so nothing submitted is lost."""

    kind = models.CharField(max_length=12, choices=JobKind.choices)
    state = models.CharField(max_length=8, choices=JobState.choices, default=JobState.PENDING, db_index=True)
    url = models.URLField(max_length=2000, blank=True)
    text = models.TextField(blank=True)
    filename = models.CharField(max_length=300, blank=True)
    feed = models.ForeignKey(Feed, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs")
    feed_entry_id = models.CharField(max_length=1000, blank=True)
    article = models.ForeignKey(
        "deals.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="ingest_jobs"
    )
    duplicate = models.BooleanField(default=False, help_text="The article was already in the records")
    deals_created = models.PositiveIntegerField(default=0)
    deals_merged = models.PositiveIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    timings = models.JSONField(
        default=dict, blank=True, help_text="Seconds spent in each processing stage of the last run"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="ingest_jobs"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "enqueued_at"], name="ingestjob_state_enqueued")]
        constraints = [
            models.UniqueConstraint(
                fields=["feed", "feed_entry_id"],
                condition=Q(feed__isnull=False),
                name="ingestjob_feed_entry_once",
            ),
            models.CheckConstraint(condition=~Q(kind="url") | ~Q(url=""), name="ingestjob_url_job_has_url"),
            models.CheckConstraint(
                condition=~Q(kind__in=["text", "file"]) | ~Q(text=""), name="ingestjob_text_job_has_text"
            ),
            models.CheckConstraint(
                condition=~Q(state="failed") | ~Q(error=""), name="ingestjob_failure_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} job {self.pk} ({self.state})"


class ArticleShingle(models.Model):
    """One of the smallest word-shingle hashes of an article: a sketch that finds reprints cheaply.

    Two copies of a wire story share most of their smallest shingle hashes, so looking these up
    by value finds the few articles worth comparing in full, instead of every article.
    """

    article = models.ForeignKey("deals.Article", on_delete=models.CASCADE, related_name="shingles")
    value = models.BigIntegerField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "value"], name="articleshingle_once_per_article"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}:{self.value}"
