"""Article text with evidence sentences marked, built only from escaped pieces.

Article text is hostile input: it is escaped segment by segment and only our own <mark> tags are
added between the segments, so nothing from the article can become markup.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

CONTEXT_CHARS = 320


@dataclass(frozen=True)
class Span:
    """A stretch of article text to mark, with the deal it supports."""

    start: int
    end: int
    deal_id: int
    evidence_id: int


def locate(text: str, start: int, end: int, sentence: str) -> tuple[int, int] | None:
    """The evidence span in the text: the stored offsets if they still match, else the sentence found."""
    if 0 <= start < end <= len(text) and text[start:end].strip() == sentence.strip():
        return start, end
    found = text.find(sentence.strip()) if sentence.strip() else -1
    if found < 0:
        return None
    return found, found + len(sentence.strip())


def highlight(text: str, spans: Iterable[Span], *, link_deals: bool = False) -> SafeString:
    """The whole text escaped, each span wrapped in <mark>; overlapping spans are clipped."""
    pieces: list[str] = []
    cursor = 0
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        start = max(span.start, cursor)
        if start >= span.end:
            continue
        pieces.append(escape(text[cursor:start]))
        pieces.append(_mark(text[start : span.end], span, link_deals))
        cursor = span.end
    pieces.append(escape(text[cursor:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece above is escaped or format_html


def _mark(fragment: str, span: Span, link_deals: bool) -> str:
    if link_deals:
        return format_html(
            '<mark class="evidence" id="evidence-{}"><a href="{}">{}</a></mark>',
            span.evidence_id,
            reverse("deals:deal_detail", args=[span.deal_id]),
            fragment,
        )
    return format_html('<mark class="evidence" id="evidence-{}">{}</mark>', span.evidence_id, fragment)


def in_context(text: str, span: Span, *, context: int = CONTEXT_CHARS) -> SafeString:
    """The span marked, with up to `context` characters of the article either side."""
    left = max(0, span.start - context)
    right = min(len(text), span.end + context)
    shifted = Span(span.start - left, span.end - left, span.deal_id, span.evidence_id)
    body = highlight(text[left:right], [shifted])
    prefix = "… " if left > 0 else ""
    suffix = " …" if right < len(text) else ""
    return mark_safe(prefix + body + suffix)  # noqa: S308 - body is built by highlight()
