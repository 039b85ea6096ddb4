"""Progression week by week: small dose steps to a cap, harder and easier variants, stopping.

The expected numbers are worked out here from the rule in progression.py and
the library's doses: holds grow by 5 s to the longest hold an article gives
(30 s where none does), then repetitions by 2 to the most an article gives
(twice the starting number where none does); activities grow by 5 minutes to 30.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import backguide as bg
from backguide.progression import CHANGE_COLUMNS

LIB = bg.shipped_library()
EX = LIB.exercises


def _plan(**days) -> bg.Plan:
    plan = bg.Plan(name="Mine")
    for day, ids in days.items():
        for x in ids:
            plan = plan.add(day, x)
    return plan


def _col(prog: bg.Progression, column: str, i: int = 0) -> list:
    """Entry ``i``'s ``column`` in each week."""
    return [w.entries[column].iloc[i] for w in prog.weeks]


def _snapshot(plan: bg.Plan) -> bg.Plan:
    return plan.replace(entries=plan.entries.copy(deep=True))


def test_the_starting_doses_these_tests_work_from():
    """The library numbers the hand-worked answers below rest on."""
    dose = EX[["reps", "hold_s", "per_side", "minutes"]]
    assert dose.loc["partial_cobra", ["reps", "hold_s"]].tolist() == [3, 10]
    assert dose.loc["cat_cow", ["reps", "hold_s"]].tolist() == [5, 10]
    assert dose.loc["clamshell", "reps"] == 10 and np.isnan(dose.loc["clamshell", "hold_s"])
    assert dose.loc["fast_walking", "minutes"] == 20
    d = LIB.doses
    # cat-cow's longest article hold is 15 s (natarthritis), most reps 10 (wolfe)
    assert d.loc[d["exercise"] == "cat_cow", "hold_s_max"].max() == 15
    assert d.loc[d["exercise"] == "cat_cow", "reps_max"].max() == 10
    # partial cobra: natarthritis works up to 30 s, once
    assert d.loc[d["exercise"] == "partial_cobra", "hold_s_max"].max() == 30
    assert d.loc[d["exercise"] == "partial_cobra", "reps_max"].max() == 1
    # clamshell: wolfe's 20 each side
    assert d.loc[d["exercise"] == "clamshell", "reps_max"].max() == 20
    assert EX.at["partial_cobra", "harder"] == ("cobra",)
    assert EX.at["bird_dog", "easier"][0] == "arm_lift_all_fours"
    assert EX.at["clamshell", "easier"] == () and EX.at["clamshell", "harder"] == ()


def test_holds_grow_by_5_seconds_to_the_articles_cap():
    plan = _plan(Monday=["partial_cobra"])
    before = _snapshot(plan)
    prog = bg.progress(plan, 6)
    assert _col(prog, "hold_s") == [10, 15, 20, 25, 30, 30]
    assert _col(prog, "reps") == [3] * 6, "3 reps is already past natarthritis's one"
    assert _col(prog, "exercise") == ["partial_cobra"] * 6, "no report, no harder variant"
    assert _col(prog, "dose_source") == ["default"] + ["progressed"] * 5
    assert plan == before, "the plan given is not changed"
    assert prog.weeks[0] == plan


def test_then_reps_grow_by_2_to_their_cap():
    # cat-cow: hold 10 -> 15 (its cap), then reps 5 -> 7 -> 9 -> 10 (capped at wolfe's 10)
    prog = bg.progress(_plan(Monday=["cat_cow"]), 7)
    assert _col(prog, "hold_s") == [10, 15, 15, 15, 15, 15, 15]
    assert _col(prog, "reps") == [5, 5, 7, 9, 10, 10, 10]
    dose = prog.changes[prog.changes["change"] == "dose"]
    assert dose["week"].tolist() == [2, 3, 4, 5]
    assert dose["reason"].tolist() == [
        "Cat-cow: hold 10 -> 15 s, a small step up as it gets easier.",
        "Cat-cow: 5 -> 7 reps, a small step up as it gets easier.",
        "Cat-cow: 7 -> 9 reps, a small step up as it gets easier.",
        "Cat-cow: 9 -> 10 reps, a small step up as it gets easier."]
    assert dose["to"].tolist()[:2] == ["5 reps, hold 15 s", "7 reps, hold 15 s"]


