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
          "no": False, "n": False, "false": False, "0": False, "": None}

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
        #: Each named column's 1-based number (its first, if named twice).
        self.number = {h: i for i, h in reversed(list(enumerate(header, start=1))) if h}
        self.problems: list[Problem] = []

    def bad(self, line: int, col: Column, value: object, expected: str) -> None:
        self.problems.append(Problem(self.path, line, col.name, self.number.get(col.name),
                                     value, expected))

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
        if kind == "flag":  # blank is not given (None), not "no"
            if cell.lower() not in _FLAGS:
                self.bad(line, col, cell, "yes or no, or blank")
                return None
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


#: pandas' text dtype, looked up once: a table of 5,000 extra columns asks for it 5,000 times.
_STR = pd.api.types.pandas_dtype("str")


def _frame(table: Table, values: dict[str, list], extra: dict[str, list]) -> pd.DataFrame:
    data: dict[str, object] = {}
    for col in table.columns:
        v = values[col.name]
        if col.kind in ("id", "text", "ref"):
            data[col.name] = pd.array(v, dtype=_STR)
        elif col.kind == "choice":
            data[col.name] = pd.Categorical(v, categories=col.vocab, ordered=col.ordered)
        elif col.kind in LIST_KINDS:
            arr = np.empty(len(v), dtype=object)
            arr[:] = v
            data[col.name] = arr
        elif col.kind == "flag":
            data[col.name] = pd.array(v, dtype="boolean")
        elif col.kind in ("number", "angle", "fraction"):
            data[col.name] = np.array(v, dtype=float)
        elif col.kind == "range":
            pairs = np.array(v, dtype=float).reshape(len(v), 2)
            data[f"{col.name}_min"] = pairs[:, 0]
            data[f"{col.name}_max"] = pairs[:, 1]
    for name, v in extra.items():
        data[name] = pd.array(v, dtype=_STR)
    # The index given, not set after: set_index deletes a column, moving every block.
    index = pd.Index(data.pop(table.key), name=table.key) if table.key else None
    return pd.DataFrame(data, index=index)


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
        keyed by table name; where they have a ``where`` (words naming the
        file they were read from, as :class:`backguide.loaders.Ids` has), a
        missing id's message names it.  Links within the table itself are
        checked against the table's own keys.

    Returns
    -------
    pandas.DataFrame
        One row per data line, indexed by the table's key if it has one.
        Columns the schema does not know are kept as text.

    Raises
    ------
    BackguideError
        Naming file, line, column, value and what was expected, for every
        problem in the file.  Besides each cell's kind, a file is held to
        what it says: a '"' that opens a cell which does not close where a
        cell ends (a stray quote, which would swallow the lines after it), a
        last row without a line break after it (a file cut short), a value in
        a column whose header is blank, and a second row for a key or for a
        :attr:`~backguide.schema.Table.unique` set of columns are refused.
        Columns with a blank header and no values (a spreadsheet's trailing
        columns) are left out, however many.
    """
    path = Path(path)
    text = read_text(path)
    shown = str(path)
    # strict: a stray '"' that would swallow the lines after it is an error, not a cell
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        raise BackguideError(_quote_fault(text, shown, 1, [], exc)) from None
    cells = _Cells(shown, header)
    names = [c.name for c in table.columns]
    for i, name in enumerate(header):
        if name and cells.number[name] != i + 1:
            cells.problems.append(Problem(shown, 1, name, i + 1, name, "each column name once"))
    for name in names:
        if name not in cells.number:
            cells.problems.append(Problem(
                shown, 1, name, None, None,
                f"a column named '{name}' in the header (columns: {', '.join(names)})",
            ))
    if cells.problems:
        raise BackguideError(cells.problems)

    # Columns without a name (a spreadsheet's blank columns) are read only to check
    # that they are blank: in runs, so 16,000 of them cost a join per row.
    unnamed = [i for i, h in enumerate(header) if not h]
    runs = [(i, j + 1) for i, j in _runs(unnamed)]
    at = {c.name: cells.number[c.name] - 1 for c in table.columns}
    extra_at = {h: i for i, h in enumerate(header) if h and h not in at}
    values: dict[str, list] = {n: [] for n in names}
    extra: dict[str, list] = {n: [] for n in extra_at}
    lines: list[int] = []
    # Keys of rows too broken to read, so links to them do not also fail.
    broken_keys: set[str] | None = set()
    last: tuple[int, list[str]] | None = None  # the last row read, if not blank
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            cells.problems.append(_quote_fault(text, shown, start, header, exc))
            last, broken_keys = None, None  # the rest is unread: its ids are unknown
            break
        if not "".join(row).strip():
            last = None
            continue  # a blank line is not a row
        last = (start, row)
        if len(row) != len(header):
            if table.key and at[table.key] < len(row):
                broken_keys.add(row[at[table.key]].strip())
            cells.problems.append(Problem(
                shown, start, None, None, f"{len(row)} fields",
                f"{len(header)} fields, one per header column "
                "(a missing or extra comma, or an unquoted comma inside a cell)",
            ))
            continue
        if any("".join(row[i:j]).strip() for i, j in runs):
            for i in unnamed:
                if row[i].strip():
                    cells.problems.append(Problem(shown, start, "", i + 1, row[i].strip(),
                                                  _UNNAMED))
        lines.append(start)
        for col in table.columns:
            values[col.name].append(cells.read(start, col, row[at[col.name]].strip()))
        for name, i in extra_at.items():
            extra[name].append(row[i].strip())

    if last is not None and not text.endswith(("\n", "\r", '"')):
        if len(last[1]) != len(header):
            cells.problems.pop()  # its count of fields: the cut explains it
        cells.problems.append(_cut_short(shown, *last, header))
    if not lines and not cells.problems:
        cells.problems.append(Problem(shown, 2, None, None, None,
                                      "at least one row below the header"))
    _check_keys(table, values, extra, lines, cells)
    _check_pairs(table, values, lines, cells)
    _check_links(table, values, lines, cells, known or {}, broken_keys)
    if cells.problems:
        raise BackguideError(cells.problems)
    return _frame(table, values, extra)


_UNNAMED = ("nothing in a column without a name (line 1 leaves its name blank): name the "
            "column in the header, or clear the cell")


def _runs(positions: list[int]) -> list[tuple[int, int]]:
    """Sorted ``positions`` as runs of neighbours: ``(first, last)`` of each."""
    runs: list[tuple[int, int]] = []
    for i in positions:
        if runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


def _cut_short(shown: str, line: int, row: list[str], header: list[str]) -> Problem:
    """The last row, when the file stops in it without a line break (a file cut short)."""
    k = min(len(row), len(header))
    read = "" if len(row) == len(header) else f" ({len(row)} of its {len(header)} fields)"
    return Problem(shown, line, header[k - 1], k, row[k - 1].strip(),
                   f"a line break after the last row: the file stops in this cell{read} "
                   "without one, as a file cut short does; if the row is whole, end the "
                   "file with a line break")


def _quote_fault(text: str, shown: str, start: int, header: list[str],
                 exc: csv.Error) -> Problem:
    """Where the row from line ``start`` goes wrong for the CSV reader: the cell that
    opens with '"' and is not closed where a cell ends."""
    lines = io.StringIO(text, newline="").readlines()
    field, opened = 0, None  # opened: (line, field, the cell's first line) of a quoted cell
    at_start = True
    for number in range(start, len(lines) + 1):
        s, i = lines[number - 1], 0
        while i < len(s):
            c = s[i]
            if opened is None:
                if c in "\r\n":
                    break  # the row ended before the reader's fault: not a quote's
                if c == '"' and at_start:
                    opened = (number, field, s[i:].rstrip("\r\n"))
                at_start = c == ","
                field += c == ","
            elif c == '"' and s[i + 1:i + 2] == '"':
                i += 1  # a quote inside a quoted cell, written twice
            elif c == '"':
                if s[i + 1:i + 2] not in (",", "\r", "\n", ""):
                    return _opened_problem(shown, header, opened, number, closed=True)
                opened = None
            i += 1
        else:
            continue
        break
    if opened is not None:
        return _opened_problem(shown, header, opened, len(lines), closed=False)
    return Problem(shown, start, None, None, None, f"well-formed CSV ({exc})")


def _opened_problem(shown: str, header: list[str], opened, until: int,
                    closed: bool) -> Problem:
    line, field, cell = opened
    name = header[field] if field < len(header) else None
    number = field + 1 if name is not None else None
    if closed and until == line:
        expected = ("a cell that ends at its closing '\"' (a '\"' inside a quoted cell is "
                    "written twice: '\"\"')")
    elif not closed and until == line:
        expected = ("a closing '\"': the cell opens with '\"' and the file ends before one "
                    "closes it (remove a stray '\"', or save again a file cut short)")
    else:
        runs = ("to the end of the file" if not closed else f"over line {until}"
                if until == line + 1 else f"over lines {line + 1} to {until}")
        expected = (f"a cell that ends on line {line}: it opens with '\"' and no '\"' closes "
                    f"it there, so it runs on {runs}; remove the stray '\"'")
    return Problem(shown, line, name, number, cell, expected)


def _check_keys(table: Table, values, extra, lines, cells: _Cells) -> None:
    """One row per key: a repeated id, or a second row for a :attr:`Table.unique` key."""
    if table.key:
        col = table.column(table.key)
        first: dict[str, int] = {}
        for line, key in zip(lines, values[table.key]):
            if key in first:
                cells.bad(line, col, key, f"an id used only once (already on line {first[key]})")
            elif key:
                first[key] = line
    if not table.unique:
        return
    col = table.column(table.unique[-1])
    seen: dict[tuple, int] = {}
    columns = {**values, **extra}
    for row, key in enumerate(zip(*(values[c] for c in table.unique))):
        if None in key:
            continue  # a bad cell, already reported
        if key not in seen:
            seen[key] = row
            continue
        other = seen[key]
        differ = [n for n, v in columns.items() if not _same(v[row], v[other])]
        each = ", ".join(table.unique[:-1]) + f" and {table.unique[-1]}"
        held = ", ".join(f"{n} {_word(v)}" for n, v in zip(table.unique, key))
        how = (f"differs in {', '.join(differ)}: keep the one that is right" if differ
               else "repeats it: delete one")
        cells.bad(lines[row], col, key[-1], f"one row for each {each}: line {lines[other]} "
                  f"already has {held}; this row {how}")


def _word(value: str) -> str:
    return repr(value) if value else "blank"


def _same(a, b) -> bool:
    """Cells equal as read (a blank number, NaN, equals a blank number)."""
    if isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b):
        return all(map(_same, a, b))
    return a == b or (isinstance(a, float) and isinstance(b, float) and a != a and b != b)


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
            if broken_keys is None:
                continue  # the file was not read to its end
            targets = set(values[table.key]) | broken_keys | known.get(table.name, set())
            where = getattr(known.get(table.name), "where", f"this file's {table.key} column")
        elif col.ref in known:
            targets = known[col.ref]
            where = None
        else:
            continue
        for line, v in zip(lines, values[col.name]):
            for ref in (v,) if col.kind == "ref" else v:
                if ref and ref not in targets:
                    if where is None:
                        where = getattr(targets, "where", "")
                    cells.bad(line, col, ref, f"an id from the {col.ref} table"
                              + (f" ({where})" if where else ""))
