"""The when stage: each event's date, from its own sentence, resolved against the dateline.

Where "October 24" became 2018-10-24: :func:`resolve_expression` (the model-free core) turns a
date expression into ``(date, precision)`` given the dateline and the tense; the tense decides
the direction (a past event never lands after the dateline, a future one never before it).
:func:`resolve_event_date` finds the date expressions of a parsed sentence, keeps those that
belong to the trigger's clause (a date inside a relative clause or another verb's clause
belongs to that verb) and picks the one syntactically closest to the trigger.

The cascade, cheapest first:

1. one compiled regular expression finds the common forms (month names, weekdays, relative
   words, "two days ago", ISO and numeric dates, years, decades, seasons) and a small
   resolver turns them into dates: no third-party code on the hot path;
2. a DATE entity of the parse that the regex did not touch (neither kept nor rejected as a
   name), short, with a month name, a year or a numeric-date shape in it and no unit of
   duration ("annual", "recent years", "a 12-year rift" are never a datable point), goes to
   ``dateparser`` as an already isolated expression, cached;
3. nothing found: the event inherits the dateline (basis "dateline"), or nothing at all when
   there is no dateline (basis "unknown"; never today's date).

Representation of the coarse precisions: a week is its Monday (ISO week), a month its first
day, a year its 1 January, a season its middle month (precision "month", the nearest of the
four precisions), a decade its first year (precision "year"). The "historical" test compares
the *end* of the period with the dateline, so "last year" is not background but "in 1988" is.

Which date is the trigger's: the expression's attachment (its preposition, else its root) is
followed up the parse to the first verb (or to the trigger itself, for a noun trigger). That
verb being the trigger's own clause verb ranks first; a verb whose clause governs the
trigger's (reporting verbs, coordination, adverbial clauses) ranks second and is resolved in
*its* tense ("said on Tuesday that it would resume": Tuesday); a date under another verb
(a relative clause, a participle, a complement of the trigger) is that verb's and is never
taken. Ties go to the shorter tree path, then the nearer text. Expressions inside the story's
wire dateline ("MOSCOW, July 18 (Reuters) -") date the report, not an event, and are skipped.

:func:`read_dateline` reads wire-style openings ("MOSCOW, July 18 (Reuters) -").
"""

from __future__ import annotations

import calendar
import logging
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = [
    "HISTORICAL_DAYS",
    "DateExpression",
    "DateResolution",
    "Dateline",
    "find_expressions",
    "infer_tense",
    "period_end",
    "read_dateline",
    "relative_tells_its_event",
    "resolve_event_date",
    "resolve_expression",
]

log = logging.getLogger(__name__)

# A stated date whose period ends more than this many days before the dateline is background
# ("in 1988 ..."): a year and a day, so that "on July 17 last year" in a July 18 story stays.
HISTORICAL_DAYS = 366
# A past event may be stated one day after the dateline: the dateline is the outlet's local
# date, the event's date may be another time zone's ("Tuesday" in Tokyo, Monday in New York).
_PAST_SLACK = timedelta(days=1)
# Longer DATE entities are clauses the NER swept up, not expressions; dateparser is slow and
# guesses wildly on them.
_FALLBACK_MAX_CHARS = 40


@dataclass(frozen=True, slots=True)
class DateResolution:
    """The date of one event and the evidence for it (offsets into the article text)."""

    date: date | None
    precision: str | None  # "day" | "week" | "month" | "year"
    basis: str  # "text" | "dateline" | "unknown" | "historical"
    text: str | None  # the expression that decided it ("on October 24")
    start: int = -1
    end: int = -1


@dataclass(frozen=True, slots=True)
class Dateline:
    """A wire-style opening. ``end`` is the offset where the story proper starts.

    ``place`` is the place as written, most specific part first ("Tehran, Iran").
    """

    date: date | None
    place: str | None
    source: str | None
    end: int


@dataclass(frozen=True, slots=True)
class DateExpression:
    """A date expression found in a text: its kind, its parts and its offsets in that text."""

    kind: str
    text: str
    start: int
    end: int
    parts: tuple[tuple[str, Any], ...] = ()
    modifier: str | None = None  # "last" | "next" | "this" | None: the stated direction
    excluded: bool = False  # "since 2015", "by 2025", "until Monday": spans, not the event's date

    def get(self, key: str) -> Any:
        for name, value in self.parts:
            if name == key:
                return value
        return None


# --------------------------------------------------------------------------------------------
# Calendar words
# --------------------------------------------------------------------------------------------
# These tables stay in the code, unlike the project's lexicons: they are the fixed English
# calendar the regular expression below is written against (every name here is also spelled
# out in _CORE), not a vocabulary anyone tunes. Changing one without the other breaks both.

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}  # fmt: skip
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30, "a couple of": 2, "a few": 3, "several": 3,
}  # fmt: skip
# Middle month of each (northern) season: the nearest month-precision stand-in.
_SEASONS = {"spring": 4, "summer": 7, "autumn": 10, "fall": 10, "winter": 1}
_SEASON_IMPRECISE = {"a couple of", "a few", "several"}

_MONTH_RE = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY_RE = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_DAY_RE = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR_RE = r"(?:1[0-9]\d\d|2[0-9]\d\d)"
_NUM_WORDS = r"(?:\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|a\s+couple\s+of|a\s+few|several)"
_REL_YEAR = r"(?:,?\s+(?:of\s+)?(?P<{n}>last|this|next)\s+year)"

