"""Plan files: what loads saves again unchanged, and every fault is one clear error.

Also the atomic writes under them: a killed save's temporary file is tidied
away by the next save, and a failed save leaves the old file whole.
"""

from __future__ import annotations

import json
import math
import os
import time
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backguide import schema
from backguide.errors import BackguideError
from backguide.files import write_atomic
from backguide.planfile import (
    ENTRY_FIELDS,
    MAX_DEPTH,
    RECORD_FIELDS,
    SCHEMA_VERSION,
    parse_plan_text,
    plan_json_text,
    read_plan_dict,
    read_plan_file,
)
from backguide.schema import DAYS, DOSE_LIMITS

from conftest import DATA

PLANS = sorted((DATA / "plans").glob("*.json"))
GENTLE = DATA / "plans" / "gentle_start.json"


def _error(path: Path, *, exercises=None) -> BackguideError:
    """The BackguideError reading ``path`` raises; it must name the file.

    ``pytest.raises`` lets any other exception type through, failing the test.
    """
    with pytest.raises(BackguideError) as excinfo:
        read_plan_file(path, exercises)
    message = str(excinfo.value)
    assert str(path) in message
    message.encode("utf-8")  # printable, even when the fault is a lone surrogate
    return excinfo.value


def _write(tmp_path, text: str) -> Path:
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    return path


def _gentle() -> dict:
    return json.loads(GENTLE.read_text(encoding="utf-8"))


def _with_literal(tmp_path, put, literal: str) -> Path:
    """The gentle plan with ``literal`` written verbatim where ``put`` sets a marker."""
    d = _gentle()
    put(d, "@MARK@")
    return _write(tmp_path, json.dumps(d, indent=2).replace('"@MARK@"', literal))


def _entry(d, j=0):
    return d["days"]["Monday"][0]["entries"][j]


# --- the shipped plans ------------------------------------------------------------

@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_every_shipped_plan_reads_and_is_written_back_byte_for_byte(path, library):
    meta, records = read_plan_file(path, library.exercises.index)
    assert records and meta["claims"]
    assert all(tuple(r) == RECORD_FIELDS for r in records)
    assert plan_json_text(meta, records) == path.read_text(encoding="utf-8"), \
        "the file format is unchanged"


def test_there_are_shipped_plans():
    assert len(PLANS) == 3


def test_records_follow_plan_order():
    meta, records = read_plan_file(GENTLE)
    first = _gentle()["days"]["Monday"][0]
    assert meta == {"name": "Gentle start", "person": "", "notes": _gentle()["notes"],
                    "start": None, "claims": tuple(_gentle()["claims"])}
    assert records[0] == {"day": "Monday", "session": 0, "session_name": first["name"],
                          "order": 0, **first["entries"][0]}
    assert [r["order"] for r in records[:len(first["entries"])]] == list(range(len(first["entries"])))
    days = [DAYS.index(r["day"]) for r in records]
    assert days == sorted(days)


def test_exercises_may_be_a_set_or_a_library_frame(library):
    assert read_plan_file(GENTLE, set(library.exercises.index))
    assert read_plan_file(GENTLE, library.exercises)  # its index, not its column names
    err = _error(GENTLE, exercises={"cat_cow"})
    assert err.problems[0].column == "days.Monday[0].entries[0].exercise"


# --- what loads saves again ---------------------------------------------------------

_TEXT = st.characters(exclude_categories=("Cs",))  # surrogates are refused (tested below)
texts = st.text(_TEXT, max_size=30)
ids = st.text(_TEXT, min_size=1, max_size=12)


def _doses(limit):
    return st.one_of(st.none(), st.integers(0, limit).map(float),
                     st.floats(0, limit, allow_nan=False, allow_infinity=False))


