"""Time backguide's core against naive baselines, and print a table of medians.

    .venv/bin/python benchmarks/bench.py            # shipped, x100 and x1000
    .venv/bin/python benchmarks/bench.py --sizes 1  # the shipped library only

Each row is one job at one size: backguide's median, the median of a naive
baseline doing the same job in the same run (row-by-row Python loops, or
pyplot for the charts), and the target from the issue where there is one.
Synthetic libraries repeat the shipped exercises with new ids (links kept
within each copy); synthetic plans repeat a starter plan's entries, spread
over the copies, so a x1000 plan has 1000 times the entries.

The week's sums keep, per library index, the library row of every exercise
id they have met (pandas indexes cannot change), so repeated calls skip the
id lookups.  The "first call on a newly loaded library" row times the calls
against a fresh index, lookups included.
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the baseline uses pyplot on purpose)
import pandas as pd  # noqa: E402

import backguide as bg  # noqa: E402
from backguide import schema  # noqa: E402
from backguide.library import _resolve  # noqa: E402
from contextlib import ExitStack  # noqa: E402

# --- making big inputs ---------------------------------------------------------


def synthetic_library(folder: Path, times: int) -> Path:
    """exercises.csv repeated ``times`` times with ids suffixed _1, _2, ..."""
    with ExitStack() as stack:
        text = _resolve("exercises.csv", None, stack).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, body = rows[0], rows[1:]
    links = [header.index(c) for c in ("easier", "harder")]
    out = [header]
    for k in range(times):
        for r in body:
            r = list(r)
            if times > 1:
                r[0] = f"{r[0]}_{k}"
                for c in links:
                    r[c] = ";".join(f"{x}_{k}" for x in r[c].split(";") if x)
            out.append(r)
    path = folder / f"exercises_x{times}.csv"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(out)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def synthetic_plan(times: int, exercises: pd.DataFrame, entries_times: int | None = None
                   ) -> bg.Plan:
    """The starter plan, its entries repeated ``entries_times`` (default ``times``) times."""
    base = bg.load_starter("stretch_and_strengthen")
    if times == 1:
        return base
    copies = times if entries_times is None else entries_times
    plan = bg.Plan("x%d" % times)
    for day, sessions in base.days.items():
        for s in sessions:
            entries = [bg.Entry(f"{e.exercise}_{k}", e.sets, e.reps, e.hold_s, e.rest_s,
                                e.per_side, e.minutes, e.dose_source)
                       for k in range(copies) for e in s.entries]
            plan.days[day].append(bg.Session(s.name, entries))
    return plan


# --- naive baselines -------------------------------------------------------------


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
    keep = []
    for ex_id, row in ex.iterrows():
        if row["access"] not in ("chair", "standing"):
            continue
        if "lower back" not in row["primary_muscles"] + row["secondary_muscles"]:
            continue
        if schema.DIFFICULTIES.index(row["difficulty"]) > 1:
            continue
        keep.append(ex_id)
    return keep


def naive_volume(plan: bg.Plan, ex: pd.DataFrame) -> dict:
    out: dict = {}
    for day, _, _, e in plan.entries():
        row = ex.loc[e.exercise]
        for role, muscles, share in (("primary", row["primary_muscles"], 1.0),
                                     ("secondary", row["secondary_muscles"], 0.5)):
            for m in muscles:
                key = (day, row["category"], m, role)
                out[key] = out.get(key, 0.0) + e.seconds / 60 * share
    return out


def naive_check(plan: bg.Plan, ex: pd.DataFrame, guidance: pd.DataFrame) -> list:
    """Rebuild the plan table for every target, one target at a time."""
    rows = []
    for gid, g in guidance[guidance["target"].notna()].iterrows():
        one = guidance.loc[[gid]]
        rows.append(bg.check_guidance(plan, ex, one).iloc[0]["status"])
    return rows


def naive_chart(plan: bg.Plan, ex: pd.DataFrame, path: Path) -> None:
    """The week chart the pyplot way: global figure, pandas plotting, close."""
    table = bg.plan_table(plan, ex)
    per = table.pivot_table(index="day", columns="category", values="total_minutes",
                            aggfunc="sum", observed=False).fillna(0)
    per.plot.bar(stacked=True)
    plt.axhline(20, linestyle="--")
    plt.title("The week at a glance")
    plt.savefig(path, dpi=80)
    plt.close("all")


# --- timing ------------------------------------------------------------------------


def median_ms(fn, repeat: int, setup=None) -> float:
    """Median milliseconds of ``fn(*setup())`` after one warm-up; ``setup`` is not timed."""
    setup = setup or tuple
    fn(*setup())  # warm up: imports, caches, font loading
    times = []
    for _ in range(repeat):
        args = setup()
        t0 = time.perf_counter()
        fn(*args)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def fresh_library(ex: pd.DataFrame) -> tuple[pd.DataFrame]:
    """The same exercises under a new index, as if just loaded: nothing cached for it."""
    return (ex.set_axis(pd.Index(ex.index.to_numpy(dtype=object), dtype="str", name="id")),)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 100, 1000])
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per job (median)")
    args = parser.parse_args(argv)

    lib = bg.load_library()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for times in args.sizes:
            path = synthetic_library(folder, times)
            ex = bg.load_exercises(path)
            plan = synthetic_plan(times, ex)
            n_entries = sum(1 for _ in plan.entries())
            slow = max(1, min(args.repeat, 3 if times >= 100 else args.repeat))
            label = "shipped" if times == 1 else f"x{times}"
            size = f"{label} ({len(ex)} ex, {n_entries} entries)"

            def row(job, ours, naive, target=None):
                rows.append((size, job, ours, naive, target))

            row("load + validate library",
                median_ms(lambda: bg.load_exercises(path), args.repeat),
                median_ms(lambda: naive_load(path), slow), 50 if times == 1 else None)
            row("filter (chair/standing, lower back, <= moderate)",
                median_ms(lambda: bg.filter_exercises(ex, access=["chair", "standing"],
                                                      muscle="lower back",
                                                      max_difficulty="moderate"), args.repeat),
                median_ms(lambda: naive_filter(ex), slow), 20 if times == 1000 else None)
            vol = median_ms(lambda: bg.weekly_volume(plan, ex), args.repeat)
            chk = median_ms(lambda: bg.check_guidance(plan, ex, lib.guidance), args.repeat)
            row("weekly_volume", vol, median_ms(lambda: naive_volume(plan, ex), slow))
            row("check_guidance", chk, median_ms(lambda: naive_check(plan, ex, lib.guidance), slow))
            row("weekly_volume + check_guidance", vol + chk, None, 20 if times == 1000 else None)
            row("weekly_volume + check_guidance, first call on a newly loaded library",
                median_ms(lambda lib_: (bg.weekly_volume(plan, lib_),
                                        bg.check_guidance(plan, lib_, lib.guidance)),
                          args.repeat, setup=lambda: fresh_library(ex)), None)
            if times > 1:
                week = synthetic_plan(times, ex, entries_times=1)
                row("weekly_volume + check_guidance, a real week (44 entries)",
                    median_ms(lambda: bg.weekly_volume(week, ex), args.repeat)
                    + median_ms(lambda: bg.check_guidance(week, ex, lib.guidance), args.repeat),
                    None, 20 if times == 1000 else None)
            if times == 1:
                png = folder / "chart.png"
                four_weeks = bg.progress(plan, 4, ex, lib.doses)
                row("progress (4 weeks)", median_ms(lambda: bg.progress(plan, 4, ex, lib.doses),
                                                    args.repeat), None)
                for name, draw in (
                    ("chart: category days", lambda: bg.plot_category_days(plan, ex, lib.guidance)),
                    ("chart: muscle volume", lambda: bg.plot_muscle_volume(plan, ex)),
                    ("chart: week at a glance", lambda: bg.plot_week(plan, ex, lib.guidance)),
                    ("chart: progression (4 weeks)", lambda: bg.plot_progression(four_weeks, ex)),
                ):
                    ours = median_ms(lambda: draw().figure.savefig(png, dpi=80), args.repeat)
                    naive = (median_ms(lambda: naive_chart(plan, ex, png), args.repeat)
                             if "week" in name else None)
                    row(name + " to PNG", ours, naive, 150)

    print(f"backguide benchmark: median of {args.repeat} runs (baselines at x100+: of "
          f"{min(args.repeat, 3)}), Python {sys.version.split()[0]}, pandas {pd.__version__}")
    print()
    print("| size | job | backguide ms | naive ms | speed-up | target ms | ok |")
    print("| --- | --- | ---: | ---: | ---: | ---: | :-: |")
    for size, job, ours, naive, target in rows:
        speed = f"{naive / ours:.1f}x" if naive else ""
        ok = "" if target is None else ("yes" if ours <= target else "NO")
        print(f"| {size} | {job} | {ours:.1f} | {'' if naive is None else f'{naive:.1f}'} | "
              f"{speed} | {'' if target is None else target} | {ok} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
