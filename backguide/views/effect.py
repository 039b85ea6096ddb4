"""The planner's effect panel: the guidance headline, the chart on show and the
checklist, a drawer at the foot of the window while the board is edited.

At 1366x768 the board and its chart were two screens apart, so the panel was
made sticky at the window's foot; but at its full height (about 395 px) it then
covered the "Add to the week" controls and most of the board.  Now it is a
drawer (``.bg-effect`` in ``static/views.css``):

* folded, only its first line shows at the foot: the guidance headline
  ("Guidance: 9 of 11 met"), the first line not yet met and *Show charts*;
* open, when the person asks (*Show charts*) or while an entry's editor is open
  on the board, the chart on show and the checklist stay in view at the foot,
  as tall as the week's chart at full size and no taller (the checklist and the
  muscles' chart scroll in that height);
* scrolled to, it sits whole in its own place above the handout.

Charts are drawn only for the tab on show, and remembered by the table they
draw: a chart whose table is unchanged (or back after an undo) is not drawn again.
"""

from __future__ import annotations

import hashlib
import pickle

import ipywidgets as W

from .. import charts
from ..content import Checklist
from ..measures import WeekMeasures
from .render import checklist_html, e, text_of

#: How many recent charts (their SVG, by the table each draws) the panel keeps.
CHART_MEMORY = 24

def fold_line_html(checklist: Checklist) -> str:
    """The drawer's first line: the checklist's headline, then the first of its lines
    not met (a shortfall or an order to fix before one more than advised) and how
    many more there are; all of it the checklist's own words."""
    rank = {"short": 0, "order": 0, "over": 1}
    todo = sorted((x for x in checklist.lines if x.status in rank),
                  key=lambda x: rank[x.status])
    line = ""
    if todo:
        x = todo[0]
        more = f" And {len(todo) - 1} more." if len(todo) > 1 else ""
        line = (f'<span class="bg-effect-todo bg-{x.status}"><b>{x.mark} {e(x.label)}</b> '
                f"{e(x.message)}{more}</span>")
    head = f'<b class="bg-met-count">{e(checklist.headline)}</b>'
    # The line is cut to the window's width; its whole text is its tooltip.
    return (f'<span class="bg-effect-line" title="{e(text_of(head + " " + line))}">'
            f"{head}{line}</span>")


class WeekEffect(W.VBox):
    """The drawer at the page's foot: its first line (the guidance headline, what is not
    yet met and *Show charts*) over the tabs of charts and the checklist, side by side."""

    CHARTS = ("The week", "By kind of exercise", "Muscles")

    def __init__(self):
        self.charts = [W.HTML().add_class("bg-chart").add_class(f"bg-chart-{i}")
                       for i in range(3)]
        self.tabs = W.Tab(children=self.charts, titles=self.CHARTS).add_class("bg-charts")
        self.checklist = W.HTML(layout=W.Layout(flex="1 1 360px")).add_class("bg-checklist")
        self.line = W.HTML().add_class("bg-effect-headline")
        self.toggle = W.ToggleButton(description="Show charts", icon="chart-bar",
                                     tooltip="Keep the charts and the checklist in view "
                                             "under the board").add_class("bg-effect-toggle")
        self._measures: WeekMeasures | None = None
        self._stale: set[int] = set(range(3))
        self._svgs: dict[tuple, str] = {}
        self.tabs.observe(lambda _c: self.draw_chart(), "selected_index")
        self.toggle.observe(lambda c: self.keep_open(c["new"]), "value")
        super().__init__([
            W.HBox([self.line, self.toggle]).add_class("bg-effect-bar"),
            W.HBox([self.tabs, self.checklist],
                   layout=W.Layout(flex_flow="row wrap")).add_class("bg-effect-body"),
        ], layout=W.Layout(width="100%"))
        self.add_class("bg-effect")

    @property
    def kept_open(self) -> bool:
        """Whether the person asked for the charts to stay in view (*Show charts*)."""
        return self.toggle.value

    def keep_open(self, value: bool = True) -> None:
        """Keep the charts and the checklist in view at the foot (``False``: fold them
        to their first line; they open anyway while an entry's editor is open)."""
        self.toggle.value = bool(value)
        self.toggle.description = "Hide charts" if value else "Show charts"
        (self.add_class if value else self.remove_class)("bg-effect-open")

    def show(self, measures: WeekMeasures) -> None:
        """A new plan's measures: its chart on show is drawn now, the others when opened."""
        self._measures = measures
        self._stale = set(range(3))
        self.draw_chart()

    def show_checklist(self, checklist: Checklist) -> None:
        self.checklist.value = checklist_html(checklist)
        self.line.value = fold_line_html(checklist)

    def draw_chart(self) -> None:
        """Draw the chart whose tab is open, if the plan changed since it was drawn."""
        i = self.tabs.selected_index or 0
        if i not in self._stale or self._measures is None:
            return
        self.charts[i].value = self.chart_svg(i)
        self._stale.discard(i)

    def chart_svg(self, i: int) -> str:
        """Chart ``i`` of the measures, drawn only if its table is new to this panel."""
        m = self._measures
        table = (m.days, m.kinds, m.muscles)[i]
        key = (i, hashlib.sha256(pickle.dumps((table, table.attrs), protocol=5)).digest())
        svg = self._svgs.pop(key, None)
        if svg is None:
            draw = (charts.plot_week, charts.plot_category_days, charts.plot_muscle_volume)[i]
            size, margins = charts.CHART_LAYOUT[i]
            svg = charts.figure_svg(lambda ax: draw(table, ax=ax), size=size, **margins)
        self._svgs[key] = svg  # the most recent last
        while len(self._svgs) > CHART_MEMORY:
            del self._svgs[next(iter(self._svgs))]
        return svg
