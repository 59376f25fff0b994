"""The actors stage: find who is named in a parsed article and code each mention.

The cascade, per document (one pass each, linear in the number of tokens):

1. *Lexicon match*: one longest-match scan over the tokens against a single table keyed by
   lower-cased token tuples (countries, adjectives, capitals, organisations, people from the
   dictionary, roles). Proper-noun kinds need a capital letter in the text; acronyms need
   their exact case ("WHO", "US", "IS"), so "who", "us" and "is" never match.
2. *NER fallback*: spaCy PERSON entities the lexicon does not cover become unknown people;
   ORG entities with no role inside become unknown organisations.
3. *Noun-phrase grouping*: each anchor climbs the dependency tree through name-internal
   relations (compound, flat, poss, amod, appos, "of"/"from" phrases) to the anchor that
   heads its noun phrase, so "Azerbaijan's Defense Minister Colonel General Zakir Hasanov"
   is one actor. Diplomats take "to X"/"in X" after them as their host country (read off the
   word order, because the parser often hangs "to Azerbaijan" on the verb).
4. *Coreference* (:mod:`polybius.actors.coref`): surnames, pronouns, "the minister", and
   group references ("the two states") are tied to earlier mentions.
"""

from __future__ import annotations

import logging
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from polybius.actors._tsv import fold
from polybius.actors.countries import (
    all_countries,
    capital_code,
    country_code,
    country_name,
    is_country_code,
)
from polybius.actors.dictionary import ActorDictionary, Entry
from polybius.actors.roles import Organisation, Role, organisations, roles
from polybius.records import Actor, Article

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["ActorMentions", "ActorResolver"]

log = logging.getLogger(__name__)

# Relations through which a modifier belongs to the noun phrase of its head.
_ATTACH = frozenset(
    {"compound", "flat", "amod", "poss", "appos", "nmod", "npadvmod", "nn", "title"}
)
# Relations whose subtree is another clause: never searched for a phrase's actor.
_CLAUSAL = frozenset(
    {
        "relcl",
        "acl",
        "advcl",
        "ccomp",
        "xcomp",
        "csubj",
        "parataxis",
        "conj",
        "cc",
        "mark",
        "punct",
        "dep",
    }
)
_PLACE_PREPOSITIONS = frozenset(
    {"in", "at", "near", "into", "inside", "outside", "across", "around", "throughout", "to"}
)
_HONORIFICS = frozenset(
    {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "madam", "mister"}
)
_SINGULAR_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers", "himself", "herself"})
_PLURAL_PRONOUNS = frozenset({"they", "them", "their", "theirs", "themselves"})
_NEUTER_PRONOUNS = frozenset({"it", "its", "itself"})
_TWO = frozenset({"two", "2", "both"})
_PAIRABLE_ROLES = frozenset(
    {"government", "leader", "minister", "president", "delegation", "army", "navy", "military",
     "ministry", "parliament", "forces", "head", "commander", "chief", "general", "envoy",
     "negotiator", "diplomat", "ambassador", "official", "spokesman"}
)  # fmt: skip
_NOMINAL = frozenset({"NOUN", "PROPN", "PRON", "NUM", "X", ""})

# Priority of lexicon kinds when two tables hold the same phrase ("Foreign Office").
_PRIORITY = {"person": 0, "org": 1, "country": 2, "capital": 3, "adjective": 4, "role": 5}


@dataclass(slots=True)
class _Item:
    kind: str  # person | org | country | capital | adjective | role
    phrase: str  # as written in the lexicon, for case checks
    iso3: str | None = None
    org: Organisation | None = None
    role: Role | None = None
    person: str | None = None  # the dictionary key


@dataclass(slots=True)
class _Anchor:
    start: int  # token indices, end exclusive
    end: int
    kind: str  # person | org | country | capital | role | pronoun | pair
    iso3: str | None = None
    org: Organisation | None = None
    role: Role | None = None
    entry: Entry | None = None
    name: str | None = None  # a person's name as written (unknown people)
    known: bool = False  # the name is in the dictionary (even if not valid on this date)
    plural: bool = False  # pronoun number
    neuter: bool = False  # it/its: a country or organisation, never a person
    parent: int = -1  # the anchor this one was absorbed into
    relation: str = "core"  # core | country | host


@dataclass(slots=True)
class _Group:
    anchors: list[int]
    head: int  # token index of the phrase's head
    start: int  # token span (end exclusive)
    end: int
    sentence: int
    actors: list[Actor] = field(default_factory=list)
    coordinated: list[int] = field(default_factory=list)  # other groups ("Azerbaijan and Iran")
    direct: bool = True  # coded from its own words (not by coreference)
    kind: str = "unknown"
    pair: bool = False  # "the two states": filled by coreference
    definite: bool = False  # "the minister"


