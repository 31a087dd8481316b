"""Limits on what the Retell API can make the client do: time, bytes, items.

A socket timeout bounds one read, not a response: a server sending a byte every
few seconds never trips it. Here every socket read and write is given at most the
time left before the run's deadline, and a response body is read in chunks,
stopping at a size cap, so a trickling or endless server ends the read with
one line instead of hanging it or filling memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
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


# Content codings a response may stack (``gzip, gzip`` is two); more is refused.
MAX_CODINGS = 4
# Decoded bytes produced per step: the cap is checked between steps, so a body that
# expands a thousandfold is stopped after at most this much more than the cap.
_STEP = 64 * 1024


class UnsupportedEncoding(Exception):
    """A Content-Encoding the client does not decode (or too many stacked)."""


def _codings(response: httpx.Response) -> list[str]:
    header = ",".join(response.headers.get_list("content-encoding"))
    codings = [c.strip().lower() for c in header.split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if len(codings) > MAX_CODINGS:
        raise UnsupportedEncoding(f"{len(codings)} stacked content encodings")
    for coding in codings:
        if coding not in ("gzip", "x-gzip", "deflate"):
            raise UnsupportedEncoding(f"content encoding {coding[:40]!r}")
    return codings


class _Inflater:
    """One content coding, decoded a step at a time (never all of a chunk at once)."""

    def __init__(self, coding: str) -> None:
        import zlib

        self._zlib = zlib
        self._deflate = coding == "deflate"
        # gzip: header and trailer checked; deflate: zlib-wrapped, or raw as some servers send.
        self._decoder = zlib.decompressobj(zlib.MAX_WBITS | (32 if self._deflate else 16))
        self._first = True

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            yield from self._steps(data)
        except self._zlib.error:
            if not (self._deflate and self._first):
                raise BodyUndecodable from None
            self._decoder = self._zlib.decompressobj(-self._zlib.MAX_WBITS)
            self._first = False
            try:
                yield from self._steps(data)
            except self._zlib.error:
                raise BodyUndecodable from None

    def _steps(self, data: bytes) -> Iterator[bytes]:
        while data and not self._decoder.eof:
            out = self._decoder.decompress(data, _STEP)
            self._first = False
            data = self._decoder.unconsumed_tail
            if out:
                yield out


class BodyUndecodable(Exception):
    """The body is not valid for its Content-Encoding."""


def decoded_chunks(response: httpx.Response, limit: int = MAX_BODY_BYTES) -> Iterator[bytes]:
    """The body of a streamed response, decoded, raising :class:`BodyTooLarge` past ``limit``.

    httpx's ``iter_bytes`` decodes each network chunk in one call, so 13 KB of
    ``gzip, gzip`` become gigabytes before a caller can count them. Here the raw
    bytes are decoded a bounded step at a time, and every coding's output, the
    intermediate ones too, counts against one cap.
    """
    codings = _codings(response)
    used = [0, 0]  # raw bytes; bytes every decoding produced

    def counted(pieces: Iterator[bytes], which: int) -> Iterator[bytes]:
        for piece in pieces:
            used[which] += len(piece)
            if used[which] > limit:
                raise BodyTooLarge
            yield piece

    stream: Iterator[bytes] = counted(response.iter_raw(), 0)
    # Codings are listed in the order they were applied: undo the last one first.
    for coding in reversed(codings):
        stream = counted(_decode(_Inflater(coding), stream), 1)
    yield from stream


def _decode(inflater: _Inflater, pieces: Iterator[bytes]) -> Iterator[bytes]:
    for piece in pieces:
        yield from inflater.feed(piece)


def read_body(response: httpx.Response, remaining: Remaining, limit: int = MAX_BODY_BYTES) -> bytes:
    """The (decoded) body of a streamed response, stopping at ``limit`` bytes or the deadline.

    The raw bytes, and all the bytes decoding produces, each count against ``limit``.
    """
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks: list[bytes] = []
    for chunk in decoded_chunks(response, limit):
        chunks.append(chunk)
        left = remaining()
        if left is not None and left <= 0:
            raise DeadlineExceeded
    return b"".join(chunks)
