"""An imported library's own pictures and its attribution, wherever an exercise is shown
or handed out (issue #22): the explorer's card, the presenter and the handout.

The sample of free-exercise-db names image files but holds none: each test writes a
small red PNG where the library says one exercise's first picture is.  Nothing is
ever fetched: the fetcher is replaced by one that fails the test.
"""

from __future__ import annotations

import base64
import re
import subprocess
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.image as mpimg  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import backguide as bg  # noqa: E402
from backguide.content import exercise as exercise_module  # noqa: E402
from backguide.handout import handout_pages  # noqa: E402
from backguide.present.presenter import Presenter  # noqa: E402
from backguide.views.render import exercise_card, text_of  # noqa: E402

SAMPLE = Path(__file__).parent / "samples" / "free-exercise-db-sample.json"
ATTRIBUTION = "Exercise from free-exercise-db contributors, Unlicense (public domain)"
URL = "https://example.org/pictures/prowler.png"
OFFLINE = f"Picture online: {URL} (not loaded: network use is off)"


def _png(path: Path) -> bytes:
    """A small, all-red PNG at ``path`` (named .jpg, as the source names it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fig = plt.figure(figsize=(2, 1.5), dpi=40, facecolor="#FF0000")
    fig.savefig(path, format="png", facecolor="#FF0000")
    plt.close(fig)
    return path.read_bytes()


def _edit(folder: Path, exercise: str, **cells) -> None:
    """Set ``cells`` of ``exercise``'s row in the folder's exercises.csv."""
    table = pd.read_csv(folder / "exercises.csv", dtype=str, keep_default_na=False)
    for column, value in cells.items():
        table.loc[table["id"] == exercise, column] = value
    table.to_csv(folder / "exercises.csv", index=False)


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    monkeypatch.delenv(exercise_module.NETWORK_SETTING, raising=False)

    def no_fetch(url):
        raise AssertionError(f"fetched {url}")

    monkeypatch.setattr(exercise_module, "_fetch", no_fetch)
    out = tmp_path / "clinic"
    bg.import_library(SAMPLE, to=out)
    _png(out / "Running_Treadmill" / "0.jpg")
    return out


def _pdf_text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, check=True, capture_output=True)
    return re.sub(r"\s+", " ", out.stdout.decode())


def _images(pdf: bytes) -> int:
    """How many images the PDF holds, by ``pdfimages -list``."""
    out = subprocess.run(["pdfimages", "-list", "-"], input=pdf, check=True,
                         capture_output=True).stdout.decode().splitlines()
    return len(out) - 2


def _red_share(pdf: bytes, tmp_path: Path) -> float:
    """The share of page 1's pixels that are pure red, rendered by pdftoppm."""
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", "-",
                    str(tmp_path / "page")], input=pdf, check=True)
    px = mpimg.imread(next(tmp_path.glob("page*.png")))[..., :3]
    return float(((px[..., 0] > 0.9) & (px[..., 1] < 0.1) & (px[..., 2] < 0.1)).mean())


# --- the card --------------------------------------------------------------------------


def test_card_shows_the_file_inline_and_the_attribution(folder):
    lib = bg.load_library(folder)
    card = exercise_card("running_treadmill", lib=lib)
    data = base64.b64encode((folder / "Running_Treadmill" / "0.jpg").read_bytes()).decode()
    assert f'src="data:image/png;base64,{data}"' in card
    assert ATTRIBUTION in text_of(card)
    # Its second picture is not in the folder: said, not hidden.
    assert "Picture not found in the library folder: Running_Treadmill/1.jpg" in text_of(card)


def test_the_explorers_card_shows_the_sources_picture_and_no_movement(folder):
    """The explorer, as a person opens a card: the file is shown, not the placeholder."""
    from backguide.views.explorer import Explorer
    explorer = Explorer(lib=bg.load_library(folder))
    explorer.model.selected = "running_treadmill"
    data = base64.b64encode((folder / "Running_Treadmill" / "0.jpg").read_bytes()).decode()
    assert f'src="data:image/png;base64,{data}"' in explorer._detail.value
    assert "No picture for this exercise yet" not in text_of(explorer._detail.value)
    assert explorer._play.disabled, "no drawn positions: no movement to play"
    explorer.model.selected = "cat_cow"
    assert not explorer._play.disabled


def test_shipped_exercise_card_keeps_its_drawing_and_has_no_attribution(folder):
    card = exercise_card("cat_cow", lib=bg.load_library(folder))
    assert "data:image/svg+xml;base64," in card
    assert "data:image/png" not in card
    assert "Exercise from" not in text_of(card)


