import datetime

import httpx
import pytest
from django.db import OperationalError as DatabaseOperationalError
from kombu.exceptions import OperationalError

from deals.models import Article, Deal, Evidence
from ingest import services, tasks
from ingest.fetch import TransientFetchError
from ingest.models import IngestJob, JobKind, JobState
from ingest.services import (
    ingest_job_create,
    ingest_job_retry,
    ingest_job_run,
    ingest_jobs_requeue_stale,
)
from tests.ingest.article_server import Page, PageServer, article_html
from tests.ingest.local_http import fake_resolver, forbid_non_loopback_connections

pytestmark = pytest.mark.django_db

K2_TEXT = (
    "Title: Poland signs for Korean tanks\n"
    "Published: 2024-03-01\n\n"
    "Poland signed a contract with South Korea for 180 K2 tanks.\n"
    "The first vehicles are due before the end of the year.\n"
)
WIRE_STORY = (
    "Poland signed a contract with South Korea for 180 K2 tanks on Friday, officials said. "
    "The agreement is the first executive contract under a framework deal concluded in July "
    "between Warsaw and Seoul, which foresees many more vehicles in the coming decade. "
    "Deliveries of the first tanks are scheduled to begin before the end of this year, "
    "and later batches are to be built in Polish plants under licence, the ministry added. "
    "Analysts said the purchase was among the largest in the history of the Polish armed forces."
)


@pytest.fixture
def no_outside_traffic(monkeypatch):
    forbid_non_loopback_connections(monkeypatch)


@pytest.fixture
def server():
    with PageServer() as running:
        yield running


def run_on_commit(django_capture_on_commit_callbacks, **fields) -> IngestJob:
    with django_capture_on_commit_callbacks(execute=True):
        job = ingest_job_create(**fields)
    job.refresh_from_db()
    return job


def test_pasted_text_job_stores_the_article_and_files_its_deal(django_capture_on_commit_callbacks):
    job = run_on_commit(django_capture_on_commit_callbacks, text=K2_TEXT)

    assert (job.kind, job.state, job.error) == (JobKind.TEXT, JobState.DONE, "")
    assert (job.deals_created, job.deals_merged, job.duplicate, job.attempts) == (1, 0, False, 1)
    assert job.article.title == "Poland signs for Korean tanks"
    assert job.article.published == datetime.date(2024, 3, 1)
    assert set(job.timings) >= {"clean", "dedup", "extract", "merge", "total"}
    deal = Deal.objects.get()
    assert (deal.item, deal.quantity, deal.status) == ("K2 tanks", 180, "signed")
    assert deal.evidence.get().sentence == "Poland signed a contract with South Korea for 180 K2 tanks."


def test_running_a_finished_job_again_changes_nothing(django_capture_on_commit_callbacks):
    job = run_on_commit(django_capture_on_commit_callbacks, text=K2_TEXT)

    again = ingest_job_run(job_id=job.pk)

    assert (again.state, again.attempts, again.deals_created) == (JobState.DONE, 1, 1)
    assert (Article.objects.count(), Deal.objects.count(), Evidence.objects.count()) == (1, 1, 1)


def test_same_text_pasted_twice_is_one_article_and_the_second_job_is_a_duplicate(
    django_capture_on_commit_callbacks,
):
    first = run_on_commit(django_capture_on_commit_callbacks, text=K2_TEXT)
    second = run_on_commit(django_capture_on_commit_callbacks, text=K2_TEXT.replace("\n\n", "\n  \n"))

    assert second.state == JobState.DONE
    assert (second.duplicate, second.article_id, second.deals_created) == (True, first.article_id, 0)
    assert Article.objects.count() == 1


def test_second_job_reports_the_deal_it_merged_into(django_capture_on_commit_callbacks):
    run_on_commit(django_capture_on_commit_callbacks, text=K2_TEXT)
    other_outlet = K2_TEXT.replace("Published: 2024-03-01", "Published: 2024-03-02").replace(
        "The first vehicles", "Initial vehicles"
    )
    second = run_on_commit(django_capture_on_commit_callbacks, text=other_outlet)

    assert (second.deals_created, second.deals_merged) == (0, 1)
    assert Deal.objects.get().source_count == 2


def test_reprint_of_a_wire_story_is_linked_to_the_first_copy(django_capture_on_commit_callbacks):
    original = run_on_commit(django_capture_on_commit_callbacks, text=WIRE_STORY)
    reprint = run_on_commit(
        django_capture_on_commit_callbacks,
        text="Reprinted from the wire.\n" + WIRE_STORY + "\nMore news below.",
    )

    assert reprint.article.syndicated_from == original.article
    deal = Deal.objects.get()
    assert (deal.source_count, deal.outlet_count) == (2, 1)


