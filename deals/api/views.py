"""The REST API: thin views over the selectors, JSON pages or whole lists streamed as CSV."""

from django.http import Http404
from django.utils.functional import cached_property
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse

from deals import selectors
from deals.filters import DealFilterSet
from deals.models import Article, Category, Deal, ReviewState, Status
from ingest.models import IngestJob
from ingest.services import ingest_job_create

from . import caching, exports, serializers
from .filters import PartyQuery, RemovedQuery, UnorderedDealFilterSet
from .pagination import COUNT_LIMIT, CountLimitedPaginator, DealCursorPages, NumberedPages
from .permissions import IsAnalyst
from .renderers import CSVRenderer, streamed_csv

FORMAT_PARAMETER = OpenApiParameter(
    "format",
    str,
    enum=["json", "csv"],
    description="`csv` streams every matching row (not one page) as a CSV download.",
)
FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
FIELD_ERRORS = OpenApiResponse(
    FIELD_ERRORS_SCHEMA, description="A bad parameter: each offending field with its messages."
)
BAD_BODY = OpenApiResponse(
    {"anyOf": [FIELD_ERRORS_SCHEMA, {"$ref": "#/components/schemas/Error"}]},
    description="Each offending field with its messages, or `detail` when the body could not be parsed.",
)
CSV_BODY = OpenApiResponse(OpenApiTypes.STR, description="Every matching row, streamed.")


def list_parameter(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, str, description=f"{description}; comma-separated or repeated.")


# The list filters take several values at once, which django-filter's own introspection cannot tell.
DEAL_LIST_PARAMETERS = [
    list_parameter("supplier", "Supplier codes: ISO 3166-1 alpha-2, EU or NATO"),
    list_parameter("recipient", "Recipient codes"),
    list_parameter("country", "Party codes in any role"),
    list_parameter("category", "Category slugs, leaves or groups (see categories/)"),
    list_parameter("status", f"Statuses: {', '.join(Status.values)}"),
    list_parameter("review_state", f"Review states: {', '.join(ReviewState.values)}"),
]


def list_schema(serializer, **kwargs):
    """A list's schema: JSON pages or the whole list as CSV, and a 400 naming bad fields."""
    parameters = [FORMAT_PARAMETER, *kwargs.pop("parameters", [])]
    responses = {
        (200, "application/json"): serializer(many=True),
        (200, "text/csv"): CSV_BODY,
        (400, "application/json"): FIELD_ERRORS,
    }
    return extend_schema(parameters=parameters, responses=responses, **kwargs)


def validated_query(query_serializer, request) -> dict:
    query = query_serializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


class CsvErrorsAsJson:
    """Errors are reported as JSON even when the request asked for CSV."""

    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]

    def handle_exception(self, exc):
        renderer = getattr(self.request, "accepted_renderer", None)
        if renderer is not None and renderer.format == CSVRenderer.format:
            self.request.accepted_renderer = JSONRenderer()
            self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)


class CsvListView(CsvErrorsAsJson, generics.ListAPIView):
    """A list that answers `?format=csv` with all its rows, streamed, instead of one JSON page."""

    csv_filename = "export.csv"
    csv_header: list[str] = []

    def csv_rows(self, queryset):
        raise NotImplementedError

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format != CSVRenderer.format:
            return super().list(request, *args, **kwargs)
        rows = self.csv_rows(self.filter_queryset(self.get_queryset()))
        return streamed_csv(filename=self.csv_filename, header=self.csv_header, rows=rows)


class DealRowsPaginator(CountLimitedPaginator):
    """Counts the model queryset (no joins) and reads each page as value rows."""

    def _get_page(self, object_list, *args, **kwargs):
        return super()._get_page(serializers.listed_values(object_list), *args, **kwargs)


class ListOrderCountPaginator(DealRowsPaginator):
    """Counts the first COUNT_LIMIT + 1 deals in the list's own order rather than by id."""

    @cached_property
    def matches(self) -> int:
        return self.object_list[: COUNT_LIMIT + 1].count()


