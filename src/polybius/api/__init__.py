"""The HTTP API and the dashboard. ``create_app`` builds the FastAPI app (see :mod:`.app`)."""

from __future__ import annotations

from typing import Any

__all__ = ["Limits", "create_app"]


def __getattr__(name: str) -> Any:
    # FastAPI is imported only when the API is used, not by ``import polybius.api.sample``.
    if name in __all__:
        from polybius.api import app

        return getattr(app, name)
    raise AttributeError(name)
