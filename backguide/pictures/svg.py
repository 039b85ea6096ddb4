"""Pictures written as SVG: crisp at any size, labels as real text, and quick.

:func:`shapes_svg` writes shapes as SVG markup; :func:`picture_svg` writes an
exercise's picture (:func:`.layout.picture_shapes`), :func:`picture_img_tag`
puts it in an ``<img>`` tag, and :func:`animation_html` plays the movement
(:func:`.layout.movement_frames`) from start to end and back, as SVG frames
that a style sheet steps through in the browser (no script, no kernel).

No matplotlib here: the pages and the presenter draw without it.
"""

from __future__ import annotations

import base64
import hashlib
import html

import numpy as np
import pandas as pd

from ..library import Library, resolve
from .layout import NO_PICTURE, _rows, movement_shapes, picture_shapes
from .shapes import Shape

#: How the movement sits on a page: as wide as its container, and never taller
#: than 60% of the window or 460 px (so at 1366 x 768 it fits below a heading),
#: scaled down whole, centred, keeping its shape.
MOVEMENT_STYLE = ("display:block;width:100%;height:auto;max-width:100%;"
                  "max-height:min(60vh,460px);margin:0 auto")

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


def picture_svg(ex_id: str, *, lib: Library | None = None, poses: pd.DataFrame | None = None,
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


def picture_img_tag(ex_id: str, *, lib: Library | None = None,
                    poses: pd.DataFrame | None = None, width: int = 420,
                    dose: str | None = None) -> str:
    """The picture inline, as SVG in an ``<img>`` tag (for cards and pages)."""
    svg = picture_svg(ex_id, lib=lib, poses=poses, dose=dose)
    data = base64.b64encode(svg.encode()).decode()
    return (f'<img class="bg-picture" alt="Picture of the exercise" width="{width}" '
            f'src="data:image/svg+xml;base64,{data}">')


def animation_html(ex_id: str, *, lib: Library | None = None,
                   poses: pd.DataFrame | None = None, frames: int = 30, fps: int = 12,
                   autoplay: bool = True) -> str:
    """HTML that plays the movement from start to end and back, eased.

    The frames are SVG; a style sheet shows each in turn, so it plays in
    JupyterLab, Voila and an ipywidgets HTML box alike, with no script and no
    kernel round trip.  ``autoplay=False`` shows the first position still.

    Its ``viewBox`` holds every frame (:func:`.layout.movement_shapes`), and
    it fits its container: as wide as it, and no taller than
    ``min(60vh, 460px)`` (:data:`MOVEMENT_STYLE`), scaled whole and centred.
    """
    lib = resolve(lib)
    rows = _rows(ex_id, lib=lib, poses=poses)
    if len(rows) < 2:
        return picture_svg(ex_id, lib=lib, poses=poses)
    static, bodies, bounds = movement_shapes(ex_id, lib=lib, poses=poses, frames=frames)
    key = hashlib.sha1(f"{ex_id}{len(bodies)}{rows.to_csv()}".encode()).hexdigest()[:10]
    n, period = len(bodies), len(bodies) / fps
    groups = []
    for i, body in enumerate(bodies):
        svg = shapes_svg(body, bounds)
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
            f'aria-label="The movement of {html.escape(name)}" style="{MOVEMENT_STYLE}">'
            f"{back_inner}{''.join(groups)}</svg></div>")

