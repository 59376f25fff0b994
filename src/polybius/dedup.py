"""The dedup stage: the same story printed twice, and the same event reported many times.

Two levels, both deterministic (same input order -> same result) and incremental (they run at
write time, in :class:`polybius.store.Store`, so new articles join what is already stored):

1. **Articles.** Exact copies share a content id (``article_id_for``) and are stored once.
   Near-copies (a wire story re-run with a new headline, a changed paragraph, an outlet's
   boilerplate) are found with MinHash over word 3-shingles and LSH banding, and get
   ``near_dup_of`` = the id of the first stored copy. See :data:`NEAR_DUP_THRESHOLD`.

2. **Events.** Events from different articles that describe one real-world event are merged
   into one *cluster* (GDELT's NumMentions / NumSources / NumArticles, but across days and
   wording). An event joins a cluster when, against the cluster's first (anchor) event:

   - the dyad is the same: actor country and recipient country, in either direction for the
     symmetric types (CONSULT, AGREE, COOPERATE: "A met B" is "B met A");
   - the type is compatible: the same PLOVER type, or the same CAMEO root;
   - the dates are at most :data:`CLUSTER_DAYS` apart (reports of one event straddle
     midnight, time zones and "yesterday" in the next morning's paper);
   - the places are compatible: the same country, or one of them unknown;
   - negation and modality agree ("did not meet" is not a meeting).

   Events of a near-copy article join the cluster of the matching event of the original
   (same CAMEO code and dyad) whatever their dates: a re-run wire story re-reports, it does
   not describe a new event. Events with no actor country or no date never merge (we could
   not tell them apart from another event), each is its own cluster.

   When several clusters qualify, the one whose anchor date is nearest wins, then the oldest
   cluster id: ties are broken the same way on every run.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

    from polybius.records import Event

__all__ = [
    "BANDS",
    "CLUSTER_DAYS",
    "NEAR_DUP_THRESHOLD",
    "NUM_PERM",
    "ROWS",
    "SYMMETRIC_PLOVER",
    "ClusterCandidate",
    "ClusterIndex",
    "band_keys",
    "estimated_jaccard",
    "minhash",
    "pair_key",
    "shingles",
]

# MinHash: 120 hash functions in 24 bands of 5 rows. The LSH candidate threshold is
# (1/24) ** (1/5) ~ 0.53 estimated Jaccard; a pair at Jaccard 0.6 becomes a candidate with
# probability 0.86, at 0.7 with 0.99. Candidates are then confirmed on the full signature.
NUM_PERM = 120
BANDS = 24
ROWS = NUM_PERM // BANDS
# Near-copy when the estimated Jaccard similarity of the 3-shingle sets is at least 0.6.
# Measured on 300 pairs from benchmarks/corpus.py: a rewritten wire copy (paragraphs
# reordered, one dropped, synonyms swapped, a sign-off added) has Jaccard >= 0.58, median
# 0.74, and 298 of 300 are called near-copies; two different stories built from the same small pool of background
# sentences reach at most 0.50 (estimate 0.53) and none is. Real unrelated stories are near 0.
NEAR_DUP_THRESHOLD = 0.6
SHINGLE_WORDS = 3
# Articles shorter than this many words are too short for a reliable near-copy call.
MIN_WORDS = 12

CLUSTER_DAYS = 2
# PLOVER types whose two sides are interchangeable.
SYMMETRIC_PLOVER = frozenset({"CONSULT", "AGREE", "COOPERATE"})

_WORD = re.compile(r"\w+", re.UNICODE)
_SEED = 0x5EED_B1B1


def _parameters() -> tuple[np.ndarray, np.ndarray]:
    import numpy as np

    rng = np.random.Generator(np.random.PCG64(_SEED))
    # Multiply-shift hashing (Dietzfelbinger): h(x) = (a*x + b) mod 2**64 >> 32, a odd.
    a = rng.integers(1, 2**63, size=NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = rng.integers(0, 2**63, size=NUM_PERM, dtype=np.uint64)
    return a, b


_PARAMS: tuple[np.ndarray, np.ndarray] | None = None


def shingles(text: str, *, size: int = SHINGLE_WORDS) -> set[int]:
    """32-bit hashes (CRC32: stable across processes, unlike ``hash``) of word n-grams."""
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {zlib.crc32(" ".join(words).encode("utf-8"))} if words else set()
    return {
        zlib.crc32(" ".join(words[i : i + size]).encode("utf-8"))
        for i in range(len(words) - size + 1)
    }


def minhash(text: str) -> bytes | None:
    """The MinHash signature of ``text`` (NUM_PERM uint32, little-endian), or None if too short."""
    import numpy as np

    global _PARAMS
    if len(_WORD.findall(text)) < MIN_WORDS:
        return None
    if _PARAMS is None:
        _PARAMS = _parameters()
    a, b = _PARAMS
    values = np.fromiter(shingles(text), dtype=np.uint64)
    with np.errstate(over="ignore"):
        hashed = (values[:, None] * a[None, :] + b[None, :]) >> np.uint64(32)
    return hashed.min(axis=0).astype("<u4").tobytes()


def band_keys(signature: bytes) -> list[tuple[int, int]]:
    """(band number, 63-bit bucket) for each LSH band of a signature."""
    width = ROWS * 4
    keys = []
    for band in range(BANDS):
        chunk = signature[band * width : (band + 1) * width]
        digest = hashlib.blake2b(chunk, digest_size=8).digest()
        keys.append((band, int.from_bytes(digest, "little") >> 1))
    return keys


def estimated_jaccard(left: bytes, right: bytes) -> float:
    import numpy as np

    a = np.frombuffer(left, dtype="<u4")
    b = np.frombuffer(right, dtype="<u4")
    return float(np.count_nonzero(a == b)) / len(a)


# -- event clusters ---------------------------------------------------------------------------


def pair_key(actor_country: str | None, recipient_country: str | None) -> str:
    """The unordered dyad, for looking clusters up: ``"AZE|IRN"``."""
    return "|".join(sorted((actor_country or "", recipient_country or "")))


@dataclass(slots=True)
class ClusterCandidate:
    """What a cluster remembers of its anchor event, to match new events against."""

    id: str
    date: date | None
    actor_country: str | None
    recipient_country: str | None
    plover: str
    cameo: str
    loc_country: str | None
    negated: bool = False
    hypothetical: bool = False
    # event ids of the cluster per article, for near-copies: article_id -> [(cameo, id)]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def root(self) -> str:
        return self.cameo[:2]


def _event_fields(event: Event) -> tuple[str | None, str | None, str | None]:
    actor = event.actor.country if event.actor else None
    recipient = event.recipient.country if event.recipient else None
    place = event.location.country if event.location else None
    return actor, recipient, place


def match_reason(cluster: ClusterCandidate, event: Event) -> str | None:
    """Why ``event`` belongs to ``cluster`` (the merge rule), or None when it does not."""
    actor, recipient, place = _event_fields(event)
    if actor is None or event.date is None or cluster.date is None:
        return None
    if event.negated != cluster.negated or event.hypothetical != cluster.hypothetical:
        return None
    same_direction = (actor, recipient) == (cluster.actor_country, cluster.recipient_country)
    symmetric = event.plover in SYMMETRIC_PLOVER and cluster.plover in SYMMETRIC_PLOVER
    reverse = symmetric and (recipient, actor) == (cluster.actor_country, cluster.recipient_country)
    if not (same_direction or reverse):
        return None
    if event.plover == cluster.plover:
        kind = f"plover={event.plover}"
    elif event.cameo[:2] == cluster.root:
        kind = f"root={cluster.root}"
    else:
        return None
    days = abs((event.date - cluster.date).days)
    if days > CLUSTER_DAYS:
        return None
    if place and cluster.loc_country and place != cluster.loc_country:
        return None
    direction = "dyad" if same_direction else "dyad(reversed,symmetric)"
    return f"{direction}+{kind}+{days}d"


class ClusterIndex:
    """The clusters a batch can join, looked up by unordered dyad; new ones are added as made.

    The store fills it with the stored clusters near a batch's dates, then asks
    :meth:`assign` for each new event in input order.
    """

    def __init__(self, clusters: Iterable[ClusterCandidate] = ()) -> None:
        self._by_pair: dict[str, list[ClusterCandidate]] = {}
        for cluster in clusters:
            self.add(cluster)

    def add(self, cluster: ClusterCandidate) -> None:
        key = pair_key(cluster.actor_country, cluster.recipient_country)
        self._by_pair.setdefault(key, []).append(cluster)

    def find(self, event: Event) -> tuple[ClusterCandidate, str] | None:
        actor, recipient, _ = _event_fields(event)
        best: tuple[int, str, ClusterCandidate, str] | None = None
        for cluster in self._by_pair.get(pair_key(actor, recipient), ()):
            reason = match_reason(cluster, event)
            if reason is None:
                continue
            assert event.date is not None and cluster.date is not None  # match_reason checked
            rank = (abs((event.date - cluster.date).days), cluster.id)
            if best is None or rank < best[:2]:
                best = (*rank, cluster, reason)
        return (best[2], best[3]) if best else None

    def new_cluster(self, event: Event) -> ClusterCandidate:
        actor, recipient, place = _event_fields(event)
        cluster = ClusterCandidate(
            id="cl_" + event.id[3:],
            date=event.date,
            actor_country=actor,
            recipient_country=recipient,
            plover=event.plover,
            cameo=event.cameo,
            loc_country=place,
            negated=event.negated,
            hypothetical=event.hypothetical,
        )
        if actor is not None and event.date is not None:
            self.add(cluster)
        return cluster


def near_copy_match(event: Event, original_events: Sequence[tuple[str, str, str | None, str | None]]) -> str | None:
    """The cluster of the original's event that ``event`` re-reports, if any.

    ``original_events``: (cluster_id, cameo, actor_country, recipient_country) of the
    original article's events, in order.
    """
    actor, recipient, _ = _event_fields(event)
    for cluster_id, cameo, a, r in original_events:
        if cameo == event.cameo and {a, r} == {actor, recipient}:
            return cluster_id
    return None
