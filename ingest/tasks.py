"""Celery tasks: thin wrappers that pass ids to the services, with the retry policy on the decorator."""

from celery import shared_task
from django.db import OperationalError

from ingest.fetch import TransientFetchError

from . import services


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(TransientFetchError, OperationalError),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def run_ingest_job(self, job_id: int) -> None:
    """Run one ingest job; safe to deliver twice. Network and database hiccups are retried."""
    services.ingest_job_run(job_id=job_id, retry_transient=self.request.retries < self.max_retries)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(TransientFetchError, OperationalError),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def run_ingest_jobs(self, job_ids: list[int]) -> None:
    """Run a batch of ingest jobs together; safe to deliver twice. Hiccups are retried as for one job."""
    services.ingest_jobs_run(job_ids=job_ids, retry_transient=self.request.retries < self.max_retries)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def poll_feed(feed_id: int) -> None:
    """Poll one feed and record a job per new entry."""
    services.feed_poll(feed_id=feed_id)


@shared_task
def poll_due_feeds() -> int:
    """Queue a poll for every feed whose interval has passed; returns how many."""
    feed_ids = services.feed_polls_claim_due()
    for feed_id in feed_ids:
        poll_feed.delay(feed_id)
    return len(feed_ids)


@shared_task
def requeue_stale_jobs() -> int:
    """Queue again jobs that were never queued or were left pending or running; returns how many."""
    return len(services.ingest_jobs_requeue_stale())
