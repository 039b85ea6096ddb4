"""What a person asks the explorer for, and what it finds: :class:`ExplorerModel`.

The filters are traits, so the explorer's controls and a test set the same
thing; :meth:`ExplorerModel.results` is the matching table, by
:func:`backguide.filtering.filter_exercises`.
"""

from __future__ import annotations

import pandas as pd
import traitlets

from .. import schema
from ..filtering import filter_exercises
from ..library import Library, resolve

ANY = "any"

#: What the "What hurts" and "Kind" menus say, beside the value they filter on.
MUSCLE_LABELS = [("Anywhere", ANY)] + [(m.capitalize(), m) for m in schema.MUSCLES]
CATEGORY_LABELS = [("Any kind", ANY)] + [(c.capitalize(), c) for c in schema.CATEGORIES]
#: The "Each exercise up to" menu: the longest single exercise to list (60 is any length).
MINUTE_CHOICES = [("any length", 60.0), ("1 minute", 1.0), ("2 minutes", 2.0),
                  ("5 minutes", 5.0), ("10 minutes", 10.0), ("20 minutes", 20.0),
                  ("30 minutes", 30.0)]


def _menu_minutes(value: float) -> float:
    """The menu's choice for a number of minutes: the nearest at or above it."""
    fits = [m for _, m in MINUTE_CHOICES if m >= value]
    return min(fits) if fits else 60.0


def equipment_kinds(*, lib: Library | None = None) -> tuple[str, ...]:
    """The guide's kinds of equipment, then any more the library's exercises need."""
    return tuple(dict.fromkeys([*schema.EQUIPMENT, *resolve(lib).equipment["equipment"]]))


class ExplorerModel(traitlets.HasTraits):
    """What the person has asked for; :meth:`results` is the matching table."""

    category = traitlets.Unicode(ANY)
    muscle = traitlets.Unicode(ANY)
    primary_only = traitlets.Bool(False)
    access = traitlets.Tuple(schema.ACCESS)
    equipment = traitlets.Tuple(schema.EQUIPMENT)
    max_difficulty = traitlets.Unicode("hard")
    text = traitlets.Unicode("")
    max_minutes = traitlets.Float(60.0)
    selected = traitlets.Unicode("")
    #: The parts of the search the person has taken away (by their chip's ✕).
    removed = traitlets.Tuple(())
    #: Keep exercises whose position is not given (an imported library's) whatever
    #: "I can get to" says.
    show_unknown_position = traitlets.Bool(False)

    DEFAULTS = dict(category=ANY, muscle=ANY, primary_only=False, access=schema.ACCESS,
                    equipment=schema.EQUIPMENT, max_difficulty="hard", text="",
                    max_minutes=60.0, removed=(), show_unknown_position=False)

    def __init__(self, *, lib: Library | None = None, **kwargs):
        super().__init__(**kwargs)
        self.lib = resolve(lib)
        # Every kind of equipment the library's exercises need (a clinic's may add
        # some): all ticked to start with, so nothing is hidden until a box is cleared.
        self.kinds = equipment_kinds(lib=self.lib)
        self.DEFAULTS = {**self.DEFAULTS, "equipment": self.kinds}
        if "equipment" not in kwargs:
            self.equipment = self.kinds

    @property
    def exercises(self) -> pd.DataFrame:
        return self.lib.exercises

    def request(self):
        """What the search box's words ask for, less the parts taken away."""
        from ..search import read_request

        req = read_request(self.text, lib=self.lib)
        return req.without(*self.removed) if self.removed else req

    def results(self, **instead) -> pd.DataFrame:
        """The exercises that match (with ``instead`` in place of some filters)."""
        return filter_exercises(**{**self._filters(), **instead})

    def _filters(self) -> dict:
        return dict(
            lib=self.lib,
            category=None if self.category == ANY else self.category,
            muscle=None if self.muscle == ANY else self.muscle,
            primary_only=self.primary_only,
            access=self.access,
            equipment=self.equipment,
            max_difficulty=self.max_difficulty,
            text=self.request() if self.text.strip() else None,
            max_minutes=None if self.max_minutes >= 60 else self.max_minutes,
            show_unknown_position=self.show_unknown_position,
        )

    def hidden_for_unknowns(self, shown: pd.DataFrame) -> tuple[int, list[str]]:
        """What the filters hide only for what is not known about it: how many exercises
        of no given position "I can get to" narrows away (shown or not, as
        :attr:`show_unknown_position` says), and the ids of those of no dose a time
        limit leaves out (given ``shown``, the results)."""
        ex = self.lib.exercises
        places = 0
        if set(self.access) != set(schema.ACCESS) and ex["position"].isna().any():
            places = (len(self.results(show_unknown_position=True, max_minutes=None))
                      - len(self.results(show_unknown_position=False, max_minutes=None)))
        undosed: list[str] = []
        if self.max_minutes < 60 and ex["session_minutes"].isna().any():
            timeless = self.results(max_minutes=None)
            undosed = list(timeless.index[timeless["session_minutes"].isna()])
        return places, undosed

    @traitlets.observe("text")
    def _new_words(self, _change) -> None:
        self.removed = ()  # new words: every part they ask for counts again

    def reset(self) -> None:
        with self.hold_trait_notifications():
            for name, value in self.DEFAULTS.items():
                setattr(self, name, value)
