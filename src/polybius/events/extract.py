"""The events stage: find what happened in each sentence, and who did it to whom.

The cascade, per sentence:

1. **Triggers.** Each token is looked up once in the lexicon by (part of speech, lemma); the
   most specific pattern whose other words are among the token's dependents wins
   ("sign agreement" over "sign").
2. **Nouns.** An event noun needs a verb or a marked actor: the light verb that governs it
   ("held talks", "carried out an air strike", "its meeting was held") lends its subject and
   tense; a free-standing noun counts only when its actor is marked ("Israel's attack on",
   "talks between X and Y", "an air strike by government forces"). An event noun that is the
   object of another event ("condemned the attack") is not coded on its own.
3. **Frames.** A frame verb ("agreed to", "urged ... to", "threatened to", "refused to",
   "accused ... of", "suspended talks", "lifted sanctions") takes the event it embeds and is
   coded with one code composed from both (``compose.tsv``), unless its own lexicon line is
   more specific ("suspend talks" 164); the embedded event is kept as a dropped candidate.
4. **Modality.** Negated, hypothetical and conditional events are dropped, as are events in
   relative clauses (background: "the group that has seized ...") and under "in 1988" /
   "during the 1990s" (with the dateline: "in July 2023" months before it, a bare earlier
   year). Background too: time clauses under "since"/"after"/"until"/... ("since Russia
   withdrew from the deal"), the pluperfect outside reported speech ("Erdogan had accused"),
   habits told in the perfect or present ("have repeatedly attacked"), and the content of a
   noun ("its demand that Israel ease ..."). A subject "no ..." negates ("no ships were hit");
   "may/could ... if" on a conflictual act is a threat. As PLOVER asks, a future or planned cooperative event becomes an intent
   (03x, AGREE), a future conflict a threat (13x), a future with an "unless"/"if" clause a
   threat, and an announced refusal ("will not accept") a rejection (12x). "X said Y must ..."
   is X's demand of Y (10x). Claims under "alleged"/"claimed"/"accused ... of" and preposed
   reports about another country ("Russia said Ukraine attacked Syria") are dropped as
   reported claims; a postposed attribution (", officials said") is the journalist's source,
   and a speaker reporting its own side ("Iran said it would") keeps the event.
5. **Arguments.** Subject, passive agent, object, dative and the pattern's prepositions give
   actor and recipient; control and raising pass a subject down ("urged Iran to", "is
   scheduled to attend"); coordination gives several actors, and a symmetric or reciprocal
   event between coordinated actors with no recipient is coded both ways round. With no other
   target, the country the event happens in is the recipient (CAMEO's convention).
   Co-mediators, co-hosts and co-visitors are not each other's recipients; the actor's own
   people ("withdrew its ambassador") are not the recipient; pairs within one country give
   way to pairs across two, and pairs are one per pair of countries. SUPPORT needs someone
   supported. "X received weapons from Y" (``inverse``) is Y's act. Victims of an unknown
   attacker ("three soldiers were killed in a car bombing") keep the event without an actor.
6. **One event per kind.** In a sentence, one candidate per (code, actor, recipient) is kept,
   and an actor's event without a recipient gives way to the same kind with one ("met with X
   to discuss ..."). In an article, a later sentence that restates an event of the same root,
   type and dyad without naming a time of its own is dropped (consultations excepted: a
   meeting is told part by part), as is a definite event noun that refers back to one told
   before ("took part in the drills"). An event word that only describes a thing ("patrol
   boats") is none.

Confidence (documented so users can filter on it): 0.45 to start; +0.10 for a multi-word
pattern; +0.15 when the actor is a direct dependent (subject, agent, possessive), +0.05 when
it is inherited (xcomp/conj chain, light verb); +0.15 when a recipient is found; -0.10 for a
free-standing event noun; -0.05 when the actor was found by coreference (``Actor.link``);
clamped to [0.05, 0.95].
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from polybius.events import modality
from polybius.events.lexicon import Lexicon, Trigger, load_lexicon
from polybius.records import Actor
from polybius.when import relative_tells_its_event

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from polybius.records import Article

__all__ = ["Candidate", "EventExtractor", "Mentions"]

log = logging.getLogger(__name__)

# Sentences longer than this are run-on boilerplate; the pipeline does not code them either.
MAX_SENTENCE_TOKENS = 300
# Coordination can name many actors ("the US, UK, France and ..."); past a few, the pairs
# are noise and cost grows as a product.
MAX_SIDE = 4

_VERB_POS = frozenset({"VERB", "AUX"})
_NOUN_POS = frozenset({"NOUN", "PROPN"})
_ADJ_POS = frozenset({"ADJ"})
# Dependents that belong to another clause or argument: never searched for pattern words.
_OTHER_CLAUSE = frozenset(
    {
        "nsubj",
        "nsubjpass",
        "csubj",
        "csubjpass",
        "conj",
        "cc",
        "advcl",
        "ccomp",
        "relcl",
        "punct",
        "mark",
        "parataxis",
        "appos",
        "acl",
    }
)
_DEEPER = frozenset(
    {
        "prep",
        "pobj",
        "pcomp",
        "dobj",
        "xcomp",
        "prt",
        "compound",
        "amod",
        "aux",
        "dative",
        "attr",
        "oprd",
        "nmod",
        "npadvmod",
        "advmod",
    }
)
# An event whose text names no target takes the one other country its clause names
# ("Britain mobilized reservists for a possible war against Iraq"): every root but yielding
# and investigating (CAMEO 08, 09: "lifted the curfew", "is investigating war crimes"),
# where that country is mostly the scene, not the target. With no other country named, the
# roots below are aimed at the actor's own country, as PLOVER and ICEWS code domestic events
# ("police dispersed the protest", "imposed a curfew", "rejected the opposition's demands").
# (Both lists were chosen on the PLOVER, PETRARCH and golden benchmarks together.)
_DOMESTIC_ROOTS = frozenset({"07", "10", "12", "13", "14", "15", "16", "17", "18", "19", "20"})
_OTHER_ROOTS = frozenset(f"{n:02d}" for n in range(1, 21) if n not in (8, 9))
_NON_STATE = frozenset({"IGO", "NGO", "MNC", "IMG", "UIS", "REB", "ISL", "CHR"})
_DEFAULT_RECIP_PREPS = frozenset({"with", "against", "on", "to", "at", "into", "upon"})
_RELATIVE = frozenset({"that", "which", "who", "whom", "whose"})
# Participles that describe the subject's own stance: "is opposed to", "is committed to".
_STATIVE_PASSIVES = frozenset(
    {"oppose", "commit", "prepare", "determine", "dedicate", "resolve", "engage", "involve"}
)
_GROUP_NOUNS = frozenset(
    {
        "thousand",
        "thousands",
        "hundred",
        "hundreds",
        "dozen",
        "dozens",
        "million",
        "millions",
        "group",
        "number",
        "crowd",
        "band",
        "couple",
        "score",
        "scores",
        "some",
        "tens",
        "many",
    }
)
_FUNCTION_WORDS = frozenset(
    {
        "to",
        "on",
        "upon",
        "with",
        "of",
        "for",
        "in",
        "into",
        "at",
        "from",
        "against",
        "off",
        "out",
        "up",
        "down",
        "over",
        "between",
        "by",
    }
)
# Pattern objects that are people, so also the event's recipient ("expel the ambassador").
_PEOPLE_OBJECTS = frozenset(
    {
        "ambassador",
        "diplomat",
        "envoy",
        "attache",
        "official",
        "prisoner",
        "hostage",
        "detainee",
        "captive",
        "activist",
        "journalist",
        "soldier",
        "inspector",
        "observer",
        "monitor",
        "peacekeeper",
        "president",
        "minister",
        "leader",
        "delegation",
        "suspect",
    }
)
_PRONOUNS = frozenset({"it", "they", "he", "she", "we", "i"})
# Nouns that frame an event noun without changing it: "a round of talks", "days of fighting".
_MEASURE_NOUNS = frozenset(
    {
        "round",
        "series",
        "wave",
        "spate",
        "string",
        "day",
        "week",
        "month",
        "hour",
        "year",
        "night",
        "number",
        "lot",
        "couple",
        "campaign",
        "effort",
        "mission",
        "bout",
        "cycle",
        "process",
        "kind",
        "form",
        "type",
        "part",
        "set",
    }
)
# Heads that an event noun may modify and still be the event: "peace talks process", "a
# mediation effort", "the strike operation".
_EVENT_HEADS = frozenset(
    {
        "effort",
        "operation",
        "initiative",
        "plan",
        "programme",
        "program",
        "agreement",
        "deal",
        "talk",
        "meeting",
        "exercise",
        "drill",
        "mission",
        "campaign",
        "attack",
        "offensive",
        "action",
        "activity",
        "activities",
        "movement",
        "protest",
        "visit",
        "trip",
        "tour",
    }
)
# CAMEO codes its manual calls typically reciprocal: "X and Y met/signed/fought" with no
# recipient is X->Y and Y->X. The ontology's symmetric PLOVER types are added to these.
_RECIPROCAL = ("03", "04", "050", "057", "06", "0871", "190", "193", "145")
# Codes of a symmetric type that are one-sided all the same: "X and Y visited / hosted /
# mediated" are two visitors, hosts or mediators, not a visit of one to the other.
_ONE_SIDED = ("042", "043", "044", "045", "033", "039")
# Verbs of object control: "urged Iran to release" -> Iran is who is to release.
_OBJECT_CONTROL_FRAMES = frozenset({"request"})
# Types that are nothing without the one they are aimed at: "France welcomed the decision"
# supports no one (PLOVER SUPPORT is support *of* an actor).
_RECIPIENT_ACTOR_TYPES = frozenset({"SUPPORT"})
# Subordinators of a time clause that tells the background of the sentence's news: "since
# Russia withdrew from the deal", "after a court issued a warrant". ("when" and "before"
# clauses carry the news too often: "three were injured when a ship fired ...")
_TEMPORAL = frozenset({"since", "after", "until", "once", "as", "while"})
# Consultations are told part by part (a meeting, then what was discussed): not merged as
# restatements.
_EACH_TOLD = ("04",)
_MANY_INTENTS = ("03",)
# Roots of violence: a participle of one on another is that attack's toll.
_VIOLENCE = frozenset({"18", "19", "20"})
# Actor.link of a recipient that could only be guessed as the actor's own country ("Russia
# fired missiles": no target named); the story's target replaces it (_story_target).
OWN_COUNTRY_GUESS = "no target named: the actor's own country"
# Hostile acts that, claimed by one side of another ("X said Y attacked Z"), accuse it.
_CLAIM_RULE = "claim:"
# Verbal conflict that, told in the perfect away from the lead, is a standing position.
_STANDING = frozenset({"11", "12"})
# Roots whose act, with no target named, is aimed at the country where it is done: an embassy
# opened, aid delivered, troops withdrawn, inspections, protests, force and violence.
_VENUE_PREPS = frozenset({"in", "at"})
_GATHERINGS = frozenset(
    {"meeting", "talk", "talks", "summit", "conference", "session", "negotiation", "ceremony"}
)
_AIMED_WHERE_DONE = ("05", "07", "08", "09", "14", "15", "16", "17", "18", "19", "20")
_ACCUSABLE = frozenset({"13", "15", "17", "18", "19", "20"})


class Mentions(Protocol):
    """What the extractor needs from the actors stage (``polybius.actors.ActorMentions``)."""

    def actor_for(self, token: Token) -> Actor | None: ...

    def actors_for(self, token: Token) -> list[Actor]: ...


@dataclass
class Candidate:
    """One possible event: the events stage's output, read by the pipeline."""

    sentence: Span
    sentence_index: int
    trigger: Token
    trigger_text: str
    trigger_start: int
    trigger_end: int
    cameo: str
    rule: str
    actor: Actor | None
    recipient: Actor | None
    plover: str | None = None
    mode: str | None = None
    contexts: tuple[str, ...] = ()
    tense: str | None = None
    negated: bool = False
    hypothetical: bool = False
    confidence: float = 0.5
    dropped: str | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A plain summary, for explain and for tests."""
        return {
            "sentence_index": self.sentence_index,
            "trigger": self.trigger_text,
            "cameo": self.cameo,
            "plover": self.plover,
            "rule": self.rule,
            "actor": self.actor.name if self.actor else None,
            "recipient": self.recipient.name if self.recipient else None,
            "tense": self.tense,
            "negated": self.negated,
            "hypothetical": self.hypothetical,
            "confidence": round(self.confidence, 3),
            "dropped": self.dropped,
            "notes": list(self.notes),
        }


@dataclass
class _Match:
    """A trigger found on a token, before its arguments are read."""

    token: Token
    trigger: Trigger
    parts: list[Token]  # the tokens that matched the pattern's other words
    cameo: str
    plover: str | None
    mode: str | None
    governor: Token | None = None  # the verb whose clause carries the event
    nominal: str | None = None  # "light" | "free" | None (verbal)
    frame_of: _Match | None = None  # set on an embedded event
    embedded: _Match | None = None  # set on a frame
    drop: str | None = None
    rule_extra: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def verb(self) -> Token:
        return self.governor if self.governor is not None else self.token


class EventExtractor:
    """Turns a parsed document and its actor mentions into event candidates."""

    def __init__(self, *, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon if lexicon is not None else load_lexicon()
        self._light = self.lexicon.words("light")
        self._happen = self.lexicon.words("happen")
        self._negverbs = self.lexicon.words("negverb")
        self._planners = self.lexicon.words("futureverb")
        self._places: dict[int, str] = {}
        self._symmetric_cache: dict[str, bool] = {}
        self._published: date | None = None
        self._recipient_types: dict[str, str] = {}
        self._verb_words = frozenset(
            {t.head for t in self.lexicon.triggers if t.pos == "verb"}
            | self._light
            | self._happen
            | self._negverbs
        )

    # -- public API -----------------------------------------------------------------------

    def extract(
        self,
        doc: Doc,
        mentions: Mentions,
        article: Article | None,
        places: dict[int, str] | None = None,
    ) -> list[Candidate]:
        """Every candidate in ``doc``; dropped ones carry ``dropped`` (the reason).

        ``places`` maps the start offset of each place the where stage is sure of to its
        country: "struck Kharkiv" names a target abroad that the actors stage cannot."""
        year = article.published.year if article is not None and article.published else None
        self._published = article.published if article is not None else None
        self._places = places or {}
        out: list[Candidate] = []
        for index, sent in enumerate(doc.sents):
            if len(sent) > MAX_SENTENCE_TOKENS:
                continue
            out.extend(self.extract_sentence(sent, index, mentions, year=year))
        _answer_back(out)
        _story_target(out)
        self._drop_restated(out)
        return out

    def _drop_restated(self, cands: list[Candidate]) -> None:
        """One event per kind and dyad in an article: a story restates its news ("Russian
        missiles struck Odesa ... Kiper said Russia fired six missiles at the port"), and
        every restatement would be one more copy of the same event for the user.

        A later sentence that names a time of its own is another event; a meeting's parts
        ("met ... the sides discussed ...") are each kept (CAMEO 04, see ``_EACH_TOLD``)."""
        first: dict[tuple[str, str, str, str], Candidate] = {}
        # An accusation read from a claim ("India said Pakistani forces opened fire") yields
        # to one the story states ("India accused Pakistan of ..."), wherever it comes.
        stated = [c for c in cands if not c.rule.startswith(_CLAIM_RULE)]
        for cand in stated + [c for c in cands if c.rule.startswith(_CLAIM_RULE)]:
            if cand.dropped is not None or cand.actor is None or not cand.actor.country:
                continue
            if _anaphoric(cand) and any(
                _same_family(prev, cand)
                for prev in cands
                if prev.sentence_index < cand.sentence_index
            ):
                # "took part in the drills", "opened the meeting": the event told before
                cand.dropped = f"refers back to an event told before ('the {cand.trigger.text}')"
                continue
            if cand.cameo.startswith(_EACH_TOLD):
                continue
            kind = self._type_of(cand.cameo, cand.plover)
            actor = cand.actor.country
            recipient = cand.recipient.country if cand.recipient and cand.recipient.country else ""
            # Intents and agreements are many in one story ("agreed to open crossings ...
            # invited his counterpart"): only the same code restates one.
            family = cand.cameo if cand.cameo.startswith(_MANY_INTENTS) else cand.cameo[:2]
            key = (family, kind, actor, recipient)
            keys = [key]
            if recipient and self._symmetric(cand.cameo, cand.plover):
                keys.append((family, kind, recipient, actor))
            earlier = next(
                (
                    first[k]
                    for k in keys
                    if k in first
                    and first[k].sentence_index != cand.sentence_index
                    and not _dated_apart(first[k].sentence, cand.sentence)
                ),
                None,
            )
            if earlier is not None:
                cand.dropped = f"restates the event of sentence {earlier.sentence_index}"
                continue
            first.setdefault(key, cand)

    def extract_sentence(
        self, sent: Span, index: int, mentions: Mentions, *, year: int | None = None
    ) -> list[Candidate]:
        matches = self._find(sent)
        demands = list(self._must_clauses(sent, matches, index, mentions))
        if not matches:
            return demands
        self._link(matches)
        out: list[Candidate] = demands
        seen: set[tuple[int, str, str, str]] = set()
        for match in matches.values():
            if match.drop == "consumed":
                continue
            if match.trigger.needevent and match.embedded is None:
                continue  # "ended the year", "cut the ribbon": no event stopped
            for cand in self._candidates(match, sent, index, mentions, year, matches):
                key = (
                    cand.trigger.i,
                    cand.cameo,
                    cand.actor.name if cand.actor else "",
                    cand.recipient.name if cand.recipient else "",
                )
                if key in seen:
                    continue
                seen.add(key)
                out.append(cand)
        _drop_descriptions(out)
        self._drop_simulated(out)
        _merge_same_event(out)
        return out

    def _must_clauses(
        self, sent: Span, matches: dict[int, _Match], index: int, mentions: Mentions
    ) -> Iterable[Candidate]:
        """'X said Y must drop its tariffs': a demand (100) even when the verb is no trigger."""
        modals = [t for t in sent if t.lower_ in ("must", "should") and t.dep_ == "aux"]
        for token in (m.head for m in modals):
            if token.i in matches or token.pos_ not in _VERB_POS:
                continue
            report = modality.reported_by(token, self.lexicon)
            if report is None or report[1].i > token.i or report[1].i in matches:
                continue
            subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            targets = _actors_of(subject, mentions)
            yield from self._demand(
                token, "modal: must/should", report[1], "100", targets, sent, index, mentions, None
            )

    # -- 1. triggers -----------------------------------------------------------------------

    def _find(self, sent: Span) -> dict[int, _Match]:
        found: dict[int, _Match] = {}
        for token in sent:
            pos = (
                "verb"
                if token.pos_ in _VERB_POS
                else "noun"
                if token.pos_ in _NOUN_POS
                else "adj"
                if token.pos_ in _ADJ_POS
                else None
            )
            if pos is None:
                continue
            entries = self.lexicon.lookup(pos, self._lemma(token))
            if not entries and pos == "noun":  # "talks" is lemmatised to "talk" only sometimes
                entries = self.lexicon.lookup(pos, token.lower_)
            if not entries:
                continue
            near: dict[str, Token] | None = None
            close: dict[str, Token] = {}
            for trig in entries:
                parts: list[Token] = []
                if trig.parts:
                    if near is None:
                        near = _near(token)
                        close = _close(token)
                    ok = True
                    for alternatives in trig.parts:
                        # a preposition or particle of the pattern is the trigger's own
                        # ("fire on" is not "fire ... on Tuesday" deep in another phrase)
                        pool = close if alternatives <= _FUNCTION_WORDS else near
                        # the first in the sentence, whatever the set's order (deterministic)
                        hit = min(
                            (pool[a] for a in alternatives if a in pool),
                            key=lambda t: t.i,
                            default=None,
                        )
                        if hit is None:
                            ok = False
                            break
                        parts.append(hit)
                    if not ok:
                        continue
                if trig.needobj and not _has_object(token):
                    continue
                found[token.i] = _Match(
                    token=token,
                    trigger=trig,
                    parts=parts,
                    cameo=trig.cameo,
                    plover=trig.plover,
                    mode=trig.mode,
                )
                break
        return found

    def _lemma(self, token: Token) -> str:
        """The lemma, repaired where the small model's lemmatiser slips on a past form
        ("staged" -> "stag"): the surface form less "d"/"ed" is tried when it is a word the
        lexicon knows."""
        lemma = token.lemma_.lower()
        if token.tag_ in ("VBD", "VBN") and lemma not in self._verb_words:
            lower = token.lower_
            for guess in (lower[:-1], lower[:-2]) if lower.endswith("ed") else ():
                if guess in self._verb_words:
                    return guess
        return lemma

    # -- 2 and 3. nouns and frames ---------------------------------------------------------

    def _link(self, matches: dict[int, _Match]) -> None:
        owner: dict[int, _Match] = {}
        for match in matches.values():
            if match.trigger.frame is None:
                for part in match.parts:
                    owner.setdefault(part.i, match)
        for match in list(matches.values()):
            for part in match.parts:
                other = matches.get(part.i)
                if (
                    match.trigger.frame is not None
                    and part.i in owner
                    and owner[part.i] is not match
                ):
                    other = owner[part.i]  # "threatened to impose sanctions": impose, not sanctions
                if other is None or other is match:
                    continue
                if match.trigger.frame is not None and match.embedded is None:
                    # "accused X of attacking", "threatened sanctions": the pattern's own
                    # words are the embedded event
                    other.frame_of = match
                    match.embedded = other
                elif other.token.pos_ in _NOUN_POS or other.token.pos_ in _VERB_POS:
                    other.drop = "consumed"
        # Frames take the nearest embedded event: xcomp verb, "of"/"to"/"for" complement,
        # or an event noun as object.
        for match in matches.values():
            if match.trigger.frame is None or match.drop == "consumed" or match.embedded:
                continue
            embedded = self._embedded_of(match, matches)
            if embedded is not None and embedded.frame_of is None and embedded is not match:
                embedded.frame_of = match
                match.embedded = embedded
        # "agreed to extend the truce and to release more hostages": a second infinitive is
        # under the same frame (an intent to release, not a release)
        for match in list(matches.values()):
            inner = match.embedded
            if match.trigger.frame is None or inner is None:
                continue
            heads = [inner.verb, *(c for c in match.token.children if c.dep_ == "xcomp")]
            for conj in (c for head in heads for c in head.children):
                other = matches.get(conj.i)
                if (
                    conj.dep_ == "conj"
                    and other is not None
                    and other is not match
                    and other.frame_of is None
                    and other.embedded is None
                    and other.trigger.frame is None
                ):
                    other.frame_of = match
        for match in matches.values():
            token = match.token
            if match.drop == "consumed" or token.pos_ not in _NOUN_POS:
                continue
            if match.frame_of is not None:
                continue
            governor, how = self._governor_of_noun(token, matches)
            if how == "modifier" and governor is not None:
                match.drop = f"describes a thing ('{token.text} {governor.text}')"
                match.governor = governor
                continue
            if how == "other-event" and governor is not None:
                match.drop = f"object of another event ({governor.text})"
                match.governor = governor
            elif how in ("light", "happen"):
                match.governor = governor
                match.nominal = "light"
            else:
                match.nominal = "free"
                match.governor = modality.clause_verb(token) if token.head.i != token.i else None
                if not match.trigger.free:
                    match.drop = "event noun without a verb"

    def _embedded_of(self, frame: _Match, matches: dict[int, _Match]) -> _Match | None:
        token = frame.token
        candidates: list[Token] = []
        for child in token.children:
            if child.dep_ in ("xcomp", "ccomp") and frame.trigger.frame in (
                "intent",
                "threat",
                "request",
                "reject",
                "deny",
                "accuse",
                "halt",
            ):
                if child.dep_ == "ccomp" and frame.trigger.frame not in (
                    "threat",
                    "accuse",
                    "deny",
                    "request",
                ):
                    continue
                candidates.append(child)
            elif child.dep_ == "dobj":
                candidates.append(child)
                # "urged Iran to release": the infinitive hangs from the object or the verb
                candidates.extend(c for c in child.children if c.dep_ in ("xcomp", "acl", "relcl"))
            elif child.dep_ == "prep" and child.lower_ in ("of", "to", "for", "on", "upon", "in"):
                for pc in child.children:
                    if pc.dep_ in ("pcomp", "pobj"):
                        candidates.append(pc)
                        candidates.extend(c for c in pc.children if c.dep_ in ("xcomp", "acl"))
            elif child.dep_ == "advcl" and any(
                g.dep_ == "aux" and g.lower_ == "to" for g in child.children
            ):  # "have sworn to fight", parsed as a purpose clause
                candidates.append(child)
            elif child.dep_ == "acomp":  # "is ready to help"
                candidates.extend(c for c in child.children if c.dep_ == "xcomp")
        # "suspended part of a military aid program", "ended mediation efforts"
        for cand in list(candidates):
            if cand.pos_ in _NOUN_POS and cand.i not in matches:
                inner = [c for c in cand.children if c.dep_ == "compound"]
                if cand.lemma_.lower() in _MEASURE_NOUNS:
                    for prep in cand.children:
                        if prep.dep_ == "prep" and prep.lower_ == "of":
                            for pobj in prep.children:
                                if pobj.dep_ == "pobj":
                                    inner.append(pobj)
                                    inner.extend(c for c in pobj.children if c.dep_ == "compound")
                candidates.extend(inner)
        for cand in candidates:
            match = matches.get(cand.i)
            if match is not None and match.drop != "consumed":
                return match
            # "agreed to hold talks": the light verb's event noun
            if cand.pos_ in _VERB_POS and self._lemma(cand) in self._light:
                for child in cand.children:
                    if child.dep_ in ("dobj",) and child.i in matches:
                        event = matches[child.i]
                        if event.drop != "consumed":
                            event.governor = cand
                            event.nominal = "light"
                            return event
            # "agreed to continue cooperating", "pledged to help rebuild"
            if cand.pos_ in _VERB_POS:
                for child in cand.children:
                    if child.dep_ == "xcomp" and child.i in matches:
                        return matches[child.i]
        return None

    def _governor_of_noun(
        self, noun: Token, matches: dict[int, _Match]
    ) -> tuple[Token | None, str]:
        for child in noun.children:  # "the demonstration staged by students"
            if child.dep_ == "acl" and child.tag_ == "VBN" and self._lemma(child) in self._light:
                return child, "light"
        head = noun.head
        dep = noun.dep_
        if head.i == noun.i:
            return None, "none"
        # "a mediation effort", "a new round of talks", "ten days of war games": the noun's
        # phrase is headed by a word that only frames it
        if dep == "compound" and head.pos_ in _NOUN_POS and head.i not in matches:
            if (
                head.lemma_.lower() not in _MEASURE_NOUNS
                and head.lemma_.lower() not in _EVENT_HEADS
            ):
                # "patrol boats", "protest leaders", "attack helicopters": the event word
                # only describes a thing
                return head, "modifier"
            return self._governor_of_noun(head, matches)
        if (
            dep == "pobj"
            and head.lower_ == "of"
            and head.head.pos_ in _NOUN_POS
            and head.head.lemma_.lower() in _MEASURE_NOUNS
        ):
            return self._governor_of_noun(head.head, matches)
        # "engaged in talks", "went on strike": a preposition between the verb and the noun
        if dep == "pobj" and head.dep_ == "prep" and head.head.pos_ in _VERB_POS:
            if self._lemma(head.head) in self._light:
                return head.head, "light"
            return None, "none"
        if dep == "conj":  # "talks and a meeting were held"
            return (
                self._governor_of_noun(head, matches) if head.pos_ in _NOUN_POS else (None, "none")
            )
        if head.pos_ not in _VERB_POS:
            return None, "none"
        lemma = self._lemma(head)
        if dep in ("dobj", "attr", "oprd"):
            other = matches.get(head.i)
            if other is not None and other.drop != "consumed" and other.token.i != noun.i:
                return head, "other-event"
            if lemma in self._light:
                return head, "light"
            return None, "none"
        if dep == "nsubjpass" and lemma in self._light:
            return head, "light"
        if dep == "nsubj" and lemma in self._happen:
            other = matches.get(head.i)
            if other is not None and lemma not in ("take",):
                # "the strike killed five": the verb is itself a trigger; keep the noun's
                # event (more specific) and drop the verb's.
                other.drop = "consumed"
            return head, "happen"
        return None, "none"

    # -- 4 and 5. candidates ---------------------------------------------------------------

    def _candidates(
        self,
        match: _Match,
        sent: Span,
        index: int,
        mentions: Mentions,
        year: int | None,
        matches: dict[int, _Match],
    ) -> Iterable[Candidate]:
        lex = self.lexicon
        notes = list(match.notes)
        cameo = match.cameo
        plover = match.plover
        mode = match.mode
        rule = match.trigger.rule
        drop = match.drop
        verb = match.verb
        tokens_for_span = [match.token, *match.parts]
        if match.governor is not None and match.nominal == "light":
            tokens_for_span.append(match.governor)

        report = modality.reported_by(verb, lex)
        reported = report is not None

        if match.frame_of is not None and drop is None:
            frame = match.frame_of
            kind = frame.trigger.frame
            if kind == "accuse":
                drop = f"reported claim ({frame.token.text})"
            elif kind == "deny":
                drop = f"denied ({frame.token.text})"
            else:
                composed = lex.compose_code(kind or "", match.cameo)
                if frame.embedded is not match and composed:
                    # the frame's second infinitive: coded here, as the frame codes it
                    notes.append(f"second complement of '{frame.token.text}': {cameo} -> {composed}")
                    rule = f"{frame.trigger.rule} + {rule}"
                    cameo, plover, mode = composed, None, None
                else:
                    drop = f"embedded in '{frame.token.text}' (coded as {composed or frame.cameo})"
        if match.embedded is not None:
            inner = match.embedded
            kind = match.trigger.frame or ""
            if kind == "request" and self._lemma(match.token) in self._planners:
                # "wants to attack" is the subject's own intent; "wants Putin to attack" asks
                own_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in inner.token.children)
                has_object = any(c.dep_ == "dobj" for c in match.token.children)
                if not own_subject and not has_object:
                    kind = "intent"
            composed = lex.compose_code(kind, self._effective_code(inner))
            # A specific line ("suspend talks" 164, "refuse to release" 1243) knows better
            # than the composition; function words ("agree to", "call off") do not count.
            specific = any(not (part <= _FUNCTION_WORDS) for part in match.trigger.parts)
            if composed is not None and not specific:
                cameo = composed
                plover = None
                mode = None
                rule = f"{match.trigger.rule} + {inner.trigger.rule}"
                tokens_for_span.extend([inner.token, *inner.parts])
                notes.append(f"frame {match.trigger.frame}: {inner.token.text} {inner.cameo}")

        announced: str | None = None  # the code of an announced (future) event
        negated = False
        hypo = False
        demand_by: Token | None = None
        refused_future = False
        if drop is None:
            reason = modality.negation(verb, lex, noun=match.token if match.nominal else None)
            if reason is None and match.frame_of is None:
                reason = self._negverb(verb)
            if reason:
                negated = True
                drop = reason
                # "will not accept", "would not meet the demands": an announced refusal,
                # which PLOVER codes as REJECT
                refusal = modality.is_future(verb, lex, reported=True)
                refused = lex.compose_code("reject", cameo)
                if (
                    refusal
                    and refused
                    and cameo[:2] in ("03", "04", "05", "06", "07", "08")
                    and match.frame_of is None
                ):
                    notes.append(f"refusal ({refusal} not): {cameo} -> {refused}")
                    cameo, plover, mode = refused, None, None
                    rule = f"{rule} + refusal({refusal} not)"
                    negated, drop = False, None
                    refused_future = True
        if drop is None:
            reason = modality.conditional(verb, lex) or modality.hypothetical(
                verb, lex, reported=reported
            )
            modal = reason.split("(")[-1].rstrip(")").lower() if reason else ""
            conditional_threat = (
                lex.compose_code("threat", cameo)
                if reason
                and reason.startswith("hypothetical")
                and modal in ("may", "might", "could")
                and match.frame_of is None
                and match.trigger.frame != "threat"
                and "10" <= cameo[:2] <= "20"
                and cameo[:2] != "13"
                and _has_condition(verb, lex.words("conditional"))
                else None
            )
            if conditional_threat:
                # "the EC may halt mediation if cooperation founders": a conditional
                # announcement of conflict is a threat, as with "will ... unless"
                notes.append(f"conditional ({modal} ... if): {cameo} -> {conditional_threat}")
                cameo, plover, mode = conditional_threat, None, None
                rule = f"{rule} + threat({modal} ... if)"
            elif reason:
                hypo = True
                drop = reason
                # "X said Y must withdraw": X demands it of Y
                if (
                    report is not None
                    and report[1].i < verb.i
                    and reason.split("(")[-1].rstrip(")").lower() in ("must", "should")
                ):
                    demand_by = report[1]
        tense = modality.tense_of(verb, lex, reported=reported)
        future = (
            modality.is_future(verb, lex, reported=reported)
            if match.frame_of is None and match.embedded is None
            else None
        )
        if (
            drop is None
            and future
            and not refused_future
            and match.trigger.frame is None
            and "04" <= cameo[:2] <= "20"
            and cameo[:2] != "13"
        ):
            # "will withdraw its force unless ...": a conditional announcement is a threat
            condition = next(
                (
                    m.lower_
                    for c in verb.children
                    if c.dep_ == "advcl"
                    for m in c.children
                    if m.dep_ == "mark" and m.lower_ in lex.words("conditional")
                ),
                None,
            )
            # "unless" makes any announcement a threat; "if" only a conflictual one ("will
            # meet him if ..." is still an offer)
            threat = condition == "unless" or (condition is not None and cameo[:2] >= "10")
            composed = lex.compose_code("threat" if threat else "intent", cameo)
            if composed:
                notes.append(
                    f"future ({future}{', ' + condition if condition else ''}): {cameo} -> {composed}"
                )
                cameo = composed
                plover = None
                mode = None
                rule = f"{rule} + future({future})"
                announced = match.cameo
        if drop is None and report is not None and match.frame_of is None:
            kind, speaker = report
            if kind == "claim":
                drop = f"reported claim ({speaker.text})"
        if (
            drop is None
            and match.nominal is None
            and match.frame_of is None
            and verb.dep_ in ("advcl", "xcomp")
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
            and verb.head.i in matches
            and matches[verb.head.i].trigger.frame is None
        ):
            # "met with X to discuss Y": what a meeting is for is part of that event
            drop = f"purpose of '{verb.head.text}'"
        if drop is None and report is None and match.frame_of is None and _pluperfect(verb):
            # "Erdogan had accused Stockholm of ...": the past before the story's past is its
            # background; under a verb of saying ("said troops had freed") it is the news
            drop = "background (pluperfect)"
        if (
            drop is None
            and index > 0
            and report is None
            and match.frame_of is None
            and cameo[:2] in _STANDING
            and _perfect(verb)
            and not any(t.ent_type_ in ("DATE", "TIME") for t in verb.subtree)
        ):
            # "Saudi Arabia has accused Iran of arming the Houthis, which Tehran denies",
            # later in a story, with no time of its own: a standing position, told as
            # background (in the lead, "has accused" is the day's news)
            drop = "background (standing position: 'has ...')"
        if drop is None and match.frame_of is None:
            habit = _habitual(verb)
            if habit:
                # "separatists have repeatedly attacked Chinese interests", "has long
                # accused": a pattern told as background, not one event
                drop = f"background (habitual: '{habit}')"
        if drop is None and match.frame_of is None:
            clause = verb
            for _ in range(3):
                if clause.dep_ == "advcl":
                    mark = next(
                        (
                            c.lower_
                            for c in clause.children
                            if c.dep_ in ("mark", "advmod") and c.i < clause.i
                        ),
                        None,
                    )
                    if mark in _TEMPORAL:
                        drop = f"background (clause '{mark} ...')"
                    break
                if clause.dep_ in ("conj", "xcomp") and clause.head.i != clause.i:
                    clause = clause.head
                    continue
                break
        if (
            drop is None
            and match.nominal is None
            and match.frame_of is None
            and verb.dep_ in ("acl", "ccomp")
            and verb.head.pos_ in _NOUN_POS
            and any(c.dep_ == "mark" and c.lower_ == "that" for c in verb.children)
        ):
            # "its demand that Israel ease restrictions", "reports that troops withdrew": the
            # content of a demand, claim or report, not a fact
            drop = f"content of '{verb.head.text} that'"
        if (
            drop is None
            and match.nominal is None
            and verb.dep_ in ("advcl", "conj", "xcomp")
            and verb.tag_ == "VBG"
            and cameo[:2] in _VIOLENCE
            and verb.head.i in matches
            and matches[verb.head.i].cameo[:2] in _VIOLENCE
            and matches[verb.head.i].drop is None
        ):
            # "shelled Juba, killing about 20 people": the toll of the attack, not another
            drop = f"toll of '{verb.head.text}'"
        relative = _relative_clause(verb)
        if (
            drop is None
            and relative is not None
            and match.frame_of is None
            and not _told_alongside(relative)
        ):
            # "the group that has seized parts of Iraq", "a resolution that aims to tighten
            # sanctions": background to the sentence's news, or the content of a thing
            drop = f"background (relative clause on '{relative.head.text}')"
        if drop is None and match.nominal is not None:
            drop = _background_phrase(match.token, cameo)
        if drop is None:
            drop = _topic(match.token if match.nominal == "free" else verb)
        if drop is None:
            drop = modality.historical_year(
                [t for t in (verb, match.token) if t is not None],
                year,
                self._published if self._published and self._published.year == year else None,
            )

        actors, actor_how = self._actors(match, mentions)
        if not actors and cameo[:2] in _VIOLENCE and match.nominal is None:
            # "a mortar bomb was fired at Israel from the Gaza Strip": with no attacker named,
            # the place it came from is the attacking side
            actors = _fired_from(verb, mentions)
            actor_how = "where the attack came from ('from' place)" if actors else actor_how
        recipients, recip_how, symmetric_sides = self._recipients(match, mentions, actors)
        if not recipients and not symmetric_sides and report is not None:
            # "Israel said a mortar bomb was fired at it": the speaker is the one meant
            target = _pronoun_target(match)
            speakers = _actors_of(speaker_subject(report[1]), mentions) if target else []
            if speakers:
                recipients, recip_how = speakers, f"'{target.text}' read as the speaker of '{report[1].text}'"
        if match.embedded is not None and not recipients and match.trigger.frame == "request":
            # "wants Putin to attack", "demanded that Israel withdraw": who is asked to act
            asked = next(
                (c for c in match.embedded.token.children if c.dep_ in ("nsubj", "nsubjpass")),
                None,
            )
            recipients = _actors_of(asked, mentions)
            recip_how = "subject of the requested act" if recipients else recip_how
        if not recipients and not symmetric_sides and match.nominal is None:
            asked_how = ""
            verbs = [match.token]
            for _ in range(2):  # "threatened to hold a strike unless Israel rescinded ..."
                verbs += [c for c in verbs[-1].children if c.dep_ == "xcomp"][:1]
            nouns = [p for p in match.parts if p.pos_ in _NOUN_POS]  # "its demand that X ease"
            for clause in [c for v in [*verbs, *nouns] for c in v.children]:
                marks = {c.lower_ for c in clause.children if c.dep_ == "mark"}
                if (
                    cameo[:2] == "10"
                    and clause.dep_ in ("ccomp", "acl")
                    and not marks - {"that"}
                    and (clause.dep_ == "ccomp" or marks)
                ):
                    asked_how = "subject of the demanded act"  # "demanded that the US match"
                elif cameo[:2] == "13" and clause.dep_ == "advcl" and marks & {"unless", "if"}:
                    asked_how = f"subject of the '{next(iter(marks & {'unless', 'if'}))}' clause"
                else:
                    continue
                subject = next(
                    (c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None
                )
                own = {a.country for a in actors if a.country}
                found = [a for a in _actors_of(subject, mentions) if a.country not in own]
                if found:
                    recipients, recip_how = found, asked_how
                    break
        if (
            not recipients
            and not symmetric_sides
            and match.nominal is None
            and match.embedded is None
            and actors
        ):
            # "threatened to deliver blows to the United States", "refused to deploy
            # peacekeepers in Iraq": the target of the uncoded act a frame verb governs
            own = {a.country for a in actors if a.country}
            verbs = [match.token]
            for _ in range(3):
                verbs += [c for c in verbs[-1].children if c.dep_ == "xcomp"][:1]
            for verb_ in verbs[1:]:
                found = _target_of(verb_, mentions, own)
                if found:
                    recipients, recip_how = found, f"target of '{verb_.text}'"
                    break
        if match.embedded is not None and not recipients:
            inner_recipients, how, _ = self._recipients(match.embedded, mentions, actors)
            if inner_recipients:
                recipients, recip_how = inner_recipients, f"{how} of {match.embedded.token.text}"
        if len(actors) == 1 and not actors[0].country and _officeholder(actors[0]):
            # "President Abdelaziz Bouteflicka threatened a curfew in Algiers": an official
            # of no known country serves the one country the sentence names
            country = _only_country(sent, mentions)
            if country:
                actors = [
                    replace(
                        actors[0],
                        country=country,
                        code=country + "".join(actors[0].sectors[:3]),
                    )
                ]
                notes.append(f"actor country {country}: the one country the sentence names")
        if (
            not recipients
            and not symmetric_sides
            and actors
            and len(actors) == 1
            and cameo[:2] in _OTHER_ROOTS
        ):
            # "Egyptian police opened fire on demonstrators", "imposed a curfew in the town":
            # no target named; the one other country the sentence names, else the actor's own
            country, mention = _sentence_country(
                _scope(verb, cameo, sent),
                mentions,
                actors,
                venues=cameo.startswith(_AIMED_WHERE_DONE),
            )
            if (
                mention is None
                and (
                    _acts_on_own(match.token)  # "refused to withdraw its troops": no target
                    or _unknown_target(match, mentions)  # "missiles struck Odesa"
                    or cameo[:2] not in _DOMESTIC_ROOTS
                    or (cameo == "140" and not _aimed(match))
                )
            ):
                country = None
            if country:
                recipients = [
                    mention
                    or Actor(
                        text=country,
                        name=country,
                        country=country,
                        kind="country",
                        code=country,
                        link=OWN_COUNTRY_GUESS,
                    )
                ]
                recip_how = "the one other country the sentence names" if mention else _OWN_COUNTRY_NOTE
                notes.append("recipient country from the sentence")
        if recipients and not any(r.country for r in recipients) and cameo.startswith(_AIMED_WHERE_DONE):
            # "Russian forces struck Kharkiv": a target named by a place is that place's country
            placed = [
                replace(r, country=c, code=c + "".join(r.sectors[:3]), link=f"the place attacked ({r.text})")
                for r in recipients
                if (c := self._places.get(r.start))
            ]
            if placed:
                recipients = placed
                notes.append("recipient country from the place it names")
        if recipients and actors and not any(r.country for r in recipients):
            # "accused Darfur rebels", "met President Obama ... Washington": a recipient of no
            # known country takes the one other country the sentence names, or, when it names
            # none but the actor's own, the actor's country (a domestic group or official)
            country, mention = _sentence_country(_scope(verb, cameo, sent), mentions, actors)
            if mention is None and not any(r.role or r.sectors for r in recipients):
                country = None  # "attacked Kharkiv": a bare name may be a place abroad
            if country:
                recipients = [
                    replace(r, country=country, code=country + "".join(r.sectors[:3]))
                    for r in recipients
                ]
                notes.append(f"recipient country {country} from the sentence")
        if symmetric_sides:
            actors = symmetric_sides
            actor_how = "'between' sides"
        elif match.trigger.inverse:
            # "Georgian demonstrators received weapons from the government": the giver acts
            actors, recipients = recipients, actors
            actor_how, recip_how = (recip_how, actor_how) if actors else ("", recip_how)

        # Drop on a report: "X said Y attacked Z" (preposed, another actor) is Y's claim.
        # What X did is accuse Y: that speech act is the event (PETRARCH codes it so too).
        accused_by: tuple[Token, list[Actor]] | None = None
        if report is not None and match.frame_of is None:
            kind, speaker = report
            claim = f"reported claim ({speaker.text})"  # a verb of claiming dropped it above
            if drop in (None, claim) and speaker.i < verb.i:
                speaker_actors = _actors_of(speaker_subject(speaker), mentions)
                if _other_side(speaker_actors, actors):
                    drop = claim
                    if cameo[:2] in _ACCUSABLE and not (negated or hypo):
                        accused_by = (speaker, speaker_actors)
                elif drop is None:
                    notes.append(f"reported by '{speaker.text}'")
            elif drop is None:
                notes.append(f"attributed ('{speaker.text}')")

        # One country's drills are MOBILIZE; drills held together are joint: COOPERATE.
        joint = len(actors) > 1 or symmetric_sides or (recipients and recip_how == "'with' object")
        if (
            (cameo.startswith("15") or (announced or "").startswith("15"))
            and joint
            and match.token.lemma_.lower() in ("exercise", "drill", "maneuver", "manoeuvre", "game")
        ):
            cameo, plover = "062", "COOPERATE"
            notes.append("exercise with two sides: joint (COOPERATE)")
            if announced is not None:  # "the two navies would hold a larger exercise"
                cameo, plover = lex.compose_code("intent", "062") or "062", None
        elif (
            drop is None
            and announced is not None
            and announced.startswith("15")
            and not recipients
            and not symmetric_sides
        ):
            # "would hold larger drills", "will send troops there": a planned deployment
            # aimed at no one is neither a threat nor yet a mobilisation
            drop = "announced deployment with no target"

        if (
            not actors
            and drop is None
            and cameo[:2] in ("18", "19", "20")
            and recipients
            and (
                recip_how == "passive subject"
                or recip_how.startswith("object of '")
                or (recip_how == "object" and _instrument_subject(verb))
            )
        ):
            # "three civilians were killed in a car bombing": the victims are known, the
            # attacker may not be; the event is news all the same
            by = _attack_noun_actors(verb, mentions)
            if by:
                actors, actor_how = by, "modifier of the attack ('killed in Israeli shelling')"
            elif not any(r.country for r in recipients):
                drop = "no actor, and victims of no known side"
            else:
                notes.append("actor unknown (victims of a passive attack)")
        elif not actors and drop is None:
            drop = "no actor"
        if (
            drop is None
            and not recipients
            and not symmetric_sides
            and self._type_of(cameo, plover) in _RECIPIENT_ACTOR_TYPES
            and not (len(actors) > 1 and self._symmetric(cameo, plover))  # "X and Y signed"
        ):
            kind = self._type_of(cameo, plover)
            drop = f"no recipient ({kind} of no one: '{match.token.text}' names no actor)"
        if drop is None and not recipients and not symmetric_sides and len(actors) < 2:
            needed = self._needs_recipient(cameo, plover)
            if needed and _recipient_slot(match):
                notes.append(f"recipient phrase not resolved to an actor ({needed} needs one)")
            elif needed:
                drop = f"no recipient ({needed} needs one)"

        start = min(t.idx for t in tokens_for_span)
        end = max(t.idx + len(t.text) for t in tokens_for_span)
        doc = match.token.doc
        # Span.text, not Doc.text: Doc.text rebuilds the whole document's text on every call.
        text = doc[min(t.i for t in tokens_for_span) : max(t.i for t in tokens_for_span) + 1].text
        if end - start > 60:  # a frame far from its event: show the trigger words only
            text = " ".join(t.text for t in sorted(set(tokens_for_span), key=lambda t: t.i))

        base = 0.45
        if match.trigger.parts:
            base += 0.10
        if actor_how in (
            "subject",
            "agent",
            "possessive",
            "modifier",
            "'between' sides",
            "'by' object",
        ):
            base += 0.15
        elif actors:
            base += 0.05
        if recipients:
            base += 0.15
        if match.nominal == "free":
            base -= 0.10
        if actor_how:
            notes.append(f"actor: {actor_how}")
        if recipients and recip_how:
            notes.append(f"recipient: {recip_how}")

        if demand_by is not None:
            demanded = lex.compose_code("request", cameo) or "100"
            yield from self._demand(
                match.token,
                match.trigger.rule,
                demand_by,
                demanded,
                actors,
                sent,
                index,
                mentions,
                tense,
            )
            drop = f"demanded by '{demand_by.text}' (coded as {demanded})"

        if accused_by is not None:
            yield from self._accusation(accused_by, match.token, actors, sent, index, cameo)
        pairs = self._pairs(actors, recipients, cameo, plover)
        if cameo[:2] in _VIOLENCE and recip_how == "'with' object":
            # "Syrian forces clashed with rioters": fighting with someone is mutual
            pairs += [(r, a) for a, r in pairs if a is not None and r is not None]
        if drop is not None:
            pairs = pairs[:1] or [(None, None)]
        for actor, recipient in pairs:
            conf = base - (0.05 if actor is not None and actor.link else 0.0)
            cand_notes = list(notes)
            pair_cameo, pair_plover, pair_mode = cameo, plover, mode
            crowd = _crowd_violence(cameo, actor, recipient, text)
            if crowd is not None:
                pair_cameo, pair_plover, pair_mode = crowd, None, None
                cand_notes.append(f"{cameo} -> {crowd}: {_CROWD_NOTE[crowd]}")
            elif cameo == "084" and _people_released(match.token):
                # "released five Iranians": persons released (0841), not a concession
                pair_cameo, pair_plover, pair_mode = "0841", None, None
                cand_notes.append("084 -> 0841: people released")
            if actor is not None and actor.link:
                cand_notes.append(f"actor link: {actor.link}")
            if recipient is not None and recipient.link:
                cand_notes.append(f"recipient link: {recipient.link}")
            yield Candidate(
                sentence=sent,
                sentence_index=index,
                trigger=match.token,
                trigger_text=text,
                trigger_start=start,
                trigger_end=end,
                cameo=pair_cameo,
                rule=rule,
                actor=actor,
                recipient=recipient,
                plover=pair_plover,
                mode=pair_mode,
                tense=tense,
                negated=negated,
                hypothetical=hypo,
                confidence=max(0.05, min(0.95, conf)),
                dropped=drop,
                notes=cand_notes,
            )

    def _demand(
        self,
        token: Token,
        rule: str,
        speaker: Token,
        cameo: str,
        targets: list[Actor],
        sent: Span,
        index: int,
        mentions: Mentions,
        tense: str | None,
    ) -> Iterable[Candidate]:
        """The demand a speaker makes with "must"/"should": 'X said Y must withdraw'."""
        demanders = _actors_of(speaker_subject(speaker), mentions)
        if not demanders:
            return
        yield from self._spoken(
            speaker, token, "must", sent, index, demanders, targets, cameo,
            rule=f"demand: '{speaker.lemma_} ... must' + {rule}",
            tense=modality.tense_of(speaker, self.lexicon) or tense,
            confidence=(0.6, 0.45),
            notes=[f"actor: subject of '{speaker.text}'", "recipient: who must act"],
        )  # fmt: skip

    def _accusation(
        self,
        accused_by: tuple[Token, list[Actor]],
        token: Token,
        accused: list[Actor],
        sent: Span,
        index: int,
        claimed: str,
    ) -> Iterable[Candidate]:
        """ "The US said ISIL had attacked Iraq": the US accuses ISIL (CAMEO 112); the attack
        itself is ISIL's claim, not coded as a fact."""
        speaker, speakers = accused_by
        yield from self._spoken(
            speaker, token, "", sent, index, speakers, accused, "112",
            rule=f"{_CLAIM_RULE} '{speaker.lemma_} that' + a hostile act (CAMEO {claimed})",
            tense=modality.tense_of(speaker, self.lexicon),
            confidence=(0.55, 0.55),
            notes=[f"actor: subject of '{speaker.text}'", f"recipient: who the claim says did '{token.text}'"],
        )  # fmt: skip

    def _spoken(
        self,
        speaker: Token,
        token: Token,
        joiner: str,
        sent: Span,
        index: int,
        actors: list[Actor],
        recipients: list[Actor],
        cameo: str,
        *,
        rule: str,
        tense: str | None,
        confidence: tuple[float, float],
        notes: list[str],
    ) -> Iterable[Candidate]:
        """Events a speaker's words make ("X said Y must ...", "X said Y attacked ..."): the
        trigger spans the verb of saying to the word it governs."""
        start = min(speaker.idx, token.idx)
        end = max(speaker.idx + len(speaker.text), token.idx + len(token.text))
        text = (
            " ".join(w for w in (speaker.text, "...", joiner, token.text) if w)
            if end - start > 60
            else sent.doc[min(speaker.i, token.i) : max(speaker.i, token.i) + 1].text
        )
        for actor, recipient in self._pairs(actors, recipients, cameo, None):
            yield Candidate(
                sentence=sent,
                sentence_index=index,
                trigger=speaker,
                trigger_text=text,
                trigger_start=start,
                trigger_end=end,
                cameo=cameo,
                rule=rule,
                actor=actor,
                recipient=recipient,
                tense=tense,
                confidence=confidence[0] if recipient is not None else confidence[1],
                notes=list(notes),
            )

    def _effective_code(self, match: _Match, depth: int = 0) -> str:
        """The code of an event as its frame would code it: "postpone the demonstration" is
        080 (not postpone's bare 160), so "agreed to postpone the demonstration" is 035."""
        inner = match.embedded
        if inner is None or depth > 3:
            return match.cameo
        if any(not (part <= _FUNCTION_WORDS) for part in match.trigger.parts):
            return match.cameo
        composed = self.lexicon.compose_code(
            match.trigger.frame or "", self._effective_code(inner, depth + 1)
        )
        return composed or match.cameo

    def _drop_simulated(self, cands: list[Candidate]) -> None:
        """Drills "simulate the storming of a building seized by militants": nothing under
        a verb of play-acting happened."""
        pretend = self.lexicon.words("simulate")
        for cand in cands:
            if cand.dropped is not None:
                continue
            acting = next((a for a in cand.trigger.ancestors if a.lemma_.lower() in pretend), None)
            if acting is not None:
                cand.dropped = f"simulated ('{acting.text}')"

    def _negverb(self, verb: Token) -> str | None:
        """'failed to meet', 'refrained from attacking', 'cancelled the visit'."""
        token = verb
        for _ in range(2):
            head = token.head
            if head.i == token.i:
                return None
            if token.dep_ in ("xcomp", "pcomp", "pobj", "dobj") or (
                token.dep_ == "prep" and head.pos_ in _VERB_POS
            ):
                if head.lemma_.lower() in self._negverbs:
                    return f"did not happen ({head.text})"
                token = head
                continue
            return None
        return None

    # -- arguments -------------------------------------------------------------------------

    def _actors(self, match: _Match, mentions: Mentions) -> tuple[list[Actor], str]:
        token = match.token
        if match.nominal is not None:
            # The noun's own markers first: "its meeting", "Israeli air strike", "by X".
            for child in token.children:
                if child.dep_ != "poss":
                    continue
                found = _actors_of(child, mentions)
                governor = match.governor
                if child.lower_ in ("its", "their") and governor is not None:
                    # "the two states established the Group, and its first meeting was held":
                    # "its" is read through the clause it joins when that gives the body's
                    # members (both states) rather than one of them, or nothing at all
                    head = governor.head if governor.dep_ == "conj" else None
                    if head is not None and head.pos_ in _VERB_POS:
                        members, _how = self._subject(head, mentions, 1)
                        countries = {a.country for a in found if a.country}
                        if len(members) > len(found) and countries <= {a.country for a in members}:
                            return members, f"'{child.text}' read through '{head.text}'"
                if found:
                    return found, "possessive"
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ == "by":
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            found = _actors_of(pobj, mentions)
                            if found:
                                return found, "'by' object"
            for child in token.children:
                if child.dep_ in ("amod", "compound", "nmod") and child.i < token.i:
                    found = _actors_of(child, mentions)
                    if found:
                        return found, "modifier"
            if match.governor is not None and match.nominal == "light":
                governor = match.governor
                if token.dep_ in ("nsubjpass", "nsubj") or (
                    governor.dep_ == "acl" and governor.head.i == token.i
                ):
                    for child in governor.children:
                        if child.dep_ == "agent":
                            for pobj in child.children:
                                found = _actors_of(pobj, mentions)
                                if found:
                                    return found, "'by' object"
                    return [], ""
                subject, how = self._subject(governor, mentions)
                return subject, (f"subject of '{governor.text}'" if how == "subject" else how)
            return [], ""
        return self._subject(token, mentions)

    def _subject(self, verb: Token, mentions: Mentions, depth: int = 0) -> tuple[list[Actor], str]:
        if depth > 4:
            return [], ""
        for child in verb.children:
            if child.dep_ == "agent":  # passive: "was attacked by X"
                for pobj in child.children:
                    found = _actors_of(pobj, mentions)
                    if found:
                        return found, "agent"
        for child in verb.children:
            if child.dep_ in ("nsubj", "csubj"):
                if child.lower_ in _RELATIVE and verb.dep_ == "relcl":
                    found = _actors_of(verb.head, mentions)
                    return (found, "relative clause head") if found else ([], "")
                found = _actors_of(child, mentions)
                if found:
                    return found, "subject" if depth == 0 else "inherited subject"
                if child.lower_ in _PRONOUNS:
                    # "Hungary said it will support ...": an unresolved pronoun subject of a
                    # reported clause is the speaker
                    report = modality.reported_by(verb, self.lexicon)
                    if report is not None:
                        found = _actors_of(speaker_subject(report[1]), mentions)
                        if found:
                            return found, f"pronoun read as the speaker of '{report[1].text}'"
                return [], ""
            if child.dep_ == "expl":
                continue
        for child in verb.children:
            if child.dep_ == "nsubjpass":
                if self._lemma(verb) in _STATIVE_PASSIVES:  # "Israel is opposed to ..."
                    found = _actors_of(child, mentions)
                    if found:
                        return found, "subject"
                return [], ""  # a passive without its agent has no actor
        head = verb.head
        if head.i == verb.i:
            return [], ""
        dep = verb.dep_
        if dep == "xcomp" or (dep == "acomp"):
            # object control: "urged Iran to withdraw" -> Iran withdraws
            if dep == "xcomp":
                for child in head.children:
                    if child.dep_ == "dobj" and head.lemma_.lower() in (
                        "urge",
                        "ask",
                        "press",
                        "call",
                        "force",
                        "invite",
                        "persuade",
                        "tell",
                        "order",
                        "allow",
                        "help",
                        "encourage",
                    ):
                        found = _actors_of(child, mentions)
                        if found:
                            return found, "object of control verb"
            if dep == "xcomp":
                # "Obama is scheduled to attend": the raised subject of a passive head
                for child in head.children:
                    if child.dep_ == "nsubjpass" and not any(
                        c.dep_ == "agent" for c in head.children
                    ):
                        found = _actors_of(child, mentions)
                        if found:
                            return found, "inherited subject"
            found, how = self._subject(head, mentions, depth + 1)
            return found, ("inherited subject" if found else "")
        if dep == "pcomp" and head.lower_ in ("for", "against", "of", "despite", "without"):
            return [], ""  # "jailed a student for helping militants": not the jailer's act
        if dep in ("conj", "advcl", "pcomp") or (dep == "dobj" and verb.pos_ in _VERB_POS):
            target = head.head if dep == "pcomp" and head.dep_ == "prep" else head
            if target.pos_ in _VERB_POS:
                found, how = self._subject(target, mentions, depth + 1)
                if (
                    not found
                    and dep == "conj"
                    and head.dep_ == "ccomp"
                    and any(c.dep_ == "nsubjpass" for c in head.children)
                    and any(c.dep_ == "dobj" for c in verb.children)
                ):
                    # "The commission said two people were shot dead, and accused police":
                    # the parser hangs "accused" on "shot", whose subject is its victims
                    found, how = self._subject(head.head, mentions, depth + 1)
                return found, ("inherited subject" if found else "")
        if dep == "acl" and verb.tag_ == "VBG":  # "demonstrators protesting the results"
            found = _actors_of(head, mentions)
            if found:
                return found, "noun the participle modifies"
            if (
                head.lemma_.lower() in _STATEMENT_NOUNS
                and head.dep_ in ("dobj", "attr")
                and head.head.pos_ in _VERB_POS
            ):
                # "the PKK issued a declaration demanding that ...": whoever issued it
                found, _how = self._subject(head.head, mentions, depth + 1)
                if found:
                    return found, f"issuer of the {head.text}"
            return [], ""
        return [], ""

    def _recipients(
        self, match: _Match, mentions: Mentions, actors: Sequence[Actor]
    ) -> tuple[list[Actor], str, list[Actor]]:
        """Recipients, how they were found, and both sides of a 'between X and Y' noun."""
        token = match.token
        trig = match.trigger
        preps = trig.recip_preps or _DEFAULT_RECIP_PREPS
        if match.nominal is not None and not trig.recip_preps and match.cameo[:2] >= "17":
            preps = preps | {"of"}  # "the invasion of Lebanon", "the shelling of Gaza"
        consumed = {p.i for p in match.parts}
        hosts: list[Token] = [token, *[p for p in match.parts if p.pos_ in _NOUN_POS]]
        if (
            match.nominal is not None
            and token.dep_ == "compound"
            and token.head.lemma_.lower() in _MEASURE_NOUNS
        ):
            hosts.append(token.head)  # "a mediation mission between X and Y"
        if match.governor is not None and match.nominal == "light":
            hosts.append(match.governor)
        # "the bombing killed one US soldier": who the event noun's verb struck
        if (
            match.nominal == "light"
            and match.governor is not None
            and token.dep_ == "nsubj"
            and self._lemma(match.governor) in self._happen
        ):
            for child in match.governor.children:
                if child.dep_ == "dobj":
                    found = _actors_of(child, mentions)
                    if found:
                        return found, f"object of '{match.governor.text}'", []
        # "between X and Y": both sides are actors of a symmetric event
        for host in hosts:
            for child in host.children:
                if child.dep_ == "prep" and child.lower_ == "between":
                    sides: list[Actor] = []
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            sides.extend(_actors_of(pobj, mentions))
                    if len(sides) >= 2:
                        if match.cameo.startswith(_ONE_SIDED) and actors:
                            # "mediation between X and Y": the sides are whom it serves
                            return sides, "'between' sides", []
                        return [], "", sides
        # "the civilians imprisoned by X": the noun a passive participle modifies
        if match.nominal is None and token.dep_ == "acl" and token.tag_ == "VBN":
            if match.cameo.startswith(_ONE_SIDED) and token.head.pos_ in _NOUN_POS:
                # "talks in Malaysia hosted by Anwar", "an exchange brokered by Qatar": a host
                # or mediator of an event serves that event's parties, not its place
                parties = _parties_of_event_noun(token.head, mentions, actors)
                if parties:
                    return parties[:1], "a party to the event it serves", []
            found = _actors_of(token.head, mentions)
            if found:
                return found, "noun the participle modifies", []
        # passive: the subject is the one acted upon
        for child in token.children:
            if child.dep_ == "nsubjpass" and match.nominal is None:
                found = _actors_of(child, mentions)
                if found:
                    return found, "passive subject", []
        if match.nominal is None and not trig.nodobj:
            for child in token.children:
                if child.dep_ in ("dobj", "dative") and child.i not in consumed:
                    if _own(child):
                        continue  # "withdrew its ambassador", "reinforced its own forces"
                    found = _actors_of(child, mentions)
                    if found:
                        return found, "object", []
            # "expelled the Israeli ambassador": the pattern's own object is the recipient
            for part in match.parts:
                if (
                    part.dep_ == "dobj"
                    and part.head.i == token.i
                    and part.lemma_.lower() in _PEOPLE_OBJECTS
                    and not _own(part)
                ):
                    found = _actors_of(part, mentions)
                    if found:
                        return found, "object", []
        if match.cameo[:2] == "11":
            # "complained to the UN over two Israeli air raids": the complaint is aimed at
            # whom it is about, not at whom it is made to
            accuser = {a.country for a in actors if a.country}
            for host in hosts:
                for child in host.children:
                    if child.dep_ == "prep" and child.lower_ in ("over", "about"):
                        for pobj in child.children:
                            if pobj.dep_ != "pobj":
                                continue
                            found = [
                                a for a in _actors_of(pobj, mentions) if a.country not in accuser
                            ] or _owner_actors(pobj, mentions, actors)
                            if found:
                                return found, f"'{child.lower_}' object", []
        for host in hosts:
            for child in host.children:
                if child.dep_ in ("prep", "agent") and child.lower_ in preps:
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            found = _actors_of(pobj, mentions)
                            if found:
                                return found, f"'{child.lower_}' object", []
                if child.dep_ == "dative" and host.i != token.i:
                    found = _actors_of(child, mentions)
                    if found:
                        return found, "dative", []
        # "rejected an Indian proposal", "denounced Serbia's suppression", "rejected calls by
        # Belarus's rulers", "an offer from Afghanistan": whose proposal, act or appeal it is
        objects = [c for c in token.children if c.dep_ == "dobj"] if match.nominal is None else []
        objects += [p for p in match.parts if p.pos_ in _NOUN_POS and p not in objects]
        objects += [  # "is opposed to French mediation", "protested against Indonesian rule"
            pobj
            for host in hosts
            for child in host.children
            if child.dep_ == "prep" and child.lower_ in preps
            for pobj in child.children
            if pobj.dep_ == "pobj" and pobj not in objects
        ]
        if match.nominal is not None:
            objects.append(token)
        for noun in objects:
            found = _owner_actors(noun, mentions, actors)
            if found:
                return found, f"owner of '{noun.text}'", []
        # CAMEO's convention: an event with no other target is aimed at the country it takes
        # place in ("exercises in Alaska" -> USA) when that is not the actor's own country.
        # Not words and meetings: "EU ministers meeting in Brussels" did not meet Belgium,
        # and a statement made in Geneva is not aimed at Switzerland.
        if not match.cameo.startswith(_AIMED_WHERE_DONE):
            return [], "", []
        own = {a.country for a in actors}
        for host in hosts:
            for child in host.children:
                if child.dep_ == "prep" and child.lower_ in ("in", "into", "near", "over"):
                    for pobj in child.children:
                        if pobj.dep_ != "pobj" or pobj.ent_type_ not in ("GPE", "LOC"):
                            continue
                        place = [a for a in _actors_of(pobj, mentions) if a.country]
                        if not place and (country := self._places.get(pobj.idx)):
                            # "exercises in Alaska": a place the actors stage does not know
                            place = [_country_actor(country, pobj.text)]
                        if place and not own & {a.country for a in place}:
                            return (
                                place[:1],
                                f"place of the event ('{child.lower_} {pobj.text}')",
                                [],
                            )
        return [], "", []

    def _pairs(
        self, actors: list[Actor], recipients: list[Actor], cameo: str, plover: str | None
    ) -> list[tuple[Actor | None, Actor | None]]:
        actors = _dedupe(actors)[:MAX_SIDE]
        recipients = _dedupe(recipients)[:MAX_SIDE]
        pairs: list[tuple[Actor | None, Actor | None]] = []
        if not actors:
            return [(None, recipients[0] if recipients else None)]
        if (
            recipients
            and len(actors) > 1
            and self._symmetric(cameo, plover)
            and {r.country for r in recipients} <= {a.country for a in actors}
        ):
            # "X and Y agreed upon a pact between the two countries": the recipients are the
            # actors themselves, so it is their joint act (one event, below)
            recipients = []
        if recipients:
            for a in actors:
                for r in recipients:
                    if not _same_actor(a, r):
                        pairs.append((a, r))
            return _one_per_country(_across(pairs)) or [(actors[0], None)]
        if len(actors) > 1 and self._symmetric(cameo, plover):
            # A joint act is one event, the first named as actor (DESIGN.md codes "the two
            # states" meeting once; X->Y and Y->X would count it twice in every dyad table).
            # Fighting is each side's act on the other: "X and Y exchanged fire" is two.
            mutual = cameo[:2] in _VIOLENCE or cameo.startswith("145")
            for i, a in enumerate(actors):
                for j, b in enumerate(actors):
                    if (j > i or (mutual and j != i)) and not _same_actor(a, b):
                        pairs.append((a, b))
            pairs = _one_per_country(_across(pairs))
            if pairs:
                return pairs
        return [(a, None) for a in actors]

    def _needs_recipient(self, cameo: str, plover: str | None) -> str | None:
        """The PLOVER type, when it requires a recipient (COOPERATE, AID, SANCTION)."""
        key = f"need:{cameo}/{plover}"
        if key not in self._symmetric_cache:
            try:
                from polybius.ontology import cameo_entry, plover_type

                name = plover or cameo_entry(cameo).plover
                needs = bool(name) and plover_type(name).requires_recipient
            except Exception:  # noqa: BLE001 - without the ontology, keep the event
                name, needs = "", False
            self._symmetric_cache[key] = needs
            self._recipient_types[key] = name
        return self._recipient_types[key] if self._symmetric_cache[key] else None

    def _type_of(self, cameo: str, plover: str | None) -> str:
        if plover:
            return plover
        key = f"type:{cameo}"
        if key not in self._recipient_types:
            try:
                from polybius.ontology import cameo_entry

                self._recipient_types[key] = cameo_entry(cameo).plover or ""
            except Exception:  # noqa: BLE001 - without the ontology, no type
                self._recipient_types[key] = ""
        return self._recipient_types[key]

    def _symmetric(self, cameo: str, plover: str | None) -> bool:
        key = f"{cameo}/{plover}"
        if key not in self._symmetric_cache:
            try:
                from polybius.ontology import cameo_entry, is_symmetric

                symmetric = is_symmetric(plover or cameo_entry(cameo).plover)
            except Exception:  # noqa: BLE001 - the ontology only adds to the CAMEO list
                symmetric = False
            self._symmetric_cache[key] = (
                symmetric or cameo.startswith(_RECIPROCAL)
            ) and not cameo.startswith(_ONE_SIDED)
        return self._symmetric_cache[key]


def _across(
    pairs: list[tuple[Actor | None, Actor | None]],
) -> list[tuple[Actor | None, Actor | None]]:
    """Pairs between two countries, when there are any: "X and Y" naming two actors of one
    country ("Israel" and "Israeli troops") does not make an event of a country with itself."""

    def cross(pair: tuple[Actor | None, Actor | None]) -> bool:
        a, r = pair
        return not (a is not None and r is not None and a.country and a.country == r.country)

    kept = [p for p in pairs if cross(p)]
    return kept if kept else pairs


_STATEMENT_NOUNS = frozenset(
    {
        "statement",
        "declaration",
        "communique",
        "communiqué",
        "resolution",
        "letter",
        "note",
        "appeal",
        "ultimatum",
        "decree",
        "report",
    }
)
_OWN_WORDS = frozenset({"its", "their", "his", "her", "our", "my", "own"})


def _own(noun: Token) -> bool:
    """The object is the actor's own: "its ambassador", "their own forces"."""
    return any(
        (c.dep_ == "poss" and c.lower_ in _OWN_WORDS) or (c.dep_ == "amod" and c.lower_ == "own")
        for c in noun.children
    )


# Subjects that are the means of an attack, not an actor: "a minefield explosion killed".
_INSTRUMENTS = frozenset(
    {
        "explosion",
        "blast",
        "bomb",
        "bombing",
        "mine",
        "landmine",
        "shell",
        "shelling",
        "missile",
        "rocket",
        "mortar",
        "grenade",
        "device",
        "drone",
        "strike",
        "attack",
        "fire",
        "gunfire",
        "ambush",
        "raid",
        "airstrike",
        "explosive",
    }
)


def _instrument_subject(verb: Token) -> bool:
    return any(c.dep_ == "nsubj" and c.lemma_.lower() in _INSTRUMENTS for c in verb.children)


def _attack_noun_actors(verb: Token, mentions: Mentions) -> list[Actor]:
    """'killed in Israeli tank shelling', 'wounded by a Russian drone strike': the side that a
    passive attack's instrument or event noun names."""
    for prep in verb.children:
        if not (prep.dep_ in ("prep", "agent") and prep.lower_ in ("in", "by")):
            continue
        for pobj in prep.children:
            if pobj.dep_ != "pobj":
                continue
            for mod in pobj.subtree:
                if mod.dep_ in ("amod", "compound", "poss", "nmod") and mod.i < pobj.i:
                    found = [a for a in _actors_of(mod, mentions) if a.country]
                    if found:
                        return found
    return []


_HABITUAL = frozenset(
    {
        "repeatedly",
        "often",
        "frequently",
        "regularly",
        "routinely",
        "long",
        "traditionally",
        "historically",
        "usually",
        "previously",
        "habitually",
    }
)


def _habitual(verb: Token) -> str | None:
    """An adverb of habit on a perfect or present verb: 'have repeatedly attacked', 'has long
    accused', 'often accuses'. With a simple past ('repeatedly struck overnight') it is news."""
    adverb = next(
        (c.lower_ for c in verb.children if c.dep_ == "advmod" and c.lower_ in _HABITUAL), None
    )
    if adverb is None:
        return None
    perfect = any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in verb.children)
    if perfect or verb.tag_ in ("VBZ", "VBP"):
        return adverb
    return None


