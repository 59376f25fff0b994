"""Concurrency: ingests racing on one database, the API reading while an ingest writes, and the
API under a bounded read load on a real server (127.0.0.1 only).

DuckDB lets one process hold a database file for writing, and read-only processes only while
no process writes. So two ingests are serialised by refusal (the second gets E061, and a rerun
finishes its job), and a reader in another process cannot open the file while an ingest runs.

The ingests here use the stand-in coder of benchmarks/corpus.py (SlowKeywordCoder: no model,
a fixed delay per article) because the timing of the race, not the coding, is the point.
``POLYBIUS_LOAD_REQUESTS`` (default 400) sets the size of the load test.
"""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from polybius.api.app import create_app
from polybius.api.sample import sample_articles
from polybius.store import Store

ROOT = Path(__file__).resolve().parents[1]
CORPUS_PY = ROOT / "benchmarks" / "corpus.py"
SLOW = f"{CORPUS_PY}:SlowKeywordCoder"
LOAD_REQUESTS = int(os.environ.get("POLYBIUS_LOAD_REQUESTS", "400"))
API = "/api/v1"


def _corpus_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("polybius_bench_corpus_conc", CORPUS_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("concurrency")


@pytest.fixture(scope="module")
def corpus(work) -> Path:
    corpus = _corpus_module()
    records = list(corpus.generate(40, seed=33, words=80))
    rng = random.Random(2)
    records += [
        corpus.rewrite(rng, records[i], source=f"Copy {i}", shift_days=1) for i in range(0, 8, 2)
    ]
    return corpus.write_jsonl(work / "news.jsonl", records)


def command(corpus: Path, db: Path) -> list[str]:
    return [sys.executable, "-c", "from polybius.cli import main; main()", "ingest", str(corpus), "--db", str(db),
            "--no-progress", "--batch-size", "4", "--coder", SLOW]  # fmt: skip


def env(delay: str) -> dict[str, str]:
    return dict(os.environ, POLYBIUS_FAKE_DELAY=delay)


def snapshot(db: Path) -> dict:
    with Store(db, read_only=True) as store:
        q = store.query
        return {
            "articles": q("SELECT id, near_dup_of FROM articles ORDER BY id"),
            "events": q("SELECT id, cluster_id, record FROM events ORDER BY id"),
            "clusters": q(
                "SELECT id, num_mentions, num_articles, num_sources FROM clusters ORDER BY id"
            ),
            "mentions": q("SELECT cluster_id, event_id, article_id FROM mentions ORDER BY ALL"),
            "counts": {k: v for k, v in store.counts().items() if k not in ("runs", "failures")},
        }


@pytest.fixture(scope="module")
def clean(corpus, work) -> dict:
    db = work / "clean.duckdb"
    done = subprocess.run(
        command(corpus, db), capture_output=True, text=True, timeout=120, env=env("0")
    )
    assert done.returncode == 0, done.stderr
    return snapshot(db)


def wait_for(predicate, timeout: float = 30.0, step: float = 0.02) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(step)
    return False


def test_second_ingest_is_refused_with_e061_and_a_rerun_finishes(corpus, work, clean):
    db = work / "two.duckdb"
    first = subprocess.Popen(
        command(corpus, db),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env("0.08"),
    )
    try:
        assert wait_for(lambda: db.exists() and db.stat().st_size > 0)
        time.sleep(0.5)  # the first one holds the file now, and is coding its batches
        second = subprocess.run(
            command(corpus, db), capture_output=True, text=True, timeout=120, env=env("0")
        )
        assert first.poll() is None, (
            "the first ingest finished before the second started; slow it down"
        )
        assert second.returncode == 3, (second.returncode, second.stderr)
        assert "E061" in second.stderr and "Traceback" not in second.stderr, second.stderr
    finally:
        out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    rerun = subprocess.run(
        command(corpus, db), capture_output=True, text=True, timeout=120, env=env("0")
    )
    assert rerun.returncode == 0 and "0 new article(s)" in rerun.stdout, rerun.stdout + rerun.stderr
    assert snapshot(db) == clean


@pytest.mark.parametrize("attempt", range(3))
def test_ingests_started_at_the_same_instant_never_interleave(corpus, work, clean, attempt):
    """Four ingests race to create and fill one new file: each finishes or is refused (E061);
    the refused ones, run again, finish the job; the result equals a clean run."""
    db = work / f"race-{attempt}.duckdb"
    procs = [subprocess.Popen(command(corpus, db), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=env("0.01")) for _ in range(4)]  # fmt: skip
    results = [(p.wait(timeout=120), *p.communicate()) for p in procs]
    for rc, _out, err in results:
        assert rc in (0, 3), (rc, err)
        if rc == 3:
            assert "E061" in err and "Traceback" not in err, err
    assert any(rc == 0 for rc, *_ in results)
    for rc, *_ in results:
        if rc == 3:
            again = subprocess.run(
                command(corpus, db), capture_output=True, text=True, timeout=120, env=env("0")
            )
            assert again.returncode == 0, again.stderr
    assert snapshot(db) == clean


# -- the API while an ingest writes --------------------------------------------------------


def _poll_api(client: TestClient, stop: threading.Event, seen: list) -> None:
    while not stop.is_set():
        res = client.get(API + "/health")
        seen.append((res.status_code, res.json().get("error", {}).get("code")))
        time.sleep(0.05)


def _reads_during_ingest(corpus, db) -> tuple[list, subprocess.CompletedProcess, Any]:
    """A read-only API over ``db`` (20 sample articles) polled while an ingest of ``corpus``
    runs in another process: (what each read got, the finished ingest, a read after it)."""
    with Store(db) as store:
        store.add_batch(sample_articles(20))
    app = create_app(db_path=db, read_only=True)
    ingest = subprocess.Popen(
        command(corpus, db),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env("0.05"),
    )
    seen: list = []
    stop = threading.Event()
    with TestClient(app, raise_server_exceptions=False) as client:
        time.sleep(0.8)
        poller = threading.Thread(target=_poll_api, args=(client, stop, seen))
        poller.start()
        try:
            out, err = ingest.communicate(timeout=120)
        finally:
            stop.set()
            poller.join(timeout=30)
        after = client.get(API + "/health")
    done = subprocess.CompletedProcess(ingest.args, ingest.returncode, out, err)
    return seen, done, after


def test_api_reads_while_an_ingest_runs_are_refused_cleanly(corpus, work):
    """While an ingest runs, every read of a read-only API in another process is answered 200
    (between the ingest's batches) or 503 E061 (a clear, numbered refusal), never a 500 or a
    wrong answer; after the ingest it sees all the articles. The tally is printed (-s)."""
    seen, ingest, after = _reads_during_ingest(corpus, work / "api-during.duckdb")
    assert ingest.returncode == 0, ingest.stderr
    assert seen, "no request was made during the ingest"
    from collections import Counter

    tally = Counter(f"{s} {c or 'ok'}" for s, c in seen)
    print(f"\nAPI during ingest: {dict(tally)}")
    assert {s for s, _ in seen} <= {200, 503}, seen
    assert all(code == "E061" for s, code in seen if s == 503), seen
    assert after.status_code == 200 and after.json()["articles"] == 20 + 44


def test_an_ingest_started_while_the_api_serves_finishes_or_is_refused(corpus, work):
    """The other order: the API has served requests, then an ingest starts. The ingest either
    finishes (and the API then sees its articles) or is refused with E061 and changes nothing.
    (With store.py's writer lock and per-request API connections it finishes; before, an API
    held its connection for its whole life and every ingest got E061.)"""
    for read_only in (True, False):
        db = work / f"api-first-{read_only}.duckdb"
        with Store(db) as store:
            store.add_batch(sample_articles(10))
        app = create_app(db_path=db, read_only=read_only)
        with TestClient(app, raise_server_exceptions=False) as client:
            assert client.get(API + "/health").status_code == 200
            res = subprocess.run(
                command(corpus, db), capture_output=True, text=True, timeout=120, env=env("0")
            )
            after = client.get(API + "/health")
            assert after.status_code == 200, after.text
            if res.returncode == 0:
                assert after.json()["articles"] == 10 + 44
            else:
                assert res.returncode == 3 and "E061" in res.stderr, (res.returncode, res.stderr)
                assert after.json()["articles"] == 10


@pytest.mark.xfail(
    reason="Was a bug (api/app.py held one connection for the app's life; ingest held the file for "
    "the whole run: every read during an ingest got 503 E061). Fixed by store.py's writer lock, "
    "Store.release between batches and per-request API connections; still xfail (non-strict) "
    "because a read can get E061 when a batch write outlasts Limits.lock_wait on a loaded machine.",
    strict=False,
)
def test_api_keeps_answering_reads_while_an_ingest_runs(corpus, work):
    seen, ingest, _after = _reads_during_ingest(corpus, work / "api-wish.duckdb")
    assert ingest.returncode == 0
    assert seen and all(s == 200 for s, _ in seen), seen


# -- load on a real server -----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_api_holds_a_concurrent_read_load(work):
    import httpx

    db = work / "load.duckdb"
    with Store(db) as store:
        store.add_batch(sample_articles(120))
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", "from polybius.cli import main; main()", "serve", "--db", str(db), "--read-only",
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:

        def up() -> bool:
            try:
                return httpx.get(base + API + "/health", timeout=1).status_code == 200
            except httpx.HTTPError:
                return False

        assert wait_for(up, timeout=60, step=0.2), (
            server.stderr.read() if server.poll() is not None else "no answer"
        )
        paths = [API + "/events?limit=50", API + "/events?country=AZE", API + "/relations?a=AZE&b=IRN",
                 API + "/top?by=dyad", API + "/timeline?by=month", API + "/places", API + "/health",
                 API + "/export?format=csv&country=IRN"]  # fmt: skip
        statuses: list[int] = []
        latencies: list[float] = []
        lock = threading.Lock()

        def worker(n: int, seed: int) -> None:
            rng = random.Random(seed)
            with httpx.Client(base_url=base, timeout=30) as c:
                for _ in range(n):
                    t = time.perf_counter()
                    code = c.get(rng.choice(paths)).status_code
                    with lock:
                        statuses.append(code)
                        latencies.append(time.perf_counter() - t)

        threads = [threading.Thread(target=worker, args=(LOAD_REQUESTS // 8, i)) for i in range(8)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
        seconds = time.perf_counter() - started
        assert statuses and set(statuses) == {200}, sorted(set(statuses))
        latencies.sort()
        p95 = latencies[int(0.95 * (len(latencies) - 1))]
        print(f"\nload figures: {len(statuses)} requests, 8 clients, {len(statuses) / seconds:.0f} req/s, "
              f"p95 {p95 * 1000:.0f} ms, all 200")  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)


class _GatedCoder:
    """Counts the codings running at once; each runs until the test opens ``gate``.

    The tests decide when codings end, so nothing here depends on how fast the machine is."""

    active = 0
    most = 0
    lock = threading.Lock()
    gate = threading.Event()

    def code(self, article):
        from polybius.records import CodedArticle

        with _GatedCoder.lock:
            _GatedCoder.active += 1
            _GatedCoder.most = max(_GatedCoder.most, _GatedCoder.active)
        try:
            _GatedCoder.gate.wait(timeout=60)
        finally:
            with _GatedCoder.lock:
                _GatedCoder.active -= 1
        return CodedArticle(article=article, events=())

    @classmethod
    def reset(cls) -> None:
        cls.gate.clear()
        cls.most = 0

    @classmethod
    def finish_all(cls) -> None:
        """Open the gate and wait for the abandoned threads to end."""
        cls.gate.set()
        assert wait_for(lambda: cls.active == 0, timeout=30), f"{cls.active} codings still running"


def test_coding_timeout_is_e073(work):
    from polybius.api.app import Limits

    _GatedCoder.reset()
    app = create_app(db_path=work / "timeout.duckdb", coder_factory=_GatedCoder,
                     limits=Limits(coding_timeout_s=0.3, max_concurrent_coding=1))  # fmt: skip
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            res = client.post(API + "/code", json={"text": "Azerbaijan met Iran."})
            still_coding = _GatedCoder.active
    finally:
        _GatedCoder.finish_all()
    assert res.status_code == 504 and res.json()["error"]["code"] == "E073"
    assert still_coding == 1, "the answer waited for the coding to end"


def test_timed_out_codings_do_not_pile_up(work):
    """A timed-out coding keeps its slot until its thread really ends (E075 meanwhile), so
    max_concurrent_coding bounds the CPU. (Found here as a bug; fixed in api/app.py.)"""
    from polybius.api.app import Limits

    _GatedCoder.reset()
    app = create_app(db_path=work / "pileup.duckdb", coder_factory=_GatedCoder,
                     limits=Limits(coding_timeout_s=0.2, max_concurrent_coding=1))  # fmt: skip
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            codes = []
            for i in range(4):
                res = client.post(API + "/code", json={"text": f"Azerbaijan met Iran {i}."})
                codes.append(res.json()["error"]["code"])
            most = _GatedCoder.most
    finally:
        _GatedCoder.finish_all()
    assert most == 1, f"{most} codings ran at once with max_concurrent_coding=1"
    assert codes == ["E073", "E075", "E075", "E075"], codes
