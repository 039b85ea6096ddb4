"""An exercise as a person reads it: the one source of the card, the presenter's
screen and the handout's entry."""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..dose import each_side, estimate_seconds, has_dose
from ..errors import BackguideError
from ..schema import DOSE_FIELDS
from ..library import Library, resolve
from .sources import source_title, source_titles
from ..words import NO_DOSE, article_dose_words, entry_dose_words, minutes_text

__all__ = ["NETWORK_SETTING", "ArticleDose", "ExerciseContent", "SourcePicture", "Variant",
           "check_attribution", "exercise_content", "needs_attribution", "network_allowed",
           "source_pictures"]


@dataclass(frozen=True)
class Variant:
    """An easier or harder version of an exercise: its id and its name."""

    id: str
    name: str


@dataclass(frozen=True)
class ArticleDose:
    """One source's own dose of an exercise: its title, the dose in words, its phrase."""

    source: str
    words: str
    evidence: str


@dataclass(frozen=True)
class ExerciseContent:
    """Everything a person reads about one exercise at one dose.

    ``dose`` is the dose in words and ``minutes`` its time as shown
    (:func:`~backguide.words.minutes_text`); ``timed`` says whether
    the dose is itself a number of minutes (a 20-minute walk), when the
    time would only repeat it.  ``doses`` is every source's own dose;
    ``sources`` the titles of the sources behind the exercise, ``source_ids`` their ids.  ``picture``
    is the exercise's id when the library has its drawn positions.

    What the library leaves blank is said so, never guessed: an exercise without
    a dose reads "ask your clinician" (``dosed`` is False), and a blank position
    or difficulty reads "position not given" or "difficulty not given".
    ``muscles`` uses the source's own words where the library keeps them
    ("biceps", counted under arms).  ``licence`` and ``author`` are the
    exercise's attribution ("" where the library has none); ``images`` the
    source's picture paths or addresses.
    """

    id: str
    name: str
    category: str
    position: str
    difficulty: str
    difficulty_basis: str
    muscles: str
    dose: str
    minutes: str
    timed: bool
    steps: tuple[str, ...]
    cautions: tuple[str, ...]
    easier: tuple[Variant, ...]
    harder: tuple[Variant, ...]
    progression: str
    doses: tuple[ArticleDose, ...]
    sources: tuple[str, ...]
    source_ids: tuple[str, ...]
    picture: str | None
    dosed: bool = True
    licence: str = ""
    author: str = ""
    images: tuple[str, ...] = ()

    @property
    def attribution(self) -> str:
        """Where the exercise comes from, as shown and handed out: "Exercise from
        free-exercise-db contributors, Unlicense (public domain)" ("" if neither given)."""
        if self.author:
            return f"Exercise from {self.author}" + (f", {self.licence}" if self.licence else "")
        return f"Exercise licence: {self.licence}" if self.licence else ""

    @property
    def dose_and_time(self) -> str:
        """The dose with its time, as a card's "Starting dose" line reads:
        "5 reps, hold 10 s (about 1.3 min)", or "20 min" alone, or "ask your
        clinician" for an exercise without a dose."""
        if self.timed or not self.dosed:
            return self.dose
        return f"{self.dose} (about {self.minutes} min)"


def _given(value, what: str) -> str:
    """A category's word, or "<what> not given" for a blank."""
    return f"{what} not given" if value is None or value != value else str(value)


def _muscle_words(row, role: str) -> tuple[str, ...]:
    """The source's own words for ``role`` muscles where kept, else the groups."""
    words = row.get(f"{role}_muscle_words", ())
    if isinstance(words, tuple) and words:
        return words
    return tuple(row[f"{role}_muscles"])


def _variants(ids, names) -> tuple[Variant, ...]:
    return tuple(Variant(x, str(names[x])) for x in ids if x in names.index)


def exercise_content(exercise: str, *, dose: Mapping | None = None,
                     lib: Library | None = None) -> ExerciseContent:
    """What a person reads about ``exercise``, at ``dose`` (its starting dose if None).

    ``dose`` is a plan entry (a row of ``plan.entries``) or any mapping with
    ``sets``, ``reps``, ``hold_s``, ``rest_s``, ``per_side`` and ``minutes``.

    >>> c = exercise_content("cat_cow")
    >>> c.name, c.dose, c.minutes
    ('Cat-cow', '5 reps, hold 10 s', '1.3')
    >>> exercise_content("fast_walking").dose_and_time
    '20 min'
    """
    lib = resolve(lib)
    ex = lib.exercises
    if exercise not in ex.index:
        raise KeyError(f"Unknown exercise {exercise!r}; it is not in the library.")
    row = ex.loc[exercise]
    dose = row if dose is None else dose
    seconds = estimate_seconds(*(dose[k] for k in ("sets", "reps", "hold_s", "rest_s")),
                               bool(each_side(dose["per_side"])), dose["minutes"])
    minutes = dose["minutes"]
    timed = bool(minutes is not None and minutes == minutes and float(minutes) > 0)
    muscles = ", ".join(_muscle_words(row, "primary"))
    if secondary := _muscle_words(row, "secondary"):
        muscles += f" (also {', '.join(secondary)})"
    dosed = has_dose(*(dose[k] for k in DOSE_FIELDS))
    mine = lib.doses[lib.doses["exercise"] == exercise]
    names = ex["name"]
    poses = lib.poses
    drawn = "exercise" in poses.columns and bool((poses["exercise"] == exercise).any())
    return ExerciseContent(
        id=exercise, name=str(row["name"]), category=str(row["category"]),
        position=_given(row["position"], "position"),
        difficulty=_given(row["difficulty"], "difficulty"),
        difficulty_basis=str(row["difficulty_basis"]), muscles=muscles,
        dose=entry_dose_words(dose) if dosed else NO_DOSE,
        minutes=minutes_text(seconds / 60.0) if dosed else "", timed=timed,
        steps=tuple(row["steps"]), cautions=_cautions(row, lib),
        easier=_variants(row["easier"], names), harder=_variants(row["harder"], names),
        progression=str(row["progression"] or ""),
        doses=tuple(ArticleDose(source_title(d["source"], lib=lib), article_dose_words(d),
                                str(d["evidence"] or ""))
                    for d in mine.to_dict("records")),
        sources=source_titles(row["sources"], lib=lib), source_ids=tuple(row["sources"]),
        picture=exercise if drawn else None, dosed=dosed,
        licence=str(row.get("licence", "") or ""), author=str(row.get("author", "") or ""),
        images=_images(row.get("images", "")))


