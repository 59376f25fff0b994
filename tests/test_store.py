"""The DuckDB store: round trips, idempotency, migrations, filters, and its loud failures."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polybius.errors import StoreError
from polybius.records import Actor, Article, CodedArticle, Event, Evidence, Failure, Place
from polybius.store import MIGRATIONS, SCHEMA_VERSION, Store


def make_article(text: str = "Azerbaijan and Iran held talks in Baku on the transport corridor.", **kw) -> Article:
    return Article.from_text(text, **{"source": "AzerNews", "published": date(2019, 7, 18), **kw})


def make_event(article: Article, *, a="AZE", b="IRN", cameo="040", plover="CONSULT", day=date(2019, 7, 18),
               sentence=0, place=None) -> Event:  # fmt: skip
    return Event(
        article_id=article.id,
        actor=Actor(text=a, name=a, country=a, sectors=("GOV",), code=a + "GOV"),
        recipient=Actor(text=b, name=b, country=b, code=b) if b else None,
        cameo=cameo, plover=plover, quad_class=1, goldstein=1.0,
        evidence=Evidence(sentence, 0, 10, "They met.", "met", 5, 8),
        date=day, date_precision="day", date_basis="text",
        location=Place(name="Baku", country=place, lat=40.4, lon=49.9, geonameid=587084) if place else None,
        coder="test",
    )  # fmt: skip


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "t.duckdb") as s:
        yield s


def test_add_is_idempotent_and_round_trips(store: Store) -> None:
    art = make_article()
    ev = make_event(art)
    assert store.add(CodedArticle(art, (ev,))) is True
    assert store.add(CodedArticle(art, (ev,))) is False
    assert store.counts()["articles"] == 1 and store.counts()["events"] == 1
    assert store.events() == [ev.to_dict()]
    assert store.has_articles([art.id, "art_nope"]) == {art.id}
    stored = store.article(art.id)
    assert stored is not None and stored["text"] == art.text and stored["published"] == date(2019, 7, 18)


def test_default_path_comes_from_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("POLYBIUS_DB", str(tmp_path / "env.duckdb"))
    with Store() as s:
        assert s.path == tmp_path / "env.duckdb"
    assert (tmp_path / "env.duckdb").exists()


def test_migrations_are_recorded_and_applied_once(tmp_path: Path) -> None:
    path = tmp_path / "m.duckdb"
    Store(path).close()
    with Store(path) as s:
        names = [r[0] for r in s.query("SELECT name FROM schema_migrations ORDER BY name")]
    assert names == [name for name, _ in MIGRATIONS]
    assert len(names) == SCHEMA_VERSION


def test_typed_columns_are_filled(store: Store) -> None:
    art = make_article()
    store.add(CodedArticle(art, (make_event(art, place="AZE"),)))
    row = store.query(
        "SELECT actor_country, actor_sectors, cameo, cameo_root, loc_country, lat, geonameid, date, "
        "trigger, trigger_start FROM events"
    )[0]
    assert row == ("AZE", ["GOV"], "040", "04", "AZE", 40.4, 587084, date(2019, 7, 18), "met", 5)


def test_filters(store: Store) -> None:
    rows = []
    for i, (a, b, cameo, plover, day) in enumerate([
        ("AZE", "IRN", "040", "CONSULT", date(2019, 7, 18)),
        ("IRN", "AZE", "112", "ACCUSE", date(2019, 8, 1)),
        ("RUS", "TUR", "190", "ASSAULT", date(2019, 9, 1)),
    ]):  # fmt: skip
        art = make_article(f"Story number {i} about {a} and {b}.", source_id=f"s{i}")
        rows.append(CodedArticle(art, (make_event(art, a=a, b=b, cameo=cameo, plover=plover, day=day).with_changes(source_id=f"s{i}"),)))
    store.add_batch(rows)
    assert len(store.events(country="AZE")) == 2
    assert len(store.events(dyad=("AZE", "IRN"))) == 2
    assert len(store.events(dyad=("AZE", "IRN"), directed=True)) == 1
    assert [e["plover"] for e in store.events(plover="ASSAULT")] == ["ASSAULT"]
    assert [e["cameo"] for e in store.events(root="4")] == ["040"]
    assert len(store.events(since="2019-08-01")) == 2
    assert len(store.events(until=date(2019, 8, 1))) == 2
    assert [e["source_id"] for e in store.events(source_id="s2")] == ["s2"]
    everything = store.events()
    page = store.events(limit=1, after=everything[0]["id"])
    assert page == [everything[1]]
    assert store.events(dyad=("AZE", "IRN"), with_cluster=True)[0]["cluster_id"].startswith("cl_")
    with pytest.raises(StoreError) as err:
        store.events(since="yesterday")
    assert err.value.code == "E066"
    # Filter values are bound, never pasted into SQL.
    assert store.events(country="AZE' OR 1=1 --") == []


def test_query_is_parameterised(store: Store) -> None:
    art = make_article()
    store.add(CodedArticle(art, (make_event(art),)))
    assert store.query("SELECT count(*) FROM events WHERE actor_country = ?", ["AZE"]) == [(1,)]
    assert list(store.query_df("SELECT id FROM articles")["id"]) == [art.id]
    with pytest.raises(StoreError) as err:
        store.query("SELECT * FROM no_such_table")
    assert err.value.code == "E065"


def test_runs_and_failures(store: Store) -> None:
    run = store.start_run(["a.jsonl"])
    store.record_failure(Failure("E005", "E005: Malformed JSON line: a.jsonl:3", "a.jsonl:3"), run_id=run)
    store.finish_run(run, articles_new=2, failures=1)
    assert store.query("SELECT status, articles_new, failures FROM runs") == [("done", 2, 1)]
    assert store.query("SELECT origin, code FROM failures") == [("a.jsonl:3", "E005")]


def test_failed_batch_is_rolled_back(store: Store, monkeypatch) -> None:
    import duckdb

    first = make_article("A first story that is stored before the failure happens.")
    store.add(CodedArticle(first, (make_event(first),)))
    before = store.counts()
    real_insert = Store._insert

    def failing_insert(self, table, columns, rows):
        if table == "events":
            raise duckdb.IOException("No space left on device")
        return real_insert(self, table, columns, rows)

    monkeypatch.setattr(Store, "_insert", failing_insert)
    batch = []
    for i in range(3):
        art = make_article(f"Another story, number {i}, lost with its batch.")
        batch.append(CodedArticle(art, (make_event(art),)))
    with pytest.raises(StoreError) as err:
        store.add_batch(batch)
    assert err.value.code == "E062" and isinstance(err.value.__cause__, duckdb.IOException)
    assert store.counts() == before
    monkeypatch.setattr(Store, "_insert", real_insert)
    assert store.add_batch(batch).articles_new == 3  # the same batch goes through on retry


def test_not_a_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.duckdb"
    path.write_bytes(b"these are my notes, not a database\n" * 10)
    before = path.read_bytes()
    with pytest.raises(StoreError) as err:
        Store(path)
    assert err.value.code == "E063"
    assert path.read_bytes() == before
    empty = tmp_path / "empty.duckdb"
    empty.touch()
    with pytest.raises(StoreError) as err:
        Store(empty)
    assert err.value.code == "E063" and empty.stat().st_size == 0


def test_foreign_duckdb_file_is_refused(tmp_path: Path) -> None:
    import duckdb

    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE sales (x INTEGER)")
    con.close()
    with pytest.raises(StoreError) as err:
        Store(path)
    assert err.value.code == "E063"


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.duckdb"
    with Store(path) as s:
        s.con.execute("INSERT INTO schema_migrations VALUES ('999_from_the_future', now())")
    with pytest.raises(StoreError) as err:
        Store(path)
    assert err.value.code == "E064"


def test_missing_database_read_only(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as err:
        Store(tmp_path / "absent.duckdb", read_only=True)
    assert err.value.code == "E060"
    assert not (tmp_path / "absent.duckdb").exists()


def test_second_writer_gets_e061(tmp_path: Path) -> None:
    path = tmp_path / "locked.duckdb"
    Store(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from polybius.store import Store
            s = Store({str(path)!r})
            print("open", flush=True)
            sys.stdin.read()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreError) as err:
            Store(path)
        assert err.value.code == "E061"
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    Store(path).close()  # free again once the other process is gone


# -- property: any Event survives add -> events() unchanged ---------------------------------

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
_code = st.sampled_from(["AZE", "IRN", "USA", "IGO", None])
_actor = st.builds(
    Actor,
    text=_text, name=_text, country=_code,
    sectors=st.lists(st.sampled_from(["GOV", "MIL", "REB", "CVL"]), max_size=3).map(tuple),
    role=st.none() | _text, code=st.none() | _text,
    start=st.integers(-1, 10_000), end=st.integers(-1, 10_000),
    kind=st.sampled_from(["country", "person", "unknown"]),
    context=st.lists(_text, max_size=2).map(tuple), link=st.none() | _text,
)  # fmt: skip
_finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
_place = st.builds(
    Place, name=_text, country=_code, admin1=st.none() | _text,
    lat=st.none() | _finite, lon=st.none() | _finite,
    geonameid=st.none() | st.integers(0, 2**40), precision=st.sampled_from(["city", "country"]),
    basis=st.sampled_from(["text", "dateline"]),
)  # fmt: skip
_event = st.builds(
    Event,
    article_id=st.just("art_0000000000000000"),
    actor=st.none() | _actor, recipient=st.none() | _actor,
    cameo=st.from_regex(r"\A[0-2][0-9]{1,3}\Z"), plover=st.sampled_from(["CONSULT", "ASSAULT", "AGREE"]),
    quad_class=st.integers(1, 4), goldstein=st.floats(-10, 10),
    evidence=st.builds(Evidence, sentence_index=st.integers(0, 500), start=st.integers(0, 10**6),
                       end=st.integers(0, 10**6), text=_text, trigger=_text,
                       trigger_start=st.integers(-1, 10**6), trigger_end=st.integers(-1, 10**6),
                       rule=st.none() | _text),
    date=st.none() | st.dates(min_value=date(1000, 1, 1), max_value=date(2999, 12, 31)),
    date_precision=st.sampled_from([None, "day", "month", "year"]),
    date_basis=st.sampled_from(["text", "dateline", "unknown"]),
    mode=st.none() | _text, contexts=st.lists(_text, max_size=3).map(tuple),
    location=st.none() | _place, confidence=st.floats(0, 1),
    negated=st.booleans(), hypothetical=st.booleans(), source_id=st.none() | _text, coder=_text,
)  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=st.lists(_event, min_size=1, max_size=4, unique_by=lambda e: e.id))
def test_events_round_trip_unchanged(tmp_path_factory, events: list[Event]) -> None:
    path = tmp_path_factory.mktemp("prop") / "p.duckdb"
    art = Article.from_text("A story for the property test.")
    events = [e.with_changes(article_id=art.id) for e in events]
    events = list({e.id: e for e in events}.values())
    with Store(path) as s:
        s.add(CodedArticle(art, tuple(events)))
        got = s.events()
    assert got == sorted((e.to_dict() for e in events), key=lambda d: d["id"])


def test_a_file_cut_before_its_metadata_is_refused(tmp_path):
    """A DuckDB file whose header points past its end (a copy cut short) is E063, untouched."""
    from polybius.api.sample import sample_articles
    from polybius.store import Store, _duckdb_size

    db = tmp_path / "whole.duckdb"
    with Store(db) as store:
        store.add_batch(sample_articles(30))
    whole = db.read_bytes()
    needed = _duckdb_size(whole[: 3 * 4096])
    assert needed is not None and 3 * 4096 < needed <= len(whole)
    cut = tmp_path / "cut.duckdb"
    cut.write_bytes(whole[: needed - 1])
    with pytest.raises(StoreError) as err:
        Store(cut)
    assert err.value.code == "E063" and "truncated" in str(err.value)
    assert cut.read_bytes() == whole[: needed - 1]
