"""Time importing free-exercise-db and loading the library it writes, beside the shipped one.

    .venv/bin/python benchmarks/bench_import.py           # 7 runs each
    .venv/bin/python benchmarks/bench_import.py --runs 3

The jobs, each a median in milliseconds, with the issue's target (#22):

* import the sample (36 exercises) and the sample scaled to 873 exercises
  (the full library's size: the sample repeated, each copy's ids suffixed
  ``_1``, ``_2``...), written to a new folder each run;
* load each imported folder (``bg.load_library(folder)``: the shipped
  tables with the imported exercises added);
* load the shipped library (uncached), in the same run, as the baseline.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import backguide as bg
from backguide.importing import import_library
from backguide.library import shipped_library

SAMPLE = Path(__file__).resolve().parents[1] / "tests" / "samples" / "free-exercise-db-sample.json"
FULL = 873


def _median_ms(job, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        job()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _scaled(records: list[dict], n: int) -> list[dict]:
    out = []
    copy = 0
    while len(out) < n:
        for r in records[: n - len(out)]:
            out.append(dict(r, id=f"{r['id']}_{copy}" if copy else r["id"]))
        copy += 1
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    records = json.loads(SAMPLE.read_text(encoding="utf-8"))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        full = tmp / "free-exercise-db-873.json"
        full.write_text(json.dumps(_scaled(records, FULL)), encoding="utf-8")
        shipped_library()  # the importer reads the shipped ids: load it once, as a session has
        for label, source in ((f"{len(records)} (sample)", SAMPLE), (f"{FULL} (scaled)", full)):
            count, n0 = iter(range(10**6)), len(rows)
            folder = tmp / f"lib-{len(json.loads(source.read_text()))}"
            ms = _median_ms(lambda: import_library(source, to=tmp / f"run-{n0}-{next(count)}"),
                            runs)
            rows.append((f"import {label}", ms, 2000.0))
            import_library(source, to=folder)
            n = len(bg.load_library(folder).exercises)
            ms = _median_ms(lambda: bg.load_library(folder), runs)
            rows.append((f"load imported {label}, {n} exercises with the shipped", ms, 300.0))
        ms = _median_ms(shipped_library.__wrapped__, runs)
        rows.append(("load the shipped library (baseline)", ms, None))
    width = max(len(r[0]) for r in rows)
    print(f"{'job':<{width}}  {'median ms':>10}  {'target ms':>10}  ok")
    for job, ms, target in rows:
        ok = "" if target is None else ("yes" if ms <= target else "NO")
        shown = "" if target is None else f"{target:.0f}"
        print(f"{job:<{width}}  {ms:>10.1f}  {shown:>10}  {ok}")


if __name__ == "__main__":
    main()