# The order of the alternatives is the order of preference at one position: full dates first.
_CORE = re.compile(
    r"\b(?:"
    # 2019-07-18, 2019/07/18
    rf"(?P<iso>(?P<iso_y>{_YEAR_RE})(?P<iso_sep>[-/.])(?P<iso_m>[01]?\d)(?P=iso_sep)(?P<iso_d>[0-3]?\d))(?![-/\d]|\.\d)"
    # 18.07.2019, 18/07/2019, 07/18/2019
    r"|(?P<num>(?P<num_a>[0-3]?\d)(?P<num_sep>[./-])(?P<num_b>[0-3]?\d)(?P=num_sep)"
    r"(?P<num_y>\d{4}))(?![./-]?\d)"
    # (Monday,) July 18(-19)(, 2019 | last year)
    rf"|(?P<mdy>(?:(?P<mdy_wd>{_WEEKDAY_RE}),?\s+)?(?P<mdy_m>{_MONTH_RE})\s+(?P<mdy_d>{_DAY_RE})"
    rf"(?:\s*[-\u2013]\s*{_DAY_RE})?(?!\d)(?:,?\s+(?P<mdy_y>{_YEAR_RE})\b|{_REL_YEAR.format(n='mdy_r')})?)"
    # (Monday,) 18(-19) (of) July( 2019 | last year)
    rf"|(?P<dmy>(?:(?P<dmy_wd>{_WEEKDAY_RE}),?\s+)?(?:the\s+)?(?P<dmy_d>{_DAY_RE})"
    rf"(?:\s*[-\u2013]\s*{_DAY_RE})?\s+(?:of\s+)?(?P<dmy_m>{_MONTH_RE})(?![a-z])"
    rf"(?:,?\s+(?P<dmy_y>{_YEAR_RE})\b|{_REL_YEAR.format(n='dmy_r')})?)"
    # July 2019, July of 2019, July last year
    rf"|(?P<my>(?P<my_m>{_MONTH_RE})\s+(?:(?:of\s+)?(?P<my_y>{_YEAR_RE})\b|(?P<my_r>last|this|next)\s+year\b))"
    # the 16th of this month; (on) the 16th, (a day of the dateline's month or the one before)
    r"|(?P<dom>the\s+(?P<dom_d>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)"
    r"(?:\s+of\s+(?P<dom_r>this|last|next)\s+month\b|(?=\s*(?:[,.;:)]|$))))"
    # yesterday, today, tonight, tomorrow, last night, the day before yesterday
    r"|(?P<rel>(?P<rel_w>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday"
    r"|today|tonight|tomorrow|last\s+night|this\s+(?:morning|afternoon|evening)))\b"
    # last week, this month, next year, earlier this week, the coming week
    r"|(?P<per>(?P<per_d>last|this|next|coming|the\s+coming)\s+(?P<per_u>week(?:end)?|month|year))\b"
    # over the weekend, at the weekend (needs a licence, see _expression)
    r"|(?P<wkd>the\s+weekend)\b"
    # two days ago, a week ago
    rf"|(?P<ago>(?P<ago_n>{_NUM_WORDS})\s+(?P<ago_u>day|week|month|year|decade)s?\s+ago)\b"
    # (last|next|this) Monday (morning)
    rf"|(?P<wd>(?:(?P<wd_d>last|next|this|coming|past)\s+)?(?P<wd_w>{_WEEKDAY_RE}))\b"
    # (last|next|this) summer (2018 | of 2018)
    rf"|(?P<sea>(?:(?P<sea_d>last|next|this)\s+)?(?P<sea_s>spring|summer|autumn|fall|winter)"
    rf"(?:\s+(?:of\s+)?(?P<sea_y>{_YEAR_RE})\b)?)\b"
    # (last|next|this) March: a month name on its own (needs a licence, see _licensed)
    rf"|(?P<mon>(?:(?P<mon_d>last|next|this)\s+)?(?P<mon_m>(?:january|february|march|april|may"
    r"|june|july|august|september|october|november|december)))\b"
    # the 1990s, the '90s
    r"|(?P<dec>(?P<dec_y>(?:1[0-9]|20)\d0)'?s)\b"
    # 2019 (needs a licence)
    rf"|(?P<year>(?P<year_y>{_YEAR_RE}))\b"
    r")",
    re.IGNORECASE,
)

# What stands right before an expression: the preposition that gives it a role.
_PREFIX = re.compile(
    r"(?P<prefix>(?:\b(?:on|in|during|over|at|since|from|by|until|till|through|throughout|before|after"
    r"|as\s+of|of|the|early|late|mid|earlier|later|end\s+of|the\s+end\s+of|beginning\s+of"
    r"|the\s+beginning\s+of|the\s+middle\s+of|start\s+of|the\s+start\s+of|around|about)\b"
    r"[\s-]*)+)$",
    re.IGNORECASE,
)
# Spans and deadlines: a statement about a period, not the date the event happened.
_EXCLUDING = {"since", "until", "till", "by", "through", "throughout", "from", "before", "after"}
# A bare year or month name is a date only with one of these before it ("in 2019", "in May");
# on its own it is a name ("Sea Cup 2019", "the March for Our Lives", "they may meet").
_LICENSING = {
    "in", "during", "since", "by", "until", "till", "through", "throughout", "from", "of",
    "early", "late", "mid", "before", "after", "as of", "around", "end of", "beginning of",
    "the end of", "the beginning of", "the middle of", "start of", "the start of", "earlier",
    "later",
}  # fmt: skip


# --------------------------------------------------------------------------------------------
# Finding expressions (model-free)
# --------------------------------------------------------------------------------------------


def _proper(word: str | None) -> bool:
    """Month and weekday names are capitalised in news; lower case is a verb ("may", "march")."""
    return bool(word) and word is not None and word[0].isupper()


def _prefix_words(prefix: str) -> list[str]:
    words: list[str] = []
    for raw in re.split(r"[\s-]+", prefix.lower().strip()):
        if raw:
            words.append(raw)
    return words


_CAPITALISED = re.compile(r"([A-Z][a-z]+)\s+$")
_NEXT_CAPITALISED = re.compile(r"\s+[A-Z][a-z]")


def _named(kind: str, match: re.Match[str], text: str, modifier: str | None) -> bool:
    """A day or month name that is part of a name: "Good Friday", "Bloody Sunday", "the
    October Revolution", "May Day". Capitalised words around it, not the calendar."""
    if modifier is not None:
        return False
    start, end = match.span()
    if kind == "mon":
        return bool(_NEXT_CAPITALISED.match(text, end))
    before = _CAPITALISED.search(text, max(0, start - 20), start)
    return before is not None and before.group(1).lower() not in _WEEKDAY_LEAD


# Capitalised words that may stand before a weekday at the start of a sentence.
_WEEKDAY_LEAD = {
    "on", "last", "next", "this", "coming", "past", "early", "late", "since", "by", "until",
    "till", "from", "before", "after", "during", "earlier", "later", "and", "or", "but",
}  # fmt: skip


