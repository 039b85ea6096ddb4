"""The clinician's journey, in Voila at 1366x768 (and the exercise screen at 1920x1080),
and the presenter's keys in JupyterLab.

A physiotherapist opens ``04_present``, reads the safety screen with the
patient, tries the "one applies" path, picks a saved plan (whose name is a
path, ``../../../x``) and a day, goes through every exercise with the timer
by keyboard alone (Space, PageDown, ArrowRight, Back after Done with
ArrowLeft), reads the summary and downloads the handout with the clinic's
name and how many times a day.

Every exercise of the starter plans, at each dose they give it, fits a
1366x768 laptop and a 1920x1080 screen: its name, dose, picture, every step
and the timer in view, the print large on the big screen.  In JupyterLab the
presenter's keys are its own only while it is in view: pressing M in another
notebook's cell makes that cell Markdown and leaves the presenter alone.

Each step asserts what the person sees, written out here (the warning signs,
the sessions' minutes, each exercise's dose), from bounding boxes in the
viewport and the handout's text (pdftotext), and saves a screenshot to
``artifacts/present/``.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from playwright.sync_api import Page, expect

import backguide as bg
from backguide.content import week_content
from backguide.store import PlanStore
from conftest import ARTIFACTS, ROOT
from servers import Server, copy_notebooks, offline_context

WAIT = 120_000
LAPTOP = {"width": 1366, "height": 768}
BIG = {"width": 1920, "height": 1080}
HOSTILE = "../../../x"

#: The warning signs, as the guidance table words them.
SIGNS = [
    "New trouble passing urine, loss of bladder or bowel control: seek urgent medical help, "
    "do not exercise.",
    "Numbness or tingling around the genitals, buttocks or back passage: seek urgent medical "
    "help.",
    "New or worsening weakness in the legs, or feet that catch or drag: see a doctor the "
    "same day.",
    "Back pain with fever or feeling generally unwell: see a doctor.",
    "Back pain with weight loss you cannot explain: see a doctor.",
    "Back pain after a major fall, accident or injury: see a doctor before exercising.",
    "Back pain in someone who has had cancer: see a doctor.",
]
#: Gentle start's Tuesday: each exercise's name, dose in words, number of steps, and the
#: timer's parts with the last one's label (a hold of 3 s with 3 s to move and 3 s rest
#: between holds is 10 x 2 + 9 = 29 parts).
TUESDAY = [
    ("Pelvic tilt", "10 reps, hold 3 s", 5, 29, "Hold"),
    ("Knee roll", "5 reps, hold 5 s, each side", 5, 28, "Hold (other side)"),
    ("Single knee to chest", "3 reps, hold 20 s, each side", 5, 16, "Hold (other side)"),
    ("Cat-cow", "5 reps, hold 10 s", 4, 14, "Hold"),
    ("Child's pose", "1 rep, hold 30 s", 5, 2, "Hold"),
    ("Glute bridge", "5 reps, hold 20 s, rest 10 s", 5, 14, "Hold"),
    ("Clamshell", "10 reps, each side", 5, 3, "10 repetitions"),
]
SESSIONS = ["Morning stretches (7.8 min)", "Gentle strength (3.6 min)"]


@pytest.fixture(scope="module")
def shots():
    folder = ARTIFACTS / "present"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    """A scratch copy of the notebooks, with two saved plans: one whose name is a
    path, and one broken file."""
    work = tmp_path_factory.mktemp("present")
    root = copy_notebooks(ROOT / "notebooks", work / "notebooks")
    store = PlanStore(root / "saved_plans")
    store.save(bg.load_starter("gentle_start").replace(name=HOSTILE))
    (root / "saved_plans" / "broken.json").write_text('{"name": "Broken", "entries": [',
                                                      encoding="utf-8")
    return work


@pytest.fixture(scope="module")
def voila(work):
    srv = Server("voila", work / "notebooks", work).start()
    yield srv
    srv.stop()


def open_present(browser, voila: Server, viewport) -> Page:
    context = offline_context(browser, viewport, accept_downloads=True)
    page = context.new_page()
    page.outside = context.outside
    page.goto(voila.url("04_present.ipynb"), timeout=WAIT)
    page.wait_for_selector(".bg-present .bg-safety-ok", timeout=WAIT)
    page.wait_for_timeout(500)
    body = page.inner_text("body")
    assert "Traceback" not in body
    for developer_words in ("dev.py", "run all cells", "JupyterLab", "import "):
        assert developer_words not in body, f"Voila shows {developer_words!r}"
    return page


def box_in_view(page: Page, css: str) -> dict:
    """The element's box, asserted wholly inside the viewport as the page stands."""
    box = page.locator(css).first.bounding_box()
    size = page.viewport_size
    assert box, f"{css} is not shown"
    assert box["y"] >= 0 and box["y"] + box["height"] <= size["height"] + 0.5, \
        f"{css} is not within the {size['width']}x{size['height']} screen: {box}"
    assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"] + 0.5, (css, box)
    return box


