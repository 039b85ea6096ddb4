"""A picture for every exercise: data checked, drawings recognisable, contact sheet."""

from __future__ import annotations

import html
import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import backguide as bg
from backguide import schema
import backguide.pictures
from backguide.pictures import WIDTH
from backguide.pictures import (FAR, GHOST, INNER, LENGTH, MOVING, MOVING_FAR, NEAR, NO_PICTURE,
                                anchor, animation_html, contact_sheet, detail, dose_label,
                                draw_exercise, figure_shapes, movement_shapes,
                                movement_frames, picture_img_tag, picture_png, picture_shapes,
                                picture_svg, pose_points)

LIB = bg.load_library()
POSES = LIB.poses
ROOT = Path(__file__).resolve().parent.parent


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
    doses = [t.get_text() for t in ax.texts if t.get_color() == MOVING]
    assert len(doses) == 1 and re.search(r"\b\d+ (reps?|min)\b", doses[0]), \
        "the starting dose is labelled"
    shapes, _ = picture_shapes(ex_id, lib=LIB)
    bodies = [x for x in shapes if x.kind == "poly" and x.fill in (NEAR, FAR, MOVING, MOVING_FAR)]
    assert len(bodies) >= 2 * 11, "two bodies: torso, neck, eight limb segments, two feet"
    assert sum(len(c.get_paths()) for c in ax.collections) >= 2 * 11, "drawn on the axes"


@pytest.mark.parametrize("ex_id, words", [
    ("glute_bridge", "5 reps, hold 20 s, rest 10 s"),
    ("bird_dog", "5 reps, hold 5 s, each side"),
    ("childs_pose", "1 rep, hold 30 s"),
    ("sit_to_stand", "5 reps"),
    ("cycling", "20 min"),
])
def test_the_starting_dose_is_written_above_the_figures(ex_id, words):
    assert words in [t.get_text() for t in draw_exercise(ex_id, lib=LIB).texts]
    assert f">{words}</tspan>" in picture_svg(ex_id, lib=LIB, dose=None)
    assert words not in picture_svg(ex_id, lib=LIB), "the page shows the dose beside it"
    shapes, _ = picture_shapes(ex_id, lib=LIB)
    (dose,) = [x for x in shapes if x.kind == "text" and x.text == words]
    top = max(x.xy[1] + x.xy[2] if x.kind == "circle" else x.xy[:, 1].max()
              for x in shapes if x.kind != "text")
    assert dose.xy[1] > top, "above the figures"


def test_a_picture_can_show_an_entrys_own_dose_or_none():
    start = "5 reps, hold 20 s, rest 10 s"
    assert start in [t.get_text() for t in draw_exercise("glute_bridge", lib=LIB).texts]
    ax = draw_exercise("glute_bridge", lib=LIB, dose="2 x 8 reps")
    texts = [t.get_text() for t in ax.texts]
    assert "2 x 8 reps" in texts and start not in texts
    texts = [t.get_text() for t in draw_exercise("glute_bridge", lib=LIB, dose="").texts]
    assert start not in texts and "2 x 8 reps" not in texts


def test_every_figure_stands_on_the_floor():
    for _, row in POSES.iterrows():
        p = pose_points(row)
        low = min(min(v[1] for k, v in p.items() if k not in INNER), p["head"][1] - 0.075)
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


@pytest.mark.parametrize("ex_id", sorted(set(POSES["exercise"])))
def test_every_exercise_has_a_movement_that_moves(ex_id):
    html = animation_html(ex_id, lib=LIB, frames=12)
    frames = re.findall(r'<g class="bg-f bg-f\d+">(.*?)</g>', html, flags=re.S)
    assert len(frames) >= 12, "frames there and back"
    assert len(set(frames)) >= 3, "the figure moves between frames"
    assert frames[0] == frames[-1] or len(frames) % 2 == 0
    assert "<script" not in html, "plays from its style sheet: no script, no kernel"
    assert "@keyframes" in html and "infinite" in html


