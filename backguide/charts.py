"""Charts of a week against the guidance.

Each chart draws one table from :mod:`backguide.measures` and computes
nothing of its own: what is on the chart is what is in the table.  Each
function takes an optional matplotlib ``ax`` and returns it; without
one it makes its own :class:`~matplotlib.figure.Figure` (not through pyplot,
so nothing global changes).  Colours are the Okabe-Ito palette, which
colour-blind readers can tell apart, and status is always written in words
as well as shown in colour.

Every text on the charts is at least :data:`TEXT_PT` points (titles
:data:`TITLE_PT`), and :data:`CHART_LAYOUT` gives each chart a figure size
and margins that hold all of its labels.  :func:`figure_svg` draws a chart as
inline SVG that scales with the page: shown at least as wide as the figure
is in points (``svg.width_pt``; 1 pt of the SVG is 1 CSS px at scale 1),
its smallest text is at least ``svg.min_font_pt`` CSS pixels.
"""

from __future__ import annotations

import hashlib
import io
import re

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator

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
#: The mark over a day whose aerobic session reaches the guidance's target
#: (on two lines, so that marks over neighbouring days keep apart).
AEROBIC_MARK = "\u2713\naerobic"
BAND_COLOR = "#DDDDDD"
EMPTY_HINT = "Nothing planned yet: add exercises to a day"

#: Font sizes (points) of the charts' titles and of every other text on them.
TITLE_PT = 14.0
TEXT_PT = 12.0

#: Each chart's figure size, (width, height) in inches.  8 inches is 576 pt,
#: so a chart shown 576 CSS px wide shows its text at its size in points;
#: the muscle chart is taller, for its thirteen rows of names.
CHART_SIZES = {
    "week": (8.0, 4.2),
    "category": (8.0, 4.2),
    "muscle": (8.0, 5.4),
    "progression": (8.0, 4.2),
}


def _margins(name: str, left: float, right: float, top: float, bottom: float) -> dict:
    """Margins given in points, as the fractions of the figure ``subplots_adjust`` takes."""
    w, h = (72 * s for s in CHART_SIZES[name])
    return {"left": round(left / w, 4), "right": round(1 - right / w, 4),
            "top": round(1 - top / h, 4), "bottom": round(bottom / h, 4)}


#: Each chart's margins (fractions of its figure in :data:`CHART_SIZES`), worked
#: out in points from its labels at :data:`TEXT_PT`: the y label and tick labels
#: on the left; on the right the legend (week, progression); on top the title
#: (and the legend, under the muscle chart's title); below, the tick labels
#: (three lines on the category chart) and the x label.
CHART_MARGINS = {
    "week": _margins("week", left=62, right=136, top=30, bottom=30),
    "category": _margins("category", left=68, right=14, top=34, bottom=58),
    "muscle": _margins("muscle", left=186, right=16, top=72, bottom=46),
    "progression": _margins("progression", left=62, right=134, top=30, bottom=46),
}

#: The week planner's three chart tabs, in order (the week, by kind of exercise,
#: muscles): ``(size, margins)`` for :func:`figure_svg` / :func:`figure_png`.
CHART_LAYOUT = tuple((CHART_SIZES[k], CHART_MARGINS[k]) for k in ("week", "category", "muscle"))

#: Margins of :func:`chart_figure` when none are given: the week chart's.
DEFAULT_MARGINS = CHART_MARGINS["week"]


def _axes(ax: Axes | None, chart: str) -> Axes:
    """The axes to draw on: ``ax``, or a new figure's, sized and laid out for ``chart``.

    New figures get fixed margins rather than a layout engine: the charts'
    labels are known, and a layout engine costs a third of the drawing time.
    """
    if ax is not None:
        return ax
    return chart_figure(CHART_SIZES[chart], **CHART_MARGINS[chart]).add_subplot()


def chart_figure(size=CHART_SIZES["week"], **margins) -> Figure:
    """A figure for one chart, with fixed margins (``margins`` override them)."""
    fig = Figure(figsize=size)
    fig.subplots_adjust(**{**DEFAULT_MARGINS, **margins})
    return fig


