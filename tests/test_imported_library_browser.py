"""An imported library in the browser (#22): the explorer, the week planner and the presenter.

free-exercise-db's sample (36 exercises) is imported into a folder, and the
notebooks are served by Voila with ``BACKGUIDE_LIBRARY`` naming it, so every
notebook's library is the shipped exercises with the imported ones added.
A person then:

* finds every exercise listed in the explorer, a page of 50 rows at a time
  (the Next button reached and pressed with the keyboard), narrows them by
  clearing "barbell", and opens an imported exercise's card;
* opens the week planner, which offers only starter plans whose exercises
  the library has, and imported exercises to add;
* opens the presenter and begins on one imported exercise alone ("Or just").

The numbers expected are worked out here from the sample's JSON and the shipped
tables.  Screenshots go to ``artifacts/imported/``.
"""

from __future__ import annotations

import json
import os

import pytest
from playwright.sync_api import Page, expect

import backguide as bg
from backguide.importing import import_library
from backguide.library import LIBRARY_SETTING
from conftest import ARTIFACTS, ROOT
from servers import Server, copy_notebooks, offline_context
from test_accessibility import serious_violations

WAIT = 120_000
LAPTOP = {"width": 1366, "height": 768}
SAMPLE = ROOT / "tests" / "samples" / "free-exercise-db-sample.json"
RECORDS = json.loads(SAMPLE.read_text(encoding="utf-8"))
SHIPPED = bg.shipped_library().exercises
#: An imported exercise whose name no other exercise has.
CAT = "Cat Stretch"


class LibraryServer(Server):
    """Voila with ``BACKGUIDE_LIBRARY`` set to a library folder (the environment a
    server starts with is this process's, read at :meth:`start`)."""

    def __init__(self, *args, library, **kwargs):
        super().__init__(*args, **kwargs)
        self.library = library

    def start(self, timeout: float = 120) -> Server:
        before = os.environ.get(LIBRARY_SETTING)
        os.environ[LIBRARY_SETTING] = str(self.library)
        try:
            return super().start(timeout)
        finally:
            if before is None:
                del os.environ[LIBRARY_SETTING]
            else:
                os.environ[LIBRARY_SETTING] = before


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    to = tmp_path_factory.mktemp("imported") / "library"
    import_library(SAMPLE, to=to)
    return to


@pytest.fixture(scope="module")
def voila(tmp_path_factory, folder):
    work = tmp_path_factory.mktemp("imported-voila")
    root = copy_notebooks(ROOT / "notebooks", work / "notebooks")
    srv = LibraryServer("voila", root, work, library=folder).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def shots():
    out = ARTIFACTS / "imported"
    out.mkdir(parents=True, exist_ok=True)
    return out


def open_page(browser, voila: Server, notebook: str, ready: str) -> Page:
    context = offline_context(browser, LAPTOP)
    page = context.new_page()
    page.outside = context.outside
    page.goto(voila.url(notebook), timeout=WAIT)
    page.wait_for_selector(ready, timeout=WAIT)
    page.wait_for_timeout(500)
    body = page.inner_text("body")
    assert "Traceback" not in body
    assert page.locator(".jupyter-widgets-error-widget").count() == 0
    return page


def options(page: Page, css: str) -> list[str]:
    """A menu's options as read (ipywidgets keeps their spaces with no-break spaces)."""
    page.wait_for_selector(f"{css} option", state="attached", timeout=WAIT)
    return [o.replace("\xa0", " ") for o in page.locator(f"{css} option").all_inner_texts()]


def row_names(page: Page) -> list[str]:
    return page.locator(".bg-results .bg-result-row th").all_inner_texts()


#: Two exercises of one name each say their source (the shipped one's is myspine).
SHARED = {("shipped", "Superman"): "Superman (from Exercises To Help Relieve Back Pain)",
          ("shipped", "Child's pose"): "Child's pose (from Exercises To Help Relieve Back Pain)",
          ("imported", "Superman"): "Superman (from free-exercise-db)",
          ("imported", "Child's Pose"): "Child's Pose (from free-exercise-db)"}


def listed(names, where: str) -> list[str]:
    """Names as the lists show them."""
    return [SHARED.get((where, n), n) for n in names]


