"""The where stage: toponyms resolved against the gazetteer, and each event's place.

Two steps, as the pipeline calls them:

1. :meth:`Locator.article_context` finds the article's place mentions once (spaCy GPE/LOC/FAC
   entities, plus gazetteer-known capitalised names the small model missed or mislabelled:
   "in Bangor" tagged ORG, "Kharkiv came under fire" untagged) and resolves each against the
   gazetteer with the article's context: the countries of its actors, its dateline place, the
   other places it names, an adjacent qualifier ("Bangor, Maine") and a following "region"
   ("the Kharkiv region"). Every candidate keeps its score and the parts of that score, for
   ``polybius explain`` (:meth:`PlaceContext.explain`). All the article's new names are
   fetched from the gazetteer in one query.
2. :meth:`Locator.locate` picks the place the sentence ties to one event, by a cascade; each
   step runs only when the one before it found nothing:

   a. a place the sentence ties to the trigger (basis ``text``): the object of a locative
      preposition attached to the trigger or to its clause ("held in Baku", "an attack in
      Kharkiv", "clashes near Goma"), the destination of a travel verb ("visited Ankara",
      "flew to Moscow"), the object of an attack verb ("shelled Kharkiv"), a place modifier of
      the trigger noun ("the Baku meeting"), or a locative phrase on a site, partner or
      occasion of the event ("raided a camp in the West Bank", "talks with his counterpart in
      Tehran", "for talks in Vilnius"). The trigger's own phrases come first, then its
      clause's, then those of the clause it is coordinated with; among them cities, admin-1
      regions, seas and regions beat countries;
   b. the dateline place (basis ``dateline``), unless the tied phrases name another country;
   c. a country named in the tied phrase ("in Iran"; basis ``text``, precision ``country``);
   d. the one country of every city the article places something in, when one of its
      actors belongs to it (basis ``country``; off with ``Locator(infer_country=False)``);
   e. nothing. A place mentioned in passing ("the Ambassador of Iran to Azerbaijan",
      "refugees from Syria", "the territorial waters of Azerbaijan", "discussed the situation
      in Syria") never locates an event, and a capital used as an actor ("Tehran said",
      "sanctions on Moscow") is not a locative object.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from polybius.actors.countries import is_country_code
from polybius.gazetteer import Gazetteer, GeoCandidate, normalise_name
from polybius.records import Article, Place

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = [
    "Locator",
    "PlaceContext",
    "ScoredCandidate",
    "ScoringContext",
    "Toponym",
    "rank_candidates",
    "score_candidate",
]

log = logging.getLogger(__name__)

# --- scoring -----------------------------------------------------------------------------
# Scores are in "log10 population" units scaled by POPULATION_WEIGHT, so every bonus reads as
# "worth this many tenfold differences in size". The weights were set on the golden cases:
# a shared actor country and dateline together (2.0) must not move "Paris" from France
# (2.1M) to Texas (25k), a gap of 1.9 decades (x1.2 = 2.3); an adjacent qualifier must.
POPULATION_WEIGHT = 1.2
PRIMARY_NAME_BONUS = (
    0.5  # its own name, not an alternate: "New Delhi" is not Delhi (alt. "New Delhi")
)
CAPITAL_BONUS = 1.5  # news names capitals far more than their size alone would say
COUNTRY_PRIOR = 2.0  # "Georgia" is the country unless the context says otherwise
# Seas and regions have no population; they are only ever looked up by their own names,
# which no city of news interest shares, so they win like a city of ~30 million.
REGION_SCORE = 9.0
# An admin-1 region counts with a fraction of the people in its cities: "New York" is the
# city, "Texas" the state; a region matched only by an alias ("Kharkiv" for Kharkiv
# Oblast) counts less still, so the city of that name wins.
ADMIN1_PRIMARY_SHARE = 0.05
ADMIN1_ALIAS_SHARE = 0.01
ACTOR_COUNTRY_BONUS = 1.0  # scaled by how often the article's actors belong to the country
DATELINE_COUNTRY_BONUS = 1.0
NEARBY_PLACE_BONUS = 0.5  # per other confidently resolved place of the article in the country
NEARBY_PLACE_CAP = 1.0
QUALIFIER_BONUS = 6.0  # "Paris, Texas": stronger than any size difference between namesakes
ADMIN1_HINT_BONUS = 4.0  # "the Kharkiv region" is the oblast, though "Kharkiv" is the city
# A second-best candidate within this margin makes a toponym ambiguous: it then neither lends
# its country to other places nor marks the article's single country.
CONFIDENT_MARGIN = 1.0


@dataclass(frozen=True, slots=True)
class ScoringContext:
    """What an article tells about which namesake is meant."""

    actor_countries: Counter[str] = field(default_factory=Counter)
    dateline_country: str | None = None
    nearby_countries: Counter[str] = field(default_factory=Counter)
    qualifiers: tuple[GeoCandidate, ...] = ()  # candidates of "Maine" in "Bangor, Maine"
    admin1_hint: bool = False  # followed by "region", "province", "oblast": "the Kharkiv region"


@dataclass(frozen=True, slots=True)
class ScoredCandidate:
    candidate: GeoCandidate
    score: float
    parts: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.candidate.to_dict(),
            "score": round(self.score, 3),
            "parts": {k: round(v, 3) for k, v in self.parts.items()},
        }


def _matches_qualifier(cand: GeoCandidate, qualifier: GeoCandidate) -> bool:
    if qualifier.kind == "country":
        return (
            cand.country is not None
            and cand.country == qualifier.country
            and cand.kind != "country"
        )
    if qualifier.kind == "admin1":
        return (
            cand.kind == "city"
            and cand.country == qualifier.country
            and cand.admin1_code is not None
            and cand.admin1_code == qualifier.admin1_code
        )
    return False


def score_candidate(cand: GeoCandidate, ctx: ScoringContext) -> ScoredCandidate:
    """The score of one candidate in context, with its parts (for explain)."""
    parts: dict[str, float] = {}
    if cand.kind == "region":
        parts["region"] = REGION_SCORE
    else:
        people = float(cand.population)
        if cand.kind == "admin1":
            people *= ADMIN1_PRIMARY_SHARE if cand.primary else ADMIN1_ALIAS_SHARE
        parts["population"] = POPULATION_WEIGHT * math.log10(people + 1.0)
        if cand.kind == "country":
            parts["country"] = COUNTRY_PRIOR
    if cand.primary:
        parts["primary_name"] = PRIMARY_NAME_BONUS
    if cand.feature_code == "PPLC":
        parts["capital"] = CAPITAL_BONUS
    if cand.country:
        if ctx.actor_countries and cand.country in ctx.actor_countries:
            top = max(ctx.actor_countries.values())
            parts["actors"] = ACTOR_COUNTRY_BONUS * ctx.actor_countries[cand.country] / top
        if ctx.dateline_country == cand.country:
            parts["dateline"] = DATELINE_COUNTRY_BONUS
        nearby = ctx.nearby_countries.get(cand.country, 0)
        if nearby:
            parts["nearby"] = min(NEARBY_PLACE_CAP, NEARBY_PLACE_BONUS * nearby)
    if any(_matches_qualifier(cand, q) for q in ctx.qualifiers):
        parts["qualifier"] = QUALIFIER_BONUS
    if ctx.admin1_hint and cand.kind == "admin1":
        parts["admin1_hint"] = ADMIN1_HINT_BONUS
    return ScoredCandidate(cand, sum(parts.values()), parts)


def rank_candidates(
    candidates: Iterable[GeoCandidate], ctx: ScoringContext
) -> list[ScoredCandidate]:
    """Candidates best first; ties go to the larger population, then the lower geonameid."""
    scored = [score_candidate(c, ctx) for c in candidates]
    scored.sort(key=lambda s: (-s.score, -s.candidate.population, s.candidate.geonameid or 0))
    return scored


# --- toponyms ----------------------------------------------------------------------------

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_FALLBACK_PREPS = frozenset({"in", "at", "near", "from", "to", "outside"})
# A capitalised word after a preposition that the NER did not call a place must name a place
# of some size: "in Congress" is not Congress, Arizona (pop. 1,975).
_FALLBACK_MIN_POPULATION = 5000
_MISLABEL_MIN_POPULATION = 20_000  # "in Bangor" tagged ORG; but "at Harvard" is not Harvard, IL
_BARE_CITY_MIN_POPULATION = 100_000
_FALLBACK_LABELS = frozenset({"", "PERSON", "ORG", "PRODUCT", "WORK_OF_ART", "EVENT"})
# fmt: off
_NOT_PLACES = frozenset(
    {
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
        "saturday", "sunday",
    }
)
# fmt: on


@dataclass(slots=True)
class Toponym:
    """One place mention in an article, with its ranked candidates."""

    text: str
    start: int  # character offsets in the article text
    end: int
    token_start: int
    token_end: int
    source: str  # the entity label, or "fallback" for a capitalised name the NER missed
    ranked: list[ScoredCandidate] = field(default_factory=list)
    qualifier: Toponym | None = None
    admin1_hint: bool = False
    locative: bool = False  # the object of "in/at/near ...": named as a place, not as an actor

    @property
    def best(self) -> GeoCandidate | None:
        return self.ranked[0].candidate if self.ranked else None

    @property
    def confident(self) -> bool:
        if not self.ranked:
            return False
        if len(self.ranked) == 1:
            return True
        return self.ranked[0].score - self.ranked[1].score >= CONFIDENT_MARGIN

    def place(self, *, basis: str = "text") -> Place | None:
        best = self.best
        return best.to_place(basis=basis, start=self.start, end=self.end) if best else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "source": self.source,
            "qualifier": self.qualifier.text if self.qualifier else None,
            "candidates": [s.to_dict() for s in self.ranked[:5]],
        }


@dataclass(slots=True)
class PlaceContext:
    """What :meth:`Locator.article_context` learnt about an article's places."""

    actor_countries: Counter[str]
    dateline: Place | None
    toponyms: list[Toponym]
    by_token: dict[int, Toponym]
    article_country: str | None = None  # the one country of all its cities, if an actor's
    decisions: dict[int, str] = field(default_factory=dict)  # trigger token index -> rule
    # The story names the dateline's country (its actors or places), or no country at all.
    # "BANGKOK - A Myanmar air strike ...": a bureau abroad, whose city is no event's place.
    dateline_local: bool = True

    def countries_at(self) -> dict[int, str]:
        """The country of each place the article names and the gazetteer is sure of, by the
        place's start offset in the text."""
        return {
            t.start: t.best.country
            for t in self.toponyms
            if t.confident and t.best is not None and t.best.country and t.best.kind != "country"
        }

    def explain(self) -> dict[str, Any]:
        return {
            "actor_countries": dict(self.actor_countries),
            "dateline": self.dateline.to_dict() if self.dateline else None,
            "dateline_local": self.dateline_local,
            "article_country": self.article_country,
            "toponyms": [t.to_dict() for t in self.toponyms],
            "decisions": dict(self.decisions),
        }


