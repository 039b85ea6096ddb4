"""Pictures of every exercise, drawn from data.

Each exercise has positions in ``data/poses.csv``: the segment angles of a
figure seen from the side or the front (trunk, head, near and far arms and
legs) and what is around it (a mat, a cushion, a chair, water, a bike).

The figure has a body: a head with a nose that shows which way it faces, a
neck, a tapered torso that follows the spine's curve, and limbs as rounded
segments with hands and feet; its far limbs are lighter than its near ones,
and the parts that move are drawn in orange.  One scale and one camera serve
the whole library.

Everything is first made into plain shapes (:func:`picture_shapes`), then
written out: :func:`picture_svg` writes SVG directly (crisp at any size, and
quick), :func:`draw_exercise` draws the same shapes on matplotlib axes (for
the PDF handout and PNGs), and :func:`animation_html` plays the movement from
start to end and back, eased, as SVG frames that a style sheet steps through
in the browser (no script, no kernel).  An exercise without positions gets a
plain placeholder.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import math
import textwrap
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.patches import Rectangle

from . import schema
from .library import Library, resolve
from .plan import describe_dose, dose_for

#: Segment lengths of the figure, in body heights (a standing figure is ~1.65).
LENGTH = {"trunk": 0.5, "neck": 0.07, "head": 0.075, "upper_arm": 0.27, "forearm": 0.25,
          "thigh": 0.42, "shin": 0.42}
#: From the front: the width of the hips and of the shoulders, joint to joint.
WIDTH = {"hips": 0.18, "shoulders": 0.32}
NEAR, FAR, GHOST = "#1F3B73", "#8FA8D8", "#1F3B73"
#: The parts that move, near and far, and the arrow of the movement.
MOVING, MOVING_FAR, ARROW = "#D55E00", "#F2AD84", "#D55E00"
#: Half-widths of the body, in body heights: the torso (side: its depth; front:
#: its width) at the hips and the chest, and each limb at its two ends.
BODY = {"hips": 0.085, "chest": 0.1, "hips_front": 0.13, "chest_front": 0.17,
        "neck": 0.03, "upper_arm": (0.037, 0.03), "forearm": (0.03, 0.024),
        "thigh": (0.06, 0.045), "shin": (0.045, 0.032), "hand": 0.03, "foot": 0.1}
#: How far (body heights) a part's far end must travel between positions for the
#: part to count as moving.
MOVES = 0.07
#: Label text, in body heights (a picture 3 body heights wide, shown 470 px wide,
#: sets it at about 14 px).
LABEL_SIZE = 0.09
#: ... and at least this share of the picture's width, so a label is 12 px or more
#: wherever the picture is 460 px wide or more.
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
#: The picture's size in inches, as drawn for the page and the handout.
PICTURE_SIZE = (5.2, 2.6)
NO_PICTURE = "No picture for this exercise yet"


def _dir(deg: float) -> np.ndarray:
    r = math.radians(deg)
    return np.array([math.cos(r), math.sin(r)])


def pose_points(pose) -> dict[str, np.ndarray]:
    """Joint positions of one pose, resting on the floor (y = 0) or lifted.

    Keys: ``hip`` and ``shoulder`` (the middle of the pelvis and of the
    shoulders), ``spine`` (the middle of the back, on its curve), ``neck``,
    ``head`` (its centre), and for each side (``near``, ``far``) its
    ``_hip``, ``_shoulder``, ``_elbow``, ``_hand``, ``_knee`` and ``_foot``.
    From the side a side's hip and shoulder are the middle ones; from the
    front (``view`` = front) they sit apart by :data:`WIDTH`, "near" on the
    viewer's left.  The lowest point (a joint, or the bottom of the head) is
    at ``lift`` (0 if blank): nothing goes below the floor.
    """
    a = {k: float(pose[k]) for k in schema.POSE_ANGLES}
    curve = 0.0 if math.isnan(a["spine_curve"]) else a["spine_curve"]
    head = a["trunk"] if math.isnan(a["head"]) else a["head"]
    front = pose.get("view", "side") == "front"
    p = {"hip": np.zeros(2)}
    p["shoulder"] = p["hip"] + LENGTH["trunk"] * _dir(a["trunk"])
    normal = _dir(a["trunk"] + 90)
    p["spine"] = (p["hip"] + p["shoulder"]) / 2 + normal * LENGTH["trunk"] * math.sin(
        math.radians(curve))
    p["neck"] = p["shoulder"] + LENGTH["neck"] * _dir(head)
    p["head"] = p["neck"] + LENGTH["head"] * _dir(head)
    across = -normal if front else np.zeros(2)  # towards the viewer's right
    for side, sign in (("near", -1.0), ("far", 1.0)):
        p[f"{side}_hip"] = p["hip"] + sign * across * WIDTH["hips"] / 2
        p[f"{side}_shoulder"] = p["shoulder"] + sign * across * WIDTH["shoulders"] / 2
        p[f"{side}_elbow"] = p[f"{side}_shoulder"] + LENGTH["upper_arm"] * _dir(
            a[f"{side}_upper_arm"])
        p[f"{side}_hand"] = p[f"{side}_elbow"] + LENGTH["forearm"] * _dir(a[f"{side}_forearm"])
        p[f"{side}_knee"] = p[f"{side}_hip"] + LENGTH["thigh"] * _dir(a[f"{side}_thigh"])
        p[f"{side}_foot"] = p[f"{side}_knee"] + LENGTH["shin"] * _dir(a[f"{side}_shin"])
    lows = [v[1] for k, v in p.items() if k != "spine"] + [p["head"][1] - LENGTH["head"]]
    lift = float(pose.get("lift", 0.0))
    shift = np.array([0.0, (0.0 if math.isnan(lift) else lift) - min(lows)])
    return {k: v + shift for k, v in p.items()}



def _extent(points) -> tuple[float, float, float]:
    xs = [v[0] for v in points.values()]
    ys = [v[1] for v in points.values()]
    r = LENGTH["head"] + 0.03
    return min(xs) - r, max(xs) + r, max(ys) + r


# --- shapes ---------------------------------------------------------------------------


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


def _capsule(a, b, ra: float, rb: float, n: int = 7) -> np.ndarray:
    """A rounded, tapered segment from ``a`` (radius ``ra``) to ``b`` (``rb``)."""
    ax_, ay, bx, by = float(a[0]), float(a[1]), float(b[0]), float(b[1])
    ang = math.atan2(by - ay, bx - ax_) if (bx - ax_) or (by - ay) else 0.0
    t = _HALF + ang
    c, s_ = np.cos(t), np.sin(t)
    return np.concatenate([np.stack([bx + rb * c, by + rb * s_], axis=1),
                           np.stack([ax_ - ra * c, ay - ra * s_], axis=1)])


#: The angles of a half circle, for the rounded ends of a segment.
_HALF = np.linspace(-math.pi / 2, math.pi / 2, 7)


def _torso(pts, front: bool) -> np.ndarray:
    """The torso: a tapered band along the spine's curve, hips to chest."""
    hip, ctrl, sh = pts["hip"], pts["spine"], pts["shoulder"]
    # The quadratic curve from hip to shoulder through ``spine`` (the middle of the back).
    c = 2 * ctrl - (hip + sh) / 2
    t = np.linspace(0, 1, 9)[:, None]
    line = (1 - t) ** 2 * hip + 2 * (1 - t) * t * c + t ** 2 * sh
    d1 = 2 * (1 - t) * (c - hip) + 2 * t * (sh - c)
    d2 = 2 * (hip - 2 * c + sh)
    speed = np.maximum(np.hypot(d1[:, 0], d1[:, 1]), 1e-9)
    tangent = d1 / speed[:, None]
    normal = np.c_[-tangent[:, 1], tangent[:, 0]]
    lo, hi = ((BODY["hips_front"], BODY["chest_front"]) if front
              else (BODY["hips"], BODY["chest"]))
    w = ((lo + (hi - lo) * np.sqrt(t)) * np.where(t < 0.85, 1.0, 0.85 + (1 - t)))[:, 0]
    # On the inside of a bend the band may be no wider than the bend's radius, or
    # its edge folds over itself (a cat's rounded back).
    cross = d1[:, 0] * d2[1] - d1[:, 1] * d2[0]
    radius = speed ** 3 / np.maximum(np.abs(cross), 1e-12)
    inner = np.minimum(w, 0.8 * radius)
    left = np.where(cross > 0, inner, w)[:, None]
    right = np.where(cross > 0, w, inner)[:, None]
    return np.vstack([line + normal * left, (line - normal * right)[::-1]])


