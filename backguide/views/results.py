"""The explorer's results table: a row clicked (or chosen with the keyboard) opens its card.

The table is a small anywidget (``backguide/static/results.js``): the kernel
holds every row (:attr:`ResultsTable.rows`, from
:func:`~backguide.views.render.results_frame`) and sends the browser one page
of them (:attr:`ResultsTable.page_rows`, :data:`PAGE_SIZE` rows) with the
total, so a library of ~900 exercises costs a filter change no more than one
of 39.  The browser draws the page in a scrolling box that takes focus, with
"Previous" / "Next" buttons beneath when there is more than one page; a row
chosen sets :attr:`ResultsTable.selected`, which the explorer follows.
"""

from __future__ import annotations

from importlib.resources import files

import anywidget
import pandas as pd
import traitlets

from .render import results_frame

#: Rows sent to the browser at a time.
PAGE_SIZE = 50


class ResultsTable(anywidget.AnyWidget):
    """The results as a table whose rows open their card, shown a page at a time.

    ``rows`` is every row (``{"id": ..., "cells": [...]}``, and an optional
    ``"css"`` class for the row), kept in the kernel; ``page_rows`` is the page the
    browser shows, from row ``start``.  ``header_column`` is the cell that heads its
    row for a screen reader (the name, wherever it stands).
    """

    _esm = files("backguide").joinpath("static/results.js").read_text(encoding="utf-8")
    columns = traitlets.List(traitlets.Unicode()).tag(sync=True)
    rows = traitlets.List(traitlets.Dict())
    page_rows = traitlets.List(traitlets.Dict()).tag(sync=True)
    total = traitlets.Int(0).tag(sync=True)
    start = traitlets.Int(0).tag(sync=True)
    page_size = traitlets.Int(PAGE_SIZE).tag(sync=True)
    selected = traitlets.Unicode("").tag(sync=True)
    label = traitlets.Unicode("Exercises that match").tag(sync=True)
    hint = traitlets.Unicode("choose a row to see its card").tag(sync=True)
    header_column = traitlets.Int(0).tag(sync=True)

    def show(self, results: pd.DataFrame, labels: pd.Series | None = None) -> None:
        """Show ``results`` (rows of ``lib.exercises``) as the explorer's table, each
        named by ``labels`` (:func:`~backguide.content.exercise_labels`) if given."""
        frame = results_frame(results, labels)  # a blank cell reads "not given"
        with self.hold_sync():
            self.columns = list(frame.columns)
            self.rows = [{"id": str(i), "cells": [str(v) for v in row]}
                         for i, row in zip(frame.index, frame.itertuples(index=False))]

    _ids: dict[str, int] = {}

    @traitlets.observe("rows")
    def _new_rows(self, _change) -> None:
        # New rows (a new search) start at the first page.
        self._ids = {r["id"]: n for n, r in enumerate(self.rows)}
        with self.hold_sync():
            self.total = len(self.rows)
            self._go(0)

    @traitlets.observe("start", "page_size")
    def _new_page(self, _change) -> None:
        self._go(self.start)

    def show_row(self, row_id: str) -> None:
        """Bring ``row_id``'s page into view (as choosing it elsewhere, from a menu, does)."""
        n = self._ids.get(row_id)
        if n is not None and not self.start <= n < self.start + self.page_size:
            self._go(n - n % self.page_size)

    def _go(self, start: int) -> None:
        size = max(self.page_size, 1)
        last = max(len(self.rows) - 1, 0)
        start = min(max(start, 0), last - last % size)
        with self.hold_sync():
            self.start = start
            self.page_rows = self.rows[start:start + size]

    def next_page(self) -> None:
        """Show the next page of rows, as the "Next" button does."""
        self._go(self.start + self.page_size)

    def previous_page(self) -> None:
        """Show the page before, as the "Previous" button does."""
        self._go(self.start - self.page_size)

    @property
    def frame(self) -> pd.DataFrame:
        """The table (every page): one row per exercise, indexed by id."""
        return pd.DataFrame([r["cells"] for r in self.rows], columns=self.columns,
                            index=pd.Index([r["id"] for r in self.rows], name="id"))

    @property
    def page_frame(self) -> pd.DataFrame:
        """The page the browser shows, as :attr:`frame` is laid out."""
        return self.frame.iloc[self.start:self.start + self.page_size]

    def click(self, exercise: str) -> None:
        """Choose ``exercise``'s row, as a click or Enter on it does."""
        if exercise not in {r["id"] for r in self.rows}:
            raise ValueError(f"{exercise!r} is not a row of the table.")
        self.selected = exercise
