"""Whether an event happened: negation, modality, conditions, tense, reported speech and
historical background, read off the dependency parse of the verb that carries the event.

Every function takes the *governing verb* of an event (the trigger itself for a verbal event,
the light verb for "held talks", the frame verb's clause for an embedded event) and returns a
short reason string or ``None``, so the extractor can record why a candidate was dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

    from polybius.events.lexicon import Lexicon

__all__ = [
    "clause_verb",
    "conditional",
    "historical_year",
    "hypothetical",
    "is_future",
    "negation",
    "reported_by",
    "tense_of",
]

_YEAR = re.compile(r"^(1[0-9]{3}|20[0-9]{2})s?$")
# Dependencies that link a verb to the clause it belongs to (we climb them to find the
# auxiliaries and conditions that govern a verb without crossing into another clause).
_SAME_CLAUSE = frozenset({"xcomp", "conj"})
# Links climbed to find the verb of saying a clause is reported by.
_CLIMB = frozenset({"xcomp", "conj", "ccomp", "pcomp", "prep", "pobj", "advcl"})


def clause_verb(token: Token) -> Token:
    """The verb of the clause ``token`` belongs to (itself when it is a verb)."""
    seen = 0
    while token.pos_ not in ("VERB", "AUX") and token.head.i != token.i and seen < 6:
        token = token.head
        seen += 1
    return token


def negation(verb: Token, lexicon: Lexicon, *, noun: Token | None = None) -> str | None:
    """'not', 'never', "n't" on the verb, 'no' on the event noun, or 'without' over it."""
    neg = lexicon.words("negation")
    for child in verb.children:
        if child.dep_ == "neg" or (child.dep_ == "advmod" and child.lower_ in ("never",)):
            return f"negated ({child.text})"
    # "no ships were hit", "no one was killed": a subject that is "no ..." negates the clause
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and (
            child.lower_ in ("nobody", "none", "noone")
            or any(g.dep_ in ("det", "neg") and g.lower_ == "no" for g in child.children)
        ):
            return f"negated (no {child.text})"
    if noun is not None:
        for child in noun.children:
            if child.dep_ in ("det", "neg") and child.lower_ in ("no", "neither"):
                return f"negated ({child.text})"
    # "without meeting", "without a ceasefire"
    for tok in (verb, noun):
        if tok is None:
            continue
        head = tok.head
        if tok.dep_ in ("pcomp", "pobj") and head.lower_ == "without" and "without" in neg:
            return "negated (without)"
    return None


def hypothetical(verb: Token, lexicon: Lexicon, *, reported: bool = False) -> str | None:
    """A modal ('could', 'may', 'would') on the verb or on the verb its clause hangs from.

    'would' under a verb of reporting is the future of the past ("said it would hold talks"):
    an announced intention, not a hypothesis.
    """
    modal = lexicon.words("hypothetical")
    for token in _clause_verbs(verb):
        for child in token.children:
            lemma = child.lower_
            if child.dep_ == "aux" and lemma in modal:
                if lemma == "would" and reported:
                    continue
                return f"hypothetical ({child.text})"
            if child.dep_ == "advmod" and lemma in modal:
                return f"hypothetical ({child.text})"
    return None


def _clause_verbs(verb: Token, limit: int = 3) -> Iterator[Token]:
    """The verb, then the verbs of its clause it hangs from (infinitives, coordination)."""
    token: Token | None = verb
    for _ in range(limit):
        if token is None:
            return
        yield token
        token = token.head if token.dep_ in _SAME_CLAUSE and token.head.i != token.i else None


def conditional(verb: Token, lexicon: Lexicon) -> str | None:
    """The verb's clause is a condition: 'if they attack', 'unless talks resume'."""
    marks = lexicon.words("conditional")
    for token in _clause_verbs(verb):
        for child in token.children:
            if child.dep_ == "mark" and child.lower_ in marks:
                return f"conditional ({child.text})"
    return None


def is_future(verb: Token, lexicon: Lexicon, *, reported: bool = False) -> str | None:
    """'will meet', 'is to sign', 'plans to visit', 'is expected to attend' -> the cue word."""
    future = lexicon.words("future")
    planners = lexicon.words("futureverb")
    for child in verb.children:
        if child.dep_ == "aux" and child.lower_ in future:
            return child.lower_
        if reported and child.dep_ == "aux" and child.lower_ == "would":
            return "would"
    # "talks are expected to resume": an event noun whose clause verb plans ahead
    if verb.lemma_.lower() in planners and any(c.dep_ == "xcomp" for c in verb.children):
        return verb.lemma_.lower()
    if verb.dep_ in ("xcomp", "ccomp"):
        head = verb.head
        if head.lemma_.lower() in planners:
            return head.lemma_.lower()
        if verb.dep_ == "ccomp":
            return None
        # "is to sign": the infinitive hangs from a bare form of "be"
        if head.lemma_ == "be" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
            return "is to"
        for child in head.children:
            if child.dep_ == "aux" and child.lower_ in future:
                return child.lower_
    return None


