"""The figure: where a pose puts its joints, and its body as plain shapes.

Each exercise has positions in ``data/poses.csv``: the segment angles of a
figure seen from the side or the front (trunk, head, near and far arms and
legs).  :func:`pose_points` turns one into joint positions; :func:`figure_shapes`
gives the figure a body: a head with a nose that shows which way it faces, a
neck, a tapered torso that follows the spine's curve, and limbs as rounded
segments with hands and feet.  Its far limbs are lighter than its near ones,
and the parts that move (:func:`_moving_parts`) are drawn in orange.  One
scale serves the whole library: lengths are in body heights.

Three optional columns of ``poses.csv`` (read by :func:`detail`; blank or
absent, the figure is drawn as before) show what the angles alone cannot:

``pelvis``  the pelvis's angle, in degrees like ``trunk`` (the way from the hip
            joints up to the waist), seen from the side: drawn shaded below a
            white waistband at right angles to it, so a pelvic tilt's rock
            shows; tipped forward of the trunk it hollows the small of the
            back (:func:`_hollow`), leaving a gap under a back lying arched.
            Without it the pelvis lies along the lower back (from ``hip``
            towards ``spine``) and is not drawn apart.
``twist``   how far, in degrees, the chest and shoulders turn round the spine
            from the hips, seen from the front (positive: to the figure's
            left, the viewer's right): the shoulders and chest narrow, the
            nose shows on that side, the arms are edged in white (crossed
            over the chest they show against it) and, when it turns, only
            the chest is in the moving colour: the hips stay.
``hands``   ``palms`` (palms pressed together, fingers along the forearms) or
            ``clasped`` (fingers interlaced): hands drawn as hands, not dots.

Seen from the front on a chair, the thighs point at the viewer: they are drawn
end on, :data:`END_ON` of their length, so the knees sit beside the hips.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .. import schema
from .shapes import Shape, _capsule, _dir

#: Segment lengths of the figure, in body heights (a standing figure is ~1.65).
LENGTH = {"trunk": 0.5, "neck": 0.07, "head": 0.075, "upper_arm": 0.27, "forearm": 0.25,
          "thigh": 0.42, "shin": 0.42, "pelvis": 0.12}
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
#: How far (degrees) the pelvis or the chest must turn between positions for the
#: torso to count as moving.
TURNS = 12.0
#: The optional columns of ``poses.csv`` that add detail (see the module's notes).
DETAILS = ("pelvis", "twist", "hands")
#: The hands a pose may show (``hands`` column), besides plain round ones.
HANDS = schema.POSE_HANDS
#: The share of a thigh's length seen when it points at the viewer (seated, from the front).
END_ON = 0.13
#: The waistband: this far (body heights) up the pelvis from the hip joints.
WAIST = 0.1


def detail(pose, name: str):
    """An optional column of a pose (:data:`DETAILS`): a number (NaN when blank or
    absent), or for ``hands`` the word (``""`` when blank)."""
    try:
        value = pose.get(name)
    except AttributeError:
        value = None
    if name == "hands":
        return value.strip() if isinstance(value, str) else ""
    if value is None:
        return math.nan
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _twist(pose) -> float:
    t = detail(pose, "twist")
    return 0.0 if math.isnan(t) else t


#: Points inside the torso, not joints: they do not rest on the floor.
INNER = ("spine", "pelvis")


def pose_points(pose) -> dict[str, np.ndarray]:
    """Joint positions of one pose, resting on the floor (y = 0) or lifted.

    Keys: ``hip`` and ``shoulder`` (the middle of the pelvis and of the
    shoulders), ``spine`` (the middle of the back, on its curve), ``neck``,
    ``head`` (its centre), and for each side (``near``, ``far``) its
    ``_hip``, ``_shoulder``, ``_elbow``, ``_hand``, ``_knee`` and ``_foot``.
    From the side a side's hip and shoulder are the middle ones; from the
    front (``view`` = front) they sit apart by :data:`WIDTH`, "near" on the
    viewer's left (the shoulders closer by the cosine of a ``twist``).
    ``pelvis`` is the top of the pelvis, at the waist: :data:`LENGTH` up from
    ``hip`` at the ``pelvis`` angle, or along the lower back without one.  The
    lowest point (a joint, or the bottom of the head) is at ``lift`` (0 if
    blank): nothing goes below the floor.
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
    pelvis = detail(pose, "pelvis")
    if math.isnan(pelvis):
        d = p["spine"] - p["hip"]
        pelvis = math.degrees(math.atan2(d[1], d[0]))
    p["pelvis"] = p["hip"] + LENGTH["pelvis"] * _dir(pelvis)
    across = -normal if front else np.zeros(2)  # towards the viewer's right
    shoulders = WIDTH["shoulders"] * abs(math.cos(math.radians(_twist(pose)))) if front else 0.0
    thigh = LENGTH["thigh"] * (END_ON if front and pose.get("prop") == "chair" else 1.0)
    for side, sign in (("near", -1.0), ("far", 1.0)):
        p[f"{side}_hip"] = p["hip"] + sign * across * WIDTH["hips"] / 2
        p[f"{side}_shoulder"] = p["shoulder"] + sign * across * shoulders / 2
        p[f"{side}_elbow"] = p[f"{side}_shoulder"] + LENGTH["upper_arm"] * _dir(
            a[f"{side}_upper_arm"])
        p[f"{side}_hand"] = p[f"{side}_elbow"] + LENGTH["forearm"] * _dir(a[f"{side}_forearm"])
        p[f"{side}_knee"] = p[f"{side}_hip"] + thigh * _dir(a[f"{side}_thigh"])
        p[f"{side}_foot"] = p[f"{side}_knee"] + LENGTH["shin"] * _dir(a[f"{side}_shin"])
    lows = [v[1] for k, v in p.items() if k not in INNER] + [p["head"][1] - LENGTH["head"]]
    lift = float(pose.get("lift", 0.0))
    shift = np.array([0.0, (0.0 if math.isnan(lift) else lift) - min(lows)])
    return {k: v + shift for k, v in p.items()}


