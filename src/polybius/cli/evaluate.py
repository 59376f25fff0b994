"""``polybius evaluate``: score the coder against gold records (see docs/GOLD_FORMAT.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from polybius.evaluate import Report

__all__ = ["evaluate", "format_report"]

_FORMAT_CHOICES = ("auto", "plover-gsr", "petrarch", "polybius")


def _fail(err: Exception, status: int = 2) -> None:
    click.echo(str(err), err=True)
    sys.exit(status)


@click.command()
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_FORMAT_CHOICES),
    default="auto",
    show_default=True,
    help="Format of the gold files (auto: told from the first record).",
)
@click.option(
    "--show-errors", is_flag=True, help="List misses, extras and wrong fields with their sentences."
)
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=None,
    help="Score only the first N records of each file.",
)
@click.option(
    "--check-floors",
    "check_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Exit 1 (E083) when a score is below its floor in this file.",
)
@click.option(
    "--pin-floors",
    "pin_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the scores as floors into this file; never lowers one (E084) without --allow-lower.",
)
@click.option("--allow-lower", is_flag=True, help="With --pin-floors: allow floors to go down.")
def evaluate(
    gold: tuple[str, ...],
    fmt: str,
    show_errors: bool,
    as_json: bool,
    limit: int | None,
    check_path: str | None,
    pin_path: str | None,
    allow_lower: bool,
) -> None:
    """Code the texts of GOLD files and score the events against the gold.

    GOLD may be PLOVER gold-standard records (JSON), PETRARCH validation records (JSON Lines)
    or Polybius gold (JSON Lines, docs/GOLD_FORMAT.md). Scores: precision, recall and F1 of
    the PLOVER type, CAMEO root, type with actor and recipient countries, and the dyad alone;
    accuracy of countries, date and place on matched events; a per-type table; must-not
    violations; for PETRARCH files the share of expected triples found.
    """
    from polybius.errors import PolybiusError
    from polybius.evaluate import (
        check_floors,
        detect_format,
        flat_scores,
        pin_floors,
        predict,
        read_gold,
        score_records,
    )

    if allow_lower and not pin_path:
        raise click.UsageError("--allow-lower only makes sense with --pin-floors")
    loaded = []
    try:
        for path in gold:
            file_fmt = detect_format(path) if fmt == "auto" else fmt
            loaded.append((path, file_fmt, read_gold(path, fmt=file_fmt, limit=limit)))
    except PolybiusError as err:
        _fail(err)

    from polybius.pipeline import Coder

    try:
        coder = Coder()
    except PolybiusError as err:
        _fail(err)

    results: list[tuple[str, str, Report]] = []
    for path, file_fmt, records in loaded:
        predictions, failures = predict(records, coder=coder)
        report = score_records(zip(records, predictions, strict=True))
        report.failures = failures
        results.append((path, file_fmt, report))

    if as_json:
        document = {
            "version": 1,
            "files": [
                {
                    "path": path,
                    "name": Path(path).name,
                    "format": file_fmt,
                    **report.to_dict(errors=show_errors),
                }
                for path, file_fmt, report in results
            ],
        }
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        for path, file_fmt, report in results:
            click.echo(format_report(Path(path).name, file_fmt, report, show_errors=show_errors))

    scores = {Path(path).name: flat_scores(report) for path, _, report in results}
    status = 0
    if check_path:
        try:
            below = check_floors(scores, check_path)
        except PolybiusError as err:
            _fail(err)
        for problem in below:
            click.echo(str(problem), err=True)
        if below:
            status = 1
        else:
            click.echo(f"All scores at or above their floors in {check_path}", err=True)
    if pin_path:
        try:
            pin_floors(scores, pin_path, allow_lower=allow_lower)
        except PolybiusError as err:
            _fail(err, 1)
        click.echo(f"Pinned floors for {', '.join(sorted(scores))} in {pin_path}", err=True)
    sys.exit(status)


def _num(value: float | None) -> str:
    return "    -" if value is None else f"{value:.3f}"


def format_report(name: str, fmt: str, report: Report, *, show_errors: bool = False) -> str:
    """Readable tables for the terminal."""
    d = report.to_dict(errors=show_errors)
    lines = [
        f"{name} ({fmt}): {d['records']} records, {d['gold_events']} gold events, "
        f"{d['predicted_events']} predicted, {d['failures']} failures",
        "",
        f"{'measure':<13} {'records':>7} {'tp':>5} {'fp':>5} {'fn':>5} {'prec':>6} {'recall':>6} {'F1':>6}",
    ]
    for measure, m in d["measures"].items():
        if not m["records"]:
            lines.append(f"{measure:<13} {'-':>7}  (not scored: the gold does not state it)")
            continue
        lines.append(
            f"{measure:<13} {m['records']:>7} {m['tp']:>5} {m['fp']:>5} {m['fn']:>5} "
            f"{_num(m['precision']):>6} {_num(m['recall']):>6} {_num(m['f1']):>6}"
        )
    lines += ["", f"{'on matched events':<19} {'correct':>7} {'of':>5} {'acc':>6}"]
    for field, a in d["accuracy"].items():
        if a["total"]:
            lines.append(
                f"{field.replace('_', ' '):<19} {a['correct']:>7} {a['total']:>5} {_num(a['accuracy']):>6}"
            )
    if d["per_type"]:
        lines += [
            "",
            f"{'PLOVER type':<11} {'gold':>5} {'pred':>5} {'tp':>5} {'prec':>6} {'recall':>6} {'F1':>6}",
        ]
        for ptype, t in d["per_type"].items():
            lines.append(
                f"{ptype:<11} {t['gold']:>5} {t['predicted']:>5} {t['tp']:>5} "
                f"{_num(t['precision']):>6} {_num(t['recall']):>6} {_num(t['f1']):>6}"
            )
    mn = d["must_not"]
    if mn["entries"]:
        lines += [
            "",
            f"must-not entries: {mn['entries']}, violated: {mn['violated']} (clean {_num(mn['clean'])})",
        ]
    p = d["petrarch"]
    if p:
        lines += [
            "",
            f"PETRARCH-style: found {p['found']} of {p['expected']} expected triples "
            f"({_num(p['found_share'])}); extra {p['extra']} of {p['predicted']} predicted "
            f"({_num(p['extra_share'])}); records exactly right {p['records_exact']} of {p['records']}",
        ]
    if show_errors:
        lines += ["", "errors:"]
        for e in d.get("errors", []):
            lines.append(f"--- {e['id']}: {e['text']}")
            lines += [f"    miss   {m}" for m in e["misses"]]
            lines += [f"    extra  {x['event']}  | {x['evidence']}" for x in e["extras"]]
            lines += [
                f"    wrong  gold {w['gold']}, got {w['predicted']} ({', '.join(w['fields'])})"
                for w in e["wrong"]
            ]
            lines += [
                f"    MUST-NOT {v['must_not']} ({v['why'] or 'forbidden'}), got {v['predicted']}  | {v['evidence']}"
                for v in e["must_not_violations"]
            ]
    lines.append("")
    return "\n".join(lines)
