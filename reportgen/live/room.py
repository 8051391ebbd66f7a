"""One class's live session: LOG, the state built from it, and who is listening.

Throws that arrive together are written together (a group commit): the first
request starts a writer task, which appends every throw waiting at that moment
in one write and one ``fsync``, then the next waiting batch, until none waits;
each request is answered only after its own batch is on disk. The same task
reads LOG back, so the state holds exactly LOG's throws in LOG's order, lines
other programs appended included; between writes a follower polls LOG for them.

Each change of the state (a batch of new lines) is serialised once and put in
every listener's queue: one ``state`` event per change for ``/api/events``.
A listener that falls ``BACKLOG`` events behind loses its oldest ones; the
newest state always reaches it, and a state holds everything.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass

from reportgen.errors import ReportgenError
from reportgen.live.logfile import Line, LogFile
from reportgen.live.session import Session

#: Seconds between two looks at LOG for lines other programs appended.
FOLLOW_EVERY = 0.25

#: Events a slow listener may have waiting before the oldest are dropped.
BACKLOG = 256


@dataclass(frozen=True)
class Accepted:
    """A throw on disk: its line in LOG and the time written there."""

    line: int
    time: str


class Room:
    """The server's one session: appends throws to LOG and tells listeners of each change.

    Parameters
    ----------
    log : LogFile
        LOG, already opened (its throws in ``session``).
    session : Session
        The state of LOG's throws so far.
    """

    def __init__(self, log: LogFile, session: Session) -> None:
        self.log = log
        self.session = session
        self.state = session.state()
        self.state_json = json.dumps(self.state.to_dict(), ensure_ascii=False)
        self._pending: list[tuple[int, str, asyncio.Future[tuple[int, str]]]] = []
        self._writer: asyncio.Task[None] | None = None
        self._disk = asyncio.Lock()  # the writer and the follower take turns reading LOG
        self._listeners: set[asyncio.Queue[str | None]] = set()
        self.closing = False

    async def throw(self, index: int, source: str) -> Accepted:
        """Append one throw to LOG; returns once it is on disk (``IOFailure`` if it cannot be).

        Cancelling the caller does not cancel the write: the batch is written
        by the writer task, whoever waits for it.
        """
        future: asyncio.Future[tuple[int, str]] = asyncio.get_running_loop().create_future()
        self._pending.append((index, source, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_pending())
        line, time = await future
        return Accepted(line, time)

    async def _write_pending(self) -> None:
        """Write every waiting throw, batch after batch, until none waits."""
        async with self._disk:
            while self._pending:
                batch, self._pending = self._pending, []
                try:
                    lines, numbers = await asyncio.to_thread(
                        self.log.append, [(index, source) for index, source, _ in batch]
                    )
                except Exception as exc:  # LOG cannot be written: nothing is acknowledged
                    for *_, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                    continue
                self._take(lines)
                times = {line.number: line.time for line in lines}
                for (*_, future), number in zip(batch, numbers, strict=True):
                    if not future.done():
                        future.set_result((number, times.get(number, "")))

    async def follow(self, every: float = FOLLOW_EVERY) -> None:
        """Poll LOG for lines other programs append, until ``close``.

        A LOG that cannot be read (moved away, say) is named once on ``log.warn``,
        and followed again when it can be.
        """
        trouble = ""
        while not self.closing:
            await asyncio.sleep(every)
            if self._pending:
                continue  # the writer reads LOG anyway
            try:
                async with self._disk:
                    lines = await asyncio.to_thread(self.log.follow)
            except ReportgenError as exc:
                if str(exc) != trouble:
                    trouble = str(exc)
                    self.log.warn(f"error: {trouble}")
                continue
            trouble = ""
            self._take(lines)

    def _take(self, lines: Sequence[Line]) -> None:
        """Add throws read from LOG to the state and tell every listener (once for the batch)."""
        if not lines:
            return
        for line in lines:
            self.session.add_index(line.index, line.source)
        self.state = self.session.state()
        self.state_json = json.dumps(self.state.to_dict(), ensure_ascii=False)
        for queue in self._listeners:
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(self.state_json)

    def listen(self) -> asyncio.Queue[str | None]:
        """A queue that receives the state's JSON after each change (``None``: closing)."""
        queue: asyncio.Queue[str | None] = asyncio.Queue(BACKLOG)
        self._listeners.add(queue)
        return queue

    def leave(self, queue: asyncio.Queue[str | None]) -> None:
        """Stop telling ``queue`` of changes (its listener is gone)."""
        self._listeners.discard(queue)

    def close(self) -> None:
        """Stop following LOG and end every event stream (the server is stopping)."""
        self.closing = True
        for queue in self._listeners:
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(None)
