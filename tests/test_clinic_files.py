"""A clinic's library files load exactly what they say, or are refused naming the file,
line and column; a file with many problems is summarised so that it can be fixed (#22)."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from functools import cache
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

import backguide as bg
from backguide.handout import handout_pdf
from backguide.pictures import draw_exercise, picture_png

from conftest import DATA, TableCopy

EXERCISE_HEADER = next(csv.reader(io.StringIO((DATA / "exercises.csv").read_text())))


def copy_of(folder: Path, name: str) -> TableCopy:
    """``name`` in ``folder`` beside copies of all the shipped tables, poses too."""
    shutil.copy(DATA / "poses.csv", folder / "poses.csv")
    return TableCopy(folder, name)


def refusal(load) -> bg.BackguideError:
    with pytest.raises(bg.BackguideError) as excinfo:
        load()
    return excinfo.value


# --- errors that fix a file -----------------------------------------------------------------

def test_many_problems_are_summarised_by_column_and_bad_value(tmp_path):
    copy = copy_of(tmp_path, "exercises.csv")
    for row in range(20):  # lines 2-21
        copy.set(row, "category", "cardio" if row < 15 else "plyometrics")
    for row in range(30):  # lines 2-31
        copy.set(row, "difficulty", "beginner")
    copy.save()
    err = refusal(lambda: bg.load_library(tmp_path))
    assert len(err.problems) == 50
    assert (EXERCISE_HEADER.index("category"), EXERCISE_HEADER.index("difficulty")) == (3, 8)
    assert str(err).splitlines() == [
        f"{copy.path}: 50 problems, by column (each bad value found, how often and on which "
        "lines):",
        "column D (category): 20 problems, expected one of: mobility, stretch, strength, "
        "aerobic, mind-body:",
        "  'cardio', 15 times on lines 2, 3, 4, 5, 6 and 10 more",
        "  'plyometrics', 5 times on lines 17, 18, 19, 20, 21",
        "column I (difficulty): 30 problems, expected one of: easy, moderate, hard:",
        "  'beginner', 30 times on lines 2, 3, 4, 5, 6 and 25 more",
    ]


def test_a_column_of_many_bad_values_names_the_most_found_and_counts_the_rest(tmp_path):
    copy = copy_of(tmp_path, "exercises.csv")
    for row in range(15):  # lines 2-16: place0 ... place14
        copy.set(row, "position", f"place{row}")
    for row in (15, 16):  # lines 17, 18: place0 twice more
        copy.set(row, "position", "place0")
    copy.save()
    err = refusal(lambda: bg.load_exercises(copy.path))
    lines = str(err).splitlines()
    assert lines[1].startswith("column G (position): 17 problems, expected one of: lying on back")
    assert lines[2:] == (["  'place0', 3 times on lines 2, 17, 18"]
                         + [f"  'place{k}', once on line {k + 2}" for k in range(1, 12)]
                         + ["  and 3 other values, 3 times on lines 14, 15, 16"])
    every = err.summary(values=None).splitlines()
    assert every[-3:] == [f"  'place{k}', once on line {k + 2}" for k in (12, 13, 14)]


def test_a_few_problems_are_a_sentence_each(tmp_path):
    copy = copy_of(tmp_path, "exercises.csv")
    copy.set(0, "category", "cardio")
    copy.set(1, "difficulty", "beginner")
    copy.save()
    err = refusal(lambda: bg.load_exercises(copy.path))
    assert str(err).splitlines() == [
        f"{copy.path}, line 2, column D (category): found 'cardio', expected one of: mobility, "
        "stretch, strength, aerobic, mind-body.",
        f"{copy.path}, line 3, column I (difficulty): found 'beginner', expected one of: easy, "
        "moderate, hard."]


# (the table, its column, a missing id, the other table as the message names it)
LINKS = [
    ("exercises.csv", "sources", "hearsay", "the sources table (sources.csv beside exercises.csv)"),
    ("exercises.csv", "harder", "levitation", "the exercises table (this file's id column)"),
    ("doses.csv", "source", "gossip", "the sources table (sources.csv beside doses.csv)"),
    ("doses.csv", "exercise", "moonwalk", "the exercises table (exercises.csv beside doses.csv)"),
    ("poses.csv", "exercise", "moonwalk", "the exercises table (exercises.csv beside poses.csv)"),
]


@pytest.mark.parametrize("name, column, value, table", LINKS, ids=lambda c: str(c)[:12])
def test_a_missing_id_names_the_table_and_file_it_was_looked_for_in(tmp_path, name, column,
                                                                    value, table):
    copy = copy_of(tmp_path, name)
    line = copy.set(3, column, value)
    copy.save()
    err = refusal(lambda: bg.load_library(tmp_path))
    assert str(err) == (f"{copy.path}, line {line}, column "
                        f"{'ABCDEFGHIJKLMNOPQRSTUV'[copy.header.index(column)]} ({column}): "
                        f"found '{value}', expected an id from {table}.")


def test_without_sources_beside_it_the_message_names_the_shipped_ones(tmp_path):
    copy = copy_of(tmp_path, "exercises.csv")
    (tmp_path / "sources.csv").unlink()
    copy.set(3, "sources", "hearsay")
    copy.save()
    for load in (lambda: bg.load_library(tmp_path), lambda: bg.load_exercises(copy.path)):
        (problem,) = refusal(load).problems
        assert problem.expected == ("an id from the sources table (the shipped sources.csv, as "
                                    "there is no sources.csv beside exercises.csv)")


def test_doses_checked_against_the_shipped_exercises_say_so(tmp_path):
    copy = copy_of(tmp_path, "doses.csv")
    copy.set(3, "exercise", "moonwalk")
    copy.save()
    (problem,) = refusal(lambda: bg.load_doses(copy.path)).problems
    assert problem.expected == "an id from the exercises table (the shipped exercises.csv)"
    some = bg.load_exercises().drop(index="glute_bridge")
    (problem,) = refusal(lambda: bg.load_doses(copy.path, exercises=some)).problems[:1]
    assert problem.expected == "an id from the exercises table (the exercises table given)"


# --- a repeated or conflicting row ----------------------------------------------------------

# (table, the data row repeated, a change to the repeat or None, the column named, what is said)
REPEATS = [
    ("poses.csv", 0, None, "pose", "one row for each exercise and pose: line 2 already has "
     "exercise 'pelvic_tilt', pose 'start'; this row repeats it: delete one"),
    ("poses.csv", 0, ("trunk", "170"), "pose", "one row for each exercise and pose: line 2 "
     "already has exercise 'pelvic_tilt', pose 'start'; this row differs in trunk: keep the "
     "one that is right"),
    ("doses.csv", 0, None, "heading", "one row for each source, exercise and heading: line 2 "
     "already has source 'myspine', exercise 'glute_bridge', heading 'Stretching (exercise "
     "heading lost)'; this row repeats it: delete one"),
    ("doses.csv", 0, ("reps", "8-12"), "heading", "one row for each source, exercise and "
     "heading: line 2 already has source 'myspine', exercise 'glute_bridge', heading "
     "'Stretching (exercise heading lost)'; this row differs in reps: keep the one that is "
     "right"),
]


@pytest.mark.parametrize("name, row, change, column, expected", REPEATS,
                         ids=lambda c: str(c)[:14])
def test_a_second_row_for_the_same_thing_is_refused(tmp_path, name, row, change, column,
                                                    expected):
    copy = copy_of(tmp_path, name)
    copy.rows.insert(6, list(copy.rows[row + 1]))  # as line 7
    if change:
        copy.set(5, *change)
    copy.save()
    (problem,) = refusal(lambda: bg.load_library(tmp_path)).problems
    assert (problem.path, problem.line, problem.column) == (str(copy.path), 7, column)
    assert problem.column_number == copy.header.index(column) + 1
    assert problem.expected == expected


def test_one_article_may_give_an_exercise_two_doses_under_two_headings(tmp_path):
    copy = copy_of(tmp_path, "doses.csv")
    copy.rows.append(list(copy.rows[1]))
    copy.set(len(copy.rows) - 2, "heading", "Stretching (a second section)")
    copy.save()
    doses = bg.load_library(tmp_path).doses
    mine = doses[(doses["source"] == "myspine") & (doses["exercise"] == "glute_bridge")]
    assert list(mine["heading"]) == ["Stretching (exercise heading lost)",
                                     "Stretching (a second section)"]


# --- a stray quote ---------------------------------------------------------------------------

def _with_quote(text: str, line: int, column: int) -> str:
    """``text`` with a '"' put at the start of the cell ``column`` (0-based) of ``line``."""
    lines = text.splitlines(keepends=True)
    s, starts, quoted = lines[line - 1], [0], False
    for i, c in enumerate(s):
        if c == '"':
            quoted = not quoted
        elif c == "," and not quoted:
            starts.append(i + 1)
    at = starts[column]
    lines[line - 1] = s[:at] + '"' + s[at:]
    return "".join(lines)


def test_a_stray_quote_before_a_label_no_longer_swallows_the_next_row(tmp_path):
    """The issue's case: seated_pelvic_tilt's start label opened with '"' loaded 78 of
    79 rows, its end position lost inside the label."""
    copy = copy_of(tmp_path, "poses.csv")
    line = copy.find("exercise", "seated_pelvic_tilt") + 2
    label = copy.header.index("label")
    copy.path.write_text(_with_quote((DATA / "poses.csv").read_text(), line, label))
    (problem,) = refusal(lambda: bg.load_library(tmp_path)).problems
    assert (problem.line, problem.column, problem.column_number) == (line, "label", 20)
    assert problem.value == '"Slumped: pelvis rolled back'
    assert problem.expected == (f"a cell that ends on line {line}: it opens with '\"' and no "
                                "'\"' closes it there, so it runs on to the end of the file; "
                                "remove the stray '\"'")


@pytest.mark.parametrize("name", ["poses.csv", "doses.csv"])
def test_a_stray_quote_at_the_start_of_any_cell_is_refused_at_that_cell(tmp_path, name):
    shipped = (DATA / name).read_text()
    rows = list(csv.reader(io.StringIO(shipped)))
    raw = shipped.splitlines()
    exercises, sources = _shipped()
    path = tmp_path / name
    tried = 0
    for line in range(2, len(rows) + 1):
        for column in range(len(rows[0])):
            text = _with_quote(shipped, line, column)
            if text.splitlines()[line - 1].count('"') % 2 == 0:
                continue  # the quote closed a cell already quoted: another file, not a stray
            path.write_text(text)
            tried += 1
            with pytest.raises(bg.BackguideError) as excinfo:
                if name == "poses.csv":
                    bg.load_poses(path, exercises=exercises)
                else:
                    bg.load_doses(path, exercises=exercises, sources=sources)
            problem = excinfo.value.problems[0]
            assert (problem.line, problem.column) == (line, rows[0][column]), raw[line - 1]
            assert problem.value.startswith('"')
    assert tried > 500


# --- a file cut short ------------------------------------------------------------------------

@cache
def _shipped() -> tuple:
    return bg.load_exercises(), bg.load_sources()


def _doses(path) -> object:
    exercises, sources = _shipped()
    return bg.load_doses(path, exercises=exercises, sources=sources)


def test_a_doses_file_cut_off_mid_cell_is_refused(tmp_path):
    """The issue's case: cut in the first row's evidence, it loaded one row of 49."""
    text = (DATA / "doses.csv").read_text()
    path = tmp_path / "doses.csv"
    path.write_text(text[: text.index("Do this 5 to 10 times") + len("Do this 5 to")])
    (problem,) = refusal(lambda: _doses(path)).problems
    assert (problem.line, problem.column, problem.column_number) == (2, "evidence", 12)
    assert problem.value == "Do this 5 to"
    assert problem.expected == ("a line break after the last row: the file stops in this cell "
                                "without one, as a file cut short does; if the row is whole, "
                                "end the file with a line break")


def test_a_doses_file_cut_inside_a_quoted_cell_is_refused(tmp_path):
    text = (DATA / "doses.csv").read_text()
    path = tmp_path / "doses.csv"
    path.write_text(text[: text.index('"Breathe in as') + len('"Breathe in as')])
    (problem,) = refusal(lambda: _doses(path)).problems
    assert (problem.line, problem.column, problem.value) == (3, "dose_note", '"Breathe in as')
    assert problem.expected.startswith("a closing '\"'")


def test_a_doses_file_cut_anywhere_loads_only_its_whole_rows(tmp_path):
    text = (DATA / "doses.csv").read_text()
    whole = _doses(DATA / "doses.csv")
    ends = [i + 1 for i, c in enumerate(text) if c == "\n"]
    near = set(range(ends[0], ends[3])) | set(range(ends[-3], len(text)))
    path = tmp_path / "doses.csv"
    loaded = refused = 0
    for cut in sorted(near | set(range(ends[0], len(text), 7))):
        path.write_text(text[:cut])
        try:
            got = _doses(path)
        except bg.BackguideError:
            refused += 1
            continue
        loaded += 1
        assert got.equals(whole.iloc[: len(got)]), f"cut at {cut}: {text[cut - 20:cut]!r}"
        assert text[:cut].endswith(("\n", '"')), "only at a row's end"
    assert loaded > 0 and refused > 1000


def test_a_whole_file_without_its_last_line_break_needs_one_unless_its_last_cell_is_quoted(
        tmp_path):
    """A last row without a line break after it cannot be told from a file cut short (a
    Google Sheets download has none): it is refused, saying so, unless its last cell is
    quoted, whose closing quote shows it whole."""
    rows = list(csv.reader(io.StringIO((DATA / "doses.csv").read_text())))
    rows = [rows[0], *rows[2:], rows[1]]  # glute_bridge's row, unquoted evidence, last
    whole = _doses(DATA / "doses.csv")
    moved = pd.concat([whole.iloc[1:], whole.iloc[:1]]).reset_index(drop=True)
    path = tmp_path / "doses.csv"
    for quoting in (csv.QUOTE_MINIMAL, csv.QUOTE_ALL):
        buf = io.StringIO()
        csv.writer(buf, quoting=quoting, lineterminator="\r\n").writerows(rows)
        path.write_text(buf.getvalue().removesuffix("\r\n"), newline="")
        if quoting == csv.QUOTE_ALL:
            assert _doses(path).equals(moved)
            continue
        (problem,) = refusal(lambda: _doses(path)).problems
        assert (problem.line, problem.column) == (50, "evidence")
        assert problem.value == "Do this 5 to 10 times"
        assert "if the row is whole, end the file with a line break" in problem.expected


# --- text with $ ----------------------------------------------------------------------------

@pytest.fixture
def dollar_library(tmp_path) -> bg.Library:
    """cat_cow named 'Cat $x^{$ cow' (and so labelled at its start); pelvic_tilt's start
    labelled 'Cost $5 and $6'."""
    poses = copy_of(tmp_path, "poses.csv")
    ex = TableCopy(tmp_path, "exercises.csv")
    ex.set(ex.find("id", "cat_cow"), "name", "Cat $x^{$ cow")
    poses.set(poses.find("exercise", "cat_cow"), "label", "Cat $x^{$ cow")
    poses.set(poses.find("exercise", "pelvic_tilt"), "label", "Cost $5 and $6")
    ex.save()
    poses.save()
    return bg.load_library(tmp_path)


def _svg_text(ax) -> str:
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        ax.figure.savefig(buf, format="svg")
    return buf.getvalue()


def test_dollar_signs_are_drawn_as_typed_in_the_pictures(dollar_library, artifacts):
    for ex_id, shown in (("cat_cow", "Cat $x^{$ cow"), ("pelvic_tilt", "Cost $5 and $6")):
        svg = _svg_text(draw_exercise(ex_id, lib=dollar_library))
        assert svg.count(f">{shown}<") == (2 if ex_id == "cat_cow" else 1), ex_id
        png = picture_png(ex_id, lib=dollar_library)
        (artifacts / f"clinic_files_dollar_{ex_id}.png").write_bytes(png)


def test_dollar_signs_are_printed_as_typed_in_the_handout(dollar_library):
    plan = (bg.Plan().add("Monday", "cat_cow", lib=dollar_library)
            .add("Monday", "pelvic_tilt", lib=dollar_library))
    pdf = handout_pdf(plan, lib=dollar_library)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, check=True,
                          capture_output=True).stdout.decode("utf-8")
    flat = " ".join(text.split())
    assert flat.count("Cat $x^{$ cow") >= 3  # the heading, the picture's label, the log
    assert "Cost $5 and $6" in flat and "5and6" not in flat


# --- blank columns a spreadsheet adds ---------------------------------------------------------

def _padded(path: Path, blank: int, named: int = 0) -> Path:
    """``path``'s table with ``named`` named columns of blank cells, then ``blank``
    columns with no name and no values, as a spreadsheet saves them."""
    lines = path.read_text().splitlines()
    head = lines[0] + "".join(f",note{k}" for k in range(named)) + "," * blank
    lines = [head] + [line + "," * (named + blank) for line in lines[1:]]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("blank", [2, 16_384 - len(EXERCISE_HEADER)])
def test_blank_trailing_columns_are_left_out_however_many(tmp_path, library, blank):
    copy = copy_of(tmp_path, "exercises.csv")
    _padded(copy.path, blank)
    rows = list(csv.reader(copy.path.open(newline="")))
    assert {len(r) for r in rows} == {16_384 if blank > 2 else len(EXERCISE_HEADER) + 2}
    assert bg.load_library(tmp_path).exercises.equals(library.exercises)


def test_every_table_of_a_folder_may_have_blank_trailing_columns(tmp_path, library):
    copy_of(tmp_path, "exercises.csv")
    for name in ("sources.csv", "exercises.csv", "doses.csv", "guidance.csv", "poses.csv"):
        _padded(tmp_path / name, 3)
    lib = bg.load_library(tmp_path)
    for table in ("exercises", "sources", "doses", "guidance", "poses"):
        assert getattr(lib, table).equals(getattr(library, table)), table


def test_a_value_in_a_column_without_a_name_is_refused(tmp_path):
    copy = copy_of(tmp_path, "exercises.csv")
    _padded(copy.path, 3)
    text = copy.path.read_text().splitlines()
    text[4] = text[4][:-1] + "Check knee first,"  # line 5, the second blank column
    copy.path.write_text("\n".join(text) + "\n")
    (problem,) = refusal(lambda: bg.load_exercises(copy.path)).problems
    assert (problem.line, problem.column_number, problem.value) == (5, 24, "Check knee first")
    assert str(problem).startswith(f"{copy.path}, line 5, column X (no name): found 'Check "
                                   "knee first', expected nothing in a column without a name")


def test_thousands_of_named_columns_are_kept(tmp_path, library):
    copy = copy_of(tmp_path, "exercises.csv")
    _padded(copy.path, 5, named=3000)
    ex = bg.load_exercises(copy.path)
    assert [c for c in ex.columns if c.startswith("note")] == [f"note{k}" for k in range(3000)]
    assert (ex["note2999"] == "").all()
    assert ex[list(library.exercises.columns)].equals(library.exercises)
