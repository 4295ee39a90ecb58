from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("deals/", views.DealListView.as_view(), name="deal-list"),
    path("deals/cursor/", views.DealCursorListView.as_view(), name="deal-cursor"),
    path("deals/removed/", views.RemovedDealListView.as_view(), name="deal-removed"),
    path("deals/<int:pk>/", views.DealDetailView.as_view(), name="deal-detail"),
    path("parties/", views.PartyListView.as_view(), name="party-list"),
    path("categories/", views.CategoryTreeView.as_view(), name="category-tree"),
    path("articles/", views.ArticleListView.as_view(), name="article-list"),
    path("articles/<int:pk>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("stats/", views.StatsView.as_view(), name="stats"),
    path("ingest/", views.IngestJobCreateView.as_view(), name="ingest-job-create"),
    path("ingest/<int:pk>/", views.IngestJobDetailView.as_view(), name="ingest-job-detail"),
]
