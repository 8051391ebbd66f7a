"""``--log-format json``: one JSON object a line on stderr, for log collectors.

A scheduler's log collector (Airflow, Kubernetes with Fluent Bit, Loki) reads
stderr line by line; with ``--log-format json`` every line is one event:

- ``{"event": "input", "input", "status", "exit_status", "outputs", "error", "n",
  "seconds", "worker"}`` for every input as it finishes (``status``: ``ok``,
  ``failed`` or ``skipped``; ``worker``: ``local`` for this process, a worker
  process's id, or a Dask worker's address; ``null`` for an input skipped);
  the class overview of ``--edition teacher`` is one more, named ``class``;
- ``{"event": "end", "exit_status", "inputs", "failed", "error", "seconds"}`` once,
  when the run ends, however it ends (``error``: what stopped it, else ``null``;
  ``inputs`` and ``failed`` count the input events before it).

``-q`` keeps the failed inputs' events and the end. With ``--log-format text``
(the default) nothing here writes: stderr holds the status lines of ``batch``.
``docs/cli.md`` is the contract.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from reportgen.errors import ReportgenError
    from reportgen.pipeline import Outcome


class EventLog:
    """The run's events on ``stream``, when ``json``; otherwise silent."""

    def __init__(self, stream: TextIO, json: bool = False) -> None:
        self.stream = stream
        self.json = json
        self.quiet = False
        self.debug = False
        self.inputs = 0
        self.failed = 0
        self._start = time.perf_counter()
        self._ended = False

    def input(self, outcome: Outcome) -> None:
        """``outcome`` is final: its event (not for a success with ``-q``), counted for the end."""
        self.inputs += 1
        self.failed += outcome.status != 0
        if not self.json or (self.quiet and outcome.status == 0):
            return
        event: dict[str, Any] = {"event": "input", **outcome.summary()}
        event["worker"] = None if outcome.skipped else outcome.worker
        if self.debug and outcome.trace:
            event["trace"] = outcome.trace
        self._write(event)

    def end(self, status: int, error: ReportgenError | str | None = None) -> int:
        """The run's last event (once); returns ``status``."""
        if self.json and not self._ended:
            self._write(
                {
                    "event": "end",
                    "exit_status": int(status),
                    "inputs": self.inputs,
                    "failed": self.failed,
                    "error": None if error is None else str(error),
                    "seconds": time.perf_counter() - self._start,
                }
            )
        self._ended = True
        return int(status)

    def _write(self, event: dict[str, Any]) -> None:
        print(json.dumps(event, ensure_ascii=False), file=self.stream, flush=True)


def asks_for_json(argv: Sequence[str]) -> bool:
    """Whether ``argv`` asks for ``--log-format json`` (read before the arguments are parsed,
    so that an error in them is a JSON event too)."""
    for i, word in enumerate(argv):
        if word == "--":
            break
        following = argv[i + 1 : i + 2]
        if word == "--log-format=json" or (word == "--log-format" and following == ["json"]):
            return True
    return False
