"""Model-free checks of the hand-coded golden set (tests/golden/articles.jsonl).

The golden set is what `polybius evaluate` scores against, so a malformed record there
silently corrupts every score. These tests need neither spaCy nor the gazetteer: they read
the file, check its shape (the format in docs/GOLD_FORMAT.md), the codes (ISO 3166-1
alpha-3 via pycountry or a PLOVER non-state code, the 16 PLOVER types, CAMEO strings with
their leading zeros), the dates (ISO, never after the story date), that every evidence text
is an exact substring of its story, and the coverage the set promises (stories, types,
must-not categories).
"""

from __future__ import annotations

import collections
import csv
import json
import re
from pathlib import Path

import pycountry
import pytest

from polybius import ontology

GOLD = Path(__file__).resolve().parent / "golden" / "articles.jsonl"

PLOVER_TYPES = set(ontology.PLOVER_TYPES)
# CAMEO roots each PLOVER type may come from. Mostly the PLOVER manual's table; COERCE and
# ASSAULT also take the individual codes the 2021 CAMEO->PLOVER conversion moves across roots
# (163 -> COERCE there, 1712/175 -> ASSAULT, 191/192 -> COERCE). The golden set codes
# economic sanctions (163) as SANCTION, following the PLOVER manual's definition of SANCTION.
ALLOWED_ROOTS = {
    "AGREE": {"03"},
    "CONSULT": {"04"},
    "SUPPORT": {"05"},
    "COOPERATE": {"06"},
    "AID": {"07"},
    "CONCEDE": {"08"},
    "RETREAT": {"08"},
    "REQUEST": {"10"},
    "ACCUSE": {"09", "11"},
    "REJECT": {"12"},
    "THREATEN": {"13"},
    "PROTEST": {"14"},
    "MOBILIZE": {"15"},
    "SANCTION": {"16"},
    "COERCE": {"16", "17", "19"},
    "ASSAULT": {"17", "18", "19", "20"},
}
# PLOVER's "country" slot for actors that are not states, plus Kosovo's user-assigned code.
NON_STATE = {"IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC"}
EXTRA_COUNTRIES = {"XKX"}
WHY = {"negated", "hypothetical", "historical", "reported"}
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")  # days only; vaguer dates are left out
CAMEO_RE = re.compile(r"^\d{3,4}$")
REQUIRED_STORY = ("id", "date", "text", "events", "must_not")

MIN_STORIES = 45
MIN_STORIES_PER_TYPE = 3
MIN_MUST_NOT = 100
MIN_PER_WHY = 15


def _load() -> list[dict]:
    records = []
    with GOLD.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:  # pragma: no cover - the message is the test
                pytest.fail(f"{GOLD.name}:{n}: not valid JSON: {exc}")
    return records


@pytest.fixture(scope="module")
def stories() -> list[dict]:
    assert GOLD.exists(), f"{GOLD} is missing"
    assert GOLD.stat().st_size < 1_000_000, "golden file must stay under 1 MB"
    return _load()


def _country_ok(code: str) -> bool:
    return (
        code in NON_STATE
        or code in EXTRA_COUNTRIES
        or pycountry.countries.get(alpha_3=code) is not None
    )


def _check_actor(where: str, actor, problems: list[str], *, required: bool) -> None:
    if actor is None:
        if required:
            problems.append(f"{where}: missing")
        return
    if not isinstance(actor, dict):
        problems.append(f"{where}: not an object")
        return
    code = actor.get("country")
    if code is None:
        problems.append(f"{where}: no country")
    elif not isinstance(code, str) or not _country_ok(code):
        problems.append(f"{where}: {code!r} is not ISO 3166-1 alpha-3 nor a PLOVER non-state code")
    if code in NON_STATE and not actor.get("name"):
        problems.append(f"{where}: non-state code {code} needs the organisation's name")
    if "name" in actor and not (isinstance(actor["name"], str) and actor["name"].strip()):
        problems.append(f"{where}: empty name")


def _check_evidence(where: str, rec: dict, text: str, problems: list[str]) -> None:
    ev = rec.get("evidence")
    if not isinstance(ev, dict) or not isinstance(ev.get("text"), str) or not ev["text"].strip():
        problems.append(f"{where}: evidence.text missing")
    elif ev["text"] not in text:
        problems.append(f"{where}: evidence not an exact substring: {ev['text'][:60]!r}")


