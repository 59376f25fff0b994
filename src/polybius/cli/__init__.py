"""The ``polybius`` command line: option parsing and output formatting only.

Each command lives in its own module and is imported only when it runs, so ``polybius --help``
never imports spaCy, DuckDB or FastAPI (tests/test_import_cost.py keeps it so).
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from polybius import __version__

__all__ = ["COMMANDS", "main"]

# name -> (module, function, one-line help). The help is repeated here so that listing the
# commands does not import their modules.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "code": ("polybius.cli.code", "code", "Code articles and print their events (nothing stored)."),
    "explain": ("polybius.cli.code", "explain", "Show, sentence by sentence, why each event was coded or dropped."),
    "ingest": ("polybius.cli.ingest", "ingest", "Code articles and store them in the database (idempotent, resumable)."),
    "events": ("polybius.cli.ingest", "events", "Read stored events back, with filters."),
    "doctor": ("polybius.cli.doctor", "doctor", "Check the model, gazetteer and database, and say how to fix what is missing."),
    "evaluate": ("polybius.cli.evaluate", "evaluate", "Score the coder against gold records."),
    "relations": ("polybius.cli.relations", "relations", "A dyad's cooperation and conflict over time."),
    "top": ("polybius.cli.relations", "top", "The busiest dyads, actors, countries or event types."),
    "export": ("polybius.cli.relations", "export", "Export stored events as JSONL, PLOVER, GDELT, CSV or Parquet."),
    "serve": ("polybius.cli.serve", "serve", "Serve the HTTP API and the dashboard."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attr, _ = COMMANDS[cmd_name]
        command: click.Command = getattr(importlib.import_module(module), attr)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup)
@click.version_option(__version__, prog_name="polybius")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def main(verbose: int) -> None:
    """Polybius: news stories in, political event data (CAMEO and PLOVER) out."""
    import logging

    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


def run() -> Any:  # pragma: no cover - console-script entry point
    return main()


def reference_markdown() -> str:
    """The CLI reference (docs/CLI.md), generated from the commands so it cannot drift."""
    # A fixed width: the reference must not depend on the terminal it is generated in.
    ctx = click.Context(main, info_name="polybius", terminal_width=100, max_content_width=100)
    parts = ["# CLI reference", "", "Generated from the code by `python -m polybius.cli.docs`; do not edit by hand.", ""]
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        assert command is not None
        sub = click.Context(command, info_name=f"polybius {name}", parent=ctx, terminal_width=100, max_content_width=100)
        parts += [f"## polybius {name}", "", "```", command.get_help(sub).rstrip(), "```", ""]
    return "\n".join(parts)
