"""Ingestion writes: record a job (the outbox), queue it, and run it to the end.

A job runs in two steps. Fetching and cleaning happen outside any transaction, because they wait
on the network. Everything after that (storing the article, extracting, merging, marking the job
done) is one transaction holding the job's row lock, so a job is either finished completely or
not at all, and a second delivery of the same job waits and then finds it done.

Jobs queued together (bulk ingestion) run as a batch: each is claimed and read as it would be
alone, then one transaction stores, extracts and files all of them with set-based queries. If
that transaction fails it is rolled back whole and the jobs are completed one by one, so a bad
article costs the batch its speed, never its outcome.
"""

import datetime
import logging
from collections.abc import Sequence

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable

from deals.merging import deal_merge_reports
from deals.models import Article, SourceKind
from deals.services import rows_update
from ingest.canonical import canonical_url, publisher_from_url
from ingest.extract import EXTRACTOR_VERSION, extract
from ingest.extract.document import Document, parse_document
from ingest.feeds import FeedEntry, fetch_feed
from ingest.fetch import FetchError, FetchPolicy, TransientFetchError, fetch_url

from .articles import ArticleSource, article_store, articles_store
from .models import Feed, IngestJob, JobKind, JobState
from .timing import StageTimer

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
UNSENT_GRACE_SECONDS = 60
SWEEP_BATCH = 1000
FINISH_FIELDS = ["state", "error", "finished_at"]
DONE_FIELDS = [*FINISH_FIELDS, "article", "duplicate", "deals_created", "deals_merged", "timings"]
SOURCE_KINDS = {
    JobKind.URL: SourceKind.URL,
    JobKind.FEED_ENTRY: SourceKind.FEED,
    JobKind.TEXT: SourceKind.TEXT,
    JobKind.FILE: SourceKind.FILE,
}


class UnreadableArticle(Exception):
    """The input holds no article text; the message says so in words an analyst understands."""


def ingest_job_create(
    *, url: str = "", text: str = "", filename: str = "", user=None, enqueue: bool = True
) -> IngestJob:
    """Record an ingest job for a URL or a text, and queue it once the transaction commits."""
    text = text.replace("\x00", "")  # PostgreSQL text cannot hold NUL characters
    if bool(url) == bool(text):
        raise ValueError("Give either a URL or a text, not both or neither.")
    kind = JobKind.URL if url else (JobKind.FILE if filename else JobKind.TEXT)
    job = IngestJob.objects.create(kind=kind, url=url, text=text, filename=filename, submitted_by=user)
    if enqueue:
        transaction.on_commit(lambda: ingest_job_enqueue(job_id=job.pk))
    return job


def ingest_job_enqueue(*, job_id: int) -> bool:
    """Hand a recorded job to the queue; False when the broker is down (the sweeper sends it later)."""
    from . import tasks

    IngestJob.objects.filter(pk=job_id).update(enqueued_at=timezone.now())
    try:
        tasks.run_ingest_job.delay(job_id)
    except (BrokerUnavailable, ConnectionError, OSError) as exc:
        # The job row is already committed: losing the broker must not lose the submission.
        IngestJob.objects.filter(pk=job_id).update(enqueued_at=None)
        logger.warning("Ingest job %s recorded but not queued (%s); the sweeper will queue it", job_id, exc)
        return False
    return True


def ingest_jobs_enqueue(*, job_ids: Sequence[int]) -> int:
    """Hand recorded jobs to the queue in batches; returns how many were queued (the sweeper sends the rest)."""
    from . import tasks

    job_ids, size = list(job_ids), settings.INGEST_BATCH_SIZE
    for start in range(0, len(job_ids), size):
        batch = job_ids[start : start + size]
        IngestJob.objects.filter(pk__in=batch).update(enqueued_at=timezone.now())
        try:
            tasks.run_ingest_jobs.delay(batch)
        except (BrokerUnavailable, ConnectionError, OSError) as exc:
            IngestJob.objects.filter(pk__in=job_ids[start:]).update(enqueued_at=None)
            logger.warning(
                "%s ingest jobs recorded but not queued (%s); the sweeper will queue them",
                len(job_ids) - start,
                exc,
            )
            return start
    return len(job_ids)


def ingest_job_retry(*, job_id: int) -> IngestJob:
    """Send a failed job round again, clearing its reason; a job that is not failed is left alone."""
    with transaction.atomic():
        job = IngestJob.objects.select_for_update().get(pk=job_id)
        if job.state != JobState.FAILED:
            return job
        job.state, job.error, job.attempts, job.finished_at = JobState.PENDING, "", 0, None
        job.save(update_fields=["state", "error", "attempts", "finished_at"])
        transaction.on_commit(lambda: ingest_job_enqueue(job_id=job.pk))
    return job


