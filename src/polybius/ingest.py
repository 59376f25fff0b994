"""Ingest: read -> code -> store, in batches, idempotent and resumable.

::

    inputs --read--> batches of Articles --skip stored ids--> Coder.pipe --> Store.add_batch
                                                  (N worker processes)      (one writer, in
                                                                             input order)

- Articles already in the store (by content id) are skipped *before* they are parsed, so a
  rerun costs little more than reading the input.
- Each batch is written in one transaction; an interrupted run (Ctrl-C, crash, kill -9) has
  stored a prefix of the input in whole batches, and the same command finishes the job.
- With ``workers > 1`` the coding runs in spawned processes that each build their coder
  (and so load the model) once. At most ``2 * workers`` batches are in flight, so memory stays
  flat whatever the corpus size; results are written in input order, so clusters come out
  the same as with one worker.
- One broken document never stops a corpus: read and coding failures are recorded in the
  store (table ``failures``) and returned in the summary.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from polybius.errors import EngineError, PolybiusError
from polybius.records import Article, CodedArticle, Failure

if TYPE_CHECKING:
    from polybius.store import Store

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "CoderLike",
    "CoderSpec",
    "IngestSummary",
    "build_coder",
    "code_batch",
    "ingest",
]

log = logging.getLogger(__name__)

# 64 articles of ~400 words are ~25k tokens: big enough that a transaction's fixed cost is
# noise next to parsing, small enough that an interruption loses seconds of work.
DEFAULT_BATCH_SIZE = 64
# With workers, each batch is coded as this many tasks (see _run_pool).
TASKS_PER_BATCH = 4


class CoderLike(Protocol):
    def pipe(self, articles: Iterable[Article]) -> Iterator[CodedArticle]: ...


@dataclass(frozen=True, slots=True)
class CoderSpec:
    """How a process builds its coder: picklable, so it can travel to workers.

    ``factory``: None (the real :class:`polybius.pipeline.Coder`), ``"module:attr"``,
    ``"path/to/file.py:attr"``, or a picklable callable returning a coder.
    ``actors``: user actor dictionaries (``--actors FILE``) for the real coder.
    """

    factory: str | Callable[..., Any] | None = None
    actors: tuple[str, ...] = ()


def _resolve(factory: str) -> Callable[..., Any]:
    module_name, _, attr = factory.partition(":")
    if not attr:
        raise EngineError("E093", where=factory, detail="expected 'module:attribute'")
    try:
        if module_name.endswith(".py"):
            path = Path(module_name).resolve()
            spec = importlib.util.spec_from_file_location(f"_polybius_coder_{path.stem}", path)
            if spec is None or spec.loader is None:
                raise ImportError(f"cannot load {path}")
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
        else:
            module = importlib.import_module(module_name)
        result: Callable[..., Any] = getattr(module, attr)
        return result
    except (ImportError, AttributeError, OSError) as err:
        raise EngineError("E093", where=factory, detail=f"cannot load the coder ({err})") from err


def build_coder(spec: CoderSpec) -> CoderLike:
    """Build the coder a spec names (loads the model for the real one)."""
    if spec.factory is None:
        from polybius.pipeline import Coder

        if spec.actors:
            return Coder.with_actor_files(list(spec.actors))
        return Coder()
    factory = _resolve(spec.factory) if isinstance(spec.factory, str) else spec.factory
    coder: CoderLike = factory(actors=list(spec.actors)) if spec.actors else factory()
    return coder


@dataclass(slots=True)
class IngestSummary:
    run_id: str | None = None
    engine: str = "local"
    workers: int = 1
    articles_read: int = 0
    articles_new: int = 0
    articles_skipped: int = 0
    events: int = 0
    near_dups: int = 0
    clusters_new: int = 0
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0
    status: str = "done"

    @contextmanager
    def outcome(self) -> Iterator[None]:
        """Mark the run interrupted (Ctrl-C) or failed (any other error) as the error passes."""
        try:
            yield
        except KeyboardInterrupt:
            self.status = "interrupted"
            raise
        except BaseException:
            self.status = "failed"
            raise

    @property
    def articles_per_second(self) -> float:
        return self.articles_new / self.seconds if self.seconds > 0 else 0.0

    @property
    def ok(self) -> bool:
        return not self.failures and self.status == "done"

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "engine": self.engine,
            "workers": self.workers,
            "articles_read": self.articles_read,
            "articles_new": self.articles_new,
            "articles_skipped": self.articles_skipped,
            "events": self.events,
            "near_dups": self.near_dups,
            "clusters_new": self.clusters_new,
            "failures": len(self.failures),
            "seconds": round(self.seconds, 3),
            "articles_per_second": round(self.articles_per_second, 2),
            "status": self.status,
        }


def code_batch(coder: CoderLike, articles: Sequence[Article]) -> tuple[list[CodedArticle], list[Failure]]:
    """Code a batch; if the batch fails, code its articles one by one so only the bad ones fail."""
    if not articles:
        return [], []
    try:
        coded = list(coder.pipe(articles))
        if len(coded) == len(articles):
            return coded, []
        log.warning("coder returned %d results for %d articles; recoding one by one", len(coded), len(articles))
    except Exception as err:  # any coder bug: isolate the article that triggers it
        log.info("batch failed (%s); recoding one by one", err)
    out: list[CodedArticle] = []
    failures: list[Failure] = []
    for article in articles:
        try:
            out.extend(coder.pipe([article]))
        except Exception as err:
            where = article.origin or article.id
            detail = f"{type(err).__name__}: {err}"
            failures.append(Failure("E094", str(EngineError("E094", where=where, detail=detail)), where))
    return out, failures


# -- the batches ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Batch:
    articles: list[Article]
    failures: list[Failure]
    read: int
    skipped: int


def _items(inputs: Iterable[Any], *, date: date | None, encoding: str | None) -> Iterator[Article | Failure]:
    """Articles and Failures in input order; paths are read with polybius.read."""
    pending: list[str] = []

    def flush() -> Iterator[Article | Failure]:
        if pending:
            from polybius.read import read_paths

            yield from read_paths(list(pending), date=date, encoding=encoding)
            pending.clear()

    for item in inputs:
        if isinstance(item, (Article, Failure)):
            yield from flush()
            yield item
        else:
            pending.append(str(item))
    yield from flush()


def _batches(
    items: Iterable[Article | Failure], store: Store, batch_size: int, seen: set[str]
) -> Iterator[_Batch]:
    def make(chunk: list[Article | Failure]) -> _Batch:
        articles = [x for x in chunk if isinstance(x, Article)]
        failures = [x for x in chunk if isinstance(x, Failure)]
        stored = store.has_articles(a.id for a in articles)
        store.release()  # readers in other processes may open the file while this batch is coded
        todo = []
        for article in articles:
            if article.id in stored or article.id in seen:
                continue
            seen.add(article.id)
            todo.append(article)
        return _Batch(todo, failures, len(articles), len(articles) - len(todo))

    chunk: list[Article | Failure] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= batch_size:
            yield make(chunk)
            chunk = []
    if chunk:
        yield make(chunk)


# -- workers ---------------------------------------------------------------------------------

_WORKER_CODER: CoderLike | None = None


def _init_worker(spec: CoderSpec, parent: int) -> None:
    import signal
    import threading

    global _WORKER_CODER
    # Ctrl-C goes to the whole process group; the parent decides what happens.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    _WORKER_CODER = build_coder(spec)


def _exit_with_parent(parent: int) -> None:
    """A parent killed with SIGKILL cannot stop its workers: they notice and stop themselves,
    rather than coding on (their results have nowhere to go)."""
    import os

    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _work(articles: list[Article]) -> tuple[list[CodedArticle], list[Failure]]:
    assert _WORKER_CODER is not None, "worker not initialised"
    return code_batch(_WORKER_CODER, articles)


# -- the run ---------------------------------------------------------------------------------


def ingest(
    inputs: Iterable[str | Path | Article | Failure],
    *,
    store: Store,
    coder: CoderLike | CoderSpec | str | None = None,
    workers: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: bool = True,
    date: date | None = None,
    encoding: str | None = None,
    actors: Sequence[str] = (),
) -> IngestSummary:
    """Code ``inputs`` (paths as polybius.read takes them, or Articles) into ``store``.

    ``coder``: a coder object (used in this process; with ``workers > 1`` each worker builds
    one of the same class), a :class:`CoderSpec`, a ``"module:attr"`` factory, or None for
    the real coder. Returns an :class:`IngestSummary`; raises StoreError when the store
    cannot be written (what was written before stays, and a rerun resumes).

    Workers are *spawned* (a forked copy of a loaded spaCy model is neither safe nor smaller),
    so a script that calls this with ``workers > 1`` must do so under
    ``if __name__ == "__main__":``, as for any spawned multiprocessing.
    """
    if workers < 1:
        raise EngineError("E095", detail=f"workers must be at least 1, not {workers}")
    if batch_size < 1:
        raise EngineError("E095", detail=f"batch size must be at least 1, not {batch_size}")
    instance: CoderLike | None = None
    if coder is None or isinstance(coder, str):
        spec = CoderSpec(factory=coder, actors=tuple(actors))
    elif isinstance(coder, CoderSpec):
        spec = coder
    else:
        instance = coder
        spec = CoderSpec(factory=type(coder), actors=tuple(actors))
    inputs = list(inputs) if not isinstance(inputs, Iterator) else inputs
    labels = [str(x) for x in inputs if not isinstance(x, (Article, Failure))] if isinstance(inputs, list) else []
    summary = IngestSummary(workers=workers)
    started = time.perf_counter()
    summary.run_id = run_id = store.start_run(labels)
    items = _items(inputs, date=date, encoding=encoding)
    # Ids of articles read but not yet written: a repeat of one of them later in the input is
    # skipped too. Once written, the store answers instead, so this set stays small.
    in_flight: set[str] = set()
    batches = _batches(items, store, batch_size, in_flight)
    bar = _progress_bar(progress)

    def write(batch: _Batch, coded: list[CodedArticle], failures: list[Failure]) -> None:
        result = store.add_batch(coded, run_id=run_id, failures=[*batch.failures, *failures])
        store.release()
        in_flight.difference_update(a.id for a in batch.articles)
        summary.articles_read += batch.read
        summary.articles_new += result.articles_new
        summary.articles_skipped += batch.skipped + result.articles_skipped
        summary.events += result.events
        summary.near_dups += result.near_dups
        summary.clusters_new += result.clusters_new
        summary.failures.extend(batch.failures)
        summary.failures.extend(failures)
        if bar is not None:
            bar.update(batch.read)
            bar.set_postfix(events=summary.events, failures=len(summary.failures), refresh=False)

    try:
        with summary.outcome():
            if workers == 1:
                local = instance if instance is not None else build_coder(spec)
                for batch in batches:
                    write(batch, *code_batch(local, batch.articles))
            else:
                _run_pool(batches, spec, workers, write)
    finally:
        summary.seconds = time.perf_counter() - started
        if bar is not None:
            bar.close()
        _finish(store, summary)
    return summary


def _run_pool(
    batches: Iterator[_Batch],
    spec: CoderSpec,
    workers: int,
    write: Callable[[_Batch, list[CodedArticle], list[Failure]], None],
) -> None:
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # A batch (one transaction) goes to the workers in TASKS_PER_BATCH pieces, so that the
    # last batches of a run keep every worker busy (whole 64-article batches over two workers
    # left one idle for up to a batch at the end: 20% of a 300-article run).
    pieces_per_batch = TASKS_PER_BATCH
    # Two batches in flight (more with many workers): at least two pieces per worker queued
    # or running, so none waits, and memory stays bounded.
    window = max(2, -(-2 * workers // pieces_per_batch))
    Pieces = list[Future[tuple[list[CodedArticle], list[Failure]]]]
    pending: deque[tuple[_Batch, Pieces]] = deque()
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(spec, os.getpid()),
    )

    def submit(batch: _Batch) -> Pieces:
        size = max(1, -(-len(batch.articles) // pieces_per_batch))
        return [pool.submit(_work, batch.articles[i : i + size]) for i in range(0, len(batch.articles), size)]

    def drain_one() -> None:
        batch, futures = pending.popleft()
        coded: list[CodedArticle] = []
        failures: list[Failure] = []
        for future in futures:
            try:
                done, failed = future.result()
            except BrokenProcessPool as err:
                raise EngineError("E096", detail=str(err) or "a worker process died") from err
            coded.extend(done)
            failures.extend(failed)
        write(batch, coded, failures)

    clean = False
    try:
        for batch in batches:
            pending.append((batch, submit(batch)))
            while len(pending) >= window:
                drain_one()
        while pending:
            drain_one()
        clean = True
    finally:
        if clean:
            pool.shutdown(wait=True)
        else:
            # ProcessPoolExecutor has no terminate(); on Ctrl-C or an error the workers are
            # mid-batch and their results are unwanted, so stop them rather than wait.
            processes = list((getattr(pool, "_processes", None) or {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                if process.is_alive():
                    process.terminate()


def _finish(store: Store, summary: IngestSummary) -> None:
    if summary.run_id is None:
        return
    try:
        store.finish_run(
            summary.run_id,
            articles_new=summary.articles_new,
            articles_skipped=summary.articles_skipped,
            events=summary.events,
            failures=len(summary.failures),
            status=summary.status,
        )
    except PolybiusError as err:  # the store may be what failed; do not hide the first error
        log.warning("could not record the end of run %s: %s", summary.run_id, err)


def _progress_bar(enabled: bool) -> Any:
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(unit=" articles", desc="ingest", dynamic_ncols=True, mininterval=0.5)
