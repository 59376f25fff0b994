"""``polybius ingest`` and ``polybius events``: fill the database, and read events back.

Exit status: 0 all good; 1 some inputs failed (each on its own numbered line on stderr);
2 bad options or coder; 3 the database could not be opened or written.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from polybius.cli._output import date_callback, emit_events, event_format_option

__all__ = ["events", "format_summary", "ingest"]

EXIT_INPUT_FAILED = 1
EXIT_USAGE = 2
EXIT_STORE = 3




def _open_store(db: str | None, *, read_only: bool) -> Any:
    from polybius.errors import StoreError
    from polybius.store import Store

    try:
        return Store(db, read_only=read_only)
    except StoreError as err:
        click.echo(str(err), err=True)
        sys.exit(EXIT_STORE)


def _close(store: Any) -> Any:
    from polybius.errors import StoreError

    try:
        store.close()
    except StoreError as err:
        return err
    return None


def format_summary(summary: Any, db: Any) -> str:
    s = summary
    lines = [
        f"{s.articles_new} new article(s), {s.articles_skipped} already stored, "
        f"{s.events} event(s), {len(s.failures)} failure(s) in {s.seconds:.1f} s "
        f"({s.articles_per_second:.1f} articles/s, {s.workers} worker(s), {s.engine} engine)",
        f"near-copies: {s.near_dups}, new event clusters: {s.clusters_new}; run {s.run_id} -> {db}",
    ]
    return "\n".join(lines)


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", type=click.Path(dir_okay=False), default=None, help="Database file (default: $POLYBIUS_DB or the user data dir).")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Coding processes, each loading the model once (default 1; with --engine dask, 2 local workers).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True, help="Run locally, or on a Dask cluster.")
@click.option("--scheduler", default=None, metavar="ADDRESS", help="Dask scheduler address (default: a local cluster).")
@click.option("--date", "dateline", callback=date_callback, default=None, metavar="YYYY-MM-DD", help="Dateline for articles that state none.")
@click.option("--encoding", default=None, help="Decode inputs with this encoding instead of UTF-8.")
@click.option("--actors", "actor_files", multiple=True, type=click.Path(exists=True, dir_okay=False), help="Extra actor dictionary; may be repeated.")
@click.option("--batch-size", type=click.IntRange(min=1), default=None, help="Articles per transaction (default 64).")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
@click.option("--coder", "coder_factory", default=None, hidden=True, help="module:attr (or file.py:attr) of a coder factory, for tests.")
def ingest(
    paths: tuple[str, ...],
    db: str | None,
    workers: int | None,
    engine: str,
    scheduler: str | None,
    dateline: Any,
    encoding: str | None,
    actor_files: tuple[str, ...],
    batch_size: int | None,
    no_progress: bool,
    coder_factory: str | None,
) -> None:
    """Code PATHS (files, folders, globs, - for stdin) and store articles and events.

    Idempotent: articles already stored are skipped before parsing. Resumable: an interrupted
    run, started again on the same input, finishes the job with nothing lost or duplicated.
    """
    from polybius.errors import EngineError, ModelError, PolybiusError, StoreError
    from polybius.ingest import DEFAULT_BATCH_SIZE, CoderSpec
    from polybius.ingest import ingest as run_ingest

    store = _open_store(db, read_only=False)
    spec = CoderSpec(factory=coder_factory, actors=actor_files)
    try:
        if engine == "dask":
            from polybius.engines.dask_engine import ingest_dask

            summary = ingest_dask(
                list(paths), store=store, coder=spec, scheduler=scheduler, n_workers=workers or 2,
                batch_size=batch_size or DEFAULT_BATCH_SIZE, progress=not no_progress, date=dateline,
                encoding=encoding,
            )  # fmt: skip
        else:
            summary = run_ingest(
                list(paths), store=store, coder=spec, workers=workers or 1,
                batch_size=batch_size or DEFAULT_BATCH_SIZE, progress=not no_progress,
                date=dateline, encoding=encoding,
            )  # fmt: skip
    except StoreError as err:
        click.echo(str(err), err=True)
        sys.exit(EXIT_STORE)
    except (ModelError, EngineError) as err:
        click.echo(str(err), err=True)
        sys.exit(EXIT_USAGE)
    except PolybiusError as err:
        click.echo(str(err), err=True)
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        click.echo("interrupted: what was stored stays; run the same command again to resume", err=True)
        sys.exit(130)
    finally:
        # Closing checkpoints the file; if that fails on the way out of an error, the first
        # error is the one the user hears.
        close_error = _close(store)
    if close_error is not None:
        click.echo(str(close_error), err=True)
        sys.exit(EXIT_STORE)
    click.echo(format_summary(summary, store.path))
    if summary.failures:
        for number, failure in enumerate(summary.failures, start=1):
            message = failure.message if failure.message.startswith(failure.code) else f"{failure.code}: {failure.message}"
            click.echo(f"{number:>4}. {message}", err=True)
        click.echo(f"{len(summary.failures)} input(s) failed (see above).", err=True)
        sys.exit(EXIT_INPUT_FAILED)


@click.command()
@click.option("--db", type=click.Path(dir_okay=False), default=None, help="Database file (default: $POLYBIUS_DB or the user data dir).")
@click.option("--country", default=None, metavar="ISO3", help="Events with this country as actor or recipient.")
@click.option("--dyad", nargs=2, default=None, metavar="A B", help="Events between two countries (either direction).")
@click.option("--type", "plover", default=None, metavar="PLOVER", help="PLOVER event type, e.g. CONSULT.")
@click.option("--root", default=None, metavar="NN", help="CAMEO root code, e.g. 04.")
@click.option("--from", "since", callback=date_callback, default=None, metavar="YYYY-MM-DD", help="Events on or after this date.")
@click.option("--to", "until", callback=date_callback, default=None, metavar="YYYY-MM-DD", help="Events on or before this date.")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="At most N events.")
@click.option("--after", default=None, metavar="EVENT_ID", help="Page on: events after this id.")
@event_format_option()
def events(
    db: str | None,
    country: str | None,
    dyad: tuple[str, str] | None,
    plover: str | None,
    root: str | None,
    since: Any,
    until: Any,
    limit: int | None,
    after: str | None,
    fmt: str | None,
) -> None:
    """Print stored events (v1 records), in event id order, with filters."""
    from polybius.errors import StoreError

    store = _open_store(db, read_only=True)
    try:
        records = store.events(
            country=country.upper() if country else None,
            dyad=(dyad[0].upper(), dyad[1].upper()) if dyad else None,
            plover=plover.upper() if plover else None,
            root=root, since=since, until=until, limit=limit, after=after,
        )  # fmt: skip
    except StoreError as err:
        click.echo(str(err), err=True)
        sys.exit(EXIT_STORE if err.code != "E066" else EXIT_USAGE)
    finally:
        store.close()
    emit_events(records, fmt or "")
