"""A person's week in ``05_check_in``, in Voila at 1366x768 (and once at 1920x1080).

Their plan (the gentle start) began two weeks before this Monday, and they
said how their back was on its first three days.  Now they check in through
the page on the last three days up to today: one day all done and about
right, one day partly done on every exercise, and one day where the first
exercise hurt more (and the last was skipped); pain each day, and the PEG and
the PSFS on the day they are asked.  They read the headline and the charts,
accept next week's plan, download the calendar, and finally tick a warning
sign, which stops the check-in with its advice and is recorded.

Every number checked here is worked out in this file from what was entered
and the plan's days (written out below), never by backguide's measures: the
share of planned exercises done this week, the pain means, the bars and the
points of the charts (read back from the SVG's coordinates), the first date
and time in the calendar (read by ``vobject``).  Nothing is asked off this
machine.  Screenshots of each step go to ``artifacts/checkin/``.

"Today" is the real date (the page's), so the dates are worked out from it
and the test holds on any day of the week.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

import pytest
import vobject
from playwright.sync_api import Page, expect

import backguide as bg
from conftest import ARTIFACTS, ROOT
from servers import Server, copy_notebooks, offline_context

WAIT = 120_000
LAPTOP = {"width": 1366, "height": 768}
BIG = {"width": 1920, "height": 1080}
ERRORS = ".jupyter-widgets-error-widget"
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

#: The gentle start's exercises on each day (its morning stretches, then a walk or
#: glute bridge and clamshell), as its week board lists them.
MORNING = ["Pelvic tilt", "Knee roll", "Single knee to chest", "Cat-cow", "Child's pose"]
WALK = ["Fast walking"]
STRENGTH = ["Glute bridge", "Clamshell"]
PLANNED = {"Monday": MORNING + WALK, "Tuesday": MORNING + STRENGTH,
           "Wednesday": MORNING + WALK, "Thursday": MORNING + STRENGTH,
           "Friday": MORNING + WALK, "Saturday": MORNING + STRENGTH, "Sunday": MORNING}

#: Pain on the plan's first three days, said before this visit (the person's start).
FIRST_PAIN = [6, 7, 6]
#: Pain on the three days checked in through the page, oldest first.
PAIN = [5, 4, 3]
PEG = {"pain": 5, "enjoyment": 4, "activity": 6}
PSFS = {"Walking to the shops": 4, "Lifting my child": 3}
#: The warning sign ticked at the end, and its advice (data/guidance.csv).
SIGN = ("nice_ng59_red_fever", "Back pain with fever or feeling generally unwell",
        "See a doctor.")
REMIND_AT = "07:30"


def tenth(x) -> Decimal:
    """A score as a person reads it: one decimal, a half rounded up."""
    return Decimal(f"{float(x):.9f}").quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def percent(part: int, whole: int) -> str:
    return f"{(Decimal(part * 100) / whole).quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"


def said(day: dt.date) -> str:
    return f"{DAYS[day.weekday()]} {day.day} {day:%B}"


@pytest.fixture(scope="module")
def shots():
    folder = ARTIFACTS / "checkin"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def voila(tmp_path_factory):
    """Voila on a scratch copy of the notebooks, with a journal folder of its own
    (``Server.home``, its kernels' BACKGUIDE_HOME)."""
    work = tmp_path_factory.mktemp("checkin")
    root = copy_notebooks(ROOT / "notebooks", work / "notebooks")
    srv = Server("voila", root, work).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def dates():
    today = dt.date.today()
    monday = today - dt.timedelta(days=today.weekday())
    return {"today": today, "monday": monday, "starts": monday - dt.timedelta(days=14),
            "checked": [today - dt.timedelta(days=n) for n in (2, 1, 0)]}


@pytest.fixture(scope="module")
def journal(voila, dates):
    """The plan, from two weeks before this Monday, and pain on its first three days,
    in the journal the page reads."""
    store = bg.open_store(folder=voila.home)
    me = store.me()
    store.set_plan(me, bg.load_starter("gentle_start"), starts=dates["starts"])
    for n, nprs in enumerate(FIRST_PAIN):
        store.check_in(me, dates["starts"] + dt.timedelta(days=n), pain=nprs)
    yield store, me
    store.close()


def open_checkin(browser, voila: Server, viewport) -> Page:
    context = offline_context(browser, viewport, accept_downloads=True)
    page = context.new_page()
    page.outside = context.outside
    page.goto(voila.url("05_check_in.ipynb"), timeout=WAIT)
    page.wait_for_selector(".bg-checkin-page .bg-progress-headline p", timeout=WAIT)
    assert page.locator(ERRORS).count() == 0
    body = page.inner_text("body")
    assert "Traceback" not in body
    for developer_words in ("dev.py", "run all cells", "JupyterLab", "import "):
        assert developer_words not in body, f"Voila shows {developer_words!r}"
    return page


def pick(page: Page, css: str, score: int) -> None:
    """Press ``score`` on a 0-10 scale (its buttons are 0, 1, ... 10 in order)."""
    page.locator(f"{css} button").nth(score).click()


def choose_day(page: Page, day: dt.date) -> None:
    """Set the Day picker, and wait for the page to list that day's exercises."""
    old = page.locator(".bg-checkin-row").first.element_handle()
    page.fill(".bg-checkin-day input", day.isoformat())
    old.wait_for_element_state("hidden")
    expect(page.locator(".bg-checkin-row")).to_have_count(len(PLANNED[DAYS[day.weekday()]]))


def tick(page: Page, answers: list[tuple[str, str | None]]) -> None:
    rows = page.locator(".bg-checkin-row")
    assert rows.count() == len(answers)
    for i, (status, felt) in enumerate(answers):
        rows.nth(i).locator(".bg-status-pick button", has_text=status).click()
        if felt is not None:
            rows.nth(i).locator(".bg-felt-pick button", has_text=felt).click()


# --- reading the charts back ------------------------------------------------------------

READ_SVG = """(el, gids) => {
  const svg = el.querySelector('svg');
  const all = s => [...svg.querySelectorAll(s)];
  const out = {
    yticks: all('g[id*="-ytick_"] > g[id*="-line2d_"] use[y]').map(u => +u.getAttribute('y')),
    xticks: all('g[id*="-xtick_"] > g[id*="-line2d_"] use[x]').map(u => +u.getAttribute('x')),
  };
  for (const gid of gids) {
    out[gid] = {
      paths: all(`g[id$="-${gid}"] path`).map(p => p.getAttribute('d')),
      points: all(`g[id$="-${gid}"] use`).map(u => [+u.getAttribute('x'), +u.getAttribute('y')]),
    };
  }
  return out;
}"""


def ys(d: str) -> list[float]:
    """The y coordinates of an SVG path's points ("M x y L x y ... z")."""
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
    return numbers[1::2]


def on_scale(y: float, ticks: list[float], step: float) -> float:
    """A y coordinate as a value: the first tick is 0, the next ``step``."""
    return (ticks[0] - y) / (ticks[0] - ticks[1]) * step


def show_tab(page: Page, title: str):
    page.locator(".bg-progress-charts .lm-TabBar-tab", has_text=title).click()
    chart = page.locator(".bg-progress-charts .bg-chart:visible")
    expect(chart).to_have_count(1)
    chart.scroll_into_view_if_needed()
    return chart


# --- the journey --------------------------------------------------------------------------


def test_a_person_checks_in_for_three_days_and_sees_how_they_are_doing(
        browser, voila, journal, dates, shots):
    store, me = journal
    today, monday, starts = dates["today"], dates["monday"], dates["starts"]
    checked = dates["checked"]
    page = open_checkin(browser, voila, LAPTOP)
    shot = lambda step: page.screenshot(path=shots / f"laptop_{step}.png")  # noqa: E731

    # 1. The page opens on today, with today's exercises from the plan.
    expect(page.locator(".bg-checkin-day input")).to_have_value(today.isoformat())
    rows = page.locator(".bg-checkin-row")
    expect(rows).to_have_count(len(PLANNED[DAYS[today.weekday()]]))
    names = [t.split("\n")[0] for t in rows.all_inner_texts()]
    assert names == PLANNED[DAYS[today.weekday()]]
    shot("1_opened")

    # 2. Three days through the page.
    day_a, day_b, day_c = checked
    wanted = [
        [("Done", "About right")] * len(PLANNED[DAYS[day_a.weekday()]]),
        [("Partly", "About right")] * len(PLANNED[DAYS[day_b.weekday()]]),
    ]
    n_c = len(PLANNED[DAYS[day_c.weekday()]])
    wanted.append([("Done", "Hurt more")] + [("Done", "Easier")] * (n_c - 2)
                  + [("Skipped", None)])
    status = page.locator(".bg-checkin-status")
    for n, (day, answers, nprs) in enumerate(zip(checked, wanted, PAIN)):
        choose_day(page, day)
        peg, psfs = page.locator(".bg-peg"), page.locator(".bg-psfs")
        if n == 1:
            # Nothing of the day before stays: no pain picked, no "Saved" message.
            expect(page.locator(".bg-pain button.mod-active")).to_have_count(0)
            expect(status).to_have_text("")
            page.locator(".bg-pain").scroll_into_view_if_needed()
            shot("3_day2_chosen")
        tick(page, answers)
        pick(page, ".bg-pain", nprs)
        if n == 0:
            # Nothing of the PEG or PSFS yet, so both are asked on the first day.
            expect(peg).to_be_visible()
            expect(psfs).to_be_visible()
            for item, score in PEG.items():
                pick(page, f".bg-peg-{item}", score)
            for i, (activity, score) in enumerate(PSFS.items()):
                page.locator(".bg-psfs-row input").nth(i).fill(activity)
                pick(page, f".bg-psfs-{i}", score)
            peg.scroll_into_view_if_needed()
            shot("2_first_day_questions")
        else:
            # Asked a day or two ago: not again this week, nor this fortnight.
            expect(peg).to_be_hidden()
            expect(psfs).to_be_hidden()
        if n == 2:
            # How a skipped exercise felt is not asked.
            expect(rows.last.locator(".bg-felt-pick")).to_have_css("visibility", "hidden")
        page.click("button.bg-checkin-save")
        n_done, n_partly, n_skipped = (sum(s == k for s, _f in answers)
                                       for k in ("Done", "Partly", "Skipped"))
        expect(status).to_have_text(
            f"Saved your check-in for {said(day)}. Of {len(answers)} exercises: {n_done} done, "
            f"{n_partly} partly done, {n_skipped} skipped.")
        status.evaluate("e => e.scrollIntoView({block: 'center'})")
        shot(f"3_day{n + 1}_saved")

    # What the journal holds is what was entered.
    done = store.read("done", person=me)
    got = done.groupby(done["date"].dt.date)["status"].agg(list).to_dict()
    assert got == {d: [s.lower() for s, _f in a] for d, a in zip(checked, wanted)}
    hurt_said = done[(done["date"].dt.date == day_c) & (done["exercise"] == "pelvic_tilt")]
    assert hurt_said["felt"].tolist() == ["hurt more"]
    pain = store.read("pain", person=me)
    assert pain["nprs"].tolist() == FIRST_PAIN + PAIN

    # Next week's proposal, the last part of the progress redrawn after a save (so the
    # headline and charts below are the last save's): the exercise that hurt more is not
    # made harder.
    table = page.locator(".bg-next-week tbody tr")
    hurt = table.filter(has=page.locator("th", has_text=re.compile(f"^{MORNING[0]}$")))
    expect(hurt.locator("td").first).to_have_text(re.compile(r"^(easier|stopped)$"))

    # 3. The headline, worked out here.  This week: Monday to today.
    this_week = [monday + dt.timedelta(days=i) for i in range(today.weekday() + 1)]
    planned = sum(len(PLANNED[DAYS[d.weekday()]]) for d in this_week)
    did = sum(sum(s in ("Done", "Partly") for s, _f in a)
              for d, a in zip(checked, wanted) if d >= monday)
    start = tenth(sum(FIRST_PAIN) / len(FIRST_PAIN))              # 6.3
    now = tenth(sum(PAIN) / len(PAIN))                           # 4.0: the last 7 days
    important = min(Decimal(2), (start * Decimal("0.3")).quantize(Decimal("0.1"),
                                                                  rounding=ROUND_CEILING))
    assert start - now >= important, "the journey is written to show an important fall"
    peg_score = tenth(sum(PEG.values()) / 3)
    psfs_score = tenth(sum(PSFS.values()) / len(PSFS))
    headline = page.locator(".bg-progress-headline p")
    expect(headline).to_have_text([
        f"This week so far: {did} of {planned} planned exercises done or partly done "
        f"({percent(did, planned)}).",
        f"Pain this week {now} on average, down from {start} in your first week: "
        "an important improvement.",
        f"Your PEG score (pain, and how much it gets in the way) this week {peg_score}: "
        "your first week, the start later weeks are compared with.",
        f"Your activities (PSFS, higher is better) now {psfs_score} on average: your first "
        "week, the start later weeks are compared with.",
    ])
    headline.first.scroll_into_view_if_needed()
    shot("4_headline")

    # The bars: each week's done and partly done, as a percentage of what was planned.
    weeks = [starts + dt.timedelta(days=7 * i) for i in range(3)]
    chart = show_tab(page, "Exercises done")
    svg = chart.evaluate(READ_SVG, ["adherence-done", "adherence-partly"])
    shot("5_chart_adherence")
    for i, week in enumerate(weeks):
        days = [week + dt.timedelta(days=k) for k in range(7) if week + dt.timedelta(days=k)
                <= today]
        n_planned = sum(len(PLANNED[DAYS[d.weekday()]]) for d in days)
        n_done = sum(sum(s == "Done" for s, _f in a) for d, a in zip(checked, wanted)
                     if d in days)
        n_partly = sum(sum(s == "Partly" for s, _f in a) for d, a in zip(checked, wanted)
                       if d in days)
        bar_done = ys(svg["adherence-done"]["paths"][i])
        bar_partly = ys(svg["adherence-partly"]["paths"][i])
        shown_done = on_scale(min(bar_done), svg["yticks"], 25)
        shown_all = on_scale(min(bar_partly), svg["yticks"], 25)
        assert shown_done == pytest.approx(100 * n_done / n_planned, abs=0.2), week
        assert shown_all == pytest.approx(100 * (n_done + n_partly) / n_planned, abs=0.2), week

    # The pain chart: a point per day said, the 7-day mean, the start and the important line.
    chart = show_tab(page, "Pain")
    svg = chart.evaluate(READ_SVG, ["pain-daily", "pain-mean7", "start", "important-better"])
    shot("6_chart_pain")
    said_pain = [(starts + dt.timedelta(days=n), p) for n, p in enumerate(FIRST_PAIN)] + \
        list(zip(checked, PAIN))
    x0, x1 = svg["xticks"][:2]  # Mondays: the first is the plan's first day
    per_day = (x1 - x0) / 7
    points = [(starts + dt.timedelta(days=round((x - x0) / per_day)),
               on_scale(y, svg["yticks"], 2)) for x, y in svg["pain-daily"]["points"]]
    assert [d for d, _v in points] == [d for d, _v in said_pain]
    assert [v for _d, v in points] == pytest.approx([v for _d, v in said_pain], abs=0.05)
    mean7 = on_scale(ys(svg["pain-mean7"]["paths"][0])[-1], svg["yticks"], 2)
    assert mean7 == pytest.approx(sum(PAIN) / len(PAIN), abs=0.05)
    assert on_scale(ys(svg["start"]["paths"][0])[0], svg["yticks"], 2) == \
        pytest.approx(float(start), abs=0.05)
    assert on_scale(ys(svg["important-better"]["paths"][0])[0], svg["yticks"], 2) == \
        pytest.approx(float(start - important), abs=0.05)
    show_tab(page, "PEG")
    shot("7_chart_peg")
    show_tab(page, "Activities (PSFS)")
    shot("8_chart_psfs")

    # 4. Next week (read above): accepting it starts next Monday.
    page.locator(".bg-next-week").scroll_into_view_if_needed()
    shot("9_next_week")
    page.click("button.bg-accept-next")
    tomorrow = today + dt.timedelta(days=1)
    monday = today + dt.timedelta(days=7 - today.weekday())
    expect(page.locator(".bg-progress-status")).to_have_text(
        f"Next week's plan starts on {said(monday)}. The plan before it is kept in your "
        "journal.")
    plans = store.read("plans", person=me)
    assert plans["version"].tolist() == [1, 2]
    assert [d.date() for d in plans["starts"]] == [starts, monday]
    page.locator(".bg-progress-status").scroll_into_view_if_needed()
    shot("10_accepted")

    # 5. The calendar: reminders at 07:30, from tomorrow.
    page.locator(".bg-calendar-at select").select_option(label=REMIND_AT)
    page.click("button.bg-make-calendar")
    link = page.locator(".bg-calendar-link a")
    expect(link).to_have_text("Download the calendar file (.ics)")
    link.scroll_into_view_if_needed()
    shot("11_calendar")
    with page.expect_download() as got_file:
        link.click()
    download = got_file.value
    assert download.suggested_filename.endswith(".ics")
    cal = vobject.readOne(open(download.path(), encoding="utf-8").read())
    events = cal.vevent_list
    at = dt.time(7, 30)
    first = events[0]
    byday = re.search(r"BYDAY=(\w\w)", first.rrule.value).group(1)
    weekday = [d[:2].upper() for d in DAYS].index(byday)
    first_day = tomorrow + dt.timedelta(days=(weekday - tomorrow.weekday()) % 7)
    assert first.dtstart.value == dt.datetime.combine(first_day, at)
    starts_at = sorted(e.dtstart.value for e in events)
    assert starts_at[0] == dt.datetime.combine(tomorrow, at), "the first reminder is tomorrow"
    assert all(e.valarm_list for e in events), "every session has a reminder"

    # 6. A warning sign stops the check-in, with its advice, and is recorded.
    page.locator(".bg-checkin-day input").scroll_into_view_if_needed()
    page.locator(".bg-sign-box", has_text=SIGN[1]).locator("input").check()
    advice = page.locator(".bg-sign-advice")
    expect(advice).to_contain_text("Stop here: do not exercise today.")
    expect(advice).to_contain_text(f"{SIGN[1]}: {SIGN[2]}")
    expect(advice).to_contain_text("It is recorded in your journal.")
    expect(page.locator("button.bg-checkin-save")).to_be_hidden()
    expect(page.locator(".bg-checkin-row").first).to_be_hidden()
    signs = store.read("signs", person=me)
    assert [(d.date(), s) for d, s in zip(signs["date"], signs["sign"])] == [(today, SIGN[0])]
    shot("12_warning_sign")
    page.locator(".bg-next-week").scroll_into_view_if_needed()
    shot("13_next_week_after_sign")

    assert page.outside == [], f"the page asked off this machine: {page.outside}"
    page.context.close()


def test_the_check_in_page_on_a_big_screen(browser, voila, journal, shots):
    page = open_checkin(browser, voila, BIG)
    page.screenshot(path=shots / "big_1_opened.png")
    page.locator(".bg-progress-headline").evaluate("e => e.scrollIntoView({block: 'start'})")
    page.screenshot(path=shots / "big_2_progress.png")
    box = page.locator(".bg-progress-charts .bg-chart:visible svg").bounding_box()
    assert box and box["x"] + box["width"] <= BIG["width"], "the chart fits the screen"
    assert page.outside == []
    page.context.close()