def _expression(match: re.Match[str], text: str) -> DateExpression | None:
    kind = match.lastgroup
    if kind is None:  # pragma: no cover - the alternation always names its branch
        return None
    g = match.group
    parts: dict[str, Any] = {}
    modifier: str | None = None
    if kind == "iso":
        parts = {"y": int(g("iso_y")), "m": int(g("iso_m")), "d": int(g("iso_d"))}
    elif kind == "num":
        parts = {
            "a": int(g("num_a")),
            "b": int(g("num_b")),
            "y": int(g("num_y")),
            "sep": g("num_sep"),
        }
    elif kind in ("mdy", "dmy"):
        month = g(f"{kind}_m")
        # with a day number a lower-case month is still a month ("on july 18"), except the
        # two that are also verbs ("they may 5", "troops march 5 km")
        if not _proper(month) and month.lower().rstrip(".") in ("may", "mar", "march"):
            return None
        parts = {"m": _MONTHS[month.lower().rstrip(".")], "d": int(g(f"{kind}_d").rstrip("stndrh"))}
        if g(f"{kind}_y"):
            parts["y"] = int(g(f"{kind}_y"))
        if g(f"{kind}_r"):
            parts["rel_year"] = g(f"{kind}_r").lower()
    elif kind == "my":
        month = g("my_m")
        if not _proper(month):
            return None
        parts = {"m": _MONTHS[month.lower().rstrip(".")]}
        if g("my_y"):
            parts["y"] = int(g("my_y"))
        else:
            parts["rel_year"] = g("my_r").lower()
    elif kind == "rel":
        parts = {"w": re.sub(r"\s+", " ", g("rel_w").lower())}
    elif kind == "per":
        modifier = g("per_d").lower().replace("the ", "")
        modifier = "next" if modifier == "coming" else modifier
        parts = {"u": g("per_u").lower()}
    elif kind == "wkd":
        parts = {}
    elif kind == "dom":
        parts = {"d": int(g("dom_d"))}
        if g("dom_r"):
            modifier = g("dom_r").lower()
    elif kind == "ago":
        n = re.sub(r"\s+", " ", g("ago_n").lower())
        parts = {"n": int(n) if n.isdigit() else _NUMBERS[n], "u": g("ago_u").lower()}
        if n in _SEASON_IMPRECISE:
            parts["vague"] = True
    elif kind == "wd":
        if not _proper(g("wd_w")):
            return None
        parts = {"w": _WEEKDAYS[g("wd_w").lower()]}
        if g("wd_d"):
            modifier = {"coming": "next", "past": "last"}.get(g("wd_d").lower(), g("wd_d").lower())
    elif kind == "sea":
        parts = {"s": g("sea_s").lower()}
        if g("sea_y"):
            parts["y"] = int(g("sea_y"))
        if g("sea_d"):
            modifier = g("sea_d").lower()
    elif kind == "mon":
        if not _proper(g("mon_m")):
            return None
        parts = {"m": _MONTHS[g("mon_m").lower()]}
        if g("mon_d"):
            modifier = g("mon_d").lower()
    elif kind == "dec":
        parts = {"y": int(g("dec_y"))}
    elif kind == "year":
        parts = {"y": int(g("year_y"))}
    start, end = match.span()
    before = _PREFIX.search(text, max(0, start - 40), start)
    prefix_words = _prefix_words(before.group("prefix")) if before else []
    joined = " ".join(prefix_words)
    # "fall" and a bare year or month name need a licence; "last/this/next" is one too.
    needs_licence = kind in ("year", "dec") or (
        kind in ("mon", "sea") and modifier is None and parts.get("y") is None
    )
    licensed = any(w in _LICENSING for w in prefix_words) or any(
        lic in joined for lic in ("end of", "beginning of", "middle of", "start of", "as of")
    )
    if needs_licence and not licensed and not (kind == "dec" and prefix_words[-1:] == ["the"]):
        return None
    if kind == "year" and prefix_words[-1:] == ["the"]:
        return None  # "the 2019 elections": an attribute of a name
    if (
        kind == "sea"
        and parts["s"] == "fall"
        and modifier is None
        and not parts.get("y")
        and prefix_words[-1:] not in (["the"], ["in"], ["of"], ["during"], ["this"])
    ):
        return None  # "fall" on its own is the verb or the noun, not the season
    if kind in ("wd", "mon") and _named(kind, match, text, modifier):
        return None
    if kind == "dom" and modifier is None and prefix_words[-1:] != ["on"]:
        return None  # "the 16th," is a day only as "on the 16th": else a rank, a round
    if kind == "wkd" and not re.search(
        r"\b(?:over|at|during|on)\s+$", text[max(0, start - 8) : start], re.I
    ):
        return None  # "the weekend" is a date only after over/at/during/on
    excluded = any(w in _EXCLUDING for w in prefix_words)
    if before and prefix_words:
        # The expression's text starts at its preposition: "on October 24".
        keep = before.group("prefix")
        start = before.start("prefix")
        # drop a leading "of"/"the" that belongs to the preceding noun phrase
        lead = re.match(r"(?:(?:of|the)\s+)+", keep, re.IGNORECASE)
        if lead and len(lead.group()) < len(keep):
            start += lead.end()
        elif lead:
            start = match.start()
    return DateExpression(
        kind=kind,
        text=text[start:end],
        start=start,
        end=end,
        parts=tuple(parts.items()),
        modifier=modifier,
        excluded=excluded,
    )


# Every branch of _CORE contains one of these; a text without any is not scanned at all
# (most sentences of a story: the full scan costs several times this test).
_ANCHOR = re.compile(
    r"\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|day|tonight|tomorrow|week|month|year"
    r"|ago|spring|summer|autumn|fall|winter|night|morning|afternoon|evening",
    re.IGNORECASE,
)


def _scan(text: str) -> tuple[tuple[DateExpression, ...], tuple[tuple[int, int], ...]]:
    """The expressions of ``text`` and the spans of every match, kept or rejected as a name."""
    found, seen, _leftover = _scan_full(text)
    return found, seen


