"""The garbage collector of a ``reportgen`` process: fewer collections, none at exit.

Measured on the sample PDF (2 cores, ``gc.callbacks``): with CPython's
default thresholds (700, 10, 10) the collector ran about 800 times and took
0.6 s of a 4 s report, walking the hundreds of thousands of objects pandas,
scipy, matplotlib and WeasyPrint leave alive; and the interpreter's own last
collections, at exit, took another 0.5 s. A report does leave cyclic garbage
(about 70,000 objects for a small one: mathtext's parse exceptions with
their tracebacks, HTML tree elements), so the rarer collections suit one
report and not a long loop of them: one report's peak stayed the same
(237 MiB), but a worker making report after report with them grew by about
12 MB a report (to 800 MB after 40), where with the default thresholds it
stays near 330 MB, and collecting by hand every few reports cost what the
rarer collections saved.

- ``fewer_collections``: while the command makes one report, a young
  collection after every ``YOUNG`` allocations instead of 700; the old
  thresholds come back after.
- ``worker_ready``: in a worker, after its imports, every object alive is
  moved where collections no longer walk it (``gc.freeze``, made for forked
  workers), so each report's collections walk only the report's objects;
  the thresholds stay the default.
- ``quiet_exit``: at exit (``atexit``), the same freeze, so the interpreter's
  last collections have nothing to walk. The other ``atexit`` handlers and
  the flushing of the standard streams still run; what is frozen is not
  collected, so an object in a reference cycle is not finalized at exit,
  and nothing reportgen writes depends on that: every file is written
  whole, closed and renamed before.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
from collections.abc import Iterator

#: Allocations between young collections (CPython's default is 700).
YOUNG = 50_000

_registered = False


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect the youngest generation every ``YOUNG`` allocations inside the block."""
    before = gc.get_threshold()
    if before[0]:  # 0: collection is off, and stays off
        gc.set_threshold(max(before[0], YOUNG), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def worker_ready() -> None:
    """In a worker whose imports are done: every object alive frozen."""
    gc.collect()
    gc.freeze()


def quiet_exit() -> None:
    """At exit, leave the collector nothing to walk (once a process)."""
    global _registered
    if not _registered:
        _registered = True
        atexit.register(gc.freeze)
