"""The guided timer: a countdown through a dose's phases, counting in the browser.

The phases are the dose rule's own (:func:`backguide.dose.dose_phases`), so
the timer takes as long as the plan says.  The browser side is
``backguide/static/present.js`` and its look ``backguide/static/present.css``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

import anywidget
import traitlets

from ..dose import EFFORTS, Phase, dose_phases
from .assets import present_css, timer_esm

__all__ = ["EFFORTS", "Timer", "timer_phases"]


def timer_phases(dose: Mapping, name: str = "") -> list[dict]:
    """The timer's phases for one dose, as dicts: :func:`~backguide.dose.dose_phases`.

    ``dose`` is a row of ``plan.entries`` or ``lib.exercises``, or any
    mapping with ``sets``, ``reps``, ``hold_s``, ``rest_s``, ``per_side`` and
    ``minutes`` (blank is ``NaN`` or ``None``); ``name`` labels an activity.
    Each dict has ``kind``, ``label``, ``seconds`` and ``detail``.
    """
    return [dataclasses.asdict(p) for p in dose_phases(dose, name)]


def _as_dicts(phases: Iterable[Phase | Mapping]) -> list[dict]:
    return [dataclasses.asdict(p) if isinstance(p, Phase) else dict(p) for p in phases]


class Timer(anywidget.AnyWidget):
    """A countdown through ``phases``, counting in the browser.

    Each phase is a dict with ``kind`` (move, hold, rep, rest, switch,
    activity), ``label``, ``seconds`` and ``detail``.  :meth:`load` starts a
    new *run*.  The browser reports its progress in messages tagged with the
    run, so a late message from an exercise already left is ignored: ``index``
    (the part shown), ``done`` (past the last part) and ``completed`` (the
    parts whose countdown ran to the end; a part skipped is not in it).
    ``muted`` silences the tones.  The End and Home keys, Right arrow after the
    last part and Left arrow before the first call ``on_action("next")`` and
    ``on_action("previous")``.  Its buttons are "Previous part", "Start" and
    "Skip this part"; the keys, written out under them, are its own only while
    it is in view and no one is typing (``static/present.js``).
    """

    _esm = timer_esm()
    _css = present_css()  # the presenter's too: a timer shown on its own is styled
    phases = traitlets.List().tag(sync=True)
    run = traitlets.Int(0).tag(sync=True)
    next_label = traitlets.Unicode("Next exercise").tag(sync=True)
    muted = traitlets.Bool(False).tag(sync=True)
    index = traitlets.Int(0)
    done = traitlets.Bool(False)
    completed = traitlets.List(traitlets.Int())

    def __init__(self, on_action=None, **kwargs):
        super().__init__(**kwargs)
        self.on_action = on_action
        self.on_msg(self._progress)

    def load(self, phases: Iterable[Phase | Mapping],
             next_label: str = "Next exercise") -> None:
        """Start a new run through ``phases`` (:class:`~backguide.dose.Phase` or dicts);
        ``next_label`` says what comes after."""
        with self.hold_sync():
            self.phases = _as_dicts(phases)
            self.next_label = next_label
            self.run += 1
        self.index, self.done, self.completed = 0, False, []

    def _progress(self, _widget, content, _buffers) -> None:
        if not isinstance(content, dict) or content.get("run") != self.run:
            return  # a message of a run already left
        self.index = int(content.get("index", 0))
        self.done = bool(content.get("done", False))
        self.completed = sorted({int(i) for i in content.get("completed", [])})
        if content.get("action") in ("next", "previous") and self.on_action:
            self.on_action(content["action"])
