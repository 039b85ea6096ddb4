"""Time backguide's jobs and print one table of medians beside baselines from the same run.

    .venv/bin/python benchmarks/bench.py            # everything (the caseload loop takes ~1-2 min)
    .venv/bin/python benchmarks/bench.py --quick    # fewer runs, one baseline loop

Each row is one job: backguide's median in milliseconds, the median of a
baseline doing the same job in the same run where there is one (row-by-row
Python loops, one function per table, a loop of one-plan calls, or pyplot for
the charts), the speed-up, and the target from the issue where there is one.

The jobs:

* the shipped library: load it, filter it (and filter a synthetic library
  1000 times larger, whose ids are the shipped ones suffixed ``_0``, ``_1``...);
* a real week, the starter plan "stretch_and_strengthen" (44 entries):
  ``weekly_volume`` + ``check_guidance``, and ``measure_week`` (every table
  of a week view from one plan table);
* a 12-week programme: ``progress(plan, 12)``, then the guidance and the
  volume of all twelve weeks at once with ``by=["week"]``;
* a caseload: 200 people x 12 weeks (about 100,000 entries), each person
  starting from one of the three starter plans and reporting their own
  (seeded, random) feedback, stacked with ``person`` and ``week`` columns.
  ``guidance_status(caseload, by=["person", "week"])`` is timed beside a
  loop of ``check_guidance`` over every (person, week) plan; the plans are
  built before the clock starts, and the benchmark asserts that the loop's
  values and statuses equal ``guidance_status``'s.  The loop takes tens of
  seconds, so it runs ``--baseline-runs`` times (3; 1 with ``--quick``);
* the charts, from plan to PNG (the measure and the drawing);
* one exercise's picture to SVG (beside the same drawn by matplotlib and
  written by its SVG backend) and to PNG, and its movement;
* the take-home handout of "gentle_start", PDF bytes and HTML text, beside the
  same with every picture drawn afresh (as the first handout of a session is);
* ``import backguide`` in a fresh interpreter (a subprocess), no target.
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the chart baseline uses pyplot on purpose)
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import backguide as bg  # noqa: E402
from backguide import schema  # noqa: E402
from backguide.handout import _SVGS, handout_html, handout_pdf  # noqa: E402
from backguide.library import _resolve  # noqa: E402
from backguide.progression import REPORTS  # noqa: E402

WEEK = "stretch_and_strengthen"
PEOPLE, WEEKS = 200, 12

# --- inputs ----------------------------------------------------------------------------


def synthetic_library(folder: Path, times: int) -> Path:
    """A folder whose exercises.csv is the shipped one repeated ``times`` times,
    ids suffixed _0, _1, ... (links kept within each copy)."""
    with ExitStack() as stack:
        text = _resolve("exercises.csv", None, stack).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, body = rows[0], rows[1:]
    links = [header.index(c) for c in ("easier", "harder")]
    out = [header]
    for k in range(times):
        for r in body:
            r = list(r)
            r[0] = f"{r[0]}_{k}"
            for c in links:
                r[c] = ";".join(f"{x}_{k}" for x in r[c].split(";") if x)
            out.append(r)
    path = folder / f"x{times}"
    path.mkdir()
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(out)
    (path / "exercises.csv").write_text(buf.getvalue(), encoding="utf-8")
    return path


def caseload(people: int = PEOPLE, weeks: int = WEEKS, seed: int = 10) -> pd.DataFrame:
    """``people`` programmes of ``weeks`` weeks stacked, with ``person`` and ``week`` columns.

    Person i starts from one of the starter plans (in turn) and reports, after
    each week, on every exercise: mostly "pain-free" or "same", now and then
    "worse" (seeded), so the plans drift apart week by week.
    """
    rng = np.random.default_rng(seed)
    starters = [bg.load_starter(n) for n in bg.starter_plans()]
    ids = bg.shipped_library().exercises.index.tolist()
    frames = []
    for i in range(people):
        reports = rng.choice(REPORTS, p=[0.6, 0.35, 0.05], size=(weeks - 1, len(ids)))
        feedback = [dict(zip(ids, week)) for week in reports]
        prog = bg.progress(starters[i % len(starters)], weeks, feedback)
        frames.append(prog.entries.assign(person=f"p{i:03d}"))
    return pd.concat(frames, ignore_index=True)


# --- baselines -------------------------------------------------------------------------


def naive_load(path: Path) -> pd.DataFrame:
    """pandas.read_csv, then every cell checked in a loop over rows."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    seen = set()
    for _, row in df.iterrows():
        assert row["id"] not in seen
        seen.add(row["id"])
        assert row["category"] in schema.CATEGORIES
        assert row["position"] in schema.POSITIONS
        assert row["difficulty"] in schema.DIFFICULTIES
        for m in (row["primary_muscles"] + ";" + row["secondary_muscles"]).split(";"):
            assert not m or m in schema.MUSCLES
        for c in ("sets", "reps", "hold_s", "rest_s", "minutes"):
            assert row[c] == "" or float(row[c]) >= 0
    for _, row in df.iterrows():
        for c in ("easier", "harder"):
            for x in row[c].split(";"):
                assert not x or x in seen
    return df


