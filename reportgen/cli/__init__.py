"""The command line: arguments → a ``RunSpec`` → reports, through ``reportgen.api``.

Nothing imports this package; the console script is ``reportgen.cli:main``.
Rooms, each importing only those listed after it:

- ``main``: ``main()`` (errors, signals, exit statuses) and ``run(spec, stdout, stderr)``
- ``batch``: several inputs: scheduling, status lines, ``--summary``, ``--combine``
- ``classroom``: a class's outputs after the inputs': the teacher's and the public overview,
  the bundles
- ``inputs``: what the run reads, one ``Item`` a student (files, sheets, ``--split-by`` parts)
- ``manifest``: ``--skip-unchanged``
- ``dask_engine``: ``--engine dask``, counting on a Dask cluster
- ``engines``: the ``Engine`` protocol and the local engine, this machine's workers
- ``collector``: the garbage collector of a reportgen process (thresholds, freezes)
- ``plan``: where outputs go, the clobber checks, writing one target and stdout
- ``args``: the parser and the frozen ``RunSpec`` it yields
- ``choices``: the editions and ``--split-by`` checked, argparse's messages as the catalogue's
"""

from __future__ import annotations

from reportgen.cli.main import main

__all__ = ["main"]
