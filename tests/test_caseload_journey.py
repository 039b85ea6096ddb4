"""The clinic's caseload (``06_caseload``) in Voila, as each clinician sees it.

A throwaway PostgreSQL cluster of this module's own (it is stopped and started
again in the last test, which the session's shared cluster must not be) holds
a made-up caseload filled by the tables' owner, a role that may make roles
but is no superuser.  Voila serves the page connected as one made-up
clinician's own role (the URL ``add_clinician`` gave them), as a clinic's
server would be with ``BACKGUIDE_DATABASE_URL``.

At 1366x768, clinician A sees only their own people (listed from the owner's
``people`` table here), the flagged people first, each flag worked out in
this file from the journal's rows (no check-in for 7 days, pain up by the
important change, "hurt more" twice in a row, a warning sign in the last 14
days), the reason first on each row, and each flagged row marked by a flag, a
bar and bold words besides its colour (axe-core finds nothing serious); every
"Pain now (start)" is worked out here too (the arrow's words, how old a last
score a week old or more is); they open the first person, read the pain chart back from its SVG
(points, dates from the tick labels, the start line), the adherence and pain
headline and the row's numbers against numbers worked out from the journal's
rows, and open the plan to find its exercises on the board.  Clinician B's
page lists none of A's people.  With PostgreSQL stopped, Refresh keeps the
summary and the table and says, in a note, when it tried and from when the list
is; started again, Refresh works and the note goes.
Screenshots go to ``artifacts/caseload/``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

import pandas as pd
import psycopg
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import make_url

import backguide as bg
from backguide.content import safety_content
from backguide.journal import clinic, demo
from conftest import ARTIFACTS, ROOT
from pg import PG_BIN, Cluster, _run
from servers import Server, copy_notebooks, offline_context
from test_accessibility import serious_violations

WAIT = 120_000
LAPTOP = {"width": 1366, "height": 768}
BIG = {"width": 1920, "height": 1080}
ERRORS = ".jupyter-widgets-error-widget"
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
PEOPLE, WEEKS = 40, 12
CLINICIANS = {who: f"Demo clinician {who} (made up)" for who in "AB"}
#: The page's columns, as a clinician reads them: why a call first.
HEAD = ["Why a call", "Person", "Plan", "Weeks in", "Done, last 14 days", "Pain now (start)",
        "PEG change", "PSFS change", "Last check-in"]
WHY, NAME, PAIN = HEAD.index("Why a call"), HEAD.index("Person"), HEAD.index("Pain now (start)")
TODAY = dt.date.today()  # the page's own "today"
SINCE = TODAY - dt.timedelta(days=13)  # the last 14 days, today included


def tenth(x) -> Decimal:
    """A score as a person reads it: one decimal, a half rounded up."""
    return Decimal(f"{float(x):.9f}").quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def percent(part: int, whole: int) -> str:
    return f"{(Decimal(part * 100) / whole).quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"


def ago(n: int) -> str:
    return "today" if n == 0 else "yesterday" if n == 1 else f"{n} days ago"


# --- the clinic's database and its pages ----------------------------------------------------

@pytest.fixture(scope="module")
def shots():
    folder = ARTIFACTS / "caseload"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def clinic_db(tmp_path_factory):
    """A cluster of its own; the owner's store with the made-up caseload; each made-up
    clinician's URL, as ``demo.fill`` keeps them (``demo-clinicians.txt``)."""
    cluster = Cluster()
    try:
        role = clinic.role_name("owner")
        with psycopg.connect(host="127.0.0.1", port=cluster.port, user="postgres",
                             dbname="postgres", autocommit=True) as conn:
            conn.execute(f"CREATE ROLE {role} LOGIN CREATEROLE")
            conn.execute(f"CREATE SCHEMA {role} AUTHORIZATION {role}")
        owner = bg.open_store(f"postgresql+psycopg://{role}@127.0.0.1:{cluster.port}/postgres"
                              f"?options=-csearch_path%3D{role}")
        home = tmp_path_factory.mktemp("owner-home")
        before = os.environ["BACKGUIDE_HOME"]
        os.environ["BACKGUIDE_HOME"] = str(home)
        try:
            assert demo.fill(owner, people=PEOPLE, weeks=WEEKS, today=TODAY,
                             say=lambda _s: None) == PEOPLE
        finally:
            os.environ["BACKGUIDE_HOME"] = before
        logins = dict(line.split("\t") for line in
                      (home / "demo-clinicians.txt").read_text().splitlines())
        urls = {who: logins[name] for who, name in CLINICIANS.items()}
        yield {"cluster": cluster, "owner": owner, "urls": urls,
               "hurt_once": hurt_once(owner), "old_sign": old_sign(owner)}
        owner.close()
    finally:
        cluster.stop()