def naive_filter(ex: pd.DataFrame) -> list[str]:
    """The filter below, a row at a time."""
    keep = []
    for ex_id, row in ex.iterrows():
        if row["access"] not in ("chair", "standing"):
            continue
        if "lower back" not in (*row["primary_muscles"], *row["secondary_muscles"]):
            continue
        if schema.DIFFICULTIES.index(row["difficulty"]) > 1:
            continue
        keep.append(ex_id)
    return keep


def our_filter(lib: bg.Library) -> pd.DataFrame:
    return bg.filter_exercises(lib=lib, access=["chair", "standing"], muscle="lower back",
                               max_difficulty="moderate")


def naive_volume(plan: bg.Plan, ex: pd.DataFrame) -> dict:
    """Minutes by (day, category, muscle, role), a loop over entries and muscles."""
    out: dict = {}
    for e in plan.entries.itertuples(index=False):
        row = ex.loc[e.exercise]
        minutes = bg.estimate_seconds(e.sets, e.reps, e.hold_s, e.rest_s, e.per_side,
                                      e.minutes) / 60
        for role, muscles, share in (("primary", row["primary_muscles"], 1.0),
                                     ("secondary", row["secondary_muscles"], 0.5)):
            for m in muscles:
                if role == "secondary" and m in row["primary_muscles"]:
                    continue
                key = (e.day, row["category"], m, role)
                out[key] = out.get(key, 0.0) + minutes * share
    return out


def week_tables_one_by_one(plan: bg.Plan) -> tuple:
    """What a week view shows, each table by its own function (each builds its own table)."""
    return (bg.plan_table(plan), bg.session_minutes(plan), bg.day_minutes(plan),
            bg.weekly_volume(plan), bg.muscle_minutes(plan), bg.check_guidance(plan),
            bg.category_summary(plan))


def programme(plan: bg.Plan) -> tuple:
    prog = bg.progress(plan, WEEKS)
    return (bg.guidance_status(prog.entries, by=["week"]),
            bg.weekly_volume(prog.entries, by=["week"]))


def programme_week_by_week(plan: bg.Plan) -> list:
    prog = bg.progress(plan, WEEKS)
    return [(bg.check_guidance(p), bg.weekly_volume(p)) for p in prog.weeks]


def naive_chart(plan: bg.Plan, path: Path) -> None:
    """The week chart the pyplot way: global figure, pandas plotting, close."""
    table = bg.plan_table(plan)
    per = table.pivot_table(index="day", columns="category", values="total_minutes",
                            aggfunc="sum", observed=False).fillna(0)
    per.plot.bar(stacked=True)
    plt.axhline(20, linestyle="--")
    plt.title("The week at a glance")
    plt.savefig(path, dpi=80)
    plt.close("all")


# --- timing ------------------------------------------------------------------------------


def median_ms(fn, repeat: int, warm: bool = True) -> float:
    """Median milliseconds of ``fn()``, after one untimed warm-up run."""
    if warm:
        fn()  # imports, caches, font loading
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def import_ms(repeat: int) -> float:
    """Median milliseconds of ``import backguide`` in a fresh interpreter."""
    code = ("import time; t = time.perf_counter(); import backguide; "
            "print((time.perf_counter() - t) * 1000)")
    return statistics.median(float(subprocess.run([sys.executable, "-c", code], check=True,
                                                  capture_output=True, text=True).stdout)
                             for _ in range(repeat))


