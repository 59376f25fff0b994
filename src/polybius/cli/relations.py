"""``polybius relations``, ``polybius top`` and ``polybius export``: option parsing and output
formatting only; the work is in :mod:`polybius.relations` and :mod:`polybius.export`."""

from __future__ import annotations

import sys
from typing import Any

import click

__all__ = ["export", "relations", "top"]

_PERIODS = ("day", "week", "month", "quarter", "year")


def _open(db: str | None) -> Any:
    from polybius.store import Store

    return Store(db, read_only=True)


def _fail(err: Exception) -> None:
    click.echo(str(err), err=True)
    sys.exit(2)


def _date_options(fn: Any) -> Any:
    fn = click.option("--to", "end", default=None, metavar="YYYY-MM-DD", help="Last day (inclusive).")(fn)
    fn = click.option("--from", "start", default=None, metavar="YYYY-MM-DD", help="First day (inclusive).")(fn)
    return fn


def _db_option(fn: Any) -> Any:
    return click.option("--db", default=None, help="Database (default: $POLYBIUS_DB or the user data dir).")(fn)


def _table(rows: list[dict[str, Any]], columns: list[tuple[str, str, int]]) -> str:
    head = "  ".join(f"{title:>{w}}" if i else f"{title:<{w}}" for i, (_, title, w) in enumerate(columns))
    lines = [head, "-" * len(head)]
    for row in rows:
        cells = []
        for i, (key, _, w) in enumerate(columns):
            v = row.get(key)
            text = "-" if v is None else (f"{v:+.2f}" if key == "net" else f"{v:.2f}" if isinstance(v, float) else str(v))
            cells.append(f"{text:<{w}}" if i == 0 else f"{text:>{w}}")
        lines.append("  ".join(cells))
    return "\n".join(lines)


_SERIES_COLUMNS = [
    ("period", "period", 10), ("events", "events", 6), ("mentions", "mentions", 8),
    ("verbal_cooperation", "v.coop", 6), ("material_cooperation", "m.coop", 6),
    ("verbal_conflict", "v.conf", 6), ("material_conflict", "m.conf", 6),
    ("goldstein_sum", "gold.sum", 8), ("goldstein_mean", "gold.mean", 9), ("net", "net", 6),
]


def format_relations_table(result: Any) -> str:
    from polybius.relations import sparkline

    both = result.direction("both")
    out = [result.title, ""]
    labels = {"both": "both directions", "a_b": f"{result.a.label} -> {result.b.label}",
              "b_a": f"{result.b.label} -> {result.a.label}"}
    out.append(f"{'':<28}{'events':>7}{'mentions':>10}{'coop':>6}{'conf':>6}{'gold.sum':>10}{'gold.mean':>10}{'net':>7}")
    for d in ("both", "a_b", "b_a"):
        t = result.totals[d]
        gm = "-" if t["goldstein_mean"] is None else f"{t['goldstein_mean']:.2f}"
        net = "-" if t["net"] is None else f"{t['net']:+.2f}"
        out.append(f"{labels[d][:27]:<28}{t['events']:>7}{t['mentions']:>10}{t['cooperation']:>6}"
                   f"{t['conflict']:>6}{t['goldstein_sum']:>10.1f}{gm:>10}{net:>7}")
    out.append("")
    if both:
        out.append(f"cooperation {sparkline([r['cooperation'] for r in both])}")
        out.append(f"conflict    {sparkline([r['conflict'] for r in both])}")
        out.append(f"             {both[0]['period']} .. {both[-1]['period']} ({len(both)} {result.by}s)")
        out.append("")
        out.append(_table(both, _SERIES_COLUMNS))
    else:
        out.append("no events between them in this period")
    types = result.totals["both"]["by_type"]
    if types:
        out.append("")
        out.append("by PLOVER type (events/mentions; A->B, B->A): " + ", ".join(
            f"{k} {v['events']}/{v['mentions']} "
            f"({result.totals['a_b']['by_type'].get(k, {}).get('events', 0)}; "
            f"{result.totals['b_a']['by_type'].get(k, {}).get('events', 0)})"
            for k, v in types.items()))
    out.append("")
    out.append("events = distinct real events (dedup clusters); net = (coop - conflict) / (coop + conflict)")
    return "\n".join(out)