entries = st.fixed_dictionaries({
    "exercise": ids,
    **{k: _doses(DOSE_LIMITS[k]) for k in ("sets", "reps", "hold_s", "rest_s")},
    "per_side": st.booleans(),
    "minutes": _doses(DOSE_LIMITS["minutes"]),
    "dose_source": ids,
})
metas = st.fixed_dictionaries({
    "name": texts, "person": texts, "notes": st.text(_TEXT, max_size=200),
    "start": st.one_of(st.none(), st.dates()),
    "claims": st.lists(texts, max_size=4).map(tuple),
})
# Per day, its sessions: a name and at least one entry (an empty session has no records).
weeks = st.fixed_dictionaries(
    {day: st.lists(st.tuples(texts, st.lists(entries, min_size=1, max_size=3)), max_size=3)
     for day in DAYS})


def _records(week: dict) -> list[dict]:
    return [{"day": day, "session": i, "session_name": name, "order": j, **entry}
            for day in DAYS for i, (name, session) in enumerate(week[day])
            for j, entry in enumerate(session)]


@settings(max_examples=300, deadline=None)
@given(meta=metas, week=weeks)
def test_any_plan_is_written_and_read_back_the_same(meta, week):
    records = _records(week)
    text = plan_json_text(meta, records)
    assert text.endswith("}\n")
    text.encode("utf-8")  # it can be saved
    again = read_plan_dict(parse_plan_text(text, "roundtrip.json"), "roundtrip.json")
    assert again == (meta, records)
    assert plan_json_text(*again) == text


def test_written_text_has_the_schema_1_layout():
    meta = {"name": "Ünï", "person": "Ada", "notes": "", "start": date(2026, 11, 23),
            "claims": ("wolfe_daily",)}
    records = [{"day": "Wednesday", "session": 0, "session_name": "Walk", "order": 0,
                "exercise": "fast_walking", "sets": None, "reps": None, "hold_s": None,
                "rest_s": None, "per_side": False, "minutes": 20.0, "dose_source": "default"}]
    text = plan_json_text(meta, records)
    assert '"name": "Ünï"' in text and '\n  "schema": 1,' in text  # indent 2, not ASCII-escaped
    d = json.loads(text)
    assert list(d) == ["schema", "name", "person", "notes", "start", "claims", "days"]
    assert d["start"] == "2026-11-23" and d["schema"] == SCHEMA_VERSION
    assert list(d["days"]) == list(DAYS)
    assert d["days"]["Monday"] == []
    assert d["days"]["Wednesday"] == [{"name": "Walk", "entries": [
        {k: records[0][k] for k in ENTRY_FIELDS}]}]
    assert list(d["days"]["Wednesday"][0]["entries"][0]) == list(ENTRY_FIELDS)


def test_empty_sessions_vanish_and_sessions_are_renumbered(tmp_path):
    d = _gentle()
    monday = d["days"]["Monday"]
    d["days"]["Monday"] = [{"name": "Empty", "entries": []}, monday[0],
                           {"name": "No entries key"}, *monday[1:]]
    _, records = read_plan_file(_write(tmp_path, json.dumps(d)))
    _, plain = read_plan_file(GENTLE)
    assert records == plain


def test_records_in_any_order_or_from_a_dataframe_are_written_in_plan_order():
    _, records = read_plan_file(GENTLE)
    meta = read_plan_file(GENTLE)[0]
    shuffled = list(reversed(records))
    # What a DataFrame's rows give: NumPy scalars, NaN for blank, a Timestamp.
    framed = [{k: (np.float64(math.nan) if v is None else
                   np.bool_(v) if isinstance(v, bool) else
                   np.int64(v) if isinstance(v, int) else v) for k, v in r.items()}
              for r in shuffled]
    text = GENTLE.read_text(encoding="utf-8")
    assert plan_json_text(meta, shuffled) == text
    assert plan_json_text(meta, framed) == text
    dated = plan_json_text({**meta, "start": datetime(2026, 11, 23, 9, 30)}, records)
    assert json.loads(dated)["start"] == "2026-11-23"


