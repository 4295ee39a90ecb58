"""The pipeline through a real Celery worker, the real Redis and the real PostgreSQL test database."""

import datetime
import os
import subprocess
import sys
import time
import uuid

import pytest
import redis
from django.db import connection

from deals.models import Article, Deal, Evidence
from ingest import tasks
from ingest.models import Feed, IngestJob, JobKind, JobState
from ingest.services import ingest_job_create, ingest_jobs_enqueue, ingest_jobs_requeue_stale
from tests.ingest.article_server import Page, PageServer, article_html, rss
from tests.ingest.celery_worker import PROJECT_DIR, WorkerProcess, wait_until

REDIS_URL = os.environ.get("REDIS_URL", "")
DATABASE_URL = os.environ.get("DATABASE_URL", "")

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not REDIS_URL or not DATABASE_URL.startswith(("postgres://", "postgresql://")),
        reason="worker tests need REDIS_URL and a PostgreSQL DATABASE_URL "
        "(e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379/15)",
    ),
]

LEOPARD_REPORTS = {
    "/oslo-orders-tanks": (
        "Oslo orders German tanks",
        "2024-03-01",
        "Norway has ordered 54 Leopard 2A8 tanks from Germany, the defence ministry in Oslo said on Friday.",
    ),
    "/berlin-confirms-sale": (
        "Berlin confirms tank sale",
        "2024-03-02",
        "Germany will supply 54 Leopard 2A8 tanks to Norway under a contract signed this week.",
    ),
    "/tank-deal-value": (
        "Price of the Norwegian tank deal",
        "2024-03-04",
        "Norway signed a contract with Germany for 54 Leopard 2A8 tanks worth about 1.9 billion euros.",
    ),
}


def database_url_for_workers() -> str:
    """The URL of the database pytest-django created, so the worker sees what the test commits."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def queue():
    """A queue of this test's own, used by this process to publish and by the worker to consume."""
    from config.celery import app

    name = f"ingest-test-{uuid.uuid4().hex[:10]}"
    saved = app.conf.task_default_queue, app.conf.task_always_eager
    app.conf.task_default_queue, app.conf.task_always_eager = name, False
    yield name
    app.conf.task_default_queue, app.conf.task_always_eager = saved
    redis.Redis.from_url(REDIS_URL).delete(name)


@pytest.fixture
def start_worker(queue, tmp_path):
    workers: list[WorkerProcess] = []

    def start(**settings: str) -> WorkerProcess:
        env = {
            **os.environ,
            "DATABASE_URL": database_url_for_workers(),
            "DB_CONN_MAX_AGE": "0",
            "REDIS_URL": REDIS_URL,
            "CELERY_BROKER_URL": REDIS_URL,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "INGEST_ALLOW_PRIVATE_HOSTS": "true",
            **settings,
        }
        worker = WorkerProcess(queue=queue, env=env, log_path=tmp_path / "worker.log").start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def server():
    with PageServer() as running:
        yield running


def wait_for_jobs(jobs, worker: WorkerProcess, timeout: float = 60) -> list[IngestJob]:
    ids = [job.pk for job in jobs]

    def finished():
        rows = list(IngestJob.objects.filter(pk__in=ids).order_by("pk"))
        return rows if all(row.state in (JobState.DONE, JobState.FAILED) for row in rows) else None

    try:
        return wait_until(finished, timeout=timeout, message=f"jobs {ids} to finish")
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n--- worker log ---\n{worker.log()}") from None


def test_url_job_is_fetched_and_filed_by_a_real_worker(start_worker, server):
    server.pages["/story"] = Page(article_html(*LEOPARD_REPORTS["/oslo-orders-tanks"]))
    worker = start_worker()

    job = ingest_job_create(url=server.url("/story"))
    [job] = wait_for_jobs([job], worker)

    assert job.state == JobState.DONE, job.error
    assert job.article.canonical_url == server.url("/story")
    assert job.deals_created == 1
    deal = Deal.objects.get()
    assert (deal.item, deal.quantity, deal.status) == ("Leopard 2A8 tanks", 54, "signed")


