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
    # The warning signs' and the stop rule's columns of guidance.csv.
    ("guidance.csv", "nice_ng59_red_fever", "sign", "", "the warning sign in a few words"),
    ("guidance.csv", "nice_ng59_red_fever", "advice", "", "what to do, as a sentence"),
    ("guidance.csv", "nice_ng59_red_fever", "advice", "see a doctor.",
     "a sentence starting with a capital letter and ending with a full stop"),
    ("guidance.csv", "nice_ng59_red_fever", "advice", "See a doctor",
     "a sentence starting with a capital letter and ending with a full stop"),
    ("guidance.csv", "wolfe_daily", "sign", "Stiffness",
     "nothing: only red_flag rows name a warning sign and what to do (this row's topic is "
     "flexibility)"),
    ("guidance.csv", "fourkey_stop", "advice", "Stop.", "nothing: only red_flag rows"),
    ("guidance.csv", "fourkey_rest", "stop_rule", "1",
     "a stop-rule number used only once (already on line 7)"),
    ("guidance.csv", "fourkey_rest", "stop_rule", "2.5", "a whole number 1, 2, ... giving the "
     "row's place in the stop rule, or blank"),
    ("guidance.csv", "fourkey_rest", "stop_rule", "0", "a whole number 1, 2, ..."),
    ("guidance.csv", "fourkey_rest", "stop_rule", "second", "a number of 0 or more"),
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


# --- guidance: the warning signs' and the stop rule's columns ------------------------------

def test_a_warning_sign_without_its_sign_reads_as_one_sentence(table_copy):
    copy = table_copy("guidance.csv")
    copy.set(copy.find("id", "nice_ng59_red_weight"), "sign", "")
    copy.save()
    with pytest.raises(bg.BackguideError) as excinfo:
        bg.load_guidance(copy.path)
    assert str(excinfo.value) == (
        f"{copy.path}, line 42, column J (sign): found nothing, expected the warning sign in a "
        "few words (such as 'Back pain with fever or feeling generally unwell'), for a "
        "red_flag row.")


def test_a_guidance_table_must_mark_its_stop_rule(table_copy):
    copy = table_copy("guidance.csv")
    for row in ("fourkey_stop", "fourkey_rest"):
        copy.set(copy.find("id", row), "stop_rule", "")
    copy.save()
    with pytest.raises(bg.BackguideError) as excinfo:
        bg.load_library(copy.folder)
    problem = _only_problem(excinfo)
    assert (problem.line, problem.column, problem.column_number) == (1, "stop_rule", 12)
    assert "numbering 1, 2, ... the rows that make the stop rule" in problem.expected
    assert "no row has a number" in str(excinfo.value)


def test_a_stop_rule_numbered_3_and_1_is_read_in_that_order(table_copy):
    copy = table_copy("guidance.csv")
    copy.set(copy.find("id", "fourkey_stop"), "stop_rule", "3")
    copy.set(copy.find("id", "fourkey_rest"), "stop_rule", "1")
    copy.save()
    g = bg.load_library(copy.folder).guidance
    rule = g[g["stop_rule"].notna()].sort_values("stop_rule")
    assert list(rule.index) == ["fourkey_rest", "fourkey_stop"]


def _without(copy, *columns):
    for c in columns:
        copy.drop_column(c)
    return copy


def test_a_clinics_guidance_without_the_new_columns_loads(table_copy, library):
    """A guidance.csv made before sign, advice and stop_rule: the rows it shares with
    ours keep our words, its own warning sign loads with them blank."""
    copy = _without(table_copy("guidance.csv"), "sign", "advice", "stop_rule")
    copy.rows.append(["clinic_red_numb", "nice_ng59", "red_flag",
                      "Numb feet: see your GP.", "", "", "", "", ""])
    copy.save()
    lib = bg.load_library(copy.folder)
    g = lib.guidance
    assert list(g.columns) == list(library.guidance.columns)
    assert g.loc["nice_ng59_red_bladder", ["sign", "advice"]].tolist() == [
        "New trouble passing urine, loss of bladder or bowel control",
        "Seek urgent medical help; do not exercise."]
    assert g.loc["clinic_red_numb", ["sign", "advice"]].tolist() == ["", ""]
    assert g.loc[["fourkey_stop", "fourkey_rest"], "stop_rule"].tolist() == [1.0, 2.0]
    assert g["stop_rule"].notna().sum() == 2
    assert (g.loc[g["topic"] != "red_flag", "sign"] == "").all()


