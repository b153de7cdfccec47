"""Small SQL helpers of the loader: quoting, and DuckDB's errors as one line."""

from __future__ import annotations


def literal(text: str) -> str:
    """An SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def identifier(name: str) -> str:
    """An SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def one_line(error: Exception) -> str:
    """DuckDB's message without its advice and echoed data, on one line.

    A CSV error reads "Invalid Input Error: CSV Error on Line: 3", then the original line,
    the column counts, "Possible fixes" and the reader's settings: the line number and the
    counts are kept.
    """
    kept = []
    for line in str(error).splitlines():
        line = line.strip()
        if line.startswith("Possible fixes"):
            break
        if line and not line.startswith("Original Line"):
            kept.append(line)
    return "; ".join(kept).removeprefix("Invalid Input Error: ")
