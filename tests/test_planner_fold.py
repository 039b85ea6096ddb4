"""The week planner's effect panel never hides the controls or the board (Voila, Chromium).

The panel (the guidance headline, the charts and the checklist) is a drawer at the
window's foot.  At 1366x768 it once stood 395 px tall from the start: a new person saw
a chart under "Plan name" and no way to add anything, and an open editor ran under it.
Here a person opens the planner, builds a week and edits an entry, and at each step
what they need is looked at where it is drawn: it must be inside the window and be
what the browser finds at its centre and near its foot (``document.elementFromPoint``),
not the panel over it.  Screenshots go to ``artifacts/journeys/``.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

import backguide as bg
from backguide.measures import met_count
from backguide.schema import DAYS
from test_journeys import BIG, LAPTOP, open_page, shots, voila  # noqa: F401 (fixtures)

#: What a person needs to add to the week: the exercise, day and session menus, the button.
ADD = (".bg-exercise select", ".bg-day-pick select", ".bg-session-pick select",
       "button.bg-add-day")
HEADLINE = ".bg-effect .bg-met-count"

#: "" if the element is drawn wholly inside the window and is what the browser finds at
#: its centre and 2 px above its foot; else what is wrong.
UNCOVERED = """el => {
  const r = el.getBoundingClientRect();
  if (!r.width || !r.height) return 'not drawn';
  if (r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth)
    return `out of the ${innerWidth}x${innerHeight} window at top ${r.top}, bottom ${r.bottom}`;
  const x = (r.left + r.right) / 2;
  for (const y of [(r.top + r.bottom) / 2, r.bottom - 2]) {
    const hit = document.elementFromPoint(x, y);
    if (!hit || !(hit === el || el.contains(hit)))
      return `covered at y=${Math.round(y)} by ` + (hit && hit.closest('.bg-effect')
        ? 'the effect panel' : (hit ? hit.tagName + '.' + hit.className : 'nothing'));
  }
  return '';
}"""


def covered(page: Page, css: str) -> list[str]:
    """What is wrong with each element ``css`` finds, as a person would see it."""
    found = page.locator(css)
    assert found.count(), f"{css} is not on the page"
    return [f"{css} #{i}: {why}" for i in range(found.count())
            if (why := found.nth(i).evaluate(UNCOVERED))]


def first_lines(built: bool) -> list[str]:
    """Each day's first line: its heading and, on a built week, its first session and entry."""
    days = [f".bg-day-{day.lower()}" for day in DAYS]
    heads = [f"{d} h4" for d in days]
    if not built:
        return heads
    return heads + [f"{d} .bg-session-head >> nth=0" for d in days] + \
        [f"{d} .bg-entry-text >> nth=0" for d in days]


def start_core_stability(page: Page) -> bg.Plan:
    page.locator(".bg-starter select").first.select_option(label="Core stability")
    page.locator("button.bg-start").first.click()
    expect(page.locator(".bg-status").first).to_contain_text("Core stability")
    page.wait_for_timeout(300)
    return bg.load_starter("core_stability")


def headline_of(plan: bg.Plan) -> str:
    met, total = met_count(bg.check_guidance(plan))
    return f"Guidance: {met} of {total} met"


@pytest.mark.parametrize("viewport", [LAPTOP, BIG], ids=["1366", "1920"])
def test_on_opening_the_add_controls_every_day_and_the_headline_are_in_view(
        browser, voila, shots, viewport):
    page = open_page(browser, voila, "03_plan_week.ipynb", viewport)
    expect(page.locator(HEADLINE).first).to_have_text(
        "Nothing planned yet: add an exercise to a day to see which guidance your week "
        "meets.")
    page.screenshot(path=shots / f"fold_open_{viewport['width']}.png")
    wrong = [w for css in (*ADD, *first_lines(built=False), f"{HEADLINE} >> nth=0")
             for w in covered(page, css)]
    assert wrong == []


@pytest.mark.parametrize("viewport", [LAPTOP, BIG], ids=["1366", "1920"])
def test_a_built_week_shows_its_first_lines_and_charts_open_when_asked(
        browser, voila, shots, viewport):
    page = open_page(browser, voila, "03_plan_week.ipynb", viewport)
    plan = start_core_stability(page)
    expect(page.locator(HEADLINE).first).to_have_text(headline_of(plan))
    # The first line not met is said beside the headline.
    expect(page.locator(".bg-effect-todo").first).to_contain_text("not yet")
    page.screenshot(path=shots / f"fold_week_{viewport['width']}.png")
    wrong = [w for css in (*ADD, *first_lines(built=True), f"{HEADLINE} >> nth=0",
                           "button.bg-effect-toggle") for w in covered(page, css)]
    assert wrong == []
    chart = page.locator(".bg-effect .bg-chart-0 svg").first
    height = viewport["height"]
    assert chart.bounding_box()["y"] >= height - 12, "folded, the chart is below the foot"
    # Asked for, the chart and the headline are in view together; asked away, folded.
    page.locator("button.bg-effect-toggle").first.click()
    expect(page.locator("button.bg-effect-toggle").first).to_have_text("Hide charts")
    page.wait_for_timeout(300)
    page.screenshot(path=shots / f"fold_shown_{viewport['width']}.png")
    assert covered(page, ".bg-effect .bg-chart-0 svg >> nth=0") == []
    assert covered(page, f"{HEADLINE} >> nth=0") == []
    page.locator("button.bg-effect-toggle").first.click()
    expect(page.locator("button.bg-effect-toggle").first).to_have_text("Show charts")
    page.wait_for_timeout(300)
    assert chart.bounding_box()["y"] >= height - 12
    assert [w for css in ADD for w in covered(page, css)] == []


def test_an_entry_being_edited_is_never_under_the_panel(browser, voila, shots):
    """The tallest chart (the muscles') kept in view, and the last entry of the longest
    day opened: every box and button of its editor is clear of the panel."""
    page = open_page(browser, voila, "03_plan_week.ipynb", LAPTOP)
    plan = start_core_stability(page)
    page.locator("button.bg-effect-toggle").first.click()
    page.locator(".bg-effect .lm-TabBar-tab", has_text="Muscles").click()
    expect(page.locator(".bg-effect .bg-chart-2 svg")).to_have_count(1)
    wednesday = page.locator(".bg-day-wednesday").first
    last = len(plan.day("Wednesday")) - 1
    wednesday.locator("button.bg-entry-edit").nth(last).click()
    editor = wednesday.locator(".bg-entry-editor").first
    expect(editor.locator("input").first).to_be_focused()
    page.wait_for_timeout(500)
    page.screenshot(path=shots / "fold_editing_1366.png")
    parts = [".bg-day-wednesday .bg-editing .bg-entry-text",
             *(f".bg-day-wednesday .bg-entry-editor {c}"
               for c in ("input", "select", "button.bg-entry-move", "button.bg-entry-copy",
                         "button.bg-entry-done"))]
    assert [w for css in parts for w in covered(page, css)] == []
    # The change's effect is in view with it: the headline, and the chart's top.
    assert covered(page, f"{HEADLINE} >> nth=0") == []
    top = page.locator(".bg-effect .bg-chart-2 svg").first.bounding_box()["y"]
    assert 0 <= top <= LAPTOP["height"] - 200, f"the muscles' chart starts at {top}"
