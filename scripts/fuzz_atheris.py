"""Coverage-guided fuzzing of the readers with atheris (optional; ``pip install atheris``).

The Hypothesis tests (tests/test_fuzz_readers.py) are the CI gate; this finds what random
generation misses by following coverage. Each input is written under a suffix chosen by its
first byte and read with ``read_paths``; anything but Articles and catalogue Failures, or an
exception, is a crash (atheris saves the input as ``crash-*``).

    .venv/bin/python scripts/fuzz_atheris.py -atheris_runs=20000        # a bounded run
    .venv/bin/python scripts/fuzz_atheris.py -max_total_time=600 corpus/ # ten minutes, with a corpus folder
"""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from polybius.errors import MESSAGES
    from polybius.read import Limits, extract_html, read_paths
    from polybius.records import Article, Failure

SUFFIXES = [".txt", ".jsonl", ".json", ".html", ".jsonl.gz", ".parquet", "-"]
LIMITS = Limits(max_article_chars=20_000, max_line_bytes=64_000, max_file_bytes=256_000)
WORK = Path(tempfile.mkdtemp(prefix="polybius-atheris-"))


def check(items: list) -> None:
    for item in items:
        if isinstance(item, Failure):
            if item.code not in MESSAGES or not 1 <= int(item.code[1:]) <= 19:
                raise AssertionError(f"bad failure code: {item}")
        elif not isinstance(item, Article) or not item.text:
            raise AssertionError(f"not an Article: {item!r}")


def one_input(data: bytes) -> None:
    if not data:
        return
    suffix = SUFFIXES[data[0] % len(SUFFIXES)]
    body = data[1:]
    if suffix == "-":
        check(list(read_paths(["-"], stdin=io.BytesIO(body), limits=LIMITS)))
        return
    if suffix == ".html":
        extract_html(body.decode("utf-8", "replace"))
    path = WORK / f"input{suffix}"
    path.write_bytes(body)
    check(list(read_paths([str(path)], limits=LIMITS)))


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
