"""Search reads sentences: what people want, what they cannot do, and for how long.

Every expectation here is worked out from ``data/exercises.csv`` as read by
the csv module, not from the function under test.
"""

from __future__ import annotations

import csv

import pytest

import backguide as bg
from backguide.filtering import Request, read_request

from conftest import DATA

with open(DATA / "exercises.csv", encoding="utf-8", newline="") as f:
    ROWS = list(csv.DictReader(f))
ALL = [r["id"] for r in ROWS]
FLOOR_POSITIONS = {"lying on back", "lying face down", "side-lying", "all fours", "kneeling",
                   "half-kneeling", "mixed"}


def ids(keep) -> list[str]:
    return [r["id"] for r in ROWS if keep(r)]


def works(r: dict, muscle: str) -> bool:
    return muscle in (r["primary_muscles"] + ";" + r["secondary_muscles"]).split(";")


SEATED = ids(lambda r: r["position"] == "seated")
OFF_FLOOR = ids(lambda r: r["position"] not in FLOOR_POSITIONS)
LOWER_BACK = ids(lambda r: works(r, "lower back"))


def found(text) -> list[str]:
    return list(bg.filter_exercises(text=text).index)


def test_the_expectations_are_about_the_shipped_table():
    assert len(ALL) == 39 and len(SEATED) == 8 and len(OFF_FLOOR) == 17
    assert 10 < len(LOWER_BACK) < len(ALL)


# --- places and positions -----------------------------------------------------------------


@pytest.mark.parametrize("text", ["I can't get down to the floor", "can't get on the floor",
                                  "no floor please", "I cannot get on the floor",
                                  "exercises without getting on the floor", "avoid the floor",
                                  "It’s hard to get down on the floor"])
def test_not_on_the_floor(text):
    req = read_request(text)
    assert found(text) == OFF_FLOOR, "everything off the floor, and nothing on it"
    assert req.labels == ("Not on the floor",)
    (part,) = req.parts
    assert (part.kind, part.values, part.negated) == ("access", ("floor",), True)
    assert req.filters() == {"avoid_access": ("floor",)}
    assert req.summary == "Looking for: not on the floor"


@pytest.mark.parametrize("text", ["I can only sit", "I only have a chair", "in a chair",
                                  "sitting exercises", "I use a wheelchair"])
def test_only_sitting_is_every_chair_exercise(text):
    assert found(text) == SEATED
    assert read_request(text).labels == ("Seated (chair)",)


def test_no_kneeling():
    assert found("no kneeling") == ids(lambda r: r["position"] not in ("kneeling",
                                                                      "half-kneeling"))
    assert found("I can't kneel") == found("no kneeling")
    assert read_request("no kneeling").labels == ("No kneeling",)


def test_nothing_lying_on_my_front():
    shown = found("nothing lying on my front")
    assert shown == ids(lambda r: r["position"] != "lying face down")
    assert read_request("nothing lying on my front").labels == ("Not lying face down",)


def test_in_water():
    assert found("in water") == ids(lambda r: r["position"] == "in water")
    assert found("in water") and read_request("in water").labels == ("In water",)


def test_a_negation_carries_over_or():
    shown = found("no kneeling or lying down")
    assert shown == ids(lambda r: r["position"] not in (
        "kneeling", "half-kneeling", "lying on back", "lying face down", "side-lying"))
    assert read_request("no kneeling or lying down").labels == ("No kneeling",
                                                               "Not lying down")
    # "and" to another kind ends it: the lower back is wanted, kneeling is not
    shown = found("can't kneel and my lower back is stiff")
    assert shown == ids(lambda r: works(r, "lower back")
                        and r["category"] in ("mobility", "stretch")
                        and r["position"] not in ("kneeling", "half-kneeling"))


def test_places_of_one_kind_are_alternatives():
    assert found("sitting or standing") == ids(lambda r: r["position"] in ("seated",
                                                                           "standing"))


# --- when it hurts is not where to exercise -----------------------------------------------


@pytest.mark.parametrize("text", ["my back hurts when I sit",
                                  "my back aches after sitting all day",
                                  "back pain from sitting at a desk",
                                  "sitting makes my back worse"])
def test_sitting_as_context_finds_the_lower_back(text):
    req = read_request(text)
    assert found(text) == LOWER_BACK
    assert req.labels == ("Lower back",) and req.unknown == ()
    assert req.context, "the sitting is said back as context"


# --- body areas, kinds, difficulty --------------------------------------------------------


def test_tight_lower_back():
    assert found("tight lower back") == ids(lambda r: r["category"] == "stretch"
                                            and works(r, "lower back"))
    assert read_request("tight lower back").labels == ("Stretching", "Lower back")