def draw_figure(draw, size=CHART_SIZES["week"], **margins) -> Figure:
    """A fresh figure of ``size`` inches with one chart drawn by ``draw(ax)``.

    ``margins`` (``left``, ``right``, ``top``, ``bottom``, as fractions of
    the figure) override the defaults; :data:`CHART_LAYOUT` has each
    planner chart's.
    """
    fig = chart_figure(size, **margins)
    draw(fig.add_subplot())
    return fig


def figure_png(draw, size=CHART_SIZES["week"], dpi: int = 72, **margins) -> bytes:
    """PNG bytes of one chart drawn by ``draw(ax)`` on a fresh figure.

    ``margins`` (``left``, ``right``, ``top``, ``bottom``, as fractions of
    the figure) override the defaults, for a chart whose labels need more
    room: :data:`CHART_MARGINS` has each chart's.
    """
    buf = io.BytesIO()
    draw_figure(draw, size, **margins).savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


class ChartSVG(str):
    """SVG markup of a chart, with the figure's size and its smallest font.

    ``width_pt`` and ``height_pt`` are the viewBox's; ``min_font_pt`` is the
    smallest text's size.  Shown ``width_pt`` CSS px wide or wider, every
    text is at least ``min_font_pt`` CSS px.
    """

    width_pt: float
    height_pt: float
    min_font_pt: float


_SVG_RC = {"svg.fonttype": "path", "svg.hashsalt": "backguide"}
_ROOT_SIZE = re.compile(r'\s(?:width|height)="[^"]*"')
_ID = re.compile(r'(\sid=")([^"]+")|(href="#)([^"]+")|(url\(#)([^)]+\))')


def figure_svg(draw, size=CHART_SIZES["week"], *, tight: bool = False, **margins) -> ChartSVG:
    """Inline SVG markup of one chart drawn by ``draw(ax)`` on a fresh figure of ``size`` inches.

    The markup starts at ``<svg`` (no XML prolog or doctype) and has a
    ``viewBox`` of the figure in points but no fixed width or height, so it
    scales to the width CSS gives it (``preserveAspectRatio`` keeps its
    shape).  Text is drawn as paths, exactly as measured when laid out.
    Its ids (and its style sheet) carry a prefix of their own, so several
    charts can sit in one page.  ``margins`` are as :func:`figure_png`'s;
    ``tight`` crops the figure to what is drawn (a picture, not a chart).
    """
    fig = draw_figure(draw, size, **margins)
    buf = io.StringIO()
    crop = {"bbox_inches": "tight", "pad_inches": 0.04} if tight else {}
    with mpl.rc_context(_SVG_RC):
        fig.savefig(buf, format="svg", metadata={"Date": None}, **crop)
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, count=1, flags=re.S)
    prefix = "bg" + hashlib.sha1(text.encode()).hexdigest()[:8] + "-"
    text = _ID.sub(lambda m: "".join(g if i % 2 == 0 else prefix + g
                                     for i, g in enumerate(m.groups()) if g is not None), text)
    head_end = text.index(">")
    head = _ROOT_SIZE.sub("", text[:head_end])
    titles = "; ".join(ax.get_title(loc).replace("\n", " ") for ax in fig.axes
                       for loc in ("left", "center", "right") if ax.get_title(loc))
    label = titles.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    head += (f' id="{prefix}svg" preserveAspectRatio="xMidYMid meet" role="img"'
             f' aria-label="{label}"')
    text = head + text[head_end:]
    # matplotlib's style sheet (``*{...}``) would reach the whole page when inline.
    text = text.replace("*{stroke-linejoin", f"#{prefix}svg *{{stroke-linejoin", 1)
    out = ChartSVG(text)
    box = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', head)
    out.width_pt, out.height_pt = ((float(box.group(1)), float(box.group(2))) if box else
                                   (round(72 * size[0], 3), round(72 * size[1], 3)))
    out.min_font_pt = min_font_pt(fig)
    return out