# --- locating events ---------------------------------------------------------------------
# The word lists below are closed rule sets of the cascade, not a lexicon users extend; they
# are kept as paragraphs (fmt: off) because one word a line hides them in scrolling.

_LOCATIVE_PREPS = frozenset(
    {"in", "at", "near", "outside", "inside", "throughout", "across", "around"}
)
# fmt: off
_TRAVEL_VERBS = frozenset(
    {"visit", "arrive", "travel", "fly", "go", "come", "return", "reach", "tour", "head", "land", "move"}
)
# fmt: on
_TRAVEL_PREPS = frozenset({"to", "in", "at", "into"})
# Verbs whose object is where the event happens: "shelled Kharkiv", "struck the port of Odesa".
# fmt: off
_ATTACK_VERBS = frozenset(
    {"strike", "hit", "shell", "attack", "bomb", "bombard", "raid", "storm", "pound", "capture",
     "seize", "besiege", "invade", "overrun", "encircle", "surround", "recapture", "liberate"}
)
# fmt: on
# "in the city of Kharkiv", "in the Donetsk region", "in the capital, Baku", "on the outskirts of Goma"
# fmt: off
_PLACE_NOUNS = frozenset(
    {
        "city", "town", "village", "capital", "region", "province", "district", "area", "outskirts",
        "suburb", "suburbs", "vicinity", "port", "oblast", "state", "county", "governorate",
        "municipality", "neighbourhood", "neighborhood", "border", "centre", "center", "coast",
    }
)
# fmt: on
_CLAUSE_POS = frozenset({"VERB", "AUX"})
_MAX_CLIMB = 4
_MAX_DESCENT = 2
_TARGET_PREPS = frozenset({"on", "against", "upon", "to", "into"})  # "aid to camps in Chad"
_OCCASION_PREPS = frozenset({"for", "during"})
# Objects that are topics of talk, not things at a place: their locative phrases are passing
# mentions ("discussed the situation in Syria").
# fmt: off
_TOPIC_NOUNS = frozenset(
    {
        "situation", "crisis", "conflict", "war", "development", "developments", "issue", "issues",
        "relation", "relations", "tie", "ties", "tension", "tensions", "security", "peace", "process",
        "cooperation", "problem", "problems", "prospect", "prospects", "state", "role", "question",
        "matter", "matters", "event", "events", "policy", "future", "economy", "interest",
        "interests", "presence", "influence", "rights", "violence", "attacks", "progress", "concern",
        "concerns", "investment", "investments", "interference", "involvement", "activities",
        "programme", "program", "stability", "aggression", "occupation", "escalation",
    }
)
# fmt: on
# Nouns for sites an event happens at: a locative phrase on them places the event.
# fmt: off
_SITE_NOUNS = frozenset(
    {
        "camp", "base", "market", "building", "school", "hospital", "checkpoint", "post", "compound",
        "position", "office", "embassy", "consulate", "mosque", "church", "synagogue", "temple",
        "airport", "station", "crossing", "bridge", "factory", "plant", "facility", "hotel", "palace",
        "residence", "headquarters", "square", "street", "road", "prison", "refinery", "mine",
        "outpost", "barracks", "site", "targets", "target", "home", "house", "university", "stadium",
    }
)
# fmt: on
# Event nouns that are the object of a light verb ("held talks", "staged a protest"): their
# locative phrases are the event's.
# fmt: off
_EVENT_NOUNS = frozenset(
    {
        "talk", "talks", "meeting", "summit", "exercise", "drill", "negotiation", "consultation",
        "conference", "rally", "protest", "demonstration", "strike", "attack", "raid", "operation",
        "election", "visit", "ceremony", "session", "forum", "round", "offensive", "ceasefire",
        "truce", "march", "clash", "clashes", "fighting", "battle", "bombing", "shelling",
    }
)
# fmt: on
_TARGET_OBJECTS = _SITE_NOUNS | _PLACE_NOUNS
_OCCASION_OBJECTS = _EVENT_NOUNS | _TARGET_OBJECTS
_ADMIN1_WORDS = frozenset({"region", "province", "oblast", "governorate", "state", "prefecture"})
_NOMINAL_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass"})


