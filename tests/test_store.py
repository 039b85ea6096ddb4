"""The plan store: each plan name gets its own file, inside the folder, and lists back.

Each test guards a fault users met with the old naming (lowercase a-z0-9
joined by "_"): names overwriting each other, every non-Latin name saved as
``plan.json``, long names failing after the plan was renamed, and names used
as paths writing outside the folder.
"""

from __future__ import annotations

import os
import tempfile
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import backguide as bg
from backguide.store import (MAX_NAME, PlanExists, PlanStore, check_name, file_stem, label,
                             name_key)

ADA = ["Ada's week", "Ada s week", "ada-s-week"]
NO_LATIN = ["日本語の計画", ".", "..", "///"]
HOSTILE = ["../../../x", "/tmp/abs", "/", "<b>x</b>/y", "a\\b", "con", "..\\..\\x", "C:\\x",
           "~/x", "x.json", ".hidden", "NUL", "a/../../b", "-", "a:b"]


def _plan(name: str) -> bg.Plan:
    return bg.Plan(name=name).add("Monday", "cobra")


def _files(root: Path) -> set[Path]:
    """Every file and folder under ``root``."""
    return set(root.rglob("*"))


@pytest.fixture
def store(tmp_path) -> PlanStore:
    # Deep enough that "../../../x" resolved against the folder stays inside
    # tmp_path, where the tests look for strays.
    return PlanStore(tmp_path / "home" / "user" / "plans")


def _listed(store: PlanStore) -> list[str]:
    return store.list()["name"].tolist()


# --- one file per name ---------------------------------------------------------------

def test_ada_names_get_three_files_and_list_by_their_own_names(store):
    paths = [store.save(_plan(n)) for n in ADA]
    assert len(set(paths)) == 3
    assert sorted(p.name for p in store.folder.iterdir()) == sorted(p.name for p in paths)
    assert sorted(_listed(store)) == sorted(ADA)
    for key, name in zip(store.list()["key"], store.list()["name"]):
        assert store.load(key).name == name


def test_names_that_differ_only_in_case_and_spacing_are_one_plan(store):
    store.save(_plan("Ada's week"))
    assert store.path_for("ada's  WEEK ") == store.path_for("Ada's week")
    assert store.exists("ADA'S WEEK")
    assert store.saved_name("ada's  week") == "Ada's week"
    with pytest.raises(PlanExists):
        store.save(_plan("ada's  WEEK"))
    assert _listed(store) == ["Ada's week"]


def test_names_without_latin_letters_get_their_own_files(store):
    paths = [store.save(_plan(n)) for n in NO_LATIN]
    assert len(set(paths)) == len(NO_LATIN)
    assert all(p.parent == store.folder and p.is_file() for p in paths)
    assert "日本語の計画" in paths[0].name  # still readable in a file browser
    assert sorted(_listed(store)) == sorted(NO_LATIN)
    assert not (store.folder / "plan.json").exists()


@pytest.mark.parametrize("name", ["", " ", "   ", "\t\n"])
def test_blank_names_are_refused_and_nothing_is_written(tmp_path, name):
    store = PlanStore(tmp_path / "plans")
    with pytest.raises(bg.BackguideError, match="not blank"):
        store.save(_plan(name))
    assert _files(tmp_path) == set()


def test_a_300_character_name_is_refused_clearly_and_nothing_is_written(tmp_path):
    store = PlanStore(tmp_path / "plans")
    with pytest.raises(bg.BackguideError) as err:
        store.save(_plan("a" * 300))
    assert f"at most {MAX_NAME} characters; this one has 300" in str(err.value)
    assert "too long" not in str(err.value).lower()  # not the OS's error
    assert _files(tmp_path) == set()


@pytest.mark.parametrize("char", ["é", "日", "𝒜", "a"])
def test_a_200_character_name_of_wide_characters_saves(store, char):
    name = char * MAX_NAME
    path = store.save(_plan(name))
    assert len(path.name.encode("utf-8")) < 255
    assert len(path.stem.encode("utf-8")) <= 200
    assert store.load(path.stem).name == name
    assert _listed(store) == [name]


# --- nothing outside the folder ------------------------------------------------------

