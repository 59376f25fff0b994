"""The pipeline: read -> normalise -> nlp -> actors -> events -> when -> where.

``Coder`` composes the stages. Each stage is a separately testable object passed in through the
constructor (so tests can swap any of them); the defaults load the bundled data once.

The stages are plain objects over the spaCy ``Doc`` rather than registered spaCy components
because they need per-article context (the dateline, the source, the user's actor files) that
``nlp.pipe`` cannot hand to a component, and because a plain ``nlp.pipe`` over the stock model
is the speed baseline the benchmarks compare against.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from polybius import __version__
from polybius.records import Actor, Article, CodedArticle, Event, Evidence, Place

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from polybius.actors import ActorMentions, ActorResolver
    from polybius.events import Candidate, EventExtractor
    from polybius.where import Locator, PlaceContext

__all__ = ["CODER", "Analysis", "Coder"]

log = logging.getLogger(__name__)

CODER = f"polybius {__version__}"


class Coder:
    """Codes articles into events. Build once per process; it is cheap to call."""

    def __init__(
        self,
        *,
        nlp: Language | None = None,
        resolver: ActorResolver | None = None,
        extractor: EventExtractor | None = None,
        locator: Locator | None = None,
        batch_size: int = 32,
    ) -> None:
        if nlp is None:
            from polybius.nlp import load_model

            nlp = load_model()
        if resolver is None:
            from polybius.actors import ActorResolver

            resolver = ActorResolver()
        if extractor is None:
            from polybius.events import EventExtractor

            extractor = EventExtractor()
        if locator is None:
            from polybius.where import Locator

            locator = Locator()
        self.nlp = nlp
        self.resolver = resolver
        self.extractor = extractor
        self.locator = locator
        self.batch_size = batch_size

    @classmethod
    def with_actor_files(cls, paths: Iterable[str], **kwargs: Any) -> Coder:
        """A coder whose actor dictionary is extended by user files (``--actors FILE``)."""
        from polybius.actors import ActorDictionary, ActorResolver

        dictionary = ActorDictionary.bundled().extended(list(paths))
        return cls(resolver=ActorResolver(dictionary=dictionary), **kwargs)

    # -- public API ---------------------------------------------------------------------

    def code(self, article: Article) -> CodedArticle:
        """Code one article."""
        return self.code_doc(self.parse(article), article)

    def pipe(self, articles: Iterable[Article]) -> Iterator[CodedArticle]:
        """Code a stream of articles, parsing them in batches with ``nlp.pipe``."""
        pairs = ((self._tokenise(a), a) for a in articles)
        for doc, article in self.nlp.pipe(pairs, as_tuples=True, batch_size=self.batch_size):
            yield self.code_doc(doc, article)

    def parse(self, article: Article) -> Doc:
        """The parsed article, as the stages see it."""
        return self.nlp(self._tokenise(article))

    def _tokenise(self, article: Article) -> Doc:
        if not article.body_start:
            return self.nlp.make_doc(article.text)
        # The parser never sees a wire dateline ("UNITED NATIONS, April 17 —"): parsed with the
        # story, its place becomes the subject of the first sentence. Blanking it keeps every
        # character offset equal to the article's.
        head = article.text[: article.body_start]
        blanked = "".join(c if c.isspace() else " " for c in head)
        return self.nlp.make_doc(blanked + article.text[article.body_start :])

    def code_doc(self, doc: Doc, article: Article) -> CodedArticle:
        """Run every stage after nlp on an already parsed ``doc``."""
        return self.analyse(doc, article).coded

    def analyse(self, doc: Doc, article: Article) -> Analysis:
        """Every stage's output for one parsed article: what ``explain`` shows."""
        from polybius.ontology import cameo_entry
        from polybius.when import infer_tense, narrative_date, resolve_event_date

        mentions = self.resolver.resolve(doc, article)
        place_context = self.locator.article_context(doc, article, mentions)
        candidates = self.extractor.extract(doc, mentions, article, place_context.countries_at())
        events: list[Event] = []
        dropped: list[dict[str, Any]] = []
        seen: set[str] = set()
        last_dated = None  # the latest event whose date its own sentence stated
        doc_text = doc.text  # built once: Doc.text joins every token on each call
        for cand in candidates:
            if cand.dropped:
                dropped.append(_dropped_record(cand, cand.dropped))
                continue
            when = resolve_event_date(cand.sentence, cand.trigger, article.published, tense=cand.tense)
            if when.basis == "text" and when.precision == "day":
                last_dated = when
            else:
                when = narrative_date(when, last_dated, tense=cand.tense or infer_tense(cand.trigger))
            if when.basis == "historical":
                dropped.append(_dropped_record(cand, f"historical background ({when.text})"))
                continue
            entry = cameo_entry(cand.cameo)
            plover = cand.plover or entry.plover
            if not plover:
                # PLOVER has no type for CAMEO's neutral statements (01x): they are not events.
                dropped.append(_dropped_record(cand, f"CAMEO {entry.code} has no PLOVER type (neutral statement)"))
                continue
            location = self.locator.locate(cand.sentence, cand.trigger, article, place_context)
            recipient = _recipient_from_place(cand, location)
            sent = cand.sentence
            sent_start, sent_end = _trimmed(doc_text, sent.start_char, sent.end_char)
            event = Event(
                article_id=article.id,
                source_id=article.source_id,
                actor=cand.actor,
                recipient=recipient,
                cameo=entry.code,
                plover=plover,
                mode=cand.mode if cand.mode is not None else entry.mode,
                contexts=tuple(dict.fromkeys((*cand.contexts, *entry.contexts))),
                quad_class=entry.quad_class_for(plover),
                goldstein=entry.goldstein,
                evidence=Evidence(
                    sentence_index=cand.sentence_index,
                    start=sent_start,
                    end=sent_end,
                    text=article.text[sent_start:sent_end],
                    trigger=cand.trigger_text,
                    trigger_start=cand.trigger_start,
                    trigger_end=cand.trigger_end,
                    rule=cand.rule,
                ),
                date=when.date,
                date_precision=when.precision,
                date_basis=when.basis,
                location=location,
                confidence=cand.confidence,
                negated=cand.negated,
                hypothetical=cand.hypothetical,
                coder=CODER,
            )
            if event.id in seen:  # the same event found by two rules in one sentence
                continue
            seen.add(event.id)
            events.append(event)
        coded = CodedArticle(article=article, events=tuple(events), dropped=tuple(dropped))
        return Analysis(doc=doc, mentions=mentions, candidates=candidates, places=place_context, coded=coded)