def _moving_parts(rows: pd.DataFrame) -> set[str]:
    """The parts that move between positions: ``torso``, ``head`` and each limb's
    segments (``near_upper_arm`` ... ``far_shin``), by how far their far end
    travels (:data:`MOVES`, in body heights).  A leg lifted at the hip moves
    thigh and shin alike, though only the thigh's angle changed."""
    moving: set[str] = set()
    if len(rows) < 2:
        return moving
    bodies = [pose_points(r) for _, r in rows.iterrows()]

    def travels(joint: str) -> bool:
        return max(float(np.hypot(*(b[joint] - bodies[0][joint]))) for b in bodies) >= MOVES

    if travels("shoulder") or travels("spine"):
        moving.add("torso")
    if travels("head"):
        moving.add("head")
    for side in ("near", "far"):
        for part, joint in (("upper_arm", "elbow"), ("forearm", "hand"), ("thigh", "knee"),
                            ("shin", "foot")):
            if travels(f"{side}_{joint}"):
                moving.add(f"{side}_{part}")
    return moving


def figure_shapes(pose, pts=None, dx: float = 0.0, *, moving=frozenset(),
                  ghost: bool = False) -> list[Shape]:
    """The body of one pose as shapes, shifted ``dx`` to the right.

    ``moving`` names the parts drawn in the moving colour (see
    :func:`_moving_parts`); ``ghost`` draws the whole body
    faint, for the start position behind the end.
    """
    pts = pose_points(pose) if pts is None else pts
    pts = {k: v + (dx, 0.0) for k, v in pts.items()}
    front = pose.get("view", "side") == "front"
    alpha = 0.16 if ghost else 1.0
    out: list[Shape] = []

    def color(part: str, side: str) -> str:
        if ghost:
            return GHOST
        if part in moving:
            return MOVING if side == "near" or front else MOVING_FAR
        return NEAR if side == "near" or front else FAR

    body = GHOST if ghost else (MOVING if "torso" in moving else NEAR)
    head_color = GHOST if ghost else (MOVING if "head" in moving else NEAR)
    torso = _torso(pts, front)
    out.append(Shape("poly", torso, fill=body, alpha=alpha, z=3))
    if not ghost:  # rounded at the hips and the shoulders, where the band is cut square
        for end, k in ((pts["hip"], 0), (pts["shoulder"], len(torso) // 2 - 1)):
            r = float(np.hypot(*(torso[k] - torso[-1 - k]))) / 2
            out.append(Shape("circle", np.array([*((torso[k] + torso[-1 - k]) / 2), r]),
                             fill=body, z=3))
    out.append(Shape("poly", _capsule(pts["shoulder"], pts["neck"], BODY["neck"],
                                      BODY["neck"]), fill=head_color, alpha=alpha, z=3))
    r = LENGTH["head"]
    out.append(Shape("circle", np.array([*pts["head"], r]), fill=head_color, alpha=alpha, z=5))
    if not front:  # a nose: which way the figure faces
        head_dir = pts["head"] - pts["neck"]
        ang = math.degrees(math.atan2(head_dir[1], head_dir[0])) - 90
        nose = pts["head"] + _dir(ang) * r * 0.95
        out.append(Shape("circle", np.array([*nose, r * 0.3]), fill=head_color, alpha=alpha,
                         z=5))
    for side in ("far", "near"):
        z = 4 if (side == "near" or front) else 2
        arm = [(f"{side}_shoulder", f"{side}_elbow", "upper_arm"),
               (f"{side}_elbow", f"{side}_hand", "forearm")]
        leg = [(f"{side}_hip", f"{side}_knee", "thigh"), (f"{side}_knee", f"{side}_foot", "shin")]
        for a, b, part in arm + leg:
            ra, rb = BODY[part]
            c = color(f"{side}_{part}", side)
            out.append(Shape("poly", _capsule(pts[a], pts[b], ra, rb), fill=c, alpha=alpha,
                             z=z + (0.1 if part in ("forearm", "shin") else 0)))
        c = color(f"{side}_forearm", side)
        out.append(Shape("circle", np.array([*pts[f"{side}_hand"], BODY["hand"]]), fill=c,
                         alpha=alpha, z=z + 0.2))
        out.append(Shape("poly", _foot(pts, side, pose, front), fill=color(f"{side}_shin", side),
                         alpha=alpha, z=z + 0.2))
    return out


def _foot(pts, side: str, pose, front: bool) -> np.ndarray:
    """A foot: flat along the floor when it is on it, else at right angles to the shin."""
    ankle, knee = pts[f"{side}_foot"], pts[f"{side}_knee"]
    if front:
        toward = -1.0 if side == "near" else 1.0
        return _capsule(ankle, ankle + (0.045 * toward, -0.012), 0.028, 0.022)
    shin = ankle - knee
    ang = math.degrees(math.atan2(shin[1], shin[0]))
    d = _dir(ang + 90)
    if ankle[1] < 0.05:  # on the floor: flat, toes the way the foot points
        d = np.array([1.0 if d[0] >= 0 else -1.0, 0.0])
    return _capsule(ankle, ankle + d * BODY["foot"], 0.03, 0.022)


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


def _rect(x0, y0, x1, y1) -> np.ndarray:
    return np.array([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], float)


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


def dose_label(ex_id: str, lib: Library | None = None) -> str:
    """The starting dose in words, for under a picture."""
    d = dose_for(ex_id, lib=lib)
    return describe_dose(d["sets"], d["reps"], d["hold_s"], d["rest_s"], d["per_side"],
                         d["minutes"])


def _rows(ex_id: str, lib: Library, poses: pd.DataFrame | None) -> pd.DataFrame:
    poses = poses if poses is not None else lib.poses
    return poses[poses["exercise"] == ex_id].sort_values("pose")


def _label_lines(text: str, width: float, size: float = LABEL_SIZE) -> list[str]:
    """``text`` wrapped to ``width`` body heights at ``size`` (about 0.55 em a letter)."""
    chars = max(8, int(width / (size * 0.55)))
    return textwrap.wrap(text, chars) or [""]


def picture_shapes(ex_id: str, lib: Library | None = None, poses: pd.DataFrame | None = None,
                   *, dose: str | None = None, title: str = "") -> tuple[list[Shape], tuple]:
    """The exercise's picture as shapes, and its bounds ``(x0, y0, x1, y1)``.

    Its positions side by side, each in a slot at least :data:`MIN_SLOT` wide
    with its label beneath; the first ghosted behind the last; an arrow from
    one to the next; the parts that move in orange; the floor.  ``dose`` is
    written above (``None``: the starting dose; ``""``: none) and ``title``
    above that.
    """
    lib = resolve(lib)
    rows = _rows(ex_id, lib, poses)
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


# --- writing shapes out -----------------------------------------------------------------


def _fmt(v: float) -> str:
    return f"{v:.3f}".rstrip("0").rstrip(".")


def shapes_svg(shapes: list[Shape], bounds, *, label: str = "", css_class: str = "") -> str:
    """SVG markup of ``shapes`` within ``bounds`` (``x0, y0, x1, y1``): a ``viewBox``
    and no fixed size, so it fills the width it is given and stays sharp."""
    x0, y0, x1, y1 = bounds
    W, H = x1 - x0, y1 - y0

    def pt(x, y):
        return f"{_fmt(x - x0)},{_fmt(y1 - y)}"

    parts = []
    for s in sorted(shapes, key=lambda s: s.z):
        op = f' opacity="{_fmt(s.alpha)}"' if s.alpha < 1 else ""
        if s.kind == "poly":
            pts = " ".join(pt(x, y) for x, y in s.xy)
            parts.append(f'<polygon points="{pts}" fill="{s.fill}"{op}/>')
        elif s.kind == "line":
            pts = " ".join(pt(x, y) for x, y in s.xy)
            parts.append(f'<polyline points="{pts}" fill="none" stroke="{s.stroke}" '
                         f'stroke-width="{_fmt(s.width)}" stroke-linecap="round" '
                         f'stroke-linejoin="round"{op}/>')
        elif s.kind == "circle":
            cx, cy, r = s.xy
            parts.append(f'<circle cx="{_fmt(cx - x0)}" cy="{_fmt(y1 - cy)}" r="{_fmt(r)}" '
                         f'fill="{s.fill}"{op}/>')
        elif s.kind == "text":
            x, y = np.atleast_2d(s.xy)[0]
            lines = s.text.split("\n")
            # A label hangs below its point; a heading sits on it.
            first = y1 - y + (s.size * 0.85 if s.z == 7 and y < 0 else 0)
            spans = "".join(
                f'<tspan x="{_fmt(x - x0)}" y="{_fmt(first + k * s.size * 1.2)}">'
                f"{html.escape(t)}</tspan>" for k, t in enumerate(lines))
            weight = ' font-weight="bold"' if s.fill != "#222222" else ""
            parts.append(f'<text font-family="DejaVu Sans, Helvetica, Arial, sans-serif" '
                         f'font-size="{_fmt(s.size)}" fill="{s.fill}" text-anchor="{s.anchor}"'
                         f'{weight}>{spans}</text>')
    cls = f' class="{css_class}"' if css_class else ""
    aria = f' role="img" aria-label="{html.escape(label)}"' if label else ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_fmt(W)} {_fmt(H)}" '
            f'preserveAspectRatio="xMidYMid meet"{cls}{aria}>' + "".join(parts) + "</svg>")


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
                    linespacing=1.1)
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


