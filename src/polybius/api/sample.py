"""A small, hand-built sample corpus of coded articles (no model needed).

Used by the tests, the benchmarks and ``polybius serve --sample`` to show the dashboard with
something in it. Every event is built from the records directly, with real character offsets
into its article's text, so the article view can highlight the evidence and the trigger.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from polybius.records import Actor, Article, CodedArticle, Event, Evidence, Place

__all__ = ["KINDS", "PLACES", "coded_article", "sample_articles", "script_article"]

# name: (country, admin1, lat, lon, geonameid)
PLACES = {
    "Baku": ("AZE", "Baku", 40.37767, 49.89201, 587084),
    "Tehran": ("IRN", "Tehran", 35.69439, 51.42151, 112931),
    "Yerevan": ("ARM", "Yerevan", 40.18111, 44.51361, 616052),
    "Moscow": ("RUS", "Moscow", 55.75222, 37.61556, 524901),
    "Kyiv": ("UKR", "Kyiv City", 50.45466, 30.5238, 703448),
    "Washington": ("USA", "District of Columbia", 38.89511, -77.03637, 4140963),
    "Beijing": ("CHN", "Beijing", 39.9075, 116.39723, 1816670),
    "Ankara": ("TUR", "Ankara", 39.91987, 32.85427, 323786),
    "Damascus": ("SYR", "Dimashq", 33.5102, 36.29128, 170654),
}
_NAMES = {"AZE": "Azerbaijan", "IRN": "Iran", "ARM": "Armenia", "RUS": "Russia", "UKR": "Ukraine",
          "USA": "the United States", "CHN": "China", "TUR": "Turkey", "SYR": "Syria"}
_ADJ = {"AZE": "Azerbaijani", "IRN": "Iranian", "ARM": "Armenian", "RUS": "Russian",
        "UKR": "Ukrainian", "USA": "US", "CHN": "Chinese", "TUR": "Turkish", "SYR": "Syrian"}
_CAPITAL = {"AZE": "Baku", "IRN": "Tehran", "ARM": "Yerevan", "RUS": "Moscow", "UKR": "Kyiv",
            "USA": "Washington", "CHN": "Beijing", "TUR": "Ankara", "SYR": "Damascus"}
# (trigger, cameo, plover, quad_class (PLOVER), goldstein, sector of the actor)
_KINDS = [
    ("met with", "040", "CONSULT", 1, 1.0, "GOV"),
    ("signed an agreement with", "057", "AGREE", 1, 8.0, "GOV"),
    ("praised", "051", "SUPPORT", 1, 3.4, "GOV"),
    ("sent aid to", "073", "AID", 2, 7.4, "GOV"),
    ("held joint exercises with", "062", "COOPERATE", 2, 6.4, "MIL"),
    ("accused", "112", "ACCUSE", 3, -2.0, "GOV"),
    ("threatened", "130", "THREATEN", 3, -4.4, "GOV"),
    ("imposed sanctions on", "163", "SANCTION", 4, -8.0, "GOV"),
    ("shelled positions of", "195", "ASSAULT", 4, -10.0, "MIL"),
]
# dyad -> weights per kind (how cooperative the pair is)
_DYADS = {
    ("AZE", "IRN"): [6, 3, 2, 1, 2, 2, 1, 0, 0],
    ("ARM", "AZE"): [1, 1, 0, 0, 0, 4, 3, 0, 4],
    ("RUS", "UKR"): [1, 0, 0, 0, 0, 4, 3, 2, 5],
    ("USA", "CHN"): [3, 1, 0, 0, 0, 3, 2, 3, 0],
    ("TUR", "SYR"): [1, 0, 0, 0, 0, 3, 2, 1, 3],
    ("RUS", "TUR"): [4, 2, 1, 0, 1, 1, 0, 0, 0],
}
_FILLER = ["analysts noted", "observers recalled", "the ministry added", "reporters were told", "a spokesman stressed"]
_WORDS = ["trade", "energy", "border", "talks", "pipeline", "security", "region", "ministers", "summit", "delegation", "treaty", "transit", "railway", "gas", "oil", "exports", "visas", "culture", "students", "water", "river", "dam", "tariffs", "grain", "drones", "airspace", "corridor", "customs", "investment", "bank", "loans", "ports", "shipping", "fishing", "quotas", "elections", "parliament", "opposition", "protests", "refugees", "aid", "hospitals", "vaccines", "weather", "earthquake", "museum", "festival", "football", "tourism", "airline", "flights", "embassy", "consulate"]
KINDS = {k[2]: k for k in _KINDS}
_SOURCES = ["Azernews", "Trend", "Reuters", "AP", "TASS", "Xinhua", "Anadolu"]


def _actor(text: str, country: str, sector: str, start: int) -> Actor:
    return Actor(text=text, name=_NAMES[country].removeprefix("the "), country=country,
                 sectors=(sector,), code=country + sector, start=start, end=start + len(text),
                 kind="country")


def coded_article(day: date, a: str, b: str, kind: str | tuple[str, str, str, int, float, str],
                  source: str, lead: str = "") -> CodedArticle:
    """One article reporting that ``a`` did ``kind`` (a PLOVER type of :data:`KINDS`) to ``b``."""
    if isinstance(kind, str):
        kind = next(k for k in _KINDS if k[2] == kind)
    trigger, cameo, plover, quad, gold, sector = kind
    a_text = f"{_ADJ[a]} officials" if sector == "GOV" else f"{_ADJ[a]} forces"
    b_text = f"their {_ADJ[b]} counterparts"
    place = _CAPITAL[a] if plover not in ("ASSAULT",) else _CAPITAL[b]
    sentence = f"{a_text} {trigger} {b_text} in {place} on {day.strftime('%B')} {day.day}."
    sentence = sentence[0].upper() + sentence[1:]
    rng = random.Random(f"{day}{a}{b}{cameo}{source}")
    other = f"The {_ADJ[b]} side said relations with {_NAMES[a]} were at a turning point. " + " ".join(
        rng.choice(_FILLER).capitalize() + " " + " ".join(rng.sample(_WORDS, 9)) + "." for _ in range(3)
    )
    text = (lead + " " if lead else "") + sentence + " " + other
    art = Article.from_text(text, source=source, url=f"https://example.org/{source.lower()}/{day.isoformat()}-{a}-{b}-{cameo}",
                            title=f"{_NAMES[a].removeprefix('the ').title()} and {_NAMES[b].removeprefix('the ')}: {plover.lower()}",
                            published=day + timedelta(days=1))
    s0 = art.text.index(sentence)
    t0 = s0 + len(a_text) + 1
    country, admin1, lat, lon, gid = PLACES[place]
    event = Event(
        article_id=art.id,
        actor=_actor(a_text, a, sector, s0),
        recipient=_actor(b_text, b, "GOV", t0 + len(trigger) + 1),
        cameo=cameo, plover=plover, quad_class=quad, goldstein=gold,
        evidence=Evidence(sentence_index=1 if lead else 0, start=s0, end=s0 + len(sentence), text=sentence,
                          trigger=trigger, trigger_start=t0, trigger_end=t0 + len(trigger)),
        date=day, date_precision="day", date_basis="text",
        location=Place(name=place, country=country, admin1=admin1, lat=lat, lon=lon, geonameid=gid,
                       precision="city", basis="text", start=art.text.index(place, t0), end=art.text.index(place, t0) + len(place)),
        confidence=0.8, coder="polybius sample",
    )
    return CodedArticle(article=art, events=(event,))


def sample_articles(n: int = 120, *, seed: int = 7, start: date = date(2018, 1, 1), days: int = 900) -> list[CodedArticle]:
    """``n`` coded articles over ``days`` days; about one in five events is reported twice
    (by another outlet, a day later), so dedup has something to cluster."""
    rng = random.Random(seed)
    out: list[CodedArticle] = []
    dyads = list(_DYADS)
    while len(out) < n:
        a, b = rng.choice(dyads)
        if rng.random() < 0.35:
            a, b = b, a
        weights = _DYADS[(a, b)] if (a, b) in _DYADS else _DYADS[(b, a)]
        kind = rng.choices(_KINDS, weights=weights)[0]
        day = start + timedelta(days=rng.randrange(days))
        source = rng.choice(_SOURCES)
        out.append(coded_article(day, a, b, kind, source))
        if rng.random() < 0.2 and len(out) < n:
            other = rng.choice([s for s in _SOURCES if s != source])
            out.append(coded_article(day, a, b, kind, other, lead=f"{other} reports:"))
    return out


def script_article() -> CodedArticle:
    """An article whose text holds markup: the dashboard must show it as text."""
    day = date(2019, 7, 18)
    coded = coded_article(day, "AZE", "IRN", _KINDS[0], "Azernews", lead="<script>alert(1)</script> <b>bold</b>")
    return coded
