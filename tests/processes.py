"""Worker processes for the tests of many kernels at once (the journal store, the clinic
under load): one forkserver context, and one way to run them and read what they said."""

from __future__ import annotations

import multiprocessing
import time
from queue import Empty

import pytest

#: The processes start from a server that has imported backguide, pandas and SQLAlchemy
#: once (Python 3.11's server does not see the tests' folder, so no test module).
SPAWN = multiprocessing.get_context("forkserver")
SPAWN.set_forkserver_preload(["backguide", "backguide.journal.store", "pytest"])


def run_processes(jobs: list[tuple], timeout: float) -> list:
    """Run each ``(target, args)`` in a process, ``target(queue, i, *args)``; return
    what each put, in order.  A worker puts ``(i, result)``, or ``(i, "FAILED ...")``
    (after breaking any barrier, so the others stop waiting), which fails the test;
    so does a process that does not answer in ``timeout`` s (a deadlock or a hang)."""
    queue = SPAWN.Queue()
    procs = [SPAWN.Process(target=target, args=(queue, i, *args), daemon=True)
             for i, (target, args) in enumerate(jobs)]
    for p in procs:
        p.start()
    results = {}
    deadline = time.monotonic() + timeout
    try:
        while len(results) < len(procs):
            try:
                i, result = queue.get(timeout=max(deadline - time.monotonic(), 0.1))
            except Empty:
                pytest.fail(f"{len(procs) - len(results)} processes did not finish in "
                            f"{timeout:.0f} s (a deadlock or a hang); the others said: "
                            f"{results}")
            results[i] = result
    finally:
        for p in procs:
            p.join(timeout=5)
            if p.is_alive():
                p.kill()
    failed = [r for r in results.values() if isinstance(r, str) and r.startswith("FAILED")]
    assert not failed, failed
    return [results[i] for i in range(len(procs))]
