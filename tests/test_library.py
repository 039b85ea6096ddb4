"""The shipped library is complete and coherent, its long tables match the CSV, and its
filters do what they promise."""

from __future__ import annotations

import csv
import warnings

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
    assert ex["hold_s"].dtype == float and ex["per_side"].dtype == "boolean"  # blank: not given
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


def test_a_library_cannot_be_changed(library):
    assert list(bg.Library.TABLES) == ["exercises", "sources", "doses", "guidance", "poses",
                                       "terms", "muscles", "equipment", "variants", "checks"]
    with pytest.raises(AttributeError, match="cannot be changed"):
        library.exercises = library.exercises.iloc[:0]
    with pytest.raises(AttributeError, match="cannot be changed"):
        library.codes = None
    with pytest.raises(AttributeError):
        del library.guidance
    assert len(library.exercises) == 39
    assert bg.shipped_library() is bg.shipped_library()
    assert repr(library).startswith("Library(39 exercises, 13 sources, 49 doses, 43 guidance")


# --- read-only: what one caller does to a table never reaches another ---------------------

#: cat_cow's row of data/exercises.csv: sets 1, reps 5, hold 10 s, no rest, not per side.
CAT_COW = {"exercise": "cat_cow", "sets": 1.0, "reps": 5.0, "hold_s": 10.0, "rest_s": None,
           "minutes": None, "per_side": False, "dose_source": "default"}
CAT_COW_STEP_1 = "Start on all fours with hands under shoulders and knees hip-width apart."


def _quiet(change):
    """Run ``change`` with pandas' deprecation of ``inplace`` silenced."""
    def run(frame):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            change(frame)
    return run


def _set(frame, key, value):
    frame[key] = value


# Each takes the frame a caller got from shipped_library().exercises and changes it.
CHANGES = {
    "loc": lambda ex: ex.loc.__setitem__(("cat_cow", "reps"), 99),
    "at": lambda ex: ex.at.__setitem__(("cat_cow", "hold_s"), 0.0),
    "iloc row": lambda ex: ex.iloc.__setitem__((ex.index.get_loc("cat_cow"), 1), "Cow-cat"),
    "new column": lambda ex: _set(ex, "clinic_note", "changed"),
    "column replaced": lambda ex: _set(ex, "sets", 3.0),
    "column deleted": lambda ex: ex.__delitem__("steps"),
    "categorical": lambda ex: ex.loc.__setitem__(("cat_cow", "difficulty"), "hard"),
    "inplace drop": _quiet(lambda ex: ex.drop(index="cat_cow", inplace=True)),
    "inplace rename": _quiet(lambda ex: ex.rename(index={"cat_cow": "dog"}, inplace=True)),
    "index renamed": lambda ex: setattr(ex, "index", [f"x{i}" for i in range(len(ex))]),
}


def _shipped_as_in_the_csv():
    """What every lib=None caller gets, against the literal values of data/exercises.csv."""
    ex = bg.shipped_library().exercises
    assert ex.shape == (39, 23) and "clinic_note" not in ex
    assert list(ex.columns[:3]) == ["name", "aliases", "category"]
    row = ex.loc["cat_cow"]
    assert (row["name"], str(row["difficulty"]), row["steps"][0]) == (
        "Cat-cow", "easy", CAT_COW_STEP_1)
    assert (row["sets"], row["reps"], row["hold_s"]) == (1.0, 5.0, 10.0)
    assert ex.loc["clamshell", "sets"] == 1.0
    dose = {k: (None if isinstance(v, float) and np.isnan(v) else v)
            for k, v in bg.dose_for("cat_cow").items()}
    assert dose == CAT_COW
    starter = bg.load_starter("gentle_start").entries
    monday = starter[starter["day"] == "Monday"]
    assert list(monday["exercise"]) == ["pelvic_tilt", "knee_roll", "single_knee_to_chest",
                                        "cat_cow", "childs_pose", "fast_walking"]
    cat = monday[monday["exercise"] == "cat_cow"].iloc[0]
    assert (cat["sets"], cat["reps"], cat["hold_s"]) == (1.0, 5.0, 10.0)


@pytest.mark.parametrize("change", list(CHANGES))
def test_changing_a_table_you_got_changes_nobody_elses(change):
    mine = bg.shipped_library().exercises
    CHANGES[change](mine)
    other = bg.shipped_library().exercises
    assert not mine.equals(other), "the change should at least stick to the caller's own frame"
    _shipped_as_in_the_csv()


