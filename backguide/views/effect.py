"""The planner's effect panel: the guidance headline, the chart on show and the
checklist, kept in view at the foot of the window while the board is edited.

At 1366x768 the board and its chart were two screens apart: a change and its
effect could not be seen together.  The panel is sticky to the bottom of the
page (``.bg-effect`` in ``static/views.css``), so whatever part of the board
a person edits, the chart and the headline stay in view under it; scrolled
past, it sits in its own place above the handout.

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
from .render import checklist_html

#: How many recent charts (their SVG, by the table each draws) the panel keeps.
CHART_MEMORY = 24


class WeekEffect(W.HBox):
    """The tabs of charts and the checklist, side by side, sticky at the page's foot."""

    CHARTS = ("The week", "By kind of exercise", "Muscles")

    def __init__(self):
        self.charts = [W.HTML().add_class("bg-chart").add_class(f"bg-chart-{i}")
                       for i in range(3)]
        self.tabs = W.Tab(children=self.charts, titles=self.CHARTS,
                          layout=W.Layout(flex="0 1 auto", min_width="624px")
                          ).add_class("bg-charts")
        self.checklist = W.HTML(layout=W.Layout(flex="1 1 360px")).add_class("bg-checklist")
        self._measures: WeekMeasures | None = None
        self._stale: set[int] = set(range(3))
        self._svgs: dict[tuple, str] = {}
        self.tabs.observe(lambda _c: self.draw_chart(), "selected_index")
        super().__init__([self.tabs, self.checklist],
                         layout=W.Layout(flex_flow="row wrap", width="100%"))
        self.add_class("bg-effect")

    def show(self, measures: WeekMeasures) -> None:
        """A new plan's measures: its chart on show is drawn now, the others when opened."""
        self._measures = measures
        self._stale = set(range(3))
        self.draw_chart()

    def show_checklist(self, checklist: Checklist) -> None:
        self.checklist.value = checklist_html(checklist)

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