def _extent(points) -> tuple[float, float, float]:
    xs = [v[0] for v in points.values()]
    ys = [v[1] for v in points.values()]
    r = LENGTH["head"] + 0.03
    return min(xs) - r, max(xs) + r, max(ys) + r


def _torso(pts, front: bool, twist: float = 0.0, hollow: float = 0.0,
           n: int = 9) -> np.ndarray:
    """The torso: a tapered band along the spine's curve, hips to chest.

    From the front a chest turned ``twist`` degrees shows its width
    foreshortened and its side: as wide as an ellipse of the chest's width
    and depth, turned that far.  ``hollow`` (body heights) curves the small of
    the back in, above the pelvis: a pelvis tipped forward (:func:`_hollow`).
    ``n`` points along each side; the back's edge is the first ``n``."""
    hip, ctrl, sh = pts["hip"], pts["spine"], pts["shoulder"]
    # The quadratic curve from hip to shoulder through ``spine`` (the middle of the back).
    c = 2 * ctrl - (hip + sh) / 2
    t = np.linspace(0, 1, n)[:, None]
    line = (1 - t) ** 2 * hip + 2 * (1 - t) * t * c + t ** 2 * sh
    d1 = 2 * (1 - t) * (c - hip) + 2 * t * (sh - c)
    d2 = 2 * (hip - 2 * c + sh)
    speed = np.maximum(np.hypot(d1[:, 0], d1[:, 1]), 1e-9)
    tangent = d1 / speed[:, None]
    normal = np.c_[-tangent[:, 1], tangent[:, 0]]
    lo, hi = ((BODY["hips_front"], BODY["chest_front"]) if front
              else (BODY["hips"], BODY["chest"]))
    if front and twist:
        r = math.radians(twist)
        hi = math.hypot(hi * math.cos(r), BODY["chest"] * math.sin(r))
    w = ((lo + (hi - lo) * np.sqrt(t)) * np.where(t < 0.85, 1.0, 0.85 + (1 - t)))[:, 0]
    # On the inside of a bend the band may be no wider than the bend's radius, or
    # its edge folds over itself (a cat's rounded back).
    cross = d1[:, 0] * d2[1] - d1[:, 1] * d2[0]
    radius = speed ** 3 / np.maximum(np.abs(cross), 1e-12)
    inner = np.minimum(w, 0.8 * radius)
    left = np.where(cross > 0, inner, w)[:, None]
    right = np.where(cross > 0, w, inner)[:, None]
    if hollow:  # the small of the back, above the pelvis, curves in: towards the belly
        tt = t[:, 0]
        bump = np.where(tt < 0.55, np.sin(math.pi * tt / 0.55), 0.0) ** 2
        line = line - normal * (hollow * bump)[:, None]
    return np.vstack([line + normal * left, (line - normal * right)[::-1]])


