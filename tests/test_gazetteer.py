"""The place index: normalisation and the regions file without a build; lookups, countries,
status and the build's guarantees on the shared test index (built at most once per run)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from polybius.errors import GazetteerError
from polybius.gazetteer import (
    Gazetteer,
    default_path,
    load_regions,
    normalise_name,
    source_fingerprint,
)

ROOT = Path(__file__).resolve().parents[1]


def _gazetteer_path() -> Path:
    # The session fixture runs before conftest's per-test environment, so mirror its choice.
    env = os.environ.get("POLYBIUS_GAZETTEER")
    if env:
        return Path(env)
    return Path(os.environ.get("POLYBIUS_TEST_CACHE", ROOT / ".cache")) / "gazetteer.duckdb"


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return Gazetteer.open(_gazetteer_path())


# --- no build needed ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Bakı", "baki"),
        ("Baku", "baku"),
        ("KYIV", "kyiv"),
        ("Kharkivs’ka Oblast’", "kharkivska oblast"),
        ("Côte d'Ivoire", "cote divoire"),
        ("U.S.", "us"),
        ("U. S.", "us"),
        ("the Caspian Sea", "caspian sea"),
        ("Nagorno-Karabakh", "nagorno karabakh"),
        ("Łódź", "lodz"),
        ("  São   Paulo ", "sao paulo"),
    ],
)
def test_normalise_name(raw: str, key: str) -> None:
    assert normalise_name(raw) == key


@given(st.text(max_size=40))
def test_normalise_name_is_idempotent(raw: str) -> None:
    key = normalise_name(raw)
    assert normalise_name(key) == key
    assert key == key.strip() and "  " not in key


@given(st.from_regex(r"[A-Za-z][A-Za-z .'-]{0,30}", fullmatch=True))
def test_normalise_name_ignores_case(raw: str) -> None:
    assert normalise_name(raw.upper()) == normalise_name(raw.lower())


def test_default_path_follows_the_environment(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("POLYBIUS_GAZETTEER", str(tmp_path / "g.duckdb"))
    assert default_path() == tmp_path / "g.duckdb"
    monkeypatch.delenv("POLYBIUS_GAZETTEER")
    assert default_path().name == "gazetteer-v1.duckdb"


def test_bundled_regions_are_well_formed() -> None:
    rows = load_regions()
    names = {r.name for r in rows}
    for needed in (
        "Caspian Sea",
        "Black Sea",
        "Middle East",
        "Gaza Strip",
        "West Bank",
        "Donbas",
        "Crimea",
        "Sahel",
        "Kashmir",
    ):
        assert needed in names
    assert len(names) == len(rows)
    caspian = next(r for r in rows if r.name == "Caspian Sea")
    assert caspian.country is None and 36 < caspian.lat < 47 and 46 < caspian.lon < 55


def test_regions_file_schema_is_checked(tmp_path) -> None:
    bad = tmp_path / "regions.tsv"
    bad.write_text(
        "name\taliases\tcountry\tlat\tlon\tfeature_class\tfeature_code\n"
        "Somewhere\t\tXX\t1\t2\tL\tRGN\n",
        "utf-8",
    )
    with pytest.raises(GazetteerError) as err:
        load_regions(bad)
    assert err.value.code == "E043"
    bad.write_text("name\tlat\n", "utf-8")
    with pytest.raises(GazetteerError, match="E043"):
        load_regions(bad)
    bad.write_text(
        "name\taliases\tcountry\tlat\tlon\tfeature_class\tfeature_code\n"
        "Somewhere\t\t\tnorth\t2\tL\tRGN\n",
        "utf-8",
    )
    with pytest.raises(GazetteerError, match="E043"):
        load_regions(bad)


def test_missing_index_without_build_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(GazetteerError) as err:
        Gazetteer.open(tmp_path / "none.duckdb", build_if_missing=False)
    assert err.value.code == "E044"
    assert "--build-gazetteer" in str(err.value)


def test_damaged_index_is_a_clear_error(tmp_path) -> None:
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"not a database at all" * 100)
    with pytest.raises(GazetteerError) as err:
        Gazetteer.open(broken, build_if_missing=False)
    assert err.value.code == "E041"


def test_stale_index_is_refused_without_rebuild(tmp_path) -> None:
    import duckdb

    stale = tmp_path / "stale.duckdb"
    con = duckdb.connect(str(stale))
    con.execute("CREATE TABLE meta(key VARCHAR, value VARCHAR)")
    con.execute("INSERT INTO meta VALUES ('schema_version', '1'), ('fingerprint', 'old')")
    con.close()
    with pytest.raises(GazetteerError, match="stale"):
        Gazetteer.open(stale, build_if_missing=False)
    assert source_fingerprint() != "old"


# --- the shared test index ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"), [("Kiev", "Kyiv"), ("Bakı", "Baku"), ("Bombay", "Mumbai"), ("BAKU", "baku")]
)
def test_exonyms_and_spellings_find_the_same_city(gazetteer: Gazetteer, a: str, b: str) -> None:
    def cities(name: str) -> set[int | None]:
        return {
            c.geonameid
            for c in gazetteer.lookup(name)
            if c.kind == "city" and c.population > 1_000_000
        }

    assert cities(a) & cities(b)


def test_baku_is_the_seed_storys_place(gazetteer: Gazetteer) -> None:
    baku = next(c for c in gazetteer.lookup("Baku") if c.geonameid == 587084)
    assert (baku.country, baku.kind, baku.feature_code) == ("AZE", "city", "PPLC")
    assert round(baku.lat, 4) == 40.3777 and round(baku.lon, 3) == 49.892
    place = baku.to_place(basis="text")
    assert (place.precision, place.basis, place.geonameid) == ("city", "text", 587084)


def test_candidates_carry_iso3_and_admin1(gazetteer: Gazetteer) -> None:
    paris = gazetteer.lookup("Paris")
    assert {"FRA", "USA"} <= {c.country for c in paris}
    texan = next(c for c in paris if c.country == "USA" and c.admin1_code == "TX")
    assert texan.admin1_name == "Texas"
    assert all(c.country is None or len(c.country) == 3 for c in paris)


def test_countries_admin1_and_regions_are_indexed(gazetteer: Gazetteer) -> None:
    assert any(c.kind == "country" and c.country == "IRN" for c in gazetteer.lookup("Iran"))
    assert any(c.kind == "country" and c.country == "USA" for c in gazetteer.lookup("U.S."))
    assert any(c.kind == "admin1" and c.country == "USA" for c in gazetteer.lookup("Texas"))
    sea = [c for c in gazetteer.lookup("the Caspian Sea") if c.kind == "region"]
    assert sea and sea[0].country is None and sea[0].precision == "region"
    assert any(c.kind == "region" and c.country == "PSE" for c in gazetteer.lookup("Gaza Strip"))


def test_unknown_names_and_empty_names(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup("Xqzzyville") == []
    assert gazetteer.lookup("") == []
    assert gazetteer.lookup("   ") == []


def test_country(gazetteer: Gazetteer) -> None:
    aze = gazetteer.country("AZE")
    assert aze is not None and aze.name == "Azerbaijan" and aze.precision == "country"
    assert 38 < aze.lat < 42 and 44 < aze.lon < 51
    assert gazetteer.country("XYZ") is None


def test_lookups_are_cached(gazetteer: Gazetteer) -> None:
    first = gazetteer.lookup("Tbilisi")
    assert normalise_name("Tbilisi") in gazetteer._cache
    assert gazetteer.lookup("TBILISI") == first


def test_status(gazetteer: Gazetteer) -> None:
    status = gazetteer.status()
    assert status["exists"] and status["schema_version"] == "1"
    assert int(status["places"]) > 200_000 and int(status["names"]) > 400_000
    assert status["fingerprint"] == source_fingerprint()


def test_a_new_build_removes_what_killed_builds_left(tmp_path) -> None:
    from polybius.gazetteer import remove_stale_temporaries

    target = tmp_path / "gazetteer.duckdb"
    orphans = [tmp_path / "gazetteer.duckdb.x1y2.tmp", tmp_path / "gazetteer.duckdb.x1y2.tmp.wal"]
    for orphan in orphans:
        orphan.write_bytes(b"partial")
    keep = tmp_path / "other.duckdb.x1y2.tmp"
    keep.write_bytes(b"not ours")
    assert sorted(remove_stale_temporaries(target)) == sorted(orphans)
    assert not any(o.exists() for o in orphans) and keep.exists()


def test_a_gazetteer_crosses_processes_by_path(gazetteer: Gazetteer) -> None:
    import pickle

    from polybius.where import Locator

    copy = pickle.loads(pickle.dumps(gazetteer))
    assert copy is not gazetteer and copy.path == gazetteer.path
    assert [c.geonameid for c in copy.lookup("Baku")] == [
        c.geonameid for c in gazetteer.lookup("Baku")
    ]
    locator = pickle.loads(pickle.dumps(Locator(gazetteer)))
    assert locator.gazetteer.lookup("Baku")


def test_prefetch_fills_the_cache_in_one_query(gazetteer: Gazetteer) -> None:
    names = ["Ganja", "Sumqayit", "Lankaran", "No Such Place Anywhere"]
    gazetteer.prefetch(names)
    assert all(normalise_name(n) in gazetteer._cache for n in names)
    assert gazetteer.prefetch(names) == 0
    assert gazetteer.lookup("Ganja")[0].country == "AZE"
    assert gazetteer.lookup("No Such Place Anywhere") == []
