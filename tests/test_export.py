"""Export: JSONL (v1), PLOVER, GDELT 2.0 (61 columns, round trip through pandas), CSV, Parquet."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from polybius.api.sample import coded_article
from polybius.cli import main
from polybius.errors import PolybiusError
from polybius.export import (
    CSV_COLUMNS,
    GDELT_COLUMNS,
    PLOVER_FIELDS,
    EventFilter,
    export,
    fips,
    gdelt_quad_class,
    validate_plover,
)
from polybius.store import Store

# GDELT 2.0 event table: published column names and the dtypes to read them with.
GDELT_DTYPES = {name: str for name in GDELT_COLUMNS}
GDELT_DTYPES.update({n: "int64" for n in ("GlobalEventID", "Day", "MonthYear", "Year", "IsRootEvent",
                                         "QuadClass", "NumMentions", "NumSources", "NumArticles",
                                         "Actor1Geo_Type", "Actor2Geo_Type", "ActionGeo_Type", "DATEADDED")})
GDELT_DTYPES.update({n: "float64" for n in ("FractionDate", "GoldsteinScale", "AvgTone",
                                           "Actor1Geo_Lat", "Actor1Geo_Long", "Actor2Geo_Lat",
                                           "Actor2Geo_Long", "ActionGeo_Lat", "ActionGeo_Long")})


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "ex.duckdb"
    with Store(path) as store:
        store.add_batch([
            coded_article(date(2019, 7, 18), "AZE", "IRN", "CONSULT", "Azernews"),
            coded_article(date(2019, 7, 18), "AZE", "IRN", "CONSULT", "Trend", lead="Trend reports:"),
            coded_article(date(2019, 8, 2), "IRN", "AZE", "ACCUSE", "AP"),
            coded_article(date(2020, 9, 27), "ARM", "AZE", "ASSAULT", "Reuters"),
        ])
    return path


def _export(db, tmp_path, fmt, **filters):
    out = tmp_path / f"out.{fmt}"
    with Store(db, read_only=True) as store:
        n = export(store, out, fmt=fmt, flt=EventFilter.build(**filters), force=True)
    return n, out


def test_jsonl_is_v1(db, tmp_path):
    n, out = _export(db, tmp_path, "jsonl")
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert n == len(records) == 4
    assert all(r["version"] == 1 and r["cameo"].isdigit() and len(r["cameo"]) == 3 for r in records)
    assert [r["date"] for r in records] == ["2019-07-18", "2019-07-18", "2019-08-02", "2020-09-27"]
    assert _export(db, tmp_path, "jsonl", dyad="IRN-AZE")[0] == 3
    assert _export(db, tmp_path, "jsonl", country="ARM")[0] == 1
    assert _export(db, tmp_path, "jsonl", type="ACCUSE")[0] == 1
    assert _export(db, tmp_path, "jsonl", type="04")[0] == 2
    assert _export(db, tmp_path, "jsonl", start="2019-08-01", end="2019-12-31")[0] == 1


def test_plover_records_validate(db, tmp_path):
    n, out = _export(db, tmp_path, "plover")
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert n == 4
    for rec in records:
        assert validate_plover(rec) == [], rec
        assert set(PLOVER_FIELDS) <= set(rec)
    rec = records[0]
    assert rec["event"] == "CONSULT" and rec["date"] == "2019-07-18"
    assert rec["actor"][0]["country"] == "AZE" and rec["actor"][0]["sector"] == ["GOV"]
    assert rec["recipient"][0]["country"] == "IRN"
    assert rec["event_loc"]["name"] == "Baku" and rec["event_loc"]["lat"] == pytest.approx(40.37767)
    assert rec["cite_info"]["source"] in {"Azernews", "Trend"} and rec["cite_info"]["url"].startswith("https://")
    assert "met with" in rec["cite_info"]["text"]
    assert validate_plover({**rec, "event": "HUG"}) == ["event: unknown HUG"]
    assert "cite_info: missing" in validate_plover({k: v for k, v in rec.items() if k != "cite_info"})


def test_gdelt_round_trip(db, tmp_path):
    pd = pytest.importorskip("pandas")
    n, out = _export(db, tmp_path, "gdelt")
    assert n == 3  # one row per distinct event: the double report of the meeting is one row
    lines = out.read_text().splitlines()
    assert all(len(line.split("\t")) == 61 for line in lines)
    assert not lines[0].startswith("GlobalEventID")  # no header, as GDELT
    df = pd.read_csv(out, sep="\t", header=None, names=list(GDELT_COLUMNS), dtype=GDELT_DTYPES,
                     keep_default_na=False, na_values={c: [""] for c, t in GDELT_DTYPES.items() if t == "float64"})
    assert list(df.columns) == list(GDELT_COLUMNS) and len(GDELT_COLUMNS) == 61
    row = df.iloc[0].to_dict()
    added = row.pop("DATEADDED")
    assert 20200101000000 < added < 30000101000000
    assert row.pop("GlobalEventID") > 0
    assert row.pop("SOURCEURL").startswith("https://example.org/")
    assert pd.isna(row.pop("AvgTone"))
    expected = {
        "Day": 20190718, "MonthYear": 201907, "Year": 2019, "FractionDate": pytest.approx(2019.5452, abs=1e-4),
        "Actor1Code": "AZEGOV", "Actor1Name": "AZERBAIJAN", "Actor1CountryCode": "AZE",
        "Actor1KnownGroupCode": "", "Actor1EthnicCode": "", "Actor1Religion1Code": "",
        "Actor1Religion2Code": "", "Actor1Type1Code": "GOV", "Actor1Type2Code": "", "Actor1Type3Code": "",
        "Actor2Code": "IRNGOV", "Actor2Name": "IRAN", "Actor2CountryCode": "IRN",
        "Actor2KnownGroupCode": "", "Actor2EthnicCode": "", "Actor2Religion1Code": "",
        "Actor2Religion2Code": "", "Actor2Type1Code": "GOV", "Actor2Type2Code": "", "Actor2Type3Code": "",
        "IsRootEvent": 1, "EventCode": "040", "EventBaseCode": "040", "EventRootCode": "04",
        "QuadClass": 1, "GoldsteinScale": 1.0, "NumMentions": 2, "NumSources": 2, "NumArticles": 2,
        "Actor1Geo_Type": 0, "Actor1Geo_FullName": "", "Actor1Geo_CountryCode": "", "Actor1Geo_ADM1Code": "",
        "Actor1Geo_ADM2Code": "", "Actor1Geo_FeatureID": "",
        "Actor2Geo_Type": 0, "Actor2Geo_FullName": "", "Actor2Geo_CountryCode": "", "Actor2Geo_ADM1Code": "",
        "Actor2Geo_ADM2Code": "", "Actor2Geo_FeatureID": "",
        "ActionGeo_Type": 4, "ActionGeo_FullName": "Baku, Azerbaijan", "ActionGeo_CountryCode": "AJ",
        "ActionGeo_ADM1Code": "AJ09", "ActionGeo_ADM2Code": "", "ActionGeo_Lat": pytest.approx(40.3777),
        "ActionGeo_Long": pytest.approx(49.892), "ActionGeo_FeatureID": "587084",
    }
    for key in ("Actor1Geo_Lat", "Actor1Geo_Long", "Actor2Geo_Lat", "Actor2Geo_Long"):
        assert pd.isna(row.pop(key))
    assert row == expected
    assert df["EventCode"].tolist() == ["040", "112", "195"]
    assert df["QuadClass"].tolist() == [1, 3, 4]  # GDELT convention (roots 10-14 -> 3, 15-20 -> 4)
    assert df.iloc[2]["ActionGeo_FullName"] == "Baku, Azerbaijan"  # the assault's target capital
    assert df.iloc[2]["Actor1Type1Code"] == "MIL"


def test_gdelt_conventions():
    assert [gdelt_quad_class(c) for c in ("010", "057", "061", "094", "100", "145", "150", "204")] == [1, 1, 2, 2, 3, 3, 4, 4]
    assert fips("AZE") == "AJ" and fips("IRN") == "IR" and fips("DEU") == "GM" and fips(None) == ""


def test_csv_and_parquet_schema(db, tmp_path):
    pd = pytest.importorskip("pandas")
    n, out = _export(db, tmp_path, "csv")
    df = pd.read_csv(out, dtype={"cameo": str, "cameo_root": str})
    assert n == 4 and list(df.columns) == [c for c, _ in CSV_COLUMNS]
    assert df["cameo"].tolist()[0] == "040"
    n, out = _export(db, tmp_path, "parquet")
    import pyarrow.parquet as pq

    table = pq.read_table(out)
    assert table.num_rows == 4 and table.column_names == [c for c, _ in CSV_COLUMNS]
    assert str(table.schema.field("date").type) == "date32[day]"
    assert table.column("lat").to_pylist()[0] == pytest.approx(40.37767)


def test_refuses_overwrite_and_bad_filters(db, tmp_path):
    out = tmp_path / "x.jsonl"
    out.write_text("keep me")
    with Store(db, read_only=True) as store:
        with pytest.raises(PolybiusError) as err:
            export(store, out, fmt="jsonl")
        assert err.value.code == "E068" and out.read_text() == "keep me"
        for bad in ({"country": "AZ'"}, {"dyad": "AZE"}, {"type": "1; DROP"}, {"start": "yesterday"}):
            with pytest.raises(PolybiusError) as err:
                EventFilter.build(**bad)
            assert err.value.code == "E066"
    res = CliRunner().invoke(main, ["export", "--db", str(db), str(out)])
    assert res.exit_code == 2 and "E068" in res.output
    res = CliRunner().invoke(main, ["export", "--db", str(db), "--force", "--format", "gdelt", str(out)])
    assert res.exit_code == 0 and len(out.read_text().splitlines()) == 3