#: How deep (body heights) the small of the back curves in for each degree the
#: pelvis tips forward of the trunk (``pelvis`` column).
HOLLOW = 0.0022


def _hollow(pose, pts) -> float:
    """How far the small of the back curves in: in proportion to how far the
    pelvis (its ``pelvis`` angle) tips forward, towards the belly, from the line
    of the trunk; nothing without a ``pelvis`` angle, or tipped back."""
    pelvis = detail(pose, "pelvis")
    if math.isnan(pelvis):
        return 0.0
    d = pts["shoulder"] - pts["hip"]
    forward = (math.degrees(math.atan2(d[1], d[0])) - pelvis + 180) % 360 - 180
    return HOLLOW * max(forward, 0.0)


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

    def turns(name: str) -> bool:
        values = [detail(r, name) for _, r in rows.iterrows()]
        values = [v for v in values if not math.isnan(v)]
        return bool(values) and max(values) - min(values) >= TURNS

    if travels("shoulder") or travels("spine") or turns("pelvis") or turns("twist"):
        moving.add("torso")
    if travels("head") or turns("twist"):
        moving.add("head")
    for side in ("near", "far"):
        for part, joint in (("upper_arm", "elbow"), ("forearm", "hand"), ("thigh", "knee"),
                            ("shin", "foot")):
            # Arms go round with a chest that turns.
            if travels(f"{side}_{joint}") or (part in ("upper_arm", "forearm")
                                               and turns("twist")):
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
    twist = _twist(pose) if front else 0.0
    hollow = 0.0 if front else _hollow(pose, pts)
    torso = _torso(pts, front, twist, hollow, n=25 if hollow else 9)
    if hollow and not ghost:
        # The space the small of the back curves away from, kept clear (of a ghost
        # behind): the gap under an arched back.
        full = _torso(pts, front, twist, 0.0, n=25)[:25]
        inside = np.array([-(full[-1] - full[0])[1], (full[-1] - full[0])[0]])
        inside = -inside / max(float(np.hypot(*inside)), 1e-9) * 0.01
        out.append(Shape("poly", np.vstack([full + inside, torso[:25][::-1]]), fill="#FFFFFF",
                         z=3))  # after a ghost's torso (drawn first), before this one
    # Seen from the front with a ``twist``: a chest that turns on hips that stay, so
    # when it moves only the chest (above the waist) is in the moving colour.
    turned = front and not math.isnan(detail(pose, "twist"))
    hips = NEAR if turned and body == MOVING else body
    out.append(Shape("poly", torso, fill=hips, alpha=alpha, z=3))
    ends = []
    if not ghost:  # rounded at the hips and the shoulders, where the band is cut square
        for k, fill in ((0, hips), (len(torso) // 2 - 1, body)):
            r = float(np.hypot(*(torso[k] - torso[-1 - k]))) / 2
            ends.append(np.array([*((torso[k] + torso[-1 - k]) / 2), r]))
            out.append(Shape("circle", ends[-1], fill=fill, z=3))
    if hips != body:
        up = pts["shoulder"] - pts["hip"]
        up = up / max(float(np.hypot(*up)), 1e-9)
        chest = _clip(torso, pts["hip"] + up * LENGTH["trunk"] * 0.45, -up)
        out.append(Shape("poly", chest, fill=body, alpha=alpha, z=3.02))
    if not front and not math.isnan(detail(pose, "pelvis")):
        out += _pelvis(pts, torso, ends[0] if ends else None, body, alpha)
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
    elif abs(twist) >= 5:  # from the front a turned head shows its nose to that side
        across = -_dir(float(pose["trunk"]) + 90)
        turn = math.sin(math.radians(twist))
        nose = pts["head"] + across * r * 0.95 * math.copysign(min(1.0, 1.4 * abs(turn)), turn)
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
            zp = z + (0.1 if part in ("forearm", "shin") else 0)
            if turned and part in ("upper_arm", "forearm"):
                # Arms crossed over the chest, seen from the front: each edged in white
                # so it shows against the body and the other arm (the near one in front).
                zp += 0.02 if side == "near" else 0.0
                if not ghost:
                    out.append(Shape("poly", _capsule(pts[a], pts[b], ra + 0.012, rb + 0.012),
                                     fill="#FFFFFF", z=zp - 0.005))
            out.append(Shape("poly", _capsule(pts[a], pts[b], ra, rb), fill=c, alpha=alpha,
                             z=zp))
        c = color(f"{side}_forearm", side)
        out += _hand(pts, side, detail(pose, "hands"), c, alpha, z + 0.2)
        if front and pose.get("prop") == "chair":  # the knee, end on: towards the viewer
            out.append(Shape("circle", np.array([*pts[f"{side}_knee"], BODY["thigh"][1] + 0.005]),
                             fill=color(f"{side}_thigh", side), alpha=alpha, z=z + 0.05))
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



def _hand(pts, side: str, hands: str, fill: str, alpha: float, z: float) -> list[Shape]:
    """A hand: a dot; or with ``hands`` (:data:`HANDS`) palms pressed together,
    fingers on along the forearm, or fingers interlaced, a clasp across it."""
    hand, elbow = pts[f"{side}_hand"], pts[f"{side}_elbow"]
    along = hand - elbow
    along = along / max(float(np.hypot(*along)), 1e-9)
    if hands == "palms":
        return [Shape("poly", _capsule(hand - along * 0.01, hand + along * 0.1, 0.036, 0.02),
                      fill=fill, alpha=alpha, z=z)]
    if hands == "clasped":
        out = [Shape("poly", _capsule(hand - along * 0.005, hand + along * 0.055, 0.04, 0.04),
                     fill=fill, alpha=alpha, z=z)]
        if side == "near":  # the interlaced fingers, as lines across the clasp
            normal = np.array([-along[1], along[0]])
            for k in (0, 1, 2):
                mid = hand + along * (0.008 + 0.02 * k)
                out.append(Shape("line", np.array([mid - normal * 0.028, mid + normal * 0.028]),
                                 stroke="#FFFFFF", width=0.008, alpha=0.85 * alpha,
                                 z=z + 0.01))
        return out
    return [Shape("circle", np.array([*hand, BODY["hand"]]), fill=fill, alpha=alpha, z=z)]


#: The pelvis's shade, under each body colour: darker, like shorts.
PELVIS_SHADE = {NEAR: "#0F2250", MOVING: "#9C3F00"}


def _clip(poly: np.ndarray, point, normal) -> np.ndarray:
    """The part of polygon ``poly`` on the side of the line through ``point`` away
    from ``normal`` (Sutherland-Hodgman, one edge)."""
    out = []
    side = (poly - point) @ normal
    n = len(poly)
    for i in range(n):
        a, b, sa, sb = poly[i], poly[(i + 1) % n], side[i], side[(i + 1) % n]
        if sa <= 0:
            out.append(a)
        if (sa <= 0) != (sb <= 0):
            out.append(a + (b - a) * (sa / (sa - sb)))
    return np.array(out) if out else np.zeros((0, 2))


def _pelvis(pts, torso: np.ndarray, hip_end, body: str, alpha: float) -> list[Shape]:
    """The pelvis, seen from the side: the torso below the waistband, shaded, and
    the waistband across it at right angles to the pelvis (``pelvis`` column), so
    its tilt shows.  ``hip_end`` is the circle that rounds the torso at the hips."""
    axis = pts["pelvis"] - pts["hip"]
    axis = axis / max(float(np.hypot(*axis)), 1e-9)
    waist = pts["hip"] + axis * WAIST
    shade = body if hip_end is None else PELVIS_SHADE.get(body, body)  # a ghost: its own
    out = []
    parts = [torso]
    if hip_end is not None:
        t = np.linspace(0, 2 * math.pi, 25)[:-1]
        parts.append(hip_end[:2] + hip_end[2] * np.c_[np.cos(t), np.sin(t)])
    for poly in parts:
        piece = _clip(poly, waist, axis)
        if len(piece) >= 3:
            out.append(Shape("poly", piece, fill=shade, alpha=alpha, z=3.05))
    # The waistband: across the body where the clipped pieces meet the waist line.
    across = np.array([-axis[1], axis[0]])
    ends = [float((q - waist) @ across) for piece in out for q in piece.xy
            if abs(float((q - waist) @ axis)) < 1e-6]
    if ends:
        a, b = min(ends), max(ends)
        out.append(Shape("line", np.array([waist + across * a, waist + across * b]),
                         stroke="#FFFFFF", width=0.014, alpha=0.9 * alpha, z=3.1))
    return out
