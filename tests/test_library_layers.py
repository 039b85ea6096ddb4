"""A clinic's library folder adds to the shipped one, is set once, and never crashes the
planner or the presenter (#22)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import backguide as bg
import backguide.library
from backguide.present import Presenter
from backguide.views import Explorer, WeekPlanner

from conftest import DATA

HEADER = next(csv.reader(io.StringIO((DATA / "exercises.csv").read_text(encoding="utf-8"))))
SHIPPED = bg.shipped_library()


def _write(path: Path, header: list[str], rows: list[dict]) -> Path:
    buf = io.StringIO()
    w = csv.DictWriter(buf, header, lineterminator="\n", restval="")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def _exercise(ex_id: str, name: str, source: str = "") -> dict:
    return {"id": ex_id, "name": name, "category": "strength",
            "primary_muscles": "glutes", "position": "standing", "equipment": "none",
            "difficulty": "moderate", "difficulty_basis": "Held against a wall.",
            "sets": "2", "hold_s": "20", "rest_s": "30", "per_side": "no",
            "steps": "Back against a wall;Slide down", "sources": source}


SOURCE_HEADER = next(csv.reader(io.StringIO((DATA / "sources.csv").read_text(encoding="utf-8"))))
CLINIC_SOURCE = {"id": "our_clinic", "kind": "outside", "title": "Our clinic's sheet",
                 "publisher": "Our clinic"}


@pytest.fixture
def added(tmp_path) -> Path:
    """A clinic folder with one exercise of its own and its own source, nothing else."""
    _write(tmp_path / "exercises.csv", HEADER, [_exercise("wall_sit", "Wall sit", "our_clinic")])
    _write(tmp_path / "sources.csv", SOURCE_HEADER, [CLINIC_SOURCE])
    return tmp_path


def test_a_clinic_folder_adds_to_the_shipped_library(added):
    lib = bg.load_library(added)
    shipped = set(SHIPPED.exercises.index)
    assert len(shipped) == 39
    assert set(lib.exercises.index) == shipped | {"wall_sit"}
    assert lib.exercises.at["wall_sit", "name"] == "Wall sit"
    assert lib.exercises.at["cat_cow", "name"] == "Cat-cow"
    assert lib.exercises.dtypes.to_dict() == SHIPPED.exercises.dtypes.to_dict()
    assert str(lib.exercises.at["wall_sit", "difficulty"]) == "moderate"
    assert set(lib.sources.index) == set(SHIPPED.sources.index) | {"our_clinic"}
    # The shipped guidance, doses and pictures load beside the clinic's source.
    assert len(lib.guidance) == 43 and len(lib.doses) == 49 and len(lib.poses) == 79
    assert bg.Plan().add("Monday", "wall_sit", lib=lib).add("Monday", "cat_cow", lib=lib)
    assert bg.starter_plans(lib=lib) == ["core_stability", "gentle_start",
                                         "stretch_and_strengthen"]


def test_the_clinics_guidance_adds_to_the_shipped_guidance(added):
    header = next(csv.reader(io.StringIO((DATA / "guidance.csv").read_text(encoding="utf-8"))))
    _write(added / "guidance.csv", [h for h in header if h not in ("sign", "advice",
                                                                   "stop_rule")],
           [{"id": "our_warmup", "source": "our_clinic", "topic": "general",
             "statement": "Walk for five minutes first."}])
    (added / "library.toml").write_text("replace = []\n", encoding="utf-8")
    g = bg.load_library(added).guidance
    assert len(g) == 44 and g.at["our_warmup", "statement"] == "Walk for five minutes first."
    assert g.loc[["fourkey_stop", "fourkey_rest"], "stop_rule"].tolist() == [1.0, 2.0]


def test_an_id_in_both_is_refused_naming_both_files(added):
    _write(added / "exercises.csv", HEADER, [_exercise("wall_sit", "Wall sit", "our_clinic"),
                                             _exercise("cat_cow", "Our cat-cow")])
    with pytest.raises(bg.BackguideError) as excinfo:
        bg.load_library(added)
    (problem,) = excinfo.value.problems
    assert (problem.path, problem.line, problem.column, problem.value) == (
        str(added / "exercises.csv"), 3, "id", "cat_cow")
    assert str(DATA / "exercises.csv") in problem.expected
    assert 'override = ["exercises"]' in problem.expected

    (added / "library.toml").write_text('override = ["exercises"]\n', encoding="utf-8")
    lib = bg.load_library(added)
    assert lib.exercises.at["cat_cow", "name"] == "Our cat-cow"
    assert len(lib.exercises) == 40


def test_a_library_toml_that_says_something_else_is_refused(added):
    toml = added / "library.toml"
    toml.write_text('replace = ["exercise"]\n', encoding="utf-8")
    with pytest.raises(bg.BackguideError, match=r"library.toml, column replace: found "
                       r"\['exercise'\], expected a list of table names from \"sources\""):
        bg.load_library(added)
    toml.write_text('replce = ["exercises"]\n', encoding="utf-8")
    with pytest.raises(bg.BackguideError, match="expected only the settings replace and "
                       "override"):
        bg.load_library(added)


# --- a library without the starter plans' exercises ---------------------------------------

@pytest.fixture
def own(tmp_path) -> bg.Library:
    """A clinic's exercise table alone (it replaces the shipped one): wall_sit and
    bird_dog (one exercise of core_stability, none of the others' all), and a
    starter plan of its own."""
    _write(tmp_path / "exercises.csv", HEADER, [_exercise("wall_sit", "Wall sit"),
                                                _exercise("bird_dog", "Bird dog")])
    (tmp_path / "library.toml").write_text('replace = ["exercises"]\n', encoding="utf-8")
    (tmp_path / "plans").mkdir()
    plan = bg.Plan(name="Our wall week").add("Monday", "wall_sit", lib=bg.load_library(tmp_path))
    bg.save_plan(plan, tmp_path / "plans" / "wall_week.json")
    return bg.load_library(tmp_path)


def test_starter_plans_whose_exercises_are_missing_are_hidden(own):
    assert list(own.exercises.index) == ["wall_sit", "bird_dog"]
    assert bg.starter_plans(lib=own) == ["wall_week"]
    assert bg.load_starter("wall_week", lib=own).name == "Our wall week"
    with pytest.raises(bg.BackguideError) as excinfo:
        bg.load_starter("gentle_start", lib=own)
    assert str(excinfo.value) == (
        f"{DATA / 'plans' / 'gentle_start.json'}, column exercise: found 'cat_cow, "
        "childs_pose, clamshell, fast_walking, glute_bridge, knee_roll, pelvic_tilt, "
        "single_knee_to_chest', expected "
        "exercises this library has (the starter plan 'gentle_start' is left out of its "
        "starter plans).")
    with pytest.raises(ValueError, match="Unknown starter plan 'ours'; expected one of: "
                       "wall_week."):
        bg.load_starter("ours", lib=own)


def test_the_planner_and_presenter_open_on_such_a_library(own, tmp_path):
    planner = WeekPlanner(lib=own, folder=tmp_path / "saved")
    assert list(planner._starter.options) == [("Our wall week", "wall_week")]
    planner.start_from("wall_week")
    assert planner.plan.entries["exercise"].tolist() == ["wall_sit"]

    presenter = Presenter(lib=own, folder=tmp_path / "saved")
    presenter.accept_safety()
    assert [v for _label, v in presenter.plan_choices] == ["starter:wall_week"]


# --- one setting ----------------------------------------------------------------------------

@pytest.fixture
def setting(monkeypatch, added):
    monkeypatch.setenv("BACKGUIDE_LIBRARY", str(added))
    backguide.library.clear_cache()
    yield added
    monkeypatch.delenv("BACKGUIDE_LIBRARY")
    backguide.library.clear_cache()


def test_the_library_setting_is_what_load_library_and_the_views_use(setting):
    lib = bg.load_library()
    assert "wall_sit" in lib.exercises.index and len(lib.exercises) == 40
    assert bg.load_library() is lib, "loaded once"
    assert bg.shipped_library() is not lib and len(bg.shipped_library().exercises) == 39
    explorer = Explorer()  # as the notebooks make it
    assert len(explorer.results) == 40
    assert "wall_sit" in set(explorer.results.index)
    assert bg.Plan().add("Monday", "wall_sit").entries["exercise"].tolist() == ["wall_sit"]


def test_every_notebook_takes_the_library_from_the_setting():
    """Each notebook loads the library with ``bg.load_library()`` (no folder), so the
    setting reaches it; none names the shipped library itself."""
    for path in sorted((DATA.parent / "notebooks").glob("*.ipynb")):
        code = "\n".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"]
                         if c["cell_type"] == "code")
        assert "load_library(" not in code.replace("load_library()", ""), path.name
        assert "shipped_library" not in code, path.name


def test_a_library_setting_naming_no_folder_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("BACKGUIDE_LIBRARY", str(tmp_path / "our_clinc"))
    backguide.library.clear_cache()
    with pytest.raises(bg.BackguideError) as excinfo:
        bg.load_library()
    assert str(excinfo.value) == (f"{tmp_path / 'our_clinc'}: found nothing, expected a "
                                  "library folder (as the setting BACKGUIDE_LIBRARY names it): "
                                  "there is no such folder.")
    with pytest.raises(bg.BackguideError, match="expected a library folder: there is no such"):
        bg.load_library(tmp_path / "our_clinc")


def test_the_clinics_doses_add_to_the_shipped_doses_and_a_repeat_is_refused(added):
    rows = list(csv.reader(io.StringIO((DATA / "doses.csv").read_text(encoding="utf-8"))))
    header, shipped_row = rows[0], dict(zip(rows[0], rows[1]))
    mine = {"source": "our_clinic", "exercise": "wall_sit", "heading": "Wall sit",
            "hold_s": "20-40", "evidence": "Hold 20 to 40 seconds"}
    _write(added / "doses.csv", header, [mine])
    doses = bg.load_library(added).doses
    assert len(doses) == 50
    assert doses.iloc[-1][["exercise", "hold_s_min", "hold_s_max"]].tolist() == [
        "wall_sit", 20.0, 40.0]

    _write(added / "doses.csv", header, [mine, shipped_row])
    with pytest.raises(bg.BackguideError) as excinfo:
        bg.load_library(added)
    (problem,) = excinfo.value.problems
    assert (problem.line, problem.value) == (
        3, "myspine, glute_bridge, Stretching (exercise heading lost)")
    assert str(DATA / "doses.csv") in problem.expected
    (added / "library.toml").write_text('override = ["doses"]\n', encoding="utf-8")
    assert len(bg.load_library(added).doses) == 50


def test_a_clinic_exercise_names_shipped_exercises_as_easier_and_harder(added):
    wall = {**_exercise("wall_sit", "Wall sit", "our_clinic"),
            "easier": "squat", "harder": "our_lunge;pistol_squat_typo"}
    lunge = _exercise("our_lunge", "Our lunge", "our_clinic")
    _write(added / "exercises.csv", HEADER, [wall, lunge])
    with pytest.raises(bg.BackguideError) as excinfo:
        bg.load_library(added)
    (problem,) = excinfo.value.problems
    assert (problem.line, problem.column, problem.value) == (2, "harder", "pistol_squat_typo")
    assert "the shipped exercises.csv it adds to" in problem.expected
    wall["harder"] = "our_lunge"
    _write(added / "exercises.csv", HEADER, [wall, lunge])
    lib = bg.load_library(added)
    assert lib.exercises.at["wall_sit", "easier"] == ("squat",)
    from backguide.content.exercise import exercise_content
    c = exercise_content("wall_sit", lib=lib)
    assert [v.name for v in c.easier] == ["Bodyweight squat"]
    assert [v.name for v in c.harder] == ["Our lunge"]
    # With the shipped exercises replaced, a shipped id is not there to name.
    (added / "library.toml").write_text('replace = ["exercises"]\n', encoding="utf-8")
    wall["harder"] = ""
    _write(added / "exercises.csv", HEADER, [wall, lunge])
    with pytest.raises(bg.BackguideError, match="squat"):
        bg.load_library(added)


def test_added_guidance_need_not_number_the_stop_rule(added):
    header = next(csv.reader(io.StringIO((DATA / "guidance.csv").read_text(encoding="utf-8"))))
    _write(added / "guidance.csv", header,
           [{"id": "our_warmup", "source": "our_clinic", "topic": "general",
             "statement": "Walk for five minutes first."}])
    (added / "library.toml").write_text("replace = []\n", encoding="utf-8")
    g = bg.load_library(added).guidance
    assert g.at["our_warmup", "statement"] == "Walk for five minutes first."
    assert g.loc[["fourkey_stop", "fourkey_rest"], "stop_rule"].tolist() == [1.0, 2.0]
    # A guidance table that replaces the shipped one must still number its stop rule.
    (added / "library.toml").write_text('replace = ["guidance"]\n', encoding="utf-8")
    with pytest.raises(bg.BackguideError, match="no row has a number"):
        bg.load_library(added)
