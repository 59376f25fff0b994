"""How much coding adds to parsing: the whole pipeline vs raw spaCy ``nlp.pipe``, one run.

    python benchmarks/pipeline_speed.py [--articles 150] [--repeat 2]

Both sides parse the same texts in the same process with the same model object and batch size;
the gazetteer and lexicons are loaded (and warmed on one article) before timing. Prints the
ratio pipeline_time / raw_time (target <= 1.35) and a line for benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=150)
    parser.add_argument("--repeat", type=int, default=2, help="best of N for each side")
    args = parser.parse_args()

    from corpus import generate_articles  # benchmarks/corpus.py

    from polybius.pipeline import Coder
    from polybius.records import Article

    texts = [a["text"] for a in generate_articles(args.articles, seed=7)]
    articles = [Article.from_text(t, published=None) for t in texts]
    coder = Coder()
    nlp = coder.nlp
    list(coder.pipe(articles[:2]))  # warm caches: gazetteer, lexicons, actor tables

    def raw() -> float:
        start = time.perf_counter()
        for _ in nlp.pipe((a.text for a in articles), batch_size=coder.batch_size):
            pass
        return time.perf_counter() - start

    def whole() -> tuple[float, int]:
        start = time.perf_counter()
        events = sum(len(c.events) for c in coder.pipe(articles))
        return time.perf_counter() - start, events

    raw_times, pipe_times, events = [], [], 0
    for _ in range(args.repeat):
        raw_times.append(raw())
        elapsed, events = whole()
        pipe_times.append(elapsed)
    raw_best, pipe_best = min(raw_times), min(pipe_times)
    words = sum(len(t.split()) for t in texts)
    print(f"articles {len(texts)}, words {words}, events {events}")
    print(f"raw nlp.pipe   {raw_best:7.2f} s  {len(texts) / raw_best:6.1f} articles/s  {words / raw_best:8.0f} words/s")
    print(f"whole pipeline {pipe_best:7.2f} s  {len(texts) / pipe_best:6.1f} articles/s  {words / pipe_best:8.0f} words/s")
    print(f"ratio pipeline/raw = {pipe_best / raw_best:.3f} (target <= 1.35)")

    # How the stages after the parse grow with an article's length (linear: x4 for 4x the
    # sentences; a stage that rescans the document per event would show x16).
    sentence = "Azerbaijan's Defense Minister met the Ambassador of Iran in Baku on July 18, officials said. "

    def stages(n: int) -> float:
        article = Article.from_text(sentence * n, published=None)
        doc = nlp(article.text)
        start = time.perf_counter()
        coder.code_doc(doc, article)
        return time.perf_counter() - start

    stages(20)
    small = min(stages(200) for _ in range(args.repeat))
    big = min(stages(800) for _ in range(args.repeat))
    print(f"stages after the parse: 200 sentences {small:.3f} s, 800 sentences {big:.3f} s, x{big / small:.1f} (linear x4)")


if __name__ == "__main__":
    main()
