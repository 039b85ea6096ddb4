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
from .body import (ARROW, DETAILS, LENGTH, MOVING, _extent, _moving_parts, detail,
                   figure_shapes, pose_points)
from .shapes import LABEL_SIZE, Shape, _rect, shapes_bounds

#: Labels are at least :data:`LABEL_SIZE` (body heights) and at least this share
#: of the picture's width, so a label is 12 px or more wherever the picture is
#: 460 px wide or more.
LABEL_SHARE = 0.0262
#: Narrowest slot a position gets in a picture, in body heights.
MIN_SLOT = 1.3
#: How far (body heights) a ghost or a chair may stick out of its slot before
#: the slot grows to hold it (less fits in the margin, or in the arrow's gap).
SPARE = 0.1
PROP_COLORS = {"mat": "#C9B28A", "cushion": "#E3C7A5", "water": "#56B4E9", "bike": "#555555",
               "chair": "#8B6B4A"}
#: The chair, in body heights: the top of its seat above the floor (a seated
#: figure's hip, with thighs level and shins upright, is one shin length up,
#: so it rests on the seat), the seat's depth, how far the seat's front edge
#: sits behind the feet, and the backrest's height above the seat.
CHAIR = {"seat": LENGTH["shin"] - 0.03, "depth": 0.42, "toe_gap": 0.1, "back": 0.45,
         "width": 0.48}
#: What is shown in place of the picture of an exercise without positions.
NO_PICTURE = "No picture for this exercise yet"


def chair_seat(pts) -> tuple[float, float, float]:
    """Where a chair's seat is under a figure: ``(back x, front x, top y)``.

    The chair stands on the floor at a fixed height (:data:`CHAIR`), so a
    pose that stands up leaves it behind.  It is placed from the feet, which
    stay put when a person sits, stands or lifts one knee: the seat's front
    edge is a little behind the rearmost foot on the floor.  Seen from the
    front (the two hips apart) the seat is across the picture, under the
    hips: then it gives the seat's left and right ends, :data:`CHAIR` wide.
    """
    if abs(float(pts["near_hip"][0] - pts["far_hip"][0])) > 1e-6:  # from the front
        x = float(pts["hip"][0])
        return x - CHAIR["width"] / 2, x + CHAIR["width"] / 2, CHAIR["seat"]
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
    if prop == "chair" and pose.get("view") == "front":
        out += _chair_from_the_front(pts, dx, c)
    elif prop == "chair":
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


def _chair_from_the_front(pts, dx: float, c: str) -> list[Shape]:
    """A chair seen from the front: the seat across, two front legs, and the
    backrest's posts and top rail behind the figure."""
    left, right, top = chair_seat(pts)
    left, right = left + dx, right + dx
    t = 0.035
    out = [Shape("poly", _rect(left, top - t, right, top), fill=c, z=1)]
    for x in (left + 0.02, right - 0.02):
        out.append(Shape("line", np.array([(x, 0), (x, top - t)]), stroke=c, width=0.025, z=1))
    rest = top + CHAIR["back"]
    for x in (left + 0.05, right - 0.05):
        out.append(Shape("line", np.array([(x, top), (x, rest)]), stroke=c, width=0.03, z=0.9))
    out.append(Shape("line", np.array([(left + 0.04, rest), (right - 0.04, rest)]), stroke=c,
                     width=0.05, z=0.9))
    return out


def anchor(pose, pts) -> float:
    """Where a position is pinned when drawn over or after another of its exercise:
    the chair's front edge when there is a chair (the chair stays put, and the
    feet with it: a figure standing up from it stands in front of it), else
    the hips."""
    if pose.get("prop") == "chair":
        return float(chair_seat(pts)[1])
    return float(pts["hip"][0])


