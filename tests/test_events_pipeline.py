"""The events stage inside the real pipeline: the seed story end to end."""

from __future__ import annotations

from datetime import date

import pytest

from polybius.records import Article

pytestmark = [pytest.mark.model, pytest.mark.shared]


@pytest.fixture(scope="module")
def seed_events(nlp, seed_story):
    from polybius.errors import GazetteerError

    text = seed_story.read_text(encoding="utf-8").split("\n", 1)[1]
    try:
        from polybius.pipeline import Coder

        coder = Coder(nlp=nlp)
        return coder.code(Article.from_text(text, published=date(2019, 7, 18)))
    except (ImportError, GazetteerError) as err:  # another stage is not ready here
        pytest.skip(f"pipeline not complete: {err}")


def test_seed_story_first_sentence_is_the_meeting(seed_events):
    first = [e for e in seed_events.events if e.evidence.sentence_index == 0]
    assert [
        (e.plover, e.cameo, e.actor.name, e.actor.country, e.recipient.country) for e in first
    ] == [("CONSULT", "040", "Zakir Hasanov", "AZE", "IRN")]
    assert first[0].evidence.trigger == "met with"


def test_seed_story_working_group_meeting(seed_events):
    held = [e for e in seed_events.events if e.evidence.trigger.startswith("meeting was held")]
    assert {(e.cameo, e.actor.country, e.recipient.country) for e in held} == {
        ("040", "AZE", "IRN"),  # DESIGN.md: Azerbaijan -> Iran, once
    }


def test_seed_story_has_no_conflict_and_no_third_country(seed_events):
    events = seed_events.events
    assert events
    assert all(e.quad_class in (1, 2) for e in events)
    countries = {a.country for e in events for a in (e.actor, e.recipient) if a is not None}
    assert countries <= {"AZE", "IRN"}
