"""Every description in every article is in the data, with that article's own dose.

``DESCRIPTIONS`` is a reading of the five articles in ``shared/seeds``, made
apart from the data files: one entry per description, with the dose the
article gives in its own numbers.  Where articles disagree (child's pose),
each keeps its own dose.
"""

from __future__ import annotations

import math
import re

import pytest

from conftest import seeds_dir

# (source, exercise, dose).  Dose ranges are (low, high); a single number is
# (n, n).  per_side is True where the article says each side or each leg.
DESCRIPTIONS = [
    # myspine: four "Try this move" paragraphs under section headings.
    ("myspine", "glute_bridge", dict(reps=(5, 10), hold_s=(20, 30), rest_s=(10, 10))),
    ("myspine", "superman", dict(reps=(3, 5))),
    ("myspine", "squat", dict(reps=(10, 15), hold_s=(1, 3))),
    ("myspine", "childs_pose", dict(reps=(1, 1), hold_s=(30, 60))),
    ("myspine", "pilates", dict()),
    ("myspine", "yoga", dict()),
    # fourkey: four exercises whose headings were lost.
    ("fourkey", "knee_plank", dict(reps=(1, 1), hold_s=(30, 30))),
    ("fourkey", "hip_hinge", dict(reps=(1, 1), hold_s=(30, 30))),
    ("fourkey", "split_stance_hamstring_stretch", dict(reps=(1, 1), hold_s=(30, 30), per_side=True)),
    ("fourkey", "overhead_reach", dict()),
    # wolfe
    ("wolfe", "childs_pose", dict(reps=(5, 5), hold_s=(10, 10))),
    ("wolfe", "clamshell", dict(reps=(20, 20), per_side=True)),
    ("wolfe", "trunk_rotation_stretch", dict(reps=(10, 10), hold_s=(5, 5), per_side=True)),
    ("wolfe", "forearm_plank", dict(reps=(1, 1), hold_s=(30, 30))),
    ("wolfe", "cat_cow", dict(reps=(10, 10), hold_s=(10, 10))),
    ("wolfe", "glute_bridge", dict(reps=(12, 12))),
    ("wolfe", "bird_dog", dict(reps=(8, 8), hold_s=(5, 10), per_side=True)),
    # freeback: seven stretches and the low-impact activities.
    ("freeback", "single_knee_to_chest", dict(reps=(3, 3), hold_s=(20, 20), per_side=True)),
    ("freeback", "childs_pose", dict(reps=(1, 1), hold_s=(30, 120))),
    ("freeback", "bottom_to_heel_stretch", dict()),
    ("freeback", "knee_roll", dict()),
    ("freeback", "cat_cow", dict(reps=(1, 1), hold_s=(5, 10))),
    ("freeback", "pelvic_tilt", dict()),
    ("freeback", "shoulder_squeeze", dict(reps=(2, 4), hold_s=(20, 20))),
    ("freeback", "fast_walking", dict(minutes=(20, 20), times_per_week=(3, 4))),
    ("freeback", "swimming", dict(minutes=(20, 20), times_per_week=(3, 4))),
    ("freeback", "water_aerobics", dict(minutes=(20, 20), times_per_week=(3, 4))),
    ("freeback", "water_therapy", dict()),
    ("freeback", "cycling", dict(minutes=(20, 20), times_per_week=(3, 4))),
    ("freeback", "yoga", dict()),
    # natarthritis: twelve exercises, easy to most difficult, headings lost.
    ("natarthritis", "cat_cow", dict(reps=(1, 1), hold_s=(15, 15))),
    ("natarthritis", "cat_cow", dict(reps=(1, 1), hold_s=(15, 15))),
    ("natarthritis", "double_knee_to_chest", dict(reps=(1, 1), hold_s=(30, 30))),
    ("natarthritis", "glute_bridge", dict(reps=(1, 1), hold_s=(30, 30))),
    ("natarthritis", "arm_lift_all_fours", dict(reps=(1, 1), hold_s=(30, 30), per_side=True)),
    ("natarthritis", "leg_lift_all_fours", dict(reps=(1, 1), hold_s=(30, 30), per_side=True)),
    ("natarthritis", "bird_dog", dict(reps=(1, 1), hold_s=(30, 30), per_side=True)),
    ("natarthritis", "partial_cobra", dict(reps=(1, 1), hold_s=(30, 30))),
    ("natarthritis", "cobra", dict(reps=(1, 1), hold_s=(30, 30))),
    ("natarthritis", "kneeling_hip_flexor_stretch", dict(reps=(1, 1), hold_s=(30, 30), per_side=True)),
    ("natarthritis", "forearm_plank", dict(reps=(1, 1), hold_s=(30, 30))),
    ("natarthritis", "high_plank", dict(reps=(1, 1), hold_s=(30, 30))),
]

