"""The read stage: files, folders, globs and standard input in; Articles (or Failures) out.

``read_paths`` never raises for a bad document: every unreadable input becomes a
:class:`~polybius.records.Failure` with a catalogue code (E001-E019) naming the file and line,
and the stream goes on. Memory is bounded: JSON Lines and Parquet are streamed record by record,
lines and files over the limits are refused before they are held in memory.

Formats (by suffix): ``.txt`` and no suffix (plain text, optional ``date YYYY-MM-DD By Author``
header or a wire-style dateline), ``.jsonl``/``.ndjson`` (+ ``.gz``), ``.json`` (one object or
an array), ``.html``/``.htm``, ``.parquet``; directories (recursively, sorted), globs, and ``-``
for standard input (JSON Lines if it starts with ``{``, else plain text).
"""

from __future__ import annotations

import glob
import gzip
import io
import json
import logging
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any

from polybius.errors import InputError, PolybiusError
from polybius.records import Article, Failure, content_hash, normalise_text

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "article_from_record",
    "article_from_text",
    "expand_paths",
    "extract_html",
    "file_suffix",
    "parse_date",
    "read_paths",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Limits:
    # A long feature runs to ~20,000 words (~150,000 characters); a million characters is a book
    # or a broken scrape, and would cost the parser minutes and gigabytes.
    max_article_chars: int = 1_000_000
    # One JSON line holds one article plus metadata: anything over 8 MB is not one article.
    max_line_bytes: int = 8 * 1024 * 1024
    # A text or HTML file is read whole; past this size it is a dump, not a story.
    max_file_bytes: int = 32 * 1024 * 1024


DEFAULT_LIMITS = Limits()

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | HTML_SUFFIXES | {".json", ".parquet", ".gz"}

_HEADER = re.compile(
    r"\A\s*date[:\s]+(?P<date>\d{4}-\d{2}-\d{2})(?:\s+by\s+(?P<author>[^\n]+?))?[ \t]*(?:\n|\Z)",
    re.IGNORECASE,
)


def read_paths(
    paths: Iterable[str | Path],
    *,
    date: date | None = None,
    encoding: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    stdin: IO[bytes] | None = None,
) -> Iterator[Article | Failure]:
    """Read every input; yield Articles in input order and a Failure for each bad one.

    ``date`` is the dateline for articles that state none. ``encoding`` overrides UTF-8.
    """
    for raw in paths:
        spec = str(raw)
        if spec == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _read_stream(stream, "<stdin>", date=date, encoding=encoding, limits=limits)
            continue
        files = expand_paths(spec)
        if files is None:
            yield Failure("E001", str(InputError("E001", path=spec)), spec)
            continue
        for path in files:
            yield from read_file(path, date=date, encoding=encoding, limits=limits)


def expand_paths(spec: str) -> list[Path] | None:
    """The files of a path, folder (recursive, sorted, hidden files skipped) or glob; None if none."""
    path = Path(spec)
    if path.is_dir():
        found = [
            p
            for p in sorted(path.rglob("*"))
            if p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
            and file_suffix(p) in KNOWN_SUFFIXES - {""}
            and p.name.lower() != "readme.md"
        ]
        return found
    if path.exists():
        return [path]
    if glob.has_magic(spec):
        matches = [Path(m) for m in sorted(glob.glob(spec, recursive=True)) if Path(m).is_file()]
        return matches or None
    return None


