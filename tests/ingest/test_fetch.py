import dataclasses
import re
import socket

import httpx
import pytest

from ingest import address_guard, fetch
from ingest.address_guard import AddressRefused, PinnedNetworkBackend
from ingest.fetch import (
    BlockedURL,
    ContentTooLarge,
    FetchPolicy,
    HTTPClientError,
    PermanentFetchError,
    TooManyRedirects,
    TransientFetchError,
    UnsupportedContentType,
    fetch_url,
)
from tests.ingest.local_http import ARTICLE_HTML, fake_resolver, forbid_non_loopback_connections

PUBLIC_ADDRESS = "93.184.215.14"


@pytest.fixture(autouse=True)
def no_outside_traffic(monkeypatch):
    forbid_non_loopback_connections(monkeypatch)


@pytest.fixture
def local_policy():
    return FetchPolicy(
        max_bytes=10_000,
        connect_timeout=2,
        read_timeout=0.5,
        max_redirects=5,
        allow_private_hosts=True,
        user_agent="DealTracker-tests/1.0 (fetcher tests)",
    )


@pytest.fixture
def strict_policy(local_policy):
    return dataclasses.replace(local_policy, allow_private_hosts=False)


def fail_if_called(request):
    pytest.fail(f"the transport was asked for {request.url}; the URL should have been refused first")


untouchable = httpx.MockTransport(fail_if_called)


def test_article_is_fetched_with_its_type_charset_and_an_honest_user_agent(server, local_policy):
    result = fetch_url(server.url("/article"), policy=local_policy)

    assert result.content == ARTICLE_HTML
    assert (result.status_code, result.content_type, result.encoding) == (200, "text/html", "utf-8")
    assert "18 self-propelled howitzers" in result.text
    assert result.redirects == [] and not result.not_modified
    assert server.seen[0].headers["user-agent"] == "DealTracker-tests/1.0 (fetcher tests)"


def test_three_redirect_hops_are_followed_and_recorded(server, local_policy):
    result = fetch_url(server.url("/hop/3"), policy=local_policy)

    assert result.final_url == server.url("/article")
    assert result.redirects == [server.url("/hop/3"), server.url("/hop/2"), server.url("/hop/1")]
    assert result.content == ARTICLE_HTML


def test_six_redirect_hops_exceed_the_limit_and_the_seventh_url_is_never_requested(server, local_policy):
    with pytest.raises(TooManyRedirects, match="redirected more than 5 times"):
        fetch_url(server.url("/hop/6"), policy=local_policy)

    assert server.paths_seen() == ["/hop/6", "/hop/5", "/hop/4", "/hop/3", "/hop/2", "/hop/1"]


@pytest.mark.parametrize("path", ["/big", "/big-unannounced"])
def test_body_over_the_size_cap_is_refused_whether_or_not_its_length_is_announced(server, local_policy, path):
    with pytest.raises(ContentTooLarge, match=r"larger than the 9\.8 KB limit"):
        fetch_url(server.url(path), policy=local_policy)


def test_binary_content_type_is_refused_before_the_body_is_read(server, local_policy):
    with pytest.raises(UnsupportedContentType, match="application/octet-stream, not a web page"):
        fetch_url(server.url("/binary"), policy=local_policy)


def test_server_that_stalls_past_the_read_timeout_gives_a_retryable_error(server, local_policy):
    with pytest.raises(TransientFetchError, match=r"timed out fetching .*/slow \(waiting for data\)"):
        fetch_url(server.url("/slow"), policy=local_policy)


def test_server_error_is_retryable_and_keeps_its_status(server, local_policy):
    with pytest.raises(TransientFetchError, match="answered 500") as caught:
        fetch_url(server.url("/error"), policy=local_policy)
    assert caught.value.status_code == 500


def test_too_many_requests_is_retryable_with_the_servers_retry_after(server, local_policy):
    with pytest.raises(TransientFetchError) as caught:
        fetch_url(server.url("/busy"), policy=local_policy)
    assert (caught.value.status_code, caught.value.retry_after) == (429, 120.0)


def test_missing_page_is_a_permanent_client_error(server, local_policy):
    with pytest.raises(HTTPClientError, match="answered 404 Not Found") as caught:
        fetch_url(server.url("/gone"), policy=local_policy)
    assert caught.value.status_code == 404
    assert isinstance(caught.value, PermanentFetchError)


def test_closed_port_is_a_retryable_connection_error(local_policy):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(TransientFetchError, match="could not fetch"):
        fetch_url(f"http://127.0.0.1:{port}/", policy=local_policy)


