"""Measure accuracy: read gold records, code their texts, and score the coder against them.

Three gold formats are read into one :class:`GoldRecord` type (see docs/GOLD_FORMAT.md):

- ``plover-gsr``: the PLOVER gold-standard records (one JSON array, sentences from the CAMEO
  manual coded in PLOVER 0.5b1; old type names are mapped to today's 16 types);
- ``petrarch``: the PETRARCH validation records as JSON Lines (``expected`` lists of
  source/target/CAMEO code). The unit-test suites use fictional actors (Arnor, Gondor) and
  are scored on the event code only;
- ``polybius``: our own JSON Lines gold, with evidence and ``must_not`` entries.

Scoring is a set of pure functions over gold records and :class:`PredictedEvent` lists, so it
is tested with hand-built inputs and no model. Within each record, predicted events are matched
to gold events greedily, best match first, separately for each measure:

- ``plover``: the PLOVER type;
- ``cameo_root``: the two-digit CAMEO root;
- ``plover_dyad``: the type and the actor's and recipient's countries, direction-aware except
  for the symmetric types (CONSULT, COOPERATE, AGREE), which may be either way round;
- ``dyad``: the actor's and recipient's countries alone.

In our own format a gold event that quotes its evidence is matched only by an event coded from
the sentence holding the quote.

A gold field that the gold does not state (an event with no ``actor`` key) matches anything;
a field stated as null (PETRARCH's ``---``, a PLOVER record without a target) must be null.
On the events matched on everything they share (the primary alignment), the accuracy of actor
country, recipient country, CAMEO code, date and location country is reported over the matched
events whose gold states that field.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from polybius.errors import DataError, GoldError
from polybius.ontology import PLOVER_TYPES, cameo_entry, is_symmetric, normalise_cameo

if TYPE_CHECKING:
    from polybius.pipeline import Coder
    from polybius.records import Event

__all__ = [
    "FORMATS",
    "MEASURES",
    "Accuracy",
    "GoldEvent",
    "GoldRecord",
    "PredictedEvent",
    "RecordErrors",
    "Report",
    "Score",
    "check_floors",
    "detect_format",
    "evaluate_file",
    "flat_scores",
    "gold_country",
    "greedy_match",
    "load_floors",
    "pin_floors",
    "predict",
    "read_gold",
    "score_record",
    "score_records",
    "similarity",
]

log = logging.getLogger(__name__)

FORMATS = ("plover-gsr", "petrarch", "polybius")
MEASURES = ("plover", "cameo_root", "plover_dyad", "dyad")
ACCURACY_FIELDS = ("actor_country", "recipient_country", "cameo_code", "date", "location_country")

# PLOVER 0.5b1 names used by the gold-standard records -> today's types (and the mode implied).
OLD_PLOVER_NAMES = {
    "DEMAND": ("REQUEST", None),
    "DISAPPROVE": ("ACCUSE", None),
    "INVESTIGATE": ("ACCUSE", "investigate"),
    "FIGHT": ("ASSAULT", None),
}
# Codes that stand in the country slot for non-state actors (PLOVER); UN and EU are IGOs here.
NON_STATE = {
    "IGO": "IGO",
    "NGO": "NGO",
    "MNC": "MNC",
    "IMG": "IMG",
    "ISM": "ISM",
    "UNO": "IGO",
    "EUR": "IGO",
}
# Country codes of CAMEO dictionaries and of the benchmark files that are not ISO 3166 alpha-3.
COUNTRY_ALIASES = {
    "JAP": "JPN",
    "ITL": "ITA",
    "ROM": "ROU",
    "ZAR": "COD",
    "TMP": "TLS",
    "KSV": "XKX",
}
EXTRA_COUNTRIES = {"XKX"}  # Kosovo: no ISO code, but the user-assigned one everybody uses

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_COUNTRY = re.compile(r"^[A-Z]{3}$")


# -- records -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoldEvent:
    """One expected event (or one ``must_not`` entry). Countries are ISO alpha-3 or IGO/NGO/...

    ``given`` names the fields among actor, recipient, date and location that the gold states;
    a field not given matches anything, a field given as ``None`` must be absent.
    """

    plover: str | None = None  # None: unknown (a non-CAMEO code); "": an event PLOVER does not code
    cameo: str | None = None
    actor: str | None = None
    recipient: str | None = None
    date: date | None = None
    location: str | None = None
    mode: str | None = None
    actor_name: str | None = None
    recipient_name: str | None = None
    evidence: str | None = None
    why: str | None = None
    given: frozenset[str] = frozenset()

    def describe(self) -> str:
        return _describe(self.plover, self.cameo, self.actor, self.recipient)


@dataclass(frozen=True, slots=True)
class GoldRecord:
    id: str
    text: str
    date: date | None
    events: tuple[GoldEvent, ...] = ()
    must_not: tuple[GoldEvent, ...] = ()
    title: str | None = None
    source: str | None = None
    format: str = "polybius"
    origin: str = ""
    score_actors: bool = True  # False for the fictional-actor unit tests: event codes only


@dataclass(frozen=True, slots=True)
class PredictedEvent:
    """What scoring needs of a coded event (build by hand in tests, or from an Event)."""

    plover: str
    cameo: str
    actor: str | None = None
    recipient: str | None = None
    date: date | None = None
    location: str | None = None
    evidence: str = ""
    trigger: str = ""  # the words that fired, when known

    @classmethod
    def from_event(cls, event: Event) -> PredictedEvent:
        return cls(
            plover=event.plover,
            cameo=event.cameo,
            actor=event.actor.country if event.actor else None,
            recipient=event.recipient.country if event.recipient else None,
            date=event.date,
            location=event.location.country if event.location else None,
            evidence=event.evidence.text,
            trigger=event.evidence.trigger,
        )

    def describe(self) -> str:
        return _describe(self.plover, self.cameo, self.actor, self.recipient)


def _describe(
    plover: str | None, cameo: str | None, actor: str | None, recipient: str | None
) -> str:
    return f"{plover or '-'} {cameo or '---'} {actor or '-'} -> {recipient or '-'}"


# -- countries -----------------------------------------------------------------------------


def _is_iso3(code: str) -> bool:
    import pycountry  # a few ms, and only when gold is read

    return code in EXTRA_COUNTRIES or pycountry.countries.get(alpha_3=code) is not None


def gold_country(code: str | None) -> str | None:
    """The country slot of a benchmark actor code: ``GUYJUD`` -> GUY, ``IGOUNO`` -> IGO.

    The first three letters count when they are an ISO alpha-3 code (or a known CAMEO alias of
    one, or a non-state code); anything else (``GOV``, ``---``, ``REB``) has no country.
    """
    if not code:
        return None
    head = code.strip().upper()[:3]
    if len(head) < 3 or not head.isalpha():
        return None
    if head in NON_STATE:
        return NON_STATE[head]
    head = COUNTRY_ALIASES.get(head, head)
    return head if _is_iso3(head) else None


def _iso2_to_iso3(code: str | None) -> str | None:
    if not code:
        return None
    import pycountry

    country = pycountry.countries.get(alpha_2=code.strip().upper())
    return country.alpha_3 if country else None


# -- readers -------------------------------------------------------------------------------


def detect_format(path: Path | str) -> str:
    """``plover-gsr``, ``petrarch`` or ``polybius`` from the file's first record; else E081."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8") as fh:
            head = fh.read(65536)
    except (OSError, UnicodeDecodeError) as err:
        raise GoldError("E081", path=str(path)) from err
    stripped = head.lstrip()
    if stripped.startswith("["):
        if '"textInfo"' in head or '"eventText"' in head:
            return "plover-gsr"
        raise GoldError("E081", path=str(path))
    first = next((line for line in head.splitlines() if line.strip()), "")
    try:
        record = json.loads(first)
    except json.JSONDecodeError as err:
        raise GoldError("E081", path=str(path)) from err
    if isinstance(record, dict):
        if "expected" in record:
            return "petrarch"
        if "events" in record or "must_not" in record:
            return "polybius"
    raise GoldError("E081", path=str(path))


