"""The error catalogue: numbered, formatted, one class per range, used everywhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from polybius import errors
from polybius.errors import MESSAGES, InputError, PolybiusError, StoreError, make_error

SRC = Path(__file__).resolve().parents[1] / "src" / "polybius"


def test_codes_are_well_formed_and_unique():
    assert all(re.fullmatch(r"E\d{3}", code) for code in MESSAGES)
    assert all(re.fullmatch(r"W\d{3}", code) for code in errors.WARNINGS)


def test_message_starts_with_its_code():
    err = InputError("E001", path="x.txt")
    assert str(err) == "E001: No such file or directory: x.txt"
    assert err.code == "E001" and err.fields == {"path": "x.txt"}


def test_make_error_picks_the_class_of_the_range():
    assert isinstance(make_error("E061", path="db"), StoreError)
    assert isinstance(make_error("E004", detail="d", where="w"), InputError)


def test_unknown_code_is_a_programming_error():
    with pytest.raises(KeyError):
        PolybiusError("E999")


def test_every_code_used_in_the_source_is_in_the_catalogue():
    used = set()
    for path in SRC.rglob("*.py"):
        used |= set(re.findall(r"[\"'](E\d{3})[\"']", path.read_text(encoding="utf-8")))
    missing = used - set(MESSAGES)
    assert not missing, f"codes used but not in the catalogue: {sorted(missing)}"


def test_every_message_formats_with_its_own_fields():
    for code, template in MESSAGES.items():
        fields = {name.split("!")[0].split(":")[0]: 1.0 for name in re.findall(r"{([^}]+)}", template)}
        assert str(make_error(code, **fields)).startswith(code)