def test_unknown_host_name_is_a_permanent_error(monkeypatch, strict_policy):
    fake_resolver(monkeypatch, {})

    with pytest.raises(PermanentFetchError, match="could not resolve no-such-host.example"):
        fetch_url("https://no-such-host.example/", policy=strict_policy, transport=untouchable)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/", "refused: 127.0.0.1 is a loopback address"),
        ("http://[::1]:8000/", "refused: ::1 is a loopback address"),
        (
            "http://169.254.169.254/latest/meta-data/",
            "169.254.169.254 is a link-local address (cloud metadata",
        ),
        ("http://10.0.0.1/", "refused: 10.0.0.1 is a private address"),
        ("http://192.168.1.1/", "refused: 192.168.1.1 is a private address"),
        ("http://100.64.0.1/", "100.64.0.1 is a shared (carrier-grade NAT) address"),
        ("http://0.0.0.0/", "0.0.0.0 is an unspecified address"),
        ("http://[::]/", ":: is an unspecified address"),
        ("http://[fe80::1]/", "fe80::1 is a link-local address"),
        ("http://224.0.0.1/", "224.0.0.1 is a multicast address"),
        ("http://[::ffff:10.0.0.1]/", "wrapping 10.0.0.1, a private address"),
        ("http://[::ffff:a9fe:a9fe]/", "wrapping 169.254.169.254"),
        ("http://2130706433/", "2130706433 resolves to 127.0.0.1, a loopback address"),
        ("http://0x7f.1/", "0x7f.1 resolves to 127.0.0.1, a loopback address"),
        ("http://0177.0.0.1/", "0177.0.0.1/' is not a valid URL"),
        ("http://0xa9fea9fe/", "0xa9fea9fe resolves to 169.254.169.254"),
        ("http://012.0.0.1/", "012.0.0.1/' is not a valid URL"),
    ],
)
def test_non_public_addresses_are_refused_before_any_connection(monkeypatch, strict_policy, url, reason):
    lookups = fake_resolver(monkeypatch, {})

    with pytest.raises(BlockedURL, match=re.escape(reason)):
        fetch_url(url, policy=strict_policy, transport=untouchable)
    assert lookups == [], "numeric hosts must be judged without asking the resolver"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.com/file",
        "gopher://example.com/",
        "data:text/html,hi",
        "javascript:alert(1)",
    ],
)
def test_schemes_other_than_http_and_https_are_refused(strict_policy, url):
    with pytest.raises(BlockedURL, match="only http and https URLs are fetched"):
        fetch_url(url, policy=strict_policy, transport=untouchable)


@pytest.mark.parametrize("url", ["news.example/story", "/story", "//news.example/story"])
def test_url_without_a_scheme_is_refused_with_a_hint(strict_policy, url):
    with pytest.raises(BlockedURL, match="should start with http:// or https://"):
        fetch_url(url, policy=strict_policy, transport=untouchable)


def test_url_with_credentials_is_refused(monkeypatch, strict_policy):
    fake_resolver(monkeypatch, {"news.example": [PUBLIC_ADDRESS]})

    with pytest.raises(BlockedURL, match="user name or password"):
        fetch_url("https://reader:secret@news.example/", policy=strict_policy, transport=untouchable)


def test_host_name_resolving_to_a_private_address_is_refused(monkeypatch, strict_policy):
    fake_resolver(monkeypatch, {"intranet.example": ["192.168.1.20"]})

    with pytest.raises(BlockedURL, match="intranet.example resolves to 192.168.1.20, a private address"):
        fetch_url("https://intranet.example/wiki", policy=strict_policy, transport=untouchable)


def test_host_is_refused_when_any_one_of_its_addresses_is_private(monkeypatch, strict_policy):
    fake_resolver(monkeypatch, {"mixed.example": [PUBLIC_ADDRESS, "2001:4860:4860::8888", "10.1.2.3"]})

    with pytest.raises(BlockedURL, match="mixed.example resolves to 10.1.2.3"):
        fetch_url("https://mixed.example/", policy=strict_policy, transport=untouchable)