class DealPages(NumberedPages):
    """Numbered pages whose count reads the list's own index when `date_to` is set.

    `date_to` matches old deals only, with low ids, so counting newest ids first walks every newer
    deal; the bound it puts on the last report makes the newest-first index start near them.
    """

    def paginate_queryset(self, queryset, request, view=None):
        dated = bool(request.query_params.get("date_to"))
        self.django_paginator_class = ListOrderCountPaginator if dated else DealRowsPaginator
        return super().paginate_queryset(queryset, request, view)


@list_schema(
    serializers.DealSerializer,
    parameters=DEAL_LIST_PARAMETERS,
    description="Live deals, newest report first, with the same filters as the deals page.",
)
class DealListView(CsvListView):
    serializer_class = serializers.DealSerializer
    pagination_class = DealPages
    queryset = Deal.objects.live()
    # Declared so the schema lists the filters; deal_list() applies the same filter set.
    filter_backends = [DjangoFilterBackend]
    filterset_class = DealFilterSet
    csv_filename = "deals.csv"
    csv_header = exports.DEAL_HEADER

    def list(self, request, *args, **kwargs):
        # Only JSON pages are cached: CSV streams, and the browsable page shows who is signed in.
        renderer = request.accepted_renderer
        if not caching.enabled() or renderer.format != JSONRenderer.format:
            return super().list(request, *args, **kwargs)
        return caching.cached_page(request, lambda: self.rendered_page(request), renderer.media_type)

    def rendered_page(self, request) -> bytes:
        data = super().list(request).data
        return request.accepted_renderer.render(
            data, request.accepted_media_type, self.get_renderer_context()
        )

    def filter_queryset(self, queryset):
        try:
            deals = selectors.deal_list(params=self.request.query_params)
        except selectors.InvalidFilter as exc:
            raise ValidationError(exc.errors) from exc
        # Pages read value rows (serializers.listed_values); the CSV reads its own columns.
        return deals.select_related(None).prefetch_related(None)

    def csv_rows(self, queryset):
        return exports.deal_rows(queryset)


@list_schema(
    serializers.DealCursorSerializer,
    parameters=DEAL_LIST_PARAMETERS,
    description="The deals list in id order with cursor pages, for walking the whole set at any depth.",
)
class DealCursorListView(DealListView):
    serializer_class = serializers.DealCursorSerializer
    pagination_class = DealCursorPages
    filterset_class = UnorderedDealFilterSet

    def filter_queryset(self, queryset):
        if "ordering" in self.request.query_params:
            raise ValidationError({"ordering": ["Cursor pages are always in id order."]})
        return super().filter_queryset(queryset)

    def paginate_queryset(self, queryset):
        return super().paginate_queryset(serializers.listed_values(queryset))


@extend_schema(responses={200: serializers.DealDetailSerializer, 404: serializers.ErrorSerializer})
class DealDetailView(generics.RetrieveAPIView):
    serializer_class = serializers.DealDetailSerializer
    queryset = Deal.objects.all()

    def get_object(self):
        try:
            return selectors.deal_detail(deal_id=self.kwargs["pk"])
        except Deal.DoesNotExist as exc:
            raise Http404 from exc


@list_schema(
    serializers.RemovedDealSerializer,
    parameters=[RemovedQuery],
    description="Tombstones: deals merged into another or rejected, oldest removal first.",
)
class RemovedDealListView(CsvListView):
    serializer_class = serializers.RemovedDealSerializer
    pagination_class = NumberedPages
    csv_filename = "removed-deals.csv"
    csv_header = list(exports.REMOVED_COLUMNS)

    def get_queryset(self):
        return selectors.removed_deals(since=validated_query(RemovedQuery, self.request).get("since"))

    def csv_rows(self, queryset):
        keys = exports.REMOVED_COLUMNS.values()
        return ([row[key] for key in keys] for row in queryset.iterator(chunk_size=exports.CHUNK_SIZE))


@list_schema(serializers.PartySerializer, parameters=[PartyQuery], description="States, blocs and companies.")
class PartyListView(CsvListView):
    serializer_class = serializers.PartySerializer
    pagination_class = NumberedPages
    csv_filename = "parties.csv"
    csv_header = list(exports.PARTY_COLUMNS)

    def get_queryset(self):
        return selectors.party_list(**validated_query(PartyQuery, self.request))

    def csv_rows(self, queryset):
        return exports.value_rows(queryset, exports.PARTY_COLUMNS)


