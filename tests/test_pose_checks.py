"""Every pose checked against its exercise's steps, and against a human body.

``data/pose_checks.csv`` writes down, beside the poses, what each exercise's
steps say about them, one check a row:

``exercise``  an exercise that has poses
``pose``      ``start``, ``middle`` or ``end``, or ``*`` for every pose of it
``check``     what must hold (below)
``parts``     ``;``-separated points of :func:`backguide.pictures.pose_points`:
              ``hip``, ``shoulder``, ``spine``, ``neck``, ``head``, ``pelvis``
              (the top of the pelvis, at the waist), and
              ``near_``/``far_`` ``hip``, ``shoulder``, ``elbow``, ``hand``,
              ``knee``, ``foot``
``surface``   ``floor``, ``cushion`` (a small cushion on the floor) or
              ``chair`` (its seat), for ``touches``, ``above`` and ``clear``;
              else blank
``note``      the few words of the step that say so

The checks, in body heights (a standing figure is about 1.65 tall):

``touches``   each part rests on the surface, within :data:`TOL`: a limb's
              joint on it, the bottom of the head on it, the torso's underside
              on it (the torso is drawn about :data:`TRUNK_DEPTH` deep either
              side of the spine, so lying down the spine is that much higher;
              on a chair the hip joint itself sits on the seat)
``above``     each part is clear of the surface: higher than ``touches`` allows
``still``     the parts keep their heights, and their places relative to the
              first of them, in every pose of the exercise (``pose`` = ``*``):
              the knee roll's head, shoulders and hips stay down and put
``level``     the parts are at one height, within :data:`LEVEL`
``line``      the parts lie on one straight line, within :data:`LINE`
``vertical``  the parts lie on one vertical line (hands under the shoulders),
              within :data:`VERTICAL`
``together``  each part is within :data:`TOGETHER` of the first (hands around
              a knee, feet together)
``ahead``     the parts run in order towards the picture's right, each at
              least :data:`STEP` past the one before: the way a standing figure
              faces (hips sent back behind the feet: ``hip;near_foot``)
``higher``    the parts rise in order, each at least :data:`STEP` higher
``apart``     each part is at least :data:`APART` from the first: seen so that
              they show apart (the two shoulders of a figure seen from the
              front, not one behind the other from the side)
``moves``     the opposite of ``still``: each part moves at least :data:`MOVE`
              against the first between the first pose and every other
              (``pose`` = ``*``): the shoulders turn against the hips
``turns``     the way from the first part to the second turns by at least
              :data:`TURN` degrees between the first pose and every other
              (``pose`` = ``*``): the pelvis rocks (``hip;pelvis``)
``clear``     the parts, with the body around them (:data:`TRUNK_DEPTH` about
              the torso's points, :data:`LIMB` about a limb's) and the limbs
              between consecutive parts, keep out of the chair: its backrest,
              and its seat unless the pose sits on it (``surface`` =
              ``chair``); the chair is where the pose's feet put it
              (:func:`backguide.pictures.chair_seat`), as in the picture and
              the movement

Besides these, every pose is checked against a human body with no data:
nothing below the floor, nothing floating above it or sunk into it, the head at
the end of the spine and clear of the torso, knees, elbows, hips and neck
within their range, and a pose with a chair sitting on its seat (unless a
check says its hips are ``above`` the chair: it has stood up).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

import backguide as bg
from backguide import schema
from backguide.pictures import CHAIR, INNER, LENGTH, WIDTH, chair_seat, pose_points


DATA = Path(__file__).resolve().parent.parent / "data"
CHECKS_FILE = DATA / "pose_checks.csv"
COLUMNS = ["exercise", "pose", "check", "parts", "surface", "note"]

LIB = bg.load_library()
POSES = LIB.poses

#: How near a part must be to a surface to rest on it, and the like.
TOL = 0.03
#: Half the depth of the torso seen from the side: a torso lying on the floor
#: has its hip-shoulder line this far up.
TRUNK_DEPTH = 0.085
#: The top of a small cushion under the head, above the floor.
CUSHION = 0.04
SURFACES = {"floor": 0.0, "cushion": CUSHION, "chair": CHAIR["seat"]}
LEVEL = 0.05
LINE = 0.05
#: Hands "under" the shoulders may sit up to about a hand's width off.
VERTICAL = 0.08
TOGETHER = 0.15
STEP = 0.02
#: How far a part may move and still be "still".
STILL = 0.03
#: How far a part must move to have "moved"; how far apart parts must be to show
#: apart; how far (degrees) a part must turn about another to have "turned".
MOVE = 0.04
APART = 0.2
TURN = 25.0
#: Half the thickness of a limb, for "clear" (a thigh is 0.045 to 0.06).
LIMB = 0.05

#: The fewest parts each check needs.
CHECKS = {"touches": 1, "above": 1, "still": 1, "level": 2, "line": 3, "vertical": 2,
          "together": 2, "ahead": 2, "higher": 2, "apart": 2, "moves": 2, "turns": 2,
          "clear": 1}
SURFACE_CHECKS = ("touches", "above")
#: The checks that compare every pose of an exercise with its first.
EVERY_POSE_CHECKS = ("still", "moves", "turns")

#: The ranges of a body's joints, in degrees, as seen from the side with the
#: figure facing the picture's right (0 = straight; flexion positive).
KNEE = (-5.0, 165.0)
ELBOW = (-5.0, 160.0)
HIP = (-40.0, 175.0)
NECK = (-75.0, 60.0)
SPINE_CURVE = 30.0
#: From the front a limb's bend is seen only in part: no more than these folds
#: either way, and a thigh no further than this out to the side.
FRONT_KNEE, FRONT_ELBOW, FRONT_HIP, FRONT_NECK = 165.0, 160.0, 90.0, 45.0

TRUNK_POINTS = ("hip", "shoulder", "spine", "neck", "near_hip", "far_hip", "near_shoulder",
                "far_shoulder")


POSE_ROWS = [row for _, row in POSES.iterrows()]
PARTS = sorted(pose_points(POSE_ROWS[0]))
POSES_OF = {ex: [str(r["pose"]) for r in POSE_ROWS if r["exercise"] == ex]
            for ex in dict.fromkeys(r["exercise"] for r in POSE_ROWS)}


def pose_row(exercise: str, pose: str):
    return next(r for r in POSE_ROWS if r["exercise"] == exercise and str(r["pose"]) == pose)


def cross(a, b) -> float:
    return float(a[0] * b[1] - a[1] * b[0])


def direction(a, b) -> float:
    """The angle, in degrees, of the way from point ``a`` to point ``b``."""
    return math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))


def wrap(deg: float) -> float:
    """An angle in [-180, 180)."""
    return (deg + 180.0) % 360.0 - 180.0


def is_front(row) -> bool:
    return row.get("view") == "front"


# --- the checks file ----------------------------------------------------------


@dataclass(frozen=True)
class Check:
    line: int
    exercise: str
    pose: str
    check: str
    parts: tuple[str, ...]
    surface: str
    note: str

    def where(self) -> str:
        return (f"{self.exercise} {self.pose}: {self.check} {';'.join(self.parts)}"
                f"{' on the ' + self.surface if self.surface else ''}"
                f" ('{self.note}', {CHECKS_FILE.name} line {self.line})")

    def poses(self) -> list[str]:
        return POSES_OF[self.exercise] if self.pose == "*" else [self.pose]


class ChecksFileError(ValueError):
    """A checks file that is not right: every problem, by file, line and column."""


def read_checks(path: Path = CHECKS_FILE) -> list[Check]:
    """The checks in ``path``, validated against the library's exercises and poses."""
    problems: list[str] = []

    def bad(line: int, column: str, message: str) -> None:
        problems.append(f"{path}, line {line}, column {column}: {message}")

    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if not rows or rows[0] != COLUMNS:
        raise ChecksFileError(f"{path}, line 1: the columns must be {','.join(COLUMNS)}, "
                              f"not {','.join(rows[0]) if rows else 'nothing'}")
    out = []
    for line, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(COLUMNS):
            bad(line, "exercise", f"{len(cells)} cells, not {len(COLUMNS)} (a comma in a "
                "note needs quotes)")
            continue
        ex, pose, check, parts_cell, surface, note = (c.strip() for c in cells)
        before = len(problems)
        if ex not in LIB.exercises.index:
            bad(line, "exercise", f"'{ex}' is not an exercise")
        elif ex not in POSES_OF:
            bad(line, "exercise", f"'{ex}' has no poses to check")
        if pose != "*" and pose not in schema.POSE_NAMES:
            bad(line, "pose", f"'{pose}' is not one of: {', '.join(schema.POSE_NAMES)}, *")
        elif pose != "*" and ex in POSES_OF and pose not in POSES_OF[ex]:
            bad(line, "pose", f"{ex} has no '{pose}' pose (it has: "
                f"{', '.join(POSES_OF[ex])})")
        if check not in CHECKS:
            bad(line, "check", f"'{check}' is not one of: {', '.join(CHECKS)}")
        elif check in EVERY_POSE_CHECKS and pose != "*":
            bad(line, "pose", f"a '{check}' check compares every pose: its pose must be *")
        elif check == "turns" and len(parts_cell.split(";")) != 2:
            bad(line, "parts", "'turns' takes two parts: the way from one to the other")
        parts = tuple(p.strip() for p in parts_cell.split(";") if p.strip())
        for p in parts:
            if p not in PARTS:
                bad(line, "parts", f"'{p}' is not a part of the figure (one of: "
                    f"{', '.join(PARTS)})")
        if len(set(parts)) != len(parts):
            bad(line, "parts", f"'{parts_cell}' names a part twice")
        if check in CHECKS and len(parts) < CHECKS[check]:
            bad(line, "parts", f"'{check}' needs at least {CHECKS[check]} parts, "
                f"not {len(parts)}")
        if check in SURFACE_CHECKS and surface not in SURFACES:
            bad(line, "surface", f"'{check}' needs a surface, one of: {', '.join(SURFACES)}"
                f"{'' if not surface else f' (not {surface!r})'}")
        elif check == "clear" and surface != "chair":
            bad(line, "surface", f"'clear' is of a chair: its surface must be chair"
                f"{'' if not surface else f' (not {surface!r})'}")
        elif check in CHECKS and check not in (*SURFACE_CHECKS, "clear") and surface:
            bad(line, "surface", f"'{check}' has no surface: leave it blank, not '{surface}'")
        if not note:
            bad(line, "note", "quote the words of the step that say so")
        if len(problems) == before:
            out.append(Check(line, ex, pose, check, parts, surface, note))
    if problems:
        raise ChecksFileError("\n".join(problems))
    return out


