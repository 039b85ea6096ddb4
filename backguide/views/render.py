"""HTML for the views: the content layer's plain data, laid out.

Each function takes what :mod:`backguide.content` returns (or asks it) and
returns a string of HTML; none words or counts anything of its own.  Text a
person typed or a table holds is always escaped.
"""

from __future__ import annotations

import base64
import html
import os
import re
from importlib import resources

import pandas as pd

from ..content import Checklist, ExerciseContent, exercise_content, safety_content
from ..content.exercise import SourcePicture, source_pictures
from ..content.week import SessionLine
from ..library import Library, resolve
from ..words import minutes_text


def _static(name: str) -> str:
    return resources.files("backguide").joinpath("static", name).read_text(encoding="utf-8")


#: The stylesheet every view starts with (``backguide/static/views.css``).
CSS = f"<style>\n{_static('views.css')}</style>\n"


def e(text) -> str:
    """``text`` escaped for HTML."""
    return html.escape(str(text))


#: Tags that break a line (their text is apart from the next), unlike <b> or <span>.
_BLOCK_TAG = re.compile(r"</?(?:p|div|li|ul|ol|br|tr|td|th|table|h[1-6]|details|summary|"
                        r"section|header|footer|style)\b[^>]*>", re.I)


def text_of(fragment: str) -> str:
    """HTML as a reader sees it: tags dropped, entities decoded, spaces collapsed.

    >>> text_of("<b>2 of 39</b> exercises&nbsp;match")
    '2 of 39 exercises match'
    """
    spaced = re.sub(_BLOCK_TAG, " ", fragment)
    words = html.unescape(re.sub(r"<[^>]+>", "", spaced)).replace("\xa0", " ")
    return re.sub(r"\s+", " ", words).strip()


def in_voila() -> bool:
    """True when the kernel runs under Voila (which sets ``VOILA_*`` variables)."""
    return any(k.startswith("VOILA_") for k in os.environ) or os.environ.get(
        "SERVER_SOFTWARE", "").startswith("voila")


# --- safety --------------------------------------------------------------------------


def _signs_list(*, lib: Library | None) -> tuple[str, str]:
    s = safety_content(lib=lib)
    items = "".join(f"<li>{e(x.statement)}</li>" for x in s.signs)
    return items, f"<small>Source: {e(s.sources)}.</small>"


def warning_signs_html(*, lib: Library | None = None, heading: str | None = None) -> str:
    """Every warning sign from the guidance table, in full, with its source."""
    items, source = _signs_list(lib=lib)
    heading = heading or safety_content(lib=lib).signs_heading
    return (f'<div class="bg-safety bg-red-flags"><b>{e(heading)}</b><ul>{items}</ul>'
            f"{source}</div>")


def safety_note_html(*, lib: Library | None = None, signs: bool = True) -> str:
    """The short safety note a view opens with.

    With ``signs`` the warning signs fold out beneath it (closed at first);
    without, the note points to the full list shown elsewhere on the page.
    """
    s = safety_content(lib=lib)
    note = f"<b>{e(s.note)}</b> {e(s.stop_rule)} {e(s.see_a_clinician)}"
    if signs:
        items, source = _signs_list(lib=lib)
        note += (f"<details><summary>The warning signs</summary><ul>{items}</ul>"
                 f"{source}</details>")
    else:
        note += " The warning signs are listed below."
    return f'<div class="bg-safety bg-safety-note">{note}</div>'


