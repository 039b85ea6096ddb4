"""The take-home handout, read back as a patient would: with pdftotext, page by page.

Every test reads the PDF (and the HTML) that was made, never the code that
made it: what is printed, where it sits on the page, at what size, which log
boxes are shaded.  What it should say is written here: literally, or worked
out from the plan's rows and the data files by the small helpers below,
never by the words or measures the handout itself is built on.
"""

from __future__ import annotations

import csv
import html
import os
import re
import subprocess
import zlib
from datetime import date
from pathlib import Path

import matplotlib.image
import pytest

import backguide as bg
from backguide.handout import (NothingToHandOut, handout, handout_content, handout_from_file,
                               handout_html, handout_pages, handout_pdf)
from backguide.schema import DAYS

LIB = bg.load_library()
EX = LIB.exercises
DATA = Path(__file__).resolve().parent.parent / "data"
#: The page margin the handout promises, in points.
MARGIN = 36.0
DAY_HEADS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
EVERY_DAY = tuple(DAYS)
MWF = ("Monday", "Wednesday", "Friday")


# --- reading a PDF back ----------------------------------------------------------------


def _pdf_arg(pdf) -> tuple[list[str], bytes | None]:
    """pdftotext's arguments and input for a PDF given as a path or as bytes."""
    return (["-", "-"], pdf) if isinstance(pdf, bytes) else ([str(pdf), "-"], None)


def pdf_pages_text(pdf, *layout: str) -> list[str]:
    """Each page's text, in pdftotext's reading order (``"-layout"``: as laid out)."""
    args, data = _pdf_arg(pdf)
    out = subprocess.run(["pdftotext", *layout, *args], input=data, check=True,
                         capture_output=True).stdout.decode("utf-8")
    return out.split("\f")[:-1]


def flat(text: str) -> str:
    """Text with every run of white space one space."""
    return " ".join(text.split())


def pdf_info(pdf) -> tuple[int, str]:
    args, data = _pdf_arg(pdf)
    info = subprocess.run(["pdfinfo", args[0]], input=data, check=True,
                          capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    size = re.search(r"Page size:.*\((\w+)\)", info).group(1)
    return pages, size


def pdf_words(pdf) -> list[tuple[float, float, list[tuple[float, float, float, float, str]]]]:
    """Each page's width, height and words with their boxes, by ``pdftotext -bbox``."""
    args, data = _pdf_arg(pdf)
    out = subprocess.run(["pdftotext", "-bbox", *args], input=data, check=True,
                         capture_output=True).stdout.decode("utf-8")
    pages = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out,
                            re.S):
        words = [(float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t
                 in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                               r'yMax="([\d.]+)">(.*?)</word>', page.group(3))]
        pages.append((float(page.group(1)), float(page.group(2)), words))
    return pages


def pdf_texts_by_size(data: bytes) -> list[tuple[float, str]]:
    """Every text the PDF shows in a core font, with its size in points, read from the
    page content streams."""
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            continue
        for size, text in re.findall(
                rb"BT /F\d+ ([\d.]+) Tf\s+[-\d.]+ [-\d.]+ Td\s+\(((?:\\.|[^\\)])*)\) Tj ET",
                content):
            text = re.sub(rb"\\(.)", rb"\1", text).decode("cp1252")
            out.append((float(size), text))
    return out


def labels_of(plan: bg.Plan) -> list[str]:
    """The position labels printed under the pictures of the plan's exercises."""
    poses = LIB.poses[LIB.poses["exercise"].isin(plan.entries["exercise"])]
    return sorted(set(poses["label"].dropna()), key=len, reverse=True)


def readable(text: str, plan: bg.Plan) -> str:
    """The handout's text without the labels in its pictures, which pdftotext reads
    in among the lines beside them, and without the page furniture (the page's
    number, and the name of an exercise going on over a page) a reader skips."""
    text = flat(text)
    for label in labels_of(plan):
        text = text.replace(label, " ")
    for name in EX["name"]:
        text = text.replace(f"{name} (continued)", " ")
    return flat(re.sub(r"Page \d+ of \d+", " ", text))


def names_in(text: str) -> set[str]:
    """The library's exercises whose names ``text`` holds, as names (case and whole
    words count: "Cobra" is not in "Partial cobra")."""
    return {n for n in EX["name"] if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text)}


def without_variants(text: str, plan: bg.Plan) -> str:
    """``text`` without the sentences that point to an easier or harder exercise."""
    text = re.sub(r"(Easier|Harder): [^.]*\.", " ", text)
    for ex_id in plan.entries["exercise"].unique():
        if EX.at[ex_id, "progression"]:
            text = text.replace(EX.at[ex_id, "progression"], " ")
    return text


def page_text(page: str) -> str:
    """A web page's text, without its pictures, chart and styles."""
    return flat(html.unescape(re.sub(r"<svg.*?</svg>|<style>.*?</style>|<[^>]+>", " ", page,
                                     flags=re.S)))


def log_part(pages: list[str]) -> tuple[str, str]:
    """The handout's text before the log sheet, and the log sheet's."""
    at = next(i for i, p in enumerate(pages) if "Your exercise log" in p)
    return "".join(pages[:at]), "".join(pages[at:])


def log_heads(pdf) -> list[list[str]]:
    """Each log page's column heads, left to right along the row of "Exercise and dose"."""
    heads = []
    for w, h, words in pdf_words(pdf):
        row = [y0 for _, y0, _, _, t in words if t == "Exercise"
               and any(u == "dose" and abs(v - y0) < 2 for _, v, _, _, u in words)]
        if row:
            on_row = [(x0, t) for x0, y0, _, _, t in words if abs(y0 - row[0]) < 2]
            heads.append([t for _, t in sorted(on_row)][3:])
    return heads


#: The log sheet's shade (a light blue) and white, as pdftoppm renders them.
SHADE, WHITE = (220, 229, 242), (255, 255, 255)


