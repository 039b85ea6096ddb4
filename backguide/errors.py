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
                where.append(f"column {column_letter(self.column_number)} ({self.column})")
            else:
                where.append(f"column {self.column}")
        got = "nothing" if self.value in ("", None) else repr(self.value)
        return f"{', '.join(where)}: found {got}, expected {self.expected}."


class BackguideError(ValueError):
    """Bad input to backguide: a table, a plan file or a picture file.

    The message names the file, the line, the column, the bad value and what
    was expected, one sentence per problem.  All problems found in one file
    are in ``problems``; nothing from that file is returned or written.
    """

    #: How many problems the message spells out before it summarises.
    SHOWN = 10

    def __init__(self, problems: list[Problem] | Problem):
        if isinstance(problems, Problem):
            problems = [problems]
        if not problems:
            raise ValueError("BackguideError needs at least one problem")
        self.problems = list(problems)
        lines = [str(p) for p in self.problems[: self.SHOWN]]
        more = len(self.problems) - self.SHOWN
        if more > 0:
            lines.append(f"... and {more} more problems in {self.problems[0].path}.")
        super().__init__("\n".join(lines))

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


class NothingToHandOut(ValueError):
    """The plan has no exercises, so there is nothing to print or hand out."""

    @classmethod
    def of(cls, plan_name: str = "") -> NothingToHandOut:
        """The error for a plan called ``plan_name``, saying what to do instead."""
        name = f"\u201c{plan_name}\u201d" if plan_name.strip() else "the plan"
        return cls(f"There is nothing to hand out: {name} has no exercises. "
                   "Add an exercise to a day first.")
