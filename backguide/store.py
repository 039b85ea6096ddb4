"""Saved plans in one folder: how a plan's name becomes a file, and back.

Every view that saves, lists or loads plans (the planner, the presenter, the
handouts) goes through a :class:`PlanStore`, so they agree on which file a
name means.

The naming rule
---------------
A plan called ``name`` lives in ``folder / (file_stem(name) + ".json")``:

1. The name's **key** (:func:`name_key`) says which names are "the same plan
   name": Unicode NFC, case folded, runs of whitespace made one space, ends
   stripped.  ``"Ada's week"`` and ``"ada's  WEEK"`` share a key, so they
   share a file; ``"Ada s week"`` and ``"ada-s-week"`` do not.
2. The **readable part** is the key with every character that is not a
   letter, digit or combining mark (of any script, so ``日本語の計画`` stays
   readable) turned into ``-``, runs of ``-`` made one and the ends trimmed,
   then cut to :data:`READABLE_CHARS` characters and :data:`READABLE_BYTES`
   bytes of UTF-8.  A name with nothing readable left (``"."``, ``".."``,
   ``"///"``, ``"<>"``) uses ``plan``.
3. ``-`` and the first 8 hex digits of the SHA-256 of the key are appended:
   ``"Ada's week"`` is saved as ``ada-s-week-<8 hex>.json``.

Why: the readable part alone loses information (``"Ada's week"``,
``"Ada s week"`` and ``"ada-s-week"`` all read ``ada-s-week``; every name
without Latin letters read ``plan``), so plans silently overwrote each other.
The hash keeps different keys in different files.  Because the stem is built
only from letters, digits, marks, ``-`` and hex digits, it never holds a
path separator, ``..``, a leading dot, a NUL or a ``.`` at all (so
``Path.with_suffix`` never cuts it), is never empty, and stays far below
the 255-byte limit of common file systems even with its ``.json`` and the
temporary-file name of :func:`backguide.files.write_atomic`.  Nothing is ever
written outside the folder: every path is checked after it is built.

Saving over a file that is already there needs ``replace=True``; otherwise
:class:`PlanExists` says which plan the file holds, and nothing is written.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from datetime import datetime
from pathlib import Path

import pandas as pd

from .errors import BackguideError, Problem
from .library import Library
from .plan import Plan, load_plan, save_plan
from .planfile import read_plan_file

#: Longest plan name accepted, in characters (after stripping).
MAX_NAME = 200
#: The readable part of a file stem is cut to this many characters ...
READABLE_CHARS = 60
#: ... and to this many bytes of UTF-8 (4-byte characters would otherwise
#: make a 60-character part 240 bytes long).
READABLE_BYTES = 120
#: How many hex digits of the key's SHA-256 end a file stem.
HASH_DIGITS = 8
#: The readable part of a name that has no letters or digits.
FALLBACK = "plan"

_DASHES = re.compile(r"-{2,}")


# --- names -------------------------------------------------------------------------

def name_key(name: str) -> str:
    """What makes two plan names the same name: the key both are filed under.

    NFC, case folded, whitespace runs made one space, ends stripped.

    >>> name_key("  Ada's   WEEK ") == name_key("ada's week")
    True
    >>> name_key("Ada s week") == name_key("ada-s-week")
    False
    """
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())
    return " ".join(folded.split())


def _readable(key: str) -> str:
    """The key's letters, digits and marks, everything else one ``-``, ends trimmed."""
    chars = [c if unicodedata.category(c)[0] in "LNM" else "-" for c in key]
    return _DASHES.sub("-", "".join(chars)).strip("-")


def _cut(text: str, chars: int, max_bytes: int) -> str:
    """``text`` cut to ``chars`` characters and ``max_bytes`` bytes of UTF-8, whole characters."""
    text = text[:chars]
    while len(text.encode("utf-8")) > max_bytes:
        text = text[:-1]
    return text.rstrip("-")


def file_stem(name: str) -> str:
    """The file stem (name without ``.json``) a plan called ``name`` is saved under.

    The readable part of the name, ``-``, then 8 hex digits of the SHA-256
    of :func:`name_key`: ``"Ada's week"`` -> ``"ada-s-week-<hex>"``.  Names
    with the same key get the same stem; different keys get different stems
    (up to a hash collision, about 1 in 4 billion per pair).  See the module
    docstring for the full rule.
    """
    key = name_key(name)
    readable = _cut(_readable(key), READABLE_CHARS, READABLE_BYTES) or FALLBACK
    # surrogatepass: a lone surrogate cannot be saved (check_name refuses it),
    # but the stem of any str is still defined.
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{readable}-{digest[:HASH_DIGITS]}"


