"""Bad input gets one clear error naming file, line, column, value and what was expected."""

from __future__ import annotations

import pytest

import backguide as bg


def _only_problem(excinfo) -> bg.Problem:
    problems = excinfo.value.problems
    assert len(problems) == 1, str(excinfo.value)
    return problems[0]


# (table, row id or row number, column, bad value, words the expectation must contain)
CELL_CASES = [
    ("exercises.csv", "bird_dog", "category", "cardio", "one of: mobility, stretch"),
    ("exercises.csv", "bird_dog", "primary_muscles", "lower back;spleen", "one of: lower back"),
    ("exercises.csv", "cobra", "position", "upside down", "one of: lying on back"),
    ("exercises.csv", "clamshell", "difficulty", "brutal", "one of: easy, moderate, hard"),
    ("exercises.csv", "clamshell", "equipment", "kettlebell", "one of: none, mat"),
    ("exercises.csv", "clamshell", "reps", "ten", "a number of 0 or more"),
    ("exercises.csv", "clamshell", "hold_s", "-5", "a number of 0 or more"),
    ("exercises.csv", "clamshell", "per_side", "maybe", "yes or no"),
    ("exercises.csv", "childs_pose", "name", "", "may not be blank"),
    ("exercises.csv", "pilates", "id", "Pilates Class", "an id of lower-case letters"),
    ("exercises.csv", "knee_plank", "harder", "levitation", "an id from the exercises table"),
    ("exercises.csv", "knee_plank", "sources", "fourkey;hearsay", "an id from the sources table"),
    ("doses.csv", 3, "hold_s", "60-30", "a range whose low end comes first"),
    ("doses.csv", 3, "reps", "lots", "a range such as 20-30"),
    ("doses.csv", 3, "exercise", "moonwalk", "an id from the exercises table"),
    ("doses.csv", 3, "source", "gossip", "an id from the sources table"),
    ("guidance.csv", 0, "topic", "vibes", "one of: activity"),
    ("guidance.csv", "who2020_aerobic", "target", "steps_per_day", "one of: aerobic_session_minutes"),
    ("guidance.csv", "who2020_aerobic", "max", "100", "a max of at least the min (150)"),
    ("sources.csv", "wolfe", "kind", "blog", "one of: article, outside"),
    # Doses above schema.DOSE_LIMITS: a clinic's typo of 30 sets is refused at load.
    ("exercises.csv", "clamshell", "sets", "30", "a number from 0 to 20, or blank"),
    ("exercises.csv", "clamshell", "reps", "201", "a number from 0 to 200, or blank"),
    ("exercises.csv", "bird_dog", "hold_s", "600.5", "a number from 0 to 600, or blank"),
    ("exercises.csv", "bird_dog", "rest_s", "1e6", "a number from 0 to 600, or blank"),
    ("exercises.csv", "clamshell", "minutes", "900", "a number from 0 to 600, or blank"),
    ("doses.csv", 3, "sets", "21", "a number from 0 to 20, or a range"),
    ("doses.csv", 3, "reps", "10-250", "a number from 0 to 200, or a range"),
    ("doses.csv", 3, "hold_s", "700-800", "a number from 0 to 600, or a range"),
    ("doses.csv", 3, "minutes", "30-601", "a number from 0 to 600, or a range"),
]


def _case_id(case):
    return f"{case[0]}-{case[2]}-{case[3] or 'blank'}"


@pytest.mark.parametrize("case", CELL_CASES, ids=_case_id)
def test_bad_cell_is_named_precisely(table_copy, case):
    name, row, column, value, expected = case
    copy = table_copy(name)
    index = row if isinstance(row, int) else copy.find(copy.header[0], row)
    line = copy.set(index, column, value)
    copy.save()
    with pytest.raises(bg.BackguideError) as excinfo:
        bg.load_library(copy.folder)
    problem = _only_problem(excinfo)
    assert (problem.path, problem.line, problem.column) == (str(copy.path), line, column)
    assert problem.column_number == copy.header.index(column) + 1
    assert expected in problem.expected
    message = str(excinfo.value)
    assert str(copy.path) in message and f"line {line}" in message and column in message
    bad = value.split(";")[-1]
    if bad:
        assert repr(bad) in message


def test_missing_column_names_the_column(table_copy):
    copy = table_copy("exercises.csv")
    copy.drop_column("category")
    copy.save()
    with pytest.raises(bg.BackguideError) as excinfo:
        bg.load_exercises(copy.path)
    problem = _only_problem(excinfo)
    assert (problem.line, problem.column) == (1, "category")
    assert "a column named 'category'" in str(excinfo.value)


def test_duplicate_id_names_both_lines(table_copy):
    copy = table_copy("exercises.csv")
    first = copy.find("id", "cobra")
    line = copy.set(first + 1, "id", "cobra")
    copy.save()
    with pytest.raises(bg.BackguideError) as excinfo:
        bg.load_exercises(copy.path)
    problem = _only_problem(excinfo)
    assert (problem.line, problem.column, problem.value) == (line, "id", "cobra")
    assert f"already on line {first + 2}" in problem.expected


