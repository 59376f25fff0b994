"""Docs cannot drift: the CLI reference is generated, and every command is in the README."""

from __future__ import annotations

from pathlib import Path

from polybius.cli import COMMANDS, reference_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_up_to_date():
    assert (ROOT / "docs" / "CLI.md").read_text(encoding="utf-8") == reference_markdown(), (
        "docs/CLI.md is stale: run python -m polybius.cli.docs"
    )


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in COMMANDS:
        assert f"polybius {name}" in readme, name


def test_readme_quick_start_has_exactly_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = section.split("```", 2)[1]
    commands = [line for line in block.splitlines() if line.strip()]
    assert [c.split()[0:2] for c in commands] == [["./dev", "demo"], ["./dev", "test"]]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "./dev test" in ci