class _Lexicon:
    """One table: folded token tuple -> items, with the longest phrase per first token."""

    def __init__(self, dictionary: ActorDictionary) -> None:
        tokenize = _tokenizer()
        self.table: dict[tuple[str, ...], list[_Item]] = {}
        self.longest: dict[str, int] = {}

        def add(phrase: str, item: _Item) -> None:
            words = tuple(fold(t) for t in tokenize(phrase))
            if not words:
                return
            if words[0] == "the" and len(words) > 1:
                words = words[1:]  # "the Kremlin": the article is matched by the phrase rule
            bucket = self.table.setdefault(words, [])
            if not any(i.kind == item.kind for i in bucket):
                bucket.append(item)
                bucket.sort(key=lambda i: _PRIORITY[i.kind])
            if len(words) > self.longest.get(words[0], 0):
                self.longest[words[0]] = len(words)

        for country in all_countries():
            for name in country.names:
                add(name, _Item("country", name, iso3=country.iso3))
            for adjective in country.adjectives:
                add(adjective, _Item("adjective", adjective, iso3=country.iso3))
            for capital in country.capitals:
                add(capital, _Item("capital", capital, iso3=country.iso3))
        for org in organisations():
            for name in org.names:
                add(name, _Item("org", name, org=org))
        for role in roles().values():
            add(role.phrase, _Item("role", role.phrase, role=role))
        for name in dictionary.names():
            add(name, _Item("person", name, person=name))

    def match(self, doc: Doc) -> list[tuple[int, int, _Item]]:
        keys: list[str] = []
        lemmas: list[str] = []
        for t in doc:  # one pass: every Token access builds a new object
            key = fold(t.text)
            keys.append(key)
            lemmas.append(fold(t.lemma_) if t.lemma_ else key)
        found: list[tuple[int, int, _Item]] = []
        n = len(keys)
        i = 0
        table, longest = self.table, self.longest
        while i < n:
            top = longest.get(keys[i], 0)
            hit = None
            items: list[_Item] | None
            if top == 0 and lemmas[i] != keys[i]:
                top = longest.get(lemmas[i], 0)
            if top == 0 and keys[i].endswith("s"):
                # Plural demonyms ("Palestinians", "Iraqis"): spaCy keeps proper-noun lemmas.
                plural = [it for it in table.get((keys[i][:-1],), ()) if it.kind == "adjective"]
                item = _fits(doc, i, 1, plural) if plural else None
                if item is not None:
                    found.append((i, i + 1, item))
                    i += 1
                    continue
            for length in range(min(top, n - i), 0, -1):
                words = tuple(keys[i : i + length])
                items = table.get(words)
                if items is None and lemmas[i + length - 1] != keys[i + length - 1]:
                    items = table.get((*words[:-1], lemmas[i + length - 1]))
                    # Plurals: "ministers", and demonyms used as nouns ("the Palestinians").
                    items = [it for it in items or () if it.kind in ("role", "adjective")] or None
                if items:
                    item = _fits(doc, i, length, items)
                    if item is not None:
                        hit = (i, i + length, item)
                        break
            if hit is None:
                i += 1
                continue
            found.append(hit)
            i = hit[1]
        return found


def _fits(doc: Doc, start: int, length: int, items: list[_Item]) -> _Item | None:
    """The first item whose case rules the text obeys."""
    tokens = doc[start : start + length]
    has_capital = any(any(c.isupper() for c in t.text) for t in tokens)
    for item in items:
        if item.kind == "role":
            root = tokens.root if length > 1 else tokens[0]
            if root.pos_ not in _NOMINAL:  # "military field", "to head to", "force them"
                continue
            return item
        if not has_capital:
            continue
        written = item.phrase.split()
        if any(w.isupper() and len(w) > 1 for w in written):
            text = "".join(t.text for t in tokens)
            if text.replace(".", "") != "".join(written).replace(".", "") and text != "".join(
                written
            ):
                continue  # acronyms need their own case: "US" not "Us", "WHO" not "Who"
        return item
    return None


@lru_cache(maxsize=1)
def _tokenizer():  # type: ignore[no-untyped-def]
    """spaCy's English tokenizer, so lexicon phrases split exactly like the text does."""
    import spacy

    nlp = spacy.blank("en")
    return lambda text: [t.text for t in nlp.tokenizer(text)]


def _lexicon_for(dictionary: ActorDictionary) -> _Lexicon:
    """The match table for ``dictionary``, built once and kept on the dictionary itself."""
    lexicon = dictionary.lexicon_cache
    if not isinstance(lexicon, _Lexicon):
        lexicon = _Lexicon(dictionary)
        dictionary.lexicon_cache = lexicon
    return lexicon


_ETHNIC = Role("ethnic", ("CVL",), "ethnic group", frozenset({"group"}), "resolve.py")