def px(page: Page, css: str) -> float:
    return float(page.eval_on_selector(css, "e => getComputedStyle(e).fontSize")[:-2])


def phase(page: Page) -> str:
    return page.inner_text(".bg-timer .bg-phase")


def tones(page: Page) -> list[str]:
    return (page.get_attribute(".bg-timer", "data-tones") or "").split()


def press_until_done(page: Page, key: str) -> None:
    for _ in range(80):
        if phase(page).startswith(("Done", "End of this exercise")):
            return
        page.keyboard.press(key)
        page.wait_for_timeout(40)
    raise AssertionError(f"{key} did not reach the end of the timer")


def test_a_clinician_shows_a_day_and_hands_it_over(browser, voila, work, shots):
    page = open_present(browser, voila, LAPTOP)
    shot = lambda step: page.screenshot(path=shots / f"laptop_{step}.png")  # noqa: E731

    # 1. The safety screen: every warning sign, and both answers, on one screen.
    shot("1_safety")
    text = page.inner_text(".bg-present")
    assert "This is a guide, not a diagnosis." in text
    for statement in SIGNS:
        assert statement in text
    box_in_view(page, ".bg-safety-ok")
    box_in_view(page, ".bg-safety-applies")

    # ... and the path where one applies: its own advice, and no session.
    page.click(".bg-safety-applies")
    page.click(".bg-sign-nice_ng59_red_weakness")
    stop = page.locator(".bg-stop")
    expect(stop).to_contain_text("Do not start the exercises today")
    expect(stop).to_contain_text(
        "You said: New or worsening weakness in the legs, or feet that catch or drag.")
    expect(page.locator(".bg-advice-now")).to_have_text("See a doctor the same day.")
    assert page.locator(".bg-begin, .bg-timer").count() == 0
    box_in_view(page, ".bg-advice-now")
    assert px(page, ".bg-advice-now") >= 28, "what to do now is in large print"
    shot("2_one_applies")
    page.click(".bg-safety-back")
    page.click(".bg-safety-ok")

    # 2. Choose a plan and a day.  A broken saved plan says what is wrong.
    plan_box = page.locator(".bg-present-plan select")
    page.wait_for_selector(".bg-present-plan select option", state="attached")
    options = plan_box.locator("option").all_text_contents()
    said = [o.replace("\xa0", " ") for o in options]  # ipywidgets keeps spaces with nbsp
    broken = options[next(i for i, o in enumerate(said) if "broken" in o)]
    assert said[options.index(broken)] == "Saved: broken.json (cannot be opened)"
    plan_box.select_option(label=broken)
    expect(page.locator(".bg-present-preview")).to_contain_text("This plan cannot be opened")
    expect(page.locator(".bg-present-preview")).to_contain_text("broken.json")
    shot("3_broken_plan")
    plan_box.select_option(label=options[said.index(f"Saved: {HOSTILE}")])
    page.locator(".bg-present-day select").select_option("Tuesday")
    expect(page.locator(".bg-present-preview")).to_have_text(
        f"Tuesday: 7 exercises, 11.4 min \u00b7 {SESSIONS[0]} \u00b7 {SESSIONS[1]}")
    shot("4_chosen")
    page.click(".bg-begin")

    # 3. Every exercise, by keyboard.
    names = [name for name, *_ in TUESDAY]
    for i, (name, dose, n_steps, n_parts, last_part) in enumerate(TUESDAY):
        expect(page.locator(".bg-present-name")).to_have_text(name)
        expect(page.locator(".bg-dose-big")).to_have_text(dose)
        where = SESSIONS[0] if i < 5 else SESSIONS[1]
        expect(page.locator(".bg-where")).to_have_text(
            f"Exercise {i + 1} of 7 \u00b7 Tuesday \u00b7 {where}")
        for css in (".bg-present-name", ".bg-picture svg", ".bg-steps li", ".bg-timer .bg-phase",
                    ".bg-timer .bg-countdown", ".bg-timer-start"):
            box_in_view(page, css)
        # After Begin, and on each new exercise, the focus is on its timer's Start, not
        # lost to the page's body.
        expect(page.locator(".bg-timer-start")).to_be_focused()
        if i == 0:
            # Two ways on, named apart: the timer's part by part, the exercise's own.
            expect(page.locator(".bg-timer-skip")).to_have_text("Skip this part \u25b6")
            expect(page.locator(".bg-timer-prev")).to_have_text("\u25c0 Previous part")
            expect(page.locator("button.bg-next")).to_have_text("Next exercise \u25b6\u25b6")
            expect(page.locator("button.bg-prev")).to_have_text("\u25c0\u25c0 Previous exercise")
            buttons = [t.strip() for t in page.locator(".bg-present button:visible")
                       .all_inner_texts()]
            assert len(set(buttons)) == len(buttons), buttons
            assert [b for b in buttons if "Next" in b] == ["Next exercise \u25b6\u25b6"], buttons
            keys = page.inner_text(".bg-timer-keys")
            for said in ("Space: start or pause", "Right arrow or Page Down: skip this part",
                         "Left arrow or Page Up: previous part", "End: next exercise",
                         "Home: previous exercise", "M: sound on or off",
                         "F: full screen (Esc leaves it)"):
                assert said in " ".join(keys.split()), said
            box_in_view(page, ".bg-timer-keys")
        steps = page.locator(".bg-steps li")
        assert steps.count() == n_steps
        box_in_view(page, f".bg-steps li >> nth={steps.count() - 1}")  # every step
        assert px(page, ".bg-steps li") >= 20 and px(page, ".bg-countdown") >= 60
        assert re.fullmatch(r"\d+:\d\d", page.inner_text(".bg-countdown")), "mm:ss"
        if name == "Cat-cow":  # its last step and its cautions, in view
            expect(steps.nth(3)).to_have_text(
                "Move slowly between the two, breathing out as you round and in as you arch.")
            expect(page.locator(".bg-cautions")).to_contain_text(
                "Move within a comfortable range; the arch should be gentle.")
            box_in_view(page, ".bg-cautions li >> nth=2")
            shot("5b_cat_cow")
        if i == 0:
            # Pelvic tilt: move into position (3 s), hold (3 s): tones at the hold's start
            # and end; then sound off, and the rest ends in silence.
            page.keyboard.press("Space")
            expect(page.locator(".bg-timer .bg-phase")).to_have_text("Hold", timeout=6000)
            expect(page.locator(".bg-timer .bg-phase")).to_have_text("Rest", timeout=6000)
            assert tones(page) == ["start", "end"]
            shot("5_first_hold_done")
            page.keyboard.press("m")
            expect(page.locator(".bg-timer-mute")).to_have_text("Sound: off")
            expect(page.locator(".bg-timer .bg-phase")).to_have_text("Get into position",
                                                                      timeout=6000)
            assert tones(page) == ["start", "end"], "muted: no tone at the end of the rest"
            page.keyboard.press("Space")  # pause
            expect(page.locator(".bg-timer-start")).to_have_text("Resume")
            page.keyboard.press("m")
        key = "PageDown" if i % 2 else "ArrowRight"
        if i == 2:
            # The End key (a clicker's other button) leaves the exercise at once.
            page.keyboard.press("End")
            expect(page.locator(".bg-present-name")).to_have_text(names[3])
            page.keyboard.press("Home")
            expect(page.locator(".bg-present-name")).to_have_text(name)
        press_until_done(page, key)
        # Skipped parts are not "well done", and the timer says what comes next.
        expect(page.locator(".bg-timer .bg-phase")).to_have_text("End of this exercise")
        expect(page.locator(".bg-timer .bg-counter")).to_contain_text(
            "Finish" if i + 1 == len(names) else "Next exercise \u25b6\u25b6")
        expect(page.locator(".bg-timer-skip")).to_be_disabled()  # one way on: the exercise's
        # Back after Done returns to the last part, ready to do again.
        page.keyboard.press("ArrowLeft")
        expect(page.locator(".bg-timer .bg-counter")).to_contain_text(
            f"part {n_parts} of {n_parts}")
        assert last_part in phase(page)
        if i == 1:
            shot("6_back_after_done")
        page.keyboard.press(key)
        expect(page.locator(".bg-timer .bg-phase")).to_contain_text("End of this exercise")
        page.keyboard.press(key)
        if i + 1 < len(names):
            expect(page.locator(".bg-present-name")).to_have_text(names[i + 1])

    # 4. The summary says what was done and what was skipped.
    summary = page.locator(".bg-summary")
    expect(summary).to_contain_text("Session finished")
    expect(summary).to_contain_text("Of 7 exercises: 0 done, 1 partly done, 6 skipped.")
    expect(page.locator(".bg-result-partly")).to_have_text(
        "\u25d0 Pelvic tilt: 10 reps, hold 3 s (about 1.5 min): partly done (1 of 10 holds)")
    expect(page.locator(".bg-sessions")).to_have_text(f"{SESSIONS[0]} \u00b7 {SESSIONS[1]}")
    shot("7_summary")

    # 5. The handout of what was shown, downloaded.
    before = sorted(p for p in work.rglob("*") if "handouts" in p.parts or p.suffix == ".pdf")
    page.fill(".bg-handout-person input", "Ada Featherstonehaugh")
    page.fill(".bg-handout-notes textarea", "Co-pay $20 today and $15 later")
    page.fill(".bg-handout-clinic textarea", "Riverside Physiotherapy\nTel 01234 567890")
    page.locator(".bg-handout-times select").select_option(label="twice a day")
    page.click(".bg-make-handout")
    link = page.locator(".bg-download a").first
    expect(link).to_be_visible(timeout=60_000)
    with page.expect_download() as download:
        link.click()
    filename = download.value.suggested_filename
    assert filename.endswith(".pdf") and "/" not in filename and ".." not in filename
    pdf = download.value.path()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          check=True).stdout.decode()
    flat = re.sub(r"\s+", " ", text)
    for name, dose, *_ in TUESDAY:
        assert re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", flat), name
        assert dose in flat, dose
    assert "Fast walking" not in flat, "Monday's walk was not shown today"
    assert "Ada Featherstonehaugh" in flat and "Co-pay $20 today and $15 later" in flat
    # The clinic at the foot of every page; twice a day with every dose.
    pages = text.split("\f")[:-1]
    assert all("Riverside Physiotherapy \u00b7 Tel 01234 567890" in pg for pg in pages)
    in_order = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                       check=True).stdout.decode().split())
    for _, dose, *_ in TUESDAY:  # in reading order: the picture's labels are not between
        assert re.search(rf"{re.escape(dose)}: [^.]*?twice a day", in_order), dose
    shot("8_handout")
    after = sorted(p for p in work.rglob("*") if "handouts" in p.parts or p.suffix == ".pdf")
    assert after == before, "the handout travels in the page; nothing is written on the server"
    assert not (work.parent / "x.pdf").exists() and not (work / "x.pdf").exists()
    # Nothing leaves the machine: backguide's Voila template drops the lab template's
    # Font Awesome CDN link (the icons come with Voila's own bundle).
    assert page.outside == [], page.outside


