"""Start and stop JupyterLab and Voila for browser tests, and drive Chromium.

Servers listen on 127.0.0.1 with a token, on a port chosen free, with
``port_retries=0`` (a clash fails at once rather than moving elsewhere);
they are stopped by PID.  JupyterLab gets a user-settings folder that turns
autosave and news off and renders every cell (no windowing), so a test sees
the whole notebook.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]

LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def jupyter_env() -> dict[str, str]:
    """The environment dev.py gives JupyterLab and Voila: backguide's page template
    (nothing fetched off the machine) as Voila's default."""
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ)
    for name, path in (("JUPYTER_PATH", root / "share" / "jupyter"),
                       ("JUPYTER_CONFIG_PATH", root / "etc" / "jupyter")):
        env[name] = os.pathsep.join(p for p in (str(path), env.get(name, "")) if p)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def chromium_launch_options() -> dict:
    """How to launch Chromium, as ``python3 dev.py test`` arranged it."""
    exe = os.environ.get("BACKGUIDE_CHROMIUM")
    if exe is None:
        exe = "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else ""
    if exe == "playwright":
        return {"args": CHROMIUM_FLAGS}
    if not exe or not Path(exe).is_file():
        pytest.fail("No Chromium for the browser tests. Run them with `python3 dev.py test`, "
                    "which finds or installs one, or set BACKGUIDE_CHROMIUM to its path.")
    return {"executable_path": exe, "args": CHROMIUM_FLAGS}


class Server:
    """A Jupyter server process on 127.0.0.1, stopped by PID."""

    def __init__(self, kind: str, root: Path, log_dir: Path):
        self.kind = kind
        self.root = root
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.log_path = log_dir / f"{kind}-{self.port}.log"
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.home = root.parent / f"journal-{kind}-{self.port}"

    def command(self) -> list[str]:
        root_flag = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
        if self.kind == "lab":
            settings = self.root.parent / "lab-settings"
            for name, value in LAB_SETTINGS.items():
                path = settings / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(json.dumps(value))
            return [sys.executable, "-m", "jupyter", "lab", "--no-browser",
                    "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
                    "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
                    f"--ServerApp.root_dir={self.root}", f"--LabApp.user_settings_dir={settings}",
                    f"--LabApp.workspaces_dir={self.root.parent / 'lab-workspaces'}",
                    *root_flag]
        return [sys.executable, "-m", "voila", str(self.root), "--no-browser",
                f"--port={self.port}", "--Voila.ip=127.0.0.1", f"--token={self.token}",
                "--show_tracebacks=True", "--Voila.port_retries=0"]

    def start(self, timeout: float = 120) -> Server:
        log = self.log_path.open("w")
        # Each server keeps its own journal (the data folder), beside its notebooks.
        env = {**jupyter_env(), "BACKGUIDE_HOME": str(self.home)}
        self.proc = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT,
                                     cwd=self.root, start_new_session=True, env=env)
        deadline = time.monotonic() + timeout
        probe = f"{self.base}/api/status?token={self.token}" if self.kind == "lab" else \
            f"{self.base}/?token={self.token}"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(probe, timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"{self.kind} did not start on port {self.port}:\n"
                           + self.log_path.read_text()[-3000:])

    def url(self, notebook: str) -> str:
        if self.kind == "lab":
            return f"{self.base}/lab/tree/{notebook}?reset&token={self.token}"
        return f"{self.base}/voila/render/{notebook}?token={self.token}"

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=15)


def offline_context(browser, viewport: dict, **options):
    """A browser context in which every request off this machine is refused at once and
    listed in ``context.outside`` (the product must work offline, and no page may wait on
    the network)."""
    context = browser.new_context(viewport=viewport, **options)
    context.outside = []

    def only_here(route):
        if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            context.outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_here)
    return context


def copy_notebooks(src: Path, dst: Path) -> Path:
    """A scratch copy of the notebooks, so running them leaves the checkout alone."""
    dst.mkdir(parents=True, exist_ok=True)
    for nb in src.glob("*.ipynb"):
        shutil.copy(nb, dst / nb.name)
    return dst