@lru_cache(maxsize=4096)
def _scan_full(
    text: str,
) -> tuple[tuple[DateExpression, ...], tuple[tuple[int, int], ...], bool]:
    """:func:`_scan`, and whether date material is left outside every match (for the NER)."""
    found: list[DateExpression] = []
    seen: list[tuple[int, int]] = []
    if not _ANCHOR.search(text):
        return (), (), False
    for match in _CORE.finditer(text):
        seen.append(match.span())
        expr = _expression(match, text)
        if expr is not None:
            found.append(expr)
    rest = text
    for s, e in reversed(seen):
        rest = rest[:s] + " " * (e - s) + rest[e:]
    return tuple(found), tuple(seen), bool(_HAS_DATE_WORD.search(rest))


def _find_cached(text: str) -> tuple[DateExpression, ...]:
    return _scan(text)[0]


def find_expressions(text: str) -> list[DateExpression]:
    """Every date expression of ``text`` the fast parser knows, with offsets into ``text``."""
    return list(_scan(text)[0])


# --------------------------------------------------------------------------------------------
# Resolving expressions (model-free)
# --------------------------------------------------------------------------------------------


def _norm_tense(tense: str | None) -> str | None:
    if not tense:
        return None
    t = tense.strip().lower()
    if t.startswith("past") or t in ("pst", "perfect", "pluperfect"):
        return "past"
    if t.startswith("fut") or t in ("will", "intent", "planned"):
        return "future"
    if t.startswith("pres"):
        return "present"
    return None


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _choose(
    options: list[date], anchor: date, tense: str | None, *, strict: bool = False
) -> date | None:
    """The option the tense points to: past -> latest on/before, future -> earliest on/after."""
    if not options:
        return None
    if tense == "past":
        ok = [o for o in options if (o < anchor if strict else o <= anchor)]
        return max(ok) if ok else None
    if tense == "future":
        ok = [o for o in options if (o > anchor if strict else o >= anchor)]
        return min(ok) if ok else None
    # nearest; a tie goes to the past (news reports more than it announces)
    return min(options, key=lambda o: (abs((o - anchor).days), o > anchor))


def _month_start(y: int, m: int) -> date:
    return date(y, m, 1)


def _add_months(d: date, months: int) -> date:
    total = d.year * 12 + d.month - 1 + months
    return date(total // 12, total % 12 + 1, 1)


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def period_end(d: date, precision: str) -> date:
    """The last day of the period ``d`` stands for at ``precision``."""
    if precision == "week":
        return d + timedelta(days=6)
    if precision == "month":
        return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])
    if precision == "year":
        return date(d.year, 12, 31)
    return d


def _resolve(
    expr: DateExpression, dateline: date | None, tense: str | None
) -> tuple[date, str] | None:
    k = expr.kind
    p = expr.get
    if k == "iso":
        d = _safe_date(p("y"), p("m"), p("d"))
        return (d, "day") if d else None
    if k == "num":
        a, b, y = p("a"), p("b"), p("y")
        dmy, mdy = _safe_date(y, b, a), _safe_date(y, a, b)
        if p("sep") == "." or p("sep") == "-":
            d = dmy  # dotted and dashed numeric dates are day-first wherever they are used
        elif dmy and mdy and dmy != mdy:
            # 03/04/2019: take the reading nearer the dateline; without one, US month-first
            d = min((dmy, mdy), key=lambda o: abs((o - dateline).days)) if dateline else mdy
        else:
            d = dmy or mdy
        return (d, "day") if d else None
    if k in ("mdy", "dmy", "my"):
        m, d_ = p("m"), p("d")
        y = p("y")
        if y is None and p("rel_year"):
            if dateline is None:
                return None
            y = dateline.year + {"last": -1, "this": 0, "next": 1}[p("rel_year")]
        if y is not None:
            if d_ is None:
                return _month_start(y, m), "month"
            d = _safe_date(y, m, d_)
            return (d, "day") if d else None
        if dateline is None:
            return None
        if d_ is None:  # pragma: no cover - "my" always has a year
            return None
        options = [o for o in (_safe_date(dateline.year + i, m, d_) for i in (-1, 0, 1)) if o]
        # "July 19" in a past sentence of a July 18 story is another time zone's July 19,
        # not last year's: the past direction allows the one-day slack
        anchor = dateline + _PAST_SLACK if tense == "past" else dateline
        d = _choose(options, anchor, tense)
        return (d, "day") if d else None
    if k in ("dec", "year"):
        return date(p("y"), 1, 1), "year"
    if k == "sea" and p("y") is not None:
        # winter 2018 is the winter that starts in December 2018: its middle is January 2019
        return _month_start(p("y") + (1 if p("s") == "winter" else 0), _SEASONS[p("s")]), "month"
    if dateline is None:
        return None  # everything below is relative to the dateline
    if k == "rel":
        w = p("w")
        offset = {
            "yesterday": -1, "last night": -1, "today": 0, "tonight": 0, "this morning": 0,
            "this afternoon": 0, "this evening": 0, "tomorrow": 1,
            "the day before yesterday": -2, "the day after tomorrow": 2,
        }[w]  # fmt: skip
        return dateline + timedelta(days=offset), "day"
    if k == "per":
        u, mod = p("u"), expr.modifier
        step = {"last": -1, "this": 0, "next": 1}[mod or "this"]
        if u in ("week", "weekend"):
            return _monday(dateline) + timedelta(weeks=step), "week"
        if u == "month":
            return _add_months(_month_start(dateline.year, dateline.month), step), "month"
        return date(dateline.year + step, 1, 1), "year"
    if k == "dom":
        here = _month_start(dateline.year, dateline.month)
        shift = {"last": -1, "this": 0, "next": 1}.get(expr.modifier or "")
        if shift is not None:
            month = _add_months(here, shift)
            d = _safe_date(month.year, month.month, p("d"))
            return (d, "day") if d else None
        options = [
            o
            for o in (
                _safe_date(m.year, m.month, p("d"))
                for m in (_add_months(here, i) for i in (-1, 0, 1))
            )
            if o
        ]
        d = _choose(options, dateline, tense)
        return (d, "day") if d else None
    if k == "wkd":
        saturdays = [
            dateline + timedelta(days=i) for i in range(-8, 9) if (dateline.weekday() + i) % 7 == 5
        ]
        # the weekend that includes the dateline counts for either direction
        if dateline.weekday() == 6:
            saturdays.append(dateline)
        if tense == "future":
            sat = min(x for x in saturdays if x >= dateline - timedelta(days=1))
        else:
            sat = max(x for x in saturdays if x <= dateline)
        return _monday(sat), "week"
    if k == "ago":
        n, u = p("n"), p("u")
        if u == "day":
            back = dateline - timedelta(days=n)
            return (_monday(back), "week") if p("vague") else (back, "day")
        if u == "week":
            back = dateline - timedelta(weeks=n)
            # "a week ago" is a point ("a week ago today"); "three weeks ago" is a week
            return (back, "day") if n == 1 and not p("vague") else (_monday(back), "week")
        if u == "month":
            return _add_months(_month_start(dateline.year, dateline.month), -n), "month"
        years = n * (10 if u == "decade" else 1)
        return date(dateline.year - years, 1, 1), "year"
    if k == "wd":
        w, mod = p("w"), expr.modifier
        options = [
            dateline + timedelta(days=i) for i in range(-7, 8) if (dateline.weekday() + i) % 7 == w
        ]
        if mod == "last":
            d = _choose(options, dateline, "past", strict=True)
        elif mod == "next":
            d = _choose(options, dateline, "future", strict=True)
        else:
            # "on Monday": this week's, in the tense's direction; present/unknown -> nearest
            d = _choose([o for o in options if abs((o - dateline).days) < 7], dateline, tense)
        return (d, "day") if d else None
    if k in ("mon", "sea"):
        m = p("m") if k == "mon" else _SEASONS[p("s")]
        here = _month_start(dateline.year, dateline.month)
        options = [_month_start(dateline.year + i, m) for i in (-1, 0, 1)]
        mod = expr.modifier
        if mod == "last":
            d = _choose(options, here, "past", strict=True)
        elif mod == "next":
            d = _choose(options, here, "future", strict=True)
        elif mod == "this" and k == "sea":
            d = _choose(options, here, None)
        else:
            d = _choose(options, here, tense if mod is None else None)
        return (d, "month") if d else None
    return None  # pragma: no cover