def test_the_exercise_screen_uses_a_big_screen(browser, voila, shots):
    """At 1920x1080 the picture and timer sit beside the steps, all in view, and the
    full-screen button (and Esc) work."""
    page = open_present(browser, voila, BIG)
    page.click(".bg-safety-ok")
    page.locator(".bg-present-single select").select_option(label="Cobra")
    page.click(".bg-begin")
    expect(page.locator(".bg-present-name")).to_have_text("Cobra")
    # Its session is the exercise alone: the same minutes as the exercise.
    expect(page.locator(".bg-where")).to_have_text("Just this exercise (0.8 min)")
    expect(page.locator(".bg-dose-big")).to_have_text("3 reps, hold 10 s")
    expect(page.locator(".bg-cautions")).to_contain_text("Do not do cobra if partial cobra hurts.")
    steps = box_in_view(page, ".bg-ex-text")
    picture = box_in_view(page, ".bg-picture svg")
    timer = box_in_view(page, ".bg-timer-box")
    assert picture["x"] >= steps["x"] + steps["width"] - 1, "picture beside the steps"
    assert timer["x"] >= steps["x"] + steps["width"] - 1, "timer beside the steps"
    assert picture["width"] >= 900, "the picture is drawn large on a big screen"
    # Read from 3 m: the print grows with the screen.
    assert px(page, ".bg-steps li") >= 32 and px(page, ".bg-dose-big") >= 40
    assert px(page, ".bg-countdown") >= 120 and px(page, ".bg-present-name") >= 48
    # The lower third is used: the picture and the timer reach into it.
    assert timer["y"] + timer["height"] > BIG["height"] * 2 / 3
    page.screenshot(path=shots / "big_exercise.png")
    page.click(".bg-timer-full")
    page.wait_for_function("document.fullscreenElement !== null", timeout=5000)
    page.keyboard.press("Escape")
    page.wait_for_function("document.fullscreenElement === null", timeout=5000)
    # The movement plays on demand, in place of the picture, without another click.
    page.click(".bg-play")
    movement = page.locator(".bg-movement .bg-animation").first
    expect(movement).to_be_visible(timeout=30_000)
    expect(page.locator(".bg-picture")).to_be_hidden()
    shown = """() => [...document.querySelectorAll('.bg-movement .bg-f')]
        .findIndex(g => getComputedStyle(g).visibility === 'visible')"""
    first = page.evaluate(shown)
    page.wait_for_timeout(700)
    assert first >= 0 and page.evaluate(shown) != first, "the movement plays by itself"
    box_in_view(page, ".bg-timer .bg-countdown")
    page.screenshot(path=shots / "big_movement.png")


