"""How each of the presenter's screens lays out what a person reads, as HTML.

Each function takes what the content layer returns (:mod:`backguide.content`:
an exercise's content, the safety content, a day's sessions, a session's
results) and only places it: none works out a dose, a number of minutes, a
step, a caution or a result of its own.  Every value is escaped.
:func:`visible_text` reads a screen back as a person would.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from collections.abc import Iterable, Sequence

import ipywidgets as W
import pandas as pd

from ..content import DayLine, ExerciseContent, Safety, SessionLine, WarningSign
from ..content.exercise import SourcePicture
from ..views.render import source_pictures_html
from ..words import NO_DOSE_GIVEN

__all__ = ["day_preview_html", "exercise_body_html", "exercise_head_html", "picture_html",
           "problem_html", "rest_day_html", "safety_html", "single_preview_html", "stop_html",
           "summary_html", "visible_text", "where_text"]

#: The mark beside each result in the summary.
RESULT_MARKS = {"done": "\u2713", "partly": "\u25d0", "skipped": "\u2013"}


def e(text) -> str:
    return html.escape(str(text))


# --- safety --------------------------------------------------------------------------


def safety_html(safety: Safety) -> str:
    """The first screen: the note, the stop rule, and every warning sign in full."""
    items = "".join(f"<li>{e(s.statement)}</li>" for s in safety.signs)
    return ('<div class="bg-safety bg-red-flags"><h1>Before you start</h1>'
            f"<p><b>{e(safety.note)}</b> {e(safety.stop_rule)}</p>"
            "<p><b>Does any of these apply to you today?</b></p>"
            f"<ul>{items}</ul><small>Source: {e(safety.sources)}.</small></div>")


def stop_html(sign: WarningSign) -> str:
    """A warning sign applies: the sign as said, and what to do now, in large print."""
    return ('<div class="bg-safety bg-stop"><h1>Do not start the exercises today</h1>'
            f"<p>You said: <b>{e(sign.sign)}</b>.</p>"
            f'<p class="bg-advice-now">{e(sign.advice)}</p>'
            "<p>The exercises can wait until a clinician has seen you.</p>"
            f"<small>Source: {e(sign.source)}.</small></div>")


# --- choosing ------------------------------------------------------------------------


def problem_html(exc: Exception) -> str:
    """What is wrong with a plan, on the page, in words a clinician can act on.

    A file this computer will not let us read (``PermissionError``, or another
    ``OSError``) is said as such, with the file's name and what to do; a broken
    file with what is wrong in it.
    """
    if isinstance(exc, PermissionError):
        said = (f"The file {e(_file_name(exc))} is there, but this computer does not let "
                "the guide read it (permission denied).")
        todo = ("Ask whoever looks after this computer to let the guide read it, "
                "or choose another plan.")
    elif isinstance(exc, OSError):
        why = exc.strerror or type(exc).__name__
        said = f"The file {e(_file_name(exc))} cannot be read ({e(why)})."
        todo = "Choose another plan, or ask whoever looks after this computer."
    else:
        said, todo = e(exc), "Choose another plan, or fix or remove the file."
    return f'<div class="bg-error"><b>This plan cannot be opened.</b> {said}<br>{todo}</div>'


def _file_name(exc: OSError) -> str:
    """The name of the file an ``OSError`` is about ("the plan's file" if it says none)."""
    return Path(exc.filename).name if exc.filename else "the plan's file"


def rest_day_html(day: str) -> str:
    return (f'<p class="bg-rest-day"><b>{e(day)} is a rest day in this plan.</b> '
            "Choose another day.</p>")


def day_preview_html(day: DayLine) -> str:
    """What Begin will show of a day: its exercises and minutes, and each session's heading."""
    if day.rest:
        return rest_day_html(day.day)
    heads = " &middot; ".join(e(s.heading) for s in day.sessions)
    return f"<p>{e(day.day)}: {e(day.summary)} &middot; {heads}</p>"


def single_preview_html(content: ExerciseContent) -> str:
    """What Begin will show of a single exercise: its name, dose and time."""
    if not content.dosed:
        return (f"<p>Just <b>{e(content.name)}</b>: {NO_DOSE_GIVEN}, so {e(content.dose)} "
                "how much.</p>")
    return (f"<p>Just <b>{e(content.name)}</b>, at its starting dose: "
            f"{e(content.dose_and_time)}.</p>")


# --- one exercise --------------------------------------------------------------------


