"""The take-home handout: a printable PDF and an HTML page of a plan.

Both hold the person's name and the date if given, the clinician's notes,
the week at a glance, each exercise with its picture, steps, dose, cautions
and days, the guidance the plan meets, when to stop and when to seek care,
and the sources.  Text typed by a person is escaped in the HTML.  Files are
written atomically.
"""

from __future__ import annotations

import base64
import html
import io
from datetime import date as Date
from functools import lru_cache
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path

from .charts import figure_png, plot_week
from .files import write_atomic
from .library import Library, resolve
from .measures import check_guidance, day_minutes
from .pictures import draw_exercise, picture_png
from .plan import Plan, describe_entries, load_plan
from .schema import DAYS

#: Paper sizes in inches.
PAPER = {"A4": (8.27, 11.69), "Letter": (8.5, 11.0)}
STOP_RULE = ("Stop any exercise that makes your pain worse. It is fine to rest your back for "
             "a while, and to do only what you can.")


def handout_content(plan: Plan, lib: Library | None = None) -> dict:
    """What the handout says, independent of how it is laid out.

    ``items`` has one dict per exercise of the plan, in the order they first
    appear: its ``id``, ``name``, ``steps``, ``cautions``, ``easier`` and
    ``harder`` names, ``progression``, and ``doses``: each distinct dose in
    words with the days it is done.  ``met`` and ``to_work_on`` are the
    messages of :func:`backguide.measures.check_guidance`, one per check;
    ``red_flags`` the warning signs; ``sources`` every source cited.
    """
    lib = resolve(lib)
    ex = lib.exercises
    e = plan.entries
    words = describe_entries(e)
    # Each exercise's distinct doses, each with its days, in plan order.
    uses: dict[str, dict[str, list[str]]] = {}
    for ex_id, dose, day in zip(e["exercise"], words, e["day"].astype(str)):
        days = uses.setdefault(ex_id, {}).setdefault(dose, [])
        if day not in days:
            days.append(day)
    items = []
    for ex_id, doses in uses.items():
        row = ex.loc[ex_id]
        easier = [ex.at[x, "name"] for x in row["easier"] if x in ex.index]
        harder = [ex.at[x, "name"] for x in row["harder"] if x in ex.index]
        items.append({"id": ex_id, "name": row["name"], "steps": list(row["steps"]),
                      "cautions": list(row["cautions"]),
                      "doses": [(d, [x for x in DAYS if x in days]) for d, days in doses.items()],
                      "easier": easier, "harder": harder, "progression": row["progression"]})
    check = check_guidance(plan, lib=lib)
    flags = lib.guidance[lib.guidance["topic"] == "red_flag"]
    cited = {s for item in items for s in ex.at[item["id"], "sources"]}
    cited |= {s for sources in check["source"] for s in sources.split(", ") if s}
    cited |= set(flags["source"])
    sources = [lib.sources.at[s, "title"] + (f" ({lib.sources.at[s, 'publisher']})"
                                             if lib.sources.at[s, "publisher"] else "")
               for s in lib.sources.index if s in cited]
    met = check["status"] == "met"
    return {"items": items, "met": check.loc[met, "message"].tolist(),
            "to_work_on": check.loc[~met, "message"].tolist(),
            "red_flags": flags["statement"].tolist(), "sources": sources}


def _picture_dose(item: dict) -> str:
    """The dose written on an exercise's picture: the plan's, when it has only one."""
    return item["doses"][0][0] if len(item["doses"]) == 1 else ""


def _img(data: bytes, alt: str, width: str) -> str:
    return (f'<img alt="{html.escape(alt)}" style="width:{width}" '
            f'src="data:image/png;base64,{base64.b64encode(data).decode()}">')


def _notes(plan: Plan, notes: str) -> str:
    return "\n".join(n for n in (plan.notes, notes) if n)


def handout_html(plan: Plan, lib: Library | None = None, *, person: str = "",
                 notes: str = "", when: Date | None = None, paper: str = "A4") -> str:
    """The handout as one self-contained HTML page (pictures inlined)."""
    lib = resolve(lib)
    return _html(plan, handout_content(plan, lib=lib), day_minutes(plan, lib=lib), lib,
                 person=person, notes=notes, when=when, paper=paper)