# --- every exercise of the starter plans fits the screen -------------------------------------


def days_showing_every_dose() -> list[tuple[str, str]]:
    """Starter plan days that between them show every exercise of the starter plans at
    every dose they give it (fewest days first found, greedily)."""
    days: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for name in bg.starter_plans():
        for day in week_content(bg.load_starter(name)).days:
            for x in day.entries:
                days.setdefault((name, day.day), set()).add((x.exercise, x.dose))
    left = set().union(*days.values())
    chosen = []
    while left:
        best = max(sorted(days), key=lambda d: len(days[d] & left))
        chosen.append(best)
        left -= days[best]
    return chosen


def assert_the_exercise_fits(page: Page) -> None:
    """Name, dose, picture, every step, the timer and the buttons on, without scrolling."""
    expect(page.locator(".bg-timer .bg-countdown")).to_have_text(re.compile(r"\d+:\d\d"))
    page.wait_for_timeout(150)  # the picture and the timer laid out
    for css in (".bg-present-name", ".bg-dose-big", ".bg-picture svg", ".bg-timer-box",
                "button.bg-next", "button.bg-prev"):
        box_in_view(page, css)
    for k in range(page.locator(".bg-steps li").count()):
        box_in_view(page, f".bg-steps li >> nth={k}")
    assert page.evaluate("document.scrollingElement.scrollHeight <= innerHeight + 1"), \
        "the page scrolls"