def _checks_or_none():
    try:
        return read_checks()
    except ChecksFileError:
        return None


CHECK_ROWS = _checks_or_none() or []


def test_the_checks_file_is_valid():
    try:
        read_checks()
    except ChecksFileError as e:
        pytest.fail(str(e), pytrace=False)


@pytest.mark.parametrize("column, value, expected", [
    ("exercise", "moonwalk", "'moonwalk' is not an exercise"),
    ("pose", "finish", "'finish' is not one of: start, middle, end, *"),
    ("pose", "middle", "knee_roll has no 'middle' pose"),
    ("check", "floats", "'floats' is not one of: touches"),
    ("parts", "shoulder;near_toe", "'near_toe' is not a part of the figure"),
    ("parts", "head;head", "names a part twice"),
    ("surface", "", "'touches' needs a surface, one of: floor, cushion, chair"),
    ("surface", "bed", "(not 'bed')"),
    ("note", "", "quote the words of the step"),
])
def test_a_bad_checks_file_names_its_file_line_and_column(tmp_path, column, value, expected):
    with CHECKS_FILE.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    i = next(i for i, r in enumerate(rows) if r[:3] == ["knee_roll", "*", "touches"])
    rows[i][COLUMNS.index(column)] = value
    path = tmp_path / "pose_checks.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    with pytest.raises(ChecksFileError) as excinfo:
        read_checks(path)
    message = str(excinfo.value)
    assert f"{path}, line {i + 1}, column {column}: " in message
    assert expected in message


