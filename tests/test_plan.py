"""Plans: doses, time, saving and loading, starter plans."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import backguide as bg
from backguide.plan import SCHEMA_VERSION, Entries, entry_for, plan_from_dict

from strategies import entries, plans

LIB = bg.load_library()
EX = LIB.exercises


def test_an_entry_starts_at_the_default_dose_or_an_articles():
    default = entry_for("childs_pose", EX)
    assert (default.hold_s, default.reps, default.dose_source) == (30, 1, "default")
    wolfe = entry_for("childs_pose", EX, LIB.doses, source="wolfe")
    assert (wolfe.hold_s, wolfe.reps, wolfe.dose_source) == (10, 5, "wolfe")
    myspine = entry_for("childs_pose", EX, LIB.doses, source="myspine")
    assert myspine.hold_s == 30, "an article's range starts at its low end"
    with pytest.raises(ValueError, match="'fourkey' gives no dose for 'childs_pose'; "
                                         "doses come from: freeback, myspine, wolfe"):
        entry_for("childs_pose", EX, LIB.doses, source="fourkey")


def test_session_time_follows_the_dose_rule():
    session = bg.Session("Test", [entry_for("glute_bridge", EX),      # 5 x (20+3) + 4 x 10
                                  entry_for("fast_walking", EX)])     # 20 minutes
    assert session.minutes == pytest.approx((155 + 1200) / 60)


def test_edited_dose_is_custom_and_described():
    e = entry_for("clamshell", EX).with_dose(reps=15, sets=2)
    assert e.dose_source == "custom"
    assert e.describe() == "2 x 15 reps, each side"
    assert entry_for("fast_walking", EX).describe() == "20 min"


def test_plan_add_puts_exercises_on_days_in_order():
    plan = bg.Plan("Mine")
    plan.add("Tuesday", "cat_cow", EX)
    plan.add("Tuesday", "bird_dog", EX, LIB.doses, source="wolfe")
    assert [e.exercise for e in plan.days["Tuesday"][0].entries] == ["cat_cow", "bird_dog"]
    assert plan.days["Tuesday"][0].entries[1].dose_source == "wolfe"
    with pytest.raises(ValueError, match="Unknown day 'Funday'"):
        plan.add("Funday", "cat_cow", EX)


@pytest.mark.parametrize("name", bg.starter_plans())
def test_starter_plan_meets_every_guidance_it_claims(name):
    plan = bg.load_starter(name, EX)
    assert plan.claims, "a starter plan says what it meets"
    check = bg.check_guidance(plan, EX, LIB.guidance).set_index("guidance")
    assert set(plan.claims) <= set(check.index)
    unmet = check.loc[list(plan.claims)].query("status != 'met'")
    assert unmet.empty, unmet[["message"]]


@pytest.mark.parametrize("name", bg.starter_plans())
def test_starter_plan_is_an_editable_copy(name):
    first = bg.load_starter(name, EX)
    first.add("Monday", "cobra", EX)
    assert bg.load_starter(name, EX) != first


def test_starter_plans_are_the_three_promised():
    assert bg.starter_plans() == ["core_stability", "gentle_start", "stretch_and_strengthen"]
    gentle = bg.load_starter("gentle_start", EX)
    table = bg.plan_table(gentle, EX)
    assert set(table["difficulty"]) == {"easy"}
    assert (table["exercise"] == "fast_walking").sum() == 3


# --- saving -------------------------------------------------------------------

def test_save_then_load_gives_the_same_plan(tmp_path):
    plan = bg.load_starter("core_stability", EX)
    plan.person, plan.start = "Ada", date(2026, 11, 23)
    path = bg.save_plan(plan, tmp_path / "week.json")
    assert bg.load_plan(path, EX) == plan
    assert json.loads(path.read_text())["schema"] == SCHEMA_VERSION


def test_a_failed_save_leaves_the_old_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "week.json"
    bg.save_plan(bg.load_starter("gentle_start", EX), path)
    before = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        bg.save_plan(bg.load_starter("core_stability", EX), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["week.json"], "no temporary file left"


def _bad(tmp_path, mutate) -> bg.BackguideError:
    data = bg.load_starter("gentle_start", EX).to_dict()
    mutate(data)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data))
    with pytest.raises(bg.BackguideError) as excinfo:
        bg.load_plan(path, EX)
    assert str(path) in str(excinfo.value)
    return excinfo.value


def _set_entry(key, value):
    def mutate(d):
        d["days"]["Monday"][0]["entries"][1][key] = value
    return mutate


@pytest.mark.parametrize("mutate, field, expected", [
    (lambda d: d.update(schema=SCHEMA_VERSION + 1), "schema", "saved by a newer backguide"),
    (lambda d: d.update(schema="one"), "schema", "a schema version number"),
    (_set_entry("exercise", "moonwalk"), "days.Monday[0].entries[1].exercise", "the id of an exercise"),
    (_set_entry("reps", -3), "days.Monday[0].entries[1].reps", "a number from 0 to 200"),
    (_set_entry("hold_s", "long"), "days.Monday[0].entries[1].hold_s", "a number from 0 to 600"),
    (_set_entry("minutes", 10_000), "days.Monday[0].entries[1].minutes", "a number from 0 to 600"),
    (_set_entry("per_side", "yes"), "days.Monday[0].entries[1].per_side", "true or false"),
    (lambda d: d["days"].update(Funday=[]), "days.Funday", "a day: Monday"),
    (lambda d: d.update(start="next week"), "start", "a date such as"),
], ids=["newer-schema", "schema-text", "unknown-exercise", "negative-reps", "hold-text",
        "minutes-huge", "per-side-text", "unknown-day", "bad-date"])
def test_bad_plan_file_names_the_file_and_field(tmp_path, mutate, field, expected):
    err = _bad(tmp_path, mutate)
    (problem,) = err.problems
    assert problem.column == field and expected in problem.expected


def test_malformed_json_names_the_line(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text('{\n  "schema": 1,\n  "name": "x"\n  "days": {}\n}\n')
    with pytest.raises(bg.BackguideError, match=r"plan\.json, line 4: .*valid JSON"):
        bg.load_plan(path, EX)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=plans)
def test_any_valid_plan_survives_save_and_load(tmp_path, plan):
    path = bg.save_plan(plan, tmp_path / "roundtrip.json")
    assert bg.load_plan(path, EX) == plan
    assert plan_from_dict(plan.to_dict(), EX) == plan


# --- a session's entries: a list to the user, columns underneath -------------------

edits = st.lists(st.tuples(
    st.sampled_from(["append", "insert", "set", "del", "pop", "del slice", "set slice",
                     "reverse", "remove"]),
    st.integers(-5, 5), st.integers(-5, 5), st.lists(entries, min_size=1, max_size=3)),
    max_size=25)


@settings(max_examples=200, deadline=None)
@given(start=st.lists(entries, max_size=6), edits=edits)
def test_session_entries_behave_exactly_like_a_list(start, edits):
    """Every list edit the builder uses gives the same entries, and the same columns."""
    model, stored = list(start), Entries(start)
    for op, i, j, new in edits:
        outcomes = []
        for target in (model, stored):
            try:
                if op == "append":
                    target.append(new[0])
                elif op == "insert":
                    target.insert(i, new[0])
                elif op == "set":
                    target[i] = new[0]
                elif op == "del":
                    del target[i]
                elif op == "pop":
                    outcomes.append(target.pop(i))
                elif op == "del slice":
                    del target[i:j]
                elif op == "set slice":
                    target[i:j] = new
                elif op == "reverse":
                    target.reverse()
                else:
                    target.remove(new[0])
            except (IndexError, ValueError) as exc:
                outcomes.append(type(exc))
        assert outcomes[:1] == outcomes[1:], op
        assert list(stored) == model and len(stored) == len(model)
    cols = stored.columns()
    assert [bg.plan.EXERCISE_IDS.ids[c] for c in cols["exercise_code"]] == [e.exercise for e in model]
    assert cols["hold_s"].tolist() == pytest.approx(
        [float("nan") if e.hold_s is None else e.hold_s for e in model], nan_ok=True)
    assert stored == model and Entries(model) == stored


def test_entries_refuse_bad_input_whole_and_hand_out_read_only_columns():
    stored = Entries([entry_for("cobra", EX)])
    with pytest.raises(TypeError, match="Entry objects, not str"):
        stored.append("cobra")
    with pytest.raises(ValueError, match="read-only"):
        stored.columns()["sets"][0] = 99
    # A bad dose is refused whole: no half-written entry is left behind.
    for bad in (bg.Entry("cat_cow", sets="two"), bg.Entry(None, sets=2)):
        with pytest.raises((TypeError, ValueError)):
            stored.append(bad)
        with pytest.raises((TypeError, ValueError)):
            stored[0] = bad
    assert list(stored) == [entry_for("cobra", EX)]


def test_pickled_entries_keep_their_exercises_in_another_process():
    """Exercise numbers are per process; a pickle must carry the ids themselves."""
    stored = Entries([entry_for("cobra", EX), entry_for("bird_dog", EX)])
    script = ("import pickle, sys; from backguide.plan import EXERCISE_IDS; "
              "[EXERCISE_IDS.code(x) for x in ['other_a', 'other_b', 'other_c']]; "
              "print([e.exercise for e in pickle.loads(sys.stdin.buffer.read())])")
    out = subprocess.run([sys.executable, "-c", script], input=pickle.dumps(stored),
                         capture_output=True, check=True)
    assert out.stdout.decode().strip() == "['cobra', 'bird_dog']"