@pytest.mark.parametrize("change, field", [
    ({"sets": 30.0}, "days.Monday[0].entries[0].sets"),
    ({"minutes": math.inf}, "days.Monday[0].entries[0].minutes"),
    ({"exercise": "bad\ud800"}, "days.Monday[0].entries[0].exercise"),
    ({"session_name": "\udfff"}, "days.Monday[0].name"),
    ({"day": "Funday"}, "days.Funday"),
], ids=["sets-30", "infinite", "surrogate-id", "surrogate-name", "unknown-day"])
def test_a_plan_that_would_not_load_again_is_not_written(change, field):
    meta, records = read_plan_file(GENTLE)
    records[0] = {**records[0], **change}
    with pytest.raises(BackguideError) as excinfo:
        plan_json_text(meta, records)
    assert excinfo.value.problems[0].column == field


def test_text_that_cannot_be_saved_in_meta_is_not_written():
    meta, records = read_plan_file(GENTLE)
    with pytest.raises(BackguideError, match="person"):
        plan_json_text({**meta, "person": "\ud800"}, records)


# --- faults: each one BackguideError naming the file and the field or line ---------------

def test_file_cut_right_after_a_newline_names_the_line(tmp_path):
    text = GENTLE.read_text(encoding="utf-8")
    cut = text[: text.index("\n", text.index('"days"')) + 1]
    path = _write(tmp_path, cut)
    err = _error(path)
    (problem,) = err.problems
    assert problem.line == cut.count("\n") + 1
    assert f"line {problem.line}" in str(err) and "saved only in part" in str(err)


def test_a_file_cut_anywhere_is_refused_cleanly():
    """Every prefix of a plan parses or raises BackguideError, never anything else."""
    text = json.dumps({"schema": 1, "name": "x", "claims": ["a"], "days": {"Monday": [
        {"name": "S", "entries": [{"exercise": "cat_cow", "reps": 1e2, "per_side": True}]}]}},
        indent=1)
    for end in range(len(text)):
        try:
            read_plan_dict(parse_plan_text(text[:end], "cut.json"), "cut.json")
        except BackguideError as exc:
            assert "cut.json" in str(exc)


@pytest.mark.parametrize("text", [
    "[" * 100_000,
    "{" * 100_000,
    '{"schema": 1,\n "notes": ' + '{"a": ' * 100_000,
    '{"schema": 1,\n "notes": ' + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "}",
], ids=["lists", "objects", "objects-in-a-plan", "just-too-deep"])
def test_deep_nesting_is_refused_without_recursing(tmp_path, text):
    err = _error(_write(tmp_path, text))
    assert f"nested at most {MAX_DEPTH} deep" in str(err)
    assert err.problems[0].line in (1, 2)


def test_nesting_up_to_the_limit_and_brackets_in_text_are_fine(tmp_path):
    depth = MAX_DEPTH - 1  # plus the plan object itself
    text = ('{"schema": 1, "extra": ' + "[" * depth + "]" * depth
            + ', "notes": "' + "[{" * 1000 + '\\" ]]"}')
    meta, records = read_plan_file(_write(tmp_path, text))
    assert meta["notes"] == "[{" * 1000 + '" ]]' and records == []


def _set_reps(d, v):
    _entry(d)["reps"] = v


@pytest.mark.parametrize("literal", [
    "1e400", "-1e400", "1" + "0" * 400, "1" + "0" * 5000, "NaN", "Infinity", "-Infinity",
], ids=["1e400", "-1e400", "400-digit-int", "5000-digit-int", "NaN", "Infinity", "-Infinity"])
def test_a_number_no_float_can_hold_names_its_field(tmp_path, literal):
    err = _error(_with_literal(tmp_path, _set_reps, literal))
    (problem,) = err.problems
    assert problem.column == "days.Monday[0].entries[0].reps"
    assert "a finite number" in problem.expected
    assert "days.Monday[0].entries[0].reps" in str(err)


def test_a_huge_number_is_refused_even_where_it_would_be_ignored(tmp_path):
    err = _error(_with_literal(tmp_path, lambda d, v: d.update(extra={"x": [v]}), "1e999"))
    assert err.problems[0].column == "extra.x[0]"


def test_numbers_at_the_float_limits_are_read_as_numbers(tmp_path):
    _, records = read_plan_file(_with_literal(tmp_path, _set_reps, "1.5e2"))
    assert records[0]["reps"] == 150.0
    err = _error(_with_literal(tmp_path, _set_reps, "1" + "0" * 308))  # a float, but > 200
    assert "a number from 0 to 200" in str(err)