def where_text(session: SessionLine, position: int, of: int, *, single: bool) -> str:
    """Where the exercise sits: "Exercise 2 of 6 · Monday · Morning stretches (7.8 min)",
    or the session's heading alone for a single exercise."""
    if single:
        return session.heading
    return f"Exercise {position + 1} of {of} \u00b7 {session.day} \u00b7 {session.heading}"


def exercise_head_html(content: ExerciseContent, where: str) -> str:
    """The exercise's heading: where it sits, its name and its dose in words."""
    return (f'<div class="bg-where">{e(where)}</div>'
            f'<h1 class="bg-present-name">{e(content.name)}</h1>'
            f'<div class="bg-dose-big">{"" if content.dosed else "Dose: "}{e(content.dose)}</div>')


def _names(variants) -> str:
    return ", ".join(v.name for v in variants)


def exercise_body_html(content: ExerciseContent) -> str:
    """Every step, every caution, and where the exercise sits between its variants."""
    steps = "".join(f"<li>{e(s)}</li>" for s in content.steps)
    out = f'<div class="bg-steps"><ol>{steps}</ol></div>'
    if content.cautions:
        cautions = "".join(f"<li>{e(c)}</li>" for c in content.cautions)
        out += f'<div class="bg-cautions"><h2>Take care</h2><ul>{cautions}</ul></div>'
    if content.easier or content.harder:
        out += (f'<p class="bg-ladder">Easier: <b>{e(_names(content.easier) or "none")}</b> '
                f'&larr; this &rarr; Harder: <b>{e(_names(content.harder) or "none")}</b></p>')
    if content.attribution:
        out += f'<p class="bg-attribution"><small>{e(content.attribution)}</small></p>'
    return out


def picture_html(pictures: Sequence[SourcePicture], drawn: str) -> str:
    """The exercise's picture: the source's own that can be shown (:func:`source_pictures`,
    each file inlined), else ``drawn`` (the drawn picture, or its placeholder, as SVG).
    Nothing about pictures that cannot be shown (a file path, an address) reaches the
    projector: the explorer's card says that."""
    shown = tuple(p for p in pictures if not p.note)
    return source_pictures_html(shown, width=520) if shown else drawn


# --- the summary ---------------------------------------------------------------------


def summary_html(results: pd.DataFrame, contents: Sequence[ExerciseContent], headline: str,
                 headings: Iterable[str], stop_rule: str) -> str:
    """The end of a session: the headline, the sessions' headings, each exercise with its
    dose and time and its result, and the stop rule.

    ``results`` is :meth:`Presenter.results` (``name``, ``status``, ``how``),
    ``contents`` each exercise's content in the same order, and ``headline``
    the results' :func:`~backguide.content.results_headline`.
    """
    rows = "".join(
        f'<li class="bg-result-{e(r.status)}">{RESULT_MARKS[r.status]} <b>{e(r.name)}</b>'
        + (f": {e(c.dose_and_time)}: " if c.dosed else f" ({NO_DOSE_GIVEN}): ")
        + f"<i>{e(r.how)}</i></li>"
        for r, c in zip(results.itertuples(), contents, strict=True))
    heads = " &middot; ".join(e(h) for h in headings)
    return (f'<div class="bg-summary"><h1>Session finished</h1>'
            f'<p class="bg-results-headline"><b>{e(headline)}</b></p>'
            f'<p class="bg-sessions">{heads}</p><ul>{rows}</ul>'
            f'<p class="bg-safety">{e(stop_rule)}</p></div>')


# --- reading a screen back -----------------------------------------------------------

_BLOCK = re.compile(r"</?(p|li|ul|ol|div|h\d|br|small|details|summary|svg|text|tspan|title)"
                    r"\b[^>]*>")


def _widget_words(w: W.Widget) -> Sequence[str]:
    if isinstance(w, W.HTML):
        return [w.value]
    if isinstance(w, (W.Button, W.ToggleButton)):
        return [html.escape(w.description)]
    if isinstance(w, W.Dropdown):
        return [html.escape(f"{w.description} {w.label or ''}")]
    return []


def visible_text(widget: W.Widget) -> str:
    """Every piece of text shown in ``widget`` and the widgets inside it, in order, as a
    person reads it (tags gone, entities read, spaces collapsed); hidden widgets skipped.
    """
    parts: list[str] = []
    stack = [widget]
    while stack:
        w = stack.pop(0)
        if getattr(w.layout, "display", None) == "none":
            continue
        parts.extend(_widget_words(w))
        stack[:0] = list(getattr(w, "children", ()))
    text = re.sub(r"<(style|script)\b.*?</\1>", " ", " ".join(parts), flags=re.S)
    text = _BLOCK.sub(" ", text)
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()
