"""The clinician's caseload, on SQLite and on a throwaway PostgreSQL, grouped both ways.

What a clinician would notice: the numbers of each person (plan, weeks in,
adherence over 14 days, pain now against the start, PEG and PSFS change,
days since the last check-in); the flags and the reasons in words; the person
who needs a call first; and that grouping in pandas and in the database give
the same table.  The journal is built here and every expected value is worked
out by hand below, from what was entered.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import insert

import backguide as bg
from backguide.errors import BackguideError
from backguide.journal import caseload as cl
from backguide.journal import models
from backguide.journal.caseload import COLUMNS, caseload

NOW = dt.date.today()
#: The day the caseload is looked at from: the last Sunday before today, so the
#: 14-day window is two whole weeks, Monday T-13 to Sunday T.
T = NOW - dt.timedelta(days=(NOW.weekday() + 1) % 7 or 7)


def d(n: int) -> dt.date:
    """``n`` days before T."""
    return T - dt.timedelta(days=n)


def home_plan() -> bg.Plan:
    # Three entries a week: two on Mondays, one on Thursdays (6 in the window).
    return (bg.Plan(name="Home plan").add("Monday", "cat_cow").add("Monday", "pelvic_tilt")
            .add("Thursday", "glute_bridge"))


def did(exercise: str, felt: str | None, status: str = "done") -> dict:
    return {"exercise": exercise, "status": status, "felt": felt}


# `url` and `store` (each engine in turn) are tests/pg.py's fixtures.


@pytest.fixture
def clinic(store) -> dict[str, int]:
    """Seven people, each with something to notice (worked out in EXPECTED)."""
    ids = {}
    ids["Ada"] = ada = store.add_person("Ada", clinician="Dr Okafor")
    store.set_plan(ada, home_plan(), starts=d(69))
    for n, score in ((60, 4), (58, 4), (12, 6), (9, 7)):
        store.check_in(ada, d(n), pain=score)
    store.check_in(ada, d(13), done=[did("cat_cow", "about right"),
                                     did("pelvic_tilt", "harder", "partly")])
    store.check_in(ada, d(10), done=[did("glute_bridge", None, "skipped")])

    ids["Bob"] = bob = store.add_person("Bob", clinician="Dr Lee")
    store.set_plan(bob, home_plan(), starts=d(20))
    store.check_in(bob, d(13), done=[did("cat_cow", "hurt more"), did("pelvic_tilt", "easier")],
                   pain=5, peg={"pain": 6, "enjoyment": 6, "activity": 6},
                   psfs={"Walking": 2, "Lifting": 4})
    store.check_in(bob, d(10), done=[did("glute_bridge", "about right")])
    store.check_in(bob, d(6), done=[did("cat_cow", "hurt more", "partly"),
                                    did("pelvic_tilt", "easier")])
    store.check_in(bob, d(3), done=[did("glute_bridge", "easier")],
                   peg={"pain": 3, "enjoyment": 3, "activity": 3})
    store.check_in(bob, d(2), pain=5, signs=["nice_ng59_red_fever"],
                   psfs={"Walking": 6, "Lifting": 8})

    ids["Cy"] = cy = store.add_person("Cy", clinician="Dr Okafor")
    store.set_plan(cy, home_plan(), starts=d(30))

    ids["Dee"] = dee = store.add_person("Dee", clinician="Dr Lee")
    store.set_plan(dee, home_plan(), starts=d(13))
    store.check_in(dee, d(14), signs=["nice_ng59_red_fever"])  # a day before the window
    store.check_in(dee, d(13), done=[did("cat_cow", "hurt more"), did("pelvic_tilt", "hurt more")],
                   pain=6)
    store.check_in(dee, d(10), done=[did("glute_bridge", "easier")], pain=6)
    store.check_in(dee, d(6), done=[did("cat_cow", "easier"), did("pelvic_tilt", "about right")])
    store.check_in(dee, d(5), done=[did("cat_cow", "hurt more")])  # moved to a Tuesday
    store.check_in(dee, d(4), pain=3)
    store.check_in(dee, d(3), done=[did("glute_bridge", "easier")])
    store.check_in(dee, d(1), pain=3)

    for name, last in (("Fay", 7), ("Gus", 6)):
        ids[name] = p = store.add_person(name)
        store.set_plan(p, home_plan(), starts=d(20))
        store.check_in(p, d(last), pain=2)
    ids["Eve"] = store.add_person("Eve")  # added today, after T: nothing yet
    return ids


NAN = float("nan")
FEVER = "Back pain with fever or feeling generally unwell"
#: Each person's row, worked out by hand from the clinic fixture.
EXPECTED = {
    # Plan from T-69: week 69 // 7 + 1 = 10.  Planned in the window: Mondays T-13 and
    # T-6 (2 each) and Thursdays T-10 and T-3 (1 each) = 6; done or partly: 2.
    # Pain: first week 4, 4 -> 4.0; last week (to T-9) 6, 7 -> 6.5: up 2.5, at least
    # 30% of 4.0 (1.2 points): important, worse.  Last check-in T-9.
    "Ada": dict(clinician="Dr Okafor", plan="Home plan", weeks_in=10, adherence_14d=2 / 6,
                pain_start=4.0, pain_now=6.5, pain_change_important=True, peg_change=NAN,
                psfs_change=NAN, days_since_check_in=9.0, sign=False, pain_up=True,
                hurt_twice=False, quiet=True,
                reasons="Pain up from 4.0 to 6.5; no check-in for 9 days"),
    # Plan from T-20: week 3.  All 6 done or partly.  Pain 5 then 5.  PEG 6.0 -> 3.0;
    # PSFS mean 3 -> 7.  Cat-cow hurt more at T-13 and again at T-6.  Fever at T-2.
    "Bob": dict(clinician="Dr Lee", plan="Home plan", weeks_in=3, adherence_14d=1.0,
                pain_start=5.0, pain_now=5.0, pain_change_important=False, peg_change=-3.0,
                psfs_change=4.0, days_since_check_in=2.0, sign=True, pain_up=False,
                hurt_twice=True, quiet=False,
                reasons=f"Warning sign on {d(2).day} {d(2):%B}: {FEVER}; "
                        "hurt more twice in a row on Cat-cow"),
    # Plan from T-30: week 5; 0 of 6; never checked in, 30 days since the plan started.
    "Cy": dict(clinician="Dr Okafor", plan="Home plan", weeks_in=5, adherence_14d=0.0,
               pain_start=NAN, pain_now=NAN, pain_change_important=False, peg_change=NAN,
               psfs_change=NAN, days_since_check_in=NAN, sign=False, pain_up=False,
               hurt_twice=False, quiet=True,
               reasons="No check-in since their plan started 30 days ago"),
    # Plan from T-13: week 2; 7 done of 6 planned (one extra, on a Tuesday).  Pain 6, 6
    # -> 3, 3: better.  Cat-cow hurt more, then easier, then hurt more: not twice in a
    # row; pelvic tilt hurt more once.  The sign is the day before the window.
    "Dee": dict(clinician="Dr Lee", plan="Home plan", weeks_in=2, adherence_14d=7 / 6,
                pain_start=6.0, pain_now=3.0, pain_change_important=True, peg_change=NAN,
                psfs_change=NAN, days_since_check_in=1.0, sign=False, pain_up=False,
                hurt_twice=False, quiet=False, reasons=""),
    "Fay": dict(clinician=None, plan="Home plan", weeks_in=3, adherence_14d=0.0,
                pain_start=2.0, pain_now=2.0, pain_change_important=False, peg_change=NAN,
                psfs_change=NAN, days_since_check_in=7.0, sign=False, pain_up=False,
                hurt_twice=False, quiet=True, reasons="No check-in for 7 days"),
    "Gus": dict(clinician=None, plan="Home plan", weeks_in=3, adherence_14d=0.0,
                pain_start=2.0, pain_now=2.0, pain_change_important=False, peg_change=NAN,
                psfs_change=NAN, days_since_check_in=6.0, sign=False, pain_up=False,
                hurt_twice=False, quiet=False, reasons=""),
    "Eve": dict(clinician=None, plan=None, weeks_in=0, adherence_14d=NAN, pain_start=NAN,
                pain_now=NAN, pain_change_important=False, peg_change=NAN, psfs_change=NAN,
                days_since_check_in=NAN, sign=False, pain_up=False, hurt_twice=False,
                quiet=False, reasons=""),
}
#: Who needs a call first: a warning sign (Bob), pain up (Ada), quiet for longest
#: first (Cy 30 days, Fay 7), then the unflagged, longest without a check-in first.
ORDER = ["Bob", "Ada", "Cy", "Fay", "Gus", "Dee", "Eve"]


def _same(got, want) -> bool:
    if isinstance(want, float) and math.isnan(want):
        return isinstance(got, float) and math.isnan(got)
    if want is None:
        return got is None or pd.isna(got)
    if isinstance(want, float):
        return got == pytest.approx(want)
    return got == want


@pytest.mark.parametrize("in_database", [False, True], ids=["pandas", "database"])
def test_each_persons_numbers_flags_and_reasons_are_as_worked_out(store, clinic, in_database):
    table = caseload(store, today=T, in_database=in_database)
    assert list(table.columns) == list(COLUMNS)
    assert sorted(table["person"]) == sorted(clinic.values())
    rows = table.set_index("name")
    wrong = [(name, column, rows.loc[name, column], want)
             for name, expected in EXPECTED.items() for column, want in expected.items()
             if not _same(rows.loc[name, column], want)]
    assert wrong == []
    assert rows.loc["Ada", "person"] == clinic["Ada"]
    for flag in cl.FLAGS:
        assert table[flag].dtype == bool


@pytest.mark.parametrize("in_database", [False, True], ids=["pandas", "database"])
def test_the_person_who_needs_a_call_comes_first(store, clinic, in_database):
    assert caseload(store, today=T, in_database=in_database)["name"].tolist() == ORDER


def test_a_check_in_takes_a_person_off_the_quiet_list(store, clinic):
    store.check_in(clinic["Cy"], T, pain=3)
    row = caseload(store, today=T).set_index("name").loc["Cy"]
    assert (row["quiet"], row["days_since_check_in"], row["reasons"]) == (False, 0.0, "")


@pytest.mark.parametrize("in_database", [False, True], ids=["pandas", "database"])
def test_nothing_after_today_counts(store, clinic, in_database):
    # Seen from T-8: Ada's last check-in (T-9) was yesterday, Bob's sign (T-2) and his
    # second "hurt more" (T-6) are still to come, and Dee's pain is all 6 so far.
    rows = caseload(store, today=d(8), in_database=in_database).set_index("name")
    assert rows.loc["Ada", "days_since_check_in"] == 1.0 and not rows.loc["Ada", "quiet"]
    assert rows.loc["Ada", "reasons"] == "Pain up from 4.0 to 6.5"
    assert not rows.loc["Bob", "sign"] and not rows.loc["Bob", "hurt_twice"]
    assert rows.loc["Bob", "psfs_change"] == 0.0 and rows.loc["Bob", "weeks_in"] == 2
    assert (rows.loc["Dee", "pain_start"], rows.loc["Dee", "pain_now"]) == (6.0, 6.0)
    # Dee's sign at T-14 is in the window T-21..T-8 now.
    assert rows.loc["Dee", "sign"] and rows.loc["Dee", "reasons"].startswith(
        f"Warning sign on {d(14).day} {d(14):%B}: {FEVER}")


@pytest.mark.parametrize("in_database", [False, True], ids=["pandas", "database"])
def test_an_empty_store_gives_an_empty_caseload_with_its_columns(store, in_database):
    table = caseload(store, today=T, in_database=in_database)
    assert list(table.columns) == list(COLUMNS) and len(table) == 0


def test_a_date_that_is_not_one_is_refused_naming_today(store):
    with pytest.raises(BackguideError, match="today"):
        caseload(store, today="next Tuesday")


def test_a_big_caseload_is_grouped_in_the_database(store, clinic, monkeypatch):
    called = []
    grouped = cl.caseload_in_database
    monkeypatch.setattr(cl, "caseload_in_database",
                        lambda *a, **k: called.append("database") or grouped(*a, **k))
    small = caseload(store, today=T)
    monkeypatch.setattr(cl, "IN_DATABASE_FROM", len(clinic))
    big = caseload(store, today=T)
    assert called == ["database"]
    pd.testing.assert_frame_equal(small, big)


# --- both ways agree, on a journal with everything in it ------------------------------------

def random_journal(seed: int, people: int = 30) -> dict[str, list[dict]]:
    """Rows put straight into the tables: plan versions that start before, inside
    and after the window (and a later version starting earlier than an older
    one; some only saved, not followed), several sessions a day, PSFS of one to three activities, scores
    and signs after T, people with nothing."""
    rng = np.random.default_rng(seed)
    exercises = ["cat_cow", "pelvic_tilt", "glute_bridge", "knee_roll"]
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    rows: dict[str, list[dict]] = {t: [] for t in ("clinicians", "people", "plans", "entries",
                                                   "done", "pain", "peg", "psfs", "signs")}
    rows["clinicians"].append({"name": "Dr Okafor", "created": dt.datetime(2026, 1, 1)})
    for p in range(1, people + 1):
        rows["people"].append({"person": p, "name": f"Person {p}",
                               "clinician": "Dr Okafor" if p % 2 else None,
                               "created": dt.datetime.combine(d(int(rng.integers(0, 90))),
                                                              dt.time(9))})
        for v in range(1, int(rng.integers(0, 4)) + 1):
            starts = d(int(rng.integers(-3, 60)))
            # One version in four only saved under its name: never in force.
            rows["plans"].append({"person": p, "version": v, "starts": starts,
                                  "name": f"Plan {v}", "name_key": f"plan {v}", "claims": [],
                                  "created": dt.datetime(2026, 1, 1),
                                  "follow": bool(rng.random() >= 0.25)})
            for k, (day, ex) in enumerate({(str(rng.choice(days)), str(rng.choice(exercises)))
                                           for _ in range(int(rng.integers(0, 6)))}):
                rows["entries"].append({"person": p, "version": v, "day": day, "session": 0,
                                        "order": k, "session_name": "S", "exercise": ex,
                                        "per_side": False, "dose_source": "library"})
        versions = [r["version"] for r in rows["plans"] if r["person"] == p]
        for n in sorted({int(x) for x in rng.integers(-3, 40, int(rng.integers(0, 25)))}):
            date = d(n)
            if versions:
                for s in range(int(rng.integers(1, 3))):
                    for ex in {str(e) for e in rng.choice(exercises, int(rng.integers(1, 4)))}:
                        status = str(rng.choice(["done", "partly", "skipped"]))
                        felt = None if status == "skipped" else str(rng.choice(
                            ["easier", "about right", "harder", "hurt more", "hurt more"]))
                        rows["done"].append({"person": p, "date": date, "session": s,
                                             "exercise": ex, "version": int(rng.choice(versions)),
                                             "place": 0, "status": status, "felt": felt})
            if rng.random() < 0.8:
                rows["pain"].append({"person": p, "date": date, "nprs": int(rng.integers(0, 11))})
            if rng.random() < 0.3:
                rows["peg"].append({"person": p, "date": date, **{
                    k: int(rng.integers(0, 11)) for k in ("pain", "enjoyment", "activity")}})
            if rng.random() < 0.3:
                for a in ("Walking", "Lifting", "Sitting")[:int(rng.integers(1, 4))]:
                    rows["psfs"].append({"person": p, "date": date, "activity": a,
                                         "score": int(rng.integers(0, 11))})
            if rng.random() < 0.08:
                rows["signs"].append({"person": p, "date": date, "sign": str(rng.choice(
                    ["nice_ng59_red_fever", "nice_ng59_red_trauma"]))})
    return rows


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_grouping_in_pandas_and_in_the_database_give_the_same_table(store, seed):
    journal = random_journal(seed)
    with store.engine.begin() as conn:
        for table, rows in journal.items():
            if rows:
                conn.execute(insert(getattr(models, table)), rows)
    if store.engine.dialect.name == "postgresql":  # the ids were given, not drawn
        with store.engine.begin() as conn:
            conn.exec_driver_sql("SELECT setval(pg_get_serial_sequence('people', 'person'), "
                                 "(SELECT max(person) FROM people))")
    for today in (T, d(10)):
        by_pandas = caseload(store, today=today, in_database=False)
        by_database = caseload(store, today=today, in_database=True)
        pd.testing.assert_frame_equal(by_pandas, by_database, check_exact=False)
        flagged = by_pandas[list(cl.FLAGS)].sum()
        assert (flagged > 0).all(), f"every flag is raised for someone: {flagged.to_dict()}"
        assert len(by_pandas) == 30


def test_the_caseload_reads_only_the_columns_it_needs_and_the_same_rows(store, clinic):
    whole = store.read_tables(cl.TABLES)
    part = store.read_tables(cl.TABLES, columns=cl.READ)
    assert list(part["done"].columns) == ["person", "date", "session", "exercise", "status",
                                          "felt"]
    assert list(part["entries"].columns) == ["person", "version", "day"]
    for table, frame in part.items():
        pd.testing.assert_frame_equal(frame, whole[table][frame.columns], obj=table)
    pd.testing.assert_frame_equal(cl.caseload_of(part, today=T), cl.caseload_of(whole, today=T))
    with pytest.raises(BackguideError) as caught:
        store.read_tables(["done"], columns={"done": ["stauts"]})
    assert caught.value.field == "columns" and "status" in str(caught.value)
