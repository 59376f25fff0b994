"""Ingest speed and memory against raw spaCy, in one run.

    python benchmarks/ingest_speed.py [--sizes 1000,10000] [--workers 1,2] [--coder SPEC]

For each corpus size N (synthetic ~400-word stories from benchmarks/corpus.py, written under
benchmarks/corpus/, git-ignored) it measures, in this process and with the same model object:

- raw spaCy ``nlp.pipe`` over the texts: articles/s and words/s, with n_process=1 and 2;
- the whole ``ingest`` (read JSONL -> code -> store in a fresh DuckDB file) with 1 and 2
  workers, and the ratio ingest speed / raw speed for the same number of processes
  (target >= 0.75);
- peak RSS of this process plus its children during each phase (sampled every 0.1 s), and
  the RSS at the end of each ingest against that at a quarter of it (flat memory: ~1.0);
- time growth: seconds per article at the largest size over that at the smallest (linear: ~1.0).

``--coder benchmarks/corpus.py:KeywordCoder`` swaps the model-based coder for the stand-in
one, to measure the plumbing alone. Results go to benchmarks/out/ingest_speed.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


class RssSampler:
    """Peak and timeline of the RSS of this process and all its children."""

    def __init__(self, interval: float = 0.1) -> None:
        import psutil

        self._proc = psutil.Process()
        self.interval = interval
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _rss(self) -> int:
        import psutil

        total = self._proc.memory_info().rss
        for child in self._proc.children(recursive=True):
            with contextlib.suppress(psutil.Error):  # a worker that just exited
                total += child.memory_info().rss
        return total

    def _run(self) -> None:
        start = time.perf_counter()
        while not self._stop.is_set():
            self.samples.append((time.perf_counter() - start, self._rss()))
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append((self.samples[-1][0] if self.samples else 0.0, self._rss()))

    @property
    def peak_mb(self) -> float:
        return max(r for _, r in self.samples) / 2**20

    def at_fraction_mb(self, fraction: float) -> float:
        end = self.samples[-1][0]
        for t, rss in self.samples:
            if t >= end * fraction:
                return rss / 2**20
        return self.samples[-1][1] / 2**20


def ensure_corpus(n: int, seed: int) -> Path:
    from corpus import generate, write_jsonl

    path = HERE / "corpus" / f"news-{n}-seed{seed}.jsonl"
    if not path.exists():
        write_jsonl(path, generate(n, seed=seed))
    return path


def measure(n: int, args: argparse.Namespace, nlp: Any, coder: Any) -> dict[str, Any]:
    from polybius.ingest import CoderSpec, ingest
    from polybius.read import read_paths
    from polybius.records import Article
    from polybius.store import Store

    path = ensure_corpus(n, args.seed)
    texts = [a.text for a in read_paths([path]) if isinstance(a, Article)]
    words = sum(len(t.split()) for t in texts)
    row: dict[str, Any] = {"articles": len(texts), "words": words}
    for procs in [] if args.no_raw else args.workers:
        with RssSampler() as rss:
            start = time.perf_counter()
            for _ in nlp.pipe(texts, batch_size=args.nlp_batch, n_process=procs):
                pass
            elapsed = time.perf_counter() - start
        row[f"raw_{procs}"] = {"seconds": elapsed, "articles_per_s": len(texts) / elapsed,
                               "words_per_s": words / elapsed, "peak_rss_mb": rss.peak_mb}  # fmt: skip
    for workers in args.workers:
        with (
            tempfile.TemporaryDirectory(dir=HERE / "corpus") as tmp,
            Store(Path(tmp) / "bench.duckdb") as store,
            RssSampler() as rss,
        ):
            # One worker codes in this process with the already loaded coder (as raw uses
            # the loaded model); more workers each build their own, as a user run does.
            use = coder if workers == 1 else CoderSpec(factory=args.coder)
            start = time.perf_counter()
            summary = ingest([path], store=store, coder=use, workers=workers,
                             batch_size=args.batch_size, progress=False)  # fmt: skip
            elapsed = time.perf_counter() - start
            counts = store.counts()
        raw = row.get(f"raw_{workers}")
        row[f"ingest_{workers}"] = {
            "seconds": elapsed,
            "articles_per_s": summary.articles_new / elapsed,
            "words_per_s": words / elapsed,
            "events": summary.events,
            "clusters": counts["clusters"],
            "near_dups": counts["near_dups"],
            "failures": len(summary.failures),
            "peak_rss_mb": rss.peak_mb,
            "rss_end_over_quarter": rss.at_fraction_mb(1.0) / max(rss.at_fraction_mb(0.25), 1e-9),
            "ratio_to_raw": raw["seconds"] / elapsed if raw else None,
        }
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes")
    parser.add_argument("--workers", default="1,2", help="comma-separated process counts")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch-size", type=int, default=64, help="ingest batch size")
    parser.add_argument("--nlp-batch", type=int, default=32, help="nlp.pipe batch size (the Coder's)")
    parser.add_argument("--coder", default=None, help="coder factory (module:attr or file.py:attr); default: the real Coder")
    parser.add_argument("--no-raw", action="store_true", help="skip raw spaCy (with the stand-in coder: the plumbing alone)")
    parser.add_argument("--out", default=str(HERE / "out" / "ingest_speed.json"))
    args = parser.parse_args()
    args.sizes = [int(s) for s in args.sizes.split(",")]
    args.workers = [int(w) for w in args.workers.split(",")]

    from polybius.ingest import CoderSpec, build_coder
    from polybius.nlp import load_model

    nlp = None if args.no_raw else load_model()
    coder = build_coder(CoderSpec(factory=args.coder))
    from polybius.records import Article

    list(coder.pipe([Article.from_text("Azerbaijan's defense minister met the Iranian ambassador in Baku.")]))  # warm
    results = {"sizes": {}, "cpu_count": os.cpu_count(), "coder": args.coder or "polybius.pipeline:Coder"}
    for n in args.sizes:
        row = measure(n, args, nlp, coder)
        results["sizes"][str(n)] = row
        print(f"\n== {n} articles, {row['words']} words ==")
        for procs in args.workers:
            raw, ing = row.get(f"raw_{procs}"), row[f"ingest_{procs}"]
            if raw:
                print(f"raw nlp.pipe  n_process={procs}: {raw['articles_per_s']:7.1f} articles/s {raw['words_per_s']:9.0f} words/s"
                      f"  peak RSS {raw['peak_rss_mb']:6.0f} MB")  # fmt: skip
            ratio = f"  ratio ingest/raw {ing['ratio_to_raw']:.2f} (target >= 0.75)" if raw else ""
            print(f"ingest      workers={procs}: {ing['articles_per_s']:7.1f} articles/s {ing['words_per_s']:9.0f} words/s"
                  f"  peak RSS {ing['peak_rss_mb']:6.0f} MB  RSS end/quarter {ing['rss_end_over_quarter']:.2f}{ratio}"
                  f"  events {ing['events']} clusters {ing['clusters']} near-copies {ing['near_dups']}")  # fmt: skip
    if len(args.sizes) > 1:
        small, large = str(min(args.sizes)), str(max(args.sizes))
        growth = {}
        for procs in args.workers:
            a = results["sizes"][small][f"ingest_{procs}"]
            b = results["sizes"][large][f"ingest_{procs}"]
            growth[f"ingest_{procs}"] = {
                "per_article_time_ratio": (b["seconds"] / int(large)) / (a["seconds"] / int(small)),
                "peak_rss_ratio": b["peak_rss_mb"] / a["peak_rss_mb"],
            }
            g = growth[f"ingest_{procs}"]
            print(f"growth {small} -> {large}, workers={procs}: time per article x{g['per_article_time_ratio']:.2f}, "
                  f"peak RSS x{g['peak_rss_ratio']:.2f}")  # fmt: skip
        results["growth"] = growth
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