def ingest_job_run(*, job_id: int, retry_transient: bool = False, transport=None) -> IngestJob:
    """Run one job to the end; running a finished job again changes nothing.

    With `retry_transient`, a temporary network failure is re-raised for the caller to retry later;
    without it, it fails the job. `transport` replaces the fetcher's connection layer in tests.
    """
    job = _job_claim(job_id)
    if job is None:
        return IngestJob.objects.get(pk=job_id)
    return _job_finish_alone(job, StageTimer(), retry_transient=retry_transient, transport=transport)


def ingest_jobs_run(
    *, job_ids: Sequence[int], retry_transient: bool = False, transport=None
) -> list[IngestJob]:
    """Run several jobs together, with the outcome of running them one by one in this order.

    A job that cannot be read fails (or waits for a retry) alone; the first error the caller
    should see (a temporary failure to retry, an unexpected one) is raised once all are handled.
    """
    prepared: list[tuple[IngestJob, ArticleSource, StageTimer]] = []
    raised: list[Exception] = []
    for job in _jobs_claim(job_ids):
        timer = StageTimer()
        try:
            prepared.append((job, _source_for(job, timer, transport), timer))
        except Exception as exc:
            _collect(raised, _job_stopped, job.pk, exc, retry_transient)
    if prepared:
        try:
            with transaction.atomic():
                _commit_without_waiting_for_disk()
                _jobs_complete(prepared)
        except Exception:
            logger.warning(
                "A batch of %s ingest jobs failed; completing them one by one", len(prepared), exc_info=True
            )
            for job, source, timer in prepared:
                _collect(
                    raised, _job_finish_alone, job, _reading_stages(timer), retry_transient, source=source
                )
    if raised:
        raise raised[0]
    return list(IngestJob.objects.filter(pk__in=job_ids).defer("text").order_by("pk"))


def _collect(raised: list[Exception], function, *args, **kwargs) -> None:
    try:
        function(*args, **kwargs)
    except Exception as exc:
        raised.append(exc)


def _job_finish_alone(
    job: IngestJob, timer: StageTimer, retry_transient: bool, *, transport=None, source=None
) -> IngestJob:
    try:
        if source is None:
            source = _source_for(job, timer, transport)
        with transaction.atomic():
            _commit_without_waiting_for_disk()
            return _job_complete(job.pk, source, timer)
    except Exception as exc:
        return _job_stopped(job.pk, exc, retry_transient)


def _job_stopped(job_id: int, exc: Exception, retry_transient: bool) -> IngestJob:
    """Record why a job stopped; re-raise what the task should retry and what nobody expected."""
    if isinstance(exc, TransientFetchError):
        if retry_transient:
            _job_retry_later(job_id, f"Temporary failure, will try again: {exc}")
            raise exc
        return _job_fail(job_id, f"Could not fetch the page, even after retrying: {exc}")
    if isinstance(exc, OperationalError):
        # A deadlock or a lost connection: the transaction rolled back, so trying again is safe.
        if retry_transient:
            _job_retry_later(job_id, f"Temporary database failure, will try again: {exc}")
            raise exc
        return _job_fail(job_id, f"Could not store the article, even after retrying: {exc}")
    if isinstance(exc, FetchError):
        return _job_fail(job_id, f"Could not fetch the page: {exc}")
    if isinstance(exc, UnreadableArticle):
        return _job_fail(job_id, str(exc))
    _job_fail(job_id, f"Unexpected error while processing this article ({type(exc).__name__}: {exc})")
    raise exc


