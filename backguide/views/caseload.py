"""The clinic's caseload: one row per person, the one who needs a call first.

The table is :func:`backguide.journal.caseload.caseload` as the page shows it:
each person's plan, weeks in, how much was done in the last 14 days, pain now
against their start (marked where the change is important), the PEG and PSFS
change, days since the last check-in, and the flags in words.  The database
decides who is listed: a clinician connected with their own role sees only their
own people (row-level security), so this page filters nothing itself.

Choosing a person opens, below the table, their progress page, their plan in
the week planner, and the presenter for them.  When the database cannot be
reached, the page says so; Refresh tries again.
"""

from __future__ import annotations

import datetime as dt

import ipywidgets as W
import numpy as np
import pandas as pd
from sqlalchemy.exc import SQLAlchemyError

from ..journal.caseload import caseload
from ..journal.words import percent_text, score_text
from ..library import Library, resolve
from .focus import Focus
from .render import CSS, e, text_of
from .results import ResultsTable

#: The table's columns, as the page heads them.
COLUMNS = ("Person", "Plan", "Weeks in", "Done, last 14 days", "Pain now (start)",
           "PEG change", "PSFS change", "Last check-in", "Why a call")
OPENED = ("Progress", "Plan for the week", "Show a routine")
UNREACHABLE = ("The clinic's database cannot be reached. Nothing here has changed; "
               "press Refresh to try again.")


def _days(n) -> str:
    if pd.isna(n):
        return "never"
    n = int(n)
    return "today" if n == 0 else "yesterday" if n == 1 else f"{n} days ago"


def _change(x) -> str:
    return "" if pd.isna(x) else f"{'+' if x > 0 else ''}{score_text(x)}"


def table_rows(table: pd.DataFrame) -> list[list[str]]:
    """The caseload's rows in words, in its order (the person who needs a call first)."""
    out = []
    for r in table.itertuples(index=False):
        pain = "" if pd.isna(r.pain_now) else (
            f"{score_text(r.pain_now)} ({score_text(r.pain_start)})"
            + (" \u25b2 important" if r.pain_up else " \u25bc important"
               if r.pain_change_important else ""))
        done = percent_text(r.adherence_14d)  # as the progress page words it
        out.append([str(r.name), "" if pd.isna(r.plan) else str(r.plan),
                    "" if pd.isna(r.weeks_in) else str(int(r.weeks_in)), done, pain,
                    _change(r.peg_change), _change(r.psfs_change),
                    _days(r.days_since_check_in), str(r.reasons or "")])
    return out


class Caseload(W.VBox):
    """The caseload of ``store`` (as its database role may see it) on ``today``."""

    def __init__(self, store, *, lib: Library | None = None, today: dt.date | None = None,
                 **kwargs):
        self.lib = resolve(lib)
        self.store = store
        self._today = today
        self.summary = W.HTML().add_class("bg-caseload-summary")
        self.table = ResultsTable(label="Caseload", hint="choose a person to open their "
                                  "progress, plan and presenter").add_class("bg-caseload-table")
        self.refresh_button = W.Button(description="Refresh", icon="refresh",
                                       layout=W.Layout(width="auto")).add_class("bg-refresh")
        self.person_head = W.HTML().add_class("bg-person-head")
        self.opened = W.Tab(children=[W.VBox() for _ in OPENED], titles=OPENED,
                            layout=W.Layout(display="none")).add_class("bg-person-tabs")
        self.frame = pd.DataFrame()
        self._focus = Focus()
        self.person: int | None = None
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.table.observe(lambda c: self.open_person(int(c["new"])) if c["new"] else None,
                           "selected")
        self.opened.observe(lambda _c: self._fill_tab(), "selected_index")
        super().__init__([W.HTML(CSS), W.HBox([self.summary, self.refresh_button],
                                              layout=W.Layout(align_items="center")),
                          self.table, self.person_head, self.opened, self._focus], **kwargs)
        self.add_class("bg-view")
        self.add_class("bg-caseload")
        self.refresh()

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def refresh(self) -> None:
        """Read the caseload again (one query per table, grouped by person)."""
        try:
            frame = caseload(self.store, today=self.today)
        except SQLAlchemyError:
            self.summary.value = f"<b>{e(UNREACHABLE)}</b>"
            return
        self.frame = frame.reset_index(drop=True)
        flags = frame[["quiet", "pain_up", "hurt_twice", "sign"]].any(axis=1)
        n = len(frame)
        self.summary.value = (f"<b>{n} {'person' if n == 1 else 'people'}</b>, "
                              f"{int(flags.sum())} to call first (listed first). "
                              f"As of {self.today:%A} {self.today.day} {self.today:%B}.")
        rows = table_rows(frame)
        with self.table.hold_sync():
            self.table.columns = list(COLUMNS)
            self.table.rows = [{"id": str(int(p)), "cells": cells}
                               for p, cells in zip(frame["person"], rows)]

    @property
    def rows_text(self) -> list[list[str]]:
        """The table as shown: a list of cells per row."""
        return [r["cells"] for r in self.table.rows]

    def open_person(self, person: int) -> None:
        """Open ``person``: their progress first, their plan and the presenter a tab away."""
        self.person = int(person)
        row = self.frame.loc[self.frame["person"] == person]
        name = str(row["name"].iloc[0]) if len(row) else str(person)
        why = str(row["reasons"].iloc[0]) if len(row) and row["reasons"].iloc[0] else ""
        # The heading takes the focus (tabindex -1), so the page goes to the person opened.
        self.person_head.value = (f"<h2 tabindex='-1'>{e(name)}</h2>"
                                  + (f"<p class='bg-short'><b>{e(why)}</b></p>" if why else ""))
        for box in self.opened.children:
            box.children = ()
        self.opened.layout.display = ""
        self.opened.selected_index = 0
        self._fill_tab()
        self._focus.to(self.person_head)

    def _fill_tab(self) -> None:
        """Make the open tab's view for the person chosen (each only when first opened)."""
        if self.person is None:
            return
        i = self.opened.selected_index or 0
        box = self.opened.children[i]
        if box.children:
            return
        if i == 0:
            from .progress import ProgressView
            name = self.frame.loc[self.frame["person"] == self.person, "name"]
            view = ProgressView(self.store, self.person, lib=self.lib, today=self.today,
                                title=f"How {name.iloc[0] if len(name) else 'they'} is doing"
                                      " (the sentences below are written to them)")
        elif i == 1:
            from .planner import WeekPlanner
            view = WeekPlanner(lib=self.lib, store=self.store, person=self.person, folder=None)
            plan = self.store.plan(self.person, on=self.today)
            if plan is not None:
                view.set_plan(plan)
        else:
            from ..present import Presenter
            view = Presenter(lib=self.lib, store=self.store, person=self.person, folder=None)
        box.children = (view,)

    @property
    def person_text(self) -> str:
        return text_of(self.person_head.value)


def flagged_first(table: pd.DataFrame) -> np.ndarray:
    """Whether each row has a flag (the page lists those first)."""
    return table[["quiet", "pain_up", "hurt_twice", "sign"]].any(axis=1).to_numpy()
