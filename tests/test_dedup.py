"""Dedup: near-copy articles (MinHash + LSH) and event clusters across articles."""

from __future__ import annotations

import importlib.util
import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from polybius import dedup
from polybius.read import article_from_record
from polybius.records import Actor, Article, CodedArticle, Event, Evidence, Place
from polybius.store import Store

ROOT = Path(__file__).resolve().parents[1]


def _corpus():
    spec = importlib.util.spec_from_file_location("polybius_bench_corpus", ROOT / "benchmarks" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


corpus = _corpus()


def coded(records: list[dict]) -> list[CodedArticle]:
    coder = corpus.KeywordCoder()
    return [coder.code(article_from_record(r, origin=f"test:{i}")) for i, r in enumerate(records)]


def event(article: Article, a: str, b: str | None, cameo: str, plover: str, day: date | None, **kw) -> Event:
    return Event(
        article_id=article.id,
        actor=Actor(text=a, name=a, country=a),
        recipient=Actor(text=b, name=b, country=b) if b else None,
        cameo=cameo, plover=plover, quad_class=1, goldstein=0.0,
        evidence=Evidence(kw.pop("sentence", 0), 0, 5, "text", "trigger", kw.pop("trigger_start", 0), 5),
        date=day, **kw,
    )  # fmt: skip


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "d.duckdb") as s:
        yield s


def test_minhash_separates_copies_from_other_stories() -> None:
    rng = random.Random(7)
    original = corpus.story(rng, actor="AZE", recipient="IRN", plover="CONSULT")
    copy = corpus.rewrite(rng, original, source="TASS", shift_days=1)
    other = corpus.story(rng, actor="AZE", recipient="IRN", plover="CONSULT")
    sig = dedup.minhash(original["text"])
    assert sig is not None and len(sig) == dedup.NUM_PERM * 4
    assert dedup.estimated_jaccard(sig, dedup.minhash(original["text"])) == 1.0
    assert dedup.estimated_jaccard(sig, dedup.minhash(copy["text"])) >= dedup.NEAR_DUP_THRESHOLD
    assert dedup.estimated_jaccard(sig, dedup.minhash(other["text"])) < dedup.NEAR_DUP_THRESHOLD
    assert dedup.minhash("too short to judge") is None
    # Stable across processes: CRC32 shingles and a seeded permutation family, no hash().
    assert dedup.band_keys(sig) == dedup.band_keys(dedup.minhash(original["text"]))


def test_exact_and_near_copies_in_the_store(store: Store) -> None:
    rng = random.Random(3)
    original = corpus.story(rng, actor="RUS", recipient="TUR", plover="ASSAULT")
    copies = [corpus.rewrite(rng, original, source=s, shift_days=i % 2) for i, s in enumerate(["AP", "AFP", "DPA"])]
    unrelated = corpus.story(rng)
    batch = coded([original, original, *copies[:1]])
    store.add_batch(batch)  # the exact repeat inside a batch is stored once
    store.add_batch(coded([*copies[1:], unrelated]))  # near-copies found against stored articles
    first = batch[0].article.id
    near = dict(store.query("SELECT id, near_dup_of FROM articles"))
    assert near[first] is None
    assert [near[c.article.id] for c in coded(copies)] == [first, first, first]
    assert near[coded([unrelated])[0].article.id] is None
    assert store.counts()["near_dups"] == 3
    # The copies' events joined the original's cluster, by the near-copy rule.
    rules = [r[0] for r in store.query("SELECT rule FROM mentions ORDER BY rule")]
    assert rules.count(f"near-copy of {first}") == 3


