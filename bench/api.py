"""Benchmark of the deals API at scale: throughput and latency of filtered first pages, CSV memory.

Creates the deals with `seed_synthetic` in a separate PostgreSQL database if there are fewer than
asked for, serves the API with gunicorn (2 workers on 127.0.0.1) and drives `deals/` with a mix of
common filters from concurrent wrk connections (Debian package `wrk`: `apt-get install -y wrk`)
twice: cold, with page caching off so every request reads the database, and warm, with the page
cache on and the mix repeated as polling clients repeat it (the share of cache hits is printed).
Then it streams the CSV of every deal while sampling the resident memory of the gunicorn workers.

    .venv/bin/python bench/api.py                      # 1,000,000 deals
    .venv/bin/python bench/api.py --deals 100000 --duration 20
    .venv/bin/python bench/api.py --duration 10 --no-csv     # latency and throughput only
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import httpx
import psycopg2

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"

# First pages of the deals list, filtered the ways analysts and scripts filter it most.
FILTER_MIX = [
    "",
    "supplier=US",
    "recipient=UA",
    "category=air_defense",
    "status=delivered",
    "supplier=RU&date_from=2022-01-01",
    "country=PL&category=vehicles_aircraft",
    "date_from=2024-01-01",
    "value_min=100000000",
    "review_state=confirmed&supplier=FR",
    "recipient=IN&status=signed,delivered",
    "supplier=DE&ordering=-value",
]

# Timed one by one, not under load: the mix above and filters known to be costly on the index.
PROBES = FILTER_MIX + ["date_from=2024-01-01&date_to=2024-12-31", "date_to=2018-12-31", "q=tank"]

# Each thread counts the X-Cache header of its responses; done() adds the threads up.
WRK_SCRIPT = """
local paths = {%(paths)s}
local limit = %(limit)d
local sent = 0
local threads = {}
hits, misses, refused = 0, 0, 0
setup = function(thread)
  table.insert(threads, thread)
