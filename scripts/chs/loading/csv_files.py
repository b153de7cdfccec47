"""CSV input: options, the encoding check (and re-encoding to UTF-8), the header, the reader.

Every CSV file must start with a header row. Values are read as text (DuckDB `read_csv` with
every column VARCHAR and no type sniffing): staging casts them and quarantines what does not
fit, as it does for numbers delivered as text in Parquet. Quoting is the standard one (`"`,
doubled inside a value); an unquoted empty value is NULL.

The bytes are checked against the chosen encoding in Python before DuckDB reads them, so a
file in the wrong encoding is refused with its byte offset and line rather than loaded with
replacement characters. Files in another encoding than UTF-8 are re-encoded to a UTF-8 copy
in a temporary folder, which DuckDB reads (any encoding Python knows works this way).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from chs.errors import UserError
from chs.loading.sql import literal

BLOCK = 1 << 20
DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}


@dataclass(frozen=True)
class CsvOptions:
    """How CSV files are read: the field delimiter and the encoding of the bytes."""

    delimiter: str = ","
    encoding: str = "utf-8"

    def __post_init__(self) -> None:
        delimiter = DELIMITER_NAMES.get(self.delimiter.lower(), self.delimiter)
        if len(delimiter) != 1 or delimiter in '"\r\n':
            raise UserError(
                f"CSV delimiter {self.delimiter!r}: give one character (or tab), not a quote"
                " or a line break"
            )
        try:
            codec = codecs.lookup(self.encoding).name
        except LookupError:
            raise UserError(f"unknown CSV encoding {self.encoding!r}") from None
        object.__setattr__(self, "delimiter", delimiter)
        object.__setattr__(self, "encoding", codec)

    @property
    def is_utf8(self) -> bool:
        return self.encoding == "utf-8"

    def describe(self) -> str:
        """The options as they change what is loaded (part of a CSV table's checksum)."""
        return f"csv delimiter={self.delimiter!r} encoding={self.encoding}"


def _decode_error(path: Path, options: CsvOptions, offset: int) -> UserError:
    with path.open("rb") as handle:
        before = handle.read(offset)
        byte = handle.read(1)
    line = before.count(b"\n") + 1
    hint = (
        "; if the file is not UTF-8, name its encoding with --csv-encoding (e.g. latin-1, cp1252)"
        if options.is_utf8
        else ""
    )
    return UserError(
        f"{path}: byte 0x{byte.hex() or '??'} at offset {offset} (line {line}) is not valid"
        f" {options.encoding}{hint}"
    )


def scan_csv(path: Path, options: CsvOptions, utf8_copy: Path | None = None) -> str:
    """Check that the file's bytes are valid in the encoding; return their SHA-256.

    With `utf8_copy`, also write the decoded text there as UTF-8 (for DuckDB to read).
    """
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder(options.encoding)(errors="strict")
    consumed = 0  # bytes handed to the decoder before the current block
    out = utf8_copy.open("w", encoding="utf-8", newline="") if utf8_copy else None
    try:
        with path.open("rb") as handle:
            for block in chain(iter(lambda: handle.read(BLOCK), b""), [b""]):
                digest.update(block)
                pending = len(decoder.getstate()[0])
                try:
                    text = decoder.decode(block, final=not block)
                except UnicodeDecodeError as exc:
                    raise _decode_error(path, options, consumed - pending + exc.start) from None
                consumed += len(block)
                if out:
                    out.write(text)
    finally:
        if out:
            out.close()
    return digest.hexdigest()


def read_header(path: Path, options: CsvOptions) -> list[str]:
    """Column names of the header row of a UTF-8 file (a byte-order mark is skipped).

    An empty name becomes `column<i>` (its 0-based position), as DuckDB names it.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=options.delimiter, quotechar='"', doublequote=True)
        try:
            header = next(reader)
        except StopIteration:
            raise UserError(f"{path}: the file is empty; a CSV file needs a header row") from None
        except csv.Error as exc:
            raise UserError(f"{path}: unreadable header row ({exc})") from None
    names = [name if name.strip() else f"column{index}" for index, name in enumerate(header)]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise UserError(f"{path}: column(s) named twice in the header: {', '.join(repeated)}")
    return names


def delimiter_hint(names: list[str], options: CsvOptions) -> str:
    """A hint when the header looks split on another delimiter than the one used."""
    if len(names) == 1:
        for other in (";", "\t", "|", ","):
            if other != options.delimiter and other in names[0]:
                return f" (the header has one column: is the delimiter {other!r}? --csv-delimiter)"
    return ""


def read_csv_sql(path: Path, options: CsvOptions, names: list[str]) -> str:
    """A DuckDB `read_csv` call that reads the UTF-8 file at `path` with these column names.

    Nothing is sniffed: the header row is skipped and its columns take `names` in order.
    """
    columns = ", ".join(f"{literal(name)}: 'VARCHAR'" for name in names)
    return (
        f"read_csv({literal(str(path))}, header = true, auto_detect = false,"
        f" delim = {literal(options.delimiter)}, quote = '\"', escape = '\"',"
        f" columns = {{{columns}}})"
    )