@pytest.mark.parametrize(
    "url",
    ["http://10.0.0.1/", "http://169.254.169.254/", "http://[fd00::1]/", "http://100.100.100.200/"],
)
def test_allowing_private_hosts_admits_loopback_only(local_policy, url):
    with pytest.raises(BlockedURL, match="refused"):
        fetch_url(url, policy=local_policy, transport=untouchable)


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("http://169.254.169.254/latest/meta-data/", "cloud metadata"),
        ("http://10.0.0.1/admin", "10.0.0.1 is a private address"),
        ("http://0xa9fea9fe/", "resolves to 169.254.169.254"),
        ("http://[::ffff:a9fe:a9fe]/", "wrapping 169.254.169.254"),
        ("http://intranet.example/", "intranet.example resolves to 192.168.1.20"),
        ("file:///etc/passwd", "only http and https"),
        ("http://admin:admin@intranet.example/", "user name or password"),
    ],
)
def test_redirect_from_the_local_server_to_a_forbidden_target_is_refused(
    monkeypatch, server, local_policy, target, reason
):
    fake_resolver(monkeypatch, {"intranet.example": ["192.168.1.20"]})
    start = server.url("/redirect?to=") + target

    with pytest.raises(BlockedURL, match=re.escape(reason)):
        fetch_url(start, policy=local_policy)
    assert len(server.seen) == 1


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("http://127.0.0.1:8000/admin", "127.0.0.1 is a loopback address"),
        ("http://[::1]/", "::1 is a loopback address"),
        ("http://localhost/", "localhost resolves to 127.0.0.1"),
        ("http://10.0.0.1/", "10.0.0.1 is a private address"),
    ],
)
def test_redirect_from_a_public_site_to_an_internal_address_is_refused(
    monkeypatch, strict_policy, target, reason
):
    fake_resolver(monkeypatch, {"news.example": [PUBLIC_ADDRESS], "localhost": ["127.0.0.1"]})
    requested = []

    def public_site(request):
        requested.append(str(request.url))
        return httpx.Response(302, headers={"Location": target})

    with pytest.raises(BlockedURL, match=re.escape(reason)):
        fetch_url(
            "https://news.example/story", policy=strict_policy, transport=httpx.MockTransport(public_site)
        )
    assert requested == ["https://news.example/story"]


def test_relative_redirect_stays_on_the_vetted_public_host(monkeypatch, strict_policy):
    fake_resolver(monkeypatch, {"news.example": [PUBLIC_ADDRESS]})
    requested = []

    def public_site(request):
        requested.append(str(request.url))
        if request.url.path == "/story":
            return httpx.Response(301, headers={"Location": "../../2026/story?utm_source=x"})
        return httpx.Response(200, headers={"Content-Type": "text/plain"}, content=b"moved story")

    result = fetch_url(
        "https://news.example/story", policy=strict_policy, transport=httpx.MockTransport(public_site)
    )

    assert result.text == "moved story"
    assert requested == ["https://news.example/story", "https://news.example/2026/story?utm_source=x"]
    assert result.final_url == "https://news.example/2026/story?utm_source=x"


def test_connection_goes_to_the_vetted_address_even_if_dns_changes_its_answer(
    monkeypatch, server, local_policy
):
    first_lookups = fake_resolver(monkeypatch, {"rebind.example": ["127.0.0.1"]})
    later_lookups = []
    real_vetting = address_guard.vetted_addresses

    def vet_then_rebind(host, port, *, allow_loopback):
        vetted = real_vetting(host, port, allow_loopback=allow_loopback)
        later_lookups.append(fake_resolver(monkeypatch, {"rebind.example": ["10.0.0.1"]}))
        return vetted

    monkeypatch.setattr(fetch, "vetted_addresses", vet_then_rebind)
    port = server.url("").rsplit(":", 1)[1]

    result = fetch_url(f"http://rebind.example:{port}/article", policy=local_policy)

    assert result.content == ARTICLE_HTML
    assert first_lookups == ["rebind.example"]
    assert later_lookups == [[]], "the name must not be resolved again after it was vetted"
    assert server.seen[0].headers["host"] == f"rebind.example:{port}"


def test_pinned_backend_vets_a_host_that_was_not_pinned_before_connecting():
    backend = PinnedNetworkBackend({}, allow_loopback=True)

    with pytest.raises(AddressRefused, match="10.0.0.1 is a private address"):
        backend.connect_tcp("10.0.0.1", 80)


def test_proxy_settings_in_the_environment_are_ignored(monkeypatch, server, local_policy):
    monkeypatch.setenv("HTTP_PROXY", "http://10.9.9.9:3128")
    monkeypatch.setenv("ALL_PROXY", "http://10.9.9.9:3128")

    assert fetch_url(server.url("/article"), policy=local_policy).content == ARTICLE_HTML


def test_policy_from_settings_reads_the_ingest_settings(settings):
    settings.INGEST_MAX_BYTES = 1234
    settings.INGEST_MAX_REDIRECTS = 2
    settings.INGEST_USER_AGENT = "Tracker/2"
    settings.INGEST_ALLOW_PRIVATE_HOSTS = False

    policy = FetchPolicy.from_settings()

    assert (policy.max_bytes, policy.max_redirects, policy.user_agent) == (1234, 2, "Tracker/2")
    assert policy.allow_private_hosts is False