def test_a_still_check_must_cover_every_pose_and_surfaces_go_with_touches(tmp_path):
    path = tmp_path / "pose_checks.csv"
    path.write_text(",".join(COLUMNS) + "\n"
                    "knee_roll,end,still,hip,,both shoulders stay on the floor\n"
                    "knee_roll,*,level,hip;shoulder,floor,both shoulders stay on the floor\n"
                    "knee_roll,*,line,hip;shoulder,,both shoulders stay on the floor\n",
                    encoding="utf-8")
    with pytest.raises(ChecksFileError) as excinfo:
        read_checks(path)
    lines = str(excinfo.value).splitlines()
    assert lines == [
        f"{path}, line 2, column pose: a 'still' check compares every pose: its pose must be *",
        f"{path}, line 3, column surface: 'level' has no surface: leave it blank, not 'floor'",
        f"{path}, line 4, column parts: 'line' needs at least 3 parts, not 2",
    ]


def test_every_exercise_with_poses_has_checks_and_every_pose_rests_somewhere():
    assert CHECK_ROWS, "the checks file reads (see test_the_checks_file_is_valid)"
    checked = {c.exercise for c in CHECK_ROWS}
    missing = [ex for ex in POSES_OF if ex not in checked]
    assert not missing, f"exercises with poses but no checks in {CHECKS_FILE.name}: {missing}"
    unpinned = [f"{ex} {pose}" for ex, poses in POSES_OF.items() for pose in poses
                if not any(c.exercise == ex and pose in c.poses()
                           and c.check in SURFACE_CHECKS for c in CHECK_ROWS)]
    assert not unpinned, ("poses with no 'touches' or 'above' check saying what they rest "
                          f"on: {unpinned}")