@pytest.mark.parametrize("put, field", [
    (lambda d, v: d.update(name=v), "name"),
    (lambda d, v: d.update(claims=["wolfe_daily", v]), "claims[1]"),
    (lambda d, v: d["days"]["Monday"][0].update(name=v), "days.Monday[0].name"),
    (lambda d, v: _entry(d, 2).update(exercise=v), "days.Monday[0].entries[2].exercise"),
    (lambda d, v: _entry(d).update(dose_source=v), "days.Monday[0].entries[0].dose_source"),
    (lambda d, v: d.update(extra=v), "extra"),
], ids=["name", "claim", "session-name", "exercise", "dose-source", "ignored-key"])
def test_a_lone_surrogate_in_text_names_its_field(tmp_path, put, field):
    err = _error(_with_literal(tmp_path, put, '"A \\ud800 B"'))
    (problem,) = err.problems
    assert problem.column == field and field in str(err)
    assert "surrogate" in problem.expected


def test_a_lone_surrogate_in_a_key_names_where(tmp_path):
    path = _write(tmp_path, GENTLE.read_text(encoding="utf-8").replace(
        '"hold_s": 3.0', '"\\udc00": 3.0', 1))
    err = _error(path)
    (problem,) = err.problems
    assert problem.column == "days.Monday[0].entries[0].\\udc00"  # shown escaped
    assert "surrogate" in problem.expected


def test_a_surrogate_pair_is_one_character_and_loads(tmp_path):
    meta, _ = read_plan_file(_with_literal(tmp_path, lambda d, v: d.update(name=v),
                                           '"smile \\ud83d\\ude00"'))
    assert meta["name"] == "smile \U0001F600"


@pytest.mark.parametrize("old, new, field", [
    ('"person": ""', '"person": "", "name": "Other"', "name"),
    ('"hold_s": 3.0', '"hold_s": 3.0, "reps": 99', "days.Monday[0].entries[0].reps"),
    ('"Tuesday": [', '"Monday": [], "Tuesday": [', "days.Monday"),
    ('"name": "Morning stretches"', '"name": "A", "name": "B"', "days.Monday[0].name"),
], ids=["top-level", "entry", "day", "session"])
def test_a_repeated_key_names_the_key_and_where(tmp_path, old, new, field):
    text = GENTLE.read_text(encoding="utf-8")
    assert old in text
    err = _error(_write(tmp_path, text.replace(old, new, 1)))
    (problem,) = err.problems
    assert problem.column == field and field in str(err)
    assert "each key once" in problem.expected


@pytest.mark.parametrize("content, line, expected", [
    (b"", 1, "the file is empty"),
    (b"  \n\n", 1, "the file is empty"),
    (b'{"schema": 1, "name": "Jos\xe9"}', 1, "UTF-8 text"),
    (b'{"schema": 1,\n"name": "\x00"}', 2, "not a binary file"),
    (b'{"schema": 1\n"name": "x"}', 2, "valid JSON"),
    (b'{"schema": 1} {"schema": 1}', 1, "valid JSON (Extra data"),
    (b"{'schema': 1}", 1, "valid JSON"),
], ids=["empty", "blank", "latin-1", "binary", "missing-comma", "two-objects", "single-quotes"])
def test_a_file_that_is_not_json_text_names_the_line(tmp_path, content, line, expected):
    path = tmp_path / "plan.json"
    path.write_bytes(content)
    err = _error(path)
    assert err.problems[0].line == line and f"line {line}" in str(err)
    assert expected in str(err)


@pytest.mark.parametrize("text, found", [("[]", "list"), ("3", "int"), ('"plan"', "str"),
                                         ("null", "NoneType")])
def test_a_top_level_that_is_not_an_object_is_refused(tmp_path, text, found):
    err = _error(_write(tmp_path, text))
    assert err.problems[0].column == "(top level)" and err.problems[0].value == found


def test_a_missing_file_or_a_folder_is_refused(tmp_path):
    _error(tmp_path / "nowhere.json")
    _error(tmp_path)