def test_unrelated_article_is_not_taken_for_a_reprint(django_capture_on_commit_callbacks):
    run_on_commit(django_capture_on_commit_callbacks, text=WIRE_STORY)
    other = run_on_commit(
        django_capture_on_commit_callbacks,
        text="Romania agreed to buy 54 Abrams tanks from the United States, the defence ministry said on "
        "Tuesday, in a deal that officials in Bucharest described as the largest land purchase in "
        "the history of the Romanian army and a signal of commitment to the alliance's eastern flank.",
    )

    assert other.article.syndicated_from is None


def test_uploaded_html_file_is_cleaned_before_extraction(django_capture_on_commit_callbacks):
    html = article_html(
        "Tanks for Poland", "2024-03-05", "Poland signed a contract with South Korea for 180 K2 tanks."
    )

    job = run_on_commit(django_capture_on_commit_callbacks, text=html.decode(), filename="story.html")

    assert (job.kind, job.state) == (JobKind.FILE, JobState.DONE)
    assert "<p>" not in job.article.text
    assert job.article.published == datetime.date(2024, 3, 5)
    assert job.deals_created == 1


def test_file_with_no_readable_text_fails_with_a_reason(django_capture_on_commit_callbacks):
    job = run_on_commit(django_capture_on_commit_callbacks, text="   \n\n  ", filename="blank.txt")

    assert job.state == JobState.FAILED
    assert job.error == "No article text could be read from the file blank.txt."
    assert job.finished_at is not None


def test_url_job_fetches_the_page_and_records_where_it_came_from(
    django_capture_on_commit_callbacks, server, settings, no_outside_traffic
):
    settings.INGEST_ALLOW_PRIVATE_HOSTS = True
    server.pages["/story"] = Page(
        article_html(
            "Tanks for Poland", "2024-03-05", "Poland signed a contract with South Korea for 180 K2 tanks."
        )
    )

    job = run_on_commit(django_capture_on_commit_callbacks, url=server.url("/story?utm_source=feed#top"))

    assert job.state == JobState.DONE, job.error
    article = job.article
    assert (article.canonical_url, article.publisher, article.source_kind) == (
        server.url("/story"),
        "127.0.0.1",
        "url",
    )
    assert article.published == datetime.date(2024, 3, 5)
    assert article.fetched_at is not None
    assert job.deals_created == 1
    assert "fetch" in job.timings


def test_url_already_stored_is_not_fetched_again(django_capture_on_commit_callbacks, server, settings):
    settings.INGEST_ALLOW_PRIVATE_HOSTS = True
    server.pages["/story"] = Page(
        article_html("Tanks", "2024-03-05", "Poland signed a contract for 180 K2 tanks.")
    )
    first = run_on_commit(django_capture_on_commit_callbacks, url=server.url("/story"))

    second = run_on_commit(django_capture_on_commit_callbacks, url=server.url("/story?utm_medium=social"))

    assert server.hits("/story") == 1
    assert (second.state, second.duplicate, second.article_id) == (JobState.DONE, True, first.article_id)


def fail_if_called(request):
    pytest.fail(f"a connection to {request.url} was attempted; the URL should have been refused first")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:9/story", "loopback"),
        ("http://[::1]:9/story", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://10.0.0.1/admin", "private"),
        ("http://intranet.example/story", "private"),
        ("file:///etc/passwd", "only http and https"),
    ],
)
def test_forgery_attempts_are_refused_with_a_clear_job_error_before_any_connection(
    monkeypatch, settings, no_outside_traffic, url, reason
):
    settings.INGEST_ALLOW_PRIVATE_HOSTS = False
    fake_resolver(monkeypatch, {"intranet.example": ["10.1.2.3"]})
    job = IngestJob.objects.create(kind=JobKind.URL, url=url)

    job = ingest_job_run(job_id=job.pk, transport=httpx.MockTransport(fail_if_called))

    assert job.state == JobState.FAILED
    assert job.error.startswith("Could not fetch the page: refused")
    assert reason in job.error
    assert Article.objects.count() == 0


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://10.0.0.1/admin", "private"),
        ("http://intranet.example/story", "private"),
        ("file:///etc/passwd", "only http and https"),
    ],
)
def test_redirect_from_the_local_server_to_a_forbidden_target_fails_the_job(
    monkeypatch, settings, server, no_outside_traffic, target, reason
):
    settings.INGEST_ALLOW_PRIVATE_HOSTS = True
    fake_resolver(monkeypatch, {"intranet.example": ["10.1.2.3"]})
    server.pages["/jump"] = Page(b"", status=302, headers=(("Location", target),))
    job = IngestJob.objects.create(kind=JobKind.URL, url=server.url("/jump"))

    job = ingest_job_run(job_id=job.pk)

    assert job.state == JobState.FAILED
    assert reason in job.error
    assert server.hits("/jump") == 1