def test_story_fields(stories):
    problems: list[str] = []
    ids = collections.Counter(s.get("id") for s in stories)
    problems += [f"duplicate id {i}" for i, c in ids.items() if c > 1]
    for s in stories:
        sid = s.get("id", "?")
        for key in REQUIRED_STORY:
            if key not in s:
                problems.append(f"{sid}: missing {key}")
        if not isinstance(s.get("text"), str) or not s["text"].strip():
            problems.append(f"{sid}: empty text")
            continue
        if not (isinstance(s.get("date"), str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", s["date"])):
            problems.append(f"{sid}: story date {s.get('date')!r} is not YYYY-MM-DD")
        if s["text"].lstrip().startswith("date "):
            problems.append(f"{sid}: text must not carry the dateline header line")
        words = len(s["text"].split())
        if not 150 <= words <= 400:
            problems.append(f"{sid}: {words} words (150-400 expected)")
        if not 2 <= len(s.get("events", [])) <= 5:
            problems.append(f"{sid}: {len(s.get('events', []))} gold events (2-5 expected)")
        if not 2 <= len(s.get("must_not", [])) <= 4:
            problems.append(f"{sid}: {len(s.get('must_not', []))} must_not entries (2-4 expected)")
    assert not problems, "\n".join(problems)


def test_gold_events(stories):
    problems: list[str] = []
    for s in stories:
        sid, text, sdate = s["id"], s["text"], s["date"]
        for i, e in enumerate(s["events"]):
            where = f"{sid} event {i}"
            p = e.get("plover")
            if p not in PLOVER_TYPES:
                problems.append(f"{where}: plover {p!r} is not one of the 16 types")
            _check_actor(f"{where} actor", e.get("actor"), problems, required=True)
            _check_actor(f"{where} recipient", e.get("recipient"), problems, required=False)
            cameo = e.get("cameo")
            if cameo is not None:
                if not (isinstance(cameo, str) and CAMEO_RE.match(cameo)):
                    problems.append(f"{where}: cameo {cameo!r} must be a 3-4 digit string")
                elif p in ALLOWED_ROOTS and cameo[:2] not in ALLOWED_ROOTS[p]:
                    problems.append(f"{where}: cameo root {cameo[:2]} does not fit {p}")
            d = e.get("date")
            if d is not None:
                if not (isinstance(d, str) and DATE_RE.match(d)):
                    problems.append(f"{where}: date {d!r} is not ISO YYYY-MM-DD")
                elif d > sdate:
                    problems.append(f"{where}: date {d} is after the story date {sdate}")
            loc = e.get("location")
            if loc is not None:
                if not (isinstance(loc, dict) and isinstance(loc.get("name"), str)):
                    problems.append(f"{where}: location needs a name")
                else:
                    if loc["name"] not in text:
                        problems.append(f"{where}: location {loc['name']!r} not in the text")
                    if "country" in loc and not _country_ok(loc["country"]):
                        problems.append(f"{where}: location country {loc['country']!r}")
            _check_evidence(where, e, text, problems)
    assert not problems, "\n".join(problems)


def test_must_not_entries(stories):
    problems: list[str] = []
    for s in stories:
        for i, m in enumerate(s["must_not"]):
            where = f"{s['id']} must_not {i}"
            if m.get("plover") not in PLOVER_TYPES:
                problems.append(f"{where}: plover {m.get('plover')!r}")
            if m.get("why") not in WHY:
                problems.append(f"{where}: why {m.get('why')!r} not in {sorted(WHY)}")
            _check_actor(f"{where} actor", m.get("actor"), problems, required=False)
            _check_actor(f"{where} recipient", m.get("recipient"), problems, required=False)
            _check_evidence(where, m, s["text"], problems)
    assert not problems, "\n".join(problems)


def test_must_not_is_not_also_gold(stories):
    """A must-not entry may not duplicate a gold event (same type, dyad and evidence)."""
    clashes = []
    for s in stories:
        gold = {
            (
                e["plover"],
                (e.get("actor") or {}).get("country"),
                (e.get("recipient") or {}).get("country"),
                e["evidence"]["text"],
            )
            for e in s["events"]
        }
        for m in s["must_not"]:
            key = (
                m["plover"],
                (m.get("actor") or {}).get("country"),
                (m.get("recipient") or {}).get("country"),
                m["evidence"]["text"],
            )
            if key in gold:
                clashes.append(f"{s['id']}: {key}")
    assert not clashes, "\n".join(clashes)


def test_coverage(stories):
    assert len(stories) >= MIN_STORIES, f"{len(stories)} stories, need >= {MIN_STORIES}"
    per_type = collections.Counter()
    for s in stories:
        per_type.update({e["plover"] for e in s["events"]})
    thin = {t: per_type[t] for t in PLOVER_TYPES if per_type[t] < MIN_STORIES_PER_TYPE}
    assert not thin, f"PLOVER types in fewer than {MIN_STORIES_PER_TYPE} stories: {thin}"
    why = collections.Counter(m["why"] for s in stories for m in s["must_not"])
    total = sum(why.values())
    assert total >= MIN_MUST_NOT, f"{total} must_not entries, need >= {MIN_MUST_NOT}"
    thin_why = {w: why[w] for w in WHY if why[w] < MIN_PER_WHY}
    assert not thin_why, f"must_not categories under {MIN_PER_WHY}: {thin_why}"


@pytest.mark.shared
def test_cameo_codes_exist_in_reference(stories, shared_dir):
    """Every CAMEO code used is a real code of the published table (when ../shared is here)."""
    table = shared_dir / "reference" / "cameo" / "cameo_event_codes_merged.tsv"
    if not table.exists():
        pytest.skip("reference CAMEO table not present")
    with table.open(encoding="utf-8") as fh:
        known = {row["code"] for row in csv.DictReader(fh, delimiter="\t")}
    unknown = sorted({e["cameo"] for s in stories for e in s["events"] if e.get("cameo")} - known)
    assert not unknown, f"CAMEO codes not in the reference table: {unknown}"


def test_evaluator_reads_the_golden_file(stories):
    """The project's own gold reader accepts every record (skips while it is not built)."""
    evaluate = pytest.importorskip("polybius.evaluate")
    records = evaluate.read_gold(GOLD)
    assert len(records) == len(stories)
    assert sum(len(r.events) for r in records) == sum(len(s["events"]) for s in stories)
    assert sum(len(r.must_not) for r in records) == sum(len(s["must_not"]) for s in stories)
