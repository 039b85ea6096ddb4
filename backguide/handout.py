"""The take-home handout: a printable PDF and an HTML page of what a clinician showed.

A handout is given a :class:`~backguide.plan.Plan` holding exactly what was
shown (one exercise, a day's session or a whole week) and prints exactly
those exercises: each with its picture beside its doses (each distinct dose
with its days), steps and cautions, and its easier and harder variants.
Around them: the plan's name, the person and the date, the clinician's
notes, the safety line, the week at a glance (for a single day instead the
day and its minutes), the guidance a whole week meets and what it still has
to work towards, when to stop and when to seek care (every warning sign),
the sources, and last a tick-box log sheet for the week.

Text a person typed is printed as typed: never read as mathtext in the PDF,
escaped in the HTML.  A plan with no exercises raises
:class:`NothingToHandOut`.  Files are written atomically.

The PDF's text is set in Helvetica, one of the PDF core fonts every reader
has, so no font is embedded: embedding and subsetting a TrueType font took
most of the time a handout took.  A text with a character Helvetica lacks
is set in DejaVu Sans, embedded.
"""

from __future__ import annotations

import html
import io
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date as Date
from functools import lru_cache
from pathlib import Path

import matplotlib as mpl
from matplotlib import patheffects
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text
from matplotlib.textpath import text_to_path
from matplotlib.ticker import NullLocator
from matplotlib.transforms import Affine2D

from .charts import CHART_SIZES, figure_svg, plot_week
from .dose import shown_minutes
from .files import write_atomic
from .library import Library, resolve
from .measures import check_guidance, day_minutes, session_minutes
from .pictures import PICTURE_SIZE, draw_exercise, picture_svg
from .plan import Plan, describe_entries, load_plan
from .schema import DAYS

#: Paper sizes in inches.
PAPER = {"A4": (8.27, 11.69), "Letter": (8.5, 11.0)}
SAFETY = "This is a guide, not a diagnosis."
SEE_A_CLINICIAN = "See a clinician before exercising again if you have:"
LOG_HOW = ("Tick a box each time you do an exercise. Each evening, write down your pain "
           "from 0 (none) to 10 (the worst you can imagine).")
LOG_KEY = "Shaded boxes: the days your plan has that exercise."
PAIN_ROW = "Pain today (0-10)"
#: The log sheet's column heads, one per day.
DAY_HEADS = tuple(d[:3] for d in DAYS)
NAVY, RUST = "#1F3B73", "#A33F00"
#: The light shade of a log cell whose day the plan has that exercise on.
PLANNED_SHADE = "#DCE5F2"


class NothingToHandOut(ValueError):
    """The plan has no exercises, so there is nothing to print."""


def _nothing(plan: Plan) -> str:
    name = f"\u201c{plan.name}\u201d" if plan.name.strip() else "the plan"
    return (f"There is nothing to hand out: {name} has no exercises. "
            "Add an exercise to a day first.")


def _check_paper(paper: str) -> None:
    if paper not in PAPER:
        raise ValueError(f"Unknown paper {paper!r}; expected one of: {', '.join(PAPER)}.")


# --- what the handout says --------------------------------------------------------------


def _on_days(days: list[str]) -> str:
    return "every day" if len(days) == len(DAYS) else "on " + ", ".join(days)


def _about(minutes: str) -> str:
    """Minutes as shown (whole minutes, from :func:`shown_minutes`), in words."""
    if minutes == "0":
        return "less than a minute"
    return f"about {minutes} minute{'' if minutes == '1' else 's'}"


