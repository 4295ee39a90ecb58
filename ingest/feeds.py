"""Poll an RSS or Atom feed through the guarded fetcher and list the articles it links to."""

from __future__ import annotations

import calendar
import io
import time
import xml.sax
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import feedparser
import httpx

from ingest.fetch import FetchPolicy, PermanentFetchError, fetch_url


class MalformedFeed(PermanentFetchError):
    """The response could not be read as an RSS or Atom feed."""


@dataclass(frozen=True)
class FeedEntry:
    """One linked article in a feed; `guid` falls back to the URL when the feed gives no id."""

    url: str
    title: str
    published: datetime | None
    guid: str


@dataclass(frozen=True)
class FeedResult:
    """A poll of a feed; `bozo_error` describes problems the parser recovered from."""

    final_url: str
    not_modified: bool
    etag: str | None
    last_modified: str | None
    entries: list[FeedEntry] = field(default_factory=list)
    bozo_error: str | None = None


def fetch_feed(
    url: str,
    *,
    policy: FetchPolicy,
    etag: str | None = None,
    last_modified: str | None = None,
    transport: httpx.BaseTransport | None = None,
) -> FeedResult:
    """Conditionally GET a feed and parse its entries; raises MalformedFeed when nothing is readable."""
    fetched = fetch_url(url, policy=policy, transport=transport, etag=etag, last_modified=last_modified)
    entries, bozo_error = ([], None)
    if not fetched.not_modified:
        entries, bozo_error = parse_feed(
            fetched.content, base_url=fetched.final_url, content_type=fetched.content_type
        )
    return FeedResult(
        final_url=fetched.final_url,
        not_modified=fetched.not_modified,
        etag=fetched.etag,
        last_modified=fetched.last_modified,
        entries=entries,
        bozo_error=bozo_error,
    )


def parse_feed(
    content: bytes, *, base_url: str, content_type: str | None = None
) -> tuple[list[FeedEntry], str | None]:
    """Entries of a feed document and the parser's complaint about it, if any."""
    # No content-location is given: feedparser would then also rewrite relative guids into URLs.
    headers = {"content-type": content_type or "application/xml"}
    # A file object, never bytes or str: feedparser fetches strings that look like URLs and opens
    # strings that look like local paths.
    parsed = feedparser.parse(io.BytesIO(content), response_headers=headers)
    bozo_error = _bozo_text(parsed)
    if not parsed.get("version") and not parsed.entries:
        raise MalformedFeed(
            f"{base_url} is not a readable RSS or Atom feed ({bozo_error or 'no entries found'})"
        )
    entries = [entry for raw in parsed.entries if (entry := _entry(raw, base_url)) is not None]
    return entries, bozo_error


def _bozo_text(parsed: feedparser.FeedParserDict) -> str | None:
    if not parsed.get("bozo"):
        return None
    exception = parsed.get("bozo_exception")
    if isinstance(exception, xml.sax.SAXParseException):
        return f"malformed XML at line {exception.getLineNumber()}, column {exception.getColumnNumber()}: {exception.getMessage()}"
    return f"{type(exception).__name__}: {exception}" if exception else "malformed feed"


def _entry(raw: feedparser.FeedParserDict, base_url: str) -> FeedEntry | None:
    link = (raw.get("link") or "").strip()
    if not link or (_link_is_guid(raw, link) and not _is_web_url(link)):
        return None
    url = urljoin(base_url, link)
    if not _is_web_url(url):
        return None
    return FeedEntry(
        url=url,
        title=" ".join((raw.get("title") or "").split()),
        published=_published(raw),
        guid=(raw.get("id") or "").strip() or url,
    )


def _link_is_guid(raw: feedparser.FeedParserDict, link: str) -> bool:
    # feedparser puts an RSS guid in `link` when an item has none; it stands in for a link only when
    # it is a full web address, not an opaque id like "story-17".
    explicit_links = {entry_link.get("href") for entry_link in raw.get("links") or []}
    return link not in explicit_links


def _is_web_url(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _published(raw: feedparser.FeedParserDict) -> datetime | None:
    moment: time.struct_time | None = raw.get("published_parsed") or raw.get("updated_parsed")
    if moment is None:
        return None
    # feedparser reports every date as a UTC struct_time.
    return datetime.fromtimestamp(calendar.timegm(moment), tz=UTC)
