"""Reading the tab-separated lexicons: comments, a header, a schema check, ``file:line`` origins.

Bundled files that break the schema raise E050 (a packaging bug); user files raise the
ActorFileError codes (E020-E023) from :mod:`polybius.actors.dictionary`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from polybius.errors import DataError

__all__ = ["Row", "bundled_rows", "fold", "read_rows", "split_alternatives"]

Row = tuple[int, list[str]]  # (line number, fields)

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


def fold(text: str) -> str:
    """Lower case, accents removed, curly apostrophes straightened: the lookup key form."""
    text = text.translate(_APOSTROPHES)
    if not text.isascii():
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
    return text.lower()


def split_alternatives(field: str, sep: str = "|") -> list[str]:
    return [part.strip() for part in field.split(sep) if part.strip()]


def read_rows(lines: Iterator[str], header: tuple[str, ...], *, min_fields: int) -> Iterator[Row]:
    """Rows of a TSV: ``#`` comments and blank lines skipped, an optional header line skipped.

    Rows shorter than ``header`` are padded with empty fields (editors drop trailing tabs);
    rows with fewer than ``min_fields`` or more than ``len(header)`` fields raise ValueError
    with the line number in ``args[1]``.
    """
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [f.strip() for f in line.split("\t")]
        if len(fields) >= min_fields and tuple(fields) == header[: len(fields)]:
            continue  # the header line (optional columns may be left out of it)
        if len(fields) > len(header) or len(fields) < min_fields:
            raise ValueError(
                f"expected {len(header)} tab-separated fields ({', '.join(header)}), "
                f"found {len(fields)}",
                number,
            )
        fields += [""] * (len(header) - len(fields))
        yield number, fields


def bundled_rows(name: str, header: tuple[str, ...], *, min_fields: int | None = None) -> list[Row]:
    """All rows of ``polybius/data/<name>``; E050 naming ``name:line`` when malformed."""
    resource = resources.files("polybius").joinpath("data", name)
    try:
        text = resource.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise DataError("E050", detail=str(err), where=name) from err
    try:
        return list(
            read_rows(iter(text.splitlines()), header, min_fields=min_fields or len(header))
        )
    except ValueError as err:
        raise DataError("E050", detail=err.args[0], where=f"{name}:{err.args[1]}") from err


def bundled_path(name: str) -> Path:
    return Path(str(resources.files("polybius").joinpath("data", name)))
