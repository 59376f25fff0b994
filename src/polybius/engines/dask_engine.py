"""The Dask engine: code partitions of the input on a Dask cluster, store with one writer.

::

    inputs -> partitions (whole files, or byte ranges of a JSON Lines file)
           -> one Dask task per partition: read, code (a Coder built once per worker process),
              write  PARQUET_DIR/articles/part-NNNNN.parquet  (the articles)
                     PARQUET_DIR/events/part-NNNNN.parquet    (article_id, position, record:
                                                               the v1 JSON record)
           -> the parent loads the partitions in input order into the Store (batch
              transactions, the same dedup and clustering as the local engine).

The database therefore comes out the same as with ``polybius ingest --engine local``: same
article ids, event ids, near-copies and clusters. A cluster is ``LocalCluster`` (processes,
two workers) unless a scheduler address is given; with a remote cluster, ``parquet_dir`` must
be a folder that the workers and this process both see (a shared file system).

Unlike the local engine, the workers do not know what the store holds, so a rerun re-codes
the input; the store still skips every stored article, so the result is idempotent.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from polybius.errors import EngineError, InputError, PolybiusError
from polybius.ingest import (
    DEFAULT_BATCH_SIZE,
    CoderLike,
    CoderSpec,
    IngestSummary,
    _finish,
    build_coder,
    code_batch,
)
from polybius.read import expand_paths, file_suffix
from polybius.records import Article, CodedArticle, Event, Failure

if TYPE_CHECKING:
    from polybius.store import Store

__all__ = ["Partition", "code_partition", "ingest_dask", "load_partition", "partition_inputs"]

log = logging.getLogger(__name__)

# A JSON Lines file is cut into byte ranges of about this size: ~1,500 stories of ~400 words,
# a minute or so of coding per task, so scheduling overhead stays small and the work spreads.
PARTITION_BYTES = 4 * 1024 * 1024
# Other files (one story per file) are grouped this many to a task.
FILES_PER_PARTITION = 200
# How long to try to reach a given scheduler before E091.
CONNECT_TIMEOUT = "10s"
_JSONL = (".jsonl", ".ndjson")


@dataclass(frozen=True, slots=True)
class Partition:
    """Whole ``files``, or the lines of ``files[0]`` that start in bytes [start, end)."""

    index: int
    files: tuple[str, ...]
    start: int = 0
    end: int = -1  # -1: whole files

    @property
    def is_range(self) -> bool:
        return self.end >= 0


def partition_inputs(
    inputs: Iterable[str | Path],
    *,
    partition_bytes: int = PARTITION_BYTES,
    files_per_partition: int = FILES_PER_PARTITION,
) -> tuple[list[Partition], list[Failure]]:
    """Cut the inputs into partitions, in input order; missing inputs are Failures (E001)."""
    parts: list[Partition] = []
    failures: list[Failure] = []
    group: list[str] = []

    def flush() -> None:
        if group:
            parts.append(Partition(len(parts), tuple(group)))
            group.clear()

    for raw in inputs:
        spec = str(raw)
        if spec == "-":
            raise EngineError("E095", detail="the Dask engine cannot read standard input; use --engine local")
        files = expand_paths(spec)
        if files is None:
            failures.append(Failure("E001", str(InputError("E001", path=spec)), spec))
            continue
        for path in files:
            size = path.stat().st_size
            if file_suffix(path) in _JSONL and size > partition_bytes:
                flush()
                for start in range(0, size, partition_bytes):
                    parts.append(Partition(len(parts), (str(path),), start, min(start + partition_bytes, size)))
            else:
                group.append(str(path))
                if len(group) >= files_per_partition:
                    flush()
    flush()
    return parts, failures


def _read_range(part: Partition, *, date: date | None) -> Iterator[Article | Failure]:
    """The JSON lines that *start* in [start, end): each line belongs to exactly one range."""
    import json

    from polybius.read import DEFAULT_LIMITS, article_from_record

    path = part.files[0]
    with open(path, "rb") as fh:
        number = 0
        if part.start > 0:
            # Count the lines before the range (for file:line origins), then skip the line the
            # previous range owns (the one that started before our first byte).
            remaining = part.start - 1
            while remaining > 0:
                chunk = fh.read(min(remaining, 1 << 20))
                if not chunk:
                    break
                number += chunk.count(b"\n")
                remaining -= len(chunk)
            if fh.read(1) != b"\n":
                fh.readline()
                number += 1
            else:
                number += 1
        while fh.tell() < part.end:
            line = fh.readline(DEFAULT_LIMITS.max_line_bytes + 1)
            if not line:
                return
            number += 1
            origin = f"{path}:{number}"
            if not line.strip():
                continue
            try:
                try:
                    record = json.loads(line)
                except (json.JSONDecodeError, UnicodeDecodeError) as err:
                    detail = f"{err.msg} at column {err.colno}" if isinstance(err, json.JSONDecodeError) else str(err)
                    raise InputError("E005", detail=detail, where=origin) from err
                yield article_from_record(record, origin=origin, date=date)
            except PolybiusError as err:
                yield Failure(err.code, str(err), origin)


def _read_partition(part: Partition, *, date: date | None, encoding: str | None) -> Iterator[Article | Failure]:
    if part.is_range:
        yield from _read_range(part, date=date)
    else:
        from polybius.read import read_paths

        yield from read_paths(list(part.files), date=date, encoding=encoding)


_CODERS: dict[CoderSpec, CoderLike] = {}


def _coder_for(spec: CoderSpec) -> CoderLike:
    """One coder per worker process (and spec): the model is loaded once, not per task."""
    coder = _CODERS.get(spec)
    if coder is None:
        coder = _CODERS[spec] = build_coder(spec)
    return coder


def code_partition(
    part: Partition,
    *,
    spec: CoderSpec,
    out_dir: str,
    date: date | None = None,
    encoding: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> dict[str, Any]:
    """The Dask task: read and code one partition, write its Parquet files, return counts."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from polybius.records import canonical_json

    coder = _coder_for(spec)
    article_rows: list[dict[str, Any]] = []
    event_rows: list[dict[str, Any]] = []
    failures: list[Failure] = []
    pending: list[Article] = []

    def flush() -> None:
        coded, failed = code_batch(coder, pending)
        failures.extend(failed)
        for item in coded:
            position = len(article_rows)
            article_rows.append({"position": position, **item.article.to_dict(), "origin": item.article.origin})
            for event in item.events:
                event_rows.append({"article_id": item.article.id, "position": position,
                                   "record": canonical_json(event.to_dict())})  # fmt: skip
        pending.clear()

    for item in _read_partition(part, date=date, encoding=encoding):
        if isinstance(item, Failure):
            failures.append(item)
            continue
        pending.append(item)
        if len(pending) >= batch_size:
            flush()
    flush()
    name = f"part-{part.index:05d}.parquet"
    for folder, rows, schema in (("articles", article_rows, _ARTICLE_SCHEMA), ("events", event_rows, _EVENT_SCHEMA)):
        target = Path(out_dir) / folder
        target.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pylist(rows, schema=schema()) if rows else schema().empty_table()
        pq.write_table(table, target / name)
    return {
        "index": part.index,
        "articles": len(article_rows),
        "events": len(event_rows),
        "failures": [f.to_dict() for f in failures],
    }


