"""Accuracy on the published benchmarks, as a markdown table for benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/accuracy.py [--shared ../shared] [--limit N] [--with-unit-tests] [--json]

Scores the coder (``polybius evaluate``'s library functions) on:

- the PLOVER gold-standard records (322 sentences from the CAMEO manual, coded in PLOVER);
- the PETRARCH-2 validation records from real news (78 sentences, real CAMEO codes);
- tests/golden/articles.jsonl (our own gold articles), when it exists;
- with ``--with-unit-tests``, UD-PETRARCH's unit-test records (fictional actors: event code
  only).

The table goes to stdout; nothing is written. The benchmark files are read from ../shared (or
``--shared``, or $POLYBIUS_SHARED); a file that is absent is skipped with a note on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def benchmark_files(shared: Path, *, unit_tests: bool) -> list[tuple[str, Path]]:
    files = [
        ("PLOVER GSR (CAMEO manual sentences)", shared / "benchmarks/plover/PLOVER_GSR_CAMEO.json"),
        ("PETRARCH-2 GSR (real news)", shared / "benchmarks/petrarch2/records_petr2_gsr.jsonl"),
        ("Polybius golden articles", ROOT / "tests/golden/articles.jsonl"),
    ]
    if unit_tests:
        files.append(
            ("UD-PETRARCH unit tests (code only)", shared / "benchmarks/petrarch2/ud-petrarch/records_ud_2_02.jsonl")
        )
    return files


def _f(value: Any) -> str:
    return "–" if value is None else f"{value:.3f}"


def markdown(rows: list[tuple[str, dict[str, Any], float]], command: str) -> str:
    head = (
        "| benchmark | records | gold | predicted | PLOVER P | PLOVER R | PLOVER F1 | root F1 "
        "| type+dyad F1 | dyad F1 | actor acc | recipient acc | date acc | place acc "
        "| PETRARCH found | PETRARCH extra | seconds |"
    )
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for name, d, seconds in rows:
        m, a, p = d["measures"], d["accuracy"], d["petrarch"] or {}
        lines.append(
            f"| {name} | {d['records']} | {d['gold_events']} | {d['predicted_events']} "
            f"| {_f(m['plover']['precision'])} | {_f(m['plover']['recall'])} | {_f(m['plover']['f1'])} "
            f"| {_f(m['cameo_root']['f1'])} | {_f(m['plover_dyad']['f1'])} | {_f(m['dyad']['f1'])} "
            f"| {_f(a['actor_country']['accuracy'])} | {_f(a['recipient_country']['accuracy'])} "
            f"| {_f(a['date']['accuracy'])} | {_f(a['location_country']['accuracy'])} "
            f"| {_f(p.get('found_share'))} | {_f(p.get('extra_share'))} | {seconds:.1f} |"
        )
    lines += ["", f"Command: `{command}`"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("POLYBIUS_SHARED", ROOT.parent / "shared")))
    parser.add_argument("--limit", type=int, default=None, help="Only the first N records of each file.")
    parser.add_argument("--with-unit-tests", action="store_true", help="Also UD-PETRARCH's unit tests.")
    parser.add_argument("--json", action="store_true", help="Print the full reports as JSON instead.")
    args = parser.parse_args(argv)

    from polybius.evaluate import predict, read_gold, score_records
    from polybius.pipeline import Coder

    coder = Coder()
    rows: list[tuple[str, dict[str, Any], float]] = []
    for name, path in benchmark_files(args.shared, unit_tests=args.with_unit_tests):
        if not path.exists():
            print(f"skipped {name}: {path} not found", file=sys.stderr)
            continue
        start = time.perf_counter()
        records = read_gold(path, limit=args.limit)
        predictions, failures = predict(records, coder=coder)
        report = score_records(zip(records, predictions, strict=True))
        report.failures = failures
        rows.append((name, report.to_dict(), time.perf_counter() - start))
        print(f"{name}: {len(records)} records in {rows[-1][2]:.1f} s", file=sys.stderr)
    command = "python benchmarks/accuracy.py" + "".join(f" {a}" for a in (argv if argv is not None else sys.argv[1:]))
    if args.json:
        print(json.dumps({name: d for name, d, _ in rows}, indent=2))
    else:
        print(markdown(rows, command))
    return 0


if __name__ == "__main__":
    sys.exit(main())
