"""Shared fixtures: the shipped library and a way to write broken copies of it."""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

# The journal's default folder is the tests' own, never the person's own
# ~/.local/share/backguide; and no test reaches a clinic's database by accident.
os.environ["BACKGUIDE_HOME"] = tempfile.mkdtemp(prefix="backguide-home-")
os.environ.pop("BACKGUIDE_DATABASE_URL", None)

import backguide as bg  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
#: Where test artifacts (PNG renders, screenshots) are written for people to open.
ARTIFACTS = ROOT / "artifacts"


def seeds_dir() -> Path | None:
    """The five source articles, if this checkout has them beside it."""
    candidates = [os.environ.get("BACKGUIDE_SEEDS", ""), ROOT.parent / "shared" / "seeds"]
    for c in candidates:
        if c and Path(c).is_dir():
            return Path(c)
    return None


@pytest.fixture(scope="session")
def library() -> bg.Library:
    return bg.load_library()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


class TableCopy:
    """A copy of a shipped table in a temporary folder, to be broken on purpose."""

    def __init__(self, folder: Path, name: str):
        self.folder = folder
        for other in ("sources.csv", "exercises.csv", "doses.csv", "guidance.csv"):
            shutil.copy(DATA / other, folder / other)
        self.path = folder / name
        with self.path.open(newline="", encoding="utf-8") as f:
            self.rows = list(csv.reader(f))

    @property
    def header(self) -> list[str]:
        return self.rows[0]

    def set(self, row: int, column: str, value: str) -> int:
        """Set data row ``row`` (0-based) of ``column``; returns its file line."""
        self.rows[row + 1][self.header.index(column)] = value
        return row + 2

    def find(self, column: str, value: str) -> int:
        """The 0-based data row whose ``column`` holds ``value``."""
        col = self.header.index(column)
        return next(i for i, r in enumerate(self.rows[1:]) if r[col] == value)

    def drop_column(self, column: str) -> None:
        col = self.header.index(column)
        self.rows = [r[:col] + r[col + 1 :] for r in self.rows]

    def save(self) -> Path:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(self.rows)
        self.path.write_text(buf.getvalue(), encoding="utf-8")
        return self.path


@pytest.fixture
def table_copy(tmp_path):
    return lambda name: TableCopy(tmp_path, name)


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium, shared by the browser tests (started once)."""
    from playwright.sync_api import sync_playwright

    from servers import chromium_launch_options

    with sync_playwright() as p:
        b = p.chromium.launch(**chromium_launch_options())
        yield b
        b.close()
from pg import postgres, store, url  # noqa: E402,F401  (PostgreSQL, tests/pg.py)