def _commit_without_waiting_for_disk() -> None:
    """Let this transaction's commit return before PostgreSQL has flushed it to disk.

    Safe here because a job's results and its "done" state are written in one transaction: if the
    database crashed in the split second before the flush, both would be lost together, the job
    would look unfinished, and the sweeper would run it again. Nothing half-done can remain.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _job_claim(job_id: int) -> IngestJob | None:
    with transaction.atomic():
        _commit_without_waiting_for_disk()
        job = IngestJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state in (JobState.DONE, JobState.FAILED):
            return None
        if job.attempts >= MAX_ATTEMPTS:
            _job_fail(job_id, f"Gave up after {job.attempts} attempts; the worker stopped each time.")
            return None
        job.state, job.attempts, job.started_at = JobState.RUNNING, job.attempts + 1, timezone.now()
        job.save(update_fields=["state", "attempts", "started_at"])
        return job


def _source_for(job: IngestJob, timer: StageTimer, transport) -> ArticleSource:
    source_kind = SOURCE_KINDS[job.kind]
    if job.kind in (JobKind.URL, JobKind.FEED_ENTRY):
        return _fetched_source(job.url, source_kind, timer, transport)
    with timer("clean"):
        document = parse_document(job.text, filename=job.filename or None)
    _require_text(document, f"the {'file ' + job.filename if job.filename else 'pasted text'}")
    return ArticleSource(document=document, source_kind=source_kind)


def _fetched_source(url: str, source_kind: str, timer: StageTimer, transport) -> ArticleSource:
    known = Article.objects.filter(canonical_url=canonical_url(url)).exclude(canonical_url="").first()
    if known is not None:
        return ArticleSource(document=None, source_kind=source_kind, known_article=known)
    with timer("fetch"):
        fetched = fetch_url(url, policy=FetchPolicy.from_settings(), transport=transport)
    with timer("clean"):
        document = parse_document(fetched.content, content_type=fetched.content_type)
    _require_text(document, fetched.final_url)
    return ArticleSource(
        document=document,
        source_kind=source_kind,
        url=url,
        canonical_url=canonical_url(fetched.final_url),
        publisher=publisher_from_url(fetched.final_url),
        fetched_at=timezone.now(),
    )


def _require_text(document: Document, what: str) -> None:
    if not document.text.strip():
        raise UnreadableArticle(f"No article text could be read from {what}.")


def _jobs_claim(job_ids: Sequence[int]) -> list[IngestJob]:
    with transaction.atomic():
        _commit_without_waiting_for_disk()
        jobs = list(
            IngestJob.objects.select_for_update()
            .filter(pk__in=job_ids)
            .exclude(state__in=(JobState.DONE, JobState.FAILED))
            .order_by("pk")
        )
        for job in jobs:
            if job.attempts >= MAX_ATTEMPTS:
                _job_fail(job.pk, f"Gave up after {job.attempts} attempts; the worker stopped each time.")
        claimed = [job for job in jobs if job.attempts < MAX_ATTEMPTS]
        now = timezone.now()
        IngestJob.objects.filter(pk__in=[job.pk for job in claimed]).update(
            state=JobState.RUNNING, attempts=F("attempts") + 1, started_at=now
        )
        for job in claimed:
            job.state, job.attempts, job.started_at = JobState.RUNNING, job.attempts + 1, now
        return claimed


def _job_complete(job_id: int, source: ArticleSource, timer: StageTimer) -> IngestJob:
    job = IngestJob.objects.select_for_update().get(pk=job_id)
    if job.state != JobState.RUNNING:
        return job  # another delivery of this job finished it while this one was fetching
    with timer("dedup"):
        article, is_new = article_store(source)
    filed = _deals_file([article], [timer])[0] if is_new else []
    _job_done(job, article, is_new, filed, timer)
    job.save(update_fields=DONE_FIELDS)
    return job


def _jobs_complete(prepared: list[tuple[IngestJob, ArticleSource, StageTimer]]) -> None:
    """Store, extract and file a batch of claimed jobs in the caller's transaction."""
    states = dict(
        IngestJob.objects.select_for_update()
        .filter(pk__in=[job.pk for job, _, _ in prepared])
        .order_by("pk")
        .values_list("pk", "state")
    )
    # Another delivery of a job may have finished it while this one was reading.
    live = [(job, source, timer) for job, source, timer in prepared if states[job.pk] == JobState.RUNNING]
    if not live:
        return
    shared = StageTimer()
    with shared("dedup"):
        stored = articles_store([source for _, source, _ in live])
    new = [(article, timer) for (article, is_new), (_, _, timer) in zip(stored, live, strict=True) if is_new]
    filed = iter(_deals_file([article for article, _ in new], [timer for _, timer in new], shared))
    for (job, _, timer), (article, is_new) in zip(live, stored, strict=True):
        # Stages run once for the whole batch are shared out evenly among its jobs.
        for stage, seconds in shared.seconds.items():
            timer.seconds[stage] = timer.seconds.get(stage, 0.0) + seconds / len(live)
        _job_done(job, article, is_new, next(filed) if is_new else [], timer)
    rows_update([job for job, _, _ in live], DONE_FIELDS)


def _deals_file(
    articles: list[Article], timers: list[StageTimer], shared: StageTimer | None = None
) -> list[list[tuple]]:
    """Extract each article's deals and file them all together; per article, (deal, created) pairs."""
    reports = []
    for article, timer in zip(articles, timers, strict=True):
        with timer("extract"):
            reports.append((article, extract(article.text, published=article.published)))
    with (shared or timers[0])("merge"):
        return deal_merge_reports(reports=reports, extractor_version=EXTRACTOR_VERSION, new_articles=True)