def fine(owner):
    """A's people with no reason to call (and no "hurt more" at all): the journal's
    tables, and each such person's id, name and done rows."""
    tables = owner.read_tables()
    for person, name in theirs(tables, "A")[["person", "name"]].itertuples(index=False):
        done = by_person(tables["done"], person)
        if not any(flags_of(tables, person).values()) and not done["felt"].eq(
                "hurt more").any():
            yield tables, person, name, done


def old_sign(owner) -> str:
    """One of A's people with no reason to call ticked a warning sign 20 days ago: not
    in the last 14 days, so no reason to call now.  Returns their name."""
    _tables, person, name, _done = next(fine(owner))
    owner.check_in(person, TODAY - dt.timedelta(days=20), signs=[safety_content().signs[0].id])
    return name


def hurt_once(owner) -> str:
    """One of A's people with no reason to call says, on their last day, that one
    exercise hurt more: once is no reason to call (twice in a row is).  Returns
    their name."""
    for _tables, person, name, done in fine(owner):
        day = done["date"].max()
        said = done.loc[done["date"] == day, ["exercise", "session", "status", "felt"]]
        said = said.astype(object).where(said.notna(), None).to_dict("records")
        reported = [r for r in said if r["status"] != "skipped"]
        if day.date() < SINCE or not reported:
            continue
        reported[0]["felt"] = "hurt more"
        owner.check_in(person, day.date(), done=said)
        return name
    raise AssertionError("the made-up caseload has someone of A's with no reason to call")


@pytest.fixture(scope="module")
def journal(clinic_db):
    """Every table of the journal, as the owner (who sees everyone) reads it."""
    return clinic_db["owner"].read_tables()


def serve_as(url: str, root, work) -> Server:
    """Voila on ``root`` whose kernels connect with ``url`` (BACKGUIDE_DATABASE_URL)."""
    before = os.environ.get("BACKGUIDE_DATABASE_URL")
    os.environ["BACKGUIDE_DATABASE_URL"] = url
    try:
        return Server("voila", root, work).start()
    finally:
        if before is None:
            del os.environ["BACKGUIDE_DATABASE_URL"]
        else:
            os.environ["BACKGUIDE_DATABASE_URL"] = before


@pytest.fixture(scope="module")
def notebooks(tmp_path_factory):
    work = tmp_path_factory.mktemp("caseload")
    return copy_notebooks(ROOT / "notebooks", work / "notebooks"), work


@pytest.fixture(scope="module")
def voila_a(clinic_db, notebooks):
    srv = serve_as(clinic_db["urls"]["A"], *notebooks)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def voila_b(clinic_db, notebooks):
    srv = serve_as(clinic_db["urls"]["B"], *notebooks)
    yield srv
    srv.stop()


def open_caseload(browser, voila: Server, viewport) -> Page:
    context = offline_context(browser, viewport)
    page = context.new_page()
    page.outside = context.outside
    page.goto(voila.url("06_caseload.ipynb"), timeout=WAIT)
    try:
        page.wait_for_selector(".bg-caseload-table .bg-result-row", timeout=WAIT)
    except Exception:
        log = voila.log_path.read_text(errors="replace")[-3000:]
        pytest.fail(f"The caseload did not open; Voila's log ends:\n{log}\n"
                    f"The page says: {page.inner_text('body')[:1500]}", pytrace=False)
    expect(page.locator(".bg-caseload-summary")).to_contain_text("to call first")
    assert page.locator(ERRORS).count() == 0
    body = page.inner_text("body")
    assert "Traceback" not in body
    for developer_words in ("dev.py", "run all cells", "JupyterLab", "import "):
        assert developer_words not in body, f"Voila shows {developer_words!r}"
    return page


