"""textual-serve's Server, adapted for a classroom: a page that needs no internet, links
that work from any address the server is reached at, and a quick, clean stop.

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
from aiohttp import WSCloseCode, web
from aiohttp.web_runner import GracefulExit
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

log = logging.getLogger("textual-serve")


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
    ) -> None:
        super().__init__(command, host=host, port=port, title="listen-trainer")
        self.templates_path = templates_path
        self.stop_timeout = stop_timeout
        self._sockets: set[web.WebSocketResponse] = set()
        self._services: set[AppService] = set()

    def initialize_logging(self) -> None:
        # textual-serve's handler prints tracebacks with local variables, which may hold
        # what a participant typed: plain messages only.
        logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

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
        """textual-serve's handler, with each socket tracked so a stop can close it."""
        websocket = web.WebSocketResponse(heartbeat=15)
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
        except (ValueError, AssertionError, ConnectionError) as error:
            # A malformed message from a browser ends its session, not the server.
            log.warning("a browser session ended: %s", error)
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
                self._make_app(),
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
