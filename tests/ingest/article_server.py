"""A loopback HTTP server whose pages a test sets up: articles, feeds, redirects and slow answers."""

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    delay: float = 0.0
    headers: tuple[tuple[str, str], ...] = ()
    etag: str = ""


class _Handler(BaseHTTPRequestHandler):
    server: "_PageServer"

    def log_message(self, format, *args):  # noqa: A002 - keeps test output quiet
        pass

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        with self.server.lock:
            self.server.hits.append(path)
        page = self.server.pages.get(path)
        if page is None:
            return self._answer(Page(b"<p>not here</p>", status=404))
        if page.delay:
            time.sleep(page.delay)
        if page.etag and self.headers.get("If-None-Match") == page.etag:
            with self.server.lock:
                self.server.hits.append(f"{path} not modified")
            return self._answer(Page(b"", status=304, etag=page.etag))
        self._answer(page)

    def _answer(self, page: Page):
        try:
            self.send_response(page.status)
            self.send_header("Content-Type", page.content_type)
            self.send_header("Content-Length", str(len(page.body)))
            if page.etag:
                self.send_header("ETag", page.etag)
            for name, value in page.headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(page.body)
        except (BrokenPipeError, ConnectionResetError):
            pass


class _PageServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.pages: dict[str, Page] = {}
        self.hits: list[str] = []
        self.lock = threading.Lock()


class PageServer:
    """Serves `pages` on an ephemeral loopback port for the life of a `with` block."""

    def __enter__(self):
        self._server = _PageServer()
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc_info):
        self._server.shutdown()
        self._server.server_close()

    @property
    def pages(self) -> dict[str, Page]:
        return self._server.pages

    def hits(self, path: str) -> int:
        with self._server.lock:
            return self._server.hits.count(path)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"


def article_html(title: str, published: str, *paragraphs: str) -> bytes:
    """A small news page with its date in a meta tag, as news sites publish it."""
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>"
        f"<meta property='article:published_time' content='{published}'></head>"
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    ).encode()


def rss(*items: tuple[str, str]) -> bytes:
    """An RSS 2.0 feed whose items are (guid, link) pairs."""
    entries = "".join(
        f"<item><title>Story {guid}</title><link>{link}</link><guid>{guid}</guid></item>"
        for guid, link in items
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Defence wire</title>"
        f"<link>http://127.0.0.1/</link>{entries}</channel></rss>"
    ).encode()