def table_of(page: Page) -> list[list[str]]:
    """The caseload as shown: the cells of each row, in order."""
    return page.locator(".bg-caseload-table .bg-result-row").evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.textContent))")


def never_shows_the_password(page: Page, voila: Server, url: str) -> None:
    password = make_url(url).password
    assert password and len(password) >= 32
    assert password not in page.content(), "the page shows the database password"
    assert password not in voila.log_path.read_text(errors="replace")


# --- the flags and numbers, worked out here from the journal's rows --------------------------

def theirs(journal, who: str) -> pd.DataFrame:
    """The people of clinician ``who``, from the owner's people table."""
    people = journal["people"]
    return people[people["clinician"] == CLINICIANS[who]]


def by_person(table: pd.DataFrame, person: int) -> pd.DataFrame:
    return table[(table["person"] == person) & (table["date"].dt.date <= TODAY)]


def pain_start_now(pain: pd.DataFrame) -> tuple[Decimal, Decimal]:
    """The mean of the first 7 days from the first score, and of the last 7 days up
    to the last, each as shown."""
    days = pain["date"].dt.date
    first, last = days.min(), days.max()
    start = pain.loc[days < first + dt.timedelta(days=7), "nprs"].mean()
    now = pain.loc[days > last - dt.timedelta(days=7), "nprs"].mean()
    return tenth(start), tenth(now)


def pain_moved(start: Decimal, now: Decimal) -> str:
    """"worse" or "better" by 2 points or 30% of the start, whichever is smaller (to a
    tenth, up); else "no important change"."""
    size = Decimal(2)
    if start > 0:
        size = min(size, (start * Decimal("0.3")).quantize(Decimal("0.1"),
                                                            rounding=ROUND_CEILING))
    if now != start and abs(now - start) >= size:
        return "worse" if now > start else "better"
    return "no important change"


def flags_of(journal, person: int) -> dict[str, bool]:
    """Why this person needs a call, from their rows."""
    dated = pd.concat([by_person(journal[t], person)["date"]
                       for t in ("done", "pain", "peg", "psfs", "signs")])
    quiet = (TODAY - dated.max().date()).days >= 7
    recent = by_person(journal["signs"], person)
    sign = bool((recent["date"].dt.date >= SINCE).any())
    pain = by_person(journal["pain"], person)
    up = len(pain) > 0 and pain_moved(*pain_start_now(pain)) == "worse"
    done = by_person(journal["done"], person)
    felt = done[(done["date"].dt.date >= SINCE) & done["felt"].notna()]
    hurt = False
    for _exercise, rows in felt.sort_values(["date", "session"]).groupby("exercise"):
        said = rows["felt"].astype(str).tolist()
        hurt |= any(a == b == "hurt more" for a, b in zip(said, said[1:]))
    return {"quiet": quiet, "sign": sign, "pain_up": up, "hurt_twice": hurt}


def pain_cell(journal, person: int) -> str:
    """"Pain now (start)" as the page should say it: now and start as shown, an
    important change's arrow and meaning, and, when the last score is 7 days old or
    more, how old."""
    pain = by_person(journal["pain"], person)
    if pain.empty:
        return ""
    start, now = pain_start_now(pain)
    said = f"{now} ({start})" + {"worse": " \u25b2 important worsening",
                                 "better": " \u25bc important improvement"}.get(
        pain_moved(start, now), "")
    old = (TODAY - pain["date"].max().date()).days
    return said + (f", last scored {ago(old)}" if old >= 7 else "")


