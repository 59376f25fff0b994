"""The store: one DuckDB file holding articles, events, their clusters and the runs.

Schema (migration ``001_initial``; every later change is a new named migration, recorded in
``schema_migrations`` and applied once)::

    articles  id PK (art_ content id), source_id, source, url, title, author, published DATE,
              dateline_place, language, text, minhash BLOB (dedup.NUM_PERM uint32),
              near_dup_of (id of the first stored near-copy, or NULL), origin, run_id,
              ingested_at TIMESTAMP, seq BIGINT (write order)
    article_bands  band, bucket, article_id          LSH buckets of articles.minhash
    events    id PK (ev_ id), article_id, source_id, date DATE, date_precision, date_basis,
              actor_name, actor_text, actor_country, actor_sectors VARCHAR[], actor_role,
              actor_code, recipient_* (the same six), plover, mode, contexts VARCHAR[],
              cameo VARCHAR ("040"), cameo_root VARCHAR ("04"), quad_class, goldstein,
              loc_name, loc_country, loc_admin1, lat, lon, geonameid, loc_precision,
              loc_basis, sentence_index, evidence_start, evidence_end, evidence_text,
              trigger, trigger_start, trigger_end, confidence, negated, hypothetical, coder,
              record JSON (the exact v1 dict of Event.to_dict), cluster_id, seq BIGINT
    clusters  id, event_id (representative: the first event), date, actor_country,
              recipient_country, plover, cameo, cameo_root, quad_class, goldstein,
              loc_country, negated, hypothetical, pair_key, num_mentions, num_sources,
              num_articles, first_seen, last_seen, rule
    mentions  cluster_id, event_id, article_id, source, url, date (the article's date), rule
    failures  run_id, origin, code, message, recorded_at
    runs      id, started, finished, inputs, articles_new, articles_skipped, events,
              failures, status (running | done | interrupted | failed)

Readers (relations, export, the API) use :meth:`Store.events` for v1 records, or
:meth:`Store.query` for read-only SQL over these tables. Every SQL parameter is bound.

Writing is batch-atomic: :meth:`Store.add_batch` writes articles, events, clusters, mentions
and failures in one transaction, so a crash loses at most the batch in flight and a rerun
finishes the job with nothing duplicated.

Sharing a file between processes: DuckDB lets one process open a file for writing and no one
else open it at all meanwhile. So a writable Store also holds a writer lock (``FILE.lock``,
an flock released by the kernel even on ``kill -9``) for its whole life: a second writer is
refused with E061 at once, never interleaved. Between batches the writer may
:meth:`Store.release` the DuckDB file itself, so that readers (the API, ``polybius events``)
can open it read-only for a moment; the next write reopens it, waiting briefly for readers.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from polybius.errors import StoreError
from polybius.records import CodedArticle, Event, Failure, canonical_json

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "Store", "default_path", "filter_date"]

log = logging.getLogger(__name__)

_EVENT_COLUMNS = (
    "id", "article_id", "source_id", "date", "date_precision", "date_basis",
    "actor_name", "actor_text", "actor_country", "actor_sectors", "actor_role", "actor_code",
    "recipient_name", "recipient_text", "recipient_country", "recipient_sectors",
    "recipient_role", "recipient_code",
    "plover", "mode", "contexts", "cameo", "cameo_root", "quad_class", "goldstein",
    "loc_name", "loc_country", "loc_admin1", "lat", "lon", "geonameid", "loc_precision",
    "loc_basis", "sentence_index", "evidence_start", "evidence_end", "evidence_text",
    "trigger", "trigger_start", "trigger_end", "confidence", "negated", "hypothetical",
    "coder", "record", "cluster_id", "seq",
)  # fmt: skip

_ARTICLE_COLUMNS = (
    "id", "source_id", "source", "url", "title", "author", "published", "dateline_place",
    "language", "text", "minhash", "near_dup_of", "origin", "run_id", "ingested_at", "seq",
)  # fmt: skip

_MIGRATION_001 = """
CREATE TABLE IF NOT EXISTS articles (
    id VARCHAR PRIMARY KEY, source_id VARCHAR, source VARCHAR, url VARCHAR, title VARCHAR,
    author VARCHAR, published DATE, dateline_place VARCHAR, language VARCHAR, text VARCHAR,
    minhash BLOB, near_dup_of VARCHAR, origin VARCHAR, run_id VARCHAR,
    ingested_at TIMESTAMP, seq BIGINT
);
CREATE TABLE IF NOT EXISTS article_bands (band SMALLINT, bucket BIGINT, article_id VARCHAR);
CREATE TABLE IF NOT EXISTS events (
    id VARCHAR PRIMARY KEY, article_id VARCHAR NOT NULL, source_id VARCHAR,
    date DATE, date_precision VARCHAR, date_basis VARCHAR,
    actor_name VARCHAR, actor_text VARCHAR, actor_country VARCHAR, actor_sectors VARCHAR[],
    actor_role VARCHAR, actor_code VARCHAR,
    recipient_name VARCHAR, recipient_text VARCHAR, recipient_country VARCHAR,
    recipient_sectors VARCHAR[], recipient_role VARCHAR, recipient_code VARCHAR,
    plover VARCHAR, mode VARCHAR, contexts VARCHAR[], cameo VARCHAR, cameo_root VARCHAR,
    quad_class TINYINT, goldstein DOUBLE,
    loc_name VARCHAR, loc_country VARCHAR, loc_admin1 VARCHAR, lat DOUBLE, lon DOUBLE,
    geonameid BIGINT, loc_precision VARCHAR, loc_basis VARCHAR,
    sentence_index INTEGER, evidence_start INTEGER, evidence_end INTEGER, evidence_text VARCHAR,
    trigger VARCHAR, trigger_start INTEGER, trigger_end INTEGER,
    confidence DOUBLE, negated BOOLEAN, hypothetical BOOLEAN, coder VARCHAR,
    record JSON NOT NULL, cluster_id VARCHAR, seq BIGINT
);
CREATE TABLE IF NOT EXISTS clusters (
    id VARCHAR NOT NULL, event_id VARCHAR, date DATE, actor_country VARCHAR,
    recipient_country VARCHAR, plover VARCHAR, cameo VARCHAR, cameo_root VARCHAR,
    quad_class TINYINT, goldstein DOUBLE, loc_country VARCHAR, negated BOOLEAN,
    hypothetical BOOLEAN, pair_key VARCHAR, num_mentions INTEGER, num_sources INTEGER,
    num_articles INTEGER, first_seen DATE, last_seen DATE, rule VARCHAR
);
CREATE TABLE IF NOT EXISTS mentions (
    cluster_id VARCHAR, event_id VARCHAR, article_id VARCHAR, source VARCHAR, url VARCHAR,
    date DATE, rule VARCHAR
);
CREATE TABLE IF NOT EXISTS failures (
    run_id VARCHAR, origin VARCHAR, code VARCHAR, message VARCHAR, recorded_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS runs (
    id VARCHAR, started TIMESTAMP, finished TIMESTAMP, inputs VARCHAR, articles_new BIGINT,
    articles_skipped BIGINT, events BIGINT, failures BIGINT, status VARCHAR
);
"""

# (name, SQL). Never edit or reorder an applied migration: add a new one at the end.
MIGRATIONS: tuple[tuple[str, str], ...] = (
    ("001_initial", _MIGRATION_001),
)
# No secondary indexes, on purpose: DuckDB keeps ART indexes in memory (a bucket index over
# article_bands cost ~2.5 kB per article, so an ingest's memory grew with the database), and
# the lookups the writer makes (list_contains over a batch's keys) are column scans that an
# index does not speed up. The two primary keys stay: they are the last guard against a
# duplicate article or event.
SCHEMA_VERSION = len(MIGRATIONS)

# DuckDB caches table blocks up to its memory limit, 80% of RAM by default: a long ingest's
# memory would grow with the database. 1 GB holds every working set of the writer and the
# readers (larger aggregates spill to disk); $POLYBIUS_DB_MEMORY or memory_limit= change it.
DEFAULT_MEMORY_LIMIT = "1GB"
# DuckDB files carry "DUCK" at byte 8 of their first header block.
_DUCKDB_MAGIC = b"DUCK"

# DuckDB's file: a 4 KiB main header, then two 4 KiB database headers (the one with the higher
# iteration is current), then the blocks. A database header holds, after its checksum:
# iteration, meta block, free list, block count, block allocation size (little-endian u64);
# a block pointer keeps the block id in its low 56 bits. The blocks past the last used one
# may be trimmed away, so only the blocks the header points to must be in the file.
_DUCKDB_HEADER = 4096
_NO_BLOCK = (1 << 64) - 1
_BLOCK_ID = (1 << 56) - 1


def _duckdb_size(head: bytes) -> int | None:
    """The size a DuckDB file must have at least: up to the metadata and free-list blocks
    its current header points to (None when the header cannot be read)."""
    import struct

    best: tuple[int, int] | None = None
    for offset in (_DUCKDB_HEADER, 2 * _DUCKDB_HEADER):
        if len(head) < offset + 48:
            return None
        _checksum, iteration, meta, free, blocks, block_size = struct.unpack_from("<6Q", head, offset)
        if block_size == 0 or block_size > 1 << 30 or blocks > 1 << 40:
            continue  # a header never written (all ones) or not of this layout
        pointed = [p & _BLOCK_ID for p in (meta, free) if p != _NO_BLOCK]
        needed = 3 * _DUCKDB_HEADER + (max(pointed) + 1) * block_size if pointed else 0
        if best is None or iteration > best[0]:
            best = (iteration, needed)
    return best[1] if best is not None else None

# What the "clusters.rule" column says about every cluster (the per-event rule is in mentions).
CLUSTER_RULE = "dyad(symmetric types: either direction) + same PLOVER or CAMEO root + dates <= 2 days + same or unknown place country; near-copies join their original"


def default_path() -> Path:
    """$POLYBIUS_DB, else the user's data directory (platformdirs) / polybius.duckdb."""
    env = os.environ.get("POLYBIUS_DB")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("polybius")) / "polybius.duckdb"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True, slots=True)
