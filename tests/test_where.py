"""The where stage: scoring with hand-built candidates (no model, no gazetteer), the event
location rules on hand-built parses, and the golden cases through the real model."""

from __future__ import annotations

import csv
import os
from collections import Counter
from pathlib import Path

import pytest

from polybius.gazetteer import GeoCandidate
from polybius.records import Article
from polybius.where import (
    Locator,
    ScoringContext,
    rank_candidates,
    score_candidate,
)

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden" / "places.tsv"


def cand(
    name: str,
    country: str | None,
    *,
    kind: str = "city",
    population: int = 0,
    admin1: str | None = None,
    primary: bool = True,
    fcode: str = "PPL",
    geonameid: int | None = None,
) -> GeoCandidate:
    return GeoCandidate(
        geonameid=geonameid,
        name=name,
        asciiname=name,
        country=country,
        admin1_code=admin1,
        admin1_name=admin1,
        lat=0.0,
        lon=0.0,
        population=population,
        feature_class={"city": "P", "admin1": "A", "country": "A", "region": "L"}[kind],
        feature_code=fcode,
        kind=kind,
        primary=primary,
    )


PARIS_FR = cand("Paris", "FRA", population=2_138_551, admin1="11", fcode="PPLC", geonameid=2988507)
PARIS_TX = cand("Paris", "USA", population=24_782, admin1="TX", geonameid=4717560)
TEXAS = cand("Texas", "USA", kind="admin1", population=22_266_440, admin1="TX", fcode="ADM1")
BANGOR_NI = cand("Bangor", "GBR", population=61_011, admin1="NIR")
BANGOR_ME = cand("Bangor", "USA", population=32_391, admin1="ME")
MAINE = cand("Maine", "USA", kind="admin1", population=1_300_000, admin1="ME", fcode="ADM1")
GEORGIA_COUNTRY = cand("Georgia", "GEO", kind="country", population=3_704_500, fcode="PCLI")
GEORGIA_STATE = cand(
    "Georgia", "USA", kind="admin1", population=4_835_606, admin1="GA", fcode="ADM1"
)


# --- scoring (no model, no gazetteer) ----------------------------------------------------


def test_population_breaks_ties_without_context() -> None:
    ranked = rank_candidates([PARIS_TX, PARIS_FR], ScoringContext())
    assert ranked[0].candidate is PARIS_FR


def test_actor_and_dateline_countries_do_not_outweigh_a_capital_of_millions() -> None:
    ctx = ScoringContext(actor_countries=Counter({"USA": 3}), dateline_country="USA")
    assert rank_candidates([PARIS_TX, PARIS_FR], ctx)[0].candidate is PARIS_FR


def test_admin1_qualifier_picks_the_namesake() -> None:
    ranked = rank_candidates([PARIS_FR, PARIS_TX], ScoringContext(qualifiers=(TEXAS,)))
    assert ranked[0].candidate is PARIS_TX
    assert "qualifier" in ranked[0].parts


def test_qualifier_must_match_admin1_not_just_country() -> None:
    ranked = rank_candidates([BANGOR_NI, BANGOR_ME], ScoringContext(qualifiers=(TEXAS,)))
    assert ranked[0].candidate is BANGOR_NI
    ranked = rank_candidates([BANGOR_NI, BANGOR_ME], ScoringContext(qualifiers=(MAINE,)))
    assert ranked[0].candidate is BANGOR_ME


def test_country_qualifier() -> None:
    usa = cand("United States", "USA", kind="country", population=327_000_000, fcode="PCLI")
    ranked = rank_candidates([BANGOR_NI, BANGOR_ME], ScoringContext(qualifiers=(usa,)))
    assert ranked[0].candidate is BANGOR_ME


def test_actor_countries_decide_between_close_namesakes() -> None:
    assert rank_candidates([BANGOR_NI, BANGOR_ME], ScoringContext())[0].candidate is BANGOR_NI
    ctx = ScoringContext(actor_countries=Counter({"USA": 2}))
    assert rank_candidates([BANGOR_NI, BANGOR_ME], ctx)[0].candidate is BANGOR_ME


def test_nearby_places_lend_their_country() -> None:
    ctx = ScoringContext(nearby_countries=Counter({"USA": 2}))
    assert rank_candidates([BANGOR_NI, BANGOR_ME], ctx)[0].candidate is BANGOR_ME


def test_country_beats_state_of_the_same_name_by_default() -> None:
    assert (
        rank_candidates([GEORGIA_STATE, GEORGIA_COUNTRY], ScoringContext())[0].candidate
        is GEORGIA_COUNTRY
    )


def test_city_beats_region_known_only_by_alias() -> None:
    city = cand("Kharkiv", "UKR", population=1_421_125, admin1="07")
    oblast = cand(
        "Kharkivska oblast",
        "UKR",
        kind="admin1",
        population=3_048_471,
        admin1="07",
        primary=False,
        fcode="ADM1",
    )
    assert rank_candidates([oblast, city], ScoringContext())[0].candidate is city
    assert rank_candidates([oblast, city], ScoringContext(admin1_hint=True))[0].candidate is oblast