# --- each check against the poses ---------------------------------------------


def clearance(part: str, pts, row, surface: str = "floor") -> float:
    """How high the underside of ``part`` is above the floor.

    On a chair the hip joint itself sits on the seat (:data:`CHAIR` is made so).
    """
    y = float(pts[part][1])
    if part == "head":
        return y - LENGTH["head"]
    if part in TRUNK_POINTS and surface != "chair":
        # The torso is drawn across its spine's curve: at the hips across the
        # curve's start, at the chest across its end.
        if part.endswith("hip"):
            along = direction(pts["hip"], pts["spine"])
        elif part.endswith("shoulder") or part == "neck":
            along = direction(pts["spine"], pts["shoulder"])
        else:
            along = float(row["trunk"])
        lean = abs(math.cos(math.radians(along)))
        if not is_front(row):
            return y - TRUNK_DEPTH * lean
        # From the front each side's hip and shoulder is the body's edge (as is);
        # the middle ones are half a width in.
        if part in ("hip", "spine"):
            return y - WIDTH["hips"] / 2 * lean
        if part in ("shoulder", "neck"):
            return y - WIDTH["shoulders"] / 2 * lean
    return y


def _rests(part: str, gap: float, surface: str) -> bool:
    soft = part in TRUNK_POINTS or surface == "cushion"  # the torso's outline, the cushion
    return (-TOL if soft else -1e-9) <= gap <= TOL + 1e-9


def problems_of(c: Check) -> list[str]:
    """What is wrong with the poses for check ``c``, in words; empty if nothing."""
    out = []
    pts_of = {pose: pose_points(pose_row(c.exercise, pose)) for pose in c.poses()}
    if c.check in ("moves", "turns"):
        return _compared_with_the_first(c, pts_of)
    if c.check == "clear":
        return [f"{pose}: {problem}" for pose, pts in pts_of.items()
                for problem in chair_overlaps(c.parts, pts)]
    if c.check == "still":
        first_pose, first = next(iter(pts_of.items()))
        anchor = c.parts[0]
        for pose, pts in list(pts_of.items())[1:]:
            for part in c.parts:
                dy = pts[part][1] - first[part][1]
                dx = ((pts[part][0] - pts[anchor][0]) - (first[part][0] - first[anchor][0]))
                if abs(dy) > STILL:
                    out.append(f"{part} {'rises' if dy > 0 else 'drops'} {abs(dy):.2f} from "
                               f"{first_pose} to {pose}")
                elif abs(dx) > STILL:
                    out.append(f"{part} moves {abs(dx):.2f} sideways (against {anchor}) "
                               f"from {first_pose} to {pose}")
        return out
    for pose, pts in pts_of.items():
        row = pose_row(c.exercise, pose)
        p = {part: np.asarray(pts[part], float) for part in c.parts}
        if c.check in SURFACE_CHECKS:
            for part in c.parts:
                gap = clearance(part, pts, row, c.surface) - SURFACES[c.surface]
                if c.check == "touches" and not _rests(part, gap, c.surface):
                    out.append(f"{pose}: {part} is {abs(gap):.2f} "
                               f"{'above' if gap > 0 else 'below'} the {c.surface}")
                elif c.check == "above" and gap <= TOL:
                    out.append(f"{pose}: {part} is down on the {c.surface} "
                               f"({gap:.2f} above it)")
        elif c.check == "level":
            ys = {part: v[1] for part, v in p.items()}
            if max(ys.values()) - min(ys.values()) > LEVEL:
                out.append(f"{pose}: not level, heights "
                           + ", ".join(f"{k} {v:.2f}" for k, v in ys.items()))
        elif c.check == "line":
            a, b = p[c.parts[0]], p[c.parts[-1]]
            d = (b - a) / max(np.linalg.norm(b - a), 1e-9)
            for part in c.parts[1:-1]:
                off = abs(cross(d, p[part] - a))
                if off > LINE:
                    out.append(f"{pose}: {part} is {off:.2f} off the line from "
                               f"{c.parts[0]} to {c.parts[-1]}")
        elif c.check == "vertical":
            x0 = p[c.parts[0]][0]
            for part in c.parts[1:]:
                if abs(p[part][0] - x0) > VERTICAL:
                    out.append(f"{pose}: {part} is {p[part][0] - x0:+.2f} across from "
                               f"{c.parts[0]}, not under or over it")
        elif c.check == "together":
            for part in c.parts[1:]:
                dist = float(np.linalg.norm(p[part] - p[c.parts[0]]))
                if dist > TOGETHER:
                    out.append(f"{pose}: {part} is {dist:.2f} from {c.parts[0]}")
        elif c.check == "apart":
            for part in c.parts[1:]:
                dist = float(np.linalg.norm(p[part] - p[c.parts[0]]))
                if dist < APART:
                    out.append(f"{pose}: {part} is only {dist:.2f} from {c.parts[0]} "
                               "(drawn one over the other)")
        elif c.check in ("ahead", "higher"):
            axis, word = (0, "ahead of") if c.check == "ahead" else (1, "higher than")
            for before, after in zip(c.parts, c.parts[1:]):
                step = p[after][axis] - p[before][axis]
                if step < STEP:
                    out.append(f"{pose}: {after} is not {word} {before} ({step:+.2f})")
    return out


