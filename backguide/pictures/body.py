"""The figure: where a pose puts its joints, and its body as plain shapes.

Each exercise has positions in ``data/poses.csv``: the segment angles of a
figure seen from the side or the front (trunk, head, near and far arms and
legs).  :func:`pose_points` turns one into joint positions; :func:`figure_shapes`
gives the figure a body: a head with a nose that shows which way it faces, a
neck, a tapered torso that follows the spine's curve, and limbs as rounded
segments with hands and feet.  Its far limbs are lighter than its near ones,
and the parts that move (:func:`_moving_parts`) are drawn in orange.  One
scale serves the whole library: lengths are in body heights.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .. import schema
from .shapes import Shape, _capsule, _dir

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