class Locator:
    """The where stage. Opens the default gazetteer lazily, on the first article."""

    def __init__(self, gazetteer: Gazetteer | None = None, *, infer_country: bool = True) -> None:
        self._gazetteer = gazetteer
        self.infer_country = infer_country

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = Gazetteer.open()
        return self._gazetteer

    # -- per article --------------------------------------------------------------------

    def article_context(self, doc: Doc, article: Article, mentions: Any) -> PlaceContext:
        """Find and resolve the article's toponyms once, in the article's context."""
        actor_countries = _actor_countries(mentions)
        gaz = self.gazetteer
        ents = tuple(doc.ents)  # spaCy builds the spans anew on every access
        prefetch = getattr(gaz, "prefetch", None)
        if prefetch is not None:
            prefetch(_names_to_look_up(doc, ents, article))
        base = ScoringContext(actor_countries=actor_countries)
        dateline = self._dateline(article, base)
        base = replace(base, dateline_country=dateline.country if dateline else None)
        toponyms = self._find_toponyms(doc, ents, gaz)
        cache: dict[tuple[str, str], list[ScoredCandidate]] = {}
        for top in toponyms:  # first pass: actors, dateline and qualifier
            top.ranked = self._rank(top, base, cache)
        nearby = Counter(
            t.best.country for t in toponyms if t.confident and t.best and t.best.country
        )
        if nearby:  # second pass: the other places of the article lend their country
            cache.clear()
            for top in toponyms:
                own = (
                    Counter([top.best.country])
                    if top.confident and top.best and top.best.country
                    else Counter()
                )
                others = nearby - own
                if others:
                    ctx = replace(base, nearby_countries=others)
                    top.ranked = self._rank(top, ctx, cache, use_cache=False)
        by_token: dict[int, Toponym] = {}
        for top in toponyms:
            for i in range(top.token_start, top.token_end):
                by_token[i] = top
        named = {c for c in actor_countries if is_country_code(c)} | {
            t.best.country for t in toponyms if t.confident and t.best and t.best.country
        }
        return PlaceContext(
            actor_countries=actor_countries,
            dateline=dateline,
            toponyms=toponyms,
            by_token=by_token,
            article_country=_single_country(toponyms, actor_countries),
            dateline_local=dateline is None or not named or dateline.country in named,
        )

    def _rank(
        self,
        top: Toponym,
        ctx: ScoringContext,
        cache: dict[tuple[str, str], list[ScoredCandidate]],
        *,
        use_cache: bool = True,
    ) -> list[ScoredCandidate]:
        gaz = self.gazetteer
        qualifiers: tuple[GeoCandidate, ...] = ()
        if top.qualifier is not None:
            qualifiers = tuple(
                c for c in gaz.lookup(top.qualifier.text) if c.kind in ("admin1", "country")
            )
        qualifier_key = normalise_name(top.qualifier.text) if top.qualifier else ""
        key = (normalise_name(top.text), f"{qualifier_key}|{top.admin1_hint}")
        if use_cache and key in cache:
            return cache[key]
        if qualifiers or top.admin1_hint:
            ctx = replace(ctx, qualifiers=qualifiers, admin1_hint=top.admin1_hint)
        ranked = rank_candidates(gaz.lookup(top.text), ctx)
        cache[key] = ranked
        return ranked

    def _dateline(self, article: Article, ctx: ScoringContext) -> Place | None:
        # The reader sets dateline_place from a wire opening ("BEIJING, March 11 —").
        name = (article.dateline_place or "").strip()
        if not name:
            return None
        first, _, rest = name.partition(",")
        candidates = self.gazetteer.lookup(first)
        if not candidates:
            return None
        if rest.strip():
            quals = tuple(c for c in self.gazetteer.lookup(rest) if c.kind in ("admin1", "country"))
            ctx = ScoringContext(actor_countries=ctx.actor_countries, qualifiers=quals)
        # A dateline names a city; a region or country of the same name is a worse reading.
        cities = [c for c in candidates if c.kind == "city"] or candidates
        best = rank_candidates(cities, ctx)[0].candidate
        return best.to_place(basis="dateline")

    def _find_toponyms(self, doc: Doc, ents: tuple[Span, ...], gaz: Gazetteer) -> list[Toponym]:
        found: list[Toponym] = []
        taken: set[int] = set()
        for ent in ents:
            if ent.label_ not in PLACE_LABELS:
                continue
            span = _trim(ent)
            if span is None:
                continue
            text = span.text
            if "," in text:  # "Bangor, Maine" as one entity: the place, then its qualifier
                head_text, _, qual_text = text.partition(",")
                head_end = span.start_char + len(head_text)
                head_tokens = [t for t in span if t.idx + len(t.text) <= head_end]
                if head_tokens and gaz.lookup(head_text) and gaz.lookup(qual_text):
                    head = Toponym(
                        head_text,
                        span.start_char,
                        head_end,
                        span.start,
                        head_tokens[-1].i + 1,
                        ent.label_,
                    )
                    q_tokens = [t for t in span if t.idx > head_end]
                    qual = Toponym(
                        qual_text.strip(),
                        q_tokens[0].idx,
                        span.end_char,
                        q_tokens[0].i,
                        span.end,
                        ent.label_,
                    )
                    head.qualifier = qual
                    found += [head, qual]
                    taken.update(range(span.start, span.end))
                continue
            if not gaz.lookup(text):
                continue
            found.append(
                Toponym(text, span.start_char, span.end_char, span.start, span.end, ent.label_)
            )
            taken.update(range(span.start, span.end))
        named_places = {t.text for t in found}
        found += self._fallback_toponyms(doc, ents, gaz, taken, named_places)
        found.sort(key=lambda t: t.start)
        for top in found:
            if top.token_end < len(doc) and doc[top.token_end].lower_ in _ADMIN1_WORDS:
                top.admin1_hint = True
            root = doc[top.token_start : top.token_end].root
            top.locative = root.dep_ == "pobj" and root.head.lower_ in _LOCATIVE_PREPS
        text = doc.text  # spaCy joins the tokens anew on every access
        for first, second in zip(found, found[1:], strict=False):
            gap = text[first.end : second.start]
            if (
                first.qualifier is None
                and gap.strip() == ","
                and first.token_end <= second.token_start
            ):
                first.qualifier = second
        return found

    def _fallback_toponyms(
        self,
        doc: Doc,
        ents: tuple[Span, ...],
        gaz: Gazetteer,
        taken: set[int],
        named_places: set[str] = frozenset(),  # type: ignore[assignment]
    ) -> list[Toponym]:
        """Places the small model missed or mislabelled, kept only when the gazetteer is sure.

        A run of capitalised proper nouns is a place when the gazetteer knows it and, after a
        preposition ("in Bangor", tagged ORG), it names a town of some size; anywhere else
        ("Kharkiv came under fire", "Crimea remained occupied"), it must name a country, a
        region or a big city by its own name, since proper nouns out of place are mostly
        people and organisations.
        """
        found: list[Toponym] = []
        ent_at = {t: e for e in ents for t in range(e.start, e.end)}
        i = 0
        n = len(doc)
        while i < n:
            tok = doc[i]
            if i in taken or not tok.is_title or tok.pos_ != "PROPN" or tok.lower_ in _NOT_PLACES:
                i += 1
                continue
            run = [tok]
            for nxt in doc[i + 1 : i + 4]:
                if nxt.i in taken or not nxt.is_title or nxt.pos_ != "PROPN":
                    break
                run.append(nxt)
            i = run[-1].i + 1
            label = tok.ent_type_
            if label not in _FALLBACK_LABELS:
                continue
            if label:  # a mislabelled entity counts only as a whole
                ent = ent_at.get(tok.i)
                if ent is None or ent.start != tok.i or ent.end != run[-1].i + 1:
                    continue
            text = doc[tok.i : run[-1].i + 1].text
            candidates = gaz.lookup(text)
            if not candidates:
                continue
            prev = doc[tok.i - 1] if tok.i > 0 else None
            after_place_noun = (  # "the northern Israeli city of Safed" (tagged PERSON)
                prev is not None and prev.lower_ == "of" and prev.head.lower_ in _PLACE_NOUNS
            )
            if prev is not None and (prev.lower_ in _FALLBACK_PREPS or after_place_noun):
                floor = _FALLBACK_MIN_POPULATION if not label else _MISLABEL_MIN_POPULATION
                ok = any(c.kind != "city" or c.population >= floor for c in candidates)
            elif label == "PERSON":
                # "Russian forces struck Kharkiv" (tagged PERSON) in a story that names
                # Kharkiv as a place elsewhere: the same name is the same place
                ok = text in named_places
            else:
                ok = any(
                    c.primary
                    and (
                        c.kind in ("country", "region")
                        or (c.kind == "city" and c.population >= _BARE_CITY_MIN_POPULATION)
                    )
                    for c in candidates
                )
            if ok:
                found.append(
                    Toponym(
                        text,
                        tok.idx,
                        run[-1].idx + len(run[-1].text),
                        tok.i,
                        run[-1].i + 1,
                        "fallback",
                    )
                )
                taken.update(t.i for t in run)
        return found

    # -- per event ----------------------------------------------------------------------

    def locate(
        self, sentence: Span, trigger: Token, article: Article, context: PlaceContext
    ) -> Place | None:
        """The place the sentence ties to the event at ``trigger``, or None (never a guess)."""
        resolved = _tied_toponyms(trigger, context)
        for top, how in resolved:
            best = top.best
            if best is not None and best.kind != "country":
                context.decisions[trigger.i] = f"text:{how}:{top.text}"
                return top.place(basis="text")
        tied_countries = {t.best.country for t, _ in resolved if t.best is not None}
        if (
            context.dateline is not None
            and context.dateline_local
            and (not tied_countries or context.dateline.country in tied_countries)
        ):
            context.decisions[trigger.i] = "dateline"
            return context.dateline
        if resolved:
            top, how = resolved[0]
            context.decisions[trigger.i] = f"text-country:{how}:{top.text}"
            return top.place(basis="text")
        if self.infer_country and context.article_country:
            place = self.gazetteer.country(context.article_country)
            if place is not None:
                context.decisions[trigger.i] = "article-country"
                return replace(place, admin1=None, precision="country", basis="country", start=-1, end=-1)
        context.decisions[trigger.i] = "none"
        return None


