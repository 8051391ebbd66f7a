"""A batch of more reports than a worker makes before it is replaced finishes (issue 21).

Kept apart from ``test_batch_jobs.py`` (whose helpers it uses) so that the suite's two
workers share the slowest batch tests.
"""

from __future__ import annotations

import os
import signal

import pytest

from tests.cli.test_batch_jobs import LIMIT, _group_gone, _logs, _start
from tests.conftest import listing


@pytest.mark.parametrize(("count", "jobs"), [(30, "2"), (14, "1")])
def test_a_long_batch_finishes(tmp_path, count, jobs):
    """More reports than a worker makes before it is replaced, several times over: each
    worker retires after 6 (``REPORTGEN_WORKER_REPORTS``; 64 by default, the same code), so
    30 inputs on 2 workers replace workers 4 times or more, as 150 would with the default,
    and 14 on one worker twice, as 70 would; an HTML report costs about a second of
    figures, which keeps the test short."""
    logs = _logs(tmp_path / "in", count)
    out = tmp_path / "out"
    job = _start(tmp_path / "in", "-f", "html", "-o", out, "--jobs", jobs, "-q",
                 env={"REPORTGEN_WORKER_REPORTS": "6"})  # fmt: skip
    try:
        _, err = job.communicate(timeout=LIMIT)
    finally:
        if job.poll() is None:
            os.killpg(job.pid, signal.SIGKILL)
    assert job.returncode == 0, err.decode()
    assert listing(out) == [f"{p.stem}.html" for p in logs]
    assert _group_gone(job.pid)
