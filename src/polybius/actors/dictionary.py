"""The time-aware actor dictionary: who held which office when.

``data/people.tsv`` ships a starter set; users extend it with their own files
(``--actors FILE``) in the same format (see docs/ACTORS.md). An entry is used only when the
story's date lies within its validity; with no date, open-ended (current) entries win.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from polybius.actors._tsv import bundled_rows, fold, read_rows, split_alternatives
from polybius.actors.countries import NON_STATE_CODES, is_country_code
from polybius.actors.roles import parse_sectors
from polybius.errors import ActorFileError, DataError

__all__ = ["HEADER", "ActorDictionary", "Entry"]

log = logging.getLogger(__name__)

HEADER = ("names", "country", "sectors", "role", "valid_from", "valid_to", "kind")
KINDS = frozenset({"person", "organisation"})


@dataclass(frozen=True, slots=True)
class Entry:
    """One name (with variants) holding one role for one stretch of time."""

    name: str  # canonical: the first of ``names``
    names: tuple[str, ...]
    country: str
    sectors: tuple[str, ...]
    role: str | None
    valid_from: date | None
    valid_to: date | None  # inclusive; None = still in office
    kind: str = "person"
    origin: str = ""  # "people.tsv:12" or "my-actors.tsv:3"

    def valid_on(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or on <= self.valid_to
        )

    @property
    def code(self) -> str:
        return self.country + "".join(self.sectors[:3])


def _parse_date(text: str, *, end: bool) -> date | None:
    """YYYY, YYYY-MM or YYYY-MM-DD; a partial date covers its whole year or month."""
    if not text:
        return None
    parts = text.split("-")
    if len(parts) == 1:
        return date(int(parts[0]), 12, 31) if end else date(int(parts[0]), 1, 1)
    if len(parts) == 2:
        year, month = int(parts[0]), int(parts[1])
        if not end:
            return date(year, month, 1)
        following = date(year + month // 12, month % 12 + 1, 1)
        return date.fromordinal(following.toordinal() - 1)
    return date.fromisoformat(text)


def _entries_from_rows(
    rows: Iterable[tuple[int, list[str]]], label: str, *, user: bool
) -> list[Entry]:
    found: list[Entry] = []
    for number, (names, country, sectors, role, start, stop, kind) in rows:
        where = f"{label}:{number}"

        def fail(number_: str, where: str = where, **fields: str) -> ActorFileError | DataError:
            if user:
                return ActorFileError(number_, where=where, **fields)
            detail = fields.get("detail") or f"unknown code '{fields.get('code')}'"
            return DataError("E050", detail=detail, where=where)

        variants = tuple(split_alternatives(names))
        if not variants:
            raise fail("E021", detail="no name")
        if not (is_country_code(country) or country in NON_STATE_CODES):
            raise fail("E022", code=country)
        parsed = parse_sectors(sectors)
        if isinstance(parsed, str):
            raise fail("E023", code=parsed)
        kind = kind or "person"
        if kind not in KINDS:
            raise fail("E021", detail=f"kind must be one of {sorted(KINDS)}, not '{kind}'")
        try:
            valid_from = _parse_date(start, end=False)
            valid_to = _parse_date(stop, end=True)
        except ValueError as err:
            raise fail("E021", detail=f"bad date ({err}); use YYYY-MM-DD") from err
        if valid_from and valid_to and valid_to < valid_from:
            raise fail("E021", detail="valid_to is before valid_from")
        found.append(
            Entry(
                variants[0],
                variants,
                country,
                parsed,
                role or None,
                valid_from,
                valid_to,
                kind,
                where,
            )
        )
    return found


class ActorDictionary:
    """Names -> entries, each valid over a date range. Build with :meth:`bundled`."""

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        self.entries: tuple[Entry, ...] = tuple(entries)
        self._index: dict[str, list[Entry]] = {}
        for entry in self.entries:
            for variant in entry.names:
                bucket = self._index.setdefault(fold(variant), [])
                if entry not in bucket:
                    bucket.append(entry)
        # The resolver's match table for these names, built on first use (see resolve.py).
        self.lexicon_cache: object | None = None

    @classmethod
    def bundled(cls) -> ActorDictionary:
        """The dictionary shipped with Polybius (``data/people.tsv``); loaded once."""
        return _bundled()

    def extended(self, paths: list[str]) -> ActorDictionary:
        """A new dictionary: this one plus user files. A user entry wins over a bundled one."""
        added: list[Entry] = []
        for path in paths:
            added.extend(_read_user_file(path))
        log.info("actor dictionary: %d user entries from %d file(s)", len(added), len(paths))
        return ActorDictionary([*added, *self.entries])

    def names(self) -> list[str]:
        return list(self._index)

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, name: str, on: date | None) -> list[Entry]:
        """Entries for ``name`` valid on ``on``; with ``on=None``, open-ended ones first, then
        the most recently ended."""
        bucket = self._index.get(fold(" ".join(name.split())), [])
        if on is not None:
            return [entry for entry in bucket if entry.valid_on(on)]
        return sorted(
            bucket, key=lambda e: (e.valid_to is not None, -(e.valid_to or date.max).toordinal())
        )


@lru_cache(maxsize=1)
def _bundled() -> ActorDictionary:
    rows = bundled_rows("people.tsv", HEADER, min_fields=5)
    return ActorDictionary(_entries_from_rows(rows, "people.tsv", user=False))


def _read_user_file(path: str) -> list[Entry]:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise ActorFileError("E020", path=path) from err
    except IsADirectoryError as err:
        raise ActorFileError("E020", path=path) from err
    except (OSError, UnicodeDecodeError) as err:
        raise ActorFileError("E021", detail=f"cannot read: {err}", where=path) from err
    try:
        rows = list(read_rows(iter(text.splitlines()), HEADER, min_fields=2))
    except ValueError as err:
        raise ActorFileError("E021", detail=err.args[0], where=f"{path}:{err.args[1]}") from err
    return _entries_from_rows(rows, path, user=True)
