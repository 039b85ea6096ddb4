"""The interactive guide: thin ipywidgets views over the library and planning core.

One module per composite, each with a small public API and stable CSS classes
(``bg-...``) for browser tests:

* :class:`Explorer` (:mod:`.explorer`): filters, a live count, what a search
  understood, a results table and a detail card that plays its movement.
* :class:`RoutineBuilder` (:mod:`.builder`): a routine's exercises, each dose
  editable, with its time; it can be saved.
* :class:`WeekPlanner` (:mod:`.planner`): a seven-day board edited in place,
  starter and saved plans, charts and the guidance checklist; save, load,
  undo and a handout to download.
* :class:`CheckIn` (:mod:`.checkin`) and :class:`~.progress.ProgressView`: a day's
  check-in to the journal, then progress, next week and the calendar.

HTML shared with the presenter and the handout lives in :mod:`.render`; saving
goes through :class:`backguide.store.PlanStore` (:mod:`.saving`).  Views
compute nothing themselves: every number comes from the core.
"""

from __future__ import annotations

import ipywidgets as W
from IPython.display import Markdown, display

from ..library import Library
from .builder import DoseBox, RoutineBuilder
from .caseload import Caseload
from .checkin import CheckIn, check_in_page
from .explorer import Explorer, ExplorerModel
from .planner import WeekPlanner
from .render import (CSS, checklist_html, exercise_card, in_voila, results_frame,
                     safety_note_html, warning_signs_html)


def safety_note(*, lib: Library | None = None, signs: bool = True) -> W.HTML:
    """The short safety note (its warning signs folded beneath it with ``signs``)."""
    return W.HTML(CSS + safety_note_html(lib=lib, signs=signs)).add_class("bg-safety-note-box")


def red_flags(*, lib: Library | None = None) -> W.HTML:
    """Every warning sign from the guidance table, in full, with its source."""
    return W.HTML(CSS + warning_signs_html(lib=lib)).add_class("bg-red-flags-box")


def for_lab(text: str) -> None:
    """Show ``text`` (Markdown) in JupyterLab only: instructions about cells and
    commands mean nothing to someone viewing the page in Voila."""
    if not in_voila():
        display(Markdown(text))


__all__ = ["Caseload", "CheckIn", "DoseBox", "Explorer", "check_in_page", "ExplorerModel", "RoutineBuilder", "WeekPlanner",
           "checklist_html", "exercise_card", "for_lab", "in_voila", "red_flags",
           "results_frame", "safety_note"]