def check_name(name: str) -> str:
    """The name a plan is saved under: ``name`` in NFC with its ends stripped.

    Letters of any script, digits, punctuation and inner spaces are kept.

    Raises
    ------
    BackguideError
        For a name that is not text, is blank, is longer than
        :data:`MAX_NAME` characters, or holds a control character (a tab,
        newline or NUL inside the name) or a broken character (a lone
        surrogate).
    """
    where = "the plan's name"
    if not isinstance(name, str):
        raise BackguideError.at(where, "text", value=name)
    clean = unicodedata.normalize("NFC", name).strip()
    if not clean:
        raise BackguideError.at(where, "a name that is not blank", value=name)
    if len(clean) > MAX_NAME:
        raise BackguideError.at(
            where, f"a name of at most {MAX_NAME} characters; this one has {len(clean)}",
            value=_shorten(clean))
    for c in clean:
        kind = unicodedata.category(c)
        if kind in ("Cc", "Cs"):
            what = "a control character" if kind == "Cc" else "a broken character"
            raise BackguideError.at(
                where, f"a name without {what} (found U+{ord(c):04X})", value=clean)
    return clean


def _shorten(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[:n] + "..."


# --- the store ---------------------------------------------------------------------

class PlanExists(BackguideError):
    """A save would overwrite a plan already saved; nothing was written.

    ``path`` is the file and ``existing_name`` the name of the plan in it
    (the file's name if it cannot be read).  Save again with
    ``replace=True`` to overwrite it.
    """

    def __init__(self, path: Path, existing_name: str, new_name: str):
        self.path = Path(path)
        self.existing_name = existing_name
        super().__init__(Problem(
            str(path), None, None, None, new_name,
            f"a name no saved plan has; this file already holds the plan "
            f"{existing_name!r} (save with replace=True to overwrite it)"))


#: The columns of :meth:`PlanStore.list`.
LIST_COLUMNS = ("key", "name", "saved", "problem")


class PlanStore:
    """The plans saved in one folder, one ``.json`` file per plan name.

    The folder is made on the first save; listing a folder that does not
    exist yet gives no plans.  See the module docstring for how names
    become files.

    >>> import tempfile
    >>> from backguide.plan import load_starter
    >>> store = PlanStore(tempfile.mkdtemp())
    >>> _ = store.save(load_starter("gentle_start").replace(name="Ada's week"))
    >>> list(store.list()["name"])
    ["Ada's week"]
    >>> store.load(store.list()["key"].iloc[0]).name
    "Ada's week"
    """

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    def __repr__(self) -> str:
        return f"PlanStore({str(self.folder)!r})"

    # -- paths --

    def _inside(self, path: Path, what: str) -> Path:
        """``path`` if it is inside the folder, else a BackguideError."""
        root = self.folder.resolve()
        # Resolve the parent only: the file itself may not exist yet, and a
        # save replaces a symlink rather than following it.
        full = path.parent.resolve() / path.name
        if not full.is_relative_to(root) or full == root:
            raise BackguideError.at(path, f"{what} inside the folder {self.folder}",
                                    value=str(path))
        return path

    def path_for(self, name: str) -> Path:
        """The file a plan called ``name`` is saved in: a direct child of the folder."""
        path = self.folder / f"{file_stem(name)}.json"
        if path.parent != self.folder:  # cannot happen: the stem has no separator
            raise BackguideError.at(path, "a file directly in the plan folder", value=name)
        return self._inside(path, "a plan file")

    def key_for(self, name: str) -> str:
        """The key a plan called ``name`` is saved and loaded under (its file's stem)."""
        return self.path_for(name).stem

    def output_path(self, name: str, suffix: str, *, subfolder: str = "handouts") -> Path:
        """Where a file made from the plan called ``name`` goes (a handout, say):
        ``folder / subfolder / (file_stem(name) + suffix)``.

        ``suffix`` is ``""`` or a dot and letters and digits (``".pdf"``);
        ``subfolder`` is a relative folder without ``..``.  The path is always
        inside the folder; its parent is not created here.  ``suffix=""``
        gives the base that :func:`backguide.handout.handout` adds ``.pdf``
        and ``.html`` to (the stem has no dot, so nothing of it is lost).
        """
        if suffix and not re.fullmatch(r"\.[A-Za-z0-9]+", suffix):
            raise BackguideError.at("the output file", "a suffix like '.pdf', or ''",
                                    value=suffix)
        sub = Path(subfolder)
        if sub.is_absolute() or ".." in sub.parts or "\\" in subfolder or "\0" in subfolder:
            raise BackguideError.at("the output folder",
                                    "a folder inside the plan folder, without '..'",
                                    value=subfolder)
        path = self.folder / sub / f"{file_stem(name)}{suffix}"
        return self._inside(path, "an output file")

    def _path_of_key(self, key: str) -> Path:
        """The file of a key from :meth:`list`, refusing anything that is not one."""
        if (not isinstance(key, str) or not key or key.startswith(".")
                or any(c in key for c in "/\\\0")):
            raise BackguideError.at(self.folder, "the key of a saved plan (see list())",
                                    value=key)
        return self._inside(self.folder / f"{key}.json", "a plan file")

    # -- reading --

    def exists(self, name: str) -> bool:
        """Whether a plan called ``name`` (or another name with its key) is saved."""
        return self.path_for(name).is_file()

    def saved_name(self, name: str) -> str | None:
        """The name of the plan in the file ``name`` would be saved to.

        ``None`` if there is no such file; the file's name if it cannot be read.
        """
        path = self.path_for(name)
        if not path.is_file():
            return None
        return _read_name(path)[0]

    def list(self) -> pd.DataFrame:
        """One row per plan file in the folder, sorted by name (case-insensitively).

        Columns
        -------
        key
            The file's stem: what :meth:`load` takes.
        name
            The plan's name as saved in the file; for a file that cannot be
            read, the file's name.
        saved
            When the file was last written, as a naive datetime in local
            time (the time on this computer's clock); a ``datetime64``
            column.
        problem
            ``""`` for a plan that reads, else why it cannot be read.

        Hidden files (temporary files of a save in progress) are skipped.
        """
        rows = []
        if self.folder.is_dir():
            for entry in os.scandir(self.folder):
                if (not entry.name.endswith(".json") or entry.name.startswith(".")
                        or not entry.is_file()):
                    continue
                path = Path(entry.path)
                name, problem = _read_name(path)
                try:
                    saved = datetime.fromtimestamp(entry.stat().st_mtime)
                except OSError:
                    saved = pd.NaT
                rows.append((path.name.removesuffix(".json"), name, saved, problem))
        rows.sort(key=lambda r: (r[1].casefold(), r[1], r[0]))
        frame = pd.DataFrame(rows, columns=list(LIST_COLUMNS))
        frame["saved"] = pd.to_datetime(frame["saved"])
        return frame

    def labels(self) -> list[tuple[str, str]]:
        """``(label, key)`` for each plan in :meth:`list`, in its order: the
        options of a dropdown that shows labels and gives keys."""
        return [(label(row), row["key"]) for _, row in self.list().iterrows()]

    def load(self, key: str, *, lib: Library | None = None) -> Plan:
        """The plan saved under ``key`` (a ``key`` from :meth:`list`).

        Raises
        ------
        BackguideError
            For a key that is not a file in the folder (a path, ``..``, a
            separator), or naming the file for a missing or broken one
            (see :func:`backguide.plan.load_plan`).
        """
        return load_plan(self._path_of_key(key), lib=lib)

    # -- writing --

    def save(self, plan: Plan, *, replace: bool = False) -> Path:
        """Save ``plan`` to :meth:`path_for` its name, atomically; return the file.

        The plan is saved under its cleaned name (:func:`check_name`), which
        has the same key.  The folder is made if need be.

        Raises
        ------
        BackguideError
            For a name :func:`check_name` refuses; nothing is written.
        PlanExists
            If the file is already there and ``replace`` is false; the file
            is left as it was.
        """
        name = check_name(plan.name)
        path = self.path_for(name)
        if path.exists() and not replace:
            raise PlanExists(path, _read_name(path)[0], name)
        if name != plan.name:
            plan = plan.replace(name=name)
        self.folder.mkdir(parents=True, exist_ok=True)
        return save_plan(plan, path)


def _read_name(path: Path) -> tuple[str, str]:
    """``(name, problem)`` of a plan file: its plan's name and ``""``, or the
    file's name and why it cannot be read.  Exercises are not looked up."""
    try:
        meta, _ = read_plan_file(path)
    except BackguideError as exc:
        return path.name, str(exc)
    except OSError as exc:
        return path.name, f"{path}: cannot be opened ({exc.strerror or exc})."
    return meta["name"], ""


def label(row) -> str:
    """A :meth:`PlanStore.list` row in words, for a dropdown:
    ``"Ada's week · saved 24 Nov 2026, 14:03"``, or
    ``"file.json · cannot be read"``."""
    if row["problem"]:
        return f"{row['name']} · cannot be read"
    saved = row["saved"]
    if pd.isna(saved):
        return str(row["name"])
    return f"{row['name']} · saved {saved.day} {saved:%b %Y, %H:%M}"


__all__ = ["PlanExists", "PlanStore", "check_name", "file_stem", "label", "name_key"]