def test_url_picture_is_not_fetched_and_says_so(folder, monkeypatch):
    _edit(folder, "prowler_sprint", images=URL)
    lib = bg.load_library(folder)
    card = exercise_card("prowler_sprint", lib=lib)
    assert OFFLINE in text_of(card)
    assert f'src="{URL}"' not in card
    plan = bg.Plan(name="Sprint").add("Monday", "prowler_sprint", lib=lib)
    pdf, page = handout_pages(plan, lib=lib)
    assert OFFLINE in _pdf_text(pdf)
    assert OFFLINE in text_of(page)
    assert _images(pdf) == 0

    # Allowed: the card leaves the address to the browser, and still fetches nothing.
    monkeypatch.setenv(exercise_module.NETWORK_SETTING, "1")
    card = exercise_card("prowler_sprint", lib=lib)
    assert f'src="{URL}"' in card
    assert "Picture online" not in text_of(card)


def test_url_picture_is_drawn_into_the_handout_when_allowed(folder, monkeypatch, tmp_path):
    _edit(folder, "prowler_sprint", images=URL)
    png = (folder / "Running_Treadmill" / "0.jpg").read_bytes()
    fetched = []
    monkeypatch.setattr(exercise_module, "_fetch", lambda url: fetched.append(url) or png)
    monkeypatch.setenv(exercise_module.NETWORK_SETTING, "1")
    lib = bg.load_library(folder)
    pdf, _ = handout_pages(bg.Plan(name="S").add("Monday", "prowler_sprint", lib=lib), lib=lib)
    assert fetched == [URL]
    assert _images(pdf) == 1
    assert "Picture online" not in _pdf_text(pdf)


# --- the presenter ---------------------------------------------------------------------


def test_presenter_shows_the_picture_and_the_attribution(folder, tmp_path):
    lib = bg.load_library(folder)
    p = Presenter(lib=lib, folder=tmp_path / "saved")
    p.accept_safety()
    p.begin(exercise="running_treadmill")
    assert p.stage == "exercise"
    assert ATTRIBUTION in p.screen_text()
    assert "data:image/png;base64," in p._picture.value
    # No drawn positions, so no movement to play: its button is not offered.
    assert p._play.layout.display == "none"
    p.begin(exercise="cat_cow")
    assert "Exercise from" not in p.screen_text()
    assert p._play.layout.display != "none", "a shipped exercise's movement plays"


# --- the handout -----------------------------------------------------------------------


def test_handout_prints_the_picture_and_the_attribution(folder, tmp_path):
    lib = bg.load_library(folder)
    plan = bg.Plan(name="Treadmill").add("Monday", "running_treadmill", lib=lib)
    pdf, page = handout_pages(plan, lib=lib)
    text = _pdf_text(pdf)
    assert ATTRIBUTION in text
    # No dose in the source: said as such, and no time made up for it.
    assert "Running, Treadmill Dose: ask your clinician; " in " ".join(text.split())
    assert "time not known: no dose" in " ".join(text.split())
    assert _images(pdf) == 1
    assert _red_share(pdf, tmp_path) > 0.02  # the red picture, on the page
    assert ATTRIBUTION in text_of(page)
    assert "data:image/png;base64," in page


def test_licence_requiring_attribution_without_author_is_refused(folder):
    _edit(folder, "clean_shrug", licence="CC BY-SA 4.0", author="")
    lib = bg.load_library(folder)
    plan = bg.Plan(name="Shrugs").add("Monday", "clean_shrug", lib=lib)
    with pytest.raises(bg.BackguideError) as err:
        handout_pages(plan, lib=lib)
    said = str(err.value)
    assert "clean_shrug" in said and "author" in said and "CC BY-SA 4.0" in said

    _edit(folder, "clean_shrug", author="Jane Doe")
    lib = bg.load_library(folder)
    pdf, page = handout_pages(plan, lib=lib)
    assert "Exercise from Jane Doe, CC BY-SA 4.0" in _pdf_text(pdf)
    assert "Exercise from Jane Doe, CC BY-SA 4.0" in text_of(page)


@pytest.mark.parametrize("licence, needs", [
    ("CC BY 4.0", True), ("CC-BY-SA", True), ("Creative Commons Attribution 3.0", True),
    ("cc by-nc", True), ("Unlicense (public domain)", False), ("CC0 1.0", False), ("", False)])
def test_which_licences_need_attribution(licence, needs):
    assert exercise_module.needs_attribution(licence) is needs