def draw_exercise(ex_id: str, lib: Library | None = None, poses: pd.DataFrame | None = None,
                  ax: Axes | None = None, *, title: bool = True, dose: str | None = None) -> Axes:
    """Draw an exercise's picture (:func:`picture_shapes`) on matplotlib axes.

    ``dose`` is the dose written above the figure: by default the starting
    dose (:func:`dose_label`); give an entry's own dose in words to show
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
        ax.set_title(name, fontsize=12, fontweight="bold", y=1.0)  # placed: no layout search
    shapes, bounds = picture_shapes(ex_id, lib=lib, poses=poses, dose=dose)
    if not shapes:
        ax.add_patch(Rectangle((0.05, 0.1), 0.9, 0.8, transform=ax.transAxes, fill=False,
                               ls="--", ec="#888888"))
        ax.text(0.5, 0.5, NO_PICTURE, transform=ax.transAxes, ha="center", va="center",
                color="#555555", fontsize=10)
        return ax
    shapes_to_axes(shapes, bounds, ax)
    return ax


def picture_png(ex_id: str, lib: Library | None = None, poses: pd.DataFrame | None = None,
                dpi: int = 80, *, dose: str | None = None) -> bytes:
    """PNG bytes of :func:`draw_exercise`, for where SVG cannot go."""
    ax = draw_exercise(ex_id, lib=lib, poses=poses, dose=dose)
    buf = io.BytesIO()
    ax.figure.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def picture_svg(ex_id: str, lib: Library | None = None, poses: pd.DataFrame | None = None, *,
                dose: str | None = "", title: bool = False) -> str:
    """The exercise's picture as SVG text: crisp at any size, labels as real text.

    No dose and no title by default (the page shows them beside it); pass
    ``dose=None`` for the starting dose, or a dose in words.
    """
    lib = resolve(lib)
    name = lib.exercises.at[ex_id, "name"] if ex_id in lib.exercises.index else ex_id
    shapes, bounds = picture_shapes(ex_id, lib=lib, poses=poses, dose=dose,
                                    title=name if title else "")
    if not shapes:
        return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 120" role="img" '
                f'aria-label="{html.escape(NO_PICTURE)}"><rect x="5" y="5" width="290" '
                f'height="110" fill="none" stroke="#888" stroke-dasharray="6 4"/>'
                f'<text x="150" y="66" text-anchor="middle" font-size="14" fill="#555">'
                f"{html.escape(NO_PICTURE)}</text></svg>")
    return shapes_svg(shapes, bounds, label=f"Picture of {name}", css_class="bg-picture-svg")


def picture_img_tag(ex_id: str, lib: Library | None = None,
                    poses: pd.DataFrame | None = None, width: int = 420, *,
                    dose: str | None = None) -> str:
    """The picture inline, as SVG in an ``<img>`` tag (for cards and pages)."""
    svg = picture_svg(ex_id, lib=lib, poses=poses, dose=dose)
    data = base64.b64encode(svg.encode()).decode()
    return (f'<img class="bg-picture" alt="Picture of the exercise" width="{width}" '
            f'src="data:image/svg+xml;base64,{data}">')


# --- the movement -----------------------------------------------------------------------


def _blend(a: float, b: float, t: float) -> float:
    if math.isnan(a) or math.isnan(b):
        return a if t < 0.5 else b
    d = (b - a + 180) % 360 - 180
    return a + d * t


def movement_frames(ex_id: str, lib: Library | None = None, poses: pd.DataFrame | None = None,
                    frames: int = 30) -> list[pd.Series]:
    """The poses of the movement, eased: through every position in order and back.

    Each leg between two positions eases in and out (a cosine), so the body
    slows at each position; several positions (cat-cow's round and arch) make
    a movement that is not one straight blend.
    """
    lib = resolve(lib)
    rows = _rows(ex_id, lib, poses)
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


def animation_html(ex_id: str, lib: Library | None = None,
                   poses: pd.DataFrame | None = None, frames: int = 30, fps: int = 12, *,
                   autoplay: bool = True) -> str:
    """HTML that plays the movement from start to end and back, eased.

    The frames are SVG; a style sheet shows each in turn, so it plays in
    JupyterLab, Voila and an ipywidgets HTML box alike, with no script and no
    kernel round trip.  ``autoplay=False`` shows the first position still.
    """
    lib = resolve(lib)
    rows = _rows(ex_id, lib, poses)
    if len(rows) < 2:
        return picture_svg(ex_id, lib=lib, poses=poses)
    seq = movement_frames(ex_id, lib=lib, poses=poses, frames=frames)
    moving = _moving_parts(rows)
    bodies = [(pose, pose_points(pose)) for pose in seq]
    first = rows.iloc[0]
    lo = min(_extent(p)[0] for _, p in bodies)
    hi = max(_extent(p)[1] for _, p in bodies)
    top = max(_extent(p)[2] for _, p in bodies)
    first_pts = pose_points(first)
    static = prop_shapes(first, first_pts, 0.0, lo, hi)
    static.append(Shape("line", np.array([(lo - 0.1, 0), (hi + 0.1, 0)]), stroke="#777777",
                        width=0.012, z=0))
    bounds = (lo - 0.15, -0.08, hi + 0.15, top + 0.1)
    key = hashlib.sha1(f"{ex_id}{len(seq)}{rows.to_csv()}".encode()).hexdigest()[:10]
    n, period = len(seq), len(seq) / fps
    groups = []
    for i, (pose, pts) in enumerate(bodies):
        svg = shapes_svg(figure_shapes(pose, pts, moving=moving), bounds)
        inner = svg[svg.index(">") + 1:-len("</svg>")]
        groups.append(f'<g class="bg-f bg-f{i}">{inner}</g>')
    back = shapes_svg(static, bounds)
    back_inner = back[back.index(">") + 1:-len("</svg>")]
    share = 100 / n
    play = "running" if autoplay else "paused"
    css = (f"#bg-anim-{key} .bg-f{{visibility:hidden;animation:bg-anim-{key} {period:.3f}s "
           f"steps(1,end) infinite;animation-play-state:{play}}}"
           f"@keyframes bg-anim-{key}{{0%{{visibility:visible}}{share:.4f}%{{visibility:hidden}}"
           f"100%{{visibility:hidden}}}}"
           + "".join(f"#bg-anim-{key} .bg-f{i}{{animation-delay:{i * period / n:.3f}s}}"
                     for i in range(n))
           + (f"#bg-anim-{key} .bg-f0{{visibility:visible}}" if not autoplay else ""))
    name = lib.exercises.at[ex_id, "name"] if ex_id in lib.exercises.index else ex_id
    x0, y0, x1, y1 = bounds
    return (f'<div class="bg-animation" id="bg-anim-{key}"><style>{css}</style>'
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_fmt(x1 - x0)} '
            f'{_fmt(y1 - y0)}" preserveAspectRatio="xMidYMid meet" role="img" '
            f'aria-label="The movement of {html.escape(name)}" style="width:100%;height:auto">'
            f"{back_inner}{''.join(groups)}</svg></div>")


def contact_sheet(lib: Library | None = None, poses: pd.DataFrame | None = None,
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
