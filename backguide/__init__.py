"""backguide: an interactive guide to exercises that relieve back pain.

This is a guide, not a diagnosis.  Stop any exercise that makes your pain
worse, and see a clinician first if you have any of the warning signs in
``load_guidance().query("topic == 'red_flag'")``.
"""

from .dose import estimate_seconds
from .errors import BackguideError, Problem
from .filtering import filter_exercises
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
)
from .plan import Entry, Plan, Session, load_plan, load_starter, save_plan, starter_plans
from .progression import Progression, progress
from .week import check_guidance, plan_table, weekly_volume

__all__ = [
    "BackguideError",
    "Entry",
    "Plan",
    "Progression",
    "Session",
    "check_guidance",
    "load_plan",
    "load_starter",
    "plan_table",
    "plot_category_days",
    "plot_muscle_volume",
    "plot_progression",
    "plot_week",
    "progress",
    "save_plan",
    "starter_plans",
    "weekly_volume",
    "Library",
    "Problem",
    "SECONDARY_SHARE",
    "estimate_seconds",
    "exercise_muscles",
    "filter_exercises",
    "load_doses",
    "load_exercises",
    "load_guidance",
    "load_library",
    "load_poses",
    "load_sources",
]

__version__ = "0.1.0"
