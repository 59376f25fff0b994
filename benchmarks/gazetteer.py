"""Gazetteer and where-stage costs: build time and memory, index size, lookup latency, and the
where stage's share of a coding run, measured against raw spaCy parsing in the same process.

    python benchmarks/gazetteer.py                # builds a fresh index in a temp dir
    python benchmarks/gazetteer.py --path FILE    # measure an existing index (no build)

Prints the figures; the lead records them in benchmarks/RESULTS.md. Nothing is written to the
repository (the fresh index lives in a temporary directory and is deleted).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "articles.jsonl"

_BUILD = """
import json, resource, sys, time
from polybius.gazetteer import Gazetteer
stats = Gazetteer.build(sys.argv[1])
stats["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
print(json.dumps(stats))
"""


def build(path: Path) -> dict:
    """Build in a child process, so its peak memory is the build's alone."""
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", _BUILD, str(path)], check=True, capture_output=True, text=True
    )
    stats = json.loads(out.stdout.strip().splitlines()[-1])
    stats["wall_seconds"] = round(time.perf_counter() - started, 2)
    return stats


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def lookups(path: Path, count: int, seed: int) -> dict:
    import duckdb

    from polybius.gazetteer import Gazetteer

    con = duckdb.connect(str(path), read_only=True)
    big = [
        r[0]
        for r in con.execute(
            "SELECT name FROM places WHERE kind = 'city' ORDER BY population DESC LIMIT ?",
            [count // 2],
        ).fetchall()
    ]
    every = [r[0] for r in con.execute("SELECT DISTINCT norm FROM names").fetchall()]
    con.close()
    rng = random.Random(seed)
    names = list(dict.fromkeys(big + rng.sample(every, count - len(big))))
    started = time.perf_counter()
    gaz = Gazetteer.open(path, build_if_missing=False)
    open_ms = (time.perf_counter() - started) * 1000
    cold: list[float] = []
    for name in names:
        t = time.perf_counter()
        gaz.lookup(name)
        cold.append((time.perf_counter() - t) * 1000)
    warm: list[float] = []
    for name in names:
        t = time.perf_counter()
        gaz.lookup(name)
        warm.append((time.perf_counter() - t) * 1e6)
    return {
        "names": len(names),
        "open_ms": round(open_ms, 1),
        "cold_ms_median": round(statistics.median(cold), 3),
        "cold_ms_p95": round(percentile(cold, 0.95), 3),
        "cold_ms_max": round(max(cold), 3),
        "warm_us_median": round(statistics.median(warm), 2),
        "warm_us_p95": round(percentile(warm, 0.95), 2),
    }


def where_overhead(path: Path, repeats: int) -> dict:
    """Raw spaCy over the golden stories vs the where stage over the parsed docs."""
    from polybius.gazetteer import Gazetteer
    from polybius.nlp import load_model
    from polybius.read import article_from_record
    from polybius.where import Locator

    articles = [
        article_from_record(json.loads(line), origin=f"{GOLDEN.name}:{i}")
        for i, line in enumerate(GOLDEN.read_text("utf-8").splitlines(), start=1)
        if line.strip()
    ] * repeats
    nlp = load_model()
    list(nlp.pipe([a.text for a in articles[:5]]))  # warm the model
    started = time.perf_counter()
    docs = list(nlp.pipe([a.text for a in articles], batch_size=32))
    spacy_s = time.perf_counter() - started

    def run(locator: Locator) -> tuple[float, int, int]:
        located = events = 0
        t = time.perf_counter()
        for doc, article in zip(docs, articles, strict=True):
            ctx = locator.article_context(doc, article, None)
            for tok in doc:
                if tok.pos_ == "VERB":  # about as many triggers as the coder tries
                    events += 1
                    located += locator.locate(tok.sent, tok, article, ctx) is not None
        return time.perf_counter() - t, located, events

    cold_s, located, events = run(Locator(Gazetteer.open(path, build_if_missing=False)))
    warm_locator = Locator(Gazetteer.open(path, build_if_missing=False))
    run(warm_locator)
    warm_s, _, _ = run(warm_locator)
    return {
        "articles": len(articles),
        "verbs_located": f"{located}/{events}",
        "spacy_s": round(spacy_s, 3),
        "where_cold_cache_s": round(cold_s, 3),
        "where_warm_cache_s": round(warm_s, 3),
        "ratio_cold": round((spacy_s + cold_s) / spacy_s, 3),
        "ratio_warm": round((spacy_s + warm_s) / spacy_s, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", type=Path, help="an existing index (skips the build)")
    parser.add_argument("--names", type=int, default=2000, help="distinct names to look up")
    parser.add_argument("--repeats", type=int, default=2, help="passes over the golden stories")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.path
        if path is None:
            path = Path(tmp) / "gazetteer.duckdb"
            stats = build(path)
            print("build:", json.dumps(stats))
        print("lookup:", json.dumps(lookups(path, args.names, args.seed)))
        print("where stage:", json.dumps(where_overhead(path, args.repeats)))


if __name__ == "__main__":
    main()
