"""Rules the shipped data must keep, read straight from the files.

The tables are read with ``backguide.load_exercises()`` and
``backguide.load_doses()``; the starter plans with :mod:`json` directly, so
these tests do not depend on how :class:`backguide.Plan` is written.

* What counts as per side (the rule is in :mod:`backguide.dose`): an
  exercise done with one limb, or turned to one side, and then repeated the
  same way on the other.  Cat-cow and the shoulder squeeze alternate two
  positions of one movement, so they are never per side.
* A starter plan's notes say in words what its board holds ("three short
  strengthening sessions", "stretches every day", "three 20-minute walks");
  every number in them must agree with the board.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import backguide as bg

PLANS = Path(__file__).resolve().parent.parent / "data" / "plans"
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

#: Two positions of one movement, not two sides.
NOT_PER_SIDE = ("cat_cow", "shoulder_squeeze")

#: Exercises done on each side, reviewed one by one against the articles
#: and, for the chair exercises, the outside pages they come from.
ONE_SIDED = {
    "knee_roll": "knees rolled to one side, then the other",
    "single_knee_to_chest": "one leg, then the other",
    "trunk_rotation_stretch": "a twist to one side, then the other",
    "clamshell": "the top knee, then turn over",
    "arm_lift_all_fours": "one arm, then the other",
    "leg_lift_all_fours": "one leg, then the other",
    "bird_dog": "one arm and the opposite leg, then the other pair",
    "kneeling_hip_flexor_stretch": "kneeling on one knee, then the other",
    "split_stance_hamstring_stretch": "one foot forward, then the other",
    "seated_upper_body_twist": "a turn to one side, then the other",
    "seated_hip_marching": "one knee lifted, then the other",
    "seated_knee_to_chest": "one knee drawn up, then the other",
    "seated_hamstring_stretch": "one leg straightened, then the other",
}

#: Which categories count as which kind of work, as the guidance check counts
#: them (backguide.week.COUNTS_AS): yoga and Pilates both strengthen and stretch.
COUNTS_AS = {
    "strength": ("strength", "mind-body"),
    "stretch": ("stretch", "mobility", "mind-body"),
    "aerobic": ("aerobic",),
}

NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


@pytest.fixture(scope="module")
def exercises():
    return bg.load_exercises()


@pytest.fixture(scope="module")
def doses():
    return bg.load_doses()


def starter_files() -> list[Path]:
    return sorted(PLANS.glob("*.json"))


def _entries(plan: dict):
    """(day, session index, entry) for every entry on the board."""
    for day, sessions in plan["days"].items():
        for k, session in enumerate(sessions):
            for entry in session["entries"]:
                yield day, k, entry


# --- per side -----------------------------------------------------------------

@pytest.mark.parametrize("exercise", NOT_PER_SIDE)
def test_two_position_movements_are_not_per_side_in_the_exercises(exercises, exercise):
    assert not exercises.at[exercise, "per_side"]


@pytest.mark.parametrize("exercise", NOT_PER_SIDE)
def test_two_position_movements_are_not_per_side_in_any_article_dose(doses, exercise):
    rows = doses[doses["exercise"] == exercise]
    assert len(rows), f"no article dose for {exercise}"
    assert not rows["per_side"].any(), rows[["source", "per_side"]]


@pytest.mark.parametrize("path", starter_files(), ids=lambda p: p.stem)
def test_two_position_movements_are_not_per_side_in_any_plan(path):
    plan = json.loads(path.read_text(encoding="utf-8"))
    wrong = [(day, e["exercise"]) for day, _, e in _entries(plan)
             if e["exercise"] in NOT_PER_SIDE and e["per_side"]]
    assert not wrong


def test_per_side_exercises_are_exactly_the_one_sided_ones(exercises):
    flagged = set(exercises.index[exercises["per_side"]])
    assert flagged == set(ONE_SIDED)


def test_an_article_dose_is_per_side_only_for_a_one_sided_exercise(doses):
    per_side = set(doses.loc[doses["per_side"], "exercise"])
    assert per_side <= set(ONE_SIDED)


@pytest.mark.parametrize("path", starter_files(), ids=lambda p: p.stem)
def test_plan_entries_are_per_side_as_their_exercise_is(path, exercises):
    plan = json.loads(path.read_text(encoding="utf-8"))
    wrong = [(day, e["exercise"]) for day, _, e in _entries(plan)
             if e["per_side"] != bool(exercises.at[e["exercise"], "per_side"])]
    assert not wrong


# --- notes agree with the board -----------------------------------------------

def _number(word: str) -> int | None:
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word)


def _kind(clause: str) -> str | None:
    if "strength" in clause:
        return "strength"
    if any(w in clause for w in ("walk", "aerobic", "swim", "cycl")):
        return "aerobic"
    if "stretch" in clause or "warm-up" in clause:
        return "stretch"
    return None


def note_claims(notes: str) -> list[dict]:
    """What a plan's notes claim, one dict per clause that gives a number.

    Keys: ``kind`` (strength, stretch or aerobic), ``count`` (7 for "every
    day" or "daily"), ``unit`` ("days", "sessions" or "walks"),
    ``session_minutes`` ("20-minute") and ``total_minutes`` ("150 minutes").
    Raises ``ValueError`` for a number the parser does not understand, so a
    note cannot carry a claim these tests do not check.
    """
    claims = []
    for clause in re.split(r"[,:;.()]| and ", notes.lower()):
        words = re.findall(r"[a-z0-9'-]+", clause)
        claim: dict = {}
        for i, w in enumerate(words):
            m = re.fullmatch(r"([a-z0-9]+)-minutes?", w)
            if m and _number(m.group(1)) is not None:
                claim["session_minutes"] = _number(m.group(1))
            elif _number(w) is not None:
                if i + 1 < len(words) and words[i + 1] == "minutes":
                    claim["total_minutes"] = _number(w)
                else:
                    claim["count"] = _number(w)
                    following = " ".join(words[i + 1:])
                    claim["unit"] = ("walks" if "walk" in following
                                     else "days" if "day" in following else "sessions")
        if re.search(r"\bevery day\b|\bdaily\b", clause):
            claim.update(count=7, unit="days")
        if not claim:
            continue
        kind = _kind(clause)
        if kind is None:
            raise ValueError(f"a number with no kind of work in {clause.strip()!r}")
        claims.append(dict(claim, kind=kind, clause=clause.strip()))
    return claims


def board_counts(plan: dict, exercises) -> dict:
    """What the board holds: days and sessions of each kind, aerobic minutes."""
    category = exercises["category"].astype(str)
    out = {}
    for kind, cats in COUNTS_AS.items():
        slots = {(day, k) for day, k, e in _entries(plan) if category[e["exercise"]] in cats}
        out[kind] = {"days": len({d for d, _ in slots}), "sessions": len(slots)}
    minutes: dict = {}
    walks = set()
    for day, k, e in _entries(plan):
        if category[e["exercise"]] in COUNTS_AS["aerobic"]:
            minutes[(day, k)] = minutes.get((day, k), 0.0) + (e["minutes"] or 0.0)
            if e["exercise"] == "fast_walking":
                walks.add((day, k))
    out["aerobic"].update(walks=len(walks), session_minutes=sorted(set(minutes.values())),
                          total_minutes=sum(minutes.values()))
    return out


def test_the_note_parser_reads_number_words():
    claims = note_claims("Stretches every day, three 20-minute walks and two short "
                         "strengthening sessions; 150 minutes of aerobic exercise in four sessions.")
    by_kind = {(c["kind"], c.get("count")): c for c in claims}
    assert by_kind[("stretch", 7)]["unit"] == "days"
    assert (by_kind[("aerobic", 3)]["unit"], by_kind[("aerobic", 3)]["session_minutes"]) == (
        "walks", 20)
    assert by_kind[("strength", 2)]["unit"] == "sessions"
    assert by_kind[("aerobic", 4)]["total_minutes"] == 150
    with pytest.raises(ValueError, match="no kind of work"):
        note_claims("Do the two of them slowly.")


@pytest.mark.parametrize("path", starter_files(), ids=lambda p: p.stem)
def test_notes_claim_the_strengthening_days(path):
    claims = note_claims(json.loads(path.read_text(encoding="utf-8"))["notes"])
    assert [c for c in claims if c["kind"] == "strength" and "count" in c], (
        "the notes should say how many strengthening sessions the plan has")


@pytest.mark.parametrize("path", starter_files(), ids=lambda p: p.stem)
def test_every_number_in_the_notes_agrees_with_the_board(path, exercises):
    plan = json.loads(path.read_text(encoding="utf-8"))
    board = board_counts(plan, exercises)
    wrong = []
    for c in note_claims(plan["notes"]):
        have = board[c["kind"]]
        if "count" in c and c["count"] != have[c["unit"]]:
            wrong.append(f"{c['clause']!r}: the board has {have[c['unit']]} {c['unit']}")
        if "session_minutes" in c and have["session_minutes"] != [c["session_minutes"]]:
            wrong.append(f"{c['clause']!r}: the sessions last {have['session_minutes']} minutes")
        if "total_minutes" in c and c["total_minutes"] != have["total_minutes"]:
            wrong.append(f"{c['clause']!r}: the board has {have['total_minutes']:g} minutes")
    assert not wrong, "\n".join(wrong)


# --- a person who cannot get down to the floor --------------------------------

def _chair_exercises(exercises):
    """Exercises done sitting on a chair (not the bike, which is seated too)."""
    seated = exercises[exercises["position"] == "seated"]
    return seated[seated["equipment"].map(lambda e: "chair" in e)]


@pytest.mark.parametrize("access", [["chair"], ["chair", "standing"]], ids="+".join)
def test_a_person_on_a_chair_has_stretch_mobility_and_strength_for_the_spine(access):
    shown = bg.filter_exercises(access=access)
    chair = _chair_exercises(shown)
    assert len(chair) >= 6, "at least six exercises to do sitting on a chair"
    assert {"stretch", "mobility", "strength"} <= set(chair["category"].astype(str))
    primary = {m for muscles in chair["primary_muscles"] for m in muscles}
    assert {"lower back", "hips", "abdominals", "glutes"} <= primary
    assert not shown["position"].isin(["lying on back", "lying face down", "side-lying",
                                       "all fours", "kneeling", "half-kneeling"]).any()


def test_every_chair_exercise_cites_an_outside_source_with_its_dose(exercises, doses):
    sources = bg.load_sources()
    chair = _chair_exercises(exercises)
    assert len(chair)
    for ex_id, row in chair.iterrows():
        outside = [s for s in row["sources"] if sources.at[s, "kind"] == "outside"]
        assert outside, f"{ex_id} cites no outside source"
        for s in outside:
            assert sources.at[s, "url"].startswith("https://"), s
            assert sources.at[s, "publisher"], s
            mine = doses[(doses["source"] == s) & (doses["exercise"] == ex_id)]
            assert len(mine) == 1, f"{s} should give one dose row for {ex_id}"
            evidence = mine["evidence"].iloc[0]
            assert 0 < len(evidence.split()) <= 12, "a short phrase quoted from the source"


def test_chair_exercises_are_safe_on_a_chair(exercises):
    for ex_id, row in _chair_exercises(exercises).iterrows():
        cautions = " ".join(row["cautions"]).lower()
        assert "without wheels" in cautions, ex_id
        assert "stop if" in cautions, ex_id
        assert 4 <= len(row["steps"]) <= 6, ex_id


# --- warning signs and the stop rule ----------------------------------------------

#: The warning signs of data/guidance.csv as a person reads them: the sign, then what to do.
WARNING_SIGNS = {
    "nice_ng59_red_bladder": ("New trouble passing urine, loss of bladder or bowel control",
                              "Seek urgent medical help; do not exercise."),
    "nice_ng59_red_saddle": ("Numbness or tingling around the genitals, buttocks or back "
                             "passage", "Seek urgent medical help."),
    "nice_ng59_red_weakness": ("New or worsening weakness in the legs, or feet that catch or "
                               "drag", "See a doctor the same day."),
    "nice_ng59_red_fever": ("Back pain with fever or feeling generally unwell", "See a doctor."),
    "nice_ng59_red_weight": ("Back pain with weight loss you cannot explain", "See a doctor."),
    "nice_ng59_red_trauma": ("Back pain after a major fall, accident or injury",
                             "See a doctor before exercising."),
    "nice_ng59_red_cancer": ("Back pain in someone who has had cancer", "See a doctor."),
}


@pytest.fixture(scope="module")
def guidance():
    return bg.load_guidance()


def test_every_warning_sign_has_its_sign_and_what_to_do(guidance):
    """The presenter shows a warning sign's own advice when the sign applies: each
    red_flag row names the sign and the advice in their own columns."""
    flags = guidance[guidance["topic"] == "red_flag"]
    assert {i: (r["sign"], r["advice"]) for i, r in flags.iterrows()} == WARNING_SIGNS


@pytest.mark.parametrize("row", list(WARNING_SIGNS))
def test_a_warning_signs_columns_agree_with_its_statement(guidance, row):
    sign, advice = guidance.loc[row, ["sign", "advice"]]
    statement = guidance.at[row, "statement"]
    assert statement.startswith(sign + ": "), "the statement opens with the sign"
    assert advice[0].isupper() and advice.endswith(".")
    said = statement.removeprefix(sign + ": ").lower()
    assert [w.strip(".,;") for w in advice.lower().split()] == [
        w.strip(".,;") for w in said.split()], "the advice says what the statement says"


def test_only_warning_signs_have_a_sign_or_advice(guidance):
    others = guidance[guidance["topic"] != "red_flag"]
    assert len(others) == 36
    assert (others["sign"] == "").all() and (others["advice"] == "").all()


def test_the_stop_rule_is_stop_then_rest(guidance):
    rule = guidance[guidance["stop_rule"].notna()].sort_values("stop_rule")
    assert list(rule.index) == ["fourkey_stop", "fourkey_rest"]
    assert rule["stop_rule"].tolist() == [1.0, 2.0]
    assert list(rule["statement"]) == [
        "If an exercise makes your back pain worse, stop doing it.",
        "It is fine to rest the back for a while; do what you can, choosing exercises "
        "that do not strain it."]