@pytest.mark.parametrize("size", ["laptop", "big"])
def test_every_exercise_of_the_starters_fits_the_screen(browser, voila, shots, size):
    viewport = {"laptop": LAPTOP, "big": BIG}[size]
    page = open_present(browser, voila, viewport)
    shown: set[tuple[str, str]] = set()
    for plan, day in days_showing_every_dose():
        starter = bg.load_starter(plan)
        page.click(".bg-safety-ok")
        page.wait_for_selector(".bg-present-plan select option", state="attached")
        page.locator(".bg-present-plan select").select_option(label=f"Starter: {starter.name}")
        page.locator(".bg-present-day select").select_option(day)
        expect(page.locator(".bg-present-preview")).to_contain_text(f"{day}: ")
        page.click(".bg-begin")
        entries = week_content(starter.day(day)).entries
        fullest = 0.0
        for i, x in enumerate(entries):
            expect(page.locator(".bg-where")).to_contain_text(
                f"Exercise {i + 1} of {len(entries)} \u00b7 {day}")
            expect(page.locator(".bg-present-name")).to_have_text(x.name)
            expect(page.locator(".bg-dose-big")).to_have_text(x.dose)
            assert_the_exercise_fits(page)
            if size == "big":
                assert px(page, ".bg-steps li") >= 32 and px(page, ".bg-dose-big") >= 40
                assert px(page, ".bg-countdown") >= 120
            else:
                assert px(page, ".bg-steps li") >= 20 and px(page, ".bg-countdown") >= 60
            low = page.evaluate("""() => Math.max(...[...document.querySelectorAll(
                '.bg-ex-left .widget-html-content > *, .bg-ex-right > *')]
                .map(e => e.getBoundingClientRect().bottom))""")
            if low > fullest:  # the day's fullest screen, to look at
                fullest = low
                page.screenshot(path=shots / f"fits_{size}_{plan}_{day.lower()}.png")
            shown.add((x.exercise, x.dose))
            page.click("button.bg-next")
        expect(page.locator(".bg-summary")).to_contain_text("Session finished")
        page.click(".bg-again")
    every = {(x.exercise, x.dose) for name in bg.starter_plans()
             for x in week_content(bg.load_starter(name)).entries}
    assert shown == every


