"""python manage.py ingest PATH|URL ...: ingest files, folders and URLs, then summarise what happened."""

import sys
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from ingest.models import IngestJob, JobState
from ingest.services import ingest_job_create, ingest_job_run, ingest_jobs_enqueue

ARTICLE_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml"})
SHOWN_FAILURES = 20


class Command(BaseCommand):
    help = (
        "Ingest article files, folders of them (.txt, .md, .html) and URLs. Jobs run here, one after "
        "another, unless --queue hands them to the Celery workers."
    )

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="+", metavar="PATH|URL")
        parser.add_argument("--queue", action="store_true", help="enqueue the jobs for the workers instead")
        parser.add_argument("--no-progress", action="store_true", help="do not draw the progress bar")

    def handle(self, *args, sources, queue, no_progress, **options):
        inputs, failures = expand_sources(sources)
        total = len(inputs) + len(failures)
        tally: Counter = Counter()
        recorded: list[int] = []
        with tqdm(total=len(inputs), unit="article", disable=no_progress, file=sys.stderr) as progress:
            for source in inputs:
                outcome = ingest_source(source, queue=queue)
                if isinstance(outcome, str):
                    failures.append(f"{source}: {outcome}")
                else:
                    count_job(tally, outcome, failures, source)
                    if queue and isinstance(source, Path):
                        recorded.append(outcome.pk)
                progress.update()
        if recorded:
            # Files travel to the workers in batches, which run together far faster than one by one.
            transaction.on_commit(lambda: ingest_jobs_enqueue(job_ids=recorded))
        self.print_summary(tally, failures, queue=queue)
        if failures:
            raise CommandError(f"{len(failures)} of {total} inputs could not be ingested", returncode=1)

    def print_summary(self, tally: Counter, failures: list[str], *, queue: bool) -> None:
        if queue:
            self.stdout.write(f"Queued {tally['queued']} jobs for the workers; failures: {len(failures)}")
        else:
            self.stdout.write(
                f"Articles created: {tally['articles']}  Deals created: {tally['deals_created']}  "
                f"Deals merged: {tally['deals_merged']}  Duplicates: {tally['duplicates']}  "
                f"Failures: {len(failures)}"
            )
        for failure in failures[:SHOWN_FAILURES]:
            self.stderr.write(f"  failed: {failure}")
        if len(failures) > SHOWN_FAILURES:
            self.stderr.write(f"  ... and {len(failures) - SHOWN_FAILURES} more")


def expand_sources(sources: list[str]) -> tuple[list[str | Path], list[str]]:
    """URLs as given, files as paths, folders as the article files inside them; unknowns as failures."""
    inputs: list[str | Path] = []
    failures: list[str] = []
    for source in sources:
        path = Path(source)
        if "://" in source:
            inputs.append(source)
        elif path.is_dir():
            inputs.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
            )
        elif path.is_file():
            inputs.append(path)
        else:
            failures.append(f"{source}: not a file, a folder or a URL")
    return inputs, failures


def ingest_source(source: str | Path, *, queue: bool) -> IngestJob | str:
    """Record a job for one input and run it here (or leave it queued); a string says why it failed."""
    if isinstance(source, Path):
        text = read_article_file(source)
        if text is None:
            return f"larger than {settings.INGEST_MAX_BYTES} bytes or not a text file"
        # A queued file is sent with the other files of this run, once all are recorded.
        job = ingest_job_create(text=text, filename=source.name, enqueue=False)
    else:
        job = ingest_job_create(url=source, enqueue=queue)
    if queue:
        return job
    try:
        return ingest_job_run(job_id=job.pk)
    except Exception as exc:  # the job row keeps the reason; the batch goes on
        return f"{type(exc).__name__}: {exc}"


def read_article_file(path: Path) -> str | None:
    """The file's text, or None when it is too large or binary."""
    if path.stat().st_size > settings.INGEST_MAX_BYTES:
        return None
    data = path.read_bytes()
    if b"\x00" in data:
        return None
    return data.decode("utf-8-sig", errors="replace")


def count_job(tally: Counter, job: IngestJob, failures: list[str], source: str | Path) -> None:
    if job.state == JobState.FAILED:
        failures.append(f"{source}: {job.error}")
    elif job.state == JobState.DONE:
        tally["articles"] += 0 if job.duplicate else 1
        tally["duplicates"] += 1 if job.duplicate else 0
        tally["deals_created"] += job.deals_created
        tally["deals_merged"] += job.deals_merged
    else:
        tally["queued"] += 1