def test_same_article_submitted_twice_at_once_is_stored_once(start_worker, server):
    title, published, sentence = LEOPARD_REPORTS["/oslo-orders-tanks"]
    # The delay keeps both fetches in flight together, so both jobs race to store the article.
    server.pages["/story"] = Page(article_html(title, published, sentence), delay=1.0)
    worker = start_worker()

    jobs = [
        ingest_job_create(url=server.url("/story")),
        ingest_job_create(url=server.url("/story?utm_source=x")),
    ]
    jobs = wait_for_jobs(jobs, worker)

    assert [job.state for job in jobs] == [JobState.DONE, JobState.DONE]
    assert server.hits("/story") == 2
    assert Article.objects.count() == 1
    assert sorted(job.duplicate for job in jobs) == [False, True]
    assert {job.article_id for job in jobs} == {Article.objects.get().pk}
    assert (Deal.objects.count(), Evidence.objects.count()) == (1, 1)


def test_three_articles_about_one_deal_make_one_deal_with_three_evidence_rows(start_worker, server):
    for path, report in LEOPARD_REPORTS.items():
        server.pages[path] = Page(article_html(*report), delay=0.3)
    worker = start_worker()

    jobs = wait_for_jobs([ingest_job_create(url=server.url(path)) for path in LEOPARD_REPORTS], worker)

    assert [job.state for job in jobs] == [JobState.DONE] * 3
    deal = Deal.objects.get()
    assert deal.evidence.count() == 3
    assert (deal.source_count, deal.outlet_count) == (3, 3)
    assert (deal.value, deal.currency_id) == (1_900_000_000, "EUR")
    assert sorted(job.deals_created for job in jobs) == [0, 0, 1]


def test_worker_killed_in_the_middle_of_a_job_completes_it_exactly_once_after_restart(start_worker, server):
    # The redelivery timeout is short so the test need not wait long; the time limits stay below
    # it, as they must, so a healthy slow job is never handed to a second worker.
    settings = {
        "CELERY_VISIBILITY_TIMEOUT": "6",
        "CELERY_TASK_TIME_LIMIT": "5",
        "CELERY_TASK_SOFT_TIME_LIMIT": "4",
    }
    server.pages["/slow-story"] = Page(article_html(*LEOPARD_REPORTS["/oslo-orders-tanks"]), delay=2.0)
    worker = start_worker(**settings)
    job = ingest_job_create(url=server.url("/slow-story"))

    wait_until(lambda: server.hits("/slow-story") == 1, timeout=60, message="the worker to start fetching")
    worker.kill()
    job.refresh_from_db()
    assert (job.state, job.attempts) == (JobState.RUNNING, 1)

    restarted = start_worker(**settings)
    [job] = wait_for_jobs([job], restarted)

    assert (job.state, job.attempts, job.deals_created) == (JobState.DONE, 2, 1)
    assert (Article.objects.count(), Deal.objects.count(), Evidence.objects.count()) == (1, 1, 1)
    time.sleep(2)  # let any stray second delivery surface before counting
    assert server.hits("/slow-story") == 2
    assert IngestJob.objects.get(pk=job.pk).attempts == 2


def test_batch_killed_in_the_middle_completes_each_of_its_jobs_exactly_once_after_restart(
    start_worker, server
):
    settings = {
        "CELERY_VISIBILITY_TIMEOUT": "6",
        "CELERY_TASK_TIME_LIMIT": "5",
        "CELERY_TASK_SOFT_TIME_LIMIT": "4",
    }
    server.pages["/slow-story"] = Page(article_html(*LEOPARD_REPORTS["/oslo-orders-tanks"]), delay=2.0)
    worker = start_worker(**settings)
    title, published, sentence = LEOPARD_REPORTS["/berlin-confirms-sale"]
    text = ingest_job_create(text=f"Title: {title}\nPublished: {published}\n\n{sentence}\n", enqueue=False)
    page = ingest_job_create(url=server.url("/slow-story"), enqueue=False)
    assert ingest_jobs_enqueue(job_ids=[text.pk, page.pk]) == 2

    wait_until(lambda: server.hits("/slow-story") == 1, timeout=60, message="the worker to start fetching")
    worker.kill()
    restarted = start_worker(**settings)
    jobs = wait_for_jobs([text, page], restarted)

    assert [(job.state, job.attempts) for job in jobs] == [(JobState.DONE, 2), (JobState.DONE, 2)]
    assert sorted(job.deals_created for job in jobs) == [0, 1]
    time.sleep(2)  # let any stray second delivery surface before counting
    assert (Article.objects.count(), Deal.objects.count(), Evidence.objects.count()) == (2, 1, 2)
    assert Deal.objects.get().source_count == 2