def _resolve_dated(
    expr: DateExpression, dateline: date | None, tense: str | None
) -> tuple[date, str] | None:
    try:
        return _resolve(expr, dateline, tense)
    except (ValueError, OverflowError):  # "999 decades ago", year 0: no such date
        return None


def resolve_expression(
    text: str, dateline: date | None, *, tense: str | None = None
) -> tuple[date, str] | None:
    """The date and precision of the first date expression of ``text``, or None.

    ``resolve_expression("October 24", date(2019, 7, 18), tense="past")`` is
    ``(date(2018, 10, 24), "day")``. ``tense`` ("past", "present", "future", or None) decides
    the direction of an expression without a year; None and "present" take the nearest.
    Relative expressions ("yesterday") need a dateline; without one they give None.
    Spans and deadlines ("since 2015", "by Friday") are not dates of an event and are skipped.
    """
    t = _norm_tense(tense)
    found, seen = _scan(text)
    for expr in found:
        if expr.excluded:
            continue
        got = _resolve_dated(expr, dateline, t)
        if got is not None:
            return got
    if seen:  # the fast parser saw it and rejected it (a name, a span): no second opinion
        return None
    return _fallback(text.strip(), dateline, t)


# --------------------------------------------------------------------------------------------
# The dateparser fallback: only short, isolated expressions, cached
# --------------------------------------------------------------------------------------------

# Worth asking dateparser: a month name, a year, or digits in a numeric-date shape...
_HAS_DATE_WORD = re.compile(
    rf"\b{_MONTH_RE}(?![a-z])|\b{_YEAR_RE}\b|\d{{1,4}}[./-]\d{{1,2}}|'\d\d\b", re.IGNORECASE
)
# ...but not a length of time: "a 12-year rift", "six days", "the past two weeks".
_DURATION = re.compile(
    r"\b(?:years?|months?|weeks?|days?|decades?|hours?|minutes?|centur(?:y|ies))\b", re.IGNORECASE
)
_DP_PERIODS = {"day": "day", "week": "week", "month": "month", "year": "year", "time": "day"}


def _fallback(text: str, dateline: date | None, tense: str | None) -> tuple[date, str] | None:
    if not text or len(text) > _FALLBACK_MAX_CHARS or not _HAS_DATE_WORD.search(text):
        return None
    if _DURATION.search(text):
        return None
    return _dateparser_cached(text, dateline, tense)


@lru_cache(maxsize=2048)
def _dateparser_cached(
    text: str, dateline: date | None, tense: str | None
) -> tuple[date, str] | None:
    try:
        from datetime import datetime

        from dateparser.date import DateDataParser
    except ImportError:  # pragma: no cover - dateparser is a declared dependency
        return None
    settings: dict[str, Any] = {"RETURN_TIME_AS_PERIOD": True, "PREFER_DAY_OF_MONTH": "first"}
    if dateline is not None:
        settings["RELATIVE_BASE"] = datetime(dateline.year, dateline.month, dateline.day)
    else:
        # Without a dateline a relative or year-less expression has no answer: never "today".
        settings["REQUIRE_PARTS"] = ["year"]
    if tense in ("past", "future"):
        settings["PREFER_DATES_FROM"] = tense
    try:
        data = DateDataParser(languages=["en"], settings=settings).get_date_data(text)
    except Exception as err:  # dateparser raises assorted errors on odd input
        log.debug("dateparser failed on %r: %s", text, err)
        return None
    if data is None or data.date_obj is None:
        return None
    precision = _DP_PERIODS.get(data.period or "day", "day")
    d = data.date_obj.date()
    if precision == "month":
        d = d.replace(day=1)
    elif precision == "year":
        d = d.replace(month=1, day=1)
    elif precision == "week":
        d = _monday(d)
    return d, precision


# --------------------------------------------------------------------------------------------
# Tense from the parse (used when the events stage does not say)
# --------------------------------------------------------------------------------------------

_VERBAL = {"VERB", "AUX"}
_FUTURE_AUX = {"will", "shall", "'ll", "wo", "ll"}
_FUTURE_HEADS = {"plan", "expect", "schedule", "due", "set", "go", "intend", "aim", "prepare"}


