"""Fetch one web page or feed over HTTP(S), refusing anything that could reach a private network.

Every URL, the first one and each redirect target, is checked before any connection is made: the
scheme must be http or https, it must carry no credentials, and every address its host resolves to
must be public. Connections then go only to those checked addresses (see address_guard).
"""

from __future__ import annotations

import contextlib
import email.utils
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpcore
import httpx

from ingest.address_guard import (
    AddressRefused,
    HostUnresolvable,
    IPAddress,
    PinnedNetworkBackend,
    vetted_addresses,
)

PAGE_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain", "text/markdown"})
FEED_CONTENT_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
    }
)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
DEFAULT_USER_AGENT = "DealTracker/0.1 (news reader for an arms-transfer database)"
_ACCEPT = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,text/plain;q=0.8"


class FetchError(Exception):
    """A URL could not be fetched; the message is written for the analyst who submitted it."""


class TransientFetchError(FetchError):
    """A failure worth retrying later: timeouts, dropped connections, 5xx and 429 answers."""

    def __init__(self, message: str, *, status_code: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.status_code = status_code
        self.retry_after = retry_after


class PermanentFetchError(FetchError):
    """A failure that retrying will not fix."""


class BlockedURL(PermanentFetchError):
    """The URL's scheme, credentials or host address is refused."""


class ContentTooLarge(PermanentFetchError):
    """The response body is larger than the policy allows."""


class UnsupportedContentType(PermanentFetchError):
    """The response is not a web page, text or feed."""


class TooManyRedirects(PermanentFetchError):
    """The server redirected more times than the policy allows."""


class HTTPClientError(PermanentFetchError):
    """The server answered with a 4xx status (other than 429) or an unusable 3xx."""

    def __init__(self, message: str, *, status_code: int):
        super().__init__(message)
        self.status_code = status_code


@dataclass(frozen=True)
class FetchPolicy:
    """Limits for one fetch; `allow_private_hosts` admits loopback addresses only, never other ranges."""

    max_bytes: int = 5 * 1024 * 1024
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    total_timeout: float = 60.0
    max_redirects: int = 5
    allow_private_hosts: bool = False
    user_agent: str = DEFAULT_USER_AGENT
    allowed_content_types: frozenset[str] = PAGE_CONTENT_TYPES | FEED_CONTENT_TYPES

    @classmethod
    def from_settings(cls) -> FetchPolicy:
        """The policy described by the INGEST_* Django settings."""
        from django.conf import settings

        return cls(
            max_bytes=settings.INGEST_MAX_BYTES,
            connect_timeout=settings.INGEST_CONNECT_TIMEOUT,
            read_timeout=settings.INGEST_READ_TIMEOUT,
            total_timeout=getattr(settings, "INGEST_TOTAL_TIMEOUT", cls.total_timeout),
            max_redirects=settings.INGEST_MAX_REDIRECTS,
            allow_private_hosts=settings.INGEST_ALLOW_PRIVATE_HOSTS,
            user_agent=settings.INGEST_USER_AGENT,
        )


@dataclass(frozen=True)
class FetchResult:
    """What a fetch returned; `redirects` lists the URLs that answered with a redirect, in order."""

    final_url: str
    status_code: int
    content: bytes
    content_type: str | None
    encoding: str | None
    etag: str | None
    last_modified: str | None
    not_modified: bool
    redirects: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The body decoded with the declared charset, or UTF-8 when none was declared."""
        return self.content.decode(self.encoding or "utf-8", errors="replace")


def fetch_url(
    url: str,
    *,
    policy: FetchPolicy,
    transport: httpx.BaseTransport | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
) -> FetchResult:
    """GET the URL under the policy, following redirects by hand and vetting each target first.

    `transport` replaces the connection layer (tests use it); the URL checks still run before it is called.
    """
    pins: dict[str, list[IPAddress]] = {}
    deadline = time.monotonic() + policy.total_timeout
    redirects: list[str] = []
    current = vetted_url(url, policy=policy, pins=pins)
    with _client(policy, transport, pins, _conditional_headers(etag, last_modified)) as client:
        while True:
            with _translated_errors(current), client.stream("GET", current) as response:
                target = _redirect_target(response)
                if target is None:
                    return _result(response, redirects, policy, deadline, etag, last_modified)
            redirects.append(str(current))
            if len(redirects) > policy.max_redirects:
                raise TooManyRedirects(
                    f"{url} redirected more than {policy.max_redirects} times; gave up at {current}"
                )
            current = vetted_url(target, policy=policy, pins=pins)


def vetted_url(
    url: str | httpx.URL, *, policy: FetchPolicy, pins: dict[str, list[IPAddress]] | None = None
) -> httpx.URL:
    """Parse and check a URL, recording its host's vetted addresses in `pins`; raises BlockedURL.

    Also usable on its own to reject a submitted URL early (it resolves the host but does not connect).
    """
    parsed = _parse(url)
    if not parsed.scheme:
        raise BlockedURL(f"refused: {url} is not a full address; it should start with http:// or https://")
    if parsed.scheme not in ("http", "https"):
        raise BlockedURL(f"refused: only http and https URLs are fetched, not {parsed.scheme} URLs")
    if parsed.userinfo:
        raise BlockedURL("refused: URLs with a user name or password are not fetched")
    host = parsed.raw_host.decode("ascii").lower()
    if not host:
        raise BlockedURL(f"refused: {url} has no host")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        addresses = vetted_addresses(host, port, allow_loopback=policy.allow_private_hosts)
    except AddressRefused as exc:
        raise BlockedURL(str(exc)) from None
    except HostUnresolvable as exc:
        raise (TransientFetchError if exc.temporary else PermanentFetchError)(str(exc)) from None
    if pins is not None:
        pins[host] = addresses
    return parsed


def _parse(url: str | httpx.URL) -> httpx.URL:
    try:
        return httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise BlockedURL(f"refused: {url!r} is not a valid URL ({exc})") from None


def _conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _client(
    policy: FetchPolicy,
    transport: httpx.BaseTransport | None,
    pins: dict[str, list[IPAddress]],
    extra_headers: dict[str, str],
) -> httpx.Client:
    timeout = httpx.Timeout(
        connect=policy.connect_timeout,
        read=policy.read_timeout,
        write=policy.read_timeout,
        pool=policy.connect_timeout,
    )
    return httpx.Client(
        transport=transport or _pinned_transport(pins, allow_loopback=policy.allow_private_hosts),
        timeout=timeout,
        follow_redirects=False,
        # Environment proxies would carry the request past the address checks, so they are ignored.
        trust_env=False,
        headers={"User-Agent": policy.user_agent, "Accept": _ACCEPT, **extra_headers},
    )


def _pinned_transport(pins: dict[str, list[IPAddress]], *, allow_loopback: bool) -> httpx.HTTPTransport:
    transport = httpx.HTTPTransport(retries=0, trust_env=False)
    # httpx exposes no option for a network backend, so its connection pool is rebuilt with one
    # that connects only to the addresses vetted for each host.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_connections=4,
        network_backend=PinnedNetworkBackend(pins, allow_loopback=allow_loopback),
    )
    return transport


@contextlib.contextmanager
def _translated_errors(url: httpx.URL) -> Iterator[None]:
    try:
        yield
    except AddressRefused as exc:
        raise BlockedURL(str(exc)) from None
    except HostUnresolvable as exc:
        raise (TransientFetchError if exc.temporary else PermanentFetchError)(str(exc)) from None
    except httpx.TimeoutException as exc:
        raise TransientFetchError(f"timed out fetching {url} ({_timeout_kind(exc)})") from exc
    except httpx.TransportError as exc:
        raise TransientFetchError(f"could not fetch {url}: {exc or type(exc).__name__}") from exc


def _timeout_kind(exc: httpx.TimeoutException) -> str:
    kinds = {httpx.ConnectTimeout: "connecting", httpx.ReadTimeout: "waiting for data"}
    return kinds.get(type(exc), "network timeout")


def _redirect_target(response: httpx.Response) -> httpx.URL | None:
    if response.status_code not in REDIRECT_STATUSES:
        return None
    location = response.headers.get("Location")
    if not location:
        raise HTTPClientError(
            f"{response.url} answered {response.status_code} without saying where to go",
            status_code=response.status_code,
        )
    try:
        return response.url.join(location)
    except httpx.InvalidURL as exc:
        raise BlockedURL(f"refused: redirect to {location!r} is not a valid URL ({exc})") from None


def _result(
    response: httpx.Response,
    redirects: list[str],
    policy: FetchPolicy,
    deadline: float,
    etag: str | None,
    last_modified: str | None,
) -> FetchResult:
    _raise_for_status(response)
    not_modified = response.status_code == 304
    content_type = _media_type(response)
    content = b"" if not_modified else _read_capped(response, policy, deadline, content_type)
    return FetchResult(
        final_url=str(response.url),
        status_code=response.status_code,
        content=content,
        content_type=content_type,
        encoding=response.charset_encoding,
        etag=response.headers.get("ETag") or (etag if not_modified else None),
        last_modified=response.headers.get("Last-Modified") or (last_modified if not_modified else None),
        not_modified=not_modified,
        redirects=list(redirects),
    )


def _raise_for_status(response: httpx.Response) -> None:
    status = response.status_code
    if status == 429 or status >= 500:
        raise TransientFetchError(
            f"{response.url} answered {status} {response.reason_phrase}; try again later",
            status_code=status,
            retry_after=_retry_after_seconds(response.headers.get("Retry-After")),
        )
    if status >= 400 or (300 <= status < 400 and status != 304):
        raise HTTPClientError(
            f"{response.url} answered {status} {response.reason_phrase}", status_code=status
        )


def _retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _media_type(response: httpx.Response) -> str | None:
    header = response.headers.get("Content-Type", "")
    return header.split(";", 1)[0].strip().lower() or None


def _read_capped(
    response: httpx.Response, policy: FetchPolicy, deadline: float, content_type: str | None
) -> bytes:
    if content_type not in policy.allowed_content_types:
        raise UnsupportedContentType(
            f"{response.url} is {content_type or 'of unknown type'}, not a web page, text or feed"
        )
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > policy.max_bytes:
        raise _too_large(response, policy)
    chunks, size = [], 0
    with _translated_errors(response.url):
        # Counting decoded bytes also stops compressed responses that inflate past the cap.
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > policy.max_bytes:
                raise _too_large(response, policy)
            if time.monotonic() > deadline:
                raise TransientFetchError(
                    f"{response.url} took longer than {policy.total_timeout:g} s to download"
                )
            chunks.append(chunk)
    return b"".join(chunks)


def _too_large(response: httpx.Response, policy: FetchPolicy) -> ContentTooLarge:
    return ContentTooLarge(f"{response.url} is larger than the {_human_size(policy.max_bytes)} limit")


def _human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size} bytes"
