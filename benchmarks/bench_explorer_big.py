"""The explorer with ~900 exercises: a filter change to the page showing it, in a real browser.

    .venv/bin/python benchmarks/bench_explorer_big.py [--changes 25] [--exercises 873]

Imports free-exercise-db's sample scaled to ``--exercises`` (as
benchmarks/bench_import.py does: the sample repeated, each copy's ids
suffixed), serves the notebooks with Voila twice, once with
``BACKGUIDE_LIBRARY`` set to the imported folder (the shipped exercises plus
the imported) and once with the shipped library alone, and in each changes
"What hurts" ``--changes`` times in headless Chromium.  Each change is timed
from its change event to the painted frame whose results table differs
(browser_bench.py's MEASURE).  Prints the median and 95th percentile of
each, the target (#22: 100 ms) and the kernel-to-page bytes per change.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_import import SAMPLE, _scaled  # noqa: E402
from browser_bench import MEASURE, p95  # noqa: E402
from servers import (Server, chromium_launch_options, copy_notebooks,  # noqa: E402
                     offline_context)

from backguide.importing import import_library  # noqa: E402
from backguide.library import LIBRARY_SETTING, load_library  # noqa: E402

TARGET_MS = 100.0


def serve(root: Path, work: Path, library: Path | None) -> Server:
    """Voila on ``root``'s notebooks, with ``library`` as every notebook's library."""
    before = os.environ.pop(LIBRARY_SETTING, None)
    try:
        if library is not None:
            os.environ[LIBRARY_SETTING] = str(library)
        return Server("voila", root, work).start()
    finally:
        os.environ.pop(LIBRARY_SETTING, None)
        if before is not None:
            os.environ[LIBRARY_SETTING] = before


def measure(browser, server: Server, changes: int) -> tuple[list[float], float, str]:
    """(times in ms, kB the page received per change, the count shown at first)."""
    context = offline_context(browser, {"width": 1400, "height": 1000})
    page = context.new_page()
    received = []
    page.on("websocket", lambda ws: ws.on(
        "framereceived", lambda f: received.append(len(f if isinstance(f, (str, bytes))
                                                       else f.get("payload", "")))))
    page.goto(server.url("01_explore.ipynb"), wait_until="commit", timeout=120_000)
    page.wait_for_selector(".bg-results table", timeout=120_000)
    page.wait_for_timeout(1000)
    count = page.locator(".bg-count").first.inner_text()
    received.clear()
    times = page.evaluate(MEASURE, {"n": changes, "select": ".bg-muscle select",
                                    "target": ".bg-results", "probe": "el.innerText"})
    kb = sum(received) / 1024 / changes
    context.close()
    return times, kb, count


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=25)
    parser.add_argument("--exercises", type=int, default=873)
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        source = work / "free-exercise-db-scaled.json"
        source.write_text(json.dumps(_scaled(json.loads(SAMPLE.read_text(encoding="utf-8")),
                                             args.exercises)), encoding="utf-8")
        folder = work / "imported"
        import_library(source, to=folder)
        n = len(load_library(folder).exercises)
        root = copy_notebooks(ROOT / "notebooks", work / "notebooks")
        with sync_playwright() as p:
            browser = p.chromium.launch(**chromium_launch_options())
            for label, library in ((f"imported: {n} exercises", folder),
                                   ("shipped library (baseline)", None)):
                server = serve(root, work, library)
                try:
                    times, kb, count = measure(browser, server, args.changes)
                finally:
                    server.stop()
                rows.append((f"{label} ({count.strip()})", times, kb))
            browser.close()
    print(f"The explorer under Voila, headless Chromium: 'What hurts' changed "
          f"{args.changes} times, change -> table painted")
    print()
    print("| library | median ms | p95 ms | target ms | kB to the page per change |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for i, (label, times, kb) in enumerate(rows):
        target = f"{TARGET_MS:.0f}" if i == 0 else ""
        print(f"| {label} | {statistics.median(times):.0f} | {p95(times):.0f} | {target} "
              f"| {kb:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