def file_suffix(path: Path) -> str:
    """The format suffix: ``.jsonl.gz`` for compressed files, else the last suffix."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        return "".join(suffixes[-2:]) if len(suffixes) > 1 else ".gz"
    return suffixes[-1] if suffixes else ""


def read_file(
    path: Path,
    *,
    date: date | None = None,
    encoding: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[Article | Failure]:
    """Read one file by its suffix."""
    where = str(path)
    suffix = file_suffix(path)
    try:
        if suffix in {".jsonl.gz", ".ndjson.gz"}:
            with gzip.open(path, "rb") as fh:
                yield from _read_jsonl(fh, where, date=date, encoding=encoding, limits=limits)
        elif suffix in JSONL_SUFFIXES:
            with open(path, "rb") as fh:
                yield from _read_jsonl(fh, where, date=date, encoding=encoding, limits=limits)
        elif suffix in {".json", ".json.gz"}:
            yield from _read_json(path, date=date, encoding=encoding, limits=limits)
        elif suffix == ".parquet":
            yield from _read_parquet(path, date=date, limits=limits)
        elif suffix in HTML_SUFFIXES or suffix in {".html.gz", ".htm.gz"}:
            text = _decode(_read_bytes(path, limits), where, encoding)
            yield _guard(lambda: _article_from_html(text, where, date=date, limits=limits), where)
        elif suffix in TEXT_SUFFIXES or suffix in {".txt.gz"}:
            data = _read_bytes(path, limits)
            text = _decode(data, where, encoding)
            yield _guard(
                lambda: article_from_text(text, origin=where, date=date, limits=limits), where
            )
        else:
            raise InputError("E008", suffix=suffix or "(none)", where=where)
    except PolybiusError as err:
        yield Failure(err.code, str(err), where)
    except (gzip.BadGzipFile, EOFError, zlib.error) as err:
        yield Failure("E013", str(InputError("E013", detail=str(err), where=where)), where)
    except OSError as err:
        yield Failure("E016", str(InputError("E016", detail=err.strerror or str(err), where=where)), where)


def _guard(make: Any, where: str) -> Article | Failure:
    try:
        article: Article = make()
        return article
    except PolybiusError as err:
        return Failure(err.code, str(err), where)


def _read_bytes(path: Path, limits: Limits) -> bytes:
    size = path.stat().st_size
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    with opener(path, "rb") as fh:
        data = fh.read(limits.max_file_bytes + 1)
    if len(data) > limits.max_file_bytes:
        raise InputError("E014", size=max(size, len(data)), limit=limits.max_file_bytes, where=str(path))
    return data


def _decode(data: bytes, where: str, encoding: str | None) -> str:
    if encoding:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as err:
            raise InputError("E004", detail=str(err), where=where) from err
    if _looks_binary(data):
        raise InputError("E003", detail=_binary_detail(data), where=where)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        bad = data[err.start : err.start + 1].hex()
        detail = f"byte 0x{bad} at offset {err.start}; it looks like Latin-1 or Windows-1252"
        raise InputError("E004", detail=detail, where=where) from err


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if not head:
        return False
    if b"\x00" in head:
        # UTF-16 text has NULs too; it is still not UTF-8, and saying "binary" would mislead.
        return head[:2] not in (b"\xff\xfe", b"\xfe\xff")
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return control / len(head) > 0.05


def _binary_detail(data: bytes) -> str:
    signatures = {
        b"%PDF": "a PDF document",
        b"PK\x03\x04": "a ZIP archive (docx/xlsx?)",
        b"\x89PNG": "a PNG image",
        b"\xff\xd8\xff": "a JPEG image",
        b"\x1f\x8b": "gzip data without a .gz suffix",
        b"PAR1": "Parquet data without a .parquet suffix",
    }
    for magic, name in signatures.items():
        if data.startswith(magic):
            return name
    return "NUL or control bytes"


# -- text ---------------------------------------------------------------------------------


def article_from_text(
    text: str,
    *,
    origin: str = "",
    date: date | None = None,
    limits: Limits = DEFAULT_LIMITS,
    **fields: Any,
) -> Article:
    """A plain-text story: an optional ``date ... By ...`` header, else a wire dateline."""
    author = fields.pop("author", None)
    published = fields.pop("published", None)
    header = _HEADER.match(text)
    if header:
        published = published or parse_date(header.group("date"), where=origin)
        author = author or (header.group("author") or "").strip() or None
        text = text[header.end() :]
    return _build(text, origin=origin, date=date, limits=limits, published=published, author=author, **fields)


def _build(
    text: str,
    *,
    origin: str,
    date: date | None,
    limits: Limits,
    published: date | None = None,
    **fields: Any,
) -> Article:
    if len(text) > limits.max_article_chars:
        raise InputError("E007", size=len(text), limit=limits.max_article_chars, where=origin)
    if not text.strip():
        raise InputError("E002", where=origin)
    dateline_place = fields.pop("dateline_place", None)
    from polybius.when import read_dateline

    clean = normalise_text(text)
    anchor = published or date
    wire = read_dateline(clean[:400], default_year=anchor.year if anchor else None)
    body_start = 0
    if wire is not None:
        dateline_place = dateline_place or wire.place
        published = published or wire.date
        fields["source"] = fields.get("source") or wire.source
        body_start = wire.end
    article = Article(
        id="art_" + content_hash(clean),
        text=clean,
        published=published or date,
        dateline_place=dateline_place,
        body_start=body_start,
        origin=origin,
        **fields,
    )
    if not article.text:
        raise InputError("E002", where=origin)
    return article


# What may follow YYYY-MM-DD in a timestamp: nothing, or a time ("T10:00:00Z", " 10:00 UTC").
_DATE_TAIL = re.compile(r"(?:[T ]\d{2}:\d{2}[0-9:.,]*\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})?)?", re.IGNORECASE)


def parse_date(value: Any, *, where: str = "") -> date | None:
    """YYYY-MM-DD (or an ISO timestamp, or YYYYMMDD) -> date; None for empty; E009/E012 else."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        parsed = value
    else:
        text = str(value).strip()
        try:
            if re.fullmatch(r"\d{8}", text):
                parsed = datetime.strptime(text, "%Y%m%d").date()
            elif _DATE_TAIL.fullmatch(text[10:]):
                parsed = date.fromisoformat(text[:10])
            else:  # "2019-01-01' OR 1=1": a date with junk after it is not a date
                raise ValueError(text)
        except ValueError as err:
            raise InputError("E009", value=text) from err
    if not 1000 <= parsed.year <= 2999:
        raise InputError("E012", value=parsed.isoformat(), where=where)
    return parsed