def _has_condition(verb: Token, marks: frozenset[str] | set[str]) -> bool:
    """The verb has an 'if'/'unless' clause of its own."""
    return any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in marks for m in c.children)
        for c in verb.children
    )


def _perfect(verb: Token) -> bool:
    """'has accused', 'have rejected' (and the conjuncts that share the auxiliary)."""
    return _with_auxiliary(verb, ("has", "have", "'s", "'ve"))


def _pluperfect(verb: Token) -> bool:
    """'had accused', 'had been attacked' (and the conjuncts that share the auxiliary)."""
    return _with_auxiliary(verb, ("had", "'d"))


def _with_auxiliary(verb: Token, auxiliaries: tuple[str, ...]) -> bool:
    """A participle with one of ``auxiliaries``, or a conjunct of one that shares it."""
    for _ in range(3):
        if verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.lower_ in auxiliaries for c in verb.children):
            return True
        if verb.dep_ == "conj" and verb.head.i != verb.i and verb.tag_ == "VBN":
            verb = verb.head
            continue
        return False
    return False


_EXERCISE_WORDS = frozenset({"exercise", "drill", "maneuver", "manoeuvre", "game"})


# Reactions whose object may be an earlier event of the story: "condemned the attack",
# "rejected the accusation", "criticised the handover".
_REACTION_ROOTS = ("11", "12", "051")
_SUPPORT_OF_NO_ONE = "no recipient (SUPPORT of no one"
_DEFINITE = frozenset({"the", "this", "these", "that", "those", "such"})


