"""Within-article coreference: later mentions inherit the first full mention's coding.

Rules, applied in text order, each leaving its evidence in ``Actor.link``:

- a surname ("Hasanov") -> the earlier person whose name ends with it;
- he/she/his/her -> the most recent person within the last three sentences;
  they/them/their -> the most recent plural actor (a coordination, a group reference);
- a definite bare title ("the minister", "the ambassador") -> the most recent earlier actor
  with that title;
- a group reference ("the two states", "the parties", "both sides") -> the two countries
  most often named in the article (ties go to the first named).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

from polybius.actors.countries import country_name, is_country_code
from polybius.records import Actor

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from polybius.actors.resolve import _Anchor, _Group

__all__ = ["link", "salient_countries"]

# How far back (in sentences) a pronoun looks for its antecedent.
PRONOUN_WINDOW = 3
# Where the family name comes first, also in English ("Wang Yi" -> "Wang").
_FAMILY_NAME_FIRST = frozenset({"CHN", "TWN", "HKG", "MAC", "KOR", "PRK", "VNM"})
_NATIONAL = frozenset({"GOV", "MIL", "COP", "LEG", "JUD"})
# Words by which news refers back to an international organisation named before.
_ORG_WORDS = frozenset({"bloc", "alliance", "organisation", "organization", "agency", "watchdog"})
# Titles that serve abroad: with no earlier holder, "the ambassador" names no country.
_DIPLOMATIC = frozenset(
    {"ambassador", "envoy", "diplomat", "consul", "charge d'affaires", "embassy", "consulate",
     "mission", "attache", "delegation", "delegate", "negotiator", "representative"}
)  # fmt: skip
# "it"/"its" look back less far: the nearest country or organisation is usually meant.
NEUTER_WINDOW = 1


def salient_countries(groups: list[_Group], anchors: list[_Anchor], limit: int = 2) -> list[str]:
    """The ``limit`` countries named most often (a phrase counts once per country), most
    named first (ties: first named first)."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for group in groups:
        if not group.direct or group.pair:
            continue
        named = {a.country for a in group.actors if a.country}
        named.update(
            anchors[i].iso3 or ""
            for i in group.anchors
            if anchors[i].kind in ("country", "capital")
        )
        for iso in named:
            if iso and is_country_code(iso):
                counts[iso] += 1
                first.setdefault(iso, group.start)
    ranked = sorted(counts, key=lambda iso: (-counts[iso], first[iso], iso))
    return ranked[:limit]


_GO_BETWEEN_VERBS = frozenset({"mediate", "broker", "host", "facilitate", "sponsor"})
_SAYING = frozenset({"say", "tell", "announce", "add", "state", "report", "confirm"})


def _go_betweens(doc: Doc, groups: list[_Group]) -> set[str]:
    """Countries the story names only as a mediator or host ("mediated by Qatar", "brokered
    by China", "Qatar mediated"): never one of "the two sides"."""
    brokers: set[str] = set()
    acting: set[str] = set()
    for group in groups:
        if not group.direct or not group.actors:
            continue
        head = doc[group.head]
        verb = head.head.head if head.dep_ == "pobj" and head.head.lower_ == "by" else head.head
        by_or_subject = head.dep_ == "nsubj" or (head.dep_ == "pobj" and head.head.lower_ == "by")
        countries = {a.country for a in group.actors if a.country}
        if by_or_subject and verb.lemma_.lower() in _GO_BETWEEN_VERBS:
            brokers |= countries
        elif head.dep_ in ("nsubj", "nsubjpass") and verb.lemma_.lower() not in _SAYING:
            acting |= countries  # a party acts itself; saying so is no act
    return brokers - acting


def _first_named(groups: list[_Group], iso: str) -> int:
    return next(
        (g.start for g in groups if g.direct and any(a.country == iso for a in g.actors)),
        1 << 30,
    )


def _copy(actor: Actor, text: str, start: int, end: int, link: str) -> Actor:
    return replace(actor, text=text, start=start, end=end, link=link)


def _where(groups: list[_Group], g: int) -> str:
    return f"sentence {groups[g].sentence}"