# --- helpers -----------------------------------------------------------------------------


def _names_to_look_up(doc: Doc, ents: tuple[Span, ...], article: Article) -> set[str]:
    """Every string the toponym finder may look up, so one query can fetch them all."""
    names: set[str] = set()
    if article.dateline_place:
        names.update(article.dateline_place.split(","))
    for ent in ents:
        if ent.label_ in PLACE_LABELS:
            span = _trim(ent)
            if span is not None:
                names.add(span.text)
                names.update(span.text.split(","))
    run: list[Token] = []
    for tok in [*doc, None]:
        if tok is not None and tok.is_title and tok.pos_ == "PROPN" and len(run) < 4:
            run.append(tok)
            continue
        if run:
            names.add(doc[run[0].i : run[-1].i + 1].text)
            names.add(run[0].text)
        run = [tok] if tok is not None and tok.is_title and tok.pos_ == "PROPN" else []
    return names


def _actor_countries(mentions: Any) -> Counter[str]:
    countries = getattr(mentions, "countries", None)
    if countries is None:
        return Counter()
    try:
        value = countries() if callable(countries) else countries
    except Exception:  # a broken actor stage must not take the places down with it
        log.exception("mentions.countries() failed")
        return Counter()
    return Counter({k: v for k, v in Counter(value).items() if isinstance(k, str) and len(k) == 3})