_OWN_COUNTRY_NOTE = "the actor's own country (no other named)"


def _story_target(cands: list[Candidate]) -> None:
    """ "Russian missiles struck Odesa ... Kiper said Russia fired six missiles at the port":
    an attack whose target names no country is aimed where the story's other attacks by the
    same side are, not at the attacker's own country. Only that guess is replaced: a target
    the sentence names stays."""
    guess = f"recipient: {_OWN_COUNTRY_NOTE}"
    aimed: dict[str, Actor] = {}
    for cand in cands:
        if (
            cand.dropped is None
            and cand.actor is not None
            and cand.actor.country
            and cand.cameo[:2] in _VIOLENCE
            and cand.recipient is not None
            and cand.recipient.country not in (None, cand.actor.country)
            and guess not in cand.notes
        ):
            aimed.setdefault(cand.actor.country, cand.recipient)
    for cand in cands:
        if cand.dropped is not None or guess not in cand.notes or cand.cameo[:2] not in _VIOLENCE:
            continue
        target = aimed.get(cand.actor.country or "") if cand.actor is not None else None
        if target is not None:
            cand.recipient = replace(target, link="no target named: the story's target")
            cand.notes = [
                n
                for n in cand.notes
                if n != guess and n != f"recipient link: {OWN_COUNTRY_GUESS}"
            ]
            cand.notes.append(
                f"recipient: the target of the story's other attacks by {cand.actor.country}"
            )


