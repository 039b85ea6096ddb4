"""An exercise as a person reads it: the one source of the card, the presenter's
screen and the handout's entry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..dose import estimate_seconds
from ..schema import DOSE_FIELDS
from ..library import Library, resolve
from .sources import source_title, source_titles
from ..words import article_dose_words, entry_dose_words, minutes_text

__all__ = ["ArticleDose", "ExerciseContent", "Variant", "exercise_content"]


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
    def dose_and_time(self) -> str:
        """The dose with its time, as a card's "Starting dose" line reads:
        "5 reps, hold 10 s (about 1.3 min)", or "20 min" alone, or "ask your
        clinician" for an exercise without a dose."""
        if self.timed or not self.dosed:
            return self.dose
        return f"{self.dose} (about {self.minutes} min)"


#: What a card says for an exercise the library gives no dose.
NO_DOSE = "ask your clinician"


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
                               bool(dose["per_side"]), dose["minutes"])
    minutes = dose["minutes"]
    timed = bool(minutes is not None and minutes == minutes and float(minutes) > 0)
    muscles = ", ".join(_muscle_words(row, "primary"))
    if secondary := _muscle_words(row, "secondary"):
        muscles += f" (also {', '.join(secondary)})"
    dosed = any(dose[k] is not None and dose[k] == dose[k] for k in DOSE_FIELDS)
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
        steps=tuple(row["steps"]), cautions=tuple(row["cautions"]),
        easier=_variants(row["easier"], names), harder=_variants(row["harder"], names),
        progression=str(row["progression"] or ""),
        doses=tuple(ArticleDose(source_title(d["source"], lib=lib), article_dose_words(d),
                                str(d["evidence"] or ""))
                    for d in mine.to_dict("records")),
        sources=source_titles(row["sources"], lib=lib), source_ids=tuple(row["sources"]),
        picture=exercise if drawn else None, dosed=dosed,
        licence=str(row.get("licence", "") or ""), author=str(row.get("author", "") or ""),
        images=_images(row.get("images", "")))


def _images(cell) -> tuple[str, ...]:
    """The source's image paths or addresses, from a ``;``-separated cell."""
    if isinstance(cell, tuple):
        return cell
    return tuple(p.strip() for p in str(cell or "").split(";") if p.strip())
