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
    row = int(plan.day("Wednesday").index[0])
    moved, session = plan.entries.loc[row, ["exercise", "session_name"]]
    # Its own session's namesake on Saturday is chosen first: never the Walk.
    expect(editor.locator(".bg-move-session select option:checked")).to_have_text(session)
    editor.locator("button.bg-entry-move").click()
    plan = plan.move(row, "Saturday", session=int(
        plan.day("Saturday").query("session_name == @session")["session"].iloc[0]))
    expect(status).to_contain_text(f"to Saturday's {session}")
    assert_shows(page, plan)
    expect(page.locator(".bg-day-saturday").first).to_contain_text(
        bg.shipped_library().exercises.at[moved, "name"])
    shot("4_moved")

    # Copy Monday to Sunday.
    page.locator(".bg-copy-from select").first.select_option(label="Monday")
    page.locator(".bg-copy-to select").first.select_option(label="Sunday")
    page.locator("button.bg-copy-day").first.click()
    # Sunday has its own sessions: asked whether to replace them or add after them.
    ask = page.locator(".bg-ask-copy-day").first
    expect(ask).to_contain_text("Sunday already has")
    shot("5_copy_asked")
    ask.locator("button.bg-ask-add-day").click()
    plan = plan.copy_day("Monday", "Sunday")
    expect(status).to_contain_text("Copied Monday to Sunday")
    assert_shows(page, plan)
    shot("5_copied")

    # Save as Ada's week.
    name = page.locator(".bg-plan-name input").first
    name.fill("Ada's week")
    page.locator("button.bg-save").first.click()
    expect(status).to_contain_text("Saved \u201cAda's week\u201d")
    # Saved in the person's journal (the server's data folder), as one plan version.
    journal = bg.open_store(folder=voila.home)
    saved = journal.read("plans")
    assert saved["name"].tolist()[-1] == "Ada's week"
    assert (saved["name"] == "Ada's week").sum() == 1
    kept = journal.read("entries")

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
    page.locator("button.bg-save-cancel").first.click()
    expect(ask).to_be_hidden()
    assert journal.read("plans").equals(saved), "nothing was written"
    assert journal.read("entries").equals(kept), "nothing was written"

    # Reload Ada's week: the board is the plan as saved.
    pick = page.locator(".bg-saved select").first
    label = pick.locator("option", has_text="Ada's week").first.inner_text()
    # Saved with "Follow this plan" ticked, as it is by default: the check-in's plan.
    assert re.match(r"Ada's week \u00b7 saved \d+ \w+ \d{4} \u00b7 followed now$",
                    label.replace("\xa0", " "))
    pick.select_option(label=label)
    page.locator("button.bg-load").first.click()
    # Core stability is on the board as it started, with no edits: nothing to ask.
    expect(status).to_contain_text("Loaded Ada's week")
    assert_shows(page, plan)
    journal.close()
    shot("7_reloaded")


# --- the pages at both sizes -----------------------------------------------------------


def _box(page: Page, css: str) -> dict:
    box = page.locator(css).first.bounding_box()
    assert box, f"{css} is not shown"
    return box