def _tick_drawn(axis, tick) -> bool:
    """Whether matplotlib draws ``tick``: its place is within the axis' view."""
    lo, hi = sorted(axis.get_view_interval())
    slack = 1e-9 * max(abs(hi - lo), 1e-300)
    return lo - slack <= tick.get_loc() <= hi + slack


def chart_texts(fig: Figure) -> list[Text]:
    """The texts ``fig`` shows: visible (as are the artists they sit in), not empty,
    and tick labels only of ticks in view.

    Tick labels are laid out when the figure is drawn: call
    ``fig.canvas.draw()`` (or save the figure) first.
    """
    hidden = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for tick in (*axis.get_major_ticks(), *axis.get_minor_ticks()):
                if not _tick_drawn(axis, tick):
                    hidden.update((tick.label1, tick.label2))
    out, todo = [], [fig]
    while todo:
        artist = todo.pop()
        if not artist.get_visible() or artist in hidden:
            continue
        if isinstance(artist, Text) and artist.get_text().strip():
            out.append(artist)
        todo.extend(artist.get_children())
    return out


def min_font_pt(fig: Figure) -> float:
    """The size in points of the smallest text that ``fig`` shows (draw it first)."""
    return min((t.get_fontsize() for t in chart_texts(fig)), default=float("inf"))


def _pt_per_unit(ax: Axes, axis: str = "y") -> float:
    """Points per data unit along ``axis`` of ``ax`` at its current limits."""
    lo, hi = ax.get_ylim() if axis == "y" else ax.get_xlim()
    extent = ax.bbox.height if axis == "y" else ax.bbox.width
    return extent * 72 / ax.figure.dpi / abs(hi - lo)


def _axes_pt(ax: Axes, axis: str = "y") -> float:
    """The axes' height (or width) in points."""
    return (ax.bbox.height if axis == "y" else ax.bbox.width) * 72 / ax.figure.dpi


def _headroom(tops, label_pt: float, ax: Axes) -> float:
    """The smallest upper y limit that leaves ``label_pt`` points above every top."""
    room = 1 - label_pt / max(_axes_pt(ax), 2 * label_pt)
    return max((float(t) for t in tops), default=0.0) / room


def _legend(ax: Axes, handles, labels, **kw):
    """A frameless legend with the charts' text size and compact keys."""
    return ax.legend(handles, labels, fontsize=TEXT_PT, frameon=False, handlelength=1.5,
                     handletextpad=0.6, borderaxespad=0.0, **kw)


def _hint(ax: Axes, text: str = EMPTY_HINT) -> None:
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center",
            fontsize=TEXT_PT, color="#555555", zorder=5,
            bbox=dict(boxstyle="round,pad=0.5", fc="white", ec="#999999"))


def _style(ax: Axes, title: str, pad: float = 6.0) -> None:
    """Title on the left over the plot (``pad`` points above it), tick labels at the
    text size, grid behind the bars."""
    # The centre title (what ``ax.get_title()`` reads), set flush left; ``y`` given, so
    # matplotlib does not measure the tick labels to place it (nothing is over the plot).
    ax.set_title(title, fontsize=TITLE_PT, pad=pad, linespacing=1.15, x=0.0, y=1.0, ha="left")
    ax.tick_params(labelsize=TEXT_PT)
    ax.set_axisbelow(True)


#: Room (points) over a bar for a two-line label and the gap under it.
_TWO_LINES_PT = 2 * 1.25 * TEXT_PT + 6