def _trim(ent: Span) -> Span | None:
    """The entity without a leading article or trailing possessive ("the Caspian Sea's")."""
    start, end = ent.start, ent.end
    while start < end and ent.doc[start].lower_ in ("the", "a"):
        start += 1
    while end > start and ent.doc[end - 1].tag_ == "POS":
        end -= 1
    return ent.doc[start:end] if end > start else None


def _single_country(toponyms: list[Toponym], actor_countries: Counter[str]) -> str | None:
    """The country of every city the article places something in, if one of its actors'.

    Only cities named as places count ("held in Baku"): a capital standing for its
    government ("Tehran said") says nothing about where things happen.
    """
    cities = [t for t in toponyms if t.locative and t.best is not None and t.best.kind == "city"]
    countries = {t.best.country for t in cities if t.best is not None}
    if len(countries) != 1 or not all(t.confident for t in cities):
        return None
    (country,) = countries
    if country is None or country not in actor_countries:
        return None
    return country


def _clause_heads(trigger: Token) -> list[Token]:
    """The trigger, the verb of its clause, and the verb a purpose clause hangs from."""
    heads = [trigger]
    node = trigger
    for step in range(_MAX_CLIMB):
        # A gerund subject ("Fighting continued in the Donbas") is tagged VERB but names the
        # event of its clause, like a noun would.
        nominal = step == 0 and node.dep_ in _NOMINAL_DEPS
        if (node.pos_ in _CLAUSE_POS and not nominal) or node.head is node:
            break
        node = node.head
    if node is not trigger:
        heads.append(node)
    if node.dep_ in ("xcomp", "advcl") and node.head.pos_ in _CLAUSE_POS and node.head is not node:
        heads.append(node.head)  # "flew to Moscow to meet Putin"
    elif node.dep_ == "conj" and node.head.pos_ in _CLAUSE_POS:
        heads.append(node.head)  # "agreed to extend a truce in Gaza and to release hostages"
    return heads