@pytest.mark.parametrize("name", HOSTILE)
def test_a_name_that_looks_like_a_path_saves_directly_in_the_folder(tmp_path, store,
                                                                    monkeypatch, name):
    monkeypatch.chdir(tmp_path)  # a name used as a relative path would land in tmp_path
    abs_before = Path("/tmp/abs").exists()
    siblings = set(tmp_path.parent.iterdir())
    store.folder.mkdir(parents=True)
    before = _files(tmp_path)

    path = store.save(_plan(name))

    assert _files(tmp_path) - before == {path}
    assert path.parent == store.folder and path.suffix == ".json"
    assert set(tmp_path.parent.iterdir()) == siblings
    assert Path("/tmp/abs").exists() == abs_before
    assert store.load(path.stem).name == name
    assert _listed(store) == [name]


def test_a_name_with_a_nul_is_refused_but_still_maps_inside_the_folder(tmp_path):
    store = PlanStore(tmp_path / "plans")
    path = store.path_for("a\0b")
    assert path.parent == store.folder and "\0" not in path.name
    with pytest.raises(bg.BackguideError, match="control character"):
        store.save(_plan("a\0b"))
    assert _files(tmp_path) == set()


@pytest.mark.parametrize("key", ["../x", "../plans/sub/p", "sub/p", "sub/../{stem}",
                                 "{folder}/{stem}", "a\\b", ".hidden", "", "..", "{stem}\0"])
def test_load_refuses_keys_that_are_not_plan_files_in_the_folder(tmp_path, key):
    store = PlanStore(tmp_path / "plans")
    stem = store.save(_plan("x")).stem
    # Real plan files at every place a bad key could reach, so only the refusal stops them.
    for place in [tmp_path / "x.json", store.folder / "sub" / "p.json",
                  store.folder / "a\\b.json", store.folder / ".hidden.json"]:
        place.parent.mkdir(exist_ok=True)
        bg.save_plan(_plan("not this one"), place)
    with pytest.raises(bg.BackguideError, match="key of a saved plan|inside the folder"):
        store.load(key.format(stem=stem, folder=store.folder))


@pytest.mark.parametrize("name", HOSTILE + ADA)
def test_output_paths_stay_inside_the_folder(store, name):
    pdf = store.output_path(name, ".pdf")
    assert pdf.parent == store.folder / "handouts"
    assert pdf.suffix == ".pdf" and pdf.stem == file_stem(name)
    base = store.output_path(name, "")
    # handout() adds .pdf and .html with with_suffix: nothing of the stem may be cut.
    assert base.with_suffix(".pdf") == pdf


@pytest.mark.parametrize("subfolder", ["../out", "/tmp", "a/../../b"])
def test_output_paths_refuse_subfolders_outside_the_folder(store, subfolder):
    with pytest.raises(bg.BackguideError):
        store.output_path("Ada", ".pdf", subfolder=subfolder)


@pytest.mark.parametrize("suffix", ["/x.pdf", "pdf/../..", ".pdf/"])
def test_output_paths_refuse_suffixes_with_separators(store, suffix):
    with pytest.raises(bg.BackguideError):
        store.output_path("Ada", suffix)


# --- no silent overwrite -------------------------------------------------------------

def test_saving_over_a_plan_raises_and_leaves_the_file_unchanged(store):
    path = store.save(_plan("Ada's week"))
    old = path.read_bytes()
    newer = _plan("Ada's week").add("Tuesday", "bird_dog")
    with pytest.raises(PlanExists) as err:
        store.save(newer)
    assert err.value.path == path
    assert err.value.existing_name == "Ada's week"
    assert "replace=True" in str(err.value)
    assert path.read_bytes() == old
    assert sorted(p.name for p in store.folder.iterdir()) == [path.name]  # no temp file

    assert store.save(newer, replace=True) == path
    assert store.load(path.stem) == newer


def test_the_folder_is_made_on_the_first_save(tmp_path):
    store = PlanStore(tmp_path / "a" / "plans")
    assert store.list().empty and list(store.list().columns) == ["key", "name", "saved",
                                                                 "problem"]
    assert not store.exists("Ada") and store.saved_name("Ada") is None
    assert not (tmp_path / "a").exists()
    store.save(_plan("Ada"))
    assert store.exists("Ada")