def test_reps_without_a_hold_grow_by_2():
    prog = bg.progress(_plan(Monday=["clamshell"]), 7)
    assert _col(prog, "reps") == [10, 12, 14, 16, 18, 20, 20]
    assert all(np.isnan(h) for h in _col(prog, "hold_s"))


def test_activities_grow_by_5_minutes_to_30():
    prog = bg.progress(_plan(Monday=["fast_walking"], Thursday=["yoga"]), 5)
    assert _col(prog, "minutes", 0) == [20, 25, 30, 30, 30]
    assert _col(prog, "minutes", 1) == [30] * 5, "yoga starts at the cap"
    walk = prog.changes[prog.changes["exercise"] == "fast_walking"]
    assert walk["reason"].tolist() == [
        "Fast walking: 20 -> 25 min, a small step up as it gets easier.",
        "Fast walking: 25 -> 30 min, a small step up as it gets easier."]
    assert walk["to"].tolist() == ["25 min", "30 min"]


def test_pain_free_at_the_cap_moves_to_the_harder_variant():
    plan = _plan(Monday=["partial_cobra"])
    prog = bg.progress(plan, 7, feedback={"partial_cobra": "pain-free"})
    assert _col(prog, "exercise") == ["partial_cobra"] * 5 + ["cobra", "cobra"]
    # pain-free below the cap is a dose step; at the cap (week 5: 30 s, 3 reps) it moves on,
    # and cobra starts at its own starting dose (hold 10 s), then steps up
    assert _col(prog, "hold_s") == [10, 15, 20, 25, 30, 10, 15]
    assert _col(prog, "dose_source")[5] == "default"
    moved = prog.changes[prog.changes["change"] == "harder"]
    assert moved["week"].tolist() == [6] and moved["to"].tolist() == ["Cobra"]
    assert moved["reason"].iloc[0] == ("Partial cobra (sphinx) was pain-free at its full dose: "
                                       "moving on to Cobra.")


def test_the_harder_variant_needs_a_pain_free_report():
    prog = bg.progress(_plan(Monday=["partial_cobra"]), 7, feedback={"partial_cobra": "same"})
    assert set(_col(prog, "exercise")) == {"partial_cobra"}


def test_worse_steps_back_to_the_easier_variant_and_says_why():
    plan = _plan(Monday=["bird_dog"])
    prog = bg.progress(plan, 3, feedback=[{"bird_dog": "worse"}])
    assert _col(prog, "exercise") == ["bird_dog", "arm_lift_all_fours", "arm_lift_all_fours"]
    # the easier variant at its starting dose (hold 10 s, each side), then a step up
    assert _col(prog, "hold_s") == [5, 10, 15]
    assert _col(prog, "per_side") == [True, True, True]
    easier = prog.changes[prog.changes["change"] == "easier"]
    assert easier["week"].tolist() == [2]
    assert easier["reason"].iloc[0] == ("Pain was worse with Bird dog: back to Arm lift on all "
                                        "fours, the easier version.")


def test_worse_without_an_easier_variant_goes_back_to_the_start_then_stops():
    plan = _plan(Monday=["clamshell"])
    prog = bg.progress(plan, 4, feedback=[{}, {"clamshell": "worse"}, {"clamshell": "worse"}])
    reps = [w.entries["reps"].tolist() for w in prog.weeks]
    assert reps == [[10], [12], [10], []]
    assert prog.changes["change"].tolist() == ["dose", "back to start", "stopped"]
    assert prog.changes["week"].tolist() == [2, 3, 4]
    stopped = prog.changes.iloc[-1]
    assert stopped["reason"].startswith("Pain was worse with Clamshell at its starting dose: "
                                        "stopped.")
    assert [w.entries["dose_source"].tolist() for w in prog.weeks] == [
        ["default"], ["progressed"], ["default"], []]


