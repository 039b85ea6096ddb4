"""The week board: seven day columns of sessions and entries, drawn in place.

A mixin of :class:`~backguide.views.planner.WeekPlanner`: each day's column,
session heading and entry is a widget kept while what it shows is unchanged,
and only its text is changed, so the page keeps its views (ipywidgets makes new
views for a box's children from the first one that is a different widget).
What the board says comes from the content layer (:func:`backguide.content.week_content`).
"""

from __future__ import annotations

import ipywidgets as W

from .. import schema
from ..content import DayLine, week_content
from .builder import dose_boxes
from .render import e, session_heading, text_of


def _day_head(day: DayLine) -> str:
    """A day's column head: its name, and what it holds with its minutes (the sum of
    its sessions' minutes as shown beneath), or that it is a rest day."""
    said = "" if day.rest else f'<div class="bg-day-total">{e(day.summary)}</div>'
    return f"<h4>{e(day.day)}</h4>{said}"


#: The session menus' "a new session".
NEW = -1


def session_options(m, day: str) -> list[tuple[str, int]]:
    """A session menu for ``day`` of measures ``m``: its sessions, then a new one."""
    s = m.sessions[m.sessions["day"] == day]
    return [(str(n), int(i)) for i, n in zip(s["session"], s["session_name"])] + [
        ("A new session", NEW)]


def _entry_text(name: str, dose: str, twice: bool = False) -> str:
    """An entry's text on the board: the exercise's name over its dose; an exercise
    on its day twice is marked, in words."""
    mark = ' <span class="bg-twice">\u26a0 twice this day</span>' if twice else ""
    return f"{e(name)}{mark}<br><small>{e(dose)}</small>"


def _close_tree(widget: W.Widget, keep: set[int]) -> None:
    """Close ``widget``, its children and their own layouts and styles (not those in ``keep``)."""
    for child in getattr(widget, "children", ()):
        _close_tree(child, keep)
    for part in (getattr(widget, "layout", None), getattr(widget, "style", None)):
        if isinstance(part, W.Widget) and id(part) not in keep:
            part.close()
    widget.close()



