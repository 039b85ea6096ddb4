"""Two people's journeys, in Voila at 1366x768, as they would go through them.

* Someone who cannot get down to the floor, with lower back pain and ten
  minutes: finds seated exercises, makes a ten-minute routine, edits a dose
  and saves it (``02_build_routine``).
* Someone planning a week: starts from a starter plan, edits a dose on the
  board, moves an entry to another day, copies a day, saves under a name
  that would collide, is asked, and reloads (``03_plan_week``).

Each step asserts what the page shows against the core's own numbers, worked
out here on a Plan that had the same edits, and saves a screenshot to
``artifacts/journeys/``.  The pages are also opened at 1920x1080.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

import backguide as bg
from decimal import ROUND_HALF_UP, Decimal
from backguide.measures import met_count
from backguide.schema import DAYS
from backguide.store import PlanStore
from conftest import ARTIFACTS, ROOT
from servers import Server, copy_notebooks

WAIT = 120_000
LAPTOP = {"width": 1366, "height": 768}
BIG = {"width": 1920, "height": 1080}
ERRORS = ".jupyter-widgets-error-widget"


@pytest.fixture(scope="module")
def shots():
    folder = ARTIFACTS / "journeys"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def voila(tmp_path_factory):
    work = tmp_path_factory.mktemp("journeys")
    root = copy_notebooks(ROOT / "notebooks", work / "notebooks")
    srv = Server("voila", root, work).start()
    yield srv
    srv.stop()


def open_page(browser, voila: Server, notebook: str, viewport=LAPTOP) -> Page:
    page = browser.new_context(viewport=viewport).new_page()
    page.goto(voila.url(notebook), timeout=WAIT)
    page.wait_for_selector(".bg-view", timeout=WAIT)
    page.wait_for_timeout(500)
    assert page.locator(ERRORS).count() == 0
    body = page.inner_text("body")
    assert "Traceback" not in body
    for developer_words in ("dev.py", "Run All", "run all cells", "JupyterLab"):
        assert developer_words not in body, f"Voila shows {developer_words!r}"
    return page


def in_view(page: Page, css: str) -> bool:
    """Whether the element is wholly inside the viewport, as the page stands."""
    box = page.locator(css).first.bounding_box()
    size = page.viewport_size
    return bool(box) and box["y"] >= 0 and box["y"] + box["height"] <= size["height"] \
        and box["x"] >= 0 and box["x"] + box["width"] <= size["width"]


def tenths(seconds: float) -> Decimal:
    """Seconds as minutes shown to a person: to 0.1, a half rounded up (worked out here)."""
    return Decimal(f"{seconds / 60:.9f}").quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def shown_sum(entries) -> str:
    """The minutes a total shows: the sum of its entries' minutes as each is shown, each
    timed by the dose rule (estimate_seconds), without a trailing .0."""
    total = sum((tenths(bg.estimate_seconds(r.sets, r.reps, r.hold_s, r.rest_s, r.per_side,
                                            r.minutes))
                 for r in entries.itertuples()), Decimal(0))
    return f"{total:f}".removesuffix(".0")


def minutes_said(text: str) -> float:
    return float(re.search(r"about ([\d.]+) minutes", text).group(1))


# --- someone who cannot get to the floor ------------------------------------------------


def test_a_person_who_cannot_get_to_the_floor_makes_a_ten_minute_routine(browser, voila, shots):
    lib = bg.shipped_library()
    page = open_page(browser, voila, "02_build_routine.ipynb")
    shot = lambda step: page.screenshot(path=shots / f"chair_{step}.png")  # noqa: E731
    shot("1_opened")
    for css in (".bg-muscle", ".bg-access-floor", ".bg-search", "button.bg-make-routine"):
        assert in_view(page, css), f"{css} is below the fold at 1366x768"

    # Lower back, and not the floor.
    page.locator(".bg-muscle select").first.select_option(label="Lower back")
    page.locator(".bg-access-floor input").first.click()
    count = page.locator(".bg-count").first
    expected = bg.filter_exercises(muscle="lower back", access=["chair", "standing", "water"])
    expect(count).to_contain_text(f"{len(expected)} of {len(lib.exercises)}")
    rows = page.locator(".bg-results tr").all_inner_texts()[1:]
    positions = [r.split("\t")[2] for r in rows]
    assert "seated" in positions, "seated exercises are found"
    assert not set(positions) & {"lying on back", "lying face down", "all fours", "kneeling"}
    shot("2_seated")

    # A word outside the guide points to the safety advice instead of showing nothing.
    search = page.locator(".bg-search input").first
    search.fill("sciatica")
    search.press("Enter")
    advice = page.locator(".bg-search-advice").first
    expect(advice).to_contain_text("sciatica")
    expect(advice).to_contain_text("warning signs")
    shot("3_sciatica")
    search.fill("")
    search.press("Enter")
    expect(count).to_contain_text(f"{len(expected)} of {len(lib.exercises)}")

    # A routine of about ten minutes from what is listed.
    page.locator(".bg-target-minutes input").first.fill("10")
    page.locator("button.bg-make-routine").first.click()
    time = page.locator(".bg-session-time").first
    expect(time).not_to_contain_text("0 exercises")
    made = minutes_said(time.inner_text())
    assert 8.5 <= made <= 11.5, f"a ten-minute routine came out at {made} minutes"
    labels = page.locator(".bg-entry-label").all_inner_texts()
    names = [re.sub(r"( each side)? \([\d.]+\s+min\)$", "", t.strip()) for t in labels]
    listed = set(expected["name"])
    assert names and set(names) <= listed, "made from the exercises listed"
    shot("4_made")

    # Edit one dose: the time follows.
    reps = page.locator(".bg-entry .bg-dose-reps input").first
    old = float(reps.input_value())
    reps.fill(str(int(old) + 4))
    reps.press("Enter")
    expect(time).not_to_have_text(re.compile(rf"about {made} minutes"))
    shot("5_edited")

    # Save under a name of the person's own.
    name = page.locator(".bg-plan-name input").first
    name.fill("Ada's chair routine")
    page.locator("button.bg-save").first.click()
    expect(page.locator(".bg-save-status").first).to_contain_text("Saved")
    shot("6_saved")
    saved = bg.load_plan(PlanStore(voila.root / "saved_plans").path_for("Ada's chair routine"))
    assert saved.name == "Ada's chair routine"
    assert [lib.exercises.at[x, "name"] for x in saved.entries["exercise"]] == names
    assert int(old) + 4 in set(saved.entries["reps"])
    assert shown_sum(saved.entries) == re.search(r"about ([\d.]+) minutes",
                                                 time.inner_text()).group(1)


# --- someone planning a week ---------------------------------------------------------


def read_board(page: Page) -> dict[str, list[str]]:
    """Each day's session headings, as shown: ["Walk (20 min)", ...]."""
    return {day: [t.strip() for t in page.locator(
        f".bg-day-{day.lower()} .bg-session-head").all_inner_texts()] for day in DAYS}