def log_shading(pdf: bytes, tmp_path: Path) -> list[tuple[str, tuple[str, ...]]]:
    """Each log row's first line (the exercise's name), and the days whose cells are
    shaded, read off the log pages rendered at 72 dpi (a pixel a point): the colour
    beside each tick box, in the column under each day's head."""
    (tmp_path / "h.pdf").write_bytes(pdf)
    out: list[tuple[str, tuple[str, ...]]] = []
    pages = pdf_words(pdf)
    for n, (w, h, words) in enumerate(pages, 1):
        heads = {t: (x0 + x1) / 2 for x0, y0, x1, _, t in words if t in DAY_HEADS
                 and any(u == "Exercise" and abs(v - y0) < 2 for _, v, _, _, u in words)}
        if len(heads) < 7:
            continue
        top = max(y1 for x0, y0, x1, y1, t in words if t in DAY_HEADS)
        pain = min([y0 for _, y0, _, _, t in words if t == "Pain"] or [h])
        subprocess.run(["pdftoppm", "-png", "-r", "72", "-f", str(n), "-l", str(n),
                        "-singlefile", str(tmp_path / "h.pdf"), str(tmp_path / "log")],
                       check=True)
        img = matplotlib.image.imread(tmp_path / "log.png")
        lines: dict[float, list[tuple[float, str]]] = {}
        for x0, y0, x1, y1, t in words:
            if top < y0 < pain and x1 < min(heads.values()) - 23:
                key = next((k for k in lines if abs(k - y0) < 2), y0)
                lines.setdefault(key, []).append((x0, t))
        row_top = top
        for y in sorted(lines):
            mid = round(y + 4)
            shaded = []
            for day, head in zip(DAYS, DAY_HEADS):
                r, g, b = (round(255 * v) for v in img[mid, round(heads[head] - 17)][:3])
                if max(abs(r - SHADE[0]), abs(g - SHADE[1]), abs(b - SHADE[2])) < 10:
                    shaded.append(day)
                else:
                    assert (r, g, b) == WHITE, (day, y, (r, g, b))
            text = " ".join(t for _, t in sorted(lines[y]))
            # A row's first line is its name; the row's other lines follow it closely
            # (a line apart), the next row's name comes after a gap.
            if y - row_top > 17 or y == min(lines):
                out.append((text, tuple(shaded)))
            row_top = y
    return out


# --- what the handout should say, worked out here --------------------------------------


def _num(x) -> str:
    return f"{x:g}"


def dose_text(r) -> str:
    """A plan row's dose as the handout words it, worked out here from its fields:
    "20 min"; "2 x 10 reps, hold 3 s, rest 10 s, each side"; "1 rep"."""
    given = {k: r[k] for k in ("sets", "reps", "hold_s", "rest_s", "minutes")
             if r[k] == r[k] and r[k] > 0}
    if "minutes" in given:
        return f"{_num(given['minutes'])} min"
    parts = []
    sets = f"{_num(given['sets'])} x " if given.get("sets", 1) > 1 else ""
    if "reps" in given:
        parts.append(f"{sets}{_num(given['reps'])} rep{'' if given['reps'] == 1 else 's'}")
    for k, word in (("hold_s", "hold"), ("rest_s", "rest")):
        if k in given:
            parts.append(f"{word} {_num(given[k])} s")
    if r["per_side"]:
        parts.append("each side")
    return ", ".join(parts)


def on_days(days) -> str:
    days = set(days)
    return "every day" if len(days) == 7 else "on " + ", ".join(d for d in DAYS if d in days)


def expected_items(plan: bg.Plan, schedule: bg.Plan | None = None
                   ) -> list[tuple[str, list[str], list[str], list[str]]]:
    """Each exercise of the plan, in order: its name, its dose lines (each with the
    days ``schedule`` has it at that dose), its steps and its cautions."""
    e = plan.entries.assign(words=[dose_text(r) for _, r in plan.entries.iterrows()])
    s = schedule if schedule is not None else plan
    s = s.entries.assign(words=[dose_text(r) for _, r in s.entries.iterrows()])
    items = []
    for ex_id in dict.fromkeys(e["exercise"]):
        mine = e[e["exercise"] == ex_id]
        lines = []
        for words in dict.fromkeys(mine["words"]):
            days = s.loc[(s["exercise"] == ex_id) & (s["words"] == words), "day"].astype(str)
            lines.append(f"{words}: {on_days(days)}")
        items.append((EX.at[ex_id, "name"], lines, list(EX.at[ex_id, "steps"]),
                      list(EX.at[ex_id, "cautions"])))
    return items


def guidance_rows() -> list[dict]:
    with open(DATA / "guidance.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def the_stop_rule() -> str:
    """The stop rule, as data/guidance.csv numbers its sentences."""
    rows = sorted((r for r in guidance_rows() if r["stop_rule"]),
                  key=lambda r: float(r["stop_rule"]))
    return " ".join(r["statement"] for r in rows)


def the_warning_signs() -> list[str]:
    return [r["statement"] for r in guidance_rows() if r["topic"] == "red_flag"]


def a_day_of(plan: bg.Plan, day: str) -> bg.Plan:
    """One day of ``plan`` as the presenter hands it out: a plan of its own."""
    return bg.Plan(name=f"{plan.name}: {day}", entries=plan.day(day))


def daily_routine() -> bg.Plan:
    """Cat-cow and pelvic tilt, every day of the week."""
    plan = bg.Plan(name="Daily routine")
    for day in DAYS:
        plan = plan.add(day, "cat_cow", lib=LIB).add(day, "pelvic_tilt", lib=LIB)
    return plan


def test_the_stop_rule_and_signs_read_here_are_the_datas():
    assert the_stop_rule().startswith("If an exercise makes your back pain worse, stop doing it.")
    assert len(the_warning_signs()) >= 5
    nan = float("nan")
    assert dose_text({"sets": 2, "reps": 10, "hold_s": 3, "rest_s": nan, "minutes": nan,
                      "per_side": True}) == "2 x 10 reps, hold 3 s, each side"


# --- the whole handout -----------------------------------------------------------------


@pytest.mark.parametrize("paper, size", [("A4", "A4"), ("Letter", "letter")])
@pytest.mark.parametrize("name", bg.starter_plans())
def test_handout_prints_the_plan_exactly(name, paper, size, artifacts):
    plan = bg.load_starter(name, lib=LIB)
    out = artifacts / "handout" / f"{name}_{paper}"
    for old in out.parent.glob(f"{out.name}-*.png"):
        old.unlink()
    pdf, page = handout(plan, out, lib=LIB, person="Ada Lovelace", notes="Start gently.",
                        when=date(2026, 11, 23), paper=paper)
    front, log = log_part(pdf_pages_text(pdf))
    text = readable(front, plan)
    items = expected_items(plan)
    # Each exercise, in order, with each of its dose lines, its steps (numbered, the
    # last one too) and its cautions under its name.
    at = text.index("Your week at a glance")
    for k, (ex_name, doses, steps, cautions) in enumerate(items):
        at = text.index(ex_name, at)
        end = text.find(items[k + 1][0], at) if k + 1 < len(items) else len(text)
        section = text[at:end]
        for line in doses:
            assert line in section, (ex_name, line)
        for n, step in enumerate(steps, 1):
            assert f"{n}. {flat(step)}" in section, (ex_name, n, step)
        assert not re.search(rf"(?<![\d.]){len(steps) + 1}\. ", section), (ex_name, "too many")
        for caution in cautions:
            assert f"Take care: {flat(caution)}" in section, (ex_name, caution)
    # Those exercises and no other (a variant is only named as easier or harder).
    assert names_in(without_variants(text, plan)) == {n for n, *_ in items}
    for phrase in ("Ada Lovelace", "2026-11-23", "Start gently.",
                   "This is a guide, not a diagnosis.", flat(the_stop_rule()),
                   "When to stop, and when to seek care", "Sources",
                   "World Health Organization", *map(flat, the_warning_signs())):
        assert phrase in text, phrase
    # The guidance, as check_guidance measures it: how many are met, what is met,
    # then what is not.
    check = bg.check_guidance(plan, lib=LIB)
    met = check["status"] == "met"
    guidance = text.split("The guidance this week meets", 1)[1].split("When to stop", 1)[0]
    assert guidance.startswith(f" Guidance: {int(met.sum())} of {len(check)} met")
    at = 0
    for message in [*check.loc[met, "message"], *check.loc[~met, "message"]]:
        at = guidance.index(flat(message), at)
    # The log sheet: a row per exercise and dose, a column per day, the pain row.
    log = flat(log)
    assert log_heads(pdf) == [DAY_HEADS]
    for ex_name, doses, _, _ in items:
        for line in doses:
            assert f"{ex_name} {line.split(': ')[0]}" in log, (ex_name, line)
    assert "Pain today (0-10)" in log and "Notes:" in log
    pages, got = pdf_info(pdf)
    assert got == size
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(out)], check=True)
    pngs = sorted(out.parent.glob(f"{out.name}-*.png"))
    assert len(pngs) == pages and all(p.stat().st_size > 5_000 for p in pngs)
    # The web page says the same, in the same order.
    words = page_text(page.read_text())
    at = 0
    for ex_name, doses, steps, cautions in items:
        at = words.index(ex_name, at)
        for line in [*doses, *map(flat, steps), *(f"Take care: {flat(c)}" for c in cautions)]:
            assert line in words[at:], (ex_name, line)
    for m in check["message"]:
        assert flat(m) in words
    assert f"Guidance: {int(met.sum())} of {len(check)} met" in words


