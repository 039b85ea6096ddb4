"""The handout as a PDF, drawn with matplotlib: it lays out :func:`.handout_content`.

The front page has the plan's name, the person and the date, the clinician's
notes, the safety line and the week at a glance (for a single day instead the
day's sessions and minutes).  Then each exercise, its picture floating left
of its doses (each with how often), steps, cautions and variants; then the
guidance a week meets and what it still has to work towards, when to stop
and when to seek care, the sources, and last the tick-box log sheet.  Every
page is numbered "Page i of n", beside the clinic's name and contact when given.

A numbered step (or a bullet) keeps its hanging indent: a step that starts
beside the picture stays in the column beside it, every line under the step's
first word, even where it goes on below the picture.
"""

from __future__ import annotations

from datetime import date as Date

from matplotlib.collections import LineCollection
from matplotlib.ticker import NullLocator

from ..charts import plot_week
from ..errors import BackguideError
from ..library import Library, resolve
from ..pictures import PICTURE_SIZE, draw_exercise
from ..plan import Plan
from .content import (CONTINUED, DAY_HEADS, LOG_HEAD, LOG_HOW, MET_HEADING, NONE_MET,
                      NOTES_HEADING, NOTES_LINE, PAIN_ROW, SOURCES_HEADING, STOP_HEADING,
                      TO_WORK_ON_HEADING, WEEK_HEADING, HandoutContent, HandoutItem, prepared)
from .pages import (ALERT, BODY, BOLD, DOSE, H2, H3, META, MINOR, TITLE, Pages, Style,
                    core_fonts, in_core, wrap)

__all__ = ["PLANNED_SHADE", "handout_pdf"]

#: The light shade of a log cell whose day the plan has that exercise on.
PLANNED_SHADE = "#DCE5F2"
#: The picture's share of the width: the dose, steps and cautions sit beside it.
PICTURE_SHARE = 0.4
#: The size of the pictures' labels on paper, in points (on screen they are smaller).
LABEL_PT = 9.0


def handout_pdf(plan: Plan, *, lib: Library | None = None, from_plan: Plan | None = None,
                person: str = "", notes: str = "", when: Date | None = None,
                paper: str = "A4", log_sheet: bool = True, clinic: str = "",
                times_a_day: int | None = None) -> bytes:
    """The handout of ``plan`` as PDF bytes, laid out for ``paper`` (A4 or Letter).

    ``from_plan`` is the whole plan a day was taken from (see
    :func:`.handout_content`, as are ``clinic`` and ``times_a_day``).  Raises
    :class:`~backguide.errors.NothingToHandOut` if the plan has no exercises.
    """
    c, lib = prepared(plan, lib=lib, paper=paper, from_plan=from_plan, person=person,
                      notes=notes, when=when, clinic=clinic, times_a_day=times_a_day)
    return pdf_of(c, lib=lib, paper=paper, log_sheet=log_sheet)


def pdf_of(c: HandoutContent, *, lib: Library | None = None, paper: str,
           log_sheet: bool = True) -> bytes:
    """The PDF of content already worked out."""
    lib = resolve(lib)
    with core_fonts():
        p = Pages(paper, foot=c.clinic_line)
        _front(p, c)
        for item in c.items:
            _exercise(p, item, lib)
        _back(p, c)
        if log_sheet:
            _log_pages(p, c)
        return p.pdf(c.title)


# --- pictures ------------------------------------------------------------------------


def _picture_box(width: float) -> tuple[float, float]:
    """The picture's width and height in points, on a page ``width`` points wide."""
    w = round(PICTURE_SHARE * width)
    return w, w * PICTURE_SIZE[1] / PICTURE_SIZE[0]