def _answer_back(cands: list[Candidate]) -> None:
    """ "Russian missiles struck Odesa ... Ukraine condemned the attack": a reaction to "the
    attack", "the accusation", "the drills" that names no one answers the latest earlier
    event's actor of another country (within three sentences). So does praise: "Wang praised
    the deal" supports the deal's maker (dropped as SUPPORT of no one until it answers)."""
    for pos, cand in enumerate(cands):
        unanswered_praise = (cand.dropped or "").startswith(_SUPPORT_OF_NO_ONE)
        if (
            (cand.dropped is not None and not unanswered_praise)
            or not cand.cameo.startswith(_REACTION_ROOTS)
            or cand.actor is None
            or not cand.actor.country
            or (
                cand.recipient is not None
                and cand.recipient.country
                and not any("the actor's own country" in n for n in cand.notes)
            )
        ):
            continue
        noun = next((c for c in cand.trigger.children if c.dep_ == "dobj"), None)
        if noun is None and cand.trigger.pos_ in ("NOUN", "PROPN"):
            noun = cand.trigger
        if noun is None or not any(
            c.dep_ == "det" and c.lower_ in _DEFINITE for c in noun.children
        ):
            continue
        if any(c.dep_ == "poss" for c in noun.children):
            continue  # "the country's decision": its owner was asked already
        for prev in reversed(cands[:pos]):
            if prev.sentence_index < cand.sentence_index - 3:
                break
            if (
                prev.dropped is not None
                or prev.actor is None
                or not prev.actor.country
                or prev.actor.country == cand.actor.country
                or prev.trigger.i >= cand.trigger.i
                or (unanswered_praise and prev.cameo.startswith(_REACTION_ROOTS))
            ):
                continue  # praise of "the agreement" is of the agreement, not of its praise
            cand.recipient = prev.actor
            cand.dropped = None
            cand.notes[:] = [n for n in cand.notes if not n.startswith("recipient")]
            cand.notes.append(
                f"recipient: actor of the earlier event '{prev.trigger.text}' "
                f"(reaction to 'the {noun.text}')"
            )
            break


