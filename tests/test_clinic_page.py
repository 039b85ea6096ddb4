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

import pytest

import backguide as bg
from backguide.journal import demo
from backguide.views.caseload import COLUMNS, Caseload

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
    rows = page.rows_text
    assert len(rows) == 16
    # Every flagged person comes before every one without a flag, and says why.
    n = int(flagged.sum())
    assert all(r[-1] for r in rows[:n]) and not any(r[-1] for r in rows[n:])
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


def test_an_unreachable_database_is_said_and_refresh_tries_again(made_up, monkeypatch):
    from sqlalchemy.exc import OperationalError

    store, _ = made_up
    page = Caseload(store, today=TODAY)
    shown = page.rows_text

    def down(*_a, **_k):
        raise OperationalError("SELECT", {}, Exception("connection refused"))

    monkeypatch.setattr("backguide.views.caseload.caseload", down)
    page.refresh()
    assert "cannot be reached" in page.summary.value and page.rows_text == shown
    monkeypatch.undo()
    page.refresh()
    assert "16 people" in page.summary.value


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


def test_a_share_done_reads_as_the_progress_page_words_it():
    """12.5% is "13%" on both pages (it read "12%" here, rounded half to even)."""
    from backguide.views.caseload import table_rows

    row = {"name": "Ada", "plan": "Gentle start", "weeks_in": 2, "adherence_14d": 0.125,
           "pain_now": float("nan"), "pain_start": float("nan"), "pain_up": False,
           "pain_change_important": False, "peg_change": float("nan"),
           "psfs_change": float("nan"), "days_since_check_in": 1, "reasons": ""}
    import pandas as pd

    assert table_rows(pd.DataFrame([row]))[0][3] == "13%"