def _cautions(row, lib: Library) -> tuple[str, ...]:
    """The exercise's cautions; for one with none of its own (an imported exercise), the
    stop rule every safety screen shows, so no exercise is shown without it."""
    if own := tuple(row["cautions"]):
        return own
    from .safety import safety_content

    rule = safety_content(lib=lib).stop_rule
    return (rule,) if rule else ()


def _images(cell) -> tuple[str, ...]:
    """The source's image paths or addresses, from a ``;``-separated cell."""
    if isinstance(cell, tuple):
        return cell
    return tuple(p.strip() for p in str(cell or "").split(";") if p.strip())


# --- attribution and the source's pictures -------------------------------------------

#: A licence requires attribution when it is a Creative Commons "BY" licence ("CC BY
#: 4.0", "CC-BY-SA", "Creative Commons Attribution-ShareAlike") or says "attribution"
#: in words; public domain, the Unlicense and CC0 do not.
_NEEDS_ATTRIBUTION = re.compile(r"\bcc[\s_-]*by\b|\battribution\b", re.I)


def needs_attribution(licence: str) -> bool:
    """Whether ``licence`` requires the author to be named wherever the work is handed out.

    >>> needs_attribution("CC BY-SA 4.0"), needs_attribution("Unlicense (public domain)")
    (True, False)
    """
    return bool(_NEEDS_ATTRIBUTION.search(licence or ""))


def check_attribution(content: ExerciseContent, *, lib: Library | None = None) -> None:
    """Raise :class:`~backguide.errors.BackguideError` naming the exercise if its
    licence requires attribution (:func:`needs_attribution`) and it has no author."""
    if needs_attribution(content.licence) and not content.author.strip():
        folder = resolve(lib).folder
        where = str(folder / "exercises.csv") if folder else "exercises.csv"
        raise BackguideError.at(
            where, f"the author of exercise {content.id!r} ({content.name}): its licence "
            f"{content.licence!r} requires attribution, so it cannot be handed out "
            "without one", column="author", value="")


#: The setting that lets the guide load the source's pictures from the internet:
#: ``BACKGUIDE_ALLOW_NETWORK=1``.  Off unless set.
NETWORK_SETTING = "BACKGUIDE_ALLOW_NETWORK"


def network_allowed() -> bool:
    """True when :data:`NETWORK_SETTING` is "1", "true", "yes" or "on"."""
    return os.environ.get(NETWORK_SETTING, "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class SourcePicture:
    """One of the source's pictures: ``ref`` as the library gives it, ``path`` the
    file inside the library folder or ``url`` its address, and ``note`` what is said
    in its place when it is not shown ("" when it is)."""

    ref: str
    path: Path | None = None
    url: str = ""
    note: str = ""

    def data(self) -> bytes:
        """The picture's bytes: the file as it is, or fetched from ``url``."""
        return self.path.read_bytes() if self.path else _fetch(self.url)

    @property
    def src(self) -> str:
        """What an ``<img src>`` takes: the file as a data URI, or the address."""
        if not self.path:
            return self.url
        data = self.data()
        return f"data:{_mime(data)};base64,{base64.b64encode(data).decode()}"


def _fetch(url: str) -> bytes:
    """The bytes at ``url`` (only called when :func:`network_allowed`)."""
    from urllib.request import urlopen

    with urlopen(url, timeout=10) as response:  # noqa: S310 (the person allowed it)
        return response.read()


def _mime(data: bytes) -> str:
    for head, mime in ((b"\x89PNG", "image/png"), (b"\xff\xd8", "image/jpeg"),
                       (b"GIF8", "image/gif"), (b"RIFF", "image/webp")):
        if data.startswith(head):
            return mime
    return "image/svg+xml" if b"<svg" in data[:500] else "application/octet-stream"


def source_pictures(content: ExerciseContent, *, lib: Library | None = None
                    ) -> tuple[SourcePicture, ...]:
    """The source's pictures of an exercise with no drawn positions (none if it has).

    A path is looked for in the library folder, then in its ``images/`` folder, and
    used only if the file is inside the folder.  An address (``http://``,
    ``https://``) is used only when :func:`network_allowed`; otherwise its note says
    "Picture online: <url> (not loaded: network use is off)".
    """
    if content.picture is not None:
        return ()
    folder = resolve(lib).folder
    out = []
    for ref in content.images:
        if re.match(r"https?://", ref, re.I):
            out.append(SourcePicture(ref, url=ref) if network_allowed() else SourcePicture(
                ref, url=ref, note=f"Picture online: {ref} (not loaded: network use is off)"))
            continue
        found = None
        if folder is not None:
            root = Path(folder).resolve()
            for base in (root, root / "images"):
                path = (base / ref).resolve()
                if path.is_relative_to(root) and path.is_file():
                    found = path
                    break
        out.append(SourcePicture(ref, path=found) if found else SourcePicture(
            ref, note=f"Picture not found in the library folder: {ref}"))
    return tuple(out)
