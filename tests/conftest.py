"""Shared fixtures. Tests that need the spaCy model use ``nlp``; tests that read ../shared use
``shared_dir`` and skip cleanly when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("POLYBIUS_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "DESIGN.md").exists():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture(scope="session")
def seed_story(shared_dir: Path) -> Path:
    path = shared_dir / "examples" / "azernews-2019-07-18-defense-minister-iran.txt"
    if not path.exists():
        pytest.skip("seed story not present in ../shared/examples")
    return path


@pytest.fixture(scope="session")
def nlp():
    from polybius.nlp import load_model

    return load_model()


@pytest.fixture(scope="session")
def coder(nlp):
    from polybius.pipeline import Coder

    return Coder(nlp=nlp)


@pytest.fixture(autouse=True)
def _isolated_data_dirs(tmp_path_factory, monkeypatch):
    """Never touch the user's real database; share one gazetteer across the session."""
    monkeypatch.setenv("POLYBIUS_DB", str(tmp_path_factory.getbasetemp() / "default.duckdb"))
    if "POLYBIUS_GAZETTEER" not in os.environ:
        cache = Path(os.environ.get("POLYBIUS_TEST_CACHE", ROOT / ".cache"))
        monkeypatch.setenv("POLYBIUS_GAZETTEER", str(cache / "gazetteer.duckdb"))