@dataclass(frozen=True, slots=True)
class Analysis:
    """What each stage found in one article (the coded result included)."""

    doc: Doc
    mentions: ActorMentions
    candidates: list[Candidate]
    places: PlaceContext
    coded: CodedArticle


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without its surrounding blanks."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _recipient_from_place(cand: Candidate, location: Place | None) -> Actor | None:
    """The recipient, with what the sentence's own place tells about it: a domestic body of
    no known country (the government, the police, the army) at a place is that place's
    country's ("bombarded a government-held part of Aleppo"). Only a place the sentence
    itself ties to the event counts (basis "text")."""
    recipient = cand.recipient
    if recipient is None or location is None or location.basis != "text" or not location.country:
        return recipient
    if recipient.country is None and recipient.sectors and recipient.kind in ("role", "group"):
        country = location.country
        return replace(
            recipient,
            country=country,
            code=country + "".join(recipient.sectors[:3]),
            link=f"country of the place of the event ({location.name})",
        )
    return recipient


def _dropped_record(cand: Candidate, reason: str) -> dict[str, Any]:
    return {
        "sentence_index": cand.sentence_index,
        "trigger": cand.trigger_text,
        "cameo": cand.cameo,
        "rule": cand.rule,
        "reason": reason,
        "actor": cand.actor.name if cand.actor else None,
        "recipient": cand.recipient.name if cand.recipient else None,
    }
