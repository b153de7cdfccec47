"""Opening the project's DuckDB files from Python, with one-line errors a user can act on.

DuckDB lets one process write a database file; while it holds the file (a notebook, a SQL
client, a dbt run), another process cannot open it, not even read-only, and DuckDB raises an
IO error naming the holder. The pipeline, the publish step, the summaries and the alert export
all open the build warehouse (or a served file) through these functions, which turn that error
into a UserError: "<file> is in use by another process (...): close the other connection and
rerun".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from chs.errors import UserError

# DuckDB: 'Could not set lock on file "<path>": Conflicting lock is held in <program> (PID n)'
_LOCK = re.compile(r"Could not set lock on file")
_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")


def _describe(path: Path, exc: duckdb.Error) -> str:
    message = str(exc).strip()
    if _LOCK.search(message):
        holder = _HOLDER.search(message)
        who = ""
        if holder:
            who = f" (PID {holder['pid']}, {Path(holder['program']).name})"
        return f"{path} is in use by another process{who}: close the other connection and rerun"
    first_line = message.splitlines()[0] if message else type(exc).__name__
    return f"{path}: cannot open as a DuckDB database ({first_line})"


@contextmanager
def _opening(path: Path) -> Iterator[None]:
    """Turn DuckDB's failure to open `path` (held by another process, not DuckDB) into a
    UserError; wrap the connect or attach statement only, not the queries after it."""
    try:
        yield
    except duckdb.IOException as exc:
        raise UserError(_describe(path, exc)) from None


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the DuckDB file `path`, or a one-line UserError."""
    if not path.is_file():
        raise UserError(f"{path}: DuckDB file not found")
    with _opening(path):
        return duckdb.connect(str(path), read_only=True)


def attach_read_only(con: duckdb.DuckDBPyConnection, path: Path, alias: str) -> None:
    """Attach the DuckDB file `path` read-only to `con` as `alias`, or a one-line UserError."""
    if not path.is_file():
        raise UserError(f"{path}: DuckDB file not found")
    with _opening(path):
        quoted = str(path).replace("'", "''")
        con.execute(f"attach '{quoted}' as {alias} (read_only)")