class ActorResolver:
    """Finds and codes the actors of a parsed article. Build once; ``resolve`` per document."""

    def __init__(self, *, dictionary: ActorDictionary | None = None) -> None:
        self.dictionary = dictionary if dictionary is not None else ActorDictionary.bundled()
        self.lexicon = _lexicon_for(self.dictionary)

    def resolve(self, doc: Doc, article: Article) -> ActorMentions:
        from polybius.actors import coref

        on = article.published
        anchors = self._anchors(doc, on)
        if article.body_start:
            # "DOHA, Nov 25 (Reuters) —" says where the story was filed, not who acted.
            anchors = [a for a in anchors if doc[a.start].idx >= article.body_start]
        token_anchor = [-1] * len(doc)
        for index, anchor in enumerate(anchors):
            for i in range(anchor.start, anchor.end):
                token_anchor[i] = index
        _attach(doc, anchors, token_anchor)
        hosts = _hosts(doc, anchors, token_anchor)
        sentence_of = _sentence_index(doc)
        groups = _groups(doc, anchors, sentence_of)
        group_of_anchor = {a: g for g, group in enumerate(groups) for a in group.anchors}
        for _g, group in enumerate(groups):
            group.actors = _compose(doc, anchors, group, hosts, on)
            group.kind = group.actors[0].kind if group.actors else "unknown"
        _coordinate(doc, anchors, groups, group_of_anchor)
        home = _home_country(article)
        if home is not None:
            home = _story_home(anchors, sentence_of, home)
        if home is not None:  # titled people first, so that their later mentions inherit it
            _default_to_home(anchors, groups, home, people=True)
        coref.link(doc, anchors, groups)
        if home is not None:
            _default_to_home(anchors, groups, home, people=False)
        return ActorMentions(doc, groups, anchors, token_anchor, group_of_anchor)

    # -- anchors --------------------------------------------------------------------------

    def _anchors(self, doc: Doc, on: date | None) -> list[_Anchor]:
        anchors: list[_Anchor] = []
        covered = [False] * len(doc)
        # "Michael Jordan", "Jordan Peterson": a place name inside a longer PERSON entity is
        # part of the name.
        person_span: dict[int, tuple[int, int]] = {}
        for ent in doc.ents:
            if ent.label_ == "PERSON" and len(ent) > 1:
                for i in range(ent.start, ent.end):
                    person_span[i] = (ent.start, ent.end)
        for start, end, item in self.lexicon.match(doc):
            span = person_span.get(start)
            if (
                item.kind in ("country", "capital")  # names, not adjectives ("Iranian")
                and span is not None
                and span[0] <= start
                and end <= span[1]
                and span[1] - span[0] > end - start
            ):
                continue
            anchor = self._anchor_for(doc, start, end, item, on)
            if anchor is None:
                continue
            anchors.append(anchor)
            for i in range(start, end):
                covered[i] = True
        for ent in doc.ents:
            if ent.label_ not in ("PERSON", "ORG"):
                continue
            free = [t.i for t in ent if not covered[t.i]]
            while free and doc[free[0]].text.lower() in _HONORIFICS | {"the", "a"}:
                free.pop(0)
            while (
                free and doc[free[-1]].tag_ == "POS" or (free and not doc[free[-1]].text.isalnum())
            ):
                free.pop()
            if not free or free[-1] - free[0] + 1 != len(free):
                continue
            if not any(doc[i].text[:1].isupper() for i in free):
                continue
            start, end = free[0], free[-1] + 1
            if ent.label_ == "PERSON":
                anchors.append(_Anchor(start, end, "person", name=doc[start:end].text))
            elif not any(covered[t.i] and a.kind == "role" for t in ent for a in _at(anchors, t.i)):
                anchors.append(
                    _Anchor(
                        start,
                        end,
                        "org",
                        name=ent.text if ent[0].text.lower() != "the" else ent[1:].text,
                    )
                )
            for i in range(start, end):
                covered[i] = True
        # "Singh thanked France", "Chume thanked SADC": the tagger often misses a surname
        # that opens a sentence, or calls it a place. A person named in full in the story is
        # meant whatever the tagger says.
        surnames = {doc[a.end - 1].text for a in anchors if a.kind == "person" and a.end - a.start > 1}
        for token in doc:
            if covered[token.i]:
                continue
            if token.text in surnames and token.pos_ == "PROPN" and token.text[:1].isupper():
                anchors.append(_Anchor(token.i, token.i + 1, "person", name=token.text))
                covered[token.i] = True
                continue
            lower = token.text.lower()
            if (
                lower in _SINGULAR_PRONOUNS
                or lower in _PLURAL_PRONOUNS
                or lower in _NEUTER_PRONOUNS
            ):
                if token.pos_ in ("PRON", "DET", ""):
                    anchors.append(
                        _Anchor(
                            token.i,
                            token.i + 1,
                            "pronoun",
                            plural=lower in _PLURAL_PRONOUNS,
                            neuter=lower in _NEUTER_PRONOUNS,
                        )
                    )
            elif lower == "both" and token.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj"):
                anchors.append(_Anchor(token.i, token.i + 1, "pair", plural=True))
        anchors.sort(key=lambda a: a.start)
        token_anchor = {i: a for a in anchors for i in range(a.start, a.end)}
        table = roles()
        for anchor in anchors:
            if anchor.kind == "role" and _is_pair(doc, anchor):
                anchor.kind = "pair"
            elif anchor.kind == "capital":
                _seat_as_body(doc, anchor, token_anchor, table)
        return anchors

    def _anchor_for(
        self, doc: Doc, start: int, end: int, item: _Item, on: date | None
    ) -> _Anchor | None:
        if (
            item.kind in ("country", "capital", "org")
            and start > 0
            and doc[start - 1].text.lower() == "the"
        ):
            start -= 1  # "the Kremlin", "the UN Security Council": the article is the mention's
        if item.kind == "adjective" and start > 0 and doc[start - 1].text.lower() == "ethnic":
            # "ethnic Albanians in Serbia" are a community, not Albania: coded where they live
            return _Anchor(start - 1, end, "role", role=_ETHNIC)
        if item.kind in ("country", "adjective"):
            return _Anchor(start, end, "country", iso3=item.iso3)
        if item.kind == "capital":
            return _Anchor(start, end, "capital", iso3=item.iso3)
        if item.kind == "org":
            return _Anchor(
                start, end, "org", org=item.org, iso3=item.org.country if item.org else None
            )
        if item.kind == "role":
            return _Anchor(start, end, "role", role=item.role)
        entries = self.dictionary.lookup(item.person or "", on)
        return _Anchor(
            start, end, "person", entry=entries[0] if entries else None,
            name=doc[start:end].text, known=True,
        )  # fmt: skip


