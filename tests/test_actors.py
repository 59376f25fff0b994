"""Actors stage: unit tests with hand-built spaCy documents (no trained model needed)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from polybius.actors import ActorDictionary, ActorMentions, ActorResolver
from polybius.actors import countries as c
from polybius.actors.roles import SECTORS, organisations, roles
from polybius.errors import ActorFileError
from polybius.records import Article

VOCAB = Vocab()


def make(
    words: list[str],
    heads: list[int],
    deps: list[str],
    *,
    pos: list[str] | None = None,
    ents: list[str] | None = None,
    lemmas: list[str] | None = None,
) -> Doc:
    """A parsed doc by hand; ``heads`` are absolute token indices."""
    glued = {"'s", ",", ".", "-"}
    spaces = [
        i + 1 < len(words) and words[i + 1] not in glued and word != "-"
        for i, word in enumerate(words)
    ]
    return Doc(
        VOCAB, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos, ents=ents, lemmas=lemmas
    )


def resolve(doc: Doc, published: date | None = date(2019, 7, 18), **kwargs) -> ActorMentions:
    article = Article.from_text(doc.text, published=published)
    return ActorResolver(**kwargs).resolve(doc, article)


# --- countries ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        ("the US", "USA"), ("U.S.", "USA"), ("America", "USA"), ("American", "USA"),
        ("Britain", "GBR"), ("UK", "GBR"), ("British", "GBR"),
        ("South Korea", "KOR"), ("North Korea", "PRK"), ("DR Congo", "COD"),
        ("Ivory Coast", "CIV"), ("Côte d'Ivoire", "CIV"), ("Russia", "RUS"), ("Iran", "IRN"),
        ("Syria", "SYR"), ("Vietnam", "VNM"), ("Czechia", "CZE"), ("Azerbaijani", "AZE"),
        ("Iranian", "IRN"), ("Emirati", "ARE"), ("Chinese", "CHN"), ("Israeli", "ISR"),
        ("Palestinian", "PSE"), ("Kosovo", "XKX"), ("Taiwan", "TWN"), ("Palestine", "PSE"),
        ("Azerbaijan's", "AZE"), ("Türkiye", "TUR"), ("IRN", "IRN"),
    ],
)  # fmt: skip
def test_country_code_names_variants_and_demonyms(text: str, iso3: str) -> None:
    assert c.country_code(text) == iso3


def test_country_code_unknown_and_capitals_are_not_countries() -> None:
    assert c.country_code("Atlantis") is None
    assert c.country_code("") is None
    assert c.country_code("Baku") is None
    assert c.capital_code("the Kremlin") == "RUS"
    assert c.capital_code("Downing Street") == "GBR"


def test_every_iso_country_is_present() -> None:
    import pycountry

    codes = {country.iso3 for country in c.all_countries()}
    assert {country.alpha_3 for country in pycountry.countries} <= codes
    assert "XKX" in codes


def test_country_helpers() -> None:
    assert c.country_name("IRN") == "Iran"
    assert c.country_name("ZZZ") == "ZZZ"
    assert c.iso2("AZE") == "AZ"
    assert c.fips("AZE") == "AJ"
    assert c.fips("DEU") == "GM"
    assert c.is_country_code("XKX") and not c.is_country_code("IGO") and not c.is_country_code(None)


# --- lexicons ----------------------------------------------------------------------------


def test_roles_lexicon_is_large_and_valid() -> None:
    table = roles()
    assert len(table) >= 300
    assert all(set(r.sectors) <= SECTORS for r in table.values())
    assert table["defense minister"].sectors == ("GOV", "MIL")
    assert table["interior minister"].sectors == ("GOV", "COP")
    assert table["justice minister"].sectors == ("GOV", "JUD")
    assert "diplomat" in table["ambassador"].flags


def test_organisations_lexicon() -> None:
    by_name = {name: org for org in organisations() for name in org.names}
    for name in (
        "UN",
        "UNSC",
        "UNHCR",
        "NATO",
        "EU",
        "OSCE",
        "CSTO",
        "ICC",
        "IMF",
        "Taliban",
        "ISIS",
    ):
        assert name in by_name, name
    assert by_name["Hamas"].country == "PSE" and "REB" in by_name["Hamas"].sectors
    assert by_name["UN"].code == "IGOUNO"
    assert by_name["Amnesty International"].country == "NGO"


# --- dictionary --------------------------------------------------------------------------


def test_bundled_dictionary_is_time_aware() -> None:
    d = ActorDictionary.bundled()
    assert ActorDictionary.bundled() is d
    [hasanov] = d.lookup("Zakir Hasanov", date(2019, 7, 18))
    assert (hasanov.country, hasanov.sectors, hasanov.role) == (
        "AZE",
        ("GOV", "MIL"),
        "defense minister",
    )
    assert d.lookup("Zakir Hasanov", date(2010, 1, 1)) == []
    assert [e.role for e in d.lookup("Putin", date(2010, 1, 1))] == ["prime minister"]
    assert d.lookup("Joe Biden", date(2022, 1, 1))[0].role == "president"
    assert d.lookup("Joe Biden", date(2026, 1, 1)) == []
    assert {e.valid_from.year for e in d.lookup("Donald Trump", None)} == {2017, 2025}
    assert d.lookup("Donald Trump", None)[0].valid_to is None  # open-ended first


def write(tmp_path: Path, text: str, name: str = "actors.tsv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_user_dictionary_extends_and_wins(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "# my actors\nnames\tcountry\tsectors\trole\tvalid_from\tvalid_to\n"
        "Jane Roe|Roe\tAZE\tGOV+MIL\tdefense minister\t2013\t2024-06\n"
        "Zakir Hasanov\tAZE\tGOV\tminister\t2019-01-01\n",
    )
    d = ActorDictionary.bundled().extended([path])
    assert len(d) == len(ActorDictionary.bundled()) + 2
    assert d.lookup("Roe", date(2019, 5, 1))[0].name == "Jane Roe"
    assert d.lookup("Roe", date(2024, 6, 30))  # a month covers its last day
    assert d.lookup("Roe", date(2025, 1, 1)) == []
    assert d.lookup("zakir hasanov", date(2020, 1, 1))[0].origin == f"{path}:4"


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("Jane Roe\tXXX\tGOV\n", "E022", 1),
        ("Jane Roe\tAZE\tGOV+FOO\n", "E023", 1),
        ("# c\nJane Roe\tAZE\tGOV\tminister\t2019-13-01\n", "E021", 2),
        ("Jane Roe\tAZE\tGOV\tminister\t2020\t2019\n", "E021", 1),
        ("Jane Roe\tAZE\tGOV\ta\tb\tc\td\te\n", "E021", 1),
        ("Jane Roe\n", "E021", 1),
    ],
)
def test_user_dictionary_errors_name_file_and_line(
    tmp_path: Path, text: str, code: str, line: int
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ActorFileError) as info:
        ActorDictionary.bundled().extended([path])
    assert info.value.code == code
    assert f"{path}:{line}" in str(info.value)


def test_user_dictionary_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ActorFileError) as info:
        ActorDictionary.bundled().extended([str(tmp_path / "nope.tsv")])
    assert info.value.code == "E020"
    assert isinstance(info.value.__cause__, FileNotFoundError)


# --- resolver: noun phrases --------------------------------------------------------------


def seed_sentence() -> Doc:
    words = [
        "Azerbaijan",
        "'s",
        "Defense",
        "Minister",
        "Zakir",
        "Hasanov",
        "met",
        "with",
        "Javad",
        "Jahangirzadeh",
        ",",
        "Ambassador",
        "of",
        "Iran",
        "to",
        "Azerbaijan",
        ".",
    ]
    heads = [3, 0, 3, 5, 5, 6, 6, 6, 9, 7, 9, 9, 11, 12, 6, 14, 6]
    deps = [
        "poss",
        "case",
        "compound",
        "compound",
        "compound",
        "nsubj",
        "ROOT",
        "prep",
        "compound",
        "pobj",
        "punct",
        "appos",
        "prep",
        "pobj",
        "prep",
        "pobj",
        "punct",
    ]
    pos = [
        "PROPN",
        "PART",
        "PROPN",
        "PROPN",
        "PROPN",
        "PROPN",
        "VERB",
        "ADP",
        "PROPN",
        "PROPN",
        "PUNCT",
        "PROPN",
        "ADP",
        "PROPN",
        "ADP",
        "PROPN",
        "PUNCT",
    ]
    ents = ["O"] * 4 + ["B-PERSON", "I-PERSON"] + ["O"] * 2 + ["B-PERSON", "I-PERSON"] + ["O"] * 7
    return make(words, heads, deps, pos=pos, ents=ents)  # fmt: skip


def test_possessive_title_and_dictionary_name() -> None:
    doc = seed_sentence()
    mentions = resolve(doc)
    actor = mentions.actor_for(doc[5])
    assert actor is not None
    assert (actor.name, actor.country, actor.sectors) == ("Zakir Hasanov", "AZE", ("GOV", "MIL"))
    assert (actor.role, actor.code, actor.kind) == ("defense minister", "AZEGOVMIL", "person")
    assert actor.text == "Azerbaijan's Defense Minister Zakir Hasanov"
    assert doc.text[actor.start : actor.end] == actor.text
    # the title word itself belongs to the same phrase
    assert mentions.actor_for(doc[3]) == actor


def test_ambassador_of_country_to_host() -> None:
    doc = seed_sentence()
    actor = resolve(doc).actor_for(doc[9])
    assert actor is not None
    assert (actor.name, actor.country, actor.sectors, actor.role) == (
        "Javad Jahangirzadeh", "IRN", ("GOV",), "ambassador",
    )  # fmt: skip
    assert actor.code == "IRNGOV"
    assert actor.context == ("host:AZE",)
    assert actor.text == "Javad Jahangirzadeh, Ambassador of Iran to Azerbaijan"


def test_possessive_ambassador_to_host() -> None:
    words = ["Iran", "'s", "ambassador", "to", "Azerbaijan", "said"]
    doc = make(words, [2, 0, 5, 2, 3, 5], ["poss", "case", "nsubj", "prep", "pobj", "ROOT"],
               pos=["PROPN", "PART", "NOUN", "ADP", "PROPN", "VERB"])  # fmt: skip
    actor = resolve(doc).actor_for(doc[2])
    assert actor is not None
    assert (actor.country, actor.role, actor.code, actor.context) == (
        "IRN",
        "ambassador",
        "IRNGOV",
        ("host:AZE",),
    )


def test_adjective_ambassador_in_capital() -> None:
    words = ["the", "Iranian", "ambassador", "in", "Baku", "said"]
    doc = make(words, [2, 2, 5, 2, 3, 5], ["det", "amod", "nsubj", "prep", "pobj", "ROOT"],
               pos=["DET", "ADJ", "NOUN", "ADP", "PROPN", "VERB"])  # fmt: skip
    actor = resolve(doc).actor_for(doc[2])
    assert actor is not None
    assert (actor.country, actor.context, actor.name) == ("IRN", ("host:AZE",), "Iran")


@pytest.mark.parametrize(
    ("words", "heads", "deps", "head", "country", "sectors"),
    [
        (["Iranian", "officials", "said"], [1, 2, 2], ["amod", "nsubj", "ROOT"], 1, "IRN", ("GOV",)),
        (["Russian", "troops", "entered"], [1, 2, 2], ["amod", "nsubj", "ROOT"], 1, "RUS", ("MIL",)),
        (["Azerbaijan", "'s", "navy", "sailed"], [2, 0, 3, 3], ["poss", "case", "nsubj", "ROOT"], 2, "AZE", ("MIL",)),
        (["Chinese", "police", "arrested"], [1, 2, 2], ["amod", "nsubj", "ROOT"], 1, "CHN", ("COP",)),
        (["Israeli", "judges", "ruled"], [1, 2, 2], ["amod", "nsubj", "ROOT"], 1, "ISR", ("JUD",)),
        (["the", "Emirati", "interior", "ministry"], [3, 3, 3, 3], ["det", "amod", "compound", "ROOT"], 3, "ARE", ("GOV", "COP")),
    ],
)  # fmt: skip
def test_country_modifier_gives_role_its_country(
    words, heads, deps, head, country, sectors
) -> None:
    doc = make(words, heads, deps)
    actor = resolve(doc).actor_for(doc[head])
    assert actor is not None
    assert (actor.country, actor.sectors) == (country, sectors)
    assert actor.code == country + "".join(sectors)


def test_coordinated_country_adjectives() -> None:
    words = ["Russian", "and", "Chinese", "officials", "met"]
    doc = make(words, [3, 0, 0, 4, 4], ["amod", "cc", "conj", "nsubj", "ROOT"],
               pos=["ADJ", "CCONJ", "ADJ", "NOUN", "VERB"])  # fmt: skip
    mentions = resolve(doc)
    assert [(a.country, a.sectors) for a in mentions.actors_for(doc[3])] == [
        ("RUS", ("GOV",)),
        ("CHN", ("GOV",)),
    ]
    assert mentions.actor_for(doc[3]).country == "RUS"


def test_coordinated_countries() -> None:
    words = ["Azerbaijan", "and", "Iran", "signed"]
    doc = make(
        words,
        [3, 0, 0, 3],
        ["nsubj", "cc", "conj", "ROOT"],
        pos=["PROPN", "CCONJ", "PROPN", "VERB"],
    )
    actors = resolve(doc).actors_for(doc[0])
    assert [(a.country, a.kind) for a in actors] == [("AZE", "country"), ("IRN", "country")]


def test_hyphenated_adjective_pair() -> None:
    words = ["Azerbaijani", "-", "Iranian", "relations", "grew"]
    doc = make(words, [2, 2, 3, 4, 4], ["npadvmod", "punct", "amod", "nsubj", "ROOT"],
               pos=["PROPN", "PUNCT", "ADJ", "NOUN", "VERB"])  # fmt: skip
    assert [a.country for a in resolve(doc).actors_for(doc[3])] == ["AZE", "IRN"]


def test_subtree_search_stops_at_clauses() -> None:
    # "rejected a fresh offer from Afghanistan"
    words = ["Pakistan", "rejected", "a", "fresh", "offer", "from", "Afghanistan"]
    doc = make(
        words, [1, 1, 4, 4, 1, 4, 5], ["nsubj", "ROOT", "det", "amod", "dobj", "prep", "pobj"]
    )
    mentions = resolve(doc)
    assert mentions.actor_for(doc[4]).country == "AFG"
    assert mentions.actor_for(doc[0]).country == "PAK"
    # an offer "that Afghanistan made": a relative clause is not the phrase's own actor
    words = ["the", "offer", "that", "Afghanistan", "made"]
    doc = make(words, [1, 1, 4, 4, 1], ["det", "ROOT", "dobj", "nsubj", "relcl"])
    assert resolve(doc).actor_for(doc[1]) is None


def test_capital_metonym_and_seat_of_government() -> None:
    words = ["Tehran", "said", "the", "Kremlin", "lied"]
    doc = make(words, [1, 1, 3, 4, 1], ["nsubj", "ROOT", "det", "nsubj", "ccomp"])
    mentions = resolve(doc)
    tehran, kremlin = mentions.actor_for(doc[0]), mentions.actor_for(doc[3])
    assert (tehran.country, tehran.kind, tehran.sectors, tehran.code) == (
        "IRN",
        "capital",
        ("GOV",),
        "IRNGOV",
    )
    assert (kremlin.country, kremlin.text) == ("RUS", "the Kremlin")


def test_organisations_and_acronym_case() -> None:
    words = ["NATO", "and", "Hamas", "met", "the", "UN", "Security", "Council", "who", "said"]
    heads = [3, 0, 0, 3, 7, 7, 7, 3, 9, 7]
    deps = ["nsubj", "cc", "conj", "ROOT", "det", "compound", "compound", "dobj", "nsubj", "relcl"]
    doc = make(words, heads, deps)
    mentions = resolve(doc)
    nato = mentions.actor_for(doc[0])
    assert (nato.name, nato.country, nato.kind) == ("NATO", "IGO", "organisation")
    hamas = mentions.actor_for(doc[2])
    assert (hamas.country, hamas.sectors, hamas.code) == ("PSE", ("REB",), "PSEREB")
    council = mentions.actor_for(doc[7])
    assert (council.name, council.country, council.code) == ("UN Security Council", "IGO", "IGOUNO")
    assert mentions.actor_for(doc[8]) is None  # "who" is not the WHO


def test_unknown_person_with_title_gets_no_country() -> None:
    words = ["President", "Foo", "Barbaz", "spoke"]
    doc = make(words, [2, 2, 3, 3], ["compound", "compound", "nsubj", "ROOT"],
               pos=["PROPN", "PROPN", "PROPN", "VERB"], ents=["O", "B-PERSON", "I-PERSON", "O"])  # fmt: skip
    actor = resolve(doc).actor_for(doc[2])
    assert (actor.name, actor.country, actor.role, actor.code, actor.kind) == (
        "Foo Barbaz", None, "president", None, "person",
    )  # fmt: skip


def test_dictionary_name_without_title_is_time_aware(tmp_path: Path) -> None:
    path = write(tmp_path, "Jane Roe|Roe\tAZE\tGOV+MIL\tdefense minister\t2013-01-01\t2024-12-31\n")
    dictionary = ActorDictionary.bundled().extended([path])
    words = ["Jane", "Roe", "spoke"]
    doc = make(words, [1, 2, 2], ["compound", "nsubj", "ROOT"])
    in_office = resolve(doc, date(2019, 3, 1), dictionary=dictionary).actor_for(doc[1])
    assert (in_office.country, in_office.code) == ("AZE", "AZEGOVMIL")
    after = resolve(doc, date(2025, 3, 1), dictionary=dictionary).actor_for(doc[1])
    assert after.country is None and after.kind == "person"
    undated = resolve(doc, None, dictionary=dictionary).actor_for(doc[1])
    assert undated.country == "AZE"


def test_demonym_plural_and_lowercase_country_words() -> None:
    words = ["Israel", "and", "the", "Palestinians", "talked", "about", "turkey"]
    doc = make(words, [4, 0, 3, 0, 4, 4, 5], ["nsubj", "cc", "det", "conj", "ROOT", "prep", "pobj"],
               lemmas=["Israel", "and", "the", "Palestinian", "talk", "about", "turkey"])  # fmt: skip
    mentions = resolve(doc)
    assert [a.country for a in mentions.actors_for(doc[0])] == ["ISR", "PSE"]
    assert mentions.actor_for(doc[6]) is None


# --- resolver: within-article links ------------------------------------------------------


def story() -> Doc:
    words = [
        "Iran",
        "'s",
        "Defense",
        "Minister",
        "Zakir",
        "Hasanov",
        "met",
        "Azerbaijan",
        "'s",
        "foreign",
        "minister",
        ".",
        "Hasanov",
        "said",
        "he",
        "agreed",
        ".",
        "The",
        "minister",
        "left",
        ".",
        "The",
        "two",
        "states",
        "signed",
        ".",
        "The",
        "parties",
        "met",
        ".",
    ]
    heads = [
        3,
        0,
        3,
        5,
        5,
        6,
        6,
        10,
        7,
        10,
        6,
        6,
        13,
        13,
        15,
        13,
        13,
        18,
        19,
        19,
        19,
        23,
        23,
        24,
        24,
        24,
        27,
        28,
        28,
        28,
    ]
    deps = [
        "poss",
        "case",
        "compound",
        "compound",
        "compound",
        "nsubj",
        "ROOT",
        "poss",
        "case",
        "compound",
        "dobj",
        "punct",
        "nsubj",
        "ROOT",
        "nsubj",
        "ccomp",
        "punct",
        "det",
        "nsubj",
        "ROOT",
        "punct",
        "det",
        "nummod",
        "nsubj",
        "ROOT",
        "punct",
        "det",
        "nsubj",
        "ROOT",
        "punct",
    ]
    ents = ["O"] * 4 + ["B-PERSON", "I-PERSON"] + ["O"] * 6 + ["B-PERSON"] + ["O"] * 17
    return make(words, heads, deps, ents=ents)  # fmt: skip


def test_surname_pronoun_title_and_group_links() -> None:
    doc = story()
    mentions = resolve(doc)
    # the dictionary says AZE, but the text says Iran's: the dictionary entry of the name wins
    first = mentions.actor_for(doc[5])
    assert first.name == "Zakir Hasanov" and first.link is None
    surname = mentions.actor_for(doc[12])
    assert surname.name == "Zakir Hasanov" and surname.country == first.country
    assert surname.link == "surname of Zakir Hasanov (sentence 0)"
    assert (surname.start, surname.end) == (doc[12].idx, doc[12].idx + len("Hasanov"))
    pronoun = mentions.actor_for(doc[14])
    assert pronoun.name == "Zakir Hasanov" and pronoun.text == "he"
    assert pronoun.link.startswith("pronoun -> Zakir Hasanov")
    minister = mentions.actor_for(doc[18])
    # the most recent minister talked about is Hasanov ("he"), not the foreign minister
    assert minister.name == "Zakir Hasanov" and minister.role == "defense minister"
    assert minister.link.startswith("the minister -> ")
    states = mentions.actors_for(doc[23])
    assert {a.country for a in states} == {"AZE", "IRN"}
    assert all(a.link and a.link.startswith("group -> ") for a in states)
    parties = mentions.actors_for(doc[27])
    assert {(a.country, a.sectors) for a in parties} == {("AZE", ("GOV",)), ("IRN", ("GOV",))}


def test_mentions_countries_and_at() -> None:
    doc = seed_sentence()
    mentions = resolve(doc)
    assert mentions.mentions == sorted(mentions.mentions, key=lambda a: (a.start, a.end))
    counts = mentions.countries()
    assert counts["AZE"] >= 2 and counts["IRN"] >= 1
    assert [a.name for a in mentions.at(0, 10)] == ["Zakir Hasanov"]
    assert mentions.at(1000, 1001) == []


def test_empty_doc() -> None:
    doc = Doc(VOCAB, words=[])
    mentions = resolve(doc)
    assert mentions.mentions == [] and mentions.countries() == {}


def test_body_located_in_a_country_is_that_countrys() -> None:
    words = ["a", "court", "in", "Guyana", "ruled"]
    doc = make(words, [1, 4, 1, 2, 4], ["det", "nsubj", "prep", "pobj", "ROOT"],
               pos=["DET", "NOUN", "ADP", "PROPN", "VERB"])  # fmt: skip
    actor = resolve(doc).actor_for(doc[1])
    assert (actor.country, actor.sectors) == ("GUY", ("JUD",))
    # its own country wins over where it is; foreign troops are not the host's
    words = ["Iranian", "officials", "in", "Baghdad", "and", "troops", "in", "Syria"]
    doc = make(words, [1, 1, 1, 2, 1, 1, 5, 6], ["amod", "ROOT", "prep", "pobj", "cc", "conj", "prep", "pobj"],
               pos=["ADJ", "NOUN", "ADP", "PROPN", "CCONJ", "NOUN", "ADP", "PROPN"])  # fmt: skip
    mentions = resolve(doc)
    assert mentions.actor_for(doc[1]).country == "IRN"
    assert mentions.actor_for(doc[5]).country is None


def test_country_led_forces() -> None:
    words = ["Saudi", "-", "led", "forces", "struck"]
    doc = make(words, [2, 2, 3, 4, 4], ["npadvmod", "punct", "amod", "nsubj", "ROOT"],
               pos=["PROPN", "PUNCT", "VERB", "NOUN", "VERB"])  # fmt: skip
    actor = resolve(doc).actor_for(doc[3])
    assert (actor.country, actor.sectors) == ("SAU", ("MIL",))


def test_members_of_a_party_take_its_country() -> None:
    words = ["activists", "from", "the", "Fatah", "party", "marched"]
    doc = make(words, [5, 0, 4, 4, 1, 5], ["nsubj", "prep", "det", "compound", "pobj", "ROOT"],
               pos=["NOUN", "ADP", "DET", "PROPN", "NOUN", "VERB"])  # fmt: skip
    assert resolve(doc).actor_for(doc[0]).country == "PSE"


def test_institutions_counted_in_twos_are_the_two_countries() -> None:
    words = [
        "Iran",
        "and",
        "Iraq",
        "met",
        ".",
        "The",
        "two",
        "governments",
        "signed",
        ".",
        "Two",
        "soldiers",
        "died",
    ]
    heads = [3, 0, 0, 3, 3, 7, 7, 8, 8, 8, 11, 12, 12]
    deps = [
        "nsubj",
        "cc",
        "conj",
        "ROOT",
        "punct",
        "det",
        "nummod",
        "nsubj",
        "ROOT",
        "punct",
        "nummod",
        "nsubj",
        "ROOT",
    ]
    doc = make(words, heads, deps)
    mentions = resolve(doc)
    governments = mentions.actors_for(doc[7])
    assert [(a.country, a.sectors) for a in governments] == [("IRN", ("GOV",)), ("IRQ", ("GOV",))]
    soldiers = mentions.actor_for(doc[11])
    assert soldiers.country is None and soldiers.sectors == ("MIL",)


def test_seat_of_government_with_another_countrys_modifier() -> None:
    words = ["Pakistan", "'s", "Foreign", "Office", "said", ".", "The", "Foreign", "Office", "said"]
    heads = [3, 0, 3, 4, 4, 4, 8, 8, 9, 9]
    deps = [
        "poss",
        "case",
        "compound",
        "nsubj",
        "ROOT",
        "punct",
        "det",
        "compound",
        "nsubj",
        "ROOT",
    ]
    doc = make(words, heads, deps)
    mentions = resolve(doc)
    assert mentions.actor_for(doc[3]).country == "PAK"
    uk = mentions.actor_for(doc[8])
    assert (uk.country, uk.kind) == ("GBR", "capital")


@pytest.mark.parametrize(
    ("words", "country"),
    [
        (["PARIS", ",", "Oct", "17", "—", "Workers", "struck"], "FRA"),
        (["KADUNA", ",", "Nigeria", ",", "March", "9", "—", "Workers", "struck"], "NGA"),
        (["Paris", "said", "—", "Workers", "struck"], None),
    ],
)
def test_unnamed_domestic_actors_take_the_dateline_country(
    words: list[str], country: str | None
) -> None:
    n = len(words)
    heads = [n - 1] * n
    deps = ["dep"] * (n - 2) + ["nsubj", "ROOT"]
    doc = make(words, heads, deps)
    actor = resolve(doc).actor_for(doc[n - 2])
    assert actor.country == country
    if country:
        assert actor.link.startswith("dateline country (")


def test_dateline_from_the_article_field() -> None:
    words = ["Police", "arrested", "refugees"]
    doc = make(words, [1, 1, 1], ["nsubj", "ROOT", "dobj"])
    article = Article.from_text(doc.text, published=date(2020, 1, 1), dateline_place="YEREVAN")
    mentions = ActorResolver().resolve(doc, article)
    assert mentions.actor_for(doc[0]).country == "ARM"
    assert mentions.actor_for(doc[2]).country is None  # refugees are rarely the host's


def test_it_and_its_resolve_to_the_nearest_country_or_body() -> None:
    words = ["Russia", "said", "its", "forces", "left", "and", "it", "would", "talk"]
    heads = [1, 1, 3, 4, 1, 4, 8, 8, 4]
    deps = ["nsubj", "ROOT", "poss", "nsubj", "ccomp", "cc", "nsubj", "aux", "conj"]
    pos = ["PROPN", "VERB", "PRON", "NOUN", "VERB", "CCONJ", "PRON", "AUX", "VERB"]
    doc = make(words, heads, deps, pos=pos)
    mentions = resolve(doc)
    forces = mentions.actor_for(doc[3])
    assert (forces.country, forces.sectors, forces.link) == ("RUS", ("MIL",), "its -> Russia")
    it = mentions.actor_for(doc[6])
    assert it.country == "RUS" and it.link.startswith("pronoun -> Russia")


def test_place_name_inside_a_person_name() -> None:
    words = ["Michael", "Jordan", "visited", "Jordan"]
    doc = make(words, [1, 2, 2, 2], ["compound", "nsubj", "ROOT", "dobj"],
               ents=["B-PERSON", "I-PERSON", "O", "B-GPE"])  # fmt: skip
    mentions = resolve(doc)
    person = mentions.actor_for(doc[1])
    assert (person.name, person.country, person.kind) == ("Michael Jordan", None, "person")
    assert mentions.actor_for(doc[3]).country == "JOR"


def test_title_name_of_country() -> None:
    words = ["King", "Hassan", "of", "Morocco", "spoke"]
    doc = make(words, [1, 4, 1, 2, 4], ["compound", "nsubj", "prep", "pobj", "ROOT"],
               pos=["PROPN", "PROPN", "ADP", "PROPN", "VERB"], ents=["O", "B-PERSON", "O", "B-GPE", "O"])  # fmt: skip
    actor = resolve(doc).actor_for(doc[1])
    assert (actor.name, actor.country, actor.role) == ("Hassan", "MAR", "king")


def test_ethnic_community_is_coded_where_it_lives() -> None:
    words = ["ethnic", "Albanians", "in", "Serbia", "protested"]
    doc = make(words, [1, 4, 1, 2, 4], ["amod", "nsubj", "prep", "pobj", "ROOT"],
               pos=["ADJ", "PROPN", "ADP", "PROPN", "VERB"])  # fmt: skip
    actor = resolve(doc).actor_for(doc[1])
    assert (actor.country, actor.sectors) == ("SRB", ("CVL",))


def test_definite_national_body_without_antecedent_is_the_main_countrys() -> None:
    words = ["Sri", "Lanka", "opened", "an", "embassy", ",", "the", "foreign", "ministry", "said"]
    heads = [1, 2, 9, 4, 2, 9, 8, 8, 9, 9]
    deps = [
        "compound",
        "nsubj",
        "ccomp",
        "det",
        "dobj",
        "punct",
        "det",
        "compound",
        "nsubj",
        "ROOT",
    ]
    doc = make(words, heads, deps)
    ministry = resolve(doc).actor_for(doc[8])
    assert (ministry.country, ministry.sectors) == ("LKA", ("GOV",))
    assert ministry.link == "the foreign ministry -> Sri Lanka (the article's most named country)"
    # no country at all in the story: nothing to fall back on
    doc = make(["the", "ministry", "said"], [1, 2, 2], ["det", "nsubj", "ROOT"])
    assert resolve(doc).actor_for(doc[1]).country is None


def test_titled_unknown_person_takes_dateline_country_and_keeps_it_later() -> None:
    words = [
        "BAMAKO",
        ",",
        "Oct",
        "3",
        "—",
        "Spokesman",
        "Abdoulaye",
        "Maiga",
        "said",
        ".",
        "Maiga",
        "left",
    ]
    heads = [8, 0, 0, 2, 8, 7, 7, 8, 8, 8, 11, 11]
    deps = [
        "npadvmod",
        "punct",
        "appos",
        "nummod",
        "punct",
        "compound",
        "compound",
        "nsubj",
        "ROOT",
        "punct",
        "nsubj",
        "ROOT",
    ]
    ents = [
        "B-GPE",
        "O",
        "B-DATE",
        "I-DATE",
        "O",
        "O",
        "B-PERSON",
        "I-PERSON",
        "O",
        "O",
        "B-PERSON",
        "O",
    ]
    doc = make(words, heads, deps, ents=ents)
    mentions = resolve(doc)
    first = mentions.actor_for(doc[7])
    assert (first.name, first.country, first.link) == (
        "Abdoulaye Maiga",
        "MLI",
        "dateline country (BAMAKO)",
    )
    later = mentions.actor_for(doc[10])
    assert later.country == "MLI" and later.link.startswith("surname of Abdoulaye Maiga")


def test_family_name_first_surname() -> None:
    words = ["Chinese", "diplomat", "Wang", "Yi", "came", ".", "Wang", "spoke"]
    heads = [1, 3, 3, 4, 4, 4, 7, 7]
    deps = ["amod", "compound", "compound", "nsubj", "ROOT", "punct", "nsubj", "ROOT"]
    ents = ["B-NORP", "O", "B-PERSON", "I-PERSON", "O", "O", "B-PERSON", "O"]
    doc = make(words, heads, deps, ents=ents)
    later = resolve(doc, date(2020, 1, 1)).actor_for(doc[6])
    assert (later.name, later.country) == ("Wang Yi", "CHN")


def test_unparsed_doc_falls_back_to_word_order() -> None:
    doc = Doc(VOCAB, words=["Iranian", "officials", "met", "Iran", "'s", "ambassador"])
    mentions = resolve(doc)
    assert mentions.actor_for(doc[1]).country == "IRN"
    assert mentions.actor_for(doc[5]).role == "ambassador"
    assert mentions.actor_for(doc[5]).country == "IRN"


def test_public_surface() -> None:
    import polybius.actors as actors
    import polybius.actors.countries as countries

    assert set(actors.__all__) == {"ActorDictionary", "ActorMentions", "ActorResolver", "Entry"}
    for name in ("country_code", "country_name", "iso2", "fips", "is_country_code"):
        assert name in countries.__all__ and callable(getattr(countries, name))


def test_definite_reference_to_an_organisation() -> None:
    words = [
        "The",
        "European",
        "Union",
        "met",
        ".",
        "The",
        "bloc",
        "said",
        ".",
        "The",
        "council",
        "agreed",
    ]
    heads = [2, 2, 3, 3, 3, 6, 7, 7, 7, 10, 11, 11]
    deps = [
        "det",
        "compound",
        "nsubj",
        "ROOT",
        "punct",
        "det",
        "nsubj",
        "ROOT",
        "punct",
        "det",
        "nsubj",
        "ROOT",
    ]
    doc = make(words, heads, deps)
    mentions = resolve(doc)
    bloc = mentions.actor_for(doc[6])
    assert (bloc.name, bloc.country, bloc.link) == (
        "European Union",
        "IGO",
        "the bloc -> European Union (sentence 0)",
    )
    assert mentions.actor_for(doc[10]).country is None  # no council was named before


def test_surname_tagged_as_org_by_ner() -> None:
    words = ["Chinese", "diplomat", "Wang", "Yi", "came", ".", "Wang", "spoke"]
    heads = [1, 3, 3, 4, 4, 4, 7, 7]
    deps = ["amod", "compound", "compound", "nsubj", "ROOT", "punct", "nsubj", "ROOT"]
    ents = ["B-NORP", "O", "B-PERSON", "I-PERSON", "O", "O", "B-ORG", "O"]
    doc = make(words, heads, deps, ents=ents)
    later = resolve(doc, date(2020, 1, 1)).actor_for(doc[6])
    assert (later.name, later.country, later.kind) == ("Wang Yi", "CHN", "person")


def test_it_after_a_thing_stays_unresolved() -> None:
    words = ["Iran", "said", "the", "cooperation", "is", "good", "as", "it", "helps"]
    heads = [1, 1, 3, 4, 1, 4, 8, 8, 4]
    deps = ["nsubj", "ROOT", "det", "nsubj", "ccomp", "acomp", "mark", "nsubj", "advcl"]
    pos = ["PROPN", "VERB", "DET", "NOUN", "AUX", "ADJ", "SCONJ", "PRON", "VERB"]
    doc = make(words, heads, deps, pos=pos)
    assert resolve(doc).actor_for(doc[7]) is None


def test_title_right_before_a_name_despite_the_parse() -> None:
    # the parser made "adviser" a conjunct and the name an apposition of someone else
    words = ["Ali", "Shamkhani", "and", "Saudi", "security", "adviser", "Musaed", "Aiban", "signed"]
    heads = [1, 8, 1, 5, 5, 1, 7, 1, 8]
    deps = ["compound", "nsubj", "cc", "amod", "compound", "conj", "compound", "appos", "ROOT"]
    ents = ["B-PERSON", "I-PERSON", "O", "B-NORP", "O", "O", "B-PERSON", "I-PERSON", "O"]
    doc = make(words, heads, deps, ents=ents)
    actor = resolve(doc).actor_for(doc[7])
    assert (actor.name, actor.country, actor.role) == ("Musaed Aiban", "SAU", "adviser")


def test_capital_in_a_place_phrase_is_not_the_government() -> None:
    words = ["the", "meeting", "was", "held", "in", "Baku", "and", "Moscow", "'s", "reply", "came"]
    heads = [1, 3, 3, 3, 3, 4, 3, 9, 7, 10, 3]
    deps = [
        "det",
        "nsubjpass",
        "auxpass",
        "ROOT",
        "prep",
        "pobj",
        "cc",
        "poss",
        "case",
        "nsubj",
        "conj",
    ]
    doc = make(words, heads, deps)
    mentions = resolve(doc)
    baku = mentions.actor_for(doc[5])
    assert (baku.country, baku.kind, baku.sectors) == ("AZE", "capital", ())
    moscow = mentions.actor_for(doc[7])
    assert (moscow.country, moscow.sectors, moscow.code) == ("RUS", ("GOV",), "RUSGOV")


def test_tsv_schema_check() -> None:
    from polybius.actors._tsv import bundled_rows, read_rows
    from polybius.errors import DataError

    header = ("a", "b", "c")
    rows = list(read_rows(iter(["# comment", "a\tb\tc", "", "x\ty"]), header, min_fields=2))
    assert rows == [(4, ["x", "y", ""])]
    with pytest.raises(ValueError) as info:
        list(read_rows(iter(["x\ty\tz\tw"]), header, min_fields=2))
    assert info.value.args[1] == 1
    with pytest.raises(DataError) as err:
        bundled_rows("no-such-table.tsv", header)
    assert err.value.code == "E050"