def read_gold(path: Path | str, *, fmt: str = "auto", limit: int | None = None) -> list[GoldRecord]:
    """Read a gold file in ``fmt`` (or the detected format); malformed records -> E080."""
    path = Path(path)
    if not path.exists():
        raise GoldError("E080", detail="no such file", where=str(path))
    if fmt == "auto":
        fmt = detect_format(path)
    readers: dict[str, Callable[[Path], Iterator[GoldRecord]]] = {
        "plover-gsr": _read_plover_gsr,
        "petrarch": _read_petrarch,
        "polybius": _read_polybius,
    }
    if fmt not in readers:
        raise GoldError("E081", path=str(path))
    records: list[GoldRecord] = []
    for record in readers[fmt](path):
        records.append(record)
        if limit is not None and len(records) >= limit:
            break
    log.info("read %d gold records (%s) from %s", len(records), fmt, path)
    return records


def _bad(detail: str, where: str) -> GoldError:
    return GoldError("E080", detail=detail, where=where)


def _parse_date(value: Any, where: str, *, compact: bool = False) -> date | None:
    """YYYY-MM-DD; with ``compact``, also PETRARCH's YYYYMMDD and TABARI's YYMMDD."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise _bad(f"date {value!r} is not a string", where)
    text = value.strip()
    if compact and re.fullmatch(r"\d{6}", text):  # TABARI's YYMMDD: 1950-2049
        text = ("20" if int(text[:2]) < 50 else "19") + text
    if compact and re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    if not _ISO_DATE.match(text):
        raise _bad(f"date {value!r} is not YYYY-MM-DD", where)
    try:
        return date.fromisoformat(text)
    except ValueError as err:
        raise _bad(f"date {value!r} does not exist", where) from err


def _cameo_and_plover(code: Any, where: str, *, strict: bool) -> tuple[str | None, str | None]:
    """A gold CAMEO code and the PLOVER type it implies (None for codes outside CAMEO)."""
    if code is None or code == "":
        return None, None
    text = str(code).strip()
    try:
        normal = normalise_cameo(text)
    except DataError as err:
        if strict:
            raise _bad(f"unknown CAMEO code {text!r}", where) from err
        return text, None  # WEIS pseudo-codes of the PETRARCH unit tests: compared as text
    return normal, cameo_entry(normal).plover


def _read_plover_gsr(path: Path) -> Iterator[GoldRecord]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise _bad(f"not a JSON document: {err}", str(path)) from err
    if not isinstance(data, list):
        raise _bad("expected a JSON array of records", str(path))
    for index, item in enumerate(data):
        where = f"{path}: record {index}"
        if not isinstance(item, dict):
            raise _bad("record is not an object", where)
        rid = str(item.get("id") or f"record-{index}")
        where = f"{path}: record {index} (id {rid})"
        event = item.get("event")
        if event == "DOCUMENT":
            continue
        text = item.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _bad("no 'text'", where)
        if not isinstance(event, str):
            raise _bad("no 'event'", where)
        name = event.strip().upper()
        plover, implied_mode = OLD_PLOVER_NAMES.get(name, (name, None))
        if plover not in PLOVER_TYPES:
            raise _bad(f"unknown PLOVER type {event!r}", where)
        mode = item.get("mode") or implied_mode or None
        sources = _gsr_countries(item.get("source"), where)
        targets = _gsr_countries(item.get("target"), where)
        markup = (
            (item.get("textInfo") or {}).get("markup", "")
            if isinstance(item.get("textInfo"), dict)
            else ""
        )
        loc = item.get("eventLoc")
        location = _iso2_to_iso3(loc.get("country code")) if isinstance(loc, dict) else None
        given = frozenset({"actor", "recipient"} | ({"location"} if location else set()))
        pairs = _gsr_pairs(sources, targets, joint="SRC/TAR" in markup)
        events = tuple(
            GoldEvent(
                plover=plover,
                actor=actor,
                recipient=recipient,
                location=location,
                mode=mode,
                evidence=item.get("eventText") or None,
                given=given,
            )
            for actor, recipient in pairs
        )
        yield GoldRecord(
            id=rid,
            text=text.strip(),
            date=_parse_date(item.get("date"), where),
            events=events,
            source=item.get("publication"),
            format="plover-gsr",
            origin=where,
        )


def _gsr_countries(actors: Any, where: str) -> list[str | None]:
    """Countries of a GSR source/target list, in order (repeats kept: two SDN actors)."""
    if not isinstance(actors, list):
        return []  # missing, "", or a stray string ("diplomatic") in the file: no actor
    out: list[str | None] = []
    for actor in actors:
        if not isinstance(actor, dict):
            raise _bad(f"actor {actor!r} is not an object", where)
        out.append(gold_country(actor.get("code")))
    return out


def _gsr_pairs(
    sources: list[str | None], targets: list[str | None], *, joint: bool
) -> list[tuple[str | None, str | None]]:
    """Expand a GSR record's actor lists into distinct (actor, recipient) pairs.

    "(SRC/TAR: Hungarian) and (SRC/TAR: Romanian) officials agreed" with no target list is a
    joint event between the sources; otherwise every source acts on every target. Domestic
    pairs (Sudan's government and the SPLM/A: SDN, SDN) are kept.
    """
    if not sources:
        sources = [None]
    if not targets:
        if joint and len(sources) > 1:
            pairs = [(a, b) for i, a in enumerate(sources) for b in sources[i + 1 :]]
        else:
            pairs = [(s, None) for s in sources]
    else:
        pairs = [(s, t) for s in sources for t in targets]
    return list(dict.fromkeys(pairs))


def _json_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        fh = path.open(encoding="utf-8")
    except OSError as err:
        raise _bad(f"cannot read: {err}", str(path)) from err
    with fh:
        number = 0
        try:
            for number, line in enumerate(fh, start=1):  # noqa: B007 - used after the loop on error
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as err:
                    raise _bad(f"not JSON: {err.msg}", f"{path}:{number}") from err
                if not isinstance(record, dict):
                    raise _bad("line is not a JSON object", f"{path}:{number}")
                yield number, record
        except UnicodeDecodeError as err:
            raise _bad(f"not UTF-8: {err.reason}", f"{path}:{number + 1}") from err


def _read_petrarch(path: Path) -> Iterator[GoldRecord]:
    for number, item in _json_lines(path):
        rid = str(item.get("id") or f"line-{number}")
        where = f"{path}:{number} (id {rid})"
        if item.get("evaluate") is False:
            continue
        text = item.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _bad("no 'text'", where)
        expected = item.get("expected")
        if not isinstance(expected, list):
            raise _bad("'expected' is not a list", where)
        # The unit-test suites code fictional states (Arnor=ARN); only real news has countries.
        fictional = item.get("source_file", "") != "PETR2_GSR_validation.xml"
        events: list[GoldEvent] = []
        if not item.get("no_events") and not item.get("expect_error"):
            for coding in expected:
                if not isinstance(coding, dict) or "code" not in coding:
                    raise _bad(f"expected event {coding!r} has no 'code'", where)
                cameo, plover = _cameo_and_plover(coding["code"], where, strict=False)
                events.append(
                    GoldEvent(
                        # the unit tests' codes are largely WEIS, not CAMEO: no type to derive
                        plover=None if fictional else plover,
                        cameo=cameo,
                        actor=None if fictional else gold_country(coding.get("source")),
                        recipient=None if fictional else gold_country(coding.get("target")),
                        actor_name=coding.get("source"),
                        recipient_name=coding.get("target"),
                        given=frozenset() if fictional else frozenset({"actor", "recipient"}),
                    )
                )
        yield GoldRecord(
            id=rid,
            text=text.strip(),
            date=_parse_date(item.get("date"), where, compact=True),
            events=tuple(events),
            source=item.get("source_file"),
            format="petrarch",
            origin=where,
            score_actors=not fictional,
        )


def _read_polybius(path: Path) -> Iterator[GoldRecord]:
    seen: set[str] = set()
    for number, item in _json_lines(path):
        rid = item.get("id")
        where = f"{path}:{number}" + (f" (id {rid})" if rid else "")
        if not isinstance(rid, str) or not rid:
            raise _bad("no 'id'", where)
        if rid in seen:
            raise _bad(f"duplicate id {rid!r}", where)
        seen.add(rid)
        text = item.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _bad("no 'text'", where)
        events = item.get("events", [])
        must_not = item.get("must_not", [])
        if not isinstance(events, list) or not isinstance(must_not, list):
            raise _bad("'events' and 'must_not' must be lists", where)
        yield GoldRecord(
            id=rid,
            text=text,
            date=_parse_date(item.get("date"), where),
            events=tuple(_our_event(e, f"{where} event {i}") for i, e in enumerate(events)),
            must_not=tuple(_our_event(e, f"{where} must_not {i}") for i, e in enumerate(must_not)),
            title=item.get("title"),
            source=item.get("source"),
            format="polybius",
            origin=where,
        )


def _our_party(value: Any, role: str, where: str) -> tuple[bool, str | None, str | None]:
    """(given, country, name) of an actor or recipient object of our gold format."""
    if value is None:
        return True, None, None
    if not isinstance(value, dict):
        raise _bad(f"'{role}' must be an object or null", where)
    name = value.get("name")
    if "country" not in value:
        return False, None, name
    country = value["country"]
    if country is not None and (not isinstance(country, str) or not _COUNTRY.match(country)):
        raise _bad(f"{role} country {country!r} is not a 3-letter upper-case code", where)
    return True, country, name


def _our_event(item: Any, where: str) -> GoldEvent:
    if not isinstance(item, dict):
        raise _bad("event is not an object", where)
    plover = item.get("plover")
    if not isinstance(plover, str) or plover.strip().upper() not in PLOVER_TYPES:
        raise _bad(f"'plover' must be one of the 16 PLOVER types, not {plover!r}", where)
    cameo, _ = _cameo_and_plover(item.get("cameo"), where, strict=True)
    given: set[str] = set()
    actor_given, actor, actor_name = (False, None, None)
    if "actor" in item:
        actor_given, actor, actor_name = _our_party(item["actor"], "actor", where)
    recipient_given, recipient, recipient_name = (False, None, None)
    if "recipient" in item:
        recipient_given, recipient, recipient_name = _our_party(
            item["recipient"], "recipient", where
        )
    if actor_given:
        given.add("actor")
    if recipient_given:
        given.add("recipient")
    when = None
    if "date" in item:
        when = _parse_date(item["date"], where)
        if when is not None:
            given.add("date")
    location = None
    if "location" in item:
        loc = item["location"]
        if loc is None:
            given.add("location")
        elif isinstance(loc, dict):
            if "country" in loc:
                country = loc["country"]
                if country is not None and (
                    not isinstance(country, str) or not _COUNTRY.match(country)
                ):
                    raise _bad(f"location country {country!r} is not a 3-letter code", where)
                location = country
                given.add("location")
        else:
            raise _bad("'location' must be an object or null", where)
    evidence = item.get("evidence")
    if evidence is not None and not isinstance(evidence, dict):
        raise _bad("'evidence' must be an object", where)
    return GoldEvent(
        plover=plover.strip().upper(),
        cameo=cameo,
        actor=actor,
        recipient=recipient,
        date=when,
        location=location,
        mode=item.get("mode"),
        actor_name=actor_name,
        recipient_name=recipient_name,
        evidence=(evidence or {}).get("text"),
        why=item.get("why"),
        given=frozenset(given),
    )


# -- matching ------------------------------------------------------------------------------


def _agrees(gold: GoldEvent, name: str, value: str | None) -> bool:
    """A gold field not stated matches anything; a stated one (even null) must be equal."""
    if name not in gold.given:
        return True
    return bool(getattr(gold, name) == value)


def _dyad_orientation(gold: GoldEvent, pred: PredictedEvent) -> str | None:
    """``straight`` or ``swapped`` when the countries agree (swapped only for symmetric types)."""
    if _agrees(gold, "actor", pred.actor) and _agrees(gold, "recipient", pred.recipient):
        return "straight"
    symmetric = bool(gold.plover) and is_symmetric(gold.plover or "")
    if (
        symmetric
        and _agrees(gold, "actor", pred.recipient)
        and _agrees(gold, "recipient", pred.actor)
    ):
        return "swapped"
    return None


def _same_type(gold: GoldEvent, pred: PredictedEvent) -> bool:
    return bool(gold.plover) and gold.plover == pred.plover


def _same_root(gold: GoldEvent, pred: PredictedEvent) -> bool:
    return gold.cameo is not None and gold.cameo[:2] == pred.cameo[:2]


_CRITERIA: dict[str, Callable[[GoldEvent, PredictedEvent], bool]] = {
    "plover": _same_type,
    "cameo_root": _same_root,
    "plover_dyad": lambda g, p: _same_type(g, p) and _dyad_orientation(g, p) is not None,
    "dyad": lambda g, p: _dyad_orientation(g, p) is not None,
}


def similarity(gold: GoldEvent, pred: PredictedEvent) -> float:
    """How well a prediction fits a gold event; orders the greedy matching (best first)."""
    score = 0.0
    if _same_type(gold, pred):
        score += 4
    if _same_root(gold, pred):
        score += 2
        if gold.cameo == pred.cameo:
            score += 1
    orientation = _dyad_orientation(gold, pred)
    if orientation is not None:
        score += 2 if orientation == "straight" else 1.5
    if "date" in gold.given and gold.date == pred.date:
        score += 0.5
    if "location" in gold.given and gold.location == pred.location:
        score += 0.5
    return score


def _same_sentence(gold: GoldEvent, pred: PredictedEvent) -> bool:
    """A gold event that quotes its evidence is matched only by an event coded from the
    sentence holding that quote: an event of the right type found in the wrong sentence is
    a miss and an extra, not a hit."""
    if not gold.evidence or not pred.evidence:
        return True
    return " ".join(gold.evidence.split()) in " ".join(pred.evidence.split())


def _eligible(record: GoldRecord, measure: str) -> Callable[[GoldEvent, PredictedEvent], bool]:
    """The measure's criterion; for multi-sentence gold that quotes its evidence (our own
    format), also the same sentence. (The PLOVER records are one sentence each, and their
    ``eventText`` paraphrases rather than quotes.)"""
    criterion = _primary if measure == "primary" else _CRITERIA[measure]
    if record.format != "polybius":
        return criterion
    return lambda g, p: criterion(g, p) and _same_sentence(g, p)


def greedy_match(
    gold: Sequence[GoldEvent],
    predicted: Sequence[PredictedEvent],
    eligible: Callable[[GoldEvent, PredictedEvent], bool],
) -> list[tuple[int, int]]:
    """Pairs (gold index, predicted index), each used once, best :func:`similarity` first."""
    candidates = [
        (-similarity(g, p), gi, pi)
        for gi, g in enumerate(gold)
        for pi, p in enumerate(predicted)
        if eligible(g, p)
    ]
    candidates.sort()
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, gi, pi in candidates:
        if gi in used_gold or pi in used_pred:
            continue
        used_gold.add(gi)
        used_pred.add(pi)
        pairs.append((gi, pi))
    return sorted(pairs)


def _primary(gold: GoldEvent, pred: PredictedEvent) -> bool:
    """Pairs worth aligning for the field accuracies: same type or same CAMEO root."""
    return _same_type(gold, pred) or _same_root(gold, pred)


# -- scores --------------------------------------------------------------------------------


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


@dataclass(slots=True)
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": _round(self.precision),
            "recall": _round(self.recall),
            "f1": _round(self.f1),
        }


@dataclass(slots=True)
class Accuracy:
    correct: int = 0
    total: int = 0

    @property
    def accuracy(self) -> float | None:
        return _ratio(self.correct, self.total)

    def count(self, ok: bool) -> None:
        self.total += 1
        self.correct += int(ok)

    def to_dict(self) -> dict[str, Any]:
        return {"correct": self.correct, "total": self.total, "accuracy": _round(self.accuracy)}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


@dataclass(slots=True)
class RecordErrors:
    """What one record got wrong, for ``--show-errors``."""

    id: str
    text: str
    misses: list[GoldEvent] = field(default_factory=list)
    extras: list[PredictedEvent] = field(default_factory=list)
    wrong: list[tuple[GoldEvent, PredictedEvent, list[str]]] = field(default_factory=list)
    violations: list[tuple[GoldEvent, PredictedEvent]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.misses or self.extras or self.wrong or self.violations)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "misses": [g.describe() for g in self.misses],
            "extras": [{"event": p.describe(), "evidence": p.evidence} for p in self.extras],
            "wrong": [
                {"gold": g.describe(), "predicted": p.describe(), "fields": fields}
                for g, p, fields in self.wrong
            ],
            "must_not_violations": [
                {
                    "must_not": g.describe(),
                    "why": g.why,
                    "predicted": p.describe(),
                    "evidence": p.evidence,
                }
                for g, p in self.violations
            ],
        }


@dataclass(slots=True)
class Report:
    """Scores over a set of records; ``to_dict()`` is the ``--json`` output (keys only added)."""

    records: int = 0
    gold_events: int = 0
    predicted_events: int = 0
    failures: int = 0
    measures: dict[str, Score] = field(default_factory=lambda: {m: Score() for m in MEASURES})
    in_scope: Counter[str] = field(default_factory=Counter)  # records each measure was scored on
    accuracy: dict[str, Accuracy] = field(
        default_factory=lambda: {f: Accuracy() for f in ACCURACY_FIELDS}
    )
    per_type: dict[str, Score] = field(default_factory=lambda: {t: Score() for t in PLOVER_TYPES})
    must_not_entries: int = 0
    must_not_violated: int = 0
    petrarch: dict[str, int] = field(default_factory=Counter)
    errors: list[RecordErrors] = field(default_factory=list)

    def add(self, other: Report) -> None:
        self.records += other.records
        self.gold_events += other.gold_events
        self.predicted_events += other.predicted_events
        self.failures += other.failures
        for name in MEASURES:
            self.measures[name].add(other.measures[name])
        self.in_scope.update(other.in_scope)
        for name in ACCURACY_FIELDS:
            self.accuracy[name].correct += other.accuracy[name].correct
            self.accuracy[name].total += other.accuracy[name].total
        for name in PLOVER_TYPES:
            self.per_type[name].add(other.per_type[name])
        self.must_not_entries += other.must_not_entries
        self.must_not_violated += other.must_not_violated
        for key, value in other.petrarch.items():
            self.petrarch[key] = self.petrarch.get(key, 0) + value
        self.errors.extend(other.errors)

    @property
    def must_not_clean(self) -> float | None:
        """Share of must-not entries that no prediction violated (higher is better)."""
        return _ratio(self.must_not_entries - self.must_not_violated, self.must_not_entries)

    def petrarch_figures(self) -> dict[str, Any] | None:
        p = self.petrarch
        if not p.get("records"):
            return None
        return {
            "records": p["records"],
            "expected": p["expected"],
            "found": p["found"],
            "found_share": _round(_ratio(p["found"], p["expected"])),
            "predicted": p["predicted"],
            "extra": p["extra"],
            "extra_share": _round(_ratio(p["extra"], p["predicted"])),
            "records_exact": p["exact"],
            "records_exact_share": _round(_ratio(p["exact"], p["records"])),
        }

    def to_dict(self, *, errors: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "records": self.records,
            "gold_events": self.gold_events,
            "predicted_events": self.predicted_events,
            "failures": self.failures,
            "measures": {
                name: {**score.to_dict(), "records": self.in_scope[name]}
                for name, score in self.measures.items()
            },
            "accuracy": {name: acc.to_dict() for name, acc in self.accuracy.items()},
            "per_type": {
                name: {
                    **score.to_dict(),
                    "gold": score.tp + score.fn,
                    "predicted": score.tp + score.fp,
                }
                for name, score in self.per_type.items()
                if score.tp or score.fp or score.fn
            },
            "must_not": {
                "entries": self.must_not_entries,
                "violated": self.must_not_violated,
                "clean": _round(self.must_not_clean),
            },
            "petrarch": self.petrarch_figures(),
        }
        if errors:
            out["errors"] = [e.to_dict() for e in self.errors if e]
        return out


def _in_scope(record: GoldRecord, measure: str) -> bool:
    """Whether ``measure`` can be scored on ``record`` (its gold states what it needs)."""
    if not record.score_actors:
        return measure == "cameo_root"  # the fictional-actor unit tests: event code only
    if measure in ("plover", "plover_dyad") and any(e.plover is None for e in record.events):
        return False  # a code outside CAMEO: no type to compare with
    return not (measure == "cameo_root" and any(e.cameo is None for e in record.events))


def _typed(events: Sequence[Any]) -> list[int]:
    """Indices of events that have a PLOVER type (PLOVER does not code bare statements)."""
    return [i for i, e in enumerate(events) if e.plover]


def score_record(record: GoldRecord, predicted: Sequence[PredictedEvent]) -> Report:
    """Score one record's predictions against its gold (pure; see the module docstring)."""
    report = Report(records=1, gold_events=len(record.events), predicted_events=len(predicted))
    errors = RecordErrors(id=record.id, text=record.text)
    gold = list(record.events)
    matches: dict[str, list[tuple[int, int]]] = {}
    for measure in MEASURES:
        if not _in_scope(record, measure):
            continue
        report.in_scope[measure] += 1
        if measure in ("plover", "plover_dyad"):
            g_idx, p_idx = _typed(gold), _typed(predicted)
        else:
            g_idx, p_idx = list(range(len(gold))), list(range(len(predicted)))
        g_sub = [gold[i] for i in g_idx]
        p_sub = [predicted[i] for i in p_idx]
        pairs = [(g_idx[a], p_idx[b]) for a, b in greedy_match(g_sub, p_sub, _eligible(record, measure))]
        matches[measure] = pairs
        score = report.measures[measure]
        score.tp += len(pairs)
        score.fn += len(g_sub) - len(pairs)
        score.fp += len(p_sub) - len(pairs)
        if measure == "plover":
            matched_g = {g for g, _ in pairs}
            matched_p = {p for _, p in pairs}
            for i in g_idx:
                ptype = gold[i].plover or ""
                if ptype in report.per_type:
                    report.per_type[ptype].tp += int(i in matched_g)
                    report.per_type[ptype].fn += int(i not in matched_g)
            for i in p_idx:
                if i not in matched_p and predicted[i].plover in report.per_type:
                    report.per_type[predicted[i].plover].fp += 1

    # misses and extras, for --show-errors: by type where the record has types, else by root
    basis = "plover" if "plover" in matches else "cameo_root" if "cameo_root" in matches else None
    if basis:
        pairs = matches[basis]
        matched_g = {g for g, _ in pairs}
        matched_p = {p for _, p in pairs}
        indices_g = _typed(gold) if basis == "plover" else range(len(gold))
        indices_p = _typed(predicted) if basis == "plover" else range(len(predicted))
        errors.misses = [gold[i] for i in indices_g if i not in matched_g]
        errors.extras = [predicted[i] for i in indices_p if i not in matched_p]

    # field accuracies on the primary alignment
    for gi, pi in greedy_match(gold, predicted, _eligible(record, "primary")):
        g, p = gold[gi], predicted[pi]
        wrong: list[str] = []
        if record.score_actors:
            swapped = _dyad_orientation(g, p) == "swapped"
            actor, recipient = (p.recipient, p.actor) if swapped else (p.actor, p.recipient)
            for name, gname, value in (
                ("actor_country", "actor", actor),
                ("recipient_country", "recipient", recipient),
            ):
                if gname in g.given:
                    ok = getattr(g, gname) == value
                    report.accuracy[name].count(ok)
                    if not ok:
                        wrong.append(name)
        if g.cameo is not None:
            report.accuracy["cameo_code"].count(g.cameo == p.cameo)
        if "date" in g.given:
            ok = g.date == p.date
            report.accuracy["date"].count(ok)
            if not ok:
                wrong.append("date")
        if "location" in g.given:
            ok = g.location == p.location
            report.accuracy["location_country"].count(ok)
            if not ok:
                wrong.append("location_country")
        if wrong:
            errors.wrong.append((g, p, wrong))

    # must-not entries: a prediction of the forbidden type between the forbidden parties
    for entry in record.must_not:
        report.must_not_entries += 1
        hits = [p for p in predicted if _violates(entry, p)]
        if hits:
            report.must_not_violated += 1
            errors.violations.extend((entry, p) for p in hits)

    if record.format == "petrarch":
        _petrarch_figures(record, predicted, report)
    report.errors.append(errors)
    return report