class BatchResult:
    articles_new: int
    articles_skipped: int
    events: int
    near_dups: int
    clusters_new: int


# How long an open waits for another process to let go of the DuckDB file: a writer's batch
# commit or a reader's query takes milliseconds to a second; past this the holder is not
# between batches but busy for good, and the caller hears E061.
LOCK_WAIT_SECONDS = 10.0


class _WriterLocks:
    """Process-wide writer locks: one flock per database file, shared by this process's Stores.

    flock conflicts between two descriptors of one process too, so the lock is counted per
    path; DuckDB itself shares one database instance per path within a process.
    """

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._held: dict[str, tuple[int, int]] = {}  # path -> (fd, count)

    def acquire(self, path: Path) -> None:
        key = str(path.resolve())
        with self._mutex:
            if key in self._held:
                fd, count = self._held[key]
                self._held[key] = (fd, count + 1)
                return
            try:
                fd = os.open(key + ".lock", os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as err:
                raise StoreError("E060", path=path, detail=f"cannot create its lock file: {err}") from err
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as err:
                os.close(fd)
                raise StoreError("E061", path=path) from err
            self._held[key] = (fd, 1)

    def release(self, path: Path) -> None:
        key = str(path.resolve())
        with self._mutex:
            if key not in self._held:
                return
            fd, count = self._held[key]
            if count > 1:
                self._held[key] = (fd, count - 1)
                return
            del self._held[key]
            os.close(fd)  # closing the descriptor drops the flock


_WRITER_LOCKS = _WriterLocks()


class Store:
    """A Polybius database. One writing process at a time; readers open it between writes."""

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        read_only: bool = False,
        memory_limit: str | None = None,
        lock_wait: float = LOCK_WAIT_SECONDS,
    ) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.read_only = read_only
        self.memory_limit = memory_limit or os.environ.get("POLYBIUS_DB_MEMORY") or DEFAULT_MEMORY_LIMIT
        self.lock_wait = lock_wait
        self._con: duckdb.DuckDBPyConnection | None = None
        self._writer = False
        self._closed = False
        self._check_file()
        if not read_only:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise StoreError("E060", path=self.path, detail=str(err)) from err
            _WRITER_LOCKS.acquire(self.path)
            self._writer = True
        try:
            self._con = self._connect_waiting()
            self._migrate()
            self._seq = self._max_seq()
        except BaseException:
            with suppress(StoreError):  # the error that stopped the open is the one to report
                self.close()
            raise

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The DuckDB connection, reopened (waiting for readers) after :meth:`release`."""
        if self._con is None:
            if self._closed:
                raise StoreError("E060", path=self.path, detail="the store is closed")
            self._con = self._connect_waiting()
        return self._con

    def _connect_waiting(self) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + self.lock_wait
        delay = 0.02
        while True:
            try:
                return self._connect()
            except StoreError as err:
                if err.code != "E061" or time.monotonic() >= deadline:
                    raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)

    # -- opening ---------------------------------------------------------------------------

    def _check_file(self) -> None:
        """Refuse a file that is not a DuckDB database before DuckDB can touch it."""
        if not self.path.exists():
            if self.read_only:
                raise StoreError("E060", path=self.path, detail="no such file")
            return
        if self.path.is_dir():
            raise StoreError("E060", path=self.path, detail="it is a directory")
        try:
            with self.path.open("rb") as fh:
                head = fh.read(3 * _DUCKDB_HEADER)
            size = self.path.stat().st_size
        except OSError as err:
            raise StoreError("E060", path=self.path, detail=str(err)) from err
        if len(head) < 12 or head[8:12] != _DUCKDB_MAGIC:
            detail = "empty file" if not head else "not a DuckDB file"
            raise StoreError("E063", path=self.path, detail=detail)
        needed = _duckdb_size(head)
        if needed is not None and size < needed:
            # A file cut short (a copy or a disk that failed) keeps a valid header and opens,
            # and the first query of a missing block fails half-way through a write.
            raise StoreError(
                "E063", path=self.path, detail=f"truncated: {size} bytes, its header needs {needed}"
            )

    def _connect(self) -> duckdb.DuckDBPyConnection:
        import duckdb

        if not self.read_only:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise StoreError("E060", path=self.path, detail=str(err)) from err
        try:
            return duckdb.connect(
                str(self.path), read_only=self.read_only, config={"memory_limit": self.memory_limit}
            )
        except duckdb.IOException as err:
            text = str(err)
            if "lock" in text.lower():
                raise StoreError("E061", path=self.path) from err
            if "not a valid duckdb" in text.lower() or "database file" in text.lower():
                raise StoreError("E063", path=self.path, detail=text.splitlines()[0]) from err
            raise StoreError("E060", path=self.path, detail=text.splitlines()[0]) from err
        except duckdb.Error as err:
            first = str(err).splitlines()[0] if str(err) else type(err).__name__
            if "version" in first.lower() or "serializ" in first.lower() or "corrupt" in first.lower():
                raise StoreError("E063", path=self.path, detail=first) from err
            raise StoreError("E060", path=self.path, detail=first) from err

    def _tables(self) -> set[str]:
        rows = self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall()
        return {r[0] for r in rows}

    def _migrate(self) -> None:
        import duckdb

        try:
            tables = self._tables()
            if tables and "schema_migrations" not in tables:
                raise StoreError("E063", path=self.path, detail=f"unknown tables {sorted(tables)[:5]}")
            applied: set[str] = set()
            if "schema_migrations" in tables:
                applied = {r[0] for r in self.con.execute("SELECT name FROM schema_migrations").fetchall()}
            known = {name for name, _ in MIGRATIONS}
            if applied - known:
                raise StoreError("E064", path=self.path, found=len(applied), known=SCHEMA_VERSION)
            pending = [(n, sql) for n, sql in MIGRATIONS if n not in applied]
            if not pending:
                return
            if self.read_only:
                raise StoreError(
                    "E060", path=self.path, detail="schema needs upgrading; open it once for writing"
                )
            self.con.execute("BEGIN TRANSACTION")
            self.con.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)"
            )
            for name, sql in pending:
                self.con.execute(sql)
                self.con.execute("INSERT INTO schema_migrations VALUES (?, ?)", [name, _now()])
                log.info("applied migration %s to %s", name, self.path)
            self.con.execute("COMMIT")
        except duckdb.Error as err:
            self._rollback()
            raise StoreError("E063", path=self.path, detail=str(err).splitlines()[0]) from err

    def _max_seq(self) -> int:
        row = self.con.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()
        return int(row[0]) if row else 0

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        self._closed = True
        try:
            self.release()
        finally:
            if self._writer:
                _WRITER_LOCKS.release(self.path)
                self._writer = False

    def release(self) -> None:
        """Let go of the DuckDB file until the next operation, keeping the writer lock.

        Ingest calls this between batches so that readers in other processes get a turn. A
        writer checkpoints first, so that a full disk is reported (E062) here rather than
        found later in a write-ahead log that never made it into the file.
        """
        if self._con is None:
            return
        import duckdb

        con, self._con = self._con, None
        try:
            if self._writer:
                con.execute("CHECKPOINT")
        except duckdb.Error as err:
            raise StoreError("E062", path=self.path, detail=str(err).splitlines()[0]) from err
        finally:
            con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "read-write"
        return f"Store({str(self.path)!r}, {mode})"

    # -- writing ---------------------------------------------------------------------------

    def _rollback(self) -> None:
        import duckdb

        with suppress(duckdb.Error):  # no transaction open: nothing to undo
            self.con.execute("ROLLBACK")

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        import duckdb

        self._require_writable()
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
            self.con.execute("COMMIT")
        except duckdb.Error as err:
            self._rollback()
            raise StoreError("E062", path=self.path, detail=str(err).splitlines()[0]) from err
        except BaseException:
            self._rollback()
            raise

    def _require_writable(self) -> None:
        if self.read_only:
            raise StoreError("E062", path=self.path, detail="the store was opened read-only")

    def add(self, coded: CodedArticle, *, run_id: str | None = None) -> bool:
        """Store one coded article; False (and nothing changed) if its id is already stored."""
        return self.add_batch([coded], run_id=run_id).articles_new == 1

    def add_batch(
        self,
        batch: Sequence[CodedArticle],
        *,
        run_id: str | None = None,
        failures: Sequence[Failure] = (),
    ) -> BatchResult:
        """Store a batch in ONE transaction: all of it, or (on any error) none of it.

        Articles already stored, and repeats within the batch, are skipped. Near-copies and
        event clusters are computed here, against what is stored (see :mod:`polybius.dedup`).
        """
        with self._transaction():
            result = self._write_batch(batch, run_id, failures)
        self._seq += result.articles_new
        return result

    def _write_batch(
        self, batch: Sequence[CodedArticle], run_id: str | None, failures: Sequence[Failure]
    ) -> BatchResult:
        from polybius import dedup

        stored = self.has_articles([c.article.id for c in batch])
        fresh: list[CodedArticle] = []
        seen: set[str] = set()
        for coded in batch:
            aid = coded.article.id
            if aid in stored or aid in seen:
                continue
            seen.add(aid)
            fresh.append(coded)
        now = _now()
        if failures:
            self._insert(
                "failures",
                ("run_id", "origin", "code", "message", "recorded_at"),
                [(run_id, f.origin, f.code, f.message, now) for f in failures],
            )
        skipped = len(batch) - len(fresh)
        if not fresh:
            return BatchResult(0, skipped, 0, 0, 0)

        signatures = [dedup.minhash(c.article.text) for c in fresh]
        near_of = self._near_copies(fresh, signatures)
        seq0 = self._seq
        article_rows = []
        band_rows: list[tuple[Any, ...]] = []
        for i, (coded, sig) in enumerate(zip(fresh, signatures, strict=True)):
            a = coded.article
            article_rows.append(
                (a.id, a.source_id, a.source, a.url, a.title, a.author, a.published,
                 a.dateline_place, a.language, a.text, sig, near_of.get(a.id), a.origin,
                 run_id, now, seq0 + i + 1)
            )  # fmt: skip
            if sig is not None:
                band_rows.extend((band, bucket, a.id) for band, bucket in dedup.band_keys(sig))
        self._insert("articles", _ARTICLE_COLUMNS, article_rows)
        if band_rows:
            self._insert("article_bands", ("band", "bucket", "article_id"), band_rows)

        assignments, new_clusters = self._cluster(fresh, near_of)
        event_rows = []
        mention_rows = []
        n_events = 0
        for i, coded in enumerate(fresh):
            a = coded.article
            for event in coded.events:
                cluster_id, rule = assignments[event.id]
                n_events += 1
                event_rows.append(_event_row(event, cluster_id, seq0 + i + 1))
                mention_rows.append((cluster_id, event.id, a.id, a.source, a.url, a.published or event.date, rule))
        if event_rows:
            self._insert("events", _EVENT_COLUMNS, event_rows)
            self._insert(
                "mentions", ("cluster_id", "event_id", "article_id", "source", "url", "date", "rule"), mention_rows
            )
        if new_clusters:
            self._insert(
                "clusters",
                ("id", "event_id", "date", "actor_country", "recipient_country", "plover", "cameo",
                 "cameo_root", "quad_class", "goldstein", "loc_country", "negated", "hypothetical",
                 "pair_key", "num_mentions", "num_sources", "num_articles", "first_seen",
                 "last_seen", "rule"),
                new_clusters,
            )  # fmt: skip
        touched = sorted({cid for cid, _ in assignments.values()})
        if touched:
            self._refresh_clusters(touched)
        return BatchResult(len(fresh), skipped, n_events, len(near_of), len(new_clusters))

    def _insert(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        """Bulk insert through Arrow (executemany is row-at-a-time in DuckDB)."""
        import pyarrow as pa

        arrays = list(zip(*rows, strict=True))
        schema = self._arrow_schema(table, columns)
        data = pa.table([pa.array(col, type=schema.field(name).type) for name, col in zip(columns, arrays, strict=True)], schema=schema)
        self.con.register("_polybius_rows", data)
        try:
            names = ", ".join(columns)
            self.con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM _polybius_rows")  # noqa: S608 - fixed names
        finally:
            self.con.unregister("_polybius_rows")

    _SCHEMAS: dict[str, Any] = {}

    def _arrow_schema(self, table: str, columns: Sequence[str]) -> Any:
        import pyarrow as pa

        key = table + ":" + ",".join(columns)
        schema = self._SCHEMAS.get(key)
        if schema is None:
            types = {
                "VARCHAR": pa.string(), "JSON": pa.string(), "DATE": pa.date32(),
                "TIMESTAMP": pa.timestamp("us"), "BIGINT": pa.int64(), "INTEGER": pa.int32(),
                "SMALLINT": pa.int16(), "TINYINT": pa.int8(), "DOUBLE": pa.float64(),
                "BOOLEAN": pa.bool_(), "BLOB": pa.binary(), "VARCHAR[]": pa.list_(pa.string()),
            }  # fmt: skip
            rows = self.con.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?",
                [table],
            ).fetchall()
            declared = dict(rows)
            schema = pa.schema([(c, types[declared[c]]) for c in columns])
            self._SCHEMAS[key] = schema
        return schema

    def _near_copies(self, fresh: Sequence[CodedArticle], signatures: Sequence[bytes | None]) -> dict[str, str]:
        """article id -> id of the first stored (or earlier in batch) near-copy."""
        from polybius import dedup

        keys: dict[tuple[int, int], list[int]] = {}
        for i, sig in enumerate(signatures):
            if sig is not None:
                for key in dedup.band_keys(sig):
                    keys.setdefault(key, []).append(i)
        if not keys:
            return {}
        buckets = sorted({bucket for _, bucket in keys})
        rows = self.con.execute(
            "SELECT b.band, b.bucket, a.id, a.minhash, a.near_dup_of, a.seq FROM article_bands b "
            "JOIN articles a ON a.id = b.article_id WHERE list_contains(?, b.bucket)",
            [buckets],
        ).fetchall()
        stored: dict[int, dict[str, tuple[bytes, str | None, int]]] = {}
        for band, bucket, aid, sig, near, seq in rows:
            for i in keys.get((band, bucket), ()):
                stored.setdefault(i, {})[aid] = (bytes(sig), near, seq)
        result: dict[str, str] = {}
        for i, coded in enumerate(fresh):
            sig = signatures[i]
            if sig is None:
                continue
            best: tuple[int, str] | None = None  # (order, root id): the earliest original wins
            for aid, (other, near, seq) in sorted(stored.get(i, {}).items()):
                if dedup.estimated_jaccard(sig, other) >= dedup.NEAR_DUP_THRESHOLD:
                    cand = (seq, near or aid)
                    best = cand if best is None or cand < best else best
            if best is None:  # earlier in this batch
                for j in range(i):
                    other_sig = signatures[j]
                    if other_sig is None or fresh[j].article.id == coded.article.id:
                        continue
                    if set(dedup.band_keys(sig)) & set(dedup.band_keys(other_sig)) and (
                        dedup.estimated_jaccard(sig, other_sig) >= dedup.NEAR_DUP_THRESHOLD
                    ):
                        other_id = fresh[j].article.id
                        best = (self._seq + j + 1, result.get(other_id, other_id))
                        break
            if best is not None:
                result[coded.article.id] = best[1]
        return result

    def _cluster(
        self, fresh: Sequence[CodedArticle], near_of: dict[str, str]
    ) -> tuple[dict[str, tuple[str, str]], list[tuple[Any, ...]]]:
        """event id -> (cluster id, rule), and the rows of the clusters this batch creates."""
        from polybius import dedup

        dated = [e.date for c in fresh for e in c.events if e.date is not None]
        pairs = sorted({dedup.pair_key(*_countries(e)) for c in fresh for e in c.events})
        index = dedup.ClusterIndex()
        if dated and pairs:
            low = min(dated) - timedelta(days=dedup.CLUSTER_DAYS)
            high = max(dated) + timedelta(days=dedup.CLUSTER_DAYS)
            rows = self.con.execute(
                "SELECT id, date, actor_country, recipient_country, plover, cameo, loc_country, "
                "negated, hypothetical FROM clusters WHERE list_contains(?, pair_key) "
                "AND date BETWEEN ? AND ? ORDER BY id",
                [pairs, low, high],
            ).fetchall()
            for cid, day, actor, recipient, plover, cameo, place, negated, hypothetical in rows:
                index.add(dedup.ClusterCandidate(cid, day, actor, recipient, plover, cameo, place,
                                                 negated=bool(negated), hypothetical=bool(hypothetical)))  # fmt: skip
        # Originals of near-copies: their events' clusters, stored or earlier in this batch.
        originals: dict[str, list[tuple[str, str, str | None, str | None]]] = {}
        wanted = sorted(set(near_of.values()))
        if wanted:
            for aid, cid, cameo, a, r in self.con.execute(
                "SELECT article_id, cluster_id, cameo, actor_country, recipient_country FROM events "
                "WHERE list_contains(?, article_id) ORDER BY seq, sentence_index, id",
                [wanted],
            ).fetchall():
                originals.setdefault(aid, []).append((cid, cameo, a, r))
        assignments: dict[str, tuple[str, str]] = {}
        new_rows: list[tuple[Any, ...]] = []
        for coded in fresh:
            article = coded.article
            original = near_of.get(article.id)
            mine: list[tuple[str, str, str | None, str | None]] = []
            for event in coded.events:
                if event.id in assignments:
                    continue
                found: tuple[str, str] | None = None
                if original is not None:
                    cid = dedup.near_copy_match(event, originals.get(original, ()))
                    if cid is not None:
                        found = (cid, f"near-copy of {original}")
                if found is None:
                    hit = index.find(event)
                    if hit is not None:
                        found = (hit[0].id, hit[1])
                if found is None:
                    cluster = index.new_cluster(event)
                    found = (cluster.id, "first report")
                    new_rows.append(_cluster_row(cluster, event))
                assignments[event.id] = found
                mine.append((found[0], event.cameo, *_countries(event)))
            originals.setdefault(article.id, mine)
        return assignments, new_rows

    def _refresh_clusters(self, cluster_ids: list[str]) -> None:
        self.con.execute(
            """
            UPDATE clusters SET num_mentions = agg.n, num_sources = agg.s, num_articles = agg.a,
                first_seen = agg.first_seen, last_seen = agg.last_seen
            FROM (
                SELECT cluster_id, count(*) AS n, count(DISTINCT source) AS s,
                       count(DISTINCT article_id) AS a, min(date) AS first_seen,
                       max(date) AS last_seen
                FROM mentions WHERE list_contains(?, cluster_id) GROUP BY cluster_id
            ) AS agg
            WHERE clusters.id = agg.cluster_id
            """,
            [cluster_ids],
        )

    def record_failure(self, failure: Failure, *, run_id: str | None = None) -> None:
        with self._transaction():
            self.con.execute(
                "INSERT INTO failures VALUES (?, ?, ?, ?, ?)",
                [run_id, failure.origin, failure.code, failure.message, _now()],
            )

    def start_run(self, inputs: Iterable[str] = ()) -> str:
        """Record the start of an ingest run; returns its id."""
        import uuid

        run_id = "run_" + uuid.uuid4().hex[:12]
        with self._transaction():
            # This process holds the writer lock, so a run still marked running was killed.
            self.con.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'")
            self.con.execute(
                "INSERT INTO runs VALUES (?, ?, NULL, ?, 0, 0, 0, 0, 'running')",
                [run_id, _now(), canonical_json(list(inputs))],
            )
        return run_id

    def finish_run(
        self,
        run_id: str,
        *,
        articles_new: int = 0,
        articles_skipped: int = 0,
        events: int = 0,
        failures: int = 0,
        status: str = "done",
    ) -> None:
        with self._transaction():
            self.con.execute(
                "UPDATE runs SET finished = ?, articles_new = ?, articles_skipped = ?, events = ?, "
                "failures = ?, status = ? WHERE id = ?",
                [_now(), articles_new, articles_skipped, events, failures, status, run_id],
            )

    # -- reading ---------------------------------------------------------------------------

    def has_articles(self, ids: Iterable[str]) -> set[str]:
        """The subset of ``ids`` already stored."""
        wanted = sorted(set(ids))
        if not wanted:
            return set()
        rows = self.con.execute("SELECT id FROM articles WHERE list_contains(?, id)", [wanted]).fetchall()
        return {r[0] for r in rows}

    def events(
        self,
        *,
        country: str | None = None,
        dyad: tuple[str, str] | None = None,
        directed: bool = False,
        plover: str | None = None,
        root: str | None = None,
        cameo: str | None = None,
        since: date | str | None = None,
        until: date | str | None = None,
        source_id: str | None = None,
        article_id: str | None = None,
        cluster_id: str | None = None,
        after: str | None = None,
        limit: int | None = None,
        with_cluster: bool = False,
    ) -> list[dict[str, Any]]:
        """Stored events as v1 dicts (exactly what Event.to_dict gave), in event id order.

        ``country``: actor or recipient. ``dyad=(A, B)``: between A and B, either direction
        unless ``directed``. ``since``/``until``: inclusive dates. ``after``: a cursor, the
        last id of the previous page. ``with_cluster`` adds ``cluster_id`` to each record.
        """
        import json

        where, params = _event_filters(
            country=country, dyad=dyad, directed=directed, plover=plover, root=root, cameo=cameo,
            since=since, until=until, source_id=source_id, article_id=article_id,
            cluster_id=cluster_id, after=after,
        )  # fmt: skip
        sql = "SELECT record, cluster_id FROM events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY id"
        if limit is not None:
            if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
                raise StoreError("E066", name="limit", value=limit, detail="expected a whole number >= 0")
            sql += " LIMIT ?"
            params.append(limit)
        out = []
        for record, cid in self._fetch(sql, params):
            d = json.loads(record)
            if with_cluster:
                d["cluster_id"] = cid
            out.append(d)
        return out

    def clusters(self, *, limit: int | None = None, min_articles: int = 1) -> list[dict[str, Any]]:
        """Event clusters, biggest first (num_articles, then id)."""
        sql = "SELECT * FROM clusters WHERE num_articles >= ? ORDER BY num_articles DESC, id"
        params: list[Any] = [min_articles]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        cursor = self._execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def article(self, article_id: str) -> dict[str, Any] | None:
        cursor = self._execute(
            "SELECT id, source_id, source, url, title, author, published, dateline_place, language, "
            "text, near_dup_of, origin, run_id FROM articles WHERE id = ?",
            [article_id],
        )
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cursor.description], row, strict=True))

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[tuple[Any, ...]]:
        """Run SQL with bound parameters and return the rows (use a read-only store to be safe)."""
        return self._fetch(sql, params)

    def query_df(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> pd.DataFrame:
        return self._execute(sql, params).df()

    def query_arrow(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        return self._execute(sql, params).to_arrow_table()

    def counts(self) -> dict[str, int]:
        """Row counts per table, plus near-copy articles."""
        out = {}
        for table in ("articles", "events", "clusters", "mentions", "failures", "runs"):
            out[table] = int(self._fetch(f"SELECT count(*) FROM {table}")[0][0])  # noqa: S608 - fixed names
        out["near_dups"] = int(self._fetch("SELECT count(*) FROM articles WHERE near_dup_of IS NOT NULL")[0][0])
        return out

    def _execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> duckdb.DuckDBPyConnection:
        import duckdb

        if self.con is None:
            raise StoreError("E065", path=self.path, detail="the store is closed")
        try:
            return self.con.execute(sql, params)
        except duckdb.Error as err:
            raise StoreError("E065", path=self.path, detail=str(err).splitlines()[0]) from err

    def _fetch(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[tuple[Any, ...]]:
        return self._execute(sql, params).fetchall()


def _countries(event: Event) -> tuple[str | None, str | None]:
    return (event.actor.country if event.actor else None, event.recipient.country if event.recipient else None)


def filter_date(name: str, value: date | str | None) -> date | None:
    """A filter date: a date, YYYY-MM-DD, or empty; E066 naming the filter otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as err:
        raise StoreError("E066", name=name, value=value, detail="expected YYYY-MM-DD") from err


