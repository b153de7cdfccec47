"""Lint the SQL inside the project's macros with sqlfluff.

sqlfluff skips files that only define macros (they render to nothing), so the SQL written in
macros/ would go unchecked. Here every macro (and generic test) whose body is SQL is written out
as a small lintable file: its arguments set to placeholders, the body wrapped so it forms a
statement (an expression becomes a select item, a join follows a `from`, a statement stays as
it is), then linted by sqlfluff's jinja templater with the project's other macros loaded and
stand-ins for dbt's `adapter` and `dbt` namespaces (chs/macro_lint_library/). Violations are
reported at the macro file's own lines and columns. Macros that only compute Jinja values
(`{{ return(...) }}`) hold no SQL and are left out.
"""

from __future__ import annotations

import ast
import configparser
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from chs.dbt import PROJECT_DIR

OUT_DIR = PROJECT_DIR / "build" / "lint_macros"
LIBRARY = Path(__file__).resolve().parent / "macro_lint_library"
OPEN = re.compile(r"^\{%-?\s*(macro|test)\s+(\w+)\((.*)\)\s*-?%\}\s*$")
CLOSE = re.compile(r"^\{%-?\s*end(macro|test)\s*-?%\}\s*$")
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")
# Arguments that are not SQL text: the values a typical call passes.
ARGUMENTS: dict[str, dict[str, object]] = {
    "trailing_sum": {"weeks": 4},
    "trailing_distinct_deltas": {"weeks": 4},
    "integer_sequence": {"upper_bound": 1000},
    "normalise_percentile": {"partition_by": ["segment", "week_start"]},
    "quarantine_reason": {
        "checks": [
            {"when": "amount_raw is null", "reason": "missing_value", "column": "amount"},
            {"when": "amount < 0", "reason": "out_of_range", "column": "amount"},
        ]
    },
    "accepted_range": {"min_value": 0, "max_value": 100},
    "landed_columns": {"columns": [("amount", "bigint"), ("currency", "varchar")]},
}
# Loops that emit select items or from-items: sqlfluff judges the indent of their tags against
# the wrapper, not against the caller's list the items land in, and integer_sequence builds its
# digits as subqueries (it must run on every engine without recursion or generate_series).
LOOP_RULES: dict[str, str] = {
    "family_scores": "layout.indent",
    "family_score_columns": "layout.indent",
    "integer_sequence": "layout.indent,structure.subquery",
    # a from-item (native subquery or adapter ref) and a select list built column by column
    "raw_table": "layout.indent",
    "landed_columns": "layout.indent",
}
# Rules about a whole query, which a fragment is not: an expression macro's result is one item
# of a select the caller aliases, and it refers to relations only the caller's query has.
FRAGMENT_RULES = ",".join(
    [
        "layout.start_of_file",  # a body may start with a Jinja tag
        "aliasing.expression",
        "references.from",
        "references.qualification",
        "references.consistent",
        "ambiguous.column_count",
        "structure.column_order",
    ]
)


@dataclass(frozen=True)
class Macro:
    path: Path
    name: str
    arguments: dict[str, object]
    body: list[str]
    first_line: int  # line number (1-based) of the body's first line in the macro file


@dataclass(frozen=True)
class Lintable:
    macro: Macro
    text: str
    line_offset: int  # lintable line = macro file line - line_offset
    dedent: int  # columns removed from the body's lines


def macros(path: Path) -> list[Macro]:
    """The macros and generic tests of one file whose body holds SQL."""
    found = []
    lines = path.read_text().splitlines()
    opened: tuple[int, str, str] | None = None
    for number, line in enumerate(lines):
        if opened is None and (match := OPEN.match(line)):
            opened = (number, match.group(2), match.group(3))
        elif opened is not None and CLOSE.match(line):
            start, name, signature = opened
            body = lines[start + 1 : number]
            if _holds_sql(name, body):
                arguments = _arguments(name, signature)
                found.append(Macro(path, name, arguments, body, start + 2))
            opened = None
    return found


def _holds_sql(name: str, body: list[str]) -> bool:
    """Not for macros that compute Jinja values or name a data type (type_double)."""
    text = "\n".join(body)
    if "return(" in text or "type_" in name:
        return False
    return bool(JINJA.sub("", text).strip())


def _arguments(name: str, signature: str) -> dict[str, object]:
    """Placeholders: an argument's default, a typical value, or an identifier named after it."""
    values: dict[str, object] = {}
    for part in filter(None, (p.strip() for p in signature.split(","))):
        argument, _, default = part.partition("=")
        argument = argument.strip()
        value: object = f"{argument}_arg"  # never a keyword (`end`, `left`)
        if default:
            value = {"true": True, "false": False}.get(default.strip().lower())
            if value is None:
                value = ast.literal_eval(default.strip())
        values[argument] = value
    values.update(ARGUMENTS.get(name.removeprefix("test_"), {}))
    return values