def test_a_clinics_guidance_may_lack_only_some_of_the_new_columns(table_copy):
    copy = _without(table_copy("guidance.csv"), "stop_rule")
    copy.set(copy.find("id", "nice_ng59_red_fever"), "advice", "Call your GP today.")
    copy.save()
    g = bg.load_guidance(copy.path)
    assert g.at["nice_ng59_red_fever", "advice"] == "Call your GP today."
    assert g.at["fourkey_stop", "stop_rule"] == 1.0


def test_a_clinics_own_guidance_without_the_columns_has_no_stop_rule(table_copy):
    copy = _without(table_copy("guidance.csv"), "sign", "advice", "stop_rule")
    copy.rows = [copy.rows[0]] + [r for r in copy.rows[1:] if not r[0].startswith("fourkey")]
    copy.save()
    g = bg.load_guidance(copy.path)
    assert g["stop_rule"].isna().all() and len(g) == 40  # the three fourkey rows gone


def test_a_shared_row_that_is_no_warning_sign_takes_no_sign(table_copy):
    copy = _without(table_copy("guidance.csv"), "sign", "advice")
    copy.set(copy.find("id", "nice_ng59_red_cancer"), "topic", "general")
    copy.save()
    g = bg.load_guidance(copy.path)
    assert g.loc["nice_ng59_red_cancer", ["sign", "advice"]].tolist() == ["", ""]
    assert g.at["nice_ng59_red_trauma", "advice"] == "See a doctor before exercising."


# --- dose limits: one table, four readers --------------------------------------------------

#: (field, its limit, a value just over it, the words the errors use for it)
LIMITS = [("sets", 20, 20.5, "sets"), ("reps", 200, 200.5, "repetitions"),
          ("hold_s", 600, 600.5, "seconds held"), ("rest_s", 600, 600.5, "seconds of rest"),
          ("minutes", 600, 600.5, "minutes")]


def test_the_dose_limit_table():
    from backguide.schema import DOSE_LIMIT_TABLE, DOSE_LIMITS

    assert {f: (d.low, d.high, d.unit, d.words) for f, d in DOSE_LIMIT_TABLE.items()} == {
        "sets": (0, 20, "sets", "sets"), "reps": (0, 200, "repetitions", "repetitions"),
        "hold_s": (0, 600, "seconds", "seconds held"),
        "rest_s": (0, 600, "seconds", "seconds of rest"),
        "minutes": (0, 600, "minutes", "minutes")}
    assert dict(DOSE_LIMITS) == {"sets": 20, "reps": 200, "hold_s": 600, "rest_s": 600,
                                 "minutes": 600}
    assert DOSE_LIMIT_TABLE["reps"].range == "0 to 200 repetitions"
    with pytest.raises(TypeError):
        DOSE_LIMIT_TABLE["sets"] = DOSE_LIMIT_TABLE["reps"]  # one table, not changed at run time


@pytest.mark.parametrize("field, limit, over, words", LIMITS)
def test_the_library_tables_take_the_limit_and_refuse_just_over(table_copy, field, limit,
                                                                over, words):
    doses = table_copy("doses.csv")
    copy = table_copy("exercises.csv")
    row = copy.find("id", "clamshell")
    copy.set(row, field, f"{limit}")
    copy.save()
    doses.set(3, field, f"0-{limit}")
    doses.save()
    lib = bg.load_library(copy.folder)
    assert lib.exercises.at["clamshell", field] == limit
    assert lib.doses.iloc[3][f"{field}_max"] == limit
    for table, cell, expected in ((copy, f"{over}", f"a number from 0 to {limit}, or blank"),
                                  (doses, f"0-{over}", f"a number from 0 to {limit}, or a range")):
        line = table.set(row if table is copy else 3, field, cell)
        table.save()
        with pytest.raises(bg.BackguideError) as excinfo:
            bg.load_library(copy.folder)
        problem = _only_problem(excinfo)
        assert (problem.path, problem.line, problem.column) == (str(table.path), line, field)
        assert problem.expected.startswith(expected)
        table.set(row if table is copy else 3, field, cell.replace(f"{over}", f"{limit}"))
        table.save()


