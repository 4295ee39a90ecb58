from django.urls import path

from . import views

app_name = "deals"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("deals/", views.deal_list, name="deal_list"),
    path("deals/export.csv", views.deal_export_csv, name="deal_export_csv"),
    path("deals/export.json", views.deal_export_json, name="deal_export_json"),
    path("deals/<int:deal_id>/", views.deal_detail, name="deal_detail"),
    path("deals/<int:deal_id>/confirm/", views.deal_confirm, name="deal_confirm"),
    path("deals/<int:deal_id>/reject/", views.deal_reject, name="deal_reject"),
    path("deals/<int:deal_id>/edit/", views.deal_edit, name="deal_edit"),
    path("deals/<int:deal_id>/merge/", views.deal_merge, name="deal_merge"),
    path("deals/<int:deal_id>/split/", views.deal_split, name="deal_split"),
    path("countries/<str:code>/", views.country, name="country"),
    path("articles/<int:article_id>/", views.article, name="article"),
    path("review/", views.review_queue, name="review_queue"),
    path("sources/", views.sources, name="sources"),
]
