"""The actors stage: countries, roles, organisations and people, linked within the article.

``ActorResolver().resolve(doc, article)`` returns :class:`ActorMentions`, which the events
stage asks for the actor of a noun phrase (``actor_for``/``actors_for``) and the places stage
asks for the article's countries. ``polybius.actors.countries`` holds the string helpers
(``country_code``, ``country_name``, ``iso2``, ``fips``, ``is_country_code``).
"""

from __future__ import annotations

from polybius.actors.dictionary import ActorDictionary, Entry
from polybius.actors.resolve import ActorMentions, ActorResolver

__all__ = ["ActorDictionary", "ActorMentions", "ActorResolver", "Entry"]