def test_row_with_too_few_fields(table_copy):
    copy = table_copy("exercises.csv")
    copy.rows[5] = copy.rows[5][:-3]
    copy.save()
    with pytest.raises(bg.BackguideError) as excinfo:
        bg.load_exercises(copy.path)
    problem = _only_problem(excinfo)
    assert problem.line == 6
    assert problem.value == f"{len(copy.header) - 3} fields"
    assert f"{len(copy.header)} fields" in problem.expected


def test_every_problem_in_a_file_is_reported(table_copy):
    copy = table_copy("exercises.csv")
    lines = [copy.set(1, "category", "cardio"), copy.set(7, "reps", "many")]
    copy.save()
    with pytest.raises(bg.BackguideError) as excinfo:
        bg.load_exercises(copy.path)
    assert [p.line for p in excinfo.value.problems] == lines


def test_empty_file(tmp_path):
    path = tmp_path / "exercises.csv"
    path.write_text("")
    with pytest.raises(bg.BackguideError, match="exercises.csv, line 1: .*the file is empty"):
        bg.load_exercises(path)


def test_header_only_file(tmp_path, table_copy):
    copy = table_copy("exercises.csv")
    copy.rows = copy.rows[:1]
    copy.save()
    with pytest.raises(bg.BackguideError, match="line 2: .*at least one row"):
        bg.load_exercises(copy.path)


def test_binary_file(tmp_path):
    path = tmp_path / "exercises.csv"
    path.write_bytes(b"id,name\n\x89PNG\x00\x00\x1a")
    with pytest.raises(bg.BackguideError, match="line 2: .*not a binary file"):
        bg.load_exercises(path)


def test_file_in_another_encoding_names_the_line(table_copy):
    copy = table_copy("exercises.csv")
    line = copy.set(2, "name", "Pos\u00e9")
    copy.save()
    copy.path.write_bytes(copy.path.read_text(encoding="utf-8").encode("latin-1"))
    with pytest.raises(bg.BackguideError) as excinfo:
        bg.load_exercises(copy.path)
    problem = _only_problem(excinfo)
    assert (problem.line, problem.value) == (line, "byte 0xe9")
    assert "CSV UTF-8" in problem.expected


def test_path_that_does_not_exist(tmp_path):
    missing = tmp_path / "nowhere" / "exercises.csv"
    with pytest.raises(bg.BackguideError, match="nowhere.*expected an existing file"):
        bg.load_exercises(missing)


def test_folder_instead_of_file(tmp_path):
    with pytest.raises(bg.BackguideError, match="a file, not a folder"):
        bg.load_exercises(tmp_path)


def test_error_is_a_value_error_for_callers_that_catch_those(tmp_path):
    with pytest.raises(ValueError):
        bg.load_exercises(tmp_path / "missing.csv")


def test_bom_and_windows_line_endings_load_normally(tmp_path, library):
    from conftest import DATA

    original = (DATA / "exercises.csv").read_text(encoding="utf-8")
    path = tmp_path / "exercises.csv"
    path.write_bytes(b"\xef\xbb\xbf" + original.replace("\n", "\r\n").encode("utf-8"))
    loaded = bg.load_exercises(path)
    assert loaded.equals(library.exercises)


def test_no_row_is_silently_dropped(library):
    """Every data line of the shipped tables becomes one row."""
    from conftest import DATA
    import csv

    for name, frame in [("exercises.csv", library.exercises), ("doses.csv", library.doses),
                        ("guidance.csv", library.guidance), ("sources.csv", library.sources)]:
        with (DATA / name).open(newline="", encoding="utf-8") as f:
            rows = [r for r in csv.reader(f) if any(c.strip() for c in r)]
        assert len(frame) == len(rows) - 1, name


def test_clinic_table_keeps_its_extra_columns(table_copy):
    copy = table_copy("exercises.csv")
    copy.rows[0].append("clinic_note")
    for r in copy.rows[1:]:
        r.append("")
    copy.set(0, "clinic_note", "Check knee first")
    copy.save()
    loaded = bg.load_exercises(copy.path)
    assert loaded["clinic_note"].iloc[0] == "Check knee first"


def test_doses_at_their_limits_load(table_copy):
    """The limits are the largest believable doses, not just below them."""
    from backguide.schema import DOSE_LIMITS

    doses = table_copy("doses.csv")
    copy = table_copy("exercises.csv")  # (each copy copies all the tables: make both first)
    row = copy.find("id", "clamshell")
    for name, limit in DOSE_LIMITS.items():
        copy.set(row, name, str(limit))
    copy.save()
    for name, limit in DOSE_LIMITS.items():
        doses.set(3, name, f"0-{limit}")
    doses.save()
    library = bg.load_library(copy.folder)
    assert library.exercises.loc["clamshell", list(DOSE_LIMITS)].to_dict() == DOSE_LIMITS
    assert library.doses.iloc[3][[f"{n}_max" for n in DOSE_LIMITS]].tolist() == list(
        DOSE_LIMITS.values())


def test_every_dose_above_its_limit_is_reported(table_copy):
    copy = table_copy("exercises.csv")
    lines = [copy.set(1, "sets", "30"), copy.set(4, "minutes", "1000")]
    copy.save()
    with pytest.raises(bg.BackguideError) as excinfo:
        bg.load_exercises(copy.path)
    assert [(p.line, p.column) for p in excinfo.value.problems] == [
        (lines[0], "sets"), (lines[1], "minutes")]
    assert f"line {lines[0]}, column " in str(excinfo.value)
