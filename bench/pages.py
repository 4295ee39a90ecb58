"""Server time of the deals page over 100,000 synthetic deals in PostgreSQL.

    .venv/bin/python bench/pages.py [--deals 100000] [--iterations 60]

Uses the database in BENCH_DATABASE_URL (default: a `bench_pages` database on the local server),
creating it, migrating it and filling it with `seed_synthetic` when it holds fewer deals than asked.
Each iteration renders /deals/ with two filters plus all the facets through Django's test client,
so the figure is the server's time (SQL, Python, templates), without a network or a browser.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_pages"
QUERIES = [
    {"country": "UA", "category": "ammunition"},
    {"supplier": "US", "status": "delivered"},
    {"recipient": "PL", "date_from": "2020-01-01"},
    {"category": "air_defense", "value_min": "1000000"},
]


def ensure_database(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    name = url.rsplit("/", 1)[1]
    connection = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()


def prepare(deals: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from deals.models import Deal

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off serves hashed names
    have = Deal.objects.count()
    if have < deals:
        print(f"seeding {deals - have} deals (have {have}) ...", flush=True)
        started = time.perf_counter()
        call_command("seed_synthetic", deals=deals - have, seed=have + 1)
        print(f"seeded in {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        # Fresh planner statistics, and the visibility map autovacuum would have set on a live
        # database, so that index-only scans read no table pages.
        cursor.execute("VACUUM ANALYZE")


def measure(iterations: int) -> dict[str, list[float]]:
    from django.test import Client

    client = Client()
    timings: dict[str, list[float]] = {}
    for params in QUERIES:
        label = "&".join(f"{k}={v}" for k, v in params.items())
        client.get("/deals/", params)  # warm the caches once
        samples = []
        for _ in range(iterations):
            started = time.perf_counter()
            response = client.get("/deals/", params)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        timings[label] = samples
    return timings


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--iterations", type=int, default=60)
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # Production-like: no query log, no template instrumentation, plain HTTP from the test client.
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-use")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("STATIC_ROOT", str(Path(tempfile.gettempdir()) / "dealtracker-bench-static"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    prepare(args.deals)

    from deals.models import Deal

    print(f"/deals/ with two filters and facets, {Deal.objects.count()} deals, {args.iterations} runs each")
    everything: list[float] = []
    for label, samples in measure(args.iterations).items():
        everything.extend(samples)
        print(f"  {label:40s} median {statistics.median(samples):7.1f} ms   p95 {p95(samples):7.1f} ms")
    print(f"  {'all':40s} median {statistics.median(everything):7.1f} ms   p95 {p95(everything):7.1f} ms")


if __name__ == "__main__":
    main()