def lintable(macro: Macro) -> Lintable:
    sql_lines = [JINJA.sub("", line).strip() for line in macro.body]
    first = next(line for line in sql_lines if line).lower()
    indent = min(len(line) - len(line.lstrip()) for line in macro.body if line.strip())
    if first.startswith(("select", "with")):
        wrapper, dedent = [], indent
    elif first.startswith(("left join", "inner join", "join")):
        wrapper, dedent = ["select *", "from linted_relation"], indent
    elif first == "(":  # a subquery the caller selects from (raw_table)
        wrapper, dedent = ["select *", "from"], indent - 4
    else:
        wrapper, dedent = ["select"], indent - 4
    # Whitespace control ({%- -%}) joins lines in a render; the caller's layout decides how
    # that reads, so the copy renders every tag on its own line instead.
    body = [
        line[dedent:].replace("{%-", "{%").replace("-%}", "%}") if line.strip() else ""
        for line in macro.body
    ]
    text = "\n".join(wrapper + body).rstrip() + "\n"
    return Lintable(macro, text, macro.first_line - len(wrapper) - 1, dedent)


def _project_rules() -> str | None:
    config = configparser.ConfigParser()
    config.read(PROJECT_DIR / ".sqlfluff")
    return config["sqlfluff"].get("exclude_rules")


PROJECT_RULES = _project_rules()


def _excluded(*rules: str | None) -> str:
    """The project's excluded rules, the fragment rules and any others, comma-separated."""
    return ",".join(filter(None, [*rules, FRAGMENT_RULES]))


def _write_config(path: Path) -> None:
    """The project's .sqlfluff rules, with the jinja templater instead of dbt's."""
    config = configparser.ConfigParser()
    config.read(PROJECT_DIR / ".sqlfluff")
    config.remove_section("sqlfluff:templater:dbt")
    config["sqlfluff"]["templater"] = "jinja"
    config["sqlfluff"]["exclude_rules"] = _excluded(config["sqlfluff"].get("exclude_rules"))
    config["sqlfluff:templater:jinja"] = {
        "apply_dbt_builtins": "True",
        "load_macros_from_path": str(PROJECT_DIR / "macros"),
        "exclude_macros_from_path": str(PROJECT_DIR / "macros" / "tests"),
        "library_path": str(LIBRARY),
    }
    with path.open("w") as handle:
        config.write(handle)


def _shown(path: Path) -> Path:
    return path.relative_to(PROJECT_DIR) if path.is_relative_to(PROJECT_DIR) else path


def lint(roots: list[Path], out_dir: Path = OUT_DIR) -> int:
    """Lint every macro under `roots`; print violations at the macro files' lines.

    Returns 0 when all pass, 1 on violations, 2 when sqlfluff could not report."""
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    _write_config(out_dir / ".sqlfluff")
    copies: dict[str, Lintable] = {}
    files = sorted(path for root in roots for path in root.rglob("*.sql"))
    for path in files:
        for macro in macros(path):
            copy = lintable(macro)
            folder = out_dir / f"{path.stem}__{macro.name}"
            folder.mkdir(exist_ok=True)
            (folder / "macro.sql").write_text(copy.text)
            context = "".join(f"{name} = {value!r}\n" for name, value in macro.arguments.items())
            rules = _excluded(PROJECT_RULES, LOOP_RULES.get(macro.name))
            (folder / ".sqlfluff").write_text(
                f"[sqlfluff]\nexclude_rules = {rules}\n\n"
                f"[sqlfluff:templater:jinja:context]\n{context}"
            )
            copies[folder.name] = copy
    print(f"sqlfluff on the SQL of {len(copies)} macros in {len(files)} files")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "sqlfluff"), "lint", "--format", "json", "."],
        cwd=out_dir,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        reports = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stdout + result.stderr, file=sys.stderr)
        return 2
    violations = 0
    for report in reports:
        copy = copies[Path(report["filepath"]).parent.name]
        source = _shown(copy.macro.path)
        for violation in report["violations"]:
            line = violation["start_line_no"] + copy.line_offset
            column = violation["start_line_pos"] + copy.dedent
            print(f"{source}:{line}:{column}: {violation['code']} {violation['description']}")
            violations += 1
    print(f"{violations} violations" if violations else "all macros pass")
    return 1 if violations else 0
