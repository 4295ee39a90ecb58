"""Whole-response caching of API list pages, invalidated by the data rather than by time.

A page is stored under its request (host, path, normalised query, media type, access level) and
the current data version. Any committed change to a deal moves the version, so a page built
before the change is never served after it; clients that poll get 304 for an unchanged ETag.
"""

import hashlib
import uuid
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers

from deals.access import is_analyst
from deals.models import Category, Deal, DealParty, Party

# Part of every key: change it when the JSON of a page changes shape, so a deploy never serves
# pages written by the previous code.
PAGE_FORMAT = "1"
GENERATION_KEY = "api-pages:generation"

# Deals updated within this window are summed into the version, which catches a transaction
# that commits after a later one: its rows carry an earlier updated_at than the newest, so
# MAX(updated_at) alone would not move. It must exceed the longest write transaction plus the
# lifetime of a cached page (API_RESPONSE_CACHE_SECONDS).
RECENT_WINDOW = timedelta(minutes=15)
# More recent updates than this (a bulk import) are too many to sum on every request: pages are
# then neither read from nor written to the cache until the window has moved past them.
RECENT_LIMIT = 20_000
# Whatever API_RESPONSE_CACHE_SECONDS says, so that the window above always covers a page's life.
LONGEST_PAGE_LIFE = 300

RECENT_DEALS_SQL = (
    "SELECT (SELECT MAX(updated_at) FROM deals_deal), COUNT(*), SUM(id), SUM({stamp})"
    " FROM (SELECT id, updated_at FROM deals_deal WHERE updated_at >= {since} LIMIT {limit}) recent"
)
# On PostgreSQL the statement is prepared once per connection: planning it, with the deals
# table's many indexes to weigh, costs several times what running it does.
PREPARED_VERSION = "deal_version"
POSTGRESQL_VERSION_SQL = RECENT_DEALS_SQL.format(
    stamp="EXTRACT(EPOCH FROM updated_at)",
    since=f"statement_timestamp() - interval '{RECENT_WINDOW.total_seconds():.0f} seconds'",
    limit=RECENT_LIMIT + 1,
)
OTHER_VERSION_SQL = RECENT_DEALS_SQL.format(stamp="julianday(updated_at)", since="%s", limit="%s")


def enabled() -> bool:
    return settings.API_RESPONSE_CACHE_SECONDS > 0


def deal_version() -> str | None:
    """The newest update, and the count and checksums of recent updates, of the deals table;
    None while too many deals changed lately to tell one state from another cheaply."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_prepared_version_sql())
        else:
            since = connection.ops.adapt_datetimefield_value(timezone.now() - RECENT_WINDOW)
            cursor.execute(OTHER_VERSION_SQL, [since, RECENT_LIMIT + 1])
        row = cursor.fetchone()
    return None if row[1] > RECENT_LIMIT else "|".join(map(str, row))


def _prepared_version_sql() -> str:
    # A prepared statement lives as long as its session, and a reconnection brings a new one;
    # the first use in a session prepares and runs it in one round trip.
    session = connection.connection
    if getattr(connection, "_deal_version_session", None) is session:
        return f"EXECUTE {PREPARED_VERSION}"
    connection._deal_version_session = session
    return f"PREPARE {PREPARED_VERSION} AS {POSTGRESQL_VERSION_SQL}; EXECUTE {PREPARED_VERSION}"


def generation() -> str:
    """A token replaced whenever a party, category or deal role changes, or a deal is deleted.

    Those writes do not touch any deal's updated_at. When the token is missing (evicted, or a
    fresh cache) a new one is made, so pages stored under an older token are never revived.
    """
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(GENERATION_KEY)
    return token


def new_generation(*, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    # Once per transaction however many rows it writes: an import saving thousands of parties
    # would otherwise queue thousands of cache writes.
    pending = connections[using].run_on_commit
    if not any(callback[1] is _replace_generation for callback in pending):
        transaction.on_commit(_replace_generation, using=using)


def _replace_generation() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


for model in (Party, Category, DealParty):
    post_save.connect(new_generation, sender=model, dispatch_uid=f"api-pages-save-{model.__name__}")
for model in (Party, Category, DealParty, Deal):
    post_delete.connect(new_generation, sender=model, dispatch_uid=f"api-pages-delete-{model.__name__}")


def access_level(user) -> str:
    """Pages may one day differ by who reads them; entries are never shared between levels."""
    if not user or not user.is_authenticated:
        return "anonymous"
    return "analyst" if is_analyst(user) else "viewer"


def page_key(request, version: str) -> str:
    """A digest of everything the page's bytes depend on."""
    query = sorted((name, request.query_params.getlist(name)) for name in request.query_params)
    parts = [
        PAGE_FORMAT,
        connection.settings_dict["NAME"],
        request.build_absolute_uri(request.path),
        repr(query),
        request.accepted_media_type,
        access_level(request.user),
        version,
    ]
    return hashlib.sha256("\n".join(map(str, parts)).encode()).hexdigest()


def cached_page(request, build: Callable[[], bytes], content_type: str) -> HttpResponse:
    """The page from the cache, 304 when the client holds it already, else built and stored."""
    version = deal_version()
    if version is None:
        response = HttpResponse(build(), content_type=content_type)
        response["X-Cache"] = "bypass"
        return response
    digest = page_key(request, f"{version}|{generation()}")
    response = HttpResponse(content_type=content_type)
    response["ETag"] = f'"{digest[:32]}"'
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ["Accept", "Authorization", "Cookie"])
    conditional = get_conditional_response(request, etag=response["ETag"], response=response)
    if conditional is not response:
        return conditional
    key = f"api-pages:{digest}"
    body = cache.get(key)
    response["X-Cache"] = "miss" if body is None else "hit"
    if body is None:
        body = build()
        cache.set(key, body, timeout=min(settings.API_RESPONSE_CACHE_SECONDS, LONGEST_PAGE_LIFE))
    response.content = body
    return response
