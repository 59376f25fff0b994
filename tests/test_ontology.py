"""The bundled CAMEO and PLOVER tables: loader checks, look-ups, and agreement with the
published reference tables in ../shared/reference (skipped when that folder is absent)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from polybius.errors import DataError
from polybius.ontology import (
    PLOVER_TYPES,
    CameoEntry,
    cameo_codes,
    cameo_entry,
    cameo_table,
    gdelt_quad_class,
    is_symmetric,
    load_cameo_table,
    load_plover_table,
    normalise_cameo,
    plover_table,
    plover_type,
)

# Where our table deliberately departs from CAMEO2PLOVER-2021, and why.
DELIBERATE_DIFFERENCES = {
    # The type is named for it, and PLOVER's definition of SANCTION covers embargoes,
    # boycotts and sanctions; the conversion table's COERCE here is an outlier.
    "163": ("COERCE", "SANCTION"),
}
# Codes the conversion table leaves out, and what we give them instead.
DELIBERATE_ADDITIONS = {
    # Appeals are requests made politely: PLOVER folded CAMEO's 02 and 10 into REQUEST.
    "02": "REQUEST",
    # PLOVER does not code bare statements; the empty type says so (see ontology.py).
    "01": "",
}


# -- the tables themselves ----------------------------------------------------------------


def test_every_root_and_about_three_hundred_codes() -> None:
    codes = cameo_codes()
    roots = [c for c in codes if len(c) == 2]
    assert roots == [f"{n:02d}" for n in range(1, 21)]
    assert 300 <= len(codes) <= 330
    assert all(re.fullmatch(r"\d{2,4}", c) for c in codes)
    assert len(set(codes)) == len(codes)


def test_plover_types_in_order_with_quad_classes() -> None:
    assert tuple(plover_table()) == PLOVER_TYPES
    assert len(PLOVER_TYPES) == 16
    quads = {name: plover_type(name).quad_class for name in PLOVER_TYPES}
    assert [n for n, q in quads.items() if q == 1] == ["AGREE", "CONSULT", "SUPPORT", "CONCEDE"]
    assert [n for n, q in quads.items() if q == 2] == ["COOPERATE", "AID", "RETREAT"]
    assert [n for n, q in quads.items() if q == 3] == ["REQUEST", "ACCUSE", "REJECT", "THREATEN"]
    assert [n for n, q in quads.items() if q == 4] == [
        "PROTEST",
        "SANCTION",
        "MOBILIZE",
        "COERCE",
        "ASSAULT",
    ]


def test_symmetric_types() -> None:
    assert {n for n in PLOVER_TYPES if is_symmetric(n)} == {"CONSULT", "COOPERATE", "AGREE"}
    assert is_symmetric("consult")
    assert not is_symmetric("")
    assert not is_symmetric("NOT-A-TYPE")


def test_base_scores_have_the_right_sign() -> None:
    for name in PLOVER_TYPES:
        pt = plover_type(name)
        if pt.quad_class <= 2:
            assert pt.base_score > 0, name
        else:
            assert pt.base_score <= 0, name  # ACCUSE is -3: the manual's "+3" is a misprint
    assert plover_type("REQUEST").requires_recipient is False
    assert plover_type("AID").requires_recipient is True


def test_every_mode_belongs_to_its_type() -> None:
    for entry in cameo_table().values():
        if entry.mode:
            assert entry.mode in plover_type(entry.plover).modes, entry.code


def test_sub_codes_share_their_roots_family() -> None:
    table = cameo_table()
    for code, entry in table.items():
        assert entry.root == code[:2]
        if len(code) == 4:
            assert code[:3] in table, code


# -- look-ups -----------------------------------------------------------------------------


@pytest.mark.parametrize("given", ["040", "40", 40, " 040 ", 40.0, "40.0"])
def test_cameo_entry_normalises_the_leading_zero(given: object) -> None:
    entry = cameo_entry(given)  # type: ignore[arg-type]
    assert entry.code == "040"
    assert entry.plover == "CONSULT"
    assert entry.goldstein == 1.0
    assert entry.root == "04"


def test_exact_codes_win_over_padding() -> None:
    assert normalise_cameo("10") == "10"  # the root Demand, not 010
    assert normalise_cameo(311) == "0311"
    assert normalise_cameo("1056") == "1056"
    assert cameo_entry("0874").plover == "RETREAT"


@pytest.mark.parametrize("bad", ["999", "", "abc", "99", "0400", 2045])
def test_unknown_code_is_E051(bad: object) -> None:
    with pytest.raises(DataError) as info:
        cameo_entry(bad, where="verbs.tsv:12")  # type: ignore[arg-type]
    assert info.value.code == "E051"
    assert "verbs.tsv:12" in str(info.value)
    assert info.value.__cause__ is not None


def test_unknown_plover_type_is_E052() -> None:
    with pytest.raises(DataError) as info:
        plover_type("FIGHT")
    assert info.value.code == "E052"


def test_quad_classes_both_conventions() -> None:
    assert [gdelt_quad_class(r) for r in ("01", "05", "06", "09", "10", "14", "15", "20")] == [
        1,
        1,
        2,
        2,
        3,
        3,
        4,
        4,
    ]
    assert gdelt_quad_class("0874") == 2
    investigate = cameo_entry("090")
    assert investigate.plover == "ACCUSE"
    assert investigate.quad_class == 3  # PLOVER: verbal conflict; GDELT says material coop
    assert gdelt_quad_class("090") == 2
    assert cameo_entry("145").quad_class == 4
    # the coder may retype an event (future cooperation is AGREE): quad class of the new type
    assert cameo_entry("061").quad_class_for("AGREE") == 1
    # events PLOVER does not code fall back to GDELT's class
    assert cameo_entry("010").plover == ""
    assert cameo_entry("010").quad_class == 1


def test_entries_are_frozen() -> None:
    entry = cameo_entry("190")
    assert isinstance(entry, CameoEntry)
    with pytest.raises(AttributeError):
        entry.goldstein = 0.0  # type: ignore[misc]
    assert entry.contexts == ("military",)
    assert entry.plover == "ASSAULT"


# -- the loader's schema check ------------------------------------------------------------

CAMEO_HEADER = "code\tname\tgoldstein\tplover\tmode\tcontexts\n"


def _write(tmp_path: Path, body: str, header: str = CAMEO_HEADER) -> Path:
    path = tmp_path / "table.tsv"
    path.write_text("# a comment\n" + header + body, encoding="utf-8")
    return path


def test_loader_accepts_a_small_good_table(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "04\tConsult\t1.0\tCONSULT\t\t\n041\tPhone\t1.0\tCONSULT\tphone\tdiplomatic\n"
    )
    table = load_cameo_table(path)
    assert list(table) == ["04", "041"]
    assert table["041"].mode == "phone"
    assert table["041"].contexts == ("diplomatic",)


@pytest.mark.parametrize(
    ("body", "code", "fragment"),
    [
        ("04\tConsult\t1.0\tCONSULT\n", "E050", "columns"),
        ("04\tConsult\tlots\tCONSULT\t\t\n", "E050", "not a number"),
        ("04\tConsult\t11\tCONSULT\t\t\n", "E050", "outside"),
        ("04\tConsult\t1.0\tMEET\t\t\n", "E052", "MEET"),
        ("04\tConsult\t1.0\tCONSULT\tshout\t\n", "E050", "mode"),
        ("04\tConsult\t1.0\tCONSULT\t\tNot A Context\n", "E050", "contexts"),
        ("4x\tConsult\t1.0\tCONSULT\t\t\n", "E051", "4x"),
        ("041\tPhone\t1.0\tCONSULT\t\t\n", "E050", "root"),
        ("04\tConsult\t1.0\tCONSULT\t\t\n04\tAgain\t1.0\tCONSULT\t\t\n", "E050", "duplicate"),
        ("04\t\t1.0\tCONSULT\t\t\n", "E050", "no name"),
    ],
)
def test_loader_rejects_malformed_rows(tmp_path: Path, body: str, code: str, fragment: str) -> None:
    path = _write(tmp_path, body)
    with pytest.raises(DataError) as info:
        load_cameo_table(path)
    assert info.value.code == code
    assert fragment in str(info.value)
    assert str(path) in str(info.value)


def test_loader_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "04\tConsult\t1.0\tCONSULT\t\t\n040\tMeet\tx\tCONSULT\t\t\n")
    with pytest.raises(DataError, match=r"table\.tsv:4"):
        load_cameo_table(path)


def test_loader_rejects_a_wrong_header(tmp_path: Path) -> None:
    path = _write(tmp_path, "", header="code\tname\n")
    with pytest.raises(DataError, match="header"):
        load_cameo_table(path)


def test_plover_loader_checks(tmp_path: Path) -> None:
    good = (Path(__file__).parents[1] / "src/polybius/data/plover.tsv").read_text(encoding="utf-8")
    path = tmp_path / "plover.tsv"
    path.write_text(good.replace("ASSAULT\t4\t", "ASSAULT\t5\t"), encoding="utf-8")
    with pytest.raises(DataError, match="quad_class"):
        load_plover_table(path)
    path.write_text(
        "\n".join(line for line in good.splitlines() if not line.startswith("AID")),
        encoding="utf-8",
    )
    with pytest.raises(DataError, match="missing PLOVER types AID"):
        load_plover_table(path)
    path.write_text(good.replace("AID\t2\tno", "AID\t2\tmaybe"), encoding="utf-8")
    with pytest.raises(DataError, match="yes|no"):
        load_plover_table(path)
    with pytest.raises(DataError) as info:
        load_plover_table(tmp_path / "absent.tsv")
    assert info.value.code == "E050"


# -- agreement with the published tables (../shared/reference) ----------------------------


def _gdelt_goldstein(reference: Path) -> dict[str, float]:
    lines = (reference / "cameo" / "gdelt_CAMEO.goldsteinscale.txt").read_text().splitlines()
    values = {}
    for line in lines[1:]:
        code, _, value = line.strip().partition("\t")
        if code and value.strip():
            values[code] = float(value)
    return values


def _gdelt_codes(reference: Path) -> set[str]:
    text = (reference / "cameo" / "gdelt_CAMEO.eventcodes.txt").read_text(
        encoding="utf-8", errors="replace"
    )
    # A known defect: the 106 row is glued onto the end of the 1056 row ("...engagement106:").
    codes = set(re.findall(r"(?m)^(\d{2,4})\t", text))
    codes |= set(re.findall(r"[a-z](\d{3}):\[", text))
    return codes


def _cameo2plover(reference: Path) -> dict[str, str]:
    types: dict[str, str] = {}
    for line in (reference / "plover" / "CAMEO2PLOVER-2021.txt").read_text().splitlines():
        m = re.match(r"^(\d{3,4}):\s*([A-Z]+)", line)
        if m:
            types.setdefault(m.group(1), m.group(2))
    return types


@pytest.fixture(scope="module")
def reference(shared_dir: Path) -> Path:
    path = shared_dir / "reference"
    if not (path / "plover" / "CAMEO2PLOVER-2021.txt").exists():
        pytest.skip("reference tables not present")
    return path


def test_every_gdelt_code_is_present(reference: Path) -> None:
    expected = set(_gdelt_goldstein(reference)) | _gdelt_codes(reference)
    assert "1056" in expected
    missing = sorted(expected - set(cameo_codes()))
    assert missing == []
    extra = sorted(set(cameo_codes()) - expected)
    assert extra == ["1213", "1214"]  # in the CAMEO manual, absent from GDELT's lookups


def test_goldstein_values_are_gdelt_values(reference: Path) -> None:
    gdelt = _gdelt_goldstein(reference)
    wrong = {
        c: (cameo_entry(c).goldstein, v) for c, v in gdelt.items() if cameo_entry(c).goldstein != v
    }
    assert wrong == {}


def test_plover_types_agree_with_cameo2plover(reference: Path) -> None:
    published = _cameo2plover(reference)
    assert len(published) > 250
    table = cameo_table()
    differences = {
        code: (ptype, table[code].plover)
        for code, ptype in published.items()
        if code in table and table[code].plover != ptype
    }
    assert differences == DELIBERATE_DIFFERENCES
    not_in_published = {c for c in table if len(c) > 2 and c not in published}
    # The conversion table covers every code beyond roots 01 and 02 (left out on purpose).
    assert {c for c in not_in_published if c[:2] not in DELIBERATE_ADDITIONS} == set()
    for code in not_in_published:
        if code[:2] in DELIBERATE_ADDITIONS:
            assert table[code].plover == DELIBERATE_ADDITIONS[code[:2]], code


def test_contexts_are_plover_contexts(reference: Path) -> None:
    lines = (reference / "plover" / "plover_contexts.tsv").read_text().split()
    contexts = set(lines[1:])
    used = {c for entry in cameo_table().values() for c in entry.contexts}
    assert used <= contexts, used - contexts


def test_plover_quad_classes_and_recipients_agree(reference: Path) -> None:
    rows = (reference / "plover" / "plover_event_types.tsv").read_text().splitlines()
    header = rows[0].split("\t")
    for row in rows[1:]:
        cells = dict(zip(header, row.split("\t"), strict=True))
        pt = plover_type(cells["event"])
        assert pt.quad_class == int(cells["quad_class"]), pt.name
        assert pt.requires_recipient == (cells["requires_recipient"] == "yes"), pt.name
        assert set(pt.modes) == {m for m in cells["modes"].split(";") if m}, pt.name
