"""The routine builder: a routine's exercises, each dose editable, with its time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import ipywidgets as W
import pandas as pd

from ..content import source_title, week_content
from ..dose import given, has_dose
from ..library import Library, resolve
from ..measures import session_minutes
from ..plan import Plan
from .. import schema
from ..store import PlanStore
from ..words import about_minutes, count
from .render import CSS, e
from .saving import SaveBar


class DoseBox(W.BoundedFloatText):
    """A dose field's box, bounded by its range in :data:`backguide.schema.DOSE_LIMIT_TABLE`.

    The browser keeps a typed number within ``min`` and ``max``.  A value set
    from Python is not quietly clamped: it reaches the plan, which refuses
    anything outside the limits (and the view says why), so no dose the plan
    file would refuse is ever stored.
    """

    def _validate_value(self, proposal):  # replaces the clamping validator
        return proposal["value"]


LABELS = {"sets": "sets", "reps": "reps", "hold_s": "hold s", "rest_s": "rest s",
          "minutes": "min"}


def dose_boxes(entry, on_change: Callable[[DoseBox, str, object], None]) -> list[DoseBox]:
    """One box per dose field of ``entry`` (a row of ``plan.entries``): minutes for a
    timed activity, sets, reps, hold and rest for the rest, and all five for an entry
    with no dose yet (an imported exercise's), to be given either.  Each box's tooltip
    says its range: the browser keeps a typed number within it."""
    timed = given(entry.minutes) > 0
    undosed = not has_dose(*(getattr(entry, f) for f in schema.DOSE_FIELDS))
    fields = (schema.DOSE_FIELDS if undosed else ("minutes",) if timed
              else ("sets", "reps", "hold_s", "rest_s"))
    boxes = []
    for f in fields:
        limit = schema.DOSE_LIMIT_TABLE[f]
        box = DoseBox(value=given(getattr(entry, f)), min=limit.low, max=limit.high,
                      description=LABELS[f], layout=W.Layout(width="122px"),
                      tooltip=f"{limit.words}: {limit.low:g} to {limit.high:g}",
                      style={"description_width": "44px"})
        box.add_class(f"bg-dose-{f}")
        box.observe(lambda c, b=box, f=f: on_change(b, f, c["new"]), "value")
        boxes.append(box)
    return boxes


class RoutineBuilder(W.VBox):
    """Assemble a routine: add, edit each dose, reorder, remove; live session time.

    ``plan`` is the routine as a :class:`~backguide.plan.Plan`: one session on
    :attr:`DAY`, named after the routine.  Every edit replaces ``plan``.
    Entries are numbered from 0 in order.  With a ``folder`` the routine can
    be saved there (as a plan, through :class:`~backguide.store.PlanStore`).
    """

    DAY = "Monday"
    FIELDS = ("sets", "reps", "hold_s", "rest_s", "minutes")

    def __init__(self, *, lib: Library | None = None, plan: Plan | None = None,
                 name: str | None = None, folder: str | Path | None = None, **kwargs):
        self.lib = resolve(lib)
        if plan is None:
            plan = Plan(name=name or "My routine")
        self.plan = plan
        self.store = PlanStore(folder) if folder is not None else None
        self._time = W.HTML().add_class("bg-session-time")
        self._status = W.HTML().add_class("bg-routine-status")
        self._rows = W.VBox().add_class("bg-routine")
        self.output = W.Output()
        self._changed: list[Callable[[], None]] = []
        self._quiet = False
        parts = [W.HTML(CSS), self._time, self._status, self._rows]
        if self.store is not None:
            self.savebar = SaveBar(self.store, lambda: self.plan, self._was_saved,
                                   label="Routine name", noun="routine")
            self.savebar.name.value = name or plan.name
            self.savebar.name.observe(lambda c: self._renamed(c["new"]), "value")
            parts.insert(1, self.savebar)
        else:
            self.savebar = None
            self._name = W.Text(value=name or plan.name, description="Routine").add_class(
                "bg-routine-name")
            self._name.observe(lambda c: self._renamed(c["new"]), "value")
            parts.insert(1, self._name)
        super().__init__([*parts, self.output], **kwargs)
        self.add_class("bg-builder")
        self.add_class("bg-view")
        self._render()

    # -- reading --

    @property
    def library(self) -> Library:
        return self.lib

    @property
    def name(self) -> str:
        """The routine's name: its session's name when it goes on a day."""
        box = self.savebar.name if self.savebar is not None else self._name
        return box.value.strip() or "My routine"

    @property
    def entries(self) -> pd.DataFrame:
        return self.plan.entries

    @property
    def minutes(self) -> float:
        """The routine's length, by :func:`backguide.session_minutes`."""
        return float(session_minutes(self.plan, lib=self.lib)["minutes"].sum())

    def summary(self) -> str:
        """"2 exercises, about 2.8 minutes": what the routine's heading says, the total
        of the minutes shown beside each exercise."""
        w = week_content(self.plan, lib=self.lib)
        return f"{count(len(w.entries), 'exercise')}, {about_minutes(w.minutes, w.unknown)}"

    def on_change(self, callback: Callable[[], None]) -> None:
        self._changed.append(callback)

    # -- edits: each replaces ``plan`` --

    def set_plan(self, plan: Plan, note: str = "") -> Plan:
        """Make ``plan`` (one session) the routine, keeping the routine's name."""
        self.plan = plan.replace(name=self.name)
        if self.savebar is not None:
            self.savebar.forget()  # a new routine: saving over the old one asks first
        if not self.plan.is_empty:
            self.plan = self.plan.rename_session(self.DAY, 0, self.name)
        self._render()
        self._say(note)
        return self.plan

    def add(self, exercise: str, source: str = "default") -> Plan:
        """Add ``exercise`` at the end, at its starting dose or ``source``'s."""
        self.plan = self.plan.add(self.DAY, exercise, source=source, session_name=self.name,
                                  lib=self.lib)
        self._render()
        return self.plan

    def remove(self, index: int) -> Plan:
        self.plan = self.plan.remove(index)
        self._render()
        return self.plan

    def move(self, index: int, by: int) -> Plan:
        """Move entry ``index`` by ``by`` places (negative is earlier)."""
        moved = self.plan.reorder(index, by)
        if moved != self.plan:
            self.plan = moved
            self._render()
        return self.plan

    reorder = move

    def set_dose(self, index: int, **dose) -> Plan:
        """Change entry ``index``'s dose; raises ValueError outside the dose limits."""
        self.plan = self.plan.set_dose(index, **dose)
        self._say("")
        self._update_time()
        return self.plan

    def set_source(self, index: int, source: str) -> Plan:
        """Give entry ``index`` the library's starting dose (``"default"``) or an article's."""
        self.plan = self.plan.set_source(index, source, lib=self.lib)
        self._render()
        return self.plan

    # -- callbacks --

    def _renamed(self, name: str) -> None:
        name = name.strip() or "My routine"
        plan = self.plan.replace(name=name)
        if not plan.is_empty:
            plan = plan.rename_session(self.DAY, 0, name)
        self.plan = plan

    def _was_saved(self, plan: Plan, key: str) -> None:
        self.plan = plan

    def _source_picked(self, index: int, source: str) -> None:
        # "custom" and "progressed" name edited doses, not a dose to load.
        if source not in ("custom", "progressed"):
            self.set_source(index, source)

    def _box_changed(self, box: DoseBox, index: int, field: str, value) -> None:
        if self._quiet:
            return
        try:
            self.set_dose(index, **{field: value or None})
        except ValueError as exc:
            self._say(f"Could not do that: {exc}")
            stored = self.plan.entries.iloc[index][field]
            self._quiet = True
            try:
                box.value = given(stored)
            finally:
                self._quiet = False

    def _say(self, text: str) -> None:
        self._status.value = f"<i>{e(text)}</i>" if text else ""

    # -- drawing --

    def _update_time(self) -> None:
        self._time.value = f"<b style='font-size:17px'>{e(self.summary())}</b>"
        entries = week_content(self.plan, lib=self.lib).entries
        for label, line, side in zip(self._labels, entries, self.plan.entries["per_side"]):
            label.value = (f"<b>{e(line.name)}</b>{' each side' if side else ''} "
                           f"<span class='bg-minor'>({e(line.time)})</span>")
        for callback in self._changed:
            callback()

    def _render(self) -> None:
        doses = self.lib.doses
        rows, self._labels = [], []
        for i, entry in enumerate(self.plan.entries.itertuples(index=False)):
            ids = sorted(set(doses.loc[doses["exercise"] == entry.exercise, "source"]))
            sources = [("Starting dose", "default")] + [(source_title(s, lib=self.lib), s)
                                                        for s in ids]
            if entry.dose_source not in {v for _, v in sources}:
                sources.append((entry.dose_source.capitalize(), entry.dose_source))
            pick = W.Dropdown(options=sources, value=entry.dose_source, description="dose from",
                              layout=W.Layout(width="260px"),
                              style={"description_width": "70px"}).add_class("bg-dose-source")
            pick.observe(lambda c, i=i: self._source_picked(i, c["new"]), "value")
            boxes = dose_boxes(entry, lambda b, f, v, i=i: self._box_changed(b, i, f, v))
            buttons = []
            for icon, tip, action, css in (
                    ("arrow-up", "Move up", lambda _b, i=i: self.move(i, -1), "bg-up"),
                    ("arrow-down", "Move down", lambda _b, i=i: self.move(i, 1), "bg-down"),
                    ("trash", "Remove", lambda _b, i=i: self.remove(i), "bg-remove")):
                b = W.Button(icon=icon, tooltip=tip, layout=W.Layout(width="36px")).add_class(css)
                b.on_click(action)
                buttons.append(b)
            label = W.HTML(layout=W.Layout(width="290px")).add_class("bg-entry-label")
            self._labels.append(label)
            rows.append(W.HBox([W.HTML(f"<b>{i + 1}.</b>", layout=W.Layout(width="24px")),
                                label, *boxes, pick, *buttons]).add_class("bg-entry"))
        if not rows:
            rows = [W.HTML("<i>No exercises yet: press Make me a routine, or choose one in "
                           "Details for and press Add to my routine.</i>")]
        self._rows.children = rows
        self._say("")
        self._update_time()