def _turn_arrow(pts, twist: float, dx: float) -> list[Shape]:
    """A curved arrow over the head, the way the chest turns (``twist``, from the front)."""
    centre = pts["head"] + (dx, LENGTH["head"] + 0.08)
    rx, ry = 0.17, 0.05
    sweep = np.linspace(math.radians(200), math.radians(340), 20)
    if twist < 0:
        sweep = sweep[::-1]
    arc = centre + np.c_[rx * np.cos(sweep), ry * np.sin(sweep)]
    tip, before = arc[-1], arc[-3]
    d = (tip - before) / max(float(np.hypot(*(tip - before))), 1e-9)
    n = np.array([-d[1], d[0]])
    head = 0.06
    return [Shape("line", arc[:-1], stroke=ARROW, width=0.022, z=6),
            Shape("poly", np.array([tip + d * head * 0.4, tip - d * head * 0.6 + n * head * 0.5,
                                    tip - d * head * 0.6 - n * head * 0.5]), fill=ARROW, z=6)]


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
    n = len(rows)
    first = rows.iloc[0]
    first_pts = pose_points(first)
    for i, (_, pose) in enumerate(rows.iterrows()):
        pts = pose_points(pose)
        left, right, height = _extent(pts)
        pad = max(0.0, MIN_SLOT - (right - left)) / 2
        # The slot holds the figure, its chair and, at the end, the ghost of the start.
        lo, hi = left, right
        if pose.get("prop") == "chair":
            chair = shapes_bounds(prop_shapes(pose, pts, 0.0, left, right))
            lo, hi = min(lo, chair[0]), max(hi, chair[2])
        ghost_dx = anchor(pose, pts) - anchor(first, first_pts)
        if i == n - 1 and n > 1:
            g_left, g_right, _ = _extent(first_pts)
            lo, hi = min(lo, g_left + ghost_dx), max(hi, g_right + ghost_dx)
        # What sticks out less than :data:`SPARE` fits in the margin or the gap to the
        # next slot; the slot grows only for more (worked out as before when it does
        # not, so such pictures stay as they were).
        dx = x + pad - left if lo >= left - pad - SPARE else x - lo
        placed.append((pose, pts, dx, left, right, ghost_dx, lo, hi))
        x = (dx + right + pad if hi <= right + pad + SPARE else dx + hi) + 0.45
        top = max(top, height)
    shapes: list[Shape] = []
    label_rows = 1
    # Labels keep one size in the width they are shown: a wider picture, larger text.
    size = max(LABEL_SIZE, LABEL_SHARE * (x - 0.45 + 0.3))
    for i, (pose, pts, dx, left, right, ghost_dx, lo, hi) in enumerate(placed):
        shapes += prop_shapes(pose, pts, dx, left, right)
        if i == len(placed) - 1 and len(placed) > 1:
            # The start, faint, where it would be: the hips of both in one place
            # (or, on a chair, the chair: see :func:`anchor`).
            shapes += figure_shapes(first, first_pts, dx + ghost_dx, ghost=True)
        shapes += figure_shapes(pose, pts, dx, moving=moving if i else frozenset())
        twist = detail(pose, "twist")
        if i and twist and not math.isnan(twist) and pose.get("view") == "front":
            shapes += _turn_arrow(pts, twist, dx)
        label = pose.get("label")
        if isinstance(label, str) and label:
            slot = max(MIN_SLOT, right - left)
            lines = _label_lines(label, slot * 0.95, size)
            label_rows = max(label_rows, len(lines))
            shapes.append(Shape("text", np.array([(left + right) / 2 + dx, -0.06]),
                                text="\n".join(lines), fill="#222222", z=7, size=size))
        if i:  # from what is drawn of the one before to what is drawn of this one
            prev = placed[i - 1]
            prev_right = (prev[4] + 0.05 if prev[7] <= prev[4] + SPARE else prev[7]) + prev[2]
            start = (left if lo >= left - SPARE else lo) + dx
            shapes += _arrow(prev_right + 0.05, start - 0.05, top * 0.55)
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
    # Nothing drawn is cut off: the bounds hold every shape (a foot, a ghost).
    x0, _, x1, top_drawn = shapes_bounds([s for s in shapes if s.kind != "text"])
    return shapes, (min(-0.15, x0 - 0.03), y0, max(width + 0.15, x1 + 0.03),
                    max(y1, top_drawn + 0.03))



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
            for col in DETAILS:
                if col in pose.index:
                    pose[col] = (detail(a if t < 0.5 else b, col) if col == "hands" else
                                 _blend(detail(a, col), detail(b, col), t))
            out.append(pose)
    return out


def movement_shapes(ex_id: str, *, lib: Library | None = None,
                    poses: pd.DataFrame | None = None, frames: int = 30):
    """The movement as shapes: ``(still, frames, bounds)``.

    ``still`` is what stays put (the props of the first position and the
    floor); ``frames`` the figure's shapes in each pose of
    :func:`movement_frames`, each pinned where the first is (:func:`anchor`:
    the hips, or the chair), so a figure standing up from a chair stands up in
    front of it; ``bounds`` (``x0, y0, x1, y1``) hold every frame, with a margin.
    """
    lib = resolve(lib)
    rows = _rows(ex_id, lib=lib, poses=poses)
    seq = movement_frames(ex_id, lib=lib, poses=poses, frames=frames)
    moving = _moving_parts(rows)
    first = rows.iloc[0]
    first_pts = pose_points(first)
    home = anchor(first, first_pts)
    bodies = []
    for pose in seq:
        pts = pose_points(pose)
        bodies.append(figure_shapes(pose, pts, home - anchor(pose, pts), moving=moving))
    figures = [s for body in bodies for s in body]
    lo, _, hi, _ = shapes_bounds(figures)
    still = prop_shapes(first, first_pts, 0.0, lo, hi)
    x0, _, x1, _ = shapes_bounds(still + figures)
    # The floor, from edge to edge of what is drawn.
    still.append(Shape("line", np.array([(min(x0, lo - 0.1), 0), (max(x1, hi + 0.1), 0)]),
                       stroke="#777777", width=0.012, z=0))
    x0, y0, x1, y1 = shapes_bounds(still + figures)
    margin = 0.06
    return still, bodies, (x0 - margin, y0 - margin, x1 + margin, y1 + margin)
