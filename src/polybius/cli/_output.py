"""Output formatting shared by the commands: event tables, JSON Lines, JSON, CSV; failures."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterable
from typing import IO, Any

import click

from polybius.records import Failure

__all__ = ["EVENT_FORMATS", "date_callback", "emit_events", "event_format_option", "flat_event", "report_failure"]

EVENT_FORMATS = ("table", "jsonl", "json", "csv")

CSV_COLUMNS = (
    "id", "article_id", "source_id", "date", "date_precision", "date_basis",
    "actor_name", "actor_country", "actor_code", "recipient_name", "recipient_country",
    "recipient_code", "plover", "mode", "cameo", "quad_class", "goldstein",
    "location_name", "location_country", "lat", "lon", "trigger", "sentence_index",
    "evidence", "confidence",
)


def date_callback(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """Click callback: YYYY-MM-DD -> date, with the catalogue's message when it is not one."""
    if value is None:
        return None
    from polybius.errors import InputError
    from polybius.read import parse_date

    try:
        return parse_date(value)
    except InputError as err:
        raise click.BadParameter(str(err)) from err


def event_format_option(default: str | None = None) -> Callable[[Any], Any]:
    """``--format table|jsonl|json|csv``; the default is a table on a terminal, else JSON Lines."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(EVENT_FORMATS),
        default=default,
        help="Output format (default: table on a terminal, jsonl when piped).",
    )


def resolve_format(fmt: str | None, stream: IO[str] | None = None) -> str:
    if fmt:
        return fmt
    stream = stream or sys.stdout
    return "table" if stream.isatty() else "jsonl"


def flat_event(record: dict[str, Any]) -> dict[str, Any]:
    actor = record.get("actor") or {}
    recipient = record.get("recipient") or {}
    location = record.get("location") or {}
    evidence = record.get("evidence") or {}
    return {
        "id": record.get("id"),
        "article_id": record.get("article_id"),
        "source_id": record.get("source_id"),
        "date": record.get("date"),
        "date_precision": record.get("date_precision"),
        "date_basis": record.get("date_basis"),
        "actor_name": actor.get("name"),
        "actor_country": actor.get("country"),
        "actor_code": actor.get("code"),
        "recipient_name": recipient.get("name"),
        "recipient_country": recipient.get("country"),
        "recipient_code": recipient.get("code"),
        "plover": record.get("plover"),
        "mode": record.get("mode"),
        "cameo": record.get("cameo"),
        "quad_class": record.get("quad_class"),
        "goldstein": record.get("goldstein"),
        "location_name": location.get("name"),
        "location_country": location.get("country"),
        "lat": location.get("lat"),
        "lon": location.get("lon"),
        "trigger": evidence.get("trigger"),
        "sentence_index": evidence.get("sentence_index"),
        "evidence": evidence.get("text"),
        "confidence": record.get("confidence"),
    }


def _cell(value: Any, width: int) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _who(part: dict[str, Any] | None) -> str:
    if not part:
        return "-"
    name = part.get("name") or part.get("text") or "?"
    code = part.get("code") or part.get("country") or "?"
    return f"{name} ({code})" if name != code else str(code)


def emit_events(records: Iterable[dict[str, Any]], fmt: str, *, out: IO[str] | None = None) -> int:
    """Write v1 event records in ``fmt``; returns how many were written."""
    out = out or sys.stdout
    fmt = resolve_format(fmt, out)
    count = 0
    if fmt == "jsonl":
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    elif fmt == "json":
        items = list(records)
        json.dump(items, out, ensure_ascii=False, indent=2)
        out.write("\n")
        count = len(items)
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for record in records:
            writer.writerow(flat_event(record))
            count += 1
    else:
        header = f"{'date':<10}  {'actor':<30}  {'recipient':<30}  {'PLOVER':<9}  {'CAMEO':<5}  Q  {'where':<18}  trigger"
        out.write(header + "\n" + "-" * len(header) + "\n")
        for record in records:
            loc = record.get("location") or {}
            where = f"{loc.get('name')}, {loc.get('country')}" if loc else "-"
            out.write(
                f"{_cell(record.get('date') or '?', 10):<10}  {_cell(_who(record.get('actor')), 30):<30}  "
                f"{_cell(_who(record.get('recipient')), 30):<30}  {_cell(record.get('plover'), 9):<9}  "
                f"{_cell(record.get('cameo'), 5):<5}  {record.get('quad_class')}  {_cell(where, 18):<18}  "
                f"{_cell((record.get('evidence') or {}).get('trigger'), 24)}\n"
            )
            count += 1
        out.write(f"{count} event{'s' if count != 1 else ''}\n")
    return count


def report_failure(failure: Failure) -> None:
    """One numbered line on stderr per bad input."""
    message = failure.message
    click.echo(message if message.startswith(failure.code) else f"{failure.code}: {message}", err=True)