def board_of(plan: bg.Plan) -> dict[str, list[str]]:
    """Each session's heading: its name and the sum of its exercises' minutes as shown."""
    e = plan.entries
    out = {}
    for day in DAYS:
        mine = e[e["day"] == day]
        out[day] = [f"{grp['session_name'].iloc[0]} ({shown_sum(grp)} min)"
                    for _, grp in mine.groupby("session", sort=True)]
    return out


def assert_shows(page: Page, plan: bg.Plan) -> None:
    """The board's minutes are the plan table's; one checklist line per check."""
    expect(page.locator(".bg-week-board").first).to_be_visible()
    want = board_of(plan)
    for _ in range(100):  # the board follows the status line within moments
        if read_board(page) == want:
            break
        page.wait_for_timeout(100)
    assert read_board(page) == want
    check = bg.check_guidance(plan)
    met, total = met_count(check)
    expect(page.locator(".bg-met-count").first).to_have_text(f"Guidance: {met} of {total} met")
    assert page.locator(".bg-checklist li").count() == len(check)
    entries = page.locator(".bg-week-board .bg-entry-text").count()
    assert entries == len(plan.entries)


def test_a_person_plans_a_week_edits_it_and_saves_without_losing_a_plan(browser, voila, shots):
    page = open_page(browser, voila, "03_plan_week.ipynb")
    shot = lambda step: page.screenshot(path=shots / f"week_{step}.png")  # noqa: E731
    shot("1_opened")
    status = page.locator(".bg-status").first

    page.locator(".bg-starter select").first.select_option(label="Gentle start")
    page.locator("button.bg-start").first.click()
    expect(status).to_contain_text("Started from the starter plan Gentle start")
    plan = bg.load_starter("gentle_start")
    assert_shows(page, plan)
    shot("2_starter")

    # Edit a dose on the board: Monday's first entry.
    monday = page.locator(".bg-day-monday").first
    monday.locator("button.bg-entry-edit").first.click()
    editor = monday.locator(".bg-entry-editor").first
    expect(editor).to_be_visible()
    first = plan.day("Monday").index[0]
    field = "minutes" if plan.entries.at[first, "minutes"] > 0 else "reps"
    box = editor.locator(f".bg-dose-{field} input").first
    box.fill("15")
    box.press("Enter")
    plan = plan.set_dose(int(first), **{field: 15})
    expect(status).to_contain_text("Changed the dose")
    assert_shows(page, plan)
    shot("3_dose_edited")
    editor.locator("button.bg-entry-done").click()

    # Move Wednesday's first entry to Saturday.
    wednesday = page.locator(".bg-day-wednesday").first
    wednesday.locator("button.bg-entry-edit").first.click()
    editor = wednesday.locator(".bg-entry-editor").first
    editor.locator(".bg-move-day select").select_option(label="Saturday")
    editor.locator("button.bg-entry-move").click()
    row = int(plan.day("Wednesday").index[0])
    moved = plan.entries.at[row, "exercise"]
    plan = plan.move(row, "Saturday", session_name=plan.entries.at[row, "session_name"])
    expect(status).to_contain_text("to Saturday")
    assert_shows(page, plan)
    expect(page.locator(".bg-day-saturday").first).to_contain_text(
        bg.shipped_library().exercises.at[moved, "name"])
    shot("4_moved")

    # Copy Monday to Sunday.
    page.locator(".bg-copy-from select").first.select_option(label="Monday")
    page.locator(".bg-copy-to select").first.select_option(label="Sunday")
    page.locator("button.bg-copy-day").first.click()
    plan = plan.copy_day("Monday", "Sunday")
    expect(status).to_contain_text("Copied Monday to Sunday")
    assert_shows(page, plan)
    shot("5_copied")

    # Save as Ada's week.
    name = page.locator(".bg-plan-name input").first
    name.fill("Ada's week")
    page.locator("button.bg-save").first.click()
    expect(status).to_contain_text("Saved \u201cAda's week\u201d")
    saved = voila.root / "saved_plans"
    first_file = PlanStore(saved).path_for("Ada's week")
    n_files = len(list(saved.glob("*.json")))
    kept = first_file.read_bytes()

    # Another plan under a name that collides: asked, and nothing is lost.
    page.locator(".bg-starter select").first.select_option(label="Core stability")
    page.locator("button.bg-start").first.click()
    expect(status).to_contain_text("Core stability")
    name.fill("ada's  WEEK")
    page.locator("button.bg-save").first.click()
    ask = page.locator(".bg-save-ask").first
    expect(ask).to_be_visible()
    expect(ask).to_contain_text("A different plan called \u201cAda's week\u201d is already saved")
    shot("6_asked")
    assert first_file.read_bytes() == kept
    page.locator("button.bg-save-cancel").first.click()
    expect(ask).to_be_hidden()
    assert first_file.read_bytes() == kept and len(list(saved.glob("*.json"))) == n_files

    # Reload Ada's week: the board is the plan as saved.
    pick = page.locator(".bg-saved select").first
    label = pick.locator("option", has_text="Ada's week").first.inner_text()
    assert re.match(r"Ada's week \u00b7 saved \d+ \w+ \d{4}, \d\d:\d\d", label.replace("\xa0", " "))
    pick.select_option(label=label)
    page.locator("button.bg-load").first.click()
    expect(status).to_contain_text("Loaded Ada's week")
    assert_shows(page, plan)
    assert json.loads(first_file.read_text())["name"] == "Ada's week"
    shot("7_reloaded")