def _place_in_object(obj: Token, context: PlaceContext, depth: int = 0) -> Toponym | None:
    """The toponym a locative object names: itself, or the place of a place/site noun."""
    top = context.by_token.get(obj.i)
    if top is not None:
        return top
    if depth > 1:
        return None
    lemma = obj.lemma_.lower() or obj.lower_
    if lemma in _PLACE_NOUNS:
        # "the Donetsk region", "the city of Kharkiv", "the capital, Baku", "Ukraine's Donetsk region"
        for dep in ("compound", "amod", "nmod", "appos", "prep", "poss"):
            for child in obj.children:
                if child.dep_ != dep:
                    continue
                if dep == "prep":
                    if child.lower_ != "of":
                        continue
                    for pobj in child.children:
                        if pobj.dep_ == "pobj" and (
                            found := _place_in_object(pobj, context, depth + 1)
                        ):
                            return found
                elif found := _place_in_object(child, context, depth + 1):
                    return found
    if lemma in _PLACE_NOUNS or lemma in _SITE_NOUNS:
        # "at a market in Kabul", "an army base in the Sahel": a locative phrase inside a
        # locative site still places the event; "of", "from" and "to" phrases do not, and
        # neither does a locative phrase inside any other noun ("the situation in Syria").
        for child in obj.children:
            if child.dep_ == "prep" and child.lower_ in _LOCATIVE_PREPS:
                for pobj in child.children:
                    if pobj.dep_ == "pobj" and (
                        found := _place_in_object(pobj, context, depth + 1)
                    ):
                        return found
    return None