def _compared_with_the_first(c: Check, pts_of) -> list[str]:
    """What is wrong for ``moves`` and ``turns``: each pose against the first."""
    out = []
    (first_pose, first), *others = pts_of.items()
    anchor = c.parts[0]
    for pose, pts in others:
        if c.check == "turns":
            a, b = c.parts
            turn = abs(wrap(direction(pts[a], pts[b]) - direction(first[a], first[b])))
            if turn < TURN:
                out.append(f"the way from {a} to {b} turns only {turn:.0f} deg from "
                           f"{first_pose} to {pose} (at least {TURN:g})")
            continue
        for part in c.parts[1:]:
            moved = float(np.linalg.norm((pts[part] - pts[anchor])
                                         - (first[part] - first[anchor])))
            if moved < MOVE:
                out.append(f"{part} moves only {moved:.2f} against {anchor} from "
                           f"{first_pose} to {pose} (at least {MOVE:g})")
    return out


def _segment_distance(p, a, b) -> float:
    """How far point ``p`` is from the segment ``a``-``b``."""
    ab = b - a
    t = 0.0 if not ab.any() else float(np.clip((p - a) @ ab / (ab @ ab), 0, 1))
    return float(np.linalg.norm(p - (a + t * ab)))


def _segments_distance(a, b, c, d) -> float:
    """How far apart the segments ``a``-``b`` and ``c``-``d`` are (0 if they cross)."""
    def side(p, q, r):
        return cross(q - p, r - p)

    if (side(a, b, c) * side(a, b, d) < 0) and (side(c, d, a) * side(c, d, b) < 0):
        return 0.0
    return min(_segment_distance(a, c, d), _segment_distance(b, c, d),
               _segment_distance(c, a, b), _segment_distance(d, a, b))


#: The chair's seat board, below its top, and its backrest, as drawn
#: (backguide.pictures.layout.prop_shapes): the backrest's line, its top rail,
#: and half their thickness.
SEAT_BOARD = 0.035


def chair_parts(pts) -> dict[str, tuple[np.ndarray, np.ndarray, float]]:
    """The chair under a pose, as segments with half a thickness: the seat (its
    board, from back to front, as a thick line) unless the pose sits on it, and,
    from the side, the backrest."""
    back, front, top = chair_seat(pts)
    out = {}
    if pts["hip"][1] - top > TOL:  # sitting, the body rests on the seat, not in it
        out["seat"] = (np.array([back, top - SEAT_BOARD / 2]),
                       np.array([front, top - SEAT_BOARD / 2]), SEAT_BOARD / 2)
    if abs(float(pts["near_hip"][0] - pts["far_hip"][0])) < 1e-6:  # from the front: behind
        out["backrest"] = (np.array([back + 0.02, top]),
                           np.array([back - 0.03, top + CHAIR["back"]]), 0.015)
    return out