def looped_checks(plans: list[bg.Plan]) -> list[pd.DataFrame]:
    return [bg.check_guidance(p) for p in plans]


def assert_same(looped: list[pd.DataFrame], status: pd.DataFrame) -> None:
    """The loop's values and statuses are guidance_status's, row for row."""
    one = pd.concat(looped, ignore_index=True)
    assert len(one) == len(status), (len(one), len(status))
    assert (one["check"].to_numpy() == status["check"].to_numpy()).all()
    assert (one["status"].astype(str).to_numpy() == status["status"].astype(str).to_numpy()).all()
    np.testing.assert_allclose(one["value"].to_numpy(dtype=float),
                               status["value"].to_numpy(dtype=float), rtol=0, atol=1e-9)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9, help="timed runs per job (median)")
    parser.add_argument("--baseline-runs", type=int, default=3,
                        help="runs of the caseload's loop of check_guidance (tens of s each)")
    parser.add_argument("--big-library", type=int, default=1000, metavar="TIMES",
                        help="size of the synthetic library for the filter row; 0 skips it")
    parser.add_argument("--quick", action="store_true",
                        help="3 runs per job, 1 of the caseload loop, no big library")
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat, args.baseline_runs, args.big_library = 3, 1, 0
    R, slow = args.repeat, max(1, min(args.repeat, 3))

    rows = []

    def row(job, ours, base=None, target=None, speedup=None):
        """``target`` is milliseconds, ``speedup`` the least speed-up; both must hold."""
        rows.append((job, ours, base, target, speedup))

    lib = bg.shipped_library()
    with ExitStack() as stack:
        shipped_ex = _resolve("exercises.csv", None, stack)
        row("load + validate the exercise table (shipped, %d exercises)" % len(lib.exercises),
            median_ms(lambda: bg.load_exercises(shipped_ex), R),
            median_ms(lambda: naive_load(shipped_ex), R), target=50)
    row("load the whole library (5 tables + long tables)", median_ms(bg.load_library, R))
    assert our_filter(lib).index.tolist() == naive_filter(lib.exercises)
    row("filter (chair/standing, lower back, <= moderate), shipped",
        median_ms(lambda: our_filter(lib), R), median_ms(lambda: naive_filter(lib.exercises), R))
    if args.big_library:
        with tempfile.TemporaryDirectory() as tmp:
            big = bg.load_library(synthetic_library(Path(tmp), args.big_library))
        assert our_filter(big).index.tolist() == naive_filter(big.exercises)
        row(f"filter, x{args.big_library} library ({len(big.exercises)} exercises)",
            median_ms(lambda: our_filter(big), R),
            median_ms(lambda: naive_filter(big.exercises), slow), target=20)
        del big

    # A real week.
    plan = bg.load_starter(WEEK)
    n = len(plan.entries)
    week = f"a real week ({WEEK}, {n} entries)"
    row(f"{week}: weekly_volume", median_ms(lambda: bg.weekly_volume(plan), R),
        median_ms(lambda: naive_volume(plan, lib.exercises), R))
    row(f"{week}: check_guidance", median_ms(lambda: bg.check_guidance(plan), R))
    row(f"{week}: weekly_volume + check_guidance",
        median_ms(lambda: (bg.weekly_volume(plan), bg.check_guidance(plan)), R), target=20)
    row(f"{week}: measure_week (all a week view's tables) vs each by its own function",
        median_ms(lambda: bg.measure_week(plan), R),
        median_ms(lambda: week_tables_one_by_one(plan), R))

    # A 12-week programme.
    row(f"progress(plan, {WEEKS})", median_ms(lambda: bg.progress(plan, WEEKS), R), target=30)
    prog = bg.progress(plan, WEEKS)
    row(f"{WEEKS}-week programme: progress + guidance_status & weekly_volume by week "
        f"vs week by week", median_ms(lambda: programme(plan), R),
        median_ms(lambda: programme_week_by_week(plan), R))

    # A caseload.
    t0 = time.perf_counter()
    cases = caseload()
    built = (time.perf_counter() - t0) * 1000
    keys = ["person", "week"]
    groups = cases.groupby(keys, sort=True)
    plans = [bg.Plan(entries=rows_) for _, rows_ in groups]  # built before any timing
    ours = median_ms(lambda: bg.guidance_status(cases, by=keys), R)
    status = bg.guidance_status(cases, by=keys)
    loop_times = []
    for _ in range(args.baseline_runs):
        t0 = time.perf_counter()
        looped = looped_checks(plans)
        loop_times.append((time.perf_counter() - t0) * 1000)
    assert_same(looped, status)
    row(f"caseload ({PEOPLE} people x {WEEKS} weeks, {len(cases):,} entries, {len(plans)} "
        f"plans): guidance_status by person, week vs a loop of check_guidance "
        f"({args.baseline_runs} run{'s' * (args.baseline_runs > 1)})",
        ours, statistics.median(loop_times), target=300, speedup=20)

    # Charts, from the plan to PNG.
    with tempfile.TemporaryDirectory() as tmp:
        png = Path(tmp) / "chart.png"
        for name, draw in (
            ("category days", lambda: bg.plot_category_days(bg.category_summary(plan))),
            ("muscle volume", lambda: bg.plot_muscle_volume(bg.muscle_minutes(plan))),
            ("week at a glance", lambda: bg.plot_week(bg.day_minutes(plan))),
            (f"progression ({WEEKS} weeks)",
             lambda: bg.plot_progression(prog.minutes(), prog.changes)),
        ):
            base = (median_ms(lambda: naive_chart(plan, png), R) if name == "week at a glance"
                    else None)
            row(f"chart: {name}, measure + draw to PNG",
                median_ms(lambda: draw().figure.savefig(png, dpi=80), R), base, target=150)

    # One exercise's picture: straight to SVG, through matplotlib's SVG writer, to PNG.
    from backguide.charts import figure_svg
    from backguide.pictures import PICTURE_SIZE, animation_html, draw_exercise, picture_png
    from backguide.pictures import picture_svg

    row("picture of one exercise (bird dog) to SVG vs drawn by matplotlib to SVG",
        median_ms(lambda: picture_svg("bird_dog", lib=lib), R),
        median_ms(lambda: figure_svg(lambda ax: draw_exercise("bird_dog", lib=lib, ax=ax),
                                     PICTURE_SIZE), R), target=50)
    row("picture of one exercise (bird dog) to PNG (80 dpi)",
        median_ms(lambda: picture_png("bird_dog", lib=lib), R), target=50)
    row("the movement of one exercise (bird dog, 30 SVG frames)",
        median_ms(lambda: animation_html("bird_dog", lib=lib), R))

    # The take-home handout; its web page keeps each picture once drawn.
    gentle = bg.load_starter("gentle_start")

    def make_handout(fresh: bool = False):
        if fresh:
            _SVGS.clear()
        return handout_pdf(gentle), handout_html(gentle)

    row("handout of gentle_start (PDF + HTML) vs every picture drawn afresh",
        median_ms(make_handout, R), median_ms(lambda: make_handout(fresh=True), R),
        target=1000)

    row("import backguide in a fresh interpreter", import_ms(max(R, 5)))

    big = f"; big-library filter baseline: {slow}" if args.big_library else ""
    print(f"backguide benchmark: medians of {R} runs (caseload loop: {args.baseline_runs}{big}), "
          f"Python {sys.version.split()[0]}, "
          f"pandas {pd.__version__}, numpy {np.__version__}; caseload built in "
          f"{built / 1000:.1f} s (untimed)")
    print()
    print("| job | median ms | baseline ms | speed-up | target | met? |")
    print("| --- | ---: | ---: | ---: | --- | :-: |")
    for job, ours, base, target, speedup in rows:
        ratio = base / ours if base else None
        goals = ([f"<= {target} ms"] if target is not None else []) + \
                ([f">= {speedup}x"] if speedup is not None else [])
        met = ((target is None or ours <= target)
               and (speedup is None or (ratio is not None and ratio >= speedup)))
        print(f"| {job} | {ours:.1f} | {'' if base is None else f'{base:.1f}'} | "
              f"{'' if ratio is None else f'{ratio:.1f}x'} | {', '.join(goals)} | "
              f"{('yes' if met else 'NO') if goals else ''} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