#: What marks each row's first cell (the reason): its flag (drawn before it), its
#: bar, its weight; and the row's background.
MARKS = """rows => rows.map(r => {
  const cell = r.cells[0], style = getComputedStyle(cell);
  const head = r.querySelector('th[scope=row]');
  return {flag: getComputedStyle(cell, '::before').content, bar: style.borderLeftWidth,
          weight: style.fontWeight, background: getComputedStyle(r).backgroundColor,
          header: head ? head.textContent : null};
})"""


def flagged_rows_stand_out(page: Page, rows: list[list[str]]) -> None:
    """A row with a reason has a flag, a bar and bold words besides its colour; a
    row without has none of them."""
    page.mouse.move(0, 0)  # no row under the pointer (hovered rows change colour)
    marks = page.locator(".bg-caseload-table .bg-result-row").evaluate_all(MARKS)
    for r, mark in zip(rows, marks, strict=True):
        assert mark["header"] == r[NAME], "the person's name heads the row for a screen reader"
        if r[WHY]:
            assert "\u2691" in mark["flag"] and mark["bar"] == "6px", (r, mark)
            assert int(mark["weight"]) >= 700 and mark["background"] == "rgb(255, 244, 236)"
        else:
            assert "\u2691" not in mark["flag"] and mark["bar"] == "0px", (r, mark)
            assert mark["background"] in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"), (r, mark)


def planned_and_done(journal, person: int, days: list[dt.date]) -> tuple[int, int]:
    """Entries of the plan in force on each day that fall on its weekday, and the
    exercises reported done or partly done on those days."""
    plans, entries = journal["plans"], journal["entries"]
    planned = 0
    for day in days:
        started = plans[(plans["person"] == person) & (plans["starts"].dt.date <= day)]
        if started.empty:
            continue
        version = started["version"].max()
        mine = entries[(entries["person"] == person) & (entries["version"] == version)]
        planned += int((mine["day"].astype(str) == DAYS[day.weekday()]).sum())
    done = by_person(journal["done"], person)
    did = done["date"].dt.date.isin(days) & done["status"].astype(str).isin(["done", "partly"])
    return planned, int(did.sum())


# --- reading the pain chart back ----------------------------------------------------------

READ_SVG = """(el, gids) => {
  const svg = el.querySelector('svg');
  const all = s => [...svg.querySelectorAll(s)];
  const said = g => {  // a tick's label, kept as a comment beside its glyphs
    const walk = document.createTreeWalker(g, NodeFilter.SHOW_COMMENT);
    const c = walk.nextNode();
    return c ? c.nodeValue.trim() : null;
  };
  const ticks = (axis, at) => all(`g[id*="-${axis}tick_"]`).map(
    g => [+g.querySelector('use').getAttribute(at), said(g)]);
  const out = {xticks: ticks('x', 'x'), yticks: ticks('y', 'y')};
  for (const gid of gids) {
    out[gid] = {
      paths: all(`g[id$="-${gid}"] path`).map(p => p.getAttribute('d')),
      points: all(`g[id$="-${gid}"] use`).map(u => [+u.getAttribute('x'), +u.getAttribute('y')]),
    };
  }
  return out;
}"""


def label_date(label: str) -> dt.date:
    """A date axis label ("19 Jan") as a date: the latest such day up to a week ahead."""
    day = dt.datetime.strptime(f"{label} {TODAY.year}", "%d %b %Y").date()
    return day if day <= TODAY + dt.timedelta(days=7) else day.replace(year=TODAY.year - 1)


def ys(d: str) -> list[float]:
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
    return numbers[1::2]


def read_pain_chart(chart) -> dict:
    """The pain chart's points as (date, score), and its start line's score."""
    svg = chart.evaluate(READ_SVG, ["pain-daily", "start"])
    (x0, d0), (x1, d1) = [(x, label_date(s)) for x, s in svg["xticks"][:2]]
    per_day = (x1 - x0) / (d1 - d0).days
    (y0, v0), (y1, v1) = [(y, float(s)) for y, s in svg["yticks"][:2]]

    def score(y):
        return v0 + (y - y0) / (y1 - y0) * (v1 - v0)

    points = [(d0 + dt.timedelta(days=round((x - x0) / per_day)), score(y))
              for x, y in svg["pain-daily"]["points"]]
    return {"points": points, "start": score(ys(svg["start"]["paths"][0])[0])}