def _job_done(job: IngestJob, article: Article, is_new: bool, filed: list[tuple], timer: StageTimer) -> None:
    created = {deal.pk for deal, is_created in filed if is_created}
    touched = {deal.pk for deal, _ in filed}
    job.article, job.duplicate = article, not is_new
    job.deals_created, job.deals_merged = len(created), len(touched - created)
    job.state, job.error, job.finished_at = JobState.DONE, "", timezone.now()
    job.timings = timer.as_dict()


def _reading_stages(timer: StageTimer) -> StageTimer:
    """A timer keeping only the stages spent reading the job, for completing it again alone."""
    fresh = StageTimer()
    fresh.seconds = {
        stage: seconds for stage, seconds in timer.seconds.items() if stage in ("fetch", "clean")
    }
    return fresh


def _job_fail(job_id: int, reason: str) -> IngestJob:
    IngestJob.objects.filter(pk=job_id).exclude(state=JobState.DONE).update(
        state=JobState.FAILED, error=reason[:5000], finished_at=timezone.now()
    )
    return IngestJob.objects.get(pk=job_id)


def _job_retry_later(job_id: int, reason: str) -> None:
    IngestJob.objects.filter(pk=job_id, state=JobState.RUNNING).update(
        state=JobState.PENDING, error=reason[:5000], enqueued_at=timezone.now()
    )


def ingest_jobs_requeue_stale(*, now: datetime.datetime | None = None) -> list[int]:
    """Queue again the jobs that never reached the queue, or sat pending or running too long."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=settings.INGEST_JOB_STALE_SECONDS)
    unsent = now - datetime.timedelta(seconds=min(UNSENT_GRACE_SECONDS, settings.INGEST_JOB_STALE_SECONDS))
    job_ids = list(
        IngestJob.objects.filter(
            Q(state=JobState.PENDING, enqueued_at__isnull=True, created_at__lt=unsent)
            | Q(state=JobState.PENDING, enqueued_at__lt=stale)
            | Q(state=JobState.RUNNING, started_at__lt=stale)
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    return [job_id for job_id in job_ids if ingest_job_enqueue(job_id=job_id)]


def feed_polls_claim_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Ids of enabled feeds due for a poll, each moved to its next slot so no other sweep takes it."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Feed.objects.select_for_update(skip_locked=True)
            .filter(enabled=True)
            .filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
        )
        for feed in due:
            feed.next_poll_at = now + datetime.timedelta(minutes=feed.interval_minutes)
            feed.save(update_fields=["next_poll_at"])
    return [feed.pk for feed in due]


def feed_poll(*, feed_id: int, transport=None) -> list[IngestJob]:
    """Fetch a feed (conditionally) and record one URL job per entry not seen before."""
    feed = Feed.objects.get(pk=feed_id)
    now = timezone.now()
    feed.last_polled_at = now
    try:
        result = fetch_feed(
            feed.url,
            policy=FetchPolicy.from_settings(),
            etag=feed.etag or None,
            last_modified=feed.last_modified or None,
            transport=transport,
        )
    except FetchError as exc:
        feed.last_failure_at, feed.last_error = now, f"Could not read the feed: {exc}"[:5000]
        feed.save(update_fields=["last_polled_at", "last_failure_at", "last_error"])
        return []
    jobs = [job for entry in result.entries if (job := _feed_entry_job(feed, entry)) is not None]
    feed.etag, feed.last_modified = (result.etag or "")[:300], (result.last_modified or "")[:100]
    feed.last_success_at = now
    if result.bozo_error:
        logger.info("Feed %s parsed with complaints: %s", feed.url, result.bozo_error)
    feed.next_poll_at = now + datetime.timedelta(minutes=feed.interval_minutes)
    feed.save()
    return jobs


def _feed_entry_job(feed: Feed, entry: FeedEntry) -> IngestJob | None:
    entry_id = entry.guid[:1000]
    if IngestJob.objects.filter(feed=feed, feed_entry_id=entry_id).exists():
        return None
    try:
        with transaction.atomic():
            job = IngestJob.objects.create(
                kind=JobKind.FEED_ENTRY, url=entry.url[:2000], feed=feed, feed_entry_id=entry_id
            )
            transaction.on_commit(lambda: ingest_job_enqueue(job_id=job.pk))
    except IntegrityError:
        return None  # a concurrent poll of the same feed recorded this entry first
    return job