def _seat_as_body(
    doc: Doc, anchor: _Anchor, token_anchor: dict[int, _Anchor], table: dict[str, Role]
) -> None:
    """ "Pakistan's Foreign Office" is Pakistan's, not Whitehall: a seat-of-government name that
    is also a generic body becomes that body when another country modifies it."""
    words = [t.text for t in doc[anchor.start : anchor.end] if t.text.lower() != "the"]
    role = table.get(fold(" ".join(words)))
    if role is None:
        return
    for i in range(anchor.start, anchor.end):
        for child in doc[i].children:
            other = token_anchor.get(child.i)
            if (
                child.dep_ in ("poss", "amod", "compound")
                and other is not None
                and other is not anchor
                and other.kind == "country"
                and other.iso3 != anchor.iso3
            ):
                anchor.kind, anchor.role, anchor.iso3 = "role", role, None
                return


def _home_country(article: Article) -> tuple[str, str] | None:
    """(ISO3, place) of the dateline: "PARIS, Oct 17 —" or "KADUNA, Nigeria, March 9 —".

    Only a capital or a country named in the dateline counts (no gazetteer here).
    """
    place = article.dateline_place
    if not place:
        # Articles built by hand skip the reader, which sets dateline_place; ask the same parser.
        from polybius.when import read_dateline

        wire = read_dateline(article.text[:400])
        place = wire.place if wire is not None else None
    parts = [p.strip() for p in (place or "").split(",") if p.strip()]
    if not parts:
        return None
    for part in reversed(parts):
        iso3 = country_code(part) or capital_code(part.title()) or capital_code(part)
        if iso3:
            return iso3, parts[0]
    return None


# Organisations of no one state whose national branches act for their country.
_TRANSNATIONAL = frozenset({"IMG", "NGO", "MNC", "REB", "ISL", "CHR", "UIS"})


def _story_home(
    anchors: list[_Anchor], sentence_of: list[int], dateline: tuple[str, str]
) -> tuple[str, str] | None:
    """The country whose unnamed officials, police and crowds the story is about.

    The dateline's, when the lead (the first sentence that names anyone) names it or no
    country at all. A lead about one other country was filed from a bureau abroad ("BANGKOK,
    March 27 - A Myanmar military air strike ..."): that country is home. A lead about
    several others gives no home."""
    iso3, place = dateline
    if not anchors:
        return dateline
    first = sentence_of[anchors[0].start]
    named = {a.iso3 for a in anchors if a.iso3 and sentence_of[a.start] == first}
    named = {c for c in named if is_country_code(c)}
    if not named or iso3 in named:
        return dateline
    if len(named) == 1:
        return next(iter(named)), f"{place}, a bureau abroad"
    return None


# Sectors whose unnamed members in a datelined story belong to the dateline country
# ("workers went on strike", "police arrested"); refugees and diplomats rarely do.
_FOREIGN_SECTORS = frozenset({"REF", "IGO", "NGO"})
_CAPTIVES = frozenset({"hostage", "prisoner", "detainee", "captive"})
_NATIONAL_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "OPP", "PTY"})


def _default_to_home(
    anchors: list[_Anchor], groups: list[_Group], home: tuple[str, str], *, people: bool
) -> None:
    """Unnamed domestic actors, and unknown people with a national title ("Government spokesman
    Colonel Abdoulaye Maiga" under a BAMAKO dateline), belong to the dateline country."""
    iso3, place = home
    for group in groups:
        if not group.direct or not group.actors:
            continue
        first = group.actors[0]
        if first.country is not None:
            continue
        members = [anchors[i] for i in group.anchors]
        if people:
            if first.kind != "person" or not any(a.kind == "role" for a in members):
                continue
            if not set(first.sectors) & _NATIONAL_SECTORS:
                continue
            if any(a.kind in ("org", "pair", "pronoun") or a.entry is not None for a in members):
                continue
        elif first.kind not in ("role", "group", "organisation") or any(
            a.kind in ("person", "org", "pair", "pronoun") for a in members
        ):
            continue
        if any(a.role is not None and "diplomat" in a.role.flags for a in members):
            continue
        if set(first.sectors) & _FOREIGN_SECTORS or first.role in _CAPTIVES:
            continue  # hostages freed in a Doha story are not Qatari
        group.actors = [
            replace(
                a,
                country=iso3,
                name=a.name if people else country_name(iso3),
                code=_code(iso3, a.sectors),
                link=f"dateline country ({place})",
            )
            for a in group.actors
        ]


def _at(anchors: list[_Anchor], i: int) -> list[_Anchor]:
    return [a for a in anchors if a.start <= i < a.end]


