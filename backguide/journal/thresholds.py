"""Published thresholds of an important change in a score, and the lines they draw.

:func:`change_thresholds` reads ``data/change_thresholds.csv`` (checked like
every table: file, line and column named on a fault); :func:`threshold_of`,
:func:`important_size` and :func:`important_lines` apply it to a start, and
:func:`shown_score` is a score as every view shows it.
"""

from __future__ import annotations

import csv
import io
from contextlib import ExitStack
from functools import lru_cache

import numpy as np
import pandas as pd

from ..errors import BackguideError, Problem
from ..loaders import _resolve
from ..schema import Column, Table
from ..tables import read_table, read_text
from .columns import SCORE_RANGE

#: The scores whose change is measured, as :func:`change_thresholds` names them.
MEASURES = ("nprs", "peg", "psfs")
#: The table of important-change thresholds (``data/change_thresholds.csv``).
THRESHOLDS = Table(
    "change_thresholds",
    "change_thresholds.csv",
    (
        Column("measure", "choice", MEASURES, required=True),
        Column("points", "number", max=SCORE_RANGE[1]),
        Column("percent", "number", max=100),
        Column("better", "choice", ("lower", "higher"), required=True),
        Column("source", "text", required=True),
        Column("url", "names"),
        Column("note", "text"),
    ),
    key="measure",
)

# --- the thresholds ------------------------------------------------------------------------

def change_thresholds(path=None) -> pd.DataFrame:
    """The important-change thresholds, one row per measure, with their sources.

    Columns: ``measure`` (``nprs``, ``peg``, ``psfs``), ``points`` (a change
    of this many points is important; blank where only a percentage is
    given), ``percent`` (a change of this percentage of the start is
    important; blank where none is given), ``better`` (``lower`` or
    ``higher``: which way is an improvement), ``source`` (the published
    sources, in full), ``url`` (their DOIs, a tuple) and ``note`` (what the
    numbers mean and where they come from).  A change is important when it
    reaches either threshold given.  With no ``path``, the shipped
    ``data/change_thresholds.csv``; with one, a clinic's own table.

    >>> t = change_thresholds().set_index("measure")
    >>> t.loc["nprs", ["points", "percent", "better"]].to_dict()
    {'points': 2.0, 'percent': 30.0, 'better': 'lower'}

    Raises
    ------
    BackguideError
        For a broken file, naming the line, the column, the value and what
        was expected; a row needs ``points`` or ``percent``.
    """
    return (_shipped_thresholds() if path is None else _read_thresholds(path)).copy()


@lru_cache(maxsize=1)
def _shipped_thresholds() -> pd.DataFrame:
    return _read_thresholds(None)


def _read_thresholds(path) -> pd.DataFrame:
    with ExitStack() as stack:
        file = _resolve(THRESHOLDS.filename, path, stack)
        t = read_table(file, THRESHOLDS).reset_index()
        blank = (t["points"].isna() & t["percent"].isna()).to_numpy()
        if blank.any():
            lines = _data_lines(read_text(file))
            raise BackguideError([
                Problem(str(file), lines[i], "points", None, None,
                        "a number of points or a percent (or both) for each measure")
                for i in np.flatnonzero(blank)])
    t["better"] = t["better"].astype(str)
    return t


def _data_lines(text: str) -> list[int]:
    """The file line each data row starts on (blank lines are not rows)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    out, start = [], reader.line_num + 1
    for row in reader:
        if any(c.strip() for c in row):
            out.append(start)
        start = reader.line_num + 1
    return out


def threshold_of(measure: str, thresholds: pd.DataFrame | None = None) -> dict:
    """The row of ``thresholds`` (None: the shipped table) for ``measure``, as a
    dict with ``points`` and ``percent`` (NaN where blank) and ``better``."""
    t = _shipped_thresholds() if thresholds is None else thresholds
    rows = t.loc[t["measure"].astype(str) == measure]
    if rows.empty:
        raise BackguideError.at("the change thresholds", "a row for this measure (it has: "
                                f"{', '.join(map(str, t['measure']))})",
                                column="measure", value=measure)
    row = rows.iloc[0]
    return {"points": float(row["points"]), "percent": float(row["percent"]),
            "better": str(row["better"])}


def important_size(start, measure: str, thresholds: pd.DataFrame | None = None) -> np.ndarray:
    """The size, in points, of an important change from ``start`` (scores, as shown
    to one decimal): the table's points, or its percent of the start, whichever
    is smaller (reached first), rounded up to a tenth, as scores are shown (30%
    of 5.9 is 1.77: a change of 1.8 reaches it).  A percent of a start of 0
    does not count."""
    t = threshold_of(measure, thresholds)
    start = np.asarray(start, dtype=float)
    by_percent = np.where(start > 0, start * t["percent"] / 100, np.nan)
    size = np.fmin(np.full_like(start, t["points"]), by_percent)
    return np.ceil(np.round(size * 10, 6)) / 10


def important_lines(start, measure: str, thresholds: pd.DataFrame | None = None
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Where an important improvement and an important worsening begin, from
    ``start``: the scores a chart marks (not clipped to the scale)."""
    start = shown_score(start)
    size = important_size(start, measure, thresholds)
    sign = -1.0 if threshold_of(measure, thresholds)["better"] == "lower" else 1.0
    return np.round(start + sign * size, 9), np.round(start - sign * size, 9)


def shown_score(x) -> np.ndarray:
    """Scores as a person reads them, to one decimal, half up: the rule of
    :func:`backguide.journal.words.score_text`, on arrays."""
    x = np.asarray(x, dtype=float)
    # Through a short decimal first, so 4.15 (stored as 4.1499...) is a half and goes up.
    return np.floor(np.round(x * 10, 6) + 0.5) / 10
