"""The shipped library is complete and coherent, and its filters do what they promise."""

from __future__ import annotations

import pandas as pd
import pytest

import backguide as bg
from backguide import schema

EXERCISE_IDS = list(bg.load_exercises().index)


@pytest.mark.parametrize("ex_id", EXERCISE_IDS)
def test_every_exercise_is_complete(library, ex_id):
    row = library.exercises.loc[ex_id]
    assert row["name"] and row["steps"] and row["primary_muscles"] and row["sources"]
    assert len(row["steps"]) >= 2, "instructions come as numbered steps"
    assert row["difficulty_basis"], "the difficulty says what it rests on"
    assert row["session_minutes"] > 0
    assert row["access"] == schema.POSITION_ACCESS[row["position"]]


@pytest.mark.parametrize("ex_id", EXERCISE_IDS)
def test_variant_links_run_both_ways(library, ex_id):
    ex = library.exercises
    for harder in ex.at[ex_id, "harder"]:
        assert ex_id in ex.at[harder, "easier"], f"{harder} should list {ex_id} as easier"
        rank = schema.DIFFICULTIES.index
        assert rank(ex.at[harder, "difficulty"]) >= rank(ex.at[ex_id, "difficulty"])
    for easier in ex.at[ex_id, "easier"]:
        assert ex_id in ex.at[easier, "harder"], f"{easier} should list {ex_id} as harder"


def test_the_progressions_the_articles_describe(library):
    ex = library.exercises
    assert ex.at["partial_cobra", "harder"] == ("cobra",)
    assert "partial cobra does not hurt" in ex.at["partial_cobra", "progression"]
    assert ex.at["knee_plank", "harder"] == ("forearm_plank",)
    assert ex.at["forearm_plank", "harder"] == ("high_plank",)
    assert set(ex.at["bird_dog", "easier"]) == {"arm_lift_all_fours", "leg_lift_all_fours"}


@pytest.mark.parametrize("ex_id", EXERCISE_IDS)
def test_every_exercise_cites_a_source_with_its_dose(library, ex_id):
    cited = set(library.exercises.at[ex_id, "sources"])
    dosed = set(library.doses.query("exercise == @ex_id")["source"])
    assert cited == dosed


def test_dtypes_are_declared(library):
    ex = library.exercises
    assert list(ex["difficulty"].cat.categories) == list(schema.DIFFICULTIES)
    assert ex["difficulty"].cat.ordered and ex["category"].cat.ordered
    assert ex["hold_s"].dtype == float and ex["per_side"].dtype == bool
    assert ex.sort_values("difficulty")["difficulty"].iloc[-1] == "hard"
    assert ex.index.name == "id" and ex.index.is_unique


def test_guidance_has_articles_outside_sources_and_red_flags(library):
    g = library.guidance
    assert set(g["source"]) == set(library.sources.index)
    red = g.query("topic == 'red_flag'")
    assert len(red) >= 7 and set(red["source"]) == {"nice_ng59"}
    assert (g.query("topic == 'red_flag'")["statement"].str.contains("doctor|medical")).all()
    outside = set(library.sources.query("kind == 'outside'").index)
    assert (g[g["source"].isin(outside)]["evidence"] == "").all(), "we quote articles only"
    who = g.loc["who2020_aerobic"]
    assert (who["target"], who["min"], who["max"]) == ("aerobic_minutes_per_week", 150, 300)
    assert g.loc["fourkey_stop", "topic"] == "safety"


def test_every_target_the_check_knows_has_guidance(library):
    assert set(library.guidance["target"].dropna()) == set(schema.TARGETS)


def test_muscles_long_form(library):
    long = bg.exercise_muscles(library.exercises)
    bird = long[long["id"] == "bird_dog"].set_index("muscle")
    assert bird.loc["lower back", "role"] == "primary" and bird.loc["lower back", "share"] == 1
    assert bird.loc["hamstrings", "share"] == bg.SECONDARY_SHARE
    assert len(long) == sum(len(set(p) | set(s)) for p, s in zip(
        library.exercises["primary_muscles"], library.exercises["secondary_muscles"]))


# --- filters ---------------------------------------------------------------

