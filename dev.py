#!/usr/bin/env python3
"""Set up backguide and open it, or test it.  Needs only Python 3.11+.

    python3 dev.py lab     # set everything up, open JupyterLab on notebooks/
    python3 dev.py test    # set everything up, run the whole test suite
    python3 dev.py present # set everything up, serve the presentation with Voila

Setting up makes a virtual environment in ``.venv``, installs the package
with everything the notebooks and tests use, and registers the Jupyter
kernel "Python (backguide)".  For the browser tests, ``test`` uses a
Chromium already on the machine, else installs Debian's package (as root),
else tries Playwright's own download, and says which it did; likewise it
uses or installs poppler-utils (pdftotext, pdftoppm) for the handout tests.  A second run reuses ``.venv`` and reinstalls
only when ``pyproject.toml`` has changed.  Arguments after the command go to
JupyterLab or pytest.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / "backguide-installed.txt"


def say(message: str) -> None:
    print(f"[dev.py] {message}", flush=True)


def run(*args: object, **kwargs) -> None:
    subprocess.run([str(a) for a in args], check=True, **kwargs)


def setup() -> None:
    """Make .venv and install the package, unless it is already up to date."""
    if sys.version_info < (3, 11):
        sys.exit(f"backguide needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        say(f"creating a virtual environment in {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        say("the virtual environment is up to date")
    else:
        say("installing backguide and its dependencies into .venv")
        run(PYTHON, "-m", "pip", "install", "--disable-pip-version-check", "--quiet",
            "-e", f"{ROOT}[test]")
        run(PYTHON, "-m", "ipykernel", "install", "--sys-prefix", "--name", "backguide",
            "--display-name", "Python (backguide)")
        STAMP.write_text(wanted + "\n")


def lab(args: list[str]) -> int:
    setup()
    say("opening JupyterLab on notebooks/ (stop it with Ctrl+C)")
    if is_root():
        args = ["--allow-root", *args]  # containers and CI machines run as root
    return subprocess.call([str(BIN / "jupyter"), "lab", str(ROOT / "notebooks"), *args])


def present(args: list[str]) -> int:
    setup()
    say("serving the presentation at http://127.0.0.1:8866 (stop it with Ctrl+C)")
    return subprocess.call([str(BIN / "voila"), str(ROOT / "notebooks" / "04_present.ipynb"),
                            "--Voila.ip=127.0.0.1", "--port=8866", *args], cwd=ROOT / "notebooks")


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def find_chromium() -> str | None:
    for candidate in (os.environ.get("BACKGUIDE_CHROMIUM"), "/usr/bin/chromium",
                      shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def ensure_browser() -> str:
    """A Chromium for the browser tests: one already here, else Debian's, else Playwright's.

    Returns the executable's path, or "playwright" for Playwright's own download.
    """
    found = find_chromium()
    if found:
        say(f"browser tests use the Chromium already here: {found}")
        return found
    if is_root() and shutil.which("apt-get"):
        say("no Chromium found: installing Debian's chromium package with apt-get")
        subprocess.call(["apt-get", "update", "-qq"])
        subprocess.call(["apt-get", "install", "-y", "-qq", "chromium"],
                        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        found = find_chromium()
        if found:
            say(f"browser tests use Debian's Chromium: {found}")
            return found
        say("apt-get could not install chromium")
    say("trying Playwright's own Chromium download (python -m playwright install chromium)")
    if subprocess.call([str(PYTHON), "-m", "playwright", "install", "chromium"]) == 0:
        say("browser tests use Playwright's Chromium")
        return "playwright"
    say("no Chromium could be found or installed: the browser tests will fail and say so")
    return ""


def ensure_poppler() -> None:
    """pdftotext and pdftoppm, which the handout tests read PDFs with."""
    if shutil.which("pdftotext") and shutil.which("pdftoppm"):
        say("handout tests use the poppler tools already here")
        return
    if is_root() and shutil.which("apt-get"):
        say("no pdftotext found: installing Debian's poppler-utils with apt-get")
        subprocess.call(["apt-get", "install", "-y", "-qq", "poppler-utils"],
                        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        if not shutil.which("pdftotext"):
            subprocess.call(["apt-get", "update", "-qq"])
            subprocess.call(["apt-get", "install", "-y", "-qq", "poppler-utils"],
                            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    if not shutil.which("pdftotext"):
        say("pdftotext is missing (install poppler-utils): the handout tests will fail")


def test(args: list[str]) -> int:
    setup()
    ensure_poppler()
    browser = ensure_browser()
    say("running the test suite")
    env = {**os.environ, "BACKGUIDE_CHROMIUM": browser}
    return subprocess.call([str(PYTHON), "-m", "pytest", *args], cwd=ROOT, env=env)


def main(argv: list[str]) -> int:
    commands = {"lab": lab, "test": test, "present": present}
    if not argv or argv[0] not in commands:
        print(__doc__)
        return 2
    return commands[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