def test_alternate_name_of_a_big_city_beats_a_hamlet_of_that_name() -> None:
    mumbai = cand("Mumbai", "IND", population=12_691_836, primary=False)
    hamlet = cand("Bombay", "NZL", population=740)
    assert rank_candidates([hamlet, mumbai], ScoringContext())[0].candidate is mumbai


def test_region_outranks_admin1_alias() -> None:
    crimea = cand("Crimea", "UKR", kind="region", fcode="PEN")
    krym = cand(
        "Avtonomna Respublika Krym",
        "UKR",
        kind="admin1",
        population=1_856_980,
        primary=False,
        fcode="ADM1",
    )
    assert rank_candidates([krym, crimea], ScoringContext())[0].candidate is crimea


def test_score_parts_add_up_and_are_kept() -> None:
    scored = score_candidate(PARIS_FR, ScoringContext(actor_countries=Counter({"FRA": 1})))
    assert scored.score == pytest.approx(sum(scored.parts.values()))
    assert {"population", "capital", "actors", "primary_name"} <= set(scored.parts)
    assert scored.to_dict()["parts"]["capital"] == 1.5


# --- locating events on hand-built parses (no model) -------------------------------------


class FakeGazetteer:
    """Just enough of :class:`Gazetteer` for the Locator."""

    def __init__(self, entries: dict[str, list[GeoCandidate]]) -> None:
        self.entries = {k.casefold(): v for k, v in entries.items()}

    def lookup(self, name: str) -> list[GeoCandidate]:
        return list(self.entries.get(name.casefold().removeprefix("the "), []))

    def country(self, iso3: str):
        from polybius.records import Place

        return Place(name=iso3, country=iso3, precision="country", basis="text")


class FakeMentions:
    def __init__(self, counts: dict[str, int] | None = None) -> None:
        self._counts = Counter(counts or {})

    def countries(self) -> Counter[str]:
        return Counter(self._counts)


BAKU = cand("Baku", "AZE", population=2_351_300, fcode="PPLC", geonameid=587084)
IRAN = cand("Iran", "IRN", kind="country", population=81_800_269, fcode="PCLI")
AZERBAIJAN = cand("Azerbaijan", "AZE", kind="country", population=9_942_334, fcode="PCLI")
FAKE = FakeGazetteer({"Baku": [BAKU], "Iran": [IRAN], "Azerbaijan": [AZERBAIJAN]})


def _doc(words, heads, deps, pos, ents=()):
    import spacy
    from spacy.tokens import Doc

    # A blank English vocabulary: lexical attributes (lower_, is_title) but no trained model.
    return Doc(
        spacy.blank("en").vocab,
        words=words,
        heads=heads,
        deps=deps,
        pos=pos,
        ents=list(ents) or None,
    )


def test_prepositional_place_of_the_clause() -> None:
    # "The meeting was held in Baku ."
    doc = _doc(
        ["The", "meeting", "was", "held", "in", "Baku", "."],
        [1, 3, 3, 3, 3, 4, 3],
        ["det", "nsubjpass", "auxpass", "ROOT", "prep", "pobj", "punct"],
        ["DET", "NOUN", "AUX", "VERB", "ADP", "PROPN", "PUNCT"],
        ["O", "O", "O", "O", "O", "B-GPE", "O"],
    )
    locator = Locator(FAKE)  # type: ignore[arg-type]
    article = Article.from_text(doc.text)
    ctx = locator.article_context(doc, article, FakeMentions({"AZE": 1}))
    for trigger in (doc[3], doc[1]):  # the verb, or the noun in its clause
        place = locator.locate(doc[:], trigger, article, ctx)
        assert place is not None
        assert (place.name, place.country, place.geonameid, place.precision, place.basis) == (
            "Baku",
            "AZE",
            587084,
            "city",
            "text",
        )
        assert doc.text[place.start : place.end] == "Baku"


def test_place_inside_another_noun_phrase_is_a_passing_mention() -> None:
    # "Hasanov met the Ambassador of Iran to Azerbaijan ."
    doc = _doc(
        ["Hasanov", "met", "the", "Ambassador", "of", "Iran", "to", "Azerbaijan", "."],
        [1, 1, 3, 1, 3, 4, 3, 6, 1],
        ["nsubj", "ROOT", "det", "dobj", "prep", "pobj", "prep", "pobj", "punct"],
        ["PROPN", "VERB", "DET", "PROPN", "ADP", "PROPN", "ADP", "PROPN", "PUNCT"],
        ["B-PERSON", "O", "O", "O", "O", "B-GPE", "O", "B-GPE", "O"],
    )
    locator = Locator(FAKE, infer_country=False)  # type: ignore[arg-type]
    article = Article.from_text(doc.text)
    ctx = locator.article_context(doc, article, FakeMentions({"AZE": 1, "IRN": 1}))
    assert locator.locate(doc[:], doc[1], article, ctx) is None
    assert {t.text for t in ctx.toponyms} == {"Iran", "Azerbaijan"}
    assert ctx.explain()["decisions"] == {1: "none"}


