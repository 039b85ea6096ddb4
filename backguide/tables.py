"""Read a CSV table into a DataFrame, checking every cell against its schema.

All of a file is read and checked before anything is returned: a table comes
back whole or not at all, with every problem named in one
:class:`~backguide.errors.BackguideError`.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Mapping, Set
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import BackguideError, Problem
from .schema import Column, Table

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_NUMBER = r"(\d+(?:\.\d+)?|\.\d+)"
_RANGE = re.compile(rf"^{_NUMBER}(?:\s*[-\u2013]\s*{_NUMBER})?$")
_FLAGS = {"yes": True, "y": True, "true": True, "1": True,
          "no": False, "n": False, "false": False, "0": False, "": False}

#: Python objects each kind of cell becomes, for the docs and the tests.
LIST_KINDS = ("choices", "names", "refs", "steps")


#: How :func:`read_text` words its faults for each kind of file: what an
#: empty file should have held, what a binary file should have been, and how
#: to save the file as UTF-8.
_TEXT_WORDS = {
    "table": ("a header line and rows", "a text file (CSV saved as UTF-8)",
              "UTF-8 text (in a spreadsheet, save as 'CSV UTF-8')"),
    "plan": ("a plan (a JSON object)", "a text file (a plan saved as JSON)",
             "UTF-8 text (a plan saved by backguide, or a text editor's UTF-8)"),
}


def read_text(path: str | Path, *, kind: str = "table") -> str:
    """The text of a UTF-8 file, with a byte-order mark removed.

    Raises :class:`BackguideError` naming the file when it does not exist, is
    a folder, is empty, or is not UTF-8 text (with the line of the first bad
    byte).  ``kind`` (``"table"`` or ``"plan"``) picks the wording of the
    advice in those messages.
    """
    empty, text_file, utf8 = _TEXT_WORDS[kind]
    p = Path(path)
    if not p.exists():
        raise BackguideError.at(p, "an existing file", value=str(p))
    if p.is_dir():
        raise BackguideError.at(p, "a file, not a folder", value=str(p))
    data = p.read_bytes()
    if not data.strip():
        raise BackguideError.at(p, f"{empty}; the file is empty", line=1)
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise BackguideError.at(p, f"{text_file}, not a binary file",
                                line=line, value="a NUL byte")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start : exc.start + 1]
        raise BackguideError.at(p, utf8, line=line, value=f"byte 0x{bad.hex()}") from None


def _split(cell: str, sep: str) -> list[str]:
    return [part.strip() for part in cell.split(sep) if part.strip()]


class _Cells:
    """Turns cell text into values, recording a Problem for each bad cell."""

    def __init__(self, path: str, header: list[str]):
        self.path = path
        self.header = header
        self.problems: list[Problem] = []

    def bad(self, line: int, col: Column, value: object, expected: str) -> None:
        number = self.header.index(col.name) + 1 if col.name in self.header else None
        self.problems.append(Problem(self.path, line, col.name, number, value, expected))

    def read(self, line: int, col: Column, cell: str):
        if col.required and not cell:
            self.bad(line, col, cell, f"a value: '{col.name}' may not be blank")
            return None
        kind = col.kind
        if kind in ("text", "ref"):
            return cell
        if kind == "id":
            if not _ID.match(cell):
                self.bad(line, col, cell, "an id of lower-case letters, digits and '_', "
                         "starting with a letter")
            return cell
        if kind == "choice":
            return self._word(line, col, cell) if cell else None
        if kind == "choices":
            words = [self._word(line, col, w) for w in _split(cell, ";")]
            return tuple(dict.fromkeys(w for w in words if w is not None))
        if kind in ("names", "refs"):
            return tuple(dict.fromkeys(_split(cell, ";")))
        if kind == "steps":
            return tuple(_split(cell, "|"))
        if kind == "flag":
            if cell.lower() not in _FLAGS:
                self.bad(line, col, cell, "yes or no")
                return False
            return _FLAGS[cell.lower()]
        if kind == "number":
            return self._number(line, col, cell, "a number of 0 or more, or blank")
        if kind == "range":
            return self._range(line, col, cell)
        if kind in ("angle", "fraction"):
            low, high = (-360.0, 360.0) if kind == "angle" else (0.0, 1.0)
            expected = (f"an angle in degrees from {low:g} to {high:g}" if kind == "angle"
                        else "a number from 0 to 1")
            x = self._signed(line, col, cell, expected)
            if not math.isnan(x) and not low <= x <= high:
                self.bad(line, col, cell, expected)
                return math.nan
            return x
        raise AssertionError(f"unknown column kind {kind!r}")  # a schema bug, not input

    def _word(self, line: int, col: Column, word: str):
        for v in col.vocab:
            if v.lower() == word.lower():
                return v
        self.bad(line, col, word, "one of: " + ", ".join(col.vocab))
        return None

    def _number(self, line: int, col: Column, cell: str, expected: str) -> float:
        x = self._signed(line, col, cell, expected)
        if x < 0:  # NaN (blank or already reported) compares False
            self.bad(line, col, cell, expected)
            return math.nan
        if col.max is not None and x > col.max:
            self.bad(line, col, cell, f"a number from 0 to {col.max:g}, or blank")
            return math.nan
        return x

    def _signed(self, line: int, col: Column, cell: str, expected: str) -> float:
        if not cell:
            return math.nan
        try:
            x = float(cell)
        except ValueError:
            x = math.nan
        if not math.isfinite(x):
            self.bad(line, col, cell, expected)
            return math.nan
        return x

    def _range(self, line: int, col: Column, cell: str) -> tuple[float, float]:
        if not cell:
            return (math.nan, math.nan)
        m = _RANGE.match(cell.strip())
        if not m:
            self.bad(line, col, cell, "a number of 0 or more, or a range such as 20-30")
            return (math.nan, math.nan)
        low = float(m.group(1))
        high = float(m.group(2)) if m.group(2) else low
        if low > high:
            self.bad(line, col, cell, "a range whose low end comes first, such as 20-30")
            return (math.nan, math.nan)
        if col.max is not None and high > col.max:
            self.bad(line, col, cell, f"a number from 0 to {col.max:g}, or a range "
                     "within those numbers such as 20-30")
            return (math.nan, math.nan)
        return (low, high)


def _frame(table: Table, values: dict[str, list], extra: dict[str, list]) -> pd.DataFrame:
    data: dict[str, object] = {}
    for col in table.columns:
        v = values[col.name]
        if col.kind in ("id", "text", "ref"):
            data[col.name] = pd.array(v, dtype="str")
        elif col.kind == "choice":
            data[col.name] = pd.Categorical(v, categories=col.vocab, ordered=col.ordered)
        elif col.kind in LIST_KINDS:
            arr = np.empty(len(v), dtype=object)
            arr[:] = v
            data[col.name] = arr
        elif col.kind == "flag":
            data[col.name] = np.array(v, dtype=bool)
        elif col.kind in ("number", "angle", "fraction"):
            data[col.name] = np.array(v, dtype=float)
        elif col.kind == "range":
            pairs = np.array(v, dtype=float).reshape(len(v), 2)
            data[f"{col.name}_min"] = pairs[:, 0]
            data[f"{col.name}_max"] = pairs[:, 1]
    for name, v in extra.items():
        data[name] = pd.array(v, dtype="str")
    frame = pd.DataFrame(data)
    if table.key:
        frame = frame.set_index(table.key)
    return frame


def read_table(
    path: str | Path,
    table: Table,
    known: Mapping[str, Set[str]] | None = None,
) -> pd.DataFrame:
    """Read and check one CSV table.

    Parameters
    ----------
    path
        The CSV file.
    table
        Its schema, from :mod:`backguide.schema`.
    known
        For columns that link to another table, the ids that table holds,
        keyed by table name.  Links within the table itself are checked
        against the table's own keys.

    Returns
    -------
    pandas.DataFrame
        One row per data line, indexed by the table's key if it has one.
        Columns the schema does not know are kept as text.

    Raises
    ------
    BackguideError
        Naming file, line, column, value and what was expected, for every
        problem in the file.
    """
    path = Path(path)
    text = read_text(path)
    shown = str(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        raise BackguideError.at(shown, f"well-formed CSV ({exc})", line=1) from None
    cells = _Cells(shown, header)
    names = [c.name for c in table.columns]
    for i, name in enumerate(header, start=1):
        if header.index(name) != i - 1:
            cells.problems.append(Problem(shown, 1, name, i, name, "each column name once"))
    missing = [n for n in names if n not in header]
    for name in missing:
        cells.problems.append(Problem(
            shown, 1, name, None, None,
            f"a column named '{name}' in the header (columns: {', '.join(names)})",
        ))
    if cells.problems:
        raise BackguideError(cells.problems)

    position = {name: header.index(name) for name in names}
    extra_names = [h for h in header if h not in names and h]
    values: dict[str, list] = {n: [] for n in names}
    extra: dict[str, list] = {n: [] for n in extra_names}
    lines: list[int] = []
    # Keys of rows too broken to read, so links to them do not also fail.
    broken_keys: set[str] = set()
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            cells.problems.append(Problem(shown, start, None, None, None,
                                          f"well-formed CSV ({exc})"))
            break
        if not row or not any(c.strip() for c in row):
            continue  # a blank line is not a row
        if len(row) != len(header):
            if table.key and position[table.key] < len(row):
                broken_keys.add(row[position[table.key]].strip())
            cells.problems.append(Problem(
                shown, start, None, None, f"{len(row)} fields",
                f"{len(header)} fields, one per header column "
                "(a missing or extra comma, or an unquoted comma inside a cell)",
            ))
            continue
        lines.append(start)
        for col in table.columns:
            values[col.name].append(cells.read(start, col, row[position[col.name]].strip()))
        for name in extra_names:
            extra[name].append(row[header.index(name)].strip())

    if not lines and not cells.problems:
        cells.problems.append(Problem(shown, 2, None, None, None,
                                      "at least one row below the header"))
    _check_keys(table, values, lines, cells)
    _check_pairs(table, values, lines, cells)
    _check_links(table, values, lines, cells, known or {}, broken_keys)
    if cells.problems:
        raise BackguideError(cells.problems)
    return _frame(table, values, extra)


def _check_keys(table: Table, values, lines, cells: _Cells) -> None:
    if not table.key:
        return
    col = table.column(table.key)
    first: dict[str, int] = {}
    for line, key in zip(lines, values[table.key]):
        if key in first:
            cells.bad(line, col, key, f"an id used only once (already on line {first[key]})")
        elif key:
            first[key] = line


def _check_pairs(table: Table, values, lines, cells: _Cells) -> None:
    for low_name, high_name in table.pairs:
        col = table.column(high_name)
        for line, low, high in zip(lines, values[low_name], values[high_name]):
            if low > high:  # False whenever either is NaN
                cells.bad(line, col, f"{high:g}", f"a {high_name} of at least the "
                          f"{low_name} ({low:g})")


def _check_links(table: Table, values, lines, cells: _Cells, known, broken_keys) -> None:
    for col in table.columns:
        if not col.ref:
            continue
        if col.ref == table.name:
            targets = set(values[table.key]) | broken_keys
        elif col.ref in known:
            targets = known[col.ref]
        else:
            continue
        for line, v in zip(lines, values[col.name]):
            for ref in (v,) if col.kind == "ref" else v:
                if ref and ref not in targets:
                    cells.bad(line, col, ref, f"an id from the {col.ref} table")
