"""Write docs/CLI.md from the commands: ``python -m polybius.cli.docs [OUT]``."""

from __future__ import annotations

import sys
from pathlib import Path

from polybius.cli import reference_markdown

if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/CLI.md")
    out.write_text(reference_markdown(), encoding="utf-8")
    print(f"wrote {out}")
