import io
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from deals.models import Article, Deal
from ingest import tasks
from ingest.models import IngestJob, JobState
from tests.ingest.article_server import Page, PageServer, article_html

pytestmark = pytest.mark.django_db

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo" / "articles"
NORWAY_REPORTS = ["01-norway-leopard-order.txt", "02-berlin-leopard-sale.txt"]


def run_ingest(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("ingest", *args, "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def folder(tmp_path):
    for name in NORWAY_REPORTS:
        shutil.copy(DEMO_DIR / name, tmp_path / name)
    nested = tmp_path / "more"
    nested.mkdir()
    (nested / "k2.html").write_text(
        article_html(
            "Tanks", "2024-03-05", "Poland signed a contract with South Korea for 180 K2 tanks."
        ).decode()
    )
    (nested / "photo.jpg").write_bytes(b"\xff\xd8\xff\x00binary")
    return tmp_path


def test_folder_is_ingested_with_a_summary_of_articles_deals_merges_and_duplicates(folder):
    out, _ = run_ingest(str(folder))

    assert "Articles created: 3  Deals created: 2  Deals merged: 1  Duplicates: 0  Failures: 0" in out
    assert Article.objects.count() == 3
    assert sorted(Deal.objects.values_list("source_count", flat=True)) == [1, 2]


def test_ingesting_the_same_folder_again_counts_duplicates_and_adds_nothing(folder):
    run_ingest(str(folder))

    out, _ = run_ingest(str(folder))

    assert "Articles created: 0  Deals created: 0  Deals merged: 0  Duplicates: 3  Failures: 0" in out
    assert (Article.objects.count(), Deal.objects.count()) == (3, 2)


def test_missing_path_and_unreadable_file_are_reported_as_failures_and_the_rest_still_runs(folder, tmp_path):
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x00\x01\x02")

    with pytest.raises(CommandError, match="2 of 4 inputs could not be ingested"):
        run_ingest(
            str(folder / NORWAY_REPORTS[0]), str(binary), "no/such/place", str(folder / NORWAY_REPORTS[1])
        )

    assert Article.objects.count() == 2


def test_url_is_fetched_and_ingested(settings):
    settings.INGEST_ALLOW_PRIVATE_HOSTS = True
    with PageServer() as server:
        server.pages["/story"] = Page(
            article_html("Tanks", "2024-03-05", "Poland signed a contract with South Korea for 180 K2 tanks.")
        )
        out, _ = run_ingest(server.url("/story"))

    assert "Articles created: 1  Deals created: 1" in out
    assert Article.objects.get().canonical_url == server.url("/story")


def test_queue_option_hands_the_files_to_the_workers_in_one_batch(
    folder, monkeypatch, django_capture_on_commit_callbacks
):
    singles, batches = [], []
    monkeypatch.setattr(tasks.run_ingest_job, "delay", singles.append)
    monkeypatch.setattr(tasks.run_ingest_jobs, "delay", batches.append)

    with django_capture_on_commit_callbacks(execute=True):
        out, _ = run_ingest(str(folder / NORWAY_REPORTS[0]), str(folder / NORWAY_REPORTS[1]), "--queue")

    assert "Queued 2 jobs for the workers; failures: 0" in out
    assert (singles, batches) == ([], [sorted(IngestJob.objects.values_list("pk", flat=True))])
    assert IngestJob.objects.filter(enqueued_at__isnull=True).count() == 0
    assert set(IngestJob.objects.values_list("state", flat=True)) == {JobState.PENDING}
    assert Article.objects.count() == 0


def test_load_demo_ingests_the_sample_articles_once_and_merges_their_reports():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=out)

    assert "Demo articles loaded: 8, already present: 0, failed: 0" in out.getvalue()
    assert "Demo articles loaded: 0, already present: 8, failed: 0" in out.getvalue()
    assert Article.objects.count() == len(list(DEMO_DIR.glob("*.txt")))
    abrams = Deal.objects.get(item__icontains="Abrams")
    assert (abrams.source_count, abrams.status) == (3, "signed")
