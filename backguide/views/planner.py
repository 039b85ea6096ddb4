"""The week planner: a seven-day board edited in place, charts and the guidance checklist."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import ipywidgets as W
import pandas as pd

from .. import charts, schema
from ..errors import BackguideError
from ..library import Library, resolve
from ..measures import WeekMeasures, measure_week, met_count
from ..plan import Plan, describe_entries, load_starter, starter_plans
from ..store import PlanStore
from .builder import RoutineBuilder, dose_boxes
from .handing import HandoutForm
from .render import CSS, checklist_html, e, safety_note_html, session_heading
from .saving import SaveBar

NEW = -1  # the session menus' "a new session"


def _session_options(m: WeekMeasures, day: str) -> list[tuple[str, int]]:
    s = m.sessions[m.sessions["day"] == day]
    return [(str(n), int(i)) for i, n in zip(s["session"], s["session_name"])] + [
        ("A new session", NEW)]


class WeekPlanner(W.VBox):
    """Plan a week visually against the guidance.

    ``plan`` is the :class:`~backguide.plan.Plan` on the board; every action
    replaces it with the edited plan, and :meth:`undo` brings back the one
    before.  Each entry on the board has its own Edit (dose, move, copy) and
    Remove; a day copies to another.  Plans are saved through a
    :class:`~backguide.store.PlanStore` in ``folder``.
    """

    CHARTS = ("The week", "By kind of exercise", "Muscles")
    HISTORY = 50

    def __init__(self, *, lib: Library | None = None, plan: Plan | None = None,
                 folder: str | Path = "saved_plans", routine: RoutineBuilder | None = None,
                 **kwargs):
        self.lib = resolve(lib)
        self.plan = plan if plan is not None else Plan(name="My week")
        self.store = PlanStore(folder)
        self.folder = Path(folder)
        self.routine = routine
        self._history: list[Plan] = []
        self._editing: tuple[str, int, int] | None = None
        self._columns: dict[str, tuple[object, W.VBox]] = {}
        ex = self.lib.exercises
        self._starters = {n: load_starter(n, lib=self.lib) for n in starter_plans()}
        self._starter = W.Dropdown(options=[(p.name, n) for n, p in self._starters.items()],
                                   description="Starter plan").add_class("bg-starter")
        self._about = W.HTML().add_class("bg-starter-about")
        self._start = W.Button(description="Start from it", icon="play").add_class("bg-start")
        self._saved = W.Dropdown(description="Saved plans",
                                 layout=W.Layout(width="420px")).add_class("bg-saved")
        self._load = W.Button(description="Load", icon="folder-open").add_class("bg-load")
        self._undo = W.Button(description="Undo", icon="undo").add_class("bg-undo")
        self.savebar = SaveBar(self.store, lambda: self.plan, self._was_saved, label="Plan name")
        self.savebar.name.value = self.plan.name
        self._exercise = W.Dropdown(options=sorted((n, i) for i, n in ex["name"].items()),
                                    description="Exercise").add_class("bg-exercise")
        self._day = W.Dropdown(options=list(schema.DAYS), description="Day",
                               layout=W.Layout(width="200px")).add_class("bg-day-pick")
        self._session = W.Dropdown(description="Session",
                                   layout=W.Layout(width="260px")).add_class("bg-session-pick")
        self._new_name = W.Text(value="New session", description="called",
                                layout=W.Layout(width="220px"),
                                style={"description_width": "48px"}).add_class("bg-new-session")
        self._add = W.Button(description="Add to day", icon="plus",
                             button_style="success").add_class("bg-add-day")
        self._add_routine = W.Button(description="Put my routine on this day",
                                     icon="calendar-plus",
                                     layout=W.Layout(width="240px")).add_class("bg-add-routine")
        self._add_routine.layout.display = "" if routine is not None else "none"
        self._copy_from = W.Dropdown(options=list(schema.DAYS), description="Copy",
                                     layout=W.Layout(width="200px")).add_class("bg-copy-from")
        self._copy_to = W.Dropdown(options=list(schema.DAYS), value="Tuesday", description="to",
                                   layout=W.Layout(width="180px"),
                                   style={"description_width": "24px"}).add_class("bg-copy-to")
        self._copy = W.Button(description="Copy day", icon="copy").add_class("bg-copy-day")
        self._status = W.HTML().add_class("bg-status")
        self._board = W.GridBox(layout=W.Layout(
            grid_template_columns="repeat(7, minmax(0, 1fr))", grid_gap="6px",
            width="100%")).add_class("bg-week-board")
        self._charts = [W.HTML().add_class("bg-chart").add_class(f"bg-chart-{i}")
                        for i in range(3)]
        self._tabs = W.Tab(children=self._charts, titles=self.CHARTS,
                           layout=W.Layout(flex="1 1 600px", min_width="590px")).add_class("bg-charts")
        self._checklist = W.HTML(layout=W.Layout(flex="1 1 380px")).add_class("bg-checklist")
        self._handout_box = HandoutForm(self.store, self._handout_choices, self.lib)
        self.output = W.Output().add_class("bg-log")
        self._stale = set(range(3))

        self._starter.observe(lambda _c: self._describe_starter(), "value")
        self._start.on_click(lambda _b: self._safely(self.start_from, self._starter.value))
        self._load.on_click(lambda _b: self._safely(self.load, self._saved.value))
        self._undo.on_click(lambda _b: self._safely(self.undo))
        self._add.on_click(lambda _b: self._safely(self._add_picked))
        self._add_routine.on_click(lambda _b: self._safely(self._put_routine))
        self._copy.on_click(lambda _b: self._safely(self.copy_day, self._copy_from.value,
                                                    self._copy_to.value))
        self._day.observe(lambda _c: self._list_sessions(), "value")
        self._session.observe(lambda _c: self._show_new_name(), "value")
        self._tabs.observe(lambda _c: self._draw_charts(), "selected_index")

        heading = lambda text: W.HTML(f"<h3 style='margin:8px 0 2px 0'>{text}</h3>")  # noqa: E731
        super().__init__([
            W.HTML(CSS + safety_note_html(self.lib)),
            W.HBox([self._starter, self._start, self._saved, self._load, self._undo],
                   layout=W.Layout(flex_flow="row wrap")),
            self._about, self.savebar,
            heading("Add to the week"),
            W.HBox([self._exercise, self._day, self._session, self._new_name, self._add],
                   layout=W.Layout(flex_flow="row wrap")),
            W.HBox([self._add_routine, self._copy_from, self._copy_to, self._copy],
                   layout=W.Layout(flex_flow="row wrap")),
            self._status, self._board,
            W.HBox([self._tabs, self._checklist],
                   layout=W.Layout(flex_flow="row wrap", width="100%")),
            self._handout_box, self.output,
        ], **kwargs)
        self.add_class("bg-planner")
        self.add_class("bg-view")
        self._describe_starter()
        self._list_saved()
        self.refresh()

    # -- public API --

    @property
    def library(self) -> Library:
        return self.lib

    @property
    def measures(self) -> WeekMeasures:
        """Everything the view shows of the plan, measured once per change."""
        return self._measures

    @property
    def check(self) -> pd.DataFrame:
        return self._measures.check

    def add(self, day: str, exercise: str, source: str = "default", *, session=None,
            session_name: str = "New session") -> None:
        """Add ``exercise`` to ``day``: to session number ``session``, or a new session
        called ``session_name`` (``session="new"``, or a day with none)."""
        self._change(self.plan.add(day, exercise, source=source, session=session,
                                   session_name=session_name, lib=self.lib),
                     f"Added {self._exercise_name(exercise)} to {day}.")

    def add_routine(self, day: str, name: str, entries: pd.DataFrame) -> None:
        """Put a routine's ``entries`` on ``day`` as a new session called ``name``."""
        self._change(self.plan.add_session(day, name, entries), f"Put {name} on {day}.")

    def remove(self, index: int) -> None:
        """Take out entry ``index`` (its row number in ``plan.entries``)."""
        row = self.plan.entries.iloc[index] if 0 <= index < len(self.plan.entries) else None
        plan = self.plan.remove(index)  # raises for a row that is not there
        self._editing = None
        self._change(plan, f"Removed {self._exercise_name(row['exercise'])} from {row['day']}.")

    def set_dose(self, index: int, **dose) -> None:
        """Change entry ``index``'s dose (ValueError outside the dose limits)."""
        row = self.plan.entries.iloc[index]
        self._change(self.plan.set_dose(index, **dose),
                     f"Changed the dose of {self._exercise_name(row['exercise'])} on {row['day']}.")

    def move(self, index: int, day: str, *, session=None) -> None:
        """Move entry ``index`` to ``day`` (its last session, a numbered one, or ``"new"``)."""
        row = self.plan.entries.iloc[index]
        self._editing = None
        self._change(self.plan.move(index, day, session=session,
                                     session_name=str(row["session_name"])),
                     f"Moved {self._exercise_name(row['exercise'])} from {row['day']} to {day}.")

    def copy_to(self, index: int, day: str, *, session=None) -> None:
        row = self.plan.entries.iloc[index]
        self._change(self.plan.copy_to(index, day, session=session,
                                       session_name=str(row["session_name"])),
                     f"Copied {self._exercise_name(row['exercise'])} to {day}.")

    def copy_day(self, day: str, to: str) -> None:
        """Copy every session of ``day`` onto ``to`` (added after what ``to`` has)."""
        if day == to:
            raise ValueError("Choose two different days to copy between.")
        self._change(self.plan.copy_day(day, to), f"Copied {day} to {to}.")

    def start_from(self, name: str) -> None:
        plan = load_starter(name, lib=self.lib)
        self.savebar.forget()
        self._change(plan, f"Started from the starter plan {plan.name}.")

    def save(self, name: str | None = None, *, replace: bool = False) -> Path | None:
        """Save under ``name`` (or the name box's); ``None`` if it stopped to ask."""
        if name is not None:
            self.savebar.name.value = name
        return self.savebar.save(replace=replace)

    def load(self, key: str) -> None:
        if not key:
            raise ValueError("There is no saved plan to load yet.")
        plan = self.store.load(key, lib=self.lib)
        self.savebar.forget()
        self.savebar.origin = key
        self._change(plan, f"Loaded {plan.name}.")

    def undo(self) -> None:
        if not self._history:
            self._say("Nothing to undo.")
            return
        self._show(self._history.pop(), "Undid the last change.")

    def edit(self, index: int | None) -> None:
        """Open entry ``index``'s editor on the board (``None`` closes it)."""
        if index is None:
            self._editing = None
        else:
            r = self.plan.entries.iloc[index]
            self._editing = (str(r["day"]), int(r["session"]), int(r["order"]))
        self._draw_board()

    def handout(self, *, person: str = "", notes: str = "", when: dt.date | None = None,
                paper: str = "A4") -> tuple[bytes, str]:
        """The week's handout: PDF bytes and HTML, with the person's name, the
        clinician's notes (only those given here), the date and the paper size."""
        form = self._handout_box
        form.person.value, form.notes.value = person, notes
        form.date.value, form.paper.value = when, paper
        return form.handout()

    def _handout_choices(self) -> list[tuple[str, Plan]]:
        """The planner hands out the week on the board (its notes are the form's)."""
        return [("The whole week", self.plan.replace(notes=""))]

    # -- drawing --

    def refresh(self) -> None:
        """Measure the plan once and redraw board, checklist, session menu and charts."""
        m = self._measures = measure_week(self.plan, lib=self.lib)
        self._checklist.value = checklist_html(m.check, self.lib)
        self._undo.disabled = not self._history
        self._draw_board()
        self._list_sessions()
        self._stale = set(range(3))
        self._draw_charts()

    def _draw_board(self) -> None:
        m = self._measures
        t = m.table
        words = describe_entries(t)
        names = t["name"].where(t["name"] != "", t["exercise"])
        columns = []
        for day in schema.DAYS:
            on_day = (t["day"] == day).to_numpy()
            s = m.sessions[m.sessions["day"] == day]
            editing = self._editing if self._editing and self._editing[0] == day else None
            key = (tuple(zip(t["session"][on_day], t["order"][on_day], names[on_day],
                             words[on_day])),
                   tuple(zip(s["session"], s["session_name"], s["minutes"])), editing)
            cached = self._columns.get(day)
            if cached is None or cached[0] != key:
                cached = (key, self._day_column(day, t[on_day], words[on_day], s, editing))
                self._columns[day] = cached
            columns.append(cached[1])
        self._board.children = columns

    def _day_column(self, day: str, rows: pd.DataFrame, words: pd.Series,
                    sessions: pd.DataFrame, editing) -> W.VBox:
        parts: list[W.Widget] = [W.HTML(f"<h4>{day}</h4>")]
        if sessions.empty:
            parts.append(W.HTML("<i>Rest day</i>"))
        for s in sessions.itertuples(index=False):
            parts.append(W.HTML(session_heading(s.session_name, s.minutes)).add_class(
                "bg-session-head"))
            mine = rows[rows["session"] == s.session]
            for r, dose in zip(mine.itertuples(index=False), words[rows["session"] == s.session]):
                where = (day, int(r.session), int(r.order))
                parts.append(self._entry_widget(r, dose, where, editing == where))
        column = W.VBox(parts).add_class("bg-day-col")
        column.add_class(f"bg-day-{day.lower()}")
        return column

    def _entry_widget(self, r, dose: str, where, open_: bool) -> W.Widget:
        name = r.name if r.name else r.exercise
        label = W.HTML(f"{e(name)}<br><small>{e(dose)}</small>").add_class("bg-entry-text")
        edit = W.Button(description="Edit", icon="pencil", tooltip="Change the dose, move or copy",
                        layout=W.Layout(width="auto")).add_class("bg-entry-edit")
        remove = W.Button(icon="trash", tooltip=f"Remove {name}",
                          layout=W.Layout(width="34px")).add_class("bg-entry-remove")
        edit.on_click(lambda _b: self._safely(self._toggle_edit, where))
        remove.on_click(lambda _b: self._safely(self.remove, self._row(where)))
        parts = [label, W.HBox([edit, remove]).add_class("bg-entry-buttons")]
        if open_:
            parts.append(self._editor(where, r))
        box = W.VBox(parts).add_class("bg-board-entry")
        if open_:
            box.add_class("bg-editing")
        return box

    def _editor(self, where, r) -> W.VBox:
        """Entry ``where``'s editor: its dose boxes, move to a day, copy to a day."""
        boxes = dose_boxes(r, lambda b, f, v: self._box_changed(b, where, f, v))
        day = W.Dropdown(options=list(schema.DAYS), value=where[0], description="to",
                         layout=W.Layout(width="160px"),
                         style={"description_width": "24px"}).add_class("bg-move-day")
        move = W.Button(description="Move", icon="arrows",
                        layout=W.Layout(width="76px")).add_class("bg-entry-move")
        copy = W.Button(description="Copy", icon="copy",
                        layout=W.Layout(width="76px")).add_class("bg-entry-copy")
        done = W.Button(description="Done", icon="check",
                        layout=W.Layout(width="auto")).add_class("bg-entry-done")
        move.on_click(lambda _b: self._safely(lambda: self.move(self._row(where), day.value)))
        copy.on_click(lambda _b: self._safely(lambda: self.copy_to(self._row(where), day.value)))
        done.on_click(lambda _b: self.edit(None))
        return W.VBox([*boxes, day, W.HBox([move, copy]), done]).add_class("bg-entry-editor")

    def _draw_charts(self) -> None:
        i = self._tabs.selected_index or 0
        if i not in self._stale:
            return
        m = self._measures
        draw = (lambda ax: charts.plot_week(m.days, ax=ax),
                lambda ax: charts.plot_category_days(m.kinds, ax=ax),
                lambda ax: charts.plot_muscle_volume(m.muscles, ax=ax))[i]
        size, margins = charts.CHART_LAYOUT[i]
        self._charts[i].value = charts.figure_svg(draw, size=size, **margins)
        self._stale.discard(i)

    # -- helpers --

    def _row(self, where) -> int:
        e_ = self.plan.entries
        hit = ((e_["day"] == where[0]) & (e_["session"] == where[1]) & (e_["order"] == where[2]))
        rows = hit.to_numpy().nonzero()[0]
        if not len(rows):
            raise ValueError("That entry is no longer on the board.")
        return int(rows[0])

    def _toggle_edit(self, where) -> None:
        self._editing = None if self._editing == where else where
        self._draw_board()

    def _box_changed(self, box, where, field: str, value) -> None:
        try:
            self.set_dose(self._row(where), **{field: value or None})
        except ValueError as exc:
            self._say(f"Could not do that: {exc}")

    def _add_picked(self) -> None:
        session = self._session.value
        self.add(self._day.value, self._exercise.value,
                 session="new" if session in (None, NEW) else session,
                 session_name=self._new_name.value.strip() or "New session")

    def _list_sessions(self) -> None:
        options = _session_options(self._measures, self._day.value)
        keep = self._session.value
        self._session.options = options
        values = [v for _, v in options]
        self._session.value = keep if keep in values else values[0]
        self._show_new_name()

    def _show_new_name(self) -> None:
        self._new_name.layout.display = "" if self._session.value == NEW else "none"

    def _describe_starter(self) -> None:
        p = self._starters.get(self._starter.value)
        self._about.value = (f"<span class='bg-minor'><b>{e(p.name)}:</b> {e(p.notes)}</span>"
                             if p and p.notes
                             else "")

    def _change(self, plan: Plan, message: str) -> None:
        """Make ``plan`` the plan on the board, keeping the one before for undo."""
        self._history.append(self.plan)
        del self._history[:-self.HISTORY]
        self._show(plan, message)

    def _show(self, plan: Plan, message: str) -> None:
        self.plan = plan
        if self.savebar.name.value != plan.name:
            self.savebar.name.value = plan.name
        self.refresh()
        self._handout_box.refresh()  # a handout made before this change is out of date
        met, total = met_count(self._measures.check)
        # Last: when the message shows, the page has caught up.  The guidance
        # headline goes with it, for a person who cannot see the checklist.
        self._say(f"{message} Guidance: {met} of {total} met.")

    def _was_saved(self, plan: Plan, path: Path) -> None:
        self.plan = plan
        self._list_saved(path.stem)
        self._say(f"Saved \u201c{plan.name}\u201d.")

    def _exercise_name(self, exercise: str) -> str:
        ex = self.lib.exercises
        return ex.at[exercise, "name"] if exercise in ex.index else exercise

    def _say(self, text: str) -> None:
        self._status.value = f"<b>{e(text)}</b>" if text else ""

    def _safely(self, action, *args) -> None:
        try:
            action(*args)
        except (BackguideError, ValueError, IndexError, OSError) as exc:
            self._say(f"Could not do that: {exc}")

    def _list_saved(self, choose: str | None = None) -> None:
        options = self.store.labels()
        keep = choose or self._saved.value
        self._saved.options = options
        keys = [key for _, key in options]
        # Show a plan, not an empty box: the one chosen before, else the first.
        self._saved.value = keep if keep in keys else (keys[0] if keys else None)

    def _put_routine(self) -> None:
        if self.routine is None or self.routine.plan.is_empty:
            raise ValueError("The routine is empty: add exercises to it first.")
        self.add_routine(self._day.value, self.routine.name, self.routine.plan.entries)