# -- JSON ---------------------------------------------------------------------------------

_RECORD_FIELDS = ("url", "title", "source", "author", "language")


def article_from_record(
    record: Any, *, origin: str, date: date | None = None, limits: Limits = DEFAULT_LIMITS
) -> Article:
    """One JSON record -> Article. ``text`` is required; the rest is optional."""
    if not isinstance(record, dict):
        raise InputError("E005", detail=f"expected an object, got {type(record).__name__}", where=origin)
    text = record.get("text")
    if not isinstance(text, str):
        raise InputError("E006", where=origin)
    published = parse_date(record.get("date") or record.get("published"), where=origin)
    fields = {k: _str_or_none(record.get(k)) for k in _RECORD_FIELDS}
    fields = {k: v for k, v in fields.items() if v is not None}
    source_id = _str_or_none(record.get("id"))
    if "date" not in record and "published" not in record and _HEADER.match(text):
        return article_from_text(text, origin=origin, date=date, limits=limits, source_id=source_id, **fields)
    return _build(
        text, origin=origin, date=date, limits=limits, published=published, source_id=source_id, **fields
    )


def _str_or_none(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _read_jsonl(
    fh: IO[bytes],
    where: str,
    *,
    date: date | None,
    encoding: str | None,
    limits: Limits,
) -> Iterator[Article | Failure]:
    number = 0
    while True:
        line = fh.readline(limits.max_line_bytes + 1)
        if not line:
            return
        number += 1
        origin = f"{where}:{number}"
        if len(line) > limits.max_line_bytes and not line.endswith(b"\n"):
            # Skip the rest of the over-long line without holding it.
            size = len(line)
            while line and not line.endswith(b"\n"):
                line = fh.readline(1024 * 1024)
                size += len(line)
            yield Failure("E015", str(InputError("E015", size=size, limit=limits.max_line_bytes, where=origin)), origin)
            continue
        if not line.strip():
            continue
        try:
            text = _decode(line, origin, encoding)
            try:
                record = json.loads(text)
            except json.JSONDecodeError as err:
                raise InputError("E005", detail=f"{err.msg} at column {err.colno}", where=origin) from err
            yield article_from_record(record, origin=origin, date=date, limits=limits)
        except PolybiusError as err:
            yield Failure(err.code, str(err), origin)
        except RecursionError:  # absurdly nested JSON
            yield Failure("E005", str(InputError("E005", detail="nested too deeply", where=origin)), origin)


def _read_json(path: Path, *, date: date | None, encoding: str | None, limits: Limits) -> Iterator[Article | Failure]:
    where = str(path)
    text = _decode(_read_bytes(path, limits), where, encoding)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError("E005", detail=f"{err.msg} at line {err.lineno}", where=where) from err
    except RecursionError as err:
        raise InputError("E005", detail="nested too deeply", where=where) from err
    records = data if isinstance(data, list) else [data]
    for index, record in enumerate(records, 1):
        origin = f"{where}[{index}]"
        try:
            yield article_from_record(record, origin=origin, date=date, limits=limits)
        except PolybiusError as err:
            yield Failure(err.code, str(err), origin)


def _read_parquet(path: Path, *, date: date | None, limits: Limits) -> Iterator[Article | Failure]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    where = str(path)
    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowException, OSError, ValueError) as err:
        raise InputError("E011", detail=str(err).splitlines()[0][:200], where=where) from err
    names = set(pf.schema_arrow.names)
    if "text" not in names:
        raise InputError("E006", where=f"{where} (no 'text' column)")
    wanted = [c for c in ("id", "text", "date", "published", *_RECORD_FIELDS) if c in names]
    row = 0
    try:
        for batch in pf.iter_batches(batch_size=256, columns=wanted):
            for record in batch.to_pylist():
                row += 1
                origin = f"{where}:row {row}"
                try:
                    yield article_from_record(record, origin=origin, date=date, limits=limits)
                except PolybiusError as err:
                    yield Failure(err.code, str(err), origin)
    except (pa.ArrowException, OSError) as err:
        raise InputError("E011", detail=str(err).splitlines()[0][:200], where=f"{where}:row {row + 1}") from err


