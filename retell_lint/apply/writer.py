"""The write requests of apply, on top of the read client's connection and rules.

- ``PATCH /update-phone-number/{n}`` is idempotent: retried like the reads
  (connection errors, timeouts, HTTP 408/409/429/5xx, honouring Retry-After, within
  the retry budget).
- ``POST /create-phone-number``, ``POST /import-phone-number`` and ``DELETE
  /delete-phone-number/{n}`` are not: retried only when the connection could not be
  opened (the request never left) or the server answered 429 (it refused the request
  without acting on it); once sent, any other failure is final, and a timeout or
  dropped connection is reported as "may have been applied".

Writes go through their own connection pool with a per-request timeout: the read
client's whole-run deadline (``RETELL_LINT_TIMEOUT``) bounds reading the account, not
an apply that takes longer than it. With a ``gate`` (:class:`~.limiter.AdaptiveLimit`)
each attempt waits for a slot and reports its status back.

Every attempt is recorded in the audit log (``--log``) before it is sent and again
with its outcome, with secrets masked, and every message is scrubbed of the API key
and of the secret values sent.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import quote

import httpx

from retell_lint.jsontext import parse_json
from retell_lint.retell_api import RetellAPIError, RetellClient

from .secrets import MASK, masked

if TYPE_CHECKING:
    from .limiter import AdaptiveLimit

_RETRYABLE = frozenset({408, 409, 429})
# A write's answer is one phone number: far below this.
MAX_RESPONSE_BYTES = 1024 * 1024
# Reading an answer may take this many per-request timeouts in all.
RESPONSE_TIME_FACTOR = 3
# Most write connections kept open (apply.concurrency is capped to this).
MAX_WRITE_CONNECTIONS = 64


class UnreadableResponse(Exception):
    """The answer to a write was too large or too slow to read."""


class WriteError(RetellAPIError):
    """A write failed. ``sent``: the request may have reached the server."""

    def __init__(self, message: str, *, status: int | None, sent: bool) -> None:
        super().__init__(message, status=status)
        self.sent = sent


class AuditLog:
    """``--log FILE``: one JSON line per request, appended; never through a symlink."""

    def __init__(self, path: str) -> None:
        from retell_lint.safe_io import open_append

        # Never through a link; a FIFO is refused instead of blocking the run.
        self._handle: IO[str] = open_append(path, what="the log")
        self.path = path
        self._lock = threading.Lock()
        # Why a line could not be written (the run goes on: its account matters more).
        self.problem: str | None = None

    def record(self, entry: Mapping[str, Any]) -> None:
        with self._lock:
            self._record(entry)

    def _record(self, entry: Mapping[str, Any]) -> None:
        try:
            self._handle.write(json.dumps(entry, ensure_ascii=True, sort_keys=False) + "\n")
            self._handle.flush()
        except ValueError:
            # Closed: a write still running after apply gave up waiting for it.
            self.problem = self.problem or f"{self.path}: a write outlived the run"
        except OSError as exc:
            self.problem = self.problem or f"cannot write to {self.path}: {exc.strerror or exc}"

    def close(self) -> None:
        try:
            self._handle.close()
        except OSError as exc:
            self.problem = self.problem or f"cannot write to {self.path}: {exc.strerror or exc}"


@dataclass
class Response:
    status: int
    data: Any


class RetellWriter(RetellClient):
    """The API client with the four phone-number writes."""

    log: AuditLog | None = None
    secrets: tuple[str, ...] = ()
    gate: AdaptiveLimit | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._writes = httpx.Client(
            base_url=self.base_url,
            timeout=httpx.Timeout(self.timeout),
            follow_redirects=False,
            transport=kwargs.get("transport"),
            limits=httpx.Limits(
                max_connections=MAX_WRITE_CONNECTIONS,
                max_keepalive_connections=MAX_WRITE_CONNECTIONS,
            ),
            trust_env=self._http.trust_env,
            headers=self._http.headers,
        )

    def close(self) -> None:
        self._writes.close()
        super().close()

    def restart_deadline(self) -> None:
        """The next read starts a new ``RETELL_LINT_TIMEOUT`` (the verification read
        after a long apply is a read of its own)."""
        self._deadline_at = None

    def read_back(self, phone_number: str) -> dict[str, Any] | None:
        """The number as the account has it now (None: not there), read through the
        write pool so the read deadline cannot cut it short; raises WriteError when
        the answer says neither."""
        path = "/get-phone-number/" + quote(phone_number, safe="+")
        try:
            response = self._send_once("GET", path, None)
        except (httpx.HTTPError, UnreadableResponse) as exc:
            raise self._fail("GET", path, type(exc).__name__, status=None, sent=False) from None
        if response.status_code in (404, 422):
            return None
        data = self._parse("GET", path, response)
        if response.status_code == 200 and isinstance(data, dict):
            return data
        raise self._fail(
            "GET", path, self._message(response), status=response.status_code, sent=False
        )

    def update_phone_number(self, phone_number: str, body: Mapping[str, Any]) -> Response:
        return self._write("PATCH", f"/update-phone-number/{phone_number}", body, retry=True)

    def create_phone_number(self, body: Mapping[str, Any]) -> Response:
        return self._write("POST", "/create-phone-number", body, retry=False)

    def import_phone_number(self, body: Mapping[str, Any]) -> Response:
        return self._write("POST", "/import-phone-number", body, retry=False)

    def delete_phone_number(self, phone_number: str) -> Response:
        return self._write("DELETE", f"/delete-phone-number/{phone_number}", None, retry=False)

    # -- internals -----------------------------------------------------------------

    def _scrub(self, text: str) -> str:
        text = self._redact(text)
        for secret in self.secrets:
            if secret:
                text = text.replace(secret, MASK)
        return text

    def _audit(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any] | None,
        attempt: int,
        status: int | None,
        error: str | None,
        *,
        event: str = "outcome",
    ) -> None:
        if self.log is None:
            return
        self.log.record(
            {
                "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
                "event": event,
                "method": method,
                "path": path,
                "body": masked(body) if body is not None else None,
                "attempt": attempt,
                "status": status,
                "error": error,
            }
        )

    def _fail(
        self, method: str, path: str, reason: str, *, status: int | None, sent: bool
    ) -> WriteError:
        what = f"{method} {path} failed: " + (f"HTTP {status}: " if status is not None else "")
        return WriteError(self._scrub(" ".join((what + reason).split())), status=status, sent=sent)

    def _write(
        self, method: str, path: str, body: Mapping[str, Any] | None, *, retry: bool
    ) -> Response:
        start = self._clock()
        attempt = 0
        while True:
            attempt += 1
            response: httpx.Response | None = None
            sent = True
            self._audit(method, path, body, attempt, None, None, event="sending")
            try:
                response = self._gated(method, path, body)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                sent, failure = False, f"cannot connect ({type(exc).__name__})"
            except httpx.TimeoutException as exc:
                failure = f"timed out after {self.timeout:g}s ({type(exc).__name__})"
            except httpx.HTTPError as exc:
                failure = f"connection error ({type(exc).__name__})"
            except UnreadableResponse as exc:
                failure = str(exc)
            if response is None:
                self._audit(method, path, body, attempt, None, failure)
                if not (retry or not sent):
                    raise self._fail(
                        method,
                        path,
                        f"{failure}; the request may have been applied: check the account",
                        status=None,
                        sent=True,
                    )
            else:
                status = response.status_code
                self._audit(method, path, body, attempt, status, None)
                if 200 <= status < 300:
                    return Response(status, self._parse(method, path, response))
                retryable = retry and (status in _RETRYABLE or status >= 500)
                verdict = response.headers.get("x-should-retry", "").strip().lower()
                if retry and verdict in ("true", "false"):
                    retryable = verdict == "true"
                # 429: refused before anything was done; safe to send again.
                retryable = retryable or status == 429
                failure = f"HTTP {status}"
                if not retryable:
                    reason = self._message(response)
                    suffix = f" (after {attempt} attempts)" if attempt > 1 else ""
                    raise self._fail(method, path, reason + suffix, status=status, sent=True)
            if attempt - 1 >= self.max_retries:
                raise self._give_up_write(method, path, response, failure, attempt, sent)
            delay = self._retry_delay(attempt - 1, response)
            if self._clock() - start + delay > self.retry_budget:
                raise self._give_up_write(method, path, response, failure, attempt, sent)
            self._sleep(delay)

    def _gated(self, method: str, path: str, body: Mapping[str, Any] | None) -> httpx.Response:
        gate = self.gate
        if gate is None:
            return self._send_once(method, path, body)
        ticket = gate.acquire()
        response: httpx.Response | None = None
        try:
            response = self._send_once(method, path, body)
            return response
        finally:
            status = response.status_code if response is not None else None
            pause = None
            if response is not None:
                from retell_lint.api_base import _parse_retry_after

                pause = _parse_retry_after(response.headers)
            gate.release(status, pause, ticket)

    def _send_once(self, method: str, path: str, body: Mapping[str, Any] | None) -> httpx.Response:
        """One attempt; the answer read in chunks, within a size cap and a time limit, so
        a trickling or endless server cannot hold the run or fill memory."""
        request = self._writes.build_request(
            method, path, json=dict(body) if body is not None else None
        )
        response = self._writes.send(request, stream=True)
        try:
            started = self._clock()
            chunks: list[bytes] = []
            size = 0
            # Decoded in bounded steps (api_limits): a gzip bomb stops at the cap.
            for chunk in _capped(response):
                size += len(chunk)
                if size > MAX_RESPONSE_BYTES:
                    raise UnreadableResponse(
                        f"response larger than {MAX_RESPONSE_BYTES // 1024} KB"
                    )
                if self._clock() - started > RESPONSE_TIME_FACTOR * self.timeout:
                    raise UnreadableResponse(
                        f"response not read within {RESPONSE_TIME_FACTOR * self.timeout:g}s"
                    )
                chunks.append(chunk)
        finally:
            response.close()
        # The body is already decoded: drop the headers that describe its encoding.
        headers = [
            (name, value)
            for name, value in response.headers.multi_items()
            if name.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        ]
        return httpx.Response(
            response.status_code,
            headers=headers,
            content=b"".join(chunks),
            request=request,
        )

    def _give_up_write(
        self,
        method: str,
        path: str,
        response: httpx.Response | None,
        failure: str,
        attempts: int,
        sent: bool,
    ) -> WriteError:
        suffix = f" (gave up after {attempts} attempts)" if attempts > 1 else ""
        if response is not None:
            reason = self._message(response) + suffix
            return self._fail(method, path, reason, status=response.status_code, sent=True)
        return self._fail(method, path, failure + suffix, status=None, sent=sent)

    def _message(self, response: httpx.Response) -> str:
        try:
            data = parse_json(response.content)
        except ValueError:
            data = None
        if isinstance(data, dict):
            for key in ("message", "error_message", "error", "detail"):
                value = data.get(key)
                if isinstance(value, str) and value.strip():
                    return value.strip()[:300]
        return response.reason_phrase or "no error message"

    def _parse(self, method: str, path: str, response: httpx.Response) -> Any:
        if not response.content:
            return None
        try:
            return parse_json(response.content)
        except ValueError:
            return None


def _capped(response: httpx.Response) -> Iterator[bytes]:
    """The decoded body, in steps, within the write path's own size cap."""
    from retell_lint import api_limits

    try:
        yield from api_limits.decoded_chunks(response, MAX_RESPONSE_BYTES)
    except api_limits.BodyTooLarge:
        raise UnreadableResponse(f"response larger than {MAX_RESPONSE_BYTES // 1024} KB") from None
    except api_limits.UnsupportedEncoding as exc:
        raise UnreadableResponse(f"response has {exc}") from None
    except api_limits.BodyUndecodable:
        raise UnreadableResponse("response body is not valid for its Content-Encoding") from None
