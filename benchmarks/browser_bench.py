"""Round trips in a real browser: a change in a widget to the page showing the result.

    .venv/bin/python benchmarks/browser_bench.py [--changes 25]

Serves the notebooks with Voila on 127.0.0.1 and drives headless Chromium.
For each change it stamps ``performance.now()`` when the change event fires
and again when the page shows the new result: the table's text differs, or
the chart differs (the planner's inline SVG, the baseline's PNG image once
decoded), and the browser has laid out and painted the frame that shows it.
It prints median and 95th percentile.  Beside each, a
plain-notebook baseline measured in the same run, on the same kernel: an
``interact`` function that rebuilds the table, or the figure, on each change.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from servers import (Server, chromium_launch_options, copy_notebooks,  # noqa: E402
                     offline_context)

BASELINE = {
    "filter_baseline.ipynb": """
import backguide as bg
from ipywidgets import interact
from backguide import schema

@interact(muscle=["any", *schema.MUSCLES])
def table(muscle):
    found = bg.filter_exercises(muscle=None if muscle == "any" else muscle)
    display(found[["name", "category", "position", "difficulty", "session_minutes"]])
""",
    "plan_baseline.ipynb": """
import matplotlib.pyplot as plt
import backguide as bg
from ipywidgets import interact

names = sorted(bg.shipped_library().exercises.index)

@interact(extra=names)
def week(extra):
    plan = bg.Plan().add("Thursday", "fast_walking").add("Monday", extra)
    fig, ax = plt.subplots(figsize=(8.5, 4.6))
    bg.plot_week(bg.day_minutes(plan), ax=ax)
    plt.show()
""",
}

# Change a <select> by index, then wait until ``probe(target)`` differs from before (checked
# at each animation frame, before the browser renders it), then for ``settle(target)`` (e.g.
# an image's decoding, then the next frame), and then for the frame's rendering to end: a
# task queued from the frame's animation callback runs once the frame is laid out and painted.
MEASURE = """
async ({select, target, probe, settle, n}) => {
  const read = new Function('el', 'return ' + probe);
  const ready = new Function('el', 'return ' + (settle || 'null'));
  const sel = document.querySelector(select);
  const el = () => document.querySelector(target);
  const times = [];
  for (let i = 0; i < n; i++) {
    const before = read(el());
    const t0 = performance.now();
    sel.selectedIndex = 1 + (i % (sel.options.length - 1));
    sel.dispatchEvent(new Event('change', {bubbles: true}));
    await new Promise((resolve, reject) => {
      const deadline = t0 + 10000;
      const painted = () => setTimeout(resolve, 0);
      const tick = () => {
        const now = read(el());
        if (now && now !== before) {
          const waiting = ready(el());
          if (waiting) waiting.then(() => requestAnimationFrame(painted), reject);
          else painted();
        }
        else if (performance.now() > deadline) reject(new Error('no update: ' + target));
        else requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    times.push(performance.now() - t0);
    await new Promise(r => setTimeout(r, 100));
  }
  return times;
}
"""

CLICK = MEASURE.replace(
    "sel.selectedIndex = 1 + (i % (sel.options.length - 1));\n    "
    "sel.dispatchEvent(new Event('change', {bubbles: true}));",
    "sel.click();")
assert CLICK != MEASURE


def notebook(code: str) -> str:
    """A one-cell notebook on the kernel the planner's notebook names."""
    planner = json.loads((ROOT / "notebooks" / "03_plan_week.ipynb").read_text(encoding="utf-8"))
    return json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "execution_count": None,
                                  "outputs": [], "source": code.strip()}],
                       "metadata": {"kernelspec": planner["metadata"]["kernelspec"]},
                       "nbformat": 4, "nbformat_minor": 5})


def p95(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]


def filter_rows(run) -> list:
    return [
        ("filter -> table", "backguide Explorer", run(
            "01_explore.ipynb", ".bg-results table", MEASURE,
            select=".bg-muscle select", target=".bg-results", probe="el.innerText")),
        ("filter -> table", "baseline: interact", run(
            "filter_baseline.ipynb", ".widget-output table", MEASURE,
            select=".widget-dropdown select", target=".widget-output",
            probe="el.querySelector('table') && el.innerText")),
    ]


def plan_rows(run) -> list:
    # The planner's charts are inline SVG; each chart's id carries a hash of its
    # markup, so a new id is a new chart.
    return [
        ("plan change -> chart", "backguide WeekPlanner", run(
            "03_plan_week.ipynb", ".bg-chart-0 svg", CLICK,
            select="button.bg-add-day", target=".bg-chart-0",
            probe="el.querySelector('svg') && el.querySelector('svg').id")),
        ("plan change -> chart", "baseline: interact", run(
            "plan_baseline.ipynb", ".widget-output img", MEASURE,
            select=".widget-dropdown select", target=".widget-output",
            probe="el.querySelector('img') && el.querySelector('img').src",
            settle="el.querySelector('img').decode()")),
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=25)
    parser.add_argument("--only", choices=("filter", "plan"),
                        help="measure only the filter -> table, or the plan change -> chart, rows")
    args = parser.parse_args(argv)
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        root = copy_notebooks(ROOT / "notebooks", work / "notebooks")
        for name, code in BASELINE.items():
            (root / name).write_text(notebook(code))
        server = Server("voila", root, work).start()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(**chromium_launch_options())
                # Offline, as the tests are: a request to anywhere else is refused at once
                # (and listed), so no page waits on the network.
                context = offline_context(browser, {"width": 1400, "height": 1000})
                outside = context.outside
                page = context.new_page()

                def run(nb, wait_css, js, **kw):
                    nonlocal page
                    for attempt in (1, 2):  # on a busy machine a render now and then stalls
                        try:
                            page.goto(server.url(nb), wait_until="commit", timeout=120_000)
                            page.wait_for_selector(wait_css, timeout=120_000)
                            break
                        except PlaywrightError as exc:
                            if attempt == 2:
                                raise RuntimeError(f"{nb} did not render:\n"
                                                   + server.log_path.read_text()[-3000:]) from exc
                            print(f"{nb} did not render; trying once more", file=sys.stderr)
                            page.close()
                            page = context.new_page()
                    page.wait_for_timeout(500)
                    return page.evaluate(js, {"n": args.changes, **kw})

                if args.only != "plan":
                    runs += filter_rows(run)
                if args.only != "filter":
                    runs += plan_rows(run)
                browser.close()
        finally:
            server.stop()
    if outside:
        print(f"refused {len(outside)} requests to other hosts, e.g. {outside[0]}", file=sys.stderr)

    print(f"Browser round trips under Voila, headless Chromium, {args.changes} changes each")
    print()
    print("| round trip | version | median ms | p95 ms |")
    print("| --- | --- | ---: | ---: |")
    for what, who, times in runs:
        print(f"| {what} | {who} | {statistics.median(times):.0f} | {p95(times):.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