@pytest.mark.parametrize("viewport", [LAPTOP, BIG], ids=["1366", "1920"])
def test_the_board_chart_and_headline_stay_in_view_while_editing(browser, voila, shots,
                                                                 viewport):
    """A change and its effect on one screen: after Edit and a dose typed with Enter, the
    entry's editor, the week's chart and the guidance headline are all in the window,
    the editor not under the chart, and the focus is in the box typed in."""
    page = open_page(browser, voila, "03_plan_week.ipynb", viewport)
    status = page.locator(".bg-status").first
    page.locator(".bg-starter select").first.select_option(label="Core stability")
    page.locator("button.bg-start").first.click()
    expect(status).to_contain_text("Core stability")
    plan = bg.load_starter("core_stability")
    friday = page.locator(".bg-day-friday").first
    n = 2  # Friday's third entry, down the board
    friday.locator("button.bg-entry-edit").nth(n).click()
    editor = friday.locator(".bg-entry-editor").first
    expect(editor).to_be_visible()
    # Focus went to the editor's first box, not to the page's body.
    expect(editor.locator("input").first).to_be_focused()
    row = int(plan.day("Friday").index[n])
    field = "minutes" if plan.entries.at[row, "minutes"] > 0 else "reps"
    box = editor.locator(f".bg-dose-{field} input")
    box.fill("8")
    box.press("Enter")
    plan = plan.set_dose(row, **{field: 8})
    headline = met_count(bg.check_guidance(plan))
    expect(status).to_contain_text("Changed the dose")
    editor = friday.locator(".bg-entry-editor").first
    expect(editor.locator(f".bg-dose-{field} input")).to_be_focused()
    expect(editor.locator(f".bg-dose-{field} input")).to_have_value("8")
    page.wait_for_timeout(300)
    page.screenshot(path=shots / f"week_edit_in_view_{viewport['width']}.png")
    size = page.viewport_size
    panel = _box(page, ".bg-effect")
    chart = _box(page, ".bg-effect .bg-chart-0 svg")
    said = _box(page, ".bg-effect .bg-met-count")
    entry = editor.locator("xpath=..").bounding_box()
    for name, b in (("chart", chart), ("headline", said), ("entry", entry)):
        assert b["y"] >= 0 and b["y"] + b["height"] <= size["height"] + 1, \
            f"the {name} is out of the window at {b}"
    assert entry["y"] + entry["height"] <= panel["y"] + 1, "the editor is under the chart"
    expect(page.locator(".bg-effect .bg-met-count").first).to_have_text(
        f"Guidance: {headline[0]} of {headline[1]} met")
    assert chart["width"] >= float(page.locator(".bg-effect .bg-chart-0 svg").first
                                   .get_attribute("viewBox").split()[2]) - 1, \
        "the chart is shown at full size (12 pt text at 12 px or more)"


def test_move_and_copy_to_a_chosen_session_in_the_page(browser, voila, shots):
    page = open_page(browser, voila, "03_plan_week.ipynb")
    status = page.locator(".bg-status").first
    page.locator(".bg-starter select").first.select_option(label="Gentle start")
    page.locator("button.bg-start").first.click()
    expect(status).to_contain_text("Gentle start")
    plan = bg.load_starter("gentle_start")
    monday = page.locator(".bg-day-monday").first
    n = list(plan.day("Monday")["exercise"]).index("cat_cow")
    monday.locator("button.bg-entry-edit").nth(n).click()
    editor = monday.locator(".bg-entry-editor").first
    editor.locator(".bg-move-day select").select_option(label="Wednesday")
    expect(editor.locator(".bg-move-session select option").first).to_have_text(
        "Morning\xa0stretches")
    options = [o.replace("\xa0", " ") for o in
               editor.locator(".bg-move-session select option").all_inner_texts()]
    assert options == ["Morning stretches", "Walk", "A new session"]
    editor.locator(".bg-move-session select").select_option(label="Walk")
    editor.locator("button.bg-entry-move").click()
    expect(status).to_contain_text(
        "Moved Cat-cow from Monday to Wednesday's Walk. Wednesday now has Cat-cow twice.")
    walk = plan.day("Wednesday").query("session_name == 'Walk'")["session"].iloc[0]
    plan = plan.move(int(plan.day("Monday").index[n]), "Wednesday", session=int(walk))
    assert_shows(page, plan)
    wednesday = page.locator(".bg-day-wednesday").first
    expect(wednesday.locator(".bg-twice")).to_have_count(2)
    page.screenshot(path=shots / "week_moved_to_walk.png")
    # Copy Tuesday into a new session on Sunday.
    tuesday = page.locator(".bg-day-tuesday").first
    tuesday.locator("button.bg-entry-edit").first.click()
    editor = tuesday.locator(".bg-entry-editor").first
    editor.locator(".bg-move-day select").select_option(label="Sunday")
    # The menu lists Sunday's one session, then a new one.
    expect(editor.locator(".bg-move-session select option")).to_have_count(2)
    editor.locator(".bg-move-session select").select_option(label="A new session")
    editor.locator("button.bg-entry-copy").click()
    first = int(plan.day("Tuesday").index[0])
    plan = plan.copy_to(first, "Sunday", session="new",
                        session_name=plan.entries.at[first, "session_name"])
    expect(status).to_contain_text("to Sunday, in a new session")
    assert_shows(page, plan)


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
        # It grows with the screen (its text 16 px or more), and leaves the board above
        # it at least half the window (the chart stays in view under the board).
        assert shown >= 1.35 * nominal, f"at 1920 the chart is only {shown:.0f}px wide"
        panel = page.locator(".bg-effect").first.bounding_box()
        assert panel["height"] <= 0.5 * viewport["height"], "the chart crowds the board"
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
