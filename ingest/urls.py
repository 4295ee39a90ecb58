from django.urls import path

from . import views

app_name = "ingest"

urlpatterns = [
    path("", views.ingest, name="ingest"),
    path("url/", views.submit_url, name="submit_url"),
    path("text/", views.submit_text, name="submit_text"),
    path("file/", views.submit_file, name="submit_file"),
    path("feeds/", views.feed_add, name="feed_add"),
    path("jobs.json", views.job_states, name="job_states"),
]
