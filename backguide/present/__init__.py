"""Show a routine to a patient: a safety screen, one exercise at a time, a guided timer.

:class:`Presenter` is made to be served by Voila with no code showing
(``notebooks/04_present.ipynb``, ``python3 dev.py present``) and works inside
JupyterLab too.  It is large print: at 1366x768 the exercise's name, picture,
steps and timer are on screen together, and a wider screen puts the picture
and timer beside the steps.

The :class:`Timer` counts in the browser, so it keeps time whether the kernel
is busy or idle.  It plays tones (Web Audio, no sound files) at the start and
end of a hold, at a change of side and at the end of a rest, and it answers
the keyboard and presentation clickers: Space starts and pauses, Right or
PageDown goes on, Left or PageUp goes back, Esc leaves full screen.  The
kernel hears which parts ran to the end, so the summary can say what was
done and what was skipped.

The package, one job a module:

- :mod:`.presenter`: the :class:`Presenter` widget (where the session is, and its screens);
- :mod:`.screens`: how each screen lays out the content layer's words, as HTML;
- :mod:`.timer`: the :class:`Timer` widget and :func:`timer_phases`;
- :mod:`.assets`: the package files ``static/present.js`` and ``static/present.css``.
"""

from .presenter import Presenter
from .screens import visible_text
from .timer import EFFORTS, Timer, timer_phases

__all__ = ["EFFORTS", "Presenter", "Timer", "timer_phases", "visible_text"]