def tense_of(verb: Token, lexicon: Lexicon, *, reported: bool = False) -> str | None:
    """'past' | 'present' | 'future' from the verb's tag and its auxiliaries."""
    if is_future(verb, lexicon, reported=reported):
        return "future"
    tag = verb.tag_
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    aux_tags = {a.tag_ for a in auxes}
    aux_lemmas = {a.lemma_.lower() for a in auxes}
    if tag == "VBD":
        return "past"
    if "VBD" in aux_tags:  # "was held", "had met", "did meet"
        return "past"
    if tag == "VBN" and "have" in aux_lemmas:  # "has met": reported as done
        return "past"
    if tag in ("VBZ", "VBP") or aux_tags & {"VBZ", "VBP"}:
        return "present"
    if tag == "VBG" and verb.dep_ in ("advcl", "xcomp", "conj", "pcomp"):
        return None  # takes the tense of its head; the when stage reads the sentence
    if tag == "VBN" and verb.dep_ in ("acl", "amod"):
        return "past"
    return None


def reported_by(verb: Token, lexicon: Lexicon) -> tuple[str, Token] | None:
    """The claim or report verb whose complement the event's clause is, and its kind.

    Returns ``("claim", verb)`` or ``("report", verb)``; ``None`` when the event's clause is
    not the complement of a verb of saying.
    """
    claims = lexicon.words("claim")
    reports = lexicon.words("report")
    token = verb
    # Climb from the event's verb to the clause that hangs from a verb of saying, through
    # coordination, infinitives and prepositional complements ("alleged that the army helped
    # to plan ...") but never above a verb of saying.
    for _ in range(8):
        head = token.head
        if head.i == token.i:
            break
        lemma = head.lemma_.lower()
        if token.dep_ in ("ccomp", "parataxis", "advcl", "dobj", "xcomp") and (
            lemma in claims or lemma in reports
        ):
            return ("claim" if lemma in claims else "report", head)
        if token.dep_ in _CLIMB:
            token = head
            continue
        break
    return None


_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for m in names
}
# How many months before the dateline a stated "in <month> <year>" is background.
BACKGROUND_MONTHS = 3
# ... and a bare "in <month>" of the past ("agreed in March" under a July dateline).
BARE_MONTHS = 4


def _planned(verb: Token) -> bool:
    """'will meet in March', 'plans to visit in May', 'is to sign in June': a month ahead."""
    for tok in (verb, verb.head):
        for child in tok.children:
            if child.dep_ == "aux" and child.lower_ in ("will", "would", "shall", "'ll", "to"):
                return True
        if tok.lemma_.lower() in ("plan", "schedule", "expect", "due", "set", "intend"):
            return True
    return False


def historical_year(
    tokens: list[Token], year: int | None, published: date | None = None
) -> str | None:
    """A year before the dateline's previous year in 'in 1988'/'during the 1990s' on the event.

    With the dateline's full date, a stated month and year ("in July 2023", "from 1942 to
    1945") more than a few months before it is background too, as is a bare earlier year
    ("in 2021") once the dateline is past the turn of the year.

    ``tokens`` are the event's verb and noun; only their own prepositional phrases count, so a
    passing mention of a year elsewhere in the sentence does not drop the event.
    """
    if published is not None:
        year = published.year
    if year is None:
        return None
    for token in tokens:
        for prep in token.children:
            if prep.dep_ != "prep" or prep.lower_ not in (
                "in",
                "during",
                "since",
                "until",
                "from",
                "between",
            ):
                continue
            subtree = list(prep.subtree)
            if (
                published is not None
                and prep.lower_ == "in"
                and not any(_YEAR.match(t.text) for t in subtree)
                and not _planned(token)
            ):
                # "agreed in March to ..." under a July dateline: a month of this story's
                # past, long enough ago to be its background
                month = next(
                    (
                        _MONTHS[t.lower_]
                        for t in subtree
                        if t.dep_ == "pobj"
                        and t.head.i == prep.i
                        and t.lower_ in _MONTHS
                        and t.text[:1].isupper()
                    ),
                    None,
                )
                if month is not None and (published.month - month) % 12 >= BARE_MONTHS:
                    return f"historical background (in {subtree[-1].text})"
            for sub in subtree:
                match = _YEAR.match(sub.text)
                if not match:
                    continue
                stated = int(match.group(1))
                if stated < year - 1:
                    return f"historical background ({prep.text} {sub.text})"
                if published is None or stated >= year or sub.text.endswith("s"):
                    continue
                month = next(
                    (
                        _MONTHS[t.lower_.rstrip(".")]
                        for t in prep.subtree
                        if t.i < sub.i and t.lower_.rstrip(".") in _MONTHS
                    ),
                    None,
                )
                if month is None:
                    if published.month > BACKGROUND_MONTHS:
                        return f"historical background ({prep.text} {sub.text})"
                    continue
                months_before = (published.year - stated) * 12 + published.month - month
                if months_before > BACKGROUND_MONTHS:
                    return f"historical background ({prep.text} ... {sub.text})"
    return None