def test_every_page_is_numbered_at_its_foot():
    pdf = handout_pdf(bg.load_starter("gentle_start", lib=LIB), lib=LIB)
    pages = pdf_words(pdf)
    assert len(pages) >= 4
    for i, (w, h, words) in enumerate(pages, 1):
        foot = flat(" ".join(t for _, y0, _, _, t in sorted(words, key=lambda x: x[0])
                             if y0 > h - MARGIN - 20))
        assert foot == f"Page {i} of {len(pages)}", (i, foot)


def section_order(text: str) -> list[str]:
    heads = ["Notes from your clinician", "This is a guide, not a diagnosis.",
             "Your week at a glance", "Your session", "The guidance this week meets",
             "Still to work towards", "When to stop, and when to seek care", "Sources",
             "Your exercise log"]
    return sorted((h for h in heads if h in text), key=text.index)


@pytest.mark.parametrize("name", bg.starter_plans())
def test_the_web_page_has_the_pdfs_sections_in_its_order(name):
    plan = bg.load_starter(name, lib=LIB)
    options = dict(lib=LIB, notes="Walk daily.", when=date(2026, 11, 23))
    pdf = flat("".join(pdf_pages_text(handout_pdf(plan, **options))))
    text = page_text(handout_html(plan, **options))
    assert section_order(text) == section_order(pdf)
    assert len(section_order(pdf)) >= 7


def test_the_pdf_and_page_made_together_are_the_ones_made_apart():
    plan = a_day_of(bg.load_starter("core_stability", lib=LIB), "Monday")
    options = dict(lib=LIB, from_plan=bg.load_starter("core_stability", lib=LIB),
                   person="Ada", when=date(2026, 11, 23))
    pdf, page = handout_pages(plan, **options)
    assert page == handout_html(plan, **options)
    assert pdf_pages_text(pdf) == pdf_pages_text(handout_pdf(plan, **options))


@pytest.mark.parametrize("paper, most", [("A4", 3), ("Letter", 4)])
def test_gentle_start_fits_three_a4_pages_with_no_half_empty_page(paper, most):
    plan = bg.load_starter("gentle_start", lib=LIB)
    pdf = handout_pdf(plan, lib=LIB, person="Ada Lovelace", notes="Start gently.",
                      when=date(2026, 11, 23), paper=paper)
    texts = pdf_pages_text(pdf)
    before_log = next(i for i, p in enumerate(texts) if "Your exercise log" in p)
    assert before_log <= most, f"{before_log} pages before the log sheet"
    # Every page but the last before the log is filled at least three quarters down.
    for w, h, words in pdf_words(pdf)[:before_log - 1]:
        lowest = max(y1 for _, _, _, y1, t in words if not re.fullmatch(r"Page|\d+|of", t))
        assert lowest > 0.75 * h, lowest / h


def test_every_starter_fits_four_pages_before_its_log():
    for name in bg.starter_plans():
        texts = pdf_pages_text(handout_pdf(bg.load_starter(name, lib=LIB), lib=LIB))
        assert next(i for i, p in enumerate(texts) if "Your exercise log" in p) <= 4, name


# --- one day, one exercise: how often ------------------------------------------------------


def test_a_day_of_a_daily_routine_says_every_day_and_shades_every_day(tmp_path):
    week = daily_routine()
    monday = a_day_of(week, "Monday")
    pdf = handout_pdf(monday, lib=LIB, from_plan=week)
    front, log = log_part(pdf_pages_text(pdf))
    text = readable(front, monday)
    assert "Your session every day: about 2.8 minutes." in text
    assert "5 reps, hold 10 s: every day" in text, "Cat-cow"
    assert "10 reps, hold 3 s: every day" in text, "Pelvic tilt"
    assert "Monday" not in text.replace("Daily routine: Monday", ""), "no day names it"
    assert "Shaded boxes: the days your plan has that exercise." in flat(log)
    assert log_shading(pdf, tmp_path) == [("Cat-cow", EVERY_DAY), ("Pelvic tilt", EVERY_DAY)]
    c = handout_content(monday, lib=LIB, from_plan=week)
    assert [r.days for r in c.log] == [EVERY_DAY, EVERY_DAY]
    page = handout_html(monday, lib=LIB, from_plan=week)
    assert "5 reps, hold 10 s: every day" in page_text(page)
    rows = re.findall(r"<tr><th scope=\"row\">.*?</tr>", page, re.S)
    assert len(rows) == 2 and all(r.count('class="bg-ho-planned"') == 7 for r in rows)


