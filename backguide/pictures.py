"""Pictures of every exercise, drawn from data.

Each exercise has positions in ``data/poses.csv``: the segment angles of a
simple side-view figure (trunk, head, near and far arms and legs) and what
is around it (a mat, a cushion, water, a bike).  :func:`draw_exercise`
draws the positions side by side, the first ghosted behind the last, with
an arrow and the dose; :func:`animation_html` plays start to end and back.
An exercise without positions gets a plain placeholder.
"""

from __future__ import annotations

import base64
import io
import math
import re

import numpy as np
import pandas as pd
from matplotlib.animation import FuncAnimation
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Ellipse, FancyArrowPatch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath

from . import schema
from .library import Library, resolve
from .plan import describe_dose, dose_for

#: Segment lengths of the figure, in body heights (a standing figure is ~1.65).
LENGTH = {"trunk": 0.5, "neck": 0.07, "head": 0.075, "upper_arm": 0.27, "forearm": 0.25,
          "thigh": 0.42, "shin": 0.42}
#: From the front: the width of the hips and of the shoulders, joint to joint.
WIDTH = {"hips": 0.18, "shoulders": 0.32}
NEAR, FAR, GHOST = "#1F3B73", "#8FA8D8", "#1F3B73"
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
    shoulders), ``spine`` (the control point of the spine's curve), ``neck``,
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
    r = LENGTH["head"]
    return min(xs) - r, max(xs) + r, max(ys) + r


def _draw_figure(ax: Axes, pts, dx: float, alpha: float = 1.0, ghost: bool = False) -> list:
    artists = []
    lw = 5.5
    near = GHOST if ghost else NEAR
    far = GHOST if ghost else FAR

    def line(a, b, color, width=lw, z=3):
        (art,) = ax.plot([a[0] + dx, b[0] + dx], [a[1], b[1]], color=color, lw=width,
                         solid_capstyle="round", alpha=alpha, zorder=z)
        artists.append(art)

    for side, color, z in (("far", far, 2), ("near", near, 4)):
        line(pts["shoulder"], pts[f"{side}_elbow"], color, z=z)
        line(pts[f"{side}_elbow"], pts[f"{side}_hand"], color, z=z)
        line(pts["hip"], pts[f"{side}_knee"], color, z=z)
        line(pts[f"{side}_knee"], pts[f"{side}_foot"], color, z=z)
        if side == "far":
            trunk = MplPath([pts["hip"] + [dx, 0], pts["spine"] + [dx, 0],
                             pts["shoulder"] + [dx, 0]],
                            [MplPath.MOVETO, MplPath.CURVE3, MplPath.CURVE3])
            patch = PathPatch(trunk, fill=False, lw=lw + 1.5, ec=near, alpha=alpha,
                              capstyle="round", zorder=3)
            ax.add_patch(patch)
            artists.append(patch)
            line(pts["shoulder"], pts["neck"], near, width=lw - 1, z=3)
    head = Circle(pts["head"] + [dx, 0], LENGTH["head"], fc=near, ec=near, alpha=alpha, zorder=5)
    ax.add_patch(head)
    artists.append(head)
    return artists


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


def _draw_chair(ax: Axes, pts, dx: float) -> None:
    back, front, top = chair_seat(pts)
    back, front = back + dx, front + dx
    color, thick = PROP_COLORS["chair"], 0.035
    ax.add_patch(Rectangle((back, top - thick), front - back, thick, color=color, zorder=1))
    lw = 2.5
    for x in (back + 0.02, front - 0.02):  # legs
        ax.plot([x, x], [0, top - thick], color=color, lw=lw, solid_capstyle="butt", zorder=1)
    # Backrest: the back legs carry on up, leaning back a little, with a top rail.
    rest = (back - 0.03, top + CHAIR["back"])
    ax.plot([back + 0.02, rest[0]], [top, rest[1]], color=color, lw=lw + 1,
            solid_capstyle="round", zorder=1)
    ax.plot([rest[0] - 0.005, rest[0] + 0.01], [rest[1], rest[1] - 0.12], color=color,
            lw=lw + 3, solid_capstyle="round", zorder=1)


def _draw_props(ax: Axes, pose, pts, dx: float, left: float, right: float) -> None:
    prop = pose.get("prop")
    if prop == "chair":
        _draw_chair(ax, pts, dx)
    elif prop == "mat":
        ax.add_patch(Rectangle((left + dx - 0.05, -0.035), right - left + 0.1, 0.035,
                               color=PROP_COLORS["mat"], zorder=1))
    elif prop == "cushion":
        ax.add_patch(Ellipse(pts["head"] + [dx, -LENGTH["head"] - 0.005], 0.2, 0.05,
                             color=PROP_COLORS["cushion"], zorder=1))
    elif prop == "water":
        level = pts["shoulder"][1] + 0.05
        ax.add_patch(Rectangle((left + dx - 0.1, 0), right - left + 0.2, level,
                               color=PROP_COLORS["water"], alpha=0.25, zorder=0))
        ax.plot([left + dx - 0.1, right + dx + 0.1], [level, level], color=PROP_COLORS["water"],
                lw=1.5, zorder=0)
    elif prop == "bike":
        hip = pts["hip"] + [dx, 0]
        r = 0.2
        back, front = np.array([hip[0] - 0.35, r]), np.array([hip[0] + 0.45, r])
        for c in (back, front):
            ax.add_patch(Circle(c, r, fill=False, ec=PROP_COLORS["bike"], lw=2, zorder=1))
        crank = np.array([hip[0] + 0.05, r])
        for a, b in ((back, crank), (crank, hip - [0, 0.03]), (hip - [0, 0.03], front),
                     (front, pts["near_hand"] + [dx, 0])):
            ax.plot([a[0], b[0]], [a[1], b[1]], color=PROP_COLORS["bike"], lw=2, zorder=1)


def dose_label(ex_id: str, lib: Library | None = None) -> str:
    """The starting dose in words, for under a picture."""
    d = dose_for(ex_id, lib=lib)
    return describe_dose(d["sets"], d["reps"], d["hold_s"], d["rest_s"], d["per_side"],
                         d["minutes"])


def draw_exercise(ex_id: str, lib: Library | None = None, poses: pd.DataFrame | None = None,
                  ax: Axes | None = None, *, title: bool = True, dose: str | None = None) -> Axes:
    """Draw an exercise's positions side by side, with the movement and the dose.

    The first position is drawn again, faint, behind the last, and an arrow
    leads from one to the next.  Without positions: a plain placeholder.
    ``dose`` is the dose written above the figure: by default the starting
    dose (:func:`dose_label`); give an entry's own dose in words to show
    that instead, or ``""`` for none.
    """
    lib = resolve(lib)
    poses = poses if poses is not None else lib.poses
    if ax is None:
        ax = Figure(figsize=(5.2, 2.6)).add_subplot()
        ax.figure.subplots_adjust(left=0.02, right=0.98, top=0.86, bottom=0.12)
    ex = lib.exercises
    name = ex.at[ex_id, "name"] if ex_id in ex.index else ex_id
    rows = poses[poses["exercise"] == ex_id].sort_values("pose")
    ax.set_axis_off()
    if title:
        ax.set_title(name, fontsize=12, fontweight="bold")
    if rows.empty:
        ax.add_patch(Rectangle((0.05, 0.1), 0.9, 0.8, transform=ax.transAxes, fill=False,
                               ls="--", ec="#888888"))
        ax.text(0.5, 0.5, NO_PICTURE, transform=ax.transAxes, ha="center", va="center",
                color="#555555", fontsize=10)
        return ax
    placed = []
    x = 0.0
    top = 0.0
    for _, pose in rows.iterrows():
        pts = pose_points(pose)
        left, right, height = _extent(pts)
        # Each position gets a slot of at least MIN_SLOT, so labels never collide.
        pad = max(0.0, MIN_SLOT - (right - left)) / 2
        dx = x + pad - left
        placed.append((pose, pts, dx, left, right))
        x = dx + right + pad + 0.45
        top = max(top, height)
    first_pts = placed[0][1]
    for i, (pose, pts, dx, left, right) in enumerate(placed):
        _draw_props(ax, pose, pts, dx, left, right)
        if i == len(placed) - 1 and len(placed) > 1:
            _draw_figure(ax, first_pts, dx - placed[0][3] + left, alpha=0.18, ghost=True)
        _draw_figure(ax, pts, dx)
        if isinstance(pose["label"], str) and pose["label"]:
            ax.text((left + right) / 2 + dx, -0.06, pose["label"], ha="center", va="top",
                    fontsize=7.5, color="#333333", wrap=True)
        if i:
            prev_right = placed[i - 1][4] + placed[i - 1][2] + 0.05
            ax.add_patch(FancyArrowPatch((prev_right + 0.05, top * 0.55),
                                         (left + dx - 0.05, top * 0.55),
                                         arrowstyle="-|>", mutation_scale=14, color="#D55E00",
                                         lw=2))
    ax.plot([-0.1, x - 0.35], [0, 0], color="#777777", lw=1.2, zorder=0)
    if dose is None and ex_id in ex.index:
        dose = dose_label(ex_id, lib=lib)
    if dose:
        ax.text((x - 0.45) / 2, top + 0.12, dose, ha="center", va="bottom",
                fontsize=8.5, color="#D55E00", fontweight="bold")
    ax.set_xlim(-0.15, x - 0.3)
    ax.set_ylim(-0.3, top + 0.3)
    ax.set_aspect("equal")
    return ax


def picture_png(ex_id: str, lib: Library | None = None, poses: pd.DataFrame | None = None,
                dpi: int = 80, *, dose: str | None = None) -> bytes:
    """PNG bytes of :func:`draw_exercise`."""
    ax = draw_exercise(ex_id, lib=lib, poses=poses, dose=dose)
    buf = io.BytesIO()
    ax.figure.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def picture_svg(ex_id: str, lib: Library | None = None, *, dose: str | None = None,
                title: bool = False) -> str:
    """Inline SVG markup of :func:`draw_exercise`: crisp at any size.

    The markup has a ``viewBox`` but no fixed size, so it fills the width CSS
    gives it; its ids are its own, so several pictures can share a page.
    """
    from .charts import figure_svg

    return figure_svg(lambda ax: draw_exercise(ex_id, lib=lib, ax=ax, title=title, dose=dose),
                      size=PICTURE_SIZE, tight=True, left=0.02, right=0.98, top=0.96,
                      bottom=0.04)


def picture_img_tag(ex_id: str, lib: Library | None = None,
                    poses: pd.DataFrame | None = None, width: int = 420, *,
                    dose: str | None = None) -> str:
    """An ``<img>`` tag with the picture inlined, for HTML cards and handouts."""
    data = base64.b64encode(picture_png(ex_id, lib=lib, poses=poses, dose=dose)).decode()
    return (f'<img class="bg-picture" alt="Picture of the exercise" width="{width}" '
            f'src="data:image/png;base64,{data}">')


def _blend(a: float, b: float, t: float) -> float:
    if math.isnan(a) or math.isnan(b):
        return a if t < 0.5 else b
    d = (b - a + 180) % 360 - 180
    return a + d * t


def animation_html(ex_id: str, lib: Library | None = None,
                   poses: pd.DataFrame | None = None, frames: int = 24, fps: int = 12, *,
                   autoplay: bool = False) -> str:
    """HTML (with its own JavaScript) that plays the movement: start, end, back.

    It works in JupyterLab and in Voila without a kernel round trip.  With
    ``autoplay`` it starts playing as soon as it is shown.
    """
    lib = resolve(lib)
    poses = poses if poses is not None else lib.poses
    rows = poses[poses["exercise"] == ex_id].sort_values("pose")
    fig = Figure(figsize=(3.2, 2.2))
    ax = fig.add_axes((0, 0, 1, 1))
    if len(rows) < 2:
        draw_exercise(ex_id, lib=lib, poses=poses, ax=ax, title=False)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=72)
        return (f'<img src="data:image/png;base64,{base64.b64encode(buf.getvalue()).decode()}">')
    start, end = rows.iloc[0], rows.iloc[-1]
    keys = ("lift", *schema.POSE_ANGLES)
    extents = [_extent(pose_points(r)) for r in (start, end)]
    left = min(e[0] for e in extents) - 0.2
    right = max(e[1] for e in extents) + 0.2
    top = max(e[2] for e in extents) + 0.15

    def update(i):
        ax.clear()
        ax.set_axis_off()
        t = (1 - math.cos(2 * math.pi * i / frames)) / 2
        pose = start.copy()
        for k in keys:
            pose[k] = _blend(float(start[k]), float(end[k]), t)
        pose["prop"] = start["prop"]
        pts = pose_points(pose)
        _draw_props(ax, pose, pts, 0.0, left + 0.2, right - 0.2)
        _draw_figure(ax, pts, 0.0)
        ax.plot([left, right], [0, 0], color="#777777", lw=1.2, zorder=0)
        ax.set_xlim(left, right)
        ax.set_ylim(-0.1, top)
        ax.set_aspect("equal")
        return []

    anim = FuncAnimation(fig, update, frames=frames, interval=1000 / fps)
    out = anim.to_jshtml(fps=fps, default_mode="loop")
    if autoplay:  # matplotlib's player opens paused: start it once it is made
        out = re.sub(r"(anim\w+) = new Animation\(([^;]*)\);",
                     r"\1 = new Animation(\2); \1.play_animation();", out, count=1)
    return out


def contact_sheet(lib: Library | None = None, poses: pd.DataFrame | None = None,
                  ncols: int = 4) -> Figure:
    """Every exercise's picture on one figure, to check them all by eye."""
    lib = resolve(lib)
    poses = poses if poses is not None else lib.poses
    ids = list(lib.exercises.index)
    nrows = math.ceil(len(ids) / ncols)
    fig = Figure(figsize=(ncols * 4.6, nrows * 2.4))
    fig.subplots_adjust(left=0.01, right=0.99, top=0.97, bottom=0.02, hspace=0.35, wspace=0.05)
    axes = fig.subplots(nrows, ncols).ravel()
    for ax, ex_id in zip(axes, ids):
        draw_exercise(ex_id, lib=lib, poses=poses, ax=ax)
    for ax in axes[len(ids):]:
        ax.set_axis_off()
    return fig