@click.command()
@click.argument("a")
@click.argument("b")
@_db_option
@click.option("--by", type=click.Choice(_PERIODS), default="month", show_default=True, help="Period.")
@_date_options
@click.option("--format", "fmt", type=click.Choice(("table", "csv", "json")), default="table", show_default=True)
@click.option("--plot", "plot_path", default=None, metavar="FILE.png|FILE.svg", help="Also draw the series.")
def relations(a: str, b: str, db: str | None, by: str, start: str | None, end: str | None, fmt: str,
              plot_path: str | None) -> None:
    """Cooperation and conflict between A and B over time.

    A and B are countries (AZE, or "Azerbaijan") or CAMEO actor codes (AZEMIL, matched as a
    prefix). Counts are of distinct real events (dedup clusters), with their mentions; both
    directions together and each one. net = (coop - conflict) / (coop + conflict), in [-1, 1].
    """
    import json

    from polybius.errors import PolybiusError
    from polybius.relations import relations as compute

    try:
        with _open(db) as store:
            result = compute(store, a, b, by=by, start=start, end=end)
        if plot_path:
            from polybius.plot import plot_relations

            plot_relations(result, plot_path)
    except PolybiusError as err:
        _fail(err)
        return
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        import csv

        cols = ["period", "direction", "events", "mentions", "verbal_cooperation", "material_cooperation",
                "verbal_conflict", "material_conflict", "cooperation", "conflict", "goldstein_sum",
                "goldstein_mean", "net"]
        writer = csv.DictWriter(sys.stdout, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(result.series)
    else:
        click.echo(format_relations_table(result))
    if plot_path:
        click.echo(f"plot written to {plot_path}", err=True)


@click.command()
@_db_option
@click.option("--by", type=click.Choice(("dyad", "actor", "country", "type")), default="dyad", show_default=True)
@_date_options
@click.option("--limit", type=click.IntRange(1, 10_000), default=10, show_default=True)
@click.option("--format", "fmt", type=click.Choice(("table", "csv", "json")), default="table", show_default=True)
def top(db: str | None, by: str, start: str | None, end: str | None, limit: int, fmt: str) -> None:
    """The busiest dyads, actors, countries or PLOVER types, by distinct real events."""
    import json

    from polybius.errors import PolybiusError
    from polybius.relations import top as compute

    try:
        with _open(db) as store:
            rows = compute(store, by=by, start=start, end=end, limit=limit)
    except PolybiusError as err:
        _fail(err)
        return
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=["key", "label", "events", "mentions", "cooperation",
                                                       "conflict", "net", "goldstein_mean"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        click.echo(_table(rows, [("label", by, 32), ("key", "key", 8), ("events", "events", 6),
                                 ("mentions", "mentions", 8), ("cooperation", "coop", 5),
                                 ("conflict", "conf", 5), ("goldstein_mean", "gold.mean", 9), ("net", "net", 6)]))


@click.command()
@click.argument("out", type=click.Path(dir_okay=False))
@_db_option
@click.option("--format", "fmt", type=click.Choice(("jsonl", "plover", "gdelt", "csv", "parquet")),
              default="jsonl", show_default=True, help="See docs/EXPORT_FORMATS.md.")
@click.option("--country", default=None, help="ISO alpha-3 on either side.")
@click.option("--dyad", default=None, help="Two countries, either direction: AZE-IRN.")
@click.option("--type", "kind", default=None, help="PLOVER type (CONSULT) or CAMEO code prefix (04).")
@_date_options
@click.option("--force", is_flag=True, help="Overwrite OUT if it exists.")
def export(out: str, db: str | None, fmt: str, country: str | None, dyad: str | None, kind: str | None,
           start: str | None, end: str | None, force: bool) -> None:
    """Export stored events to OUT as JSONL (v1), PLOVER JSON, GDELT 2.0 TSV, CSV or Parquet."""
    from polybius.errors import PolybiusError
    from polybius.export import EventFilter
    from polybius.export import export as run_export

    try:
        flt = EventFilter.build(country=country, dyad=dyad, type=kind, start=start, end=end)
        with _open(db) as store:
            n = run_export(store, out, fmt=fmt, flt=flt, force=force)
    except PolybiusError as err:
        _fail(err)
        return
    unit = "events (one row per distinct event)" if fmt == "gdelt" else "event records"
    click.echo(f"wrote {n} {unit} to {out}", err=True)