def _ARTICLE_SCHEMA() -> Any:  # noqa: N802 - a schema constant built lazily (pyarrow is heavy)
    import pyarrow as pa

    text = pa.string()
    return pa.schema([
        ("position", pa.int64()), ("id", text), ("source_id", text), ("source", text), ("url", text),
        ("title", text), ("author", text), ("published", text), ("dateline_place", text),
        ("language", text), ("text", text), ("origin", text),
    ])  # fmt: skip


def _EVENT_SCHEMA() -> Any:  # noqa: N802
    import pyarrow as pa

    return pa.schema([("article_id", pa.string()), ("position", pa.int64()), ("record", pa.string())])


def load_partition(out_dir: str | Path, index: int) -> list[CodedArticle]:
    """Rebuild a partition's coded articles from its Parquet files, in input order."""
    import json

    import pyarrow.parquet as pq

    name = f"part-{index:05d}.parquet"
    articles = pq.read_table(Path(out_dir) / "articles" / name).to_pylist()
    events = pq.read_table(Path(out_dir) / "events" / name).to_pylist()
    by_position: dict[int, list[Event]] = {}
    for row in events:
        by_position.setdefault(row["position"], []).append(Event.from_dict(json.loads(row["record"])))
    out = []
    for row in articles:
        published = date.fromisoformat(row["published"]) if row["published"] else None
        article = Article(
            id=row["id"], text=row["text"], source_id=row["source_id"], source=row["source"],
            url=row["url"], title=row["title"], author=row["author"], published=published,
            dateline_place=row["dateline_place"], language=row["language"] or "en",
            origin=row["origin"] or "",
        )  # fmt: skip
        out.append(CodedArticle(article=article, events=tuple(by_position.get(row["position"], ()))))
    return out