def _anaphoric(cand: Candidate) -> bool:
    """The event is a noun with a definite determiner and no marked actor of its own:
    "the talks", "the drill" (not "Israel's attack", "talks between X and Y")."""
    token = cand.trigger
    if token.pos_ not in _NOUN_POS:
        return False
    kids = list(token.children)
    if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "these", "that") for c in kids):
        return False
    return not any(
        c.dep_ in ("poss", "amod", "compound", "nmod")
        and c.i < token.i
        and c.ent_type_ in ("GPE", "NORP", "ORG")
        for c in kids
    ) and not any(c.dep_ == "prep" and c.lower_ in ("between", "by", "with") for c in kids)


def _same_family(prev: Candidate, cand: Candidate) -> bool:
    """The earlier candidate is the event the later definite noun refers to: the same CAMEO
    root, or both exercises (one country's drill, 15x; a joint exercise, 062)."""
    if prev.cameo[:2] == cand.cameo[:2]:
        return True
    lemmas = {prev.trigger.lemma_.lower(), cand.trigger.lemma_.lower()}
    return lemmas <= _EXERCISE_WORDS


def _dated_apart(earlier: Span, later: Span) -> bool:
    """The later sentence names a time the earlier one does not ("its first meeting was held
    on October 24"): another event of the same kind, not a restatement."""
    before = {e.text.lower() for e in earlier.ents if e.label_ in ("DATE", "TIME")}
    return any(e.label_ in ("DATE", "TIME") and e.text.lower() not in before for e in later.ents)


