"""A second process holding a DuckDB file open read-write, as a notebook or SQL client would."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HOLDER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("select 1").fetchall()
print("holding", flush=True)
time.sleep(300)
"""


@contextmanager
def held_open(database: Path) -> Iterator[int]:
    """Yield the pid of a process that holds `database` open read-write until the block ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(database)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = holder.stdout.readline()
        assert line == "holding\n", line + holder.stderr.read()
        yield holder.pid
    finally:
        holder.kill()
        holder.wait(timeout=30)
        holder.stdout.close()
        holder.stderr.close()
