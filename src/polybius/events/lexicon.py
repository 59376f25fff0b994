"""The event lexicon: trigger words and phrases, frames and modality words, loaded from the
bundled TSV files in ``polybius/data`` and checked on load.

Three files make the lexicon:

- ``triggers.tsv``: a pattern of lemmas (``meet with``, ``sign agreement|treaty``,
  ``air strike``) with its part of speech, CAMEO code, flags and PLOVER override;
- ``compose.tsv``: how a frame verb ("agreed to", "urged ... to", "threatened to",
  "refused to", "accused ... of") and the code of the event it embeds make one code;
- ``modality.tsv``: negation, modal, future, conditional, claim, reporting and light verbs.

Entries are indexed by the lemma of their trigger word, so the extractor looks each token
up once: the cost per sentence is linear in its length.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

from polybius import ontology
from polybius.errors import DataError

__all__ = [
    "FLAGS",
    "FRAMES",
    "MODALITY_KINDS",
    "Lexicon",
    "Trigger",
    "load_lexicon",
    "parse_triggers",
]

log = logging.getLogger(__name__)

TRIGGER_COLUMNS = ("pattern", "pos", "cameo", "flags", "plover", "mode", "note")
COMPOSE_COLUMNS = ("frame", "embedded", "cameo", "note")
MODALITY_COLUMNS = ("kind", "lemma", "note")

POS = frozenset({"verb", "noun", "adj"})
FRAMES = frozenset({"intent", "request", "reject", "threat", "accuse", "deny", "halt"})
# Flags a trigger line may carry; ``frame=``/``recip=`` take a value.
FLAGS = frozenset({"free", "nodobj", "needobj", "needevent", "frame", "recip", "inverse"})
MODALITY_KINDS = frozenset(
    {
        "negation",
        "hypothetical",
        "future",
        "futureverb",
        "conditional",
        "claim",
        "report",
        "light",
        "happen",
        "negverb",
        "simulate",
    }
)
PLOVER_TYPES = frozenset(ontology.PLOVER_TYPES)
# Prepositions never count as the trigger word of a noun pattern ("attack on").
PREPOSITIONS = frozenset(
    {"on", "against", "with", "between", "to", "by", "of", "for", "in", "into", "at", "from"}
)
_CAMEO = re.compile(r"^(0[1-9]|1[0-9]|20)[0-9]{0,2}$")


@dataclass(frozen=True, slots=True)
class Trigger:
    """One line of ``triggers.tsv``.

    ``head`` is the trigger lemma; ``parts`` are the other words of the pattern, each a set of
    alternative lemmas that must all be found among the trigger's dependents.
    """

    head: str
    parts: tuple[frozenset[str], ...]
    pos: str
    cameo: str
    line: int
    pattern: str
    frame: str | None = None
    recip_preps: frozenset[str] = frozenset()
    free: bool = False
    nodobj: bool = False
    needobj: bool = False
    needevent: bool = False
    inverse: bool = False  # "received weapons from X": X acts, the subject receives
    plover: str | None = None
    mode: str | None = None

    @property
    def rule(self) -> str:
        return f"triggers.tsv:{self.line} {self.pattern.replace(' ', '+')}"

    @property
    def specificity(self) -> int:
        """More words in the pattern, and a required object, make a line more specific."""
        return 2 * len(self.parts) + (1 if self.needobj else 0)


@dataclass(slots=True)
class Lexicon:
    """Triggers indexed by (part of speech, lemma), frames, and modality words."""

    triggers: list[Trigger]
    compose: dict[str, dict[str, str]]
    modality: dict[str, frozenset[str]]
    index: dict[tuple[str, str], list[Trigger]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.index:
            grouped: dict[tuple[str, str], list[Trigger]] = defaultdict(list)
            for trig in self.triggers:
                grouped[(trig.pos, trig.head)].append(trig)
            for entries in grouped.values():
                # Most specific first; the file order breaks ties.
                entries.sort(key=lambda t: (-t.specificity, t.line))
            self.index = dict(grouped)

    def lookup(self, pos: str, lemma: str) -> list[Trigger]:
        return self.index.get((pos, lemma), [])

    def words(self, kind: str) -> frozenset[str]:
        return self.modality.get(kind, frozenset())

    def compose_code(self, frame: str, embedded: str) -> str | None:
        """The code of ``frame`` over an embedded event coded ``embedded``: longest prefix."""
        table = self.compose.get(frame)
        if not table:
            return None
        for length in range(len(embedded), 0, -1):
            code = table.get(embedded[:length])
            if code is not None:
                return code
        return None

    def codes(self) -> set[str]:
        """Every CAMEO code the lexicon can produce (triggers and frames)."""
        found = {t.cameo for t in self.triggers}
        for table in self.compose.values():
            found.update(table.values())
        return found


def _rows(text: str, name: str, columns: tuple[str, ...]) -> Iterable[tuple[int, list[str]]]:
    """Data rows of a TSV file: comments and blank lines skipped, the header checked."""
    header_seen = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if not header_seen:
            if tuple(c.strip() for c in cells[: len(columns)]) != columns:
                raise DataError(
                    "E050",
                    detail=f"expected the header {'/'.join(columns)}",
                    where=f"{name}:{number}",
                )
            header_seen = True
            continue
        if len(cells) > len(columns):
            raise DataError(
                "E050",
                detail=f"{len(cells)} columns, at most {len(columns)} expected",
                where=f"{name}:{number}",
            )
        cells = [c.strip() for c in cells] + [""] * (len(columns) - len(cells))
        yield number, cells
    if not header_seen:
        raise DataError("E050", detail="no header line", where=f"{name}:1")


def _check_cameo(code: str, where: str) -> None:
    if not _CAMEO.match(code):
        raise DataError("E050", detail=f"'{code}' is not a CAMEO code", where=where)


def parse_triggers(text: str, name: str = "triggers.tsv") -> list[Trigger]:
    """Parse and check the text of a triggers file; E050 names the file and line."""
    triggers: list[Trigger] = []
    seen: dict[tuple[str, str, str], int] = {}
    for number, (pattern, pos, cameo, flags, plover, mode, _note) in _rows(
        text, name, TRIGGER_COLUMNS
    ):
        where = f"{name}:{number}"
        words = pattern.lower().split()
        if not words:
            raise DataError("E050", detail="empty pattern", where=where)
        if pos not in POS:
            raise DataError("E050", detail=f"pos '{pos}' is not one of {sorted(POS)}", where=where)
        _check_cameo(cameo, where)
        if plover and plover not in PLOVER_TYPES:
            raise DataError("E050", detail=f"unknown PLOVER type '{plover}'", where=where)
        key = (" ".join(words), pos, cameo)
        if key in seen:
            raise DataError("E050", detail=f"duplicate of line {seen[key]}", where=where)
        seen[key] = number
        frame: str | None = None
        recip: frozenset[str] = frozenset()
        on: set[str] = set()
        for flag in filter(None, (f.strip() for f in flags.split(","))):
            name_, _, value = flag.partition("=")
            if name_ not in FLAGS:
                raise DataError("E050", detail=f"unknown flag '{flag}'", where=where)
            if name_ == "frame":
                if value not in FRAMES:
                    raise DataError("E050", detail=f"unknown frame '{value}'", where=where)
                frame = value
            elif name_ == "recip":
                if not value:
                    raise DataError("E050", detail="recip= needs prepositions", where=where)
                recip = frozenset(value.split("|"))
            else:
                on.add(name_)
        if pos == "verb" or pos == "adj":
            head_at = 0
        else:
            content = [i for i, w in enumerate(words) if w not in PREPOSITIONS]
            if not content:
                raise DataError("E050", detail="a noun pattern needs a noun", where=where)
            head_at = content[-1]
        # "phone call|conversation": one trigger per alternative of the trigger word
        parts = tuple(frozenset(w.split("|")) for i, w in enumerate(words) if i != head_at)
        for head in words[head_at].split("|"):
            if not head:
                raise DataError("E050", detail="empty alternative", where=where)
            triggers.append(
                Trigger(
                    head=head,
                    parts=parts,
                    pos=pos,
                    cameo=cameo,
                    line=number,
                    pattern=" ".join(words),
                    frame=frame,
                    recip_preps=recip,
                    free="free" in on,
                    nodobj="nodobj" in on,
                    needobj="needobj" in on,
                    needevent="needevent" in on,
                    inverse="inverse" in on,
                    plover=plover or None,
                    mode=mode or None,
                )
            )
    # A specific line ("threaten sanction") takes the frame of its trigger word's bare line
    # ("threaten", frame=threat), so the embedded event is handled the same way.
    frames = {(t.pos, t.head): t.frame for t in triggers if t.frame and not t.parts}
    return [
        replace(t, frame=frames[(t.pos, t.head)])
        if t.frame is None and (t.pos, t.head) in frames
        else t
        for t in triggers
    ]


def parse_compose(text: str, name: str = "compose.tsv") -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = defaultdict(dict)
    for number, (frame, embedded, cameo, _note) in _rows(text, name, COMPOSE_COLUMNS):
        where = f"{name}:{number}"
        if frame not in FRAMES:
            raise DataError("E050", detail=f"unknown frame '{frame}'", where=where)
        if not embedded.isdigit() or len(embedded) > 4:
            raise DataError("E050", detail=f"bad code prefix '{embedded}'", where=where)
        _check_cameo(cameo, where)
        if embedded in table[frame]:
            raise DataError("E050", detail=f"duplicate prefix {frame}/{embedded}", where=where)
        table[frame][embedded] = cameo
    return dict(table)


def parse_modality(text: str, name: str = "modality.tsv") -> dict[str, frozenset[str]]:
    words: dict[str, set[str]] = defaultdict(set)
    for number, (kind, lemma, _note) in _rows(text, name, MODALITY_COLUMNS):
        if kind not in MODALITY_KINDS:
            raise DataError("E050", detail=f"unknown kind '{kind}'", where=f"{name}:{number}")
        if not lemma:
            raise DataError("E050", detail="empty lemma", where=f"{name}:{number}")
        words[kind].add(lemma.lower())
    return {kind: frozenset(v) for kind, v in words.items()}


def _read(name: str, directory: Path | None) -> str:
    if directory is not None:
        return (directory / name).read_text(encoding="utf-8")
    return resources.files("polybius").joinpath("data", name).read_text(encoding="utf-8")


def load_lexicon(directory: str | Path | None = None) -> Lexicon:
    """Load the lexicon: the bundled files, or the three files in ``directory``.

    The bundled lexicon is loaded once per process and shared.
    """
    if directory is None:
        return _bundled()
    return _load(Path(directory))


@lru_cache(maxsize=1)
def _bundled() -> Lexicon:
    return _load(None)


def _load(directory: Path | None) -> Lexicon:
    try:
        triggers = parse_triggers(_read("triggers.tsv", directory))
        compose = parse_compose(_read("compose.tsv", directory))
        modality = parse_modality(_read("modality.tsv", directory))
    except (OSError, UnicodeDecodeError) as err:
        raise DataError("E050", detail=str(err), where=str(directory or "polybius/data")) from err
    lexicon = Lexicon(triggers=triggers, compose=compose, modality=modality)
    log.debug("event lexicon: %d triggers, %d lemmas", len(triggers), len(lexicon.index))
    return lexicon
