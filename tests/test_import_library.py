"""Importing a public exercise set (free-exercise-db's sample) or a clinic's sheet."""

from __future__ import annotations

import json
import pandas as pd
from pathlib import Path

import pytest

import backguide as bg
from backguide.content.exercise import exercise_content
from backguide.filtering import without_dose
from backguide.importing import import_library, main
from backguide.views.render import exercise_card

# A sample of free-exercise-db (public domain, the Unlicense), kept with the tests.
SAMPLE = Path(__file__).resolve().parent / "samples" / "free-exercise-db-sample.json"
RECORDS = json.loads(SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lib") / "freedb"
    report = import_library(SAMPLE, to=folder)
    return folder, report, bg.load_library(folder)


def _row(lib, source_id: str):
    ex = lib.exercises
    rows = ex[ex["source_id"] == source_id]
    assert len(rows) == 1, source_id
    return rows.iloc[0]


def _ids(lib, source_ids) -> list[str]:
    ex = lib.exercises
    return ex.index[ex["source_id"].isin(list(source_ids))].tolist()


def test_the_folder_loads_beside_the_shipped_library(imported):
    folder, report, lib = imported
    ex = lib.exercises
    assert sorted(ex["source_id"][ex["source_id"] != ""]) == sorted(r["id"] for r in RECORDS)
    assert "cat_cow" in ex.index, "the import adds to the shipped exercises"
    # Two sample ids are shipped ids too: each import takes a new one.
    assert _row(lib, "Superman").name == "superman_2"
    assert _row(lib, "Childs_Pose").name == "childs_pose_2"
    assert not lib.poses["exercise"].isin(["superman_2", "childs_pose_2"]).any()
    assert report.exercises == 36


def test_the_report_says_what_was_mapped_and_what_was_left_blank(imported):
    _, report, _ = imported
    text = str(report)
    assert text.startswith("Imported 36 exercises from ")
    assert "biceps -> arms (1)" in text  # primary: One Arm Dumbbell Preacher Curl
    assert "kettlebells -> kettlebell (1)" in text
    assert "Left blank (unknown) position: 36 of 36." in text
    assert "Left blank (unknown) dose: 36 of 36." in text
    assert "Left blank (unknown) equipment: 7 of 36." in text  # the sample's 7 nulls


def test_nothing_the_source_said_is_lost(imported):
    _, _, lib = imported
    for r in RECORDS:
        row = _row(lib, r["id"])
        assert row["name"] == r["name"]
        assert row["source_level"] == r["level"]
        assert row["source_category"] == r["category"]
        assert row["source_force"] == (r["force"] or "")
        assert row["source_mechanic"] == (r["mechanic"] or "")
        assert row["equipment_words"] == ((r["equipment"],) if r["equipment"] else ())
        assert row["primary_muscle_words"] == tuple(r["primaryMuscles"])
        assert row["secondary_muscle_words"] == tuple(r["secondaryMuscles"])
        assert row["steps"] == tuple(r["instructions"])
        assert row["images"].split(";") == r["images"]
        assert set(r) == {"id", "name", "force", "level", "mechanic", "equipment",
                          "primaryMuscles", "secondaryMuscles", "instructions",
                          "category", "images"}, "a field this test does not check"


def test_muscles_keep_the_source_words_and_count_under_the_groups(imported):
    _, _, lib = imported
    curl = _row(lib, "One_Arm_Dumbbell_Preacher_Curl")
    assert curl["primary_muscle_words"] == ("biceps",)
    assert curl["primary_muscles"] == ("arms",)
    m = lib.muscles
    assert m.loc[(m["exercise"] == curl.name) & (m["role"] == "primary"),
                 "muscle"].tolist() == ["arms"]
    assert exercise_content(curl.name, lib=lib).muscles == "biceps"
    row = _row(lib, "Two-Arm_Kettlebell_Row")
    assert row["primary_muscles"] == ("upper back",)
    assert row["secondary_muscle_words"] == ("biceps", "lats")
    assert row["secondary_muscles"] == ("arms", "upper back")
    assert exercise_content(row.name, lib=lib).muscles == "middle back (also biceps, lats)"


def test_equipment_kinds_are_added_and_hidden_from_i_have_nothing(imported):
    folder, _, lib = imported
    added = (folder / "equipment.csv").read_text().splitlines()
    assert sorted(line.split(",")[0] for line in added[1:]) == sorted(
        ["machine", "other", "barbell", "dumbbell", "medicine ball", "band", "cable",
         "ez curl bar", "exercise ball", "kettlebell", "foam roll"])
    nothing = set(bg.filter_exercises(lib=lib, equipment=[]).index)
    needing = [r["id"] for r in RECORDS if r["equipment"] not in (None, "body only")]
    assert len(needing) == 25
    assert not nothing & set(_ids(lib, needing))
    body_only = [r["id"] for r in RECORDS if r["equipment"] == "body only"]
    assert set(_ids(lib, body_only)) <= nothing
    barbell = set(bg.filter_exercises(lib=lib, equipment=["barbell"]).index)
    assert set(_ids(lib, ["Clean_Shrug", "Box_Squat_with_Bands",
                          "Barbell_Guillotine_Bench_Press"])) <= barbell
    with pytest.raises(ValueError, match="kettlebell"):
        bg.filter_exercises(equipment=["kettlebell"])  # the shipped library has none


def test_not_on_the_floor_hides_unknown_positions_unless_asked(imported):
    _, _, lib = imported
    mine = set(_ids(lib, [r["id"] for r in RECORDS]))
    off_floor = set(bg.filter_exercises(lib=lib, avoid_access="floor").index)
    assert not off_floor & mine
    assert "cat_cow" not in off_floor and "seated_forward_bend" in off_floor
    shown = set(bg.filter_exercises(lib=lib, avoid_access="floor",
                                    show_unknown_position=True).index)
    assert mine <= shown and "cat_cow" not in shown
    assert not set(bg.filter_exercises(lib=lib, text="no floor").index) & mine
    assert not set(bg.filter_exercises(lib=lib, access=["chair", "standing"]).index) & mine
    everywhere = set(bg.filter_exercises(lib=lib, access=["floor", "chair", "standing",
                                                            "water"]).index)
    assert mine <= everywhere, "every place ticked hides nothing"


def test_time_limits_and_routines_skip_exercises_without_a_dose(imported):
    _, _, lib = imported
    mine = _ids(lib, [r["id"] for r in RECORDS])
    assert not set(bg.filter_exercises(lib=lib, max_minutes=600).index) & set(mine)
    assert without_dose(mine, lib=lib) == (
        "36 exercises have no dose, so their time is unknown and time limits leave "
        "them out: ask your clinician for a dose.")
    assert without_dose(["cat_cow"], lib=lib) == ""
    s = bg.suggest_routine(mine, 15, lib=lib)
    assert s.plan.entries.empty
    assert s.note.startswith("36 exercises have no dose, so their time is unknown and "
                             "they were left out: ask your clinician for a dose.")
    s = bg.suggest_routine(mine + ["cat_cow", "pelvic_tilt"], 15, lib=lib)
    assert set(s.plan.entries["exercise"]) <= {"cat_cow", "pelvic_tilt"}
    assert "36 exercises have no dose" in s.note


def test_a_card_says_ask_your_clinician(imported):
    _, _, lib = imported
    ex_id = _row(lib, "Superman").name
    c = exercise_content(ex_id, lib=lib)
    assert (c.dose_and_time, c.position) == ("ask your clinician", "position not given")
    card = exercise_card(ex_id, lib=lib, picture="")
    assert "Starting dose:</b> <span class=\"bg-card-dose\">ask your clinician</span>" in card
    # No cautions in the source: the stop rule stands in, on the card as everywhere.
    assert c.cautions == ("If an exercise makes your back pain worse, stop doing it. It is "
                          "fine to rest the back for a while; do what you can, choosing "
                          "exercises that do not strain it.",)
    assert "None listed" not in card and "stop doing it" in card


def test_difficulty_comes_from_a_table_the_clinic_edits(imported, tmp_path):
    folder, _, lib = imported
    lifts = [r["id"] for r in RECORDS if r["category"] in ("powerlifting", "strongman",
                                                            "olympic weightlifting")]
    assert len(lifts) == 7
    assert {_row(lib, i)["difficulty"] for i in lifts} == {"hard"}
    assert _row(lib, "Hip_Lift_with_Band")["difficulty_basis"] == (
        "powerlifting, beginner in the source")
    assert _row(lib, "Superman")["difficulty"] == "easy"
    edited = (folder / "difficulty.csv").read_text().replace(
        "stretching,beginner,easy", "stretching,beginner,")
    (tmp_path / "difficulty.csv").write_text(edited)
    again = tmp_path / "again"
    import_library(SAMPLE, to=again, difficulty=tmp_path / "difficulty.csv")
    lib2 = bg.load_library(again)
    superman = _row(lib2, "Superman")
    assert superman["difficulty"] != superman["difficulty"]  # blank: unknown
    assert superman.name not in bg.filter_exercises(lib=lib2, max_difficulty="moderate").index
    assert superman.name not in bg.filter_exercises(lib=lib2, min_difficulty="moderate").index
    assert superman.name in bg.filter_exercises(lib=lib2, max_difficulty="hard").index
    assert exercise_content(superman.name, lib=lib2).difficulty == "difficulty not given"


def test_licence_and_author_are_carried(imported):
    folder, _, lib = imported
    mine = lib.exercises.loc[_ids(lib, [r["id"] for r in RECORDS])]
    assert set(mine["licence"]) == {"Unlicense (public domain)"}
    assert set(mine["author"]) == {"free-exercise-db contributors"}
    assert set(mine["sources"]) == {("free_exercise_db",)}
    assert lib.sources.loc["free_exercise_db", "url"] == (
        "https://github.com/yuhonas/free-exercise-db")
    c = exercise_content(mine.index[0], lib=lib)
    assert (c.licence, c.author) == ("Unlicense (public domain)",
                                     "free-exercise-db contributors")


def test_a_folder_is_never_overwritten_without_replace(imported, tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "notes.txt").write_text("ours")
    with pytest.raises(bg.BackguideError, match="replace=True"):
        import_library(SAMPLE, to=folder)
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    import_library(SAMPLE, to=folder, replace=True)
    assert not (folder / "notes.txt").exists()
    assert len(bg.load_library(folder).exercises) == len(imported[2].exercises)


SHEET = """Exercise,Target,Kit,How,Level,Type,Room,Reps,Sides
Wall push-up,chest; triceps,,Stand facing a wall.|Push away.,beginner,strength,Gym 2,10,no
Heavy sled drag,quadriceps,sled,Drag the sled.,beginner,strongman,Yard,500,maybe
Hip hinge,hamstrings,,Bend at the hips.,,strength,Gym 1,,
Tai chi,,,Move slowly.,beginner,balance,Hall,,
,,,,,,Store room,,
"""


def test_a_sheet_imports_by_a_column_mapping(tmp_path):
    sheet = tmp_path / "clinic.csv"
    sheet.write_text(SHEET)
    mapping = {"name": "Exercise", "primary_muscles": "Target", "equipment": "Kit",
               "steps": "How", "level": "Level", "category": "Type", "reps": "Reps",
               "per_side": "Sides"}
    report = import_library(sheet, to=tmp_path / "lib", mapping=mapping,
                            licence="CC BY 4.0", author="Our clinic")
    lib = bg.load_library(tmp_path / "lib")
    ex = lib.exercises
    wall = ex.loc["wall_push_up"]
    assert wall["primary_muscles"] == ("chest", "arms")
    assert wall["primary_muscle_words"] == ("chest", "triceps")
    assert wall["steps"] == ("Stand facing a wall.", "Push away.")
    assert (wall["source_Room"], wall["licence"], wall["author"]) == (
        "Gym 2", "CC BY 4.0", "Our clinic")
    assert ex.loc["heavy_sled_drag", "equipment"] == ("sled",)
    assert ex.loc["heavy_sled_drag", "difficulty"] == "hard"
    assert wall["reps"] == 10 and not wall["per_side"]
    # What the guide cannot hold is refused into the source's own column, and said.
    sled = ex.loc["heavy_sled_drag"]
    assert sled["reps"] != sled["reps"] and sled["per_side"] is pd.NA  # unknown, not "no"
    assert (sled["source_reps"], sled["source_per_side"]) == ("500", "maybe")
    assert "Could not map reps: 1 ('500' (1))" in str(report)
    assert "Could not map per_side: 1 ('maybe' (1))" in str(report)
    assert ex.loc["tai_chi", "category"] == "strength"
    assert ex.loc["tai_chi", "source_category"] == "balance"
    assert "Could not map category (filed as strength): 1 ('balance' (1))" in str(report)
    # The shipped library has a hip_hinge: the clinic's gets a new id, and says so.
    assert "New ids for 1 exercise whose id the shipped library (or an earlier row) " \
           "has already: Hip hinge -> hip_hinge_2." in str(report)
    assert ex.loc["hip_hinge_2", "difficulty"] != ex.loc["hip_hinge_2", "difficulty"]
    assert "Left blank (unknown) difficulty: 2 of 4." in str(report)
    assert "Left blank (unknown) name (row skipped): 1 of 4." in str(report)
    with pytest.raises(bg.BackguideError, match="Muscles"):
        import_library(sheet, to=tmp_path / "other", mapping={"name": "Exercise",
                                                              "primary_muscles": "Muscles"})


def test_a_mapping_is_for_a_sheet(tmp_path):
    with pytest.raises(bg.BackguideError, match="a mapping is for a sheet"):
        import_library(SAMPLE, to=tmp_path / "lib", mapping={"name": "name"})
    assert not (tmp_path / "lib").exists()


def test_the_command_line_imports_and_prints_the_report(tmp_path, capsys):
    assert main([str(SAMPLE), "--to", str(tmp_path / "lib")]) == 0
    assert capsys.readouterr().out.startswith("Imported 36 exercises from ")
    assert main([str(SAMPLE), "--to", str(tmp_path / "lib")]) == 1
    assert "replace=True, or --replace" in capsys.readouterr().err


def test_a_routine_takes_a_blank_difficulty_as_hard(tmp_path):
    sheet = tmp_path / "clinic.csv"
    sheet.write_text("Exercise,Target,How,Level,Type,Reps,Hold\n"
                     "Mystery move,glutes,Move.,,stretching,10,5\n"
                     "Gentle stretch,glutes,Stretch.,beginner,stretching,10,5\n")
    import_library(sheet, to=tmp_path / "lib", mapping={
        "name": "Exercise", "primary_muscles": "Target", "steps": "How", "level": "Level",
        "category": "Type", "reps": "Reps", "hold_s": "Hold"})
    lib = bg.load_library(tmp_path / "lib")
    assert lib.exercises.loc["gentle_stretch", "difficulty"] == "easy"
    s = bg.suggest_routine(["mystery_move", "gentle_stretch"], 30, lib=lib)
    assert s.plan.entries["exercise"].tolist()[0] == "gentle_stretch"
    assert "no dose" not in s.note


def test_the_explorer_lists_every_imported_exercise_to_start_with(imported):
    """Every kind of equipment the library needs is a box, ticked: nothing is hidden
    until the person clears one (the guide's own kinds alone hid 25 of the 36)."""
    from backguide.views import Explorer

    _folder, _report, lib = imported
    n = len(lib.exercises)
    explorer = Explorer(lib=lib)
    assert explorer.count_text.startswith(f"{n} of {n} exercises")
    kinds = set(lib.equipment["equipment"])
    assert {"barbell", "dumbbell"} <= kinds
    assert kinds - {"none"} <= set(explorer._equipment)


def test_a_blank_per_side_is_not_given_not_no(tmp_path):
    """A sheet that leaves "each side?" blank: the card says so, and times one side."""
    sheet = tmp_path / "clinic.csv"
    sheet.write_text("Exercise,How,Type,Reps,Hold,Sides\n"
                     "Step-up,Step up and down.,strength,10,,\n"
                     "Lunge hold,Hold a lunge.,strength,2,10,yes\n"
                     "Wall sit,Sit against a wall.,strength,3,10,no\n")
    import_library(sheet, to=tmp_path / "lib", mapping={
        "name": "Exercise", "steps": "How", "category": "Type", "reps": "Reps",
        "hold_s": "Hold", "per_side": "Sides"})
    lib = bg.load_library(tmp_path / "lib")
    step, lunge, wall = (_row(lib, n).name for n in ("Step-up", "Lunge hold", "Wall sit"))
    assert lib.exercises.loc[step, "per_side"] is pd.NA
    assert exercise_content(step, lib=lib).dose_and_time.startswith(
        "10 reps, sides not given")
    assert exercise_content(lunge, lib=lib).dose_and_time.startswith("2 reps, hold 10 s, each side")
    assert exercise_content(wall, lib=lib).dose_and_time.startswith("3 reps, hold 10 s ")
    # Timed as one side: 10 reps of a 3 s movement, no side change.
    from backguide.present.timer import timer_phases
    phases = timer_phases(lib.exercises.loc[step])
    assert sum(p["seconds"] for p in phases) == 30
    assert not any(p["kind"] == "switch" for p in phases)
    # Put in a plan it is one side (a plan's dose says yes or no).
    assert bg.dose_for(step, lib=lib)["per_side"] is False
    assert bg.dose_for(lunge, lib=lib)["per_side"] is True


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def test_the_presenter_asks_the_clinician_for_an_exercise_with_no_dose(imported, tmp_path):
    from backguide.present import Presenter
    _, _, lib = imported
    superman = _row(lib, "Superman").name
    p = Presenter(lib=lib, folder=tmp_path)
    p.accept_safety()
    p.begin(exercise=superman)
    shown = p.screen_text()
    assert "Just this exercise (time not known: no dose)" in shown
    assert "Dose: ask your clinician" in shown
    assert "0.1 min" not in shown and "1 rep" not in shown
    assert p.phases == () and p.timer.layout.display == "none"
    did = next(w for w in _walk(p) if "bg-did" in getattr(w, "_dom_classes", ()))
    assert did.layout.display != "none"
    assert p.results()["status"].tolist() == ["skipped"]
    did.value = True
    assert p.results()["status"].tolist() == ["done"]
    assert (did.description, did.button_style) == ("Done (press again to undo)", "success")
    # No cautions of its own: the stop rule stands in; no file path reaches the projector.
    assert "Take care If an exercise makes your back pain worse, stop doing it." in shown
    assert "Picture not found" not in shown and "Superman/0.jpg" not in shown
    assert p.results()["minutes"].tolist() == [""]
    p.next()
    assert "\u2713 Superman (no dose given): done" in p.screen_text()


def test_an_excel_sheet_imports_as_its_csv_does(tmp_path):
    """The clinic's sheet saved from Excel: numbers as numbers, blank cells, a second
    sheet that is not read, and an old .xls refused with what to save it as."""
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.append(["Exercise", "Target", "Kit", "How", "Level", "Type", "Room", "Reps",
                  "Sides"])
    sheet.append(["Wall push-up", "chest; triceps", None, "Stand facing a wall.|Push away.",
                  "beginner", "strength", "Gym 2", 10, "no"])
    sheet.append(["Tai chi", None, None, "Move slowly.", "beginner", "balance", "Hall",
                  None, None])
    book.create_sheet("Notes").append(["not", "an", "exercise"])
    book.save(tmp_path / "clinic.xlsx")
    mapping = {"name": "Exercise", "primary_muscles": "Target", "equipment": "Kit",
               "steps": "How", "level": "Level", "category": "Type", "reps": "Reps",
               "per_side": "Sides"}
    import_library(tmp_path / "clinic.xlsx", to=tmp_path / "lib", mapping=mapping)
    lib = bg.load_library(tmp_path / "lib")
    wall, tai = _row(lib, "Wall push-up"), _row(lib, "Tai chi")
    assert wall["primary_muscle_words"] == ("chest", "triceps")
    assert wall["steps"] == ("Stand facing a wall.", "Push away.")
    assert (wall["reps"], wall["per_side"], wall["source_Room"]) == (10, False, "Gym 2")
    assert tai["reps"] != tai["reps"] and tai["per_side"] is pd.NA
    assert tai["source_category"] == "balance" and tai["source_Room"] == "Hall"
    assert len(lib.exercises) == len(bg.shipped_library().exercises) + 2
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(bg.BackguideError, match=r"old\.xls.*Excel Workbook \(\.xlsx\)"):
        import_library(tmp_path / "old.xls", to=tmp_path / "lib2", mapping=mapping)
    assert not (tmp_path / "lib2").exists()


def test_two_exercises_of_one_name_say_their_source_in_every_list(imported, tmp_path):
    from backguide.present import Presenter
    from backguide.views.explorer import Explorer
    from backguide.views.planner import WeekPlanner
    _, _, lib = imported
    ours = "Superman (from Exercises To Help Relieve Back Pain)"
    theirs = "Superman (from free-exercise-db)"
    p = Presenter(lib=lib, folder=tmp_path)
    p.accept_safety()
    labels = [label for label, _i in p._single.options]
    assert labels.index(theirs) == labels.index(ours) + 1
    assert "Cat-cow" in labels, "a name used once is left as it is"
    planner = WeekPlanner(lib=lib, folder=tmp_path)
    assert dict(planner._exercise.options)[theirs] == _row(lib, "Superman").name
    explorer = Explorer(lib=lib)
    assert {ours, theirs} <= {label for label, _i in explorer._pick.options}
    rows = {r["cells"][0]: r["cells"] for r in explorer._table.rows}
    assert {ours, theirs} <= set(rows)
    assert rows[theirs][1:] == ["stretch", "not given", "easy", "not given"]


def test_an_exercise_without_a_dose_adds_no_time_to_the_week_or_the_guidance(imported):
    """Running on a treadmill (aerobic, no dose) beside cat-cow (1.3 min) on Monday and a
    20-minute walk on Tuesday: the board, the week and the guidance count only what is
    known, and say the rest has no dose."""
    from backguide.content import checklist_content, week_content
    _, _, lib = imported
    run = _row(lib, "Running_Treadmill").name
    plan = (bg.Plan(name="W").add("Monday", run, lib=lib).add("Monday", "cat_cow", lib=lib)
            .add("Tuesday", "fast_walking", lib=lib))
    w = week_content(plan, lib=lib)
    assert w.day("Monday").summary == "2 exercises, 1.3 min, 1 of them without a dose"
    assert w.summary == "3 exercises on 2 days, 21.3 min, 1 of them without a dose"
    assert [x.time for x in w.day("Monday").entries] == ["time not known: no dose", "1.3 min"]
    said = [x.message for x in checklist_content(plan, lib=lib).lines]
    assert "Aerobic: Monday's session has no dose, so no known time; ask your clinician, " \
           "and make each one at least 20 minutes." in said
    assert any(m.startswith("Aerobic: 1 session of 20 minutes or more this week") for m in said)
    assert any(m.startswith("Aerobic: 20 minutes this week") for m in said)
    t = bg.plan_table(plan, lib=lib)
    assert t["total_minutes"].tolist()[0] == 0 and t["total_sets"].tolist()[0] == 0


def test_the_explorer_says_what_it_hides_for_want_of_a_position_or_a_dose(imported):
    from backguide.views.explorer import Explorer
    from backguide.views.render import text_of
    _, _, lib = imported
    mine = set(_ids(lib, [r["id"] for r in RECORDS]))
    explorer = Explorer(lib=lib)
    assert explorer._unknowns.layout.display == "none", "nothing hidden yet"
    explorer.model.access = ("chair", "standing")
    assert text_of(explorer._unknown_note.value) == (
        f"{len(mine)} exercises whose position is not given are hidden by \u201cI can get to\u201d.")
    assert not mine & set(explorer._results.index)
    assert explorer._show_unknown.description == (
        f"Show the {len(mine)} whose position is not given")
    explorer._show_unknown.value = True
    assert mine <= set(explorer._results.index)
    assert text_of(explorer._unknown_note.value) == (
        f"{len(mine)} exercises whose position is not given are shown too: check each card "
        "before you try one.")
    explorer.model.max_minutes = 10
    assert text_of(explorer._unknown_note.value) == (
        f"{len(mine)} exercises whose position is not given are shown too: check each card "
        f"before you try one. {len(mine)} exercises have no dose, so their time is unknown "
        "and time limits leave them out: ask your clinician for a dose.")
    assert not mine & set(explorer._results.index)
    # Not shown, and a time limit set: still said, and still offered.
    explorer._show_unknown.value = False
    assert text_of(explorer._unknown_note.value) == (
        f"{len(mine)} exercises whose position is not given are hidden by \u201cI can get "
        "to\u201d.")
    assert explorer._show_unknown.layout.display != "none"


def test_an_entry_without_a_dose_is_given_one_in_any_field(imported, tmp_path):
    """The planner's editor for an imported exercise with no dose offers every dose
    field, each saying its range, and a time given there is the entry's time."""
    from backguide.views.builder import RoutineBuilder
    _, _, lib = imported
    run = _row(lib, "Running_Treadmill").name
    b = RoutineBuilder(lib=lib)
    b.add(run)
    boxes = [w for w in b._rows.children[0].children if any(
        c in {f"bg-dose-{f}" for f in bg.schema.DOSE_FIELDS}
        for c in getattr(w, "_dom_classes", ()))]
    assert [w.description for w in boxes] == ["sets", "reps", "hold s", "rest s", "min"]
    assert boxes[2].tooltip == "seconds held: 0 to 600"
    boxes[4].value = 15
    assert b.plan.entries.at[0, "minutes"] == 15
    assert b.summary() == "1 exercise, about 15 minutes"