def _violates(entry: GoldEvent, pred: PredictedEvent) -> bool:
    """A predicted event is what a must-not entry forbids: same type and dyad, and, when the
    entry quotes its sentence, coded from that sentence (the same dyad and type may be a
    true event elsewhere in the story)."""
    if entry.plover and entry.plover != pred.plover:
        return False
    if entry.evidence and pred.evidence and entry.evidence not in pred.evidence:
        return False
    if entry.evidence and pred.trigger and not _trigger_in(pred.trigger, entry.evidence):
        return False  # another event of that sentence ("condemned ... and said it would file")
    if entry.cameo and not pred.cameo.startswith(entry.cameo):
        return False
    return _dyad_orientation(entry, pred) is not None


def _trigger_in(trigger: str, quote: str) -> bool:
    """The trigger's first word is in the quoted words (a trigger shown as "X ... Y" spans a
    frame and its event; its first word names it)."""
    first = trigger.split()[0] if trigger.split() else ""
    return not first or first.lower() in quote.lower().split()


def _petrarch_figures(
    record: GoldRecord, predicted: Sequence[PredictedEvent], report: Report
) -> None:
    """UD-PETRARCH's validation figures: expected (source, target, root) triples found, extras."""

    def triple(country_a: str | None, country_b: str | None, code: str | None) -> tuple[Any, ...]:
        root = (code or "")[:2]
        return (country_a, country_b, root) if record.score_actors else (root,)

    gold = Counter(triple(e.actor, e.recipient, e.cameo) for e in record.events)
    pred = Counter(triple(p.actor, p.recipient, p.cameo) for p in predicted)
    found = sum((gold & pred).values())
    p = report.petrarch
    p["records"] = p.get("records", 0) + 1
    p["expected"] = p.get("expected", 0) + sum(gold.values())
    p["found"] = p.get("found", 0) + found
    p["predicted"] = p.get("predicted", 0) + sum(pred.values())
    p["extra"] = p.get("extra", 0) + sum(pred.values()) - found
    p["exact"] = p.get("exact", 0) + int(gold == pred)