def test_worse_at_the_starting_dose_stops_at_once_and_renumbers():
    plan = (bg.Plan().add("Monday", "clamshell").add("Monday", "fast_walking", session="new")
            .add("Monday", "cat_cow", session=0))
    prog = bg.progress(plan, 2, feedback={"clamshell": "worse"})
    after = prog.weeks[1].entries
    assert list(zip(after["session"], after["order"], after["exercise"])) == [
        (0, 0, "cat_cow"), (1, 0, "fast_walking")]
    assert after["minutes"].tolist()[1] == 25


def test_a_custom_dose_made_worse_goes_back_to_the_start():
    plan = _plan(Monday=["fast_walking"]).set_dose(0, minutes=45)
    prog = bg.progress(plan, 3, feedback={"fast_walking": "worse"})
    assert [w.entries["minutes"].tolist() for w in prog.weeks] == [[45], [20], []]
    assert prog.changes["change"].tolist() == ["back to start", "stopped"]


def test_entries_stack_the_weeks_with_a_week_column():
    plan = _plan(Monday=["partial_cobra", "fast_walking"], Friday=["clamshell"])
    prog = bg.progress(plan, 4)
    e = prog.entries
    assert list(e.columns) == ["week", *bg.ENTRY_COLUMNS]
    assert e["week"].tolist() == [1] * 3 + [2] * 3 + [3] * 3 + [4] * 3
    for w, week in enumerate(prog.weeks, start=1):
        mine = e[e["week"] == w].drop(columns="week").reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, week.entries)
    assert [w.name for w in prog.weeks] == ["Mine", "Mine (week 2)", "Mine (week 3)",
                                            "Mine (week 4)"]
    # measured all at once with by=["week"]: one set of checks per week
    status = bg.guidance_status(e, by=["week"])
    assert sorted(set(status["week"])) == [1, 2, 3, 4]


def test_category_minutes_by_week_by_hand():
    plan = _plan(Monday=["partial_cobra", "fast_walking"], Friday=["clamshell"])
    weeks = bg.category_minutes(bg.progress(plan, 3).entries)
    assert list(weeks.index) == [1, 2, 3]
    assert list(weeks.columns) == ["mobility", "stretch", "strength", "aerobic", "mind-body"]
    # partial cobra 3 x (hold + 3) s + 2 rests of 3 s with holds 10, 15, 20; walks 20, 25,
    # 30 min; clamshell each side 10, 12, 14 reps of 3 s
    assert weeks["stretch"].tolist() == pytest.approx([45 / 60, 60 / 60, 75 / 60])
    assert weeks["aerobic"].tolist() == [20, 25, 30]
    assert weeks["strength"].tolist() == pytest.approx([60 / 60, 72 / 60, 84 / 60])
    assert weeks["mobility"].tolist() == [0, 0, 0] and weeks["mind-body"].tolist() == [0, 0, 0]


def test_changes_table_columns_and_one_row_per_exercise_and_kind():
    prog = bg.progress(_plan(Monday=["clamshell"], Tuesday=["clamshell"]), 2)
    assert list(prog.changes.columns) == CHANGE_COLUMNS == [
        "week", "exercise", "name", "change", "to", "reason"]
    assert len(prog.changes) == 1, "the same change to the same exercise is listed once"
    assert prog.changes.iloc[0][["week", "exercise", "name", "change", "to"]].tolist() == [
        2, "clamshell", "Clamshell", "dose", "12 reps, each side"]
    none = bg.progress(_plan(Monday=["clamshell"]), 1)
    assert list(none.changes.columns) == CHANGE_COLUMNS and none.changes.empty
    assert len(none.weeks) == 1 and none.weeks[0] == _plan(Monday=["clamshell"])


def test_feedback_as_a_sequence_applies_week_by_week():
    plan = _plan(Monday=["bird_dog"])
    prog = bg.progress(plan, 4, feedback=[{}, {}, {"bird_dog": "worse"}])
    assert _col(prog, "exercise") == ["bird_dog"] * 3 + ["arm_lift_all_fours"]


