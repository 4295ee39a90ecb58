"""Store an article once: the same page by its canonical URL, the same text by its hash, and a
reprint of a wire story linked to the first copy so that it counts as one independent source."""

import datetime
from array import array
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Q

from deals.models import Article
from deals.services import rows_insert, rows_update
from ingest.canonical import containment, content_hash, shingle_fingerprint
from ingest.extract.document import Document

from .models import ArticleShingle

SKETCH_SIZE = 16
SKETCH_MIN_SHARED = 4
SKETCH_CANDIDATES = 5
SKETCH_MATCH_LIMIT = 500
# A batch bounds its look-up per sketch value, so each article still sees at most the limit above.
SKETCH_MATCH_LIMIT_PER_VALUE = SKETCH_MATCH_LIMIT // SKETCH_SIZE
# A reprint keeps nearly all of the original's five-word runs, whatever header or footer it adds.
REPRINT_CONTAINMENT = 0.8
# Below this many five-word runs a text is too short to call one a reprint of another.
REPRINT_MIN_SHINGLES = 30
_SIGNED_63 = (1 << 63) - 1
# Fingerprints of stored articles, packed at 8 bytes a shingle, by (id, content hash): the stories
# that later articles reprint or share boilerplate with come up as candidates again and again.
# The hash in the key means a changed text is never judged by its old fingerprint.
FINGERPRINT_CACHE_SIZE = 4096
_FINGERPRINTS: OrderedDict[tuple[int, str], array] = OrderedDict()


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
    digest = content_hash(source.document.text)
    existing = _stored(digest, source.canonical_url)
    if existing is not None:
        return existing, False
    fingerprint = shingle_fingerprint(source.document.text)
    try:
        with transaction.atomic():
            article = _article_new(source, digest)
            article.syndicated_from = _reprinted_original(fingerprint)
            article.save(force_insert=True)
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


def articles_store(sources: Sequence[ArticleSource]) -> list[tuple[Article, bool]]:
    """Store several articles at once, each as `article_store` would in this order; True when new.

    One query finds the stored copies, one the reprint candidates and one loads their texts; the
    new articles and their sketches are inserted with one statement each. A copy stored by
    another worker in the meantime raises IntegrityError, for the caller to fall back on.
    """
    digests = [content_hash(source.document.text) if source.document else "" for source in sources]
    by_hash, by_url = _stored_many(digests, [source.canonical_url for source in sources])
    results: list[tuple[Article, bool]] = []
    fresh: list[tuple[Article, frozenset[int]]] = []
    for source, digest in zip(sources, digests, strict=True):
        if source.known_article is not None:
            results.append((source.known_article, False))
            continue
        existing = by_hash.get(digest) or (by_url.get(source.canonical_url) if source.canonical_url else None)
        if existing is not None:
            results.append((existing, False))
            continue
        article = _article_new(source, digest)
        by_hash[digest] = article
        if source.canonical_url:
            by_url[source.canonical_url] = article
        fresh.append((article, shingle_fingerprint(source.document.text)))
        results.append((article, True))
    _articles_insert(fresh)
    return results


def _article_new(source: ArticleSource, digest: str) -> Article:
    document = source.document
    return Article(
        url=source.url[:2000],
        canonical_url=source.canonical_url[:2000],
        publisher=source.publisher[:200],
        title=(document.title or "")[:500],
        published=document.published,
        text=document.text,
        language=(document.language or "")[:16],
        content_hash=digest,
        source_kind=source.source_kind,
        fetched_at=source.fetched_at,
    )


def _stored_many(digests: list[str], canonicals: list[str]) -> tuple[dict, dict]:
    """Stored articles by content hash and by canonical URL, for every one given."""
    hashes, urls = {digest for digest in digests if digest}, {url for url in canonicals if url}
    if not hashes and not urls:
        return {}, {}
    by_hash: dict[str, Article] = {}
    by_url: dict[str, Article] = {}
    for article in Article.objects.filter(Q(content_hash__in=hashes) | Q(canonical_url__in=urls)):
        by_hash[article.content_hash] = article
        if article.canonical_url:
            by_url[article.canonical_url] = article
    return by_hash, by_url


def _articles_insert(fresh: list[tuple[Article, frozenset[int]]]) -> None:
    """Insert new articles in order with their sketches, each linked to the story it reprints."""
    if not fresh:
        return
    originals = _reprinted_originals(fresh)
    for (article, _), original in zip(fresh, originals, strict=True):
        if original is not None and original.pk is not None:
            article.syndicated_from = original
    rows_insert([article for article, _ in fresh], returning=True)
    # A reprint of an article of this very batch can point at it only once both have ids.
    copies = []
    for (article, _), original in zip(fresh, originals, strict=True):
        if original is not None and article.syndicated_from_id is None:
            article.syndicated_from = original
            copies.append(article)
    rows_update(copies, ["syndicated_from"])
    _sketches_insert([(article.pk, value) for article, fp in fresh for value in sketch(fp)])
    for article, fingerprint in fresh:
        _fingerprint_remember(article.pk, article.content_hash, fingerprint)