def score_records(pairs: Iterable[tuple[GoldRecord, Sequence[PredictedEvent]]]) -> Report:
    """Sum :func:`score_record` over (record, predictions) pairs."""
    total = Report()
    for record, predicted in pairs:
        total.add(score_record(record, predicted))
    return total


# -- coding --------------------------------------------------------------------------------


def predict(
    records: Sequence[GoldRecord], *, coder: Coder | None = None, batch_size: int = 64
) -> tuple[list[list[PredictedEvent]], int]:
    """Code each record's text (its date as the dateline); (predictions per record, failures).

    A record that breaks the coder is logged, counted, and scored as predicting nothing.
    """
    from polybius.errors import PolybiusError
    from polybius.read import article_from_text

    if coder is None:
        from polybius.pipeline import Coder

        coder = Coder()
    articles = [
        article_from_text(
            r.text,
            published=r.date,
            source_id=r.id,
            title=r.title,
            source=r.source,
            origin=r.origin,
        )
        for r in records
    ]
    out: list[list[PredictedEvent]] = []
    failures = 0
    for start in range(0, len(articles), batch_size):
        batch = articles[start : start + batch_size]
        try:
            coded = list(coder.pipe(batch))
        except (PolybiusError, ValueError, KeyError, IndexError, AttributeError, TypeError) as err:
            log.warning("batch at record %d failed (%s); coding it one by one", start, err)
            coded = []
            for article in batch:
                try:
                    coded.append(coder.code(article))
                except (
                    PolybiusError,
                    ValueError,
                    KeyError,
                    IndexError,
                    AttributeError,
                    TypeError,
                ) as one:
                    log.warning("could not code %s: %s", article.origin or article.source_id, one)
                    failures += 1
                    coded.append(None)  # type: ignore[arg-type]
        for item in coded:
            out.append([] if item is None else [PredictedEvent.from_event(e) for e in item.events])
    return out, failures


