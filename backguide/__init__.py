"""backguide: an interactive guide to exercises that relieve back pain.

This is a guide, not a diagnosis.  Stop any exercise that makes your pain
worse, and see a clinician first if you have any of the warning signs in
``load_guidance().query("topic == 'red_flag'")``.
"""

from .dose import estimate_seconds
from .errors import BackguideError, Problem
from .filtering import filter_exercises
from .library import (
    SECONDARY_SHARE,
    Library,
    exercise_muscles,
    load_doses,
    load_exercises,
    load_guidance,
    load_library,
    load_sources,
)

__all__ = [
    "BackguideError",
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
    "load_sources",
]

__version__ = "0.1.0"