# --- the journeys ---------------------------------------------------------------------------

def test_a_clinician_sees_their_flagged_people_first_and_opens_one(
        browser, voila_a, clinic_db, journal, shots):
    page = open_caseload(browser, voila_a, LAPTOP)
    shot = lambda step: page.screenshot(path=shots / f"laptop_{step}.png")  # noqa: E731
    heads = page.locator(".bg-caseload-table th[scope=col]").all_inner_texts()
    assert heads == HEAD
    rows = table_of(page)
    shot("1_caseload")

    # Only A's people, every one of them.
    mine = theirs(journal, "A")
    assert sorted(r[NAME] for r in rows) == sorted(mine["name"])
    assert not set(r[NAME] for r in rows) & set(theirs(journal, "B")["name"])

    # Who needs a call, worked out here from each person's rows: exactly those say why,
    # and every one of them comes before every one who does not.
    ids = dict(zip(mine["name"], mine["person"]))
    flags = {name: flags_of(journal, ids[name]) for name in ids}
    expected = {name for name, f in flags.items() if any(f.values())}
    assert 0 < len(expected) < len(rows), "the made-up caseload has both"
    said = [bool(r[WHY]) for r in rows]
    for calm in (clinic_db["hurt_once"], clinic_db["old_sign"]):
        assert [r[WHY] for r in rows if r[NAME] == calm] == [""], calm
    assert {r[NAME] for r in rows if r[WHY]} == expected
    assert said == sorted(said, reverse=True), "every flagged person comes first"
    for r in rows:
        f, why = flags[r[NAME]], r[WHY].lower()
        assert f["quiet"] == ("no check-in" in why), r
        assert f["sign"] == ("warning sign" in why), r
        assert f["pain_up"] == ("pain up" in why), r
        assert f["hurt_twice"] == ("hurt more twice in a row" in why), r
    summary = page.locator(".bg-caseload-summary")
    expect(summary).to_contain_text(f"{len(rows)} people, {len(expected)} to call first")
    # The page's table is bg.caseload's, read with A's own role.
    with bg.open_store(clinic_db["urls"]["A"]) as as_a:
        assert [r[NAME] for r in rows] == bg.caseload(as_a, today=TODAY)["name"].tolist()

    # The first person's row: their numbers, worked out from their rows.
    name = rows[0][NAME]
    person = ids[name]
    pain = by_person(journal["pain"], person)
    start, now = pain_start_now(pain)
    last = pd.concat([by_person(journal[t], person)["date"]
                      for t in ("done", "pain", "peg", "psfs", "signs")]).max().date()
    fortnight = [SINCE + dt.timedelta(days=k) for k in range(14)]
    planned14, did14 = planned_and_done(journal, person, fortnight)
    assert rows[0][HEAD.index("Done, last 14 days")] == percent(did14, planned14)
    assert rows[0][PAIN].startswith(f"{now} ({start})")
    # Everyone's pain now (start), worked out from their scores: the way an important
    # change went, in words, and how old a last score a week old or more is.
    assert [r[PAIN] for r in rows] == [pain_cell(journal, ids[r[NAME]]) for r in rows]
    assert any("last scored" in r[PAIN] for r in rows), "the made-up caseload has old scores"
    assert any("\u25b2 important worsening" in r[PAIN] for r in rows)
    flagged_rows_stand_out(page, rows)
    assert serious_violations(page) == [], "the caseload, flagged rows and all, is accessible"
    assert rows[0][HEAD.index("Last check-in")] == ago((TODAY - last).days)

    # Open them (a click): their name and why, then their progress.
    page.locator(".bg-caseload-table .bg-result-row").first.click()
    expect(page.locator(".bg-person-head h2")).to_have_text(name)
    expect(page.locator(".bg-person-head")).to_contain_text(rows[0][WHY])
    headline = page.locator(".bg-person-tabs .bg-progress-headline p")
    expect(headline.first).to_be_visible(timeout=WAIT)
    monday = TODAY - dt.timedelta(days=TODAY.weekday())
    week = [monday + dt.timedelta(days=k) for k in range(TODAY.weekday() + 1)]
    planned, did = planned_and_done(journal, person, week)
    assert planned > 0
    expect(headline.nth(0)).to_have_text(
        f"This week so far: {did} of {planned} planned exercise{'s' * (planned != 1)} done "
        f"or partly done ({percent(did, planned)}).")
    verdict = {"worse": "an important worsening", "better": "an important improvement"}.get(
        pain_moved(start, now), "no important change")
    move = ("the same as" if now == start else
            f"{'down' if now < start else 'up'} from {start}")
    expect(headline.nth(1)).to_have_text(
        f"Pain this week {now} on average, {move} in your first week: {verdict}.")
    shot("2_person_opened")  # where the page is when they open: below the table

    # Their pain chart, read back: a point for each day they said, and their start.
    page.locator(".bg-progress-charts .lm-TabBar-tab", has_text="Pain").click()
    chart = page.locator(".bg-progress-charts .bg-chart:visible")
    expect(chart).to_have_count(1)
    expect(chart.locator('g[id$="-pain-daily"]')).to_have_count(1)
    chart.scroll_into_view_if_needed()
    shot("3_pain_chart")
    got = read_pain_chart(chart)
    want = pain.groupby(pain["date"].dt.date)["nprs"].mean()
    assert [d for d, _v in got["points"]] == want.index.tolist()
    assert [v for _d, v in got["points"]] == pytest.approx(want.tolist(), abs=0.05)
    assert got["start"] == pytest.approx(float(start), abs=0.05)

    # Their plan, on the week planner's board: each day's exercises, in order.
    page.locator(".bg-person-tabs .lm-TabBar-tab", has_text="Plan for the week").click()
    board = page.locator(".bg-person-tabs .bg-planner .bg-week-board")
    expect(board).to_be_visible(timeout=WAIT)
    plans = journal["plans"]
    version = plans.loc[(plans["person"] == person) & (plans["starts"].dt.date <= TODAY),
                        "version"].max()
    entries = journal["entries"]
    entries = entries[(entries["person"] == person) & (entries["version"] == version)]
    names = bg.load_library().exercises["name"]
    for day in DAYS:
        wanted = entries[entries["day"].astype(str) == day].sort_values(["session", "order"])
        column = board.locator(f".bg-day-{day.lower()} .bg-entry-text")
        expect(column).to_have_count(len(wanted))
        shown = [t.split("\n")[0].strip() for t in column.all_inner_texts()]
        assert shown == [names[x] for x in wanted["exercise"]], day
    assert len(entries) > 0
    page.locator(".bg-person-tabs").evaluate("e => e.scrollIntoView({block: 'start'})")
    shot("4_plan")

    never_shows_the_password(page, voila_a, clinic_db["urls"]["A"])
    assert page.locator(ERRORS).count() == 0
    assert page.outside == [], f"the page asked off this machine: {page.outside}"
    page.context.close()


