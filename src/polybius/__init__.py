"""Polybius: news stories in, political event data (CAMEO and PLOVER) out.

The library is the product; the CLI, API and dashboard are thin layers over it::

    from polybius import Coder, read_paths
    coder = Coder()
    for item in read_paths(["story.txt"]):
        ...

Heavy modules (spaCy, DuckDB) are imported lazily so ``import polybius`` stays cheap.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "Article",
    "CodedArticle",
    "Coder",
    "Event",
    "Evidence",
    "Failure",
    "Place",
    "PolybiusError",
    "Store",
    "__version__",
    "read_paths",
]

_LAZY = {
    "Actor": "polybius.records",
    "Article": "polybius.records",
    "CodedArticle": "polybius.records",
    "Event": "polybius.records",
    "Evidence": "polybius.records",
    "Failure": "polybius.records",
    "Place": "polybius.records",
    "PolybiusError": "polybius.errors",
    "Coder": "polybius.pipeline",
    "Store": "polybius.store",
    "read_paths": "polybius.read",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'polybius' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
