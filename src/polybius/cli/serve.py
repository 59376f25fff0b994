"""``polybius serve``: the HTTP API and the dashboard (the app is :mod:`polybius.api.app`)."""

from __future__ import annotations

from typing import Any

import click

__all__ = ["serve"]


@click.command()
@click.option("--db", default=None, help="Database (default: $POLYBIUS_DB or the user data dir).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but localhost needs --token for writes.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--token", default=None, envvar="POLYBIUS_TOKEN",
              help="Bearer token that write endpoints (/ingest) require ($POLYBIUS_TOKEN).")
@click.option("--read-only", is_flag=True, help="Open the database read-only (no /ingest); several servers may share it.")
@click.option("--sample", is_flag=True, help="Fill an empty database with the built-in sample events first.")
def serve(db: str | None, host: str, port: int, token: str | None, read_only: bool, sample: bool) -> Any:
    """Serve the HTTP API (/api/v1, OpenAPI at /api/v1/docs) and the dashboard (/)."""
    import uvicorn

    from polybius.api.app import LOCALHOSTS, create_app

    if sample:
        from polybius.api.sample import sample_articles, script_article
        from polybius.store import Store

        with Store(db) as store:
            if store.counts()["events"] == 0:
                store.add_batch([*sample_articles(), script_article()])
    if host not in LOCALHOSTS and not token:
        click.echo(f"note: listening on {host} without --token: /ingest is refused (E071)", err=True)
    click.echo(f"Polybius dashboard: http://{'localhost' if host in LOCALHOSTS else host}:{port}/", err=True)
    uvicorn.run(create_app(db_path=db, host=host, token=token, read_only=read_only), host=host, port=port, log_level="warning")
