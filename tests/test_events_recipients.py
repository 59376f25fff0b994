"""Who an event is aimed at, with the real actors stage (recipient selection, see
``polybius.events.extract``): owners of the object noun, the subject of a demanded act or of a
threat's condition, domestic targets, reactions to an earlier event, "border with X".

Invented sentences, not benchmark ones.
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.model]


@pytest.fixture(scope="module")
def coder():
    from polybius.pipeline import Coder

    return Coder()


def triples(coder, text):
    from polybius.read import article_from_text

    coded = coder.code(article_from_text(text))
    return {
        (
            e.cameo,
            e.actor.country if e.actor else None,
            e.recipient.country if e.recipient else None,
        )
        for e in coded.events
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # whose proposal, demand or call is rejected
        ("Bangladesh rejected an Indian proposal.", ("120", "BGD", "IND")),
        ("Germany rejected calls by Belarus for economic aid.", ("122", "DEU", "BLR")),
        # who is asked to act; whose act a threat is conditioned on
        ("Kenya demanded that Uganda withdraw its troops.", ("106", "KEN", "UGA")),
        (
            "Iran threatened to close the strait if the United States attacked.",
            ("130", "IRN", "USA"),
        ),
        # a domestic target: the actor's own country when no other is named
        ("Egyptian police arrested dozens of protesters in Cairo.", ("173", "EGY", "EGY")),
        (
            "The Sudanese government accused rebels of violating the ceasefire.",
            ("112", "SDN", "SDN"),
        ),
        # the country across a border
        ("Poland deployed troops to its border with Belarus.", ("154", "POL", "BLR")),
        # a complaint is aimed at what it is about, not at whom it is made to
        (
            "Lebanon complained to the United Nations about Israeli air raids.",
            ("114", "LBN", "ISR"),
        ),
        # a reaction to "the attack" answers the earlier event's actor
        (
            "Russian missiles struck Odesa on Monday. Ukraine condemned the attack.",
            ("111", "UKR", "RUS"),
        ),
    ],
)
def test_recipient_is_found(coder, text, expected):
    assert expected in triples(coder, text)


@pytest.mark.parametrize(
    "text",
    [
        # a named target of unknown country is not guessed to be the actor's own
        "Russian missiles struck Odesa on Monday.",
        "Russian drones attacked Kharkiv overnight.",
        # the actor's own troops are no target
        "India refused to withdraw its troops.",
    ],
)
def test_no_domestic_guess(coder, text):
    found = triples(coder, text)
    assert found and all(recipient is None for _, _, recipient in found)