def handout_content(plan: Plan, lib: Library | None = None) -> dict:
    """What the handout says, independent of how it is laid out.

    ``items`` has one dict per exercise of the plan, in the order they first
    appear: its ``id``, ``name``, ``steps``, ``cautions``, ``easier`` and
    ``harder`` names, ``progression``, and ``doses``: each distinct dose in
    words with the days it is done.  ``log`` is the log sheet's rows:
    ``(name, dose in words, days)``, one per distinct dose of each exercise.
    ``days`` are the days the plan uses and ``week`` says whether it spans
    two or more: only then are ``met`` and ``to_work_on`` (the messages of
    :func:`backguide.measures.check_guidance`) filled, since one session
    cannot meet weekly guidance.  For a single day ``sessions`` has each
    session's name and minutes as shown.  ``stop_rule`` and ``red_flags``
    are the safety text; ``sources`` every source behind what is printed.

    Raises :class:`NothingToHandOut` if the plan has no exercises.
    """
    # Imported here: the views package imports ipywidgets, which a handout
    # made from a script does not need.
    from .views.render import stop_rule, warning_signs

    lib = resolve(lib)
    e = plan.entries
    if e.empty:
        raise NothingToHandOut(_nothing(plan))
    ex = lib.exercises
    words = describe_entries(e)
    # Each exercise's distinct doses, each with its days, in plan order.
    uses: dict[str, dict[str, set[str]]] = {}
    for ex_id, dose, day in zip(e["exercise"], words, e["day"].astype(str)):
        uses.setdefault(ex_id, {}).setdefault(dose, set()).add(day)
    items = []
    for ex_id, doses in uses.items():
        row = ex.loc[ex_id]
        items.append({
            "id": ex_id, "name": row["name"], "steps": list(row["steps"]),
            "cautions": list(row["cautions"]),
            "doses": [(d, [x for x in DAYS if x in days]) for d, days in doses.items()],
            "easier": [ex.at[x, "name"] for x in row["easier"] if x in ex.index],
            "harder": [ex.at[x, "name"] for x in row["harder"] if x in ex.index],
            "progression": row["progression"]})
    days = [d for d in DAYS if d in set(e["day"].astype(str))]
    week = len(days) > 1
    cited = {s for item in items for s in ex.at[item["id"], "sources"]}
    met: list[str] = []
    to_work_on: list[str] = []
    sessions: list[tuple[str, str]] = []
    if week:
        check = check_guidance(plan, lib=lib)
        ok = check["status"] == "met"
        met, to_work_on = check.loc[ok, "message"].tolist(), check.loc[~ok, "message"].tolist()
        cited |= {s for sources in check["source"] for s in sources.split(", ") if s}
    else:
        each = session_minutes(plan, lib=lib)
        sessions = [(str(n), shown_minutes(m, 0))
                    for n, m in zip(each["session_name"], each["minutes"])]
    rule = stop_rule(lib)
    flags = warning_signs(lib)
    g = lib.guidance
    cited |= set(flags["source"]) | set(g.loc[[st in rule for st in g["statement"]], "source"])
    sources = [lib.sources.at[s, "title"] + (f" ({lib.sources.at[s, 'publisher']})"
                                             if lib.sources.at[s, "publisher"] else "")
               for s in lib.sources.index if s in cited]
    return {"items": items, "days": days, "week": week, "sessions": sessions,
            "met": met, "to_work_on": to_work_on,
            "log": [(item["name"], d, ds) for item in items for d, ds in item["doses"]],
            "stop_rule": rule, "red_flags": flags["statement"].tolist(), "sources": sources}


def _notes(plan: Plan, notes: str) -> list[str]:
    return "\n".join(n for n in (plan.notes, notes) if n).splitlines()


def _meta(person: str, when: Date | None) -> str:
    return " ".join(x for x in ((f"For: {person}." if person else ""),
                                (f"Date: {when.isoformat()}." if when else "")) if x)


def _session_line(c: dict) -> str:
    """A single day's line instead of the week chart: the day and each session's minutes."""
    day = c["days"][0]
    if len(c["sessions"]) == 1:
        return f"Your session: {day}, {_about(c['sessions'][0][1])}."
    return (f"Your sessions on {day}: "
            + "; ".join(f"{name}, {_about(m)}" for name, m in c["sessions"]) + ".")


def _variants(item: dict) -> str:
    parts = []
    if item["easier"]:
        parts.append(f"Easier: {', '.join(item['easier'])}.")
    if item["harder"]:
        parts.append(f"Harder: {', '.join(item['harder'])}.")
    if item["progression"] and parts:
        parts.append(item["progression"])
    return " ".join(parts)


def _week_of(plan: Plan, when: Date | None) -> str:
    start = plan.start or when
    return start.isoformat() if start else ""


# --- the PDF: fonts and lines ---------------------------------------------------------

_CORE_DIR = Path(mpl.get_data_path(), "fonts", "pdfcorefonts")
#: Characters the Adobe glyph list names differently from Helvetica's metrics.
_CORE_ALIASES = {"\u00a0": "space", "\u00ad": "hyphen"}


@lru_cache(maxsize=2)
def _core_widths(bold: bool) -> dict[str, float]:
    """Helvetica's advance widths (thousandths of the size) of every character it can
    print: those of WinAnsi (cp1252, as matplotlib writes core fonts) that it has."""
    from fontTools.agl import UV2AGL  # here: a handout made in a session pays for it once

    afm = _CORE_DIR / ("Helvetica-Bold.afm" if bold else "Helvetica.afm")
    by_name = {}
    for line in afm.read_text(encoding="latin-1").splitlines():
        if line.startswith("C "):
            fields = dict(f.strip().split(" ", 1) for f in line.split(";") if f.strip())
            by_name[fields["N"].strip()] = float(fields["WX"])
    widths = {}
    for code in range(32, 256):
        try:
            ch = bytes([code]).decode("cp1252")
        except UnicodeDecodeError:
            continue
        name = _CORE_ALIASES.get(ch) or UV2AGL.get(ord(ch))
        if name in by_name:
            widths[ch] = by_name[name]
    return widths


def _in_core(s: str, bold: bool = False) -> bool:
    """Whether Helvetica can print every character of ``s``."""
    widths = _core_widths(bold)
    return all(c in widths for c in s)


