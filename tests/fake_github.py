"""A stand-in for the part of GitHub's REST API the action uses: a pull request's
issue comments (list with pages, create, update), on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class FakeGitHub:
    repository: str = "acme/phones"
    token: str = "ghs_FAKETOKEN_1d2c3b4a"
    comments: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _next_id: int = 1000

    @property
    def api_url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def add_comment(self, number: int, body: str, login: str = "someone") -> dict[str, Any]:
        self._next_id += 1
        comment = {
            "id": self._next_id,
            "body": body,
            "user": {"login": login},
            "html_url": f"https://github.example/{self.repository}/pull/{number}#issuecomment-{self._next_id}",
        }
        self.comments.setdefault(number, []).append(comment)
        return comment

    def start(self) -> FakeGitHub:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self._handle("GET")

            def do_POST(self) -> None:
                self._handle("POST")

            def do_PATCH(self) -> None:
                self._handle("PATCH")

            def _handle(self, method: str) -> None:
                fake.requests.append((method, self.path))
                if self.headers.get("Authorization") != f"Bearer {fake.token}":
                    self._send(401, {"message": "Bad credentials"})
                    return
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                status, data = fake.route(method, self.path, body)
                self._send(status, data)

            def _send(self, status: int, data: Any) -> None:
                payload = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def route(self, method: str, url: str, body: Any) -> tuple[int, Any]:
        parts = urlsplit(url)
        prefix = f"/repos/{self.repository}/issues/"
        if not parts.path.startswith(prefix):
            return 404, {"message": "Not Found"}
        rest = parts.path[len(prefix) :].split("/")
        if len(rest) == 2 and rest[0].isdigit() and rest[1] == "comments":
            number = int(rest[0])
            if method == "GET":
                query = parse_qs(parts.query)
                per_page = int(query.get("per_page", ["30"])[0])
                page = int(query.get("page", ["1"])[0])
                listed = self.comments.get(number, [])
                return 200, listed[(page - 1) * per_page : page * per_page]
            if method == "POST":
                if len(body["body"]) > 65_536:
                    return 422, {"message": "Body is too long (maximum is 65536 characters)"}
                return 201, self.add_comment(number, body["body"], "github-actions[bot]")
        if len(rest) == 2 and rest[0] == "comments" and rest[1].isdigit() and method == "PATCH":
            for comments in self.comments.values():
                for comment in comments:
                    if comment["id"] == int(rest[1]):
                        if len(body["body"]) > 65_536:
                            return 422, {"message": "Body is too long"}
                        comment["body"] = body["body"]
                        return 200, comment
        return 404, {"message": "Not Found"}
