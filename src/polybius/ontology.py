"""The two event ontologies: CAMEO codes and PLOVER types, loaded from the bundled tables.

``data/cameo.tsv`` has one row per CAMEO event code (the 20 roots and their 3- and 4-digit
codes) with its Goldstein value (GDELT's) and its PLOVER type, mode and contexts;
``data/plover.tsv`` has the 16 PLOVER types. Both are read once, checked row by row (a
malformed row is a :class:`~polybius.errors.DataError`, E050/E051/E052, naming the file and
line), and cached.

An empty PLOVER type in the CAMEO table means PLOVER does not code that event at all (the
bare statements of root 01: "said", "declined to comment"). Such an entry's
:meth:`CameoEntry.quad_class_for` falls back to GDELT's quad class for the root, so nothing
downstream breaks, but a coder should not emit it as a PLOVER event.

Quad classes follow two conventions that differ at roots 09 and 14 and at the PLOVER types
drawn from several roots: :meth:`CameoEntry.quad_class_for` and :attr:`PloverType.quad_class`
use PLOVER's (by type), :func:`gdelt_quad_class` uses GDELT's (by CAMEO root).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from polybius.errors import DataError

__all__ = [
    "PLOVER_TYPES",
    "CameoEntry",
    "PloverType",
    "cameo_codes",
    "cameo_entry",
    "cameo_table",
    "gdelt_quad_class",
    "is_symmetric",
    "load_cameo_table",
    "load_plover_table",
    "normalise_cameo",
    "plover_table",
    "plover_type",
]

log = logging.getLogger(__name__)

# The 16 types in PLOVER's own order: cooperation from verbal to material, then conflict.
PLOVER_TYPES: tuple[str, ...] = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)

_CAMEO_COLUMNS = ("code", "name", "goldstein", "plover", "mode", "contexts")
_PLOVER_COLUMNS = ("name", "quad_class", "symmetric", "requires_recipient", "base_score", "modes")
_CODE_SHAPE = re.compile(r"^(0[1-9]|1[0-9]|20)([0-9]{1,2})?$")
_WORD = re.compile(r"^[a-z][a-z0-9_-]*$")
_YES_NO = {"yes": True, "no": False}


@dataclass(frozen=True, slots=True)
class PloverType:
    name: str
    quad_class: (
        int  # PLOVER: 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    )
    symmetric: bool  # may be coded either way round ("X and Y met")
    requires_recipient: bool
    base_score: float  # PLOVER's conflict-cooperation score, -10..+10
    modes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CameoEntry:
    code: str  # always with its leading zero: "040"
    name: str
    goldstein: float
    plover: str  # one of PLOVER_TYPES, or "" when PLOVER does not code the event
    mode: str | None
    contexts: tuple[str, ...]

    @property
    def root(self) -> str:
        return self.code[:2]

    @property
    def level(self) -> int:
        """1 for a root ("04"), 2 for "040", 3 for "0411"-style codes."""
        return len(self.code) - 1

    @property
    def quad_class(self) -> int:
        """The PLOVER quad class of this code's own PLOVER type."""
        return self.quad_class_for(self.plover)

    def quad_class_for(self, plover: str) -> int:
        """PLOVER quad class of ``plover`` (the coder may retype an event, e.g. to AGREE).

        An empty type (an event PLOVER does not code) falls back to GDELT's class of the root.
        """
        if not plover:
            return gdelt_quad_class(self.code)
        return plover_type(plover).quad_class


# -- loading ----------------------------------------------------------------------------


def _data_path(name: str) -> Path:
    return Path(str(resources.files("polybius") / "data" / name))