def _one_per_country(
    pairs: list[tuple[Actor | None, Actor | None]],
) -> list[tuple[Actor | None, Actor | None]]:
    """One event per pair of sides: "the Azerbaijani delegation and Guliyev", "hostages and
    prisoners" (no country) are one recipient, not two events."""
    out: list[tuple[Actor | None, Actor | None]] = []
    seen: set[tuple[str, str]] = set()
    for a, r in pairs:
        key = (_side(a), _side(r))
        if key not in seen:
            seen.add(key)
            out.append((a, r))
    return out


def _side(actor: Actor | None) -> str:
    if actor is None:
        return ""
    return actor.country or "?"


# A participle on one of these describes a participant ("released hostages abducted in
# May"); on a prepositional object it is as often an event ("in a swap mediated by the UAE").
def _people_released(verb: Token) -> bool:
    """The verb's object is people: "released five Iranians", "released 39 Palestinians"."""
    return any(
        c.dep_ == "dobj" and (c.ent_type_ in ("NORP", "PERSON") or c.lemma_.lower() in _PEOPLE)
        for c in verb.children
    )


_PEOPLE = frozenset(
    {"people", "person", "citizen", "national", "civilian", "fisherman", "sailor", "worker",
     "student", "child", "woman", "man", "member", "officer", "detainee", "prisoner"}
)  # fmt: skip
_CROWD_ROLES = frozenset({"protester", "rioter"})
_WEAPONS = frozenset({"missile", "missiles", "rocket", "rockets", "mortar", "mortars", "shell", "shells", "artillery", "drone", "drones"})
_SECURITY = frozenset({"COP", "MIL"})
_CROWD_NOTE = {
    "145": "violence by protesters is a riot",
    "175": "security forces' violence against protesters is violent repression",
}