def _entry_frame(field, value):
    import pandas as pd

    dose = {"sets": 1.0, "reps": 10.0, "hold_s": None, "rest_s": None, "minutes": None,
            field: value}
    return pd.DataFrame([{"day": "Monday", "session": 0, "order": 0, "exercise": "clamshell",
                          **dose, "per_side": True, "dose_source": "custom"}])


@pytest.mark.parametrize("field, limit, over, words", LIMITS)
def test_a_plan_takes_the_limit_and_refuses_just_over(field, limit, over, words):
    plan = bg.Plan(entries=_entry_frame(field, limit))
    assert plan.entries.at[0, field] == limit
    message = f"{field} = {over:g} is outside 0 to {limit}, the allowed range of {words}."
    with pytest.raises(ValueError) as excinfo:
        bg.Plan(entries=_entry_frame(field, over))
    assert str(excinfo.value) == message
    with pytest.raises(ValueError) as excinfo:
        plan.set_dose(0, **{field: over})
    assert str(excinfo.value) == message
    assert plan.set_dose(0, **{field: limit}).entries.at[0, field] == limit


@pytest.mark.parametrize("field, limit, over, words", LIMITS)
def test_a_plan_file_takes_the_limit_and_refuses_just_over(field, limit, over, words):
    from backguide.planfile import read_plan_dict

    def plan(value):
        entry = {"exercise": "clamshell", "sets": 1.0, "reps": 10.0, field: value}
        return {"schema": 1, "days": {"Monday": [{"name": "Strength", "entries": [entry]}]}}

    _, records = read_plan_dict(plan(limit), "week.json")
    assert records[0][field] == limit
    with pytest.raises(bg.BackguideError) as excinfo:
        read_plan_dict(plan(over), "week.json")
    problem = _only_problem(excinfo)
    assert problem.column == f"days.Monday[0].entries[0].{field}" and problem.value == over
    assert problem.expected == f"a number from 0 to {limit} ({words}), or null"


@pytest.mark.parametrize("field, limit, over, words", LIMITS)
def test_the_builders_dose_boxes_take_the_limit_and_refuse_just_over(field, limit, over, words):
    from backguide.views.builder import RoutineBuilder

    b = RoutineBuilder()
    b.add("fast_walking" if field == "minutes" else "clamshell")
    box = next(w for w in b._rows.children[0].children if f"bg-dose-{field}" in w._dom_classes)
    assert (box.min, box.max) == (0, limit)
    box.value = limit
    assert b.plan.entries.at[0, field] == limit
    box.value = over
    assert b.plan.entries.at[0, field] == limit, "nothing stored"
    assert box.value == limit, "the box shows the stored dose again"
    assert b._status.value == (f"<i>Could not do that: {field} = {over:g} is outside 0 to "
                               f"{limit}, the allowed range of {words}.</i>")


def test_every_reader_reads_the_one_table(monkeypatch):
    """Change the table and the plan, the plan files and the builder change with it."""
    from dataclasses import replace

    from backguide import schema
    from backguide.planfile import read_plan_dict
    from backguide.views.builder import RoutineBuilder

    table = dict(schema.DOSE_LIMIT_TABLE)
    table["sets"] = replace(table["sets"], high=5)
    monkeypatch.setattr(schema, "DOSE_LIMIT_TABLE", table)
    with pytest.raises(ValueError, match="sets = 6 is outside 0 to 5"):
        bg.Plan(entries=_entry_frame("sets", 6))
    entry = {"exercise": "clamshell", "sets": 6}
    with pytest.raises(bg.BackguideError, match="a number from 0 to 5"):
        read_plan_dict({"schema": 1, "days": {"Monday": [{"entries": [entry]}]}}, "week.json")
    b = RoutineBuilder()
    b.add("clamshell")
    box = next(w for w in b._rows.children[0].children if "bg-dose-sets" in w._dom_classes)
    assert box.max == 5
    # The CSV tables' columns are built from the table when the schema is imported.
    for t in (schema.EXERCISES, schema.DOSES):
        assert {c: t.column(c).max for c in schema.DOSE_FIELDS} == dict(schema.DOSE_LIMITS)