def _clause_verb(token: Token) -> Token:
    """The verb whose clause ``token`` is in (``token`` itself when it is one)."""
    t = token
    for _ in range(50):
        if t.pos_ in _VERBAL and t.dep_ not in ("aux", "auxpass"):
            return t
        if t.head.i == t.i:
            return t
        t = t.head
    return t


def infer_tense(trigger: Token) -> str:
    """'past', 'future' or 'present' of the trigger's clause, read off tags and auxiliaries.

    A non-finite verb without auxiliaries ("..., killing five", "met and signed") takes the
    tense of the verb it hangs from.
    """
    return _tense(_clause_verb(trigger), 3)


_NON_FINITE_DEPS = {"advcl", "conj", "xcomp", "pcomp", "acl", "relcl"}


def _tense(verb: Token, depth: int) -> str:
    has_aux = False
    for child in verb.children:
        if child.dep_ in ("aux", "auxpass"):
            has_aux = True
            low = child.text.lower()  # .text: hand-built docs have no lexeme attributes
            if low in _FUTURE_AUX:
                return "future"
            if low == "would" and verb.dep_ in ("ccomp", "xcomp", "conj"):
                return "future"  # reported intent: "said they would meet on Monday"
            if child.tag_ in ("VBD",) or low in ("had", "did", "was", "were"):
                return "past"
            if low in ("has", "have", "'ve", "'s") and verb.tag_ == "VBN":
                return "past"
    if verb.tag_ == "VBD":
        return "past"
    if verb.tag_ == "VBN" and verb.dep_ in ("acl", "relcl", "amod"):
        return "past"
    # "plans to visit", "is expected to meet", "is due to sign", "is going to", "is to visit"
    if verb.tag_ == "VB" and verb.dep_ == "xcomp":
        head = verb.head
        if head.lemma_ in _FUTURE_HEADS:
            return "past" if head.tag_ == "VBD" and head.lemma_ != "be" else "future"
    if (
        verb.tag_ == "VB"
        and any(c.text.lower() == "to" for c in verb.children)
        and verb.head.lemma_ == "be"
    ):
        return "future"
    if (
        depth > 0
        and not has_aux
        and verb.tag_ in ("VBG", "VB", "VBN")
        and verb.dep_ in _NON_FINITE_DEPS
        and verb.head.i != verb.i
    ):
        head = _clause_verb(verb.head)
        if head.i != verb.i:
            return _tense(head, depth - 1)
    return "present"


# --------------------------------------------------------------------------------------------
# Picking the trigger's date in a parsed sentence
# --------------------------------------------------------------------------------------------

# Edges that make a clause a modifier of a noun: its date is its own, never its head's.
_NOUN_CLAUSE_DEPS = {"relcl", "acl"}


@dataclass(frozen=True, slots=True)
class _Candidate:
    text: str
    start: int  # article offsets
    end: int
    root: int  # doc index of the expression's syntactic root
    expr: DateExpression | None  # None: a DATE entity for the fallback


# The pipeline asks for each event of a sentence in turn: the sentence's candidates are kept
# for the last sentence seen. The memo holds the Doc itself, so its id cannot be reused; it is
# one tuple read and replaced whole, so threads sharing the module never see a torn entry.
_memo: list[tuple[Any, int, int, tuple[_Candidate, ...]] | None] = [None]


def _sentence_candidates(sentence: Span) -> tuple[_Candidate, ...]:
    doc = sentence.doc
    last = _memo[0]
    if (
        last is not None
        and last[0] is doc
        and last[1] == sentence.start
        and last[2] == sentence.end
    ):
        return last[3]
    found = tuple(_collect_candidates(sentence))
    _memo[0] = (doc, sentence.start, sentence.end, found)
    return found