def test_a_second_clinician_sees_none_of_the_first_clinicians_people(
        browser, voila_b, clinic_db, journal, shots):
    page = open_caseload(browser, voila_b, LAPTOP)
    rows = table_of(page)
    page.screenshot(path=shots / "laptop_5_clinician_b.png")
    names = {r[NAME] for r in rows}
    assert not names & set(theirs(journal, "A")["name"])
    assert sorted(names) == sorted(theirs(journal, "B")["name"])
    assert len(rows) == len(names)
    never_shows_the_password(page, voila_b, clinic_db["urls"]["B"])
    page.context.close()


def test_the_caseload_and_a_person_on_a_big_screen(browser, voila_a, shots):
    page = open_caseload(browser, voila_a, BIG)
    page.screenshot(path=shots / "big_1_caseload.png")
    table = page.locator(".bg-caseload-table").bounding_box()
    assert table["x"] + table["width"] <= BIG["width"], "the table fits the screen"
    # Open the first person from the keyboard.
    first = page.locator(".bg-caseload-table .bg-result-row").first
    first.focus()
    first.press("Enter")
    name = first.locator("th[scope=row]").inner_text()  # the name heads the row
    expect(page.locator(".bg-person-head h2")).to_have_text(name)
    expect(page.locator(".bg-person-tabs .bg-progress-headline p").first).to_be_visible(
        timeout=WAIT)
    page.locator(".bg-person-head").evaluate("e => e.scrollIntoView({block: 'start'})")
    page.screenshot(path=shots / "big_2_person.png")
    chart = page.locator(".bg-progress-charts .bg-chart:visible svg").bounding_box()
    assert chart["x"] + chart["width"] <= BIG["width"], "the chart fits the screen"
    assert page.outside == []
    page.context.close()