def test_thirty_reports_of_one_event_make_one_cluster(store: Store) -> None:
    """15 rewritten wire copies and 15 independently written stories of one meeting, from
    different outlets, published over three days: one cluster with num_articles 30. A
    different event between the same countries on the same day stays a separate cluster."""
    rng = random.Random(11)
    day = date(2024, 3, 4)
    wire = corpus.story(rng, actor="AZE", recipient="IRN", plover="CONSULT", day=day)
    sources = corpus.SOURCES + [f"Outlet {i}" for i in range(20)]
    wire["source"] = sources[0]
    records = [wire]
    for i in range(14):
        records.append(corpus.rewrite(rng, wire, source=sources[i + 1], shift_days=i % 3))
    for i in range(15):
        other = corpus.story(rng, actor="AZE", recipient="IRN", plover="CONSULT", day=day + timedelta(days=i % 3))
        # some write it the other way round: "Iran's president met Azerbaijan's ..."
        if i % 2:
            other = corpus.story(rng, actor="IRN", recipient="AZE", plover="CONSULT", day=day + timedelta(days=i % 3))
        other["source"] = sources[15 + i]
        records.append(other)
    attack = corpus.story(rng, actor="AZE", recipient="IRN", plover="ASSAULT", day=day)
    items = coded(records + [attack])
    assert all(len(c.events) == 1 for c in items)
    for start in range(0, len(items), 8):  # several batches: clustering is incremental
        store.add_batch(items[start : start + 8])
    clusters = store.clusters()
    assert len(clusters) == 2
    meeting, fight = clusters
    assert (meeting["num_articles"], meeting["num_mentions"], meeting["num_sources"]) == (30, 30, 30)
    assert meeting["plover"] == "CONSULT" and meeting["first_seen"] == day
    assert (fight["num_articles"], fight["plover"]) == (1, "ASSAULT")
    # per-article events stay queryable, each pointing at its cluster
    assert len(store.events(dyad=("AZE", "IRN"))) == 31
    assert {e["cluster_id"] for e in store.events(plover="CONSULT", with_cluster=True)} == {meeting["id"]}


def test_cluster_rules(store: Store) -> None:
    arts = [Article.from_text(f"Story {i} " * 20, source=f"src{i % 3}", published=date(2024, 1, 1)) for i in range(9)]
    d = date(2024, 1, 10)
    evs = [
        event(arts[0], "AZE", "IRN", "040", "CONSULT", d),
        event(arts[1], "IRN", "AZE", "043", "CONSULT", d + timedelta(days=2)),  # symmetric, reversed: joins
        event(arts[2], "AZE", "IRN", "190", "ASSAULT", d, location=Place("Tabriz", "IRN")),  # other type: new
        event(arts[3], "IRN", "AZE", "190", "ASSAULT", d),  # directed type reversed: new
        event(arts[4], "AZE", "IRN", "042", "CONSULT", d + timedelta(days=3)),  # 3 days: new
        event(arts[5], "AZE", "IRN", "193", "ASSAULT", d),  # same root 19, place unknown: joins
        event(arts[6], "AZE", "IRN", "190", "ASSAULT", d, location=Place("Ganja", "AZE")),  # other place country: new
        event(arts[7], "AZE", "IRN", "040", "CONSULT", None),  # undated: its own
        event(arts[8], "AZE", "IRN", "040", "CONSULT", d, negated=True),  # "did not meet": its own
    ]
    store.add_batch([CodedArticle(a, (e,)) for a, e in zip(arts, evs, strict=True)])
    cluster_of = {eid: cid for eid, cid in store.query("SELECT id, cluster_id FROM events")}
    c = [cluster_of[e.id] for e in evs]
    assert c[1] == c[0]
    assert c[5] == c[2]
    assert len({c[0], c[2], c[3], c[4], c[6], c[7], c[8]}) == 7
    rule = store.query("SELECT rule FROM mentions WHERE event_id = ?", [evs[1].id])[0][0]
    assert rule == "dyad(reversed,symmetric)+plover=CONSULT+2d"
    assert store.query("SELECT num_sources FROM clusters WHERE id = ?", [c[0]]) == [(2,)]


def test_clusters_are_incremental_and_deterministic(tmp_path: Path) -> None:
    rng = random.Random(5)
    records = [corpus.story(rng, actor="ARM", recipient="GEO", plover="AGREE", day=date(2024, 6, 1)) for _ in range(4)]
    items = coded(records)
    with Store(tmp_path / "a.duckdb") as s:
        s.add_batch(items[:2])
    with Store(tmp_path / "a.duckdb") as s:  # a later run joins the stored cluster
        s.add_batch(items[2:])
        first = s.query("SELECT cluster_id, event_id, article_id FROM mentions ORDER BY event_id")
        assert s.query("SELECT count(*), max(num_articles) FROM clusters") == [(1, 4)]
    with Store(tmp_path / "b.duckdb") as s:
        s.add_batch(items)
        assert s.query("SELECT cluster_id, event_id, article_id FROM mentions ORDER BY event_id") == first
