"""Two ways through a long list: numbered pages over the first matches, or a cursor at any depth."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.response import Response

# Counting every match of a broad filter over a million deals costs more than the page itself.
COUNT_LIMIT = 1_000


class CountLimitedPaginator(Paginator):
    """Counts at most COUNT_LIMIT + 1 rows, so numbered pages reach only the first COUNT_LIMIT."""

    @cached_property
    def matches(self) -> int:
        # Any COUNT_LIMIT + 1 matches will do. Newest ids first: ids grow with time and most
        # filters favour recent deals, so the planner finds them early on the primary key.
        return self.object_list.order_by("-pk")[: COUNT_LIMIT + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.matches, COUNT_LIMIT)

    @property
    def more_than_counted(self) -> bool:
        return self.matches > COUNT_LIMIT


class NumberedPages(PageNumberPagination):
    """`?page=N&page_size=M`. `count` is exact up to COUNT_LIMIT and null beyond it."""

    django_paginator_class = CountLimitedPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_paginated_response(self, data) -> Response:
        paginator = self.page.paginator
        count = paginator.count if not getattr(paginator, "more_than_counted", False) else None
        return Response(
            {
                "count": count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        described = super().get_paginated_response_schema(schema)
        described["properties"]["count"] = {
            "type": "integer",
            "nullable": True,
            "description": f"Matches, or null when more than {COUNT_LIMIT} match (walk those with a cursor).",
        }
        return described


class DealCursorPages(CursorPagination):
    """`?cursor=...`: ordered by id, so each page is one index range scan however deep it is."""

    ordering = ("id",)
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
