"""Actors stage with the real spaCy model: the seed story and typical news sentences."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from polybius.actors import ActorMentions, ActorResolver
from polybius.records import Article

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def resolver() -> ActorResolver:
    return ActorResolver()


def code(nlp, resolver: ActorResolver, text: str, published: date | None = date(2019, 7, 18)):
    article = Article.from_text(text, published=published)
    doc = nlp(article.text)
    return doc, resolver.resolve(doc, article)


def token(doc, word: str, nth: int = 0):
    return [t for t in doc if t.text == word][nth]


@pytest.fixture(scope="module")
def seed(nlp, resolver: ActorResolver, seed_story: Path) -> tuple:
    raw = seed_story.read_text(encoding="utf-8")
    body = raw.split("\n", 1)[1]  # the reader strips the dateline header
    return code(nlp, resolver, body)


def test_seed_minister_and_his_later_mentions(seed: tuple) -> None:
    doc, mentions = seed
    for word, nth in (("Hasanov", 0), ("Hasanov", 1), ("He", 0)):
        actor = mentions.actor_for(token(doc, word, nth))
        assert actor is not None, word
        assert (actor.name, actor.country, actor.sectors, actor.role) == (
            "Zakir Hasanov", "AZE", ("GOV", "MIL"), "defense minister",
        )  # fmt: skip
        assert actor.code == "AZEGOVMIL"
    assert (
        mentions.actor_for(token(doc, "Hasanov", 1)).link == "surname of Zakir Hasanov (sentence 0)"
    )
    assert mentions.actor_for(token(doc, "He")).link.startswith("pronoun -> Zakir Hasanov")


def test_seed_ambassador(seed: tuple) -> None:
    doc, mentions = seed
    for nth in (0, 1):
        actor = mentions.actor_for(token(doc, "Jahangirzadeh", nth))
        assert (actor.name, actor.country, actor.sectors, actor.role, actor.code, actor.context) == (
            "Javad Jahangirzadeh", "IRN", ("GOV",), "ambassador", "IRNGOV", ("host:AZE",),
        )  # fmt: skip


@pytest.mark.parametrize(
    ("word", "nth"), [("states", 0), ("parties", 0), ("sides", 0), ("Forces", 1)]
)
def test_seed_group_references(seed: tuple, word: str, nth: int) -> None:
    doc, mentions = seed
    actors = mentions.actors_for(token(doc, word, nth))  # Forces 1: "Armed Forces of the two ..."
    assert sorted(a.country for a in actors) == ["AZE", "IRN"]


def test_seed_countries_and_mentions(seed: tuple) -> None:
    doc, mentions = seed
    assert isinstance(mentions, ActorMentions)
    top = [iso for iso, _ in mentions.countries().most_common(2)]
    assert top == ["AZE", "IRN"]
    baku = [a for a in mentions.mentions if a.text == "Baku"]
    assert baku and baku[0].kind == "capital"
    for actor in mentions.mentions:
        assert doc.text[actor.start : actor.end] == actor.text


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("Tehran said on Monday that it would respond.", "Tehran", ("IRN", "capital")),
        ("The Kremlin warned Washington against new sanctions.", "Kremlin", ("RUS", "capital")),
        ("Pakistan rejected a fresh offer from Afghanistan.", "offer", ("AFG", "country")),
        ("Russian troops entered the town.", "troops", ("RUS", "group")),
        ("The Taliban attacked a police post.", "Taliban", ("AFG", "organisation")),
        ("UN Secretary-General Antonio Guterres urged restraint.", "Guterres", ("IGO", "person")),
        ("President Dos Santos conceded.", "Santos", ("AGO", "person")),
        ("President Foo Barbaz conceded.", "Barbaz", (None, "person")),
    ],
)
def test_news_sentences(
    nlp, resolver: ActorResolver, text: str, word: str, expected: tuple
) -> None:
    doc, mentions = code(nlp, resolver, text, date(2010, 1, 1))
    actor = mentions.actor_for(token(doc, word))
    assert actor is not None
    assert (actor.country, actor.kind) == expected


def test_coordinated_adjectives_with_model(nlp, resolver: ActorResolver) -> None:
    doc, mentions = code(
        nlp, resolver, "Senior Hungarian and Romanian officials agreed on Wednesday."
    )
    actors = mentions.actors_for(token(doc, "officials"))
    assert [(a.country, a.sectors) for a in actors] == [("HUN", ("GOV",)), ("ROU", ("GOV",))]


def test_time_aware_name_without_title(nlp, resolver: ActorResolver) -> None:
    text = "Biden met Putin in Geneva."
    doc, mentions = code(nlp, resolver, text, date(2021, 6, 16))
    assert mentions.actor_for(token(doc, "Biden")).country == "USA"
    assert mentions.actor_for(token(doc, "Putin")).country == "RUS"
    doc, mentions = code(nlp, resolver, text, date(2005, 6, 16))  # Biden was a senator then
    assert mentions.actor_for(token(doc, "Biden")).country is None
