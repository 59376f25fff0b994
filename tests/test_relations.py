"""Relations over time and top-N: counts, directions, dedup, periods, the CLI and the plot."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from polybius.api.sample import coded_article
from polybius.cli import main
from polybius.errors import PolybiusError
from polybius.relations import net_index, relations, resolve_side, sparkline, top
from polybius.store import Store


@pytest.fixture()
def db(tmp_path):
    """Azerbaijan-Iran: 3 real events in Jan 2019 (one reported twice), 1 in Mar; plus noise."""
    path = tmp_path / "rel.duckdb"
    with Store(path) as store:
        store.add_batch([
            coded_article(date(2019, 1, 5), "AZE", "IRN", "CONSULT", "Trend"),
            coded_article(date(2019, 1, 5), "AZE", "IRN", "CONSULT", "Reuters", lead="Reuters reports:"),
            coded_article(date(2019, 1, 20), "IRN", "AZE", "ACCUSE", "AP"),
            coded_article(date(2019, 1, 28), "AZE", "IRN", "AID", "TASS"),
            coded_article(date(2019, 3, 2), "IRN", "AZE", "ASSAULT", "AP"),
            coded_article(date(2019, 2, 10), "ARM", "AZE", "ASSAULT", "AP"),
            coded_article(date(2019, 2, 11), "RUS", "UKR", "THREATEN", "AP"),
        ])
    return path


def test_counts_directions_and_dedup(db):
    with Store(db, read_only=True) as store:
        r = relations(store, "Azerbaijan", "IRN", by="month")
    assert r.title == "Azerbaijan – Iran, by month"
    both = r.totals["both"]
    assert (both["events"], both["mentions"]) == (4, 5)  # the double report is one real event
    assert (both["cooperation"], both["conflict"]) == (2, 2)
    assert both["net"] == 0.0
    assert both["goldstein_sum"] == pytest.approx(1.0 + -2.0 + 7.4 + -10.0)
    assert r.totals["a_b"]["events"] == 2 and r.totals["b_a"]["events"] == 2
    assert r.totals["a_b"]["by_type"] == {"CONSULT": {"events": 1, "mentions": 2}, "AID": {"events": 1, "mentions": 1}}
    months = [row for row in r.direction("both")]
    assert [m["period"] for m in months] == ["2019-01-01", "2019-02-01", "2019-03-01"]  # gap filled
    jan, feb, mar = months
    assert (jan["events"], jan["verbal_cooperation"], jan["material_cooperation"], jan["verbal_conflict"]) == (3, 1, 1, 1)
    assert jan["net"] == pytest.approx(1 / 3, abs=1e-3)
    assert feb["events"] == 0 and feb["net"] is None
    assert mar["material_conflict"] == 1 and mar["net"] == -1.0
    ab = {row["period"]: row for row in r.direction("a_b")}
    assert ab["2019-01-01"]["events"] == 2 and ab["2019-03-01"]["events"] == 0


def test_order_of_sides_and_codes(db):
    with Store(db, read_only=True) as store:
        r = relations(store, "IRN", "AZE", by="quarter")
        assert r.totals["a_b"]["events"] == 2  # IRN -> AZE
        assert [row["period"] for row in r.direction("both")] == ["2019-01-01"]
        mil = relations(store, "AZEGOV", "IRN", by="year")  # actor-code prefix
        assert mil.totals["both"]["events"] == 4  # sample recipients are GOV, actors GOV or MIL
        assert relations(store, "IRNMIL", "AZE").totals["a_b"]["events"] == 1  # the assault
        window = relations(store, "AZE", "IRN", start="2019-01-10", end="2019-01-31", by="week")
        assert window.totals["both"]["events"] == 2
        assert window.direction("both")[0]["period"] == "2019-01-07"  # ISO weeks start on Monday
        assert relations(store, "AZE", "USA").totals["both"]["events"] == 0


def test_bad_input_is_e066(db):
    with Store(db, read_only=True) as store:
        for bad in ("", "x'; DROP TABLE events; --", "Narnia"):
            with pytest.raises(PolybiusError) as err:
                relations(store, bad, "IRN")
            assert err.value.code == "E066"
        with pytest.raises(PolybiusError):
            relations(store, "AZE", "IRN", by="fortnight")
        with pytest.raises(PolybiusError):
            relations(store, "AZE", "IRN", start="2019-13-01")
        with pytest.raises(PolybiusError):
            top(store, by="dyad; select 1")
        assert store.query("SELECT count(*) FROM events")[0][0] == 7


def test_top(db):
    with Store(db, read_only=True) as store:
        dyads = top(store, by="dyad")
        assert dyads[0]["key"] == "AZE-IRN" and dyads[0]["events"] == 4 and dyads[0]["mentions"] == 5
        assert dyads[0]["label"] == "Azerbaijan – Iran"
        assert {d["key"] for d in dyads} == {"AZE-IRN", "ARM-AZE", "RUS-UKR"}
        countries = top(store, by="country", limit=2)
        assert countries[0]["key"] == "AZE" and countries[0]["events"] == 5
        assert len(countries) == 2
        types = {t["key"]: t for t in top(store, by="type")}
        assert types["ASSAULT"]["events"] == 2 and types["CONSULT"]["mentions"] == 2
        assert top(store, by="actor")[0]["events"] >= 1
        assert top(store, by="dyad", start="2019-02-01", end="2019-02-28")[0]["key"] in {"ARM-AZE", "RUS-UKR"}


def test_helpers():
    assert net_index(3, 1) == 0.5 and net_index(0, 0) is None and net_index(0, 2) == -1.0
    assert sparkline([0, 1, 2, None, 7]) == "▁▂▃ █"
    assert sparkline([]) == ""
    assert resolve_side("AZEMIL").kind == "code"
    assert resolve_side("iran").value == "IRN"


def test_cli_relations_table_json_csv_plot(db, tmp_path):
    runner = CliRunner()
    res = runner.invoke(main, ["relations", "AZE", "IRN", "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert "Azerbaijan – Iran, by month" in res.output
    assert "cooperation ▇" in res.output or "cooperation █" in res.output
    res = runner.invoke(main, ["relations", "AZE", "IRN", "--db", str(db), "--format", "json", "--by", "year"])
    data = json.loads(res.output)
    assert data["totals"]["both"]["events"] == 4 and data["series"][0]["period"] == "2019-01-01"
    res = runner.invoke(main, ["relations", "AZE", "IRN", "--db", str(db), "--format", "csv"])
    assert res.output.splitlines()[0].startswith("period,direction,events,mentions")
    png, svg = tmp_path / "r.png", tmp_path / "r.svg"
    assert runner.invoke(main, ["relations", "AZE", "IRN", "--db", str(db), "--plot", str(png)]).exit_code == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    assert runner.invoke(main, ["relations", "AZE", "IRN", "--db", str(db), "--plot", str(svg)]).exit_code == 0
    text = svg.read_text()
    assert "<svg" in text and "Azerbaijan" in text
    res = runner.invoke(main, ["relations", "AZE", "Narnia", "--db", str(db)])
    assert res.exit_code == 2 and "E066" in res.output


def test_cli_top(db):
    res = CliRunner().invoke(main, ["top", "--db", str(db), "--by", "country", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)[0]["key"] == "AZE"
    res = CliRunner().invoke(main, ["top", "--db", str(db)])
    assert "Azerbaijan – Iran" in res.output