def request_html(req) -> str:
    """What a search understood, what it did not, and, for what the guide does not
    cover (numbness, bladder, a fall), the advice and the warning signs instead of
    an empty list.  ``req`` is a :class:`backguide.request.Request`."""
    parts = []
    if not req.covered:
        notes = "".join(f"<li><b>{e(r.said)}</b>: {e(r.note)}</li>"
                        for r in req.outside.itertuples())
        signs = "".join(f"<li>{e(s)}</li>" for s in req.guidance["statement"])
        parts.append(
            '<div class="bg-safety bg-outside"><b>This guide does not cover that.</b>'
            f"<ul>{notes}</ul>"
            + (f"<b>The warning signs to check first:</b><ul>{signs}</ul>" if signs else "")
            + "See a clinician for advice about it.</div>")
    said = []
    if req.summary:
        said.append(e(req.summary) + ".")
    if req.corrections:
        said.append("Read " + ", ".join(f"\u201c{e(a)}\u201d as \u201c{e(b)}\u201d"
                                        for a, b in req.corrections) + ".")
    if req.context:
        said.append("When it hurts (not a filter): " + e(", ".join(req.context)) + ".")
    if req.unknown:
        said.append("Not understood, so not used: " + e(", ".join(req.unknown)) + ".")
    for typed, meant in req.near_outside:
        said.append(f"Did you mean \u201c{e(meant)}\u201d? The guide does not cover it: "
                    "see the warning signs.")
    if said:
        parts.append(f'<div class="bg-advice bg-understood">{" ".join(said)}</div>')
    return "".join(parts)


# --- exercises -----------------------------------------------------------------------


def ladder_html(c: ExerciseContent) -> str:
    """An exercise's easier and harder variants around its name, with the progression."""
    if not (c.easier or c.harder):
        return ""
    easier = ", ".join(e(v.name) for v in c.easier)
    harder = ", ".join(e(v.name) for v in c.harder)
    out = (f'<p class="bg-ladder"><b>Variants:</b> {easier + " &larr; " if easier else ""}'
           f"<b>{e(c.name)}</b>{' &rarr; ' + harder if harder else ''}</p>")
    if c.progression:
        out += f"<p><i>{e(c.progression)}</i></p>"
    return out


def steps_html(c: ExerciseContent) -> str:
    """The numbered steps."""
    return '<ol class="bg-steps-list">' + "".join(f"<li>{e(s)}</li>" for s in c.steps) + "</ol>"


def cautions_html(c: ExerciseContent) -> str:
    """The cautions, as a list ("None listed." when there are none)."""
    items = "".join(f"<li>{e(x)}</li>" for x in c.cautions) or "<li>None listed.</li>"
    return f'<ul class="bg-cautions-list">{items}</ul>'


def card_picture(ex_id: str, *, lib: Library | None = None) -> str:
    """A card's picture: the source's own pictures that can be shown (an imported
    exercise's), else the drawn one (or its placeholder), with a note for each of the
    source's pictures not shown."""
    from ..pictures import picture_img_tag

    lib = resolve(lib)
    picture = source_pictures_html(source_pictures(exercise_content(ex_id, lib=lib), lib=lib))
    return picture if "<img" in picture else picture_img_tag(ex_id, lib=lib) + picture


def exercise_card(ex_id: str, *, lib: Library | None = None, picture: str | None = None,
                  dose=None) -> str:
    """HTML detail card: picture, steps, every source's dose, cautions, variants, sources.

    ``picture`` is HTML for the picture (an ``<img>``, inline SVG or the
    animation); :func:`card_picture` if not given.  ``dose`` is a plan entry's dose (the
    starting dose if None).
    """
    lib = resolve(lib)
    c = exercise_content(ex_id, dose=dose, lib=lib)
    if picture is None:
        picture = card_picture(ex_id, lib=lib)
    attribution = (f'<p class="bg-attribution"><small>{e(c.attribution)}</small></p>'
                   if c.attribution else "")
    dose_rows = "".join(
        f"<tr><td>{e(d.source)}</td><td>{e(d.words)}</td>"
        f"<td><i>\u201c{e(d.evidence)}\u201d</i></td></tr>" for d in c.doses)
    dose_table = (f'<div class="bg-table"><table><tr><th>Source</th><th>Its dose</th>'
                  f"<th>In its words</th></tr>{dose_rows}</table></div>"
                  if dose_rows else "<p>No source gives a dose.</p>")
    return (
        f'<div class="bg-card" data-exercise="{e(c.id)}"><h3>{e(c.name)}</h3>'
        f'<div class="bg-card-body"><div class="bg-card-picture">{picture}</div>'
        f'<div class="bg-card-text">'
        f"<p><b>{e(c.category)}</b> &middot; {e(c.position)} &middot; "
        f"{e(c.difficulty)} <small>({e(c.difficulty_basis)})</small><br>"
        f"<b>Works:</b> {e(c.muscles)}<br>"
        f'<b>Starting dose:</b> <span class="bg-card-dose">{e(c.dose_and_time)}</span></p>'
        f"{steps_html(c)}<p><b>Cautions</b></p>{cautions_html(c)}{ladder_html(c)}</div></div>"
        f"<p><b>Doses in the sources</b></p>{dose_table}"
        f"<p><small>Sources: {e('; '.join(c.sources))}</small></p>{attribution}</div>")