def _is_pair(doc: Doc, anchor: _Anchor) -> bool:
    """ "the two states", "both sides", "the parties": a reference to two countries."""
    if anchor.end - anchor.start != 1 or anchor.role is None:
        return False
    token = doc[anchor.start]
    lemma = fold(token.lemma_ or token.text.lower())
    pairable = "pair" in anchor.role.flags or lemma in ("party", "parties")
    # "the two governments", "both ministers": institutions counted in twos are the two
    # countries; "two soldiers" are just two soldiers.
    role_name = anchor.role.role or ""
    counted = bool(role_name) and role_name.split()[-1] in _PAIRABLE_ROLES
    if not (pairable or counted) or not token.text.lower().endswith("s"):
        return False
    if counted and not pairable:
        return any(
            c.text.lower() in _TWO for c in token.children if c.dep_ in ("nummod", "det", "predet")
        )
    children = list(token.children)
    if not children and anchor.start > 0:  # hand-built docs without a parse: read the words
        before = doc[max(0, anchor.start - 2) : anchor.start]
        return any(t.text.lower() in _TWO for t in before) or (
            len(before) > 0
            and before[-1].text.lower() == "the"
            and lemma in ("side", "sides", "party", "parties")
        )
    if any(
        c.text.lower() in _TWO and c.dep_ in ("nummod", "det", "predet", "amod", "quantmod")
        for c in children
    ):
        return True
    modified = any(c.dep_ in ("amod", "compound", "poss", "nmod") for c in children)
    definite = any(c.text.lower() == "the" for c in children)
    return definite and not modified and lemma in ("side", "sides", "party", "parties")


# -- grouping -----------------------------------------------------------------------------


def _accepts(head: _Anchor, child: _Anchor) -> bool:
    """Can ``child`` be a modifier inside the phrase headed by ``head``?"""
    if head.kind not in ("person", "role", "org"):
        return False
    if child.kind in ("pronoun",):
        return False
    if head.kind == "person" and child.kind == "person":
        return False  # two people side by side are two actors
    return not (head.kind == "org" and child.kind in ("person", "org"))


def _root(doc: Doc, anchor: _Anchor) -> Token:
    for i in range(anchor.end - 1, anchor.start - 1, -1):
        token = doc[i]
        if not (anchor.start <= token.head.i < anchor.end) or token.head.i == i:
            return token
    return doc[anchor.end - 1]


def _attach_by_order(doc: Doc, anchors: list[_Anchor]) -> None:
    """Without a parse, a country word right before a title or name modifies it
    ("Iranian officials", "Iran's ambassador")."""
    for index, anchor in enumerate(anchors[:-1]):
        if anchor.kind not in ("country", "capital", "org"):
            continue
        nxt = anchors[index + 1]
        gap = nxt.start - anchor.end
        if nxt.kind in ("role", "person") and (
            gap == 0 or (gap == 1 and doc[anchor.end].text.lower() in ("'s", "'"))
        ):
            anchor.parent = index + 1
            anchor.relation = "country" if anchor.kind != "org" else "core"


def _attach(doc: Doc, anchors: list[_Anchor], token_anchor: list[int]) -> None:
    if not doc.has_annotation("DEP"):
        _attach_by_order(doc, anchors)
        return
    carries_country: set[int] = set()  # role anchors that absorbed a country or organisation
    for index, anchor in enumerate(anchors):
        if anchor.kind == "pronoun":
            continue
        if anchor.parent != -1:
            continue  # already placed (by a later rule never; kept for safety)
        token = _root(doc, anchor)
        for _step in range(8):
            head = token.head
            if head.i == token.i:
                break
            dep = token.dep_
            if dep in _ATTACH:
                target = token_anchor[head.i]
                if target not in (-1, index):
                    if _accepts(anchors[target], anchor):
                        anchor.parent = target
                        if anchor.kind in ("country", "capital", "org"):
                            carries_country.add(target)
                        anchor.relation = (
                            "country" if anchor.kind in ("country", "capital", "pair") else "core"
                        )
                    break
                if head.pos_ == "PROPN" and dep in ("compound", "flat"):
                    token = head  # a name word the lexicon does not know: climb through it
                    continue
                if head.dep_ in ("compound", "amod", "nmod") and head.head.i != head.i:
                    token = head  # "Lebanon's caretaker Prime Minister": a modifier in between
                    continue
                if head.text.lower() == "led" and anchor.kind in ("country", "capital"):
                    token = head  # "Saudi-led coalition", "Vietnamese-led forces"
                    continue
                break
            if dep == "pobj" and head.dep_ == "prep" and head.text.lower() in ("in", "at"):
                # "a court in Guyana", "demonstrators in Baghdad": a body or crowd located in a
                # country is that country's, unless it names its own ("Iranian officials in
                # Baghdad"); armed forces abroad are not ("troops in Syria").
                target = token_anchor[head.head.i]
                role = anchors[target].role if target not in (-1, index) else None
                if (
                    role is not None
                    and anchors[target].kind == "role"
                    and anchor.kind in ("country", "capital")
                    and role.flags & {"body", "group"}
                    and "diplomat" not in role.flags
                    and set(role.sectors) != {"MIL"}
                ):
                    anchor.parent = target
                    anchor.relation = "located"
                break
            if dep == "pobj" and head.dep_ == "prep" and head.text.lower() in ("of", "from", "for"):
                target = token_anchor[head.head.i]
                child_kind = anchor.kind
                if child_kind == "role" and index in carries_country:
                    child_kind = "org"  # "activists from the Fatah Party": the party's country
                # "King Hassan of Morocco": a person takes "of <country>" (not "of <org>").
                person_of = anchors[target].kind == "person" if target not in (-1, index) else False
                if (
                    target not in (-1, index)
                    and (anchors[target].kind in ("role", "org") or person_of)
                    and child_kind in ("country", "capital", "pair", "org")
                    and not (anchors[target].kind == "org" and child_kind == "org")
                    and not (person_of and child_kind not in ("country", "capital"))
                    and not (person_of and head.text.lower() != "of")
                ):
                    anchor.parent = target
                    anchor.relation = "country"
            break
    # A title right before a name is that person's, whatever the parser says
    # ("... and Saudi national security adviser Musaed al-Aiban" parsed as a coordination).
    for index, anchor in enumerate(anchors[:-1]):
        nxt = anchors[index + 1]
        if (
            anchor.kind == "role"
            and anchor.role is not None
            and "person" in anchor.role.flags
            and nxt.kind == "person"
            and nxt.start == anchor.end
            and nxt.parent != index
        ):
            anchor.parent = index + 1
            anchor.relation = "core"
    # A cycle cannot arise from tree climbing, but a bad hand-built parse could make one.
    for index, anchor in enumerate(anchors):
        seen = {index}
        parent = anchor.parent
        while parent != -1:
            if parent in seen:
                anchor.parent = -1
                break
            seen.add(parent)
            parent = anchors[parent].parent


