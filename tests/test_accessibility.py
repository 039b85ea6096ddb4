"""Every page, as anyone meets it: axe-core (WCAG 2.1 A and AA) finds no serious or
critical violation, nothing is asked of a machine other than this one, and the page's
title is one a person understands.

axe-core comes from the npm registry: ``python3 dev.py test`` installs it into
``.axe/`` and says where (``BACKGUIDE_AXE``).  Without it these tests fail and say
why; they never skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page

from conftest import ROOT
from servers import Server, copy_notebooks, offline_context

WAIT = 120_000
SERIOUS = {"serious", "critical"}
TITLES = {
    "01_explore.ipynb": "Explore exercises for a sore back \u00b7 backguide",
    "02_build_routine.ipynb": "Build a routine \u00b7 backguide",
    "03_plan_week.ipynb": "Plan your week \u00b7 backguide",
    "04_present.ipynb": "Show a routine to a patient \u00b7 backguide",
    "05_check_in.ipynb": "Check in \u00b7 backguide",
    "06_caseload.ipynb": "Caseload \u00b7 backguide",
}


def axe_path() -> Path:
    path = Path(os.environ.get("BACKGUIDE_AXE")
                or ROOT / ".axe" / "node_modules" / "axe-core" / "axe.min.js")
    if not path.is_file():
        pytest.fail(f"axe-core is not at {path}. Run the tests with `python3 dev.py test`, "
                    "which installs it from the npm registry, or set BACKGUIDE_AXE.")
    return path


@pytest.fixture(scope="module")
def voila(tmp_path_factory):
    work = tmp_path_factory.mktemp("a11y")
    srv = Server("voila", copy_notebooks(ROOT / "notebooks", work / "notebooks"), work).start()
    yield srv
    srv.stop()


def open_offline(browser, voila: Server, notebook: str) -> tuple[Page, list[str]]:
    context = offline_context(browser, {"width": 1366, "height": 768})
    outside = context.outside
    page = context.new_page()
    page.goto(voila.url(notebook), timeout=WAIT)
    page.wait_for_selector(".bg-view, .bg-present", timeout=WAIT)
    page.wait_for_timeout(800)
    return page, outside


def serious_violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(axe_path()))
    found = page.evaluate("""async () => (await axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations""")
    return [f"{v['impact']} {v['id']}: {v['help']} at "
            f"{[n['target'] for n in v['nodes'][:3]]}"
            for v in found if v["impact"] in SERIOUS]


@pytest.mark.parametrize("notebook", sorted(TITLES))
def test_every_page_is_accessible_offline_and_titled(browser, voila, notebook):
    page, outside = open_offline(browser, voila, notebook)
    assert page.title() == TITLES[notebook]
    assert serious_violations(page) == []
    assert outside == [], "nothing is asked of another machine"


def test_the_explorer_with_a_search_and_a_card_open(browser, voila):
    page, outside = open_offline(browser, voila, "01_explore.ipynb")
    box = page.locator(".bg-search input").first
    box.fill("I can't get down to the floor")
    box.press("Enter")
    page.locator(".bg-chip").first.wait_for(timeout=WAIT)
    page.locator(".bg-result-row").nth(2).click()
    page.wait_for_timeout(500)
    assert serious_violations(page) == []
    assert outside == []


def test_the_presenter_on_an_exercise(browser, voila):
    page, outside = open_offline(browser, voila, "04_present.ipynb")
    page.click(".bg-safety-ok")
    page.click(".bg-begin")
    page.locator(".bg-present-name").first.wait_for(timeout=WAIT)
    page.wait_for_timeout(500)
    assert serious_violations(page) == []
    assert outside == []
