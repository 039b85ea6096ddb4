"""The one place that knows the shape of backguide's tables.

Vocabularies, column kinds and dtypes are declared here once; the loader,
the validation, the filters, the widgets and the tests all read them from
this module.  A clinic that edits ``exercises.csv`` in a spreadsheet is held
to exactly these words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

#: Exercise categories, in the order a session usually runs them.
CATEGORIES = ("mobility", "stretch", "strength", "aerobic", "mind-body")

#: Muscle groups.  Primary and secondary muscles both come from this list.
MUSCLES = (
    "lower back",
    "abdominals",
    "glutes",
    "hips",
    "obliques",
    "upper back",
    "hip flexors",
    "hamstrings",
    "quadriceps",
    "calves",
    "shoulders",
    "chest",
    "arms",
)

#: The groups that hold up the spine: "Muscles in the low back, abdomen,
#: buttocks and hips" (freeback).  The guidance check looks for each of them.
SPINE_MUSCLES = ("lower back", "abdominals", "glutes", "hips")

#: Body positions, from the floor up.
POSITIONS = (
    "lying on back",
    "lying face down",
    "side-lying",
    "all fours",
    "kneeling",
    "half-kneeling",
    "mixed",
    "seated",
    "standing",
    "in water",
)

#: Where a person has to get to for each position: a person who cannot get
#: down to the floor filters on ``access`` to hide floor exercises.
ACCESS = ("floor", "chair", "standing", "water")
POSITION_ACCESS = {
    "lying on back": "floor",
    "lying face down": "floor",
    "side-lying": "floor",
    "all fours": "floor",
    "kneeling": "floor",
    "half-kneeling": "floor",
    "mixed": "floor",  # classes such as yoga include floor work
    "seated": "chair",
    "standing": "standing",
    "in water": "water",
}

#: Equipment an exercise needs.  "none" means nothing beyond the floor.
EQUIPMENT = ("none", "mat", "cushion", "chair", "pool", "bike")

DIFFICULTIES = ("easy", "moderate", "hard")

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

SOURCE_KINDS = ("article", "outside")

GUIDANCE_TOPICS = (
    "activity",
    "aerobic",
    "strength",
    "flexibility",
    "balance",
    "combination",
    "progression",
    "safety",
    "rest",
    "red_flag",
    "benefit",
    "general",
)

#: Guidance targets the planning core knows how to measure.  A guidance row
#: with a ``target`` names one of these; its min and max are the numbers.
TARGETS = (
    "aerobic_session_minutes",
    "aerobic_sessions_per_week",
    "aerobic_minutes_per_week",
    "strength_days_per_week",
    "stretch_days_per_week",
    "stretch_and_strength",
    "spine_muscle_groups",
    "progression_order",
    "stretch_hold_s",
    "stretch_seconds_per_exercise",
)

#: Dose fields, in the order people say them.  Each may be blank.
DOSE_FIELDS = ("sets", "reps", "hold_s", "rest_s", "minutes")


@dataclass(frozen=True)
class DoseLimit:
    """The believable range of one dose field: ``low`` to ``high`` ``unit``.

    ``words`` says what the field counts, for messages ("seconds held").
    """

    field: str
    low: float
    high: float
    unit: str
    words: str

    def allows(self, value: float) -> bool:
        """Whether ``value`` is within the range, ends included (NaN is not)."""
        return self.low <= value <= self.high

    @property
    def range(self) -> str:
        """The range in words: ``"0 to 200 repetitions"``."""
        return f"{self.low:g} to {self.high:g} {self.unit}"

    def expected(self, blank: str = "blank") -> str:
        """What a cell or field may hold: ``"a number from 0 to 20 (sets), or null"``."""
        return f"a number from {self.low:g} to {self.high:g} ({self.words}), or {blank}"

    def refusal(self, value: float) -> str:
        """The sentence refusing ``value``: ``"sets = 21 is outside 0 to 20, the
        allowed range of sets."``"""
        return (f"{self.field} = {value:g} is outside {self.low:g} to {self.high:g}, "
                f"the allowed range of {self.words}.")


#: The one table of dose limits: each dose field's lowest and highest
#: believable value; beyond them a dose is impossible.  Every reader takes its
#: numbers from here: the routine builder's dose boxes (their min and max),
#: :class:`backguide.Plan`, the plan files (checked on load and on save) and
#: the library tables (``exercises.csv``, ``doses.csv``, through the columns'
#: ``max`` below).  Read it as ``DOSE_LIMIT_TABLE["reps"].high``.
DOSE_LIMIT_TABLE: Mapping[str, DoseLimit] = MappingProxyType({d.field: d for d in (
    DoseLimit("sets", 0, 20, "sets", "sets"),
    DoseLimit("reps", 0, 200, "repetitions", "repetitions"),
    DoseLimit("hold_s", 0, 600, "seconds", "seconds held"),
    DoseLimit("rest_s", 0, 600, "seconds", "seconds of rest"),
    DoseLimit("minutes", 0, 600, "minutes", "minutes"),
)})
assert tuple(DOSE_LIMIT_TABLE) == DOSE_FIELDS

