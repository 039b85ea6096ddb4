"""The one exception type backguide raises for bad input."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def column_letter(index: int) -> str:
    """Spreadsheet letter for a 1-based column number: 1 -> A, 27 -> AA."""
    letters = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, located as a spreadsheet user sees it.

    ``line`` is the 1-based line in the file (the header is line 1);
    ``column`` is the column's name and ``column_number`` its 1-based
    position, or ``None`` where the problem is not in one cell.
    """

    path: str
    line: int | None
    column: str | None
    column_number: int | None
    value: object
    expected: str

    def __str__(self) -> str:
        where = [self.path]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            if self.column_number:
                where.append(f"column {column_letter(self.column_number)} "
                             f"({self.column or 'no name'})")
            else:
                where.append(f"column {self.column}")
        return f"{', '.join(where)}: found {_found(self.value)}, expected {self.expected}."


def _found(value: object) -> str:
    return "nothing" if value in ("", None) else repr(value)


class BackguideError(ValueError):
    """Bad input to backguide: a table, a plan file or a picture file.

    The message names the file, the line, the column, the bad value and what
    was expected, one sentence per problem.  All problems found in one file
    are in ``problems``; nothing from that file is returned or written.  Past
    :attr:`SHOWN` problems the message is :meth:`summary` instead: each
    column's distinct bad values, how often each was found and on which lines.
    """

    #: How many problems the message spells out one by one; more are summarised.
    SHOWN = 10

    def __init__(self, problems: list[Problem] | Problem):
        if isinstance(problems, Problem):
            problems = [problems]
        if not problems:
            raise ValueError("BackguideError needs at least one problem")
        self.problems = list(problems)
        if len(self.problems) > self.SHOWN:
            message = self.summary()
        else:
            message = "\n".join(str(p) for p in self.problems)
        super().__init__(message)

    def summary(self, values: int | None = 12, lines: int = 5) -> str:
        """Every problem, counted: per file and column, each distinct bad value,
        how many lines have it and the first ``lines`` of them.

        A column's ``values`` most frequent values are named (all of them for
        ``None``); the rest are counted.  What was expected is said once for a
        column when it is the same for all its values, else beside each value.
        """
        out: list[str] = []
        for path, in_file in _grouped(self.problems, lambda p: p.path).items():
            n = len(in_file)
            out.append(f"{path}: {n} problem{'s' * (n != 1)}, by column (each bad value "
                       "found, how often and on which lines):")
            columns = _grouped(in_file, lambda p: (p.column_number or 0, p.column))
            for (number, name), in_column in sorted(
                    columns.items(), key=lambda kv: (kv[0][1] is None, kv[0][0])):
                out.extend(_column_summary(number, name, in_column, values, lines))
        return "\n".join(out)

    @classmethod
    def at(
        cls,
        path: str | Path,
        expected: str,
        *,
        line: int | None = None,
        column: str | None = None,
        column_number: int | None = None,
        value: object = None,
    ) -> BackguideError:
        """One-problem error; a shorthand for file-level and field-level faults."""
        return cls(Problem(str(path), line, column, column_number, value, expected))


def _grouped(items, key) -> dict:
    """``items`` by ``key``, in the order each key is first met."""
    groups: dict = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return groups


def _lines(problems: list[Problem], shown: int) -> str:
    numbers = sorted({p.line for p in problems if p.line is not None})
    if not numbers:
        return ""
    listed = ", ".join(map(str, numbers[:shown]))
    more = len(numbers) - shown
    word = "line" if len(numbers) == 1 else "lines"
    return f" on {word} {listed}" + (f" and {more} more" if more > 0 else "")


def _column_summary(number: int, name: str | None, problems: list[Problem],
                    values: int | None, lines: int) -> list[str]:
    """A column's lines of :meth:`BackguideError.summary`."""
    n = len(problems)
    if name is None:
        where = "whole rows or the file"
    else:
        letter = f"column {column_letter(number)} " if number else "column "
        where = f"{letter}({name or 'no name'})"
    expected = {p.expected for p in problems}
    one = expected.pop() if len(expected) == 1 else None
    head = f"{where}: {n} problem{'s' * (n != 1)}"
    out = [f"{head}, expected {one}:" if one is not None else f"{head}:"]
    by_value = _grouped(problems, lambda p: _found(p.value))
    ranked = sorted(by_value.items(), key=lambda kv: -len(kv[1]))  # stable: first met first
    named = ranked if values is None else ranked[:values]
    for found, group in named:
        times = f"{len(group)} times" if len(group) > 1 else "once"
        tail = "" if one is not None else f", expected {group[0].expected}"
        out.append(f"  {found}, {times}{_lines(group, lines)}{tail}")
    rest = ranked[len(named):]
    if rest:
        others = [p for _, g in rest for p in g]
        out.append(f"  and {len(rest)} other values, {len(others)} times"
                   f"{_lines(others, lines)}")
    return out


class NothingToHandOut(ValueError):
    """The plan has no exercises, so there is nothing to print or hand out."""

    @classmethod
    def of(cls, plan_name: str = "") -> NothingToHandOut:
        """The error for a plan called ``plan_name``, saying what to do instead."""
        name = f"\u201c{plan_name}\u201d" if plan_name.strip() else "the plan"
        return cls(f"There is nothing to hand out: {name} has no exercises. "
                   "Add an exercise to a day first.")
