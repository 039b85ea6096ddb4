"""The words an import maps: a source's muscles, equipment, categories and levels.

Each table maps a source's own word to the guide's (:mod:`backguide.schema`); the
source's word is kept beside it (:mod:`backguide.importing`).  The difficulty
table is one a clinic edits: it is written into every imported folder.
"""

from __future__ import annotations

import io

import pandas as pd

from .. import schema
from ..errors import BackguideError
from .readers import text

__all__ = ["MUSCLE_GROUPS", "EQUIPMENT_KINDS", "CATEGORY_GROUPS", "DIFFICULTY_TABLE",
           "difficulty_rules", "difficulty_of"]

#: A source's muscle names and the guide's group each counts under
#: (:data:`backguide.schema.MUSCLES`); free-exercise-db's and wger's names.
MUSCLE_GROUPS = {
    "abdominals": "abdominals", "abs": "abdominals", "rectus abdominis": "abdominals",
    "obliques": "obliques", "obliquus externus abdominis": "obliques",
    "lower back": "lower back", "erector spinae": "lower back",
    "middle back": "upper back", "upper back": "upper back", "lats": "upper back",
    "latissimus dorsi": "upper back", "traps": "upper back", "trapezius": "upper back",
    "rhomboids": "upper back", "neck": "upper back",
    "glutes": "glutes", "gluteus maximus": "glutes",
    "hips": "hips", "abductors": "hips", "adductors": "hips",
    "hip flexors": "hip flexors", "iliopsoas": "hip flexors",
    "hamstrings": "hamstrings", "biceps femoris": "hamstrings",
    "quadriceps": "quadriceps", "quads": "quadriceps", "quadriceps femoris": "quadriceps",
    "calves": "calves", "gastrocnemius": "calves", "soleus": "calves",
    "shoulders": "shoulders", "anterior deltoid": "shoulders", "deltoids": "shoulders",
    "serratus anterior": "chest", "chest": "chest", "pectoralis major": "chest",
    "arms": "arms", "biceps": "arms", "biceps brachii": "arms", "triceps": "arms",
    "triceps brachii": "arms", "forearms": "arms", "brachialis": "arms",
}

#: A source's equipment words and the kind the guide files them under.  Kinds
#: outside :data:`backguide.schema.EQUIPMENT` are written to ``equipment.csv``.
EQUIPMENT_KINDS = {
    "body only": "none", "none": "none", "none (bodyweight exercise)": "none",
    "mat": "mat", "gym mat": "mat", "cushion": "cushion", "chair": "chair",
    "bench": "bench", "incline bench": "bench", "pool": "pool", "bike": "bike",
    "barbell": "barbell", "sz-bar": "ez curl bar", "e-z curl bar": "ez curl bar",
    "dumbbell": "dumbbell", "dumbbells": "dumbbell", "kettlebell": "kettlebell",
    "kettlebells": "kettlebell", "cable": "cable", "machine": "machine",
    "bands": "band", "band": "band", "resistance band": "band",
    "exercise ball": "exercise ball", "swiss ball": "exercise ball",
    "medicine ball": "medicine ball", "foam roll": "foam roll", "foam roller": "foam roll",
    "pull-up bar": "pull-up bar", "other": "other",
}

#: A source's categories and the guide's (:data:`backguide.schema.CATEGORIES`).
CATEGORY_GROUPS = {
    "strength": "strength", "powerlifting": "strength", "olympic weightlifting": "strength",
    "strongman": "strength", "plyometrics": "strength", "stretching": "stretch",
    "stretch": "stretch", "cardio": "aerobic", "aerobic": "aerobic", "mobility": "mobility",
    "mind-body": "mind-body", "yoga": "mind-body",
}

#: The difficulty of each source category and level, as a table a clinic edits
#: (``difficulty.csv`` in the folder written): the first row whose category
#: and level match (``*`` matches any) gives the difficulty; a blank
#: difficulty is unknown.  A lift is never "easy", whatever its level.
DIFFICULTY_TABLE = """category,level,difficulty
powerlifting,*,hard
olympic weightlifting,*,hard
strongman,*,hard
plyometrics,beginner,moderate
plyometrics,*,hard
stretching,beginner,easy
stretching,intermediate,moderate
stretching,expert,hard
cardio,beginner,easy
cardio,intermediate,moderate
cardio,expert,hard
strength,beginner,moderate
strength,intermediate,hard
strength,expert,hard
*,beginner,
*,intermediate,
*,expert,hard
"""


def difficulty_rules(table) -> list[tuple[str, str, str]]:
    if table is None:
        frame = pd.read_csv(io.StringIO(DIFFICULTY_TABLE), dtype=str, keep_default_na=False)
    elif isinstance(table, pd.DataFrame):
        frame = table.astype(str)
    else:
        frame = pd.read_csv(table, dtype=str, keep_default_na=False)
    for c in ("category", "level", "difficulty"):
        if c not in frame.columns:
            raise BackguideError.at(str(table), "a difficulty table with the columns "
                                    "category, level and difficulty", column=c, line=1)
    rules = []
    for line, (c, lv, d) in enumerate(zip(frame["category"], frame["level"],
                                          frame["difficulty"]), start=2):
        d = text(d).lower()
        if d and d not in schema.DIFFICULTIES:
            raise BackguideError.at(str(table), "one of: " + ", ".join(schema.DIFFICULTIES) +
                                    ", or blank (unknown)", line=line, column="difficulty",
                                    value=d)
        rules.append((text(c).lower(), text(lv).lower(), d))
    return rules


def difficulty_of(rules, category: str, level: str) -> str:
    for c, lv, d in rules:
        if c in ("*", category) and lv in ("*", level):
            return d
    return ""