def _collect_candidates(sentence: Span) -> list[_Candidate]:
    doc = sentence.doc
    base = sentence.start_char
    text = sentence.text  # not doc.text[...]: Doc.text joins every token of the story
    found_exprs, seen, leftover = _scan_full(text)
    found: list[_Candidate] = []
    # The story's own wire dateline ("MOSCOW, July 18 (Reuters) -") dates the report, not an
    # event of the first sentence: its expressions are not candidates.
    cut = -1
    if sentence.start == 0 and found_exprs:
        wire = read_dateline(text)
        cut = wire.end if wire is not None else -1
    for expr in found_exprs:
        if expr.excluded or expr.start < cut:
            continue
        span = doc.char_span(base + expr.start, base + expr.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        found.append(
            _Candidate(expr.text, base + expr.start, base + expr.end, _span_root(span), expr)
        )
    # Span.ents walks every entity of the document: too slow per call on long stories. Only a
    # sentence with date material the fast parser left untouched is worth reading the NER's
    # DATE spans for (a few in a hundred).
    if leftover:
        for ent in _date_entities(sentence):
            # whatever the fast parser kept is decided; what it rejected as a name ("Sea Cup
            # 2019") is too, unless the entity has date material besides ("16-Jul-2019")
            if any(
                base + c.start < ent.end_char and ent.start_char < base + c.end for c in found_exprs
            ):
                continue
            if not _has_more_than(ent, seen, base):
                continue
            if ent.start_char < base + cut:
                continue
            if len(ent.text) > _FALLBACK_MAX_CHARS or not _HAS_DATE_WORD.search(ent.text):
                continue
            if _DURATION.search(ent.text):
                continue
            prev = doc[ent.start - 1].text.lower() if ent.start > sentence.start else ""
            if prev in _EXCLUDING:
                continue
            found.append(_Candidate(ent.text, ent.start_char, ent.end_char, _span_root(ent), None))
    return found


def _has_more_than(ent: Span, seen: tuple[tuple[int, int], ...], base: int) -> bool:
    """Whether ``ent`` has date material outside the spans the fast parser matched."""
    chars = list(ent.text)
    for s, e in seen:
        for i in range(max(s + base, ent.start_char), min(e + base, ent.end_char)):
            chars[i - ent.start_char] = " "
    return bool(_HAS_DATE_WORD.search("".join(chars)))


def _date_entities(sentence: Span) -> list[Span]:
    """The DATE entities inside ``sentence``, read off the tokens' IOB tags."""
    spans: list[Span] = []
    start = -1
    for tok in sentence:
        inside = tok.ent_type_ == "DATE"
        if start >= 0 and (not inside or tok.ent_iob_ == "B"):
            spans.append(sentence.doc[start : tok.i])
            start = -1
        if inside and start < 0:
            start = tok.i
    if start >= 0:
        spans.append(sentence.doc[start : sentence.end])
    return spans


def _span_root(span: Span) -> int:
    # The expression's attachment is its preposition when it has one ("on" -> "met").
    root = span.root
    if root.dep_ == "pobj" and root.head.i < span.start:
        return root.head.i
    return root.i


def _ancestors_path(token: Token) -> list[Token]:
    path = [token]
    t = token
    for _ in range(100):
        if t.head.i == t.i:
            break
        t = t.head
        path.append(t)
    return path


def _owner(root: Token, trigger: Token) -> Token:
    """The verb (or the trigger) an expression rooted at ``root`` belongs to."""
    t = root
    for _ in range(100):
        if t.head.i == t.i:
            return t
        t = t.head
        if t.i == trigger.i or (t.pos_ in _VERBAL and t.dep_ not in ("aux", "auxpass")):
            return t
    return t  # pragma: no cover


def _rank(
    cand: _Candidate, trigger: Token, clause: Token
) -> tuple[tuple[int, int, int], Token] | None:
    """((clause rank, tree distance, linear distance), owner), or None: another verb's date."""
    doc = trigger.doc
    root = doc[cand.root]
    owner = _owner(root, trigger)
    trig_path = _ancestors_path(trigger)
    root_path = _ancestors_path(root)
    trig_index = {t.i: n for n, t in enumerate(trig_path)}
    distance = 99
    for n, t in enumerate(root_path):
        if t.i in trig_index:
            distance = n + trig_index[t.i]
            break
    linear = min(abs(cand.start - trigger.idx), abs(cand.end - trigger.idx))
    if owner.i in (trigger.i, clause.i):
        return (0, distance, linear), owner
    # The trigger's clause under the owner's clause (reported speech, coordination, adverbial
    # clauses) inherits its date, unless it is a relative clause of one of the owner's nouns.
    clause_path = _ancestors_path(clause)
    if any(t.i == owner.i for t in clause_path):
        for t in clause_path:
            if t.i == owner.i:
                return (1, distance, linear), owner
            if t.dep_ in _NOUN_CLAUSE_DEPS and not relative_tells_its_event(t):
                if t.i == clause.i and t.dep_ == "acl" and t.tag_ == "VBN":
                    continue  # "talks mediated by Saudi Arabia broke down in December 2023"
                return None
    if _misattached(cand.text, root, owner, clause) or _attribution_below(owner, clause):
        return (2, distance, linear), owner
    if (
        owner.dep_ == "conj"
        and owner.head.i == clause.i
        and root.i > owner.i
        and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in owner.children)
    ):
        # "imposed a curfew and ordered the army onto the streets on Tuesday": a time that
        # ends verbs sharing one subject dates both ("... and its first meeting was held on
        # October 24" is a clause of its own)
        return (2, distance, linear), owner
    return None


_SAYING = frozenset({"say", "tell", "announce", "report", "confirm", "state"})


def _attribution_below(owner: Token, clause: Token) -> bool:
    """ "Venezuela has sent troops to its border with Guyana, Guyanese officials said on
    Thursday": the attribution's date is the news's, even when the parser hangs "said" under
    the event's clause instead of above it."""
    if owner.lemma_.lower() not in _SAYING or owner.i < clause.i:
        return False
    return any(t.i == clause.i for t in _ancestors_path(owner))


def _misattached(text: str, root: Token, owner: Token, clause: Token) -> bool:
    """ "blocked a Philippine boat carrying supplies to troops stationed on the Shoal on
    Saturday": a weekday that ends the clause, hung by the parser on a participle deep in its
    object, dates the clause's own event. (A relative clause with its subject of its own,
    "the boat, which was seized on Friday", keeps its date.)"""
    if owner.dep_ != "acl" or owner.tag_ not in ("VBN", "VBG"):
        return False
    if not any(t.i == clause.i for t in _ancestors_path(owner)):
        return False
    if not _WEEKDAYS.keys() & set(text.lower().split()):
        return False
    last = max(t.i for t in clause.subtree)
    end = max(t.i for t in root.subtree)
    return all(t.is_punct for t in root.doc[end + 1 : last + 1])


def relative_tells_its_event(clause: Token) -> bool:
    """ "... an exchange brokered by Qatar, in which the US released five Iranians": a relative
    clause on "in/under/during which" tells what happened in the event its noun names (that
    event's news and date), not background."""
    return any(
        c.dep_ == "prep" and any(g.lower_ == "which" for g in c.children) for c in clause.children
    )


def _resolve_candidate(
    cand: _Candidate, dateline: date | None, tense: str | None
) -> tuple[date, str] | None:
    if cand.expr is not None:
        return _resolve_dated(cand.expr, dateline, tense)
    return _fallback(cand.text.strip(), dateline, tense)


def resolve_event_date(
    sentence: Span, trigger: Token, dateline: date | None, *, tense: str | None = None
) -> DateResolution:
    """The date of the event ``trigger`` names, from its sentence, against ``dateline``.

    ``tense`` is the events stage's reading ("past", "present", "future"); when it is None the
    tense is read off the trigger's clause (:func:`infer_tense`).
    """
    t = _norm_tense(tense) or infer_tense(trigger)
    clause = _clause_verb(trigger)
    ranked: list[tuple[tuple[int, int, int], Token, _Candidate]] = []
    for cand in _sentence_candidates(sentence):
        rank = _rank(cand, trigger, clause)
        if rank is not None:
            ranked.append((rank[0], rank[1], cand))
    ranked.sort(key=lambda rc: rc[0])
    for rank_value, owner, cand in ranked:
        # A date inherited from a governing clause ("said on Tuesday that it would resume")
        # points in that clause's direction, not the event's.
        direction = t if rank_value[0] == 0 else infer_tense(owner)
        got = _resolve_candidate(cand, dateline, direction)
        if got is None:
            continue
        d, precision = got
        if dateline is not None:
            if t == "past" and d > dateline + _PAST_SLACK:
                # A past event stated after the dateline: the text contradicts itself (or the
                # expression is a plan inside the clause); the dateline is the safer guess.
                log.debug("ignoring %r: after the dateline for a past event", cand.text)
                continue
            if period_end(d, precision) < dateline - timedelta(days=HISTORICAL_DAYS):
                return DateResolution(d, precision, "historical", cand.text, cand.start, cand.end)
        return DateResolution(d, precision, "text", cand.text, cand.start, cand.end)
    if dateline is not None:
        return DateResolution(dateline, "day", "dateline", None)
    return DateResolution(None, None, "unknown", None)