def _draw_picture(ax, exercise: str, lib: Library, *, core: bool, poses=None) -> float:
    """Draw ``exercise``'s picture on ``ax``, without the name or the dose (both are
    beside it), with its position labels at :data:`LABEL_PT`, each wrapped to its
    position's width so that neighbours never meet.  The drawing keeps its shape at
    the top of the axes.  ``core``: the labels are set in Helvetica (in the PDF),
    else in DejaVu Sans.  Returns the height (points) from the axes' top to the foot
    of the labels.
    """
    draw_exercise(exercise, lib=lib, poses=poses, ax=ax, title=False, dose="")
    # No ticks: the axes are off, but whoever asks for their ticks would make them.
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(NullLocator())
        axis.set_minor_locator(NullLocator())
    box = ax.get_position(original=True).transformed(ax.figure.transFigure)  # pixels
    ax.set_anchor("N")
    ax.apply_aspect()
    pt = 72 / ax.figure.dpi
    foot = (box.y1 - ax.bbox.y0) * pt
    labels = [t for t in ax.texts if t.get_va() == "top" and t.get_text().strip()]
    xs = [ax.transData.transform(t.get_position())[0] for t in labels]
    st = Style(LABEL_PT)
    for k, (t, x) in enumerate(zip(labels, xs)):
        room = [2 * (x - box.x0), 2 * (box.x1 - x)]
        room += [abs(x - other) for j, other in enumerate(xs) if j != k]
        text = t.get_text()
        use_core = core and in_core(text)
        lines = wrap(text, 0.94 * min(room) * pt, lambda s: st.width(s, use_core))
        t.set(text="\n".join(lines), fontsize=LABEL_PT, wrap=False, linespacing=1.1)
        top = (box.y1 - ax.transData.transform(t.get_position())[1]) * pt
        foot = max(foot, top + len(lines) * LABEL_PT * 1.25)
    return foot


