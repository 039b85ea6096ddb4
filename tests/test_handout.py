"""The take-home handout: every page rendered, every exercise, dose and caution in the text."""

from __future__ import annotations

import os
import re
import subprocess
from datetime import date

import pytest

import backguide as bg
from backguide.handout import handout, handout_content, handout_from_file, handout_html
from backguide.plan import describe_entries
from backguide.schema import DAYS

LIB = bg.load_library()
EX = LIB.exercises


def pdf_text(path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    return " ".join(out.split())


def flat(text: str) -> str:
    """Text as the PDF reads back: words joined by single spaces, a line broken after a
    hyphen joined again."""
    return re.sub(r"-\s+", "-", " ".join(text.split()))


def pdf_pages(path) -> tuple[int, str]:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True,
                          text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    size = re.search(r"Page size:.*\((\w+)\)", info).group(1)
    return pages, size


def expected_items(plan: bg.Plan) -> list[tuple[str, list[str], list[str]]]:
    """Each exercise of the plan, in order: its name, its dose lines and its cautions,
    worked out from the plan's rows (not from the handout's code)."""
    e = plan.entries.assign(words=describe_entries(plan.entries))
    items = []
    for ex_id in dict.fromkeys(e["exercise"]):
        mine = e[e["exercise"] == ex_id]
        lines = []
        for words in dict.fromkeys(mine["words"]):
            days = set(mine.loc[mine["words"] == words, "day"].astype(str))
            lines.append(f"{words}: on {', '.join(d for d in DAYS if d in days)}")
        items.append((EX.at[ex_id, "name"], lines, list(EX.at[ex_id, "cautions"])))
    return items


def guidance_lines(text: str) -> list[str]:
    """The guidance lines of a handout's text, in order."""
    part = text.split("The guidance this week meets", 1)[1].split("When to stop", 1)[0]
    part = part.replace("Still to work towards", "")
    return [flat(m) for m in re.split(r"(?:^| )- ", part.strip()) if m.strip()]


@pytest.mark.parametrize("paper, size", [("A4", "A4"), ("Letter", "letter")])
@pytest.mark.parametrize("name", bg.starter_plans())
def test_handout_prints_every_exercise_and_dose(name, paper, size, artifacts):
    plan = bg.load_starter(name, lib=LIB)
    out = artifacts / "handout" / f"{name}_{paper}"
    pdf, page = handout(plan, out, lib=LIB, person="Ada Lovelace", notes="Start gently.",
                        when=date(2026, 11, 23), paper=paper)
    raw = pdf_text(pdf)
    text = flat(raw)
    # Each exercise, in order, with its dose lines and cautions under its own name.
    items = expected_items(plan)
    at = text.index("Your week at a glance")
    for k, (ex_name, doses, cautions) in enumerate(items):
        at = text.index(ex_name, at)
        last = max(text.index(line, at) for line in doses)
        end = text.find(items[k + 1][0], last) if k + 1 < len(items) else len(text)
        section = text[at:end]
        for caution in cautions:
            assert f"Take care: {flat(caution)}" in section, (ex_name, caution)
    for phrase in ("Ada Lovelace", "2026-11-23", "Start gently.", "not a diagnosis",
                   "Stop any exercise that makes your pain worse", "When to stop",
                   "loss of bladder or bowel control", "Sources", "World Health Organization"):
        assert phrase in text
    # The guidance, one line per check, as check_guidance says it.
    check = bg.check_guidance(plan, lib=LIB)
    met = check["status"] == "met"
    messages = [*check.loc[met, "message"], *check.loc[~met, "message"]]
    assert guidance_lines(raw) == [flat(m) for m in messages]
    pages, got = pdf_pages(pdf)
    assert got == size and pages >= 3
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(out)], check=True)
    pngs = sorted(out.parent.glob(f"{out.name}-*.png"))
    assert len(pngs) == pages and all(p.stat().st_size > 5_000 for p in pngs)
    html_text = page.read_text()
    assert "Ada Lovelace" in html_text
    assert html_text.count("<img") == 1 + plan.entries["exercise"].nunique()
    for ex_name, doses, _ in items:
        assert ex_name.replace("'", "&#x27;") in html_text
    for m in messages:
        assert f"<li>{m}</li>".replace("'", "&#x27;") in html_text


def test_each_distinct_dose_gets_its_own_days():
    plan = bg.load_starter("gentle_start", lib=LIB)
    monday = plan.entries.index[(plan.entries["day"] == "Monday")
                                & (plan.entries["exercise"] == "pelvic_tilt")][0]
    plan = plan.set_dose(int(monday), sets=2, reps=10, hold_s=3)
    (tilt,) = [i for i in handout_content(plan, lib=LIB)["items"] if i["id"] == "pelvic_tilt"]
    assert tilt["doses"] == [
        ("2 x 10 reps, hold 3 s", ["Monday"]),
        ("10 reps, hold 3 s", [d for d in DAYS if d != "Monday"]),
    ]


def test_a_changed_dose_is_the_one_printed_and_pictured(tmp_path):
    plan = bg.load_starter("gentle_start", lib=LIB)
    for i in plan.entries.index[plan.entries["exercise"] == "pelvic_tilt"]:
        plan = plan.set_dose(int(i), sets=1, reps=12, hold_s=3)
    pdf, _ = handout(plan, tmp_path / "h", lib=LIB)
    text = pdf_text(pdf)
    assert "10 reps, hold 3 s" not in text, "the starting dose is nowhere"
    assert f"12 reps, hold 3 s: on {', '.join(DAYS)}" in text
    assert text.count("12 reps, hold 3 s") == 2, "the dose line and the picture's label"


def test_every_source_behind_a_merged_check_is_cited():
    plan = bg.load_starter("gentle_start", lib=LIB)
    check = bg.check_guidance(plan, lib=LIB)
    merged = check.loc[check["source"].str.contains(", "), "source"]
    assert len(merged), "the shipped guidance has a check with two sources"
    cited = handout_content(plan, lib=LIB)["sources"]
    for source in {s for m in merged for s in m.split(", ")}:
        assert any(c.startswith(LIB.sources.at[source, "title"]) for c in cited), source


def test_typed_text_is_escaped_in_the_html():
    plan = bg.load_starter("gentle_start", lib=LIB)
    page = handout_html(plan, lib=LIB, person="<script>alert(1)</script>", notes="a < b & c")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "a &lt; b &amp; c" in page


def test_handout_from_a_saved_plan_file(tmp_path):
    plan = bg.load_starter("gentle_start", lib=LIB)
    saved = bg.save_plan(plan, tmp_path / "ada.json")
    pdf, page = handout_from_file(saved, lib=LIB)
    assert (pdf, page) == (tmp_path / "ada.pdf", tmp_path / "ada.html")
    assert "Gentle start" in pdf_text(pdf)


def test_an_empty_plan_still_makes_a_handout(tmp_path):
    pdf, page = handout(bg.Plan("Nothing yet"), tmp_path / "empty", lib=LIB)
    text = pdf_text(pdf)
    assert "Nothing yet" in text and "When to stop" in text


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
    with pytest.raises(ValueError, match="Unknown paper 'A5'"):
        handout(bg.Plan(), tmp_path / "h", lib=LIB, paper="A5")
