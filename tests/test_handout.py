"""The take-home handout: every page rendered, every exercise and dose in the text."""

from __future__ import annotations

import os
import re
import subprocess
from datetime import date

import pytest

import backguide as bg
from backguide.handout import handout, handout_from_file, handout_html

LIB = bg.load_library()


def pdf_text(path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    return " ".join(out.split())


def pdf_pages(path) -> tuple[int, str]:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True,
                          text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    size = re.search(r"Page size:.*\((\w+)\)", info).group(1)
    return pages, size


@pytest.mark.parametrize("paper, size", [("A4", "A4"), ("Letter", "letter")])
@pytest.mark.parametrize("name", bg.starter_plans())
def test_handout_prints_every_exercise_and_dose(name, paper, size, artifacts):
    plan = bg.load_starter(name, LIB.exercises)
    out = artifacts / "handout" / f"{name}_{paper}"
    pdf, page = handout(plan, out, LIB, person="Ada Lovelace", notes="Start gently.",
                        when=date(2026, 11, 23), paper=paper)
    text = pdf_text(pdf)
    for _, _, _, entry in plan.entries():
        assert LIB.exercises.at[entry.exercise, "name"] in text
        assert entry.describe() in text
    for phrase in ("Ada Lovelace", "2026-11-23", "Start gently.", "not a diagnosis",
                   "Stop any exercise that makes your pain worse", "When to stop",
                   "loss of bladder or bowel control", "Sources", "World Health Organization"):
        assert phrase in text
    pages, got = pdf_pages(pdf)
    assert got == size and pages >= 3
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(out)], check=True)
    pngs = sorted(out.parent.glob(f"{out.name}-*.png"))
    assert len(pngs) == pages and all(p.stat().st_size > 5_000 for p in pngs)
    html_text = page.read_text()
    assert "Ada Lovelace" in html_text and html_text.count("<img") == 1 + len(
        {e.exercise for *_, e in plan.entries()})


def test_typed_text_is_escaped_in_the_html():
    plan = bg.load_starter("gentle_start", LIB.exercises)
    page = handout_html(plan, LIB, person="<script>alert(1)</script>", notes="a < b & c")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "a &lt; b &amp; c" in page


def test_handout_from_a_saved_plan_file(tmp_path):
    plan = bg.load_starter("gentle_start", LIB.exercises)
    saved = bg.save_plan(plan, tmp_path / "ada.json")
    pdf, page = handout_from_file(saved, library=LIB)
    assert (pdf, page) == (tmp_path / "ada.pdf", tmp_path / "ada.html")
    assert "Gentle start" in pdf_text(pdf)


def test_a_failed_handout_leaves_the_old_one_whole(tmp_path, monkeypatch):
    plan = bg.load_starter("gentle_start", LIB.exercises)
    pdf, _ = handout(plan, tmp_path / "h", LIB)
    before = pdf.read_bytes()

    def broken(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        handout(bg.load_starter("core_stability", LIB.exercises), tmp_path / "h", LIB)
    assert pdf.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.html", "h.pdf"]


def test_unknown_paper_is_refused(tmp_path):
    with pytest.raises(ValueError, match="Unknown paper 'A5'"):
        handout(bg.Plan(), tmp_path / "h", LIB, paper="A5")
