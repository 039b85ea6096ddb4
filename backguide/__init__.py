"""backguide: an interactive guide to exercises that relieve back pain.

This is a guide, not a diagnosis.  Stop any exercise that makes your pain
worse, and see a clinician first if you have any of the warning signs in
``load_guidance().query("topic == 'red_flag'")``.
"""

from .content import (checklist_content, exercise_content, safety_content, session_results,
                      week_content)
from .dose import dose_phases, estimate_seconds
from .errors import BackguideError, NothingToHandOut, Problem
from .filtering import filter_exercises, search_advice
from .library import (
    SECONDARY_SHARE,
    Library,
    exercise_muscles,
    load_doses,
    load_exercises,
    load_guidance,
    load_library,
    load_poses,
    load_sources,
    shipped_library,
)
from .measures import (
    category_minutes,
    category_summary,
    check_guidance,
    day_minutes,
    guidance_checks,
    guidance_status,
    measure_week,
    muscle_minutes,
    plan_table,
    session_minutes,
    weekly_volume,
)
from .plan import (
    ENTRY_COLUMNS,
    Plan,
    describe_dose,
    dose_for,
    load_plan,
    load_starter,
    save_plan,
    starter_plans,
)
from .progression import Progression, progress
from .suggest import suggest_routine
from .words import dose_words, minutes_text

#: Names whose modules draw with matplotlib: imported when first used, so that
#: ``import backguide`` (and a script that only plans or measures) stays light.
#: The journal (SQLAlchemy, icalendar) is imported the same way, when first used.
_LAZY = {"plot_category_days": "charts", "plot_muscle_volume": "charts",
         "plot_progression": "charts", "plot_week": "charts",
         "open_store": "journal.store", "Store": "journal.store",
         "adherence": "journal.measures", "pain_change": "journal.measures",
         "peg_change": "journal.measures", "psfs_change": "journal.measures",
         "pain_by_day": "journal.measures", "change_thresholds": "journal.measures",
         "plot_adherence": "journal.charts", "plot_pain": "journal.charts",
         "plot_peg": "journal.charts", "plot_psfs": "journal.charts",
         "progress_headline": "journal.words", "adherence_sentence": "journal.words",
         "next_week": "journal.next_week", "accept_next": "journal.next_week",
         "propose_next": "journal.next_week",
         "plan_calendar": "ical", "calendar_filename": "ical",
         "caseload": "journal.caseload",
         "import_library": "importing", "ImportReport": "importing"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'backguide' has no attribute {name!r}")

__all__ = [
    "BackguideError",
    "ImportReport",
    "Store",
    "accept_next",
    "adherence",
    "adherence_sentence",
    "calendar_filename",
    "caseload",
    "change_thresholds",
    "import_library",
    "next_week",
    "open_store",
    "pain_by_day",
    "pain_change",
    "peg_change",
    "plan_calendar",
    "plot_adherence",
    "plot_pain",
    "plot_peg",
    "plot_psfs",
    "progress_headline",
    "propose_next",
    "psfs_change",
    "ENTRY_COLUMNS",
    "Library",
    "Plan",
    "Problem",
    "Progression",
    "SECONDARY_SHARE",
    "category_minutes",
    "category_summary",
    "check_guidance",
    "checklist_content",
    "day_minutes",
    "describe_dose",
    "dose_for",
    "dose_phases",
    "dose_words",
    "estimate_seconds",
    "NothingToHandOut",
    "exercise_content",
    "exercise_muscles",
    "filter_exercises",
    "guidance_checks",
    "guidance_status",
    "load_doses",
    "load_exercises",
    "load_guidance",
    "load_library",
    "load_plan",
    "load_poses",
    "load_sources",
    "load_starter",
    "measure_week",
    "minutes_text",
    "muscle_minutes",
    "plan_table",
    "plot_category_days",
    "plot_muscle_volume",
    "plot_progression",
    "plot_week",
    "progress",
    "safety_content",
    "save_plan",
    "search_advice",
    "session_minutes",
    "session_results",
    "shipped_library",
    "starter_plans",
    "suggest_routine",
    "week_content",
    "weekly_volume",
]

__version__ = "0.2.0"
