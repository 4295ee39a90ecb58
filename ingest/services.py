"""Ingestion writes: record a job (the outbox), then run it in a worker."""

from django.db import transaction

from .models import IngestJob, JobKind


def ingest_job_create(*, url: str = "", text: str = "", filename: str = "", user=None) -> IngestJob:
    """Record an ingest job for a URL or a text, and queue it once the transaction commits."""
    if bool(url) == bool(text):
        raise ValueError("Give either a URL or a text, not both or neither.")
    kind = JobKind.URL if url else (JobKind.FILE if filename else JobKind.TEXT)
    job = IngestJob.objects.create(kind=kind, url=url, text=text, filename=filename, submitted_by=user)
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from . import tasks

    tasks.run_ingest_job.delay(job_id)