def test_a_monday_of_core_stability_gives_each_exercise_its_days(tmp_path):
    week = bg.load_starter("core_stability", lib=LIB)
    monday = a_day_of(week, "Monday")
    pdf = handout_pdf(monday, lib=LIB, from_plan=week)
    front, log = log_part(pdf_pages_text(pdf))
    text = readable(front, monday)
    # The warm-up is on every day of the plan, the core session on three.
    assert ("Your sessions: Warm-up every day, about 2.8 minutes; "
            "Core on Monday, Wednesday, Friday, about 10.8 minutes.") in text
    for line in ("5 reps, hold 10 s: every day",
                 "10 reps, hold 3 s: every day",
                 "5 reps, hold 20 s, rest 10 s: on Monday, Wednesday, Friday",
                 "3 reps, hold 15 s, rest 15 s: on Monday, Wednesday, Friday"):
        assert line in text, line
    # Worked out from the week's rows: the same, for every exercise of the day.
    for ex_name, doses, _, _ in expected_items(monday, week):
        for line in doses:
            assert line in text, (ex_name, line)
    assert names_in(without_variants(text, monday)) == set(
        EX.loc[list(monday.entries["exercise"]), "name"]), "Monday's exercises, no walk"
    shading = dict(log_shading(pdf, tmp_path))
    assert shading["Cat-cow"] == EVERY_DAY and shading["Glute bridge"] == MWF
    assert shading["Kneeling forearm plank"] == MWF
    page = handout_html(monday, lib=LIB, from_plan=week)
    rows = re.findall(r"<tr><th scope=\"row\">.*?</tr>", page, re.S)
    planned = [[d for d, cell in zip(DAYS, re.findall(r"<td[^>]*>", r))
                if "bg-ho-planned" in cell] for r in rows]
    assert planned[0] == list(EVERY_DAY) and planned[2] == list(MWF)
    assert "Glute bridge" in rows[2]


def test_a_day_without_its_plan_says_as_often_as_your_clinician_advises():
    monday = a_day_of(daily_routine(), "Monday")
    pdf = handout_pdf(monday, lib=LIB)
    front, log = log_part(pdf_pages_text(pdf))
    text = readable(front, monday)
    assert "5 reps, hold 10 s: as often as your clinician advises" in text
    assert "Your session: about 2.8 minutes." in text
    assert "Shaded boxes" not in flat(log)
    assert 'class="bg-ho-planned"' not in handout_html(monday, lib=LIB)


def test_a_dose_the_plan_does_not_have_keeps_the_days_it_was_given():
    week = daily_routine()
    monday = a_day_of(week, "Monday")
    monday = monday.set_dose(int(monday.entries.index[0]), sets=2, reps=8, hold_s=10)
    c = handout_content(monday, lib=LIB, from_plan=week)
    assert [d.text for d in c.items[0].doses] == ["2 x 8 reps, hold 10 s: on Monday"]
    assert [d.text for d in c.items[1].doses] == ["10 reps, hold 3 s: every day"]


def test_the_whole_week_handed_out_with_itself_is_a_week():
    plan = bg.Plan(name="Mondays").add("Monday", "cobra", lib=LIB)
    text = flat("".join(pdf_pages_text(handout_pdf(plan, lib=LIB, from_plan=plan))))
    assert "Your week at a glance" in text and "3 reps, hold 10 s: on Monday" in text


def test_one_exercise_shown_is_the_one_handed_out(tmp_path):
    plan = bg.Plan(name="Cobra only").add("Tuesday", "cobra", lib=LIB)
    pdf = handout_pdf(plan, lib=LIB, notes="Co-pay $20 today and $15 later")
    front, log = log_part(pdf_pages_text(pdf))
    text = readable(front, plan)
    assert names_in(without_variants(text, plan)) == {"Cobra"}
    assert names_in(flat(log)) == {"Cobra"}
    # How often in plain words, not the day it happened to be put on.
    assert "3 reps, hold 10 s: as often as your clinician advises" in text
    assert "Tuesday" not in text and "Cobra 3 reps, hold 10 s" in flat(log)
    assert log_shading(pdf, tmp_path) == [("Cobra", ())]
    # One session: its minutes instead of a week chart and weekly guidance.
    assert "Your session: about 0.8 minutes." in text
    for week_only in ("Your week at a glance", "The guidance this week meets",
                      "Still to work towards", "Shaded boxes", "Guidance:"):
        assert week_only not in text + flat(log), week_only
    assert "When to stop, and when to seek care" in text
    page = handout_html(plan, lib=LIB)
    assert "Your week at a glance" not in page and "about 0.8 minutes" in page
    assert names_in(without_variants(re.sub(r"<svg.*?</svg>", "", page, flags=re.S),
                                     plan)) == {"Cobra"}


def test_a_day_of_two_sessions_gives_each_its_minutes():
    plan = (bg.Plan(name="Two sessions").add("Monday", "pelvic_tilt", lib=LIB)
            .add("Monday", "fast_walking", session="new", session_name="Evening walk",
                 lib=LIB))
    text = readable("".join(pdf_pages_text(handout_pdf(plan, lib=LIB))), plan)
    assert ("Your sessions: Routine, about 1.5 minutes; Evening walk, about 20 minutes."
            in text)


# --- the text stays on the page, as typed ------------------------------------------------


LONG_NAME = "Featherstonehaugh" * 9  # 153 characters, no space
LONG_NOTES = ("Walk every morning before breakfast, on Monday, Tuesday, Wednesday, Thursday, "
              "Friday, Saturday, Sunday, and again in the evening if your back feels stiff. "
              * 3 + "See https://example.org/" + "x" * 160 + "\n\nCall us on 0123 456 789.")


def long_plan() -> bg.Plan:
    plan = bg.Plan(name="A plan with a rather long name for a handout, " * 3 + "Sunday" * 14)
    for day in DAYS:
        plan = plan.add(day, "single_knee_to_chest", lib=LIB)
    i = int(plan.entries.index[plan.entries["day"] == "Monday"][0])
    return plan.add("Tuesday", "fast_walking", lib=LIB).set_dose(i, sets=3, reps=15,
                                                                   hold_s=30, rest_s=20)


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_every_word_stays_inside_the_margins(paper):
    assert len(LONG_NAME) >= 150
    pdf = handout_pdf(long_plan(), lib=LIB, person=LONG_NAME, notes=LONG_NOTES, paper=paper)
    pages = pdf_words(pdf)
    assert len(pages) >= 3
    for n, (w, h, words) in enumerate(pages, 1):
        assert words
        for x0, y0, x1, y1, t in words:
            assert MARGIN - 1 <= x0 and x1 <= w - MARGIN + 1, (n, t, x0, x1, w)
            assert MARGIN - 1 <= y0 and y1 <= h - MARGIN + 1, (n, t, y0, y1, h)
    # Long words are broken across lines, not cut off.
    joined = "".join("".join(pdf_pages_text(pdf)).split())
    assert LONG_NAME in joined and "https://example.org/" + "x" * 160 in joined
    assert "Sunday" * 14 in joined


