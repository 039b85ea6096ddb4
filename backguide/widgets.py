"""The interactive guide: thin ipywidgets views over the library and planning core.

Three composites, each with a small public API and stable CSS classes
(``bg-...``) for browser tests:

* :class:`Explorer`: filters, a live count, a results table and a detail card.
* :class:`RoutineBuilder`: a routine's exercises, each dose editable, with time.
* :class:`WeekPlanner`: a seven-day board, starter and saved plans, charts and
  the guidance checklist, all updating as the week changes; save, load, undo.

Each takes ``lib`` (a :class:`~backguide.library.Library`; ``None`` is the
shipped one).  Widgets compute nothing themselves: counts, tables, times,
volumes and the guidance check come from :mod:`backguide.filtering`,
:mod:`backguide.measures` and friends, and a plan is a
:class:`~backguide.plan.Plan` that every edit replaces with a new one.
Anything a callback prints goes to an ``Output`` widget.
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
from .dose import given, shown_minutes
from .errors import BackguideError
from .filtering import filter_exercises
from .library import Library, resolve
from .measures import WeekMeasures, measure_week, met_count, session_minutes
from .pictures import picture_img_tag
from .plan import (Plan, describe_dose, describe_entries, load_plan, load_starter, save_plan,
                   starter_plans)
from .schema import DOSE_LIMITS

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


# --- minutes, shown ------------------------------------------------------------------


# --- safety --------------------------------------------------------------------------


def safety_note() -> W.HTML:
    """The safety message every view opens with."""
    return W.HTML(
        CSS + '<div class="bg-safety"><b>This is a guide, not a diagnosis.</b> Stop any '
        "exercise that makes your pain worse. See a clinician before exercising if you have "
        "any warning sign: new bladder or bowel trouble, numbness around the groin, new leg "
        "weakness, fever, unexplained weight loss, pain after a major fall or accident, or a "
        "history of cancer.</div>").add_class("bg-safety-note")


def red_flags(lib: Library | None = None) -> W.HTML:
    """Every warning sign from the guidance table, in full, with its source."""
    lib = resolve(lib)
    flags = lib.guidance[lib.guidance["topic"] == "red_flag"]
    items = "".join(f"<li>{_e(s)}</li>" for s in flags["statement"])
    sources = ", ".join(_e(lib.sources.at[s, "title"]) for s in sorted(set(flags["source"])))
    return W.HTML(
        CSS + '<div class="bg-safety"><b>See a clinician instead of exercising if you have '
        f"any of these:</b><ul>{items}</ul><small>Source: {sources}.</small></div>"
    ).add_class("bg-red-flags")


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

    def __init__(self, *, lib: Library | None = None, **kwargs):
        super().__init__(**kwargs)
        self.lib = resolve(lib)

    @property
    def exercises(self) -> pd.DataFrame:
        return self.lib.exercises

    def results(self) -> pd.DataFrame:
        return filter_exercises(
            lib=self.lib,
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


def exercise_card(ex_id: str, lib: Library | None = None, picture: str | None = None) -> str:
    """HTML detail card: picture, steps, every article's dose, cautions, variants, sources.

    ``picture`` is an ``<img>`` tag (drawn if not given).
    """
    lib = resolve(lib)
    ex, doses, sources = lib.exercises, lib.doses, lib.sources
    if picture is None:
        picture = picture_img_tag(ex_id, lib=lib)
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
    start = describe_dose(row["sets"], row["reps"], row["hold_s"], row["rest_s"],
                          bool(row["per_side"]), row["minutes"])
    muscles = ", ".join(row["primary_muscles"])
    if row["secondary_muscles"]:
        muscles += f" (also {', '.join(row['secondary_muscles'])})"
    return (
        f'<div class="bg-card"><h3>{_e(row["name"])}</h3>{picture}'
        f"<p><b>{_e(row['category'])}</b> &middot; {_e(row['position'])} &middot; "
        f"{_e(row['difficulty'])} <small>({_e(row['difficulty_basis'])})</small><br>"
        f"<b>Works:</b> {_e(muscles)}<br><b>Starting dose:</b> {_e(start)} "
        f"(about {shown_minutes(row['session_minutes'])} min)</p>"
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


def results_frame(results: pd.DataFrame) -> pd.DataFrame:
    """The explorer's results table as a DataFrame: what it shows, as it shows it.

    One row per exercise of ``results`` (rows of ``lib.exercises``), indexed
    by id, with ``Exercise``, ``Category``, ``Position``, ``Difficulty`` and
    ``Minutes`` (the starting dose's time, by :func:`shown_minutes`).  The
    notebooks display this same table.
    """
    return pd.DataFrame({
        "Exercise": results["name"].astype("str"),
        "Category": results["category"].astype("str"),
        "Position": results["position"].astype("str"),
        "Difficulty": results["difficulty"].astype("str"),
        "Minutes": shown_minutes(results["session_minutes"]),
    }, index=results.index)


def results_table(results: pd.DataFrame) -> str:
    """The explorer's results table as HTML (:func:`results_frame`, drawn)."""
    frame = results_frame(results)
    rows = "".join("<tr>" + "".join(f"<td>{_e(v)}</td>" for v in r) + "</tr>"
                   for r in frame.itertuples(index=False))
    head = "".join(f"<th>{_e(c)}</th>" for c in frame.columns)
    return (CSS + f'<div class="bg-table"><table><tr>{head}</tr>' + rows + "</table></div>")


class Explorer(W.VBox):
    """Find exercises by what hurts, what a person can do and where they can get to.

    ``model`` holds the filters (set its traits, or the controls);
    :attr:`results` is the matching table; :meth:`on_add` registers a
    callback for the "Add to routine" button.
    """

    def __init__(self, *, lib: Library | None = None, **kwargs):
        self.lib = resolve(lib)
        self.model = ExplorerModel(lib=self.lib)
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
    def library(self) -> Library:
        return self.lib

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
        n, total = len(self._results), len(self.lib.exercises)
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
                self._pictures[ex_id] = picture_img_tag(ex_id, lib=self.lib)
            self._detail.value = (exercise_card(ex_id, self.lib, self._pictures[ex_id])
                                  if ex_id else "")
            self._shown = ex_id
        self._add.disabled = not ex_id

    def _added(self) -> None:
        if self.model.selected:
            for callback in self._add_callbacks:
                callback(self.model.selected)


# --- the routine builder -------------------------------------------------------------


class DoseBox(W.BoundedFloatText):
    """A dose field's box, bounded by :data:`backguide.schema.DOSE_LIMITS`.

    The browser keeps a typed number within ``min`` and ``max``.  A value set
    from Python is not quietly clamped: it reaches the builder, whose plan
    refuses anything outside the limits (and says why), so no dose the plan
    file would refuse is ever stored.
    """

    def _validate_value(self, proposal):  # replaces the clamping validator
        return proposal["value"]


class RoutineBuilder(W.VBox):
    """Assemble a routine: add, edit each dose, reorder, remove; live session time.

    ``plan`` is the routine as a :class:`~backguide.plan.Plan`: one session on
    :attr:`DAY`, named after the routine (``name``).  Every edit replaces
    ``plan`` with the edited plan.  Entries are numbered from 0 in order.
    """

    DAY = "Monday"
    FIELDS = ("sets", "reps", "hold_s", "rest_s", "minutes")
    LABELS = {"sets": "sets", "reps": "reps", "hold_s": "hold s", "rest_s": "rest s",
              "minutes": "min"}

    def __init__(self, *, lib: Library | None = None, plan: Plan | None = None,
                 name: str | None = None, **kwargs):
        self.lib = resolve(lib)
        if plan is None:
            plan = Plan(name=name or "My routine")
        if name is None:
            names = plan.entries["session_name"]
            name = names.iloc[0] if len(names) else plan.name
        self.plan = plan
        self._name = W.Text(value=name, description="Routine").add_class("bg-routine-name")
        self._name.observe(lambda c: self._renamed(c["new"]), "value")
        self._time = W.HTML().add_class("bg-session-time")
        self._status = W.HTML().add_class("bg-routine-status")
        self._rows = W.VBox().add_class("bg-routine")
        self.output = W.Output()
        self._changed: list[Callable[[], None]] = []
        self._quiet = False
        super().__init__([W.HBox([self._name, self._time]), self._status, self._rows,
                          self.output], **kwargs)
        self.add_class("bg-builder")
        self._render()

    # -- reading --

    @property
    def library(self) -> Library:
        return self.lib

    @property
    def name(self) -> str:
        """The routine's name: its session's name when it goes on a day."""
        return self._name.value

    @property
    def entries(self) -> pd.DataFrame:
        return self.plan.entries

    @property
    def minutes(self) -> float:
        """The routine's length, by :func:`backguide.session_minutes`."""
        return float(session_minutes(self.plan, lib=self.lib)["minutes"].sum())

    def on_change(self, callback: Callable[[], None]) -> None:
        self._changed.append(callback)

    # -- edits: each replaces ``plan`` --

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
        plan = self.plan.replace(name=name)
        if not plan.is_empty:
            plan = plan.rename_session(self.DAY, 0, name)
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
        self._status.value = f"<i>{_e(text)}</i>" if text else ""

    # -- drawing --

    def _update_time(self) -> None:
        n = len(self.plan.entries)
        self._time.value = (f"<b>{n} exercise{'s' if n != 1 else ''}, about "
                            f"{shown_minutes(self.minutes)} minutes</b>")
        for callback in self._changed:
            callback()

    def _render(self) -> None:
        ex, doses = self.lib.exercises, self.lib.doses
        rows = []
        for i, e in enumerate(self.plan.entries.itertuples(index=False)):
            sources = ["default", *sorted(set(doses.loc[doses["exercise"] == e.exercise, "source"]))]
            if e.dose_source not in sources:
                sources.append(e.dose_source)
            pick = W.Dropdown(options=sources, value=e.dose_source, description="dose from",
                              layout=W.Layout(width="210px")).add_class("bg-dose-source")
            pick.observe(lambda c, i=i: self._source_picked(i, c["new"]), "value")
            timed = given(e.minutes) > 0
            fields = ("minutes",) if timed else ("sets", "reps", "hold_s", "rest_s")
            boxes = []
            for f in fields:
                v = getattr(e, f)
                box = DoseBox(value=given(v), min=0, max=DOSE_LIMITS[f],
                              description=self.LABELS[f], layout=W.Layout(width="130px"),
                              style={"description_width": "48px"})
                box.add_class(f"bg-dose-{f}")
                box.observe(lambda c, b=box, i=i, f=f: self._box_changed(b, i, f, c["new"]),
                            "value")
                boxes.append(box)
            buttons = []
            for icon, tip, action, css in (("arrow-up", "Move up", lambda _b, i=i: self.move(i, -1), "bg-up"),
                                           ("arrow-down", "Move down", lambda _b, i=i: self.move(i, 1), "bg-down"),
                                           ("trash", "Remove", lambda _b, i=i: self.remove(i), "bg-remove")):
                b = W.Button(icon=icon, tooltip=tip, layout=W.Layout(width="36px")).add_class(css)
                b.on_click(action)
                buttons.append(b)
            side = " each side" if e.per_side else ""
            name = ex.at[e.exercise, "name"] if e.exercise in ex.index else e.exercise
            label = W.HTML(f"<b>{i + 1}. {_e(name)}</b>{side}", layout=W.Layout(width="230px"))
            rows.append(W.HBox([label, *boxes, pick, *buttons]).add_class("bg-entry"))
        if not rows:
            rows = [W.HTML("<i>No exercises yet: pick one above and press Add to routine.</i>")]
        self._rows.children = rows
        self._say("")
        self._update_time()


# --- the week planner ------------------------------------------------------------------


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "plan"


def checklist_html(check: pd.DataFrame) -> str:
    """The guidance checklist: one line per check, citing every source behind it."""
    items = "".join(
        f'<li class="bg-{r.status}"><b>{STATUS_ICON[r.status]} {_e(r.status)}</b> '
        f"{_e(r.message)} <small>({_e(r.source)})</small></li>"
        for r in check.itertuples())
    met, total = met_count(check)
    return (CSS + f'<div class="bg-card"><b>Guidance: {met} of {total} met</b>'
            f"<ul>{items}</ul></div>")


def board_html(m: WeekMeasures) -> str:
    """The seven-day board from a week's measures: each session with its minutes
    (:func:`backguide.session_minutes`) and each entry with its dose in words."""
    t = m.table
    names = t["name"].where(t["name"] != "", t["exercise"]).to_numpy(dtype=object)
    doses = describe_entries(t).to_numpy(dtype=object)
    day, session = t["day"].astype(str).to_numpy(), t["session"].to_numpy()
    items: dict[tuple[str, int], list[str]] = {}
    for d, s, n, dose in zip(day, session, names, doses):
        items.setdefault((d, int(s)), []).append(f"<li>{_e(n)} <small>{_e(dose)}</small></li>")
    sessions: dict[str, list[str]] = {d: [] for d in schema.DAYS}
    for r in m.sessions.itertuples(index=False):
        d = str(r.day)
        entries = "".join(items[(d, int(r.session))])
        sessions[d].append(
            f"<b>{_e(r.session_name)}</b> <small>({shown_minutes(r.minutes, 0)} min)</small>"
            f"<ul style='padding-left:16px;margin:2px 0'>{entries}</ul>")
    days = [f'<div class="bg-day" data-day="{d}"><h4>{d}</h4>'
            f'{"".join(sessions[d]) or "<i>rest day</i>"}</div>' for d in schema.DAYS]
    return CSS + '<div class="bg-board">' + "".join(days) + "</div>"


CHART_LAYOUT = charts.CHART_LAYOUT  # each chart tab's figure size and margins


class WeekPlanner(W.VBox):
    """Plan a week visually against the guidance.

    ``plan`` is the :class:`~backguide.plan.Plan` on the board; every action
    replaces it with the edited plan, and :meth:`undo` brings back the one
    before.  Public methods change it and redraw: :meth:`add`,
    :meth:`add_routine`, :meth:`remove`, :meth:`start_from`, :meth:`save`,
    :meth:`load`, :meth:`undo`.  Plans save as JSON files in ``folder``.
    """

    CHARTS = ("The week", "By kind of exercise", "Muscles")
    HISTORY = 50

    def __init__(self, *, lib: Library | None = None, plan: Plan | None = None,
                 folder: str | Path = "saved_plans", routine: RoutineBuilder | None = None,
                 **kwargs):
        self.lib = resolve(lib)
        self.plan = plan if plan is not None else Plan(name="My week")
        self.folder = Path(folder)
        self.routine = routine
        self._history: list[Plan] = []
        ex = self.lib.exercises
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
        self._name.observe(lambda c: self._renamed(c["new"]), "value")
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

    def add(self, day: str, exercise: str, source: str = "default") -> None:
        self._change(self.plan.add(day, exercise, source=source, lib=self.lib),
                     f"Added {self._exercise_name(exercise)} to {day}.")

    def add_routine(self, day: str, name: str, entries: pd.DataFrame) -> None:
        """Put a routine's ``entries`` on ``day`` as a new session called ``name``."""
        self._change(self.plan.add_session(day, name, entries), f"Put {name} on {day}.")

    def remove(self, index: int) -> None:
        """Take out entry ``index`` (its row number in ``plan.entries``)."""
        row = self.plan.entries.iloc[index] if 0 <= index < len(self.plan.entries) else None
        plan = self.plan.remove(index)  # raises for a row that is not there
        self._change(plan, f"Removed {self._exercise_name(row['exercise'])} from {row['day']}.")

    def start_from(self, name: str) -> None:
        plan = load_starter(name, lib=self.lib)
        self._change(plan, f"Started from the starter plan {plan.name}.")

    def save(self, name: str | None = None) -> Path:
        if name and name != self.plan.name:
            self.plan = self.plan.replace(name=name)
        self.folder.mkdir(parents=True, exist_ok=True)
        path = save_plan(self.plan, self.folder / f"{_slug(self.plan.name)}.json")
        self._list_saved()
        self._saved.value = path.stem
        self._say(f"Saved as {path}.")
        return path

    def load(self, name: str) -> None:
        if not name:
            raise ValueError("There is no saved plan to load yet.")
        plan = load_plan(self.folder / f"{name}.json", lib=self.lib)
        self._change(plan, f"Loaded {plan.name}.")

    def undo(self) -> None:
        if not self._history:
            self._say("Nothing to undo.")
            return
        self._show(self._history.pop(), "Undid the last change.")

    def handout(self) -> tuple[Path, Path]:
        """Write the plan's handout (PDF and HTML) into ``folder/handouts``."""
        from .handout import handout

        paths = handout(self.plan, self.folder / "handouts" / _slug(self.plan.name),
                        lib=self.lib)
        self._say(f"Handout written: {paths[0]} and {paths[1].name}.")
        return paths

    # -- drawing --

    def refresh(self) -> None:
        """Measure the plan once and redraw board, checklist, remove list and charts."""
        m = self._measures = measure_week(self.plan, lib=self.lib)
        self._board.value = board_html(m)
        self._checklist.value = checklist_html(m.check)
        t = m.table
        names = t["name"].where(t["name"] != "", t["exercise"])
        self._entry.options = [
            (f"{d} \u00b7 {s} \u00b7 {n}", i)
            for i, (d, s, n) in enumerate(zip(t["day"].astype(str), t["session_name"], names))]
        self._entry.value = 0 if len(t) else None
        self._undo.disabled = not self._history
        self._stale = set(range(3))
        self._draw_charts()

    def _draw_charts(self) -> None:
        i = self._tabs.selected_index or 0
        if i not in self._stale:
            return
        m = self._measures
        draw = (lambda ax: charts.plot_week(m.days, ax=ax),
                lambda ax: charts.plot_category_days(m.kinds, ax=ax),
                lambda ax: charts.plot_muscle_volume(m.muscles, ax=ax))[i]
        size, margins = CHART_LAYOUT[i]
        self._images[i].value = figure_png(draw, size=size, **margins)
        self._stale.discard(i)

    # -- helpers --

    def _change(self, plan: Plan, message: str) -> None:
        """Make ``plan`` the plan on the board, keeping the one before for undo."""
        self._history.append(self.plan)
        del self._history[:-self.HISTORY]
        self._show(plan, message)

    def _show(self, plan: Plan, message: str) -> None:
        self.plan = plan
        if self._name.value != plan.name:
            self._name.value = plan.name
        self._say(message)
        self.refresh()

    def _renamed(self, name: str) -> None:
        if name != self.plan.name:
            self.plan = self.plan.replace(name=name)

    def _exercise_name(self, exercise: str) -> str:
        ex = self.lib.exercises
        return ex.at[exercise, "name"] if exercise in ex.index else exercise

    def _say(self, text: str) -> None:
        self._status.value = f"<i>{_e(text)}</i>"

    def _safely(self, action, *args) -> None:
        try:
            action(*args)
        except (BackguideError, ValueError, IndexError, OSError) as exc:
            self._say(f"Could not do that: {exc}")
            with self.output:
                print(exc)

    def _list_saved(self) -> None:
        names = sorted(p.stem for p in self.folder.glob("*.json")) if self.folder.is_dir() else []
        keep = self._saved.value
        self._saved.options = names
        # Show a plan, not an empty box: the one chosen before, else the first.
        self._saved.value = keep if keep in names else (names[0] if names else None)

    def _put_routine(self) -> None:
        if self.routine is None or self.routine.plan.is_empty:
            raise ValueError("The routine is empty: add exercises to it first.")
        self.add_routine(self._day.value, self.routine.name, self.routine.plan.entries)

    def _remove_picked(self) -> None:
        if self._entry.value is None:
            raise ValueError("Nothing to remove.")
        self.remove(self._entry.value)
