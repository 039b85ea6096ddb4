"""HTML renderers shared by the views, the presenter and the handout.

Each function takes tables (rows of the library, a week's measures) and
returns a string of HTML; none computes a number of its own.  Text a person
typed or a table holds is always escaped.
"""

from __future__ import annotations

import base64
import html
import os

import pandas as pd

from ..dose import shown_minutes
from ..library import Library, resolve
from ..measures import met_count
from ..pictures import picture_img_tag
from ..plan import describe_dose

STATUS_ICON = {"met": "\u2713", "short": "\u2717", "over": "\u2191"}

#: The stylesheet every view starts with.  Body text is 15 px and nothing a
#: person must read is under 13 px.
CSS = """
<style>
.bg-view { font-size: 15px; line-height: 1.4; }
.bg-view small, .bg-minor { font-size: 13px; }
.bg-view .widget-html-content { font-size: 14px; }
.bg-card { border: 1px solid #bbb; border-radius: 6px; padding: 8px 14px; background: #fcfcfc;
           font-size: 15px; }
.bg-card h3 { margin: 4px 0; font-size: 20px; }
.bg-card .bg-card-body { display: flex; flex-wrap: wrap; gap: 16px; }
.bg-card .bg-card-picture { flex: 0 1 420px; min-width: 280px; }
.bg-card .bg-card-picture img { width: 100%; height: auto; }
.bg-card .bg-card-text { flex: 1 1 420px; }
.bg-table table { border-collapse: collapse; font-size: 14px; }
.bg-table th, .bg-table td { border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: left; }
.bg-safety { border-left: 6px solid #D55E00; background: #fff4ec; padding: 6px 12px;
             font-size: 15px; }
.bg-safety summary { cursor: pointer; font-weight: bold; }
.bg-advice { border-left: 6px solid #0072B2; background: #eef6fb; padding: 6px 12px; }
.bg-met { color: #007a5a; } .bg-short { color: #b34700; } .bg-over { color: #0060a0; }
.bg-checklist-card li { margin: 3px 0; }
.bg-day-col { border: 1px solid #bbb; border-radius: 6px; padding: 4px 6px; min-width: 0; }
.bg-day-col h4 { margin: 2px 0 4px 0; font-size: 16px; }
.bg-board-entry { border-top: 1px solid #e4e4e4; padding: 2px 0; }
.bg-board-entry .widget-html-content, .bg-session-head .widget-html-content {
  font-size: 14px; line-height: 1.3; }
.bg-session-head { margin-top: 4px; }
.bg-entry-buttons button { padding: 0 !important; }
.bg-chart svg { width: 100%; max-width: 1000px; height: auto; display: block; }
.bg-download a { font-size: 16px; font-weight: bold; }
</style>
"""


def e(text) -> str:
    """``text`` escaped for HTML."""
    return html.escape(str(text))


def in_voila() -> bool:
    """True when the kernel runs under Voila (which sets ``VOILA_*`` variables)."""
    return any(k.startswith("VOILA_") for k in os.environ) or os.environ.get(
        "SERVER_SOFTWARE", "").startswith("voila")


def title(source: str, lib: Library | None = None) -> str:
    """A source's title as a person reads it (its id only if the table lacks it)."""
    sources = resolve(lib).sources
    return str(sources.at[source, "title"]) if source in sources.index else str(source)


def sources_line(ids, lib: Library | None = None) -> str:
    """Several sources' titles, joined for a line of text."""
    return "; ".join(title(s, lib) for s in ids)


# --- safety --------------------------------------------------------------------------


def warning_signs(lib: Library | None = None) -> pd.DataFrame:
    """The warning signs: the guidance table's ``red_flag`` rows, and nothing else."""
    g = resolve(lib).guidance
    return g[g["topic"] == "red_flag"]


def warning_sign_advice(lib: Library | None = None) -> pd.DataFrame:
    """Each warning sign split into the ``sign`` and the ``advice`` for it, by its id.

    A warning sign's statement in the guidance table reads "sign: what to do"
    (the data rules check it), so the advice shown when a sign applies is the
    table's own words.
    """
    flags = warning_signs(lib)
    parts = flags["statement"].str.split(": ", n=1, expand=True)
    if parts.shape[1] < 2:
        parts[1] = None
    advice = parts[1].fillna("see a clinician before exercising.").str.strip()
    return pd.DataFrame({"sign": parts[0].str.strip(),
                         "advice": advice.str[:1].str.upper() + advice.str[1:],
                         "source": flags["source"]}, index=flags.index)


def stop_rule(lib: Library | None = None) -> str:
    """The stop rule, from the guidance table's safety rows."""
    g = resolve(lib).guidance
    return " ".join(g.at[i, "statement"] for i in ("fourkey_stop", "fourkey_rest")
                    if i in g.index)