def source_pictures_html(pictures: tuple[SourcePicture, ...], width: int = 420) -> str:
    """The source's pictures (:func:`~backguide.content.exercise.source_pictures`) as
    ``<img>`` tags, a file inlined as a data URI; a note in place of each not shown."""
    out = []
    for p in pictures:
        if p.note:
            out.append(f'<p class="bg-picture-note"><small>{e(p.note)}</small></p>')
        else:
            out.append(f'<img class="bg-picture bg-source-picture" alt="Picture of the '
                       f'exercise, from its source" style="max-width:{width}px;width:100%" '
                       f'src="{e(p.src)}">')
    return "".join(out)


#: What a blank (unknown) cell of an imported library reads as.
NOT_GIVEN = "not given"


def results_frame(results: pd.DataFrame, labels: pd.Series | None = None) -> pd.DataFrame:
    """The explorer's results table as a DataFrame: what it shows, as it shows it.

    One row per exercise of ``results`` (rows of ``lib.exercises``), indexed
    by id, with ``Exercise`` (its name, or its label in ``labels``, which says
    the source of a name two exercises share), ``Category``, ``Position``,
    ``Difficulty`` and ``Minutes`` (the starting dose's time, by
    :func:`~backguide.words.minutes_text`); a blank cell reads "not given".
    """
    said = lambda c: results[c].astype("str").where(results[c].notna(), NOT_GIVEN)  # noqa: E731
    names = results["name"].astype("str")
    if labels is not None:
        names = labels.reindex(results.index).fillna(names).astype("str")
    return pd.DataFrame({
        "Exercise": names,
        "Category": said("category"),
        "Position": said("position"),
        "Difficulty": said("difficulty"),
        "Minutes": pd.Series([minutes_text(m) or NOT_GIVEN for m in results["session_minutes"]],
                             index=results.index, dtype="str"),
    }, index=results.index)


# --- the week ------------------------------------------------------------------------


def checklist_html(checklist: Checklist) -> str:
    """The guidance checklist (:func:`~backguide.content.checklist_content`): its
    headline and one line per check, with its mark and status in words, citing every
    source behind it by title."""
    items = "".join(
        f'<li class="bg-{x.status}"><b>{x.mark} {e(x.label)}</b> '
        f"{e(x.message)} <small>({e('; '.join(x.sources))})</small></li>"
        for x in checklist.lines)
    body = f"<ul>{items}</ul>" if items else ""
    return (f'<div class="bg-card bg-checklist-card"><b class="bg-met-count">'
            f"{e(checklist.headline)}</b>{body}</div>")


def session_heading(session: SessionLine) -> str:
    """A session's heading on the board: its name and minutes, as the content words it."""
    return f"<b>{e(session.name)}</b> <small>({e(session.time)})</small>"


# --- files ---------------------------------------------------------------------------


def download_link(data: bytes, filename: str, label: str, mime: str) -> str:
    """A link that downloads ``data`` as ``filename``, in Voila and in JupyterLab alike
    (the file travels in the page, not as a server path)."""
    b64 = base64.b64encode(data).decode()
    return (f'<span class="bg-download"><a download="{e(filename)}" '
            f'href="data:{mime};base64,{b64}">{e(label)}</a></span>')
