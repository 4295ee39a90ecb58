"""A real HTTP server on 127.0.0.1 for fetcher tests, and a guard that fails any non-loopback connection."""

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

ARTICLE_HTML = (
    b"<!doctype html><html><head><meta charset='utf-8'><title>Army orders howitzers</title></head>"
    b"<body><article><p>The army ordered 18 self-propelled howitzers from the manufacturer.</p>"
    b"</article></body></html>"
)
FEED_ETAG = '"feed-v1"'
FEED_LAST_MODIFIED = "Wed, 25 Nov 2026 10:00:00 GMT"

RSS_FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Defence wire</title><link>http://news.test/</link>
<item><title>Ministry signs  howitzer contract</title><link>/2026/11/howitzers</link>
<guid>howitzers-2026</guid><pubDate>Tue, 24 Nov 2026 08:30:00 +0100</pubDate></item>
<item><title>Item without a link</title><guid>no-link</guid></item>
<item><title>Air defence aid package</title><link>https://elsewhere.test/aid?utm_source=rss</link></item>
</channel></rss>"""

ATOM_FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Procurement notes</title>
<id>urn:feed:procurement</id><updated>2026-11-25T09:00:00Z</updated>
<entry><title>Frigate deal approved</title><id>urn:entry:frigate</id>
<link rel="alternate" href="articles/frigate.html"/><updated>2026-11-25T09:00:00Z</updated></entry>
</feed>"""


@dataclass
class SeenRequest:
    path: str
    headers: dict[str, str] = field(default_factory=dict)


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def log_message(self, *args):  # keeps test output quiet
        pass

    def do_GET(self):
        self.server.seen.append(SeenRequest(self.path, {k.lower(): v for k, v in self.headers.items()}))
        parts = urlsplit(self.path)
        route = _ROUTES.get(parts.path) or _prefix_route(parts.path)
        if route is None:
            return self._send(404, "text/html", b"<p>not here</p>")
        try:
            route(self, parts)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send(self, status, content_type, body, headers=None, *, declare_length=True):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if declare_length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location, status=302):
        self._send(status, "text/html", b"", {"Location": location})


def _article(handler, parts):
    handler._send(200, "text/html; charset=utf-8", ARTICLE_HTML)


def _big(handler, parts):
    handler._send(200, "text/html", b"<p>" + b"x" * 50_000 + b"</p>")


def _big_without_length(handler, parts):
    handler._send(200, "text/html", b"<p>" + b"x" * 50_000 + b"</p>", declare_length=False)


def _binary(handler, parts):
    handler._send(200, "application/octet-stream", bytes(range(256)) * 4)


def _redirect_to(handler, parts):
    handler._redirect(parse_qs(parts.query)["to"][0])


def _hops(handler, parts):
    remaining = int(parts.path.rsplit("/", 1)[1])
    handler._redirect(f"/hop/{remaining - 1}" if remaining > 1 else "/article", status=301)


def _slow(handler, parts):
    time.sleep(2)
    handler._send(200, "text/html", ARTICLE_HTML)


def _status(code):
    return lambda handler, parts: handler._send(code, "text/html", b"<p>status</p>", {"Retry-After": "120"})


def _feed(body, content_type):
    def serve(handler, parts):
        if _is_fresh(handler.headers):
            return handler._send(304, None, b"", {"ETag": FEED_ETAG}, declare_length=False)
        handler._send(200, content_type, body, {"ETag": FEED_ETAG, "Last-Modified": FEED_LAST_MODIFIED})

    return serve


def _is_fresh(headers) -> bool:
    if headers.get("If-None-Match"):
        return headers["If-None-Match"] == FEED_ETAG
    since = headers.get("If-Modified-Since")
    return bool(since) and parsedate_to_datetime(since) >= parsedate_to_datetime(FEED_LAST_MODIFIED)


_ROUTES = {
    "/article": _article,
    "/big": _big,
    "/big-unannounced": _big_without_length,
    "/binary": _binary,
    "/redirect": _redirect_to,
    "/slow": _slow,
    "/error": _status(500),
    "/busy": _status(429),
    "/gone": _status(404),
    "/feed.rss": _feed(RSS_FEED, "application/rss+xml; charset=utf-8"),
    "/feed.atom": _feed(ATOM_FEED, "application/atom+xml"),
    "/broken.xml": lambda h, p: h._send(200, "text/xml", b"<rss><channel><item><title>half"),
    "/page-as-feed": lambda h, p: h._send(200, "text/html", b"<html><body><p>Not a feed</p></body></html>"),
}


def _prefix_route(path):
    return _hops if path.startswith("/hop/") else None


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.seen: list[SeenRequest] = []


class LocalServer:
    """Serves the routes above on an ephemeral loopback port for the life of a `with` block."""

    def __enter__(self):
        self._server = _Server()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    @property
    def seen(self) -> list[SeenRequest]:
        return self._server.seen

    def paths_seen(self) -> list[str]:
        return [request.path for request in self.seen]


def forbid_non_loopback_connections(monkeypatch):
    """Fail the test at once if anything tries to open a socket to an address other than loopback."""
    real_connect = socket.socket.connect

    def guarded_connect(sock, address):
        if isinstance(address, tuple) and not ipaddress.ip_address(address[0]).is_loopback:
            pytest.fail(f"a connection to {address} was attempted; tests may only reach loopback")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


def fake_resolver(monkeypatch, names: dict[str, list[str]]):
    """Answer getaddrinfo for the given names only; every other name is unknown. Returns the call log."""
    calls: list[str] = []

    def getaddrinfo(host, port, *args, **kwargs):
        if _is_ip_literal(host):
            return [_addrinfo(host, port)]
        calls.append(host)
        if host not in names:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [_addrinfo(address, port) for address in names[host]]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return calls


def _is_ip_literal(host) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _addrinfo(address, port):
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sockaddr = (address, port, 0, 0) if family == socket.AF_INET6 else (address, port)
    return (family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", sockaddr)
