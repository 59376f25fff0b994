"""Rules that need more than one sentence or more than one stage, through the real coder.

Each story is written by hand; each test says what a user of dyadic event data expects.
"""

from __future__ import annotations

from datetime import date

import pytest

from polybius.read import article_from_text

pytestmark = pytest.mark.model


def _events(coder, text: str, published: date = date(2024, 7, 23)):
    return coder.code(article_from_text(text, published=published)).events


def _triples(events):
    return {
        (e.cameo, e.actor.country if e.actor else None, e.recipient.country if e.recipient else None)
        for e in events
    }


def test_a_joint_act_is_one_event_named_in_text_order(coder):
    events = _events(coder, "Brazil and Argentina signed an energy agreement on Tuesday.")
    assert [(e.cameo, e.actor.country, e.recipient.country) for e in events] == [("057", "BRA", "ARG")]


def test_an_exchange_of_fire_is_each_side_attacking_the_other(coder):
    events = _events(coder, "Indian and Pakistani troops exchanged fire across the border on Monday.")
    pairs = {(e.actor.country, e.recipient.country) for e in events if e.cameo.startswith("19")}
    assert pairs == {("IND", "PAK"), ("PAK", "IND")}


def test_an_attack_with_no_target_named_is_aimed_at_the_storys_target(coder):
    """The second sentence restates the first attack: its target is Ukraine (not Russia), so
    it is the same event and is coded once."""
    text = (
        "ODESA, July 23 — Russian missiles struck the port of Odesa on Monday, killing three dock "
        "workers, Ukrainian officials said.\n\n"
        "Regional governor Oleh Kiper said Russia fired six cruise missiles at the port infrastructure."
    )
    events = _events(coder, text)
    assert _triples(events) == {("190", "RUS", "UKR")}
    assert not [e for e in events if e.actor.country == e.recipient.country]


def test_a_claim_that_the_other_side_attacked_is_an_accusation(coder):
    events = _events(coder, "The United States claimed that Iran had attacked a tanker in the Gulf.")
    assert _triples(events) == {("112", "USA", "IRN")}  # the attack itself is Iran's... claim
    (accusation,) = events
    assert accusation.evidence.rule.startswith("claim:")


def test_a_claim_about_ones_own_side_is_not_an_accusation(coder):
    events = _events(coder, "Iran said it had seized a tanker in the Gulf.")
    assert not [e for e in events if e.cameo == "112"]


def test_a_negated_claim_accuses_no_one(coder):
    events = _events(coder, "The United States said that Iran had not attacked the tanker.")
    assert not [e for e in events if e.cameo == "112"]


def test_drills_in_another_country_are_aimed_at_it(coder):
    events = _events(coder, "Russia is conducting military exercises in Alaska.")
    assert _triples(events) == {("150", "RUS", "USA")}
    assert events[0].recipient.link.startswith("no target named: the country where it happened")


def test_drills_at_home_keep_no_foreign_target(coder):
    events = _events(coder, "Russia held military exercises near Moscow on Tuesday.")
    assert all(e.recipient is None or e.recipient.country == "RUS" for e in events)


def test_a_participle_describing_who_was_released_is_not_news(coder):
    events = _events(coder, "Hamas released hostages abducted in October, Israeli officials said.")
    assert {e.cameo[:3] for e in events} == {"084"}


def test_a_bureau_abroad_does_not_lend_its_country(coder):
    """BANGKOK files Myanmar news: the junta's spokesman is not Thai but Myanmar's (the one
    country of the lead)."""
    text = (
        "BANGKOK, March 27 — A Myanmar military air strike on a village in the Sagaing region "
        "killed at least 25 people on Monday, residents said.\n\n"
        "A junta spokesman denied the report and accused the resistance of using the school as a base."
    )
    events = _events(coder, text)
    countries = {a.country for e in events for a in (e.actor, e.recipient) if a is not None}
    assert "THA" not in countries
    assert ("112", "MMR", "MMR") in _triples(events)
    # nor is the bureau's city the place of what it reports
    assert not [e for e in events if e.location is not None and e.location.country == "THA"]


