"""The explorer: find exercises by what hurts, what a person can do and where they can get to."""

from __future__ import annotations

import re
from collections.abc import Callable

import ipywidgets as W
import pandas as pd
import traitlets
from IPython.display import HTML, display

from .. import schema
from ..content import exercise_labels
from ..filtering import without_dose
from ..words import count
from ..library import Library, resolve
from ..pictures import animation_html
from .explorer_model import (CATEGORY_LABELS, MINUTE_CHOICES, MUSCLE_LABELS, ExplorerModel,
                             _menu_minutes)
from .results import ResultsTable
from .render import (CSS, card_picture, e, exercise_card, results_frame,
                     request_html, safety_note_html, text_of)

def _checkboxes(options, css: str) -> tuple[W.HBox, dict[str, W.Checkbox]]:
    boxes = {o: W.Checkbox(value=True, description=o, indent=False,
                           layout=W.Layout(width="auto")).add_class(
                               f"{css}-{re.sub(r'[^A-Za-z0-9_-]+', '-', o)}")  # "foam roll"
             for o in options}
    # Wrapped: a library may add many kinds of equipment (17 for free-exercise-db).
    return W.HBox(list(boxes.values()), layout=W.Layout(flex_flow="row wrap")
                  ).add_class(css), boxes


class Explorer(W.VBox):
    """Find exercises by what hurts, what a person can do and where they can get to.

    ``model`` holds the filters (set its traits, or the controls);
    :attr:`results` is the matching table.  With a ``routine`` (a
    :class:`~backguide.views.RoutineBuilder`) the explorer offers "Add to my
    routine" and "Make me a routine of about N minutes" from what the filters
    show; without one it offers neither.  ``safety`` shows the short safety
    note at the top (its warning signs folded beneath it, or, with
    ``safety="short"``, pointing to a full list elsewhere on the page).
    """

    def __init__(self, *, lib: Library | None = None, routine=None,
                 safety: bool | str = True, **kwargs):
        self.lib = resolve(lib)
        self.routine = routine
        self.model = ExplorerModel(lib=self.lib)
        self._labels = exercise_labels(lib=self.lib)  # a shared name says its source
        self._drawn = set(self.lib.poses["exercise"]) if len(self.lib.poses) else set()
        self._pictures: dict[str, str] = {}
        self._add_callbacks: list[Callable[[str], None]] = []
        self._category = W.Dropdown(options=CATEGORY_LABELS, description="Kind")
        self._muscle = W.Dropdown(options=MUSCLE_LABELS, description="What hurts")
        self._primary = W.Checkbox(description="main muscle only", indent=False)
        self._difficulty = W.ToggleButtons(options=[(d.capitalize(), d) for d in schema.DIFFICULTIES],
                                           description="Up to", value="hard")
        self._search = W.Text(placeholder="e.g. stiff, lower back, hips, chair",
                              description="Search", continuous_update=True,
                              layout=W.Layout(width="360px"))
        # A menu, not a slider: its name is read out, and each step is a time people use.
        self._minutes = W.Dropdown(options=MINUTE_CHOICES, value=60.0,
                                   description="Each exercise up to",
                                   style={"description_width": "initial"},
                                   layout=W.Layout(width="290px"))
        access_box, self._access = _checkboxes(schema.ACCESS, "bg-access")
        equip = [x for x in self.model.kinds if x != "none"]
        equip_box, self._equipment = _checkboxes(equip, "bg-equipment")
        self._count = W.HTML().add_class("bg-count")
        # What the filters hide for want of a position or a dose, said, with a way back.
        self._unknown_note = W.HTML().add_class("bg-unknown-note")
        self._show_unknown = W.Checkbox(description="Show those whose position is not given",
                                        indent=False, layout=W.Layout(width="auto")
                                        ).add_class("bg-show-unknown")
        self._show_unknown.observe(
            lambda c: setattr(self.model, "show_unknown_position", c["new"]), "value")
        self._unknowns = W.HBox([self._unknown_note, self._show_unknown],
                                layout=W.Layout(flex_flow="row wrap", align_items="center")
                                ).add_class("bg-unknowns")
        self._advice = W.HTML().add_class("bg-search-advice")
        self._chips = W.HBox(layout=W.Layout(flex_flow="row wrap")).add_class("bg-chips")
        self._offer = W.HBox().add_class("bg-offer")
        self._table = ResultsTable().add_class("bg-results")
        self._table.observe(lambda c: c["new"] and self.select(c["new"]), "selected")
        self._empty = W.VBox().add_class("bg-empty")
        self._clear = W.Button(description="Clear filters", icon="undo").add_class("bg-clear")
        self._pick = W.Dropdown(description="Details for", layout=W.Layout(width="420px"))
        self._detail = W.HTML().add_class("bg-detail")
        self._play = W.Button(description="Play the movement", icon="play").add_class("bg-play")
        self._movement = W.Output().add_class("bg-movement")
        self.output = W.Output().add_class("bg-log")

        for control, name in ((self._category, "category"), (self._muscle, "muscle"),
                              (self._primary, "primary_only"), (self._difficulty, "max_difficulty"),
                              (self._search, "text")):
            traitlets.link((control, "value"), (self.model, name))
        traitlets.dlink((self._minutes, "value"), (self.model, "max_minutes"), float)
        traitlets.dlink((self.model, "max_minutes"), (self._minutes, "value"), _menu_minutes)
        for w, css in ((self._category, "bg-category"), (self._muscle, "bg-muscle"),
                       (self._search, "bg-search"), (self._difficulty, "bg-difficulty"),
                       (self._minutes, "bg-minutes"), (self._pick, "bg-pick")):
            w.add_class(css)
        for boxes, name in ((self._access, "access"), (self._equipment, "equipment")):
            for box in boxes.values():
                box.observe(lambda _c, b=boxes, n=name: self._boxes_changed(b, n), "value")
        self.model.observe(self._model_changed, names=list(ExplorerModel.DEFAULTS))
        self.model.observe(self._selected_changed, names="selected")
        self._pick.observe(lambda c: setattr(self.model, "selected", c["new"] or ""), "value")
        self._clear.on_click(lambda _b: self.model.reset())
        self._play.on_click(lambda _b: self.play())

        filters = W.VBox([
            W.HBox([self._muscle, self._primary, self._category]),
            # The labels keep their width when a library's many kinds of equipment wrap.
            W.HBox([W.Label("I can get to:", layout=W.Layout(flex="0 0 auto")), access_box]),
            W.HBox([W.Label("I have:", layout=W.Layout(flex="0 0 auto")), equip_box]),
            W.HBox([self._difficulty]),
            W.HBox([self._search, self._minutes]),
        ]).add_class("bg-filters")
        pick_row = [self._pick, self._play]
        make_row = []
        if routine is not None:
            self._add = W.Button(description="Add to my routine", icon="plus",
                                 button_style="success").add_class("bg-add")
            self._add.on_click(lambda _b: self._added())
            self._target = W.BoundedIntText(value=10, min=1, max=90, description="About",
                                            layout=W.Layout(width="140px"),
                                            style={"description_width": "48px"}
                                            ).add_class("bg-target-minutes")
            self._make = W.Button(description="Make me a routine", icon="magic",
                                  button_style="info",
                                  layout=W.Layout(width="200px")).add_class("bg-make-routine")
            self._make.on_click(lambda _b: self.make_routine(self._target.value))
            self._add_note = W.HTML().add_class("bg-add-note")
            pick_row += [self._add]
            make_row = [W.HBox([self._make, self._target,
                                W.HTML("minutes, from the exercises listed")]
                               ).add_class("bg-make-row")]
        top = [W.HTML(CSS + safety_note_html(lib=self.lib, signs=safety is True))] if safety else [
            W.HTML(CSS)]
        routine_part = [routine] if routine is not None else []
        # The list beside the chosen exercise's card, so that choosing one shows
        # its card without scrolling past every row (they stack when narrow).
        self._table.layout = W.Layout(flex="1 1 480px", min_width="0")
        card = W.VBox([W.HBox(pick_row, layout=W.Layout(flex_flow="row wrap")),
                       *([self._add_note] if routine is not None else []),
                       self._movement, self._detail], layout=W.Layout(flex="1 1 560px"))
        super().__init__([*top, filters, self._count, self._unknowns, self._chips,
                          self._advice, self._offer,
                          *make_row,
                          *routine_part, self._empty,
                          W.HBox([self._table, card], layout=W.Layout(flex_flow="row wrap",
                                                                     width="100%")),
                          self.output], **kwargs)
        self.add_class("bg-explorer")
        self.add_class("bg-view")
        self.refresh()

    @property
    def library(self) -> Library:
        return self.lib

    # -- what the page shows, for tests and notebooks --

    @property
    def count_text(self) -> str:
        """The live count as read: "12 of 39 exercises match"."""
        return text_of(self._count.value)

    @property
    def table(self) -> pd.DataFrame:
        """The results table as shown (:func:`~backguide.views.render.results_frame`)."""
        return results_frame(self._results, self._labels)

    @property
    def card_text(self) -> str:
        """The chosen exercise's card as read ("" when none is chosen)."""
        return text_of(self._detail.value)

    @property
    def advice_text(self) -> str:
        """What the search understood, and any advice, as read."""
        return text_of(self._advice.value)

    @property
    def note_text(self) -> str:
        """What the last "Add to my routine" said."""
        return text_of(self._add_note.value) if self.routine is not None else ""

    def search(self, words: str) -> None:
        """Type ``words`` into the search box."""
        self._search.value = words

    def select(self, exercise: str) -> None:
        """Open ``exercise``'s card, as choosing its row (or it in the list) does."""
        self._pick.value = exercise

    def click_row(self, exercise: str) -> None:
        """Click ``exercise``'s row in the results table."""
        self._table.click(exercise)

    def add_selected(self) -> None:
        """Press "Add to my routine" for the chosen exercise."""
        if self.routine is None:
            raise ValueError("This explorer has no routine to add to.")
        self._add.click()

    @property
    def results(self) -> pd.DataFrame:
        return self._results

    def on_add(self, callback: Callable[[str], None]) -> None:
        """Also call ``callback(exercise_id)`` when "Add to my routine" is pressed."""
        self._add_callbacks.append(callback)

    def make_routine(self, minutes: float):
        """Make the routine a suggested one of about ``minutes`` from the results shown."""
        from ..suggest import suggest_routine

        if self.routine is None:
            raise ValueError("This explorer has no routine to make.")
        made = suggest_routine(self._results, minutes, lib=self.lib, name=self.routine.name)
        self.routine.set_plan(made.plan, note=made.note)
        return made

    def play(self) -> None:
        """Play the chosen exercise's movement (drawn on demand: it takes a moment)."""
        ex_id = self.model.selected
        self._movement.clear_output()
        if not ex_id:
            return
        with self._movement:
            display(HTML(f"<b>The movement of {e(self.lib.exercises.at[ex_id, 'name'])}</b>"
                         + animation_html(ex_id, lib=self.lib)))
        self._played = ex_id

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
        """Recompute the results and redraw count, advice, table and picker."""
        try:
            self._results = self.model.results()
        except ValueError as exc:
            with self.output:
                print(exc)
            return
        n, total = len(self._results), len(self.lib.exercises)
        # The table first: it is what a person is waiting for.
        self._table.show(self._results, self._labels)
        self._count.value = f"<b>{n} of {total}</b> exercises match"
        self._say_unknowns()
        self._advice.value = self._advice_html()
        if n == 0:
            self._empty.children = [
                W.HTML("<p>No exercise matches all of these filters. Try fewer filters, "
                       "or start again.</p>"), self._clear]
        elif self._empty.children:
            self._empty.children = []
        labels = self._labels
        options = [(labels[ex_id], ex_id) for ex_id in self._results.index]
        keep = self.model.selected if self.model.selected in self._results.index else None
        self._refreshing = True  # new results start at the table's first page
        try:
            self._pick.options = options
            self._pick.value = keep or (options[0][1] if options else None)
        finally:
            self._refreshing = False
        self.model.selected = self._pick.value or ""
        self._table.selected = self.model.selected
        self._show_detail()

    def _say_unknowns(self) -> None:
        places, undosed = self.model.hidden_for_unknowns(self._results)
        showing = self.model.show_unknown_position
        said = []
        if places:
            are = "is" if places == 1 else "are"
            said.append(f"{count(places, 'exercise')} whose position is not given {are} "
                        + ("shown too: check each card before you try one." if showing else
                           "hidden by \u201cI can get to\u201d."))
        if undosed:
            said.append(without_dose(undosed, lib=self.lib))
        self._unknown_note.value = " ".join(f"<i>{e(s)}</i>" for s in said)
        self._show_unknown.description = (f"Show the {places} whose position is not given"
                                          if places else "Show those whose position is not given")
        self._show_unknown.layout.display = "" if places or showing else "none"
        if self._show_unknown.value != showing:
            self._show_unknown.value = showing
        self._unknowns.layout.display = "" if said or showing else "none"

    def _advice_html(self) -> str:
        if not self.model.text.strip():
            self._chips.children = self._offer.children = ()
            return ""
        from ..search import read_request

        whole = read_request(self.model.text, lib=self.lib)
        req = whole.without(*self.model.removed) if self.model.removed else whole
        chips = []
        for i, part in enumerate(whole.parts):
            if i in self.model.removed or not whole.covered:
                continue
            chip = W.Button(description=f"{part.label} \u2715",
                            tooltip=f"Stop using: {part.label}",
                            layout=W.Layout(width="auto")).add_class("bg-chip")
            chip.on_click(lambda _b, i=i: self.remove_part(i))
            chips.append(chip)
        self._chips.children = chips
        self._offer.children = self._offer_for(req.minutes)
        return request_html(req)

    def _offer_for(self, minutes) -> tuple:
        """ "I have 10 minutes" is about the session: offer a routine of that length."""
        if not minutes:
            return ()
        n = int(round(minutes))
        if self.routine is None:
            return (W.HTML(f"<p>{n} minutes is the length of a whole session, not of each "
                           "exercise: every exercise is listed. <b>Build a routine</b> makes "
                           f"one of about {n} minutes from them.</p>"),)
        offer = W.Button(description=f"Make me a routine of about {n} minutes", icon="magic",
                         button_style="primary", layout=W.Layout(width="auto")
                         ).add_class("bg-make-from-search")
        offer.on_click(lambda _b: self.make_routine(n))
        return (offer,)

    def remove_part(self, index: int) -> None:
        """Take one part of what the search understood away (its chip's \u2715)."""
        self.model.removed = tuple(sorted({*self.model.removed, index}))

    @property
    def chips(self) -> tuple[str, ...]:
        """The labels of the search's chips shown, each with its \u2715."""
        return tuple(c.description.removesuffix(" \u2715") for c in self._chips.children)

    @property
    def offer_text(self) -> str:
        """What the page offers for a time typed ("Make me a routine of about 10 minutes")."""
        return " ".join(getattr(w, "description", "") or text_of(getattr(w, "value", ""))
                        for w in self._offer.children)

    def _selected_changed(self, change) -> None:
        if change["new"] and change["new"] in self._results.index:
            self._pick.value = change["new"]
            self._table.selected = change["new"]
            if not getattr(self, "_refreshing", False):  # chosen from the menu: show its row
                self._table.show_row(change["new"])
        self._show_detail()

    def _show_detail(self) -> None:
        ex_id = self.model.selected
        if ex_id != getattr(self, "_shown", None):
            if ex_id and ex_id not in self._pictures:
                self._pictures[ex_id] = card_picture(ex_id, lib=self.lib)
            self._detail.value = (exercise_card(ex_id, lib=self.lib, picture=self._pictures[ex_id])
                                  if ex_id else "")
            self._shown = ex_id
            if getattr(self, "_played", None) != ex_id:
                self._movement.clear_output()
        # An exercise without drawn positions (an imported one) has no movement to play.
        self._play.disabled = not ex_id or ex_id not in self._drawn
        if self.routine is not None:
            self._add.disabled = not ex_id
            if getattr(self, "_noted", None) != ex_id:
                self._add_note.value = ""

    def _added(self) -> None:
        ex_id = self.model.selected
        if not ex_id:
            return
        self.routine.add(ex_id)
        for callback in self._add_callbacks:
            callback(ex_id)
        r = self.routine
        self._noted = ex_id
        self._add_note.value = (
            f"<b>Added {e(self.lib.exercises.at[ex_id, 'name'])} to your routine</b>: "
            f"{e(r.summary())}.")