@pytest.mark.parametrize("typed", ["Co-pay $20 today and $15 later", "$$", "a $$ b",
                                   "back\\slash", "snake_case x_1", "x^2 and ^", "{braces}",
                                   "100% sure", r"$\alpha$ {_^%}", "{{ c.title }} {% if %}"])
def test_typed_text_prints_exactly_as_typed(typed):
    plan = bg.load_starter("gentle_start", lib=LIB).replace(name=f"Plan {typed}")
    pdf = handout_pdf(plan, lib=LIB, person=f"Ada {typed}", notes=f"Notes: {typed}")
    text = flat("".join(pdf_pages_text(pdf)))
    for printed in (f"Plan {typed}", f"Ada {typed}", f"Notes: {typed}"):
        assert printed in text, printed
    page = handout_html(plan, lib=LIB, person=f"Ada {typed}", notes=f"Notes: {typed}")
    assert html.escape(f"Notes: {typed}", quote=False) in page.replace("&#34;", '"')
    assert f"Plan {typed}" in page_text(page)


def test_typed_text_is_escaped_in_the_html():
    plan = bg.load_starter("gentle_start", lib=LIB).replace(name='<b onclick="x()">Week</b>')
    page = handout_html(plan, lib=LIB, person="<script>alert(1)</script>",
                        notes="a < b & c <script>x()</script>")
    assert "<script>" not in page and "<b onclick" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "a &lt; b &amp; c &lt;script&gt;x()&lt;/script&gt;" in page
    assert "<title>&lt;b onclick=&#34;x()&#34;&gt;Week&lt;/b&gt;: exercise handout</title>" in page


def test_a_name_in_another_alphabet_is_printed_not_dropped():
    plan = bg.Plan(name="Łukasz’s week ✓").add("Monday", "cobra", lib=LIB)
    text = flat("".join(pdf_pages_text(handout_pdf(plan, lib=LIB, person="Zoë Łukasz"))))
    assert "Łukasz’s week ✓" in text and "Zoë Łukasz" in text


def test_body_text_is_at_least_10_points_and_headings_larger():
    plan = bg.load_starter("gentle_start", lib=LIB)
    sizes = pdf_texts_by_size(handout_pdf(plan, lib=LIB, notes="Start gently."))
    assert min(s for s, _ in sizes) >= 9, "picture labels are the smallest, at 9 points"
    body = [s for s, t in sizes if t.startswith(("Take care:", "Start gently."))
            or any(t in step for step in EX.loc["pelvic_tilt", "steps"] if len(t) > 20)]
    assert body and min(body) >= 10
    first = {}
    for s, t in sizes:  # an exercise's name is its heading first, a log row last
        first.setdefault(t, s)
    names = [s for t, s in first.items() if t in set(EX["name"])]
    assert names and min(names) > max(body)


# --- nothing to hand out -----------------------------------------------------------------


def test_an_empty_plan_is_refused_and_nothing_is_written(tmp_path):
    plan = bg.Plan("Nothing yet")
    expected = "There is nothing to hand out: \u201cNothing yet\u201d has no exercises."
    with pytest.raises(NothingToHandOut, match=re.escape(expected)):
        handout(plan, tmp_path / "out" / "empty", lib=LIB)
    assert list(tmp_path.iterdir()) == []
    for make in (handout_pdf, handout_html, handout_content):
        with pytest.raises(ValueError, match="nothing to hand out"):
            make(plan, lib=LIB)
    assert NothingToHandOut is bg.NothingToHandOut is bg.errors.NothingToHandOut


# --- the log sheet -----------------------------------------------------------------------


def test_the_log_has_a_row_per_dose_and_a_column_per_day(tmp_path):
    plan = bg.load_starter("gentle_start", lib=LIB)
    monday = plan.entries.index[(plan.entries["day"] == "Monday")
                                & (plan.entries["exercise"] == "pelvic_tilt")][0]
    plan = plan.set_dose(int(monday), sets=2, reps=10, hold_s=3)
    pdf = handout_pdf(plan, lib=LIB, when=date(2026, 11, 23))
    _, log = log_part(pdf_pages_text(pdf))
    log = flat(log)
    assert "Your exercise log: week of 2026-11-23" in log
    assert "Pelvic tilt 2 x 10 reps, hold 3 s" in log and "Pelvic tilt 10 reps, hold 3 s" in log
    assert "Shaded boxes: the days your plan has that exercise." in log
    w, h, words = pdf_words(pdf)[-1]
    heads = [(x0, y0, t) for x0, y0, _, _, t in words if t in DAY_HEADS]
    assert [t for _, _, t in heads] == DAY_HEADS, "one column per day, in order"
    assert len({round(y) for _, y, _ in heads}) == 1
    assert all(a[0] < b[0] for a, b in zip(heads, heads[1:]))
    pain = next(y0 for x0, y0, _, _, t in words if t == "Pain")
    assert pain > heads[0][1]
    rows = [y0 for x0, y0, _, _, t in words if t in ("Pelvic", "Cat-cow", "Clamshell")]
    assert len(rows) == 4 and all(heads[0][1] < y < pain for y in rows)
    # Shaded: the days each row's dose is planned, as the week's rows have them.
    shading = log_shading(pdf, tmp_path)
    assert shading[:2] == [("Pelvic tilt", ("Monday",)), ("Pelvic tilt", EVERY_DAY[1:])]
    shading = dict(shading)
    assert shading["Clamshell"] == ("Tuesday", "Thursday", "Saturday")
    assert shading["Cat-cow"] == EVERY_DAY and shading["Fast walking"] == MWF


def test_the_log_sheet_is_shown_on_the_web_page_as_a_table():
    plan = bg.load_starter("gentle_start", lib=LIB)
    page = handout_html(plan, lib=LIB)
    log = page[page.index('<section class="bg-ho-log">'):]
    rows = re.findall(r"<tr>.*?</tr>|<tr class=.*?</tr>", log.split("<tbody>", 1)[1], re.S)
    expected = [(name, line.split(": ")[0], line.split(": ")[1])
                for name, doses, _, _ in expected_items(plan) for line in doses]
    assert len(rows) == len(expected) + 1 and "Pain today (0-10)" in rows[-1]
    for row, (name, dose, how) in zip(rows, expected):
        assert f"{name} {dose}" in page_text(row)
        assert row.count('class="bg-ho-box"') == 7
        planned = [d for d, cell in zip(DAYS, re.findall(r"<td[^>]*>", row))
                   if "bg-ho-planned" in cell]
        assert on_days(planned) == how, (name, planned, how)
    assert re.findall(r'<abbr title="(\w+)">', log) == list(DAYS)
    assert "@page { size: A4;" in page
    assert "@page { size: letter;" in handout_html(plan, lib=LIB, paper="Letter")


