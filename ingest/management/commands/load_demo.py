"""python manage.py load_demo: ingest the bundled sample articles here and now; safe to run twice."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from deals.models import Article
from ingest.canonical import content_hash
from ingest.extract.document import parse_document
from ingest.models import JobState
from ingest.services import ingest_job_create, ingest_job_run

DEMO_DIR = Path(settings.BASE_DIR) / "demo" / "articles"


class Command(BaseCommand):
    help = (
        "Ingest the sample articles in demo/articles/ in this process; articles already stored are skipped."
    )

    def handle(self, *args, **options):
        loaded = skipped = failed = 0
        for path in sorted(DEMO_DIR.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            if is_stored(text, path.name):
                skipped += 1
                continue
            job = ingest_job_run(job_id=ingest_job_create(text=text, filename=path.name, enqueue=False).pk)
            if job.state == JobState.DONE:
                loaded += 1
            else:
                failed += 1
                self.stderr.write(f"{path.name}: {job.error}")
        self.stdout.write(f"Demo articles loaded: {loaded}, already present: {skipped}, failed: {failed}")


def is_stored(text: str, filename: str) -> bool:
    """True when this file's cleaned text is already an article, so loading it again adds nothing."""
    document = parse_document(text, filename=filename)
    return Article.objects.filter(content_hash=content_hash(document.text)).exists()