def warning_signs_html(lib: Library | None = None, *, heading: str | None = None) -> str:
    """Every warning sign from the guidance table, in full, with its source."""
    lib = resolve(lib)
    flags = warning_signs(lib)
    items = "".join(f"<li>{e(s)}</li>" for s in flags["statement"])
    heading = heading or "See a clinician instead of exercising if you have any of these:"
    return (f'<div class="bg-safety bg-red-flags"><b>{e(heading)}</b><ul>{items}</ul>'
            f"<small>Source: {e(sources_line(sorted(set(flags['source'])), lib))}.</small></div>")


def safety_note_html(lib: Library | None = None, *, signs: bool = True) -> str:
    """The short safety note a view opens with.

    With ``signs`` the warning signs fold out beneath it (closed at first);
    without, the note points to the full list shown elsewhere on the page.
    """
    lib = resolve(lib)
    note = (f"<b>This is a guide, not a diagnosis.</b> {e(stop_rule(lib))} "
            "If any warning sign applies to you, see a clinician before exercising.")
    if signs:
        flags = warning_signs(lib)
        items = "".join(f"<li>{e(s)}</li>" for s in flags["statement"])
        src = sources_line(sorted(set(flags["source"])), lib)
        note += (f"<details><summary>The warning signs</summary><ul>{items}</ul>"
                 f"<small>Source: {e(src)}.</small></details>")
    else:
        note += " The warning signs are listed below."
    return f'<div class="bg-safety bg-safety-note">{note}</div>'


def advice_html(advice) -> str:
    """What a search understood, and the words it does not cover, with where to turn.

    ``advice`` is a :class:`backguide.filtering.SearchAdvice`.  A word outside
    the guide (sciatica, numbness) gets its plain advice and the warning signs
    it points to, instead of an empty list.
    """
    parts = []
    if len(advice.outside):
        notes = "".join(f"<li><b>{e(r.said)}</b>: {e(r.note)}</li>"
                        for r in advice.outside.itertuples())
        signs = "".join(f"<li>{e(s)}</li>" for s in advice.guidance["statement"])
        parts.append(
            '<div class="bg-safety bg-outside"><b>This guide does not cover that.</b>'
            f"<ul>{notes}</ul>"
            + (f"<b>The warning signs to check first:</b><ul>{signs}</ul>" if signs else "")
            + "See a clinician for advice about it.</div>")
    if len(advice.understood):
        said = ", ".join(e(x) for x in advice.understood["label"])
        parts.append(f'<div class="bg-advice bg-understood">Searching for: {said}</div>')
    return "".join(parts)


# --- doses ---------------------------------------------------------------------------


def dose_range_words(d) -> str:
    """An article's dose (a row of ``lib.doses``) in words: ranges kept as given."""
    parts = []

    def rng(lo, hi, unit):
        if pd.isna(lo):
            return ""
        return f"{lo:g}{unit}" if lo == hi else f"{lo:g}-{hi:g}{unit}"

    if rng(d.minutes_min, d.minutes_max, ""):
        parts.append(rng(d.minutes_min, d.minutes_max, " min"))
    if rng(d.times_per_week_min, d.times_per_week_max, ""):
        parts.append(rng(d.times_per_week_min, d.times_per_week_max, " times a week"))
    if rng(d.reps_min, d.reps_max, ""):
        one = d.reps_min == d.reps_max == 1
        parts.append(rng(d.reps_min, d.reps_max, " rep" if one else " reps"))
    if rng(d.hold_s_min, d.hold_s_max, ""):
        parts.append("hold " + rng(d.hold_s_min, d.hold_s_max, " s"))
    if rng(d.rest_s_min, d.rest_s_max, ""):
        parts.append("rest " + rng(d.rest_s_min, d.rest_s_max, " s"))
    if d.per_side:
        parts.append("each side")
    words = ", ".join(parts)
    if d.dose_note:
        words = f"{words}. {d.dose_note}" if words else d.dose_note
    return words or "No dose given."


def starting_dose_words(row) -> str:
    """An exercise's starting dose (a row of ``lib.exercises``) in words."""
    return describe_dose(row["sets"], row["reps"], row["hold_s"], row["rest_s"],
                         bool(row["per_side"]), row["minutes"])


# --- exercises -----------------------------------------------------------------------