def test_easy_ones():
    assert found("easy ones") == ids(lambda r: r["difficulty"] == "easy")
    assert read_request("easy ones").labels == ("Easy only",)


def test_nothing_hard():
    assert found("nothing hard") == ids(lambda r: r["difficulty"] != "hard")
    assert read_request("nothing hard").labels == ("Nothing hard",)


def test_lower_back_pain_nothing_too_hard_and_undoing_a_chip():
    text = "lower back pain, nothing too hard"
    req = read_request(text)
    assert found(text) == ids(lambda r: works(r, "lower back") and r["difficulty"] != "hard")
    assert req.labels == ("Lower back", "Nothing hard")
    assert req.summary == "Looking for: lower back \u00b7 nothing hard"
    assert req.filters() == {"muscle": ("lower back",), "max_difficulty": "moderate"}
    assert req.filters(without=(1,)) == {"muscle": ("lower back",)}
    assert req.filters(without=(0,)) == {"max_difficulty": "moderate"}
    assert list(bg.filter_exercises(text=req.without(1)).index) == LOWER_BACK


def test_build_up_my_core():
    assert found("build up my core") == ids(lambda r: r["category"] == "strength"
                                            and works(r, "abdominals"))
    assert read_request("build up my core").labels == ("Strengthening", "Abdominals")


def test_stiff_in_the_morning():
    assert found("stiff in the morning") == ids(lambda r: r["category"] in ("mobility",
                                                                          "stretch"))
    assert read_request("stiff in the morning").labels == ("Stretching or mobility",)


def test_a_body_area_is_left_out_only_when_said_plainly():
    hips = ids(lambda r: works(r, "hips"))
    assert found("I can't move my hips") == hips, "asks for the hips"
    assert found("exercises that don't hurt my back") == LOWER_BACK
    assert found("nothing for the shoulders") == ids(
        lambda r: "shoulders" not in r["primary_muscles"].split(";"))


# --- times --------------------------------------------------------------------------------


@pytest.mark.parametrize("text, minutes", [("a 15 minute session", 15),
                                           ("I have 10 minutes", 10),
                                           ("half an hour", 30), ("twenty minutes", 20),
                                           ("a 10-minute routine for my lower back", 10)])
def test_a_time_is_the_session_and_filters_nothing(text, minutes):
    req = read_request(text)
    assert req.minutes == minutes
    assert f"About {minutes} minutes (a whole session)" in req.labels
    assert all("minutes" not in key for key in req.filters())
    assert found(text) == (LOWER_BACK if "back" in text else ALL)


def test_a_time_for_each_exercise_is_a_filter():
    req = read_request("2 minutes each")
    assert req.minutes is None and req.filters() == {"max_minutes": 2}
    assert req.labels == ("Each exercise up to 2 minutes",)


# --- typos and words that mean nothing ----------------------------------------------------


def test_a_typo_is_read_as_the_word_it_misses():
    req = read_request("lowr back")
    assert found("lowr back") == LOWER_BACK
    assert req.labels == ("Lower back",) and req.corrections == (("lowr", "lower"),)
    assert read_request("strech").labels == ("Stretching",)


def test_short_words_and_outside_words_are_never_guessed():
    assert read_request("bak").parts == ()  # three letters: not corrected
    req = read_request("numbnes")  # one letter from "numbness", which the guide does not cover
    assert req.covered and req.parts == () and req.unknown == ("numbnes",)
    assert req.near_outside == (("numbnes", "numbness"),)


def test_words_that_mean_nothing_are_not_required():
    req = read_request("please I want some exercises for my hips")
    assert req.unknown == () and req.labels == ("Hips",)
    assert found("please I want some exercises for my hips") == ids(lambda r: works(r, "hips"))


def test_a_word_of_a_name_finds_the_exercise():
    assert found("bridge") == ids(lambda r: "bridge" in (r["name"] + r["aliases"]).lower())
    assert found("no planks") == ids(lambda r: "plank" not in (r["name"] + r["aliases"]).lower())


# --- outside what the guide covers --------------------------------------------------------


@pytest.mark.parametrize("text", ["numbness in my leg", "I have trouble with my bladder",
                                  "pain down my leg", "I had a fall",
                                  "no numbness, just a stiff back"])
def test_outside_sentences_find_nothing_and_give_the_warning_signs(text):
    req = read_request(text)
    assert found(text) == []
    assert not req.covered and len(req.outside)
    assert (req.outside["note"].str.len() > 20).all()
    assert len(req.guidance) and set(req.guidance["topic"]) == {"red_flag"}
    advice = bg.search_advice(text)
    assert not advice.covered and advice.outside.equals(req.outside)


