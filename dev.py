#!/usr/bin/env python3
"""Set up backguide and open it, or test it.  Needs only Python 3.11+.

    python3 dev.py lab     # set everything up, open JupyterLab on notebooks/
    python3 dev.py test    # set everything up, run the whole test suite

Setting up makes a virtual environment in ``.venv``, installs the package
with everything the notebooks and tests use, and registers the Jupyter
kernel "Python (backguide)".  A second run reuses ``.venv`` and reinstalls
only when ``pyproject.toml`` has changed.  Arguments after the command go to
JupyterLab or pytest.
"""

from __future__ import annotations

import hashlib
import os
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
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args = ["--allow-root", *args]  # containers and CI machines run as root
    return subprocess.call([str(BIN / "jupyter"), "lab", str(ROOT / "notebooks"), *args])


def test(args: list[str]) -> int:
    setup()
    say("running the test suite")
    return subprocess.call([str(PYTHON), "-m", "pytest", *args], cwd=ROOT)


def main(argv: list[str]) -> int:
    commands = {"lab": lab, "test": test}
    if not argv or argv[0] not in commands:
        print(__doc__)
        return 2
    return commands[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