def _sketches_insert(rows: list[tuple[int, int]]) -> None:
    if connection.vendor != "postgresql":
        ArticleShingle.objects.bulk_create(ArticleShingle(article_id=pk, value=value) for pk, value in rows)
        return
    # Two arrays instead of a model instance per row: a batch stores hundreds of sketch values.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ingest_articleshingle (article_id, value) SELECT * FROM unnest(%s::bigint[], %s::bigint[])",
            [[pk for pk, _ in rows], [value for _, value in rows]],
        )


def _reprinted_originals(fresh: list[tuple[Article, frozenset[int]]]) -> list[Article | None]:
    """For each new article, the first copy of the wire story it reprints, as `_reprinted_original`."""
    sketches = [sketch(fingerprint) for _, fingerprint in fresh]
    searched = [
        values if len(fingerprint) >= REPRINT_MIN_SHINGLES else []
        for (_, fingerprint), values in zip(fresh, sketches, strict=True)
    ]
    stored = _sketch_matches({value for values in searched for value in values})
    shared_by = [_shared_counts(values, stored) for values in searched]
    # Copies in this batch only add keys, so a stored article outside these never becomes a candidate.
    stored_ids = {
        key[1]
        for shared in shared_by
        for key, count in shared.most_common(SKETCH_CANDIDATES)
        if count >= SKETCH_MIN_SHARED
    }
    candidates = list(
        Article.objects.filter(pk__in=stored_ids).only("id", "content_hash", "syndicated_from_id")
    )
    fingerprints = _stored_fingerprints(candidates)
    known = {article.pk: (article, fingerprints[article.pk]) for article in candidates}
    seen: dict[int, list[int]] = defaultdict(list)  # sketch value -> earlier new articles holding it
    originals: list[Article | None] = []
    for index, (article_fingerprint, values) in enumerate(zip(fresh, sketches, strict=True)):
        shared = shared_by[index]
        for value in searched[index]:
            shared.update((1, earlier) for earlier in seen[value])
        for value in values:
            seen[value].append(index)
        originals.append(_original_among(article_fingerprint[1], shared, known, fresh, originals))
    return originals


def _stored_fingerprints(articles: list[Article]) -> dict[int, frozenset[int]]:
    """Fingerprints of stored articles; texts are read only for those this worker does not hold."""
    found: dict[int, frozenset[int]] = {}
    for article in articles:
        packed = _FINGERPRINTS.get((article.pk, article.content_hash))
        if packed is not None:
            _FINGERPRINTS.move_to_end((article.pk, article.content_hash))
            found[article.pk] = frozenset(packed)
    missing = [article.pk for article in articles if article.pk not in found]
    for pk, digest, text in Article.objects.filter(pk__in=missing).values_list("pk", "content_hash", "text"):
        found[pk] = shingle_fingerprint(text)
        _fingerprint_remember(pk, digest, found[pk])
    return found


def _fingerprint_remember(pk: int, digest: str, fingerprint: frozenset[int]) -> None:
    _FINGERPRINTS[(pk, digest)] = array("Q", fingerprint)
    _FINGERPRINTS.move_to_end((pk, digest))
    while len(_FINGERPRINTS) > FINGERPRINT_CACHE_SIZE:
        _FINGERPRINTS.popitem(last=False)


def _shared_counts(values: list[int], stored: dict[int, list[int]]) -> Counter:
    return Counter((0, article_id) for value in values for article_id in stored.get(value, ()))


def _original_among(
    fingerprint, shared: Counter, known: dict, fresh: list, originals: list
) -> Article | None:
    # Keys are (0, stored id) or (1, position in this batch): sorted, they follow the insert order.
    keys = sorted(key for key, count in shared.most_common(SKETCH_CANDIDATES) if count >= SKETCH_MIN_SHARED)
    for stored_or_new, ref in keys:
        if stored_or_new == 0:
            candidate, candidate_fingerprint = known[ref]
            original = candidate.syndicated_from if candidate.syndicated_from_id else candidate
        else:
            candidate, candidate_fingerprint = fresh[ref]
            original = originals[ref] or candidate
        if containment(fingerprint, candidate_fingerprint) >= REPRINT_CONTAINMENT:
            return original
    return None


def _sketch_matches(values: set[int]) -> dict[int, list[int]]:
    """Stored article ids per sketch value, at most SKETCH_MATCH_LIMIT_PER_VALUE of each."""
    if not values:
        return {}
    matches: dict[int, list[int]] = defaultdict(list)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT wanted.value, match.article_id FROM unnest(%s::bigint[]) AS wanted(value) "
                "CROSS JOIN LATERAL (SELECT article_id FROM ingest_articleshingle "
                "WHERE value = wanted.value LIMIT %s) AS match",
                [sorted(values), SKETCH_MATCH_LIMIT_PER_VALUE],
            )
            rows = cursor.fetchall()
    else:
        rows = ArticleShingle.objects.filter(value__in=values).values_list("value", "article_id")
    for value, article_id in rows:
        if len(matches[value]) < SKETCH_MATCH_LIMIT_PER_VALUE:
            matches[value].append(article_id)
    return matches
