"""textual-serve's Server, adapted for a classroom: a page that needs no internet, links
that work from any address the server is reached at, sessions only from its own page and
no more than it was told to run, plain one-line logs, and a quick, clean stop.

Kept apart from `serve.py` because importing it needs textual-serve and aiohttp.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import WSCloseCode, web
from aiohttp.typedefs import Handler
from aiohttp.web_runner import GracefulExit
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from listen_trainer.cli.serve import FULL, host_allowed, same_origin
from listen_trainer.content.yaml_source import visible

log = logging.getLogger("textual-serve")
# What a browser's malformed messages raise in textual-serve's message loop.
_BAD_MESSAGE = (ValueError, TypeError, AttributeError, IndexError, KeyError, AssertionError)


class _OneLine(logging.Formatter):
    """A log record as one line: no traceback (its frames may hold what a participant
    typed) and no control characters (a request's bytes must not drive the console)."""

    def format(self, record: logging.LogRecord) -> str:
        line = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            line += f" ({type(record.exc_info[1]).__name__})"
        return visible(line).replace("\n", " ")


class TrainerServer(Server):
    """One trainer process per browser, as textual-serve does; see `serve.py`."""

    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        stop_timeout: float,
        templates_path: Path,
        max_sessions: int,
    ) -> None:
        super().__init__(command, host=host, port=port, title="listen-trainer")
        self.templates_path = templates_path
        self.stop_timeout = stop_timeout
        self.max_sessions = max_sessions
        self._sockets: set[web.WebSocketResponse] = set()
        self._services: set[AppService] = set()

    def initialize_logging(self) -> None:
        # textual-serve's handler prints tracebacks with local variables, which may hold
        # what a participant typed: plain messages only.
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_OneLine())
        logging.basicConfig(level=logging.INFO, handlers=[handler])
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

    def make_app(self) -> web.Application:
        """The web application: the page, its websocket, downloads and static files (not
        listed), behind a check that each request names this server."""
        app = web.Application(middlewares=[self._own_host])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, show_index=False, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    @web.middleware
    async def _own_host(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not host_allowed(request.host, self.host):
            log.warning("refused a request for another host name (DNS rebinding?)")
            raise web.HTTPMisdirectedRequest(text="This server answers at its own address.")
        return await handler(request)

    def _full(self) -> bool:
        return len(self._sockets) >= self.max_sessions

    async def on_startup(self, app: web.Application) -> None:
        pass  # textual-serve prints its banner here, before the port is even bound

    def _listening(self, *_aiohttp_banner: object) -> None:
        # aiohttp calls this once the port is bound: only now can a browser join.
        print(f"listen-trainer is served at http://{self._shown_host()}:{self.port}/")
        print("Each browser that opens it gets its own trainer. Press Ctrl+C to stop.")
        sys.stdout.flush()

    def _shown_host(self) -> str:
        if self.host in ("0.0.0.0", "::", ""):
            return "<this machine's address>"
        return f"[{self.host}]" if ":" in self.host else self.host

    async def on_shutdown(self, app: web.Application) -> None:
        """End every browser's trainer before the server goes, so none is left running.

        Each is told to quit (textual-serve's way) and waited for; one that has not
        ended after `stop_timeout` is killed. Nothing is lost by that: an attempt is
        saved the moment it is scored.
        """
        services = list(self._services)
        if services:
            ending = asyncio.gather(*(self._end(service) for service in services))
            try:
                await asyncio.wait_for(ending, timeout=self.stop_timeout)
            except TimeoutError:
                for service in services:
                    process = service._process
                    if process is not None and process.returncode is None:
                        process.kill()
                        await process.wait()
        for socket in list(self._sockets):
            await socket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped")

    @staticmethod
    async def _end(service: AppService) -> None:
        await service.stop()
        if service._process is not None:
            await service._process.wait()

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        if self._full():
            raise web.HTTPServiceUnavailable(text=FULL.format(sessions=len(self._sockets)))
        # textual-serve builds the page's links from --host, which for 0.0.0.0 is no
        # address a browser can use; the address the browser itself used always works.
        base = f"{request.scheme}://{request.host}"
        socket_scheme = "wss" if request.scheme == "https" else "ws"
        return {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{socket_scheme}://{request.host}/ws",
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": self.title},
        }

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's handler, for this server's own page only and up to
        `max_sessions` at once, with each socket tracked so a stop can close it."""
        if not same_origin(request.headers.get("Origin"), request.host):
            # Any page open in a browser on this machine could otherwise start sessions,
            # save attempts under any profile and read its progress.
            log.warning("refused a session opened by a page from another site")
            raise web.HTTPForbidden(text="Sessions start from this server's own page only.")
        websocket = web.WebSocketResponse(heartbeat=15)
        if self._full():
            await websocket.prepare(request)
            full = FULL.format(sessions=len(self._sockets))
            log.warning("turned a browser away: %s", full)
            await websocket.send_bytes(f"\r\n  {full}\r\n".encode())
            await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER, message=b"full")
            return websocket
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        app_service: AppService | None = None
        self._sockets.add(websocket)
        try:
            await websocket.prepare(request)
            app_service = AppService(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            self._services.add(app_service)
            await app_service.start(width, height)
            await self._process_messages(websocket, app_service)
        except asyncio.CancelledError:
            await websocket.close()
        except (*_BAD_MESSAGE, ConnectionError) as error:
            # A malformed message from a browser ends its session, not the server.
            log.warning("a browser session ended: %s", type(error).__name__)
        finally:
            self._sockets.discard(websocket)
            if app_service is not None:
                await app_service.stop()
                self._services.discard(app_service)
        return websocket

    def serve(self, debug: bool = False) -> None:
        """Serve until Ctrl+C or SIGTERM; then close every session and return."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)

        def request_exit() -> None:
            raise GracefulExit()

        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, request_exit)
        try:
            web.run_app(
                self.make_app(),
                host=self.host,
                port=self.port,
                handle_signals=False,
                loop=loop,
                shutdown_timeout=self.stop_timeout,
                print=self._listening,
            )
        finally:
            if not loop.is_closed():
                loop.close()
