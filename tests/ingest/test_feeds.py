from datetime import UTC, datetime

import pytest

from ingest.feeds import FeedEntry, MalformedFeed, fetch_feed, parse_feed
from ingest.fetch import BlockedURL, FetchPolicy
from tests.ingest.local_http import (
    FEED_ETAG,
    FEED_LAST_MODIFIED,
    forbid_non_loopback_connections,
)


@pytest.fixture(autouse=True)
def no_outside_traffic(monkeypatch):
    forbid_non_loopback_connections(monkeypatch)


@pytest.fixture
def policy():
    return FetchPolicy(max_bytes=100_000, connect_timeout=2, read_timeout=2, allow_private_hosts=True)


def test_rss_entries_are_parsed_with_links_resolved_against_the_feed(server, policy):
    result = fetch_feed(server.url("/feed.rss"), policy=policy)

    assert not result.not_modified and result.bozo_error is None
    assert result.entries == [
        FeedEntry(
            url=server.url("/2026/11/howitzers"),
            title="Ministry signs howitzer contract",
            published=datetime(2026, 11, 24, 7, 30, tzinfo=UTC),
            guid="howitzers-2026",
        ),
        FeedEntry(
            url="https://elsewhere.test/aid?utm_source=rss",
            title="Air defence aid package",
            published=None,
            guid="https://elsewhere.test/aid?utm_source=rss",
        ),
    ]


def test_feed_validators_are_returned_for_the_next_poll(server, policy):
    result = fetch_feed(server.url("/feed.rss"), policy=policy)

    assert (result.etag, result.last_modified) == (FEED_ETAG, FEED_LAST_MODIFIED)


def test_second_poll_with_the_etag_is_not_modified_and_has_no_entries(server, policy):
    first = fetch_feed(server.url("/feed.rss"), policy=policy)

    second = fetch_feed(
        server.url("/feed.rss"), policy=policy, etag=first.etag, last_modified=first.last_modified
    )

    assert second.not_modified and second.entries == []
    assert (second.etag, second.last_modified) == (FEED_ETAG, FEED_LAST_MODIFIED)
    assert server.seen[1].headers["if-none-match"] == FEED_ETAG
    assert server.seen[1].headers["if-modified-since"] == FEED_LAST_MODIFIED


def test_poll_with_only_last_modified_is_not_modified(server, policy):
    result = fetch_feed(server.url("/feed.atom"), policy=policy, last_modified=FEED_LAST_MODIFIED)

    assert result.not_modified
    assert "if-none-match" not in server.seen[0].headers


def test_stale_etag_gets_the_full_feed(server, policy):
    result = fetch_feed(server.url("/feed.atom"), policy=policy, etag='"feed-v0"')

    assert not result.not_modified
    assert [entry.guid for entry in result.entries] == ["urn:entry:frigate"]


def test_atom_entry_uses_its_id_and_updated_date_and_a_relative_href(server, policy):
    result = fetch_feed(server.url("/feed.atom"), policy=policy)

    assert result.entries == [
        FeedEntry(
            url=server.url("/articles/frigate.html"),
            title="Frigate deal approved",
            published=datetime(2026, 11, 25, 9, 0, tzinfo=UTC),
            guid="urn:entry:frigate",
        )
    ]


def test_truncated_feed_reports_the_xml_error_instead_of_crashing(server, policy):
    result = fetch_feed(server.url("/broken.xml"), policy=policy)

    assert result.entries == []
    assert result.bozo_error.startswith("malformed XML at line ")
    assert result.bozo_error.endswith(": no element found")


def test_web_page_polled_as_a_feed_is_a_clear_error(server, policy):
    with pytest.raises(MalformedFeed, match=r"page-as-feed is not a readable RSS or Atom feed"):
        fetch_feed(server.url("/page-as-feed"), policy=policy)


def test_feed_that_recovers_from_a_bad_entity_keeps_its_entries_and_the_complaint():
    body = (
        b'<rss version="2.0"><channel><item><title>Tank deal &bogus;</title>'
        b"<link>https://news.test/tanks</link></item></channel></rss>"
    )

    entries, complaint = parse_feed(body, base_url="https://news.test/feed")

    assert [entry.url for entry in entries] == ["https://news.test/tanks"]
    assert "undefined entity" in complaint


def test_permalink_guid_stands_in_for_a_missing_link_only_when_it_is_a_web_address():
    body = (
        b'<rss version="2.0"><channel>'
        b"<item><title>a</title><guid>story-17</guid></item>"
        b"<item><title>b</title><guid>https://news.test/b</guid></item>"
        b'<item><title>c</title><guid isPermaLink="false">https://news.test/c</guid></item>'
        b"</channel></rss>"
    )

    entries, _ = parse_feed(body, base_url="https://news.test/feed")

    assert [(entry.title, entry.url) for entry in entries] == [("b", "https://news.test/b")]


def test_entries_with_non_web_links_are_skipped():
    body = (
        b'<rss version="2.0"><channel>'
        b"<item><title>a</title><link>javascript:alert(1)</link></item>"
        b"<item><title>b</title><link>file:///etc/passwd</link></item>"
        b"<item><title>c</title><link>https://news.test/c</link></item>"
        b"</channel></rss>"
    )

    entries, _ = parse_feed(body, base_url="https://news.test/feed")

    assert [entry.title for entry in entries] == ["c"]


@pytest.mark.parametrize("body", [b"/etc/passwd", b"http://10.0.0.1/feed.xml", b"file:///etc/hostname"])
def test_body_that_looks_like_a_path_or_url_is_parsed_as_text_never_opened(body):
    with pytest.raises(MalformedFeed, match="not a readable RSS or Atom feed"):
        parse_feed(body, base_url="https://news.test/feed")


def test_feed_on_a_private_address_is_refused(policy):
    with pytest.raises(BlockedURL, match="10.0.0.1 is a private address"):
        fetch_feed("http://10.0.0.1/feed.xml", policy=policy)
