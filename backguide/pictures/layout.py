"""An exercise's picture laid out as shapes: its positions, props and labels.

:func:`picture_shapes` sets an exercise's positions side by side, each in a
slot with its label beneath, the start ghosted behind the end, an arrow from
one to the next, what is around the figure (:func:`prop_shapes`: a mat, a
cushion, a chair, water or a bike), the floor, and the dose and title above.
:func:`movement_frames` gives the poses of the movement in between, eased.
Everything here is data; :mod:`.svg` and :mod:`.mpl` write it out.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd

from .. import schema
from ..library import Library, resolve
from ..content.exercise import exercise_content
from .body import ARROW, LENGTH, MOVING, _extent, _moving_parts, figure_shapes, pose_points
from .shapes import LABEL_SIZE, Shape, _rect

#: Labels are at least :data:`LABEL_SIZE` (body heights) and at least this share
#: of the picture's width, so a label is 12 px or more wherever the picture is
#: 460 px wide or more.
LABEL_SHARE = 0.0262
#: Narrowest slot a position gets in a picture, in body heights.
MIN_SLOT = 1.3
PROP_COLORS = {"mat": "#C9B28A", "cushion": "#E3C7A5", "water": "#56B4E9", "bike": "#555555",
               "chair": "#8B6B4A"}
#: The chair, in body heights: the top of its seat above the floor (a seated
#: figure's hip, with thighs level and shins upright, is one shin length up,
#: so it rests on the seat), the seat's depth, how far the seat's front edge
#: sits behind the feet, and the backrest's height above the seat.
CHAIR = {"seat": LENGTH["shin"] - 0.03, "depth": 0.42, "toe_gap": 0.1, "back": 0.45}
#: What is shown in place of the picture of an exercise without positions.
NO_PICTURE = "No picture for this exercise yet"


def chair_seat(pts) -> tuple[float, float, float]:
    """Where a chair's seat is under a figure: ``(back x, front x, top y)``.

    The chair stands on the floor at a fixed height (:data:`CHAIR`), so a
    pose that stands up leaves it behind.  It is placed from the feet, which
    stay put when a person sits, stands or lifts one knee: the seat's front
    edge is a little behind the rearmost foot on the floor.
    """
    feet = [pts[f"{s}_foot"] for s in ("near", "far")]
    low = min(f[1] for f in feet)
    planted = [f[0] for f in feet if f[1] - low < 0.02]
    front = min(planted) - CHAIR["toe_gap"]
    return front - CHAIR["depth"], front, CHAIR["seat"]


def prop_shapes(pose, pts, dx: float, left: float, right: float) -> list[Shape]:
    """What is drawn around the figure: a mat, a cushion, a chair, water or a bike."""
    prop = pose.get("prop")
    c = PROP_COLORS.get(prop, "#777777")
    out: list[Shape] = []
    if prop == "chair":
        back, front, top = chair_seat(pts)
        back, front = back + dx, front + dx
        t = 0.035
        out.append(Shape("poly", _rect(back, top - t, front, top), fill=c, z=1))
        for x in (back + 0.02, front - 0.02):
            out.append(Shape("line", np.array([(x, 0), (x, top - t)]), stroke=c, width=0.025,
                             z=1))
        rest = (back - 0.03, top + CHAIR["back"])
        out.append(Shape("line", np.array([(back + 0.02, top), rest]), stroke=c, width=0.03,
                         z=1))
        out.append(Shape("line", np.array([(rest[0] - 0.005, rest[1]),
                                           (rest[0] + 0.01, rest[1] - 0.12)]),
                         stroke=c, width=0.05, z=1))
    elif prop == "mat":
        out.append(Shape("poly", _rect(left + dx - 0.05, -0.03, right + dx + 0.05, 0.0),
                         fill=c, z=1))
    elif prop == "cushion":
        centre = pts["head"] + (dx, -LENGTH["head"] - 0.012)
        t = np.linspace(0, 2 * math.pi, 24)
        out.append(Shape("poly", centre + np.c_[0.11 * np.cos(t), 0.028 * np.sin(t)], fill=c,
                         z=1))
    elif prop == "water":
        level = pts["shoulder"][1] + 0.05
        out.append(Shape("poly", _rect(left + dx - 0.1, 0, right + dx + 0.1, level), fill=c,
                         alpha=0.25, z=0))
        out.append(Shape("line", np.array([(left + dx - 0.1, level), (right + dx + 0.1, level)]),
                         stroke=c, width=0.012, z=0))
    elif prop == "bike":
        hip = pts["hip"] + (dx, 0)
        r = 0.2
        back, front = np.array([hip[0] - 0.35, r]), np.array([hip[0] + 0.45, r])
        t = np.linspace(0, 2 * math.pi, 32)
        for w in (back, front):
            out.append(Shape("line", w + np.c_[r * np.cos(t), r * np.sin(t)], stroke=c,
                             width=0.02, z=1))
        crank = np.array([hip[0] + 0.05, r])
        for a, b in ((back, crank), (crank, hip - (0, 0.03)), (hip - (0, 0.03), front),
                     (front, pts["near_hand"] + (dx, 0))):
            out.append(Shape("line", np.array([a, b]), stroke=c, width=0.02, z=1))
    return out


def _arrow(x0: float, x1: float, y: float) -> list[Shape]:
    head = 0.07
    return [Shape("line", np.array([(x0, y), (x1 - head * 0.8, y)]), stroke=ARROW, width=0.025,
                  z=6),
            Shape("poly", np.array([(x1, y), (x1 - head, y + head * 0.55),
                                    (x1 - head, y - head * 0.55)]), fill=ARROW, z=6)]


def dose_label(ex_id: str, *, lib: Library | None = None) -> str:
    """The starting dose in words, for under a picture."""
    return exercise_content(ex_id, lib=lib).dose


def _rows(ex_id: str, *, lib: Library, poses: pd.DataFrame | None = None) -> pd.DataFrame:
    """The exercise's positions in order, from ``poses`` (by default the library's)."""
    poses = poses if poses is not None else lib.poses
    return poses[poses["exercise"] == ex_id].sort_values("pose")


def _label_lines(text: str, width: float, size: float = LABEL_SIZE) -> list[str]:
    """``text`` wrapped to ``width`` body heights at ``size`` (about 0.55 em a letter)."""
    chars = max(8, int(width / (size * 0.55)))
    return textwrap.wrap(text, chars) or [""]


def picture_shapes(ex_id: str, *, lib: Library | None = None,
                   poses: pd.DataFrame | None = None, dose: str | None = None,
                   title: str = "") -> tuple[list[Shape], tuple]:
    """The exercise's picture as shapes, and its bounds ``(x0, y0, x1, y1)``.

    Its positions side by side, each in a slot at least :data:`MIN_SLOT` wide
    with its label beneath; the first ghosted behind the last; an arrow from
    one to the next; the parts that move in orange; the floor.  ``dose`` is
    written above (``None``: the starting dose; ``""``: none) and ``title``
    above that.
    """
    lib = resolve(lib)
    rows = _rows(ex_id, lib=lib, poses=poses)
    if rows.empty:
        return [], (0, 0, 0, 0)
    moving = _moving_parts(rows)
    placed = []
    x = 0.0
    top = 0.0
    for _, pose in rows.iterrows():
        pts = pose_points(pose)
        left, right, height = _extent(pts)
        pad = max(0.0, MIN_SLOT - (right - left)) / 2
        dx = x + pad - left
        placed.append((pose, pts, dx, left, right))
        x = dx + right + pad + 0.45
        top = max(top, height)
    shapes: list[Shape] = []
    label_rows = 1
    # Labels keep one size in the width they are shown: a wider picture, larger text.
    size = max(LABEL_SIZE, LABEL_SHARE * (x - 0.45 + 0.3))
    for i, (pose, pts, dx, left, right) in enumerate(placed):
        shapes += prop_shapes(pose, pts, dx, left, right)
        if i == len(placed) - 1 and len(placed) > 1:
            # The start, faint, where it would be: the hips of both in one place.
            first_pose, first_pts = placed[0][:2]
            shapes += figure_shapes(first_pose, first_pts, dx, ghost=True)
        shapes += figure_shapes(pose, pts, dx, moving=moving if i else frozenset())
        label = pose.get("label")
        if isinstance(label, str) and label:
            slot = max(MIN_SLOT, right - left)
            lines = _label_lines(label, slot * 0.95, size)
            label_rows = max(label_rows, len(lines))
            shapes.append(Shape("text", np.array([(left + right) / 2 + dx, -0.06]),
                                text="\n".join(lines), fill="#222222", z=7, size=size))
        if i:
            prev_right = placed[i - 1][4] + placed[i - 1][2] + 0.05
            shapes += _arrow(prev_right + 0.05, left + dx - 0.05, top * 0.55)
    width = x - 0.45
    shapes.append(Shape("line", np.array([(-0.1, 0), (width + 0.1, 0)]), stroke="#777777",
                        width=0.012, z=0))
    y1 = top + 0.12
    if dose is None and ex_id in lib.exercises.index:
        dose = dose_label(ex_id, lib=lib)
    if dose:
        shapes.append(Shape("text", np.array([width / 2, y1 + 0.02]), text=dose,
                            fill=MOVING, size=LABEL_SIZE * 1.1, z=7))
        y1 += LABEL_SIZE * 1.6
    if title:
        shapes.append(Shape("text", np.array([width / 2, y1 + 0.02]), text=title,
                            fill="#111111", size=LABEL_SIZE * 1.4, z=7))
        y1 += LABEL_SIZE * 2.0
    y0 = -0.1 - label_rows * size * 1.25
    return shapes, (-0.15, y0, width + 0.15, y1)



# --- the movement -----------------------------------------------------------------------


def _blend(a: float, b: float, t: float) -> float:
    if math.isnan(a) or math.isnan(b):
        return a if t < 0.5 else b
    d = (b - a + 180) % 360 - 180
    return a + d * t


def movement_frames(ex_id: str, *, lib: Library | None = None,
                    poses: pd.DataFrame | None = None, frames: int = 30) -> list[pd.Series]:
    """The poses of the movement, eased: through every position in order and back.

    Each leg between two positions eases in and out (a cosine), so the body
    slows at each position; several positions (cat-cow's round and arch) make
    a movement that is not one straight blend.
    """
    lib = resolve(lib)
    rows = _rows(ex_id, lib=lib, poses=poses)
    keys = [r for _, r in rows.iterrows()]
    if len(keys) < 2:
        return keys
    path = keys + keys[-2::-1]  # there and back
    legs = len(path) - 1
    per = max(2, frames // legs)
    out = []
    for k in range(legs):
        a, b = path[k], path[k + 1]
        for j in range(per):
            t = (1 - math.cos(math.pi * j / per)) / 2
            pose = a.copy()
            for col in ("lift", *schema.POSE_ANGLES):
                pose[col] = _blend(float(a[col]), float(b[col]), t)
            out.append(pose)
    return out