# --- the text box and the function agree --------------------------------------------------

SENTENCES = ["I can't get down to the floor", "I only have a chair", "no kneeling",
             "nothing lying on my front", "tight lower back", "easy ones",
             "lower back pain, nothing too hard", "build up my core", "in water",
             "my back hurts when I sit", "stiff in the morning", "lowr back",
             "gentle stretches for my hips, no floor", "sitting or standing", "no planks"]


@pytest.mark.parametrize("text", SENTENCES)
def test_every_sentence_finds_something_and_filters_agree(text):
    req = read_request(text)
    assert isinstance(req, Request) and req.covered and req.parts and req.unknown == ()
    shown = bg.filter_exercises(text=text)
    assert len(shown)
    assert shown.equals(bg.filter_exercises(**req.filters()))
    assert req.summary.startswith("Looking for: ")
    for i in range(len(req.parts)):  # undoing a chip: the other parts' filters
        undone = bg.filter_exercises(**req.filters(without=(i,)))
        assert undone.equals(bg.filter_exercises(text=req.without(i)))
        assert req.without(i).labels == req.labels[:i] + req.labels[i + 1:]


def test_body_parts_the_guide_does_not_cover_are_not_names():
    req = read_request("my knees hurt")
    assert req.parts == () and req.unknown == ("knees",)
    assert found("my knees hurt") == ALL
    assert found("knee to chest") == ids(lambda r: "knee to chest" in r["name"].lower())


def test_verbs_find_the_exercises_named_by_them():
    assert found("no twisting") == ids(lambda r: "twist" not in (r["name"] + r["aliases"]).lower())
    shown = found("I can't get up and down from the floor")
    assert shown == OFF_FLOOR, "'from the floor' is where, not when"


# --- a position said as how to exercise is a filter; as when it hurts, it is not ----------

STANDING = ids(lambda r: r["position"] == "standing")

#: (what a person typed, the chips they should see)
HOW_TO_EXERCISE = [
    ("stretch for my lower back while standing", ("Stretching", "Lower back", "Standing")),
    ("stretches I can do while standing", ("Stretching", "Standing")),
    ("exercises while standing up", ("Standing",)),
    ("stretches standing up", ("Stretching", "Standing")),
    ("something I can do standing", ("Standing",)),
    ("I can do standing", ("Standing",)),
    ("stretches standing", ("Stretching", "Standing")),
    ("hip stretches standing", ("Hips", "Stretching", "Standing")),
    ("what can I do standing up", ("Standing",)),
    ("back stretches whilst standing", ("Lower back", "Stretching", "Standing")),
    ("stretches for when I'm standing", ("Stretching", "Standing")),
    ("exercises for my back when standing", ("Lower back", "Standing")),
    ("lower back pain, something I can do while standing", ("Lower back", "Standing")),
    ("while standing, stretch my hamstrings", ("Standing", "Stretching", "Hamstrings")),
    ("a stretch I can do while I'm standing", ("Stretching", "Standing")),
    ("stretches to do while standing at work", ("Stretching", "Standing")),
    ("exercises at my desk", ("Seated (chair)",)),
    ("something for my back at my desk", ("Lower back", "Seated (chair)")),
    ("exercises while sitting at my desk", ("Seated (chair)",)),
    ("exercises while I sit at my desk", ("Seated (chair)",)),
    ("when sitting at my desk, what can I do for my neck",
     ("Seated (chair)", "Upper back or shoulders")),
    ("easy stretches I can do whilst sat at my desk", ("Easy only", "Stretching",
                                                       "Seated (chair)")),
    ("stretches I can do in a chair", ("Stretching", "Seated (chair)")),
    ("stretch while sitting in a chair", ("Stretching", "Seated (chair)")),
    ("something easy while sitting", ("Easy only", "Seated (chair)")),
    ("easy stretches while seated", ("Easy only", "Stretching", "Seated (chair)")),
    ("my back hurts, I want exercises I can do while sitting", ("Lower back",
                                                               "Seated (chair)")),
    ("exercises on the floor", ("On the floor",)),
    ("core work on the floor", ("Abdominals", "On the floor")),
    ("exercises to do while lying in bed", ("Lying down",)),
    ("stretches for my hips while lying down", ("Stretching", "Hips", "Lying down")),
    ("strengthening for my core while lying on my back", ("Strengthening", "Abdominals",
                                                          "Lying on the back")),
    ("exercises while standing or sitting", ("Standing", "Seated (chair)")),
]


@pytest.mark.parametrize("text, labels", HOW_TO_EXERCISE)
def test_a_position_said_as_how_to_exercise_is_a_filter(text, labels):
    req = read_request(text)
    assert req.labels == labels
    assert req.context == (), "nothing is said back as when it hurts"
    assert req.unknown == ()


