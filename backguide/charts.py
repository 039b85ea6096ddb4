"""Charts of a week against the guidance.

Each chart draws one table from :mod:`backguide.measures` and computes
nothing of its own: what is on the chart is what is in the table.  Each
function takes an optional matplotlib ``ax`` and returns it; without
one it makes its own :class:`~matplotlib.figure.Figure` (not through pyplot,
so nothing global changes).  Colours are the Okabe-Ito palette, which
colour-blind readers can tell apart, and status is always written in words
as well as shown in colour.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .dose import shown_minutes
from .schema import CATEGORIES, MUSCLES, SPINE_MUSCLES

CATEGORY_COLORS = {
    "mobility": "#E69F00",   # orange
    "stretch": "#56B4E9",    # sky blue
    "strength": "#009E73",   # bluish green
    "aerobic": "#D55E00",    # vermillion
    "mind-body": "#CC79A7",  # reddish purple
}
STATUS_COLORS = {"met": "#009E73", "short": "#D55E00", "over": "#0072B2"}
STATUS_MARKS = {"met": "\u2713 met", "short": "\u2717 short", "over": "\u2191 over"}
BAND_COLOR = "#DDDDDD"
EMPTY_HINT = "Nothing planned yet: add exercises to a day"


def _axes(ax: Axes | None, size=(7.5, 4.5), **margins) -> Axes:
    """The axes to draw on: ``ax``, or a new figure's.

    New figures get fixed margins rather than a layout engine: the charts'
    labels are known, and a layout engine costs a third of the drawing time.
    """
    if ax is not None:
        return ax
    fig = Figure(figsize=size)
    fig.subplots_adjust(**{"left": 0.09, "right": 0.97, "top": 0.92, "bottom": 0.12, **margins})
    return fig.add_subplot()


def chart_figure(size=(7.5, 4.2), **margins) -> Figure:
    """A figure for one chart, with fixed margins (``margins`` override them)."""
    fig = Figure(figsize=size)
    fig.subplots_adjust(**{"left": 0.1, "right": 0.8, "top": 0.9, "bottom": 0.2, **margins})
    return fig


def figure_png(draw, size=(7.5, 4.2), dpi: int = 72, **margins) -> bytes:
    """PNG bytes of one chart drawn by ``draw(ax)`` on a fresh figure.

    ``margins`` (``left``, ``right``, ``top``, ``bottom``, as fractions of
    the figure) override the defaults, for a chart whose labels need more
    room (the muscle chart's names need ``left=0.3``).
    """
    fig = chart_figure(size, **margins)
    draw(fig.add_subplot())
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def _hint(ax: Axes, text: str = EMPTY_HINT) -> None:
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center",
            fontsize=11, color="#555555",
            bbox=dict(boxstyle="round,pad=0.5", fc="white", ec="#999999"))


def plot_category_days(kinds: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Chart 1: days a week by kind of exercise, against the guidance's band.

    Draws :func:`backguide.measures.category_summary`.  Grey bands are the
    targets (stretching 2+ days, daily best; strengthening 2+ days; aerobic
    sessions of 20+ minutes 3-4 times); each bar is marked met, short or over.
    """
    ax = _axes(ax, bottom=0.2)
    s = kinds
    x = np.arange(len(s))
    ax.bar(x, s["high"] - s["low"], bottom=s["low"], width=0.8, color=BAND_COLOR,
           zorder=0, label="target range")
    colors = [CATEGORY_COLORS[k] for k in s["kind"]]
    ax.bar(x, s["value"], width=0.45, color=colors, edgecolor="black", linewidth=0.6, zorder=2)
    for xi, row in zip(x, s.itertuples()):
        ax.text(xi, row.value + 0.15, f"{row.value:.0f}\n{STATUS_MARKS[row.status]}",
                ha="center", va="bottom", fontsize=9, fontweight="bold",
                color=STATUS_COLORS[row.status], zorder=3)
    ax.set_xticks(x, [f"{r.label}\n{shown_minutes(r.minutes, 0)} min/week\n(target: {r.sources})"
                      for r in s.itertuples()], fontsize=8.5)
    ax.set_ylim(0, 8.6)
    ax.set_yticks(range(8))
    ax.set_ylabel("Days (aerobic: sessions) per week")
    ax.set_title("This week by kind of exercise, against the guidance")
    ax.legend(loc="upper right", fontsize=8, frameon=False)
    ax.grid(axis="y", color="#EEEEEE", zorder=-1)
    ax.set_axisbelow(True)
    if not (s["minutes"] > 0).any():
        _hint(ax)
    return ax


def plot_muscle_volume(muscles: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Chart 2: weekly minutes by muscle group, primary and secondary apart.

    Draws :func:`backguide.measures.muscle_minutes`.  Secondary muscles
    count at half their minutes (hatched).  The four groups that hold up
    the spine are named in bold and flagged in vermillion when the week
    does not work them at all.
    """
    ax = _axes(ax, size=(7.5, 5.2), left=0.3, right=0.96)
    by = muscles.reindex(index=list(MUSCLES), columns=["primary", "secondary"]).fillna(0.0)
    y = np.arange(len(MUSCLES))[::-1]
    ax.barh(y, by["primary"], color="#0072B2", edgecolor="black", linewidth=0.5,
            label="primary muscle")
    ax.barh(y, by["secondary"], left=by["primary"], color="#9ECAE9", edgecolor="black",
            linewidth=0.5, hatch="//", label="secondary muscle (counts half)")
    missing = {m for m in SPINE_MUSCLES if by.loc[m].sum() == 0}
    ax.set_yticks(y, [f"{m} (not worked)" if m in missing else m for m in MUSCLES])
    for label, muscle in zip(ax.get_yticklabels(), MUSCLES):
        if muscle in SPINE_MUSCLES:
            label.set_fontweight("bold")
            label.set_color(STATUS_COLORS["short"] if muscle in missing else "black")
    total = (by["primary"] + by["secondary"]).max()
    ax.set_xlim(0, max(10.0, total * 1.1))
    ax.set_xlabel("Minutes per week")
    ax.set_title("Weekly volume by muscle group\n(bold: the muscles that support the spine)",
                 fontsize=11)
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(axis="x", color="#EEEEEE")
    ax.set_axisbelow(True)
    if not total > 0:
        _hint(ax)
    return ax


def plot_week(days: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Chart 3: the week at a glance, minutes per day by category.

    Draws :func:`backguide.measures.day_minutes`.  The dashed line is the
    aerobic session target from the guidance (``days.attrs["threshold"]``);
    a day whose aerobic session reaches it is marked with a check.
    """
    ax = _axes(ax, size=(8, 4.2), right=0.82)
    per = days.reindex(columns=list(CATEGORIES)).fillna(0.0)
    empty = not per.to_numpy().any()
    x = np.arange(len(per))
    bottom = np.zeros(len(per))
    # Aerobic at the foot of each bar, so it reads straight off the target line.
    for cat in ("aerobic", *(c for c in CATEGORIES if c != "aerobic")):
        if per[cat].sum() > 0 or empty:
            ax.bar(x, per[cat], bottom=bottom, color=CATEGORY_COLORS[cat], edgecolor="black",
                   linewidth=0.5, label=cat, width=0.7)
            bottom += per[cat].to_numpy()
    line = float(days.attrs.get("threshold", 20.0))
    ax.axhline(line, color="black", linestyle="--", linewidth=1)
    ax.text(len(per) - 0.55, line, f"{line:.0f}-min aerobic session", va="bottom", ha="right",
            fontsize=8)
    for xi, good in zip(x, days["aerobic_met"]):
        if good:
            ax.text(xi, bottom[xi] + 0.5, "\u2713 aerobic", ha="center", va="bottom",
                    fontsize=8, color=STATUS_COLORS["met"], fontweight="bold")
    ax.set_xticks(x, [str(d)[:3] for d in per.index])
    ax.set_ylim(0, max(line * 1.6, bottom.max() * 1.2))
    ax.set_ylabel("Minutes")
    ax.set_title("The week at a glance")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    ax.grid(axis="y", color="#EEEEEE")
    ax.set_axisbelow(True)
    if empty:
        _hint(ax)
    return ax


def plot_progression(weeks: pd.DataFrame, changes: pd.DataFrame | None = None,
                     ax: Axes | None = None) -> Axes:
    """Chart 4: weekly minutes by category across the weeks of a progression.

    Draws :func:`backguide.measures.category_minutes` of a progression's
    entries (one row per week); ``changes`` (the progression's) marks a
    move to a harder variant with a triangle and a step back after pain
    with a square.
    """
    ax = _axes(ax, size=(7.5, 4.2), right=0.8)
    totals = weeks.reindex(columns=list(CATEGORIES)).fillna(0.0)
    x = totals.index.to_numpy()
    drawn = False
    for cat in CATEGORIES:
        if totals[cat].sum() > 0:
            ax.plot(x, totals[cat], marker="o", color=CATEGORY_COLORS[cat], label=cat)
            drawn = True
    top = float(totals.to_numpy().max()) if drawn else 10.0
    ch = changes if changes is not None else pd.DataFrame(columns=["week", "change"])
    for kind, marker, label in (("harder", "^", "moved to a harder variant"),
                                ("easier", "s", "stepped back after pain"),
                                ("stopped", "X", "stopped after pain")):
        wk = sorted(set(ch.loc[ch["change"] == kind, "week"]))
        if wk:
            ax.scatter(wk, [top * 1.08] * len(wk), marker=marker, color="black", label=label,
                       zorder=3)
    ax.set_xticks(x)
    ax.set_xlabel("Week")
    ax.set_ylabel("Minutes per week")
    ax.set_ylim(0, top * 1.2 if top else 10)
    ax.set_title("Progression across the weeks")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    ax.grid(color="#EEEEEE")
    ax.set_axisbelow(True)
    if not drawn:
        _hint(ax)
    return ax
