"""The events stage: what happened, and who did it to whom.

``EventExtractor.extract(doc, mentions, article)`` returns :class:`Candidate` objects, the
dropped ones (negated, hypothetical, reported claims, no actor, ...) included with their
reason, for ``polybius explain``. The lexicon is data (``polybius/data/triggers.tsv``,
``compose.tsv``, ``modality.tsv``) loaded by :func:`load_lexicon`.
"""

from __future__ import annotations

from polybius.events.extract import Candidate, EventExtractor, Mentions
from polybius.events.lexicon import Lexicon, Trigger, load_lexicon

__all__ = ["Candidate", "EventExtractor", "Lexicon", "Mentions", "Trigger", "load_lexicon"]