# --- listing -------------------------------------------------------------------------

def test_a_broken_file_lists_with_its_problem_and_load_names_it(store):
    store.save(_plan("Ada's week"))
    broken = store.folder / "broken.json"
    broken.write_text('{"name": "half', encoding="utf-8")
    listing = store.list().set_index("key")
    assert listing.at["broken", "name"] == "broken.json"
    assert "broken.json" in listing.at["broken", "problem"]
    assert listing.loc[listing.index != "broken", "problem"].eq("").all()
    assert ("broken.json · cannot be read", "broken") in store.labels()
    with pytest.raises(bg.BackguideError, match="broken.json"):
        store.load("broken")


def test_list_is_sorted_by_name_and_skips_temporary_files(store):
    for name in ["banana", "Apple", "cherry"]:
        store.save(_plan(name))
    (store.folder / ".apple-1234.json.abcd.tmp").write_text("half")
    (store.folder / ".hidden.json").write_text("{}")
    (store.folder / "notes.txt").write_text("not a plan")
    assert _listed(store) == ["Apple", "banana", "cherry"]


def test_labels_show_the_name_and_when_it_was_saved(store):
    path = store.save(_plan("Ada's week"))
    when = datetime(2026, 11, 24, 14, 3)
    os.utime(path, (when.timestamp(), when.timestamp()))
    row = store.list().iloc[0]
    assert row["saved"] == when
    assert label(row) == "Ada's week · saved 24 Nov 2026, 14:03"
    assert store.labels() == [("Ada's week · saved 24 Nov 2026, 14:03", path.stem)]


# --- names ---------------------------------------------------------------------------

def test_check_name_strips_the_ends_and_keeps_the_rest():
    assert check_name("  Ada's   week (v2) — 日本 ") == "Ada's   week (v2) — 日本"
    assert check_name("Cafe\u0301") == "Café"  # NFC, so the file holds one spelling
    for bad in ["a\tb", "a\nb", "a\x7fb", "a\ud800b"]:
        with pytest.raises(bg.BackguideError):
            check_name(bad)


def test_saved_name_is_the_cleaned_name(store):
    path = store.save(_plan("  Ada  "))
    assert store.load(path.stem).name == "Ada"
    assert path == store.path_for("Ada")


# --- properties ----------------------------------------------------------------------

def _passes(name: str) -> bool:
    try:
        check_name(name)
    except bg.BackguideError:
        return False
    return True


# Mostly the characters that made trouble: separators, dots, case, spaces, wide letters.
_tricky = st.text(alphabet=st.sampled_from(list("./\\ -_<>:~\0'aAbB日é𝒜ß") + ["\u0301"]),
                  min_size=1, max_size=12)
names = st.one_of(_tricky, st.text(min_size=1, max_size=MAX_NAME)).filter(_passes)
FOLDER = Path("some") / "plans"


@settings(max_examples=300)
@given(names)
def test_any_name_maps_to_a_safe_file_directly_in_the_folder(name):
    store = PlanStore(FOLDER)
    path = store.path_for(name)
    stem = path.name.removesuffix(".json")
    assert path.parent == FOLDER
    assert not any(c in stem for c in "/\\\0.") and stem
    assert len(stem.encode("utf-8")) <= 200
    assert store.path_for(check_name(name)) == path  # saved under its cleaned name


@settings(max_examples=300)
@given(st.lists(names, min_size=2, max_size=8, unique_by=name_key))
def test_names_with_different_keys_never_share_a_file(batch):
    store = PlanStore(FOLDER)
    paths = [store.path_for(n) for n in batch]
    assert len(set(paths)) == len(batch)


@settings(max_examples=25, deadline=None)
@given(st.lists(_tricky.filter(_passes), min_size=1, max_size=5, unique_by=name_key))
def test_saved_plans_list_back_under_their_own_names(batch):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        store = PlanStore(root / "plans")
        for n in batch:
            store.save(bg.Plan(name=n))
        assert {p.parent for p in _files(root)} <= {root, store.folder}
        assert sorted(_listed(store)) == sorted(check_name(n) for n in batch)