def _html(plan: Plan, c: dict, days, lib: Library, *, person: str, notes: str,
          when: Date | None, paper: str) -> str:
    e = html.escape
    person = person or plan.person
    notes = _notes(plan, notes)
    size = "A4" if paper == "A4" else "letter"
    week = figure_png(lambda ax: plot_week(days, ax=ax), (8, 4), dpi=110)
    parts = [f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{e(plan.name)}: exercise handout</title>
<style>
@page {{ size: {size}; margin: 15mm; }}
body {{ font-family: sans-serif; font-size: 12pt; line-height: 1.4; max-width: 180mm; margin: auto; }}
h1 {{ font-size: 20pt; margin-bottom: 0; }} h2 {{ font-size: 15pt; border-bottom: 2px solid #1F3B73; }}
.safety {{ border-left: 6px solid #D55E00; background: #fff4ec; padding: 4px 12px; }}
.exercise {{ page-break-inside: avoid; border-top: 1px solid #ccc; padding-top: 6px; }}
.dose {{ color: #A33F00; font-weight: bold; }}
</style></head><body>
<h1>{e(plan.name)}</h1>"""]
    meta = []
    if person:
        meta.append(f"<b>For:</b> {e(person)}")
    if when:
        meta.append(f"<b>Date:</b> {e(when.isoformat())}")
    if meta:
        parts.append("<p>" + " &nbsp; ".join(meta) + "</p>")
    if notes:
        parts.append("<h2>Notes from your clinician</h2><p>"
                     + "<br>".join(e(line) for line in notes.splitlines()) + "</p>")
    parts.append(f'<div class="safety"><p><b>This is a guide, not a diagnosis.</b> '
                 f"{e(STOP_RULE)}</p></div>")
    parts.append("<h2>Your week at a glance</h2>" + _img(week, "The week at a glance", "100%"))
    parts.append("<h2>Your exercises</h2>")
    for item in c["items"]:
        doses = "".join(f'<li><span class="dose">{e(d)}</span> on {e(", ".join(days))}</li>'
                        for d, days in item["doses"])
        ladder = ""
        if item["easier"] or item["harder"]:
            ladder = (f"<p><b>Easier:</b> {e(', '.join(item['easier']) or 'none')} &middot; "
                      f"<b>Harder:</b> {e(', '.join(item['harder']) or 'none')}"
                      + (f"<br><i>{e(item['progression'])}</i>" if item["progression"] else "")
                      + "</p>")
        pic = _img(picture_png(item["id"], lib=lib, dose=_picture_dose(item)),
                   f"Picture of {item['name']}", "70%")
        parts.append(
            f'<div class="exercise"><h3>{e(item["name"])}</h3>{pic}<ul>{doses}</ul>'
            f"<ol>{''.join(f'<li>{e(s)}</li>' for s in item['steps'])}</ol>"
            f"<p><b>Take care:</b></p><ul>{''.join(f'<li>{e(x)}</li>' for x in item['cautions'])}</ul>"
            f"{ladder}</div>")
    parts.append("<h2>The guidance this week meets</h2><ul>"
                 + "".join(f"<li>{e(m)}</li>" for m in c["met"]) + "</ul>")
    if c["to_work_on"]:
        parts.append("<h2>Still to work towards</h2><ul>"
                     + "".join(f"<li>{e(m)}</li>" for m in c["to_work_on"]) + "</ul>")
    parts.append(f'<h2>When to stop, and when to seek care</h2><div class="safety"><p>{e(STOP_RULE)}'
                 "</p><p><b>See a clinician before exercising again if you have:</b></p><ul>"
                 + "".join(f"<li>{e(r)}</li>" for r in c["red_flags"]) + "</ul></div>")
    parts.append("<h2>Sources</h2><ul>" + "".join(f"<li>{e(s)}</li>" for s in c["sources"])
                 + "</ul></body></html>\n")
    return "\n".join(parts)


@lru_cache(maxsize=4096)
def _width(word: str, size: float, weight: str) -> float:
    """How wide ``word`` is, in points, in the handout's font."""
    font = FontProperties(size=size, weight=weight)
    return text_to_path.get_text_width_height_descent(word, font, ismath=False)[0]


def _wrap(s: str, size: float, weight: str, width: float) -> list[str]:
    """``s`` in lines no wider than ``width`` points, measured in the font rather than
    guessed (bold is wider); a word longer than a line gets a line of its own."""
    space = _width("a a", size, weight) - 2 * _width("a", size, weight)
    lines: list[list[str]] = []
    used = 0.0
    for word in s.split():
        w = _width(word, size, weight)
        if lines and used + space + w <= width:
            lines[-1].append(word)
            used += space + w
        else:
            lines.append([word])
            used = w
    return [" ".join(line) for line in lines] or [""]


class _Pages:
    """A minimal flowing layout on matplotlib pages: headings, text, pictures."""

    MARGIN = 0.7

    def __init__(self, pdf: PdfPages, paper: tuple[float, float]):
        self.pdf, (self.w, self.h) = pdf, paper
        self.fig = None
        self.y = 0.0

    def _new(self):
        self.close_page()
        self.fig = Figure(figsize=(self.w, self.h))
        self.y = self.MARGIN

    def close_page(self):
        if self.fig is not None:
            self.pdf.savefig(self.fig)
            self.fig = None

    def need(self, inches: float):
        if self.fig is None or self.y + inches > self.h - self.MARGIN:
            self._new()

    def text(self, s: str, size: float = 10, weight="normal", color="black", indent=0.0,
             gap: float = 0.05):
        lines = _wrap(s, size, weight, (self.w - 2 * self.MARGIN - indent) * 72)
        for line in lines:
            step = size / 72 * 1.35
            self.need(step)
            self.fig.text((self.MARGIN + indent) / self.w, 1 - (self.y + size / 72) / self.h, line,
                          fontsize=size, fontweight=weight, color=color)
            self.y += step
        self.y += gap

    def picture(self, draw, height: float, width_frac: float = 1.0, *, pad_top: float = 0.0,
                pad_bottom: float = 0.0, pad_left: float = 0.0):
        """Draw on axes ``height`` inches tall, leaving room for titles and tick labels."""
        self.need(height + pad_top + pad_bottom)
        width = (self.w - 2 * self.MARGIN) * width_frac - pad_left
        bottom = self.y + pad_top + height
        ax = self.fig.add_axes(((self.MARGIN + pad_left) / self.w, 1 - bottom / self.h,
                                width / self.w, height / self.h))
        draw(ax)
        self.y = bottom + pad_bottom + 0.1


def handout_pdf(plan: Plan, lib: Library | None = None, *, person: str = "",
                notes: str = "", when: Date | None = None, paper: str = "A4") -> bytes:
    """The handout as PDF bytes, laid out for ``paper`` (A4 or Letter)."""
    lib = resolve(lib)
    return _pdf(plan, handout_content(plan, lib=lib), day_minutes(plan, lib=lib), lib,
                person=person, notes=notes, when=when, paper=paper)


def _pdf(plan: Plan, c: dict, days, lib: Library, *, person: str, notes: str,
         when: Date | None, paper: str) -> bytes:
    person = person or plan.person
    notes = _notes(plan, notes)
    buf = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(buf) as pdf:
        p = _Pages(pdf, PAPER[paper])
        p.text(plan.name, 20, "bold")
        meta = " ".join(x for x in ((f"For: {person}." if person else ""),
                                    (f"Date: {when.isoformat()}." if when else "")) if x)
        if meta:
            p.text(meta, 11)
        if notes:
            p.text("Notes from your clinician", 13, "bold", gap=0.02)
            for line in notes.splitlines():
                p.text(line, 10)
        p.text("This is a guide, not a diagnosis. " + STOP_RULE, 10.5, "bold", "#A33F00")
        p.text("Your week at a glance", 13, "bold")
        p.picture(lambda ax: plot_week(days, ax=ax), 2.9, 0.78,
                  pad_top=0.3, pad_bottom=0.35, pad_left=0.5)
        for item in c["items"]:
            p.need(3.0)
            p.text(item["name"], 13, "bold", gap=0.02)
            p.picture(lambda ax, i=item: draw_exercise(i["id"], lib=lib, ax=ax, title=False,
                                                       dose=_picture_dose(i)), 1.6, 0.6)
            for dose, days in item["doses"]:
                p.text(f"{dose}: on {', '.join(days)}", 10, "bold", "#A33F00", gap=0.02)
            for n, step in enumerate(item["steps"], 1):
                p.text(f"{n}. {step}", 9.5, indent=0.1, gap=0.01)
            for caution in item["cautions"]:
                p.text(f"Take care: {caution}", 9, color="#333333", indent=0.1, gap=0.01)
            if item["easier"] or item["harder"]:
                p.text(f"Easier: {', '.join(item['easier']) or 'none'}. "
                       f"Harder: {', '.join(item['harder']) or 'none'}.", 9, indent=0.1)
            p.y += 0.1
        p.text("The guidance this week meets", 13, "bold")
        for m in c["met"]:
            p.text(f"- {m}", 9.5, indent=0.1, gap=0.01)
        if c["to_work_on"]:
            p.text("Still to work towards", 13, "bold")
            for m in c["to_work_on"]:
                p.text(f"- {m}", 9.5, indent=0.1, gap=0.01)
        p.text("When to stop, and when to seek care", 13, "bold")
        p.text(STOP_RULE, 10, "bold", "#A33F00")
        p.text("See a clinician before exercising again if you have:", 10, "bold")
        for r in c["red_flags"]:
            p.text(f"- {r}", 9.5, indent=0.1, gap=0.01)
        p.text("Sources", 13, "bold")
        for s in c["sources"]:
            p.text(f"- {s}", 8.5, indent=0.1, gap=0.01)
        p.close_page()
    return buf.getvalue()


def handout(plan: Plan, out: str | Path, lib: Library | None = None, *, person: str = "",
            notes: str = "", when: Date | None = None, paper: str = "A4") -> tuple[Path, Path]:
    """Write ``<out>.pdf`` and ``<out>.html`` for ``plan``; return their paths.

    Parameters
    ----------
    plan
        The week to hand out.
    out
        Path without suffix, for example ``"handouts/ada"``.
    person, notes, when
        The person's name, the clinician's notes (added to the plan's own) and
        the date, each shown only if given.
    paper
        "A4" or "Letter".
    lib
        The library the plan's exercises come from; the shipped one by default.
    """
    if paper not in PAPER:
        raise ValueError(f"Unknown paper {paper!r}; expected one of: {', '.join(PAPER)}.")
    lib = resolve(lib)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    content, days = handout_content(plan, lib=lib), day_minutes(plan, lib=lib)
    options = dict(person=person, notes=notes, when=when, paper=paper)
    pdf = _pdf(plan, content, days, lib, **options)
    page = _html(plan, content, days, lib, **options)
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