def test_cells_with_several_items_cannot_be_changed_in_place():
    ex = bg.shipped_library().exercises
    with pytest.raises(AttributeError):
        ex.at["cat_cow", "steps"].append("Do it twice.")
    with pytest.raises(ValueError, match="read-only"):
        ex["reps"].to_numpy()[0] = 99
    with pytest.raises(ValueError, match="read-only"):
        bg.shipped_library().codes.spine[0] = 0
    assert len(bg.shipped_library().exercises.at["cat_cow", "steps"]) == 4
    _shipped_as_in_the_csv()


@pytest.mark.parametrize("table, change, check", [
    ("guidance", lambda g: g.loc.__setitem__(("fourkey_stop", "stop_rule"), 9.0),
     lambda lib: lib.guidance.at["fourkey_stop", "stop_rule"] == 1.0),
    ("doses", lambda d: _set(d, "hold_s_min", 0.0),
     lambda lib: bg.dose_for("cat_cow", "wolfe")["hold_s"] == 10.0),
    ("terms", lambda t: t.loc.__setitem__((0, "term"), "elbow"),
     lambda lib: lib.terms.at[0, "term"] == "lower back"
     and bg.library.shipped_terms().at[0, "term"] == "lower back"),
    ("checks", lambda c: _set(c, "min", 0.0),
     lambda lib: lib.checks.set_index("check").at["freeback_aerobic_time", "min"] == 20.0),
    ("muscles", lambda m: _set(m, "share", 0.0),
     lambda lib: lib.muscles["share"].sum() > 0),
])
def test_every_table_is_handed_out_as_a_copy(table, change, check):
    change(getattr(bg.shipped_library(), table))
    assert check(bg.shipped_library())


def test_shipped_terms_are_handed_out_as_a_copy():
    terms = bg.library.shipped_terms()
    terms.loc[0, "term"] = "elbow"
    built = bg.Library(bg.shipped_library().exercises, bg.shipped_library().sources,
                       bg.shipped_library().doses, bg.shipped_library().guidance,
                       bg.shipped_library().poses)
    assert built.terms.at[0, "term"] == "lower back"


def test_a_library_keeps_its_own_copy_of_the_frames_it_was_given():
    ex = bg.load_exercises()
    lib = bg.Library(ex, bg.load_sources(), bg.load_doses(), bg.load_guidance(), bg.load_poses())
    ex.loc["cat_cow", "reps"] = 99.0
    ex["primary_muscles"] = [("chest",)] * len(ex)
    assert lib.exercises.at["cat_cow", "reps"] == 5.0
    assert bg.dose_for("cat_cow", lib=lib)["reps"] == 5.0
    assert set(lib.muscles.loc[lib.muscles["exercise"] == "cat_cow", "muscle"]) == {
        "lower back", "upper back", "abdominals"}


def test_reading_a_table_copies_no_data():
    """A read is a lazy copy (pandas copy-on-write): it shares the library's arrays, so
    its cost does not grow with the table.  ~20-35 us each on the shipped library."""
    lib = bg.shipped_library()
    a, b = lib.exercises, lib.exercises
    assert a is not b
    assert np.shares_memory(a["reps"].to_numpy(), b["reps"].to_numpy())
    assert np.shares_memory(lib.poses["trunk"].to_numpy(), lib.poses["trunk"].to_numpy())


def test_a_library_survives_pickling():
    import pickle

    lib = pickle.loads(pickle.dumps(bg.shipped_library()))
    assert lib.exercises.equals(bg.shipped_library().exercises)
    assert lib.muscles.equals(bg.shipped_library().muscles)


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
    assert library.checks.equals(bg.guidance_checks(lib=library))
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
    # The long tables made to disagree with the list cells: only a test reaches in so.
    m = changed.muscles
    changed._frames["muscles"] = m[~((m["exercise"] == "clamshell") & (m["muscle"] == "hips"))]
    e = changed.equipment
    changed._frames["equipment"] = e[e["exercise"] != "swimming"]
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
    # A word the guide does not know narrows nothing (see backguide.search).
    assert len(bg.filter_exercises(lib=library, text="trampoline")) == 39


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


def test_a_person_who_can_get_to_a_chair_has_one():
    """'I can get to: chair' with 'I have: nothing' still lists the seated exercises."""
    ex = bg.load_library().exercises
    seated = set(ex.index[[("chair" in q) and p == "seated" for q, p in
                           zip(ex["equipment"], ex["position"].astype(str))]])
    assert len(seated) >= 6
    assert seated <= set(bg.filter_exercises(access=["chair", "standing"], equipment=[]).index)
    assert not seated & set(bg.filter_exercises(access=["standing"], equipment=[]).index)
    assert not seated & set(bg.filter_exercises(equipment=[]).index), "a chair is not assumed"
