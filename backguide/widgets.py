"""The interactive guide: thin ipywidgets views over the library and planning core.

Three composites, each with a small public API and stable CSS classes
(``bg-...``) for browser tests:

* :class:`Explorer`: filters, a live count, a results table and a detail card.
* :class:`RoutineBuilder`: a routine's exercises, each dose editable, with time.
* :class:`WeekPlanner`: a seven-day board, starter and saved plans, charts and
  the guidance checklist, all updating as the week changes; save, load, undo.

Widgets compute nothing themselves: counts, tables, times, volumes and the
guidance check come from :mod:`backguide.filtering`, :mod:`backguide.week`
and friends.  Anything a callback prints goes to an ``Output`` widget.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import ipywidgets as W
import pandas as pd
import traitlets

from . import charts, schema
from .charts import figure_png
from .errors import BackguideError
from .filtering import filter_exercises
from .library import Library, load_library
from .pictures import picture_img_tag
from .plan import (Entry, Plan, Session, entry_for, load_plan, load_starter, plan_from_dict,
                   save_plan, starter_plans)
from .week import check_guidance, plan_table

ANY = "any"
STATUS_ICON = {"met": "\u2713", "short": "\u2717", "over": "\u2191"}
CSS = """
<style>
.bg-card { border: 1px solid #bbb; border-radius: 6px; padding: 8px 12px; background: #fcfcfc; }
.bg-card h3 { margin: 4px 0; }
.bg-table table { border-collapse: collapse; font-size: 13px; }
.bg-table th, .bg-table td { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: left; }
.bg-safety { border-left: 6px solid #D55E00; background: #fff4ec; padding: 6px 12px; }
.bg-board { display: grid; grid-template-columns: repeat(7, minmax(110px, 1fr)); gap: 6px; }
.bg-day { border: 1px solid #bbb; border-radius: 6px; padding: 4px 6px; font-size: 12px; min-height: 80px; }
.bg-day h4 { margin: 2px 0 4px 0; }
.bg-met { color: #007a5a; } .bg-short { color: #b34700; } .bg-over { color: #0060a0; }
</style>
"""


def _e(text) -> str:
    return html.escape(str(text))


def safety_note() -> W.HTML:
    """The safety message every view opens with."""
    return W.HTML(
        CSS + '<div class="bg-safety"><b>This is a guide, not a diagnosis.</b> Stop any '
        "exercise that makes your pain worse. See a clinician before exercising if you have "
        "any warning sign: new bladder or bowel trouble, numbness around the groin, new leg "
        "weakness, fever, unexplained weight loss, pain after a major fall or accident, or a "
        "history of cancer.</div>").add_class("bg-safety-note")


def red_flags(library: Library | None = None) -> W.HTML:
    """Every warning sign from the guidance table, in full, with its source."""
    lib = _library(library)
    flags = lib.guidance[lib.guidance["topic"] == "red_flag"]
    items = "".join(f"<li>{_e(s)}</li>" for s in flags["statement"])
    sources = ", ".join(_e(lib.sources.at[s, "title"]) for s in sorted(set(flags["source"])))
    return W.HTML(
        CSS + '<div class="bg-safety"><b>See a clinician instead of exercising if you have '
        f"any of these:</b><ul>{items}</ul><small>Source: {sources}.</small></div>"
    ).add_class("bg-red-flags")


def _library(library: Library | None) -> Library:
    return library if library is not None else load_library()


# --- the explorer ------------------------------------------------------------------


class ExplorerModel(traitlets.HasTraits):
    """What the person has asked for; :meth:`results` is the matching table."""

    category = traitlets.Unicode(ANY)
    muscle = traitlets.Unicode(ANY)
    primary_only = traitlets.Bool(False)
    access = traitlets.Tuple(schema.ACCESS)
    equipment = traitlets.Tuple(schema.EQUIPMENT)
    max_difficulty = traitlets.Unicode("hard")
    text = traitlets.Unicode("")
    max_minutes = traitlets.Float(60.0)
    selected = traitlets.Unicode("")

    DEFAULTS = dict(category=ANY, muscle=ANY, primary_only=False, access=schema.ACCESS,
                    equipment=schema.EQUIPMENT, max_difficulty="hard", text="",
                    max_minutes=60.0)

    def __init__(self, exercises: pd.DataFrame, **kwargs):
        super().__init__(**kwargs)
        self.exercises = exercises

    def results(self) -> pd.DataFrame:
        return filter_exercises(
            self.exercises,
            category=None if self.category == ANY else self.category,
            muscle=None if self.muscle == ANY else self.muscle,
            primary_only=self.primary_only,
            access=self.access,
            equipment=self.equipment,
            max_difficulty=self.max_difficulty,
            text=self.text or None,
            max_minutes=None if self.max_minutes >= 60 else self.max_minutes,
        )

    def reset(self) -> None:
        with self.hold_trait_notifications():
            for name, value in self.DEFAULTS.items():
                setattr(self, name, value)


def _checkboxes(options, css: str) -> tuple[W.HBox, dict[str, W.Checkbox]]:
    boxes = {o: W.Checkbox(value=True, description=o, indent=False,
                           layout=W.Layout(width="auto")).add_class(f"{css}-{o}")
             for o in options}
    return W.HBox(list(boxes.values())).add_class(css), boxes


def exercise_card(ex_id: str, library: Library, picture: str | None = None) -> str:
    """HTML detail card: picture, steps, every article's dose, cautions, variants, sources.

    ``picture`` is an ``<img>`` tag (drawn if not given).
    """
    ex, doses, sources = library.exercises, library.doses, library.sources
    if picture is None:
        picture = picture_img_tag(ex_id, library)
    row = ex.loc[ex_id]
    steps = "".join(f"<li>{_e(s)}</li>" for s in row["steps"])
    cautions = "".join(f"<li>{_e(c)}</li>" for c in row["cautions"]) or "<li>None listed.</li>"
    mine = doses[doses["exercise"] == ex_id]
    dose_rows = "".join(
        f"<tr><td>{_e(sources.at[d.source, 'title'] if d.source in sources.index else d.source)}"
        f" <small>({_e(d.source)})</small></td><td>{_e(_dose_words(d))}</td>"
        f"<td><i>\u201c{_e(d.evidence)}\u201d</i></td></tr>"
        for d in mine.itertuples())
    dose_table = (f'<table><tr><th>Article</th><th>Its dose</th><th>In its words</th></tr>'
                  f"{dose_rows}</table>" if dose_rows else "<p>No article gives a dose.</p>")
    easier = ", ".join(_e(ex.at[e, "name"]) for e in row["easier"] if e in ex.index)
    harder = ", ".join(_e(ex.at[e, "name"]) for e in row["harder"] if e in ex.index)
    ladder = ""
    if easier or harder:
        ladder = (f"<p><b>Variants:</b> {easier + ' &larr; ' if easier else ''}"
                  f"<b>{_e(row['name'])}</b>{' &rarr; ' + harder if harder else ''}</p>")
        if row["progression"]:
            ladder += f"<p><i>{_e(row['progression'])}</i></p>"
    cited = ", ".join(_e(sources.at[s, "title"]) if s in sources.index else _e(s)
                      for s in row["sources"])
    start = Entry(ex_id, *(None if pd.isna(row[k]) else row[k]
                           for k in ("sets", "reps", "hold_s", "rest_s")),
                  per_side=bool(row["per_side"]),
                  minutes=None if pd.isna(row["minutes"]) else row["minutes"]).describe()
    muscles = ", ".join(row["primary_muscles"])
    if row["secondary_muscles"]:
        muscles += f" (also {', '.join(row['secondary_muscles'])})"
    return (
        f'<div class="bg-card"><h3>{_e(row["name"])}</h3>{picture}'
        f"<p><b>{_e(row['category'])}</b> &middot; {_e(row['position'])} &middot; "
        f"{_e(row['difficulty'])} <small>({_e(row['difficulty_basis'])})</small><br>"
        f"<b>Works:</b> {_e(muscles)}<br><b>Starting dose:</b> {_e(start)} "
        f"(about {row['session_minutes']:.1f} min)</p>"
        f"<ol>{steps}</ol><p><b>Cautions</b></p><ul>{cautions}</ul>{ladder}"
        f"<p><b>Doses in the articles</b></p>{dose_table}"
        f"<p><small>Sources: {cited}</small></p></div>")


def _dose_words(d) -> str:
    parts = []

    def rng(lo, hi, unit):
        if pd.isna(lo):
            return ""
        return f"{lo:g}{unit}" if lo == hi else f"{lo:g}-{hi:g}{unit}"

    if rng(d.minutes_min, d.minutes_max, ""):
        parts.append(rng(d.minutes_min, d.minutes_max, " min"))
    if rng(d.times_per_week_min, d.times_per_week_max, ""):
        parts.append(rng(d.times_per_week_min, d.times_per_week_max, " times a week"))
    if rng(d.reps_min, d.reps_max, ""):
        one = d.reps_min == d.reps_max == 1
        parts.append(rng(d.reps_min, d.reps_max, " rep" if one else " reps"))
    if rng(d.hold_s_min, d.hold_s_max, ""):
        parts.append("hold " + rng(d.hold_s_min, d.hold_s_max, " s"))
    if rng(d.rest_s_min, d.rest_s_max, ""):
        parts.append("rest " + rng(d.rest_s_min, d.rest_s_max, " s"))
    if d.per_side:
        parts.append("each side")
    words = ", ".join(parts)
    if d.dose_note:
        words = f"{words}. {d.dose_note}" if words else d.dose_note
    return words or "No dose given."


def results_table(results: pd.DataFrame) -> str:
    rows = "".join(
        f"<tr><td>{_e(r.name)}</td><td>{_e(r.category)}</td><td>{_e(r.position)}</td>"
        f"<td>{_e(r.difficulty)}</td><td>{r.session_minutes:.1f}</td></tr>"
        for r in results.itertuples())
    return (CSS + '<div class="bg-table"><table><tr><th>Exercise</th><th>Category</th>'
            "<th>Position</th><th>Difficulty</th><th>Minutes</th></tr>" + rows + "</table></div>")


class Explorer(W.VBox):
    """Find exercises by what hurts, what a person can do and where they can get to.

    ``model`` holds the filters (set its traits, or the controls);
    :attr:`results` is the matching table; :meth:`on_add` registers a
    callback for the "Add to routine" button.
    """

    def __init__(self, library: Library | None = None, **kwargs):
        self.library = _library(library)
        ex = self.library.exercises
        self.model = ExplorerModel(ex)
        self._pictures: dict[str, str] = {}
        self._add_callbacks: list[Callable[[str], None]] = []
        self._category = W.Dropdown(options=[ANY, *schema.CATEGORIES], description="Category")
        self._muscle = W.Dropdown(options=[ANY, *schema.MUSCLES], description="What hurts")
        self._primary = W.Checkbox(description="main muscle only", indent=False)
        self._difficulty = W.ToggleButtons(options=list(schema.DIFFICULTIES),
                                           description="Hardest", value="hard")
        self._search = W.Text(placeholder="search names and steps", description="Search",
                              continuous_update=True)
        self._minutes = W.IntSlider(value=60, min=1, max=60, description="Max minutes",
                                    continuous_update=False, style={"description_width": "initial"})
        access_box, self._access = _checkboxes(schema.ACCESS, "bg-access")
        equip = [e for e in schema.EQUIPMENT if e != "none"]
        equip_box, self._equipment = _checkboxes(equip, "bg-equipment")
        self._count = W.HTML().add_class("bg-count")
        self._table = W.HTML().add_class("bg-results")
        self._empty = W.VBox().add_class("bg-empty")
        self._clear = W.Button(description="Clear filters", icon="undo").add_class("bg-clear")
        self._pick = W.Dropdown(description="Details for", layout=W.Layout(width="420px"))
        self._add = W.Button(description="Add to routine", icon="plus",
                             button_style="success").add_class("bg-add")
        self._detail = W.HTML().add_class("bg-detail")
        self.output = W.Output().add_class("bg-log")

        for control, name in ((self._category, "category"), (self._muscle, "muscle"),
                              (self._primary, "primary_only"), (self._difficulty, "max_difficulty"),
                              (self._search, "text")):
            traitlets.link((control, "value"), (self.model, name))
        traitlets.dlink((self._minutes, "value"), (self.model, "max_minutes"), float)
        traitlets.dlink((self.model, "max_minutes"), (self._minutes, "value"), int)
        self._category.add_class("bg-category")
        self._muscle.add_class("bg-muscle")
        self._search.add_class("bg-search")
        self._difficulty.add_class("bg-difficulty")
        self._minutes.add_class("bg-minutes")
        self._pick.add_class("bg-pick")
        for boxes, name in ((self._access, "access"), (self._equipment, "equipment")):
            for box in boxes.values():
                box.observe(lambda _c, b=boxes, n=name: self._boxes_changed(b, n), "value")
        self.model.observe(self._model_changed, names=list(ExplorerModel.DEFAULTS))
        self.model.observe(self._selected_changed, names="selected")
        self._pick.observe(lambda c: setattr(self.model, "selected", c["new"] or ""), "value")
        self._clear.on_click(lambda _b: self.model.reset())
        self._add.on_click(lambda _b: self._added())

        filters = W.VBox([
            W.HBox([self._category, self._muscle, self._primary]),
            W.HBox([W.Label("I can get to:"), access_box]),
            W.HBox([W.Label("I have:"), equip_box]),
            self._difficulty, W.HBox([self._search, self._minutes]),
        ]).add_class("bg-filters")
        super().__init__([safety_note(), filters, self._count, self._empty, self._table,
                          W.HBox([self._pick, self._add]), self._detail, self.output], **kwargs)
        self.add_class("bg-explorer")
        self.refresh()

    @property
    def results(self) -> pd.DataFrame:
        return self._results

    def on_add(self, callback: Callable[[str], None]) -> None:
        """Call ``callback(exercise_id)`` when "Add to routine" is pressed."""
        self._add_callbacks.append(callback)

    def _boxes_changed(self, boxes: dict[str, W.Checkbox], name: str) -> None:
        chosen = tuple(k for k, b in boxes.items() if b.value)
        if name == "equipment":
            chosen = ("none", *chosen)
        setattr(self.model, name, chosen)

    def _model_changed(self, change=None) -> None:
        for boxes, name in ((self._access, "access"), (self._equipment, "equipment")):
            wanted = set(getattr(self.model, name))
            for key, box in boxes.items():
                box.value = key in wanted
        self.refresh()

    def refresh(self) -> None:
        """Recompute the results and redraw count, table and picker."""
        try:
            self._results = self.model.results()
        except ValueError as exc:
            with self.output:
                print(exc)
            return
        n, total = len(self._results), len(self.model.exercises)
        # The table first: it is what a person is waiting for.
        self._table.value = results_table(self._results) if n else ""
        self._count.value = f"<b>{n} of {total}</b> exercises match"
        if n == 0:
            self._empty.children = [
                W.HTML("<p>No exercise matches all of these filters. Try fewer filters, "
                       "or start again.</p>"), self._clear]
        elif self._empty.children:
            self._empty.children = []
        options = [(name, ex_id) for ex_id, name in self._results["name"].items()]
        keep = self.model.selected if self.model.selected in self._results.index else None
        self._pick.options = options
        self._pick.value = keep or (options[0][1] if options else None)
        self.model.selected = self._pick.value or ""
        self._show_detail()

    def _selected_changed(self, change) -> None:
        if change["new"] and change["new"] in self._results.index:
            self._pick.value = change["new"]
        self._show_detail()

    def _show_detail(self) -> None:
        ex_id = self.model.selected
        if ex_id != getattr(self, "_shown", None):
            if ex_id and ex_id not in self._pictures:
                self._pictures[ex_id] = picture_img_tag(ex_id, self.library)
            self._detail.value = (exercise_card(ex_id, self.library, self._pictures[ex_id])
                                  if ex_id else "")
            self._shown = ex_id
        self._add.disabled = not ex_id

    def _added(self) -> None:
        if self.model.selected:
            for callback in self._add_callbacks:
                callback(self.model.selected)


# --- the routine builder -------------------------------------------------------------


class RoutineBuilder(W.VBox):
    """Assemble a routine: add, edit each dose, reorder, remove; live session time.

    ``session`` is the :class:`~backguide.plan.Session` being built.
    """

    FIELDS = ("sets", "reps", "hold_s", "rest_s", "minutes")
    LABELS = {"sets": "sets", "reps": "reps", "hold_s": "hold s", "rest_s": "rest s",
              "minutes": "min"}

    def __init__(self, library: Library | None = None, session: Session | None = None,
                 **kwargs):
        self.library = _library(library)
        self.session = session if session is not None else Session("My routine")
        self._name = W.Text(value=self.session.name, description="Routine").add_class("bg-routine-name")
        self._name.observe(lambda c: setattr(self.session, "name", c["new"]), "value")
        self._time = W.HTML().add_class("bg-session-time")
        self._rows = W.VBox().add_class("bg-routine")
        self.output = W.Output()
        self._changed: list[Callable[[], None]] = []
        super().__init__([W.HBox([self._name, self._time]), self._rows, self.output], **kwargs)
        self.add_class("bg-builder")
        self._render()

    @property
    def minutes(self) -> float:
        return self.session.minutes

    def on_change(self, callback: Callable[[], None]) -> None:
        self._changed.append(callback)

    def add(self, exercise: str, source: str = "default") -> Entry:
        entry = entry_for(exercise, self.library.exercises, self.library.doses, source=source)
        self.session.entries.append(entry)
        self._render()
        return entry

    def remove(self, index: int) -> None:
        del self.session.entries[index]
        self._render()

    def move(self, index: int, by: int) -> None:
        """Move entry ``index`` by ``by`` places (negative is earlier)."""
        entries = self.session.entries
        to = min(max(index + by, 0), len(entries) - 1)
        if to != index:
            entries.insert(to, entries.pop(index))
            self._render()

    def set_dose(self, index: int, **dose) -> None:
        self.session.entries[index] = self.session.entries[index].with_dose(**dose)
        self._update_time()

    def set_source(self, index: int, source: str) -> None:
        old = self.session.entries[index]
        self.session.entries[index] = entry_for(old.exercise, self.library.exercises,
                                                self.library.doses, source=source)
        self._render()

    def _source_picked(self, index: int, source: str) -> None:
        # "custom" and "progressed" name edited doses, not a dose to load.
        if source not in ("custom", "progressed"):
            self.set_source(index, source)

    def _update_time(self) -> None:
        n = len(self.session.entries)
        self._time.value = (f"<b>{n} exercise{'s' if n != 1 else ''}, about "
                            f"{self.session.minutes:.1f} minutes</b>")
        for callback in self._changed:
            callback()

    def _render(self) -> None:
        ex, doses = self.library.exercises, self.library.doses
        rows = []
        for i, e in enumerate(self.session.entries):
            sources = ["default", *sorted(set(doses.loc[doses["exercise"] == e.exercise, "source"]))]
            if e.dose_source not in sources:
                sources.append(e.dose_source)
            pick = W.Dropdown(options=sources, value=e.dose_source, description="dose from",
                              layout=W.Layout(width="210px")).add_class("bg-dose-source")
            pick.observe(lambda c, i=i: self._source_picked(i, c["new"]), "value")
            timed = bool(e.minutes)
            fields = ("minutes",) if timed else ("sets", "reps", "hold_s", "rest_s")
            boxes = []
            for f in fields:
                v = getattr(e, f)
                box = W.BoundedFloatText(value=0.0 if v is None else v, min=0, max=600,
                                         description=self.LABELS[f],
                                         layout=W.Layout(width="130px"),
                                         style={"description_width": "48px"})
                box.add_class(f"bg-dose-{f}")
                box.observe(lambda c, i=i, f=f: self.set_dose(i, **{f: c["new"] or None}), "value")
                boxes.append(box)
            buttons = []
            for icon, tip, action, css in (("arrow-up", "Move up", lambda _b, i=i: self.move(i, -1), "bg-up"),
                                           ("arrow-down", "Move down", lambda _b, i=i: self.move(i, 1), "bg-down"),
                                           ("trash", "Remove", lambda _b, i=i: self.remove(i), "bg-remove")):
                b = W.Button(icon=icon, tooltip=tip, layout=W.Layout(width="36px")).add_class(css)
                b.on_click(action)
                buttons.append(b)
            side = " each side" if e.per_side else ""
            label = W.HTML(f"<b>{i + 1}. {_e(ex.at[e.exercise, 'name'])}</b>{side}",
                           layout=W.Layout(width="230px"))
            rows.append(W.HBox([label, *boxes, pick, *buttons]).add_class("bg-entry"))
        if not rows:
            rows = [W.HTML("<i>No exercises yet: pick one above and press Add to routine.</i>")]
        self._rows.children = rows
        self._update_time()


# --- the week planner ------------------------------------------------------------------


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "plan"


def checklist_html(check: pd.DataFrame) -> str:
    items = "".join(
        f'<li class="bg-{r.status}"><b>{STATUS_ICON[r.status]} {_e(r.status)}</b> '
        f"{_e(r.message)} <small>({_e(r.source)})</small></li>"
        for r in check.itertuples())
    met = int((check["status"] == "met").sum())
    return (CSS + f'<div class="bg-card"><b>Guidance: {met} of {len(check)} met</b>'
            f"<ul>{items}</ul></div>")


def board_html(plan: Plan, exercises: pd.DataFrame) -> str:
    days = []
    for day in schema.DAYS:
        sessions = []
        for s in plan.days[day]:
            items = "".join(f"<li>{_e(exercises.at[e.exercise, 'name'] if e.exercise in exercises.index else e.exercise)}"
                            f" <small>{_e(e.describe())}</small></li>" for e in s.entries)
            sessions.append(f"<b>{_e(s.name)}</b> <small>({s.minutes:.0f} min)</small>"
                            f"<ul style='padding-left:16px;margin:2px 0'>{items}</ul>")
        body = "".join(sessions) or "<i>rest day</i>"
        days.append(f'<div class="bg-day" data-day="{day}"><h4>{day}</h4>{body}</div>')
    return CSS + '<div class="bg-board">' + "".join(days) + "</div>"


class WeekPlanner(W.VBox):
    """Plan a week visually against the guidance.

    ``plan`` is the :class:`~backguide.plan.Plan` on the board.  Public
    methods change it and redraw: :meth:`add`, :meth:`add_routine`,
    :meth:`remove`, :meth:`start_from`, :meth:`save`, :meth:`load`,
    :meth:`undo`.  Plans save as JSON files in ``folder``.
    """

    CHARTS = ("The week", "By kind of exercise", "Muscles")

    def __init__(self, library: Library | None = None, plan: Plan | None = None,
                 folder: str | Path = "saved_plans", routine: RoutineBuilder | None = None,
                 **kwargs):
        self.library = _library(library)
        self.plan = plan if plan is not None else Plan("My week")
        self.folder = Path(folder)
        self.routine = routine
        self._history: list[dict] = []
        ex = self.library.exercises
        self._starter = W.Dropdown(options=starter_plans(), description="Starter plan").add_class("bg-starter")
        self._start = W.Button(description="Start from it", icon="play").add_class("bg-start")
        self._name = W.Text(value=self.plan.name, description="Plan name").add_class("bg-plan-name")
        self._save = W.Button(description="Save", icon="save", button_style="primary").add_class("bg-save")
        self._saved = W.Dropdown(description="Saved plans").add_class("bg-saved")
        self._load = W.Button(description="Load", icon="folder-open").add_class("bg-load")
        self._undo = W.Button(description="Undo", icon="undo").add_class("bg-undo")
        self._handout = W.Button(description="Handout", icon="print").add_class("bg-make-handout")
        self._exercise = W.Dropdown(options=sorted((n, i) for i, n in ex["name"].items()),
                                    description="Exercise").add_class("bg-exercise")
        self._day = W.Dropdown(options=list(schema.DAYS), description="Day").add_class("bg-day-pick")
        self._add = W.Button(description="Add to day", icon="plus",
                             button_style="success").add_class("bg-add-day")
        self._add_routine = W.Button(description="Put my routine on this day",
                                     icon="calendar-plus").add_class("bg-add-routine")
        self._add_routine.layout.display = "" if routine is not None else "none"
        self._entry = W.Dropdown(description="Remove", layout=W.Layout(width="420px")).add_class("bg-entry-pick")
        self._remove = W.Button(description="Remove", icon="trash").add_class("bg-remove-entry")
        self._status = W.HTML().add_class("bg-status")
        self._board = W.HTML().add_class("bg-week-board")
        self._images = [W.Image(format="png").add_class(f"bg-chart-{i}") for i in range(3)]
        self._tabs = W.Tab(children=self._images, titles=self.CHARTS).add_class("bg-charts")
        self._checklist = W.HTML().add_class("bg-checklist")
        self.output = W.Output().add_class("bg-log")
        self._stale = set(range(3))

        self._start.on_click(lambda _b: self._safely(self.start_from, self._starter.value))
        self._save.on_click(lambda _b: self._safely(self.save, self._name.value))
        self._load.on_click(lambda _b: self._safely(self.load, self._saved.value))
        self._undo.on_click(lambda _b: self._safely(self.undo))
        self._handout.on_click(lambda _b: self._safely(self.handout))
        self._add.on_click(lambda _b: self._safely(self.add, self._day.value, self._exercise.value))
        self._add_routine.on_click(lambda _b: self._safely(self._put_routine))
        self._remove.on_click(lambda _b: self._safely(self._remove_picked))
        self._name.observe(lambda c: setattr(self.plan, "name", c["new"]), "value")
        self._tabs.observe(lambda _c: self._draw_charts(), "selected_index")

        super().__init__([
            safety_note(),
            W.HBox([self._starter, self._start, self._undo, self._handout]),
            W.HBox([self._name, self._save, self._saved, self._load]),
            W.HBox([self._exercise, self._day, self._add, self._add_routine]),
            W.HBox([self._entry, self._remove]),
            self._status, self._board, self._tabs, self._checklist, self.output,
        ], **kwargs)
        self.add_class("bg-planner")
        self._list_saved()
        self.refresh()

    # -- public API --

    def add(self, day: str, exercise: str, source: str = "default") -> None:
        self._remember()
        self.plan.add(day, exercise, self.library.exercises, self.library.doses, source=source)
        self._say(f"Added {self.library.exercises.at[exercise, 'name']} to {day}.")
        self.refresh()

    def add_routine(self, day: str, session: Session) -> None:
        self._remember()
        self.plan.add_session(day, Session(session.name, list(session.entries)))
        self._say(f"Put {session.name} on {day}.")
        self.refresh()

    def remove(self, day: str, session: int, index: int) -> None:
        self._remember()
        entries = self.plan.days[day][session].entries
        gone = entries.pop(index)
        if not entries:
            del self.plan.days[day][session]
        self._say(f"Removed {self.library.exercises.at[gone.exercise, 'name']} from {day}.")
        self.refresh()

    def start_from(self, name: str) -> None:
        self._remember()
        self.plan = load_starter(name, self.library.exercises)
        self._name.value = self.plan.name
        self._say(f"Started from the starter plan {self.plan.name}.")
        self.refresh()

    def save(self, name: str | None = None) -> Path:
        if name:
            self.plan.name = name
        self.folder.mkdir(parents=True, exist_ok=True)
        path = save_plan(self.plan, self.folder / f"{_slug(self.plan.name)}.json")
        self._list_saved()
        self._saved.value = path.stem
        self._say(f"Saved as {path}.")
        return path

    def load(self, name: str) -> None:
        if not name:
            raise ValueError("There is no saved plan to load yet.")
        plan = load_plan(self.folder / f"{name}.json", self.library.exercises)
        self._remember()
        self.plan = plan
        self._name.value = plan.name
        self._say(f"Loaded {plan.name}.")
        self.refresh()

    def undo(self) -> None:
        if not self._history:
            self._say("Nothing to undo.")
            return
        self.plan = plan_from_dict(self._history.pop(), self.library.exercises)
        self._name.value = self.plan.name
        self._say("Undid the last change.")
        self.refresh()

    def handout(self) -> tuple[Path, Path]:
        """Write the plan's handout (PDF and HTML) into ``folder/handouts``."""
        from .handout import handout

        paths = handout(self.plan, self.folder / "handouts" / _slug(self.plan.name), self.library)
        self._say(f"Handout written: {paths[0]} and {paths[1].name}.")
        return paths

    @property
    def check(self) -> pd.DataFrame:
        return self._check

    # -- drawing --

    def refresh(self) -> None:
        ex = self.library.exercises
        self._board.value = board_html(self.plan, ex)
        self._check = check_guidance(self.plan, ex, self.library.guidance)
        self._checklist.value = checklist_html(self._check)
        t = plan_table(self.plan, ex)
        self._entry.options = [
            (f"{r.day} \u00b7 {r.session_name} \u00b7 {r.name}", (str(r.day), r.session, r.order))
            for r in t.itertuples()]
        self._entry.value = self._entry.options[0][1] if self._entry.options else None
        self._undo.disabled = not self._history
        self._stale = set(range(3))
        self._draw_charts()

    def _draw_charts(self) -> None:
        i = self._tabs.selected_index or 0
        if i not in self._stale:
            return
        ex, g, plan = self.library.exercises, self.library.guidance, self.plan
        draw = (lambda ax: charts.plot_week(plan, ex, g, ax=ax),
                lambda ax: charts.plot_category_days(plan, ex, g, ax=ax),
                lambda ax: charts.plot_muscle_volume(plan, ex, ax=ax))[i]
        self._images[i].value = figure_png(draw, size=(8.5, 4.6) if i != 2 else (8.5, 5.2))
        self._stale.discard(i)

    # -- helpers --

    def _remember(self) -> None:
        self._history.append(self.plan.to_dict())
        del self._history[:-50]

    def _say(self, text: str) -> None:
        self._status.value = f"<i>{_e(text)}</i>"

    def _safely(self, action, *args) -> None:
        try:
            action(*args)
        except (BackguideError, ValueError, OSError) as exc:
            self._say(f"Could not do that: {exc}")
            with self.output:
                print(exc)

    def _list_saved(self) -> None:
        names = sorted(p.stem for p in self.folder.glob("*.json")) if self.folder.is_dir() else []
        self._saved.options = names

    def _put_routine(self) -> None:
        if self.routine is None or not self.routine.session.entries:
            raise ValueError("The routine is empty: add exercises to it first.")
        self.add_routine(self._day.value, self.routine.session)

    def _remove_picked(self) -> None:
        if self._entry.value is None:
            raise ValueError("Nothing to remove.")
        self.remove(*self._entry.value)