def _rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, list[str]]]:
    """Data rows of a TSV with ``#`` comments and a header line, with their line numbers."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise DataError("E050", detail=f"cannot read: {err}", where=str(path)) from err
    rows: list[tuple[int, list[str]]] = []
    header_seen = False
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if not header_seen:
            if tuple(c.strip() for c in cells) != columns:
                raise DataError(
                    "E050",
                    detail=f"header must be {' '.join(columns)!r}, not {' '.join(cells)!r}",
                    where=f"{path}:{number}",
                )
            header_seen = True
            continue
        if len(cells) != len(columns):
            raise DataError(
                "E050",
                detail=f"{len(cells)} columns where {len(columns)} are expected",
                where=f"{path}:{number}",
            )
        rows.append((number, [c.strip() for c in cells]))
    if not header_seen:
        raise DataError("E050", detail="no header line", where=str(path))
    return rows


def load_plover_table(path: Path | str | None = None) -> dict[str, PloverType]:
    """Read and check a PLOVER type table (the bundled one by default)."""
    path = Path(path) if path is not None else _data_path("plover.tsv")
    table: dict[str, PloverType] = {}
    for number, (name, quad, symmetric, requires, score, modes) in _rows(path, _PLOVER_COLUMNS):
        where = f"{path}:{number}"
        if name not in PLOVER_TYPES:
            raise DataError("E052", name=name, where=where)
        if name in table:
            raise DataError("E050", detail=f"duplicate type {name}", where=where)
        if quad not in {"1", "2", "3", "4"}:
            raise DataError("E050", detail=f"quad_class must be 1-4, not {quad!r}", where=where)
        if symmetric not in _YES_NO or requires not in _YES_NO:
            raise DataError(
                "E050", detail="symmetric and requires_recipient are yes|no", where=where
            )
        base = _number(score, "base_score", where)
        mode_list = tuple(m.strip() for m in modes.split(",") if m.strip())
        if any(not _WORD.match(m) for m in mode_list):
            raise DataError("E050", detail=f"malformed modes {modes!r}", where=where)
        table[name] = PloverType(
            name, int(quad), _YES_NO[symmetric], _YES_NO[requires], base, mode_list
        )
    missing = [t for t in PLOVER_TYPES if t not in table]
    if missing:
        raise DataError(
            "E050", detail=f"missing PLOVER types {', '.join(missing)}", where=str(path)
        )
    return {name: table[name] for name in PLOVER_TYPES}


def _number(text: str, column: str, where: str) -> float:
    try:
        return float(text)
    except ValueError as err:
        raise DataError("E050", detail=f"{column} {text!r} is not a number", where=where) from err


def load_cameo_table(
    path: Path | str | None = None, *, plover: dict[str, PloverType] | None = None
) -> dict[str, CameoEntry]:
    """Read and check a CAMEO table (the bundled one by default) against the PLOVER types."""
    path = Path(path) if path is not None else _data_path("cameo.tsv")
    types = plover if plover is not None else plover_table()
    table: dict[str, CameoEntry] = {}
    for number, (code, name, goldstein, ptype, mode, contexts) in _rows(path, _CAMEO_COLUMNS):
        where = f"{path}:{number}"
        if not _CODE_SHAPE.match(code):
            raise DataError("E051", cameo=code, where=where)
        if len(code) > 2 and code[:2] not in table:
            raise DataError(
                "E050", detail=f"code {code} comes before its root {code[:2]}", where=where
            )
        if code in table:
            raise DataError("E050", detail=f"duplicate code {code}", where=where)
        if not name:
            raise DataError("E050", detail=f"code {code} has no name", where=where)
        value = _number(goldstein, "goldstein", where)
        if not -10.0 <= value <= 10.0:
            raise DataError("E050", detail=f"goldstein {value} is outside -10..10", where=where)
        if ptype and ptype not in types:
            raise DataError("E052", name=ptype, where=where)
        if mode and (not ptype or mode not in types[ptype].modes):
            raise DataError(
                "E050", detail=f"mode {mode!r} is not a mode of {ptype or 'no type'}", where=where
            )
        context_list = tuple(c.strip() for c in contexts.split(",") if c.strip())
        if any(not _WORD.match(c) for c in context_list):
            raise DataError("E050", detail=f"malformed contexts {contexts!r}", where=where)
        table[code] = CameoEntry(code, name, value, ptype, mode or None, context_list)
    log.debug("loaded %d CAMEO codes from %s", len(table), path)
    return table


@cache
def plover_table() -> dict[str, PloverType]:
    """The bundled PLOVER types, by name, in PLOVER's order (cached)."""
    return load_plover_table()


@cache
def cameo_table() -> dict[str, CameoEntry]:
    """The bundled CAMEO table, by code (cached)."""
    return load_cameo_table()


# -- look-ups ---------------------------------------------------------------------------


def normalise_cameo(code: str | int | float) -> str:
    """The table's spelling of a CAMEO code: ``40``, ``"40"``, ``"040"`` -> ``"040"``.

    An exact match wins, so ``"10"`` is the root 10 (Demand), not 010; a code that lost its
    leading zero ("40", 311, "40.0" from a spreadsheet) gets it back. Unknown -> E051.
    """
    text = str(code).strip()
    if isinstance(code, float) or re.fullmatch(r"\d+\.0+", text):
        text = text.split(".")[0]
    table = cameo_table()
    if text in table:
        return text
    if text.isdigit() and "0" + text in table:
        return "0" + text
    raise DataError("E051", cameo=text, where="the CAMEO table")


def cameo_entry(code: str | int | float, *, where: str = "the CAMEO table") -> CameoEntry:
    """The entry for a CAMEO code (normalised, see :func:`normalise_cameo`).

    ``where`` names the caller's context (a lexicon line) in the E051 message.
    """
    try:
        return cameo_table()[normalise_cameo(code)]
    except DataError as err:
        raise DataError("E051", cameo=str(code).strip(), where=where) from err


def cameo_codes() -> list[str]:
    """Every CAMEO code in the table, roots included, in codebook order."""
    return list(cameo_table())


def plover_type(name: str) -> PloverType:
    """A PLOVER type by name (case-insensitive). Unknown -> E052."""
    try:
        return plover_table()[name.strip().upper()]
    except KeyError as err:
        raise DataError("E052", name=name, where="the PLOVER table") from err


def is_symmetric(plover: str) -> bool:
    """Whether ``plover`` may be coded either way round (CONSULT, COOPERATE, AGREE)."""
    table = plover_table()
    entry = table.get(plover.strip().upper()) if plover else None
    return entry.symmetric if entry else False


def gdelt_quad_class(cameo: str | int) -> int:
    """GDELT's quad class of a CAMEO code: roots 01-05 -> 1, 06-09 -> 2, 10-14 -> 3, 15-20 -> 4."""
    root = int(cameo_entry(cameo).root)
    if root <= 5:
        return 1
    if root <= 9:
        return 2
    if root <= 14:
        return 3
    return 4
