"""``polybius code`` and ``polybius explain``: code articles without storing them."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import click

from polybius.cli._output import date_callback, emit_events, event_format_option, report_failure

__all__ = ["code", "explain", "input_options", "read_inputs"]




def input_options(func: Any) -> Any:
    """The options every command that reads articles shares."""
    func = click.option("--actors", "actor_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
                        help="Extra actor dictionary (TSV, see docs/ACTORS.md); may be repeated.")(func)
    func = click.option("--encoding", default=None, help="Decode inputs with this encoding instead of UTF-8.")(func)
    func = click.option("--date", "dateline", callback=date_callback, default=None, metavar="YYYY-MM-DD",
                        help="Dateline for articles that state none.")(func)
    func = click.argument("paths", nargs=-1, required=True)(func)
    return func


class FailureCounter:
    def __init__(self) -> None:
        self.count = 0


def read_inputs(paths: tuple[str, ...], dateline: Any, encoding: str | None, failures: FailureCounter) -> Iterator[Any]:
    """Articles from the inputs; each bad input is reported on stderr as it is met."""
    from polybius.read import read_paths
    from polybius.records import Failure

    for item in read_paths(paths, date=dateline, encoding=encoding):
        if isinstance(item, Failure):
            failures.count += 1
            report_failure(item)
        else:
            yield item


def make_coder(actor_files: tuple[str, ...]) -> Any:
    from polybius.errors import PolybiusError
    from polybius.pipeline import Coder

    try:
        return Coder.with_actor_files(actor_files) if actor_files else Coder()
    except PolybiusError as err:
        click.echo(str(err), err=True)
        sys.exit(2)


@click.command()
@input_options
@event_format_option()
def code(paths: tuple[str, ...], dateline: Any, encoding: str | None, actor_files: tuple[str, ...], fmt: str | None) -> None:
    """Code PATHS (files, folders, globs, or - for stdin) and print their events.

    Nothing is stored. Exit status 1 when some inputs could not be read.
    """
    coder = make_coder(actor_files)
    failures = FailureCounter()
    records = (
        event.to_dict()
        for coded in coder.pipe(read_inputs(paths, dateline, encoding, failures))
        for event in coded.events
    )
    emit_events(records, fmt or "")
    if failures.count:
        click.echo(f"{failures.count} input(s) could not be read (see above).", err=True)
        sys.exit(1)


@click.command()
@input_options
@click.option("--json", "as_json", is_flag=True, help="The explanation as JSON.")
def explain(paths: tuple[str, ...], dateline: Any, encoding: str | None, actor_files: tuple[str, ...], as_json: bool) -> None:
    """For each sentence of PATHS: the events, the rule that fired, how actor and recipient were
    found (coreference links included), and why candidate events were dropped."""
    import json

    from polybius.explain import explain_article, render_explanation

    coder = make_coder(actor_files)
    failures = FailureCounter()
    for article in read_inputs(paths, dateline, encoding, failures):
        report = explain_article(coder, article)
        if as_json:
            click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            click.echo(render_explanation(report))
    if failures.count:
        sys.exit(1)