def _hosts(doc: Doc, anchors: list[_Anchor], token_anchor: list[int]) -> dict[int, list[str]]:
    """Diplomat anchor -> host countries, read off the words after it ("... to Azerbaijan")."""
    hosts: dict[int, list[str]] = {}
    n = len(doc)
    for index, anchor in enumerate(anchors):
        if anchor.kind != "role" or anchor.role is None or "diplomat" not in anchor.role.flags:
            continue
        i = anchor.end
        # "Ambassador of Iran to Azerbaijan": skip the sending country first.
        if i < n and doc[i].text.lower() in ("of", "from"):
            j = i + 1
            if j < n and doc[j].text.lower() == "the":
                j += 1
            if (
                j < n
                and token_anchor[j] != -1
                and anchors[token_anchor[j]].kind in ("country", "capital", "org")
            ):
                sender = token_anchor[j]
                if anchors[sender].parent == -1:
                    anchors[sender].parent = index
                    anchors[sender].relation = "country"
                i = anchors[sender].end
        if i < n and doc[i].text.lower() in ("to", "in", "at"):
            j = i + 1
            if j < n and doc[j].text.lower() == "the":
                j += 1
            if j < n and token_anchor[j] != -1:
                host = anchors[token_anchor[j]]
                if host.kind in ("country", "capital") and host.iso3:
                    hosts.setdefault(index, []).append(host.iso3)
                    host.relation = "host"
                    if host.parent == index:
                        host.parent = -1
    return hosts


def _sentence_index(doc: Doc) -> list[int]:
    index = [0] * len(doc)
    try:
        for number, sent in enumerate(doc.sents):
            for i in range(sent.start, sent.end):
                index[i] = number
    except ValueError:  # a hand-built doc without sentence boundaries
        pass
    return index


def _groups(doc: Doc, anchors: list[_Anchor], sentence_of: list[int]) -> list[_Group]:
    members: dict[int, list[int]] = {}
    for index in range(len(anchors)):
        top = index
        while anchors[top].parent != -1:
            top = anchors[top].parent
        members.setdefault(top, []).append(index)
    groups: list[_Group] = []
    for top, indices in members.items():
        head_anchor = anchors[top]
        head = _root(doc, head_anchor).i
        start = min(anchors[i].start for i in indices)
        end = max(anchors[i].end for i in indices)
        # "the minister", "the two states": the phrase's determiners belong to its text.
        while (
            start > 0
            and doc[start - 1].dep_ in ("det", "nummod", "predet")
            and (doc[start - 1].head.i == head)
        ):
            start -= 1
        groups.append(
            _Group(
                sorted(indices),
                head,
                start,
                end,
                sentence_of[head] if head < len(sentence_of) else 0,
            )
        )
    groups.sort(key=lambda g: (g.start, g.head))
    return groups


def _code(country: str | None, sectors: tuple[str, ...]) -> str | None:
    if not country:
        return None
    return country + "".join(sectors[:3])


def _merge_sectors(*parts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s for part in parts for s in part))