def link(doc: Doc, anchors: list[_Anchor], groups: list[_Group]) -> None:
    pair_countries = salient_countries(groups, anchors)
    # "the two sides" are the two most named countries that are no go-between ("talks in Doha
    # mediated by Qatar"), in the order the story named them: the first named acts
    brokers = _go_betweens(doc, groups)
    sides = [c for c in salient_countries(groups, anchors, limit=4) if c not in brokers][:2]
    pair_in_order = sorted(
        sides if len(sides) == 2 else pair_countries, key=lambda iso: _first_named(groups, iso)
    )
    token_group: dict[int, int] = {}
    for g, group in enumerate(groups):
        for i in group.anchors:
            for t in range(anchors[i].start, anchors[i].end):
                token_group.setdefault(t, g)
    persons: list[int] = []  # groups naming a person, in text order
    for g, group in enumerate(groups):
        if not group.actors:
            continue
        first = group.actors[0]
        members = [anchors[i] for i in group.anchors]
        kinds = {a.kind for a in members}
        if kinds == {"pronoun"} and members[0].neuter:
            _neuter(doc, groups, g, members[0].start, token_group)
        elif kinds == {"pronoun"}:
            _pronoun(groups, g, members[0].plural, persons)
        elif first.kind == "person":
            _surname(doc, groups, g, members, persons)
            persons.append(g)
        elif first.kind == "organisation" and all(
            a.kind == "org" and a.org is None for a in members
        ):
            _surname(doc, groups, g, members, persons)  # NER often calls a bare surname an ORG
        elif group.pair:
            _pair(groups, g, members, pair_in_order)
        elif group.definite and first.role:
            _title(groups, g, pair_countries[:1])
    _possessed(doc, anchors, groups)


def _possessed(doc: Doc, anchors: list[_Anchor], groups: list[_Group]) -> None:
    """ "its forces", "their armed forces": a body owned by a resolved pronoun is its country's."""
    pronoun_group: dict[int, int] = {}
    for g, group in enumerate(groups):
        members = [anchors[i] for i in group.anchors]
        if len(members) == 1 and members[0].kind == "pronoun":
            pronoun_group[members[0].start] = g
    if not pronoun_group:
        return
    for group in groups:
        if not group.actors or group.actors[0].country is not None:
            continue
        base = group.actors[0]
        if base.kind not in ("role", "group", "organisation"):
            continue
        for child in doc[group.head].children:
            owner = pronoun_group.get(child.i)
            if child.dep_ != "poss" or owner is None:
                continue
            owners = [a for a in groups[owner].actors if a.country]
            if not owners:
                continue
            names = ", ".join(dict.fromkeys(a.name for a in owners))
            group.actors = [
                replace(
                    base,
                    country=a.country,
                    name=country_name(a.country)
                    if a.country and is_country_code(a.country)
                    else a.name,
                    code=(a.country or "") + "".join(base.sectors[:3]),
                    link=f"{child.text.lower()} -> {names}",
                )
                for a in owners
            ]
            break


def _pronoun(groups: list[_Group], g: int, plural: bool, persons: list[int]) -> None:
    group = groups[g]
    base = group.actors[0]
    window = PRONOUN_WINDOW
    for h in range(g - 1, -1, -1):
        candidate = groups[h]
        if group.sentence - candidate.sentence > window:
            return
        if (
            not candidate.actors
            or candidate.actors[0].kind == "pronoun"
            and not candidate.actors[0].link
        ):
            continue
        if not plural:
            if candidate.actors[0].kind != "person":
                continue
            target = candidate.actors[0]
            group.actors = [
                _copy(
                    target,
                    base.text,
                    base.start,
                    base.end,
                    f"pronoun -> {target.name} ({_where(groups, h)})",
                )
            ]
            group.direct = False
            return
        several = [a for a in candidate.actors if a.country]
        for other in candidate.coordinated:
            several.extend(a for a in groups[other].actors if a.country)
        if (
            len({a.country for a in several}) >= 2
            or candidate.pair
            or (candidate.actors[0].kind == "group" and candidate.actors[0].country)
        ):
            names = ", ".join(dict.fromkeys(a.name for a in several or candidate.actors))
            group.actors = [
                _copy(
                    a, base.text, base.start, base.end, f"pronoun -> {names} ({_where(groups, h)})"
                )
                for a in (several or candidate.actors)
            ]
            group.direct = False
            return


