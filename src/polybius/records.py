"""The record types: the one home of what flows through and out of the pipeline.

Records are frozen and slotted. Every record that points into a text carries character
offsets (``start``/``end``) into its article's text, so evidence can always be shown.
``Event.to_dict()`` is the v1 record contract of DESIGN.md: keys may be added, never renamed.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

__all__ = [
    "RECORD_VERSION",
    "Actor",
    "Article",
    "CodedArticle",
    "Evidence",
    "Event",
    "Failure",
    "Place",
    "article_id_for",
    "canonical_json",
    "content_hash",
    "normalise_text",
]

RECORD_VERSION = 1

# Characters that change nothing a reader sees but would change a content hash.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[^\S\n]+")
_NEWLINES = re.compile(r"\s*\n\s*")


def normalise_text(text: str) -> str:
    """NFC, invisible characters removed, runs of blanks folded, line ends unified.

    Paragraph breaks (blank lines) are kept as a single blank line so that offsets into the
    normalised text stay meaningful to a reader.
    """
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACES.sub(" ", text)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(_NEWLINES.sub(" ", p) for p in paragraphs if p)


def content_hash(*parts: str, length: int = 16) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


def article_id_for(text: str) -> str:
    """``art_`` + hash of the normalised text: the same story always gets the same id."""
    return "art_" + content_hash(normalise_text(text))


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class Article:
    """One news story. ``text`` is already normalised (see :func:`normalise_text`)."""

    id: str
    text: str
    source_id: str | None = None  # the id the input gave it, if any
    source: str | None = None  # outlet name
    url: str | None = None
    title: str | None = None
    author: str | None = None
    published: date | None = None  # the dateline date
    dateline_place: str | None = None  # "YEREVAN" in "YEREVAN, SEPTEMBER 8, ARMENPRESS."
    body_start: int = 0  # offset where the story proper starts, after a wire dateline
    language: str = "en"
    origin: str = ""  # where it was read from: "file.jsonl:12"

    @classmethod
    def from_text(cls, text: str, **fields: Any) -> Article:
        clean = normalise_text(text)
        return cls(id="art_" + content_hash(clean), text=clean, **fields)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source_id": self.source_id,
            "source": self.source,
            "url": self.url,
            "title": self.title,
            "author": self.author,
            "published": self.published.isoformat() if self.published else None,
            "dateline_place": self.dateline_place,
            "language": self.language,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts or is acted upon. ``start``/``end`` are offsets of ``text`` in the article."""

    text: str
    name: str
    country: str | None  # ISO alpha-3, or a PLOVER non-state code (IGO, NGO, MNC, ...)
    sectors: tuple[str, ...] = ()
    role: str | None = None
    code: str | None = None  # CAMEO-style: country + up to three type codes, "AZEGOVMIL"
    start: int = -1
    end: int = -1
    kind: str = "unknown"  # country | person | organisation | group | role | unknown
    context: tuple[str, ...] = ()  # e.g. host country of an ambassador: ("host:AZE",)
    link: str | None = None  # how a later mention was tied to its first one, for explain

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "name": self.name,
            "country": self.country,
            "sectors": list(self.sectors),
            "role": self.role,
            "code": self.code,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "context": list(self.context),
            "link": self.link,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Actor:
        return cls(
            text=d.get("text") or d.get("name") or "",
            name=d.get("name") or d.get("text") or "",
            country=d.get("country"),
            sectors=tuple(d.get("sectors") or ()),
            role=d.get("role"),
            code=d.get("code"),
            start=d.get("start", -1),
            end=d.get("end", -1),
            kind=d.get("kind", "unknown"),
            context=tuple(d.get("context") or ()),
            link=d.get("link"),
        )


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved place. ``basis``: text (the sentence ties it), dateline, or country."""

    name: str
    country: str | None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    precision: str = "city"  # city | admin1 | country | region
    basis: str = "text"  # text | dateline | country
    start: int = -1
    end: int = -1
    feature: str | None = None  # GeoNames feature code, "PPLC", ...

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "country": self.country,
            "admin1": self.admin1,
            "lat": self.lat,
            "lon": self.lon,
            "geonameid": self.geonameid,
            "precision": self.precision,
            "basis": self.basis,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Place:
        return cls(**{k: d[k] for k in _PLACE_KEYS if k in d})


_PLACE_KEYS = ("name", "country", "admin1", "lat", "lon", "geonameid", "precision", "basis")


@dataclass(frozen=True, slots=True)
class Evidence:
    sentence_index: int
    start: int  # sentence offsets in the article text
    end: int
    text: str
    trigger: str
    trigger_start: int = -1
    trigger_end: int = -1
    rule: str | None = None  # the lexicon line or rule that fired

    def to_dict(self) -> dict[str, Any]:
        return {
            "sentence_index": self.sentence_index,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "trigger": self.trigger,
            "trigger_start": self.trigger_start,
            "trigger_end": self.trigger_end,
            "rule": self.rule,
        }


@dataclass(frozen=True, slots=True)
class Event:
    """One coded event: the v1 record of DESIGN.md."""

    article_id: str
    actor: Actor | None
    recipient: Actor | None
    cameo: str  # always a string with its leading zero: "040"
    plover: str
    quad_class: int  # PLOVER convention: 1 verbal coop, 2 material coop, 3 verbal conf, 4 material conf
    goldstein: float
    evidence: Evidence
    date: date | None = None
    date_precision: str | None = None  # day | week | month | year
    date_basis: str = "unknown"  # text | dateline | unknown
    mode: str | None = None
    contexts: tuple[str, ...] = ()
    location: Place | None = None
    confidence: float = 0.5
    negated: bool = False
    hypothetical: bool = False
    source_id: str | None = None
    coder: str = ""
    id: str = field(default="")

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", self.compute_id())

    def compute_id(self) -> str:
        """Deterministic: article, sentence, trigger position and the codes."""
        parts = (
            self.article_id,
            str(self.evidence.sentence_index),
            str(self.evidence.trigger_start),
            self.cameo,
            (self.actor.code or self.actor.name) if self.actor else "",
            (self.recipient.code or self.recipient.name) if self.recipient else "",
        )
        return "ev_" + content_hash(*parts)

    def with_changes(self, **changes: Any) -> Event:
        changes.setdefault("id", "")
        return replace(self, **changes)

    @property
    def root(self) -> str:
        return self.cameo[:2]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "article_id": self.article_id,
            "source_id": self.source_id,
            "date": self.date.isoformat() if self.date else None,
            "date_precision": self.date_precision,
            "date_basis": self.date_basis,
            "actor": self.actor.to_dict() if self.actor else None,
            "recipient": self.recipient.to_dict() if self.recipient else None,
            "plover": self.plover,
            "mode": self.mode,
            "contexts": list(self.contexts),
            "cameo": self.cameo,
            "quad_class": self.quad_class,
            "goldstein": self.goldstein,
            "location": self.location.to_dict() if self.location else None,
            "evidence": self.evidence.to_dict(),
            "confidence": round(self.confidence, 3),
            "negated": self.negated,
            "hypothetical": self.hypothetical,
            "coder": self.coder,
            "version": RECORD_VERSION,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        ev = d["evidence"]
        return cls(
            id=d.get("id", ""),
            article_id=d["article_id"],
            source_id=d.get("source_id"),
            date=date.fromisoformat(d["date"]) if d.get("date") else None,
            date_precision=d.get("date_precision"),
            date_basis=d.get("date_basis", "unknown"),
            actor=Actor.from_dict(d["actor"]) if d.get("actor") else None,
            recipient=Actor.from_dict(d["recipient"]) if d.get("recipient") else None,
            plover=d["plover"],
            mode=d.get("mode"),
            contexts=tuple(d.get("contexts") or ()),
            cameo=d["cameo"],
            quad_class=d["quad_class"],
            goldstein=d["goldstein"],
            location=Place.from_dict(d["location"]) if d.get("location") else None,
            evidence=Evidence(**{k: ev[k] for k in ev if k in Evidence.__dataclass_fields__}),
            confidence=d.get("confidence", 0.5),
            negated=d.get("negated", False),
            hypothetical=d.get("hypothetical", False),
            coder=d.get("coder", ""),
        )


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that could not be read or coded: recorded, reported, and skipped."""

    code: str
    message: str
    origin: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class CodedArticle:
    """An article with its events, and the candidates that were dropped (for explain)."""

    article: Article
    events: tuple[Event, ...]
    dropped: tuple[dict[str, Any], ...] = ()
    warnings: tuple[str, ...] = ()
