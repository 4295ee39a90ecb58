"""The deals table with its filters and facets, and the CSV and JSON downloads of the same set."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from .. import selectors
from ..decorators import browse_required
from ..export import csv_lines, json_chunks
from ..models import ReviewState, Status
from ..querystring import list_values, query_with

PAGE_SIZE = 50
FACET_TITLES = {
    "supplier": "Supplier",
    "recipient": "Recipient",
    "category": "Category",
    "status": "Status",
    "review_state": "Review state",
}
# (ordering name in DealFilterSet, column heading)
SORTABLE_COLUMNS = {
    "item": "Item",
    "status": "Status",
    "quantity": "Quantity",
    "value": "Value (USD)",
    "last_reported": "Last reported",
    "sources": "Sources",
    "confidence": "Confidence",
}


class CountedPaginator(Paginator):
    """A paginator told the number of rows, which the facet counts have already given."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.known_count = count

    @property
    def count(self) -> int:
        return self.known_count


@browse_required
def deal_list(request):
    """The deals table: filters in the URL, facets with counts, sortable columns, pages."""
    params = request.GET
    context = {
        "values": _form_values(params),
        "categories": selectors.category_tree(),
        "statuses": Status.choices,
        "review_states": ReviewState.choices,
        "export_query": query_with(params),
    }
    try:
        deals = selectors.deal_list(params=params)
        facets, total = selectors.deal_facets_and_total(params=params)
    except selectors.InvalidFilter as exc:
        context["errors"] = exc.errors
        return render(request, "deals/deal_list.html", context, status=400)
    page = CountedPaginator(deals, PAGE_SIZE, count=total).get_page(params.get("page"))
    context.update(
        page=page,
        facets=_facet_choices(params, facets),
        sort=_sort_headers(params),
        page_links=_page_links(params, page),
    )
    return render(request, "deals/deal_list.html", context)


def _form_values(params) -> dict[str, str]:
    values = {name: ",".join(list_values(params, name)) for name in ("supplier", "recipient", "country")}
    for name in ("q", "date_from", "date_to", "value_min", "value_max", "category", "status", "review_state"):
        values[name] = params.get(name, "")
    return values


def _facet_choices(params, facets) -> list[dict]:
    result = []
    for facet, rows in facets.items():
        chosen = {v.lower() for v in list_values(params, facet)}
        # The query without this facet, built once: a choice's link adds its value at the end,
        # as query_with() would, and a chosen value's link is the query without it.
        without = query_with(params, **{facet: None})
        joiner = "&" if without != "?" else ""
        choices = []
        for value, label, count in rows:
            selected = str(value).lower() in chosen
            url = without if selected else f"{without}{joiner}{urlencode({facet: value})}"
            choices.append({"value": value, "label": label, "count": count, "selected": selected, "url": url})
        result.append(
            {"name": facet, "title": FACET_TITLES[facet], "choices": choices, "active": bool(chosen)}
        )
    return result


def _sort_headers(params) -> dict[str, dict]:
    current = params.get("ordering", "")
    headers = {}
    for key, title in SORTABLE_COLUMNS.items():
        direction = "asc" if current == key else "desc" if current == f"-{key}" else ""
        next_ordering = key if direction == "desc" else f"-{key}"
        headers[key] = {
            "title": title,
            "direction": direction,
            "url": query_with(params, ordering=next_ordering),
        }
    return headers


def _page_links(params, page) -> dict[str, str]:
    links = {}
    if page.has_previous():
        links["previous"] = query_with(params, page=str(page.previous_page_number()))
        links["first"] = query_with(params, page="1")
    if page.has_next():
        links["next"] = query_with(params, page=str(page.next_page_number()))
        links["last"] = query_with(params, page=str(page.paginator.num_pages))
    return links


def _download_name(extension: str) -> str:
    return f"deals-{timezone.now():%Y%m%d-%H%M%S}.{extension}"


def _bad_filter_response(exc: selectors.InvalidFilter) -> HttpResponse:
    lines = [f"{field}: {' '.join(messages)}" for field, messages in exc.errors.items()]
    return HttpResponse("\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8")


@browse_required
def deal_export_csv(request):
    """Every deal the filters select, as CSV, streamed."""
    return _streamed_export(request, csv_lines, "text/csv; charset=utf-8", "csv")


@browse_required
def deal_export_json(request):
    """Every deal the filters select, as a JSON array, streamed."""
    return _streamed_export(request, json_chunks, "application/json", "json")


def _streamed_export(request, chunks, content_type: str, extension: str) -> HttpResponse:
    try:
        deals = selectors.deal_list(params=request.GET)
    except selectors.InvalidFilter as exc:
        return _bad_filter_response(exc)
    response = StreamingHttpResponse(chunks(deals), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{_download_name(extension)}"'
    return response