def _event_filters(**f: Any) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if f["country"]:
        where.append("(actor_country = ? OR recipient_country = ?)")
        params += [f["country"], f["country"]]
    if f["dyad"]:
        try:
            a, b = f["dyad"]
        except (TypeError, ValueError) as err:
            raise StoreError("E066", name="dyad", value=f["dyad"], detail="expected two country codes") from err
        if f["directed"]:
            where.append("(actor_country = ? AND recipient_country = ?)")
            params += [a, b]
        else:
            where.append("((actor_country = ? AND recipient_country = ?) OR (actor_country = ? AND recipient_country = ?))")
            params += [a, b, b, a]
    for name, column in (("plover", "plover"), ("source_id", "source_id"), ("article_id", "article_id"),
                         ("cluster_id", "cluster_id"), ("cameo", "cameo")):  # fmt: skip
        if f[name] is not None:
            where.append(f"{column} = ?")
            params.append(f[name])
    if f["root"] is not None:
        root = str(f["root"])
        if not (root.isdigit() and len(root) <= 2):
            raise StoreError("E066", name="root", value=f["root"], detail="expected a CAMEO root 01-20")
        where.append("cameo_root = ?")
        params.append(root.zfill(2))
    if f["since"] is not None:
        where.append("date >= ?")
        params.append(filter_date("since", f["since"]))
    if f["until"] is not None:
        where.append("date <= ?")
        params.append(filter_date("until", f["until"]))
    if f["after"] is not None:
        where.append("id > ?")
        params.append(str(f["after"]))
    return where, params


