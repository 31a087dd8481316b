"""The write requests: retry rules per method, the audit log, scrubbed messages."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_retell import FakeRetell

from retell_lint.apply.writer import AuditLog, RetellWriter, WriteError


def writer_for(base_url: str, api_key: str, **options: float) -> RetellWriter:
    settings = {"timeout": 2.0, "max_retries": 2, "max_retry_delay": 0.01, **options}
    return RetellWriter(api_key, base_url, **settings)  # type: ignore[arg-type]


@pytest.fixture
def writer(fake_retell: FakeRetell) -> Iterator[RetellWriter]:
    fake_retell.add_number("+14157774444", nickname="Old")
    client = writer_for(fake_retell.base_url, fake_retell.api_key)
    try:
        yield client
    finally:
        client.close()


def test_the_four_writes(writer: RetellWriter, fake_retell: FakeRetell) -> None:
    response = writer.update_phone_number("+14157774444", {"nickname": "New"})
    assert response.status == 200 and response.data["nickname"] == "New"
    created = writer.create_phone_number({"phone_number": "+14157770100"})
    assert created.status == 201
    imported = writer.import_phone_number(
        {"phone_number": "+14157770101", "termination_uri": "t.example.com"}
    )
    assert imported.data["phone_number_type"] == "custom"
    deleted = writer.delete_phone_number("+14157770100")
    assert (deleted.status, deleted.data) == (204, None)
    assert [(r.method, r.path) for r in fake_retell.writes()] == [
        ("PATCH", "/update-phone-number/+14157774444"),
        ("POST", "/create-phone-number"),
        ("POST", "/import-phone-number"),
        ("DELETE", "/delete-phone-number/+14157770100"),
    ]


def test_patch_is_retried_on_5xx_post_and_delete_are_not(
    writer: RetellWriter, fake_retell: FakeRetell
) -> None:
    fake_retell.fail_next(503, count=2)
    assert writer.update_phone_number("+14157774444", {"nickname": "x"}).status == 200
    assert len(fake_retell.requests_to("/update-phone-number/+14157774444")) == 3
    for send, path in (
        (lambda: writer.create_phone_number({}), "/create-phone-number"),
        (lambda: writer.delete_phone_number("+14157774444"), "/delete-phone-number/+14157774444"),
    ):
        fake_retell.fail_next(503)
        with pytest.raises(WriteError) as caught:
            send()
        assert caught.value.status == 503 and caught.value.sent
        assert len(fake_retell.requests_to(path)) == 1
    assert "+14157774444" in fake_retell.numbers


def test_a_400_is_final_with_the_apis_message(writer: RetellWriter) -> None:
    with pytest.raises(WriteError) as caught:
        writer.update_phone_number("+14157774444", {"area_code": 415})
    assert str(caught.value) == (
        "PATCH /update-phone-number/+14157774444 failed: HTTP 400: Unknown parameter 'area_code'"
    )


def test_post_that_may_have_arrived_is_not_retried(fake_retell: FakeRetell) -> None:
    client = writer_for(fake_retell.base_url, fake_retell.api_key, timeout=0.3)
    fake_retell.slow_seconds = 1.0
    try:
        with pytest.raises(WriteError) as caught:
            client.create_phone_number({"phone_number": "+14157770100"})
    finally:
        client.close()
        fake_retell.slow_seconds = 0
    assert caught.value.sent
    assert "the request may have been applied: check the account" in str(caught.value)
    assert len(fake_retell.requests_to("/create-phone-number")) == 1


def test_post_that_never_left_is_retried_and_reported_unsent() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = writer_for(f"http://127.0.0.1:{port}", "key_x")
    try:
        with pytest.raises(WriteError) as caught:
            client.create_phone_number({"phone_number": "+14157770100"})
    finally:
        client.close()
    assert not caught.value.sent
    assert "cannot connect" in str(caught.value) and "gave up after 3 attempts" in str(caught.value)


def test_audit_log_lines_mask_secrets_and_messages_are_scrubbed(
    writer: RetellWriter, fake_retell: FakeRetell, tmp_path: Path
) -> None:
    log_path = tmp_path / "audit.jsonl"
    log_path.write_text('{"earlier": true}\n')
    writer.log = AuditLog(str(log_path))
    writer.secrets = ("pw-VALUE-123",)
    fake_retell.fail_next(429, headers={"Retry-After": "0"})
    fake_retell.fail_next(
        400,
        body={"message": f"rejected pw-VALUE-123 with {fake_retell.api_key}"},
        path_prefix="/import-phone-number",
    )
    writer.update_phone_number("+14157774444", {"auth_password": "pw-VALUE-123"})
    with pytest.raises(WriteError) as caught:
        writer.import_phone_number({"sip_trunk_auth_password": "pw-VALUE-123"})
    writer.log.close()
    assert str(caught.value).endswith("HTTP 400: rejected *** with ***")
    text = log_path.read_text()
    assert "pw-VALUE-123" not in text and fake_retell.api_key not in text
    lines = [json.loads(line) for line in text.splitlines()]
    assert lines[0] == {"earlier": True}
    # Each attempt is written down before it is sent, then with its answer.
    assert [(e["event"], e["method"], e["status"], e["attempt"]) for e in lines[1:]] == [
        ("sending", "PATCH", None, 1),
        ("outcome", "PATCH", 429, 1),
        ("sending", "PATCH", None, 2),
        ("outcome", "PATCH", 200, 2),
        ("sending", "POST", None, 1),
        ("outcome", "POST", 400, 1),
    ]
    assert lines[1]["body"] == lines[2]["body"] == {"auth_password": "***"}
    assert lines[5]["body"] == {"sip_trunk_auth_password": "***"}


def test_an_endless_answer_is_cut_off(fake_retell: FakeRetell) -> None:
    fake_retell.add_number("+14157774444", nickname="Old")
    huge = {"status": "error", "message": "x" * (2 * 1024 * 1024)}
    fake_retell.fail_next(500, body=huge)
    fake_retell.fail_next(400, body=huge, path_prefix="/create-phone-number")
    client = writer_for(fake_retell.base_url, fake_retell.api_key)
    try:
        # PATCH: the unreadable answer counts as a failed attempt, and is retried.
        assert client.update_phone_number("+14157774444", {"nickname": "x"}).status == 200
        with pytest.raises(WriteError) as caught:
            client.create_phone_number({})
    finally:
        client.close()
    assert "response larger than 1024 KB; the request may have been applied" in str(caught.value)
    assert len(str(caught.value)) < 300


def test_gzip_answers_are_read(fake_retell: FakeRetell) -> None:
    import gzip

    fake_retell.add_number("+14157774444", nickname="Old")
    body = gzip.compress(json.dumps({"message": "slow down"}).encode())
    fake_retell.fail_next(
        400, headers={"Content-Encoding": "gzip", "Content-Type": "application/json"}, body=body
    )
    client = writer_for(fake_retell.base_url, fake_retell.api_key)
    try:
        with pytest.raises(WriteError, match="HTTP 400: slow down"):
            client.update_phone_number("+14157774444", {"nickname": "x"})
    finally:
        client.close()