#: Each dose field's highest value, from :data:`DOSE_LIMIT_TABLE` (read-only):
#: for code that wants only the number.
DOSE_LIMITS: Mapping[str, float] = MappingProxyType(
    {f: d.high for f, d in DOSE_LIMIT_TABLE.items()})


@dataclass(frozen=True)
class Column:
    """One column of a CSV table.

    ``kind`` says how a cell is read:

    ``id``       a lower-case identifier (letters, digits, ``_``), never blank
    ``text``     free text
    ``choice``   one word of ``vocab``
    ``choices``  ``;``-separated words of ``vocab``
    ``names``    ``;``-separated free text
    ``ref``      one id of the ``ref`` table
    ``refs``     ``;``-separated ids of the ``ref`` table
    ``number``   a number of 0 or more
    ``range``    a number, or ``low-high``; read into ``<name>_min``/``<name>_max``
    ``angle``    degrees from -360 to 360
    ``fraction`` a number from 0 to 1
    ``flag``     ``yes``/``no`` (also ``true``/``false``, ``1``/``0``); blank is not given (None)
    ``steps``    ``|``-separated sentences

    ``max``, for ``number`` and ``range`` columns, is the largest value a
    cell may hold (both ends of a range); ``None`` means no limit.

    An ``optional`` column may be left out of a file (a clinic's table made
    before the column was added): it then reads as blank cells
    (:func:`backguide.loaders.read_file`), and the rules that need a value in
    it are not applied.  :func:`backguide.loaders.load_guidance` fills its
    optional columns from the shipped table for the rows the two share.
    """

    name: str
    kind: str
    vocab: tuple[str, ...] = ()
    required: bool = False
    ref: str = ""
    ordered: bool = False
    max: float | None = None
    optional: bool = False


@dataclass(frozen=True)
class Table:
    """A CSV table: its file name, its columns and its key column, if any."""

    name: str
    filename: str
    columns: tuple[Column, ...]
    key: str = ""
    #: (low, high) number columns where low may not exceed high.
    pairs: tuple[tuple[str, str], ...] = ()
    #: Columns that together say what a row is about, for a table without a key:
    #: no two rows may hold the same values in all of them (a repeated row, or two
    #: that disagree about one thing).
    unique: tuple[str, ...] = ()

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _dose_column(name: str, kind: str) -> Column:
    """A dose column of a library table, capped by :data:`DOSE_LIMIT_TABLE`.

    The table reader's ``number`` and ``range`` kinds start at 0, which is
    every dose field's ``low``.
    """
    limit = DOSE_LIMIT_TABLE[name]
    assert limit.low == 0, "a library table's numbers start at 0"
    return Column(name, kind, max=limit.high)


SOURCES = Table(
    "sources",
    "sources.csv",
    (
        Column("id", "id", required=True),
        Column("kind", "choice", SOURCE_KINDS, required=True),
        Column("title", "text", required=True),
        # A few words for a chart's label ("WHO 2020"); the title where blank.
        Column("short", "text", optional=True),
        Column("publisher", "text"),
        Column("author", "text"),
        Column("date", "text"),
        Column("file", "text"),
        Column("url", "text"),
    ),
    key="id",
)

EXERCISES = Table(
    "exercises",
    "exercises.csv",
    (
        Column("id", "id", required=True),
        Column("name", "text", required=True),
        Column("aliases", "names"),
        Column("category", "choice", CATEGORIES, required=True, ordered=True),
        # Blank where the source names none (or none the guide's groups hold).
        Column("primary_muscles", "choices", MUSCLES),
        Column("secondary_muscles", "choices", MUSCLES),
        # Blank where the source does not say (an imported library): unknown, not guessed.
        Column("position", "choice", POSITIONS, ordered=True),
        Column("equipment", "choices", EQUIPMENT),
        Column("difficulty", "choice", DIFFICULTIES, ordered=True),
        Column("difficulty_basis", "text"),
        _dose_column("sets", "number"),
        _dose_column("reps", "number"),
        _dose_column("hold_s", "number"),
        _dose_column("rest_s", "number"),
        Column("per_side", "flag"),
        _dose_column("minutes", "number"),
        Column("steps", "steps", required=True),
        Column("cautions", "steps"),
        Column("easier", "refs", ref="exercises"),
        Column("harder", "refs", ref="exercises"),
        Column("progression", "text"),
        Column("sources", "refs", ref="sources"),
        # The source's own words beside the guide's groups (an imported library):
        # "biceps" shown as biceps, counted under arms through primary_muscles.
        Column("primary_muscle_words", "names", optional=True),
        Column("secondary_muscle_words", "names", optional=True),
        Column("equipment_words", "names", optional=True),
        # Who may use the exercise's words and pictures, and whom to credit.
        Column("licence", "text", optional=True),
        Column("author", "text", optional=True),
    ),
    key="id",
)

#: Equipment kinds a library adds to :data:`EQUIPMENT` (``equipment.csv``
#: beside its ``exercises.csv``): a kettlebell, a barbell, a foam roll.
EQUIPMENT_KINDS = Table(
    "equipment",
    "equipment.csv",
    (
        Column("equipment", "text", required=True),
        Column("note", "text"),
    ),
    unique=("equipment",),
)