def _event_row(event: Event, cluster_id: str, seq: int) -> tuple[Any, ...]:
    actor, recipient, place, ev = event.actor, event.recipient, event.location, event.evidence

    def side(a: Any) -> tuple[Any, ...]:
        if a is None:
            return (None,) * 6
        return (a.name, a.text, a.country, list(a.sectors), a.role, a.code)

    return (
        event.id, event.article_id, event.source_id, event.date, event.date_precision, event.date_basis,
        *side(actor), *side(recipient),
        event.plover, event.mode, list(event.contexts), event.cameo, event.cameo[:2],
        event.quad_class, event.goldstein,
        *((place.name, place.country, place.admin1, place.lat, place.lon, place.geonameid,
           place.precision, place.basis) if place else (None,) * 8),
        ev.sentence_index, ev.start, ev.end, ev.text, ev.trigger, ev.trigger_start, ev.trigger_end,
        event.confidence, event.negated, event.hypothetical, event.coder,
        canonical_json(event.to_dict()), cluster_id, seq,
    )  # fmt: skip


def _cluster_row(cluster: Any, event: Event) -> tuple[Any, ...]:
    from polybius import dedup

    return (
        cluster.id, event.id, cluster.date, cluster.actor_country, cluster.recipient_country,
        cluster.plover, cluster.cameo, cluster.cameo[:2], event.quad_class, event.goldstein,
        cluster.loc_country, cluster.negated, cluster.hypothetical,
        dedup.pair_key(cluster.actor_country, cluster.recipient_country), 0, 0, 0, None, None,
        CLUSTER_RULE,
    )  # fmt: skip