def _neuter(doc: Doc, groups: list[_Group], g: int, at: int, token_group: dict[int, int]) -> None:
    """it/its: the nearest earlier subject, if that subject is a country or organisation.

    "Russia said it would respond" -> Russia; but "the cooperation between Azerbaijan and Iran
    is important, as it will improve ..." -> nothing, because the nearest subject is a thing.
    """
    group = groups[g]
    base = group.actors[0]
    for i in range(at - 1, max(-1, at - 80), -1):
        token = doc[i]
        if token.dep_ not in ("nsubj", "nsubjpass") or token.text.lower() in (
            "it",
            "that",
            "which",
        ):
            continue
        h = token_group.get(i)
        if h is None or h == g or group.sentence - groups[h].sentence > NEUTER_WINDOW:
            return
        candidate = groups[h]
        target = candidate.actors[0] if candidate.actors else None
        if target is not None and (target.kind in ("person", "group") or candidate.pair):
            continue  # people and plurals are never "it"
        if target is None or target.kind not in ("country", "capital", "organisation"):
            return
        if not target.country or candidate.pair or len(candidate.actors) > 1:
            return
        link = f"pronoun -> {target.name} ({_where(groups, h)})"
        group.actors = [_copy(target, base.text, base.start, base.end, link)]
        group.direct = False
        return


def _surname(
    doc: Doc, groups: list[_Group], g: int, members: list[_Anchor], persons: list[int]
) -> None:
    group = groups[g]
    person = next(a for a in members if a.kind in ("person", "org"))
    words = [t.text for t in doc[person.start : person.end]]
    base = group.actors[0]
    for h in reversed(persons):
        earlier = groups[h].actors[0]
        earlier_words = earlier.name.split()
        if len(earlier_words) <= len(words):
            continue
        family_first = (
            earlier.country in _FAMILY_NAME_FIRST and earlier_words[: len(words)] == words
        )
        if earlier_words[-len(words) :] != words and not family_first:
            continue
        if person.entry is not None and person.entry.name != earlier.name:
            continue
        if base.country and earlier.country and base.country != earlier.country:
            continue
        merged = replace(
            earlier,
            text=base.text, start=base.start, end=base.end,
            role=base.role or earlier.role,
            sectors=tuple(dict.fromkeys((*earlier.sectors, *base.sectors))) if base.role else earlier.sectors,
            link=f"surname of {earlier.name} ({_where(groups, h)})",
        )  # fmt: skip
        if merged.country:
            merged = replace(merged, code=merged.country + "".join(merged.sectors[:3]))
        group.actors = [merged]
        group.direct = False
        return


def _title(groups: list[_Group], g: int, countries: list[str]) -> None:
    group = groups[g]
    base = group.actors[0]
    role = base.role or ""
    last = role.split()[-1] if role else ""
    for h in range(g - 1, -1, -1):
        earlier = groups[h].actors[0] if groups[h].actors else None
        if earlier is None or earlier.country is None:
            continue
        # "the Council" after "the UN Security Council"; "the bloc" after "the European Union"
        same_body = earlier.kind == "organisation" and (
            last in earlier.name.lower().split()
            or (last in _ORG_WORDS and earlier.country in ("IGO", "NGO"))
        )
        if not same_body and not earlier.role:
            continue
        if same_body or earlier.role == role or (earlier.role or "").split()[-1] == last:
            group.actors = [
                _copy(
                    earlier,
                    base.text,
                    base.start,
                    base.end,
                    f"{base.text.lower()} -> {earlier.name} ({_where(groups, h)})",
                )
            ]
            group.direct = False
            return
    # No earlier holder: "the foreign ministry said" in a story about one country is that
    # country's. Only national institutions, and only when one country leads the article.
    if countries and _NATIONAL & set(base.sectors) and role not in _DIPLOMATIC:
        iso = countries[0]
        group.actors = [
            replace(
                base,
                country=iso,
                name=country_name(iso),
                code=iso + "".join(base.sectors[:3]),
                link=f"{base.text.lower()} -> {country_name(iso)} (the article's most named country)",
            )
        ]
        group.direct = False


def _pair(groups: list[_Group], g: int, members: list[_Anchor], countries: list[str]) -> None:
    group = groups[g]
    if not countries:
        return
    base = group.actors[0]
    pair = next(a for a in members if a.kind == "pair")
    sectors = base.sectors
    kind = base.kind
    if {a.kind for a in members} == {"pair"}:
        kind = "country"
        sectors = ()
        if pair.role is not None and pair.role.sectors:
            sectors = ("GOV",)  # "the sides", "the parties" in diplomatic news are governments
    names = ", ".join(country_name(c) for c in countries)
    evidence = f"group -> {names} (the article's {len(countries)} most named countries, go-betweens aside)"
    group.actors = [
        replace(
            base, name=country_name(iso), country=iso, sectors=sectors, kind=kind,
            code=iso + "".join(sectors[:3]), link=evidence,
        )
        for iso in countries
    ]  # fmt: skip
    group.direct = False
