"""``reportgen live LOG``: its arguments, start-up, signals and exit statuses.

``main`` reads the arguments, opens LOG (creating it with its header if it is
new, reading its throws if not), listens on a loopback port unless ``--host``
says otherwise, prints the pages' URLs and the class code, and serves until
SIGINT or SIGTERM. Then it ends every event stream, lets the requests in
flight finish (each throw is on disk before it is acknowledged, so LOG is
complete), prints the commands that make the report and the worksheets from
LOG, and returns 0.

| exit status | when |
|---|---|
| 0 | stopped by SIGINT or SIGTERM (or ``--help``) |
| 2 | a bad option, the ``live`` extra missing, or the address cannot be listened on |
| 65 | LOG is not a live log (its first line is not ``face,time,source``) |
| 66 | LOG cannot be read |
| 73 | LOG cannot be created |
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import secrets
import shlex
import signal
import socket
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from reportgen.errors import ExitStatus, ReportgenError, UsageError
from reportgen.faces import Faces, parse_faces
from reportgen.options import LANGUAGES, parse_model
from reportgen.printable import escaped

#: What the ``live`` extra installs, by import name.
EXTRA = ("starlette", "uvicorn", "segno")

#: A generated class code: letters and digits that cannot be mistaken for one another.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6

#: Addresses that mean "every interface": the URL to print is then the LAN address.
ANY_ADDRESS = ("0.0.0.0", "::", "")


@dataclass(frozen=True)
class Settings:
    """The validated arguments of one ``reportgen live`` run."""

    log: str
    faces: Faces
    faces_spec: str
    model: tuple[float, ...]
    model_spec: str
    lang: str
    host: str
    port: int
    code: str


def parser() -> argparse.ArgumentParser:
    """The argument parser of ``reportgen live``."""
    p = argparse.ArgumentParser(
        prog="reportgen live",
        description="The lesson on a projector while the class throws: a local web server "
        "that appends every throw to LOG and shows the counts, the estimate and the "
        "cross-entropy (4.3) as they change.",
        epilog="Needs the live extra: pip install 'reportgen[live]'. Afterwards "
        "'reportgen LOG' makes the report of the same throws.",
    )
    p.add_argument("log", metavar="LOG", help="the roll log (face,time,source); created if new")
    p.add_argument("--faces", default="6", metavar="SPEC", help="K (faces 1..K) or labels H,T")
    p.add_argument("--lang", default="en", choices=LANGUAGES, help="language of the pages")
    p.add_argument("--model", default="fair", metavar="SPEC", help="fair, or K probabilities")
    p.add_argument(
        "--host", default="127.0.0.1", help="address to listen on; 0.0.0.0 lets phones in"
    )
    p.add_argument("--port", default=8765, type=int, help="port (0: any free port)")
    p.add_argument("--code", metavar="CODE", help="class code (default: random each session)")
    return p


def settings(args: argparse.Namespace) -> Settings:
    """Validated settings from parsed arguments (``UsageError`` for a bad value)."""
    faces = parse_faces(args.faces)
    model = parse_model(args.model, faces)
    code = args.code
    if code is None:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    elif not (4 <= len(code) <= 64 and code.isascii() and code.replace("-", "").isalnum()):
        raise UsageError(f"--code {code!r}: use 4 to 64 letters, digits or -")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port}: a port is 0 to 65535")
    return Settings(
        args.log, faces, args.faces, model, args.model, args.lang, args.host, args.port, code
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``reportgen live`` (``reportgen.cli.main`` hands it the arguments)."""
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # --help, or argparse's own usage error (2)
        return int(exc.code or 0)
    missing = [name for name in EXTRA if not _installed(name)]
    if missing:
        print(
            f"reportgen: error: reportgen live needs {', '.join(missing)}: "
            "pip install 'reportgen[live]'",
            file=sys.stderr,
        )
        return int(ExitStatus.USAGE)
    try:
        return serve(settings(args), sys.stdout, sys.stderr)
    except ReportgenError as exc:
        for line in exc.lines():
            print(f"reportgen: error: {escaped(line)}", file=sys.stderr)
        return int(exc.status)


def _installed(name: str) -> bool:
    """Can ``name`` be imported (without importing it)?"""
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # ValueError: blocked in sys.modules
        return False


