"""Time the journal's measures over a caseload, beside a loop over people in the same run.

    .venv/bin/python benchmarks/bench_journal.py            # 9 runs each (median)
    .venv/bin/python benchmarks/bench_journal.py --repeat 3

A made-up journal of 200 people x 12 weeks (seeded): each person has one to
three plan versions (every four weeks), three exercise days a week of four
to six exercises each, reports on about 85% of what was planned (done,
partly or skipped), and a pain score on about 90% of days.  Timed:

* ``adherence(done, plans, entries, by=["person", "week"])`` and
  ``pain_change(pain, by=["person", "week"])``, together (target: 300 ms or
  less), beside
* the same two functions called once per person in a loop, on tables split
  by person before the clock starts (target: at least 20x slower), and
  checked to give the same numbers.

Prints one table of medians, as ``benchmarks/bench.py`` does.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import numpy as np
import pandas as pd

from backguide.journal.measures import adherence, pain_change

PEOPLE, WEEKS = 200, 12
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def journal(people: int = PEOPLE, weeks: int = WEEKS, seed: int = 20) -> dict[str, pd.DataFrame]:
    """A made-up journal: the plans, entries, done and pain tables of ``people``."""
    rng = np.random.default_rng(seed)
    plans, entries, done, pain = [], [], [], []
    monday = pd.Timestamp("2026-01-05")
    for person in range(1, people + 1):
        first = monday + pd.Timedelta(days=int(rng.integers(0, 7)))
        last = monday + pd.Timedelta(days=7 * weeks - 1)
        versions = int(rng.integers(1, 4))
        schedule = {}
        for v in range(1, versions + 1):
            starts = first + pd.Timedelta(days=28 * (v - 1))
            plans.append((person, v, starts, f"week plan {v}"))
            week = {DAYS[d]: [f"ex{k}" for k in range(int(rng.integers(4, 7)))]
                    for d in rng.choice(7, size=3, replace=False)}
            entries += [(person, v, day, 0, k, ex) for day, exs in week.items()
                        for k, ex in enumerate(exs)]
            schedule[v] = (starts, week)
        level = rng.uniform(4, 8)
        for offset in range((last - first).days + 1):
            date = first + pd.Timedelta(days=offset)
            v = max(k for k, (s, _) in schedule.items() if s <= date)
            day = DAYS[date.weekday()]
            for ex in schedule[v][1].get(day, []):
                r = rng.random()
                if r < 0.85:
                    status = "done" if r < 0.65 else "partly" if r < 0.78 else "skipped"
                    done.append((person, date, date - pd.Timedelta(days=date.weekday()), v,
                                 day, 0, ex, status))
            if rng.random() < 0.9:
                score = np.clip(round(level - offset * 0.03 + rng.normal(0, 1)), 0, 10)
                pain.append((person, date, date - pd.Timedelta(days=date.weekday()), score))
    return {
        "plans": pd.DataFrame(plans, columns=["person", "version", "starts", "name"]),
        "entries": pd.DataFrame(entries, columns=["person", "version", "day", "session",
                                                  "order", "exercise"]),
        "done": pd.DataFrame(done, columns=["person", "date", "week", "version", "day",
                                            "session", "exercise", "status"]),
        "pain": pd.DataFrame(pain, columns=["person", "date", "week", "nprs"]),
    }


def measured(j: dict[str, pd.DataFrame], today) -> tuple[pd.DataFrame, pd.DataFrame]:
    keys = ["person", "week"]
    return (adherence(j["done"], j["plans"], j["entries"], by=keys, today=today),
            pain_change(j["pain"], by=keys))


def looped(split: list[dict[str, pd.DataFrame]], today) -> tuple[pd.DataFrame, pd.DataFrame]:
    each = [measured(j, today) for j in split]
    return (pd.concat([a for a, _ in each], ignore_index=True),
            pd.concat([p for _, p in each], ignore_index=True))


def median_ms(fn, repeat: int) -> float:
    fn()  # warm-up: imports, caches
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9, help="timed runs per job (median)")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    j = journal()
    today = j["done"]["date"].max()
    split = [{k: t[t["person"] == p] for k, t in j.items()} for p in range(1, PEOPLE + 1)]
    built = time.perf_counter() - t0

    # The loop gives the same numbers, row for row.
    ours, loop = measured(j, today), looped(split, today)
    for a, b in zip(ours, loop):
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b, check_dtype=False)

    fast = median_ms(lambda: measured(j, today), args.repeat)
    slow = median_ms(lambda: looped(split, today), max(1, min(args.repeat, 3)))
    ratio = slow / fast
    met = fast <= 300 and ratio >= 20
    sizes = ", ".join(f"{k} {len(t):,}" for k, t in j.items())
    print(f"journal benchmark: medians of {args.repeat} runs (loop: "
          f"{max(1, min(args.repeat, 3))}), Python {sys.version.split()[0]}, pandas "
          f"{pd.__version__}, numpy {np.__version__}; {PEOPLE} people x {WEEKS} weeks "
          f"({sizes} rows), built in {built:.1f} s (untimed)")
    print()
    print("| job | median ms | baseline ms | speed-up | target | met? |")
    print("| --- | ---: | ---: | ---: | --- | :-: |")
    print(f"| journal: adherence + pain_change, by=[\"person\", \"week\"] vs a loop over "
          f"people | {fast:.1f} | {slow:.1f} | {ratio:.1f}x | <= 300 ms, >= 20x | "
          f"{'yes' if met else 'NO'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
