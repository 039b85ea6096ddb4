"""The explorer's results table: a row clicked (or chosen with the keyboard) opens its card.

The table is a small anywidget (``backguide/static/results.js``): the kernel
sends the rows as shown (:func:`~backguide.views.render.results_frame`), the
browser draws them in a scrolling box that takes focus, and a row chosen
sets :attr:`ResultsTable.selected`, which the explorer follows.
"""

from __future__ import annotations

from importlib.resources import files

import anywidget
import pandas as pd
import traitlets

from .render import results_frame


class ResultsTable(anywidget.AnyWidget):
    """The results as a table whose rows open their card."""

    _esm = files("backguide").joinpath("static/results.js").read_text(encoding="utf-8")
    columns = traitlets.List(traitlets.Unicode()).tag(sync=True)
    rows = traitlets.List(traitlets.Dict()).tag(sync=True)
    selected = traitlets.Unicode("").tag(sync=True)
    label = traitlets.Unicode("Exercises that match").tag(sync=True)
    hint = traitlets.Unicode("choose a row to see its card").tag(sync=True)

    def show(self, results: pd.DataFrame) -> None:
        """Show ``results`` (rows of ``lib.exercises``) as the explorer's table."""
        frame = results_frame(results)
        with self.hold_sync():
            self.columns = list(frame.columns)
            self.rows = [{"id": str(i), "cells": [str(v) for v in row]}
                         for i, row in zip(frame.index, frame.itertuples(index=False))]

    @property
    def frame(self) -> pd.DataFrame:
        """The table as shown: one row per exercise, indexed by id."""
        return pd.DataFrame([r["cells"] for r in self.rows], columns=self.columns,
                            index=pd.Index([r["id"] for r in self.rows], name="id"))

    def click(self, exercise: str) -> None:
        """Choose ``exercise``'s row, as a click or Enter on it does."""
        if exercise not in {r["id"] for r in self.rows}:
            raise ValueError(f"{exercise!r} is not a row of the table.")
        self.selected = exercise