def _client(scheduler: str | None, n_workers: int) -> tuple[Any, Any]:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as err:
        raise EngineError("E090") from err
    if scheduler:
        try:
            return Client(scheduler, timeout=CONNECT_TIMEOUT), None
        except (OSError, TimeoutError) as err:
            raise EngineError("E091", address=scheduler, detail=str(err) or type(err).__name__) from err
    if not log.isEnabledFor(logging.INFO):
        # The scheduler runs in this process and logs every worker's arrival at INFO; keep
        # that for -v, not for a plain run.
        logging.getLogger("distributed").setLevel(logging.WARNING)
    cluster = LocalCluster(
        n_workers=n_workers, threads_per_worker=1, processes=True,
        scheduler_kwargs={"dashboard": False}, silence_logs=logging.WARNING,
    )  # fmt: skip
    return Client(cluster), cluster


def ingest_dask(
    inputs: Sequence[str | Path],
    *,
    store: Store,
    coder: CoderSpec | str | None = None,
    scheduler: str | None = None,
    n_workers: int = 2,
    parquet_dir: str | Path | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    partition_bytes: int = PARTITION_BYTES,
    files_per_partition: int = FILES_PER_PARTITION,
    progress: bool = True,
    date: date | None = None,
    encoding: str | None = None,
) -> IngestSummary:
    """Code ``inputs`` on a Dask cluster and load the result into ``store``.

    ``parquet_dir``: where the partitioned Parquet goes (kept); by default a temporary folder
    next to the database, removed once loaded.
    """
    spec = coder if isinstance(coder, CoderSpec) else CoderSpec(factory=coder)
    started = time.perf_counter()
    summary = IngestSummary(engine="dask", workers=n_workers)
    parts, failures = partition_inputs(inputs, partition_bytes=partition_bytes, files_per_partition=files_per_partition)
    keep = parquet_dir is not None
    if parquet_dir is not None:
        out = Path(parquet_dir)
    else:
        out = Path(tempfile.mkdtemp(prefix=".polybius-dask-", dir=store.path.parent))
    summary.run_id = run_id = store.start_run([str(x) for x in inputs])
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(parts), unit=" partitions", desc="ingest (dask)", dynamic_ncols=True)
    client = cluster = None
    try:
        with summary.outcome():
            if failures:
                store.add_batch([], run_id=run_id, failures=failures)
                summary.failures.extend(failures)
            if parts:
                client, cluster = _client(scheduler, n_workers)
                futures = client.map(
                    code_partition, parts, spec=spec, out_dir=str(out), date=date, encoding=encoding,
                    batch_size=batch_size, pure=False,
                )  # fmt: skip
                for part, future in zip(parts, futures, strict=True):  # load in input order
                    try:
                        result = future.result()
                    except PolybiusError:
                        raise
                    except Exception as err:
                        raise EngineError("E092", detail=f"partition {part.index} ({part.files[0]}): {err}") from err
                    _load(store, out, part.index, result, summary, run_id, batch_size)
                    future.release()
                    if bar is not None:
                        bar.update(1)
                        bar.set_postfix(events=summary.events, failures=len(summary.failures), refresh=False)
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
        if bar is not None:
            bar.close()
        if not keep:
            shutil.rmtree(out, ignore_errors=True)
        summary.seconds = time.perf_counter() - started
        _finish(store, summary)
    return summary


def _load(
    store: Store, out: Path, index: int, result: dict[str, Any], summary: IngestSummary, run_id: str, batch_size: int
) -> None:
    coded = load_partition(out, index)
    failures = [Failure(**f) for f in result["failures"]]
    summary.failures.extend(failures)
    summary.articles_read += len(coded)
    for start in range(0, max(len(coded), 1), batch_size):
        chunk = coded[start : start + batch_size]
        written = store.add_batch(chunk, run_id=run_id, failures=failures if start == 0 else ())
        summary.articles_new += written.articles_new
        summary.articles_skipped += written.articles_skipped
        summary.events += written.events
        summary.near_dups += written.near_dups
        summary.clusters_new += written.clusters_new
