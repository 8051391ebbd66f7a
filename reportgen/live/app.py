"""The live lesson's HTTP routes, declared in one table, and their answers (``docs/live.md``).

| route | answer |
|---|---|
| ``GET /`` | the projector page (code, QR code, keys: for this computer or ``?code=``) |
| ``GET /throw?code=…`` | the phone page; 403 without the right code |
| ``POST /api/throws`` | 201 and the new state once the throw is in LOG; 403 413 422 429 503 |
| ``GET /api/state`` | the state as JSON |
| ``GET /api/events`` | server-sent events: the state now, then one ``state`` event a change |

No route takes a path or a file name: LOG is the one the command was given.
Every answer's words come from the catalogue, in the session's language.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import secrets
from collections.abc import AsyncIterator, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response, StreamingResponse
from starlette.routing import Route

from reportgen.errors import ReportgenError
from reportgen.faces import show_cell
from reportgen.live.limits import TOKEN, BadBody, RateLimit, TooLarge, fields, read_body
from reportgen.live.pages import Pages, csp
from reportgen.live.room import Room

#: Seconds between two comments on an idle event stream (proxies close silent streams).
KEEP_ALIVE = 15.0

#: Headers of every page: nothing cached, nothing sniffed, no address passed on.
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _same_code(given: object, code: str) -> bool:
    """Is ``given`` the class code (compared in constant time)?"""
    return isinstance(given, str) and secrets.compare_digest(given.encode(), code.encode())


def _is_local(request: Request) -> bool:
    """Does the request come from this computer (the one that projects)?"""
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Live:
    """The handlers of one session's routes.

    Parameters
    ----------
    room : Room
        The session: LOG, the state and its listeners.
    pages : Pages
        The session's pages and words.
    code : str
        The class code that a throw and the phone page need.
    warn : callable
        Prints a line on the server's stderr (a throw that LOG refused).
    """

    def __init__(self, room: Room, pages: Pages, code: str, warn: Callable[[str], None]) -> None:
        self.room = room
        self.pages = pages
        self.code = code
        self.warn = warn
        self.limit = RateLimit()
        self.ready: asyncio.Future[None] | None = None  # the pages' fonts, made at start-up

    def routes(self) -> list[Route]:
        """The routes, in one table."""
        return [
            Route("/", self.projector, methods=["GET"]),
            Route("/throw", self.phone, methods=["GET"]),
            Route("/api/throws", self.add_throw, methods=["POST"]),
            Route("/api/state", self.state, methods=["GET"]),
            Route("/api/events", self.events, methods=["GET"]),
        ]

    # --- pages ---------------------------------------------------------------------------

    async def _page(self, render: Callable[[str], str], status: int = 200) -> Response:
        if self.ready is not None:
            await self.ready
        nonce = secrets.token_urlsafe(16)
        headers = {**PAGE_HEADERS, "Content-Security-Policy": csp(nonce)}
        return HTMLResponse(render(nonce), status_code=status, headers=headers)

    async def projector(self, request: Request) -> Response:
        """``GET /``: the page for the projector."""
        show = _is_local(request) or _same_code(request.query_params.get("code"), self.code)
        state = self.room.state_json
        return await self._page(
            lambda nonce: self.pages.projector(state, show_code=show, nonce=nonce)
        )

    async def phone(self, request: Request) -> Response:
        """``GET /throw?code=…``: the phone page, or 403 and a page that says why."""
        if _same_code(request.query_params.get("code"), self.code):
            return await self._page(lambda nonce: self.pages.phone(nonce=nonce))
        return await self._page(lambda nonce: self.pages.refused(nonce=nonce), status=403)

    # --- the API -------------------------------------------------------------------------

    def _refuse(self, status: int, key: str, **values: Any) -> Response:
        """An error answer: JSON ``{"error": words, "status": status}``."""
        body = {"error": self.pages.message(key, **values), "status": status}
        headers = {"Retry-After": "1"} if status == 429 else None
        return Response(
            json.dumps(body, ensure_ascii=False),
            status_code=status,
            media_type="application/json",
            headers=headers,
        )

    async def add_throw(self, request: Request) -> Response:
        """``POST /api/throws``: one throw, answered 201 only once it is in LOG, on disk."""
        try:
            body = await read_body(request.headers.get("content-length"), request.stream())
            given = fields(request.headers.get("content-type"), body)
        except TooLarge:
            return self._refuse(413, "too_large")
        except BadBody:
            return self._refuse(422, "body")
        if not _same_code(given.get("code"), self.code):
            return self._refuse(403, "code")
        refused = self._check(given)
        if refused is not None:
            return refused
        faces = self.room.session.faces
        index, _ = faces.index(str(given["face"]))
        assert index is not None  # checked above
        client, source = given.get("client"), str(given.get("source") or "api")
        address = request.client.host if request.client else ""
        if not self.limit.allow(f"client {client}" if client else f"address {address}"):
            return self._refuse(429, "too_fast")
        try:
            accepted = await self.room.throw(index, source)
        except ReportgenError as exc:
            self.warn(f"error: {exc}")
            return self._refuse(503, "not_saved", reason=exc.message)
        throw = {"line": accepted.line, "face": faces.labels[index], "time": accepted.time}
        text = (
            '{"throw": ' + json.dumps(throw, ensure_ascii=False) + ", " + self.room.state_json[1:]
        )
        return Response(text, status_code=201, media_type="application/json")

    def _check(self, given: dict[str, object]) -> Response | None:
        """The 422 answer for a missing or unknown face, or a malformed client or source."""
        face = given.get("face")
        if face is None or face == "":
            return self._refuse(422, "no_face")
        faces = self.room.session.faces
        if isinstance(face, bool) or not isinstance(face, str | int):
            return self._refuse(422, "face", face=show_cell(str(face)), faces=faces.describe())
        if faces.index(str(face))[0] is None:
            return self._refuse(422, "face", face=show_cell(str(face)), faces=faces.describe())
        for name in ("client", "source"):
            value = given.get(name)
            if value is not None and not (isinstance(value, str) and TOKEN.fullmatch(value)):
                return self._refuse(422, "field", field=name)
        return None

    async def state(self, request: Request) -> Response:
        """``GET /api/state``: ``n``, ``faces``, ``counts``, ``mle``, ``cross_entropy_mean``, …"""
        return Response(
            self.room.state_json,
            media_type="application/json",
            headers={"Cache-Control": "no-store"},
        )

    async def events(self, request: Request) -> Response:
        """``GET /api/events``: the state now, then one ``state`` event after each change."""
        return StreamingResponse(
            self._stream(),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    async def _stream(self) -> AsyncIterator[str]:
        queue = self.room.listen()
        try:
            # A client that lost the connection tries again after a second.
            yield f"retry: 1000\nevent: state\ndata: {self.room.state_json}\n\n"
            while not self.room.closing:
                try:
                    data = await asyncio.wait_for(queue.get(), KEEP_ALIVE)
                except TimeoutError:
                    yield ": still here\n\n"
                    continue
                if data is None:
                    return
                yield f"event: state\ndata: {data}\n\n"
        finally:
            self.room.leave(queue)


def create_app(live: Live) -> Starlette:
    """The Starlette application: ``live``'s routes; LOG followed while it runs."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        follower = asyncio.create_task(live.room.follow())
        live.ready = asyncio.ensure_future(asyncio.to_thread(live.pages.prepare))
        try:
            yield
        finally:
            live.room.close()
            follower.cancel()
            await asyncio.gather(follower, live.ready, return_exceptions=True)

    return Starlette(routes=live.routes(), lifespan=lifespan)
