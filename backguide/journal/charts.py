"""Progress charts: what was done week by week, and how the back feels over time.

Each chart draws one person's table from :mod:`backguide.journal.measures`
and computes nothing of its own: the bars are :func:`adherence`'s rows, the
pain points and their 7-day mean are :func:`pain_by_day`'s, and the marks of
an important change come from :func:`important_lines` and the thresholds
table (:func:`change_thresholds`), each labelled in words with the score it
stands for.  Each function takes an optional matplotlib ``ax`` and returns
it; without one it makes its own :class:`~matplotlib.figure.Figure` (not
through pyplot), sized as :data:`JOURNAL_SIZES` says.

The artists carry ids (``get_gid()``) so tests and pages can find them:
``adherence-done`` and ``adherence-partly`` (bars), ``goal``,
``pain-daily`` and ``pain-mean7``, ``peg-score``, ``psfs-mean`` and
``psfs-activity`` (lines), and on every score chart ``start``,
``important-better`` and ``important-worse``.

Colours are the house's colour-blind-safe three (:mod:`backguide.charts`):
teal for what went well (done, an important improvement), indigo for the
person's own scores, vermillion for an important worsening; a line's style
(dashed, dotted) tells them apart as well.  The start is a thin black line.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.dates import DayLocator, WeekdayLocator, MO, num2date
from matplotlib.ticker import FuncFormatter, MultipleLocator

from ..charts import _wrap
from ..errors import BackguideError
from ..figures import TEXT_PT, _headroom, _hint, _legend, _pt_per_unit, _style, chart_figure
from .measures import (
    important_lines,
    important_size,
    peg_change,
    psfs_by_date,
    psfs_change,
    shown_score,
    threshold_of,
    WINDOW_DAYS,
)
from .words import score_text

#: The house palette (Tol's teal and indigo, Okabe & Ito's vermillion), 3:1 or more on white.
TEAL, INDIGO, VERMILLION = "#009988", "#332288", "#D55E00"
#: The start's line: black and thin, apart from the score lines by its weight.
START_COLOR = "black"
#: The PSFS activities' lines: a lighter grey (3:1 on white) under the indigo mean.
GREY = "#8C8C8C"
#: Markers that tell up to five PSFS activities apart without colour.
ACTIVITY_MARKERS = ("s", "^", "D", "v", "P")

#: Each chart's figure size, (width, height) in inches.
JOURNAL_SIZES = {"adherence": (8.0, 4.2), "pain": (8.0, 4.2), "peg": (8.0, 4.2),
                 "psfs": (8.0, 4.2)}
#: Margins in points: the y label on the left; the legend on the right (score
#: charts) or over the plot beside the title (adherence); the title on top; the
#: date labels (two lines under the bars) and the x label below.
_SCORES_PT = {"left": 62, "right": 200, "top": 30, "bottom": 46}
JOURNAL_MARGINS_PT = {"adherence": {"left": 84, "right": 16, "top": 30, "bottom": 58},
                      "pain": _SCORES_PT, "peg": _SCORES_PT, "psfs": _SCORES_PT}
#: What an empty chart says.
NO_SCORES = "No scores yet: they appear after the first check-in"
NOTHING_PLANNED = "Nothing planned yet"


def _axes(ax: Axes | None, chart: str) -> Axes:
    if ax is not None:
        return ax
    w, h = (72 * s for s in JOURNAL_SIZES[chart])
    m = JOURNAL_MARGINS_PT[chart]
    return chart_figure(JOURNAL_SIZES[chart], left=m["left"] / w, right=1 - m["right"] / w,
                        top=1 - m["top"] / h, bottom=m["bottom"] / h).add_subplot()


def _one_person(table: pd.DataFrame, chart: str) -> None:
    if "person" in table.columns and table["person"].nunique() > 1:
        raise BackguideError.at(
            chart, "one person's rows (select them first, e.g. table[table.person == id])",
            column="person", value=", ".join(map(str, pd.unique(table["person"])[:5])))


def _day_month(x, _pos=None) -> str:
    d = num2date(x)
    return f"{d.day} {d:%b}"


def _legend_right(ax: Axes) -> None:
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        _legend(ax, handles, [_wrap(t, 24) for t in labels], loc="upper left",
                bbox_to_anchor=(1.02, 1.0), labelspacing=0.7)


def _date_axis(ax: Axes, dates: pd.Series) -> None:
    """Dates along x: Mondays labelled "2 Mar", thinned to about six labels."""
    lo, hi = pd.Timestamp(dates.min()), pd.Timestamp(dates.max())
    days = (hi - lo).days
    ax.set_xlim(lo - pd.Timedelta(days=1), hi + pd.Timedelta(days=1))
    if days < 7:
        ax.xaxis.set_major_locator(DayLocator())
    else:
        ax.xaxis.set_major_locator(WeekdayLocator(byweekday=MO,
                                                  interval=max(1, math.ceil(days / 7 / 6))))
    ax.xaxis.set_major_formatter(FuncFormatter(_day_month))
    ax.set_xlabel("Date", fontsize=TEXT_PT)


def _score_axis(ax: Axes, label: str) -> None:
    ax.set_ylim(0, 10.4)
    ax.yaxis.set_major_locator(MultipleLocator(2))
    ax.set_ylabel(label, fontsize=TEXT_PT)
    ax.grid(axis="y", color="#EEEEEE")


def _marks(ax: Axes, start: float, measure: str, thresholds, origin: str) -> None:
    """The start's line and where an important improvement and worsening begin,
    each labelled with its score and the rule it comes from."""
    t = threshold_of(measure, thresholds)
    shown = float(shown_score(start))
    size = float(important_size(shown, measure, thresholds))
    better, worse = (float(v) for v in important_lines(shown, measure, thresholds))
    rule = (f"{t['points']:g} points" if math.isclose(size, t["points"]) else
            f"{t['percent']:g}%")
    lower = t["better"] == "lower"
    ax.axhline(shown, color=START_COLOR, linewidth=1.0, gid="start",
               label=f"{origin}: {score_text(shown)}")
    if 0 <= better <= 10:
        ax.axhline(better, color=TEAL, linestyle="--", linewidth=2.0, gid="important-better",
                   label=f"important improvement: {score_text(better)} or "
                         f"{'less' if lower else 'more'} ({rule} "
                         f"{'below' if lower else 'above'} the start)")
    if 0 <= worse <= 10:
        ax.axhline(worse, color=VERMILLION, linestyle=":", linewidth=2.2, gid="important-worse",
                   label=f"important worsening: {score_text(worse)} or "
                         f"{'more' if lower else 'less'}")


# --- adherence ----------------------------------------------------------------------------

def plot_adherence(table: pd.DataFrame, ax: Axes | None = None, *,
                   goal: float | None = None) -> Axes:
    """Bars per week: what was done, and partly done, as a percentage of what was planned.

    Draws one person's rows of :func:`~backguide.journal.measures.adherence`
    with ``by=["person", "week"]`` (or ``["week"]``).  The solid part of a
    bar is done, the hatched part partly done; the number over it is
    "done or partly done of planned".  ``goal`` (a percentage a clinician
    sets) draws a dashed line; there is none by default, as the guidance
    gives no number for it.
    """
    _one_person(table, "plot_adherence")
    ax = _axes(ax, "adherence")
    t = table.sort_values("week").reset_index(drop=True)
    planned = t["planned"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        done = np.where(planned > 0, t["done"] / planned * 100, 0.0)
        partly = np.where(planned > 0, t["partly"] / planned * 100, 0.0)
    x = np.arange(len(t))
    ax.bar(x, done, width=0.65, color=TEAL, edgecolor="black", linewidth=0.6, label="done",
           gid="adherence-done")
    ax.bar(x, partly, bottom=done, width=0.65, facecolor="white", hatch="///",
           hatchcolor=TEAL, edgecolor="black", linewidth=0.6, label="partly done",
           gid="adherence-partly")
    if goal is not None:
        ax.axhline(goal, color=INDIGO, linestyle="--", linewidth=1.5, gid="goal",
                   label=f"goal: {goal:g}%")
    # Over each bar, "6 of 8" (on two lines when the bars are narrow).
    sep = "\n" if len(t) > 6 else " "
    top = max(100.0, float((done + partly).max()) if len(t) else 0.0)
    ax.set_ylim(0, max(top * 1.05, _headroom([top], 2.4 * TEXT_PT + 4, ax)))
    gap = 3 / _pt_per_unit(ax)
    for xi, row, h in zip(x, t.itertuples(), done + partly):
        words = (f"{row.done + row.partly}{sep}of {row.planned}" if row.planned else
                 "nothing\nplanned")
        ax.text(xi, h + gap, words, ha="center", va="bottom", fontsize=TEXT_PT,
                linespacing=1.0, gid="adherence-label")
    weeks = pd.to_datetime(t["week"])
    ax.set_xticks(x, [f"{d.day}\n{d:%b}" for d in weeks], linespacing=1.1)
    ax.set_xlim(-0.6, max(len(t), 1) - 0.4)
    ax.yaxis.set_major_locator(MultipleLocator(25))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.0f}%"))
    ax.set_xlabel("Week beginning (Monday)", fontsize=TEXT_PT)
    ax.set_ylabel("Done or partly done\n(% of planned)", fontsize=TEXT_PT, linespacing=1.1)
    _style(ax, "Exercises done, week by week")
    ax.grid(axis="y", color="#EEEEEE")
    ax.tick_params(axis="x", length=0)
    handles, labels = ax.get_legend_handles_labels()
    _legend(ax, handles, labels, loc="lower right", bbox_to_anchor=(1.0, 1.01), ncols=3,
            columnspacing=1.2)
    if not (planned > 0).any():
        _hint(ax, NOTHING_PLANNED)
    return ax


# --- scores over time ----------------------------------------------------------------------

def plot_pain(daily: pd.DataFrame, ax: Axes | None = None,
              thresholds: pd.DataFrame | None = None) -> Axes:
    """Pain each day (points) and its 7-day mean (line), against the start.

    Draws one person's rows of :func:`~backguide.journal.measures.pain_by_day`.
    The grey line is the person's first week; the dashed teal line is where
    an important improvement begins, the dotted vermillion one an important
    worsening (2 points or 30% of the start, whichever the thresholds table
    makes smaller), each labelled with its score.
    """
    _one_person(daily, "plot_pain")
    ax = _axes(ax, "pain")
    d = daily.sort_values("date")
    _style(ax, "Pain day by day, with its 7-day mean")
    _score_axis(ax, "Pain (0-10, lower is better)")
    if d.empty:
        _hint(ax, NO_SCORES)
        return ax
    dates = d["date"].to_numpy()
    ax.plot(dates, d["nprs"].to_numpy(), linestyle="none", marker="o", markersize=5,
            markerfacecolor="white", markeredgecolor=INDIGO, markeredgewidth=1.2,
            label="pain each day", gid="pain-daily", zorder=3)
    # A gap of a week or more has no mean: the line breaks there (a NaN between).
    gaps = np.flatnonzero(np.diff(dates) >= np.timedelta64(WINDOW_DAYS, "D")) + 1
    ax.plot(np.insert(dates, gaps, dates[gaps]), np.insert(d["mean7"].to_numpy(), gaps, np.nan),
            color=INDIGO, linewidth=2.4, label="7-day mean", gid="pain-mean7", zorder=2)
    _marks(ax, float(d["start"].iloc[0]), "nprs", thresholds, "your first week")
    _date_axis(ax, d["date"])
    _legend_right(ax)
    return ax


def plot_peg(peg_table: pd.DataFrame, ax: Axes | None = None,
             thresholds: pd.DataFrame | None = None) -> Axes:
    """The PEG score (the mean of its three items) over time, against the start.

    Draws one person's rows of the journal's ``peg`` table, with the start
    and the important-change marks of :func:`plot_pain` (30% of the start,
    as the thresholds table says).
    """
    _one_person(peg_table, "plot_peg")
    ax = _axes(ax, "peg")
    d = peg_table.sort_values("date")
    _style(ax, "PEG: pain, and how much it gets in the way")
    _score_axis(ax, "PEG score (0-10, lower is better)")
    if d.empty:
        _hint(ax, NO_SCORES)
        return ax
    ax.plot(pd.to_datetime(d["date"]).to_numpy(), d["score"].to_numpy(dtype=float),
            color=INDIGO, linewidth=2.2, marker="o", markersize=6, label="PEG score",
            gid="peg-score", zorder=3)
    start = float(peg_change(d, thresholds=thresholds)["start"].iloc[0])
    _marks(ax, start, "peg", thresholds, "your first week")
    _date_axis(ax, pd.to_datetime(d["date"]))
    _legend_right(ax)
    return ax


def plot_psfs(psfs_table: pd.DataFrame, ax: Axes | None = None,
              thresholds: pd.DataFrame | None = None) -> Axes:
    """The PSFS over time: each activity the person named (thin grey lines, a
    marker each) and their mean (indigo), against the start.

    Draws one person's rows of the journal's ``psfs`` table; the mean is
    :func:`~backguide.journal.measures.psfs_by_date`'s, and higher is better,
    so an important improvement (2 points, as the thresholds table says) is
    the dashed line above the start.
    """
    _one_person(psfs_table, "plot_psfs")
    ax = _axes(ax, "psfs")
    d = psfs_table.sort_values("date", kind="stable")
    _style(ax, "Your activities (PSFS): how well you can do them")
    _score_axis(ax, "PSFS score (0-10, higher is better)")
    if d.empty:
        _hint(ax, NO_SCORES)
        return ax
    for i, (activity, rows) in enumerate(d.groupby("activity", sort=False)):
        ax.plot(pd.to_datetime(rows["date"]).to_numpy(), rows["score"].to_numpy(dtype=float),
                color=GREY, linewidth=1.0, marker=ACTIVITY_MARKERS[i % len(ACTIVITY_MARKERS)],
                markersize=5, markerfacecolor="white", label=str(activity),
                gid="psfs-activity", zorder=2)
    mean = psfs_by_date(d)
    ax.plot(mean["date"].to_numpy(), mean["score"].to_numpy(), color=INDIGO, linewidth=2.6,
            marker="o", markersize=6, label="mean of your activities", gid="psfs-mean",
            zorder=3)
    start = float(psfs_change(d, thresholds=thresholds)["start"].iloc[0])
    _marks(ax, start, "psfs", thresholds, "at the start")
    _date_axis(ax, mean["date"])
    _legend_right(ax)
    return ax


def journal_svg(chart: str, draw) -> str:
    """Inline SVG of journal chart ``chart`` ("adherence", "pain", "peg" or "psfs"),
    drawn by ``draw(ax)`` at its own size and margins, for the pages."""
    from ..figures import figure_svg

    w, h = (72 * s for s in JOURNAL_SIZES[chart])
    m = JOURNAL_MARGINS_PT[chart]
    return figure_svg(draw, JOURNAL_SIZES[chart], left=m["left"] / w, right=1 - m["right"] / w,
                      top=1 - m["top"] / h, bottom=m["bottom"] / h)
