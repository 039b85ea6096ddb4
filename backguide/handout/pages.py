"""The PDF's pages: Helvetica's widths, text styles, line breaking, and pages laid out
top to bottom in points, text flowing beside a picture and below.

Used by :mod:`.pdf` only.  The text is set in Helvetica, one of the PDF core
fonts every reader has, so no font is embedded: embedding and subsetting a
TrueType font took most of the time a handout took.  A text with a character
Helvetica lacks is set in DejaVu Sans, embedded.  Text is never read as
mathtext: what a person typed is printed as typed.
"""

from __future__ import annotations

import io
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import matplotlib as mpl
from matplotlib import patheffects
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text
from matplotlib.textpath import text_to_path
from matplotlib.transforms import Affine2D

from .content import PAPER

NAVY, RUST = "#1F3B73", "#A33F00"

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


def in_core(s: str, bold: bool = False) -> bool:
    """Whether Helvetica can print every character of ``s``."""
    widths = _core_widths(bold)
    return all(c in widths for c in s)


@lru_cache(maxsize=8192)
def _ttf_width(s: str, size: float, bold: bool) -> float:
    prop = FontProperties(family="DejaVu Sans", size=size, weight="bold" if bold else "normal")
    # A little spare: the TrueType layout kerns and hints, the measure may not.
    return text_to_path.get_text_width_height_descent(s, prop, ismath=False)[0] * 1.02


@dataclass(frozen=True)
class Style:
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


TITLE = Style(20, True, NAVY, after=4)
META = Style(11.5, after=4)
H2 = Style(14, True, NAVY, after=3)
H3 = Style(13, True, after=3)
BODY = Style(10.5, after=0.8)
BOLD = Style(10.5, True, after=0.8)
DOSE = Style(10.5, True, RUST, after=1.5)
ALERT = Style(10.5, True, RUST, after=3)
MINOR = Style(10, color="#333333", after=0.5)
RUNNING = Style(10, True, "#555555", after=3)
#: The clinic's name and contact, at the foot of every page.
FOOT = Style(10, False, "#333333")


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


def wrap(s: str, avail: float, width) -> list[str]:
    """``s`` in lines no wider than ``avail`` points."""
    lines, rest = [], s.split()
    while rest:
        line, rest = _break(rest, avail, width)
        lines.append(line)
    return lines



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
def core_fonts():
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
            if not in_core(t.get_text().replace("\n", "")):
                t.set_path_effects([patheffects.Normal()])


class Pages:
    """Pages laid out top to bottom in points, text flowing beside a picture and below.

    ``y`` is the distance from the top of the page to where the next line goes.
    A picture floats left: lines that start beside it are set in the column
    to its right, later lines take the whole width again.
    """

    MARGIN = 36.0
    FOOTER = 16.0
    #: Room at the foot's right for "Page 10 of 12", beside the clinic's lines.
    PAGE_NUMBER_ROOM = 78.0

    def __init__(self, paper: str, foot: str = ""):
        self.w, self.h = (72 * x for x in PAPER[paper])
        self.left, self.right = self.MARGIN, self.w - self.MARGIN
        #: The clinic's name and contact at the foot of every page, in lines that fit
        #: beside the page's number.
        self.foot = self._foot_lines(foot)
        extra = max(0, len(self.foot) - 1) * FOOT.leading
        self.top, self.bottom = self.MARGIN, self.h - self.MARGIN - self.FOOTER - extra
        self.figs: list[Figure] = []
        self.fig: Figure | None = None
        self.y = self.top
        self.float_bottom = self.float_width = 0.0
        #: What a new page starts with: the name of an exercise that goes on over it.
        self.running = ""

    @property
    def width(self) -> float:
        return self.right - self.left

    def _foot_lines(self, foot: str) -> list[tuple[str, bool]]:
        """``foot`` in lines that fit left of the page's number, each with whether
        Helvetica can set it."""
        if not foot.strip():
            return []
        core = in_core(foot, FOOT.bold)
        avail = self.width - self.PAGE_NUMBER_ROOM
        return [(line, core) for line in wrap(foot, avail, lambda x: FOOT.width(x, core))]

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

    def text_at(self, x: float, baseline: float, s: str, st: Style, core: bool,
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

    def paragraph(self, s: str, st: Style, *, indent: float = 0.0, label: str = "",
                  hang: float = 0.0, keep: float = 0.0) -> None:
        """Set ``s`` in lines that fit, breaking pages as needed.

        ``label`` (a step's number, a bullet) hangs ``hang`` points left of
        the text.  ``keep`` points must fit below the first line (a heading
        keeps its first lines with it).
        """
        core = in_core(s + label, st.bold)

        def width(x: str) -> float:
            return st.width(x, core)

        if keep:
            lines = wrap(s, self.width - indent - hang, width)
            self.need(len(lines) * st.leading + keep)
        rest, first = s.split(), True
        # A labelled paragraph (a numbered step, a bullet) keeps the column it starts
        # in: begun beside a picture, its lines stay under its first word down past the
        # picture's foot, so the number still hangs to the left of all of them.
        column: tuple[Figure, float] | None = None
        while rest:
            self.need(st.leading)
            beside = self.float_width if self.y < self.float_bottom else 0.0
            if label:
                if column is None or column[0] is not self.fig:  # the first line of a page
                    column = (self.fig, beside)
                beside = column[1]
            x = self.left + indent + hang + beside
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
        base = self.h - self.MARGIN - 2
        for i, fig in enumerate(self.figs, 1):
            self._on(fig)
            if self.foot:  # the clinic at the left, the page's number at the right
                for k, (line, core) in enumerate(self.foot):
                    self.text_at(self.left, base - (len(self.foot) - 1 - k) * FOOT.leading,
                                 line, FOOT, core)
                self.text_at(self.right, base, f"Page {i} of {n}", MINOR, True, ha="right")
            else:
                self.text_at(self.w / 2, base, f"Page {i} of {n}", MINOR, True, ha="center")
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