def _read_stream(
    stream: IO[bytes], where: str, *, date: date | None, encoding: str | None, limits: Limits
) -> Iterator[Article | Failure]:
    head = stream.read(1)
    while head and head.isspace():
        head = stream.read(1)
    rest = io.BufferedReader(_Prefixed(head, stream))  # type: ignore[arg-type]
    if head == b"{":
        yield from _read_jsonl(rest, where, date=date, encoding=encoding, limits=limits)
        return
    data = rest.read(limits.max_file_bytes + 1)
    if len(data) > limits.max_file_bytes:
        yield Failure("E014", str(InputError("E014", size=len(data), limit=limits.max_file_bytes, where=where)), where)
        return
    try:
        text = _decode(data, where, encoding)
        yield article_from_text(text, origin=where, date=date, limits=limits)
    except PolybiusError as err:
        yield Failure(err.code, str(err), where)


class _Prefixed(io.RawIOBase):
    """A raw stream that first returns ``prefix`` (the byte we peeked at), then ``stream``."""

    def __init__(self, prefix: bytes, stream: IO[bytes]) -> None:
        self._prefix = prefix
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._prefix:
            n = len(self._prefix)
            buffer[:n] = self._prefix
            self._prefix = b""
            return n
        chunk = self._stream.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


# -- HTML ---------------------------------------------------------------------------------

_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "nav", "header", "footer", "aside", "form", "iframe", "button", "select"}
_BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "div", "section", "article", "br", "tr"}
_VOID_TAGS = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr"}