def test_bad_input_is_refused():
    plan = _plan(Monday=["clamshell"])
    with pytest.raises(ValueError, match="Unknown report 'meh'"):
        bg.progress(plan, 2, feedback={"clamshell": "meh"})
    with pytest.raises(ValueError, match="weeks must be 1 or more"):
        bg.progress(plan, 0)
    odd = bg.Plan(entries=plan.entries.assign(exercise="moonwalk"))
    with pytest.raises(ValueError, match="Unknown exercise 'moonwalk'"):
        bg.progress(odd, 2)


def test_progression_uses_the_library_given():
    ex = EX.copy()
    ex.at["partial_cobra", "harder"] = ()
    lib = bg.Library(ex, LIB.sources, LIB.doses, LIB.guidance, LIB.poses)
    plan = _plan(Monday=["partial_cobra"])
    mine = bg.progress(plan, 7, feedback={"partial_cobra": "pain-free"}, lib=lib)
    assert set(_col(mine, "exercise")) == {"partial_cobra"}
    shipped = bg.progress(plan, 7, feedback={"partial_cobra": "pain-free"})
    assert _col(shipped, "exercise")[-1] == "cobra"


def test_a_week_left_empty_still_shows_on_the_chart_table():
    plan = bg.load_starter("gentle_start")
    everything_worse = {x: "worse" for x in plan.entries["exercise"]}
    prog = bg.progress(plan, 4, feedback=everything_worse)
    minutes = prog.minutes()
    assert list(minutes.index) == [1, 2, 3, 4]
    # Week 1 is the plan as given; "worse" at the starting dose stops every
    # exercise with no easier version, and steps the rest back first.
    assert minutes.loc[1].sum() == pytest.approx(bg.plan_table(plan)["total_minutes"].sum())
    assert minutes.loc[4].sum() == pytest.approx(
        bg.plan_table(prog.weeks[3])["total_minutes"].sum())


def test_feedback_naming_an_exercise_not_in_the_plan_is_refused():
    plan = _plan(Monday=["cat_cow", "clamshell"])
    with pytest.raises(bg.BackguideError) as caught:
        bg.progress(plan, 2, feedback={"cat-cow": "worse"})
    message = str(caught.value)
    assert "'cat-cow'" in message and "cat_cow, clamshell" in message
    assert "did you mean 'cat_cow'?" in message
    assert isinstance(caught.value, ValueError), "callers catching ValueError still do"
    # every unknown id is named, not just the first
    with pytest.raises(bg.BackguideError) as caught:
        bg.progress(plan, 2, feedback={"cobra": "pain-free", "clamshell": "same",
                                       "plank": "worse"})
    assert [p.value for p in caught.value.problems] == ["cobra", "plank"]


def test_a_sequence_of_feedback_is_checked_against_each_weeks_plan():
    plan = _plan(Monday=["bird_dog"])
    # week 2 has the easier variant, so a report on it after week 2 is fine ...
    prog = bg.progress(plan, 3, feedback=[{"bird_dog": "worse"},
                                          {"arm_lift_all_fours": "worse"}])
    assert [w.entries["exercise"].tolist() for w in prog.weeks] == [
        ["bird_dog"], ["arm_lift_all_fours"], []], "worse at its start, with no easier: stopped"
    # ... a report on bird_dog, swapped out since, changes nothing ...
    again = bg.progress(plan, 3, feedback=[{"bird_dog": "worse"}, {"bird_dog": "worse"}])
    assert [w.entries["exercise"].tolist() for w in again.weeks] == [
        ["bird_dog"], ["arm_lift_all_fours"], ["arm_lift_all_fours"]]
    # ... but a misspelt id, in no week's plan, is refused.
    with pytest.raises(bg.BackguideError, match="feedback after week 2.*'bird-dog'"):
        bg.progress(plan, 3, feedback=[{"bird_dog": "worse"}, {"bird-dog": "worse"}])
