"""The pull-request comment poster against servers that misbehave: every failure is one
CommentError line within the deadline, never a traceback, never the token."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from fake_github import FakeGitHub
from hostile_server import HostileServer

from retell_lint.ci import comment
from retell_lint.ci.comment import CommentError, Target, comment_body, marker, post_or_update
from retell_lint.ci.limits import COMMENT_MAX_CHARS
from retell_lint.ci.summary import check_summary, read_sarif

TOKEN = "ghs_SECRET_0a1b2c3d4e5f"


@pytest.mark.parametrize(
    "behaviour", ["trickle-headers", "trickle-body", "huge-declared", "deep-json", "endless-pages"]
)
def test_a_hostile_server_is_one_error_within_the_deadline(
    behaviour: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(comment, "DEADLINE", 2.0)
    with HostileServer(behaviour, pause=0.05) as server:
        start = time.monotonic()
        with pytest.raises(CommentError) as caught:
            post_or_update(Target(server.base_url, "acme/phones", 7, TOKEN), "<!-- m -->", "body")
        assert time.monotonic() - start < 10
    message = str(caught.value)
    assert "\n" not in message and TOKEN not in message
    assert message.startswith("GET /repos/acme/phones/issues/7/comments")


def test_the_previous_comment_is_found_on_a_later_page() -> None:
    github = FakeGitHub(token=TOKEN).start()
    try:
        mark = marker("drift", "prod")
        for index in range(250):
            github.add_comment(7, f"comment {index}")
        old = github.add_comment(7, f"{mark}\nold", "github-actions[bot]")
        target = Target(github.api_url, github.repository, 7, TOKEN)
        url = post_or_update(target, mark, f"{mark}\nnew")
        assert url == old["html_url"] and github.comments[7][-1]["body"] == f"{mark}\nnew"
        assert len(github.comments[7]) == 251
        # Another environment's comment is another comment.
        post_or_update(target, marker("drift", "staging"), "staging report")
        assert len(github.comments[7]) == 252
    finally:
        github.stop()


@pytest.mark.parametrize(
    ("api_url", "repository", "token", "says"),
    [
        ("file:///etc/passwd", "acme/phones", TOKEN, "GITHUB_API_URL"),
        ("https://api.github.com", "acme/phones/../x", TOKEN, "GITHUB_REPOSITORY"),
        ("https://api.github.com", "acme/phones", "", "no token"),
    ],
)
def test_bad_settings_are_refused_before_any_request(
    api_url: str, repository: str, token: str, says: str
) -> None:
    with pytest.raises(CommentError, match=says):
        post_or_update(Target(api_url, repository, 7, token), "<!-- m -->", "body")


def test_a_body_never_exceeds_a_comment() -> None:
    body = comment_body(marker("plan"), "x" * 70_000, "footer")
    assert len(body) == COMMENT_MAX_CHARS
    assert body.startswith("<!-- retell-lint:plan -->\n")
    assert body.endswith("(cut: the report is longer than a pull-request comment can be)\n")
    assert comment_body(marker("plan"), "short\n", "footer") == (
        "<!-- retell-lint:plan -->\nshort\n\nfooter\n"
    )


def test_summary_cells_cannot_break_the_table_or_hide_text(tmp_path: Path) -> None:
    hostile = "a|b\n## title <!-- hidden --> `code`\x1b[31m"
    report = {
        "runs": [
            {
                "results": [
                    {
                        "ruleId": "RL301",
                        "level": "error",
                        "message": {"text": hostile},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": "x%7Cy%0A.yaml"},
                                    "region": {"startLine": 3, "startColumn": 1},
                                }
                            }
                        ],
                    }
                ],
                "invocations": [{"executionSuccessful": True}],
            }
        ]
    }
    path = tmp_path / "r.sarif"
    path.write_text(json.dumps(report), encoding="utf-8")
    text = check_summary(read_sarif(path), 1)
    (row,) = [line for line in text.splitlines() if line.startswith("| error |")]
    assert row.count(" | ") == 3  # four cells, whatever the data holds
    assert "<!--" not in text and "\x1b" not in text
    assert r"| x\|y\\n.yaml:3:1 |" in row