def evaluate_file(
    path: Path | str,
    *,
    fmt: str = "auto",
    coder: Coder | None = None,
    limit: int | None = None,
) -> Report:
    """Read a gold file, code its records and score them."""
    records = read_gold(path, fmt=fmt, limit=limit)
    predictions, failures = predict(records, coder=coder)
    report = score_records(zip(records, predictions, strict=True))
    report.failures = failures
    return report


# -- floors --------------------------------------------------------------------------------


def flat_scores(report: Report) -> dict[str, float]:
    """The report's higher-is-better figures by name (``plover.f1``, ``date.accuracy``, ...)."""
    scores: dict[str, float | None] = {}
    for name, score in report.measures.items():
        scores[f"{name}.precision"] = score.precision
        scores[f"{name}.recall"] = score.recall
        scores[f"{name}.f1"] = score.f1
    for name, acc in report.accuracy.items():
        scores[f"{name}.accuracy"] = acc.accuracy
    scores["must_not.clean"] = report.must_not_clean
    figures = report.petrarch_figures()
    if figures:
        scores["petrarch.found_share"] = figures["found_share"]
        scores["petrarch.records_exact_share"] = figures["records_exact_share"]
    return {k: round(v, 6) for k, v in scores.items() if v is not None}


def load_floors(path: Path | str) -> dict[str, dict[str, float]]:
    """``{gold file name: {metric: floor}}`` from a floors file (missing file -> empty)."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise GoldError("E082", detail=f"not readable JSON: {err}", path=str(path)) from err
    floors = data.get("floors") if isinstance(data, dict) else None
    if not isinstance(floors, dict):
        raise GoldError("E082", detail="no 'floors' object", path=str(path))
    out: dict[str, dict[str, float]] = {}
    for label, metrics in floors.items():
        if not isinstance(metrics, dict):
            raise GoldError("E082", detail=f"floors of {label!r} are not an object", path=str(path))
        for metric, value in metrics.items():
            if (
                not isinstance(value, int | float)
                or isinstance(value, bool)
                or not math.isfinite(value)
            ):
                raise GoldError(
                    "E082", detail=f"floor {label}:{metric} is not a number", path=str(path)
                )
        out[label] = {m: float(v) for m, v in metrics.items()}
    return out


_TOLERANCE = 1e-9


def check_floors(scores: dict[str, dict[str, float]], path: Path | str) -> list[GoldError]:
    """An E083 error for every measured score below its floor (files not measured are skipped).

    A floored metric that this run could not measure counts as 0.
    """
    floors = load_floors(path)
    if not Path(path).exists():
        raise GoldError("E082", detail="no such file", path=str(path))
    failures: list[GoldError] = []
    for label, measured in scores.items():
        for metric, floor in sorted(floors.get(label, {}).items()):
            value = measured.get(metric, 0.0)
            if value + _TOLERANCE < floor:
                failures.append(
                    GoldError("E083", metric=f"{label}:{metric}", value=value, floor=floor)
                )
    return failures


def pin_floors(
    scores: dict[str, dict[str, float]], path: Path | str, *, allow_lower: bool = False
) -> dict[str, dict[str, float]]:
    """Write ``scores`` as the floors in ``path``; refuse (E084) to lower one unless allowed.

    Floors of files not measured in this run, and of metrics not measured, are kept. Nothing
    is written when a floor would be lowered.
    """
    path = Path(path)
    floors = load_floors(path)
    for label, measured in sorted(scores.items()):
        old = floors.get(label, {})
        for metric, value in sorted(measured.items()):
            if metric in old and value + _TOLERANCE < old[metric] and not allow_lower:
                raise GoldError("E084", metric=f"{label}:{metric}", old=old[metric], new=value)
    for label, measured in scores.items():
        merged = dict(floors.get(label, {}))
        # floors are rounded down so that re-running the same code never fails by a hair
        merged.update({m: math.floor(v * 10_000) / 10_000 for m, v in measured.items()})
        floors[label] = dict(sorted(merged.items()))
    document = {
        "comment": "Score floors for `polybius evaluate --check-floors`; raise them with "
        "--pin-floors, never lower them by hand.",
        "version": 1,
        "floors": dict(sorted(floors.items())),
    }
    path.write_text(json.dumps(document, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    return floors
