"""Resume: `polybius ingest` killed mid-way (SIGKILL, Ctrl-C) and run again loses nothing and
duplicates nothing: the database equals that of an uninterrupted run."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from polybius.store import Store

ROOT = Path(__file__).resolve().parents[1]
CORPUS_PY = ROOT / "benchmarks" / "corpus.py"
SLOW = f"{CORPUS_PY}:SlowKeywordCoder"
N = 120


def _corpus():
    spec = importlib.util.spec_from_file_location("polybius_bench_corpus", CORPUS_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus_file(tmp_path_factory) -> Path:
    corpus = _corpus()
    path = tmp_path_factory.mktemp("resume") / "news.jsonl"
    records = list(corpus.generate(N - 10, seed=9, words=120))
    # a few wire copies, so near-copies and clusters are part of what must come out equal
    import random

    rng = random.Random(1)
    records += [corpus.rewrite(rng, records[i], source=f"Copy {i}", shift_days=1) for i in range(10)]
    return corpus.write_jsonl(path, records)


def _command(corpus_file: Path, db: Path, *extra: str) -> list[str]:
    return [sys.executable, "-c", "from polybius.cli import main; main()", "ingest", str(corpus_file),
            "--db", str(db), "--no-progress", "--batch-size", "8", "--coder", SLOW, *extra]  # fmt: skip


def _env(trace: Path | None, delay: str = "0.02") -> dict[str, str]:
    env = dict(os.environ, POLYBIUS_FAKE_DELAY=delay)
    env.pop("POLYBIUS_FAKE_TRACE", None)
    if trace is not None:
        env["POLYBIUS_FAKE_TRACE"] = str(trace)
    return env


def _snapshot(db: Path) -> dict:
    with Store(db, read_only=True) as store:
        return {
            "articles": store.query("SELECT id, near_dup_of, text, source, published FROM articles ORDER BY id"),
            "events": store.query("SELECT id, article_id, record::VARCHAR, cluster_id FROM events ORDER BY id"),
            "mentions": store.query("SELECT * FROM mentions ORDER BY event_id"),
            "clusters": store.query(
                "SELECT id, event_id, num_mentions, num_sources, num_articles, first_seen, last_seen FROM clusters ORDER BY id"
            ),
        }


def _start_and_stop(
    corpus_file: Path, db: Path, trace: Path, how: signal.Signals, after: int, *extra: str, children: list | None = None
) -> int:
    proc = subprocess.Popen(_command(corpus_file, db, *extra), env=_env(trace), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if trace.exists() and len(trace.read_text().splitlines()) >= after:
            break
        if proc.poll() is not None:
            pytest.fail(f"ingest ended before it could be interrupted: {proc.communicate()}")
        time.sleep(0.02)
    if children is not None:
        import psutil

        children.extend(psutil.Process(proc.pid).children(recursive=True))
    proc.send_signal(how)
    proc.communicate(timeout=60)
    return proc.returncode


@pytest.fixture(scope="module")
def uninterrupted(corpus_file: Path, tmp_path_factory) -> dict:
    db = tmp_path_factory.mktemp("full") / "full.duckdb"
    done = subprocess.run(_command(corpus_file, db), env=_env(None, delay="0"), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return _snapshot(db)


def test_kill_9_then_rerun_equals_an_uninterrupted_run(tmp_path: Path, corpus_file: Path, uninterrupted: dict) -> None:
    db, trace = tmp_path / "killed.duckdb", tmp_path / "trace.txt"
    code = _start_and_stop(corpus_file, db, trace, signal.SIGKILL, after=45)
    assert code == -signal.SIGKILL
    partial = _snapshot(db)
    assert 0 < len(partial["articles"]) < N  # really interrupted mid-way, whole batches kept
    assert len(partial["articles"]) % 8 == 0
    rerun = subprocess.run(_command(corpus_file, db), env=_env(None, delay="0"), capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert "already stored" in rerun.stdout
    assert _snapshot(db) == uninterrupted


def test_ctrl_c_marks_the_run_interrupted_and_rerun_finishes(tmp_path: Path, corpus_file: Path, uninterrupted: dict) -> None:
    db, trace = tmp_path / "int.duckdb", tmp_path / "trace.txt"
    code = _start_and_stop(corpus_file, db, trace, signal.SIGINT, after=30)
    assert code == 130
    with Store(db, read_only=True) as store:
        assert store.query("SELECT status FROM runs") == [("interrupted",)]
    rerun = subprocess.run(_command(corpus_file, db), env=_env(None, delay="0"), capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert _snapshot(db) == uninterrupted


def test_kill_9_with_workers(tmp_path: Path, corpus_file: Path, uninterrupted: dict) -> None:
    import psutil

    db, trace = tmp_path / "workers.duckdb", tmp_path / "trace.txt"
    children: list = []
    code = _start_and_stop(corpus_file, db, trace, signal.SIGKILL, 40, "--workers", "2", children=children)
    assert code == -signal.SIGKILL and len(children) >= 2
    gone, alive = psutil.wait_procs(children, timeout=10)
    assert not alive, "workers outlived their killed parent"
    assert len(_snapshot(db)["articles"]) < N  # stopped before the end
    rerun = subprocess.run(_command(corpus_file, db, "--workers", "2"), env=_env(None, delay="0"), capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert _snapshot(db) == uninterrupted
