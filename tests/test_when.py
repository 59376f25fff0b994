"""The when stage: resolve_expression and read_dateline without the model, resolve_event_date
on hand-built parses, and the golden dated sentences (tests/golden/dates.tsv) through the model."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest

from polybius.when import (
    Dateline,
    DateResolution,
    find_expressions,
    read_dateline,
    resolve_event_date,
    resolve_expression,
)

GOLDEN = Path(__file__).parent / "golden" / "dates.tsv"
D = date(2019, 7, 18)  # a Thursday: the seed story's dateline


# --- resolve_expression: the model-free core ---------------------------------------------------

EXPRESSIONS = [
    # text, tense, expected (date, precision) or None
    ("October 24", "past", (date(2018, 10, 24), "day")),
    ("October 24", "future", (date(2019, 10, 24), "day")),
    ("October 24", None, (date(2019, 10, 24), "day")),  # nearest
    ("on July 18", "past", (date(2019, 7, 18), "day")),
    ("July 18, 2019", None, (date(2019, 7, 18), "day")),
    ("18 July 2019", None, (date(2019, 7, 18), "day")),
    ("2019-07-18", None, (date(2019, 7, 18), "day")),
    ("18.07.2019", None, (date(2019, 7, 18), "day")),
    ("Sept. 11, 2001", None, (date(2001, 9, 11), "day")),
    ("the 16th of July", "past", (date(2019, 7, 16), "day")),
    ("July 16-17", "past", (date(2019, 7, 16), "day")),
    ("October 24 last year", None, (date(2018, 10, 24), "day")),
    ("July 19", "past", (date(2019, 7, 19), "day")),  # one day of time-zone slack
    ("on Monday", "past", (date(2019, 7, 15), "day")),
    ("on Monday", "future", (date(2019, 7, 22), "day")),
    ("on Monday", None, (date(2019, 7, 15), "day")),
    ("on Friday", "future", (date(2019, 7, 19), "day")),
    ("on Friday", "past", (date(2019, 7, 12), "day")),
    ("last Tuesday", None, (date(2019, 7, 16), "day")),
    ("next Tuesday", None, (date(2019, 7, 23), "day")),
    ("last week", None, (date(2019, 7, 8), "week")),
    ("this week", None, (date(2019, 7, 15), "week")),
    ("next week", None, (date(2019, 7, 22), "week")),
    ("yesterday", None, (date(2019, 7, 17), "day")),
    ("today", None, (date(2019, 7, 18), "day")),
    ("tomorrow", None, (date(2019, 7, 19), "day")),
    ("last night", None, (date(2019, 7, 17), "day")),
    ("the day before yesterday", None, (date(2019, 7, 16), "day")),
    ("earlier this month", None, (date(2019, 7, 1), "month")),
    ("this month", None, (date(2019, 7, 1), "month")),
    ("last month", None, (date(2019, 6, 1), "month")),
    ("next month", None, (date(2019, 8, 1), "month")),
    ("in March", "past", (date(2019, 3, 1), "month")),
    ("in March", "future", (date(2020, 3, 1), "month")),
    ("last March", None, (date(2019, 3, 1), "month")),
    ("in July 2017", None, (date(2017, 7, 1), "month")),
    ("two days ago", None, (date(2019, 7, 16), "day")),
    ("a week ago", None, (date(2019, 7, 11), "day")),
    ("three weeks ago", None, (date(2019, 6, 24), "week")),
    ("two months ago", None, (date(2019, 5, 1), "month")),
    ("three years ago", None, (date(2016, 1, 1), "year")),
    ("last year", None, (date(2018, 1, 1), "year")),
    ("this year", None, (date(2019, 1, 1), "year")),
    ("next year", None, (date(2020, 1, 1), "year")),
    ("in 1988", None, (date(1988, 1, 1), "year")),
    ("in mid-2018", None, (date(2018, 1, 1), "year")),
    ("in the 1990s", None, (date(1990, 1, 1), "year")),
    ("last summer", None, (date(2018, 7, 1), "month")),
    ("this autumn", "future", (date(2019, 10, 1), "month")),
    ("in the winter of 2018", None, (date(2019, 1, 1), "month")),
    ("over the weekend", "past", (date(2019, 7, 8), "week")),  # Sat 13 - Sun 14 July
    ("over the weekend", "future", (date(2019, 7, 15), "week")),
    ("a few days ago", None, (date(2019, 7, 15), "week")),
    ("on Wednesday night", "past", (date(2019, 7, 17), "day")),
    ("last Friday's attack", None, (date(2019, 7, 12), "day")),
    ("at the end of last year", None, (date(2018, 1, 1), "year")),
    ("in early 2018", None, (date(2018, 1, 1), "year")),
    ("the 16th of this month", None, (date(2019, 7, 16), "day")),
    ("on the 16th of last month", None, (date(2019, 6, 16), "day")),
    ("on the 25th.", "past", (date(2019, 6, 25), "day")),
    ("03/04/2019", None, (date(2019, 4, 3), "day")),  # the reading nearer the dateline
    ("12/25/2018", None, (date(2018, 12, 25), "day")),
    ("MONDAY, JULY 15", None, (date(2019, 7, 15), "day")),
    ("on july 16", "past", (date(2019, 7, 16), "day")),
    ("LAST WEEK", None, (date(2019, 7, 8), "week")),
    # not dates of an event
    ("they may 5", None, None),
    ("the Good Friday Agreement", None, None),
    ("since Bloody Sunday", None, None),
    ("in the October Revolution", None, None),
    ("during May Day rallies", None, None),
    ("On Monday, Iran said", "past", (date(2019, 7, 15), "day")),
    ("Iran said Monday", "past", (date(2019, 7, 15), "day")),
    ("Sea Cup 2019", None, None),
    ("the 2019 elections", None, None),
    ("since 2015", None, None),
    ("until Monday", None, None),
    ("they may meet", None, None),
    ("the March for Our Lives", None, None),
    ("recent years", None, None),
    ("annual", None, None),
    ("they fall", None, None),
    ("the weekend edition", None, None),
    ("the 16th century", None, None),
    ("the 16th round of talks", None, None),
    ("a 12-year rift", None, None),
    ("for five years", None, None),
]


@pytest.mark.parametrize(("text", "tense", "expected"), EXPRESSIONS)
def test_resolve_expression(
    text: str, tense: str | None, expected: tuple[date, str] | None
) -> None:
    assert resolve_expression(text, D, tense=tense) == expected


def test_tense_spellings_are_normalised() -> None:
    assert resolve_expression("October 24", D, tense="Past") == (date(2018, 10, 24), "day")
    assert resolve_expression("on Monday", D, tense="FUTURE") == (date(2019, 7, 22), "day")


def test_relative_expressions_need_a_dateline() -> None:
    assert resolve_expression("yesterday", None) is None
    assert resolve_expression("on Monday", None, tense="past") is None
    assert resolve_expression("October 24", None, tense="past") is None
    assert resolve_expression("October 24, 2018", None) == (date(2018, 10, 24), "day")


def test_leap_day_without_year_finds_a_leap_year() -> None:
    assert resolve_expression("February 29", date(2021, 3, 1), tense="past") == (
        date(2020, 2, 29),
        "day",
    )


def test_invalid_dates_are_not_dates() -> None:
    assert resolve_expression("2019-02-30", D) is None
    assert resolve_expression("31.02.2019", D) is None


def test_dateparser_fallback_handles_an_isolated_expression() -> None:
    from polybius.when import _fallback

    # a form the fast parser does not know, isolated and short: dateparser's job
    assert _fallback("16-Jul-2019", D, None) == (date(2019, 7, 16), "day")
    assert _fallback("the tenth of never", D, None) is None  # no digit, no month: not tried
    assert _fallback("x" * 60 + " 2019", D, None) is None  # too long to be an expression


def test_dotted_iso() -> None:
    assert resolve_expression("2019.07.16", D) == (date(2019, 7, 16), "day")


def test_find_expressions_offsets_and_text() -> None:
    text = "its first meeting was held in Baku on October 24."
    (expr,) = find_expressions(text)
    assert expr.text == "on October 24"
    assert text[expr.start : expr.end] == "on October 24"


def test_find_expressions_marks_spans() -> None:
    (expr,) = find_expressions("Iran has supported them since 2015.")
    assert expr.excluded


# --- read_dateline ----------------------------------------------------------------------------

DATELINES = [
    ("YEREVAN, SEPTEMBER 8, ARMENPRESS. President Sarkissian", 2019,
     Dateline(date(2019, 9, 8), "YEREVAN", "ARMENPRESS", 34)),
    ("YEREVAN, SEPTEMBER 8, ARMENPRESS. President Sarkissian", None,
     Dateline(None, "YEREVAN", "ARMENPRESS", 34)),
    ("Baku. 21 January. REPORT.AZ/ The president", 2020,
     Dateline(date(2020, 1, 21), "Baku", "REPORT.AZ", 29)),
    ("MOSCOW, July 18 (Reuters) - Russia said", 2019,
     Dateline(date(2019, 7, 18), "MOSCOW", "Reuters", 28)),
    ("KYIV (AP) \u2014 Ukraine said", None, Dateline(None, "KYIV", "AP", 12)),
    ("WASHINGTON, March 3, 2024 \u2014 The Senate", None,
     Dateline(date(2024, 3, 3), "WASHINGTON", None, 28)),
    ("Tehran, Iran, July 5, 2019 (IRNA) -- Iran's foreign minister", None,
     Dateline(date(2019, 7, 5), "Tehran, Iran", "IRNA", 37)),
    ("WASHINGTON \u2014 The Senate voted", None, Dateline(None, "WASHINGTON", None, 13)),
    ("NEW DELHI (Reuters) - India said", None, Dateline(None, "NEW DELHI", "Reuters", 22)),
    ("BAKU, Azerbaijan, Jan. 21 (Trend) - The", 2019,
     Dateline(date(2019, 1, 21), "BAKU, Azerbaijan", "Trend", 36)),
    ("Baku, 21 January, Trend: The", 2019, Dateline(date(2019, 1, 21), "Baku", "Trend", 25)),
    ("MOSCOW, July 18. /TASS/. Russia", 2019, Dateline(date(2019, 7, 18), "MOSCOW", "TASS", 25)),
    ("Yerevan, 18 July, 2019 /ARKA/. The", None, Dateline(date(2019, 7, 18), "Yerevan", "ARKA", 31)),
    ("ST. PETERSBURG, Russia (AP) \u2014 Putin", None,
     Dateline(None, "ST. PETERSBURG, Russia", "AP", 30)),
    ("UNITED NATIONS (AP) \u2014 The", None, Dateline(None, "UNITED NATIONS", "AP", 22)),
]  # fmt: skip


@pytest.mark.parametrize(("text", "year", "expected"), DATELINES)
def test_read_dateline(text: str, year: int | None, expected: Dateline) -> None:
    got = read_dateline(text, default_year=year)
    assert got == expected
    assert got is not None and text[got.end :][:1].isupper()


NOT_DATELINES = [
    "Azerbaijan's Defense Minister Colonel General Zakir Hasanov met with Javad Jahangirzadeh.",
    "Moscow, the capital, said it would respond.",
    "Washington - the city that never sleeps - voted.",
    "In March, troops entered the town.",
    "Today, the president said the talks would go on.",
    "Iran (IRN) and Azerbaijan (AZE) signed a deal.",
    "Baku, 21 January. The president said.",
    "U.S. President Donald Trump said on Monday.",
    "NATO, EU leaders met in Brussels.",
    "The ministers met on July 18.",
    "He said: we will respond.",
    "Officials said the attack killed 12 people.",
    "BREAKING: Iran seized a tanker.",
    "On July 18, the president said.",
    "Last week, Moscow said.",
    "Armenia, Azerbaijan and Georgia signed a deal.",
    "He said / she said.",
    "",
]


@pytest.mark.parametrize("text", NOT_DATELINES)
def test_ordinary_first_sentences_are_not_datelines(text: str) -> None:
    assert read_dateline(text, default_year=2019) is None


# --- resolve_event_date on hand-built parses (no model) ------------------------------------------


def _doc(words, heads, deps, pos, tags, ents=None):
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    return Doc(Vocab(), words=words, heads=heads, deps=deps, pos=pos, tags=tags, ents=ents)


def test_hand_built_parse_date_on_the_trigger() -> None:
    # "Iran seized a tanker on Monday ."
    doc = _doc(
        ["Iran", "seized", "a", "tanker", "on", "Monday", "."],
        [1, 1, 3, 1, 1, 4, 1],
        ["nsubj", "ROOT", "det", "dobj", "prep", "pobj", "punct"],
        ["PROPN", "VERB", "DET", "NOUN", "ADP", "PROPN", "PUNCT"],
        ["NNP", "VBD", "DT", "NN", "IN", "NNP", "."],
    )
    got = resolve_event_date(doc[:], doc[1], D)
    assert got == DateResolution(date(2019, 7, 15), "day", "text", "on Monday", 21, 30)


def test_hand_built_parse_relative_clause_date_is_not_the_main_verbs() -> None:
    # "The minister , who arrived on Monday , met Rouhani ."
    words = ["The", "minister", ",", "who", "arrived", "on", "Monday", ",", "met", "Rouhani", "."]
    heads = [1, 8, 1, 4, 1, 4, 5, 1, 8, 8, 8]
    deps = [
        "det",
        "nsubj",
        "punct",
        "nsubj",
        "relcl",
        "prep",
        "pobj",
        "punct",
        "ROOT",
        "dobj",
        "punct",
    ]
    pos = [
        "DET",
        "NOUN",
        "PUNCT",
        "PRON",
        "VERB",
        "ADP",
        "PROPN",
        "PUNCT",
        "VERB",
        "PROPN",
        "PUNCT",
    ]
    tags = ["DT", "NN", ",", "WP", "VBD", "IN", "NNP", ",", "VBD", "NNP", "."]
    doc = _doc(words, heads, deps, pos, tags)
    main = resolve_event_date(doc[:], doc[8], D)
    assert (main.date, main.basis, main.text) == (D, "dateline", None)
    rel = resolve_event_date(doc[:], doc[4], D)
    assert (rel.date, rel.basis, rel.text) == (date(2019, 7, 15), "text", "on Monday")


def test_hand_built_parse_future_from_auxiliary() -> None:
    # "Pompeo will meet Lavrov on Monday ."
    doc = _doc(
        ["Pompeo", "will", "meet", "Lavrov", "on", "Monday", "."],
        [2, 2, 2, 2, 2, 4, 2],
        ["nsubj", "aux", "ROOT", "dobj", "prep", "pobj", "punct"],
        ["PROPN", "AUX", "VERB", "PROPN", "ADP", "PROPN", "PUNCT"],
        ["NNP", "MD", "VB", "NNP", "IN", "NNP", "."],
    )
    assert resolve_event_date(doc[:], doc[2], D).date == date(2019, 7, 22)
    # the events stage's tense wins over the inferred one
    assert resolve_event_date(doc[:], doc[2], D, tense="past").date == date(2019, 7, 15)


def test_hand_built_parse_no_dateline_is_unknown() -> None:
    doc = _doc(
        ["Iran", "protested", "."],
        [1, 1, 1],
        ["nsubj", "ROOT", "punct"],
        ["PROPN", "VERB", "PUNCT"],
        ["NNP", "VBD", "."],
    )
    assert resolve_event_date(doc[:], doc[1], None) == DateResolution(None, None, "unknown", None)
    assert resolve_event_date(doc[:], doc[1], D) == DateResolution(D, "day", "dateline", None)


# --- the golden set through the real model --------------------------------------------------


def _golden_rows() -> list[dict[str, str]]:
    with GOLDEN.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_golden_file_is_well_formed() -> None:
    rows = _golden_rows()
    assert len(rows) >= 70
    for row in rows:
        assert row["basis"] in ("text", "dateline", "unknown", "historical"), row
        assert row["precision"] in ("", "day", "week", "month", "year"), row
        assert row["trigger"] in row["sentence"], row
        assert (row["date"] == "") == (row["basis"] == "unknown"), row
    bases = {row["basis"] for row in rows}
    assert bases == {"text", "dateline", "unknown", "historical"}


def _ids(rows: list[dict[str, str]]) -> list[str]:
    return [f"{n}:{r['note'][:40]}" for n, r in enumerate(rows, 2)]


GOLDEN_ROWS = _golden_rows()


def _expected(row: dict[str, str]) -> tuple[date | None, str | None, str]:
    d = date.fromisoformat(row["date"]) if row["date"] else None
    return d, row["precision"] or None, row["basis"]


@pytest.mark.model
@pytest.mark.parametrize("row", GOLDEN_ROWS, ids=_ids(GOLDEN_ROWS))
def test_golden_through_the_model(nlp, row: dict[str, str]) -> None:
    doc = nlp(row["sentence"])
    sentence = doc[:]
    trigger = next(t for t in doc if t.text == row["trigger"])
    dateline = date.fromisoformat(row["dateline"]) if row["dateline"] else None
    want = _expected(row)
    for tense in (None, row["tense"]):  # inferred from the parse, and as the events stage says
        got = resolve_event_date(sentence, trigger, dateline, tense=tense)
        assert (got.date, got.precision, got.basis) == want, (tense, got)
        if got.basis in ("text", "historical"):
            assert got.text is not None
            assert doc.text[got.start : got.end] == got.text


@pytest.mark.parametrize(
    "row",
    [r for r in GOLDEN_ROWS if r["basis"] in ("text", "historical")],
    ids=_ids([r for r in GOLDEN_ROWS if r["basis"] in ("text", "historical")]),
)
def test_golden_through_resolve_expression(row: dict[str, str]) -> None:
    if "inherits" in row["note"]:
        pytest.skip("an inherited date is resolved in its governing clause's direction")
    kept = [e for e in find_expressions(row["sentence"]) if not e.excluded]
    if len(kept) != 1:
        pytest.skip("the sentence has several expressions: which one is the parse's job")
    dateline = date.fromisoformat(row["dateline"]) if row["dateline"] else None
    d, precision, _basis = _expected(row)
    assert resolve_expression(kept[0].text, dateline, tense=row["tense"]) == (d, precision)


TENSES = [
    ("Pompeo will meet Lavrov in Geneva.", "meet", "future"),
    ("Hasanov met Lavrov in Baku.", "met", "past"),
    ("Its first meeting was held in Baku.", "held", "past"),
    ("Its first meeting was held in Baku.", "meeting", "past"),
    ("Iran has seized a British tanker.", "seized", "past"),
    ("Iran plans to hold a referendum.", "hold", "future"),
    ("Turkey is going to launch an offensive.", "launch", "future"),
    ("Iran says it is ready for talks.", "says", "present"),
    ("Troops attacked the village, killing five.", "killing", "past"),
    ("They said they would meet on Monday.", "meet", "future"),
]


@pytest.mark.model
@pytest.mark.parametrize(("sentence", "word", "tense"), TENSES)
def test_infer_tense(nlp, sentence: str, word: str, tense: str) -> None:
    from polybius.when import infer_tense

    doc = nlp(sentence)
    assert infer_tense(next(t for t in doc if t.text == word)) == tense


# --- the seed story -------------------------------------------------------------------------


@pytest.mark.model
@pytest.mark.shared
def test_seed_story(nlp, seed_story: Path) -> None:
    text = seed_story.read_text(encoding="utf-8")
    body = text.split("\n", 1)[1]
    doc = nlp(body)
    sents = list(doc.sents)
    first = next(s for s in sents if "met with" in s.text)
    met = next(t for t in first if t.text == "met")
    got = resolve_event_date(first, met, D, tense="past")
    assert (got.date, got.precision, got.basis, got.text) == (D, "day", "text", "on July 18")
    assert body[got.start : got.end] == "on July 18"
    sixth = next(s for s in sents if "first meeting was held" in s.text)
    held = next(t for t in sixth if t.text == "held")
    got = resolve_event_date(sixth, held, D, tense="past")
    assert (got.date, got.precision, got.basis, got.text) == (
        date(2018, 10, 24),
        "day",
        "text",
        "on October 24",
    )
    # with no tense from the events stage, the parse says "past"
    assert resolve_event_date(sixth, held, D).date == date(2018, 10, 24)


# --- properties (Hypothesis) ------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_WORDS = st.sampled_from(
    [
        "on",
        "in",
        "last",
        "next",
        "this",
        "the",
        "of",
        "since",
        "by",
        "July",
        "18",
        "2019",
        "2019-07-18",
        "18.07.2019",
        "Monday",
        "May",
        "March",
        "yesterday",
        "today",
        "week",
        "month",
        "year",
        "ago",
        "two",
        "a",
        "summer",
        "fall",
        "1990s",
        ",",
        ".",
        "(",
        ")",
        "Reuters",
        "MOSCOW",
        "-",
        "—",
        "BAKU",
        "ARMENPRESS",
        "/",
        "Iran",
        "met",
        "said",
        "31",
        "02",
        "00",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_WORDS, max_size=12).map(" ".join),
    st.dates(),
    st.sampled_from([None, "past", "present", "future"]),
)
def test_expressions_never_raise_and_offsets_hold(
    text: str, dateline: date, tense: str | None
) -> None:
    got = resolve_expression(text, dateline, tense=tense)
    if got is not None:
        assert got[1] in ("day", "week", "month", "year")
    for expr in find_expressions(text):
        assert text[expr.start : expr.end] == expr.text
    # a past expression whose direction only the tense gives never lands after the dateline
    undirected = [
        e
        for e in find_expressions(text)
        if e.kind in ("mdy", "dmy", "wd", "mon", "sea")
        and e.modifier is None
        and e.get("y") is None
        and e.get("rel_year") is None
    ]
    if tense == "past" and undirected and not undirected[0].excluded:
        first = resolve_expression(undirected[0].text, dateline, tense="past")
        assert first is None or first[0] <= dateline + timedelta(days=1)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=80), st.lists(_WORDS, max_size=10).map(" ".join)))
def test_read_dateline_never_raises(text: str) -> None:
    got = read_dateline(text, default_year=2019)
    if got is not None:
        assert 0 < got.end <= len(text)
        assert got.place


# -- narrative dates: later past-tense sentences belong to the lede's day -----------------

def _res(day, basis, precision="day"):
    from polybius.when import DateResolution

    return DateResolution(date=day, precision=precision, basis=basis, text="on Tuesday" if basis == "text" else None)


def test_past_event_without_a_date_takes_the_ledes_day():
    from polybius.when import narrative_date

    lede = _res(date(2024, 5, 14), "text")
    got = narrative_date(_res(date(2024, 5, 15), "dateline"), lede, tense="past")
    assert (got.date, got.basis, got.text) == (date(2024, 5, 14), "text", "on Tuesday")


def test_present_future_dated_or_distant_events_keep_their_own_date():
    from polybius.when import narrative_date

    lede = _res(date(2024, 5, 14), "text")
    dateline = _res(date(2024, 5, 15), "dateline")
    assert narrative_date(dateline, lede, tense="present") is dateline
    assert narrative_date(dateline, lede, tense="future") is dateline
    assert narrative_date(dateline, None, tense="past") is dateline
    own = _res(date(2024, 5, 10), "text")
    assert narrative_date(own, lede, tense="past") is own
    old = _res(date(2023, 10, 24), "text")  # the seed story's background meeting
    assert narrative_date(_res(date(2024, 5, 15), "dateline"), old, tense="past").basis == "dateline"
    month = _res(date(2024, 5, 1), "text", precision="month")
    assert narrative_date(dateline, month, tense="past") is dateline
