"""Time the journal's store and print a table of medians beside baselines from the same run.

    .venv/bin/python benchmarks/bench_store.py          # SQLite
    .venv/bin/python benchmarks/bench_store.py --pg     # and a throwaway PostgreSQL 15
    .venv/bin/python benchmarks/bench_store.py --quick  # fewer runs

The jobs:

* a check-in saved (six exercises done with their doses, pain, the PEG and
  two PSFS activities: one transaction, checked against the plan in force),
  beside a bare ``INSERT`` of one row and its ``COMMIT`` through the driver
  (``sqlite3``, or ``psycopg``) on a database set up the same way (WAL and
  ``synchronous=NORMAL`` on SQLite); target 50 ms on SQLite;
* opening a store that exists (the migrations are checked, none run);
* ``store.read("done")`` of 200 people x 12 weeks (about 100,000 rows, put
  in before the clock starts), beside ``pandas.read_sql`` of the same
  ``SELECT`` with no typing (no datetime64, categoricals or ``week``);
* the same 200 people read (``done``, ``plans``, ``entries``, ``pain``, one
  query each) and measured with ``by=["person", "week"]`` (``adherence`` and
  ``pain_change``), beside a loop over people reading and measuring each one;
  target 300 ms and at least 20x the loop;
* a person's progress page after 12 weeks of check-ins, from the store to the
  chart on show (``ProgressView.refresh``), beside the same with all four
  charts drawn; target 300 ms.

``--pg`` starts a throwaway cluster as ``tests/pg.py`` does (as the
``postgres`` user when run as root) and stops it at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import pandas as pd
from sqlalchemy import insert

import backguide as bg
from backguide.journal import models
from backguide.journal.counts import read_for_measures
from backguide.journal.store import open_store
from backguide.views.progress import ProgressView

ROOT = Path(__file__).resolve().parent.parent
PEOPLE, WEEKS = 200, 12
EXERCISES = ["cat_cow", "pelvic_tilt", "glute_bridge", "knee_roll", "childs_pose",
             "clamshell"]
START = dt.date.today() - dt.timedelta(days=7 * WEEKS + 7)


def median_ms(job, runs: int) -> float:
    times = []
    for i in range(runs):
        t = time.perf_counter()
        job(i)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def the_plan() -> bg.Plan:
    plan = bg.Plan(name="Bench week")
    for day in ("Monday", "Wednesday", "Friday"):
        for ex in EXERCISES:
            plan = plan.add(day, ex)
    return plan


DONE = [{"exercise": ex, "status": "done", "felt": "about right", "sets": 2, "reps": 10}
        for ex in EXERCISES]


def check_in_job(store, person):
    def job(i):
        store.check_in(person, START + dt.timedelta(days=i % (7 * WEEKS)), done=DONE,
                       pain=i % 11, peg={"pain": 4, "enjoyment": 5, "activity": 6},
                       psfs={"Walking": 5, "Gardening": 3})
    return job


def caseload(store) -> None:
    """200 people x 12 weeks of done rows and pain, inserted in bulk (untimed)."""
    plan = the_plan()
    done, pain = [], []
    for p in range(PEOPLE):
        person = store.add_person(f"Person {p}")
        store.set_plan(person, plan, starts=START)
        for d in range(7 * WEEKS):
            day = START + dt.timedelta(days=d)
            pain.append({"person": person, "date": day, "nprs": (p + d) % 11})
            done += [{"person": person, "date": day, "session": 0, "exercise": ex,
                      "version": 1, "place": k, "status": "done", "felt": "easier",
                      "sets": 2.0, "reps": 10.0, "hold_s": None, "minutes": None}
                     for k, ex in enumerate(EXERCISES)]
    with store.engine.begin() as conn:
        conn.execute(insert(models.done), done)
        conn.execute(insert(models.pain), pain)


def measure(name: str, url: str, runs: int, rows: list, bare_insert) -> None:
    with open_store(url) as store:
        person = store.add_person("Ada")
        store.set_plan(person, the_plan(), starts=START)
        check_in_job(store, person)(0)  # warm: the first connection, the library
        rows.append((f"a check-in saved, {name}", median_ms(check_in_job(store, person), runs),
                     median_ms(bare_insert, runs), 50 if name == "SQLite" else None,
                     "bare INSERT of one row + COMMIT"))
    rows.append((f"open_store of an existing store, {name}",
                 median_ms(lambda i: open_store(url).close(), max(runs // 5, 3)), None, None,
                 ""))
    with open_store(url) as store:
        caseload(store)
        sql = str(models.query("done").compile(store.engine))
        with store.engine.connect() as conn, warnings.catch_warnings():
            # pandas warns that it has not tested psycopg's connection; it reads fine.
            warnings.simplefilter("ignore", UserWarning)
            raw = median_ms(lambda i: pd.read_sql(sql, conn.connection.dbapi_connection),
                            max(runs // 10, 3))
        ours = median_ms(lambda i: store.read("done"), max(runs // 10, 3))
        n = len(store.read("done"))
        rows.append((f'read("done"), {PEOPLE} people x {WEEKS} weeks ({n} rows), {name}',
                     ours, raw, None, "pandas.read_sql, untyped"))
        few = max(runs // 20, 3)
        whole = median_ms(lambda i: read_and_measure(store), few)
        people = store.read("people")["person"].tolist()
        loop = median_ms(lambda i: looped_over_people(store, people), max(few // 3, 1))
        a, b = read_and_measure(store), looped_over_people(store, people)
        assert a[0].equals(b[0]) and a[1].equals(b[1]), "the loop must give the same tables"
        rows.append((f'{PEOPLE} people x {WEEKS} weeks read and measured, '
                     f'by=["person", "week"], {name} ({loop / whole:.0f}x the loop)',
                     whole, loop, 300, "a loop over people, each read and measured"))
    with open_store(url) as store:
        person = twelve_weeks(store)
        view = ProgressView(store, person, today=START + dt.timedelta(days=7 * WEEKS - 1))
        page = median_ms(lambda i: view.refresh(), max(runs // 10, 3))
        every = median_ms(lambda i: every_chart(view), max(runs // 20, 3))
        rows.append((f"a person's progress page, {WEEKS} weeks, store to its chart, {name}",
                     page, every, 300, "the same with all four charts drawn"))


def _measures(t: dict, by, today):
    adh = bg.adherence(t["done"], t["plans"], t["entries"], by=by, today=today)
    pain = bg.pain_change(t["pain"], by=by)
    return adh.reset_index(drop=True), pain.reset_index(drop=True)


TABLES = ("done", "plans", "entries", "pain")
TODAY = START + dt.timedelta(days=7 * WEEKS - 1)


def read_and_measure(store):
    """Every person's weeks at once: each table read in one query (the columns the
    measures use, ``done`` counted in the database), in one snapshot, measured by
    person and week."""
    return _measures(read_for_measures(store), ["person", "week"], TODAY)


def looped_over_people(store, people):
    """The baseline: a read and a measure per person, stacked."""
    parts = [_measures(read_for_measures(store, person=p), ["person", "week"], TODAY)
             for p in people]
    return tuple(pd.concat([x[i] for x in parts], ignore_index=True) for i in range(2))


def twelve_weeks(store) -> int:
    """One person's 12 weeks of check-ins: every session done, pain daily, PEG weekly,
    PSFS fortnightly."""
    plan = bg.load_starter("gentle_start")
    person = store.add_person("Twelve weeks")
    store.set_plan(person, plan, starts=START)
    for d in range(7 * WEEKS):
        day = START + dt.timedelta(days=d)
        rows = plan.day(bg.schema.DAYS[day.weekday()])
        done = rows[["exercise", "session"]].assign(status="done", felt="about right")
        store.check_in(person, day, done=done, pain=3 + d % 4,
                       peg={"pain": 5, "enjoyment": 4, "activity": 4} if d % 7 == 0 else None,
                       psfs={"Walking": 3 + d // 14} if d % 14 == 0 else None)
    return person


def every_chart(view) -> None:
    view.refresh()
    for i in range(len(view.charts)):
        view.tabs.selected_index = i
    view.tabs.selected_index = 0


def sqlite_bare(folder: Path):
    conn = sqlite3.connect(folder / "bare.sqlite", isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("CREATE TABLE pain (person INTEGER, date TEXT, nprs INTEGER, "
                 "PRIMARY KEY (person, date))")

    def job(i):
        conn.execute("BEGIN")
        conn.execute("INSERT OR REPLACE INTO pain VALUES (?, ?, ?)", (1, str(i), i % 11))
        conn.execute("COMMIT")
    return job


def pg_bare(cluster):
    import psycopg

    conn = psycopg.connect(host="127.0.0.1", port=cluster.port, user="postgres",
                           dbname="postgres")
    conn.execute("CREATE TABLE bare_pain (person int, date text, nprs int, "
                 "PRIMARY KEY (person, date))")
    conn.commit()

    def job(i):
        conn.execute("INSERT INTO bare_pain VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                     (1, str(i), i % 11))
        conn.commit()
    return job


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    parser.add_argument("--pg", action="store_true", help="also on a throwaway PostgreSQL")
    args = parser.parse_args(argv)
    runs = 20 if args.quick else 100
    rows: list = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        measure("SQLite", f"sqlite:///{folder}/journal.sqlite", runs, rows,
                sqlite_bare(folder))
        if args.pg:
            sys.path.insert(0, str(ROOT / "tests"))
            from pg import Cluster

            cluster = Cluster()
            try:
                measure("PostgreSQL", cluster.new_schema(), runs, rows, pg_bare(cluster))
            finally:
                cluster.stop()
    print(f"backguide store benchmark: medians of {runs} check-ins (reads: "
          f"{max(runs // 10, 3)}), Python {sys.version.split()[0]}, pandas {pd.__version__}")
    print()
    print("| job | median ms | baseline ms | baseline | target | met? |")
    print("| --- | ---: | ---: | --- | --- | :-: |")
    for job, ours, base, target, what in rows:
        met = "" if target is None else ("yes" if ours <= target else "NO")
        print(f"| {job} | {ours:.1f} | {'' if base is None else f'{base:.2f}'} | {what} | "
              f"{'' if target is None else f'<= {target} ms'} | {met} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
