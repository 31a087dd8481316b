"""How the Retell API client sends one request: a whole-run deadline, retries with
back-off (``Retry-After`` honoured), errors as one line with the key scrubbed, and the
answer's body read within its limits and parsed as JSON."""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from retell_lint.api_base import (
    _MAX_MESSAGE_CHARS,
    _REDACTED,
    _RETRYABLE_STATUSES,
    RetellAPIError,
    _error_message_from_body,
    _one_line,
    _parse_retry_after,
)
from retell_lint.api_limits import (
    MAX_BODY_BYTES,
    BodyTooLarge,
    BodyUndecodable,
    DeadlineExceeded,
    UnsupportedEncoding,
    read_body,
)

_log = logging.getLogger("retell_lint.retell_api")


class Transport:
    """Requests, retries and errors of :class:`~retell_lint.retell_api.RetellClient`."""

    # Set by RetellClient.__init__.
    base_url: str
    timeout: float
    max_retries: int
    retry_budget: float
    max_retry_delay: float
    deadline: float | None
    _api_key: str
    _deadline_at: float | None
    _http: httpx.Client
    _sleep: Callable[[float], None]
    _clock: Callable[[], float]

    def _remaining(self) -> float | None:
        """Seconds left before the deadline (None: no deadline)."""
        if self._deadline_at is None:
            return None
        return self._deadline_at - self._clock()

    def _deadline_error(self, method: str, path: str) -> RetellAPIError:
        return self._error(
            method,
            path,
            f"the account was not read within {self.deadline:g}s (RETELL_LINT_TIMEOUT); "
            "the server is too slow or never finishes its answer",
        )

    def _redact(self, text: str) -> str:
        return text.replace(self._api_key, _REDACTED) if self._api_key else text

    def _error(
        self, method: str, path: str, reason: str, *, status: int | None = None
    ) -> RetellAPIError:
        what = f"{method} {path} failed: "
        detail = f"HTTP {status}: {reason}" if status is not None else reason
        message = _one_line(self._redact(what + detail), 2 * _MAX_MESSAGE_CHARS)
        return RetellAPIError(message, status=status, method=method, path=self._redact(path))

    def _status_error(
        self, method: str, path: str, response: httpx.Response, suffix: str = ""
    ) -> RetellAPIError:
        message = _error_message_from_body(response.content)
        if message is None:
            message = response.reason_phrase or "no error message"
        reason = _one_line(self._redact(message)) + suffix
        return self._error(method, path, reason, status=response.status_code)

    def _retry_delay(self, retry_index: int, response: httpx.Response | None) -> float:
        if response is not None:
            requested = _parse_retry_after(response.headers)
            if requested is not None:
                return min(requested, self.max_retry_delay)
        base: float = min(0.5 * 2**retry_index, self.max_retry_delay)
        return base * (1.0 - 0.25 * random.random())

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        json_body: Any = None,
    ) -> Any:
        """Send one logical request with retries; return the parsed JSON body."""
        start = self._clock()
        if self.deadline is not None and self._deadline_at is None:
            self._deadline_at = start + self.deadline
        attempt = 0
        while True:
            attempt += 1
            response: httpx.Response | None = None
            failure: str
            remaining = self._remaining()
            if remaining is not None and remaining <= 0:
                raise self._deadline_error(method, path)
            timeout = self.timeout if remaining is None else min(self.timeout, remaining)
            try:
                response = self._send(method, path, params, json_body, timeout)
            except DeadlineExceeded:
                raise self._deadline_error(method, path) from None
            except BodyTooLarge:
                raise self._error(
                    method,
                    path,
                    f"response body larger than {MAX_BODY_BYTES // (1024 * 1024)} MB; giving up",
                ) from None
            except UnsupportedEncoding as exc:
                raise self._error(method, path, f"response has {exc}; giving up") from None
            except BodyUndecodable:
                raise self._error(
                    method, path, "response body is not valid for its Content-Encoding"
                ) from None
            except httpx.TimeoutException as exc:
                left = self._remaining()
                if left is not None and left <= 0:
                    raise self._deadline_error(method, path) from None
                failure = f"request timed out after {self.timeout:g}s ({type(exc).__name__})"
            except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                failure = f"connection error ({type(exc).__name__}: {_one_line(str(exc), 120)})"
            except httpx.HTTPError as exc:
                raise self._error(
                    method, path, f"{type(exc).__name__}: {_one_line(str(exc), 120)}"
                ) from None

            if response is not None:
                status = response.status_code
                if 200 <= status < 300:
                    return self._parse_json(method, path, response)
                retryable = status in _RETRYABLE_STATUSES or status >= 500
                should_retry = response.headers.get("x-should-retry", "").strip().lower()
                if should_retry == "false":
                    retryable = False
                elif should_retry == "true":
                    retryable = True
                if not retryable:
                    suffix = f" (after {attempt} attempts)" if attempt > 1 else ""
                    raise self._status_error(method, path, response, suffix) from None
                failure = f"HTTP {status}"

            retries_done = attempt - 1
            if retries_done >= self.max_retries:
                raise self._give_up(method, path, response, failure, attempt)
            delay = self._retry_delay(retries_done, response)
            left = self._remaining()
            if left is not None and delay >= left:
                raise self._deadline_error(method, path)
            if self._clock() - start + delay > self.retry_budget:
                raise self._give_up(method, path, response, failure, attempt, budget=True)
            _log.debug(
                "%s %s: %s; retrying in %.2fs (retry %d of %d)",
                method,
                self._redact(path),
                failure,
                delay,
                retries_done + 1,
                self.max_retries,
            )
            self._sleep(delay)

    def _send(
        self,
        method: str,
        path: str,
        params: Mapping[str, str | int] | None,
        json_body: Any,
        timeout: float,
    ) -> httpx.Response:
        """One HTTP exchange, its body read within the size cap and the deadline."""
        with self._http.stream(
            method,
            path,
            params=dict(params) if params else None,
            json=json_body,
            timeout=httpx.Timeout(timeout),
        ) as streamed:
            body = read_body(streamed, self._remaining)
            # The body is decoded already: httpx must not decode it again.
            headers = [
                (name, value)
                for name, value in streamed.headers.multi_items()
                if name.lower() not in ("content-encoding", "content-length")
            ]
            return httpx.Response(
                streamed.status_code,
                headers=headers,
                content=body,
                request=streamed.request,
                extensions={"reason_phrase": streamed.reason_phrase.encode("latin-1", "replace")},
            )

    def _give_up(
        self,
        method: str,
        path: str,
        response: httpx.Response | None,
        failure: str,
        attempts: int,
        *,
        budget: bool = False,
    ) -> RetellAPIError:
        if budget:
            suffix = (
                f" (gave up after {attempts} attempts; "
                f"retry budget of {self.retry_budget:g}s used up)"
            )
        elif attempts > 1:
            suffix = f" (gave up after {attempts} attempts)"
        else:
            suffix = ""
        if response is not None:
            return self._status_error(method, path, response, suffix)
        return self._error(method, path, failure + suffix)

    def _parse_json(self, method: str, path: str, response: httpx.Response) -> Any:
        try:
            return json.loads(response.content)
        except RecursionError:
            raise self._error(
                method, path, "response body is JSON nested too deep", status=response.status_code
            ) from None
        except ValueError:
            ctype = response.headers.get("content-type", "unknown content type")
            ctype = _one_line(ctype.split(";")[0], 60) or "unknown content type"
            size = len(response.content)
            raise self._error(
                method,
                path,
                f"response body is not valid JSON ({ctype}, {size} bytes)",
                status=response.status_code,
            ) from None