def _tied_toponyms(trigger: Token, context: PlaceContext) -> list[tuple[Toponym, str]]:
    """The places tied to the trigger itself, else to its clause, else to the clause it is
    coordinated with: the nearest level that ties any wins ("Israeli warplanes struck targets in
    southern Lebanon" keeps Lebanon, not the Safed of the sentence's first clause)."""
    for head in _clause_heads(trigger):
        tied: list[tuple[Toponym, str]] = []
        _collect_tied(head, trigger, context, tied, depth=0)
        tied = [(t, how) for t, how in tied if t.best is not None]
        if tied:
            return tied
    return []


def _collect_tied(
    node: Token,
    trigger: Token,
    context: PlaceContext,
    tied: list[tuple[Toponym, str]],
    *,
    depth: int,
) -> None:
    verb = node.lemma_.lower() or node.lower_
    travel = verb in _TRAVEL_VERBS
    attack = verb in _ATTACK_VERBS and node.pos_ in _CLAUSE_POS
    for child in node.children:
        word = child.lower_
        dep = child.dep_
        if dep == "prep" and (word in _LOCATIVE_PREPS or (travel and word in _TRAVEL_PREPS)):
            for obj in child.children:
                if obj.dep_ == "pobj" and (top := _place_in_object(obj, context)):
                    tied.append((top, f"prep-{word}"))
        elif dep == "prep" and word == "of" and depth > 0 and (node.lemma_.lower() in _EVENT_NOUNS):
            # "hosted a conference of Sudan's political forces in Cairo": the small model hangs
            # the place on the participants of the event noun.
            for obj in child.children:
                if obj.dep_ == "pobj":
                    _collect_tied(obj, trigger, context, tied, depth=_MAX_DESCENT)
        elif dep == "prep" and word == "with" and depth < _MAX_DESCENT:
            # "held talks with his counterpart in Tehran": the small model hangs the place on
            # the partner; a partner's place is where the meeting was.
            for obj in child.children:
                if obj.dep_ == "pobj":
                    _collect_tied(obj, trigger, context, tied, depth=depth + 1)
        elif dep == "dobj" and travel and (top := _place_in_object(child, context)):
            tied.append((top, "travel-object"))
        elif (
            dep == "dobj"
            and attack
            and (top := _place_in_object(child, context)) is not None
            and top.best is not None
            # "shelled Kharkiv", "struck the port of Odesa"; but in "Russia attacked Ukraine" the
            # country is the recipient, not a place the sentence states.
            and top.best.kind != "country"
        ):
            tied.append((top, "attack-object"))
        elif dep == "dobj" and depth < _MAX_DESCENT:
            # "raided a camp in the West Bank", "summoned the ambassador in Baghdad"; but "the
            # situation in Syria" that ministers discussed is a topic, not where they were.
            lemma = child.lemma_.lower() or child.lower_
            if lemma not in _TOPIC_NOUNS and child.pos_ in ("NOUN", "PROPN"):
                _collect_tied(child, trigger, context, tied, depth=depth + 1)
        elif dep == "prep" and (word in _TARGET_PREPS or word in _OCCASION_PREPS):
            # "an air strike on a village in the Sagaing region": the target site's place;
            # "hosted Erdogan for talks in Vilnius": the occasion's place. A bare place after
            # "on" is not taken: "sanctions on Moscow" are not in Moscow.
            nouns = _OCCASION_OBJECTS if word in _OCCASION_PREPS else _TARGET_OBJECTS
            for obj in child.children:
                lemma = obj.lemma_.lower() or obj.lower_
                if obj.dep_ == "pobj" and lemma in nouns:
                    for grandchild in obj.children:
                        if grandchild.dep_ == "prep" and grandchild.lower_ in _LOCATIVE_PREPS:
                            for pobj in grandchild.children:
                                if pobj.dep_ == "pobj" and (top := _place_in_object(pobj, context)):
                                    tied.append((top, f"target-{grandchild.lower_}"))
        elif (
            node is trigger
            and trigger.pos_ in ("NOUN", "PROPN")
            and dep in ("compound", "nmod")
            and (top := context.by_token.get(child.i)) is not None
            and top.best is not None
            and top.best.kind != "country"  # "the Iran talks" are about Iran, not in it
        ):
            tied.append((top, "modifier"))
