"""The charts' figures: their sizes and margins, and drawing them to PNG and inline SVG.

Every text on the charts is at least :data:`TEXT_PT` points (titles
:data:`TITLE_PT`), and :data:`CHART_LAYOUT` gives each chart a figure size
and margins that hold all of its labels.  :func:`figure_svg` draws a chart as
inline SVG that scales with the page: shown at least as wide as the figure
is in points (``svg.width_pt``; 1 pt of the SVG is 1 CSS px at scale 1),
its smallest text is at least ``svg.min_font_pt`` CSS pixels.

Each chart function in :mod:`backguide.charts` draws on the axes these give
it; the helpers here style its title, legend and "nothing planned" hint.
"""

from __future__ import annotations

import hashlib
import io
import re

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text

#: What an empty chart says over its axes.
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
    "muscle": (8.0, 5.8),
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
#: (and, under the muscle chart's title, what its bars mean and its legend);
#: below, the tick labels (three lines on the category chart) and the x label.
CHART_MARGINS = {
    "week": _margins("week", left=62, right=144, top=30, bottom=30),
    "category": _margins("category", left=68, right=14, top=34, bottom=58),
    "muscle": _margins("muscle", left=186, right=16, top=100, bottom=46),
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
