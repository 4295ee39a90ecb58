"""Building links that keep the current filters: sort headers, facet choices, pages, downloads."""

from collections.abc import Mapping

from django.http import QueryDict

# Parameters that describe a position in a listing rather than the filtered set itself.
VOLATILE = ("page",)


def query_with(params: Mapping, drop: tuple[str, ...] = VOLATILE, **changes: str | None) -> str:
    """The query string of `params` with `changes` applied (None removes) and `drop` left out."""
    result = QueryDict(mutable=True)
    for name in params:
        if name in drop or name in changes:
            continue
        values = [v for v in params.getlist(name) if v] if hasattr(params, "getlist") else [params[name]]
        if values:
            result.setlist(name, values)
    for name, value in changes.items():
        if value not in (None, ""):
            result[name] = value
    encoded = result.urlencode()
    return f"?{encoded}" if encoded else "?"


def list_values(params: Mapping, name: str) -> list[str]:
    """The values of a list parameter given as `x=a,b` or `x=a&x=b`."""
    raw = params.getlist(name) if hasattr(params, "getlist") else [params.get(name, "")]
    return [part.strip() for value in raw if value for part in value.split(",") if part.strip()]