RANGES = ("sets", "reps", "hold_s", "rest_s", "minutes", "times_per_week")


def _dose(row) -> dict:
    out = {}
    for name in RANGES:
        low, high = row[f"{name}_min"], row[f"{name}_max"]
        if not math.isnan(low):
            out[name] = (low, high)
    if row["per_side"]:
        out["per_side"] = True
    return out


def _label(d):
    return f"{d[0]}-{d[1]}"


@pytest.mark.parametrize("description", DESCRIPTIONS, ids=_label)
def test_description_is_in_the_data_with_its_own_dose(library, description):
    source, exercise, dose = description
    assert exercise in library.exercises.index, f"{exercise} is missing from exercises.csv"
    assert source in library.exercises.at[exercise, "sources"], (
        f"exercises.csv does not cite {source} for {exercise}")
    rows = library.doses[(library.doses["source"] == source) & (library.doses["exercise"] == exercise)]
    assert dose in [_dose(r) for _, r in rows.iterrows()], (
        f"{source}'s dose for {exercise} should be {dose}")


def test_each_article_has_exactly_its_descriptions(library):
    """No description dropped, none invented: the counts per article agree."""
    expected = {}
    for source, exercise, _ in DESCRIPTIONS:
        expected[(source, exercise)] = expected.get((source, exercise), 0) + 1
    articles = library.sources.query("kind == 'article'").index
    found = (library.doses[library.doses["source"].isin(articles)]
             .groupby(["source", "exercise"]).size().to_dict())
    assert found == expected


def test_every_article_exercise_is_one_row():
    """25 distinct exercises in 34 descriptions, plus 7 activities, as the articles have."""
    activities = {"fast_walking", "swimming", "water_aerobics", "water_therapy", "cycling",
                  "yoga", "pilates"}
    exercises = {e for _, e, _ in DESCRIPTIONS} - activities
    described = [d for d in DESCRIPTIONS if d[1] not in activities]
    assert (len(exercises), len(described)) == (25, 34)


def test_disagreeing_doses_are_all_kept(library):
    holds = library.doses.query("exercise == 'childs_pose'")
    assert sorted(zip(holds["hold_s_min"], holds["hold_s_max"])) == [(10, 10), (30, 60), (30, 120)]


def _normal(text: str) -> str:
    return " ".join(text.split()).lower()


@pytest.fixture(scope="module")
def articles(library):
    seeds = seeds_dir()
    if seeds is None:
        pytest.skip("the source articles (../shared/seeds or $BACKGUIDE_SEEDS) are not "
                    "beside this checkout")
    return {sid: _normal((seeds / row["file"]).read_text(encoding="utf-8"))
            for sid, row in library.sources.query("kind == 'article'").iterrows()}


def test_every_evidence_phrase_is_quoted_from_its_article(library, articles):
    quotes = [(r["source"], r["evidence"]) for _, r in library.doses.iterrows()
              if r["source"] in articles]
    quotes += [(r["source"], r["evidence"]) for _, r in library.guidance.iterrows()
               if r["source"] in articles]
    missing = [q for q in quotes if _normal(q[1]) not in articles[q[0]]]
    assert not missing


def test_evidence_is_a_short_phrase_not_a_copy(library):
    """Instructions are in our own words; an article is quoted in a short phrase only."""
    evidence = list(library.doses["evidence"]) + list(library.guidance["evidence"])
    too_long = [e for e in evidence if len(e.split()) > 12]
    assert not too_long


def test_steps_are_not_copied_from_the_articles(library, articles):
    """No step repeats eight or more consecutive words of an article."""
    text = " ".join(" ".join(re.findall(r"[a-z']+", a)) for a in articles.values())
    copied = []
    for ex_id, steps in library.exercises["steps"].items():
        for step in steps:
            words = re.findall(r"[a-z']+", step.lower())
            for i in range(len(words) - 7):
                if " ".join(words[i : i + 8]) in text:
                    copied.append((ex_id, step))
                    break
    assert not copied, "\n".join(f"{e}: {s}" for e, s in copied)
