"""backguide: an interactive guide to exercises that relieve back pain.

This is a guide, not a diagnosis.  Stop any exercise that makes your pain
worse, and see a clinician first if you have any of the warning signs in
``load_guidance().query("topic == 'red_flag'")``.
"""

from .dose import estimate_seconds
from .errors import BackguideError, Problem
from .handout import NothingToHandOut
from .filtering import filter_exercises, search_advice
from .charts import plot_category_days, plot_muscle_volume, plot_progression, plot_week
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

__all__ = [
    "BackguideError",
    "ENTRY_COLUMNS",
    "Library",
    "Plan",
    "Problem",
    "Progression",
    "SECONDARY_SHARE",
    "category_minutes",
    "category_summary",
    "check_guidance",
    "day_minutes",
    "describe_dose",
    "dose_for",
    "estimate_seconds",
    "NothingToHandOut",
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
    "muscle_minutes",
    "plan_table",
    "plot_category_days",
    "plot_muscle_volume",
    "plot_progression",
    "plot_week",
    "progress",
    "save_plan",
    "search_advice",
    "session_minutes",
    "shipped_library",
    "starter_plans",
    "suggest_routine",
    "weekly_volume",
]

__version__ = "0.2.0"