DOSES = Table(
    "doses",
    "doses.csv",
    (
        Column("source", "ref", ref="sources", required=True),
        Column("exercise", "ref", ref="exercises", required=True),
        Column("heading", "text"),
        _dose_column("sets", "range"),
        _dose_column("reps", "range"),
        _dose_column("hold_s", "range"),
        _dose_column("rest_s", "range"),
        Column("per_side", "flag"),
        _dose_column("minutes", "range"),
        Column("times_per_week", "range"),
        Column("dose_note", "text"),
        Column("evidence", "text", required=True),
    ),
    # An article may describe an exercise under two headings (cat_cow's cat and cow).
    unique=("source", "exercise", "heading"),
)

GUIDANCE = Table(
    "guidance",
    "guidance.csv",
    (
        Column("id", "id", required=True),
        Column("source", "ref", ref="sources", required=True),
        Column("topic", "choice", GUIDANCE_TOPICS, required=True),
        Column("statement", "text", required=True),
        Column("evidence", "text"),
        Column("target", "choice", TARGETS),
        Column("min", "number"),
        Column("max", "number"),
        Column("unit", "text"),
        # A warning sign's words and what to do about it, for red_flag rows only.
        Column("sign", "text", optional=True),
        Column("advice", "text", optional=True),
        # The rows that make the stop rule, numbered 1, 2, ... in reading order.
        Column("stop_rule", "number", optional=True),
    ),
    key="id",
    pairs=(("min", "max"),),
)

#: The ``topic`` of the guidance rows that are warning signs: they, and only
#: they, fill ``sign`` and ``advice``.
WARNING_SIGN_TOPIC = "red_flag"

#: Where a picture's pose sits in the movement, in order.
POSE_NAMES = ("start", "middle", "end")
#: What is drawn under or around the figure.
PROPS = ("none", "mat", "cushion", "chair", "water", "bike")
#: Which way the figure is seen: from the side (its near limbs solid, its far
#: ones light), or from the front, for movements made in front of the body
#: (a shoulder squeeze, an overhead reach, a side bend).
POSE_VIEWS = ("side", "front")
#: Segment angles of the figure, in degrees.  From the side: 0 points the way
#: the figure faces, 90 straight up.  From the front: 90 is straight up, 0 the
#: figure's left (the viewer's right); "near" limbs are its right ones, drawn
#: on the viewer's left.
POSE_ANGLES = ("trunk", "spine_curve", "head", "near_upper_arm", "near_forearm",
               "far_upper_arm", "far_forearm", "near_thigh", "near_shin", "far_thigh",
               "far_shin")

#: The hands a pose may show (``hands``): palms pressed together, or fingers interlaced.
POSE_HANDS = ("palms", "clasped")

POSES = Table(
    "poses",
    "poses.csv",
    (
        Column("exercise", "ref", ref="exercises", required=True),
        Column("pose", "choice", POSE_NAMES, required=True, ordered=True),
        Column("prop", "choice", PROPS),
        Column("view", "choice", POSE_VIEWS),
        Column("lift", "fraction"),
        *(Column(a, "angle", required=a not in ("spine_curve", "head")) for a in POSE_ANGLES),
        # What the angles cannot say: the pelvis's tilt, the chest's turn, the hands.
        Column("pelvis", "angle", optional=True),
        Column("twist", "angle", optional=True),
        Column("hands", "choice", POSE_HANDS, optional=True),
        Column("label", "text"),
    ),
    unique=("exercise", "pose"),
)

#: What a search term stands for (``search_terms.csv``'s ``kind``):
#:
#: ``muscle``, ``category``, ``position``, ``difficulty``
#:     the exercises that work one of the muscle groups in ``value`` (primary
#:     or secondary), or are of one of its categories, positions or
#:     difficulties (each from its vocabulary above);
#: ``outside``
#:     something the guide does not cover (sciatica, numbness, a fall): it
#:     finds no exercises, and ``value`` names the guidance that holds the
#:     advice, by id or by topic (``red_flag``: the warning signs);
#: ``filler``
#:     a word that says nothing about which exercise ("pain", "my", "the"):
#:     skipped between the words of a phrase, and never needed in a step.
TERM_KINDS = ("muscle", "category", "position", "difficulty", "outside", "filler")

#: The vocabulary each kind of search term maps to (``outside`` maps to the
#: guidance table, checked at load; ``filler`` to nothing).
TERM_VOCAB = {"muscle": MUSCLES, "category": CATEGORIES, "position": POSITIONS,
              "difficulty": DIFFICULTIES}

SEARCH_TERMS = Table(
    "search_terms",
    "search_terms.csv",
    (
        Column("term", "text", required=True),
        Column("kind", "choice", TERM_KINDS, required=True),
        Column("value", "names"),
        Column("note", "text"),
        Column("sources", "refs", ref="sources"),
    ),
)

TABLES = {t.name: t for t in (SOURCES, EXERCISES, DOSES, GUIDANCE, POSES, SEARCH_TERMS)}