def _draw_source(ax, item: HandoutItem) -> float:
    """Draw the source's pictures of ``item`` side by side on ``ax``, as they are,
    keeping their shape at the top of the axes.  Returns the height (points) taken."""
    import io

    import numpy as np
    from PIL import Image, UnidentifiedImageError

    images = []
    for pic in item.shown_pictures:
        try:
            images.append(Image.open(io.BytesIO(pic.data())).convert("RGB"))
        except (UnidentifiedImageError, OSError) as exc:
            raise BackguideError.at(pic.path or pic.url, "a picture file (PNG, JPEG, GIF "
                                    f"or WebP) for exercise {item.id!r}",
                                    column="images", value=pic.ref) from exc
    height = max(im.height for im in images)
    scaled = [im.resize((max(1, round(im.width * height / im.height)), height))
              for im in images]
    gap = max(1, height // 20)
    joined = Image.new("RGB", (sum(im.width for im in scaled) + gap * (len(scaled) - 1),
                               height), "white")
    x = 0
    for im in scaled:
        joined.paste(im, (x, 0))
        x += im.width + gap
    box = ax.get_position(original=True).transformed(ax.figure.transFigure)  # pixels
    ax.imshow(np.asarray(joined), interpolation="antialiased")
    ax.set_axis_off()
    ax.set_anchor("N")
    ax.apply_aspect()
    return (box.y1 - ax.bbox.y0) * 72 / ax.figure.dpi


# --- the sections --------------------------------------------------------------------


def _front(p: Pages, c: HandoutContent) -> None:
    p.new_page()
    p.paragraph(c.title, TITLE)
    if c.meta:
        p.paragraph(c.meta, META)
    if c.notes:
        p.space(4)
        p.paragraph(NOTES_HEADING, H2, keep=BODY.leading)
        for line in c.notes:
            if line.strip():
                p.paragraph(line, BODY)
            else:
                p.space(BODY.leading / 2)
    p.space(4)
    p.paragraph(c.safety_line, ALERT)
    p.space(6)
    if c.chart is not None:
        # The chart's own title would repeat the heading; its legend sits at its right.
        height = 140.0
        p.paragraph(WEEK_HEADING, H2, keep=height)
        ax = p.axes(p.left + 48, p.y + 4, p.width - 48 - 142, height - 4 - 30)
        plot_week(c.chart, ax=ax).set_title("")
        p.y += height
    else:
        p.paragraph(c.session_line, H3)


def _exercise(p: Pages, item: HandoutItem, lib: Library) -> None:
    width, height = _picture_box(p.width)
    p.space(10)
    # The picture, the name and the first lines beside it stay together.
    p.need(H3.leading + 3 * BODY.leading)
    if item.shown_pictures:
        p.float_picture(lambda ax: _draw_source(ax, item), width, height)
    else:
        p.float_picture(lambda ax: _draw_picture(ax, item.id, lib, core=True), width, height)
    if p.y > p.top:
        p.rule(p.y - 6)
    p.paragraph(item.name, H3)
    p.running = f"{item.name} {CONTINUED}"
    for dose in item.doses:
        p.paragraph(dose.text, DOSE)
    p.space(2)
    for n, step in enumerate(item.steps, 1):
        p.paragraph(step, BODY, label=f"{n}.", hang=16)
    p.space(2)
    for caution in item.cautions:
        p.paragraph(caution, BODY)
    if item.variants:
        p.space(2)
        p.paragraph(item.variants, MINOR)
    for note in item.picture_notes:
        p.paragraph(note, MINOR)
    if item.attribution:
        p.paragraph(item.attribution, MINOR)
    p.running = ""
    p.clear_float()


def _bullets(p: Pages, lines, st: Style = BODY) -> None:
    for line in lines:
        p.paragraph(line, st, label="\u2022", hang=11)


def _back(p: Pages, c: HandoutContent) -> None:
    if c.week:
        p.space(10)
        p.paragraph(MET_HEADING, H2, keep=2 * BODY.leading)
        p.paragraph(c.headline, BOLD)
        _bullets(p, c.met or [NONE_MET])
        if c.to_work_on:
            p.space(6)
            p.paragraph(TO_WORK_ON_HEADING, H2, keep=2 * BODY.leading)
            _bullets(p, c.to_work_on)
    p.space(10)
    p.paragraph(STOP_HEADING, H2, keep=3 * BODY.leading)
    p.paragraph(c.stop_rule, ALERT)
    p.paragraph(c.signs_heading, BOLD)
    _bullets(p, c.signs)
    p.space(10)
    p.paragraph(SOURCES_HEADING, H2, keep=2 * MINOR.leading)
    _bullets(p, c.sources, MINOR)


# --- the log sheet -------------------------------------------------------------------


def _log_pages(p: Pages, c: HandoutContent) -> None:
    """The log sheet: a row of tick boxes per exercise and dose, one column per day,
    then a row for the day's pain and lines for notes; long logs go on over pages,
    each with the heading and the days again."""
    day_w = 46.0
    name_w = p.width - 7 * day_w
    pad = 5.0
    box = 13.0
    title = c.log_title + ("" if c.week_of else " " + "_" * 14)

    def header(more: bool) -> None:
        p.new_page()
        p.paragraph(title + (f" {CONTINUED}" if more else ""), H2)
        p.paragraph(LOG_HOW, BODY)
        if c.log_key:
            p.boxes([(p.left, p.y + 2, 12, 10)], face=PLANNED_SHADE, edge="#888888", lw=0.5)
            p.paragraph(c.log_key, BODY, indent=18)
        p.space(4)
        top = p.y
        p.text_at(p.left + pad, top + 15, LOG_HEAD, BOLD, True)
        for k, head in enumerate(DAY_HEADS):
            p.text_at(p.left + name_w + (k + 0.5) * day_w, top + 15, head, BOLD, True,
                      ha="center")
        p.y = top + 22
        p.rule(p.y, "#555555", 1.0)

    def row(lines: list[tuple[str, Style]], shade: tuple[bool, ...], size: float) -> None:
        texts = [(line, st, core) for s, st in lines
                 for core in [in_core(s, st.bold)]
                 for line in wrap(s, name_w - 2 * pad, lambda x, st=st, core=core:
                                  st.width(x, core))]
        height = max(sum(st.leading for _, st, _ in texts) + 2 * pad, size + 2 * pad + 4)
        if p.y + height > p.bottom:
            header(True)
        top, y = p.y, p.y + pad
        for line, st, core in texts:
            p.text_at(p.left + pad, y + 0.95 * st.size, line, st, core)
            y += st.leading
        x0 = p.left + name_w
        cells = [(x0 + k * day_w, top, day_w, height) for k in range(7)]
        shaded = [r for r, s in zip(cells, shade) if s]
        if shaded:
            p.boxes(shaded, face=PLANNED_SHADE, edge="none", lw=0, z=0.5)
        p.boxes([(x + (day_w - size) / 2, top + (height - size) / 2, size, size)
                 for x, _, _, _ in cells], face="white", edge="black", lw=0.9)
        p.fig.add_artist(LineCollection(
            [[(x, top), (x, top + height)] for x in (x0 + k * day_w for k in range(8))],
            colors="#999999", linewidths=0.5, transform=p.to_page))
        p.y = top + height
        p.rule(p.y, "#999999", 0.5)

    header(False)
    for r in c.log:
        row([(r.name, BOLD), (r.dose, BODY)], r.shaded, box)
    row([(PAIN_ROW, BOLD)], (False,) * 7, 22.0)
    p.need(5 * BODY.leading)
    p.space(10)
    p.paragraph(NOTES_LINE, BOLD)
    for _ in range(3):
        p.y += 22
        p.rule(p.y, "#777777", 0.6)
