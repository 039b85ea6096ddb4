"""Time the caseload's data beside a loop over people, and how it grows with the caseload.

    .venv/bin/python benchmarks/bench_caseload.py            # 7 runs each (median)
    .venv/bin/python benchmarks/bench_caseload.py --repeat 3 --sizes 200,2000

A made-up journal of N people x 12 weeks (seeded; every name says "made up"),
loaded in bulk (untimed) into a SQLite file and into schemas of a throwaway
PostgreSQL 15 cluster (started as ``tests/pg.py`` does).  Each person has one
to three plan versions (every four weeks) of three exercise days with four
to six exercises each; some keep up, some fade and go quiet, some have pain
rising or improving, a few report "hurt more" twice or tick a warning sign.
Each check-in day has pain; the PEG weekly; the PSFS every two weeks.

Timed, from an open store to the caseload's table:

* ``caseload(store, in_database=False)``: the tables each read in one query,
  grouped in pandas with ``by=["person"]``;
* ``caseload(store, in_database=True)``: grouped in the database;
* the loop: the same table made one person at a time
  (``caseload_of(store.read_tables(..., person=p))`` for each person, then
  concatenated).  Above 200 people the loop runs over the first 200 and its
  time is scaled to all (marked "x N/200").

Targets: 200 people on SQLite and on PostgreSQL, 300 ms or less; 10,000
people on PostgreSQL, grouped in the database, 2 s or less.  The script
checks that the two ways give the same table before timing them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from backguide.journal.caseload import TABLES, caseload, caseload_of
from backguide.journal.store import open_store

ROOT = Path(__file__).resolve().parent.parent
WEEKS = 12
TODAY = dt.date(2026, 3, 29)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
EXERCISES = ("cat_cow", "pelvic_tilt", "glute_bridge", "knee_roll", "childs_pose",
             "clamshell", "bird_dog", "cobra", "single_knee_to_chest")
SIGNS = ("nice_ng59_red_fever", "nice_ng59_red_weakness", "nice_ng59_red_trauma")
FELT = ("easier", "about right", "harder", "hurt more")
LOOP_PEOPLE = 200


def journal(people: int, seed: int = 21) -> dict[str, pd.DataFrame]:
    """The made-up journal's rows, table by table, as the database holds them."""
    rng = np.random.default_rng(seed)
    ids = np.arange(1, people + 1)
    first_day = pd.Timestamp(TODAY) - pd.Timedelta(days=7 * WEEKS - 1)
    created = pd.Timestamp(first_day) - pd.Timedelta(days=1)
    clinicians = pd.DataFrame({"name": [f"Made-up clinician {k + 1}"
                                        for k in range(max(people // 100, 1))],
                               "created": created})
    pdf = pd.DataFrame({"person": ids, "name": [f"Made-up person {i}" for i in ids],
                        "clinician": clinicians["name"].to_numpy()[(ids - 1) % len(clinicians)],
                        "created": created, "home": False})
    # Kinds of people: 0 adherent, 1 fading (goes quiet), 2 pain rising, 3 improving.
    kind = rng.choice(4, size=people, p=[0.4, 0.2, 0.15, 0.25])
    start = first_day + pd.to_timedelta(rng.integers(0, 7, people), unit="D")
    versions = rng.integers(1, 4, people)
    plans = pd.DataFrame({"person": np.repeat(ids, versions)})
    plans["version"] = plans.groupby("person").cumcount() + 1
    plans["starts"] = (np.repeat(start.to_numpy(), versions)
                       + pd.to_timedelta(28 * (plans["version"] - 1), unit="D"))
    plans["name"] = "Made-up plan"
    n_ex = rng.integers(4, 7, len(plans))
    day_sets = np.array([rng.choice(7, 3, replace=False) for _ in range(len(plans))])
    e = plans[["person", "version"]].loc[np.repeat(plans.index, 3 * n_ex)].reset_index(drop=True)
    e["slot"] = e.groupby(["person", "version"]).cumcount()
    per = np.repeat(n_ex, 3 * n_ex)
    row = np.repeat(np.arange(len(plans)), 3 * n_ex)
    e["day"] = np.array(DAYS)[day_sets[row, e["slot"] // per]]
    e["order"] = e["slot"] % per
    e["exercise"] = np.array(EXERCISES)[(e["order"] + e["person"]) % len(EXERCISES)]
    e["session"] = 0
    entries = e.drop(columns="slot")

    # Each person's days, the version in force, and what was planned on each.
    cal = pd.DataFrame({"person": np.repeat(ids, 7 * WEEKS),
                        "date": np.tile(pd.date_range(first_day, periods=7 * WEEKS), people)})
    cal = cal[cal["date"] >= np.repeat(start.to_numpy(), 7 * WEEKS)]
    cal = pd.merge_asof(cal.sort_values("date"), plans[["person", "starts", "version"]]
                        .sort_values("starts"), left_on="date", right_on="starts",
                        by="person").dropna(subset=["version"])
    cal["version"] = cal["version"].astype(int)
    cal["day"] = np.array(DAYS)[cal["date"].dt.day_of_week]
    k = kind[cal["person"] - 1]
    age = (pd.Timestamp(TODAY) - cal["date"]).dt.days.to_numpy()
    # Fading people stop checking in 8 to 30 days before today.
    stop = rng.integers(8, 31, people)[cal["person"] - 1]
    cal = cal[~((k == 1) & (age < stop))]
    checked = rng.random(len(cal)) < 0.9
    cal = cal[checked]
    k = kind[cal["person"] - 1]
    age = (pd.Timestamp(TODAY) - cal["date"]).dt.days.to_numpy()
    level = rng.uniform(3, 7, people)[cal["person"] - 1]
    trend = np.select([k == 2, k == 3], [3.0, -3.0], 0.0) * (1 - age / (7 * WEEKS))
    pain = cal[["person", "date"]].assign(
        nprs=np.clip(np.round(level + trend + rng.normal(0, 0.8, len(cal))), 0, 10).astype(int))

    done = cal.merge(entries, on=["person", "version", "day"])
    r = rng.random(len(done))
    status = np.select([r < 0.7, r < 0.85], ["done", "partly"], "skipped")
    felt = np.array(FELT)[rng.choice(4, len(done), p=[0.3, 0.45, 0.2, 0.05])]
    felt = np.where(status == "skipped", None, felt)
    # About 3% of people: their first exercise hurt more in the last two weeks.
    hurt = (rng.random(people) < 0.03)[done["person"] - 1] & (done["order"] == 0)
    age = (pd.Timestamp(TODAY) - done["date"]).dt.days.to_numpy()
    felt = np.where(hurt & (age < 14) & (status != "skipped"), "hurt more", felt)
    done = done.assign(status=status, felt=felt, place=done["order"])

    weekly = cal[cal["date"].dt.day_of_week == 6]
    peg = weekly[["person", "date"]].assign(
        **{c: rng.integers(2, 9, len(weekly)) for c in ("pain", "enjoyment", "activity")})
    fortnight = weekly[((weekly["date"] - first_day).dt.days // 7) % 2 == 1]
    psfs = pd.concat([fortnight[["person", "date"]].assign(
        activity=a, score=rng.integers(2, 9, len(fortnight))) for a in ("Walking", "Lifting")])
    flagged = ids[rng.random(people) < 0.02]
    signs = pd.DataFrame({"person": flagged, "date": pd.Timestamp(TODAY) - pd.to_timedelta(
        rng.integers(0, 10, len(flagged)), unit="D"), "sign": np.array(SIGNS)[flagged % 3]})
    signs = signs.merge(pain[["person", "date"]], on=["person", "date"])
    return {
        "clinicians": clinicians, "people": pdf,
        "plans": plans.assign(name_key="made-up plan", start=None,
                              claims="[]", created=created),
        "entries": entries.assign(session_name="Session", sets=2.0, reps=10.0, hold_s=None,
                                  rest_s=None, per_side=False, minutes=None,
                                  dose_source="library"),
        "done": done[["person", "date", "session", "exercise", "version", "place", "status",
                      "felt"]],
        "pain": pain, "peg": peg, "psfs": psfs, "signs": signs,
    }


def load(store, rows: dict[str, pd.DataFrame]) -> None:
    """Put the rows in, in bulk (COPY on PostgreSQL), with the store's own tables."""
    with store.engine.begin() as conn:
        raw = conn.connection.dbapi_connection
        for table, frame in rows.items():
            cols = ", ".join(f'"{c}"' for c in frame.columns)
            if conn.dialect.name == "postgresql":
                buf = io.StringIO()
                frame.to_csv(buf, index=False, header=False, date_format="%Y-%m-%d")
                with raw.cursor().copy(f"COPY {table} ({cols}) FROM STDIN "
                                       "WITH (FORMAT csv)") as copy:
                    copy.write(buf.getvalue())
            else:
                f = frame.copy()
                for c in f.columns:
                    if f[c].dtype.kind == "M":
                        f[c] = f[c].dt.strftime("%Y-%m-%d" if c != "created"
                                                else "%Y-%m-%d %H:%M:%S")
                f = f.astype(object).where(f.notna(), None)
                marks = ", ".join("?" * len(f.columns))
                raw.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})",
                                f.itertuples(index=False, name=None))
    if store.engine.dialect.name == "postgresql":
        with store.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()


def median_ms(fn, repeat: int) -> float:
    fn()  # warm-up: the first connection, the library
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def looped(store, people: list[int]) -> pd.DataFrame:
    return pd.concat([caseload_of(store.read_tables(TABLES, person=p), today=TODAY)
                      for p in people], ignore_index=True)


def measure(name: str, url: str, n: int, repeat: int, rows: list, *, pandas_too: bool) -> None:
    with open_store(url) as store:
        t0 = time.perf_counter()
        load(store, journal(n))
        built = time.perf_counter() - t0
        ids = store.read("people")["person"].tolist()
        sample = ids[:LOOP_PEOPLE]
        db = caseload(store, today=TODAY, in_database=True)
        if pandas_too:
            pd.testing.assert_frame_equal(caseload(store, today=TODAY, in_database=False), db,
                                          check_exact=False)
        loop = looped(store, sample)
        key = ["person"]
        pd.testing.assert_frame_equal(
            loop.sort_values(key, ignore_index=True),
            db[db["person"].isin(sample)].sort_values(key, ignore_index=True),
            check_exact=False)
        loop_ms = median_ms(lambda: looped(store, sample), 1 if n > LOOP_PEOPLE else
                            min(repeat, 3)) * len(ids) / len(sample)
        scaled = "" if len(sample) == len(ids) else f" (x {len(ids)}/{len(sample)})"
        flagged = int(db[["sign", "pain_up", "hurt_twice", "quiet"]].any(axis=1).sum())
        what = f"{n:,} people x {WEEKS} weeks, {name}"
        note = f"{flagged} flagged; loaded in {built:.1f} s{scaled}"
        target = 300 if n <= 200 else 2000 if n >= 10_000 else None
        if pandas_too:
            rows.append((f"caseload, grouped in pandas: {what}",
                         median_ms(lambda: caseload(store, today=TODAY, in_database=False),
                                   repeat), loop_ms, target if n <= 200 else None, note))
        rows.append((f"caseload, grouped in the database: {what}",
                     median_ms(lambda: caseload(store, today=TODAY, in_database=True), repeat),
                     loop_ms, target, note))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per job (median)")
    parser.add_argument("--sizes", default="200,2000,10000",
                        help="caseload sizes on PostgreSQL (200 is also run on SQLite)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    rows: list = []
    sys.path.insert(0, str(ROOT / "tests"))
    from pg import Cluster

    with tempfile.TemporaryDirectory() as tmp:
        measure("SQLite", f"sqlite:///{tmp}/journal.sqlite", min(sizes), args.repeat, rows,
                pandas_too=True)
    cluster = Cluster()
    try:
        for n in sizes:
            measure("PostgreSQL", cluster.new_schema(), n, args.repeat, rows,
                    pandas_too=n <= 2000)
    finally:
        cluster.stop()
    print(f"caseload benchmark: medians of {args.repeat} runs, Python "
          f"{sys.version.split()[0]}, pandas {pd.__version__}, today {TODAY}")
    print()
    print("| job | median ms | loop over people ms | speed-up | target | met? | note |")
    print("| --- | ---: | ---: | ---: | --- | :-: | --- |")
    for job, ours, loop, target, note in rows:
        met = "" if target is None else ("yes" if ours <= target else "NO")
        print(f"| {job} | {ours:.1f} | {loop:.0f} | {loop / ours:.0f}x | "
              f"{'' if target is None else f'<= {target} ms'} | {met} | {note} |")
    db = [(job, ours) for job, ours, *_ in rows if "PostgreSQL" in job and "database" in job]
    if len(db) > 1:
        base = db[0][1]
        print()
        print("Growth on PostgreSQL, grouped in the database: "
              + ", ".join(f"{j.split(':')[1].split(' people')[0].strip()} people "
                          f"{t:.0f} ms ({t / base:.1f}x)" for j, t in db))
    return 0


if __name__ == "__main__":
    sys.exit(main())
