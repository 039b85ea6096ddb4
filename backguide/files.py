"""Writing files so that a failed write never damages the file already there."""

from __future__ import annotations

import os
import re
import stat
import tempfile
import time
from pathlib import Path

#: A temporary file older than this many seconds is left from a write that
#: was killed; a younger one may be another writer's, still in progress.
STALE_AFTER_S = 60


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


def remove_stale_temps(path: str | Path, older_than: float = STALE_AFTER_S) -> list[Path]:
    """Remove temporary files that writes of ``path`` left behind.

    A write killed before it finished (the process was killed, the machine
    lost power) leaves its hidden ``.{name}.XXXXXXXX.tmp`` beside ``path``.
    Those of this same target, last changed more than ``older_than`` seconds
    ago, are removed; fresh ones, and everything else in the folder, stay.
    Returns the files removed.  A file that cannot be removed is left alone:
    tidying up never makes a write fail.
    """
    path = Path(path)
    # The random part has no dot, so ".week.json.x.abc.tmp" (a temporary file
    # of "week.json.x") never matches for "week.json".
    pattern = re.compile(re.escape(_temp_prefix(path)) + r"[^.]+\.tmp")
    cutoff = time.time() - older_than
    removed = []
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return removed
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and info.st_mtime < cutoff:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue  # gone already, or not ours to remove
    return removed


def write_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder.

    The temporary file is flushed to disk, then moved over ``path`` in one
    step (``os.replace``).  If anything fails, the temporary file is removed
    and whatever was at ``path`` is left as it was.  Temporary files of
    ``path`` left by earlier writes that were killed are removed first (see
    :func:`remove_stale_temps`).
    """
    path = Path(path)
    remove_stale_temps(path)
    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
