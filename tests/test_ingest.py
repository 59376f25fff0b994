"""Ingest: batches through a coder into the store; idempotent; workers; failures; the CLI."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from polybius.cli import main
from polybius.ingest import CoderSpec, code_batch, ingest
from polybius.records import Article, Failure
from polybius.store import Store

ROOT = Path(__file__).resolve().parents[1]
CORPUS_PY = ROOT / "benchmarks" / "corpus.py"
FAKE = f"{CORPUS_PY}:KeywordCoder"  # the stand-in coder, loadable in worker processes too


def _corpus():
    spec = importlib.util.spec_from_file_location("polybius_bench_corpus", CORPUS_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


corpus = _corpus()


@pytest.fixture(scope="module")
def jsonl(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "news.jsonl"
    return corpus.write_jsonl(path, corpus.generate(40, seed=2, words=150))


def snapshot(store: Store) -> dict:
    return {
        "articles": store.query("SELECT id, near_dup_of, source, text FROM articles ORDER BY id"),
        "events": store.query("SELECT id, article_id, record::VARCHAR, cluster_id FROM events ORDER BY id"),
        "mentions": store.query("SELECT cluster_id, event_id, article_id, rule FROM mentions ORDER BY event_id"),
        "clusters": store.query("SELECT id, num_mentions, num_sources, num_articles FROM clusters ORDER BY id"),
    }


def test_ingest_twice_is_idempotent(tmp_path: Path, jsonl: Path) -> None:
    with Store(tmp_path / "i.duckdb") as store:
        first = ingest([jsonl], store=store, coder=corpus.KeywordCoder(), batch_size=16, progress=False)
        assert (first.articles_read, first.articles_new, first.articles_skipped) == (40, 40, 0)
        assert first.events == store.counts()["events"] > 30
        before = snapshot(store)
        second = ingest([jsonl], store=store, coder=corpus.KeywordCoder(), batch_size=16, progress=False)
        assert (second.articles_new, second.articles_skipped, second.events) == (0, 40, 0)
        assert snapshot(store) == before
        assert store.query("SELECT status, articles_new, articles_skipped FROM runs ORDER BY started") == [
            ("done", 40, 0), ("done", 0, 40)
        ]


def test_stored_articles_are_skipped_before_coding(tmp_path: Path) -> None:
    seen: list[str] = []

    class Spy(corpus.KeywordCoder):
        def pipe(self, articles):
            for a in articles:
                seen.append(a.id)
                yield self.code(a)

    arts = [Article.from_text(f"Russia attacked Turkey near Ankara, story {i}.") for i in range(5)]
    with Store(tmp_path / "s.duckdb") as store:
        ingest(arts[:3], store=store, coder=Spy(), progress=False)
        ingest([*arts, arts[0]], store=store, coder=Spy(), progress=False)
    assert seen == [a.id for a in arts[:3]] + [arts[3].id, arts[4].id]


def test_failures_are_recorded_and_the_run_goes_on(tmp_path: Path) -> None:
    bad = tmp_path / "mixed.jsonl"
    good = [json.dumps(r) for r in corpus.generate(3, seed=4, words=60)]
    lines = [good[0], "{not json", json.dumps({"text": "Russia attacked Turkey. EXPLODE"}), good[1], good[2]]
    bad.write_text("\n".join(lines) + "\n")
    with Store(tmp_path / "f.duckdb") as store:
        summary = ingest([bad, tmp_path / "missing.txt"], store=store, coder=corpus.KeywordCoder(), progress=False)
        assert summary.articles_new == 3
        codes = sorted((f.code, f.origin) for f in summary.failures)
        assert codes == [("E001", str(tmp_path / "missing.txt")), ("E005", f"{bad}:2"), ("E094", f"{bad}:3")]
        assert sorted(store.query("SELECT code, origin FROM failures")) == codes
        assert not summary.ok


def test_code_batch_isolates_the_bad_article() -> None:
    arts = [Article.from_text("Russia attacked Turkey."), Article.from_text("EXPLODE now", origin="x.txt")]
    coded, failures = code_batch(corpus.KeywordCoder(), arts)
    assert [c.article.id for c in coded] == [arts[0].id]
    assert [(f.code, f.origin) for f in failures] == [("E094", "x.txt")]
    assert isinstance(failures[0], Failure)


def test_two_workers_give_the_same_database(tmp_path: Path, jsonl: Path) -> None:
    with Store(tmp_path / "one.duckdb") as one:
        ingest([jsonl], store=one, coder=CoderSpec(factory=FAKE), batch_size=8, progress=False)
        expected = snapshot(one)
    with Store(tmp_path / "two.duckdb") as two:
        summary = ingest([jsonl], store=two, coder=FAKE, workers=2, batch_size=8, progress=False)
        assert summary.articles_new == 40 and summary.workers == 2
        assert snapshot(two) == expected


def test_cli_ingest_and_events(tmp_path: Path, jsonl: Path) -> None:
    db = tmp_path / "cli.duckdb"
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", str(jsonl), "--db", str(db), "--no-progress", "--coder", FAKE])
    assert result.exit_code == 0, result.output
    assert "40 new article(s)" in result.output
    result = runner.invoke(main, ["ingest", str(jsonl), "--db", str(db), "--no-progress", "--coder", FAKE])
    assert result.exit_code == 0 and "0 new article(s), 40 already stored" in result.output
    with Store(db, read_only=True) as store:
        some = store.events(country="AZE")
    result = runner.invoke(main, ["events", "--db", str(db), "--country", "aze", "--format", "jsonl"])
    assert result.exit_code == 0
    assert [json.loads(line) for line in result.output.splitlines()] == some
    result = runner.invoke(main, ["events", "--db", str(db), "--limit", "2", "--format", "json"])
    assert len(json.loads(result.output)) == 2
    result = runner.invoke(main, ["events", "--db", str(db), "--type", "assault", "--format", "csv"])
    assert result.exit_code == 0 and result.output.startswith("id,")
    result = runner.invoke(main, ["events", "--db", str(db), "--dyad", "AZE", "IRN", "--root", "04", "--from",
                                  "2024-01-01", "--to", "2024-12-31", "--format", "table"])  # fmt: skip
    assert result.exit_code == 0 and "event" in result.output.splitlines()[-1]


def test_cli_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "Russia attacked Turkey near Ankara on May 3."}\n{oops\n')
    db = tmp_path / "x.duckdb"
    result = runner.invoke(main, ["ingest", str(bad), "--db", str(db), "--no-progress", "--coder", FAKE])
    assert result.exit_code == 1
    assert "   1. E005" in result.stderr and f"{bad}:2" in result.stderr
    notes = tmp_path / "notes.duckdb"
    notes.write_text("not a database")
    result = runner.invoke(main, ["ingest", str(bad), "--db", str(notes), "--no-progress", "--coder", FAKE])
    assert result.exit_code == 3 and "E063" in result.stderr
    assert notes.read_text() == "not a database"
    result = runner.invoke(main, ["events", "--db", str(tmp_path / "absent.duckdb")])
    assert result.exit_code == 3 and "E060" in result.stderr


def test_a_dying_worker_is_e096_and_earlier_batches_stay(tmp_path: Path) -> None:
    from polybius.errors import EngineError

    arts = [Article.from_text(f"Russia attacked Turkey near Ankara, report {i}.") for i in range(12)]
    arts.append(Article.from_text("CRASH_WORKER Russia attacked Turkey."))
    with Store(tmp_path / "w.duckdb") as store:
        with pytest.raises(EngineError) as err:
            ingest(arts, store=store, coder=FAKE, workers=2, batch_size=4, progress=False)
        assert err.value.code == "E096"
        stored = store.counts()["articles"]
        assert stored % 4 == 0 and stored < 13  # whole batches only (the ones done in time)
        assert store.query("SELECT status FROM runs") == [("failed",)]
        again = ingest(arts[:12], store=store, coder=FAKE, workers=2, batch_size=4, progress=False)
        assert (again.articles_new, again.articles_skipped) == (12 - stored, stored)


@pytest.mark.model
def test_real_coder_end_to_end(tmp_path: Path, coder) -> None:
    """The real Coder through ingest: ten wire copies of one attack and a meeting between the
    same countries on the same day give two clusters, the attack's with ten articles."""
    import random
    from datetime import date

    rng = random.Random(4)
    day = date(2024, 9, 3)
    wire = corpus.story(rng, actor="ARM", recipient="AZE", plover="ASSAULT", day=day, words=120)
    wire["text"] = wire["text"].replace(wire["text"].split("\n")[1], "Armenian forces attacked Azerbaijani positions near Baku on September 3, officials said.")
    records = [wire] + [corpus.rewrite(rng, wire, source=f"Outlet {i}", shift_days=i % 2) for i in range(9)]
    meeting = corpus.story(rng, actor="ARM", recipient="AZE", plover="CONSULT", day=day, words=120)
    meeting["text"] = meeting["text"].replace(meeting["text"].split("\n")[1], "Prime Minister Nikol Pashinyan of Armenia met with President Ilham Aliyev of Azerbaijan in Baku on September 3.")
    path = corpus.write_jsonl(tmp_path / "wire.jsonl", [*records, meeting])
    with Store(tmp_path / "m.duckdb") as store:
        summary = ingest([path], store=store, coder=coder, progress=False)
        assert summary.ok and summary.articles_new == 11
        direct = [e.to_dict() for item in coder.pipe(article_from_path(path)) for e in item.events]
        assert store.events() == sorted(direct, key=lambda d: d["id"])
        attack = store.query(
            "SELECT c.num_articles, c.plover FROM clusters c JOIN events e ON e.id = c.event_id "
            "WHERE e.actor_country = 'ARM' AND e.recipient_country = 'AZE' AND c.cameo_root = '19'"
        )
        assert attack and max(attack)[0] == 10
        # The meeting's lead event is not merged into the attack's cluster.
        lead = store.query(
            "SELECT e.cluster_id, e.cameo FROM events e JOIN articles a ON a.id = e.article_id "
            "WHERE a.text LIKE 'Prime Minister Nikol Pashinyan%' AND e.sentence_index = 0"
        )
        attack_clusters = {r[0] for r in store.query("SELECT id FROM clusters WHERE cameo_root = '19'")}
        assert lead and all(cameo[:2] == "04" and cid not in attack_clusters for cid, cameo in lead)


def article_from_path(path: Path) -> list[Article]:
    from polybius.read import read_paths

    return [a for a in read_paths([path]) if isinstance(a, Article)]