# --------------------------------------------------------------------------------------------
# Datelines
# --------------------------------------------------------------------------------------------

_PLACE_WORD = r"(?:[A-Z][A-Za-z'\u2019.-]*|[A-Z]\.(?:[A-Z]\.)+)"
_PLACE = rf"(?P<place>{_PLACE_WORD}(?:\s+{_PLACE_WORD}){{0,3}}(?:,\s+{_PLACE_WORD}(?:\s+{_PLACE_WORD}){{0,2}})?)"
_DL_DATE = (
    rf"(?P<date>(?i:(?:{_WEEKDAY_RE},?\s+)?(?:{_MONTH_RE}\s+{_DAY_RE}|{_DAY_RE}\s+{_MONTH_RE})(?:,?\s+{_YEAR_RE})?"
    rf"|{_YEAR_RE}-\d\d-\d\d))"
)
_DASH = r"(?:--|-|\u2013|\u2014)"  # no colon: "BREAKING: Iran ..." is a kicker, not a place
_DATELINE = re.compile(
    rf"\s*{_PLACE}"
    rf"(?:[,.]\s*{_DL_DATE})?"
    r"(?:"
    # /TASS/.   /ARKA/
    r"[,.]?\s*/(?P<ssource>[A-Z][\w.&-]{1,30})/\.?(?=\s|$)"
    # (Reuters) -   (AP) —
    rf"|\s*\((?P<psource>[A-Za-z][\w.&' /-]{{0,40}})\)\s*(?P<pdash>{_DASH})?"
    # , ARMENPRESS.   . REPORT.AZ/   , Trend:
    rf"|[,.]\s+(?P<source>[A-Z][A-Z0-9.&-]{{1,30}}[A-Z0-9])(?:\.|/|:)(?=\s|$)"
    rf"|[,.]\s+(?P<tsource>[A-Z][\w.&-]{{1,30}})(?:/|:)(?=\s|$)"
    rf"|\s*(?P<dash>{_DASH})(?=\s)"
    r"|[,.](?P<bare>)(?=\s)"
    r")\s*",
)


def read_dateline(text: str, *, default_year: int | None = None) -> Dateline | None:
    """The wire-style dateline at the start of ``text``, or None when there is none.

    "YEREVAN, SEPTEMBER 8, ARMENPRESS." -> place YEREVAN, source ARMENPRESS, September 8 of
    ``default_year`` (None without one). An opening counts as a dateline only with a source in
    parentheses or in capitals, a date, or an upper-case place before a dash, so an ordinary
    first sentence ("Moscow, the capital, said ...") never matches.
    """
    m = _DATELINE.match(text[:300])
    if m is None:
        return None
    place = m.group("place").strip()
    date_text = m.group("date")
    source = m.group("psource") or m.group("source") or m.group("tsource") or m.group("ssource")
    if m.group("dash") is not None and not date_text and place != place.upper():
        return None  # "Washington - the city ..." is prose; "WASHINGTON -" is a dateline
    if m.group("bare") is not None and not date_text:
        return None
    if (
        m.group("bare") is not None
        and date_text
        and place != place.upper()
        and not re.search(r"\d{4}", date_text)
    ):
        # "Baku, 21 January." needs a source; "Baku. 21 January. REPORT.AZ/" has one
        return None
    if m.group("psource") and not date_text and not m.group("pdash") and place != place.upper():
        return None  # "Iran (IRN) said ...": an abbreviation in prose, not a wire credit
    place_words = place.replace(",", " ").split()
    if any(w.lower() in _NOT_PLACE for w in place_words):
        return None
    if m.group("dash") is not None and len(place_words) > 4:
        return None
    d: date | None = None
    if date_text:
        got = _dateline_date(date_text, default_year)
        d = got
    end = m.end()
    return Dateline(date=d, place=place, source=source.strip() if source else None, end=end)


# Capitalised words that start ordinary sentences, never a dateline place.
_NOT_PLACE = {
    "the", "a", "an", "in", "on", "at", "today", "yesterday", "he", "she", "it", "they", "we",
    "i", "this", "that", "officials", "police", "but", "and", "however", "meanwhile", "after",
    "before", "during", "when", "as", "last", "earlier", "according", "president", "minister",
}  # fmt: skip


def _dateline_date(date_text: str, default_year: int | None) -> date | None:
    for expr in _find_cached(date_text):
        if expr.kind == "iso":
            got = _resolve(expr, None, None)
            return got[0] if got else None
        if expr.kind in ("mdy", "dmy"):
            y = expr.get("y") or default_year
            if y is None:
                return None
            return _safe_date(y, expr.get("m"), expr.get("d"))
    # upper-case month names ("SEPTEMBER 8") pass the capital check; anything else: no date
    return None


# How far back from the dateline a story's lede date may lie and still frame the sentences
# after it: wire copy reports the last few days ("on Tuesday"), not last month.
NARRATIVE_DAYS = 7


def narrative_date(
    resolution: DateResolution, previous: DateResolution | None, *, tense: str
) -> DateResolution:
    """A past event with no date of its own happened when the story's last dated event did.

    Wire stories state the date once, in the lede ("met in Baku on Tuesday"), and tell the
    rest of that occasion in the past tense ("The two commanders discussed ..."): those
    sentences belong to the lede's day, not to the dateline's. Present and future sentences,
    and any sentence with a date of its own, keep theirs.
    """
    if resolution.basis != "dateline" or tense != "past" or previous is None:
        return resolution
    if previous.basis != "text" or previous.precision != "day" or previous.date is None:
        return resolution
    if resolution.date is None or not 0 <= (resolution.date - previous.date).days <= NARRATIVE_DAYS:
        return resolution
    return DateResolution(
        date=previous.date,
        precision="day",
        basis="text",
        text=previous.text,
        start=previous.start,
        end=previous.end,
    )