def test_the_movement_eases_and_goes_through_every_position():
    rows = POSES[POSES["exercise"] == "cat_cow"].sort_values("pose")
    seq = movement_frames("cat_cow", lib=LIB, frames=24)
    trunk = [float(p["spine_curve"]) for p in seq]
    for _, r in rows.iterrows():  # each position is reached
        assert min(abs(t - float(r["spine_curve"])) for t in trunk) < 1e-9
    steps = np.abs(np.diff(trunk))
    per = len(seq) // (2 * (len(rows) - 1))  # frames in one leg, position to position
    assert steps[0] < steps[per // 2], "slow at the start of a leg, fast in its middle (eased)"


def test_pictures_are_svg_with_labels_readable_where_shown():
    """At the presenter's 470 px a label is at least 12 px; the SVG has no fixed size."""
    for ex_id in sorted(set(POSES["exercise"])):
        svg = picture_svg(ex_id, lib=LIB)
        assert svg.startswith("<svg") and "viewBox" in svg
        assert not re.search(r'<svg[^>]* width="', svg), "scales to the space it is given"
        width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
        sizes = [float(x) for x in re.findall(r'font-size="([\d.]+)"', svg)]
        labels = POSES.loc[POSES["exercise"] == ex_id, "label"].dropna()
        assert sizes and len(re.findall(r"<text", svg)) >= len(labels)
        assert min(sizes) * 470 / width >= 12, (ex_id, min(sizes) * 470 / width)


def _figures(shapes) -> list[list[float]]:
    """The x-ranges of the solid figures, left to right (not the ghost, props or arrow)."""
    spans = []
    for x in shapes:
        if x.kind == "text" or x.alpha < 1 or x.z >= 6 or x.fill not in (NEAR, FAR, MOVING,
                                                                         MOVING_FAR):
            continue
        if x.kind == "circle":
            spans.append((x.xy[0] - x.xy[2], x.xy[0] + x.xy[2]))
        else:
            spans.append((x.xy[:, 0].min(), x.xy[:, 0].max()))
    merged: list[list[float]] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return merged


@pytest.mark.parametrize("ex_id", sorted(set(POSES["exercise"])))
def test_each_position_is_labelled_beneath_its_figure(ex_id):
    labels = list(POSES[POSES["exercise"] == ex_id].sort_values("pose")["label"])
    svg = picture_svg(ex_id, lib=LIB)
    shown = [html.unescape(" ".join(re.findall(r">([^<]*)</tspan>", t)))
             for t in re.findall(r"<text[^>]*>(.*?)</text>", svg)]
    assert shown == labels, "every position's label, in order, wrapped but whole"
    shapes, _ = picture_shapes(ex_id, lib=LIB, dose="")
    figures = _figures(shapes)
    assert len(figures) == len(labels), "the positions side by side"
    for (lo, hi), text in zip(figures, [x for x in shapes if x.kind == "text"]):
        x, y = text.xy
        assert lo < x < hi and y < 0, f"{text.text!r}: under its own figure, below the floor"


@pytest.mark.parametrize("ex_id", sorted(set(POSES["exercise"])))
def test_the_start_is_ghosted_behind_the_end_pinned_in_one_place(ex_id):
    """The hips of both in one place; on a chair, the chair (sit to stand's start
    sits on the chair the standing end has just got up from)."""
    rows = POSES[POSES["exercise"] == ex_id].sort_values("pose")
    start, end = pose_points(rows.iloc[0]), pose_points(rows.iloc[-1])
    shift = np.array([anchor(rows.iloc[-1], end) - anchor(rows.iloc[0], start), 0.0])
    if rows.iloc[0]["prop"] != "chair":
        assert shift[0] == 0, "the hips in one place"
    shapes, _ = picture_shapes(ex_id, lib=LIB)
    ghost = [x for x in shapes if x.fill == GHOST and x.alpha < 1]
    assert len(ghost) >= 14 and all(x.alpha <= 0.2 for x in ghost), "a whole body, faint"
    heads = [(i, x) for i, x in enumerate(shapes)
             if x.kind == "circle" and x.z == 5 and x.xy[2] == LENGTH["head"]]
    ((at, ghost_head),) = [(i, x.xy) for i, x in heads if x.alpha < 1]
    solid = [(i, x.xy) for i, x in heads if x.alpha == 1]
    assert len(solid) == len(rows)
    # Where the start's head would be, were its hips (or its chair) where the end's are.
    assert ghost_head[:2] == pytest.approx(solid[-1][1][:2] + start["head"] - end["head"] + shift)
    assert at < solid[-1][0], "drawn before the end, so behind it"


def test_the_library_is_always_given_by_name():
    import inspect

    from backguide.pictures import body, layout, mpl, shapes, svg

    with_lib = set()
    for module in (body, layout, mpl, shapes, svg):
        for name, f in inspect.getmembers(module, inspect.isfunction):
            params = inspect.signature(f).parameters
            if f.__module__ == module.__name__ and "lib" in params:
                with_lib.add(name)
                assert params["lib"].kind is inspect.Parameter.KEYWORD_ONLY, name
    assert {"picture_svg", "draw_exercise", "picture_png", "animation_html", "picture_img_tag",
            "dose_label", "movement_frames", "contact_sheet", "picture_shapes"} <= with_lib
    with pytest.raises(TypeError):
        picture_svg("cat_cow", LIB)


#: Loads ``backguide.pictures`` with matplotlib blocked and without backguide's own
#: ``__init__`` (its charts need matplotlib): pictures as SVG must not.
NO_MATPLOTLIB = f"""
import importlib.util, sys
sys.modules["matplotlib"] = None  # importing matplotlib now fails
spec = importlib.util.spec_from_file_location(
    "backguide", {str(ROOT / "backguide" / "__init__.py")!r},
    submodule_search_locations=[{str(ROOT / "backguide")!r}])
sys.modules["backguide"] = importlib.util.module_from_spec(spec)
import backguide.pictures as p
assert p.picture_svg("cat_cow").startswith("<svg")
assert 'class="bg-animation"' in p.animation_html("cat_cow", frames=4)
assert p.picture_img_tag("cat_cow").startswith("<img")
assert p.picture_shapes("cat_cow")[0] and len(p.movement_frames("cat_cow")) > 2
try:
    p.draw_exercise
except ImportError:
    print("matplotlib only for matplotlib")
"""


def test_pictures_as_svg_need_no_matplotlib():
    run = subprocess.run([sys.executable, "-c", NO_MATPLOTLIB], capture_output=True, text=True,
                         timeout=120, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "matplotlib only for matplotlib", "draw_exercise needs it"


def test_every_name_of_the_pictures_is_there():
    for name in backguide.pictures.__all__:
        assert getattr(backguide.pictures, name) is not None, name
    assert "draw_exercise" in dir(backguide.pictures)


def test_a_card_shows_the_picture_and_a_png_can_be_made():
    import base64

    tag = picture_img_tag("bird_dog", lib=LIB)
    svg = base64.b64decode(re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', tag)[1]).decode()
    assert svg == picture_svg("bird_dog", lib=LIB, dose=None)
    assert ">5 reps, hold 5 s, each side</tspan>" in svg
    assert picture_png("bird_dog", lib=LIB).startswith(b"\x89PNG\r\n\x1a\n")
    assert dose_label("cycling", lib=LIB) == "20 min"


def test_the_moving_parts_are_drawn_in_their_own_colour():
    shapes, _ = picture_shapes("bird_dog", lib=LIB)
    assert any(x.fill == MOVING for x in shapes), "the arm and leg that lift"
    shapes, _ = picture_shapes("pelvic_tilt", lib=LIB)
    torso = [x for x in shapes if x.kind == "poly" and x.fill == MOVING]
    assert torso, "the pelvic tilt moves the spine"


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
    assert f">{NO_PICTURE}</text>" in picture_svg("wall_sit", lib=lib), "shown, not only named"
    from backguide.views import exercise_card

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
    fig.savefig(path, dpi=80)
    assert path.stat().st_size > 50_000
    # And as a page: each picture (SVG) beside its exercise's steps, to check one by the other.
    rows = "".join(
        f"<tr><td style='width:560px'>{picture_svg(ex_id, lib=LIB, title=True)}</td><td><ol>"
        + "".join(f"<li>{html.escape(step)}</li>" for step in LIB.exercises.at[ex_id, "steps"])
        + "</ol></td></tr>" for ex_id in LIB.exercises.index)
    page = artifacts / "contact_sheet.html"
    page.write_text(f"<!doctype html><meta charset='utf-8'><title>Every picture</title>"
                    f"<table style='font-family:sans-serif;font-size:15px'>{rows}</table>",
                    encoding="utf-8")
    assert page.read_text(encoding="utf-8").count("<svg") == len(LIB.exercises)


def test_angles_are_all_present_in_the_schema():
    assert set(schema.POSE_ANGLES) <= set(POSES.columns)
    assert np.isfinite(POSES["trunk"]).all()


# --- seated exercises on a chair ----------------------------------------------

from backguide.pictures import CHAIR, PROP_COLORS, chair_seat  # noqa: E402

#: The exercises done sitting on a chair (the bike is seated too, on its own prop).
CHAIR_EXERCISES = [e for e in LIB.exercises.index
                   if LIB.exercises.at[e, "position"] == "seated"
                   and "chair" in LIB.exercises.at[e, "equipment"]]
#: Poses that are not sitting: the end of sit to stand is standing in front of the chair.
STANDING_POSES = {("sit_to_stand", "end")}


def _on_floor(p, side):
    return p[f"{side}_foot"][1] == pytest.approx(0, abs=0.01)


def test_there_are_chair_exercises_to_draw():
    assert len(CHAIR_EXERCISES) >= 6


@pytest.mark.parametrize("ex_id", CHAIR_EXERCISES)
def test_a_seated_figure_sits_on_the_chair_with_its_feet_on_the_floor(ex_id):
    mine = POSES[POSES["exercise"] == ex_id]
    assert {"start", "end"} <= set(mine["pose"])
    assert (mine["prop"] == "chair").all(), "every position is drawn with the chair"
    for _, row in mine.iterrows():
        p = pose_points(row)
        back, front, top = chair_seat(p)
        assert top == pytest.approx(CHAIR["seat"]), "the chair stands on the floor"
        assert _on_floor(p, "near") or _on_floor(p, "far"), "a foot on the floor"
        if (ex_id, row["pose"]) in STANDING_POSES:
            assert p["hip"][1] > top + 0.3, "standing up, clear of the seat"
            assert _on_floor(p, "near") and _on_floor(p, "far")
            continue
        assert back < p["hip"][0] < front, f"{ex_id} {row['pose']}: the pelvis is over the seat"
        assert 0 <= p["hip"][1] - top <= 0.06, f"{ex_id} {row['pose']}: the pelvis is on the seat"
        for side in ("near", "far"):
            if not _on_floor(p, side):
                continue
            if row["view"] == "front":  # the seat across, the feet under its ends
                assert back < p[f"{side}_foot"][0] < front, "feet on the floor under the seat"
            else:
                assert p[f"{side}_foot"][0] > front, "feet on the floor in front of the seat"


@pytest.mark.parametrize("ex_id", CHAIR_EXERCISES)
def test_the_chair_is_drawn_under_the_figure(ex_id):
    shapes, _ = picture_shapes(ex_id, lib=LIB)
    front = (POSES.loc[POSES["exercise"] == ex_id, "view"] == "front").all()
    seats = [x for x in shapes if x.kind == "poly" and x.fill == PROP_COLORS["chair"]
             and x.xy[:, 1].max() == pytest.approx(CHAIR["seat"])
             and np.ptp(x.xy[:, 0]) == pytest.approx(CHAIR["width" if front else "depth"])]
    assert len(seats) == 2, "one seat under each position (seen from the front: across)"


def test_the_twist_is_seen_from_the_front_and_turns_the_shoulders_not_the_hips():
    """From the side a twist cannot show: from the front the shoulders narrow as the
    chest turns (by the cosine of ``twist``), while hips, knees and feet stay."""
    rows = POSES[POSES["exercise"] == "seated_upper_body_twist"].sort_values("pose")
    assert (rows["view"] == "front").all()
    start, end = pts("seated_upper_body_twist", "start"), pts("seated_upper_body_twist", "end")
    turn = detail(rows.iloc[-1], "twist") - detail(rows.iloc[0], "twist")
    assert abs(turn) >= 40, "turned as far as is comfortable"
    width = lambda p, a, b: abs(p[b][0] - p[a][0])  # noqa: E731
    assert width(start, "near_shoulder", "far_shoulder") == pytest.approx(WIDTH["shoulders"])
    assert width(end, "near_shoulder", "far_shoulder") < 0.75 * WIDTH["shoulders"]
    for part in ("hip", "near_hip", "far_hip", "near_knee", "far_knee", "near_foot", "far_foot"):
        assert end[part] == pytest.approx(start[part]), f"the {part} stays facing forward"
    for p in (start, end):  # arms crossed: each hand on the other shoulder
        assert p["near_hand"][0] > p["far_hand"][0]
        assert np.linalg.norm(p["near_hand"] - p["far_shoulder"]) < 0.15
        assert np.linalg.norm(p["far_hand"] - p["near_shoulder"]) < 0.15
    # The arms go round with the chest: both elbows end on the side it turns to.
    side = np.sign(turn)
    assert side * (end["near_elbow"][0] - start["near_elbow"][0]) > 0.05
    assert side * (end["far_elbow"][0] - start["far_elbow"][0]) > 0.05
    shapes, _ = picture_shapes("seated_upper_body_twist", lib=LIB)
    noses = [x.xy for x in shapes if x.kind == "circle" and x.alpha == 1
             and x.xy[2] == pytest.approx(LENGTH["head"] * 0.3)]
    heads = [x.xy for x in shapes if x.kind == "circle" and x.alpha == 1
             and x.xy[2] == LENGTH["head"]]
    assert len(noses) == 1, "the turned head shows its nose; the one facing forward does not"
    assert side * (noses[0][0] - heads[-1][0]) > 0.5 * LENGTH["head"], "to the side it turns"
    arrows = [x for x in shapes if x.fill == MOVING and x.z == 6 and x.kind == "poly"]
    assert len(arrows) == 2, "the arrow between the positions, and the turn's arrow"


def test_hip_marching_lifts_one_knee_with_the_other_foot_down():
    p = pts("seated_hip_marching")
    assert p["near_knee"][1] > p["hip"][1] + 0.15 and p["near_foot"][1] > 0.15
    assert _on_floor(p, "far")


def test_sit_to_stand_goes_from_sitting_to_standing_over_the_same_feet():
    start, end = pts("sit_to_stand", "start"), pts("sit_to_stand", "end")
    assert start["shoulder"][0] > start["hip"][0] + 0.1, "leaning forward to stand"
    assert end["hip"][1] > start["hip"][1] + 0.35 and end["head"][1] > 1.4, "standing tall"
    back, front, _ = chair_seat(end)
    assert front < end["near_foot"][0] < front + 0.2, "the chair just behind the legs"


def test_seated_knee_to_chest_draws_one_knee_up_with_the_back_straight():
    p = pts("seated_knee_to_chest")
    assert p["near_knee"][1] > p["hip"][1] + 0.25 and _on_floor(p, "far")
    assert abs(angle(p["hip"], p["shoulder"]) - 90) < 10, "back straight, not curled forward"
    assert np.linalg.norm(p["near_hand"] - p["near_knee"]) < 0.2, "hands holding the thigh"


def test_seated_hamstring_stretch_has_a_straight_leg_and_leans_forward():
    start, end = pts("seated_hamstring_stretch", "start"), pts("seated_hamstring_stretch", "end")
    for p in (start, end):
        assert angle(p["hip"], p["near_knee"]) == pytest.approx(
            angle(p["near_knee"], p["near_foot"])), "the leg is straight"
        assert _on_floor(p, "near") and p["near_foot"][0] > p["far_foot"][0] + 0.2, "heel down ahead"
    assert angle(start["hip"], start["shoulder"]) > 80
    assert angle(end["hip"], end["shoulder"]) < 65, "leaning forward from the hips"


def test_seated_forward_bend_folds_the_trunk_with_arms_hanging():
    start, end = pts("seated_forward_bend", "start"), pts("seated_forward_bend", "end")
    assert end["shoulder"][1] < start["shoulder"][1] - 0.2 and end["shoulder"][0] > end["hip"][0] + 0.3
    assert end["head"][1] < end["shoulder"][1], "head down"
    assert end["near_hand"][1] < 0.3, "arms hanging towards the floor"


def test_seated_pelvic_tilt_rounds_then_arches_the_lower_back():
    start, end = pts("seated_pelvic_tilt", "start"), pts("seated_pelvic_tilt", "end")
    mid = lambda p: (p["hip"] + p["shoulder"]) / 2  # noqa: E731
    assert start["spine"][0] < mid(start)[0] - 0.05, "slumped: the back bows out behind"
    assert end["spine"][0] > mid(end)[0] + 0.02, "sitting tall: the lower back curves in"


# --- the movement fits its page; nothing is cut off --------------------------

_NUMBER = r"-?\d+(?:\.\d+)?"


def svg_extent(svg: str) -> tuple[float, float, float, float]:
    """What an SVG's polygons, polylines (with half their stroke) and circles cover."""
    xs, ys = [], []
    for kind, attrs in re.findall(r"<(polygon|polyline|circle)([^>]*)>", svg):
        if kind == "circle":
            cx, cy, r = (float(re.search(rf'{k}="({_NUMBER})"', attrs)[1]) for k in ("cx", "cy", "r"))
            xs += [cx - r, cx + r]
            ys += [cy - r, cy + r]
            continue
        pad = float(re.search(rf'stroke-width="({_NUMBER})"', attrs)[1]) / 2 \
            if kind == "polyline" else 0.0
        pts = np.array([float(v) for v in re.findall(_NUMBER, re.search(r'points="([^"]*)"',
                                                                           attrs)[1])])
        xs += [pts[0::2].min() - pad, pts[0::2].max() + pad]
        ys += [pts[1::2].min() - pad, pts[1::2].max() + pad]
    return min(xs), min(ys), max(xs), max(ys)


def view_box(svg: str) -> tuple[float, float, float, float]:
    x, y, w, h = (float(v) for v in re.search(r'viewBox="([^"]+)"', svg)[1].split())
    return x, y, x + w, y + h


def _inside(extent, box, what: str) -> None:
    x0, y0, x1, y1 = extent
    bx0, by0, bx1, by1 = box
    assert bx0 <= x0 and by0 <= y0 and x1 <= bx1 and y1 <= by1, (
        f"{what}: drawn over {x0:.3f},{y0:.3f} to {x1:.3f},{y1:.3f}, outside its viewBox "
        f"{bx0:g},{by0:g} to {bx1:g},{by1:g}")


@pytest.mark.parametrize("ex_id", sorted(set(POSES["exercise"])))
def test_the_movement_fits_its_container_and_every_frame_its_view_box(ex_id):
    """At 1366 x 768 the explorer's movement must fit below its heading: it scales
    to its container's width, no taller than min(60vh, 460px), and no frame of it
    (the squat's feet, the cobra's hands) falls outside its viewBox."""
    movie = animation_html(ex_id, lib=LIB, frames=16)
    (root,) = re.findall(r"<svg[^>]*>", movie)
    box = view_box(root)
    assert 'preserveAspectRatio="xMidYMid meet"' in root
    style = re.search(r'style="([^"]*)"', root)[1].replace(" ", "")
    assert "width:100%" in style and "height:auto" in style and "max-width:100%" in style
    assert "max-height:min(60vh,460px)" in style, "fits a 768 px screen below its heading"
    for attr in ("width", "height"):  # no fixed size, or none larger than 480 px
        fixed = re.search(rf'\s{attr}="({_NUMBER})(px)?"', root)
        assert not fixed or float(fixed[1]) <= 480, f"a fixed {attr} of {fixed[1]} px"
    frames = re.findall(r'<g class="bg-f bg-f\d+">(.*?)</g>', movie, flags=re.S)
    assert len(frames) >= 16
    for i, frame in enumerate(frames):
        _inside(svg_extent(frame), box, f"{ex_id} frame {i}")
    _inside(svg_extent(movie[:movie.index('<g class="bg-f')]), box, f"{ex_id}: the floor and props")


@pytest.mark.parametrize("ex_id", sorted(set(POSES["exercise"])))
def test_every_picture_holds_everything_it_draws(ex_id):
    """The start's ghost behind the end (the cobra's forearms, the knees of double
    knee to chest) and the props (the bike's back wheel) were cut off at the edge."""
    for svg in (picture_svg(ex_id, lib=LIB), picture_svg(ex_id, lib=LIB, dose=None, title=True)):
        _inside(svg_extent(svg), view_box(svg), ex_id)


def _crosses_box(a, b, box) -> bool:
    """Whether the segment from ``a`` to ``b`` enters the box ``(x0, y0, x1, y1)``
    (Liang-Barsky)."""
    (x0, y0, x1, y1), d = box, b - a
    lo, hi = 0.0, 1.0
    for p_, q in ((-d[0], a[0] - x0), (d[0], x1 - a[0]), (-d[1], a[1] - y0), (d[1], y1 - a[1])):
        if p_ == 0:
            if q < 0:
                return False
        else:
            t = q / p_
            lo, hi = (max(lo, t), hi) if p_ < 0 else (lo, min(hi, t))
    return lo <= hi


def _in_seat(body, seat) -> list[str]:
    """The shapes of ``body`` that reach into the box ``seat``."""
    out = []
    for x in body:
        if x.kind == "circle":
            cx, cy, r = x.xy
            nx, ny = np.clip(cx, seat[0], seat[2]), np.clip(cy, seat[1], seat[3])
            if math.hypot(cx - nx, cy - ny) < r:
                out.append(f"a circle at {cx:.2f},{cy:.2f}")
        elif x.kind == "poly":
            ring = np.vstack([x.xy, x.xy[:1]])
            if any(_crosses_box(a, b, seat) for a, b in zip(ring, ring[1:])):
                out.append(f"a shape over {x.xy[:, 0].min():.2f} to {x.xy[:, 0].max():.2f}")
    return out


def test_standing_up_from_a_chair_stands_in_front_of_it_not_through_its_seat():
    """The chair stays put and so do the feet: the standing end of sit to stand is
    in front of the seat, in the movement (it was drawn through the seat, the
    figure pinned by its hips while the chair stayed) and in the picture."""
    still, frames, _ = movement_shapes("sit_to_stand", lib=LIB, frames=16)
    (seat,) = [x.xy for x in still if x.kind == "poly" and x.fill == PROP_COLORS["chair"]]
    box = (*seat.min(axis=0), *seat.max(axis=0))
    standing = frames[len(frames) // 2]  # there and back: the end is half way
    assert not _in_seat(standing, box), "the standing figure crosses the seat"
    for i, body in enumerate(frames):  # and nothing goes under the seat on the way
        low = [x for x in _in_seat(body, box)
               if "circle" not in x]  # the seated buttocks rest on the seat, as drawn
        assert not low or i in (0, len(frames) - 1) or i < 3 or i > len(frames) - 4, (i, low)
    shapes, _ = picture_shapes("sit_to_stand", lib=LIB)
    seats = sorted((x.xy for x in shapes if x.kind == "poly" and x.fill == PROP_COLORS["chair"]),
                   key=lambda xy: xy[0, 0])
    end_box = (*seats[-1].min(axis=0), *seats[-1].max(axis=0))
    solid = [x for x in shapes if x.alpha == 1 and x.fill in (NEAR, FAR, MOVING, MOVING_FAR)
             and x.z < 6 and x.xy[0].min() > end_box[0] - 0.1]
    assert solid and not _in_seat(solid, end_box), "the standing end is clear of its seat"


def _waistbands(shapes) -> list[float]:
    """The angles, in degrees, of the waistbands drawn (white lines across a pelvis)."""
    out = []
    for x in shapes:
        if x.kind == "line" and x.stroke == "#FFFFFF" and x.z == pytest.approx(3.1) \
                and x.alpha > 0.5:
            d = x.xy[1] - x.xy[0]
            out.append(math.degrees(math.atan2(d[1], d[0])) % 180)
    return out


@pytest.mark.parametrize("ex_id", ["pelvic_tilt", "seated_pelvic_tilt"])
def test_a_pelvic_tilt_shows_the_pelvis_rock(ex_id):
    """The two positions looked the same: now the pelvis is drawn (shaded, with a
    waistband across it) and its waistband tips at least 25 degrees between them."""
    shapes, _ = picture_shapes(ex_id, lib=LIB, dose="")
    bands = _waistbands(shapes)
    assert len(bands) == 2, "a waistband on each position (not on the ghost)"
    tip = abs((bands[1] - bands[0] + 90) % 180 - 90)
    assert tip >= 25, f"the pelvis rocks only {tip:.0f} deg"


def test_the_pelvic_tilt_arches_with_a_gap_under_the_lower_back():
    """Pressed flat, the lower back is on the floor; arched, there is a gap under it."""
    def gap(pose) -> float:
        """The highest the torso's underside gets over the small of the back."""
        row = POSES[(POSES["exercise"] == "pelvic_tilt") & (POSES["pose"] == pose)].iloc[0]
        p = pose_points(row)
        torso = max((x for x in figure_shapes(row, p) if x.kind == "poly" and x.z == 3
                     and x.fill != "#FFFFFF"), key=lambda x: np.ptp(x.xy[:, 0]))
        ring = np.vstack([torso.xy, torso.xy[:1]])
        heights = []
        for c in p["hip"][0] - np.linspace(0.06, 0.25, 12):  # the underside across x = c
            ys = [a[1] + (b[1] - a[1]) * (c - a[0]) / (b[0] - a[0])
                  for a, b in zip(ring, ring[1:]) if (a[0] - c) * (b[0] - c) <= 0 and a[0] != b[0]]
            heights.append(min(ys))
        return max(heights)

    assert gap("start") < 0.015, "pressed flat: on the floor"
    assert gap("end") > 0.05, "arched: a gap under the lower back"


def test_the_shoulder_squeeze_shows_palms_together_in_front_and_fingers_laced_behind():
    """The hands were dots hidden against the body: they are drawn as hands, in
    front of the hips and behind the back, clear of the torso, on an upright spine."""
    rows = POSES[POSES["exercise"] == "shoulder_squeeze"].sort_values("pose")
    assert [detail(r, "hands") for _, r in rows.iterrows()] == ["palms", "clasped"]
    for (_, row), ahead in zip(rows.iterrows(), (1, -1)):
        p = pose_points(row)
        assert abs(row["spine_curve"]) <= 5, "an upright spine, not hunched"
        body = figure_shapes(row, p)
        torso = max((x for x in body if x.kind == "poly" and x.z == 3),
                    key=lambda x: np.ptp(x.xy[:, 1]))
        hands = [x for x in body if x.kind == "poly" and x.z == pytest.approx(4.2)
                 and np.linalg.norm(x.xy.mean(axis=0) - p["near_hand"]) < 0.1]
        assert hands and max(np.ptp(x.xy, axis=0).max() for x in hands) >= 0.08, "a hand, not a dot"
        # How far out, in front (start) or behind (end): the hand's nearest edge, the torso's.
        hand = hands[0].xy[:, 0].min() if ahead > 0 else -hands[0].xy[:, 0].max()
        edge = torso.xy[:, 0].max() if ahead > 0 else -torso.xy[:, 0].min()
        assert hand > edge + 0.05, "clear of the torso, in front or behind"
