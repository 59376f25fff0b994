"""End to end through the CLI, as a user runs it (needs the model: marked)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from polybius.cli import main

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def run(*args: str, input: str | None = None):
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    return result


def events_of(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_seed_story(seed_story):
    result = run("code", str(seed_story), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    events = events_of(result.stdout)
    countries = {e["actor"]["country"] for e in events} | {e["recipient"]["country"] for e in events if e["recipient"]}
    assert countries <= {"AZE", "IRN"}, countries
    assert not [e for e in events if e["date"] == "2019-10-24"]
    assert all(e["quad_class"] in (1, 2) for e in events), [(e["plover"], e["evidence"]["trigger"]) for e in events]
    first = [e for e in events if e["plover"] == "CONSULT" and e["date"] == "2019-07-18" and e["cameo"].startswith("04")]
    names = {(e["actor"]["name"], (e["recipient"] or {}).get("name")) for e in first}
    assert ("Zakir Hasanov", "Javad Jahangirzadeh") in names, names
    hasanov = next(e for e in first if e["actor"]["name"] == "Zakir Hasanov")
    assert hasanov["actor"]["country"] == "AZE" and set(hasanov["actor"]["sectors"]) >= {"GOV", "MIL"}
    assert hasanov["recipient"]["country"] == "IRN"
    baku = [e for e in events if e["plover"] == "CONSULT" and e["date"] == "2018-10-24"]
    assert baku, [(e["date"], e["evidence"]["trigger"]) for e in events]
    loc = baku[0]["location"]
    assert loc["name"] == "Baku" and loc["country"] == "AZE"
    assert abs(loc["lat"] - 40.38) < 0.05 and abs(loc["lon"] - 49.89) < 0.05
    assert {baku[0]["actor"]["country"], baku[0]["recipient"]["country"]} == {"AZE", "IRN"}


def test_two_hundred_articles_in_one_call(tmp_path):
    path = tmp_path / "many.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i in range(200):
            text = (f"Story {i}. Turkish President Recep Tayyip Erdogan met German Chancellor Olaf Scholz "
                    f"in Ankara on Monday. Police arrested {i + 2} protesters in Istanbul.")
            fh.write(json.dumps({"id": f"s{i}", "date": "2023-10-20", "text": text}) + "\n")
    result = run("code", str(path), "--format", "jsonl")
    assert result.exit_code == 0
    events = events_of(result.stdout)
    assert len({e["source_id"] for e in events}) == 200


def test_bad_inputs_are_reported_and_the_rest_is_coded(tmp_path, seed_story):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "latin1.txt").write_bytes("Le président a rencontré le ministre à Paris.".encode("latin-1"))
    lines = tmp_path / "lines.jsonl"
    lines.write_text(json.dumps({"id": "ok1", "date": "2020-05-05", "text": "Russia accused Ukraine of shelling Donetsk on Tuesday."})
                     + "\n{broken\n", encoding="utf-8")
    result = run("code", str(tmp_path / "empty.txt"), str(tmp_path / "binary.txt"), str(tmp_path / "latin1.txt"),
                 str(lines), str(tmp_path / "missing.txt"), str(seed_story), "--format", "jsonl")
    assert result.exit_code == 1
    err = result.stderr
    for code, name in [("E002", "empty.txt"), ("E003", "binary.txt"), ("E004", "latin1.txt"),
                       ("E005", "lines.jsonl:2"), ("E001", "missing.txt")]:
        assert any(line.startswith(code) and name in line for line in err.splitlines()), (code, err)
    coded = {e["source_id"] for e in events_of(result.stdout)}
    assert "ok1" in coded
    assert any(e["date"] == "2019-07-18" for e in events_of(result.stdout))


def test_ingest_twice_same_rows_and_events_read_back(tmp_path):
    db = tmp_path / "x.duckdb"
    first = run("ingest", str(EXAMPLES), "--db", str(db), "--no-progress")
    assert first.exit_code == 0, first.output
    listing = run("events", "--db", str(db), "--format", "jsonl")
    n = len(events_of(listing.stdout))
    assert n > 0
    second = run("ingest", str(EXAMPLES), "--db", str(db), "--no-progress")
    assert second.exit_code == 0
    assert len(events_of(run("events", "--db", str(db), "--format", "jsonl").stdout)) == n
    only = events_of(run("events", "--db", str(db), "--country", "AZE", "--format", "jsonl").stdout)
    assert only and all("AZE" in (e["actor"]["country"], (e["recipient"] or {}).get("country")) for e in only)


def test_explain_shows_rules_links_and_drops(seed_story):
    result = run("explain", str(seed_story))
    assert result.exit_code == 0, result.output
    assert "CODED" in result.stdout and "rule:" in result.stdout
    assert "Hasanov" in result.stdout


def test_stdin(seed_story):
    result = run("code", "-", "--format", "jsonl", input=seed_story.read_text(encoding="utf-8"))
    assert result.exit_code == 0
    assert any(e["date"] == "2019-07-18" for e in events_of(result.stdout))