def test_two_batches_holding_the_same_articles_store_each_article_once(start_worker):
    texts = [
        f"Title: {title}\nPublished: {published}\n\n{sentence}\n"
        for title, published, sentence in LEOPARD_REPORTS.values()
    ]
    worker = start_worker()
    first = [ingest_job_create(text=text, enqueue=False) for text in texts]
    # The same articles in the other order, spaced differently: equal once normalised.
    second = [
        ingest_job_create(text=text.replace("\n\n", "\n \n"), enqueue=False) for text in reversed(texts)
    ]
    ingest_jobs_enqueue(job_ids=[job.pk for job in first])
    ingest_jobs_enqueue(job_ids=[job.pk for job in second])

    jobs = wait_for_jobs([*first, *second], worker)

    assert [job.state for job in jobs] == [JobState.DONE] * 6
    assert sum(job.duplicate for job in jobs) == 3
    assert Article.objects.count() == 3
    deal = Deal.objects.get()
    assert (deal.source_count, deal.evidence.count()) == (3, 3)


def test_feed_polled_twice_at_once_by_two_worker_processes_creates_its_entries_once(start_worker, server):
    server.pages["/feed.rss"] = Page(
        rss(("oslo", server.url("/oslo-orders-tanks")), ("berlin", server.url("/berlin-confirms-sale"))),
        content_type="application/rss+xml",
        delay=0.5,
    )
    for path in ("/oslo-orders-tanks", "/berlin-confirms-sale"):
        server.pages[path] = Page(article_html(*LEOPARD_REPORTS[path]))
    feed = Feed.objects.create(url=server.url("/feed.rss"))
    worker = start_worker()

    tasks.poll_feed.delay(feed.pk)
    tasks.poll_feed.delay(feed.pk)
    wait_until(lambda: server.hits("/feed.rss") == 2, timeout=60, message="both polls to reach the feed")
    wait_until(
        lambda: IngestJob.objects.filter(feed=feed).count() == 2, timeout=30, message="the feed's jobs"
    )
    jobs = wait_for_jobs(IngestJob.objects.filter(feed=feed), worker)

    assert sorted(job.feed_entry_id for job in jobs) == ["berlin", "oslo"]
    assert {job.kind for job in jobs} == {JobKind.FEED_ENTRY}
    assert [job.state for job in jobs] == [JobState.DONE, JobState.DONE]
    assert IngestJob.objects.filter(feed=feed).count() == 2
    assert Article.objects.count() == 2
    assert Deal.objects.get().source_count == 2


def test_pool_process_killed_in_the_middle_of_a_job_is_requeued_and_completes_once(start_worker, server):
    server.pages["/slow-story"] = Page(article_html(*LEOPARD_REPORTS["/oslo-orders-tanks"]), delay=2.0)
    worker = start_worker()
    job = ingest_job_create(url=server.url("/slow-story"))

    wait_until(lambda: server.hits("/slow-story") == 1, timeout=60, message="the worker to start fetching")
    assert worker.kill_pool_processes()
    [job] = wait_for_jobs([job], worker)

    assert (job.state, job.attempts, job.deals_created) == (JobState.DONE, 2, 1)
    assert (Article.objects.count(), Deal.objects.count(), Evidence.objects.count()) == (1, 1, 1)
    assert server.hits("/slow-story") == 2


def test_job_submitted_while_redis_is_down_is_recorded_and_runs_once_redis_is_back(start_worker):
    # Another process submits the job with its broker pointing at a closed port.
    submit = (
        "from ingest.services import ingest_job_create; "
        "job = ingest_job_create(text='Norway signed a contract with Germany for 54 Leopard 2A8 tanks.'); "
        "print(job.pk)"
    )
    env = {**os.environ, "DATABASE_URL": database_url_for_workers(), "REDIS_URL": "redis://127.0.0.1:1/0"}
    env.pop("CELERY_BROKER_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", submit],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    job = IngestJob.objects.get(pk=int(result.stdout.split()[-1]))
    assert (job.state, job.enqueued_at) == (JobState.PENDING, None)

    worker = start_worker()
    assert ingest_jobs_requeue_stale(now=job.created_at + datetime.timedelta(minutes=2)) == [job.pk]
    [job] = wait_for_jobs([job], worker)

    assert (job.state, job.attempts, job.deals_created) == (JobState.DONE, 1, 1)