@list_schema(serializers.CategoryTreeSerializer, description="The taxonomy: groups with their leaves.")
class CategoryTreeView(CsvListView):
    serializer_class = serializers.CategoryTreeSerializer
    pagination_class = None
    queryset = Category.objects.groups()
    csv_filename = "categories.csv"
    csv_header = ["slug", "name", "group", "position"]

    def get_queryset(self):
        return selectors.category_tree()

    def csv_rows(self, queryset):
        leaves_and_groups = Category.objects.order_by("position", "id")
        return exports.value_rows(
            leaves_and_groups,
            dict(zip(self.csv_header, ["slug", "name", "parent__slug", "position"], strict=True)),
        )


@list_schema(
    serializers.ArticleSerializer, description="Sources, newest first, with the deals each supports."
)
class ArticleListView(CsvListView):
    serializer_class = serializers.ArticleSerializer
    pagination_class = NumberedPages
    csv_filename = "articles.csv"
    csv_header = exports.ARTICLE_HEADER

    def get_queryset(self):
        return selectors.article_list()

    def csv_rows(self, queryset):
        return exports.article_rows(queryset)


@extend_schema(responses={200: serializers.ArticleDetailSerializer, 404: serializers.ErrorSerializer})
class ArticleDetailView(generics.RetrieveAPIView):
    serializer_class = serializers.ArticleDetailSerializer
    queryset = Article.objects.all()

    def get_object(self):
        try:
            return selectors.article_detail(article_id=self.kwargs["pk"])
        except Article.DoesNotExist as exc:
            raise Http404 from exc


@extend_schema(
    filters=True,
    parameters=[FORMAT_PARAMETER, *DEAL_LIST_PARAMETERS],
    responses={
        (200, "application/json"): serializers.StatsSerializer,
        (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="dimension,key,label,count rows"),
        (400, "application/json"): FIELD_ERRORS,
    },
    description="Counts of the filtered deals by supplier, recipient, category, status and month.",
)
class StatsView(CsvErrorsAsJson, generics.GenericAPIView):
    serializer_class = serializers.StatsSerializer
    queryset = Deal.objects.live()
    filter_backends = [DjangoFilterBackend]
    filterset_class = UnorderedDealFilterSet

    def get(self, request):
        try:
            stats = selectors.deal_stats(params=request.query_params)
        except selectors.InvalidFilter as exc:
            raise ValidationError(exc.errors) from exc
        if request.accepted_renderer.format == CSVRenderer.format:
            header = ["dimension", "key", "label", "count"]
            return streamed_csv(filename="deal-stats.csv", header=header, rows=exports.count_rows(stats))
        body = {
            name: [dict(zip(("key", "label", "count"), row, strict=True)) for row in rows]
            for name, rows in stats.items()
        }
        body["total"] = sum(n for _, _, n in stats["status"])
        return Response(serializers.StatsSerializer(body).data)


@extend_schema(
    request=serializers.IngestRequestSerializer,
    responses={
        202: serializers.IngestJobSerializer,
        400: BAD_BODY,
        401: serializers.ErrorSerializer,
        403: serializers.ErrorSerializer,
    },
    description="Queue a URL or a pasted text for ingestion. Analysts only.",
)
class IngestJobCreateView(generics.GenericAPIView):
    serializer_class = serializers.IngestRequestSerializer
    permission_classes = [IsAnalyst]

    def post(self, request):
        submission = serializers.IngestRequestSerializer(data=request.data)
        submission.is_valid(raise_exception=True)
        job = ingest_job_create(**submission.validated_data, user=request.user)
        location = reverse("api:ingest-job-detail", kwargs={"pk": job.pk}, request=request)
        body = serializers.IngestJobSerializer(job).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": location})


@extend_schema(
    responses={
        200: serializers.IngestJobSerializer,
        401: serializers.ErrorSerializer,
        403: serializers.ErrorSerializer,
        404: serializers.ErrorSerializer,
    }
)
class IngestJobDetailView(generics.RetrieveAPIView):
    serializer_class = serializers.IngestJobSerializer
    permission_classes = [IsAnalyst]
    queryset = IngestJob.objects.all()
