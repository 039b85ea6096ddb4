"""A picture for every exercise: data checked, drawings recognisable, contact sheet."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

import backguide as bg
from backguide import schema
from backguide.pictures import (NO_PICTURE, animation_html, contact_sheet, draw_exercise,
                                pose_points)

LIB = bg.load_library()
POSES = LIB.poses


def pts(ex_id: str, pose: str = "end"):
    row = POSES[(POSES["exercise"] == ex_id) & (POSES["pose"] == pose)].iloc[0]
    return pose_points(row)


def angle(a, b) -> float:
    d = b - a
    return math.degrees(math.atan2(d[1], d[0]))


@pytest.mark.parametrize("ex_id", list(LIB.exercises.index))
def test_every_exercise_has_a_start_and_an_end_and_draws(ex_id):
    mine = POSES[POSES["exercise"] == ex_id]
    assert {"start", "end"} <= set(mine["pose"])
    ax = draw_exercise(ex_id, lib=LIB)
    assert ax.get_title() == LIB.exercises.at[ex_id, "name"]
    texts = [t.get_text() for t in ax.texts]
    assert NO_PICTURE not in texts
    d = bg.dose_for(ex_id, lib=LIB)
    words = bg.describe_dose(d["sets"], d["reps"], d["hold_s"], d["rest_s"], d["per_side"],
                             d["minutes"])
    assert words in texts, "the starting dose is labelled"
    assert len(ax.lines) >= 16, "two figures of limbs"


def test_a_picture_can_show_an_entrys_own_dose_or_none():
    start = bg.describe_dose(sets=1, reps=5, hold_s=20, rest_s=10)
    assert start in [t.get_text() for t in draw_exercise("glute_bridge", lib=LIB).texts]
    ax = draw_exercise("glute_bridge", lib=LIB, dose="2 x 8 reps")
    texts = [t.get_text() for t in ax.texts]
    assert "2 x 8 reps" in texts and start not in texts
    texts = [t.get_text() for t in draw_exercise("glute_bridge", lib=LIB, dose="").texts]
    assert start not in texts and "2 x 8 reps" not in texts


def test_every_figure_stands_on_the_floor():
    for _, row in POSES.iterrows():
        p = pose_points(row)
        low = min(min(v[1] for k, v in p.items() if k != "spine"), p["head"][1] - 0.075)
        lift = 0 if math.isnan(row["lift"]) else row["lift"]
        assert low == pytest.approx(lift), row["exercise"]


def test_bridge_raises_the_hips_from_lying_with_knees_bent():
    start, end = pts("glute_bridge", "start"), pts("glute_bridge", "end")
    assert start["hip"][1] == pytest.approx(start["shoulder"][1], abs=0.01)
    assert start["near_knee"][1] > start["hip"][1] + 0.2, "knees bent up"
    assert end["hip"][1] > end["shoulder"][1] + 0.1, "hips raised above the shoulders"


def test_bird_dog_extends_opposite_arm_and_leg_from_all_fours():
    p = pts("bird_dog")
    assert p["near_hand"][0] > p["shoulder"][0] + 0.45, "arm reaches forward"
    assert abs(p["near_hand"][1] - p["shoulder"][1]) < 0.05, "at shoulder height"
    assert p["far_foot"][0] < p["hip"][0] - 0.7, "the other leg reaches back"
    assert p["far_hand"][1] == pytest.approx(0, abs=0.01) and p["near_knee"][1] == pytest.approx(0, abs=0.01)


def test_childs_pose_sits_back_with_arms_forward():
    p = pts("childs_pose")
    assert p["hip"][1] < 0.25, "sitting back on the heels"
    assert p["head"][1] < p["hip"][1] + 0.1 and p["near_hand"][0] > p["head"][0]


@pytest.mark.parametrize("ex_id, on", [("forearm_plank", "forearms"), ("high_plank", "hands")])
def test_plank_is_a_straight_line_from_shoulders_to_heels(ex_id, on):
    p = pts(ex_id)
    assert abs(angle(p["near_foot"], p["hip"]) - angle(p["hip"], p["shoulder"])) < 6
    assert p["hip"][1] > 0.1, "off the floor"
    if on == "forearms":
        assert abs(p["near_hand"][1] - p["near_elbow"][1]) < 0.01, "forearm flat on the floor"
    else:
        assert p["near_elbow"][1] > 0.2, "straight arms"


def test_cobra_is_on_straight_arms_and_sphinx_on_forearms():
    sphinx, cobra = pts("partial_cobra"), pts("cobra")
    assert sphinx["near_elbow"][1] == pytest.approx(0, abs=0.01)
    assert cobra["near_elbow"][1] > 0.15
    assert cobra["shoulder"][1] > sphinx["shoulder"][1] + 0.1, "chest lifted higher"


def test_cat_rounds_and_cow_arches():
    cat, cow = pts("cat_cow", "start"), pts("cat_cow", "end")
    mid = lambda p: (p["hip"][1] + p["shoulder"][1]) / 2  # noqa: E731
    assert cat["spine"][1] > mid(cat) + 0.1 and cow["spine"][1] < mid(cow) - 0.1


def test_animation_has_every_frame_and_moves():
    html = animation_html("bird_dog", lib=LIB, frames=6)
    frames = [re.sub(r"[^A-Za-z0-9+/=]", "", f)  # frames are stored line-wrapped
              for f in re.findall(r'data:image/png;base64,(.*?)"', html, flags=re.S)]
    assert len(frames) == 6, "one embedded frame per step"
    assert len(set(frames)) >= 3, "the figure moves between frames"
    assert "<script" in html and "play_animation" in html


def test_a_clinic_exercise_without_positions_gets_a_placeholder(table_copy):
    copy = table_copy("exercises.csv")
    row = list(copy.rows[1])
    row[0], row[1] = "wall_sit", "Wall sit"
    copy.rows.append(row)
    copy.save()
    lib = bg.load_library(copy.folder)
    assert "wall_sit" not in set(lib.poses["exercise"])
    ax = draw_exercise("wall_sit", lib=lib)
    assert NO_PICTURE in [t.get_text() for t in ax.texts]
    from backguide.widgets import exercise_card

    assert "Wall sit" in exercise_card("wall_sit", lib=lib)


@pytest.mark.parametrize("column, value, expected", [
    ("trunk", "400", "an angle in degrees from -360 to 360"),
    ("near_thigh", "left", "an angle in degrees from -360 to 360"),
    ("trunk", "", "may not be blank"),
    ("exercise", "moonwalk", "an id from the exercises table"),
    ("pose", "finish", "one of: start, middle, end"),
    ("lift", "2", "a number from 0 to 1"),
])
def test_bad_pose_data_names_file_line_and_field(table_copy, column, value, expected):
    copy = table_copy("exercises.csv")
    from conftest import DATA, TableCopy

    poses = TableCopy(copy.folder, "exercises.csv")
    poses.path = copy.folder / "poses.csv"
    import csv

    with (DATA / "poses.csv").open(newline="") as f:
        poses.rows = list(csv.reader(f))
    line = poses.set(4, column, value)
    poses.save()
    with pytest.raises(bg.BackguideError) as excinfo:
        bg.load_library(copy.folder)
    (problem,) = excinfo.value.problems
    assert (problem.path, problem.line, problem.column) == (str(poses.path), line, column)
    assert expected in problem.expected


def test_contact_sheet_of_every_exercise(artifacts):
    fig = contact_sheet(lib=LIB)
    drawn = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title() for ax in drawn] == list(LIB.exercises["name"])
    path = artifacts / "contact_sheet.png"
    fig.savefig(path, dpi=60)
    assert path.stat().st_size > 50_000


def test_angles_are_all_present_in_the_schema():
    assert set(schema.POSE_ANGLES) <= set(POSES.columns)
    assert np.isfinite(POSES["trunk"]).all()
