import datetime

import pytest
from django.utils import timezone

from ingest import tasks
from ingest.models import Feed, IngestJob, JobKind, JobState
from ingest.services import feed_poll, feed_polls_claim_due
from tests.ingest.article_server import Page, PageServer, article_html, rss
from tests.ingest.local_http import forbid_non_loopback_connections

pytestmark = pytest.mark.django_db


@pytest.fixture
def server(settings, monkeypatch):
    settings.INGEST_ALLOW_PRIVATE_HOSTS = True
    forbid_non_loopback_connections(monkeypatch)
    with PageServer() as running:
        yield running


@pytest.fixture
def feed(server):
    server.pages["/feed.rss"] = Page(
        rss(("story-1", server.url("/story-1")), ("story-2", server.url("/story-2"))),
        content_type="application/rss+xml",
        etag='"v1"',
    )
    return Feed.objects.create(url=server.url("/feed.rss"), title="Defence wire")


def test_feed_polled_twice_creates_its_entries_once(feed, server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        first = feed_poll(feed_id=feed.pk)
        second = feed_poll(feed_id=feed.pk)

    assert sorted(job.feed_entry_id for job in first) == ["story-1", "story-2"]
    assert second == []
    assert len(queued) == 2
    feed.refresh_from_db()
    assert (feed.etag, feed.last_error) == ('"v1"', "")
    assert feed.last_success_at is not None
    assert IngestJob.objects.filter(kind=JobKind.FEED_ENTRY, feed=feed).count() == 2


def test_feed_read_in_full_again_still_adds_only_new_entries(
    feed, server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        feed_poll(feed_id=feed.pk)
        Feed.objects.filter(pk=feed.pk).update(etag="")
        server.pages["/feed.rss"].body = rss(
            ("story-1", server.url("/story-1")),
            ("story-2", server.url("/story-2")),
            ("story-3", server.url("/story-3")),
        )
        again = feed_poll(feed_id=feed.pk)

    assert [job.feed_entry_id for job in again] == ["story-3"]
    assert server.hits("/feed.rss") == 2


def test_second_poll_is_a_conditional_request(feed, server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        feed_poll(feed_id=feed.pk)
        feed_poll(feed_id=feed.pk)

    assert server.hits("/feed.rss") == 2
    assert server.hits("/feed.rss not modified") == 1


def test_feed_entry_job_runs_into_an_article_marked_as_from_a_feed(
    feed, server, django_capture_on_commit_callbacks
):
    server.pages["/story-1"] = Page(
        article_html("Tanks", "2024-03-05", "Poland signed a contract for 180 K2 tanks.")
    )
    server.pages["/story-2"] = Page(
        article_html("Jets", "2024-03-06", "Norway ordered 12 helicopters from Italy.")
    )

    with django_capture_on_commit_callbacks(execute=True):
        jobs = feed_poll(feed_id=feed.pk)

    finished = IngestJob.objects.filter(pk__in=[job.pk for job in jobs])
    assert [job.state for job in finished] == [JobState.DONE, JobState.DONE]
    assert {job.article.source_kind for job in finished} == {"feed"}


def test_failing_feed_keeps_the_time_and_reason_of_its_failure(server, django_capture_on_commit_callbacks):
    feed = Feed.objects.create(url=server.url("/gone.rss"))

    assert feed_poll(feed_id=feed.pk) == []

    feed.refresh_from_db()
    assert feed.last_failure_at is not None
    assert feed.last_success_at is None
    assert feed.last_error.startswith("Could not read the feed:")
    assert "404" in feed.last_error


def test_only_enabled_feeds_whose_interval_has_passed_are_polled(monkeypatch):
    now = timezone.now()
    due = Feed.objects.create(url="https://a.example/feed", next_poll_at=now - datetime.timedelta(minutes=1))
    never_polled = Feed.objects.create(url="https://b.example/feed")
    Feed.objects.create(url="https://c.example/feed", next_poll_at=now + datetime.timedelta(minutes=5))
    Feed.objects.create(url="https://d.example/feed", enabled=False)
    sent = []
    monkeypatch.setattr(tasks.poll_feed, "delay", sent.append)

    assert tasks.poll_due_feeds() == 2
    assert sorted(sent) == sorted([due.pk, never_polled.pk])
    assert feed_polls_claim_due() == []  # claimed: the next sweep does not poll them again
