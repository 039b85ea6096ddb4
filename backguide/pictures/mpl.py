"""Pictures drawn with matplotlib: for the PDF handout, PNGs and the contact sheet.

:func:`shapes_to_axes` draws the same shapes :mod:`.svg` writes on matplotlib
axes; :func:`draw_exercise` draws an exercise's picture (or a placeholder),
:func:`picture_png` saves it as PNG, and :func:`contact_sheet` draws every
exercise's picture on one figure, to check them all by eye.

The only module of :mod:`backguide.pictures` that imports matplotlib.  Its text
(an exercise's name, a position's label, a dose) is never read as mathtext:
``parse_math=False``, so a clinic's "Cost $5 and $6" is drawn as typed.
"""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..library import Library, resolve
from .layout import NO_PICTURE, picture_shapes
from .shapes import Shape

#: The picture's size in inches, as drawn for the page and the handout.
PICTURE_SIZE = (5.2, 2.6)


def shapes_to_axes(shapes: list[Shape], bounds, ax: Axes) -> None:
    """Draw ``shapes`` on matplotlib axes (equal aspect), text sized to match."""
    x0, y0, x1, y1 = bounds
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_axis_off()
    fig = ax.figure
    w_in = fig.get_figwidth() * ax.get_position().width
    h_in = fig.get_figheight() * ax.get_position().height
    pt_per_unit = 72 * min(w_in / (x1 - x0), h_in / (y1 - y0))
    # Runs of shapes of one kind go in one collection each, in drawing order: a
    # collection is drawn in one go, where a patch apiece would cost ten times more.
    run: list[Shape] = []
    z = 0.0

    def flush():
        nonlocal z
        if not run:
            return
        z += 1
        if run[0].kind == "line":
            coll = LineCollection([x.xy for x in run], colors=[x.stroke for x in run],
                                  linewidths=[max(0.5, x.width * pt_per_unit) for x in run],
                                  alpha=None, capstyle="round", joinstyle="round", zorder=z)
            coll.set_alpha([x.alpha for x in run])
        else:
            coll = PolyCollection([_outline(x) for x in run], facecolors=[x.fill for x in run],
                                  edgecolors="none", zorder=z)
            coll.set_alpha([x.alpha for x in run])
        ax.add_collection(coll, autolim=False)
        run.clear()

    for s in sorted(shapes, key=lambda s: s.z):
        if s.kind == "text":
            flush()
            at = np.atleast_2d(s.xy)[0]
            below = at[1] < 0
            ax.text(*at, s.text, ha="center", va="top" if below else "bottom",
                    fontsize=max(6.0, s.size * pt_per_unit), color=s.fill,
                    fontweight="normal" if s.fill == "#222222" else "bold", zorder=z + 1,
                    linespacing=1.1, parse_math=False)
            continue
        kind = "line" if s.kind == "line" else "poly"
        if run and ("line" if run[0].kind == "line" else "poly") != kind:
            flush()
        run.append(s)
    flush()


_CIRCLE = np.c_[np.cos(np.linspace(0, 2 * math.pi, 25)), np.sin(np.linspace(0, 2 * math.pi, 25))]


def _outline(s: Shape) -> np.ndarray:
    """A polygon's points, or a circle's as a polygon."""
    if s.kind == "circle":
        return s.xy[:2] + s.xy[2] * _CIRCLE
    return s.xy


def draw_exercise(ex_id: str, *, lib: Library | None = None,
                  poses: pd.DataFrame | None = None, ax: Axes | None = None, title: bool = True,
                  dose: str | None = None) -> Axes:
    """Draw an exercise's picture (:func:`picture_shapes`) on matplotlib axes.

    ``dose`` is the dose written above the figure: by default the starting
    dose (:func:`.layout.dose_label`); give an entry's own dose in words to show
    that instead, or ``""`` for none.  Without positions: a plain placeholder.
    """
    lib = resolve(lib)
    if ax is None:
        ax = Figure(figsize=PICTURE_SIZE).add_subplot()
        ax.figure.subplots_adjust(left=0.02, right=0.98, top=0.86, bottom=0.04)
    ex = lib.exercises
    name = ex.at[ex_id, "name"] if ex_id in ex.index else ex_id
    ax.set_axis_off()
    if title:
        ax.set_title(name, fontsize=12, fontweight="bold", y=1.0,  # placed: no layout search
                     parse_math=False)
    shapes, bounds = picture_shapes(ex_id, lib=lib, poses=poses, dose=dose)
    if not shapes:
        ax.add_patch(Rectangle((0.05, 0.1), 0.9, 0.8, transform=ax.transAxes, fill=False,
                               ls="--", ec="#888888"))
        ax.text(0.5, 0.5, NO_PICTURE, transform=ax.transAxes, ha="center", va="center",
                color="#555555", fontsize=10, parse_math=False)
        return ax
    shapes_to_axes(shapes, bounds, ax)
    return ax


def picture_png(ex_id: str, *, lib: Library | None = None, poses: pd.DataFrame | None = None,
                dpi: int = 80, dose: str | None = None) -> bytes:
    """PNG bytes of :func:`draw_exercise`, for where SVG cannot go."""
    ax = draw_exercise(ex_id, lib=lib, poses=poses, dose=dose)
    buf = io.BytesIO()
    ax.figure.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def contact_sheet(*, lib: Library | None = None, poses: pd.DataFrame | None = None,
                  ncols: int = 3) -> Figure:
    """Every exercise's picture, large, with its name, to check them all by eye."""
    lib = resolve(lib)
    ids = list(lib.exercises.index)
    nrows = math.ceil(len(ids) / ncols)
    fig = Figure(figsize=(ncols * 6.0, nrows * 3.1))
    fig.subplots_adjust(left=0.01, right=0.99, top=0.985, bottom=0.01, hspace=0.25,
                        wspace=0.04)
    axes = fig.subplots(nrows, ncols).ravel()
    for ax, ex_id in zip(axes, ids):
        draw_exercise(ex_id, lib=lib, poses=poses, ax=ax, dose="")
    for ax in axes[len(ids):]:
        ax.set_axis_off()
    return fig
