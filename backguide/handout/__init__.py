"""The take-home handout: a printable PDF and a web page of what a clinician showed.

A handout is given a :class:`~backguide.plan.Plan` holding exactly what was
shown (one exercise, a day's session or a whole week) and prints exactly
those exercises: each with its picture beside its doses (each distinct dose
with how often), steps and cautions, and its easier and harder variants.
Around them: the plan's name, the person and the date, the clinician's
notes, the clinic's name and contact at the foot of every page, the safety line, the week at a glance (for a single day instead the
day's sessions and minutes), the guidance a whole week meets and what it
still has to work towards, when to stop and when to seek care (every
warning sign), the sources, and last a tick-box log sheet for the week.

A day taken from a plan is handed out with ``from_plan=`` that plan, so
each dose says the days the plan has it ("every day") and the log sheet
shades them; a single exercise with no plan says
:data:`~.content.HOW_OFTEN_UNKNOWN`.

Content first, then layout:

- :mod:`.content`: :func:`handout_content`, everything the handout says, as
  plain data built on :mod:`backguide.content`;
- :mod:`.pdf`: :func:`handout_pdf` lays it out with matplotlib
  (:mod:`.pages`: fonts, line breaking and pages);
- :mod:`.html`: :func:`handout_html` lays it out with the Jinja2 template
  ``backguide/templates/handout.html.j2`` (autoescaped).

:mod:`.pdf` and :mod:`.html` (and with them matplotlib and Jinja2) are
imported when one of their names is first used, so the content alone stays
light.

Text a person typed is printed as typed: never read as mathtext in the PDF,
escaped in the HTML.  A plan with no exercises raises
:class:`~backguide.errors.NothingToHandOut`.  Files are written atomically.
"""

from __future__ import annotations

from datetime import date as Date
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import NothingToHandOut
from ..files import write_atomic
from ..library import Library, resolve
from ..plan import Plan, load_plan
from .content import (HOW_OFTEN_UNKNOWN, PAPER, DoseLine, HandoutContent, HandoutItem, LogRow,
                      check_paper, handout_content, how_often, prepared)

if TYPE_CHECKING:
    from .html import _SVGS, handout_html, html_of
    from .pdf import handout_pdf, pdf_of

#: The names of the layouts, each loaded from its module on first use (PEP 562).
_LAYOUTS = {"handout_pdf": "pdf", "pdf_of": "pdf", "handout_html": "html", "html_of": "html",
            "_SVGS": "html"}

__all__ = ["HOW_OFTEN_UNKNOWN", "PAPER", "DoseLine", "HandoutContent", "HandoutItem", "LogRow",
           "NothingToHandOut", "handout", "handout_content", "handout_from_file",
           "handout_html", "handout_pages", "handout_pdf", "how_often"]


def handout_pages(plan: Plan, *, lib: Library | None = None, from_plan: Plan | None = None,
                  person: str = "", notes: str = "", when: Date | None = None,
                  paper: str = "A4", log_sheet: bool = True, clinic: str = "",
                  times_a_day: int | None = None) -> tuple[bytes, str]:
    """The handout as PDF bytes and as a web page, from one :func:`handout_content`.

    The same as :func:`handout_pdf` and :func:`handout_html` with the same
    arguments, with the content worked out once.
    """
    from .html import html_of
    from .pdf import pdf_of

    c, lib = prepared(plan, lib=lib, paper=paper, from_plan=from_plan, person=person,
                      notes=notes, when=when, clinic=clinic, times_a_day=times_a_day)
    return (pdf_of(c, lib=lib, paper=paper, log_sheet=log_sheet),
            html_of(c, lib=lib, paper=paper, log_sheet=log_sheet))


def handout(plan: Plan, out: str | Path, *, lib: Library | None = None,
            from_plan: Plan | None = None, person: str = "", notes: str = "",
            when: Date | None = None, paper: str = "A4", log_sheet: bool = True,
            clinic: str = "", times_a_day: int | None = None) -> tuple[Path, Path]:
    """Write ``<out>.pdf`` and ``<out>.html`` for ``plan``; return their paths.

    Parameters
    ----------
    plan
        What to hand out: exactly what was shown (one exercise, a day's
        session or a whole week).
    out
        Path without suffix, for example ``"handouts/ada"``.
    lib
        The library the plan's exercises come from; the shipped one by default.
    from_plan
        The whole plan a day was taken from: each dose then says the days
        it has that dose, and the log sheet shades them.
    person, notes, when
        The person's name, the clinician's notes (added to the plan's own) and
        the date, each shown only if given.
    paper
        "A4" or "Letter".
    log_sheet
        Whether to end with a tick-box log sheet for the week.
    clinic
        The clinic's name and contact, printed at the foot of every page (and at
        the top and foot of the web page); at most
        :data:`~.content.CLINIC_MOST` characters.
    times_a_day
        How many times a day (1 to 5), said with each dose ("twice a day"); None
        or blank says nothing.

    Raises
    ------
    NothingToHandOut
        If the plan has no exercises; no file is written.
    BackguideError
        Naming the field (``person``, ``notes``, ``clinic``, ``times_a_day``) for
        text that cannot be printed or a number of times out of range; no file is
        written.
    """
    pdf, page = handout_pages(plan, lib=lib, from_plan=from_plan, person=person, notes=notes,
                              when=when, paper=paper, log_sheet=log_sheet, clinic=clinic,
                              times_a_day=times_a_day)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf_path, html_path = out.with_suffix(".pdf"), out.with_suffix(".html")
    write_atomic(pdf_path, pdf)
    write_atomic(html_path, page.encode("utf-8"))
    return pdf_path, html_path


def handout_from_file(plan_file: str | Path, out: str | Path | None = None, *,
                      lib: Library | None = None, **options) -> tuple[Path, Path]:
    """The handout of a saved plan file; by default beside it, with the same name."""
    lib = resolve(lib)
    plan = load_plan(plan_file, lib=lib)
    return handout(plan, out if out is not None else Path(plan_file).with_suffix(""), lib=lib,
                   **options)


def __getattr__(name: str):
    if name in _LAYOUTS:
        import importlib

        value = getattr(importlib.import_module(f".{_LAYOUTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