def test_a_byte_order_mark_is_fine(tmp_path):
    path = tmp_path / "plan.json"
    path.write_bytes(b"\xef\xbb\xbf" + GENTLE.read_bytes())
    assert read_plan_file(path) == read_plan_file(GENTLE)
    assert parse_plan_text("\ufeff" + GENTLE.read_text(encoding="utf-8"), "x") == _gentle()


# --- the checks on a plan's fields -----------------------------------------------------------

def _set_entry(key, value, j=1):
    def mutate(d):
        _entry(d, j)[key] = value
    return mutate


E = "days.Monday[0].entries[1]"


@pytest.mark.parametrize("mutate, field, expected", [
    (lambda d: d.update(schema=SCHEMA_VERSION + 1), "schema", "update backguide"),
    (lambda d: d.update(schema="one"), "schema", "a schema version number"),
    (lambda d: d.update(schema=True), "schema", "a schema version number"),
    (lambda d: d.update(schema=0), "schema", "a schema version number"),
    (lambda d: d.pop("schema"), "schema", "a schema version number"),
    (lambda d: d.update(name=None), "name", "text"),
    (lambda d: d.update(notes=["a"]), "notes", "text"),
    (lambda d: d.update(start="next week"), "start", "a date such as"),
    (lambda d: d.update(start=20261123), "start", "a date such as"),
    (lambda d: d.update(claims="wolfe_daily"), "claims", "a list of guidance ids"),
    (lambda d: d.update(claims=[1]), "claims", "a list of guidance ids"),
    (lambda d: d.update(days=[]), "days", "an object with a list of sessions"),
    (lambda d: d["days"].update(Funday=[]), "days.Funday", "a day: Monday"),
    (lambda d: d["days"].update(Monday={}), "days.Monday", "a list of sessions"),
    (lambda d: d["days"]["Monday"].append([]), "days.Monday[2]", "a session"),
    (lambda d: d["days"]["Monday"][0].update(entries={}), "days.Monday[0]", "a session"),
    (lambda d: d["days"]["Monday"][0].update(name=3), "days.Monday[0].name", "text"),
    (lambda d: d["days"]["Monday"][0]["entries"].append("cat_cow"), "days.Monday[0].entries[5]",
     "an entry"),
    (_set_entry("exercise", "moonwalk"), f"{E}.exercise", "the id of an exercise"),
    (_set_entry("exercise", ""), f"{E}.exercise", "the id of an exercise"),
    (_set_entry("exercise", 7), f"{E}.exercise", "the id of an exercise"),
    (_set_entry("repz", 3), f"{E}.repz", "one of the entry fields"),
    (_set_entry("reps", -3), f"{E}.reps", "a number from 0 to 200"),
    (_set_entry("reps", True), f"{E}.reps", "a number from 0 to 200"),
    (_set_entry("reps", "10"), f"{E}.reps", "a number from 0 to 200"),
    (_set_entry("sets", 20.5), f"{E}.sets", "a number from 0 to 20 (sets), or null"),
    (_set_entry("hold_s", 601), f"{E}.hold_s", "a number from 0 to 600"),
    (_set_entry("rest_s", [1]), f"{E}.rest_s", "a number from 0 to 600"),
    (_set_entry("minutes", 10_000), f"{E}.minutes", "a number from 0 to 600"),
    (_set_entry("per_side", "yes"), f"{E}.per_side", "true or false"),
    (_set_entry("per_side", 1), f"{E}.per_side", "true or false"),
    (_set_entry("dose_source", ""), f"{E}.dose_source", "'default', 'custom' or a source id"),
    (_set_entry("dose_source", None), f"{E}.dose_source", "'default', 'custom' or a source id"),
], ids=lambda v: v if isinstance(v, str) else None)
def test_a_bad_field_is_named(tmp_path, library, mutate, field, expected):
    d = _gentle()
    mutate(d)
    err = _error(_write(tmp_path, json.dumps(d)), exercises=library.exercises.index)
    (problem,) = err.problems
    assert problem.column == field and expected in problem.expected
    assert field in str(err)


