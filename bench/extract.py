"""Throughput and peak memory of ingest.extract over the development corpus, repeated, on one core.

Usage: python bench/extract.py [--articles 5000] [--corpus ../shared/corpus/dev]

Prints wall-clock and CPU throughput over the whole run, the CPU throughput of the fastest full pass
over the corpus (the figure least disturbed by other load on the machine), and peak memory.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from ingest.extract import EXTRACTOR_VERSION, extract, parse_document  # noqa: E402


def load_texts(corpus: Path) -> list[str]:
    """Article texts of the corpus folder, parsed the way the command parses them."""
    paths = sorted(corpus.glob("*.txt"))
    if not paths:
        raise SystemExit(f"no articles in {corpus}")
    return [parse_document(p.read_bytes(), filename=p.name).text for p in paths]


def run(texts: list[str], count: int) -> tuple[float, float, float, int]:
    """Extract count articles in passes over the corpus.

    Returns wall seconds, CPU seconds, CPU seconds per article of the fastest full pass, and deals found.
    """
    extract(texts[0])  # knowledge is loaded once per process; keep that out of the timing
    deals, done, fastest = 0, 0, float("inf")
    wall, cpu = time.perf_counter(), time.process_time()
    while done < count:
        batch = texts[: count - done]
        started = time.process_time()
        for text in batch:
            deals += len(extract(text))
        if len(batch) == len(texts):
            fastest = min(fastest, (time.process_time() - started) / len(batch))
        done += len(batch)
    return time.perf_counter() - wall, time.process_time() - cpu, fastest, deals


def peak_traced_mb(texts: list[str]) -> float:
    """Peak Python allocation, in MB, during one pass over the corpus."""
    tracemalloc.start()
    for text in texts:
        extract(text)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--corpus", type=Path, default=PROJECT.parent / "shared" / "corpus" / "dev")
    args = parser.parse_args()
    texts = load_texts(args.corpus)
    elapsed, cpu, fastest, deals = run(texts, args.articles)
    traced = peak_traced_mb(texts)
    max_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"extractor {EXTRACTOR_VERSION}: {args.articles} articles ({len(texts)} distinct), {deals} deals")
    print(
        f"throughput: {args.articles / elapsed:.1f} articles/s wall, {args.articles / cpu:.1f} articles/s CPU"
    )
    if fastest != float("inf"):
        print(f"fastest corpus pass: {1 / fastest:.1f} articles/s CPU")
    print(f"peak memory: {max_rss_mb:.1f} MB max RSS, {traced:.1f} MB traced during one corpus pass")


if __name__ == "__main__":
    main()
