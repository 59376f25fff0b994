"""Fuzzing the coder: ``Coder().pipe`` over fuzzed Articles returns one CodedArticle per
article whose events are valid v1 records, and never raises or hangs.

Valid means: JSON-serialisable, ``cameo`` a string of digits, ``quad_class`` 1-4, ``plover`` a
string, evidence and trigger offsets inside the article text (and the evidence text is the
text at those offsets), actor offsets inside the text, a date between 1000 and 2999.

Needs the model (``-m model``). Bounded for CI (``max_examples`` small, derandomized); a longer
run: ``POLYBIUS_FUZZ_EXAMPLES=5000 .venv/bin/pytest tests/test_fuzz_coder.py``. Articles near
the 1 M-character reader limit would take the parser minutes each, so fuzzed articles stay
under a few thousand characters; the long-article case is one bounded test below.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import _deadline
from polybius.records import Article, CodedArticle

pytestmark = pytest.mark.model

EXAMPLES = int(os.environ.get("POLYBIUS_FUZZ_EXAMPLES", "25"))
HARD_DEADLINE_S = 60.0

FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)


def hard_deadline(seconds: float = HARD_DEADLINE_S):
    return _deadline.hard_deadline(seconds, "the coder")


def check_event(record: dict, article: Article) -> None:
    text = article.text
    json.loads(json.dumps(record, allow_nan=False))
    assert record["article_id"] == article.id
    assert isinstance(record["id"], str) and record["id"].startswith("ev_")
    assert (
        isinstance(record["cameo"], str) and record["cameo"].isdigit() and len(record["cameo"]) >= 2
    )
    assert record["quad_class"] in (1, 2, 3, 4)
    assert isinstance(record["plover"], str) and record["plover"]
    assert isinstance(record["goldstein"], (int, float)) and -10 <= record["goldstein"] <= 10
    assert 0.0 <= record["confidence"] <= 1.0
    ev = record["evidence"]
    assert 0 <= ev["start"] <= ev["end"] <= len(text), ev
    assert text[ev["start"] : ev["end"]] == ev["text"], "evidence offsets do not point at its text"
    if ev.get("trigger_start", -1) >= 0:
        assert ev["start"] <= ev["trigger_start"] <= ev["trigger_end"] <= ev["end"], ev
    for side in ("actor", "recipient"):
        actor = record[side]
        if actor is not None and actor.get("start", -1) >= 0:
            assert 0 <= actor["start"] <= actor["end"] <= len(text), (side, actor)
    if record["date"] is not None:
        assert 1000 <= date.fromisoformat(record["date"]).year <= 2999
    if record["location"] is not None and record["location"].get("lat") is not None:
        assert -90 <= record["location"]["lat"] <= 90 and -180 <= record["location"]["lon"] <= 180


def code_all(coder, articles: list[Article]) -> list[CodedArticle]:
    with hard_deadline():
        coded = list(coder.pipe(articles))
    assert len(coded) == len(articles)
    for c, a in zip(coded, articles, strict=True):
        assert isinstance(c, CodedArticle) and c.article.id == a.id
        for event in c.events:
            check_event(event.to_dict(), a)
    return coded


# -- strategies ------------------------------------------------------------------------------

political = st.sampled_from([
    "Azerbaijan", "Iran", "Russia", "the United States", "NATO", "the UN", "Baku", "Tehran", "Moscow",
    "President Ilham Aliyev", "Defense Minister Zakir Hasanov", "the Iranian side", "he", "they", "police",
    "rebels", "met with", "signed an agreement with", "attacked", "condemned", "accused", "did not attack",
    "will meet", "may sanction", "said", "on July 18", "yesterday", "last Tuesday", "in 1990", "on 2019-07-18",
    "killed", "protested against", "expelled", "Ambassador of Iran to Azerbaijan", ".", ",", "'s", "\n\n",
    "(", ")", "\"", "—", "…", "said on Monday that", "earlier this month",
])  # fmt: skip
odd = st.sampled_from(["\u200b", "\u200f", "\u202e", "\u2067", "\u2069", "\ufeff", "\u00ad", "\u0301", "\U0001f600",
                       "ə", "ğ", "ш", "ع", "中", "\t", "  ", "0", "123456789", "3.14", "-", "@", "#", "$$$"])  # fmt: skip
pieces = st.lists(
    st.one_of(political, political, odd, st.text(max_size=12)), min_size=1, max_size=120
)


@st.composite
def articles(draw) -> Article:
    text = " ".join(draw(pieces))
    if not text.strip():
        text = "Azerbaijan met Iran."
    published = draw(
        st.one_of(st.none(), st.dates(min_value=date(1000, 1, 1), max_value=date(2999, 12, 31)))
    )
    return Article.from_text(text, published=published, source=draw(st.one_of(st.none(), st.text(max_size=10))),
                             title=draw(st.one_of(st.none(), st.text(max_size=20))), origin="fuzz")  # fmt: skip


@FUZZ
@given(batch=st.lists(articles(), min_size=1, max_size=4))
def test_fuzzed_articles_give_valid_v1_events(coder, batch):
    batch = [a for a in batch if a.text]
    if batch:
        code_all(coder, batch)


@FUZZ
@given(text=st.text(min_size=1, max_size=600))
def test_arbitrary_unicode_through_the_coder(coder, text):
    article = Article.from_text(text, origin="fuzz")
    if article.text:
        code_all(coder, [article])


@pytest.mark.parametrize("name,text", [
    ("numbers only", "\n".join(str(i) for i in range(2000))),
    ("one run-on sentence", "Azerbaijan met Iran and " * 400 + "they signed."),
    ("no spaces", "AzerbaijanmetIranonJuly18" * 200),
    ("zero width everywhere", "\u200b".join("Azerbaijan's Defense Minister met the Ambassador of Iran in Baku on July 18.")),
    ("rtl and mixed scripts", "\u202eAzerbaijan\u202c met \u2067ایران\u2069 in Baku on July 18. Россия осудила это."),
    ("markup as text", "<div><p>Azerbaijan met Iran.</p></div><script>alert(1)</script> " * 30),
    ("only punctuation", "!?.,;:" * 500),
    ("repeated newlines", "Azerbaijan met Iran.\n\n\n\n" * 200),
    ("combining marks", "A\u0301\u0302\u0303zerbaijan met Iran" + "\u0301" * 500 + "."),
    ("emoji", "\U0001f600 Azerbaijan \U0001f1e6\U0001f1ff met Iran \U0001f1ee\U0001f1f7 on July 18. " * 20),
])  # fmt: skip
def test_hard_cases_through_the_coder(coder, name, text):
    art = Article.from_text(text, published=date(2019, 7, 18), origin=name)
    code_all(coder, [art])


def test_long_article_is_coded_in_bounded_time(coder):
    """A 4,000-word article is coded within the hard deadline. (The reader refuses anything
    over 1 M characters, E007, before the coder sees it.)"""
    sentence = "Azerbaijan's Defense Minister met the Ambassador of Iran in Baku on July 18, officials said. "
    art = Article.from_text(sentence * 300, published=date(2019, 7, 18), origin="long")
    (coded,) = code_all(coder, [art])
    assert coded.events


def _stage_lines(coder, sentences: int) -> int:
    """Lines of Python run by the stages after the parse (deterministic, unlike seconds).

    Lines, not calls: a generator scanning a list once per mention is one call but as many
    lines as the list is long."""
    sentence = "Azerbaijan's Defense Minister met the Ambassador of Iran in Baku on July 18, officials said. "
    art = Article.from_text(sentence * sentences, published=date(2019, 7, 18), origin="scaling")
    doc = coder.nlp(art.text)
    lines = 0

    def local(frame, event, arg):
        nonlocal lines
        if event == "line":
            lines += 1
        return local

    sys.settrace(lambda frame, event, arg: local)
    try:
        coder.code_doc(doc, art)
    finally:
        sys.settrace(None)
    return lines


def test_stages_after_the_parse_scale_linearly(coder):
    """4x the sentences must run about 4x the lines (a quadratic stage would run ~16x).

    Counts lines run, not seconds, so a busy CI machine cannot fail it. Were bugs: the events
    stage took Doc.text (which joins every token) once per candidate; the places stage looked
    up each capitalised word's entity, and the actors stage each ambassador's host, by a scan
    of the whole article (x6.3 here before the fix). The time ratio is measured in
    benchmarks/pipeline_speed.py."""
    _stage_lines(coder, 10)  # warm up caches so both runs start equal
    small = _stage_lines(coder, 50)
    big = _stage_lines(coder, 200)
    assert big / small < 4.5, (
        f"50 sentences {small} lines, 200 sentences {big} lines: x{big / small:.2f}"
    )