def plot_category_days(kinds: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Chart 1: days a week by kind of exercise, against the guidance's band.

    Draws :func:`backguide.measures.category_summary`.  Grey bands are the
    targets (stretching 2+ days, daily best; strengthening 2+ days; aerobic
    sessions of 20+ minutes 3-4 times); each bar is marked met, short or over.
    """
    ax = _axes(ax, "category")
    s = kinds
    x = np.arange(len(s))
    band = ax.bar(x, s["high"] - s["low"], bottom=s["low"], width=0.8, color=BAND_COLOR,
                  zorder=0, label="target range")
    colors = [CATEGORY_COLORS[k] for k in s["kind"]]
    ax.bar(x, s["value"], width=0.45, color=colors, edgecolor="black", linewidth=0.6, zorder=2)
    ax.set_xlim(-0.5, len(s) - 0.5)
    top = max(8.6, _headroom(s["value"], _TWO_LINES_PT, ax), float(s["high"].max()) * 1.05)
    ax.set_ylim(0, top)
    gap = 3 / _pt_per_unit(ax)
    for xi, row in zip(x, s.itertuples()):
        ax.text(xi, row.value + gap, f"{row.value:.0f}\n{STATUS_MARKS[row.status]}",
                ha="center", va="bottom", fontsize=TEXT_PT, fontweight="bold",
                color=STATUS_COLORS[row.status], zorder=3, linespacing=1.1)
    ax.set_xticks(x, [f"{r.label}\n{shown_minutes(r.minutes, 0)} min/week\n(target: {r.sources})"
                      for r in s.itertuples()], linespacing=1.1)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    ax.set_ylabel("Days per week\n(aerobic: sessions)", fontsize=TEXT_PT, linespacing=1.1)
    _style(ax, "This week by kind of exercise, against the guidance")
    _legend(ax, [band], ["target range"], loc="lower right", bbox_to_anchor=(1.0, 1.01))
    ax.grid(axis="y", color="#EEEEEE", zorder=-1)
    ax.tick_params(axis="x", length=0)
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
    ax = _axes(ax, "muscle")
    by = muscles.reindex(index=list(MUSCLES), columns=["primary", "secondary"]).fillna(0.0)
    y = np.arange(len(MUSCLES))[::-1]
    primary = ax.barh(y, by["primary"], color="#0072B2", edgecolor="black", linewidth=0.5,
                      label="primary muscle")
    secondary = ax.barh(y, by["secondary"], left=by["primary"], color="#9ECAE9",
                        edgecolor="black", linewidth=0.5, hatch="//",
                        label="secondary muscle (counts half)")
    missing = {m for m in SPINE_MUSCLES if by.loc[m].sum() == 0}
    ax.set_yticks(y, [f"{m} (not worked)" if m in missing else m for m in MUSCLES])
    ax.set_ylim(-0.6, len(MUSCLES) - 0.4)
    for label, muscle in zip(ax.get_yticklabels(), MUSCLES):
        if muscle in SPINE_MUSCLES:
            label.set_fontweight("bold")
            label.set_color(STATUS_COLORS["short"] if muscle in missing else "black")
    total = (by["primary"] + by["secondary"]).max()
    ax.set_xlim(0, max(10.0, total * 1.05))
    ax.set_xlabel("Minutes per week", fontsize=TEXT_PT)
    # The legend between the title and the bars, so that it never hides one.
    _style(ax, "Weekly volume by muscle group\n(bold: the muscles that support the spine)",
           pad=30)
    _legend(ax, [primary, secondary], [primary.get_label(), secondary.get_label()],
            loc="lower left", bbox_to_anchor=(0.0, 1.012), ncols=2, columnspacing=1.5)
    ax.grid(axis="x", color="#EEEEEE")
    ax.tick_params(axis="y", length=0)
    if not total > 0:
        _hint(ax)
    return ax


def _wrap2(text: str, width: int = 16) -> str:
    """``text`` on two lines at the space nearest its middle when longer than ``width``."""
    if len(text) <= width or " " not in text:
        return text
    mid = len(text) / 2
    cut = min((i for i, c in enumerate(text) if c == " "), key=lambda i: abs(i - mid))
    return text[:cut] + "\n" + text[cut + 1:]


def plot_week(days: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Chart 3: the week at a glance, minutes per day by category.

    Draws :func:`backguide.measures.day_minutes`.  The dashed line is the
    aerobic session target from the guidance (``days.attrs["threshold"]``,
    named in the legend); a day whose aerobic session reaches it is marked
    with a check.
    """
    ax = _axes(ax, "week")
    per = days.reindex(columns=list(CATEGORIES)).fillna(0.0)
    empty = not per.to_numpy().any()
    x = np.arange(len(per))
    bottom = np.zeros(len(per))
    bars = []
    # Aerobic at the foot of each bar, so it reads straight off the target line.
    for cat in ("aerobic", *(c for c in CATEGORIES if c != "aerobic")):
        if per[cat].sum() > 0 or empty:
            bars.append(ax.bar(x, per[cat], bottom=bottom, color=CATEGORY_COLORS[cat],
                               edgecolor="black", linewidth=0.5, label=cat, width=0.7))
            bottom += per[cat].to_numpy()
    line = float(days.attrs.get("threshold", 20.0))
    target = ax.axhline(line, color="black", linestyle="--", linewidth=1.2,
                        label=f"{line:.0f}-min aerobic session")
    met = days["aerobic_met"].to_numpy(dtype=bool)
    ax.set_xlim(-0.5, len(per) - 0.5)
    ax.set_ylim(0, max(line * 1.6, bottom.max() * 1.05,
                       _headroom(bottom[met], _TWO_LINES_PT, ax)))
    gap = 3 / _pt_per_unit(ax)
    for xi in np.flatnonzero(met):
        ax.text(xi, bottom[xi] + gap, AEROBIC_MARK, ha="center", va="bottom",
                fontsize=TEXT_PT, color=STATUS_COLORS["met"],
                linespacing=1.1)
    ax.set_xticks(x, [str(d)[:3] for d in per.index])
    ax.set_ylabel("Minutes", fontsize=TEXT_PT)
    _style(ax, "The week at a glance")
    # Legend beside the plot, top down as the bars stack, then the target line.
    handles = [*bars[::-1], target]
    _legend(ax, handles, [_wrap2(h.get_label()) for h in handles], loc="upper left",
            bbox_to_anchor=(1.02, 1.0), labelspacing=0.6)
    ax.grid(axis="y", color="#EEEEEE")
    if empty:
        _hint(ax)
    return ax


#: The progression chart's marks for changes: (change, marker, label).
_CHANGES = (("harder", "^", "moved to a harder variant"),
            ("easier", "s", "stepped back after pain"),
            ("stopped", "X", "stopped after pain"))


def plot_progression(weeks: pd.DataFrame, changes: pd.DataFrame | None = None,
                     ax: Axes | None = None) -> Axes:
    """Chart 4: weekly minutes by category across the weeks of a progression.

    Draws :func:`backguide.measures.category_minutes` of a progression's
    entries (one row per week); ``changes`` (the progression's) marks a
    move to a harder variant with a triangle and a step back after pain
    with a square.
    """
    ax = _axes(ax, "progression")
    totals = weeks.reindex(columns=list(CATEGORIES)).fillna(0.0)
    x = totals.index.to_numpy()
    drawn = False
    for cat in CATEGORIES:
        if totals[cat].sum() > 0:
            ax.plot(x, totals[cat], marker="o", color=CATEGORY_COLORS[cat], label=cat)
            drawn = True
    top = float(totals.to_numpy().max()) if drawn else 10.0
    ch = changes if changes is not None else pd.DataFrame(columns=["week", "change"])
    # Each kind of change on a row of its own over the lines, so that two in one week
    # stay apart.
    for i, (kind, marker, label) in enumerate(_CHANGES):
        wk = sorted(set(ch.loc[ch["change"] == kind, "week"]))
        if wk:
            ax.scatter(wk, [top * (1.06 + 0.07 * i)] * len(wk), marker=marker, color="black",
                       label=label, zorder=3, clip_on=False)
    if len(x) <= 16:
        ax.set_xticks(x)
    else:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Week", fontsize=TEXT_PT)
    ax.set_ylabel("Minutes per week", fontsize=TEXT_PT)
    ax.set_ylim(0, top * 1.28 if top else 10)
    _style(ax, "Progression across the weeks")
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        _legend(ax, handles, [_wrap2(t) for t in labels], loc="upper left",
                bbox_to_anchor=(1.02, 1.0), labelspacing=0.6)
    ax.grid(color="#EEEEEE")
    if not drawn:
        _hint(ax)
    return ax
