"""The macro linter finds violations inside macro bodies, at the macro file's own lines."""

from __future__ import annotations

from pathlib import Path

from chs.macro_lint import lint, lintable, macros

GOOD = """{#- Days from one timestamp to another. -#}
{% macro span_days(start, end) -%}
    ({{ dbt.datediff(start, end, 'second') }} / 86400.0)
{%- endmacro %}
"""

LONG = "partition by customer_id order by week_start rows between {{ weeks - 1 }} preceding"
BAD = """{#-
    A doc comment of three lines.
-#}
{% macro shouting(expression, weeks=4) -%}
    SUM({{ expression }}) over (
        LONG and current row
    )
{%- endmacro %}

{% macro only_values() -%}
    {{ return(['a', 'b']) }}
{%- endmacro %}
""".replace("LONG", LONG)


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


def test_macros_holding_sql_are_found_with_their_arguments(tmp_path):
    path = _write(tmp_path / "macros", "bad.sql", BAD)
    found = macros(path)
    # only_values returns a Jinja value and holds no SQL.
    assert [macro.name for macro in found] == ["shouting"]
    assert found[0].arguments == {"expression": "expression_arg", "weeks": 4}
    assert found[0].first_line == 5  # the body starts on the line after the macro tag
    copy = lintable(found[0])
    assert copy.text.splitlines()[0] == "select"  # an expression becomes a select item
    # Line 5 of the macro file is line 5 - line_offset of the copy (both counted from 1).
    assert copy.text.splitlines()[5 - copy.line_offset - 1] == "    SUM({{ expression }}) over ("


def test_violations_are_reported_at_the_macro_lines(tmp_path, capsys):
    folder = tmp_path / "macros"
    _write(folder, "bad.sql", BAD)
    assert lint([folder], out_dir=tmp_path / "out") == 1
    report = capsys.readouterr().out
    # The upper-case function on line 5 (column 5), the 107-character line 6.
    assert "bad.sql:5:5: CP03" in report
    assert "bad.sql:6:9: LT05 Line is too long (107 > 80)" in report


def test_a_clean_macro_passes(tmp_path, capsys):
    folder = tmp_path / "macros"
    _write(folder, "good.sql", GOOD)
    assert lint([folder], out_dir=tmp_path / "out") == 0
    assert "all macros pass" in capsys.readouterr().out