def test_no_filter_returns_everything(library):
    assert bg.filter_exercises(library.exercises).equals(library.exercises)


def test_chair_and_standing_hides_the_floor(library):
    shown = bg.filter_exercises(library.exercises, access=["chair", "standing"])
    assert len(shown) > 0
    assert not shown["position"].isin(["lying on back", "lying face down", "all fours",
                                       "kneeling", "side-lying"]).any()
    assert "cycling" in shown.index and "childs_pose" not in shown.index


def test_muscle_primary_only_or_any(library):
    ex = library.exercises
    any_role = bg.filter_exercises(ex, muscle="hamstrings")
    primary = bg.filter_exercises(ex, muscle="hamstrings", primary_only=True)
    assert set(primary.index) < set(any_role.index)
    assert all("hamstrings" in m for m in primary["primary_muscles"])
    assert "glute_bridge" in any_role.index and "glute_bridge" not in primary.index


def test_max_difficulty_is_ordered(library):
    ex = library.exercises
    easy = bg.filter_exercises(ex, max_difficulty="easy")
    moderate = bg.filter_exercises(ex, max_difficulty="moderate")
    assert set(easy["difficulty"]) == {"easy"}
    assert set(moderate["difficulty"]) == {"easy", "moderate"}
    assert "forearm_plank" not in moderate.index


def test_equipment_is_what_the_person_has(library):
    ex = library.exercises
    nothing = bg.filter_exercises(ex, equipment=[])
    assert not any("pool" in e or "bike" in e for e in nothing["equipment"])
    with_pool = bg.filter_exercises(ex, equipment=["pool"])
    assert {"swimming", "water_therapy"} <= set(with_pool.index)
    assert set(nothing.index) < set(with_pool.index)


def test_text_searches_names_aliases_and_steps(library):
    ex = library.exercises
    assert "cat_cow" in bg.filter_exercises(ex, text="CAMEL").index  # an alias
    assert "cobra" in bg.filter_exercises(ex, text="cobra").index  # the name
    assert "glute_bridge" in bg.filter_exercises(ex, text="buttocks").index  # a step
    assert bg.filter_exercises(ex, text="trampoline").empty


def test_max_minutes_and_combined_filters(library):
    ex = library.exercises
    quick = bg.filter_exercises(ex, max_minutes=1)
    assert (quick["session_minutes"] <= 1).all() and "fast_walking" not in quick.index
    both = bg.filter_exercises(ex, category="stretch", access="standing", max_minutes=1)
    assert set(both.index) == set(quick.index) & set(
        bg.filter_exercises(ex, category="stretch", access="standing").index)


def test_unknown_filter_word_says_what_is_allowed(library):
    with pytest.raises(ValueError, match="Unknown category 'cardio'; expected one of: mobility"):
        bg.filter_exercises(library.exercises, category="cardio")


# --- the dose rule -----------------------------------------------------------

@pytest.mark.parametrize("dose, seconds", [
    (dict(reps=5, hold_s=20, rest_s=10), 5 * 23 + 4 * 10),   # rest between holds
    (dict(sets=3, reps=10, rest_s=30), 3 * 10 * 3 + 2 * 30),  # rest between sets
    (dict(reps=3, hold_s=20, per_side=True), 2 * 3 * 23),    # doubled per side
    (dict(reps=1, hold_s=30, rest_s=15, per_side=True), 2 * 33 + 15),  # rest between sides
    (dict(minutes=20, reps=10), 1200),                        # minutes win
    (dict(), 3),                                              # one bare repetition
])
def test_dose_rule(dose, seconds):
    assert bg.estimate_seconds(**dose) == pytest.approx(seconds)


def test_dose_rule_works_on_columns(library):
    ex = library.exercises
    one = [bg.estimate_seconds(*(ex.at[i, c] for c in ("sets", "reps", "hold_s", "rest_s",
                                                         "per_side", "minutes"))) for i in ex.index]
    assert (ex["session_minutes"] * 60).tolist() == pytest.approx(one)
    assert isinstance(bg.estimate_seconds(reps=2), float)
    many = bg.estimate_seconds(reps=pd.Series([1.0, 2.0, float("nan")]))
    assert many.tolist() == [3.0, 6.0, 3.0]