def test_a_home_dateline_still_lends_its_country(coder):
    text = (
        "NAIROBI, June 21 — Police arrested more than 200 protesters in Nairobi on Thursday, "
        "rights groups said."
    )
    events = _events(coder, text)
    assert any(e.actor is not None and e.actor.country == "KEN" for e in events)


def test_violence_is_coded_by_who_does_it_to_whom(coder):
    text = (
        "NAIROBI, June 21 — Officers fired tear gas at protesters near parliament on Thursday.\n\n"
        "In Mombasa, rioters torched two police stations on Friday."
    )
    coded = {
        (e.cameo, e.actor.country, e.recipient.role if e.recipient else None)
        for e in _events(coder, text)
    }
    assert ("175", "KEN", "protester") in coded  # violent repression, not a plain assault
    assert any(cameo == "145" and country == "KEN" for cameo, country, _ in coded)  # the riot


def test_a_clash_with_someone_is_mutual(coder):
    events = _events(coder, "Armenian troops clashed with Azerbaijani forces on the border on Monday.")
    pairs = {(e.actor.country, e.recipient.country) for e in events if e.cameo.startswith("19")}
    assert pairs == {("ARM", "AZE"), ("AZE", "ARM")}


def test_a_surname_the_tagger_missed_is_still_the_person(coder):
    text = (
        "Defence Minister Rajnath Singh held talks with French Armed Forces Minister "
        "Sebastien Lecornu in New Delhi on Thursday.\n\n"
        'Singh thanked France for its "steadfast support".'
    )
    thanks = [e for e in _events(coder, text) if e.cameo == "051"]
    assert [(e.actor.name, e.actor.country, e.recipient.country) for e in thanks] == [
        ("Rajnath Singh", "IND", "FRA")
    ]


def test_a_comma_relative_clause_on_a_person_is_news_told_alongside(coder):
    text = (
        "The officers were greeted by Prime Minister Garry Conille of Haiti, who thanked Kenya "
        "for leading the mission."
    )
    assert ("051", "HTI", "KEN") in _triples(_events(coder, text))


def test_a_relative_clause_with_a_time_of_its_own_is_background(coder):
    text = (
        "France's Foreign Minister Stephane Sejourne, who visited Beirut last week, urged "
        "Israel to avoid escalation."
    )
    assert not [e for e in _events(coder, text) if e.cameo.startswith("04")]


def test_what_a_drill_simulates_did_not_happen(coder):
    text = (
        "About 600 Kazakh troops are taking part in the drills, which simulate the storming of "
        "a building seized by militants."
    )
    assert not [e for e in _events(coder, text) if e.cameo.startswith("17")]


def test_an_accusation_after_a_passive_clause_is_the_speakers(coder):
    text = (
        "The Kenya National Commission on Human Rights said two people were shot dead in the "
        "evening, and accused police of using excessive force."
    )
    accusations = [e for e in _events(coder, text) if e.cameo.startswith("112")]
    assert [(e.actor.country, e.recipient.role) for e in accusations] == [("KEN", "police")]


def test_a_second_infinitive_of_an_agreement_is_an_intent_not_a_fact(coder):
    text = "Israel and Hamas agreed on Sunday to extend the truce and to release more hostages."
    events = _events(coder, text)
    assert not [e for e in events if e.plover == "RETREAT"]  # nobody was released yet
    assert {e.plover for e in events} == {"AGREE"}


def test_praise_of_the_deal_supports_its_makers(coder):
    text = (
        "Saudi Arabia and Iran agreed on Friday to restore diplomatic relations.\n\n"
        "China's top diplomat Wang Yi praised the deal."
    )
    praise = [e for e in _events(coder, text) if e.cameo == "051"]
    assert [(e.actor.country, e.recipient.country) for e in praise] == [("CHN", "SAU")]


def test_an_invitation_to_a_capital_is_an_offer_to_meet_the_invited(coder):
    text = "Iran's border guard commander invited his Azerbaijani counterpart to Tehran."
    assert _triples(_events(coder, text)) == {("036", "IRN", "AZE")}


def test_what_a_resolution_aims_at_is_its_content_not_an_event(coder):
    text = (
        "Hungary has said it will support a U.N. Security Council resolution that aims to "
        "tighten sanctions and impose a naval blockade against Serbia."
    )
    assert not [e for e in _events(coder, text) if e.plover in ("SANCTION", "THREATEN")]