def serve(run: Settings, stdout: TextIO, stderr: TextIO) -> int:
    """Open LOG, listen, print where to go, serve until a signal; the exit status."""
    from reportgen.live.app import Live, create_app
    from reportgen.live.logfile import LogFile
    from reportgen.live.pages import Lesson, Pages
    from reportgen.live.room import Room
    from reportgen.live.session import Session

    def warn(text: str) -> None:
        """A problem with LOG (a line skipped, a write refused) on stderr."""
        print(f"reportgen: {escaped(text)}", file=stderr, flush=True)

    log = LogFile(run.log, run.faces, warn)
    session = Session(run.faces, run.model_spec)
    for line in log.open():
        session.add_index(line.index, line.source)
    sock = _listen(run.host, run.port)
    port = sock.getsockname()[1]
    base = f"http://{_url_host(run.host)}:{port}"
    phone_url = f"{base}/throw?code={run.code}"
    local_only = _is_loopback(run.host)
    lesson = Lesson(
        run.lang, run.faces, run.model, run.model_spec.strip().casefold() == "fair",
        run.code, phone_url, local_only,
    )  # fmt: skip
    pages = Pages(lesson)
    room = Room(log, session)
    _banner(pages, run, base, phone_url, session.n, stdout)
    _run_server(create_app(Live(room, pages, run.code, warn)), sock, room)
    print(escaped(pages.console("after", log=run.log, n=session.n)), file=stdout)
    for command in _report_commands(run):
        print(f"  {escaped(command)}", file=stdout)
    stdout.flush()
    return int(ExitStatus.OK)


def _banner(pages: Any, run: Settings, base: str, phone_url: str, n: int, out: TextIO) -> None:
    say = pages.console
    lines = [
        say("projector", url=base + "/"),
        say("phone", url=phone_url),
        say("code", code=run.code),
    ]
    if _is_loopback(run.host):
        lines.append(say("local"))
    if n:
        lines.append(say("resumed", log=run.log, n=n))
    lines.append(say("stop", log=run.log))
    print("\n".join(escaped(line) for line in lines), file=out, flush=True)  # LOG's name


def _report_commands(run: Settings) -> list[str]:
    """``reportgen LOG`` and its worksheet, with the options that read LOG as the server did."""
    options = []
    if run.faces_spec != "6":
        options += ["--faces", run.faces_spec]
    if run.model_spec.strip().casefold() != "fair":
        options += ["--model", run.model_spec]
    if run.lang != "en":
        options += ["--lang", run.lang]
    base = ["reportgen", run.log, *options]
    return [shlex.join(base), shlex.join([*base, "--edition", "student"])]


def _listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (``UsageError`` if it cannot be had)."""
    try:
        infos = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
        family, kind, proto, _, address = infos[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        raise UsageError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}",
            hint="choose another --port, or --port 0 for any free one",
        ) from None
    return sock


def _is_loopback(host: str) -> bool:
    return host in ("localhost",) or host.startswith("127.") or host == "::1"


def _url_host(host: str) -> str:
    """The host part of the URLs to print: the LAN address when listening on all of them."""
    if host in ANY_ADDRESS:
        host = lan_address()
    return f"[{host}]" if ":" in host else host


def lan_address() -> str:
    """This machine's address on the room's network: the one its default route leaves from.

    Connecting a UDP socket sends nothing; it only makes the system choose the
    source address it would use (here towards 192.0.2.1, a documentation
    address, RFC 5737, that is never reached). Without a route: the host name.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))
            return str(probe.getsockname()[0])
        except OSError:
            return socket.gethostname()


def _run_server(app: Any, sock: socket.socket, room: Any) -> None:
    """Serve ``app`` on ``sock`` until SIGINT or SIGTERM, then stop cleanly."""
    import uvicorn

    class Server(uvicorn.Server):
        """uvicorn's server, stopped by our signal handlers without re-raising the signal.

        A stop ends every event stream first (``room.close``): uvicorn waits for
        open responses, and an event stream never ends by itself.
        """

        loop: asyncio.AbstractEventLoop | None = None

        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            """SIGINT and SIGTERM call ``stop`` while serving; the old handlers come back after."""
            self.loop = asyncio.get_running_loop()
            previous = {
                sig: signal.signal(sig, self.stop) for sig in (signal.SIGINT, signal.SIGTERM)
            }
            try:
                yield
            finally:
                for sig, handler in previous.items():
                    signal.signal(sig, handler)

        def stop(self, signum: int, frame: object) -> None:
            """Stop serving: no new connections, event streams ended, requests finished."""
            # A second signal changes nothing: the requests in flight still finish, within
            # timeout_graceful_shutdown, and the application still shuts down.
            self.should_exit = True
            if self.loop is not None:
                self.loop.call_soon_threadsafe(room.close)

    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=5,
        ws="none",
    )
    server = Server(config)
    with sock:
        asyncio.run(server.serve(sockets=[sock]))