# --- in JupyterLab: the presenter's keys only while it is in view ---------------------------


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on a copy of the notebooks, with another notebook beside 04_present."""
    work = tmp_path_factory.mktemp("present-lab")
    root = copy_notebooks(ROOT / "notebooks", work / "notebooks")
    present = json.loads((root / "04_present.ipynb").read_text(encoding="utf-8"))
    other = {"cells": [{"cell_type": "code", "execution_count": None, "id": f"c{k}",
                        "metadata": {}, "outputs": [], "source": [src]}
                       for k, src in enumerate(["1 + 1", "2 + 2"])],
             "metadata": present["metadata"], "nbformat": 4, "nbformat_minor": 5}
    (root / "other.ipynb").write_text(json.dumps(other), encoding="utf-8")
    srv = Server("lab", root, work).start()
    yield srv
    srv.stop()


def test_in_jupyterlab_another_notebooks_keys_are_its_own(browser, lab, shots):
    """With a session going in 04_present, M in a cell of another notebook makes that
    cell Markdown and the presenter stays as it was (sound on, not started); back on
    04_present, its keys are the presenter's again, but not while typing in a cell."""
    page = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
    shot = lambda step: page.screenshot(path=shots / f"lab_{step}.png")  # noqa: E731
    page.goto(lab.url("04_present.ipynb"), timeout=WAIT)
    page.wait_for_selector(".jp-StatusBar-TextItem:has-text('| Idle')", timeout=WAIT)
    page.click(".lm-MenuBar-itemLabel:text-is('Run')")
    page.click(".lm-Menu-item[data-command='runmenu:run-all']")
    page.wait_for_selector(".bg-present .bg-safety-ok", timeout=WAIT)
    page.click(".bg-safety-ok")
    page.locator(".bg-present-single select").select_option(label="Cobra")
    page.click(".bg-begin")
    mute, start = page.locator(".bg-timer-mute"), page.locator(".bg-timer-start")
    counter = page.locator(".bg-timer .bg-counter")
    expect(mute).to_have_text("Sound: on")
    expect(counter).to_contain_text("part 1 of 8")
    shot("1_presenter")

    # The other notebook, in a tab of its own: a code cell selected (command mode).
    page.locator(".jp-DirListing-itemName:has-text('other.ipynb')").dblclick()
    other = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)", has_text="2 + 2")
    cell = other.locator(".jp-Cell").first
    expect(cell).to_be_visible(timeout=WAIT)
    expect(page.locator(".bg-present")).to_be_hidden()
    other.locator(".jp-Cell .jp-InputPrompt").first.click()
    page.keyboard.press("Escape")
    assert page.evaluate("""() => !!document.activeElement.closest('.jp-NotebookPanel')
        && !document.activeElement.closest('.jp-NotebookPanel').querySelector('.bg-present')""")
    page.keyboard.press("m")
    expect(cell).to_have_class(re.compile(r"\bjp-MarkdownCell\b"))  # JupyterLab had the M
    for key in ("Space", "PageDown", "ArrowRight", "End"):
        page.keyboard.press(key)
    shot("2_other_notebook_markdown")

    # Back on 04_present: the presenter is as it was.
    page.locator(".lm-TabBar-tab:has-text('04_present')").click()
    expect(page.locator(".bg-present-name")).to_have_text("Cobra")
    expect(mute).to_have_text("Sound: on")
    expect(start).to_have_text("Start")
    expect(counter).to_contain_text("part 1 of 8")
    assert page.locator(".jp-CodeCell .bg-present").count() == 1
    shot("3_back_unchanged")

    # In view, its keys work: M mutes (its own cell stays code), Space starts and pauses.
    page.click(".bg-present-name")
    page.keyboard.press("m")
    expect(mute).to_have_text("Sound: off")
    page.keyboard.press("Space")
    expect(start).to_have_text("Pause")
    page.keyboard.press("Space")
    expect(start).to_have_text("Resume")
    assert page.locator(".jp-CodeCell .bg-present").count() == 1
    # Typing in a cell's editor is typing: the M goes into the code.
    editor = page.locator(".jp-CodeCell .cm-content").first
    before = editor.inner_text()
    editor.click()
    page.keyboard.press("End")
    page.keyboard.type(" m")
    expect(mute).to_have_text("Sound: off")
    expect(editor).not_to_have_text(before)
    assert editor.inner_text().replace(" m", "", 1) == before, "the M went into the code"
    shot("4_keys_in_view")
    page.context.close()