def _compose(
    doc: Doc, anchors: list[_Anchor], group: _Group, hosts: dict[int, list[str]], on: date | None
) -> list[Actor]:
    """The actor(s) of one noun phrase; several when its country is coordinated."""
    members = [anchors[i] for i in group.anchors]
    people = [a for a in members if a.kind == "person"]
    orgs = [a for a in members if a.kind == "org"]
    role_anchors = [a for a in members if a.kind == "role"]
    places = [
        a
        for a in members
        if a.kind in ("country", "capital")
        and a.relation != "host"
        or (a.kind in ("country", "capital") and len(members) == 1)
    ]
    pairs = [a for a in members if a.kind == "pair"]
    pronouns = [a for a in members if a.kind == "pronoun"]
    context = tuple(dict.fromkeys(f"host:{iso}" for i in group.anchors for iso in hosts.get(i, ())))
    span = doc[group.start : group.end]
    text, start, end = span.text, span.start_char, span.end_char
    if context:  # the host is part of the mention's text: "Ambassador of Iran to Azerbaijan"
        last = group.end
        # anchors are sorted by start: look only at the few just after the phrase
        for a in anchors[bisect_left(anchors, group.end, key=lambda a: a.start) :]:
            if a.start - group.end > 3:
                break
            if a.relation == "host":
                last = max(last, a.end)
        span = doc[group.start : last]
        text, end = span.text, span.end_char

    if pronouns and len(members) == 1:
        return [Actor(text=text, name=text, country=None, start=start, end=end, kind="pronoun")]

    role_sectors = _merge_sectors(*(a.role.sectors for a in role_anchors if a.role))
    person_roles = [a.role for a in role_anchors if a.role and a.role.role]
    role_name = None
    if person_roles:
        with_gov = [r for r in person_roles if "GOV" in r.sectors]
        role_name = (with_gov or person_roles)[0].role
    side = any(a.role is not None and "side" in a.role.flags for a in role_anchors)

    countries: list[str] = []
    for anchor in sorted(places, key=lambda a: a.relation == "located"):
        if anchor.iso3 and anchor.iso3 not in countries:
            if anchor.relation == "located" and countries:
                continue  # "Iranian officials in Baghdad" are Iranian
            countries.append(anchor.iso3)
    if pairs:
        group.pair = True
    country: str | None
    alternatives: list[str | None]
    if people:
        person = people[-1]
        entry = person.entry
        if entry is not None:
            country = entry.country
            sectors = _merge_sectors(entry.sectors, role_sectors)
            name = entry.name
            role_name = role_name or entry.role
        else:
            country = (
                countries[0] if countries else (orgs[0].iso3 if orgs and orgs[0].iso3 else None)
            )
            sectors = role_sectors or (orgs[0].org.sectors if orgs and orgs[0].org else ())
            first_word = person.start
            while first_word < person.end - 1 and doc[first_word].text.lower() in _HONORIFICS:
                first_word += 1
            name = doc[first_word : person.end].text
        kind = "person"
        code = _code(country, sectors)
        alternatives = [country]
    elif orgs:
        org_anchor = orgs[0]
        org = org_anchor.org
        country = org.country if org else (countries[0] if countries else None)
        sectors = _merge_sectors(org.sectors if org else (), role_sectors if not org else ())
        name = org.name if org else (org_anchor.name or text)
        code = org.code if org else _code(country, sectors)
        if org and countries and org.country in _TRANSNATIONAL and countries[0] != org.country:
            # "Egypt's Muslim Brotherhood", "the Nigerian Red Cross": that country's branch
            country = countries[0]
            code = _code(country, sectors)
        kind = "organisation"
        alternatives = [country]
    elif role_anchors:
        kind = (
            "group"
            if any(a.role and "group" in a.role.flags for a in role_anchors)
            else (
                "organisation"
                if any(a.role and "body" in a.role.flags for a in role_anchors)
                else "role"
            )
        )
        sectors = role_sectors
        if side:
            kind, role_name = "country", None
        alternatives = list(countries) or [None]
        country = alternatives[0]
        name = country_name(country) if country else (role_name or text)
        code = _code(country, sectors)
        determiners = {c.text.lower() for c in doc[group.head].children if c.dep_ == "det"}
        if group.start > 0:
            determiners.add(doc[group.start - 1].text.lower())
        # a title used as a modifier ("the Army International Games") is not a reference
        modifier = doc[group.head].dep_ in ("compound", "amod", "nmod", "npadvmod")
        group.definite = (
            bool(determiners & {"the", "this", "that"}) and not countries and not modifier
        )
    elif pairs:
        return [Actor(text=text, name=text, country=None, start=start, end=end, kind="group")]
    elif places:
        capital = places[0].kind == "capital" and len(countries) == 1
        country = countries[0] if countries else None
        # "Tehran said", "Moscow's response": the government. "held in Baku": only a place.
        head = doc[group.head]
        located = head.dep_ == "pobj" and head.head.text.lower() in _PLACE_PREPOSITIONS
        sectors = ("GOV",) if capital and not located else ()
        alternatives = list(countries) or [None]
        name = country_name(country) if country else text
        code = _code(country, sectors)
        kind = "capital" if capital else "country"
    else:
        return []
    actors = []
    for alternative in alternatives:
        if alternative != country:
            name_alt = country_name(alternative) if alternative and kind != "person" else name
            code_alt = _code(alternative, sectors)
        else:
            name_alt, code_alt = name, code
        actors.append(
            Actor(
                text=text, name=name_alt, country=alternative, sectors=tuple(sectors), role=role_name,
                code=code_alt, start=start, end=end, kind=kind, context=context,
            )
        )  # fmt: skip
    return actors


