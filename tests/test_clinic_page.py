"""The clinic: `dev.py db`'s local PostgreSQL, the made-up caseload, and the caseload page."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
import pytest

import backguide as bg
from backguide.journal import demo
from backguide.journal.words import adherence_sentence, progress_headline
from backguide.views.caseload import COLUMNS, Caseload
from backguide.views.render import text_of

TODAY = dt.date(2026, 12, 7)


@pytest.fixture
def made_up(tmp_path, monkeypatch):
    monkeypatch.setenv("BACKGUIDE_HOME", str(tmp_path / "home"))
    store = bg.open_store()
    said = []
    assert demo.fill(store, people=16, weeks=4, today=TODAY, say=said.append) == 16
    yield store, said
    store.close()


def test_the_made_up_caseload_says_so_and_varies(made_up, tmp_path):
    store, said = made_up
    people = store.read("people")
    assert len(people) == 16 and people["name"].str.endswith("(made up)").all()
    assert set(people["clinician"]) == {"Demo clinician A (made up)",
                                        "Demo clinician B (made up)"}
    logins = tmp_path / "home" / "demo-clinicians.txt"
    assert oct(logins.stat().st_mode & 0o777) == "0o600"
    assert any(str(logins) in s for s in said)
    table = bg.caseload(store, today=TODAY)
    assert table["quiet"].any() and table["pain_up"].any(), "fading and rising people"
    assert not table[["quiet", "pain_up", "hurt_twice", "sign"]].all(axis=1).all()
    # Run again: nothing added.
    assert demo.fill(store, people=16, weeks=4, today=TODAY, say=said.append) == 0
    assert len(store.read("people")) == 16


def test_the_caseload_page_lists_the_flagged_first_and_opens_a_person(made_up):
    store, _ = made_up
    page = Caseload(store, today=TODAY)
    table = bg.caseload(store, today=TODAY)
    flagged = table[["quiet", "pain_up", "hurt_twice", "sign"]].any(axis=1)
    assert page.table.columns == list(COLUMNS)
    # Why a call is the first thing each row says; the person comes next.
    assert page.table.columns[:2] == ["Why a call", "Person"]
    rows = page.rows_text
    assert len(rows) == 16
    # Every flagged person comes before every one without a flag, and says why, first.
    n = int(flagged.sum())
    assert all(r[0] for r in rows[:n]) and not any(r[0] for r in rows[n:])
    assert [r[1] for r in rows] == table["name"].tolist()
    assert re.match(rf"16 people, {n} to call first \(listed first\)\.", page.summary.value
                    .replace("<b>", "").replace("</b>", ""))
    first = table.iloc[0]
    page.table.click(str(int(first["person"])))
    assert page.person_text.startswith(first["name"])
    progress = page.opened.children[0].children[0]
    assert "Pain" in progress.headline_text or "No check-ins" in progress.headline_text
    page.opened.selected_index = 1
    planner = page.opened.children[1].children[0]
    assert planner.plan.entries.equals(store.plan(int(first["person"]), on=TODAY).entries)


class Clock:
    """The time now, as a test sets it."""

    def __init__(self, at: str):
        self.at = dt.datetime.fromisoformat(at)

    def __call__(self) -> dt.datetime:
        return self.at


def down(*_a, **_k):
    from sqlalchemy.exc import OperationalError

    raise OperationalError("SELECT", {}, Exception("connection refused"))


def test_an_unreachable_database_keeps_the_list_and_says_since_when(made_up, monkeypatch):
    store, _ = made_up
    clock = Clock("2026-12-07 10:30")
    page = Caseload(store, today=TODAY, clock=clock)
    shown, summary = page.rows_text, page.summary.value
    assert "16 people" in summary and page.note.value == ""

    clock.at = dt.datetime(2026, 12, 7, 10, 42)
    monkeypatch.setattr("backguide.views.caseload.caseload", down)
    page.refresh()
    # The summary and the table stay as they were; a note says when it tried and since when.
    assert page.summary.value == summary and page.rows_text == shown
    assert text_of(page.note.value) == (
        "Could not refresh at 10:42: the database cannot be reached; showing the list from "
        "10:30. Press Refresh to try again.")
    # Tried again, still down, the next morning: the list's day is said too.
    clock.at = dt.datetime(2026, 12, 8, 8, 5)
    page.refresh()
    assert text_of(page.note.value) == (
        "Could not refresh at 08:05: the database cannot be reached; showing the list from "
        "10:30 on Monday 7 December. Press Refresh to try again.")
    assert page.summary.value == summary and page.rows_text == shown

    monkeypatch.undo()
    clock.at = dt.datetime(2026, 12, 8, 8, 6)
    page.refresh()
    assert page.note.value == "" and "16 people" in page.summary.value
    # Down again: the list now shown is from the last refresh that worked.
    monkeypatch.setattr("backguide.views.caseload.caseload", down)
    clock.at = dt.datetime(2026, 12, 8, 8, 20)
    page.refresh()
    assert "showing the list from 08:06." in text_of(page.note.value)


def test_a_page_opened_while_the_database_is_down_says_there_is_no_list_yet(made_up,
                                                                             monkeypatch):
    store, _ = made_up
    monkeypatch.setattr("backguide.views.caseload.caseload", down)
    page = Caseload(store, today=TODAY, clock=Clock("2026-12-07 09:15"))
    assert page.rows_text == [] and page.summary.value == ""
    assert text_of(page.note.value) == ("Could not read the caseload at 09:15: the database "
                                        "cannot be reached. Press Refresh to try again.")
    monkeypatch.undo()
    page.refresh()
    assert len(page.rows_text) == 16 and page.note.value == ""


def test_the_pain_dates_query_failing_keeps_the_list_too(made_up, monkeypatch):
    store, _ = made_up
    page = Caseload(store, today=TODAY, clock=Clock("2026-12-07 10:30"))
    shown, summary = page.rows_text, page.summary.value
    monkeypatch.setattr("backguide.views.caseload.pain_dates", down)
    page.refresh()
    assert page.rows_text == shown and page.summary.value == summary
    assert "cannot be reached; showing the list from 10:30" in text_of(page.note.value)


def test_dev_py_db_starts_a_local_postgresql_and_prints_no_password(tmp_path):
    folder = Path(tempfile.mkdtemp(prefix="backguide-db-"))
    os.chmod(folder, 0o755)  # the server's own user must reach its folder
    env = {**os.environ, "BACKGUIDE_DB_FOLDER": str(folder / "postgres")}
    try:
        out = subprocess.run([sys.executable, "-m", "backguide.journal.localdb"], env=env,
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        said = out.stdout
        pgpass = folder / "postgres" / "pgpass"
        password = pgpass.read_text().strip().rsplit(":", 1)[1]
        assert password not in said and oct(pgpass.stat().st_mode & 0o777) == "0o600"
        url = re.search(r"BACKGUIDE_DATABASE_URL=(\S+)", said).group(1)
        assert re.fullmatch(r"postgresql://backguide_owner@127\.0\.0\.1:\d+/backguide", url)
        assert f"PGPASSFILE={pgpass}" in said
        os.environ["PGPASSFILE"] = str(pgpass)
        try:
            with bg.open_store(url) as store:  # the migrations run as the owner
                assert store.read("people").empty
                assert password not in repr(store)
        finally:
            del os.environ["PGPASSFILE"]
    finally:
        stop = subprocess.run([sys.executable, "-m", "backguide.journal.localdb", "--stop"],
                              env=env, capture_output=True, text=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)
    assert stop.stdout.strip() == "PostgreSQL stopped."


def row(**given) -> dict:
    """A caseload row with nothing to say but what is ``given``."""
    nan = float("nan")
    return {"person": 1, "name": "Ada", "plan": "Gentle start", "weeks_in": 2,
            "adherence_14d": nan, "pain_now": nan, "pain_start": nan, "pain_up": False,
            "pain_change_important": False, "peg_change": nan, "psfs_change": nan,
            "days_since_check_in": 1, "reasons": "", **given}


def cell(column: str, **given) -> str:
    from backguide.views.caseload import table_rows

    return table_rows(pd.DataFrame([row(**given)]))[0][COLUMNS.index(column)]


def test_a_share_done_reads_as_the_progress_page_words_it():
    """12.5% is "13%" on both pages (it read "12%" here, rounded half to even)."""
    assert cell("Done, last 14 days", adherence_14d=0.125) == "13%"
    assert adherence_sentence({"planned": 8, "done": 1, "partly": 0}).endswith("(13%).")


def test_an_important_change_of_pain_says_which_way_in_words():
    """The arrow stays to see; the words say what it means, as the progress page does."""
    worse = cell("Pain now (start)", pain_now=6.5, pain_start=4.0, pain_up=True,
                 pain_change_important=True)
    better = cell("Pain now (start)", pain_now=3.0, pain_start=6.0,
                  pain_change_important=True)
    assert worse == "6.5 (4.0) \u25b2 important worsening"
    assert better == "3.0 (6.0) \u25bc important improvement"
    assert cell("Pain now (start)", pain_now=5.0, pain_start=4.6) == "5.0 (4.6)"
    # The progress page says the same change in the same words.
    said = progress_headline({"start": 4.0, "now": 6.5, "direction": "worse",
                              "first_date": pd.Timestamp("2026-11-02"),
                              "last_date": pd.Timestamp("2026-12-07")})
    assert said.endswith("up from 4.0 in your first week: an important worsening.")


def test_the_changes_and_days_read_as_a_person_says_them():
    assert cell("PEG change", peg_change=-2.96) == "-3.0"
    assert cell("PSFS change", psfs_change=1) == "+1.0"
    assert cell("PSFS change", psfs_change=-0.04) == "0.0"  # no "-0.0"
    assert cell("Last check-in", days_since_check_in=0) == "today"
    assert cell("Last check-in", days_since_check_in=float("nan")) == "never"
    assert cell("Why a call", reasons="No check-in for 9 days") == "No check-in for 9 days"


def test_an_old_pain_score_says_when_it_was(tmp_path, monkeypatch):
    """Pain "now" a week old or more says how old; one from this week reads as now."""
    monkeypatch.setenv("BACKGUIDE_HOME", str(tmp_path / "home"))
    with bg.open_store() as store:
        day = {n: TODAY - dt.timedelta(days=n) for n in range(40)}
        people = {}
        for name, scores in {"Old": {30: 3, 12: 4}, "Week": {7: 5}, "Six": {6: 2},
                             "Fresh": {20: 6, 1: 6, 0: 6}}.items():
            people[name] = store.add_person(name)
            for n, score in scores.items():
                store.check_in(people[name], day[n], pain=score)
        # Old checked in today, but said no pain score: their pain is still 12 days old.
        store.check_in(people["Old"], TODAY, peg={"pain": 5, "enjoyment": 5, "activity": 5})
        page = Caseload(store, today=TODAY)
        shown = {r[COLUMNS.index("Person")]: r for r in page.rows_text}
    pain = {name: r[COLUMNS.index("Pain now (start)")] for name, r in shown.items()}
    # Old's 3 -> 4 is up by 30% of the start or more: important, and 12 days old.
    assert pain == {"Old": "4.0 (3.0) \u25b2 important worsening, last scored 12 days ago",
                    "Week": "5.0 (5.0), last scored 7 days ago",
                    "Six": "2.0 (2.0)", "Fresh": "6.0 (6.0)"}
    assert shown["Old"][COLUMNS.index("Last check-in")] == "today"