class _MainText(HTMLParser):
    """Collects paragraph text, outside boilerplate containers, in one linear pass.

    The extraction cascade: paragraphs inside <article>/<main> if they hold enough text, else
    all <p> paragraphs, else every text block of the body (a page with no <p> at all).
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_depth = 0
        self.main_depth = 0
        self.p_depth = 0
        self.current: list[str] = []
        self.main_paragraphs: list[str] = []
        self.paragraphs: list[str] = []
        self.blocks: list[str] = []
        self.block: list[str] = []
        self.title_parts: list[str] = []  # joined once at the end: += per chunk is quadratic
        self.in_title = False
        self.meta: dict[str, str] = {}
        self.time: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID_TAGS:
            if tag == "meta":
                a = {k: v or "" for k, v in attrs}
                key = a.get("property") or a.get("name") or a.get("itemprop")
                if key and "content" in a:
                    self.meta.setdefault(key.lower(), a["content"])
            elif tag == "br":
                self._flush_block()
            return
        if tag in _SKIP_TAGS:
            self.skip_depth += 1
        elif tag in ("article", "main"):
            self.main_depth += 1
        elif tag == "title":
            self.in_title = True
        elif tag == "time" and self.time is None:
            self.time = dict(attrs).get("datetime")
        if tag == "p":
            self._flush_paragraph()
            self.p_depth += 1
        if tag in _BLOCK_TAGS:
            self._flush_block()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in ("article", "main"):
            self.main_depth = max(0, self.main_depth - 1)
        elif tag == "title":
            self.in_title = False
        if tag == "p":
            self._flush_paragraph()
            self.p_depth = max(0, self.p_depth - 1)
        if tag in _BLOCK_TAGS:
            self._flush_block()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)
            return
        if self.skip_depth:
            return
        self.block.append(data)
        if self.p_depth:
            self.current.append(data)

    def _flush_paragraph(self) -> None:
        text = " ".join("".join(self.current).split())
        self.current = []
        if text:
            self.paragraphs.append(text)
            if self.main_depth:
                self.main_paragraphs.append(text)

    def _flush_block(self) -> None:
        text = " ".join("".join(self.block).split())
        self.block = []
        if text:
            self.blocks.append(text)

    @property
    def title(self) -> str | None:
        return " ".join("".join(self.title_parts).split()) or None

    def result(self) -> str:
        self._flush_paragraph()
        self._flush_block()
        # 200 characters: below that an <article> holds a teaser or a caption, not the story.
        for candidate in (self.main_paragraphs, self.paragraphs, self.blocks):
            text = "\n\n".join(candidate)
            if len(text) >= 200:
                return text
        return "\n\n".join(self.paragraphs or self.blocks)


def _strip_unterminated(html: str) -> str:
    # The standard parser rescans an unterminated comment or declaration on every feed, which is
    # quadratic in the file size; such a tail holds no article text anyway.
    for opener, closer in (("<!--", "-->"), ("<![CDATA[", "]]>")):
        start = html.rfind(opener)
        if start != -1 and html.find(closer, start) == -1:
            html = html[:start]
    return html


# CPython's parser (before 3.13) raises AssertionError on a marked section "<![" that is not
# one of these keywords ("<![foo]>", "<![" + junk): escape such a "<![" so it is text.
_BAD_MARKED_SECTION = re.compile(
    r"<!\[(?!(?:cdata|temp|ignore|include|rcdata|if|else|endif)(?![-_.a-z0-9]))", re.IGNORECASE
)


def extract_html(html: str) -> tuple[str, dict[str, str | None]]:
    """Main text and metadata (title, date, author, url) of an HTML page."""
    parser = _MainText()
    try:
        parser.feed(_BAD_MARKED_SECTION.sub("&lt;![", _strip_unterminated(html)))
        parser.close()
    except AssertionError:  # any other markup the standard parser asserts on: keep what it read
        log.debug("HTML parser gave up part-way; using the text read so far")
    meta = parser.meta
    info = {
        "title": meta.get("og:title") or parser.title,
        "date": meta.get("article:published_time") or meta.get("date") or meta.get("datepublished") or parser.time,
        "author": meta.get("author") or meta.get("article:author"),
        "url": meta.get("og:url"),
        "source": meta.get("og:site_name"),
    }
    return parser.result(), info


def _article_from_html(html: str, where: str, *, date: date | None, limits: Limits) -> Article:
    text, info = extract_html(html)
    if not text.strip():
        raise InputError("E010", where=where)
    try:
        published = parse_date((info.pop("date") or "")[:10] or None, where=where)
    except InputError:
        published = None
    fields = {k: v for k, v in info.items() if v}
    return _build(text, origin=where, date=date, limits=limits, published=published, **fields)