# --- the pages at both sizes -----------------------------------------------------------


@pytest.mark.parametrize("viewport", [LAPTOP, BIG], ids=["1366", "1920"])
def test_the_planner_uses_the_space_with_readable_charts(browser, voila, shots, viewport):
    page = open_page(browser, voila, "03_plan_week.ipynb", viewport)
    page.locator(".bg-starter select").first.select_option(label="Gentle start")
    page.locator("button.bg-start").first.click()
    expect(page.locator(".bg-status").first).to_contain_text("Gentle start")
    page.locator(".bg-charts").first.scroll_into_view_if_needed()
    page.screenshot(path=shots / f"week_charts_{viewport['width']}.png")
    svg = page.locator(".bg-chart-0 svg").first
    shown = svg.bounding_box()["width"]
    nominal = float(svg.get_attribute("viewBox").split()[2])
    # Every text in the chart is at least 12 pt (tests/test_charts.py): at a scale of
    # at least 1 it is at least 12 px on screen.
    assert shown >= nominal, f"the chart is shrunk to {shown:.0f}px of {nominal:.0f}"
    if viewport is BIG:
        assert shown >= 0.45 * viewport["width"], "at 1920 the chart uses the width"
    board = page.locator(".bg-week-board").first.bounding_box()
    assert board["width"] >= 0.85 * (viewport["width"] - 40), "the board spans the page"


@pytest.mark.parametrize("viewport", [LAPTOP, BIG], ids=["1366", "1920"])
@pytest.mark.parametrize("notebook", ["01_explore.ipynb", "02_build_routine.ipynb"])
def test_the_explorer_pages_at_both_sizes(browser, voila, shots, viewport, notebook):
    page = open_page(browser, voila, notebook, viewport)
    page.screenshot(path=shots / f"{notebook[:2]}_{viewport['width']}.png")
    safety = page.locator(".bg-safety-note")
    assert safety.count() == 1, "the short safety note once"
    assert page.locator(".bg-red-flags").count() == (1 if notebook.startswith("01") else 0)
    assert in_view(page, ".bg-safety-note") and in_view(page, ".bg-search")