def test_an_invasion_named_as_the_time_after_which_is_background(coder):
    text = "On September 29, Putin offered to negotiate with Armenia following the invasion of Dagestan."
    events = _events(coder, text)
    assert not [e for e in events if e.cameo.startswith("19")]
    assert [e.plover for e in events] == ["AGREE"]


def test_what_happened_in_the_exchange_the_news_is_about_is_news(coder):
    text = (
        "Five American citizens landed in Doha on Monday after a prisoner exchange brokered by "
        "Qatar, in which the United States released five Iranians."
    )
    events = _events(coder, text, published=date(2023, 9, 19))
    (released,) = [e for e in events if e.cameo == "0841"]  # people released, not 084
    assert (released.actor.country, released.recipient.country) == ("USA", "IRN")
    assert released.date == date(2023, 9, 18)  # the exchange's Monday, not the dateline


def test_a_host_of_talks_serves_their_parties_not_the_place(coder):
    text = (
        "Thailand and Cambodia agreed on Monday to an immediate ceasefire, following talks in "
        "Malaysia hosted by Prime Minister Anwar Ibrahim."
    )
    hosting = [e for e in _events(coder, text) if e.cameo == "043"]
    assert [(e.actor.country, e.recipient.country) for e in hosting] == [("MYS", "THA")]


def test_a_passive_attack_comes_from_the_place_it_was_fired_from(coder):
    events = _events(coder, "Two rockets were fired from Lebanon at northern Israel overnight.")
    assert _triples(events) == {("190", "LBN", "ISR")}


def test_a_speaker_that_says_it_was_attacked_accuses_the_attacker(coder):
    events = _events(coder, "Israel said a mortar bomb was fired at it from the Gaza Strip on Tuesday.")
    assert _triples(events) == {("112", "ISR", "PSE")}


def test_thanks_go_to_the_one_thanked_not_the_reason(coder):
    events = _events(coder, "Pakistan expressed gratitude to Japan for its help after the floods.")
    assert ("051", "PAK", "JPN") in _triples(events)


def test_a_crowd_firing_missiles_attacks_it_does_not_riot(coder):
    events = _events(coder, "Georgian demonstrators launched missiles at the Georgian government.")
    assert {e.cameo[:2] for e in events} == {"19"}


def test_a_meeting_place_is_no_partner(coder):
    text = "EU foreign ministers meeting in Brussels agreed to freeze the assets of six officials."
    events = _events(coder, text)
    assert not [e for e in events if e.recipient is not None and e.recipient.country == "BEL"]


def test_the_two_sides_are_not_the_mediator(coder):
    text = (
        "DOHA, Nov 25 — Israel and Hamas agreed on Sunday to extend the truce, Qatar said. "
        "Qatar and Egypt mediated the talks, and Qatar said it would keep mediating. Under the "
        "arrangement, the two sides exchanged prisoners on Sunday evening."
    )
    swaps = [e for e in _events(coder, text, published=date(2024, 11, 25)) if e.cameo.startswith("084")]
    assert swaps and {e.actor.country for e in swaps} <= {"ISR", "PSE"}


def test_hosting_refugees_is_shelter_not_a_visit(coder):
    events = _events(coder, "Jordan hosts more than 600,000 Syrian refugees.")
    assert [(e.plover, e.cameo, e.actor.country, e.recipient.country) for e in events] == [
        ("AID", "075", "JOR", "SYR")
    ]


def test_a_strike_on_a_named_city_is_aimed_at_its_country(coder):
    """Kharkiv is tagged PERSON by the small model where it is struck, but the story names it
    as a place: the target is Ukraine, and Moscow's restatement is the same event."""
    text = (
        "Russian forces struck Kharkiv with guided bombs and drones overnight, killing four "
        "people, regional governor Oleh Syniehubov said on Tuesday.\n\n"
        "Debris fell on houses in Kharkiv, officials said.\n\n"
        "Russia's Defence Ministry said its forces had hit military facilities in the region."
    )
    events = _events(coder, text, published=date(2024, 11, 26))
    attacks = [e for e in events if e.cameo.startswith("19")]
    assert [(e.actor.country, e.recipient.country) for e in attacks] == [("RUS", "UKR")]
