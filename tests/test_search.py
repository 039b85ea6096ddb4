"""Searching by the words people type: body areas, plain words and positions find
exercises; words outside what the guide covers find none and say where to turn."""

from __future__ import annotations

import csv
import io
import shutil

import pytest

import backguide as bg
from backguide import schema

from conftest import DATA

LIB = bg.shipped_library()
EX = LIB.exercises


def found(text: str, lib: bg.Library = LIB) -> list[str]:
    return list(bg.filter_exercises(lib=lib, text=text).index)


def working(muscle: str) -> list[str]:
    m = LIB.muscles
    return [i for i in EX.index if i in set(m.loc[m["muscle"] == muscle, "exercise"])]


# --- outside what the guide covers ----------------------------------------------------------

OUTSIDE = ["sciatica", "numbness", "leg pain", "pins and needles", "Tingling in my foot",
           "weakness in my legs", "bladder problems", "back pain after a fall"]


@pytest.mark.parametrize("text", OUTSIDE)
def test_outside_words_find_nothing_and_point_to_the_warning_signs(text):
    advice = bg.search_advice(text)
    assert not advice.covered
    assert found(text) == [], "the guide does not offer exercises for this"
    assert (advice.outside["note"].str.len() > 20).all(), "a note in plain words"
    g = advice.guidance
    assert len(g) and set(g["topic"]) == {"red_flag"} and set(g["source"]) == {"nice_ng59"}
    assert set(g.index) <= set(LIB.guidance.query("topic == 'red_flag'").index)
    for row in advice.outside.itertuples():
        assert row.guidance and set(row.guidance) <= set(g.index)
        assert row.sources == ("nice_ng59",)


def test_sciatica_says_what_to_do_and_shows_every_warning_sign():
    advice = bg.search_advice("Sciatica")
    (row,) = advice.outside.itertuples()
    assert row.said == "sciatica" and "leg" in row.note and "warning signs" in row.note
    assert list(advice.guidance.index) == list(LIB.guidance.query("topic == 'red_flag'").index)


def test_the_longest_phrase_wins():
    assert bg.search_advice("leg pain").outside["term"].tolist() == ["leg pain"]
    assert bg.search_advice("leg").understood["value"].tolist() == [
        ("quadriceps", "hamstrings", "calves")]
    assert found("upper back") == working("upper back")
    assert found("upper back") != working("lower back")


def test_an_outside_word_beside_known_ones_still_finds_nothing():
    advice = bg.search_advice("stiff lower back and sciatica")
    assert found("stiff lower back and sciatica") == []
    assert list(advice.understood["label"]) == ["stiff \u2192 mobility, stretch",
                                                "lower back \u2192 lower back"]
    assert list(advice.outside["said"]) == ["sciatica"]


# --- words the guide covers -----------------------------------------------------------------


def test_stiff_finds_mobility_and_stretches():
    shown = bg.filter_exercises(text="stiff")
    assert len(shown) and set(shown["category"]) == {"mobility", "stretch"}
    assert list(shown.index) == list(bg.filter_exercises(category=["mobility", "stretch"]).index)
    assert bg.search_advice("stiff").covered


@pytest.mark.parametrize("text", ["lumbar", "lower back", "Low back", "LUMBAR SPINE",
                                  "my lower back pain"])
def test_lumbar_and_lower_back_find_the_same_exercises(text):
    assert found(text) == found("lumbar") == working("lower back")
    assert len(found(text)) > 10


@pytest.mark.parametrize("text, muscle", [
    ("hips", "hips"), ("hip", "hips"), ("core", "abdominals"), ("tummy", "abdominals"),
    ("abs", "abdominals"), ("bottom", "glutes"), ("buttocks", "glutes"), ("bum", "glutes"),
    ("hamstring", "hamstrings"), ("back of the thigh", "hamstrings"),
])
def test_body_areas_find_the_exercises_working_them(text, muscle):
    assert found(text) and found(text) == working(muscle)
    assert list(bg.search_advice(text).understood["value"]) == [(muscle,)]


@pytest.mark.parametrize("text", ["chair", "sitting", "Seated", "sitting in a chair"])
def test_chair_or_sitting_finds_the_seated_exercises(text):
    assert found(text) == list(EX.index[EX["position"] == "seated"])


def test_lying_on_my_back_reads_the_phrase_around_the_filler_words():
    assert found("lying on my back") == list(EX.index[EX["position"] == "lying on back"])
    assert bg.search_advice("lying on my back").understood["label"].tolist() == [
        "lying on my back \u2192 lying on back"]


def test_each_recognised_word_narrows():
    both = set(bg.filter_exercises(category=["mobility", "stretch"], muscle="lower back").index)
    assert set(found("stiff lower back")) == both
    assert set(found("weak core")) == set(
        bg.filter_exercises(category="strength", muscle="abdominals").index)


def test_what_was_understood_is_said_for_the_view():
    advice = bg.search_advice("Lumbar")
    assert advice.covered and advice.words == ()
    assert advice.understood[["said", "kind", "label"]].values.tolist() == [
        ["lumbar", "muscle", "lumbar \u2192 lower back"]]
    assert advice.guidance.empty


def test_unknown_words_narrow_nothing_and_give_no_advice():
    # A word in no name, alias or term is reported, not required: a sentence
    # with a word the guide does not know still finds what the rest asks for.
    assert found("zumba") == list(EX.index)
    advice = bg.search_advice("zumba")
    assert advice.covered and advice.understood.empty and advice.guidance.empty
    assert advice.words == ("zumba",)
    assert found("zumba for my hips") == working("hips")