def test_doses_at_their_limits_load(tmp_path):
    d = _gentle()
    _entry(d).update(DOSE_LIMITS)
    _entry(d, 1).update(dict.fromkeys(DOSE_LIMITS, 0))
    _, records = read_plan_file(_write(tmp_path, json.dumps(d)))
    assert {k: records[0][k] for k in DOSE_LIMITS} == {k: float(v) for k, v in DOSE_LIMITS.items()}
    assert all(isinstance(records[1][k], float) for k in DOSE_LIMITS)


def test_dose_limits_are_the_one_table_in_schema(tmp_path, monkeypatch):
    assert schema.DOSE_LIMITS == {"sets": 20, "reps": 200, "hold_s": 600, "rest_s": 600,
                                  "minutes": 600}
    assert tuple(schema.DOSE_LIMIT_TABLE) == schema.DOSE_FIELDS
    for table in (schema.EXERCISES, schema.DOSES):  # the library tables use it too
        for name in schema.DOSE_FIELDS:
            assert table.column(name).max == schema.DOSE_LIMIT_TABLE[name].high, (table.name, name)
    # The plan reader looks the limits up in that same table, when it reads.
    tight = dict(schema.DOSE_LIMIT_TABLE, sets=schema.DoseLimit("sets", 0, 5, "sets", "sets"))
    monkeypatch.setattr(schema, "DOSE_LIMIT_TABLE", tight)
    d = _gentle()
    _entry(d)["sets"] = 6
    err = _error(_write(tmp_path, json.dumps(d)))
    assert "a number from 0 to 5 (sets), or null" in str(err)


def test_writing_refuses_a_dose_just_over_its_limit():
    meta, records = read_plan_dict(_gentle(), "gentle_start.json")
    records[0]["hold_s"] = 600.5
    with pytest.raises(BackguideError) as excinfo:
        plan_json_text(meta, records)
    (problem,) = excinfo.value.problems
    assert problem.column == "days.Monday[0].entries[0].hold_s" and problem.value == 600.5
    assert problem.expected == "a number from 0 to 600 (seconds held), or null"
    records[0]["hold_s"] = 600
    assert '"hold_s": 600.0' in plan_json_text(meta, records)


# --- atomic writes: stale temporary files -------------------------------------------------------

def _old(path: Path, seconds: float = 3600) -> Path:
    path.write_bytes(b"half a plan")
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


def test_a_write_removes_its_targets_stale_temporary_files(tmp_path):
    target = tmp_path / "week.json"
    target.write_bytes(b"old")
    stale = [_old(tmp_path / ".week.json.k9x_2abc.tmp"), _old(tmp_path / ".week.json.a.tmp")]
    fresh = tmp_path / ".week.json.fresh123.tmp"
    fresh.write_bytes(b"another writer, still writing")
    keep = [
        fresh,
        _old(tmp_path / ".week.json.young123.tmp", seconds=20),   # younger than a minute
        _old(tmp_path / ".other.json.k9x_2abc.tmp"),              # another file's
        _old(tmp_path / ".week.json.x.k9x_2abc.tmp"),             # "week.json.x"'s
        _old(tmp_path / "week.json.k9x_2abc.tmp"),                # not hidden: not ours
        _old(tmp_path / ".week.json.k9x_2abc.tmp.bak"),
        _old(tmp_path / "notes.txt"),
    ]
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert not any(p.exists() for p in stale)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [target.name, *(p.name for p in keep)]), "nothing else removed, no temporary file left"


def test_a_stale_temporary_name_that_is_a_folder_is_left_and_the_write_succeeds(tmp_path):
    folder = tmp_path / ".week.json.k9x_2abc.tmp"
    folder.mkdir()
    then = time.time() - 3600
    os.utime(folder, (then, then))
    write_atomic(tmp_path / "week.json", b"new")
    assert folder.is_dir() and (tmp_path / "week.json").read_bytes() == b"new"


def test_a_write_that_fails_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "week.json"
    write_atomic(target, b"old")
    with pytest.raises(TypeError):
        write_atomic(target, "text, not bytes")  # fails while writing the temporary file

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["week.json"]
