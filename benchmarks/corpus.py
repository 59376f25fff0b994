"""Synthetic news: realistic ~400-word political stories from templates, with their truth.

Used by the ingest benchmark (speed over many articles) and the dedup tests (one event
reported by many rewritten wire copies). Deterministic for a given seed. Nothing generated
here is committed: write corpora under benchmarks/corpus/ (git-ignored)::

    python benchmarks/corpus.py 1000 benchmarks/corpus/news-1k.jsonl

Each record is a JSON object the readers understand (``id, text, date, source, title, url``)
plus ``truth``: the lead event (actor and recipient country, PLOVER type, CAMEO code, date).

:class:`KeywordCoder` is a stand-in coder (no model: country names and trigger words per
sentence) for tests where the pipeline's plumbing, not the coding, is the point.
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

# code, name, adjective, capital, leader role, leader name
COUNTRIES = [
    ("AZE", "Azerbaijan", "Azerbaijani", "Baku", "President", "Ilham Aliyev"),
    ("IRN", "Iran", "Iranian", "Tehran", "President", "Masoud Pezeshkian"),
    ("ARM", "Armenia", "Armenian", "Yerevan", "Prime Minister", "Nikol Pashinyan"),
    ("TUR", "Turkey", "Turkish", "Ankara", "President", "Recep Tayyip Erdogan"),
    ("RUS", "Russia", "Russian", "Moscow", "President", "Vladimir Putin"),
    ("GEO", "Georgia", "Georgian", "Tbilisi", "Prime Minister", "Irakli Kobakhidze"),
    ("FRA", "France", "French", "Paris", "President", "Emmanuel Macron"),
    ("DEU", "Germany", "German", "Berlin", "Chancellor", "Olaf Scholz"),
    ("IND", "India", "Indian", "New Delhi", "Prime Minister", "Narendra Modi"),
    ("PAK", "Pakistan", "Pakistani", "Islamabad", "Prime Minister", "Shehbaz Sharif"),
    ("EGY", "Egypt", "Egyptian", "Cairo", "President", "Abdel Fattah al-Sisi"),
    ("ISR", "Israel", "Israeli", "Jerusalem", "Prime Minister", "Benjamin Netanyahu"),
    ("JPN", "Japan", "Japanese", "Tokyo", "Prime Minister", "Fumio Kishida"),
    ("CHN", "China", "Chinese", "Beijing", "President", "Xi Jinping"),
    ("KEN", "Kenya", "Kenyan", "Nairobi", "President", "William Ruto"),
    ("ETH", "Ethiopia", "Ethiopian", "Addis Ababa", "Prime Minister", "Abiy Ahmed"),
]

# plover, cameo, lead-sentence templates ({A}/{B}: country names, {a}: adjective of A, ...)
EVENTS = {
    "CONSULT": ("040", [
        "{A_role} {A_leader} of {A} met with {B_role} {B_leader} of {B} in {place} on {day}.",
        "{a} {A_role} {A_leader} held talks with his {b} counterpart {B_leader} in {place} on {day}.",
        "Leaders of {A} and {B} met in {place} on {day} to discuss bilateral relations.",
    ]),
    "ASSAULT": ("190", [
        "{a} forces attacked {b} positions near {place} on {day}, officials said.",
        "{A} launched an attack on {b} troops near {place} on {day}.",
        "Troops from {A} attacked a {b} border post near {place} on {day}, killing several soldiers.",
    ]),
    "AGREE": ("057", [
        "{A} and {B} signed an agreement on energy cooperation in {place} on {day}.",
        "{a} and {b} officials signed a trade agreement in {place} on {day}.",
    ]),
    "ACCUSE": ("112", [
        "{A} accused {B} of violating the ceasefire near {place} on {day}.",
        "The {a} foreign ministry accused {B} on {day} of provoking tension near {place}.",
    ]),
    "AID": ("073", [
        "{A} sent humanitarian aid to {B} on {day}, delivering supplies to {place}.",
    ]),
    "THREATEN": ("138", [
        "{A} threatened {B} with retaliation on {day}, a spokesman said in {place}.",
    ]),
}
TRIGGERS = {
    "met with": "CONSULT", "held talks": "CONSULT", "met in": "CONSULT",
    "attacked": "ASSAULT", "attack on": "ASSAULT",
    "signed": "AGREE", "accused": "ACCUSE", "humanitarian aid": "AID", "threatened": "THREATEN",
}
QUAD = {"CONSULT": 1, "AGREE": 1, "AID": 2, "ACCUSE": 3, "THREATEN": 3, "ASSAULT": 4}
GOLDSTEIN = {"CONSULT": 1.0, "AGREE": 4.0, "AID": 7.4, "ACCUSE": -2.0, "THREATEN": -4.4, "ASSAULT": -9.0}

SOURCES = ["AzerNews", "Trend", "Reuters", "AFP", "Anadolu", "TASS", "IRNA", "Armenpress",
           "AP", "BBC Monitoring", "Xinhua", "DPA", "Kyodo", "PTI", "Al-Ahram", "Daily Nation"]  # fmt: skip

BACKGROUND = [
    "The two countries have maintained diplomatic relations since {year}, and trade between them reached {n} million dollars last year.",
    "Analysts said the {topic} would dominate the agenda of the coming months.",
    "According to the ministry, the sides also discussed {topic} and regional security.",
    "The {a} side stressed the importance of {topic} for the stability of the region.",
    "Officials in {A_capital} said further consultations were planned before the end of the year.",
    "A joint working group on {topic} was established in {year} and has met {k} times since.",
    "Observers noted that relations between {A} and {B} have been tense over {topic}.",
    "The {b} embassy in {A_capital} did not immediately respond to a request for comment.",
    "Economists estimate that {topic} could add {k} percent to economic growth in the region.",
    "Local media reported that security was tightened in {place} ahead of the visit.",
    "The statement said both parties reaffirmed their commitment to {topic}.",
    "Last month, a delegation led by the deputy foreign minister visited {B_capital} for talks on {topic}.",
    "Opposition politicians in {A_capital} criticised the government's handling of {topic}.",
    "The United Nations has repeatedly called on both sides to resolve disputes over {topic} peacefully.",
    "Residents of {place} told reporters that the situation remained calm but uncertain.",
    "Trade officials said exports of grain, oil and textiles had grown by {k} percent.",
]
TOPICS = ["energy transit", "border demarcation", "water resources", "the transport corridor",
          "military cooperation", "customs procedures", "the gas pipeline", "refugee returns",
          "cultural exchanges", "the fisheries dispute", "visa liberalisation", "counter-terrorism"]  # fmt: skip
QUOTES = [
    '"We are ready to continue this dialogue," the {a} {A_role_lower} told reporters.',
    '"This is an important step for both our peoples," {B_leader} said in a statement.',
    '"Our position has not changed," a spokesman for the {b} government said.',
]
SYNONYMS = {"said": "stated", "officials": "authorities", "discussed": "talked about",
            "important": "significant", "reported": "said", "further": "more",
            "region": "area", "stressed": "underlined", "told reporters": "said"}  # fmt: skip


def _fill(template: str, ctx: dict[str, Any]) -> str:
    return template.format(**ctx)


def _context(rng: random.Random, a: tuple, b: tuple, plover: str, day: date) -> dict[str, Any]:
    place = rng.choice([a[3], b[3]]) if plover in ("CONSULT", "AGREE") else b[3]
    return {
        "A": a[1], "B": b[1], "a": a[2], "b": b[2], "A_capital": a[3], "B_capital": b[3],
        "A_role": a[4], "B_role": b[4], "A_role_lower": a[4].lower(), "A_leader": a[5],
        "B_leader": b[5], "place": place, "day": day.strftime("%B %-d"),
        "year": rng.randint(1992, 2015), "n": rng.randint(100, 9000), "k": rng.randint(2, 19),
        "topic": rng.choice(TOPICS),
    }  # fmt: skip


def story(
    rng: random.Random,
    *,
    actor: str | None = None,
    recipient: str | None = None,
    plover: str | None = None,
    day: date | None = None,
    words: int = 400,
) -> dict[str, Any]:
    """One story record (``text`` with a dateline header, ``truth``), about ``words`` long."""
    by_code = {c[0]: c for c in COUNTRIES}
    a = by_code[actor] if actor else rng.choice(COUNTRIES)
    b = by_code[recipient] if recipient else rng.choice([c for c in COUNTRIES if c is not a])
    plover = plover or rng.choice(sorted(EVENTS))
    day = day or date(2024, 1, 1) + timedelta(days=rng.randint(0, 365))
    cameo, leads = EVENTS[plover]
    ctx = _context(rng, a, b, plover, day)
    lead = _fill(rng.choice(leads), ctx)
    paragraphs = [lead]
    count = len(lead.split())
    pool = BACKGROUND[:]
    rng.shuffle(pool)
    while count < words:
        sentences = []
        for _ in range(rng.randint(2, 4)):
            if not pool:
                pool = BACKGROUND[:]
                rng.shuffle(pool)
            ctx["topic"] = rng.choice(TOPICS)
            ctx["k"] = rng.randint(2, 19)
            sentences.append(_fill(pool.pop(), ctx))
        if rng.random() < 0.3:
            sentences.append(_fill(rng.choice(QUOTES), ctx))
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    source = rng.choice(SOURCES)
    title = f"{a[1]} and {b[1]}: {plover.lower()} in {ctx['place']}"
    text = f"date {day.isoformat()} By {source} staff\n" + "\n\n".join(paragraphs)
    return {
        "id": f"syn-{rng.getrandbits(48):012x}",
        "text": text,
        "source": source,
        "title": title,
        "url": f"https://{source.lower().replace(' ', '')}.example/{day.isoformat()}/{rng.getrandbits(32):08x}",
        "truth": {"actor": a[0], "recipient": b[0], "plover": plover, "cameo": cameo, "date": day.isoformat()},
    }


def rewrite(rng: random.Random, record: dict[str, Any], *, source: str, shift_days: int = 0) -> dict[str, Any]:
    """A rewritten wire copy: another outlet, a new dateline, synonyms, paragraphs shuffled
    after the lead and one dropped; the lead event is the same real-world event."""
    header, _, body = record["text"].partition("\n")
    paragraphs = body.split("\n\n")
    lead, rest = paragraphs[0], paragraphs[1:]
    rng.shuffle(rest)
    if len(rest) > 3:
        rest.pop(rng.randrange(len(rest)))
    # Outlets sign what they re-run, so a copy is never byte-identical to the wire story.
    text = "\n\n".join([lead, *rest, f"({source} contributed to this report.)"])
    for word, other in SYNONYMS.items():
        if rng.random() < 0.4:
            text = re.sub(rf"\b{re.escape(word)}\b", other, text)
    truth = dict(record["truth"])
    day = date.fromisoformat(truth["date"]) + timedelta(days=shift_days)
    # The story is re-run later; the event itself keeps its date ("on July 18" is stated).
    out = dict(record)
    out.update(
        id=f"syn-{rng.getrandbits(48):012x}",
        text=f"date {day.isoformat()} By {source} staff\n{text}",
        source=source,
        url=f"https://{source.lower().replace(' ', '')}.example/{day.isoformat()}/{rng.getrandbits(32):08x}",
        truth=truth,
    )
    return out


def generate(n: int, *, seed: int = 0, words: int = 400) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for _ in range(n):
        yield story(rng, words=words)


def generate_articles(n: int, *, seed: int = 0, words: int = 400) -> list[dict[str, Any]]:
    """``n`` story records (``text``, ``date``-less: the dateline header is in the text)."""
    return list(generate(n, seed=seed, words=words))


def write_jsonl(path: str | Path, records: Iterable[dict[str, Any]]) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


# -- a stand-in coder ---------------------------------------------------------------------------

_NAMES = {c[1]: c[0] for c in COUNTRIES} | {c[2]: c[0] for c in COUNTRIES}
_NAME_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _NAMES), key=len, reverse=True)) + r")\b")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")


class KeywordCoder:
    """Codes the lead event of a synthetic story without a model: the first sentence with a
    trigger word and two country names. Deterministic; for plumbing tests and benchmarks."""

    def __init__(self, **_: Any) -> None:
        pass

    def pipe(self, articles: Iterable[Any]) -> Iterator[Any]:
        for article in articles:
            yield self.code(article)

    def code(self, article: Any) -> Any:
        from polybius.records import Actor, CodedArticle, Event, Evidence

        if "EXPLODE" in article.text:
            raise ValueError("the stand-in coder was told to fail")
        if "CRASH_WORKER" in article.text:
            import os

            os._exit(13)  # a worker process dying (segfault, OOM kill) mid-batch
        events = []
        for index, match in enumerate(_SENTENCE.finditer(article.text)):
            sentence = match.group(0)
            trigger = next((t for t in TRIGGERS if t in sentence), None)
            names = [m for m in _NAME_RE.finditer(sentence)]
            codes = list(dict.fromkeys(_NAMES[m.group(1)] for m in names))
            if trigger is None or len(codes) < 2:
                continue
            plover = TRIGGERS[trigger]
            cameo = EVENTS[plover][0]
            t_start = match.start() + sentence.index(trigger)
            events.append(
                Event(
                    article_id=article.id,
                    source_id=article.source_id,
                    actor=Actor(text=codes[0], name=codes[0], country=codes[0], code=codes[0]),
                    recipient=Actor(text=codes[1], name=codes[1], country=codes[1], code=codes[1]),
                    cameo=cameo,
                    plover=plover,
                    quad_class=QUAD[plover],
                    goldstein=GOLDSTEIN[plover],
                    evidence=Evidence(index, match.start(), match.end(), sentence.strip(), trigger,
                                      t_start, t_start + len(trigger)),  # fmt: skip
                    date=_stated_date(sentence, article.published),
                    date_precision="day",
                    date_basis="text",
                    coder="keyword-coder",
                )
            )
            break
        return CodedArticle(article=article, events=tuple(events))


class SlowKeywordCoder(KeywordCoder):
    """KeywordCoder at a model's pace (``$POLYBIUS_FAKE_DELAY`` s per article, default 0.02),
    appending each article id to ``$POLYBIUS_FAKE_TRACE`` when set: for interruption tests."""

    def code(self, article: Any) -> Any:
        import os
        import time

        time.sleep(float(os.environ.get("POLYBIUS_FAKE_DELAY", "0.02")))
        trace = os.environ.get("POLYBIUS_FAKE_TRACE")
        if trace:
            with open(trace, "a", encoding="utf-8") as fh:
                fh.write(article.id + "\n")
        return super().code(article)


_MONTHS = {m: i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"], start=1)}  # fmt: skip
_DAY = re.compile(r"\b(" + "|".join(_MONTHS) + r") (\d{1,2})\b")


def _stated_date(sentence: str, published: date | None) -> date | None:
    match = _DAY.search(sentence)
    if not match or published is None:
        return published
    stated = date(published.year, _MONTHS[match.group(1)], int(match.group(2)))
    return stated if stated <= published else date(published.year - 1, stated.month, stated.day)


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print("usage: python benchmarks/corpus.py N OUT.jsonl [SEED]", file=sys.stderr)
        return 2
    n, out = int(argv[0]), argv[1]
    seed = int(argv[2]) if len(argv) > 2 else 0
    write_jsonl(out, generate(n, seed=seed))
    print(f"wrote {n} articles to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