def chair_overlaps(parts, pts) -> list[str]:
    """Where the body at ``parts`` (and between consecutive ones) runs into the chair."""
    out = []
    bodies = []
    for part in parts:
        r = TRUNK_DEPTH if part in TRUNK_POINTS else LIMB
        bodies.append((part, pts[part], pts[part], r))
    for a, b in zip(parts, parts[1:]):
        r = TRUNK_DEPTH if a in TRUNK_POINTS and b in TRUNK_POINTS else LIMB
        bodies.append((f"{a} to {b}", pts[a], pts[b], r))
    for what, a, b, r in bodies:
        for name, (c, d, t) in chair_parts(pts).items():
            gap = _segments_distance(np.asarray(a, float), np.asarray(b, float), c, d) - r - t
            if gap < 0:
                out.append(f"{what} runs {-gap:.2f} into the chair's {name}")
    return out


@pytest.mark.parametrize("c", CHECK_ROWS,
                         ids=[f"{c.exercise}-{c.pose}-{c.check}-line{c.line}" for c in CHECK_ROWS])
def test_the_poses_do_what_the_steps_say(c: Check):
    wrong = problems_of(c)
    assert not wrong, c.where() + ": " + "; ".join(wrong)


# --- every pose against a human body ------------------------------------------


@pytest.fixture(params=POSE_ROWS, ids=[f"{r['exercise']}-{r['pose']}" for r in POSE_ROWS])
def row(request):
    return request.param


def name(row) -> str:
    return f"{row['exercise']} {row['pose']}"


def test_no_joint_goes_below_the_floor(row):
    pts = pose_points(row)
    low = {k: float(v[1]) for k, v in pts.items() if k not in INNER and v[1] < -1e-9}
    assert not low, f"{name(row)}: below the floor: {low}"
    head = pts["head"][1] - LENGTH["head"]
    assert head >= -1e-9, f"{name(row)}: the head goes {-head:.2f} through the floor"


def test_nothing_floats_above_the_floor_or_sinks_into_it(row):
    pts = pose_points(row)
    lift = 0.0 if math.isnan(row["lift"]) else float(row["lift"])
    lowest_joint = min([v[1] for k, v in pts.items() if k not in INNER]
                       + [pts["head"][1] - LENGTH["head"]])
    assert lowest_joint == pytest.approx(lift), f"{name(row)}: the lowest point is not at lift"
    under = {part: clearance(part, pts, row) for part in pts}
    low_part = min(under, key=under.get)
    assert under[low_part] >= -TOL, (f"{name(row)}: the {low_part} sinks "
                                     f"{-under[low_part]:.2f} into the floor")
    if row["prop"] in ("water", "bike"):
        return  # held up by the water or the bike
    assert under[low_part] <= TOL, (f"{name(row)}: floats {under[low_part]:.2f} above the "
                                    f"floor (lowest: {low_part}); only water or a bike holds "
                                    "a body up")


def test_the_head_is_at_the_end_of_the_spine_and_clear_of_the_torso(row):
    pts = pose_points(row)
    neck = pts["neck"] - pts["shoulder"]
    head = pts["head"] - pts["neck"]
    assert np.linalg.norm(neck) == pytest.approx(LENGTH["neck"]), f"{name(row)}: neck length"
    assert np.linalg.norm(head) == pytest.approx(LENGTH["head"]), f"{name(row)}: head"
    assert cross(neck, head) == pytest.approx(0, abs=1e-9) and neck @ head > 0, (
        f"{name(row)}: the head is not on the end of the neck")
    gap = float(np.linalg.norm(pts["head"] - pts["hip"]))
    assert gap >= 0.8 * LENGTH["trunk"], (f"{name(row)}: the head is inside the torso, only "
                                         f"{gap:.2f} from the hips")


def _angles(row) -> dict[str, float]:
    a = {k: float(row[k]) for k in schema.POSE_ANGLES}
    if math.isnan(a["head"]):
        a["head"] = a["trunk"]
    if math.isnan(a["spine_curve"]):
        a["spine_curve"] = 0.0
    return a


