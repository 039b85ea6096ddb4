"""The shipped library is complete and coherent, its long tables match the CSV, and its
filters do what they promise."""

from __future__ import annotations

import csv
import dataclasses

import pytest

import numpy as np

import backguide as bg
from backguide import schema

from conftest import DATA

EXERCISE_IDS = list(bg.load_exercises().index)


def _csv_rows() -> dict[str, dict]:
    """exercises.csv read without backguide, by id."""
    with (DATA / "exercises.csv").open(newline="", encoding="utf-8") as f:
        return {r["id"]: r for r in csv.DictReader(f)}


CSV = _csv_rows()


def _items(cell: str) -> list[str]:
    return [x for x in cell.split(";") if x]


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
    assert set(g["source"]) <= set(library.sources.index)
    assert set(library.sources.query("kind == 'article'").index) <= set(g["source"])
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


def test_library_is_a_frozen_dataclass(library):
    assert dataclasses.is_dataclass(library) and not isinstance(library, tuple)
    names = [f.name for f in dataclasses.fields(library)]
    assert names == ["exercises", "sources", "doses", "guidance", "poses", "terms", "muscles",
                     "equipment", "variants", "checks", "codes"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        library.exercises = library.exercises.iloc[:0]
    assert bg.shipped_library() is bg.shipped_library()


# --- the long tables, against exercises.csv ------------------------------------------------

def _rows(frame, *columns) -> list[tuple]:
    return [tuple(str(v) for v in r) for r in frame[list(columns)].itertuples(index=False)]


@pytest.mark.parametrize("ex_id", ["bird_dog", "forearm_plank", "swimming", "childs_pose",
                                   "pelvic_tilt", "knee_plank", "clamshell"])
def test_long_tables_have_the_csv_rows_of_an_exercise(library, ex_id):
    row = CSV[ex_id]
    m = library.muscles[library.muscles["exercise"] == ex_id]
    primary = _items(row["primary_muscles"])
    secondary = [x for x in _items(row["secondary_muscles"]) if x not in primary]
    assert _rows(m, "muscle", "role", "share") == (
        [(x, "primary", "1.0") for x in primary] + [(x, "secondary", "0.5") for x in secondary])
    e = library.equipment[library.equipment["exercise"] == ex_id]
    assert e["equipment"].tolist() == [x for x in _items(row["equipment"]) if x != "none"]
    v = library.variants[library.variants["exercise"] == ex_id]
    assert _rows(v, "direction", "other") == (
        [("easier", x) for x in _items(row["easier"])]
        + [("harder", x) for x in _items(row["harder"])])


def test_long_tables_by_hand(library):
    m = library.muscles
    bird = m[m["exercise"] == "bird_dog"].set_index("muscle")
    assert bird.loc["lower back", "role"] == "primary" and bird.loc["lower back", "share"] == 1
    assert bird.loc["hamstrings", "share"] == bg.SECONDARY_SHARE
    assert library.equipment.query("exercise == 'knee_plank'")["equipment"].tolist() == ["mat"]
    assert library.equipment.query("exercise == 'childs_pose'").empty, "none is left out"
    v = library.variants
    assert _rows(v[v["exercise"] == "forearm_plank"], "direction", "other") == [
        ("easier", "knee_plank"), ("harder", "high_plank")]
    assert list(v.columns) == ["exercise", "direction", "other"]


def test_long_tables_have_every_csv_row(library):
    muscles = sum(len(set(_items(r["primary_muscles"])) | set(_items(r["secondary_muscles"])))
                  for r in CSV.values())
    assert len(library.muscles) == muscles
    assert len(library.equipment) == sum(
        len([x for x in _items(r["equipment"]) if x != "none"]) for r in CSV.values())
    assert len(library.variants) == sum(len(_items(r["easier"])) + len(_items(r["harder"]))
                                        for r in CSV.values())
    assert list(library.muscles["muscle"].cat.categories) == list(schema.MUSCLES)


def test_checks_are_the_merged_guidance_targets(library):
    assert library.checks.equals(bg.guidance_checks(library))
    assert library.checks.equals(bg.guidance_checks())
    merged = library.checks.set_index("check").loc["freeback_stretch_and_strength"]
    assert merged["guidance"] == ("freeback_stretch_and_strength", "natarthritis_combination")


# --- filters ---------------------------------------------------------------

def test_no_filter_returns_everything(library):
    assert bg.filter_exercises(lib=library).equals(library.exercises)
    assert bg.filter_exercises().equals(bg.shipped_library().exercises)


@pytest.mark.parametrize("muscle", ["hips", "hamstrings", "obliques", "chest"])
def test_muscle_filter_matches_the_csv(library, muscle):
    shown = bg.filter_exercises(lib=library, muscle=muscle)
    assert list(shown.index) == [i for i, r in CSV.items() if muscle in
                                 _items(r["primary_muscles"]) + _items(r["secondary_muscles"])]
    primary = bg.filter_exercises(lib=library, muscle=muscle, primary_only=True)
    assert list(primary.index) == [i for i, r in CSV.items()
                                   if muscle in _items(r["primary_muscles"])]


def test_filters_read_the_long_tables(library):
    """A filter answers from lib.muscles and lib.equipment, not from the list cells."""
    changed = bg.Library(library.exercises, library.sources, library.doses, library.guidance,
                         library.poses)
    m = changed.muscles
    object.__setattr__(changed, "muscles",
                       m[~((m["exercise"] == "clamshell") & (m["muscle"] == "hips"))])
    e = changed.equipment
    object.__setattr__(changed, "equipment", e[e["exercise"] != "swimming"])
    assert "clamshell" in bg.filter_exercises(lib=library, muscle="hips").index
    assert "clamshell" not in bg.filter_exercises(lib=changed, muscle="hips").index
    assert "swimming" not in bg.filter_exercises(lib=library, equipment=[]).index
    assert "swimming" in bg.filter_exercises(lib=changed, equipment=[]).index


def test_chair_and_standing_hides_the_floor(library):
    shown = bg.filter_exercises(lib=library, access=["chair", "standing"])
    assert len(shown) > 0
    assert not shown["position"].isin(["lying on back", "lying face down", "all fours",
                                       "kneeling", "side-lying"]).any()
    assert "cycling" in shown.index and "childs_pose" not in shown.index


def test_muscle_primary_only_or_any(library):
    any_role = bg.filter_exercises(lib=library, muscle="hamstrings")
    primary = bg.filter_exercises(lib=library, muscle="hamstrings", primary_only=True)
    assert set(primary.index) < set(any_role.index)
    assert all("hamstrings" in m for m in primary["primary_muscles"])
    assert "glute_bridge" in any_role.index and "glute_bridge" not in primary.index
    both = bg.filter_exercises(lib=library, muscle=["hips", "chest"])
    assert set(both.index) == (set(bg.filter_exercises(lib=library, muscle="hips").index)
                               | set(bg.filter_exercises(lib=library, muscle="chest").index))


def test_max_difficulty_is_ordered(library):
    easy = bg.filter_exercises(lib=library, max_difficulty="easy")
    moderate = bg.filter_exercises(lib=library, max_difficulty="moderate")
    assert set(easy["difficulty"]) == {"easy"}
    assert set(moderate["difficulty"]) == {"easy", "moderate"}
    assert "forearm_plank" not in moderate.index


def test_equipment_is_what_the_person_has(library):
    nothing = bg.filter_exercises(lib=library, equipment=[])
    assert list(nothing.index) == [i for i, r in CSV.items()
                                   if set(_items(r["equipment"])) <= {"none"}]
    with_pool = bg.filter_exercises(lib=library, equipment=["pool"])
    assert {"swimming", "water_therapy", "water_aerobics"} <= set(with_pool.index)
    assert set(nothing.index) < set(with_pool.index)
    assert "knee_plank" in bg.filter_exercises(lib=library, equipment="mat").index


def test_text_searches_names_aliases_and_steps(library):
    assert "cat_cow" in bg.filter_exercises(lib=library, text="CAMEL").index  # an alias
    assert "cobra" in bg.filter_exercises(lib=library, text="cobra").index  # the name
    assert "glute_bridge" in bg.filter_exercises(lib=library, text="buttocks").index  # a step
    assert bg.filter_exercises(lib=library, text="trampoline").empty


def test_max_minutes_and_combined_filters(library):
    quick = bg.filter_exercises(lib=library, max_minutes=1)
    assert (quick["session_minutes"] <= 1).all() and "fast_walking" not in quick.index
    both = bg.filter_exercises(lib=library, category="stretch", access="standing",
                               max_minutes=1)
    assert set(both.index) == set(quick.index) & set(
        bg.filter_exercises(lib=library, category="stretch", access="standing").index)


def test_unknown_filter_word_says_what_is_allowed(library):
    with pytest.raises(ValueError, match="Unknown category 'cardio'; expected one of: mobility"):
        bg.filter_exercises(lib=library, category="cardio")
    with pytest.raises(ValueError, match="Unknown muscle group 'toes'"):
        bg.filter_exercises(lib=library, muscle="toes")
    with pytest.raises(TypeError):
        bg.filter_exercises(library.exercises)  # the library is a keyword, lib=


def test_the_coded_arrays_agree_with_the_long_tables(library):
    c, ex = library.codes, library.exercises
    rows = sorted(zip(ex.index[c.muscle_exercise], np.asarray(library.muscles["muscle"].dtype
                                                              .categories)[c.muscle],
                      np.array(["primary", "secondary"])[c.role], c.share))
    assert rows == sorted(library.muscles.itertuples(index=False, name=None))
    easier = library.variants[library.variants["direction"] == "easier"]
    assert sorted(zip(ex.index[c.easier_exercise], ex.index[c.easier])) == \
        sorted(zip(easier["exercise"], easier["other"]))
    spine = {x: {m for m in schema.SPINE_MUSCLES if c.spine[i] >> schema.SPINE_MUSCLES.index(m) & 1}
             for i, x in enumerate(ex.index)}
    m = library.muscles
    for x in ex.index:
        assert spine[x] == set(m.loc[(m["exercise"] == x) & m["muscle"].isin(schema.SPINE_MUSCLES),
                                     "muscle"].astype(str))
    assert c.spine[-1] == 0  # an exercise not in the library works nothing