@lru_cache(maxsize=8192)
def _ttf_width(s: str, size: float, bold: bool) -> float:
    prop = FontProperties(family="DejaVu Sans", size=size, weight="bold" if bold else "normal")
    # A little spare: the TrueType layout kerns and hints, the measure may not.
    return text_to_path.get_text_width_height_descent(s, prop, ismath=False)[0] * 1.02


@dataclass(frozen=True)
class _Style:
    """How a paragraph is set: size (points), weight, colour and the space after it."""

    size: float
    bold: bool = False
    color: str = "black"
    after: float = 2.0

    @property
    def leading(self) -> float:
        return self.size * 1.2

    def width(self, s: str, core: bool) -> float:
        """How wide ``s`` is printed, in points (measured as text, never as mathtext)."""
        if core:
            widths = _core_widths(self.bold)
            return sum(widths[c] for c in s) * self.size / 1000
        return _ttf_width(s, self.size, self.bold)


TITLE = _Style(20, True, NAVY, after=4)
META = _Style(11.5, after=4)
H2 = _Style(14, True, NAVY, after=3)
H3 = _Style(13, True, after=3)
BODY = _Style(10.5, after=0.8)
BOLD = _Style(10.5, True, after=0.8)
DOSE = _Style(10.5, True, RUST, after=1.5)
ALERT = _Style(10.5, True, RUST, after=3)
MINOR = _Style(10, color="#333333", after=0.5)
RUNNING = _Style(10, True, "#555555", after=3)


def _break(words: list[str], avail: float, width) -> tuple[str, list[str]]:
    """The first line of ``words`` that fits in ``avail`` points, and the words left.

    ``width(s)`` measures a string.  A word too long for a line of its own
    is broken between characters, so nothing ever runs past the margin.
    """
    line: list[str] = []
    for k, word in enumerate(words):
        candidate = " ".join([*line, word])
        if width(candidate) <= avail:
            line.append(word)
            continue
        if line and width(word) <= avail:
            return " ".join(line), words[k:]
        # A word longer than a line starts where it is, and goes on over lines.
        head = " ".join(line) + " " if line else ""
        n = 0
        while n < len(word) and width(head + word[:n + 1]) <= avail:
            n += 1
        if n == 0:
            if line:
                return " ".join(line), words[k:]
            n = 1
        return head + word[:n], [word[n:], *words[k + 1:]]
    return " ".join(line), []


def _wrap(s: str, avail: float, width) -> list[str]:
    """``s`` in lines no wider than ``avail`` points."""
    lines, rest = [], s.split()
    while rest:
        line, rest = _break(rest, avail, width)
        lines.append(line)
    return lines


# --- pictures ------------------------------------------------------------------------

#: The picture's share of the width: the dose, steps and cautions sit beside it.
PICTURE_SHARE = 0.4
#: The size of the pictures' labels on paper, in points (on screen they are smaller).
LABEL_PT = 9.0


def _picture_box(width: float) -> tuple[float, float]:
    """The picture's width and height in points, on a page ``width`` points wide."""
    w = round(PICTURE_SHARE * width)
    return w, w * PICTURE_SIZE[1] / PICTURE_SIZE[0]


def _draw_picture(ax, item: dict, lib: Library, *, core: bool, poses=None) -> float:
    """Draw ``item``'s picture on ``ax``, without the name or the dose (both are beside
    it), with its position labels at :data:`LABEL_PT`, each wrapped to its position's
    width so that neighbours never meet.  The drawing keeps its shape at the top of
    the axes.  ``core``: the labels are set in Helvetica (in the PDF), else in DejaVu
    Sans.  Returns the height (points) from the axes' top to the foot of the labels.
    """
    draw_exercise(item["id"], lib=lib, poses=poses, ax=ax, title=False, dose="")
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
    st = _Style(LABEL_PT)
    for k, (t, x) in enumerate(zip(labels, xs)):
        room = [2 * (x - box.x0), 2 * (box.x1 - x)]
        room += [abs(x - other) for j, other in enumerate(xs) if j != k]
        text = t.get_text()
        use_core = core and _in_core(text)
        lines = _wrap(text, 0.94 * min(room) * pt, lambda s: st.width(s, use_core))
        t.set(text="\n".join(lines), fontsize=LABEL_PT, wrap=False, linespacing=1.1)
        top = (box.y1 - ax.transData.transform(t.get_position())[1]) * pt
        foot = max(foot, top + len(lines) * LABEL_PT * 1.25)
    return foot


# --- the PDF -------------------------------------------------------------------------


class _EmbeddedText(Text):
    """A text with a character Helvetica lacks: set in DejaVu Sans, embedded."""

    def draw(self, renderer):
        with mpl.rc_context({"pdf.use14corefonts": False}):
            return super().draw(renderer)