def test_a_long_log_goes_on_over_pages_with_its_heading():
    ids = list(EX.index[:20])
    plan = bg.Plan(name="Twenty")
    for k, ex_id in enumerate(ids):
        plan = plan.add(DAYS[k % 7], ex_id, lib=LIB)
    pdf = handout_pdf(plan, lib=LIB)
    texts = pdf_pages_text(pdf)
    at = next(i for i, p in enumerate(texts) if "Your exercise log" in p)
    log_pages = [flat(p) for p in texts[at:]]
    assert len(log_pages) == 2
    assert all("Your exercise log" in p for p in log_pages)
    assert log_heads(pdf) == [DAY_HEADS, DAY_HEADS]
    assert "(continued)" in log_pages[1] and "Pain today (0-10)" in log_pages[1]
    assert names_in(" ".join(log_pages)) == set(EX.loc[ids, "name"])


def test_no_log_sheet_when_asked(tmp_path):
    plan = bg.load_starter("gentle_start", lib=LIB)
    pdf, page = handout(plan, tmp_path / "h", lib=LIB, log_sheet=False)
    assert "Your exercise log" not in "".join(pdf_pages_text(pdf))
    assert "Your exercise log" not in page.read_text()


# --- what the handout says, and its files --------------------------------------------------


def test_each_distinct_dose_gets_its_own_days():
    plan = bg.load_starter("gentle_start", lib=LIB)
    monday = plan.entries.index[(plan.entries["day"] == "Monday")
                                & (plan.entries["exercise"] == "pelvic_tilt")][0]
    plan = plan.set_dose(int(monday), sets=2, reps=10, hold_s=3)
    (tilt,) = [i for i in handout_content(plan, lib=LIB).items if i.id == "pelvic_tilt"]
    assert [(d.dose, d.days) for d in tilt.doses] == [
        ("2 x 10 reps, hold 3 s", ("Monday",)),
        ("10 reps, hold 3 s", EVERY_DAY[1:]),
    ]
    text = flat("".join(pdf_pages_text(handout_pdf(plan, lib=LIB))))
    assert "2 x 10 reps, hold 3 s: on Monday" in text
    assert ("10 reps, hold 3 s: on Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday"
            in text)


def test_a_changed_dose_is_the_one_printed(tmp_path):
    plan = bg.load_starter("gentle_start", lib=LIB)
    for i in plan.entries.index[plan.entries["exercise"] == "pelvic_tilt"]:
        plan = plan.set_dose(int(i), sets=1, reps=12, hold_s=3)
    pdf, _ = handout(plan, tmp_path / "h", lib=LIB)
    text = flat("".join(pdf_pages_text(pdf)))
    assert "10 reps, hold 3 s" not in text, "the starting dose is nowhere"
    assert "12 reps, hold 3 s: every day" in text
    assert "Pelvic tilt 12 reps, hold 3 s" in text, "and its row of the log"


def test_every_source_behind_a_merged_check_is_cited():
    plan = bg.load_starter("gentle_start", lib=LIB)
    check = bg.check_guidance(plan, lib=LIB)
    merged = check.loc[check["source"].str.contains(", "), "source"]
    assert len(merged), "the shipped guidance has a check with two sources"
    text = flat("".join(pdf_pages_text(handout_pdf(plan, lib=LIB))))
    cited = text.split("Sources", 1)[1]
    for source in {s for m in merged for s in m.split(", ")} | {"nice_ng59", "fourkey"}:
        assert flat(LIB.sources.at[source, "title"]) in cited, source


def test_handout_from_a_saved_plan_file(tmp_path):
    plan = bg.load_starter("gentle_start", lib=LIB)
    saved = bg.save_plan(plan, tmp_path / "ada.json")
    pdf, page = handout_from_file(saved, lib=LIB)
    assert (pdf, page) == (tmp_path / "ada.pdf", tmp_path / "ada.html")
    assert "Gentle start" in "".join(pdf_pages_text(pdf))