def test_a_stretch_for_the_lower_back_while_standing_finds_standing_stretches():
    text = "stretch for my lower back while standing"
    expected = ids(lambda r: r["category"] == "stretch" and works(r, "lower back")
                   and r["position"] == "standing")
    assert found(text) == expected and len(expected) == 2
    assert read_request(text).summary == ("Looking for: stretching \u00b7 lower back"
                                          " \u00b7 standing")
    assert found("exercises while standing up") == STANDING
    assert found("exercises while sitting at my desk") == SEATED


#: (what a person typed, the chips they should see, what is said back as when it hurts)
WHEN_IT_HURTS = [
    ("it hurts when I stand", (), ("stand",)),
    ("pain when standing", (), ("standing",)),
    ("standing makes it worse", (), ("standing",)),
    ("after standing all day", (), ("standing",)),
    ("standing is painful", (), ("standing",)),
    ("it's painful to stand", (), ("stand",)),
    ("I get pain standing up", (), ("standing",)),
    ("exercises for pain when standing", (), ("standing",)),
    ("my back hurts when I stand for long", ("Lower back",), ("stand",)),
    ("my lower back aches after standing all day", ("Lower back",), ("standing",)),
    ("standing hurts my back", ("Lower back",), ("standing",)),
    ("back pain from standing", ("Lower back",), ("standing",)),
    ("lower back pain while standing", ("Lower back",), ("standing",)),
    ("my back hurts standing up", ("Lower back",), ("standing",)),
    ("I have back pain when I'm standing", ("Lower back",), ("standing",)),
    ("pain in my lower back when I stand", ("Lower back",), ("stand",)),
    ("my back hurts if I stand too long", ("Lower back",), ("stand",)),
    ("when I stand my back hurts", ("Lower back",), ("stand",)),
    ("my back gets sore from standing at work", ("Lower back",), ("standing",)),
    ("my back is killing me from standing all day", ("Lower back",), ("standing",)),
    ("my back hurts while sitting", ("Lower back",), ("sitting",)),
    ("my back aches sitting down", ("Lower back",), ("sitting down",)),
    ("sore back whilst sitting", ("Lower back",), ("sitting",)),
    ("when I sit, my lower back aches", ("Lower back",), ("sit",)),
    ("it aches when I sit at my desk", (), ("sit", "at my desk")),
    ("my back is sore after sitting in a chair", ("Lower back",), ("sitting", "in a chair")),
    ("my back gets stiff when I sit", ("Lower back", "Stretching or mobility"), ("sit",)),
    ("my hips are tight when sitting", ("Hips", "Stretching"), ("sitting",)),
    ("pain sitting or standing", (), ("sitting", "standing")),
    ("sitting pain in my lower back", ("Lower back",), ("sitting",)),
    ("back pain when lying in bed", ("Lower back",), ("lying", "in bed")),
    ("my back aches when I lie on the floor", ("Lower back",), ("lie", "on the floor")),
]


@pytest.mark.parametrize("text, labels, context", WHEN_IT_HURTS)
def test_a_position_said_as_when_it_hurts_filters_nothing(text, labels, context):
    req = read_request(text)
    assert req.labels == labels
    assert req.context == context
    assert not {"position", "access", "avoid_position", "avoid_access"} & set(req.filters())
    assert found(text) == FOUND_BY_LABELS[labels], "no exercise is left out for the position"


FOUND_BY_LABELS = {
    (): ALL, ("Lower back",): LOWER_BACK,
    ("Lower back", "Stretching or mobility"): ids(
        lambda r: works(r, "lower back") and r["category"] in ("mobility", "stretch")),
    ("Hips", "Stretching"): ids(lambda r: works(r, "hips") and r["category"] == "stretch")}


@pytest.mark.parametrize("text, labels, context", [
    ("pain when standing, need stretches I can do sitting", ("Stretching", "Seated (chair)"),
     ("standing",)),
    ("I want to exercise while sitting because standing hurts", ("Seated (chair)",),
     ("standing",)),
    ("my back hurts after sitting at my desk, what can I do at my desk",
     ("Lower back", "Seated (chair)"), ("sitting", "at my desk")),
])
def test_one_sentence_can_say_both(text, labels, context):
    req = read_request(text)
    assert (req.labels, req.context) == (labels, context)


@pytest.mark.parametrize("text, labels", [("I can't exercise while standing", ("Not standing",)),
                                          ("no exercises while lying down",
                                           ("Not lying down",))])
def test_a_negation_before_while_leaves_the_position_out(text, labels):
    req = read_request(text)
    assert req.labels == labels and req.context == ()
