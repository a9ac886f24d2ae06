"""The emulator over real HTTP on loopback (stdlib ThreadingHTTPServer, background thread).

    with EmulatorServer(Emulator(build_demo_state()), port=0) as base_url:
        ...  # base_url == "http://127.0.0.1:<port>/developers/rest/v1"

HTTP/1.1 with keep-alive, like the real server behind its proxy. Faults are acted out
on the socket (faults.py): "reset" closes with a TCP RST before processing,
"drop_response" closes cleanly after applying, with no answer, "timeout" holds the
connection without answering until `hold_timeout` passes or the server stops.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TextIO
from urllib.parse import parse_qsl, unquote, urlsplit

from kiteboard.emulator.app import BASE_PATH, Emulator, EmulatorResponse, api_path, outside_base


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a held ("timeout") connection must not block stop()
    emulator: Emulator
    log: TextIO | None
    hold_timeout: float
    released: threading.Event

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that went away is normal weather, not a traceback on stderr


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle on, each answer would wait for
    # the client's delayed ACK (~40 ms on Linux).
    disable_nagle_algorithm = True
    server_version = "kitemaker-emulator"
    sys_version = ""

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

    def _serve(self) -> None:
        started = time.monotonic()
        body = self._read_body()
        if body is None:
            return
        emulator = self.server.emulator
        if emulator.latency_s:
            time.sleep(emulator.latency_s)
        url = urlsplit(self.path)
        full_path = unquote(url.path)
        path = api_path(full_path)
        if path is None:
            answer = outside_base(self.command, full_path)
        else:
            query: dict[str, str] = {}
            for key, value in parse_qsl(url.query, keep_blank_values=True):
                query.setdefault(key, value)
            headers = {key.lower(): value for key, value in self.headers.items()}
            answer = emulator.handle(self.command, path, query, headers, body)
        self._log(answer, started)
        if answer.fault is not None:
            self._act_out(answer.fault)
        else:
            self._send(answer)

    def _read_body(self) -> bytes | None:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline().strip():  # trailers
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = self.headers.get("Content-Length", "0")
        if not length.isdigit():
            self.send_error(400, "Bad Content-Length")
            return None
        return self.rfile.read(int(length)) if int(length) else b""

    def _send(self, answer: EmulatorResponse) -> None:
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        self.wfile.write(answer.body)

    def _act_out(self, fault: str) -> None:
        self.close_connection = True
        if fault == "timeout":
            self.server.released.wait(self.server.hold_timeout)
        elif fault == "reset":
            # SO_LINGER with a zero timeout: close() sends RST instead of FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()  # "drop_response" and the rest: closed, no answer

    def _log(self, answer: EmulatorResponse, started: float) -> None:
        # One line a request; never a header (the X-API-KEY is a secret).
        if self.server.log is None:
            return
        outcome = answer.fault or str(answer.status)
        elapsed = (time.monotonic() - started) * 1000
        line = f"{self.command} {self.path} -> {outcome} ({elapsed:.0f} ms)\n"
        try:
            self.server.log.write(line)
            self.server.log.flush()
        except (OSError, ValueError):
            pass

    def log_message(self, format: str, *args: object) -> None:
        pass  # http.server's own access log is replaced by `_log`


class EmulatorServer:
    """Serve `emulator` on host:port (0 picks a free port) in a background thread."""

    def __init__(
        self,
        emulator: Emulator,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        log: TextIO | None = None,
        hold_timeout: float = 60.0,
    ) -> None:
        self.emulator = emulator
        self.host = host
        self.port = port
        self._log = log
        self._hold_timeout = hold_timeout
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{BASE_PATH}"

    def start(self) -> str:
        """Bind and serve; returns the base URL (with the real port if port was 0)."""
        if self._server is not None:
            return self.base_url
        server_class = _Server
        if ":" in self.host:
            server_class = type("_Server6", (_Server,), {"address_family": socket.AF_INET6})
        server = server_class((self.host, self.port), _Handler)
        server.emulator = self.emulator
        server.log = self._log
        server.hold_timeout = self._hold_timeout
        server.released = threading.Event()
        self.port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.name = f"kiteboard-emulator:{self.port}"
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.released.set()
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
