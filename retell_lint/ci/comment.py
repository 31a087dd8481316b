"""One pull-request comment per report, posted or updated through GitHub's REST API.

The comment is found again by the hidden marker its body starts with
(``<!-- retell-lint:plan -->``; one per environment), so every run updates the same
comment instead of adding another. The API's address comes from ``GITHUB_API_URL``
(GitHub Enterprise, or a stand-in in tests); the token is never printed. Every request
shares one deadline and response bodies are read up to a cap, as the Retell client does.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from retell_lint.api_limits import BodyTooLarge, DeadlineExceeded, deadline_transport, read_body
from retell_lint.ci.limits import COMMENT_MAX_CHARS
from retell_lint.jsontext import parse_json

DEFAULT_API_URL = "https://api.github.com"
# Seconds for finding and writing the comment, all requests together.
DEADLINE = 60.0
PER_PAGE = 100
# Comments read while looking for the previous one (50 pages of 100).
MAX_PAGES = 50
MAX_BODY_BYTES = 8 * 1024 * 1024
_REPOSITORY = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
_MARKER_NAME = re.compile(r"[^A-Za-z0-9_.-]")


class CommentError(Exception):
    """The comment could not be posted (one line, never the token)."""


@dataclass(frozen=True)
class Target:
    api_url: str
    repository: str
    number: int
    token: str


def marker(command: str, environment: str | None = None) -> str:
    """The hidden first line that identifies this command's (and environment's) comment."""
    name = command if not environment else f"{command}:{_MARKER_NAME.sub('_', environment)}"
    return f"<!-- retell-lint:{name} -->"


def comment_body(mark: str, report: str, footer: str = "") -> str:
    """Marker, report and footer, never over GitHub's limit."""
    body = f"{mark}\n{report.rstrip()}\n"
    if footer:
        body += f"\n{footer}\n"
    if len(body) > COMMENT_MAX_CHARS:
        note = "\n\n… (cut: the report is longer than a pull-request comment can be)\n"
        body = body[: COMMENT_MAX_CHARS - len(note)] + note
    return body


def pull_request_number(event: Any) -> int | None:
    """The pull request an event is about (pull_request, pull_request_target, issue_comment)."""
    if not isinstance(event, dict):
        return None
    pull = event.get("pull_request")
    if isinstance(pull, dict) and isinstance(pull.get("number"), int):
        return int(pull["number"])
    issue = event.get("issue")
    if isinstance(issue, dict) and "pull_request" in issue and isinstance(issue.get("number"), int):
        return int(issue["number"])
    return None


def check_target(target: Target) -> None:
    if not target.api_url.startswith(("https://", "http://")):
        raise CommentError("GITHUB_API_URL is not an http(s) address")
    if not _REPOSITORY.match(target.repository):
        raise CommentError("GITHUB_REPOSITORY is not owner/name")
    if not target.token:
        raise CommentError("no token: set the action's github-token input")


class _Api:
    def __init__(self, target: Target) -> None:
        import httpx

        self._end = time.monotonic() + DEADLINE
        transport = deadline_transport(self._remaining, httpx.Limits(max_connections=2))
        self._client = httpx.Client(
            base_url=target.api_url.rstrip("/"),
            transport=transport,
            timeout=httpx.Timeout(15.0),
            follow_redirects=False,
            headers={
                "Authorization": f"Bearer {target.token}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
                "User-Agent": "retell-lint-action",
            },
        )

    def _remaining(self) -> float:
        return self._end - time.monotonic()

    def close(self) -> None:
        self._client.close()

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        import httpx

        try:
            request = self._client.build_request(method, path, json=body)
            response = self._client.send(request, stream=True)
            try:
                data = read_body(response, self._remaining, MAX_BODY_BYTES)
            finally:
                response.close()
        except (DeadlineExceeded, httpx.TimeoutException):
            raise CommentError(f"{method} {path}: no answer within {DEADLINE:.0f} s") from None
        except BodyTooLarge:
            raise CommentError(f"{method} {path}: the answer is too large") from None
        except httpx.HTTPError as exc:
            raise CommentError(f"{method} {path}: {type(exc).__name__}") from None
        if response.status_code >= 300:
            raise CommentError(f"{method} {path}: HTTP {response.status_code}{_message(data)}")
        try:
            return parse_json(data) if data else None
        except ValueError:
            raise CommentError(f"{method} {path}: the answer is not JSON") from None


def _message(data: bytes) -> str:
    try:
        message = parse_json(data).get("message")
    except (ValueError, AttributeError):
        return ""
    return f" ({str(message)[:200]})" if isinstance(message, str) else ""


def post_or_update(target: Target, mark: str, body: str) -> str:
    """Update the comment that starts with ``mark``, or post one; returns its address."""
    check_target(target)
    base = f"/repos/{quote(target.repository, safe='/')}"
    api = _Api(target)
    try:
        found = _scan(api, f"{base}/issues/{target.number}/comments", mark)
        if found is None:
            made = api.call("POST", f"{base}/issues/{target.number}/comments", {"body": body})
        else:
            made = api.call("PATCH", f"{base}/issues/comments/{found}", {"body": body})
    finally:
        api.close()
    url = made.get("html_url") if isinstance(made, dict) else None
    return url if isinstance(url, str) else ""


def _scan(api: _Api, path: str, mark: str) -> int | None:
    for page in range(1, MAX_PAGES + 1):
        url = f"{path}?per_page={PER_PAGE}&page={page}"
        comments = api.call("GET", url)
        if not isinstance(comments, list):
            raise CommentError(f"GET {url}: the answer is not a list of comments")
        for comment in comments:
            if not isinstance(comment, dict):
                continue
            body, ident = comment.get("body"), comment.get("id")
            if isinstance(body, str) and body.startswith(mark) and isinstance(ident, int):
                return ident
        if len(comments) < PER_PAGE:
            return None
    return None