def test_names_and_aliases_are_still_searched():
    assert found("CAMEL") == ["cat_cow"]  # an alias
    assert found("glute bridge") == ["glute_bridge"]  # a term, and a word of the name
    assert found("knee to chest") == [i for i in EX.index if "knee_to_chest" in i]
    assert found("sit to stand") == ["sit_to_stand"]  # the name, though both words are terms
    assert found("cat-cow") == ["cat_cow"]
    assert found("press-up") == ["cobra"]  # an alias's word
    assert found("planks") == [i for i in EX.index if "plank" in i]  # a plural
    # Steps are not searched: "small" is in a step only, so it narrows nothing.
    assert found("small") == list(EX.index)


def test_filler_words_alone_narrow_nothing():
    assert found("pain") == found("exercises for the pain") == list(EX.index)


def test_text_combines_with_the_other_filters():
    shown = bg.filter_exercises(text="lower back", access=["chair", "standing"])
    assert list(shown.index) == [i for i in working("lower back")
                                 if EX.at[i, "access"] in ("chair", "standing")]


# --- the search terms table -----------------------------------------------------------------


def test_the_shipped_terms_are_loaded_with_the_library():
    t = LIB.terms
    assert set(t["kind"]) == set(schema.TERM_KINDS)
    for kind, vocab in schema.TERM_VOCAB.items():
        assert all(set(v) <= set(vocab) for v in t.loc[t["kind"] == kind, "value"])
    outside = t[t["kind"] == "outside"]
    pointers = set(LIB.guidance.index) | set(LIB.guidance["topic"])
    assert all(v and set(v) <= pointers for v in outside["value"])
    assert (outside["note"].str.len() > 0).all()
    for value, sources in zip(outside["value"], outside["sources"]):
        g = LIB.guidance[LIB.guidance.index.isin(value) | LIB.guidance["topic"].isin(value)]
        if set(value) <= set(LIB.guidance.index):  # pointing at rows, not a whole topic
            assert set(g["source"]) <= set(sources), "a term cites what its advice rests on"
        assert set(sources) <= set(g["source"])
    assert t["words"].map(tuple).is_unique
    built = bg.Library(LIB.exercises, LIB.sources, LIB.doses, LIB.guidance, LIB.poses)
    assert built.terms.equals(bg.library.shipped_terms())


def _folder(tmp_path, rows: list[list[str]]):
    """A clinic's folder: the shipped tables and a search_terms.csv of ``rows``."""
    for name in ("sources.csv", "exercises.csv", "doses.csv", "guidance.csv"):
        shutil.copy(DATA / name, tmp_path / name)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(
        [["term", "kind", "value", "note", "sources"], *rows])
    path = tmp_path / "search_terms.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


GOOD = [["lumbar", "muscle", "lower back", "", ""],
        ["zumba", "category", "aerobic", "A dance class.", ""],
        ["sciatica", "outside", "red_flag", "See a clinician.", "nice_ng59"]]

# (the bad row, the column named, words the expectation must contain)
BAD_ROWS = [
    (["stiff", "feeling", "mobility", "", ""], "kind", "one of: muscle, category"),
    (["bottom", "muscle", "glutes;spleen", "", ""], "value", "one of: lower back"),
    (["stiff", "category", "flexibility", "", ""], "value", "one of: mobility, stretch"),
    (["chair", "position", "", "", ""], "value", "one or more of: lying on back"),
    (["numb", "outside", "red_flags", "See a doctor.", ""], "value",
     "an id or a topic from the guidance table"),
    (["numb", "outside", "red_flag", "", ""], "note", "a note in plain words"),
    (["the", "filler", "lower back", "", ""], "value", "nothing: a filler word"),
    (["Lumbar", "muscle", "lower back", "", ""], "term", "a term listed once (already on line 2)"),
    (["...", "muscle", "lower back", "", ""], "term", "a word or phrase"),
    (["stiff", "category", "mobility", "", "hearsay"], "sources", "an id from the sources table"),
]


@pytest.mark.parametrize("bad, column, expected", BAD_ROWS, ids=lambda c: str(c)[:30])
def test_a_bad_search_terms_row_is_named_precisely(tmp_path, bad, column, expected):
    path = _folder(tmp_path, [*GOOD, bad])
    with pytest.raises(bg.BackguideError) as excinfo:
        bg.load_library(tmp_path)
    (problem,) = excinfo.value.problems
    assert (problem.path, problem.line, problem.column) == (str(path), 5, column)
    assert problem.column_number == ["term", "kind", "value", "note", "sources"].index(column) + 1
    assert expected in problem.expected
    message = str(excinfo.value)
    assert str(path) in message and "line 5" in message and column in message


def test_a_bad_row_after_a_blank_line_is_named_on_its_file_line(tmp_path):
    path = _folder(tmp_path, [GOOD[0], [], GOOD[1], ["hips", "muscle", "hipz", "", ""]])
    with pytest.raises(bg.BackguideError) as excinfo:
        bg.load_library(tmp_path)
    (problem,) = excinfo.value.problems
    assert (problem.path, problem.line, problem.column, problem.value) == (
        str(path), 5, "value", "hipz")


def test_a_clinics_own_terms_are_the_ones_searched(tmp_path):
    _folder(tmp_path, GOOD)
    lib = bg.load_library(tmp_path)
    assert list(lib.terms["term"]) == ["lumbar", "zumba", "sciatica"]
    assert found("zumba", lib) == list(EX.index[EX["category"] == "aerobic"])
    assert found("lumbar", lib) == working("lower back")
    assert found("numbness", lib) == list(EX.index)  # a word this table does not know
    assert bg.search_advice("numbness", lib=lib).covered
    assert not bg.search_advice("sciatica", lib=lib).covered
