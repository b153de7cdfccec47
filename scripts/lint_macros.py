"""Lint the SQL inside macros/ with sqlfluff (which skips macro files); see chs.macro_lint.

python scripts/lint_macros.py [folder ...]     default: macros; exit 1 on any violation
"""

from __future__ import annotations

import sys
from pathlib import Path

from chs.dbt import PROJECT_DIR
from chs.macro_lint import lint

if __name__ == "__main__":
    folders = [Path(arg).resolve() for arg in sys.argv[1:]] or [PROJECT_DIR / "macros"]
    sys.exit(lint(folders))
