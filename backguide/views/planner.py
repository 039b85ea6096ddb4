"""The week planner: a seven-day board edited in place, charts and the guidance checklist."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import ipywidgets as W
import pandas as pd
from ipywidgets.widgets.widget_string import HTMLStyle

from .. import schema
from ..errors import BackguideError
from ..library import Library, resolve
from ..content import checklist_content, exercise_choices
from ..measures import WeekMeasures, measure_week
from ..plan import Plan, load_starter, starter_plans
from .builder import RoutineBuilder
from .handing import HandoutForm
from .asking import Ask
from .board import NEW, BoardView, session_options
from .effect import WeekEffect
from .focus import Focus
from .render import CSS, e, safety_note_html, text_of
from .saving import SaveBar, plans_for



def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


class WeekPlanner(BoardView, W.VBox):
    """Plan a week visually against the guidance.

    ``plan`` is the :class:`~backguide.plan.Plan` on the board; every action
    replaces it with the edited plan, and :meth:`undo` brings back the one
    before.  Each entry on the board has its own Edit (dose, move, copy) and
    Remove; a day copies to another.  Plans are saved in the journal ``store``
    (``person``'s, by default the home store's own person), the plans saved in
    ``folder`` brought into it; without a store, in ``folder``.
    """

    CHARTS = WeekEffect.CHARTS
    HISTORY = 50

    def __init__(self, *, lib: Library | None = None, plan: Plan | None = None,
                 folder: str | Path = "saved_plans", routine: RoutineBuilder | None = None,
                 store=None, person: int | None = None, **kwargs):
        self.lib = resolve(lib)
        self.plan = plan if plan is not None else Plan(name="My week")
        self.store = plans_for(store, folder, person=person)
        self.folder = Path(folder) if folder is not None else None
        self.routine = routine
        self._history: list[Plan] = []
        self._clean = self.plan  # the plan as last started, loaded or saved
        self._editing: tuple[str, int, int] | None = None
        # The board is drawn in place: each day's column, session heading and entry is
        # a widget kept while what it shows is unchanged (see _draw_board).
        self._columns: dict[str, tuple] = {}  # day: (what it shows, its entries, its heads)
        self._entries: dict[tuple, W.VBox] = {}  # by place (and text, when being edited)
        self._heads: dict[tuple, W.HTML] = {}  # by (day, session)
        self._retired: list[W.Widget] = []
        # One layout and style for all the board's widgets of a kind: each widget would
        # otherwise bring its own two, each a message to the page.
        self._look = {"html": W.Layout(), "box": W.Layout(), "edit": W.Layout(width="auto"),
                      "remove": W.Layout(width="34px"), "html_style": HTMLStyle(),
                      "button_style": W.ButtonStyle()}
        self._starters = {n: load_starter(n, lib=self.lib) for n in starter_plans(lib=self.lib)}
        self._starter = W.Dropdown(options=[(p.name, n) for n, p in self._starters.items()],
                                   description="Starter plan").add_class("bg-starter")
        self._about = W.HTML().add_class("bg-starter-about")
        self._start = W.Button(description="Start from it", icon="play").add_class("bg-start")
        self._saved = W.Dropdown(description="Saved plans",
                                 layout=W.Layout(width="520px")).add_class("bg-saved")
        self._load = W.Button(description="Load", icon="folder-open").add_class("bg-load")
        self._undo = W.Button(description="Undo", icon="undo").add_class("bg-undo")
        self.savebar = SaveBar(self.store, lambda: self.plan, self._was_saved, label="Plan name",
                               follow=True)
        self.savebar.name.value = self.plan.name
        self._exercise = W.Dropdown(options=exercise_choices(lib=self.lib),
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
        self._focus, self._focus_next = Focus(), None
        self._load_ask = Ask("load", focus=self._focus, on_cancel=self._kept)
        self._copy_ask = Ask("copy-day", focus=self._focus,
                             on_cancel=lambda: self._say("Nothing copied."))
        self._status = W.HTML().add_class("bg-status")
        self._board = W.GridBox(layout=W.Layout(
            grid_template_columns="repeat(7, minmax(0, 1fr))", grid_gap="6px",
            width="100%")).add_class("bg-week-board")
        self._day_cols = {day: W.VBox(_dom_classes=("bg-day-col", f"bg-day-{day.lower()}"),
                                      layout=self._look["box"]) for day in schema.DAYS}
        self._day_heads = {day: self._html(f"<h4>{day}</h4>") for day in schema.DAYS}
        self._rest_days = {day: self._html("<i>Rest day</i>") for day in schema.DAYS}
        self._board.children = tuple(self._day_cols.values())
        self._effect = WeekEffect()
        self._charts, self._tabs = self._effect.charts, self._effect.tabs
        self._checklist = self._effect.checklist
        self._handout_box = HandoutForm(self.store, self._handout_choices, lib=self.lib)
        self.output = W.Output().add_class("bg-log")

        self._starter.observe(lambda _c: self._describe_starter(), "value")
        self._start.on_click(lambda _b: self._unsaved_first(
            "start from it", lambda: self.start_from(self._starter.value)))
        self._load.on_click(lambda _b: self._unsaved_first(
            "load it", lambda: self.load(self._saved.value)) if self._saved.value
            else self._safely(self.load, None))
        self._undo.on_click(lambda _b: self._safely(self.undo))
        self._add.on_click(lambda _b: self._safely(self._add_picked))
        self._add_routine.on_click(lambda _b: self._safely(self._put_routine))
        self._copy.on_click(lambda _b: self._safely(self._copy_picked_day))
        self._day.observe(lambda _c: self._list_sessions(), "value")
        self._session.observe(lambda _c: self._show_new_name(), "value")

        heading = lambda text: W.HTML(f"<h3 style='margin:8px 0 2px 0'>{text}</h3>")  # noqa: E731
        super().__init__([
            W.HTML(CSS + safety_note_html(lib=self.lib)),
            W.HBox([self._starter, self._start, self._saved, self._load, self._undo],
                   layout=W.Layout(flex_flow="row wrap")),
            self._load_ask, self._about, self.savebar,
            heading("Add to the week"),
            W.HBox([self._exercise, self._day, self._session, self._new_name, self._add],
                   layout=W.Layout(flex_flow="row wrap")),
            W.HBox([self._add_routine, self._copy_from, self._copy_to, self._copy],
                   layout=W.Layout(flex_flow="row wrap")),
            self._copy_ask, self._status, self._board, self._effect,
            self._handout_box, self.output, self._focus,
        ], **kwargs)
        self.add_class("bg-planner")
        self.add_class("bg-view")
        self._describe_starter()
        self._list_saved()
        self.refresh()
        if plan is None:
            self._open_followed()

    def _open_followed(self) -> None:
        """Open on the plan the person follows today, if any, ready to edit."""
        key = getattr(self.store, "followed_key", lambda: None)()
        if key:
            followed = self.store.load(key, lib=self.lib)
            self.savebar.origin, self._clean = key, followed
            self._list_saved(key)
            self._show(followed, f"Showing the plan you follow: \u201c{followed.name}\u201d.")

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
        """Move entry ``index`` to a session on ``day``: number ``session``, or ``"new"``
        (a new session of the entry's session's name).  ``None`` is the session of that
        name on ``day`` if it has one, else a new one: never someone else's session."""
        row = self.plan.entries.iloc[index]
        session, where = self._session_for(row, day, session)
        self._editing = None
        self._change(self.plan.move(index, day, session=session,
                                     session_name=str(row["session_name"])),
                     f"Moved {self._exercise_name(row['exercise'])} from {row['day']} "
                     f"to {where}.")

    def copy_to(self, index: int, day: str, *, session=None) -> None:
        """Copy entry ``index`` to a session on ``day`` (``session`` as in :meth:`move`)."""
        row = self.plan.entries.iloc[index]
        session, where = self._session_for(row, day, session)
        self._change(self.plan.copy_to(index, day, session=session,
                                       session_name=str(row["session_name"])),
                     f"Copied {self._exercise_name(row['exercise'])} to {where}.")

    def _session_for(self, row, day: str, session) -> tuple[object, str]:
        """The session a moved or copied ``row`` goes to on ``day``, and its words."""
        s = self._measures.sessions
        s = s[s["day"] == day]
        if session is None:
            same = s.loc[s["session_name"] == row["session_name"], "session"]
            session = int(same.iloc[0]) if len(same) else "new"
        if session in ("new", NEW):
            return "new", f"{day}, in a new session {row['session_name']}"
        names = s.loc[s["session"] == session, "session_name"]
        if names.empty:
            raise ValueError(f"{day} has no session {session!r}.")
        return int(session), f"{day}'s {names.iloc[0]}"

    def copy_day(self, day: str, to: str, *, replace: bool = False) -> None:
        """Copy every session of ``day`` onto ``to``: after what ``to`` has, or in its
        place with ``replace=True``.  (The Copy day button asks which.)"""
        if day == to:
            raise ValueError("Choose two different days to copy between.")
        gone = self.plan.day(to)["session_name"].drop_duplicates().tolist() if replace else []
        self._change(self.plan.copy_day(day, to, replace=replace),
                     f"Copied {day} to {to}" + (f" in place of {_and(gone)}." if gone else "."))

    def start_from(self, name: str) -> None:
        plan = load_starter(name, lib=self.lib)
        self.savebar.forget()
        self._clean = plan
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
        self._clean = plan
        self._change(plan, f"Loaded {plan.name}.")

    @property
    def unsaved(self) -> bool:
        """True when the board has edits since the plan was last started, loaded or saved."""
        return not self.plan.is_empty and self.plan != self._clean

    def set_plan(self, plan: Plan) -> None:
        """Put ``plan`` on the board (Undo brings back the one before)."""
        self._change(plan, f"Showing \u201c{plan.name or 'a new plan'}\u201d.")

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
        self._sweep()

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
        week = self.plan.replace(notes="")
        return [("The whole week", week, week)]

    # -- drawing --

    def refresh(self) -> None:
        """Measure the plan once and redraw what changed of the chart on show (the
        others when their tab opens), the board, the checklist and the session menu.

        The chart goes first: it is most of the work, and drawn while the page is
        still idle it is drawn fastest (on a machine of two cores, a page busy with
        the board's new widgets slows the kernel's drawing by half).
        """
        m = self._measures = measure_week(self.plan, lib=self.lib)
        self._effect.show(m)
        # The kernel sends messages from its own I/O thread, which needs the GIL: give
        # it up for a moment so the chart leaves now rather than after the board is
        # drawn (measured: the chart reached the page ~8 ms sooner).
        time.sleep(0)
        self._draw_board()
        self.checklist = checklist_content(self.plan, lib=self.lib, check=m.check)
        self._effect.show_checklist(self.checklist)
        self._undo.disabled = not self._history
        self._list_sessions()

    @property
    def checklist_text(self) -> str:
        """The guidance checklist as read: its headline, then each line."""
        return text_of(self._checklist.value)

    @property
    def status_text(self) -> str:
        """What the status line says after the last change."""
        return text_of(self._status.value)

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
        self._sweep()

    def _box_changed(self, box, where, field: str, value) -> None:
        try:
            self._focus_next = f"bg-dose-{field}"
            self.set_dose(self._row(where), **{field: value or None})
        except ValueError as exc:
            self._say(f"Could not do that: {exc}")

    def _add_picked(self) -> None:
        session = self._session.value
        self.add(self._day.value, self._exercise.value,
                 session="new" if session in (None, NEW) else session,
                 session_name=self._new_name.value.strip() or "New session")

    def _list_sessions(self) -> None:
        options = tuple(session_options(self._measures, self._day.value))
        if self._session.options != options:  # else the menu stays as it is, unsent
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
        """Make ``plan`` the plan on the board, keeping the one before for undo.  An
        exercise the change puts on a day twice is said (the board marks it too)."""
        twice = plan.entries.loc[plan.repeats(), ["day", "exercise"]].drop_duplicates()
        was = self.plan.entries.loc[self.plan.repeats(), ["day", "exercise"]]
        new = twice.merge(was.drop_duplicates(), how="left", indicator=True)
        new = new[new["_merge"] == "left_only"]
        if len(new):
            message += " " + " ".join(
                f"{day} now has {self._exercise_name(ex)} twice." for day, ex in
                zip(new["day"], new["exercise"]))
        self._history.append(self.plan)
        del self._history[:-self.HISTORY]
        self._show(plan, message)

    def _unsaved_first(self, what: str, act) -> None:
        """Do ``act``, which puts another plan on the board; first ask, if the board
        has edits that are not saved."""
        if not self.unsaved:
            self._safely(act)
            return
        self._load_ask.ask(
            f"The changes to \u201c{self.plan.name or 'this plan'}\u201d are not saved. "
            f"Leave them and {what}? (Undo would bring them back.)",
            [(what.capitalize(), "replace-plan", lambda: self._safely(act)),
             ("Save first", "save-first", lambda: self._safely(self.save))])

    def _kept(self) -> None:
        self._say("Nothing changed: the plan on the board is kept.")

    def _copy_picked_day(self) -> None:
        day, to = self._copy_from.value, self._copy_to.value
        there = self.plan.day(to)["session_name"].drop_duplicates().tolist()
        if day == to or self.plan.day(day).empty or not there:
            self.copy_day(day, to)
            return
        self._copy_ask.ask(
            f"{to} already has {_and(there)}. Replace {'it' if len(there) == 1 else 'them'} "
            f"with {day}'s sessions, or add {day}'s after {'it' if len(there) == 1 else 'them'}?",
            [(f"Replace {to}'s", "replace-day",
              lambda: self._safely(lambda: self.copy_day(day, to, replace=True))),
             (f"Add after {to}'s", "add-day", lambda: self._safely(self.copy_day, day, to))])

    def _show(self, plan: Plan, message: str) -> None:
        self.plan = plan
        if self.savebar.name.value != plan.name:
            self.savebar.name.value = plan.name
        self.refresh()
        self._handout_box.refresh()  # a handout made before this change is out of date
        # Last: when the message shows, the page has caught up.  The guidance
        # headline goes with it, for a person who cannot see the checklist.
        headline = self.checklist.headline
        self._say(f"{message} {headline}{'' if headline.endswith('.') else '.'}")
        self._sweep()

    def _was_saved(self, plan: Plan, key: str) -> None:
        self.plan = self._clean = plan
        self._list_saved(key)
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