def test_a_failed_handout_leaves_the_old_one_whole(tmp_path, monkeypatch):
    plan = bg.load_starter("gentle_start", lib=LIB)
    pdf, _ = handout(plan, tmp_path / "h", lib=LIB)
    before = pdf.read_bytes()

    def broken(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        handout(bg.load_starter("core_stability", lib=LIB), tmp_path / "h", lib=LIB)
    assert pdf.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.html", "h.pdf"]


def test_unknown_paper_is_refused(tmp_path):
    for make in (handout_pdf, handout_html):
        with pytest.raises(ValueError, match="Unknown paper 'A5'"):
            make(bg.load_starter("gentle_start", lib=LIB), lib=LIB, paper="A5")
    with pytest.raises(ValueError, match="Unknown paper 'A5'"):
        handout(bg.Plan(), tmp_path / "h", lib=LIB, paper="A5")


def test_the_library_is_keyword_only():
    plan = bg.load_starter("gentle_start", lib=LIB)
    for make in (handout_pdf, handout_html, handout_content, handout_pages):
        with pytest.raises(TypeError):
            make(plan, LIB)


# --- numbered steps keep their hanging indent ---------------------------------------------


Word = tuple[float, float, float, float, str]


def step_lines(words: list[Word], number: int, step: str) -> list[list[Word]] | None:
    """The lines of step ``number`` as printed on a page: its words' boxes, line by
    line, read in order from the word beside the step's number ("3."), each next word
    on the same line to the right or first on the next line (of the words that could
    be, the one the step's next words follow on its line).  None if the step is not
    wholly on this page."""
    tokens = step.split()

    def run(w: Word, k: int) -> int:
        """How many of the step's words from token ``k`` follow ``w`` on its line."""
        n = 0
        while k + 1 + n < len(tokens) and any(
                v[4] == tokens[k + 1 + n] and abs(v[1] - w[1]) < 1.5 and 0 <= v[0] - w[2] < 12
                for v in words):
            w = min(v for v in words if v[4] == tokens[k + 1 + n] and abs(v[1] - w[1]) < 1.5
                    and 0 <= v[0] - w[2] < 12)
            n += 1
        return n

    for x0, y0, x1, _, t in words:
        if t != f"{number}.":
            continue
        first = [w for w in words if w[4] == tokens[0] and abs(w[1] - y0) < 1.5
                 and 0 < w[0] - x1 < 20]
        if not first:
            continue
        lines, cur = [[first[0]]], first[0]
        for k, tok in enumerate(tokens[1:], 1):
            same = [w for w in words if w[4] == tok and abs(w[1] - cur[1]) < 1.5
                    and 0 <= w[0] - cur[2] < 12]
            below = [w for w in words if w[4] == tok and 8 < w[1] - cur[1] < 20]
            if same:
                cur = min(same)
                lines[-1].append(cur)
            elif below:
                cur = min(below, key=lambda w: (-run(w, k), w[1], w[0]))
                lines.append([cur])
            else:
                break
        else:
            return lines
    return None


def picture_foot(words: list[Word], ex_id: str, column: float, top: float) -> float:
    """How far down the page the labels under ``ex_id``'s picture reach (0 if none), of
    the picture left of ``column`` whose labels start within 200 points above ``top``."""
    labels = {t for label in LIB.poses.loc[LIB.poses["exercise"] == ex_id, "label"].dropna()
              for t in str(label).split()}
    feet = [y1 for x0, y0, x1, y1, t in words
            if t in labels and x1 < column and top - 200 < y0 < top + 200]
    return max(feet, default=0.0)


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_a_wrapped_step_stays_indented_under_its_text_beside_and_below_the_picture(paper):
    """Every line of a numbered step starts where the step's first word does; a step begun
    beside the picture keeps that column where it goes on below the picture (before,
    its second line jumped under the picture, left of its own number)."""
    checked, wrapped, below_picture = 0, 0, 0
    for name in bg.starter_plans():
        plan = bg.load_starter(name, lib=LIB)
        pages = pdf_words(handout_pdf(plan, lib=LIB, paper=paper, log_sheet=False))
        for ex_id in dict.fromkeys(plan.entries["exercise"]):
            for n, step in enumerate(EX.at[ex_id, "steps"], 1):
                found = [lines for _, _, words in pages
                         if (lines := step_lines(words, n, step)) is not None]
                if not found:
                    continue  # a step going on over a page
                lines = found[0]
                checked += 1
                text_x = lines[0][0][0]
                for line in lines[1:]:
                    assert abs(line[0][0] - text_x) < 0.6, (
                        name, paper, ex_id, n, [" ".join(w[4] for w in ln) for ln in lines],
                        [round(ln[0][0], 1) for ln in lines])
                if len(lines) > 1:
                    wrapped += 1
                    page_words = next(w for _, _, w in pages if step_lines(w, n, step))
                    foot = picture_foot(page_words, ex_id, text_x - 20, lines[0][0][1])
                    if text_x > MARGIN + 100 and lines[-1][0][1] > foot > 0:
                        below_picture += 1
    assert checked >= 60 and wrapped >= 20, (checked, wrapped)
    assert below_picture >= 1, "no step began beside its picture and went on below it"


def test_a_wrapped_step_stays_indented_on_the_web_page(browser):
    """On the web page too: every line of a step starts where its first word does, to the
    right of its number, whether beside the picture or below it."""
    page = browser.new_page(viewport={"width": 760, "height": 1000})
    try:
        page.set_content(handout_html(bg.load_starter("gentle_start", lib=LIB), lib=LIB))
        steps = page.evaluate("""() => [...document.querySelectorAll('ol.bg-ho-steps > li')]
          .map(li => {
            const range = document.createRange();
            range.selectNodeContents(li);
            const lines = [...range.getClientRects()].filter(r => r.width > 0);
            const box = li.getBoundingClientRect();
            const pic = li.closest('.bg-ho-exercise').querySelector('.bg-ho-picture')
              .getBoundingClientRect();
            return {text: li.textContent, lefts: lines.map(r => r.left),
                    tops: lines.map(r => r.top), box: box.left, picRight: pic.right,
                    picBottom: pic.bottom,
                    number: getComputedStyle(li, '::before').content,
                    display: getComputedStyle(li).display};
          })""")
    finally:
        page.close()
    assert len(steps) == sum(len(EX.at[x, "steps"]) for x in
                             dict.fromkeys(bg.load_starter("gentle_start", lib=LIB)
                                           .entries["exercise"]))
    wrapped = beside_and_below = 0
    for s in steps:
        assert "counter(bg-step)" in s["number"], s  # the number, hanging in its column
        lefts = {round(x) for x in s["lefts"]}
        assert len(lefts) == 1, s  # every line under the first word
        assert s["lefts"][0] >= s["box"] + 15, s  # right of the number
        if len(s["lefts"]) > 1:
            wrapped += 1
            if s["lefts"][0] > s["picRight"] and max(s["tops"]) > s["picBottom"]:
                beside_and_below += 1
    assert wrapped >= 5
    assert beside_and_below >= 1, "a step beside the picture goes on below it, indented"


# --- the clinic, and how many times a day ----------------------------------------------------

CLINIC = "Riverside Physiotherapy, 12 High Street, Anytown\nTel 01234 567890"
CLINIC_LINE = "Riverside Physiotherapy, 12 High Street, Anytown \u00b7 Tel 01234 567890"


def foot_of(words: list[Word], h: float, lines: int = 1) -> str:
    """The words at a page's foot (``lines`` lines of it), top to bottom, left to right."""
    top = h - MARGIN - 20 - (lines - 1) * 12.5
    return flat(" ".join(t for _, _, _, _, t in sorted(
        (w for w in words if w[1] > top), key=lambda w: (round(w[1]), w[0]))))


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_clinic_is_at_the_foot_of_every_page(paper):
    plan = bg.load_starter("gentle_start", lib=LIB)
    pdf = handout_pdf(plan, lib=LIB, paper=paper, clinic=CLINIC)
    pages = pdf_words(pdf)
    assert len(pages) >= 4  # the log sheet's pages too
    for i, (w, h, words) in enumerate(pages, 1):
        assert foot_of(words, h) == f"{CLINIC_LINE} Page {i} of {len(pages)}", i
        clinic_words = [x for x in words if x[1] > h - MARGIN - 20 and x[4] != "Page"]
        assert min(x[0] for x in clinic_words) == pytest.approx(MARGIN, abs=1)  # at the left
        number = [x for x in words if x[1] > h - MARGIN - 20][-1]
        assert number[2] == pytest.approx(w - MARGIN, abs=1)  # the page's number at the right
    # Without a clinic the foot is the page's number alone, as before.
    for i, (w, h, words) in enumerate(pdf_words(handout_pdf(plan, lib=LIB, paper=paper)), 1):
        assert foot_of(words, h).startswith(f"Page {i} of ")


def test_a_long_clinic_goes_on_two_lines_inside_the_margins_and_above_nothing():
    clinic = ("Riverside Physiotherapy and Sports Injury Clinic, Unit 4, The Old Mill, "
              "Riverside Road, Anytown AB1 2CD\nTel 01234 567890, riverside.example.org")
    assert len(clinic) <= 160
    pdf = handout_pdf(long_plan(), lib=LIB, clinic=clinic, person=LONG_NAME, notes=LONG_NOTES)
    for n, (w, h, words) in enumerate(pdf_words(pdf), 1):
        for x0, y0, x1, y1, t in words:
            assert MARGIN - 1 <= x0 and x1 <= w - MARGIN + 1, (n, t)
            assert MARGIN - 1 <= y0 and y1 <= h - MARGIN + 1, (n, t)
        foot = [x for x in words if x[1] > h - MARGIN - 32]
        assert len({round(x[1]) for x in foot}) == 2, (n, foot)  # two lines
        assert flat(" ".join(t for *_, t in sorted(foot, key=lambda x: (round(x[1]), x[0])))) \
            .replace(f"Page {n} of {len(pdf_words(pdf))}", "").split() == \
            clinic.replace("\n", " \u00b7 ").split(), n
        body = [x for x in words if x not in foot]
        assert max(y1 for *_, y1, _ in body) < min(x[1] for x in foot) - 2, n  # no overlap


def test_the_clinic_is_on_the_web_page_and_on_each_printed_page():
    page = handout_html(bg.load_starter("gentle_start", lib=LIB), lib=LIB, clinic=CLINIC)
    header = re.search(r'<header class="bg-ho-clinic">(.*?)</header>', page, re.S).group(1)
    assert header == "Riverside Physiotherapy, 12 High Street, Anytown<br>Tel 01234 567890"
    footer = re.search(r'<footer class="bg-ho-clinic">(.*?)</footer>', page, re.S).group(1)
    assert html.unescape(footer) == CLINIC_LINE
    margin = re.search(r"@bottom-left \{ content: (\"[^\"]*\");", page).group(1)
    read = re.sub(r"\\([0-9A-F]+) ?", lambda m: chr(int(m.group(1), 16)), margin[1:-1])
    assert read == CLINIC_LINE
    assert "bg-ho-clinic" not in handout_html(bg.load_starter("gentle_start", lib=LIB),
                                              lib=LIB).split("</style>")[1]


def test_a_clinic_that_looks_like_markup_is_text_everywhere():
    clinic = '</style><script>alert(1)</script> "Dr" \\ A & B'
    page = handout_html(bg.load_starter("gentle_start", lib=LIB), lib=LIB, clinic=clinic)
    head = page.split("</head>")[0]
    assert "<script" not in page and head.count("</style>") == 1  # the stylesheet's own end
    assert "&lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt; &#34;Dr&#34; \\ A &amp; B" \
        in page
    text = flat("".join(pdf_pages_text(handout_pdf(bg.load_starter("gentle_start", lib=LIB),
                                                   lib=LIB, clinic=clinic))))
    assert clinic in text


def with_times(items, words: str):
    """``expected_items`` with ``words`` ("twice a day") said after each dose's days."""
    return [(name, [f"{line}, {words}" for line in lines], steps, cautions)
            for name, lines, steps, cautions in items]


@pytest.mark.parametrize("times, words", [(1, "once a day"), (2, "twice a day"),
                                          (3, "three times a day"), (4, "four times a day"),
                                          (5, "five times a day")])
def test_times_a_day_is_said_with_each_dose(times, words):
    plan = bg.load_starter("core_stability", lib=LIB)
    pdf, page = handout_pages(plan, lib=LIB, times_a_day=times)
    text = readable("".join(pdf_pages_text(pdf)), plan)
    web = page_text(page)
    for name, lines, _, _ in with_times(expected_items(plan), words):
        for line in lines:
            assert line in text, line
            assert line in web, line
    before_log, log = log_part(pdf_pages_text(pdf))
    assert flat(log).count(words) == len(handout_content(plan, lib=LIB).log)
    # Said once with each dose: never with no times given.
    assert words not in flat("".join(pdf_pages_text(handout_pdf(plan, lib=LIB))))


def test_times_a_day_stands_alone_when_no_plan_says_which_days():
    plan = bg.Plan(name="Just cobra").add("Monday", "cobra", lib=LIB)
    text = flat("".join(pdf_pages_text(handout_pdf(plan, lib=LIB, times_a_day="2"))))
    assert "3 reps, hold 10 s: twice a day" in text
    assert "as often as your clinician advises" not in text


@pytest.mark.parametrize("blank", [None, "", "  "])
def test_times_a_day_left_blank_says_nothing(blank):
    plan = bg.load_starter("gentle_start", lib=LIB)
    assert handout_content(plan, lib=LIB, times_a_day=blank).times_a_day == ""


@pytest.mark.parametrize("bad", [0, 6, -1, 2.5, "two", "7", True, [2]])
def test_times_a_day_out_of_range_is_refused_naming_it(bad, tmp_path):
    with pytest.raises(bg.BackguideError, match=r"^times_a_day: found .*, expected a whole "
                                                r"number from 1 to 5, or blank\.$"):
        handout(bg.load_starter("gentle_start", lib=LIB), tmp_path / "h", lib=LIB,
                times_a_day=bad)
    assert list(tmp_path.iterdir()) == []


def test_a_clinic_too_long_for_the_foot_is_refused_naming_it():
    with pytest.raises(bg.BackguideError, match=r"^clinic: found '161 characters', expected "
                                                r"at most 160 characters"):
        handout_pdf(bg.load_starter("gentle_start", lib=LIB), lib=LIB, clinic="x" * 161)


@pytest.mark.parametrize("field", ["person", "notes", "clinic"])
@pytest.mark.parametrize("bad", ["Ada\udc80", "\ud800", "Ada\x07Lovelace"])
def test_text_that_cannot_be_printed_is_refused_naming_its_field(field, bad, tmp_path):
    """A lone surrogate raised a raw TypeError deep in the fonts; now the package's own
    error names the field, the character and what to do, and nothing is written."""
    plan = bg.load_starter("gentle_start", lib=LIB)
    for make in (handout_pdf, handout_html, handout_pages, handout_content):
        with pytest.raises(bg.BackguideError) as err:
            make(plan, lib=LIB, **{field: bad})
        said = str(err.value)
        assert said.startswith(f"{field}: found ") and "Delete it and type the text again" \
            in said, said
        assert [p.path for p in err.value.problems] == [field]
        said.encode("utf-8")  # the message itself can be shown and saved
    with pytest.raises(bg.BackguideError):
        handout(plan, tmp_path / "h", lib=LIB, **{field: bad})
    assert list(tmp_path.iterdir()) == []


def test_a_plan_whose_own_name_cannot_be_printed_names_it():
    plan = bg.load_starter("gentle_start", lib=LIB).replace(name="Week\udc80")
    with pytest.raises(bg.BackguideError,
                       match=r"^name: found 'Week\\udc80', expected text that can be printed"):
        handout_pdf(plan, lib=LIB)
