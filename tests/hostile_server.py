"""An HTTP server on 127.0.0.1 that misbehaves on purpose, for the client's limits.

Each behaviour is one way a broken or malicious server can hold a client:
answering a byte at a time, never ending a body, paginating forever, sending a
body far larger than any real page, or JSON nested past any parser's stack.
Written on raw sockets, so nothing in a server library smooths them over.

    with HostileServer("trickle-body") as server:
        ... RETELL_BASE_URL=server.base_url ...
"""

from __future__ import annotations

import json
import socket
import socketserver
import threading
import time
from typing import Any

BEHAVIOURS = (
    "trickle-headers",  # the status line and headers, one byte every `pause` seconds
    "trickle-body",  # headers at once, then a body that never ends, a byte at a time
    "endless-pages",  # has_more forever, each page with fresh items and a fresh key
    "endless-empty-pages",  # has_more forever, no items, fresh keys
    "huge-declared",  # Content-Length of 2 GB
    "huge-streamed",  # no Content-Length: zeros until the client hangs up
    "deep-json",  # a JSON array nested 100,000 deep
    "record",  # answers 200 {} and records what it was sent (a stand-in proxy)
    "gzip-bomb",  # Content-Encoding: gzip, gzip: 4 KB that decode to 1.5 GB
)


def gzip_bomb(megabytes: int = 1536) -> bytes:
    """Zeros gzipped twice: a few KB on the wire, ``megabytes`` MB once decoded.

    Built from one flushed deflate block repeated (a full flush makes each block's
    output the same), so making it takes well under a second."""
    import struct
    import zlib

    block = bytes(1 << 20)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = deflate.compress(block) + deflate.flush(zlib.Z_FULL_FLUSH)
    tail = deflate.flush()
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(block, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    size = (megabytes << 20) & 0xFFFFFFFF
    inner = header + piece * megabytes + tail + struct.pack("<II", crc, size)
    outer = zlib.compressobj(9, zlib.DEFLATED, 31)
    return outer.compress(inner) + outer.flush()


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        connection: socket.socket = self.request
        connection.settimeout(10)
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = connection.recv(65536)
            if not chunk:
                return
            request += chunk
        self.server.owner.requests.append(request.split(b"\r\n", 1)[0].decode("latin-1"))
        try:
            getattr(self, "_" + self.server.owner.behaviour.replace("-", "_"))(connection)
        except OSError:
            return  # the client gave up: that is the point

    def _stopped(self) -> bool:
        return self.server.owner.stopping.is_set()

    def _trickle(self, connection: socket.socket, data: bytes) -> None:
        pause = self.server.owner.pause
        while not self._stopped():
            for byte in data:
                if self._stopped():
                    return
                connection.sendall(bytes([byte]))
                time.sleep(pause)

    def _trickle_headers(self, connection: socket.socket) -> None:
        self._trickle(connection, b"HTTP/1.1 200 OK\r\nX-Filler: " + b"a" * 100_000)

    def _trickle_body(self, connection: socket.socket) -> None:
        connection.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        self._trickle(connection, b"1\r\n \r\n")

    def _page(self, connection: socket.socket, items: list[dict[str, Any]]) -> None:
        owner = self.server.owner
        owner.pages += 1
        body = {"items": items, "has_more": True, "pagination_key": f"key-{owner.pages}"}
        self._json(connection, json.dumps(body).encode())

    def _endless_pages(self, connection: socket.socket) -> None:
        start = self.server.owner.pages * 1000
        items = [{"phone_number": f"+1415{n:07d}"} for n in range(start, start + 1000)]
        self._page(connection, items)

    def _endless_empty_pages(self, connection: socket.socket) -> None:
        self._page(connection, [])

    def _huge_declared(self, connection: socket.socket) -> None:
        connection.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b"Content-Length: 2147483648\r\n\r\n"
        )
        self._zeros(connection)

    def _huge_streamed(self, connection: socket.socket) -> None:
        connection.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
        )
        self._zeros(connection)

    def _zeros(self, connection: socket.socket) -> None:
        block = b" " * 65536
        while not self._stopped():
            connection.sendall(block)

    def _deep_json(self, connection: socket.socket) -> None:
        self._json(connection, b"[" * 100_000 + b"]" * 100_000)

    def _record(self, connection: socket.socket) -> None:
        self._json(connection, b"{}")

    def _gzip_bomb(self, connection: socket.socket) -> None:
        body = gzip_bomb()
        connection.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b"Content-Encoding: gzip, gzip\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )

    def _json(self, connection: socket.socket, body: bytes) -> None:
        connection.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: HostileServer


class HostileServer:
    """A started server with one behaviour; ``requests`` holds each request line."""

    def __init__(self, behaviour: str, *, pause: float = 0.2) -> None:
        if behaviour not in BEHAVIOURS:
            raise ValueError(f"unknown behaviour {behaviour!r}")
        self.behaviour = behaviour
        self.pause = pause
        self.requests: list[str] = []
        self.pages = 0
        self.stopping = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