def _crowd_violence(
    cameo: str, actor: Actor | None, recipient: Actor | None, trigger: str = ""
) -> str | None:
    """CAMEO codes violence by who does it to whom: "rioters torched police stations" is 145
    (riot), "police fired tear gas at protesters" is 175 (violent repression), not 19x. A
    crowd firing missiles ("demonstrators launched missiles at the government") attacks."""
    if not (cameo[:2] in _VIOLENCE or cameo.startswith("171")):
        return None
    if actor is not None and actor.role in _CROWD_ROLES:
        armed = cameo not in ("180", "190") and not cameo.startswith("171")
        if armed or _WEAPONS & set(trigger.lower().split()):
            return None  # shelling, air strikes, missiles: an armed attack whoever fires
        return "145"
    if (
        recipient is not None
        and recipient.role in _CROWD_ROLES
        and (actor is None or set(actor.sectors) & _SECURITY)
    ):
        return "175"
    return None


_ARGUMENTS = frozenset({"nsubj", "nsubjpass", "dobj", "dative"})


def _country_actor(country: str, text: str) -> Actor:
    """A country as the recipient an event's place names ("in Alaska" -> USA)."""
    from polybius.actors.countries import country_name

    return Actor(
        text=text,
        name=country_name(country),
        country=country,
        kind="country",
        code=country,
        link=f"no target named: the country where it happened ({text})",
    )


def _relative_clause(verb: Token) -> Token | None:
    """The relative clause verb the event's verb is, or hangs from through infinitives and
    coordination ("a resolution that aims to tighten sanctions and impose a blockade")."""
    clause = verb
    for _ in range(4):
        if clause.dep_ == "relcl":
            # "a prisoner exchange ..., in which the United States released five Iranians":
            # what happened in the event the news is about is that news
            return None if relative_tells_its_event(clause) else clause
        if clause.dep_ in ("xcomp", "conj") and clause.head.i != clause.i:
            clause = clause.head
            continue
        return None
    return None


_SINCE = frozenset({"since"})
_AFTER = frozenset({"following", "after"})


def _background_phrase(noun: Token, cameo: str) -> str | None:
    """ "since last month's U.S. invasion", "following the invasions of Dagestan", "in the
    wake of the execution": an event named as the time after which the news happened is
    background told before. ("after talks in Doha" is kept: the talks are the news's own
    first part; only violence is the usual backdrop.)"""
    head = noun.head
    if noun.dep_ != "pobj" or head.dep_ != "prep":
        return None
    word = head.lower_
    if word == "of" and head.head.lower_ == "wake":
        word = "in the wake of"
    if word in _SINCE or (
        (word in _AFTER or word == "in the wake of") and cameo[:2] in {"17", *_VIOLENCE}
    ):
        return f"background ('{word} the {noun.text}')"
    return None


def _parties_of_event_noun(noun: Token, mentions: Mentions, own: list[Actor]) -> list[Actor]:
    """Who took part in the event a noun names: the subject of the clause it hangs from
    ("Thailand and Cambodia agreed ... following talks in Malaysia"), else that clause's
    object ("Iran freed five Americans in an exchange"), not the host's own country."""
    mine = {a.country for a in own if a.country}
    clause = noun
    for _ in range(8):  # "at the end of a round of peace talks in Havana hosted by Cuba"
        clause = clause.head
        verbal = clause.pos_ in _VERB_POS and clause.dep_ != "prep"  # not "following talks"
        if verbal or clause.head.i == clause.i:
            break
    if clause.pos_ not in _VERB_POS or clause.dep_ == "prep":
        return []
    for dep in (("nsubj", "nsubjpass"), ("dobj",)):
        for child in clause.children:
            if child.dep_ in dep:
                found = [a for a in _actors_of(child, mentions) if a.country and a.country not in mine]
                if found:
                    return found
    return []


def _fired_from(verb: Token, mentions: Mentions) -> list[Actor]:
    """The country a passive attack came from: "rockets were fired from Lebanon"."""
    if not any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return []
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == "from":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    found = [a for a in _actors_of(pobj, mentions) if a.country]
                    if found:
                        return found[:1]
    return []


def _pronoun_target(match: _Match) -> Token | None:
    """An object pronoun the event is aimed at ("fired at it", "attacked us")."""
    preps = match.trigger.recip_preps or _DEFAULT_RECIP_PREPS
    for child in match.token.children:
        heads = [child] if child.dep_ == "dobj" else []
        if child.dep_ == "prep" and child.lower_ in preps:
            heads = [c for c in child.children if c.dep_ == "pobj"]
        for head in heads:
            if head.lower_ in ("it", "us", "them"):
                return head
    return None


def _told_alongside(verb: Token) -> bool:
    """ "... greeted by Prime Minister Garry Conille, who thanked Kenya for ...": a relative
    clause set off by a comma on a named person, in the plain past with no time of its own,
    tells what that person did then, not background ("Sejourne, who visited Beirut last
    week, ..."; "the group that has seized parts of Iraq")."""
    who = next((c for c in verb.children if c.dep_ == "nsubj" and c.lower_ == "who"), None)
    if who is None or who.i == 0 or verb.doc[who.i - 1].text != ",":
        return False
    if verb.head.pos_ != "PROPN" or verb.tag_ != "VBD":
        return False
    if any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        return False
    return not any(t.ent_type_ in ("DATE", "TIME") for t in verb.subtree)


def _drop_descriptions(cands: list[Candidate]) -> None:
    """ "The civilians imprisoned for acting against Moscow were released": a participle that
    describes who another event is about tells their past, not news of its own. ("Talks
    hosted by Malaysia" describe an event, not a participant: the hosting is news.)"""
    triggers = {c.trigger.i for c in cands if c.dropped is None}
    events = {c.trigger.i for c in cands}
    for cand in cands:
        token = cand.trigger
        if cand.dropped is not None or token.dep_ != "acl" or token.tag_ != "VBN":
            continue
        noun = token.head
        if noun.i in events:
            continue
        governor = noun.head
        if noun.dep_ in _ARGUMENTS and governor.i in triggers and governor.i != token.i:
            cand.dropped = f"describes who '{governor.text}' is about (background)"


def _merge_same_event(cands: list[Candidate]) -> None:
    """One event per (code, actor, recipient) in a sentence, and none without a recipient
    when the same actor's event of that root has one ("met with X to discuss ...").

    A recipient whose country was only guessed from the sentence, or one of no country (not
    a person), counts as none beside an event whose recipient the text names ("rejected a
    Senegalese plan, and opposed a regional force"). The most confident candidate is kept;
    the others are marked dropped (for explain).
    """
    kept = [c for c in cands if c.dropped is None]
    best: dict[tuple[str, str, str], Candidate] = {}
    with_any: set[tuple[str, str]] = set()  # some recipient
    with_recipient: set[tuple[str, str]] = set()  # named, not guessed
    with_country: set[tuple[str, str]] = set()  # named, with a country
    for cand in sorted(kept, key=lambda c: (_country_guessed(c), -c.confidence)):
        actor = _key(cand.actor)
        if cand.recipient is not None:
            with_any.add((_kind(cand), actor))
        if cand.recipient is not None and not _country_guessed(cand):
            with_recipient.add((_kind(cand), actor))
            if cand.recipient.country:
                with_country.add((_kind(cand), actor))
        key = (cand.cameo, actor, _key(cand.recipient))
        if key in best:
            cand.dropped = f"same event as '{best[key].trigger_text}'"
        else:
            best[key] = cand
    for cand in kept:
        if cand.dropped is not None:
            continue
        side = (_kind(cand), _key(cand.actor))
        recipient = cand.recipient
        if recipient is None:
            weak = side in with_any
        elif _country_guessed(cand):
            weak = side in with_recipient
        else:
            weak = not recipient.country and recipient.kind != "person" and side in with_country
        if weak:
            cand.dropped = "same event with its recipient found by another trigger"


def _country_guessed(cand: Candidate) -> bool:
    """The recipient's country was taken from the sentence, not from its own phrase."""
    return any(n.startswith("recipient country ") for n in cand.notes)


def _kind(cand: Candidate) -> str:
    """The CAMEO root and PLOVER type: two triggers of one kind of event by one actor."""
    plover = cand.plover
    if plover is None:
        try:
            from polybius.ontology import cameo_entry

            plover = cameo_entry(cand.cameo).plover
        except Exception:  # noqa: BLE001 - the root alone is a fair fallback
            plover = ""
    return f"{cand.cameo[:2]}/{plover}"


def _key(actor: Actor | None) -> str:
    if actor is None:
        return ""
    return f"{actor.country}|{actor.name}"


def _topic(token: Token) -> str | None:
    """An event named as the topic of a noun: "views on expanding ties", "plans for talks"."""
    for _ in range(4):
        if token.dep_ == "conj" and token.head.i != token.i:
            token = token.head
            continue
        break
    head = token.head
    if token.dep_ in ("pcomp", "pobj") and head.dep_ == "prep" and head.head.pos_ in _NOUN_POS:
        if head.lower_ not in ("by", "between", "with", "against", "on"):
            return f"topic of '{head.head.text} {head.text}'"
        if token.pos_ in _VERB_POS:
            return f"topic of '{head.head.text} {head.text}'"
    if (
        token.dep_ == "acl"
        and token.pos_ in _VERB_POS
        and head.pos_ in _NOUN_POS
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)
    ):
        return f"topic of '{head.text}'"  # "plans to attack", "an effort to mediate"
    return None


def speaker_subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return child
    return None


