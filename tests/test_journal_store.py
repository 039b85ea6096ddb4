"""The journal's store, on SQLite and on a throwaway PostgreSQL, with the same tests.

What a person would notice: a check-in reads back as it was entered; a bad
value is refused with the field named and nothing of that check-in kept; a
kernel killed mid-save loses nothing already saved; several kernels saving
at once all land; two saving one plan name do not both say "Saved"; the
file of health data is readable by its owner only; plans saved in the old
folder all come across.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import event

import backguide as bg
from backguide.errors import BackguideError
from backguide.journal import models
from backguide.journal.columns import COLUMNS, TABLES
from backguide.journal.store import JournalError, UnreadablePlans, open_store
from backguide.store import PlanExists, PlanStore
from processes import SPAWN, run_processes

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date.today()
#: Every date in these tests is in the past, counted back from today.
START = TODAY - dt.timedelta(days=70)
DAY1 = START + dt.timedelta(days=7)
#: Longest a test waits for its processes.
PROCESS_TIMEOUT_S = 30


def day(n: int) -> dt.date:
    return DAY1 + dt.timedelta(days=n)


def ada_plan(name: str = "Ada's week") -> bg.Plan:
    return (bg.Plan(name=name).add("Monday", "cat_cow").add("Monday", "pelvic_tilt")
            .add("Thursday", "glute_bridge"))


DONE = [{"exercise": "cat_cow", "status": "done", "felt": "easier", "reps": 10},
        {"exercise": "pelvic_tilt", "status": "partly", "felt": "hurt more", "sets": 1},
        {"exercise": "glute_bridge", "status": "skipped", "felt": None}]


# `url` and `store` (each engine in turn) are tests/pg.py's fixtures.


@pytest.fixture
def ada(store) -> int:
    person = store.add_person("Ada", clinician="Dr Okafor")
    store.set_plan(person, ada_plan(), starts=START)
    return person


def _snapshot(store) -> dict[str, list]:
    return {t: store.read(t).astype(str).values.tolist() for t in TABLES}


# --- a check-in reads back ------------------------------------------------------------

def test_a_check_in_reads_back_as_entered(store, ada):
    monday = START + dt.timedelta(days=(7 - START.weekday()) % 7 + 7)
    store.check_in(ada, monday, done=pd.DataFrame(DONE), pain=4,
                   peg={"pain": 4, "enjoyment": 5, "activity": 6},
                   psfs={"Walking to the shop": 3, "Lifting my son": 2},
                   signs=["nice_ng59_red_fever"])
    done = store.read("done", person=ada)
    assert list(done.columns) == list(COLUMNS["done"])
    # One row per exercise, in the order they were given.
    assert done["exercise"].tolist() == ["cat_cow", "pelvic_tilt", "glute_bridge"]
    assert done["status"].tolist() == ["done", "partly", "skipped"]
    assert done["felt"].tolist()[:2] == ["easier", "hurt more"] and pd.isna(done["felt"][2])
    assert done["reps"].tolist()[0] == 10 and done["sets"].tolist()[1] == 1
    assert done[["sets", "hold_s", "minutes"]].isna().sum().tolist() == [2, 3, 3]
    assert done["session"].tolist() == [0, 0, 0] and done["version"].tolist() == [1, 1, 1]
    assert (done["day"] == "Monday").all()
    assert (done["date"] == pd.Timestamp(monday)).all()
    assert (done["week"] == pd.Timestamp(monday)).all(), "a Monday is its own week"
    pain = store.read("pain")
    assert pain[["person", "nprs"]].values.tolist() == [[ada, 4]]
    assert pain["week"][0] == pd.Timestamp(monday)
    peg = store.read("peg")
    assert peg[["pain", "enjoyment", "activity", "score"]].values.tolist() == [[4, 5, 6, 5.0]]
    psfs = store.read("psfs").sort_values("activity")
    assert psfs[["activity", "score"]].values.tolist() == [["Lifting my son", 2],
                                                         ["Walking to the shop", 3]]
    assert store.read("signs")["sign"].tolist() == ["nice_ng59_red_fever"]
    people = store.read("people")
    assert people[["person", "name", "clinician"]].values.tolist() == [[ada, "Ada", "Dr Okafor"]]


def test_a_sunday_belongs_to_the_week_of_its_monday(store, ada):
    sunday = START + dt.timedelta(days=(6 - START.weekday()) % 7 + 7)
    store.check_in(ada, sunday, pain=2)
    assert store.read("pain")["week"][0] == pd.Timestamp(sunday - dt.timedelta(days=6))


def test_every_table_has_its_columns_and_dtypes_even_empty(store, ada):
    empty = {t: store.read(t) for t in TABLES}
    store.check_in(ada, day(0), done=DONE, pain=3, peg={"pain": 1, "enjoyment": 2,
                   "activity": 3}, psfs={"Walking": 4}, signs=["nice_ng59_red_fever"])
    for t in TABLES:
        full = store.read(t)
        assert list(empty[t].columns) == list(COLUMNS[t]), t
        assert empty[t].dtypes.to_dict() == full.dtypes.to_dict(), t
        assert len(full) > 0 if t != "people" else len(full) == 1
        for c in ("date", "week", "starts", "created"):
            if c in full:
                assert str(full[c].dtype).startswith("datetime64"), (t, c)
        for c in ("person", "version"):
            if c in full:
                assert full[c].dtype == "int64", (t, c)


def test_checking_in_again_replaces_only_the_parts_given(store, ada):
    store.check_in(ada, day(0), done=DONE, pain=6)
    store.check_in(ada, day(0), done=DONE[:1])
    assert store.read("done")["exercise"].tolist() == ["cat_cow"]
    assert store.read("pain")["nprs"].tolist() == [6], "pain was not given again: kept"
    store.check_in(ada, day(0), pain=2)
    assert store.read("pain")["nprs"].tolist() == [2]
    assert len(store.read("done")) == 1


def test_read_of_one_person_leaves_out_the_others(store, ada):
    bob = store.add_person("Bob")
    store.set_plan(bob, ada_plan(), starts=START)
    store.check_in(ada, day(0), pain=3)
    store.check_in(bob, day(0), pain=7)
    assert store.read("pain", person=bob)["nprs"].tolist() == [7]
    assert sorted(store.read("pain")["nprs"]) == [3, 7]


# --- refused, with the field named, and nothing written ---------------------------------

REFUSED = {
    "pain 11": (dict(pain=11), "pain"),
    "pain -1": (dict(pain=-1), "pain"),
    "pain 4.5": (dict(pain=4.5), "pain"),
    "a day in the future": (dict(pain=3, day=TODAY + dt.timedelta(days=1)), "day"),
    "a status outside the list": (dict(done=[{**DONE[0], "status": "finished"}]),
                                  "done[0].status"),
    "a feeling outside the list": (dict(done=[DONE[0], {**DONE[1], "felt": "great"}]),
                                   "done[1].felt"),
    "an exercise not in the plan": (dict(done=[{**DONE[0], "exercise": "cobra"}]),
                                    "done[0].exercise"),
    "a misspelt exercise": (dict(done=[{**DONE[0], "exercise": "cat-cow"}]),
                            "done[0].exercise"),
    "no plan that day": (dict(done=DONE[:1], day=START - dt.timedelta(days=1)), "done"),
    "a misspelt column": (dict(done=[{"exercise": "cat_cow", "stauts": "done"}]), "done"),
    "a dose beyond its range": (dict(done=[{**DONE[0], "reps": 999}]), "done[0].reps"),
    "a feeling for a skipped exercise": (dict(done=[{**DONE[2], "felt": "easier"}]),
                                         "done[0].felt"),
    "a PEG item missing": (dict(peg={"pain": 3, "enjoyment": 3}), "peg"),
    "a PEG item out of range": (dict(peg={"pain": 3, "enjoyment": 11, "activity": 3}),
                                "peg.enjoyment"),
    "six PSFS activities": (dict(psfs={f"Activity {i}": 5 for i in range(6)}), "psfs"),
    "an unknown warning sign": (dict(signs=["red_fevr"]), "signs[0]"),
    "an unknown person": (dict(pain=3, person=999), "person"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(store, ada, case):
    store.check_in(ada, day(0), done=DONE, pain=5, psfs={"Walking": 4})
    before = _snapshot(store)
    kwargs, field = REFUSED[case]
    kwargs = dict(kwargs)
    person, when = kwargs.pop("person", ada), kwargs.pop("day", day(0))
    # A good part beside the bad one: it must not be kept either.
    good = {"pain": 1} if "pain" not in kwargs else {"psfs": {"Walking": 9}}
    with pytest.raises(JournalError) as caught:
        store.check_in(person, when, **good, **kwargs)
    assert isinstance(caught.value, BackguideError)
    assert caught.value.field == field
    assert f"column {field}:" in str(caught.value)
    assert _snapshot(store) == before


def test_a_fault_half_way_through_the_writes_keeps_nothing_of_that_check_in(store, ada):
    store.check_in(ada, day(0), done=DONE, pain=5)
    before = _snapshot(store)

    def fail_on_signs(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("INSERT INTO SIGNS"):
            raise RuntimeError("the disk is full")

    event.listen(store.engine, "before_cursor_execute", fail_on_signs)
    try:
        with pytest.raises(RuntimeError, match="disk is full"):
            store.check_in(ada, day(0), done=DONE[:1], pain=9, signs=["nice_ng59_red_fever"])
    finally:
        event.remove(store.engine, "before_cursor_execute", fail_on_signs)
    assert _snapshot(store) == before


# --- plans ------------------------------------------------------------------------------

def test_plan_versions_are_kept_and_the_one_in_force_is_found_by_date(store, ada):
    week2 = ada_plan().add("Friday", "cobra")
    assert store.set_plan(ada, week2, starts=day(14)) == 2
    assert store.plan(ada, on=day(13)) == ada_plan()
    assert store.plan(ada, on=day(14)) == week2
    assert store.plan(ada) == week2
    assert store.plan(ada, on=START - dt.timedelta(days=1)) is None
    plans = store.read("plans")
    assert plans[["version", "name"]].values.tolist() == [[1, "Ada's week"], [2, "Ada's week"]]
    assert plans["starts"].tolist() == [pd.Timestamp(START), pd.Timestamp(day(14))]
    entries = store.read("entries", person=ada)
    assert entries.groupby("version").size().tolist() == [3, 4]
    assert entries[entries["version"] == 2]["exercise"].tolist() == [
        "cat_cow", "pelvic_tilt", "glute_bridge", "cobra"]
    # A check-in is checked against the version in force that day.
    with pytest.raises(JournalError, match="cobra"):
        store.check_in(ada, day(13), done=[{**DONE[0], "exercise": "cobra"}])
    store.check_in(ada, day(14), done=[{**DONE[0], "exercise": "cobra"}])
    assert store.read("done")["version"].tolist() == [2]


def test_a_plan_reads_back_equal_with_its_notes_and_claims(store, ada):
    plan = bg.load_starter("gentle_start").replace(person="Ada", notes="Go gently",
                                                   start=START)
    version = store.set_plan(ada, plan, starts=day(3))
    assert store.plan(ada, on=day(3)) == plan
    assert store.read("entries")["version"].eq(version).sum() == len(plan.entries)


def test_saving_a_name_already_saved_is_asked_and_replace_adds_a_version(store, ada):
    assert store.plan_names(ada) == ["Ada's week"]
    with pytest.raises(PlanExists) as caught:
        store.save_plan(ada, ada_plan("ada's   WEEK"))
    assert caught.value.existing_name == "Ada's week"
    assert len(store.read("plans")) == 1, "nothing written"
    changed = ada_plan("ada's   WEEK").add("Friday", "cobra")
    assert store.save_plan(ada, changed, replace=True) == 2
    assert store.load_plan(ada, "ADA'S WEEK") == changed
    assert store.plan_names(ada) == ["ada's   WEEK"]
    store.save_plan(ada, ada_plan("Bob's week"))
    assert store.plan_names(ada) == ["ada's   WEEK", "Bob's week"]
    with pytest.raises(JournalError, match="Bob's week"):
        store.load_plan(ada, "Carol's week")


def test_a_plan_saved_under_a_name_is_followed_only_when_asked(store, ada):
    """A routine saved for later is not what the check-in asks about, nor what
    adherence counts; following it makes it so, from the day asked."""
    routine = bg.Plan(name="Morning routine").add("Monday", "cobra")
    store.save_plan(ada, routine, starts=day(0))
    assert store.plan(ada, on=day(1)) == ada_plan(), "Ada's week is still the one in force"
    assert store.read("plans", person=ada)["follow"].tolist() == [True, False]
    # Adherence over days 0-6 counts Ada's week: Monday 2 and Thursday 1 entries.
    t = store.read_tables(person=ada)
    got = bg.adherence(t["done"], t["plans"], t["entries"], by=(), today=day(0) + dt.timedelta(
        days=6 - day(0).weekday()))
    assert int(got["planned"].iloc[0]) > 0
    mondays = sum(1 for k in range((day(0) - START).days + 7 - day(0).weekday())
                  if (START + dt.timedelta(days=k)).weekday() == 0)
    thursdays = sum(1 for k in range((day(0) - START).days + 7 - day(0).weekday())
                    if (START + dt.timedelta(days=k)).weekday() == 3)
    assert int(got["planned"].iloc[0]) == 2 * mondays + thursdays
    version = store.follow(ada, "morning ROUTINE", starts=day(2))
    assert version == 3
    assert store.plan(ada, on=day(1)) == ada_plan()
    assert store.plan(ada, on=day(2)) == routine
    assert store.read("plans", person=ada)["follow"].tolist() == [True, False, True]
    with pytest.raises(JournalError, match="Morning routine"):
        store.follow(ada, "Evening routine")
    # A whole record keeps which versions were followed.
    record = json.loads(json.dumps(store.export_person(ada)))
    assert [v["follow"] for v in record["plans"]] == [True, False, True]
    copy = store.import_person(record)
    assert store.read("plans", person=copy)["follow"].tolist() == [True, False, True]
    # A record of schema 1 (before plans could be only saved) has every version followed.
    old = {**record, "schema": 1,
           "plans": [{k: v for k, v in p.items() if k != "follow"} for p in record["plans"]]}
    assert record["schema"] == 2
    again = store.import_person(old)
    assert store.read("plans", person=again)["follow"].tolist() == [True, True, True]


def test_me_is_one_person_called_me(store):
    me = store.me()
    assert store.me() == me
    assert store.read("people")[["person", "name"]].values.tolist() == [[me, "Me"]]


def test_a_whole_record_exports_to_json_and_imports_as_it_was(store, ada):
    store.set_plan(ada, bg.load_starter("gentle_start"), starts=day(7))
    store.check_in(ada, day(0), done=DONE, pain=5, peg={"pain": 5, "enjoyment": 4,
                   "activity": 3}, psfs={"Gardening": 2}, signs=["nice_ng59_red_trauma"])
    store.check_in(ada, day(8), done=[{"exercise": "knee_roll", "status": "done",
                                       "felt": "about right", "minutes": 5}], pain=3)
    record = json.loads(json.dumps(store.export_person(ada)))
    copy = store.import_person(record)
    assert copy != ada
    assert store.export_person(copy) == record
    for t in ("done", "pain", "peg", "psfs", "signs", "entries", "plans"):
        a = store.read(t, person=ada).drop(columns="person")
        b = store.read(t, person=copy).drop(columns="person")
        pd.testing.assert_frame_equal(a, b)
    assert len(store.read("done", person=copy)) == 4


def test_a_broken_record_is_refused_and_nothing_is_imported(store, ada):
    store.check_in(ada, day(0), done=DONE, pain=5)
    record = store.export_person(ada)
    record["pain"][0]["nprs"] = 12
    before = _snapshot(store)
    with pytest.raises(JournalError, match="pain"):
        store.import_person(record)
    assert _snapshot(store) == before


def test_a_saved_plan_folder_imports_whole_oldest_first_and_only_once(store, tmp_path):
    folder = PlanStore(tmp_path / "saved_plans")
    names = ["Week one", "Week two", "日本語の計画"]
    plans = [ada_plan(n).add("Tuesday", "cobra") for n in names]
    for i, plan in enumerate(plans):
        path = folder.save(plan)
        stamp = dt.datetime.combine(day(i * 7), dt.time(9, 30)).timestamp()
        os.utime(path, (stamp, stamp))
    broken = folder.folder / "broken-0000.json"
    broken.write_text('{"schema": 1, "name": ', encoding="utf-8")
    with pytest.raises(UnreadablePlans) as caught:
        store.import_folder(folder.folder)
    assert caught.value.imported == 3
    assert "broken-0000.json" in str(caught.value) and "3 plans imported" in str(caught.value)
    me = store.me()
    got = store.read("plans", person=me)
    assert got["name"].tolist() == names
    assert not got["follow"].any() and store.plan(me) is None, "kept, not followed"
    assert got["starts"].tolist() == [pd.Timestamp(day(i * 7)) for i in range(3)]
    for name, plan in zip(names, plans):
        assert store.load_plan(me, name) == plan
    broken.unlink()
    assert store.import_folder(folder.folder) == 0
    assert len(store.read("plans")) == 3
    assert broken.parent.is_dir() and len(list(folder.folder.glob("*.json"))) == 3


# --- the file, its folder, and the URL's password -------------------------------------

def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_default_file_is_the_owners_only_even_with_a_lax_umask(tmp_path, monkeypatch):
    monkeypatch.delenv("BACKGUIDE_DATABASE_URL", raising=False)
    monkeypatch.delenv("BACKGUIDE_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    old = os.umask(0)
    try:
        with open_store() as store:
            store.check_in(store.me(), day(0), pain=3)
            folder = tmp_path / "xdg" / "backguide"
            files = sorted(p.name for p in folder.iterdir())
            assert files == ["journal.sqlite", "journal.sqlite-shm", "journal.sqlite-wal"]
            assert _mode(folder) == 0o700
            for name in files:
                assert _mode(folder / name) == 0o600, name
            assert os.umask(0) == 0, "the umask is given back"
    finally:
        os.umask(old)


def test_sqlite_keeps_a_write_ahead_log_checks_keys_and_waits_for_writers(tmp_path):
    with open_store(folder=tmp_path) as store, store.engine.connect() as conn:
        pragma = {p: conn.exec_driver_sql(f"PRAGMA {p}").scalar()
                  for p in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")}
    assert pragma == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 30_000,
                      "synchronous": 1}  # 1 is NORMAL


def test_an_unknown_table_or_a_url_beside_a_folder_is_refused(store, tmp_path):
    with pytest.raises(JournalError, match="one of people, plans, entries"):
        store.read("diary")
    with pytest.raises(BackguideError, match="not both"):
        open_store("sqlite://", folder=tmp_path)


def test_backguide_home_and_the_url_variable_choose_the_database(tmp_path, monkeypatch):
    monkeypatch.delenv("BACKGUIDE_DATABASE_URL", raising=False)
    monkeypatch.setenv("BACKGUIDE_HOME", str(tmp_path / "home"))
    with open_store() as store:
        store.me()
    assert (tmp_path / "home" / "journal.sqlite").is_file()
    monkeypatch.setenv("BACKGUIDE_DATABASE_URL", f"sqlite:///{tmp_path}/other.sqlite")
    with open_store() as store:
        assert store.read("people").empty
    assert _mode(tmp_path / "other.sqlite") == 0o600


def test_a_password_is_never_shown(postgres, caplog):
    secret = "pw-9f3k-SECRET"
    closed = postgres.url(password=secret).replace(f":{postgres.port}/", ":1/")
    caplog.set_level(logging.DEBUG)
    with pytest.raises(BackguideError) as caught:
        open_store(closed)
    assert secret not in str(caught.value) and "***" in str(caught.value)
    with pytest.raises(BackguideError) as caught:
        open_store(f"postgresql+psycopg://ada:{secret}@127.0.0.1:notaport/x")
    assert secret not in str(caught.value)
    schema = postgres.new_schema().rsplit("%3D", 1)[1]
    with open_store(postgres.url(schema, password=secret)) as store:
        assert secret not in repr(store) and "***" in repr(store)
        store.me()
    assert secret not in caplog.text


def test_another_kind_of_database_is_refused():
    with pytest.raises(BackguideError, match="sqlite:// or postgresql"):
        open_store("mysql://ada:pw@127.0.0.1/x")


def test_the_migrations_build_the_tables_the_models_declare(store):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, models.metadata) == []


def test_an_installed_wheel_opens_a_store_outside_the_checkout(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--quiet", "-w", str(tmp_path), str(ROOT)], check=True)
    (wheel,) = tmp_path.glob("backguide-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as z:
        assert "backguide/journal/migrations/versions/0001_journal.py" in z.namelist()
        z.extractall(site)
    code = ("import sys; sys.path.insert(0, sys.argv[1]);"
            "from backguide.journal.store import open_store, MIGRATIONS;"
            "s = open_store(folder=sys.argv[2]); print(s.me(), MIGRATIONS)")
    out = subprocess.run([sys.executable, "-I", "-c", code, str(site), str(tmp_path / "d")],
                         cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["1", str(site / "backguide" / "journal" / "migrations")]


# --- processes: killed, and at once -----------------------------------------------------

def _failed(queue, i, barrier, exc: BaseException) -> None:
    barrier.abort()
    queue.put((i, f"FAILED {type(exc).__name__}: {exc}"))


def _checking_in(queue, i, url, who, days, barrier):
    try:
        barrier.wait(PROCESS_TIMEOUT_S)  # everyone opens the new database at once
        with open_store(url) as store:
            person = store.me() if who == "me" else store.add_person(who)
            store.set_plan(person, ada_plan(), starts=START)
            barrier.wait(PROCESS_TIMEOUT_S)
            for n in days:
                store.check_in(person, day(n), done=DONE, pain=n % 11)
        queue.put((i, person))
    except BaseException as exc:  # noqa: BLE001 (reported to the test)
        _failed(queue, i, barrier, exc)


def test_six_processes_checking_in_at_once_all_land(url):
    jobs = [(f"Person {k}", range(6)) for k in range(4)]
    jobs += [("me", range(0, 6)), ("me", range(6, 12))]
    barrier = SPAWN.Barrier(len(jobs))
    people = run_processes([(_checking_in, (url, who, list(days), barrier))
                            for who, days in jobs], PROCESS_TIMEOUT_S)
    assert people[4] == people[5], "both kernels of one person found the same Me"
    with open_store(url) as store:
        pain = store.read("pain")
        assert pain.groupby("person").size().to_dict() == {
            **{p: 6 for p in people[:4]}, people[4]: 12}
        done = store.read("done")
        assert done.groupby("person").size().to_dict() == {
            **{p: 18 for p in people[:4]}, people[4]: 36}
        assert sorted(store.read("people")["name"]) == ["Me", *(f"Person {k}"
                                                              for k in range(4))]


def _saving(queue, i, url, person, rounds, barrier):
    try:
        results = []
        with open_store(url) as store:
            for r in range(rounds):
                barrier.wait(PROCESS_TIMEOUT_S)
                try:
                    store.save_plan(person, ada_plan(f"Week {r}").add("Sunday", "cobra"))
                    results.append("saved")
                except PlanExists:
                    results.append("asked")
        queue.put((i, results))
    except BaseException as exc:  # noqa: BLE001 (reported to the test)
        _failed(queue, i, barrier, exc)


def test_two_processes_saving_one_name_one_wins_and_the_other_is_asked(store, url):
    person = store.add_person("Ada")
    rounds = 10
    barrier = SPAWN.Barrier(2)
    a, b = run_processes([(_saving, (url, person, rounds, barrier))] * 2, PROCESS_TIMEOUT_S)
    assert [{x, y} for x, y in zip(a, b)] == [{"saved", "asked"}] * rounds
    plans = store.read("plans", person=person)
    assert plans["name"].tolist() == [f"Week {r}" for r in range(rounds)]


def _killed_mid_check_in(queue, i, url, person, kill_at):
    with open_store(url) as store:
        for n in range(kill_at):
            store.check_in(person, day(n), done=DONE, pain=n, psfs={"Walking": n})
            queue.put((i, ("saved", n)))

        def stall(conn, cursor, statement, *args):
            # The done rows of this day are written; its pain is next.
            if statement.lstrip().upper().startswith("INSERT INTO PAIN"):
                queue.put((i, ("mid", kill_at)))
                time.sleep(PROCESS_TIMEOUT_S)

        event.listen(store.engine, "before_cursor_execute", stall)
        store.check_in(person, day(kill_at), done=DONE, pain=9, psfs={"Walking": 9})


def test_kill_9_in_the_middle_of_a_check_in_loses_nothing_saved_and_keeps_no_half_day(
        store, ada, url):
    kill_at = 4
    queue = SPAWN.Queue()
    proc = SPAWN.Process(target=_killed_mid_check_in, args=(queue, 0, url, ada, kill_at))
    proc.start()
    saved = []
    try:
        while True:
            _, (what, n) = queue.get(timeout=PROCESS_TIMEOUT_S)
            if what == "mid":
                break
            saved.append(n)
        proc.kill()  # SIGKILL: no cleanup, no rollback from the client
    finally:
        proc.join(timeout=10)
        if proc.is_alive():
            proc.kill()
    assert proc.exitcode == -9
    assert saved == list(range(kill_at))
    with open_store(url) as after:
        done = after.read("done")
        assert sorted(done["date"].dt.date.unique()) == [day(n) for n in saved]
        assert done.groupby("date").size().tolist() == [3] * kill_at
        assert after.read("pain")["nprs"].tolist() == saved
        assert after.read("psfs")["score"].tolist() == saved
        # The day that was cut short can be saved again.
        after.check_in(ada, day(kill_at), done=DONE, pain=9)
        assert after.read("pain")["nprs"].tolist() == [*saved, 9]
