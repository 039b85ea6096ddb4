"""The content layer: everything a person reads, as plain data.

Pure functions over the library and a plan, with no ipywidgets and no
matplotlib.  Each returns what a person reads (an exercise's name, dose in
words, steps and cautions; a session's minutes and its total; a checklist
line and its status; the safety text; a session's results) and the views
(the explorer's card, the board, the presenter, the handout as PDF and as
a web page) only lay it out.  So a number or a sentence has one author, and
two views cannot disagree.

Doses and minutes in words come from :mod:`backguide.words`; the timer's
phases from the one dose rule, :func:`backguide.dose.dose_phases`.
"""

from ..dose import Phase, dose_phases
from ..words import (about_minutes, article_dose_words, count, dose_words, entry_dose_words,
                     minutes_text, shown_total)
from .exercise import ArticleDose, ExerciseContent, Variant, exercise_content
from .results import RESULT_WORDS, effort_noun, results_headline, session_results
from .safety import Safety, WarningSign, safety_content
from .sources import (cited_line, exercise_choices, exercise_labels, reference, source_title,
                      source_titles)
from .week import (EMPTY_HEADLINE, STATUS, CheckLine, Checklist, DayLine, EntryLine,
                   SessionLine, WeekContent, checklist_content, week_content)

__all__ = [
    "ArticleDose", "CheckLine", "Checklist", "DayLine", "EMPTY_HEADLINE", "EntryLine",
    "ExerciseContent", "Phase", "RESULT_WORDS", "STATUS", "Safety", "SessionLine", "Variant",
    "WarningSign", "WeekContent", "about_minutes", "article_dose_words", "checklist_content",
    "cited_line", "count", "dose_phases", "dose_words", "effort_noun", "entry_dose_words",
    "exercise_choices", "exercise_content", "exercise_labels", "minutes_text", "reference", "results_headline", "safety_content",
    "session_results", "shown_total", "source_title", "source_titles", "week_content",
]