def test_temporary_network_failure_is_retried_and_only_the_last_attempt_fails_the_job(monkeypatch):
    job = IngestJob.objects.create(kind=JobKind.URL, url="https://news.example/story")

    def unreachable(*args, **kwargs):
        raise TransientFetchError("timed out fetching https://news.example/story (connecting)")

    monkeypatch.setattr(services, "fetch_url", unreachable)

    with pytest.raises(TransientFetchError):
        ingest_job_run(job_id=job.pk, retry_transient=True)
    job.refresh_from_db()
    assert (job.state, job.error) == (
        JobState.PENDING,
        "Temporary failure, will try again: timed out fetching https://news.example/story (connecting)",
    )

    job = ingest_job_run(job_id=job.pk, retry_transient=False)
    assert job.state == JobState.FAILED
    assert job.error.startswith("Could not fetch the page, even after retrying: timed out")
    assert job.attempts == 2


def test_job_submitted_while_the_broker_is_down_is_kept_and_the_sweeper_sends_it_later(
    monkeypatch, django_capture_on_commit_callbacks
):
    real_delay = tasks.run_ingest_job.delay

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.run_ingest_job, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        job = ingest_job_create(text=K2_TEXT)
    job.refresh_from_db()
    assert (job.state, job.enqueued_at) == (JobState.PENDING, None)

    monkeypatch.setattr(tasks.run_ingest_job, "delay", real_delay)
    assert ingest_jobs_requeue_stale() == []  # too recent: it may still be on its way
    swept = ingest_jobs_requeue_stale(now=job.created_at + datetime.timedelta(minutes=2))

    job.refresh_from_db()
    assert swept == [job.pk]
    assert (job.state, job.deals_created) == (JobState.DONE, 1)


def test_sweeper_requeues_jobs_left_running_past_the_timeout_and_leaves_fresh_ones(settings, monkeypatch):
    settings.INGEST_JOB_STALE_SECONDS = 900
    now = datetime.datetime(2026, 1, 1, 12, 0, tzinfo=datetime.UTC)
    abandoned = IngestJob.objects.create(
        kind=JobKind.TEXT, text=K2_TEXT, state=JobState.RUNNING, started_at=now - datetime.timedelta(hours=1)
    )
    IngestJob.objects.create(
        kind=JobKind.TEXT,
        text=K2_TEXT,
        state=JobState.RUNNING,
        started_at=now - datetime.timedelta(seconds=30),
    )
    IngestJob.objects.create(kind=JobKind.TEXT, text="done already", state=JobState.DONE)
    sent = []
    monkeypatch.setattr(tasks.run_ingest_job, "delay", sent.append)

    assert ingest_jobs_requeue_stale(now=now) == [abandoned.pk]
    assert sent == [abandoned.pk]


def test_job_that_keeps_killing_its_worker_is_given_up_with_a_reason():
    job = IngestJob.objects.create(
        kind=JobKind.TEXT, text=K2_TEXT, state=JobState.RUNNING, attempts=services.MAX_ATTEMPTS
    )

    job = ingest_job_run(job_id=job.pk)

    assert job.state == JobState.FAILED
    assert job.error == f"Gave up after {services.MAX_ATTEMPTS} attempts; the worker stopped each time."
    assert Article.objects.count() == 0


def test_failed_job_can_be_sent_round_again(django_capture_on_commit_callbacks, monkeypatch):
    job = IngestJob.objects.create(
        kind=JobKind.TEXT, text=K2_TEXT, state=JobState.FAILED, error="boom", attempts=3
    )

    with django_capture_on_commit_callbacks(execute=True):
        ingest_job_retry(job_id=job.pk)

    job.refresh_from_db()
    assert (job.state, job.error, job.attempts, job.deals_created) == (JobState.DONE, "", 1, 1)


def test_unexpected_error_fails_the_job_with_its_reason_and_is_raised(monkeypatch):
    job = IngestJob.objects.create(kind=JobKind.TEXT, text=K2_TEXT)

    def broken(*args, **kwargs):
        raise RuntimeError("extractor exploded")

    monkeypatch.setattr(services, "extract", broken)
    with pytest.raises(RuntimeError):
        ingest_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error == "Unexpected error while processing this article (RuntimeError: extractor exploded)"
    assert Article.objects.count() == 0


def test_text_or_url_is_required_but_not_both():
    with pytest.raises(ValueError):
        ingest_job_create()
    with pytest.raises(ValueError):
        ingest_job_create(url="https://news.example/a", text="words")


def test_database_deadlock_is_retried_like_a_network_failure(monkeypatch):
    job = IngestJob.objects.create(kind=JobKind.TEXT, text=K2_TEXT)

    def deadlocked(*args, **kwargs):
        raise DatabaseOperationalError("deadlock detected")

    monkeypatch.setattr(services, "article_store", deadlocked)
    with pytest.raises(DatabaseOperationalError):
        ingest_job_run(job_id=job.pk, retry_transient=True)
    job.refresh_from_db()
    assert (job.state, job.error) == (
        JobState.PENDING,
        "Temporary database failure, will try again: deadlock detected",
    )

    job = ingest_job_run(job_id=job.pk, retry_transient=False)
    assert (job.state, job.error) == (
        JobState.FAILED,
        "Could not store the article, even after retrying: deadlock detected",
    )