def test_the_explorer_lists_pages_narrows_and_opens_imported_exercises(browser, voila, shots):
    total = len(SHIPPED) + len(RECORDS)  # 39 + 36: the import adds, it replaces nothing
    everyone = sorted([*listed(SHIPPED["name"], "shipped"),
                       *listed((r["name"] for r in RECORDS), "imported")])
    page = open_page(browser, voila, "01_explore.ipynb", ".bg-results table")
    count = page.locator(".bg-count").first
    expect(count).to_have_text(f"{total} of {total} exercises match")

    # The first page of 50, and a pager that says where it is.
    status = page.locator(".bg-pager-status").first
    expect(status).to_have_text(f"Rows 1 to 50 of {total}")
    first = row_names(page)
    assert len(first) == 50
    previous, following = page.locator(".bg-page-previous").first, page.locator(".bg-page-next")
    expect(previous).to_have_attribute("aria-disabled", "true")
    expect(previous).to_have_text("Previous")
    expect(following).to_have_text(f"Next {total - 50}")
    expect(page.locator(".bg-pager").first).to_have_attribute(
        "aria-label", "Pages of exercises that match")
    page.screenshot(path=shots / "1_explorer_page_1.png", full_page=True)

    # The next page, with the keyboard: Tab from "Previous" to "Next", then Enter.
    previous.focus()
    page.keyboard.press("Tab")
    expect(following).to_be_focused()
    page.keyboard.press("Enter")
    expect(status).to_have_text(f"Rows 51 to {total} of {total}")
    expect(following).to_be_focused()
    expect(following).to_have_attribute("aria-disabled", "true")
    expect(following).to_have_text("Next")
    expect(previous).to_have_text("Previous 50")
    second = row_names(page)
    assert sorted(first + second) == everyone, "every exercise, once, over the two pages"
    assert serious_violations(page) == [], "the pager passes axe (WCAG 2.1 AA)"
    page.screenshot(path=shots / "2_explorer_page_2.png", full_page=True)

    # An imported exercise's row opens its card.
    assert CAT in second
    page.locator(".bg-results .bg-result-row", has_text=CAT).click()
    card = page.locator(".bg-detail").first
    expect(card).to_contain_text(CAT)
    expect(card).to_contain_text("Starting dose: ask your clinician")
    expect(card).to_contain_text("free-exercise-db contributors")
    # Its position is not in the source: the row says so, as the card does.
    chosen = page.locator(".bg-result-chosen").first
    expect(chosen).to_have_attribute("data-id", "cat_stretch")
    assert chosen.locator("th, td").all_inner_texts()[:3] == [CAT, "stretch", "not given"]
    expect(card).to_contain_text("position not given")
    page.screenshot(path=shots / "3_explorer_card.png", full_page=True)

    # "I have" less a barbell: its exercises go, and the rest fit in two pages still.
    barbell = [r["name"] for r in RECORDS if r.get("equipment") == "barbell"]
    assert barbell, "the sample has barbell exercises"
    page.locator(".bg-equipment-barbell input").first.click()
    narrowed = total - len(barbell)
    expect(count).to_have_text(f"{narrowed} of {total} exercises match")
    expect(status).to_have_text(f"Rows 1 to 50 of {narrowed}")  # a new search, from the top
    shown = row_names(page)
    if narrowed > 50:
        page.locator(".bg-page-next").first.click()
        expect(status).to_have_text(f"Rows 51 to {narrowed} of {narrowed}")
        shown += row_names(page)
    assert len(shown) == narrowed
    assert not set(barbell) & set(shown)

    # Back to the first page; choosing a second-page exercise from "Details for" shows its row.
    page.locator(".bg-page-previous").first.click()
    expect(status).to_have_text(f"Rows 1 to 50 of {narrowed}")
    last = next(n for n in reversed(shown) if shown.count(n) == 1)
    page.locator(".bg-pick select").first.select_option(label=last)
    expect(status).to_have_text(f"Rows 51 to {narrowed} of {narrowed}")
    expect(page.locator(".bg-result-chosen").first.locator("th")).to_have_text(last)
    page.screenshot(path=shots / "4_explorer_no_barbell.png", full_page=True)
    assert page.outside == [], "nothing is asked of another machine"


def test_the_week_planner_offers_the_starters_it_can_show(browser, voila, folder, shots):
    lib = bg.load_library(folder)
    # Worked out from the shipped starter plans: those whose every exercise the library has.
    showable = [bg.load_starter(n).name for n in bg.starter_plans()
                if set(bg.load_starter(n).entries["exercise"]) <= set(lib.exercises.index)]
    page = open_page(browser, voila, "03_plan_week.ipynb", ".bg-starter select")
    offered = options(page, ".bg-starter select")
    assert offered == showable
    exercises = options(page, ".bg-exercise select")
    assert CAT in exercises, "imported exercises can be added to a week"
    page.locator(".bg-starter select").first.select_option(label=showable[0])
    page.locator("button.bg-start").first.click()
    expect(page.locator(".bg-status").first).to_contain_text(
        f"Started from the starter plan {showable[0]}")
    page.screenshot(path=shots / "5_planner.png", full_page=True)
    assert page.outside == []


def test_the_presenter_begins_on_an_imported_exercise_alone(browser, voila, shots):
    page = open_page(browser, voila, "04_present.ipynb", ".bg-present .bg-safety-ok")
    page.click(".bg-safety-ok")
    single = page.locator(".bg-present-single select")
    names = options(page, ".bg-present-single select")
    assert set(listed((r["name"] for r in RECORDS), "imported")) <= set(names), \
        "every imported exercise is offered"
    single.select_option(label=CAT)
    page.screenshot(path=shots / "6_presenter_choose.png", full_page=True)
    page.click(".bg-begin")
    expect(page.locator(".bg-present-name")).to_have_text(CAT)
    page.screenshot(path=shots / "7_presenter_exercise.png", full_page=True)
    assert page.outside == []