def _coordinate(
    doc: Doc, anchors: list[_Anchor], groups: list[_Group], group_of_anchor: dict[int, int]
) -> None:
    """Link coordinated phrases ("Azerbaijan and Iran", "Azerbaijani-Iranian")."""
    head_group: dict[int, int] = {}
    for g, group in enumerate(groups):
        for i in group.anchors:
            for t in range(anchors[i].start, anchors[i].end):
                head_group.setdefault(t, g)
    for g, group in enumerate(groups):
        token = doc[group.head]
        if token.dep_ == "conj":
            other = head_group.get(token.head.i)
            if other is not None and other != g:
                groups[other].coordinated.append(g)
                group.coordinated.append(other)
        # "Azerbaijani-Iranian relations": two country adjectives joined by a hyphen.
        nxt = group.end
        if nxt + 1 < len(doc) and doc[nxt].text == "-":
            other = head_group.get(nxt + 1)
            if (
                other is not None
                and other != g
                and groups[other].kind in ("country", "capital")
                and group.kind in ("country", "capital")
            ):
                groups[other].coordinated.append(g)
                group.coordinated.append(other)
    # Coordinated modifier countries inside one phrase: "Russian and Chinese officials",
    # "seamen of Azerbaijan and Iran" -> one actor per country.
    for g, group in enumerate(groups):
        if not group.actors or group.kind not in ("role", "group", "organisation", "country"):
            continue
        extra: list[str] = []
        for i in group.anchors:
            anchor = anchors[i]
            if anchor.kind not in ("country", "capital") or anchor.relation != "country":
                continue
            root = doc[anchor.end - 1]
            for conj in root.conjuncts:
                other = head_group.get(conj.i)
                if other is None or other == g:
                    continue
                for actor in groups[other].actors:
                    if (
                        actor.kind in ("country", "capital")
                        and actor.country
                        and actor.country not in extra
                    ):
                        extra.append(actor.country)
        base = group.actors[0]
        for iso in extra:
            if any(a.country == iso for a in group.actors):
                continue
            group.actors.append(
                Actor(
                    text=base.text, name=country_name(iso) if base.kind != "person" else base.name,
                    country=iso, sectors=base.sectors, role=base.role, code=_code(iso, base.sectors),
                    start=base.start, end=base.end, kind=base.kind, context=base.context,
                )
            )  # fmt: skip


class ActorMentions:
    """The actors of one article, with lookups by token and by character span."""

    def __init__(
        self,
        doc: Doc,
        groups: list[_Group],
        anchors: list[_Anchor],
        token_anchor: list[int],
        group_of_anchor: dict[int, int],
    ) -> None:
        self.doc = doc
        self._groups = groups
        self._token_group: dict[int, int] = {}
        for g, group in enumerate(groups):
            for i in group.anchors:
                for t in range(anchors[i].start, anchors[i].end):
                    self._token_group.setdefault(t, g)
        self.mentions: list[Actor] = sorted(
            (
                a
                for group in groups
                for a in group.actors
                if a.link or not (a.kind == "pronoun" or (group.pair and a.country is None))
            ),
            key=lambda a: (a.start, a.end),
        )

    def __repr__(self) -> str:
        return f"ActorMentions({len(self.mentions)} mentions)"

    def _group_for(self, token: Token) -> int | None:
        g = self._token_group.get(token.i)
        if g is not None and self._groups[g].actors:
            first = self._groups[g].actors[0]
            if first.kind == "pronoun" and not first.link:
                return None  # a pronoun we could not resolve names no one
            return g
        # Search the phrase's own subtree, breadth first, not into other clauses.
        frontier = [c for c in token.children if c.dep_ not in _CLAUSAL]
        for _depth in range(6):
            best: int | None = None
            nxt: list[Token] = []
            for child in frontier:
                found = self._token_group.get(child.i)
                if (
                    found is not None
                    and self._useful(found)
                    and (best is None or self._rank(found) < self._rank(best))
                ):
                    best = found
                nxt.extend(c for c in child.children if c.dep_ not in _CLAUSAL)
            if best is not None:
                return best
            if not nxt:
                break
            frontier = nxt
        return None

    def _rank(self, g: int) -> tuple[bool, int]:
        """Among modifiers at one depth, one with a country first, then the leftmost."""
        group = self._groups[g]
        return (group.actors[0].country is None, group.start)

    def _useful(self, g: int) -> bool:
        actors = self._groups[g].actors
        return bool(actors) and (
            actors[0].country is not None or actors[0].kind in ("person", "organisation")
        )

    def actor_for(self, token: Token) -> Actor | None:
        """The best actor for the noun phrase headed by ``token``; None if it names none."""
        g = self._group_for(token)
        if g is None:
            return None
        return self._groups[g].actors[0]

    def actors_for(self, token: Token) -> list[Actor]:
        """Like :meth:`actor_for`, expanded over coordination and group references."""
        found: list[Actor] = []
        seen: set[tuple[str | None, str, int]] = set()

        def add_group(g: int) -> None:
            for actor in self._groups[g].actors:
                key = (actor.country, actor.name, actor.start)
                if key not in seen:
                    seen.add(key)
                    found.append(actor)

        g = self._group_for(token)
        if g is not None:
            add_group(g)
            covered = {a.country for a in found}
            for other in self._groups[g].coordinated:
                # "seamen of Azerbaijan and Iran" already has an actor per country.
                if (
                    self._useful(other)
                    and not {a.country for a in self._groups[other].actors} <= covered
                ):
                    add_group(other)
        for conj in token.conjuncts:
            coordinated = self._group_for(conj)
            if coordinated is not None and coordinated != g:
                add_group(coordinated)
        found.sort(key=lambda a: a.start)
        return [
            a for a in found if a.country is not None or a.kind in ("person", "organisation")
        ] or found

    def countries(self) -> Counter[str]:
        """Countries of the article's actors (and diplomats' hosts), for place resolution."""
        counts: Counter[str] = Counter()
        for actor in self.mentions:
            if actor.country and is_country_code(actor.country):
                counts[actor.country] += 1
            for item in actor.context:
                if item.startswith("host:") and is_country_code(item[5:]):
                    counts[item[5:]] += 1
        return counts

    def at(self, start_char: int, end_char: int) -> list[Actor]:
        """Mentions overlapping the character span [start_char, end_char)."""
        return [a for a in self.mentions if a.start < end_char and start_char < a.end]
