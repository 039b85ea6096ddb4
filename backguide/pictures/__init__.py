"""Pictures of every exercise, drawn from data.

Each exercise has positions in ``data/poses.csv``: the segment angles of a
figure seen from the side or the front (trunk, head, near and far arms and
legs), what is around it (a mat, a cushion, a chair, water, a bike), and where
the angles cannot say it, the pelvis's tilt, the chest's turn and the hands'
grip (:data:`DETAILS`, see :mod:`.body`).

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
in the browser (no script, no kernel), sized to fit its container
(:data:`MOVEMENT_STYLE`).  An exercise without positions gets a plain
placeholder.

The modules, one job each:

- :mod:`.shapes`: :class:`Shape`, the plain shapes both writers draw;
- :mod:`.body`: a pose's joints (:func:`pose_points`) and the figure's body
  (:func:`figure_shapes`);
- :mod:`.layout`: the positions side by side with props, labels, arrow and
  dose (:func:`picture_shapes`), and the movement's poses
  (:func:`movement_frames`) and shapes (:func:`movement_shapes`), each
  position pinned where the first is (:func:`anchor`: the hips, or the chair);
- :mod:`.svg`: SVG output (:func:`picture_svg`, :func:`animation_html`);
- :mod:`.mpl`: matplotlib output (:func:`draw_exercise`, :func:`picture_png`,
  :func:`contact_sheet`).  It is imported only when one of its names is first
  used, so the geometry and the SVG output never load matplotlib.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .body import (ARROW, BODY, DETAILS, FAR, GHOST, HANDS, INNER, LENGTH, MOVES, MOVING,
                   MOVING_FAR, NEAR, WIDTH, detail, figure_shapes, pose_points)
from .layout import (CHAIR, LABEL_SHARE, MIN_SLOT, NO_PICTURE, PROP_COLORS, anchor, chair_seat,
                     dose_label, movement_frames, movement_shapes, picture_shapes, prop_shapes)
from .shapes import LABEL_SIZE, Shape, shapes_bounds
from .svg import MOVEMENT_STYLE, animation_html, picture_img_tag, picture_svg, shapes_svg

if TYPE_CHECKING:
    from .mpl import PICTURE_SIZE, contact_sheet, draw_exercise, picture_png, shapes_to_axes

#: The names of :mod:`.mpl`, loaded on first use (PEP 562), with matplotlib.
_MATPLOTLIB = ("PICTURE_SIZE", "contact_sheet", "draw_exercise", "picture_png",
               "shapes_to_axes")


def __getattr__(name: str):
    if name in _MATPLOTLIB:
        from . import mpl

        value = getattr(mpl, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_MATPLOTLIB))


__all__ = [
    "ARROW", "BODY", "CHAIR", "DETAILS", "FAR", "GHOST", "HANDS", "INNER", "LABEL_SHARE",
    "LABEL_SIZE", "LENGTH", "MIN_SLOT", "MOVEMENT_STYLE", "MOVES", "MOVING", "MOVING_FAR", "NEAR",
    "NO_PICTURE", "PICTURE_SIZE", "PROP_COLORS", "Shape", "WIDTH", "anchor", "animation_html",
    "chair_seat", "contact_sheet", "detail", "dose_label", "draw_exercise", "figure_shapes",
    "movement_frames", "movement_shapes", "picture_img_tag", "picture_png", "picture_shapes",
    "picture_svg", "pose_points", "prop_shapes", "shapes_bounds", "shapes_svg", "shapes_to_axes",
]
