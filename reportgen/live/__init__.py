"""``reportgen live LOG``: the lesson on a projector while the class throws.

A local web server (Starlette on uvicorn, the ``live`` extra) over the same
analysis as the report. Nothing but ``reportgen.cli`` imports this package.
Rooms, each importing only those listed after it:

- ``command``: ``reportgen live``'s arguments, start-up, signals, exit statuses
- ``app``: the HTTP routes (one table), their answers, server-sent events
- ``room``: one class's session: LOG, the state and its listeners, group commits
- ``limits``: what a request may send: 1 KiB, JSON or form fields, 10 throws a second
- ``pages``: the projector's and the phone's page data, rendered from ``templates/live/``
- ``fonts``: the packaged fonts, subset to a page's characters, as ``data:`` URLs
- ``session``: the state (counts, N, ŷ, running means): ``Session``, for a notebook too
- ``logfile``: LOG on disk: read at start, appended with fsync, followed

Only ``Session`` is imported here, so a notebook needs no web server.
"""

from __future__ import annotations

from reportgen.live.session import Session, State

__all__ = ["Session", "State"]