def pg_ctl(cluster: Cluster, *args: str) -> None:
    _run([str(PG_BIN / "pg_ctl"), "-D", str(cluster.data), *args], f"pg_ctl {args[-1]}")


def stop(cluster: Cluster) -> None:
    pg_ctl(cluster, "-m", "fast", "-w", "stop")


def start(cluster: Cluster) -> None:
    """Start the cluster again as :class:`Cluster` did: the same port and folder."""
    options = (f"-p {cluster.port} -k {cluster.folder} -c listen_addresses=127.0.0.1 "
               "-c fsync=off -c full_page_writes=off")
    pg_ctl(cluster, "-l", str(cluster.folder / "log"), "-o", options, "-w", "-t", "30",
           "start")


def test_refresh_says_when_the_database_is_down_and_works_when_it_is_back(
        browser, voila_a, clinic_db, shots):
    cluster = clinic_db["cluster"]
    opened = dt.datetime.now().replace(second=0, microsecond=0)
    page = open_caseload(browser, voila_a, LAPTOP)
    summary, note = page.locator(".bg-caseload-summary"), page.locator(".bg-caseload-note")
    before, said = table_of(page), summary.inner_text()
    expect(note).to_have_count(0)
    stop(cluster)
    try:
        page.click("button.bg-refresh")
        expect(note).to_be_visible()
        # The summary and the table stay; the note says when it tried, and from when the
        # list is (both minutes of this test's run, the list's not after the try).
        got = re.fullmatch(r"Could not refresh at (\d\d:\d\d): the database cannot be "
                           r"reached; showing the list from (\d\d:\d\d)\. Press Refresh to "
                           r"try again\.", note.inner_text())
        assert got, note.inner_text()
        tried, listed = got.groups()
        minutes = [(opened + dt.timedelta(minutes=k)).strftime("%H:%M") for k in range(
            int((dt.datetime.now() - opened).total_seconds() // 60) + 2)]
        assert tried in minutes and listed in minutes[:minutes.index(tried) + 1], got.groups()
        expect(summary).to_have_text(said)
        assert table_of(page) == before, "the table is kept"
        assert serious_violations(page) == [], "the note is accessible"
        page.screenshot(path=shots / "laptop_6_database_down.png")
    finally:
        start(cluster)
    page.click("button.bg-refresh")
    expect(note).to_have_count(0)
    expect(summary).to_have_text(said)
    assert table_of(page) == before
    page.screenshot(path=shots / "laptop_7_database_back.png")

    # Restarted while the page is open, with no Refresh between: the next one works, and
    # shows someone added since.
    stop(cluster)
    start(cluster)
    owner = clinic_db["owner"].engine.url.render_as_string(hide_password=False)
    with bg.open_store(owner) as again:
        again.add_person("New person (made up)", clinician=CLINICIANS["A"])
    page.click("button.bg-refresh")
    expect(summary).to_contain_text(f"{len(before) + 1} people, ")
    assert table_of(page)[:-1] == before
    assert table_of(page)[-1][NAME] == "New person (made up)"
    never_shows_the_password(page, voila_a, clinic_db["urls"]["A"])
    assert page.locator(ERRORS).count() == 0
    page.context.close()
