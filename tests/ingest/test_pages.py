import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from deals.models import Deal
from ingest.models import Feed, IngestJob, JobState

pytestmark = pytest.mark.django_db

ARTICLE = (
    "Berlin, 3 March 2024. Germany will deliver 18 Leopard 2 tanks to Ukraine, "
    "the defence ministry said on Tuesday. The tanks come from army stocks."
)


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


def test_ingest_page_sends_strangers_to_sign_in_and_refuses_viewers(client, django_user_model):
    assert client.get("/ingest/")["Location"].startswith("/accounts/login/?next=/ingest/")
    viewer = django_user_model.objects.create_user("viewer", password="viewer-pass-123")
    viewer.groups.add(Group.objects.get(name="viewers"))
    client.force_login(viewer)
    assert client.get("/ingest/").status_code == 403
    assert client.post("/ingest/text/", {"text-text": ARTICLE}).status_code == 403
    assert IngestJob.objects.count() == 0


def test_pasted_text_is_recorded_as_a_job_by_the_analyst(
    analyst_client, analyst, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = analyst_client.post(
            "/ingest/text/", {"text-title": "Tanks for Kyiv", "text-text": ARTICLE}
        )
    assert response["Location"] == "/ingest/"
    job = IngestJob.objects.get()
    assert (job.kind, job.state, job.submitted_by) == ("text", JobState.PENDING, analyst)
    assert job.text.startswith("Tanks for Kyiv\n\nBerlin, 3 March 2024.")
    assert len(callbacks) == 1


def test_pasted_text_runs_through_ingestion_and_its_deal_shows_on_the_page(
    analyst_client, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with django_capture_on_commit_callbacks(execute=True):
        analyst_client.post("/ingest/text/", {"text-text": ARTICLE})
    job = IngestJob.objects.get()
    assert job.state == JobState.DONE, job.error
    deal = Deal.objects.get()
    html = analyst_client.get("/ingest/").content.decode()
    assert f'href="/articles/{job.article_id}/"' in html and "state-done" in html
    assert "Leopard" in analyst_client.get(f"/deals/{deal.pk}/").content.decode()


def test_too_short_text_is_a_form_error(analyst_client):
    response = analyst_client.post("/ingest/text/", {"text-text": "Tanks."})
    assert response.status_code == 400
    assert "Paste at least 40 characters" in response.content.decode()
    assert IngestJob.objects.count() == 0


def test_uploaded_text_file_becomes_a_file_job(analyst_client, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("report.txt", ARTICLE.encode(), content_type="text/plain")
    with django_capture_on_commit_callbacks(execute=False):
        analyst_client.post("/ingest/file/", {"file-file": upload})
    job = IngestJob.objects.get()
    assert (job.kind, job.filename, job.text) == ("file", "report.txt", ARTICLE)


def test_binary_upload_is_refused(analyst_client):
    upload = SimpleUploadedFile("report.txt", b"\xff\xfe\x00binary", content_type="text/plain")
    response = analyst_client.post("/ingest/file/", {"file-file": upload})
    assert response.status_code == 400 and "not UTF-8" in response.content.decode()


def test_url_submission_records_a_url_job(analyst_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        analyst_client.post("/ingest/url/", {"url-url": "https://news.example.org/tanks"})
    assert IngestJob.objects.get().url == "https://news.example.org/tanks"


def test_adding_a_feed_lists_it_and_a_too_short_interval_is_refused(analyst_client):
    analyst_client.post(
        "/ingest/feeds/", {"feed-url": "https://feeds.example.org/rss", "feed-interval_minutes": 30}
    )
    assert Feed.objects.get().interval_minutes == 30
    assert "https://feeds.example.org/rss" in analyst_client.get("/ingest/").content.decode()
    response = analyst_client.post(
        "/ingest/feeds/", {"feed-url": "https://other.example.org/rss", "feed-interval_minutes": 1}
    )
    assert response.status_code == 400
    assert Feed.objects.count() == 1


def test_job_states_endpoint_reports_state_and_error(analyst_client):
    IngestJob.objects.create(
        kind="url", url="https://x.example.org/a", state=JobState.FAILED, error="HTTP 404"
    )
    jobs = analyst_client.get("/ingest/jobs.json").json()["jobs"]
    assert [(j["state"], j["error"]) for j in jobs] == [("failed", "HTTP 404")]
