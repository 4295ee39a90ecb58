"""Turn raw bytes or text (plain text, Markdown or HTML) into a Document for extraction."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

MAX_INPUT_CHARS = 5_000_000
HEADER_TITLE = re.compile(r"^\s*Title:[ \t]*(.*)$", re.IGNORECASE)
HEADER_PUBLISHED = re.compile(r"^\s*Published:[ \t]*(\d{4}-\d{2}-\d{2})\s*$", re.IGNORECASE)
HTML_HINT = re.compile(r"<\s*(html|body|article|p|div|head|!doctype)\b", re.IGNORECASE)
HTML_DOCUMENT = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.IGNORECASE | re.DOTALL
)
HTML_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Document:
    title: str | None
    published: datetime.date | None
    text: str
    language: str | None
    is_html: bool


def parse_document(
    data: bytes | str, *, filename: str | None = None, content_type: str | None = None
) -> Document:
    """Decode data and return its article text, title and publication date."""
    text = decode(data) if isinstance(data, bytes) else data
    if looks_binary(text):
        return Document(title=None, published=None, text="", language=None, is_html=False)
    text = text[:MAX_INPUT_CHARS]
    if is_html_input(text, filename, content_type):
        return parse_html(text)
    return parse_plain(text)


ENGLISH_FUNCTION_WORDS = frozenset(
    "the of and to in a is that for on with as was by it said has have from at will be its an which".split()
)


def guess_language(text: str) -> str | None:
    """ "en" when English function words are common enough in the first words; otherwise unknown."""
    words = re.findall(r"[a-z]+", text[:20_000].lower())
    if len(words) < 20:
        return None
    share = sum(1 for word in words if word in ENGLISH_FUNCTION_WORDS) / len(words)
    return "en" if share >= 0.2 else None


def decode(data: bytes) -> str:
    """Decode bytes as UTF-8 (a BOM is dropped), replacing undecodable bytes."""
    return data.decode("utf-8-sig", errors="replace")


def looks_binary(text: str) -> bool:
    """True when the sample is mostly control characters or replacement characters."""
    sample = text[:4096]
    if not sample:
        return False
    junk = sum(1 for ch in sample if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\n\r\t\f"))
    return "\x00" in sample or junk / len(sample) > 0.1


def is_html_input(text: str, filename: str | None, content_type: str | None) -> bool:
    """Decide from the content type, the file name or the text itself whether this is HTML."""
    if content_type:
        return "html" in content_type.lower()
    if filename and filename.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    if HTML_DOCUMENT.match(text[:4000]):
        return True  # a saved web page keeps its markup whatever its file is called
    if filename and filename.lower().endswith((".txt", ".md", ".markdown")):
        return False
    return bool(HTML_HINT.search(text[:2000]))


def parse_plain(text: str) -> Document:
    """Read the optional Title: and Published: header lines; the whole text is kept for offsets."""
    title = published = None
    for line in text.splitlines()[:3]:
        if match := HEADER_TITLE.match(line):
            title = match.group(1).strip() or None
        elif match := HEADER_PUBLISHED.match(line):
            published = parse_date(match.group(1))
    return Document(title=title, published=published, text=text, language=guess_language(text), is_html=False)


def parse_html(html: str) -> Document:
    """Extract the article body with trafilatura and the date with htmldate."""
    body = html_body(html)
    return Document(
        title=html_title(html),
        published=html_date(html),
        text=body,
        language=guess_language(body),
        is_html=True,
    )


def html_body(html: str) -> str:
    """Main text of an HTML page, or the tag-stripped page when trafilatura finds nothing."""
    try:
        import trafilatura

        body = trafilatura.extract(html, include_comments=False, include_tables=False)
    except Exception:  # malformed markup must not stop a batch
        body = None
    if body:
        return body
    stripped = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.IGNORECASE | re.DOTALL)
    return re.sub(r"[ \t]+", " ", re.sub(r"<[^>]+>", " ", stripped)).strip()


def html_title(html: str) -> str | None:
    """The page <title>, whitespace collapsed."""
    match = HTML_TITLE.search(html[:200_000])
    return re.sub(r"\s+", " ", match.group(1)).strip() or None if match else None


def html_date(html: str) -> datetime.date | None:
    """Publication date found by htmldate, if the page states one."""
    try:
        from htmldate import find_date

        found = find_date(html, original_date=True, extensive_search=False)
    except Exception:  # htmldate raises on some broken trees
        return None
    return parse_date(found) if found else None


def parse_date(value: str) -> datetime.date | None:
    """Parse YYYY-MM-DD, returning None when it is not a real date."""
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None
