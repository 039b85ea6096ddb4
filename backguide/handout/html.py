"""The handout as one self-contained web page: :func:`.handout_content` laid out by the
Jinja2 template ``backguide/templates/handout.html.j2``, with autoescape.

Every value the page shows is text and is escaped by the template; only the
pictures and the week chart, SVG made here, go in as markup.  The page
holds the same content in the same order as the PDF, with print styles for
the paper (``templates/handout.css``).
"""

from __future__ import annotations

from datetime import date as Date
from functools import cache

from ..charts import CHART_SIZES, figure_svg, plot_week
from ..library import Library, resolve
from ..pictures import picture_svg
from ..plan import Plan
from ..schema import DAYS
from . import content as words
from .content import DAY_HEADS, HandoutContent, HandoutItem, prepared

__all__ = ["handout_html"]

#: Pictures already written as SVG, by exercise and its positions' rows.
_SVGS: dict[tuple[str, str], str] = {}
_SVGS_KEPT = 256


@cache
def _template():
    import jinja2  # here: only a web page needs it

    env = jinja2.Environment(loader=jinja2.PackageLoader("backguide", "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    return env.get_template("handout.html.j2")


def handout_html(plan: Plan, *, lib: Library | None = None, from_plan: Plan | None = None,
                 person: str = "", notes: str = "", when: Date | None = None,
                 paper: str = "A4", log_sheet: bool = True, clinic: str = "",
                 times_a_day: int | None = None) -> str:
    """The handout of ``plan`` as one self-contained HTML page (pictures inlined as
    SVG), with the same content in the same order as the PDF, and print styles for
    ``paper``.

    ``from_plan`` is the whole plan a day was taken from (see
    :func:`.handout_content`, as are ``clinic`` and ``times_a_day``).  Raises
    :class:`~backguide.errors.NothingToHandOut` if the plan has no exercises.
    """
    c, lib = prepared(plan, lib=lib, paper=paper, from_plan=from_plan, person=person,
                      notes=notes, when=when, clinic=clinic, times_a_day=times_a_day)
    return html_of(c, lib=lib, paper=paper, log_sheet=log_sheet)


def html_of(c: HandoutContent, *, lib: Library | None = None, paper: str,
            log_sheet: bool = True) -> str:
    """The web page of content already worked out."""
    lib = resolve(lib)
    from markupsafe import Markup  # jinja2's own; here, like the template

    chart = None
    if c.chart is not None:
        size = CHART_SIZES["week"]
        chart = Markup(figure_svg(lambda ax: plot_week(c.chart, ax=ax).set_title(""), size,
                                  top=1 - 12 / (72 * size[1])))
    return _template().render(
        c=c, w=words, chart=chart, log_sheet=log_sheet, clinic_css=css_string(c.clinic_line),
        pictures=[Markup(_picture(item, lib)) for item in c.items],
        days=list(zip(DAYS, DAY_HEADS)), page_size="A4" if paper == "A4" else "letter")


def css_string(text: str) -> str:
    """``text`` as a CSS string, quotes included: every character but letters, digits
    and spaces written as a hex escape, so nothing typed can end the string or the
    ``<style>`` it sits in.

    >>> css_string('Dr "A" </style>')
    '"Dr \\\\22 A\\\\22  \\\\3C \\\\2F style\\\\3E "'
    """
    return '"' + "".join(c if c.isascii() and (c.isalnum() or c == " ") else f"\\{ord(c):X} "
                         for c in text) + '"'


def _picture(item: HandoutItem, lib: Library) -> str:
    """The source's pictures where it has any to show (a file as a data URI), else the
    drawn picture as inline SVG."""
    if not item.shown_pictures:
        return _picture_svg(item.id, lib)
    from markupsafe import escape

    return "".join(f'<img class="bg-ho-source-picture" alt="" style="width:100%" '
                   f'src="{escape(p.src)}">' for p in item.shown_pictures)


def _picture_svg(exercise: str, lib: Library) -> str:
    """The picture as inline SVG (:func:`backguide.pictures.picture_svg`), kept once made."""
    poses = lib.poses[lib.poses["exercise"] == exercise]
    key = (exercise, poses.to_csv(index=False))
    if key not in _SVGS:
        if len(_SVGS) >= _SVGS_KEPT:
            del _SVGS[next(iter(_SVGS))]
        _SVGS[key] = picture_svg(exercise, lib=lib, poses=poses)
    return _SVGS[key]
