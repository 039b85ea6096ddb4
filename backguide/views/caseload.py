"""The clinic's caseload: one row per person, the one who needs a call first.

The table is :func:`backguide.journal.caseload.caseload` as the page shows it:
first why a call (so it is what each row says first), then the person, their
plan, weeks in, how much was done in the last 14 days, pain now against their
start (an important change marked with an arrow and what it means; a last
score a week old or more says when it was), the PEG and PSFS change, and days
since the last check-in.  A row with a reason stands out by more than colour:
a bar at its start, a flag, and the reason in bold.  Every word comes from
:mod:`backguide.journal.words`, as the progress page's do.  The database
decides who is listed: a clinician connected with their own role sees only
their own people (row-level security), so this page filters nothing itself.

Choosing a person opens, below the table, their progress page, their plan in
the week planner, and the presenter for them.  When the database cannot be
reached, the page keeps the list it last read and says since when; Refresh
tries again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import ipywidgets as W
import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from ..journal import models as m
from ..journal.caseload import FLAGS, caseload
from ..journal.words import (CASELOAD_COLUMNS, caseload_summary, days_ago_text, pain_now_text,
                             percent_text, refresh_failed_text, signed_score_text)
from ..library import Library, resolve
from .focus import Focus
from .render import CSS, e, text_of
from .results import ResultsTable

#: The table's columns, as the page heads them (why a call first).
COLUMNS = CASELOAD_COLUMNS
OPENED = ("Progress", "Plan for the week", "Show a routine")
def pain_dates(store, *, today: dt.date) -> pd.Series:
    """Each person's last day with a pain score up to ``today`` (indexed by person):
    the day "pain now" is as of.  One grouped query, on the (person, date) index."""
    p = m.pain.c
    with store.snapshot() as conn:
        rows = conn.execute(select(p.person, func.max(p.date)).where(p.date <= today)
                            .group_by(p.person)).all()
    return pd.Series({int(person): pd.Timestamp(day) for person, day in rows}, dtype=object)


def table_rows(table: pd.DataFrame, *, today: dt.date | None = None,
               pain_days: pd.Series | None = None) -> list[list[str]]:
    """The caseload's rows in words, in its order (the person who needs a call first).

    ``pain_days`` (:func:`pain_dates`) dates each person's "pain now"; with it and
    ``today``, a last score :data:`~backguide.journal.words.STALE_DAYS` days old or
    more says when it was.
    """
    stamp = None if today is None else pd.Timestamp(today)
    out = []
    for r in table.itertuples(index=False):
        direction = "worse" if r.pain_up else "better" if r.pain_change_important else None
        day = None if pain_days is None else pain_days.get(int(r.person))
        old = None if stamp is None or day is None else (stamp - day).days
        out.append([str(r.reasons or ""), str(r.name), "" if pd.isna(r.plan) else str(r.plan),
                    "" if pd.isna(r.weeks_in) else str(int(r.weeks_in)),
                    percent_text(r.adherence_14d),  # as the progress page words it
                    pain_now_text(r.pain_now, r.pain_start, direction, days_old=old),
                    signed_score_text(r.peg_change), signed_score_text(r.psfs_change),
                    days_ago_text(r.days_since_check_in)])
    return out


class Caseload(W.VBox):
    """The caseload of ``store`` (as its database role may see it) on ``today``.

    ``clock`` gives the time now (default :meth:`datetime.datetime.now`): a refresh
    that cannot reach the database says when it tried, and from when the list
    still shown is.
    """

    def __init__(self, store, *, lib: Library | None = None, today: dt.date | None = None,
                 clock: Callable[[], dt.datetime] | None = None, **kwargs):
        self.lib = resolve(lib)
        self.store = store
        self._today = today
        self._clock = clock or dt.datetime.now
        #: When the list shown was read (None before the first read that worked).
        self.read_at: dt.datetime | None = None
        self.summary = W.HTML().add_class("bg-caseload-summary")
        self.note = W.HTML().add_class("bg-caseload-note-box")
        # "Why a call" comes first; the person's name heads each row for a screen reader.
        self.table = ResultsTable(label="Caseload", hint="choose a person to open their "
                                  "progress, plan and presenter",
                                  header_column=COLUMNS.index("Person")
                                  ).add_class("bg-caseload-table")
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
                          self.note, self.table, self.person_head, self.opened, self._focus],
                         **kwargs)
        self.add_class("bg-view")
        self.add_class("bg-caseload")
        self.refresh()

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def refresh(self) -> None:
        """Read the caseload again (one query per table, grouped by person).  If the
        database cannot be reached, the list shown stays, with a note saying so."""
        at = self._clock()
        try:
            frame = caseload(self.store, today=self.today)
            pain_days = pain_dates(self.store, today=self.today)
        except SQLAlchemyError:
            said = refresh_failed_text(at, self.read_at)
            self.note.value = f"<p class='bg-caseload-note' role='alert'>{e(said)}</p>"
            return
        self.read_at = at
        self.note.value = ""
        self.frame = frame.reset_index(drop=True)
        flagged = int(frame[list(FLAGS)].any(axis=1).sum())
        people, rest = caseload_summary(len(frame), flagged, self.today).split(", ", 1)
        self.summary.value = f"<b>{e(people)}</b>, {e(rest)}"
        rows = table_rows(frame, today=self.today, pain_days=pain_days)
        with self.table.hold_sync():
            self.table.columns = list(COLUMNS)
            # A row with a reason to call (its first cell) is marked: .bg-flagged.
            self.table.rows = [{"id": str(int(p)), "cells": cells,
                                "css": "bg-flagged" if cells[0] else ""}
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
    return table[list(FLAGS)].any(axis=1).to_numpy()