def exercise_card(ex_id: str, lib: Library | None = None, picture: str | None = None) -> str:
    """HTML detail card: picture, steps, every article's dose, cautions, variants, sources.

    ``picture`` is HTML for the picture (an ``<img>`` or the animation); drawn
    if not given.  Sources show by title.
    """
    lib = resolve(lib)
    ex, doses = lib.exercises, lib.doses
    if picture is None:
        picture = picture_img_tag(ex_id, lib=lib)
    row = ex.loc[ex_id]
    steps = "".join(f"<li>{e(s)}</li>" for s in row["steps"])
    cautions = "".join(f"<li>{e(c)}</li>" for c in row["cautions"]) or "<li>None listed.</li>"
    mine = doses[doses["exercise"] == ex_id]
    dose_rows = "".join(
        f"<tr><td>{e(title(d.source, lib))}</td><td>{e(dose_range_words(d))}</td>"
        f"<td><i>\u201c{e(d.evidence)}\u201d</i></td></tr>"
        for d in mine.itertuples())
    dose_table = (f'<div class="bg-table"><table><tr><th>Source</th><th>Its dose</th>'
                  f"<th>In its words</th></tr>{dose_rows}</table></div>"
                  if dose_rows else "<p>No source gives a dose.</p>")
    easier = ", ".join(e(ex.at[x, "name"]) for x in row["easier"] if x in ex.index)
    harder = ", ".join(e(ex.at[x, "name"]) for x in row["harder"] if x in ex.index)
    ladder = ""
    if easier or harder:
        ladder = (f"<p><b>Variants:</b> {easier + ' &larr; ' if easier else ''}"
                  f"<b>{e(row['name'])}</b>{' &rarr; ' + harder if harder else ''}</p>")
        if row["progression"]:
            ladder += f"<p><i>{e(row['progression'])}</i></p>"
    muscles = ", ".join(row["primary_muscles"])
    if row["secondary_muscles"]:
        muscles += f" (also {', '.join(row['secondary_muscles'])})"
    return (
        f'<div class="bg-card" data-exercise="{e(ex_id)}"><h3>{e(row["name"])}</h3>'
        f'<div class="bg-card-body"><div class="bg-card-picture">{picture}</div>'
        f'<div class="bg-card-text">'
        f"<p><b>{e(row['category'])}</b> &middot; {e(row['position'])} &middot; "
        f"{e(row['difficulty'])} <small>({e(row['difficulty_basis'])})</small><br>"
        f"<b>Works:</b> {e(muscles)}<br><b>Starting dose:</b> {e(starting_dose_words(row))} "
        f"(about {shown_minutes(row['session_minutes'])} min)</p>"
        f"<ol>{steps}</ol><p><b>Cautions</b></p><ul>{cautions}</ul>{ladder}</div></div>"
        f"<p><b>Doses in the sources</b></p>{dose_table}"
        f"<p><small>Sources: {e(sources_line(row['sources'], lib))}</small></p></div>")


def results_frame(results: pd.DataFrame) -> pd.DataFrame:
    """The explorer's results table as a DataFrame: what it shows, as it shows it.

    One row per exercise of ``results`` (rows of ``lib.exercises``), indexed
    by id, with ``Exercise``, ``Category``, ``Position``, ``Difficulty`` and
    ``Minutes`` (the starting dose's time, by :func:`shown_minutes`).
    """
    return pd.DataFrame({
        "Exercise": results["name"].astype("str"),
        "Category": results["category"].astype("str"),
        "Position": results["position"].astype("str"),
        "Difficulty": results["difficulty"].astype("str"),
        "Minutes": shown_minutes(results["session_minutes"]),
    }, index=results.index)


def results_table(results: pd.DataFrame) -> str:
    """The explorer's results table as HTML (:func:`results_frame`, drawn)."""
    frame = results_frame(results)
    rows = "".join("<tr>" + "".join(f"<td>{e(v)}</td>" for v in r) + "</tr>"
                   for r in frame.itertuples(index=False))
    head = "".join(f"<th>{e(c)}</th>" for c in frame.columns)
    return f'<div class="bg-table"><table><tr>{head}</tr>' + rows + "</table></div>"


# --- the week ------------------------------------------------------------------------


def checklist_html(check: pd.DataFrame, lib: Library | None = None) -> str:
    """The guidance checklist: one line per check, citing every source behind it by title."""
    items = "".join(
        f'<li class="bg-{r.status}"><b>{STATUS_ICON[r.status]} {e(r.status)}</b> '
        f"{e(r.message)} <small>({e(sources_line(r.guidance_sources, lib))})</small></li>"
        for r in check.assign(guidance_sources=check["source"].str.split(", ")).itertuples())
    met, total = met_count(check)
    return (f'<div class="bg-card bg-checklist-card"><b class="bg-met-count">Guidance: '
            f"{met} of {total} met</b><ul>{items}</ul></div>")


def session_heading(name: str, minutes: float) -> str:
    """A session's heading on the board: its name and minutes (whole minutes)."""
    return f"<b>{e(name)}</b> <small>({shown_minutes(minutes, 0)} min)</small>"


# --- files ---------------------------------------------------------------------------


def download_link(data: bytes, filename: str, label: str, mime: str) -> str:
    """A link that downloads ``data`` as ``filename``, in Voila and in JupyterLab alike
    (the file travels in the page, not as a server path)."""
    b64 = base64.b64encode(data).decode()
    return (f'<span class="bg-download"><a download="{e(filename)}" '
            f'href="data:{mime};base64,{b64}">{e(label)}</a></span>')