end
request = function()
  sent = sent + 1
  return wrk.format("GET", paths[(sent %% #paths) + 1])
end
response = function(status, headers, body)
  local cached = headers["X-Cache"]
  if cached == "hit" then hits = hits + 1 elseif cached == "miss" then misses = misses + 1 end
  if status == 429 then refused = refused + 1 end
  if sent >= limit then wrk.thread:stop() end
end
done = function(summary, latency, requests)
  local h, m, r = 0, 0, 0
  for _, thread in ipairs(threads) do
    h = h + thread:get("hits")
    m = m + thread:get("misses")
    r = r + thread:get("refused")
  end
  io.write(string.format("cache hits: %%d misses: %%d throttled: %%d\\n", h, m, r))
end
"""


def main() -> None:
    args = parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed for the load: apt-get install -y wrk")
    ensure_database(args.database_url)
    env = server_env(args.database_url)
    manage("migrate", "-v0", env=env)
    have = count_deals(args.database_url)
    if have < args.deals:
        print(f"Seeding {args.deals - have} deals (have {have}) ...", flush=True)
        started = time.monotonic()
        manage("seed_synthetic", "--deals", str(args.deals - have), "--batch-size", "10000", env=env)
        print(f"Seeded in {time.monotonic() - started:.0f} s")
    analyze(args.database_url)
    print(f"Deals in the database: {count_deals(args.database_url)}")
    base = f"http://127.0.0.1:{args.port}"
    with gunicorn({**env, "API_RESPONSE_CACHE_SECONDS": "0"}, args.port) as server:
        warm_up(base)
        time_each_filter(base, args.page_size)
        drive(base, args, server, "cold: page cache off, every request reads the database")
    with gunicorn(env, args.port) as server:
        warm_up(base)
        drive(base, args, server, "warm: page cache on, the mix repeated")
        if not args.no_csv:
            stream_csv(base, server)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=1_000_000)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/dealtracker_bench")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--connections", type=int, default=16, help="Concurrent wrk connections")
    parser.add_argument("--duration", type=int, default=30, help="Seconds of load at most")
    parser.add_argument("--requests", type=int, default=30_000, help="Requests at most")
    parser.add_argument("--page-size", type=int, default=50)
    parser.add_argument("--no-csv", action="store_true", help="Skip streaming the CSV of every deal")
    return parser.parse_args()


def ensure_database(url: str) -> None:
    name = urlparse(url).path.lstrip("/")
    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def count_deals(url: str) -> int:
    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM deals_deal")
        return cursor.fetchone()[0]


def analyze(url: str) -> None:
    connection = psycopg2.connect(url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()


def server_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-not-for-production",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        # Out of the way, yet with a one-second history: a throttle keeps one timestamp per
        # request over its period, and a minute of them at this load would be 30,000 floats
        # read and written per request, where a real client's list holds at most its rate.
        # Both scopes: the user throttle also counts anonymous clients, by address.
        "API_THROTTLE_ANON": "100000000/second",
        "API_THROTTLE_USER": "100000000/second",
        "LOG_LEVEL": "WARNING",
    }


def manage(*argv: str, env: dict[str, str]) -> None:
    subprocess.run([str(PYTHON), "manage.py", *argv], cwd=ROOT, env=env, check=True)


class gunicorn:
    """The API under gunicorn for the duration of a `with` block."""

    def __init__(self, env: dict[str, str], port: int):
        self.env, self.port = env, port

    def __enter__(self) -> "gunicorn":
        command = [str(GUNICORN), "config.wsgi:application", "--workers", "2"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--log-level", "warning", "--timeout", "600"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{self.port}/api/v1/categories/", timeout=2).raise_for_status()
                return self
            except httpx.HTTPError:
                time.sleep(0.3)
        self.__exit__()
        sys.exit("gunicorn did not start")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        return [int(pid) for pid in children.split()]


def deal_paths(page_size: int) -> list[str]:
    return [f"/api/v1/deals/?page_size={page_size}" + (f"&{query}" if query else "") for query in FILTER_MIX]


def warm_up(base: str) -> None:
    with httpx.Client(base_url=base, timeout=60) as client:
        for path in deal_paths(50) * 3:
            client.get(path).raise_for_status()


def time_each_filter(base: str, page_size: int, repeats: int = 5) -> None:
    print(f"\nOne request at a time, median of {repeats} (page_size={page_size}):")
    with httpx.Client(base_url=base, timeout=60) as client:
        for query in PROBES:
            path = f"/api/v1/deals/?page_size={page_size}" + (f"&{query}" if query else "")
            timings = []
            for _ in range(repeats):
                started = time.perf_counter()
                client.get(path).raise_for_status()
                timings.append((time.perf_counter() - started) * 1000)
            print(f"  {query or '(no filter)':45s} {statistics.median(timings):7.1f} ms")


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time the processes have used so far."""
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def drive(base: str, args: argparse.Namespace, server: "gunicorn", title: str) -> None:
    paths = ", ".join(f'"{path}"' for path in deal_paths(args.page_size))
    threads = 2
    limit = max(1, args.requests // threads)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"paths": paths, "limit": limit})
    command = ["wrk", f"-t{threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency"]
    command += ["-s", script.name, base]
    workers = server.worker_pids()
    cpu_before = cpu_seconds(workers)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    # Unlike throughput, this hardly depends on what else the machine is running.
    worker_cpu = cpu_seconds(workers) - cpu_before
    os.unlink(script.name)
    latency = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", output, re.MULTILINE))
    throughput = re.search(r"Requests/sec:\s+(\S+)", output).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    total = re.search(r"(\d+) requests in", output).group(1)
    counted = re.search(r"cache hits: (\d+) misses: (\d+) throttled: (\d+)", output).groups()
    hits, misses, throttled = (int(n) for n in counted)
    answered = hits + misses
    print(
        f"\ndeals/ first pages, {title}; page_size={args.page_size}, {len(FILTER_MIX)} filter mixes, "
        f"{args.connections} connections, 2 gunicorn workers"
    )
    print(f"  requests: {total}  non-2xx: {errors.group(1) if errors else 0} (429: {throttled})")
    share = f"{hits / answered:.1%}" if answered else "n/a (no X-Cache header)"
    print(f"  cache hits: {hits} of {answered} cached-path responses ({share})")
    print(f"  throughput: {throughput} requests/s")
    print(f"  latency p50: {latency.get('50')}  p90: {latency.get('90')}  p99: {latency.get('99')}")
    print(f"  gunicorn worker CPU: {worker_cpu * 1000 / max(int(total), 1):.2f} ms per request")
    print(f"  load average during the run: {os.getloadavg()[0]:.2f} (1 min)")


def rss_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))


def stream_csv(base: str, server: gunicorn) -> None:
    workers = server.worker_pids()
    before = {pid: rss_kib(pid) for pid in workers}
    peak = dict(before)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            for pid in workers:
                peak[pid] = max(peak[pid], rss_kib(pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started, rows, size = time.monotonic(), -1, 0
    with httpx.stream("GET", f"{base}/api/v1/deals/?format=csv", timeout=None) as response:
        response.raise_for_status()
        for chunk in response.iter_bytes():
            rows += chunk.count(b"\n")
            size += len(chunk)
    done.set()
    sampler.join()
    elapsed = time.monotonic() - started
    print(f"\nCSV of every live deal: {rows} rows, {size / 1e6:.0f} MB in {elapsed:.1f} s")
    for pid in workers:
        print(f"  worker {pid}: RSS {before[pid] / 1024:.0f} MiB before, peak {peak[pid] / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