def _actors_of(token: Token | None, mentions: Mentions) -> list[Actor]:
    """The actors of the noun phrase headed by ``token``, over its whole coordination.

    "The US, Russia and Switzerland": the actors stage may expand only a pair, so every
    conjunct is asked too. "US and British activists": when the head itself names no actor,
    its pre-modifiers do.
    """
    if token is None:
        return []
    found: list[Actor] = []
    for head in _conjuncts(token):
        if head.lemma_.lower() in _BORDER_NOUNS:
            # "its border with Belarus", "the frontier with Iran": the country across it
            across = [
                a
                for prep in head.children
                if prep.dep_ == "prep" and prep.lower_ == "with"
                for pobj in prep.children
                if pobj.dep_ == "pobj"
                for a in _actors_of(pobj, mentions)
            ]
            if across:
                found.extend(across)
                continue
        own = list(mentions.actors_for(head) or ())
        if not own:
            one = mentions.actor_for(head)
            if one is not None:
                own = [one]
        if not own and head.pos_ in _NOUN_POS:
            for child in head.children:
                if child.dep_ in ("compound", "amod", "nmod") and child.i < head.i:
                    for mod in _conjuncts(child):
                        one = mentions.actor_for(mod)
                        if one is not None:
                            own.append(one)
        if not own and head.pos_ in _NOUN_POS and head.tag_ in ("NNS", "NNPS"):
            # "doctors from two American aid groups", "troops from Rwanda"
            for prep in head.children:
                if prep.dep_ == "prep" and prep.lower_ == "from":
                    for pobj in prep.children:
                        if pobj.dep_ == "pobj":
                            own.extend(_actors_of(pobj, mentions))
        if not own and (head.pos_ == "NUM" or head.lemma_.lower() in _GROUP_NOUNS):
            # "thousands of Nigerians", "a group of Chechen refugees"
            for prep in head.children:
                if prep.dep_ == "prep" and prep.lower_ == "of":
                    for pobj in prep.children:
                        if pobj.dep_ == "pobj":
                            own.extend(_actors_of(pobj, mentions))
        found.extend(own)
    return _dedupe(found)


# Words that aim a bare "protested" (CAMEO 140) at someone: "marched to protest against tax
# rises", "protested to demand the resignation"; a strike, a blockade or a riot is aimed at
# its country's authorities in any case.
_AIM_WORDS = frozenset(
    {"demand", "call", "against", "over", "protest", "press", "urge", "oppose", "denounce", "seek"}
)


def _aimed(match: _Match) -> bool:
    """A protest with a stated aim (a demand, "against" ...), not a bare "protested"."""
    heads = [match.token, *([match.governor] if match.governor is not None else [])]
    return any(
        t.i != match.token.i and t.lemma_.lower() in _AIM_WORDS
        for head in heads
        for t in head.subtree
    )


_OFFICE_SECTORS = frozenset({"GOV", "MIL", "COP", "LEG", "JUD", "SPY"})


def _officeholder(actor: Actor) -> bool:
    """A person or an office of the state ("President X", "the interior minister")."""
    if actor.country or set(actor.sectors) & {"REB", "IMG", "OPP", "UIS"}:
        return False
    return actor.kind in ("person", "group") or bool(set(actor.sectors) & _OFFICE_SECTORS)


# Clauses that tell something else than the event: who reported it ("..., the Israeli army
# said" as the root above it), a background clause ("students who protested the decision of
# sending troops to Iraq"), a time clause, a description ("Pakistan, a key U.S. ally,").
_ASIDE_DEPS = frozenset({"advcl", "relcl", "parataxis", "appos"})


def _scope(verb: Token, cameo: str, sent: Span) -> Iterable[Token]:
    """The tokens of the event's own clause: ``verb``'s subtree without its asides. (The whole
    sentence for violence: "Russian missiles struck Odesa, Ukrainian officials said" is told
    by its victims as often as not.)"""
    if cameo[:2] in ("18", "19", "20"):
        return sent
    root = verb
    while root.dep_ in ("xcomp", "conj") or (root.dep_ == "advcl" and root.tag_ == "VBG"):
        root = root.head  # "took over post offices run by Serbia, seizing cash": one clause
    out: list[Token] = []
    stack = [root, verb] if root.i != verb.i else [verb]
    while stack:
        token = stack.pop()
        out.append(token)
        stack.extend(c for c in token.children if c.dep_ not in _ASIDE_DEPS)
    return dict.fromkeys(out)


def _unknown_target(match: _Match, mentions: Mentions) -> bool:
    """The event names its target, by a name the actors stage does not know ("struck Odesa",
    "attacks on Kherson"): the actor's own country is no safe guess."""
    preps = match.trigger.recip_preps or _DEFAULT_RECIP_PREPS
    for child in match.token.children:
        heads = [child] if child.dep_ in ("dobj", "dative", "nsubjpass") else []
        if child.dep_ == "prep" and child.lower_ in preps:
            heads = [c for c in child.children if c.dep_ == "pobj"]
        for head in heads:
            if head.pos_ == "PROPN" and not _actors_of(head, mentions):
                return True
    return False


def _acts_on_own(verb: Token) -> bool:
    """The verb, or a verb it governs ("refused to withdraw"), takes the actor's own thing as
    object: "withdrew its troops", "put its forces on alert"."""
    verbs = [verb]
    for _ in range(3):
        verbs += [c for c in verbs[-1].children if c.dep_ == "xcomp"][:1]
    return any(c.dep_ == "dobj" and _own(c) for v in verbs for c in v.children)


def _only_country(sent: Iterable[Token], mentions: Mentions) -> str | None:
    """The one state the sentence names (places and demonyms included), else None."""
    found = {
        a.country
        for a in (mentions.actor_for(t) for t in sent)
        if a is not None and a.country and a.country not in _NON_STATE
    }
    return next(iter(found)) if len(found) == 1 else None


_TARGET_PREPS = frozenset({"to", "against", "on", "into", "in", "with", "at", "upon"})


def _target_of(verb: Token, mentions: Mentions, own: set[str]) -> list[Actor]:
    """Actors of another country that a verb takes as object or through a target phrase."""
    for child in verb.children:
        pobjs: list[Token] = []
        if child.dep_ in ("dobj", "dative") and not _own(child):
            pobjs = [child]
        elif child.dep_ == "prep" and child.lower_ in _TARGET_PREPS:
            pobjs = [c for c in child.children if c.dep_ == "pobj"]
        for pobj in pobjs:
            found = [a for a in _actors_of(pobj, mentions) if a.country and a.country not in own]
            if found:
                return found
    return []


def _countries_in(
    tokens: Iterable[Token], mentions: Mentions, own: set[str], *, states: bool = True
) -> dict[str, Actor]:
    """The countries (``states``) or else the international organisations named in
    ``tokens``, but ``own``. An organisation that only modifies a noun ("NATO-member
    Norway") is not counted."""
    found: dict[str, Actor] = {}
    for token in tokens:
        actor = mentions.actor_for(token)
        if actor is None or not actor.country or actor.country in own:
            continue
        if (actor.country in _NON_STATE) == states or (not states and actor.country != "IGO"):
            continue
        if not states and token.dep_ in ("compound", "amod", "nmod", "poss", "npadvmod"):
            continue
        found.setdefault(actor.country, actor)
    return found


def _venue(token: Token) -> bool:
    """The token is (in) a phrase saying where something happened: "met in Brussels", "a
    meeting in Brussels" (not "Russia's embassy in Berlin", which says who)."""
    prep = token if token.dep_ == "prep" else token.head if token.dep_ == "pobj" else None
    if prep is None or prep.dep_ != "prep" or prep.lower_ not in _VENUE_PREPS:
        return False
    head = prep.head
    return head.pos_ in _VERB_POS or head.lemma_.lower() in _GATHERINGS


def _sentence_country(
    scope: Iterable[Token], mentions: Mentions, actors: Sequence[Actor], *, venues: bool = True
) -> tuple[str | None, Actor | None]:
    """The one country other than the actors' that the event's clause names (with its
    mention); else the actors' own (one country) when the clause names no other; else
    (None, None). Without ``venues``, a place named as where it happened ("meeting in
    Brussels") is not counted."""
    own = {a.country for a in actors if a.country}
    if len(own) != 1:
        return None, None
    scope = list(scope)
    if not venues:
        scope = [t for t in scope if not _venue(t)]
    others = _countries_in(scope, mentions, own) or _countries_in(
        scope, mentions, own, states=False
    )
    if len(others) == 1:
        return next(iter(others.items()))
    if others or next(iter(own)) in _NON_STATE:
        return None, None  # an organisation has no country of its own to act in
    return next(iter(own)), None


def _owner_actors(noun: Token, mentions: Mentions, actors: Sequence[Actor]) -> list[Actor]:
    """Who a noun belongs to or comes from: "North Korea's demand", "an Indian proposal",
    "calls by Belarus's rulers", "an offer from Afghanistan" (never the event's own actor)."""
    if noun.pos_ not in _NOUN_POS or _own(noun):
        return []
    own = {a.country for a in actors if a.country}
    before: list[Actor] = []  # the owner named before the noun comes first
    groups: list[list[Actor]] = [before]  # then the nearest "of/by/from" phrase
    for child in noun.children:
        if child.dep_ == "poss" or (
            child.dep_ in ("amod", "compound", "nmod") and child.i < noun.i
        ):
            before.extend(_actors_of(child, mentions))
        elif child.dep_ in ("prep", "agent") and child.lower_ in ("from", "by", "of"):
            groups.append(
                [
                    a
                    for pobj in child.children
                    if pobj.dep_ == "pobj"
                    for a in _actors_of(pobj, mentions)
                ]
            )
    for found in groups:
        kept = [a for a in _dedupe(found) if a.country and a.country not in own]
        if kept:
            return kept
    return []


_BORDER_NOUNS = frozenset({"border", "frontier", "boundary", "borders", "frontiers"})


def _conjuncts(token: Token) -> list[Token]:
    out = [token]
    frontier = [token]
    while frontier and len(out) < 8:
        # "The US, Russia, and Switzerland" is parsed as an apposition holding the list
        nxt = [
            c
            for t in frontier
            for c in t.children
            if c.dep_ == "conj" or (c.dep_ == "appos" and any(g.dep_ == "conj" for g in c.children))
        ]
        out.extend(nxt)
        frontier = nxt
    return out


def _dedupe(actors: Iterable[Actor]) -> list[Actor]:
    out: list[Actor] = []
    keys: set[tuple[str | None, str]] = set()
    for actor in actors:
        key = (actor.country, actor.name)
        if key not in keys:
            keys.add(key)
            out.append(actor)
    return out


def _same_actor(a: Actor, b: Actor) -> bool:
    """The same actor: one name, country and sectors, from one mention when both are known.

    "Georgian demonstrators" and "the Georgian government" are two actors of one country;
    "the parties" may stand for two actors that share its offsets.
    """
    if (a.name, a.country, a.sectors) != (b.name, b.country, b.sectors):
        return False
    return a.start < 0 or b.start < 0 or a.start == b.start or a.text == b.text


def _other_side(speakers: Sequence[Actor], actors: Sequence[Actor]) -> bool:
    """The speaker and the event's actor are known to be different countries.

    Only then is "X said Y did Z" Y's claim reported by X; a speaker talking of its own side
    ("Iran said it would") or of an actor of unknown country keeps the event.
    """
    spoken = {a.country for a in speakers if a.country}
    acting = {a.country for a in actors if a.country}
    return bool(spoken) and bool(acting) and not (spoken & acting)


def _recipient_slot(match: _Match) -> bool:
    """Whether the text names a recipient at all (an object, dative or recipient phrase),
    even one the actors stage could not resolve ("aid to refugees")."""
    preps = match.trigger.recip_preps or _DEFAULT_RECIP_PREPS
    consumed = {p.i for p in match.parts}
    hosts = [match.token, *match.parts]
    if match.governor is not None:
        hosts.append(match.governor)
    for host in hosts:
        for child in host.children:
            if child.dep_ in ("dobj", "dative") and child.i not in consumed:
                return True
            if child.dep_ == "prep" and child.lower_ in preps:
                return True
    return False


def _has_object(token: Token) -> bool:
    return any(
        c.dep_ in ("dobj", "dative", "ccomp", "xcomp", "attr") for c in token.children
    ) or any(c.dep_ == "nsubjpass" for c in token.children)


def _close(token: Token) -> dict[str, Token]:
    """The trigger's own prepositions and particles, and the "to" of its infinitive."""
    close: dict[str, Token] = {}
    for child in token.children:
        if child.dep_ in ("prep", "prt", "agent", "dative", "advmod"):
            close.setdefault(child.lower_, child)
        elif child.dep_ in ("xcomp", "advcl", "ccomp"):
            for grandchild in child.children:
                if grandchild.dep_ == "aux" and grandchild.lower_ == "to":
                    close.setdefault("to", grandchild)
    return close


def _near(token: Token) -> dict[str, Token]:
    """Lemmas (and lower-cased words) of the token's own dependents, up to three levels."""
    near: dict[str, Token] = {}
    frontier = [c for c in token.children if c.dep_ not in _OTHER_CLAUSE]
    for _level in range(3):
        nxt: list[Token] = []
        for tok in frontier:
            near.setdefault(tok.lemma_.lower(), tok)
            near.setdefault(tok.lower_, tok)
            if tok.dep_ in _DEEPER:
                nxt.extend(c for c in tok.children if c.dep_ in _DEEPER)
        frontier = nxt
    return near