class BoardView:
    """The board's drawing, for :class:`~backguide.views.planner.WeekPlanner`."""

    def _draw_board(self) -> None:
        """Show the plan on the board, changing only what changed: a day whose column
        reads the same is left alone; a session heading or an entry still at its place
        keeps its widget and has its text changed in place, so the page keeps its views
        of it (ipywidgets makes new views for a box's children from the first one that
        is a different widget).  Widgets that went off the board are closed by
        :meth:`_sweep`."""
        m = self._measures
        t = m.table
        # What the board says comes from the content layer, as the presenter's and the
        # handout's do: the same dose words, and minutes that add up as shown.
        week = self.week = week_content(self.plan, lib=self.lib, table=t)
        lines = {x.row: x for x in week.entries}
        twice = t.duplicated(["day", "exercise"], keep=False).to_numpy()
        rows: dict[str, list] = {day: [] for day in schema.DAYS}
        for i, r in enumerate(t.itertuples(index=False)):
            if r.day in rows:
                rows[r.day].append((r, lines[i].name, lines[i].dose, bool(twice[i])))
        sessions = {d.day: [(x.number, x) for x in d.sessions] for d in week.days}
        shown_entries, shown_heads = {}, {}
        for day in schema.DAYS:
            editing = self._editing if self._editing and self._editing[0] == day else None
            head = _day_head(week.day(day))
            if self._day_heads[day].value != head:
                self._day_heads[day].value = head
            key = (tuple((r.session, r.order, name, words, two)
                         for r, name, words, two in rows[day]),
                   tuple((n, x.name, x.minutes) for n, x in sessions[day]), editing)
            cached = self._columns.get(day)
            if cached is not None and cached[0] == key:
                shown_entries.update((k, self._entries[k]) for k in cached[1])
                shown_heads.update((k, self._heads[k]) for k in cached[2])
                continue
            parts: list[W.Widget] = [self._day_heads[day]]
            if not sessions[day]:
                parts.append(self._rest_days[day])
            entries, heads = [], []
            for number, session in sessions[day]:
                text = session_heading(session)
                head = self._heads.get((day, number))
                if head is None:
                    head = self._heads[day, number] = self._html(text, "bg-session-head")
                head.value = text
                heads.append((day, number))
                parts.append(head)
                for r, name, words, two in rows[day]:
                    if r.session != number:
                        continue
                    where = (day, int(r.session), int(r.order))
                    # The entry being edited is made anew when its dose changes (its boxes
                    # show the dose as it is); any other keeps its place's widget.
                    entry = (where, name, words) if editing == where else where
                    box = self._entries.get(entry)
                    if box is None:
                        box = self._entries[entry] = self._entry_widget(
                            r, _entry_text(name, words, two), where, editing == where)
                    else:
                        label, buttons = box.children[:2]
                        label.value = _entry_text(name, words, two)
                        buttons.children[1].tooltip = f"Remove {name}"
                    entries.append(entry)
                    parts.append(box)
            self._day_cols[day].children = parts
            self._columns[day] = (key, entries, heads)
            shown_entries.update((k, self._entries[k]) for k in entries)
            shown_heads.update((k, self._heads[k]) for k in heads)
        for cache, shown in ((self._entries, shown_entries), (self._heads, shown_heads)):
            self._retired += [w for k, w in cache.items() if k not in shown]
            cache.clear()
            cache.update(shown)

    def board_lines(self) -> dict[str, list[tuple[str, str]]]:
        """The board as a person reads it: for each day, its lines in order, each
        ``("day", "Monday 6 exercises, 27.8 min")``, ``("session", "Walk (20 min)")``,
        ``("entry", "Fast walking 20 min")`` or ``("note", "Rest day")``."""
        days = {}
        for day, column in zip(schema.DAYS, self._board.children):
            lines = [("day", text_of(column.children[0].value))]
            for w in column.children[1:]:
                if "bg-session-head" in w._dom_classes:
                    lines.append(("session", text_of(w.value)))
                elif "bg-board-entry" in w._dom_classes:
                    lines.append(("entry", text_of(w.children[0].value)))
                else:
                    lines.append(("note", text_of(w.value)))
            days[day] = lines
        return days

    def _sweep(self) -> None:
        """Close the widgets that went off the board (after the page has its new board)."""
        shared = {id(w) for w in self._look.values()}
        retired, self._retired = self._retired, []
        for w in retired:
            _close_tree(w, shared)

    def _html(self, value: str, *classes: str) -> W.HTML:
        return W.HTML(value, _dom_classes=classes, layout=self._look["html"],
                      style=self._look["html_style"])

    def _entry_widget(self, r, text: str, where, open_: bool) -> W.Widget:
        name = r.name if r.name else r.exercise
        look = self._look
        label = self._html(text, "bg-entry-text")
        edit = W.Button(description="Edit", icon="pencil", tooltip="Change the dose, move or copy",
                        layout=look["edit"], style=look["button_style"],
                        _dom_classes=("bg-entry-edit",))
        remove = W.Button(icon="trash", tooltip=f"Remove {name}", layout=look["remove"],
                          style=look["button_style"], _dom_classes=("bg-entry-remove",))
        edit.on_click(lambda _b: self._safely(self._toggle_edit, where))
        remove.on_click(lambda _b: self._safely(self.remove, self._row(where)))
        parts = [label, W.HBox([edit, remove], layout=look["box"],
                               _dom_classes=("bg-entry-buttons",))]
        if open_:
            parts.append(self._editor(where, r))
        return W.VBox(parts, layout=look["box"], _dom_classes=(
            ("bg-board-entry", "bg-editing") if open_ else ("bg-board-entry",)))

    def _editor(self, where, r) -> W.VBox:
        """Entry ``where``'s editor: its dose boxes, then move or copy it to a session
        the person chooses on a day they choose (a session of the same name there, if
        the day has one, else a new one, is chosen first).  Opened, it takes the focus
        (its first box); after Enter in a box, the new editor's same box does."""
        boxes = dose_boxes(r, lambda b, f, v: self._box_changed(b, where, f, v))
        day = W.Dropdown(options=list(schema.DAYS), value=where[0], description="to",
                         layout=W.Layout(width="160px"),
                         style={"description_width": "24px"}).add_class("bg-move-day")
        session = W.Dropdown(description="session", layout=W.Layout(width="100%"),
                             style={"description_width": "54px"}).add_class("bg-move-session")

        def sessions(_change=None) -> None:
            options = session_options(self._measures, day.value)
            same = [v for label, v in options if label == r.session_name]
            session.options = options
            session.value = same[0] if same else NEW

        sessions()
        day.observe(sessions, "value")
        move = W.Button(description="Move", icon="arrows",
                        layout=W.Layout(width="76px")).add_class("bg-entry-move")
        copy = W.Button(description="Copy", icon="copy",
                        layout=W.Layout(width="76px")).add_class("bg-entry-copy")
        done = W.Button(description="Done", icon="check",
                        layout=W.Layout(width="auto")).add_class("bg-entry-done")
        target = lambda: "new" if session.value == NEW else session.value  # noqa: E731
        move.on_click(lambda _b: self._safely(
            lambda: self.move(self._row(where), day.value, session=target())))
        copy.on_click(lambda _b: self._safely(
            lambda: self.copy_to(self._row(where), day.value, session=target())))
        done.on_click(lambda _b: self.edit(None))
        # Focus to what just opened: the box the person pressed Enter in (the editor
        # is made anew with the new dose), else the first.
        wanted, self._focus_next = self._focus_next, None
        self._focus.to(next((b for b in boxes if wanted and wanted in b._dom_classes),
                            boxes[0]))
        return W.VBox([*boxes, day, session, W.HBox([move, copy]), done]
                      ).add_class("bg-entry-editor")
