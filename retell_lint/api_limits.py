"""Limits on what the Retell API can make the client do: time, bytes, items.

A socket timeout bounds one read, not a response: a server sending a byte every
few seconds never trips it. Here every socket read and write is given at most the
time left before the run's deadline, and a response body is read in chunks,
stopping at a size cap, so a trickling or endless server ends the read with
one line instead of hanging it or filling memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import httpcore
import httpx

# One list page of 1,000 numbers is well under a megabyte.
MAX_BODY_BYTES = 32 * 1024 * 1024
# Items of one list (numbers, agents, versions of one agent) across its pages.
MAX_ITEMS = 200_000
# Seconds for the whole account read (RETELL_LINT_TIMEOUT).
DEFAULT_DEADLINE = 60.0
# Longest deadline or timeout accepted (a day): beyond it, socket timeouts overflow.
MAX_SECONDS = 86_400.0

Remaining = Callable[[], "float | None"]


class DeadlineExceeded(Exception):
    """The run's deadline passed while a response was being read."""


class BodyTooLarge(Exception):
    """A response body was larger than the cap."""


def _bounded(timeout: float | None, remaining: Remaining) -> float | None:
    left = remaining()
    if left is None:
        return timeout
    if left <= 0:
        raise httpcore.ReadTimeout("the deadline for reading the account has passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream, remaining: Remaining) -> None:
        self._stream = stream
        self._remaining = remaining

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _bounded(timeout, self._remaining))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _bounded(timeout, self._remaining))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        stream = self._stream.start_tls(
            ssl_context, server_hostname, _bounded(timeout, self._remaining)
        )
        return _DeadlineStream(stream, self._remaining)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, backend: httpcore.NetworkBackend, remaining: Remaining) -> None:
        self._backend = backend
        self._remaining = remaining

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._backend.connect_tcp(
            host, port, _bounded(timeout, self._remaining), local_address, socket_options
        )
        return _DeadlineStream(stream, self._remaining)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._backend.connect_unix_socket(
            path, _bounded(timeout, self._remaining), socket_options
        )
        return _DeadlineStream(stream, self._remaining)

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def deadline_transport(remaining: Remaining, limits: httpx.Limits) -> httpx.HTTPTransport:
    """httpx's own transport, with every socket operation bounded by ``remaining()``."""
    transport = httpx.HTTPTransport(limits=limits)
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if isinstance(backend, httpcore.NetworkBackend):
        pool._network_backend = _DeadlineBackend(backend, remaining)  # type: ignore[union-attr]
    return transport


def read_body(response: httpx.Response, remaining: Remaining, limit: int = MAX_BODY_BYTES) -> bytes:
    """The (decoded) body of a streamed response, stopping at ``limit`` bytes or the deadline."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        left = remaining()
        if left is not None and left <= 0:
            raise DeadlineExceeded
    return b"".join(chunks)
