"""The quality gate: the coder's scores on the golden set may not fall under their floors.

Floors live in tests/golden/floors.json and are raised with
``polybius evaluate tests/golden/articles.jsonl --pin-floors tests/golden/floors.json``;
lowering one needs ``--allow-lower`` and a commit message that says why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from polybius.evaluate import check_floors, evaluate_file, flat_scores, load_floors

pytestmark = pytest.mark.model

GOLDEN = Path(__file__).resolve().parent / "golden"


def test_golden_scores_stay_above_their_floors(coder):
    report = evaluate_file(GOLDEN / "articles.jsonl", coder=coder)
    scores = {"articles.jsonl": flat_scores(report)}
    floors = load_floors(GOLDEN / "floors.json")
    assert floors.get("articles.jsonl"), "no floors pinned for the golden set"
    problems = check_floors(scores, GOLDEN / "floors.json")
    assert not problems, "\n".join(str(p) for p in problems)


def test_floors_cover_the_measures_that_matter():
    floors = load_floors(GOLDEN / "floors.json")["articles.jsonl"]
    for metric in ("plover.f1", "plover.recall", "plover.precision", "must_not.clean"):
        assert metric in floors, metric
