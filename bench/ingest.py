"""Push synthetic articles through the real queue and report articles per second, overall and per stage.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379/15 \
        .venv/bin/python bench/ingest.py [--articles 10000] [--concurrency 2]

A fresh database (the DATABASE_URL's name plus "_bench_ingest") is created and migrated, a Celery
worker with two prefork processes is started on a queue of its own, the jobs are recorded and
queued, and the script waits until every job has finished. The database is dropped afterwards
unless --keep is given. Stage times come from the timings each job records.
"""

import argparse
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

STATES = [
    "Germany", "France", "Poland", "Norway", "Romania", "the United States", "South Korea", "Japan",
    "Australia", "Canada", "Italy", "Spain", "the Netherlands", "Sweden", "Finland", "Denmark",
    "Greece", "Turkey", "India", "Brazil", "Egypt", "Saudi Arabia", "Qatar", "Israel", "Ukraine",
    "the United Kingdom", "the Czech Republic", "Slovakia", "Hungary", "Lithuania", "Latvia",
    "Estonia", "Portugal", "Belgium", "Switzerland", "Austria", "the Philippines", "Indonesia",
    "Vietnam", "Thailand", "Morocco", "Chile",
]  # fmt: skip
ITEMS = [
    "Leopard 2A8 tanks", "K2 tanks", "Abrams tanks", "K9 self-propelled howitzers",
    "CAESAR howitzers", "F-16 fighter jets", "Rafale fighter jets", "Black Hawk helicopters",
    "Patriot air defence systems", "IRIS-T air defence systems", "155mm artillery shells",
    "Javelin anti-tank missiles", "Bayraktar TB2 drones", "CV90 infantry fighting vehicles",
    "HIMARS rocket launchers", "patrol boats", "Piranha armoured personnel carriers",
    "NASAMS air defence systems", "Stinger missiles", "Gripen fighter jets", "frigates",
    "Chunmoo rocket launchers", "Boxer armoured vehicles", "Harpoon anti-ship missiles",
]  # fmt: skip
MAIN_SENTENCES = [
    "{r} has ordered {q} {item} from {s}, the defence ministry said on {day}.",
    "{s} will supply {q} {item} to {r} under a contract signed this week.",
    "{r} signed a contract with {s} for {q} {item}, officials said on {day}.",
    "{s} approved the sale of {q} {item} to {r}, in a package estimated at ${v} billion.",
    "{r} is negotiating with {s} over the purchase of {q} {item}.",
    "{s} has delivered the first of {q} {item} to {r}.",
    "{s} pledged {q} {item} to {r} on {day}, the government said.",
]
FILLERS = [
    "The announcement came {n} days after talks between the two governments in {city}.",
    "Officials declined to comment on the delivery schedule when asked on {day}.",
    "Analysts at the {city} institute said the purchase reflects rising concern about regional security.",
    "The ministry said training for about {n} crew members would start next year.",
    "Parliament must still approve the funding in its {year} budget, a committee member said.",
    "The opposition criticised the cost, calling for a review of {n} other procurement programmes.",
    "Local industry is expected to take part in maintenance work at a plant near {city}.",
    "A spokesman said the first units would be based near {city} once they arrive.",
    "The deal follows a review of the armed forces that was published in {year}.",
    "Neither side gave details of the financing, which one newspaper put at {n} instalments.",
    "Defence officials from both countries met in {city} on {day} to discuss further cooperation.",
    "The government said it would publish more details about the programme after {n} weeks.",
]
CITIES = ["Brussels", "Vilnius", "Warsaw", "Seoul", "Oslo", "Madrid", "Lisbon", "Prague", "Riga", "Ottawa"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
TERMINAL_STATES = ("done", "failed")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes (prefork pool size)")
    parser.add_argument("--reports-per-deal", type=float, default=3.0, help="average articles per deal")
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument(
        "--per-job", action="store_true", help="queue one message per job instead of batches of jobs"
    )
    return parser.parse_args()


def require_services() -> tuple[str, str]:
    database_url, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")) or not redis_url:
        sys.exit("bench/ingest.py needs DATABASE_URL (PostgreSQL) and REDIS_URL in the environment.")
    return database_url, redis_url


def bench_database_url(database_url: str) -> tuple[str, str]:
    parts = urlsplit(database_url)
    name = f"{parts.path.lstrip('/') or 'postgres'}_bench_ingest"
    return urlunsplit(parts._replace(path=f"/{name}")), name


def recreate_database(database_url: str, name: str) -> None:
    import psycopg2

    admin = psycopg2.connect(urlunsplit(urlsplit(database_url)._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def drop_database(database_url: str, name: str) -> None:
    import psycopg2
    from django.db import connections

    connections.close_all()
    admin = psycopg2.connect(urlunsplit(urlsplit(database_url)._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def synthetic_articles(count: int, reports_per_deal: float, rng: random.Random) -> list[str]:
    """Varied article texts from templates; about `reports_per_deal` articles tell of each deal."""
    deals = [
        (*rng.sample(STATES, 2), rng.choice(ITEMS), rng.randint(2, 400), rng.randint(1, 90) / 10)
        for _ in range(max(1, int(count / reports_per_deal)))
    ]
    return [synthetic_article(index, rng.choice(deals), rng) for index in range(count)]


def synthetic_article(index: int, deal: tuple, rng: random.Random) -> str:
    supplier, recipient, item, quantity, value = deal
    slots = {
        "s": supplier, "r": recipient, "item": item, "q": quantity, "v": value,
        "day": rng.choice(DAYS), "city": rng.choice(CITIES), "n": rng.randint(2, 60),
        "year": rng.randint(2015, 2025),
    }  # fmt: skip
    main = rng.choice(MAIN_SENTENCES).format(**slots)
    fillers = []
    for template in rng.sample(FILLERS, rng.randint(2, 5)):
        slots.update(day=rng.choice(DAYS), city=rng.choice(CITIES), n=rng.randint(2, 60))
        fillers.append(template.format(**slots))
    body = " ".join([main[0].upper() + main[1:], *fillers])
    published = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return f"Title: {recipient} and {item} (report {index})\nPublished: {published}\n\n{body}\n"


def start_worker(queue: str, concurrency: int, env: dict[str, str]) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork",
        f"--concurrency={concurrency}", f"--queues={queue}", f"--hostname=bench-{queue}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=WARNING",
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=PROJECT_DIR, env=env, start_new_session=True)


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)


def submit(texts: list[str], prefix: str, *, per_job: bool = False) -> list[int]:
    """Record the jobs in batches and queue them, as bulk ingestion does after its commit.

    Queued in batches of INGEST_BATCH_SIZE jobs per message, or one message per job with `per_job`
    (as single submissions from the pages, the API and feeds are queued).
    """
    from django.utils import timezone

    from ingest import tasks
    from ingest.models import IngestJob, JobKind
    from ingest.services import ingest_jobs_enqueue

    ids: list[int] = []
    for start in range(0, len(texts), 500):
        batch = [
            IngestJob(kind=JobKind.FILE, text=text, filename=f"{prefix}-{start + offset}.txt")
            for offset, text in enumerate(texts[start : start + 500])
        ]
        created = [job.pk for job in IngestJob.objects.bulk_create(batch)]
        if per_job:
            IngestJob.objects.filter(pk__in=created).update(enqueued_at=timezone.now())
            for job_id in created:
                tasks.run_ingest_job.delay(job_id)
        else:
            ingest_jobs_enqueue(job_ids=created)
        ids.extend(created)
    return ids


def wait_for(job_ids: list[int], *, label: str) -> None:
    from ingest.models import IngestJob

    # An id range, not a list of ten thousand ids: the poll must cost the workers next to nothing.
    batch = IngestJob.objects.filter(pk__gte=min(job_ids), pk__lte=max(job_ids))
    remaining, last_report = len(job_ids), 0.0
    while remaining:
        time.sleep(1.0)
        remaining = batch.exclude(state__in=TERMINAL_STATES).count()
        if time.monotonic() - last_report > 5:
            print(f"  {label}: {len(job_ids) - remaining}/{len(job_ids)} finished", flush=True)
            last_report = time.monotonic()


def stage_report(job_ids: list[int], concurrency: int) -> list[tuple[str, float, float]]:
    """(stage, mean milliseconds per article, articles/s that stage alone allows with the pool)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT key, AVG(value::float), COUNT(*) FROM ingest_ingestjob, jsonb_each_text(timings)
            WHERE id = ANY(%s) GROUP BY key
            """,
            [job_ids],
        )
        rows = cursor.fetchall()
        # Jobs run together share one claim time; each is charged its share of the batch's wall time.
        cursor.execute(
            """
            SELECT SUM(wall) / SUM(jobs) FROM (
                SELECT EXTRACT(EPOCH FROM MAX(finished_at) - started_at) AS wall, COUNT(*) AS jobs
                FROM ingest_ingestjob WHERE id = ANY(%s) AND state = 'done' GROUP BY started_at
            ) AS runs
            """,
            [job_ids],
        )
        job_wall = float(cursor.fetchone()[0] or 0.0)
    order = ["clean", "dedup", "extract", "merge", "total"]
    report = [(key, mean * 1000, concurrency / mean if mean else 0.0) for key, mean, _ in rows]
    report.sort(key=lambda row: order.index(row[0]) if row[0] in order else len(order))
    report.append(("job (claim to done)", job_wall * 1000, concurrency / job_wall if job_wall else 0.0))
    return report


def outcome_counts(job_ids: list[int]) -> dict[str, int]:
    from django.db.models import Count, Q, Sum

    from deals.models import Deal, Evidence
    from ingest.models import IngestJob

    jobs = IngestJob.objects.filter(pk__in=job_ids).aggregate(
        done=Count("pk", filter=Q(state="done")),
        failed=Count("pk", filter=Q(state="failed")),
        duplicates=Count("pk", filter=Q(duplicate=True)),
        deals_created=Sum("deals_created"),
        deals_merged=Sum("deals_merged"),
    )
    return {**jobs, "deals": Deal.objects.count(), "evidence": Evidence.objects.count()}


def main() -> None:
    args = parse_args()
    database_url, redis_url = require_services()
    bench_url, bench_name = bench_database_url(database_url)
    recreate_database(database_url, bench_name)
    os.environ.update(DATABASE_URL=bench_url, CELERY_BROKER_URL=redis_url, CELERY_TASK_ALWAYS_EAGER="false")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from config.celery import app

    call_command("migrate", verbosity=0)
    queue = f"bench-ingest-{uuid.uuid4().hex[:8]}"
    app.conf.task_default_queue = queue
    rng = random.Random(args.seed)
    texts = synthetic_articles(args.articles, args.reports_per_deal, rng)
    warmup = synthetic_articles(4 * args.concurrency, 1.0, random.Random(args.seed + 1))
    worker = start_worker(queue, args.concurrency, dict(os.environ))
    try:
        wait_for(submit(warmup, "warmup"), label="warm-up")
        print(
            f"Benchmark: {len(texts)} articles, {args.concurrency} worker processes, queue {queue}, "
            f"{'one job' if args.per_job else f'{settings.INGEST_BATCH_SIZE} jobs'} per message",
            flush=True,
        )
        started = time.perf_counter()
        job_ids = submit(texts, "bench", per_job=args.per_job)
        submitted = time.perf_counter() - started
        wait_for(job_ids, label="benchmark")
        elapsed = time.perf_counter() - started
        print_results(job_ids, args.concurrency, submitted, elapsed)
    finally:
        stop_worker(worker)
        app.connection_for_write().default_channel.client.delete(queue)
        if not args.keep:
            drop_database(database_url, bench_name)


def print_results(job_ids: list[int], concurrency: int, submitted: float, elapsed: float) -> None:
    counts = outcome_counts(job_ids)
    print()
    print(
        f"Recorded and queued {len(job_ids)} jobs in {submitted:.1f} s ({len(job_ids) / submitted:.0f} jobs/s)"
    )
    print(f"End to end (first job recorded to last job finished): {elapsed:.1f} s")
    print(f"Throughput end to end: {len(job_ids) / elapsed:.1f} articles/s")
    print(
        f"Outcome: {counts['done']} done, {counts['failed']} failed, {counts['duplicates']} duplicates; "
        f"{counts['deals_created'] or 0} deals created, {counts['deals_merged'] or 0} merges; "
        f"{counts['deals']} deals with {counts['evidence']} evidence rows in the database"
    )
    print()
    print(f"{'stage':<22}{'ms/article':>12}{'articles/s':>14}   (per stage, {concurrency} processes)")
    for stage, millis, rate in stage_report(job_ids, concurrency):
        print(f"{stage:<22}{millis:>12.2f}{rate:>14.1f}")


if __name__ == "__main__":
    main()