def test_knees_bend_only_forward_and_not_past_folding(row):
    a = _angles(row)
    for side in ("near", "far"):
        bend = wrap(a[f"{side}_thigh"] - a[f"{side}_shin"])
        if is_front(row):
            assert abs(bend) <= FRONT_KNEE, f"{name(row)}: {side} knee folded {bend:.0f} deg"
        else:
            assert KNEE[0] <= bend <= KNEE[1], (
                f"{name(row)}: the {side} knee bends {bend:.0f} deg (thigh {a[side + '_thigh']:g}"
                f", shin {a[side + '_shin']:g}); a knee bends {KNEE[0]:g} to {KNEE[1]:g}"
                f"{', backwards' if bend < 0 else ''}")


def test_elbows_bend_only_one_way_and_not_past_folding(row):
    """From the side an elbow bends the forearm round anticlockwise from the upper
    arm (sitting with hands on the thighs: upper arm 290, forearm 335)."""
    a = _angles(row)
    for side in ("near", "far"):
        bend = wrap(a[f"{side}_forearm"] - a[f"{side}_upper_arm"])
        if is_front(row):
            assert abs(bend) <= FRONT_ELBOW, f"{name(row)}: {side} elbow folded {bend:.0f} deg"
        else:
            assert ELBOW[0] <= bend <= ELBOW[1], (
                f"{name(row)}: the {side} elbow bends {bend:.0f} deg (upper arm "
                f"{a[side + '_upper_arm']:g}, forearm {a[side + '_forearm']:g}); an elbow "
                f"bends {ELBOW[0]:g} to {ELBOW[1]:g}{', backwards' if bend < 0 else ''}")


def test_hips_neck_and_spine_stay_in_range(row):
    """The hips and the neck bend from the ends of the spine, which its curve tilts:
    a cobra's arched back rises steeply at the chest but gently from the hips."""
    a = _angles(row)
    assert abs(a["spine_curve"]) <= SPINE_CURVE, f"{name(row)}: spine curved {a['spine_curve']}"
    pts = pose_points(row)
    bottom = direction(pts["hip"], pts["spine"])
    top = direction(pts["spine"], pts["shoulder"])
    for side in ("near", "far"):
        if is_front(row):
            out = wrap(a[f"{side}_thigh"] - (a["trunk"] + 180))
            assert abs(out) <= FRONT_HIP, f"{name(row)}: the {side} thigh is {out:.0f} deg out"
        else:
            flex = wrap(180 - (bottom - a[f"{side}_thigh"]))
            assert HIP[0] <= flex <= HIP[1], (
                f"{name(row)}: the {side} hip bends {flex:.0f} deg (trunk {bottom:.0f}, thigh "
                f"{a[side + '_thigh']:g}); a hip bends {HIP[0]:g} to {HIP[1]:g}")
    neck = wrap(a["head"] - (a["trunk"] if is_front(row) else top))
    lo, hi = (-FRONT_NECK, FRONT_NECK) if is_front(row) else NECK
    assert lo <= neck <= hi, f"{name(row)}: the neck bends {neck:.0f} deg ({lo:g} to {hi:g})"


def _stands_up_from_the_chair(row) -> bool:
    return any(c.exercise == row["exercise"] and str(row["pose"]) in c.poses()
               and c.check == "above" and c.surface == "chair" and "hip" in c.parts
               for c in CHECK_ROWS)


CHAIR_ROWS = [r for r in POSE_ROWS if r["prop"] == "chair"]


@pytest.mark.parametrize("row", CHAIR_ROWS,
                         ids=[f"{r['exercise']}-{r['pose']}" for r in CHAIR_ROWS])
def test_a_pose_with_a_chair_sits_on_its_seat(row):
    pts = pose_points(row)
    back, front, top = chair_seat(pts)
    gap = clearance("hip", pts, row, "chair") - top
    if _stands_up_from_the_chair(row):
        assert gap > TOL, f"{name(row)}: stands up, yet the hips are down on the seat"
        return
    assert _rests("hip", gap, "chair"), (f"{name(row)}: the hips are {gap:+.2f} off the seat "
                                         "(a check saying hip above chair would mean it stands)")
    assert back < pts["hip"][0] < front, f"{name(row)}: the hips are not over the seat"
