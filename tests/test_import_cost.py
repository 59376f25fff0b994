"""`polybius --help` must stay fast: it may not import spaCy, DuckDB, torch or FastAPI."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("spacy", "duckdb", "torch", "fastapi", "dask", "matplotlib", "pandas", "dateparser")


def test_help_imports_nothing_heavy():
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from polybius.cli import main\n"
        "result = CliRunner().invoke(main, ['--help'])\n"
        "assert result.exit_code == 0, result.output\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"--help imported: {out.stdout.strip()}"


def test_import_polybius_is_cheap():
    code = f"import sys, polybius; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