#: While a handout is drawn and saved: Helvetica, not embedded; any other font embedded
#: as TrueType, so its text can be searched and copied.
_PDF_RC = {"pdf.use14corefonts": True, "pdf.fonttype": 42}


class _QuietHelvetica(logging.Filter):
    """Helvetica's regular weight is named "medium": it is the right font for a text of
    weight "normal" (the charts' and pictures'), though matplotlib warns that it is not."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "for Helvetica, now using medium" not in record.getMessage()


@contextmanager
def _core_fonts():
    log = logging.getLogger("matplotlib.font_manager")
    quiet = _QuietHelvetica()
    log.addFilter(quiet)
    try:
        with mpl.rc_context(_PDF_RC):
            yield
    finally:
        log.removeFilter(quiet)


def _outside_core_as_paths(fig: Figure) -> None:
    """Draw as outlines the few texts of charts and pictures that Helvetica cannot set
    (the week chart's check marks), rather than embed a whole font for them.

    Their tick labels are numbers and days; they are left alone, since asking
    an axis for its ticks makes them (a third of a page's time, for pictures
    whose axes are off).
    """
    for ax in fig.axes:
        legend = ax.get_legend()
        for t in (*ax.texts, *(legend.texts if legend else ()), ax.title, ax.xaxis.label,
                  ax.yaxis.label):
            if not _in_core(t.get_text().replace("\n", "")):
                t.set_path_effects([patheffects.Normal()])


class _Pages:
    """Pages laid out top to bottom in points, text flowing beside a picture and below.

    ``y`` is the distance from the top of the page to where the next line goes.
    A picture floats left: lines that start beside it are set in the column
    to its right, later lines take the whole width again.
    """

    MARGIN = 36.0
    FOOTER = 16.0

    def __init__(self, paper: str):
        self.w, self.h = (72 * x for x in PAPER[paper])
        self.left, self.right = self.MARGIN, self.w - self.MARGIN
        self.top, self.bottom = self.MARGIN, self.h - self.MARGIN - self.FOOTER
        self.figs: list[Figure] = []
        self.fig: Figure | None = None
        self.y = self.top
        self.float_bottom = self.float_width = 0.0
        #: What a new page starts with: the name of an exercise that goes on over it.
        self.running = ""

    @property
    def width(self) -> float:
        return self.right - self.left

    def _on(self, fig: Figure) -> None:
        """Draw on ``fig`` from now on."""
        self.fig = fig
        # Points from the page's top left corner to the figure's display coordinates.
        self.to_page = (Affine2D().scale(1 / 72, -1 / 72).translate(0, self.h / 72)
                        + fig.dpi_scale_trans)

    def new_page(self) -> None:
        self._on(Figure(figsize=(self.w / 72, self.h / 72)))
        self.figs.append(self.fig)
        self.y = self.top
        self.float_bottom = self.float_width = 0.0
        if self.running:
            self.paragraph(self.running, RUNNING)

    def need(self, height: float) -> None:
        """Start a new page unless ``height`` points fit below ``y``."""
        if self.fig is None or self.y + height > self.bottom:
            self.new_page()

    def space(self, height: float) -> None:
        if self.y > self.top:
            self.y += height

    def clear_float(self) -> None:
        self.y = max(self.y, self.float_bottom)
        self.float_bottom = self.float_width = 0.0

    def text_at(self, x: float, baseline: float, s: str, st: _Style, core: bool,
                ha: str = "left") -> None:
        kw = dict(fontsize=st.size, color=st.color, transform=self.to_page, ha=ha,
                  va="baseline", parse_math=False)
        if core:
            self.fig.text(x, baseline, s, fontfamily="Helvetica",
                          fontweight="bold" if st.bold else "medium", **kw)
        else:
            self.fig.add_artist(_EmbeddedText(x, baseline, s, fontfamily="DejaVu Sans",
                                              fontweight="bold" if st.bold else "normal",
                                              **kw))

    def paragraph(self, s: str, st: _Style, *, indent: float = 0.0, label: str = "",
                  hang: float = 0.0, keep: float = 0.0) -> None:
        """Set ``s`` in lines that fit, breaking pages as needed.

        ``label`` (a step's number, a bullet) hangs ``hang`` points left of
        the text.  ``keep`` points must fit below the first line (a heading
        keeps its first lines with it).
        """
        core = _in_core(s + label, st.bold)

        def width(x: str) -> float:
            return st.width(x, core)

        if keep:
            lines = _wrap(s, self.width - indent - hang, width)
            self.need(len(lines) * st.leading + keep)
        rest, first = s.split(), True
        while rest:
            self.need(st.leading)
            x = self.left + indent + hang + (self.float_width if self.y < self.float_bottom
                                             else 0.0)
            line, rest = _break(rest, self.right - x, width)
            baseline = self.y + 0.95 * st.size
            self.text_at(x, baseline, line, st, core)
            if first and label:
                self.text_at(x - hang, baseline, label, st, core)
            first = False
            self.y += st.leading
        self.y += st.after

    def axes(self, x: float, y: float, w: float, h: float):
        """Axes over the box ``w`` by ``h`` points whose top left corner is at ``(x, y)``."""
        return self.fig.add_axes((x / self.w, 1 - (y + h) / self.h, w / self.w, h / self.h))

    def float_picture(self, draw, width: float, height: float, gap: float = 14.0) -> None:
        """A picture at the left from ``y``, on a new page if it does not fit; lines
        beside it go in the column to its right.

        ``draw(ax)`` draws on axes ``width`` by ``height`` points and returns the
        height it took, labels and all (a picture keeps its shape, so a wide one
        takes less than ``height``).
        """
        self.need(0)
        ax = self.axes(self.left, self.y, width, height)
        drawn = draw(ax)
        if self.y + drawn > self.bottom and self.y > self.top:
            ax.remove()
            self.new_page()
            drawn = draw(self.axes(self.left, self.y, width, height))
        self.float_bottom, self.float_width = self.y + drawn + 4, width + gap

    def rule(self, y: float, color: str = "#BBBBBB", lw: float = 0.8) -> None:
        self.fig.add_artist(LineCollection([[(self.left, y), (self.right, y)]],
                                           colors=color, linewidths=lw,
                                           transform=self.to_page))

    def boxes(self, rects, face="none", edge="black", lw: float = 0.8, z: float = 1) -> None:
        """Rectangles ``(x, y, w, h)`` in points from the top left, as one artist."""
        verts = [[(x, y), (x + w, y), (x + w, y + h), (x, y + h)] for x, y, w, h in rects]
        self.fig.add_artist(PolyCollection(verts, facecolors=face, edgecolors=edge,
                                           linewidths=lw, transform=self.to_page, zorder=z))

    def pdf(self, title: str) -> bytes:
        """The pages, numbered, as PDF bytes."""
        n = len(self.figs)
        for i, fig in enumerate(self.figs, 1):
            self._on(fig)
            self.text_at(self.w / 2, self.h - self.MARGIN - 2, f"Page {i} of {n}", MINOR,
                         True, ha="center")
            _outside_core_as_paths(fig)
        # Imported here: with fontTools it takes a fifth of a second, which `import
        # backguide` should not pay.
        from matplotlib.backends.backend_pdf import PdfPages

        buf = io.BytesIO()
        metadata = {"Title": title, "Creator": "backguide", "CreationDate": None}
        with PdfPages(buf, metadata=metadata) as pdf:
            for fig in self.figs:
                pdf.savefig(fig)
        return buf.getvalue()


def handout_pdf(plan: Plan, lib: Library | None = None, *, person: str = "",
                notes: str = "", when: Date | None = None, paper: str = "A4",
                log_sheet: bool = True) -> bytes:
    """The handout as PDF bytes, laid out for ``paper`` (A4 or Letter).

    Raises :class:`NothingToHandOut` if the plan has no exercises.
    """
    _check_paper(paper)
    lib = resolve(lib)
    c = handout_content(plan, lib=lib)
    days = day_minutes(plan, lib=lib) if c["week"] else None
    return _pdf(plan, c, days, lib, person=person, notes=notes, when=when, paper=paper,
                log_sheet=log_sheet)


def _pdf(plan: Plan, c: dict, days, lib: Library, *, person: str, notes: str,
         when: Date | None, paper: str, log_sheet: bool) -> bytes:
    with _core_fonts():
        p = _Pages(paper)
        _front(p, plan, c, days, person or plan.person, _notes(plan, notes), when)
        for item in c["items"]:
            _exercise(p, item, lib)
        _back(p, c)
        if log_sheet:
            _log_pages(p, c, _week_of(plan, when))
        return p.pdf(plan.name)


def _front(p: _Pages, plan: Plan, c: dict, days, person: str, notes: list[str],
           when: Date | None) -> None:
    p.new_page()
    p.paragraph(plan.name or "Your exercises", TITLE)
    if meta := _meta(person, when):
        p.paragraph(meta, META)
    if notes:
        p.space(4)
        p.paragraph("Notes from your clinician", H2, keep=BODY.leading)
        for line in notes:
            if line.strip():
                p.paragraph(line, BODY)
            else:
                p.space(BODY.leading / 2)
    p.space(4)
    p.paragraph(f"{SAFETY} {c['stop_rule']}", ALERT)
    p.space(6)
    if c["week"]:
        # The chart's own title would repeat the heading; its legend sits at its right.
        height = 140.0
        p.paragraph("Your week at a glance", H2, keep=height)
        ax = p.axes(p.left + 48, p.y + 4, p.width - 48 - 142, height - 4 - 30)
        plot_week(days, ax=ax).set_title("")
        p.y += height
    else:
        p.paragraph(_session_line(c), H3)


def _exercise(p: _Pages, item: dict, lib: Library) -> None:
    width, height = _picture_box(p.width)
    p.space(10)
    # The picture, the name and the first lines beside it stay together.
    p.need(H3.leading + 3 * BODY.leading)
    p.float_picture(lambda ax: _draw_picture(ax, item, lib, core=True), width, height)
    if p.y > p.top:
        p.rule(p.y - 6)
    p.paragraph(item["name"], H3)
    p.running = f"{item['name']} (continued)"
    for dose, on in item["doses"]:
        p.paragraph(f"{dose}: {_on_days(on)}", DOSE)
    p.space(2)
    for n, step in enumerate(item["steps"], 1):
        p.paragraph(step, BODY, label=f"{n}.", hang=16)
    p.space(2)
    for caution in item["cautions"]:
        p.paragraph(f"Take care: {caution}", BODY)
    if variants := _variants(item):
        p.space(2)
        p.paragraph(variants, MINOR)
    p.running = ""
    p.clear_float()


def _bullets(p: _Pages, lines: list[str], st: _Style = BODY) -> None:
    for line in lines:
        p.paragraph(line, st, label="\u2022", hang=11)


def _back(p: _Pages, c: dict) -> None:
    if c["week"]:
        p.space(10)
        p.paragraph("The guidance this week meets", H2, keep=2 * BODY.leading)
        _bullets(p, c["met"] or ["None of the checks yet."])
        if c["to_work_on"]:
            p.space(6)
            p.paragraph("Still to work towards", H2, keep=2 * BODY.leading)
            _bullets(p, c["to_work_on"])
    p.space(10)
    p.paragraph("When to stop, and when to seek care", H2, keep=3 * BODY.leading)
    p.paragraph(c["stop_rule"], ALERT)
    p.paragraph(SEE_A_CLINICIAN, BOLD)
    _bullets(p, c["red_flags"])
    p.space(10)
    p.paragraph("Sources", H2, keep=2 * MINOR.leading)
    _bullets(p, c["sources"], MINOR)


def _log_pages(p: _Pages, c: dict, week_of: str) -> None:
    """The log sheet: a row of tick boxes per exercise and dose, one column per day,
    then a row for the day's pain and lines for notes; long logs go on over pages,
    each with the heading and the days again."""
    day_w = 46.0
    name_w = p.width - 7 * day_w
    pad = 5.0
    box = 13.0
    title = "Your exercise log: week of " + (week_of or "_" * 14)

    def header(more: bool) -> None:
        p.new_page()
        p.paragraph(title + (" (continued)" if more else ""), H2)
        p.paragraph(LOG_HOW, BODY)
        if c["week"]:
            p.boxes([(p.left, p.y + 2, 12, 10)], face=PLANNED_SHADE, edge="#888888", lw=0.5)
            p.paragraph(LOG_KEY, BODY, indent=18)
        p.space(4)
        top = p.y
        p.text_at(p.left + pad, top + 15, "Exercise and dose", BOLD, True)
        for k, head in enumerate(DAY_HEADS):
            p.text_at(p.left + name_w + (k + 0.5) * day_w, top + 15, head, BOLD, True,
                      ha="center")
        p.y = top + 22
        p.rule(p.y, "#555555", 1.0)

    def row(lines: list[tuple[str, _Style]], shade: list[bool], size: float) -> None:
        texts = [(line, st, core) for s, st in lines
                 for core in [_in_core(s, st.bold)]
                 for line in _wrap(s, name_w - 2 * pad, lambda x, st=st, core=core:
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
    for name, dose, on in c["log"]:
        row([(name, BOLD), (dose, BODY)], [c["week"] and d in on for d in DAYS], box)
    row([(PAIN_ROW, BOLD)], [False] * 7, 22.0)
    p.need(5 * BODY.leading)
    p.space(10)
    p.paragraph("Notes:", BOLD)
    for _ in range(3):
        p.y += 22
        p.rule(p.y, "#777777", 0.6)


# --- the HTML ------------------------------------------------------------------------


def handout_html(plan: Plan, lib: Library | None = None, *, person: str = "",
                 notes: str = "", when: Date | None = None, paper: str = "A4",
                 log_sheet: bool = True) -> str:
    """The handout as one self-contained HTML page (pictures inlined as SVG), with
    the same content in the same order as the PDF, and print styles for ``paper``.

    Raises :class:`NothingToHandOut` if the plan has no exercises.
    """
    _check_paper(paper)
    lib = resolve(lib)
    c = handout_content(plan, lib=lib)
    days = day_minutes(plan, lib=lib) if c["week"] else None
    return _html(plan, c, days, lib, person=person, notes=notes, when=when, paper=paper,
                 log_sheet=log_sheet)


_CSS = """
@page { size: %(size)s; margin: 14mm; }
body { font-family: Helvetica, Arial, sans-serif; font-size: 12pt; line-height: 1.35;
       max-width: 182mm; margin: 0 auto; padding: 0 4mm; overflow-wrap: anywhere; }
h1 { font-size: 20pt; color: #1F3B73; margin: 8px 0 4px 0; }
h2 { font-size: 15pt; color: #1F3B73; margin: 16px 0 6px 0; break-after: avoid; }
h3 { font-size: 13.5pt; margin: 0 0 6px 0; break-after: avoid; }
.bg-ho-alert { color: #A33F00; font-weight: bold; }
.bg-ho-exercise { display: flow-root; border-top: 1px solid #bbb; padding-top: 8px;
                  margin-top: 10px; break-inside: avoid; }
.bg-ho-picture { float: left; width: 40%%; margin: 0 14px 6px 0; }
.bg-ho-picture svg { width: 100%%; height: auto; display: block; }
.bg-ho-exercise p { margin: 2px 0; }
.bg-ho-exercise ol { list-style-position: inside; padding: 0; margin: 6px 0; }
.bg-ho-dose { color: #A33F00; font-weight: bold; }
.bg-ho-minor { color: #333; font-size: 11pt; }
.bg-ho-chart svg { width: 100%%; max-width: 150mm; height: auto; display: block; }
abbr { text-decoration: none; }
.bg-ho-log { break-before: page; }
.bg-ho-log table { border-collapse: collapse; width: 100%%; }
.bg-ho-log th, .bg-ho-log td { border: 1px solid #999; padding: 4px 6px; }
.bg-ho-log thead { display: table-header-group; }
.bg-ho-log tr { break-inside: avoid; }
.bg-ho-log td { text-align: center; width: 9%%; }
.bg-ho-log tbody th { text-align: left; font-weight: normal; }
.bg-ho-planned, .bg-ho-swatch { background: #DCE5F2; -webkit-print-color-adjust: exact;
                                print-color-adjust: exact; }
.bg-ho-box { display: inline-block; width: 14px; height: 14px; border: 1.5px solid #111;
             background: white; vertical-align: middle; }
.bg-ho-pain .bg-ho-box { width: 24px; height: 24px; }
.bg-ho-swatch { display: inline-block; width: 14px; height: 11px; border: 1px solid #888;
                vertical-align: middle; }
.bg-ho-blank { display: inline-block; min-width: 40mm; border-bottom: 1px solid #111; }
.bg-ho-line { border-bottom: 1px solid #777; height: 28px; }
"""


def _html(plan: Plan, c: dict, days, lib: Library, *, person: str, notes: str,
          when: Date | None, paper: str, log_sheet: bool) -> str:
    e = html.escape
    person = person or plan.person
    title = plan.name or "Your exercises"

    def bullets(lines, cls=""):
        return (f"<ul{f' class={cls!r}' if cls else ''}>"
                + "".join(f"<li>{e(x)}</li>" for x in lines) + "</ul>")

    parts = [f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
             f"<title>{e(title)}: exercise handout</title>"
             f"<style>{_CSS % {'size': 'A4' if paper == 'A4' else 'letter'}}</style>"
             f"</head><body><h1>{e(title)}</h1>"]
    if meta := _meta(person, when):
        parts.append(f"<p>{e(meta)}</p>")
    if lines := _notes(plan, notes):
        parts.append("<h2>Notes from your clinician</h2><p>"
                     + "<br>".join(e(line) for line in lines) + "</p>")
    parts.append(f'<p class="bg-ho-alert bg-ho-safety">{e(SAFETY)} {e(c["stop_rule"])}</p>')
    if c["week"]:
        size = CHART_SIZES["week"]
        chart = figure_svg(lambda ax: plot_week(days, ax=ax).set_title(""), size,
                           top=1 - 12 / (72 * size[1]))
        parts.append('<h2>Your week at a glance</h2><div class="bg-ho-chart" role="img" '
                     'aria-label="Minutes of exercise on each day of the week">'
                     f"{chart}</div>")
    else:
        parts.append(f"<h3>{e(_session_line(c))}</h3>")
    for item in c["items"]:
        pic = _picture_svg(item, lib)
        doses = "".join(f'<p class="bg-ho-dose">{e(d)}: {e(_on_days(on))}</p>'
                        for d, on in item["doses"])
        steps = "".join(f"<li>{e(s)}</li>" for s in item["steps"])
        cautions = "".join(f"<p>Take care: {e(x)}</p>" for x in item["cautions"])
        variants = _variants(item)
        parts.append(
            f'<div class="bg-ho-exercise" data-exercise="{e(item["id"])}">'
            f'<div class="bg-ho-picture" role="img" aria-label="Picture of {e(item["name"])}">'
            f'{pic}</div><h3>{e(item["name"])}</h3>{doses}<ol>{steps}</ol>'
            f"{cautions}"
            + (f'<p class="bg-ho-minor">{e(variants)}</p>' if variants else "") + "</div>")
    if c["week"]:
        parts.append("<h2>The guidance this week meets</h2>"
                     + bullets(c["met"] or ["None of the checks yet."]))
        if c["to_work_on"]:
            parts.append("<h2>Still to work towards</h2>" + bullets(c["to_work_on"]))
    parts.append(f'<h2>When to stop, and when to seek care</h2><p class="bg-ho-alert">'
                 f'{e(c["stop_rule"])}</p><p><b>{e(SEE_A_CLINICIAN)}</b></p>'
                 + bullets(c["red_flags"], "bg-ho-red-flags"))
    parts.append("<h2>Sources</h2>" + bullets(c["sources"], "bg-ho-minor"))
    if log_sheet:
        parts.append(_log_html(c, _week_of(plan, when)))
    parts.append("</body></html>\n")
    return "\n".join(parts)


#: Pictures already written as SVG, by exercise and its positions' rows.
_SVGS: dict[tuple[str, str], str] = {}
_SVGS_KEPT = 256


def _picture_svg(item: dict, lib: Library) -> str:
    """The picture as inline SVG (:func:`backguide.pictures.picture_svg`), kept once made."""
    poses = lib.poses[lib.poses["exercise"] == item["id"]]
    key = (item["id"], poses.to_csv(index=False))
    if key not in _SVGS:
        if len(_SVGS) >= _SVGS_KEPT:
            del _SVGS[next(iter(_SVGS))]
        _SVGS[key] = picture_svg(item["id"], lib=lib, poses=poses)
    return _SVGS[key]


def _log_html(c: dict, week_of: str) -> str:
    e = html.escape
    box = '<span class="bg-ho-box"></span>'
    heads = "".join(f'<th scope="col"><abbr title="{d}">{h}</abbr></th>'
                    for d, h in zip(DAYS, DAY_HEADS))
    rows = []
    for name, dose, on in c["log"]:
        cells = "".join((f'<td class="bg-ho-planned">{box}</td>' if c["week"] and d in on
                         else f"<td>{box}</td>") for d in DAYS)
        rows.append(f'<tr><th scope="row"><b>{e(name)}</b><br>{e(dose)}</th>{cells}</tr>')
    rows.append(f'<tr class="bg-ho-pain"><th scope="row"><b>{e(PAIN_ROW)}</b></th>'
                + f"<td>{box}</td>" * 7 + "</tr>")
    when = e(week_of) if week_of else '<span class="bg-ho-blank"></span>'
    key = (f'<p><span class="bg-ho-swatch"></span> {e(LOG_KEY)}</p>' if c["week"] else "")
    return (f'<section class="bg-ho-log"><h2>Your exercise log: week of {when}</h2>'
            f"<p>{e(LOG_HOW)}</p>{key}<table><thead><tr><th scope=\"col\">Exercise and dose"
            f"</th>{heads}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            '<p><b>Notes:</b></p><div class="bg-ho-line"></div><div class="bg-ho-line"></div>'
            '<div class="bg-ho-line"></div></section>')


# --- files ------------------------------------------------------------------------------


def handout(plan: Plan, out: str | Path, lib: Library | None = None, *, person: str = "",
            notes: str = "", when: Date | None = None, paper: str = "A4",
            log_sheet: bool = True) -> tuple[Path, Path]:
    """Write ``<out>.pdf`` and ``<out>.html`` for ``plan``; return their paths.

    Parameters
    ----------
    plan
        What to hand out: exactly what was shown (one exercise, a day's
        session or a whole week).
    out
        Path without suffix, for example ``"handouts/ada"``.
    person, notes, when
        The person's name, the clinician's notes (added to the plan's own) and
        the date, each shown only if given.
    paper
        "A4" or "Letter".
    log_sheet
        Whether to end with a tick-box log sheet for the week.
    lib
        The library the plan's exercises come from; the shipped one by default.

    Raises
    ------
    NothingToHandOut
        If the plan has no exercises; no file is written.
    """
    _check_paper(paper)
    lib = resolve(lib)
    content = handout_content(plan, lib=lib)
    days = day_minutes(plan, lib=lib) if content["week"] else None
    options = dict(person=person, notes=notes, when=when, paper=paper, log_sheet=log_sheet)
    pdf = _pdf(plan, content, days, lib, **options)
    page = _html(plan, content, days, lib, **options)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf_path, html_path = out.with_suffix(".pdf"), out.with_suffix(".html")
    write_atomic(pdf_path, pdf)
    write_atomic(html_path, page.encode("utf-8"))
    return pdf_path, html_path


def handout_from_file(plan_file: str | Path, out: str | Path | None = None,
                      lib: Library | None = None, **options) -> tuple[Path, Path]:
    """The handout of a saved plan file; by default beside it, with the same name."""
    lib = resolve(lib)
    plan = load_plan(plan_file, lib=lib)
    return handout(plan, out if out is not None else Path(plan_file).with_suffix(""), lib=lib,
                   **options)
