"""The event lexicon: bundled data files, their schema check, and the codes they use."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from polybius.errors import DataError
from polybius.events.lexicon import (
    load_lexicon,
    parse_compose,
    parse_modality,
    parse_triggers,
)

DATA = Path(__file__).resolve().parents[1] / "src" / "polybius" / "data"
HEADER = "pattern\tpos\tcameo\tflags\tplover\tmode\tnote\n"


def test_bundled_lexicon_loads_and_is_indexed_by_lemma():
    lex = load_lexicon()
    assert lex is load_lexicon()  # loaded once per process
    meet = lex.lookup("verb", "meet")
    assert meet and all(t.head == "meet" for t in meet)
    # most specific pattern first: "meet with" before bare "meet"
    assert meet[0].pattern == "meet with"
    assert lex.lookup("noun", "strike")
    assert lex.lookup("verb", "no-such-lemma") == []


def test_lexicon_covers_every_root_and_150_codes():
    lex = load_lexicon()
    codes = {t.cameo for t in lex.triggers}
    assert {c[:2] for c in codes} == {f"{r:02d}" for r in range(1, 21)}
    assert len({c for c in codes if len(c) >= 3}) >= 150


def test_key_phrases_map_to_their_codes():
    lex = load_lexicon()

    def code(pos, pattern):
        head = pattern.split()[0] if pos == "verb" else pattern.split()[-1]
        return next(t.cameo for t in lex.lookup(pos, head) if t.pattern == pattern)

    assert code("verb", "meet with") == "040"
    assert code("verb", "visit") == "042"
    assert code("verb", "host") == "043"
    assert code("verb", "condemn") == "111"
    assert code("verb", "accuse") == "112"
    assert code("verb", "arrest") == "173"
    assert code("verb", "shell") == "194"
    assert code("verb", "bomb") == "195"
    assert code("verb", "kidnap") == "181"
    assert code("verb", "praise") == "051"
    assert code("verb", "negotiate") == "046"
    # expelling diplomats reduces relations (CAMEO 161), PLOVER SANCTION
    expel = next(t for t in lex.lookup("verb", "expel") if "ambassador" in t.pattern)
    assert (expel.cameo, expel.plover) == ("161", "SANCTION")
    summon = next(t for t in lex.lookup("verb", "summon") if t.parts)
    assert summon.plover == "ACCUSE"


def test_specific_lines_inherit_the_frame_of_their_word():
    lex = load_lexicon()
    threaten = [t for t in lex.lookup("verb", "threaten")]
    assert threaten and all(t.frame == "threat" for t in threaten)


def test_compose_takes_the_longest_prefix():
    lex = load_lexicon()
    assert lex.compose_code("intent", "040") == "036"
    assert lex.compose_code("intent", "062") == "0312"
    assert lex.compose_code("request", "0841") == "1053"
    assert lex.compose_code("reject", "0874") == "1246"
    assert lex.compose_code("threat", "163") == "1312"
    assert lex.compose_code("intent", "195") == "1384"  # announced conflict: a threat


def test_data_files_are_small():
    for name in ("triggers.tsv", "compose.tsv", "modality.tsv"):
        assert (DATA / name).stat().st_size < 1_000_000


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ("meet\tverb\t40\t\t\t\t\n", "not a CAMEO code"),
        ("meet\tverb\t2101\t\t\t\t\n", "not a CAMEO code"),
        ("meet\tadverb\t040\t\t\t\t\n", "pos"),
        ("meet\tverb\t040\tsometimes\t\t\t\n", "unknown flag"),
        ("meet\tverb\t040\tframe=maybe\t\t\t\n", "unknown frame"),
        ("meet\tverb\t040\t\tFRIENDLY\t\t\n", "unknown PLOVER type"),
        ("meet\tverb\t040\t\t\t\t\nmeet\tverb\t040\t\t\t\t\n", "duplicate"),
        ("\tverb\t040\t\t\t\t\n", "empty pattern"),
        ("meet\tverb\t040\t\t\t\t\textra\n", "columns"),
    ],
)
def test_schema_errors_name_file_and_line(body, detail):
    with pytest.raises(DataError) as info:
        parse_triggers("# comment\n" + HEADER + body, "triggers.tsv")
    err = info.value
    assert err.code == "E050"
    assert detail in str(err)
    assert "triggers.tsv:" in str(err)
    # the line number is the offending line of the file
    line = int(str(err).rsplit(":", 1)[1])
    assert 3 <= line <= 4


def test_missing_header_is_an_error():
    with pytest.raises(DataError, match=r"E050.*header.*triggers.tsv:1"):
        parse_triggers("meet\tverb\t040\n", "triggers.tsv")


def test_compose_and_modality_schema_errors():
    with pytest.raises(DataError, match="compose.tsv:2"):
        parse_compose("frame\tembedded\tcameo\tnote\nhope\t04\t036\n", "compose.tsv")
    with pytest.raises(DataError, match="compose.tsv:2"):
        parse_compose("frame\tembedded\tcameo\tnote\nintent\t04\t36\n", "compose.tsv")
    with pytest.raises(DataError, match="modality.tsv:2"):
        parse_modality("kind\tlemma\tnote\nmood\tcould\n", "modality.tsv")


def test_a_lexicon_directory_can_replace_the_bundled_one(tmp_path):
    (tmp_path / "triggers.tsv").write_text(HEADER + "parley\tverb\t040\t\t\t\t\n")
    (tmp_path / "compose.tsv").write_text("frame\tembedded\tcameo\tnote\nintent\t04\t036\n")
    (tmp_path / "modality.tsv").write_text("kind\tlemma\tnote\nnegation\tnot\n")
    lex = load_lexicon(tmp_path)
    assert [t.cameo for t in lex.lookup("verb", "parley")] == ["040"]
    with pytest.raises(DataError, match="E050"):
        load_lexicon(tmp_path / "missing")


def _reference_codes(shared_dir: Path) -> set[str]:
    path = shared_dir / "reference" / "cameo" / "cameo_event_codes_merged.tsv"
    if not path.exists():
        pytest.skip("CAMEO reference table not present")
    with path.open(encoding="utf-8") as handle:
        return {row["code"] for row in csv.DictReader(handle, delimiter="\t")}


@pytest.mark.shared
def test_every_code_exists_in_the_cameo_codebook(shared_dir):
    known = _reference_codes(shared_dir)
    lex = load_lexicon()
    unknown = {f"{t.cameo} ({t.rule})" for t in lex.triggers if t.cameo not in known}
    assert not unknown
    assert lex.codes() <= known
