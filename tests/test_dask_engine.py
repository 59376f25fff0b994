"""The Dask engine gives the same database as the local engine; partitions cover every line once."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from polybius.engines import dask_engine
from polybius.engines.dask_engine import ingest_dask, partition_inputs
from polybius.errors import EngineError
from polybius.ingest import ingest
from polybius.records import Article
from polybius.store import Store

ROOT = Path(__file__).resolve().parents[1]
CORPUS_PY = ROOT / "benchmarks" / "corpus.py"
FAKE = f"{CORPUS_PY}:KeywordCoder"


def _corpus():
    spec = importlib.util.spec_from_file_location("polybius_bench_corpus", CORPUS_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


corpus = _corpus()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[str]:
    base = tmp_path_factory.mktemp("dask")
    records = list(corpus.generate(30, seed=21, words=120))
    lines = [json.dumps(r) for r in records[:24]]
    lines.insert(5, "{broken json")
    (base / "news.jsonl").write_text("\n".join(lines) + "\n")
    folder = base / "stories"
    folder.mkdir()
    for i, r in enumerate(records[24:]):
        (folder / f"story-{i}.txt").write_text(r["text"])
    return [str(base / "news.jsonl"), str(folder)]


def test_partitions_cover_every_line_once(inputs: list[str]) -> None:
    parts, failures = partition_inputs(inputs, partition_bytes=3000, files_per_partition=4)
    assert not failures
    ranges = [p for p in parts if p.is_range]
    assert len(ranges) > 5 and len([p for p in parts if not p.is_range]) == 2
    origins = []
    for part in ranges:
        origins += [item.origin for item in dask_engine._read_partition(part, date=None, encoding=None)]
    assert origins == [f"{inputs[0]}:{n}" for n in range(1, 26)]
    missing = partition_inputs(["/no/such/file.txt"])[1]
    assert [f.code for f in missing] == ["E001"]


def test_dask_equals_local(tmp_path: Path, inputs: list[str]) -> None:
    def snapshot(store: Store) -> dict:
        return {
            "articles": store.query("SELECT id, near_dup_of, origin FROM articles ORDER BY id"),
            "events": store.query("SELECT id, record::VARCHAR, cluster_id FROM events ORDER BY id"),
            "mentions": store.query("SELECT cluster_id, event_id, rule FROM mentions ORDER BY event_id"),
            "failures": store.query("SELECT origin, code FROM failures ORDER BY origin"),
        }

    with Store(tmp_path / "local.duckdb") as store:
        local = ingest(inputs, store=store, coder=FAKE, progress=False)
        expected = snapshot(store)
    with Store(tmp_path / "dask.duckdb") as store:
        parquet = tmp_path / "parquet"
        summary = ingest_dask(
            inputs, store=store, coder=FAKE, n_workers=2, parquet_dir=parquet,
            partition_bytes=3000, files_per_partition=4, progress=False,
        )  # fmt: skip
        assert snapshot(store) == expected
        assert (summary.articles_new, summary.events) == (local.articles_new, local.events) == (30, 30)
        assert [f.code for f in summary.failures] == ["E005"]
        assert len(list((parquet / "events").glob("part-*.parquet"))) > 5
        again = ingest_dask(inputs[1:], store=store, coder=FAKE, n_workers=2, progress=False)
        assert (again.articles_new, again.articles_skipped) == (0, 6)


def test_missing_dask_is_e090(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    with Store(tmp_path / "x.duckdb") as store, pytest.raises(EngineError) as err:
        ingest_dask([str(CORPUS_PY)], store=store, coder=FAKE, progress=False)
    assert err.value.code == "E090"


def test_unreachable_scheduler_is_e091(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(dask_engine, "CONNECT_TIMEOUT", "1s")
    page = tmp_path / "a.txt"
    page.write_text(Article.from_text("Russia attacked Turkey.").text)
    with Store(tmp_path / "x.duckdb") as store, pytest.raises(EngineError) as err:
        ingest_dask([str(page)], store=store, coder=FAKE, scheduler="tcp://127.0.0.1:9", progress=False)
    assert err.value.code == "E091"
    with Store(tmp_path / "x.duckdb") as store:
        assert store.query("SELECT status FROM runs") == [("failed",)]
