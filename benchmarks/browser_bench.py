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

    .venv/bin/python benchmarks/browser_bench.py --only first-screen [--visits 7]
                                                 [--warm-cache]

The presenter's first screen: from navigation to the frame that paints its first
widget (the safety screen's "None of these apply" button), in a new page with an
empty browser cache each visit (``--warm-cache``: the cache a visit before filled,
as a returning visitor's), and the page's main-thread busy time.  Served as
``python3 dev.py present`` serves it (preheated kernels), beside a hello-world page
(an ipywidgets slider) served the same way, and both served cold
(``--preheat_kernel=False``).  Before each visit every server has refilled its pool
and its kernels are idle, so no visit shares the machine with a kernel starting.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from servers import (Server, chromium_launch_options, copy_notebooks,  # noqa: E402
                     free_port, offline_context)

_spec = importlib.util.spec_from_file_location("dev", ROOT / "dev.py")
dev = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(dev)

HELLO = """
import ipywidgets as widgets
widgets.IntSlider(value=5, min=0, max=10, description="Hello")
"""

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


# Stamps the frame that first paints SELECTOR's element, visible, in window.__firstScreen
# (ms from navigation start): checked at each change of the page, then a task queued from
# the next frame's animation callback runs once that frame is laid out and painted.
FIRST_SCREEN = """
(selector => {
  window.__firstScreen = null;
  const seen = () => {
    const el = document.querySelector(selector);
    if (!el || !el.checkVisibility()) return false;
    requestAnimationFrame(() => setTimeout(() => { window.__firstScreen = performance.now(); }));
    return true;
  };
  const watch = new MutationObserver(() => { if (seen()) watch.disconnect(); });
  watch.observe(document, {subtree: true, childList: true, attributes: true});
})(%s)
"""


class Presentation:
    """A notebook served as ``python3 dev.py present`` serves 04_present (its options,
    environment and page template), from a scratch folder, with Voila's log kept."""

    def __init__(self, notebook: Path, extra: list[str], log_dir: Path):
        port = free_port()
        argv, self.url, env = dev.present_command([f"--port={port}", *extra])
        self.token = self.url.partition("?token=")[2]
        self.base = f"http://127.0.0.1:{port}/"
        self.preheated = "--VoilaConfiguration.preheat_kernel=True" in argv
        self.log_path = log_dir / f"voila-{port}-{notebook.stem}.log"
        with self.log_path.open("w") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "voila", str(notebook), *argv], cwd=notebook.parent,
                env=dev.jupyter_env({**os.environ, **env}), stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def used_preheated(self) -> int:
        """How many visits so far were given a preheated kernel."""
        return self.log().count("Using pre-heated kernel")

    def activity(self) -> list[str] | None:
        """Its live kernels' last activity, or None while one is busy, a pool is not yet
        refilled (Voila logs each fill) or the server is not yet listening."""
        log = self.log()
        if self.proc.poll() is not None:
            raise RuntimeError(f"Voila stopped:\n{log[-3000:]}")
        if self.preheated and log.count("is filled with") <= self.used_preheated():
            return None
        live = set(re.findall(r"Kernel started: (\S+)", log)) - set(
            re.findall(r"Kernel shutdown: (\S+)", log))
        seen = []
        for kernel in sorted(live):
            try:
                with urllib.request.urlopen(f"{self.base}api/kernels/{kernel}?token="
                                            f"{self.token}", timeout=5) as r:
                    model = json.load(r)
            except urllib.error.HTTPError as e:
                if e.code == 404:  # shut down since
                    continue
                raise
            except OSError:
                return None
            if model["execution_state"] != "idle":
                return None
            seen.append(model["last_activity"])
        if not self.preheated:
            try:
                urllib.request.urlopen(f"{self.base}voila/static/voila.js", timeout=5).close()
            except OSError:
                return None
        return seen

    def shut_down(self, kernel: str) -> None:
        """Shut a visit's kernel down, as closing the page in a browser does."""
        request = urllib.request.Request(f"{self.base}api/kernels/{kernel}?token={self.token}",
                                         method="DELETE")
        urllib.request.urlopen(request, timeout=30).close()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def wait_until_quiet(servers: list[Presentation], timeout: float = 300) -> None:
    """Until every pool is refilled and every kernel has been idle for a second."""
    deadline, before = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        now = [s.activity() for s in servers]
        if None not in now and now == before:
            return
        before = now
        time.sleep(1)
    raise RuntimeError("the servers did not settle within 5 minutes")


def first_screen_rows(args, work: Path) -> list:
    """(page, first-screen times, main-thread busy times) in ms: ARGS.visits visits of each
    page, the pages visited in turn so that the machine's other work weighs on each alike."""
    root = copy_notebooks(ROOT / "notebooks", work / "notebooks")
    (root / "hello.ipynb").write_text(notebook(HELLO))
    pages = [  # (row, notebook, the first screen's element, extra options of dev.py present)
        ("backguide presenter, preheated (dev.py present)", "04_present.ipynb",
         ".bg-present .bg-safety-ok", []),
        ("hello-world slider, preheated", "hello.ipynb", ".widget-slider", []),
        ("backguide presenter, cold", "04_present.ipynb", ".bg-present .bg-safety-ok",
         ["--preheat_kernel=False"]),
        ("hello-world slider, cold", "hello.ipynb", ".widget-slider",
         ["--preheat_kernel=False"]),
    ]
    pages = [(row, nb, css, extra + args.voila_arg) for row, nb, css, extra in pages]
    servers = [Presentation(root / nb, extra, work) for _, nb, _, extra in pages]
    times: dict[str, list[float]] = {row: [] for row, *_ in pages}
    busy: dict[str, list[float]] = {row: [] for row, *_ in pages}
    outside: list[str] = []
    try:
        with sync_playwright() as p:
            options = chromium_launch_options()
            if args.warm_cache:  # offline without routing, which would turn the cache off
                options["args"] = [*options["args"], "--host-resolver-rules="
                                   "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
            browser = p.chromium.launch(**options)
            kept = {}  # with --warm-cache: each page's context, its cache filled by visit 0
            for visit in range(0 if args.warm_cache else 1, args.visits + 1):
                for (row, nb, css, _), server in zip(pages, servers):
                    wait_until_quiet(servers)
                    used = server.used_preheated()
                    if args.warm_cache:
                        context = kept.get(row) or browser.new_context(
                            viewport={"width": 1366, "height": 768})
                        if row not in kept:
                            context.on("request", lambda r: r.url.startswith(
                                ("http://127.0.0.1", "data:", "blob:")) or outside.append(r.url))
                            context.add_init_script(FIRST_SCREEN % json.dumps(css))
                            kept[row] = context
                    else:
                        # A new context each visit: an empty cache, as a first-time visitor's
                        # (routing, which keeps the page offline, turns the cache off too).
                        context = offline_context(browser, {"width": 1366, "height": 768})
                        context.add_init_script(FIRST_SCREEN % json.dumps(css))
                    page = context.new_page()
                    cdp = context.new_cdp_session(page)
                    cdp.send("Performance.enable")
                    page.goto(server.url, wait_until="commit", timeout=120_000)
                    page.wait_for_function("window.__firstScreen !== null", timeout=120_000)
                    if visit:
                        times[row].append(page.evaluate("window.__firstScreen"))
                        # The page's main thread: its tasks (parsing, scripts, layout) in all.
                        busy[row].append(1000 * next(m["value"] for m in cdp.send(
                            "Performance.getMetrics")["metrics"] if m["name"] == "TaskDuration"))
                    if server.preheated and server.used_preheated() == used:
                        print(f"{row}: visit {visit} was not given a preheated kernel",
                              file=sys.stderr)
                    kernel = page.evaluate("JSON.parse(document.getElementById("
                                           "'jupyter-config-data').textContent).kernelId")
                    if args.warm_cache:
                        page.close()
                    else:
                        outside += context.outside
                        context.close()
                    server.shut_down(kernel)
            browser.close()
    finally:
        for server in servers:
            server.stop()
    if outside:
        print(f"refused {len(outside)} requests to other hosts, e.g. {outside[0]}",
              file=sys.stderr)
    return [(row, times[row], busy[row]) for row in times]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=25)
    parser.add_argument("--only", choices=("filter", "plan", "first-screen"),
                        help="measure only the filter -> table, the plan change -> chart, "
                             "or the first screen rows")
    parser.add_argument("--visits", type=int, default=7,
                        help="visits of each page for the first screen rows")
    parser.add_argument("--warm-cache", action="store_true",
                        help="first screen rows: one browser cache per page, filled by a "
                             "visit before those measured (a returning visitor's)")
    parser.add_argument("--voila-arg", action="append", default=[],
                        help="an option for every first-screen server, as dev.py present "
                             "takes it (e.g. --voila-arg=--VoilaKernelManager.fill_delay=1)")
    args = parser.parse_args(argv)
    runs = []
    if args.only == "first-screen":
        with tempfile.TemporaryDirectory() as tmp:
            runs = first_screen_rows(args, Path(tmp))
        cache = ("the browser cache kept from a visit before" if args.warm_cache
                 else "a new browser cache each visit")
        print(f"The first screen under Voila, headless Chromium, {args.visits} visits each, "
              f"{cache}")
        print()
        print("| navigation -> first screen | median ms | p95 ms | main thread busy, median ms |")
        print("| --- | ---: | ---: | ---: |")
        for who, times, busy in runs:
            print(f"| {who} | {statistics.median(times):.0f} | {p95(times):.0f} "
                  f"| {statistics.median(busy):.0f} |")
        return 0
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
