"""The plain shapes every picture is made of, which both writers draw.

A picture is first made into :class:`Shape` objects (polygons, lines, circles
and texts in body heights, y up) by :mod:`.body` and :mod:`.layout`; then
:mod:`.svg` writes them as SVG and :mod:`.mpl` draws them on matplotlib axes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: Label text, in body heights (a picture 3 body heights wide, shown 470 px wide,
#: sets it at about 14 px).
LABEL_SIZE = 0.09


@dataclass(frozen=True)
class Shape:
    """One thing drawn: a filled polygon (``poly``), a ``line``, a ``circle`` or a ``text``.

    Coordinates are in body heights, y up; ``width`` (a line's) and ``size`` (a
    text's) too, so a picture scales as one.  ``z`` orders the drawing.
    """

    kind: str
    xy: np.ndarray
    fill: str = "none"
    stroke: str = "none"
    width: float = 0.0
    alpha: float = 1.0
    z: float = 0.0
    text: str = ""
    size: float = LABEL_SIZE
    anchor: str = "middle"


def _dir(deg: float) -> np.ndarray:
    """The unit vector at ``deg`` degrees (0: to the right, 90: up)."""
    r = math.radians(deg)
    return np.array([math.cos(r), math.sin(r)])


#: The angles of a half circle, for the rounded ends of a segment.
_HALF = np.linspace(-math.pi / 2, math.pi / 2, 7)


def _capsule(a, b, ra: float, rb: float, n: int = 7) -> np.ndarray:
    """A rounded, tapered segment from ``a`` (radius ``ra``) to ``b`` (``rb``)."""
    ax_, ay, bx, by = float(a[0]), float(a[1]), float(b[0]), float(b[1])
    ang = math.atan2(by - ay, bx - ax_) if (bx - ax_) or (by - ay) else 0.0
    t = _HALF + ang
    c, s_ = np.cos(t), np.sin(t)
    return np.concatenate([np.stack([bx + rb * c, by + rb * s_], axis=1),
                           np.stack([ax_ - ra * c, ay - ra * s_], axis=1)])


def _rect(x0, y0, x1, y1) -> np.ndarray:
    return np.array([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], float)


def shapes_bounds(shapes) -> tuple[float, float, float, float]:
    """What ``shapes`` cover, ``(x0, y0, x1, y1)``: polygons' points, lines' points
    and half their width, circles' edges (texts are not measured)."""
    x0 = y0 = math.inf
    x1 = y1 = -math.inf
    for s in shapes:
        if s.kind == "text":
            continue
        if s.kind == "circle":
            cx, cy, r = (float(v) for v in s.xy)
            lo, hi = np.array([cx - r, cy - r]), np.array([cx + r, cy + r])
        else:
            pad = s.width / 2 if s.kind == "line" else 0.0
            lo, hi = s.xy.min(axis=0) - pad, s.xy.max(axis=0) + pad
        x0, y0 = min(x0, float(lo[0])), min(y0, float(lo[1]))
        x1, y1 = max(x1, float(hi[0])), max(y1, float(hi[1]))
    if x0 > x1:
        return 0.0, 0.0, 0.0, 0.0
    return x0, y0, x1, y1
