"""Titles, bodies and groups (``data/roles.tsv``) and organisations (``data/organisations.tsv``).

A role phrase maps to PLOVER sectors and a canonical role name ("Defense Minister" ->
GOV+MIL, "defense minister"). Its flags say how the resolver treats the noun:

- ``person``: one individual, may stand in apposition to a name ("Ambassador ... Jahangirzadeh");
- ``group``: a plural collective ("officials", "troops");
- ``body``: an institution ("parliament", "the navy");
- ``diplomat``: a prepositional country after it ("to Azerbaijan", "in Baku") is the host;
- ``side``: takes its country from a modifier and means that country's government;
- ``pair``: with "two"/"both" (or "the parties"/"the sides") refers to the article's two
  most salient countries.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from polybius.actors._tsv import bundled_rows, fold, split_alternatives
from polybius.actors.countries import NON_STATE_CODES, is_country_code
from polybius.errors import DataError

__all__ = [
    "ROLE_FLAGS",
    "SECTORS",
    "Organisation",
    "Role",
    "organisations",
    "parse_sectors",
    "roles",
]

# PLOVER sector codes (with the CAMEO type codes PLOVER keeps). MED is medical/health here;
# news media are JRN.
SECTORS = frozenset(
    {
        "GOV", "MIL", "COP", "JUD", "LEG", "PTY", "OPP", "REB", "CVL", "BUS", "JRN", "REL",
        "EDU", "LAB", "MED", "REF", "SPY", "CRM", "NGO", "IGO", "ELI", "AGR", "ENV", "HRI",
        "MOD", "RAD", "INS", "SEP", "UAF", "DEV", "PPL",
    }
)  # fmt: skip
ROLE_FLAGS = frozenset({"person", "group", "body", "diplomat", "side", "pair"})
ROLE_HEADER = ("phrase", "sectors", "role", "flags")
ORG_HEADER = ("names", "code", "country", "sectors", "name", "kind")
ORG_KINDS = frozenset({"igo", "ngo", "group", "party", "company"})


@dataclass(frozen=True, slots=True)
class Role:
    phrase: str
    sectors: tuple[str, ...]
    role: str | None
    flags: frozenset[str]
    origin: str

    @property
    def plural(self) -> bool:
        return "group" in self.flags or "pair" in self.flags


@dataclass(frozen=True, slots=True)
class Organisation:
    names: tuple[str, ...]
    code: str
    country: str
    sectors: tuple[str, ...]
    name: str
    kind: str
    origin: str


def parse_sectors(field: str) -> tuple[str, ...] | str:
    """``"GOV+MIL"`` -> ("GOV", "MIL"); the first unknown code (a str) when one is not a sector."""
    sectors = tuple(split_alternatives(field, "+"))
    for sector in sectors:
        if sector not in SECTORS:
            return sector
    return sectors


def _sectors_or_fail(field: str, where: str) -> tuple[str, ...]:
    parsed = parse_sectors(field)
    if isinstance(parsed, str):
        raise DataError("E050", detail=f"unknown sector '{parsed}'", where=where)
    return parsed


@lru_cache(maxsize=1)
def roles() -> dict[str, Role]:
    """Folded phrase -> Role."""
    table: dict[str, Role] = {}
    for number, (phrase, sectors, role, flags) in bundled_rows(
        "roles.tsv", ROLE_HEADER, min_fields=3
    ):
        where = f"roles.tsv:{number}"
        flag_set = frozenset(split_alternatives(flags, "+"))
        if not phrase or not flag_set <= ROLE_FLAGS:
            raise DataError(
                "E050", detail=f"bad phrase or flags {sorted(flag_set - ROLE_FLAGS)}", where=where
            )
        table.setdefault(
            fold(phrase),
            Role(phrase, _sectors_or_fail(sectors, where), role or None, flag_set, where),
        )
    return table


@lru_cache(maxsize=1)
def organisations() -> list[Organisation]:
    found: list[Organisation] = []
    for number, (names, code, country, sectors, name, kind) in bundled_rows(
        "organisations.tsv", ORG_HEADER
    ):
        where = f"organisations.tsv:{number}"
        if not (is_country_code(country) or country in NON_STATE_CODES):
            raise DataError("E050", detail=f"unknown country code '{country}'", where=where)
        if kind not in ORG_KINDS or not names or not name:
            raise DataError("E050", detail=f"bad kind '{kind}' or empty name", where=where)
        found.append(
            Organisation(
                tuple(split_alternatives(names)), code, country,
                _sectors_or_fail(sectors, where), name, kind, where,
            )
        )  # fmt: skip
    return found
