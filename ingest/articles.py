"""Store an article once: the same page by its canonical URL, the same text by its hash, and a
reprint of a wire story linked to the first copy so that it counts as one independent source."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from deals.models import Article
from ingest.canonical import containment, content_hash, shingle_fingerprint
from ingest.extract.document import Document

from .models import ArticleShingle

SKETCH_SIZE = 16
SKETCH_MIN_SHARED = 4
SKETCH_CANDIDATES = 5
SKETCH_MATCH_LIMIT = 500
# A reprint keeps nearly all of the original's five-word runs, whatever header or footer it adds.
REPRINT_CONTAINMENT = 0.8
# Below this many five-word runs a text is too short to call one a reprint of another.
REPRINT_MIN_SHINGLES = 30
_SIGNED_63 = (1 << 63) - 1


@dataclass(frozen=True)
class ArticleSource:
    """A cleaned document and where it came from; `known_article` when its URL was seen before."""

    document: Document | None
    source_kind: str
    url: str = ""
    canonical_url: str = ""
    publisher: str = ""
    fetched_at: datetime.datetime | None = None
    known_article: Article | None = None


def article_store(source: ArticleSource) -> tuple[Article, bool]:
    """The article for this source, created unless already stored; True when it is new."""
    if source.known_article is not None:
        return source.known_article, False
    document = source.document
    digest = content_hash(document.text)
    existing = _stored(digest, source.canonical_url)
    if existing is not None:
        return existing, False
    fingerprint = shingle_fingerprint(document.text)
    try:
        with transaction.atomic():
            article = Article.objects.create(
                url=source.url[:2000],
                canonical_url=source.canonical_url[:2000],
                publisher=source.publisher[:200],
                title=(document.title or "")[:500],
                published=document.published,
                text=document.text,
                language=(document.language or "")[:16],
                content_hash=digest,
                source_kind=source.source_kind,
                syndicated_from=_reprinted_original(fingerprint),
                fetched_at=source.fetched_at,
            )
            _sketch_store(article, fingerprint)
    except IntegrityError:
        # The same article was stored by another worker between our look-up and our insert.
        stored = _stored(digest, source.canonical_url)
        if stored is None:
            raise
        return stored, False
    return article, True


def _stored(digest: str, canonical: str) -> Article | None:
    found = Article.objects.filter(content_hash=digest).first()
    if found is None and canonical:
        found = Article.objects.filter(canonical_url=canonical).first()
    return found


def sketch(fingerprint: frozenset[int]) -> list[int]:
    """The smallest shingle hashes, folded into PostgreSQL's signed 64-bit range."""
    return sorted({value & _SIGNED_63 for value in fingerprint})[:SKETCH_SIZE]


def _reprinted_original(fingerprint: frozenset[int]) -> Article | None:
    if len(fingerprint) < REPRINT_MIN_SHINGLES:
        return None
    # Bounded: boilerplate shared by thousands of articles must not make this look-up slow.
    matches = ArticleShingle.objects.filter(value__in=sketch(fingerprint)).values_list(
        "article_id", flat=True
    )
    shared = Counter(matches[:SKETCH_MATCH_LIMIT])
    candidate_ids = [pk for pk, count in shared.most_common(SKETCH_CANDIDATES) if count >= SKETCH_MIN_SHARED]
    for candidate in Article.objects.filter(pk__in=candidate_ids).order_by("pk"):
        if containment(fingerprint, shingle_fingerprint(candidate.text)) >= REPRINT_CONTAINMENT:
            return candidate.syndicated_from or candidate
    return None


def _sketch_store(article: Article, fingerprint: frozenset[int]) -> None:
    ArticleShingle.objects.bulk_create(
        [ArticleShingle(article=article, value=value) for value in sketch(fingerprint)]
    )
