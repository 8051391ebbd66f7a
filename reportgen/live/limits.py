"""What one request may send: its size, its fields, and how many throws a second.

A throw's body is a few dozen bytes; anything over ``MAX_BODY`` is refused
by its ``Content-Length`` before it is read, and by the bytes actually read
when it has none or it lies. A hand throws a die a few times a second: more
than ``PER_SECOND`` throws within one second from one client (its id, else
its address) are refused.
"""

from __future__ import annotations

import json
import re
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from urllib.parse import parse_qs

#: Largest body of ``POST /api/throws``, in bytes.
MAX_BODY = 1024

#: Most throws one client may make within one second.
PER_SECOND = 10

#: A client id or a source: what the phone page and scripts send, and nothing that could
#: surprise a terminal, a CSV reader or a page.
TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")

#: Clients remembered by the rate limit before the quiet ones are forgotten.
MAX_CLIENTS = 10_000


class TooLarge(Exception):
    """The body is over ``MAX_BODY`` bytes."""


class BadBody(Exception):
    """The body is neither a JSON object nor form fields."""


async def read_body(
    content_length: str | None, chunks: AsyncIterator[bytes], limit: int = MAX_BODY
) -> bytes:
    """The whole body, or ``TooLarge`` as soon as either its declared or its read size is over."""
    if content_length is not None:
        try:
            declared = int(content_length)
        except ValueError:
            raise BadBody from None
        if declared > limit:
            raise TooLarge
    body = bytearray()
    async for chunk in chunks:
        body += chunk
        if len(body) > limit:
            raise TooLarge
    return bytes(body)


def fields(content_type: str | None, body: bytes) -> dict[str, object]:
    """The fields of a JSON object or of ``application/x-www-form-urlencoded`` form data.

    A form field given twice counts once (its first value). ``BadBody`` for
    anything else: another media type, bytes that are not UTF-8, JSON that is
    not an object.
    """
    media = (content_type or "").split(";")[0].strip().casefold()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadBody from None
    if media == "application/json" or (media == "" and text.lstrip().startswith("{")):
        try:
            value = json.loads(text)
        except ValueError:
            raise BadBody from None
        if not isinstance(value, dict):
            raise BadBody
        return value
    if media == "application/x-www-form-urlencoded":
        try:
            parsed = parse_qs(text, keep_blank_values=True, max_num_fields=16)
        except ValueError:
            raise BadBody from None
        return {name: values[0] for name, values in parsed.items()}
    raise BadBody


class RateLimit:
    """At most ``per_second`` events per key within any one second (a sliding window).

    Parameters
    ----------
    per_second : int
        Events a key may have within one second.
    clock : callable
        Seconds, monotonic (``time.monotonic``; a test may pass its own).
    """

    def __init__(self, per_second: int = PER_SECOND, clock: Callable[[], float] = time.monotonic):
        self.per_second = per_second
        self.clock = clock
        self._seen: dict[str, deque[float]] = {}

    def allow(self, key: str) -> bool:
        """Whether one more event of ``key`` is within the limit; only allowed ones are counted."""
        now = self.clock()
        times = self._seen.get(key)
        if times is None:
            if len(self._seen) >= MAX_CLIENTS:
                self._forget(now)
            times = self._seen[key] = deque()
        while times and now - times[0] >= 1.0:
            times.popleft()
        if len(times) >= self.per_second:
            return False
        times.append(now)
        return True

    def _forget(self, now: float) -> None:
        """Drop the keys with no event in the last second (they are within any limit)."""
        for key in [key for key, times in self._seen.items() if not times or now - times[-1] >= 1]:
            del self._seen[key]