def test_dateline_when_the_sentence_names_no_place() -> None:
    doc = _doc(
        ["They", "met", "."], [1, 1, 1], ["nsubj", "ROOT", "punct"], ["PRON", "VERB", "PUNCT"]
    )
    locator = Locator(FAKE)  # type: ignore[arg-type]
    article = Article.from_text(doc.text, dateline_place="BAKU")
    ctx = locator.article_context(doc, article, FakeMentions())
    place = locator.locate(doc[:], doc[1], article, ctx)
    assert place is not None and (place.name, place.basis) == ("Baku", "dateline")


def test_no_context_no_place() -> None:
    doc = _doc(
        ["They", "met", "."], [1, 1, 1], ["nsubj", "ROOT", "punct"], ["PRON", "VERB", "PUNCT"]
    )
    locator = Locator(FAKE)  # type: ignore[arg-type]
    article = Article.from_text(doc.text)
    ctx = locator.article_context(doc, article, None)
    assert locator.locate(doc[:], doc[1], article, ctx) is None


# --- golden cases through the real model -------------------------------------------------


def _golden_rows() -> list[dict[str, str]]:
    lines = [line for line in GOLDEN.read_text("utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def _gazetteer_path() -> Path:
    # The session fixture runs before conftest's per-test environment, so mirror its choice.
    env = os.environ.get("POLYBIUS_GAZETTEER")
    if env:
        return Path(env)
    return Path(os.environ.get("POLYBIUS_TEST_CACHE", ROOT / ".cache")) / "gazetteer.duckdb"


@pytest.fixture(scope="session")
def gazetteer():
    from polybius.gazetteer import Gazetteer

    return Gazetteer.open(_gazetteer_path())


def test_golden_file_is_big_enough_and_well_formed() -> None:
    rows = _golden_rows()
    assert len(rows) >= 40
    assert len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        assert row["kind"] in ("locate", "resolve"), row["id"]
        assert row["basis"] in ("", "text", "dateline", "country"), row["id"]


@pytest.mark.model
@pytest.mark.parametrize("row", _golden_rows(), ids=lambda r: r["id"])
def test_golden(row: dict[str, str], nlp, gazetteer) -> None:
    locator = Locator(gazetteer)
    doc = nlp(row["text"])
    article = Article.from_text(row["text"], dateline_place=row["dateline"] or None)
    counts = {k: int(v) for k, v in (pair.split(":") for pair in row["actors"].split())}
    ctx = locator.article_context(doc, article, FakeMentions(counts))
    if row["kind"] == "resolve":
        found = [t for t in ctx.toponyms if t.text == row["trigger"]]
        assert found, f"toponym {row['trigger']!r} not found in {[t.text for t in ctx.toponyms]}"
        place = found[0].place()
    else:
        trigger = next(t for t in doc if t.text == row["trigger"])
        place = locator.locate(trigger.sent, trigger, article, ctx)
    if row["name"] == "-":
        assert place is None, (place, ctx.explain())
        return
    assert place is not None, ctx.explain()
    got = (place.name, place.country or "", place.precision)
    assert got == (row["name"], row["country"], row["precision"]), ctx.explain()
    if row["basis"]:
        assert place.basis == row["basis"]
    if row["geonameid"]:
        assert place.geonameid == int(row["geonameid"])


def test_locator_opens_the_default_gazetteer_lazily(gazetteer) -> None:
    from polybius.gazetteer import default_path

    locator = Locator()
    assert locator._gazetteer is None
    assert locator.gazetteer.path == default_path()


@pytest.mark.model
def test_explain_keeps_every_candidates_score(nlp, gazetteer) -> None:
    locator = Locator(gazetteer)
    text = "The talks were held in Paris, Texas, and later in Bangor."
    doc = nlp(text)
    article = Article.from_text(text)
    ctx = locator.article_context(doc, article, FakeMentions({"USA": 1}))
    held = next(t for t in doc if t.text == "held")
    place = locator.locate(held.sent, held, article, ctx)
    assert place is not None and place.country == "USA"
    explained = ctx.explain()
    paris = next(t for t in explained["toponyms"] if t["text"] == "Paris")
    assert paris["qualifier"] == "Texas"
    scores = [c["score"] for c in paris["candidates"]]
    assert len(scores) > 1 and scores == sorted(scores, reverse=True)
    assert "qualifier" in paris["candidates"][0]["parts"]
    assert explained["decisions"][held.i].startswith("text:prep-in:Paris")
