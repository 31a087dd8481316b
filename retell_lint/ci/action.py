"""The steps of the composite GitHub Action (``action.yml``), as one command:

    python -m retell_lint.ci.action

Inputs come from ``RETELL_LINT_*`` variables (action.yml maps the action's inputs to
them) and the runner's ``GITHUB_*`` variables. It runs ``retell-lint`` once (twice
for ``check``: annotations, then SARIF), writes the job summary and the step's outputs,
and for ``plan`` and ``drift`` on a pull request posts or updates one comment.

Exit code: the command's, except that ``plan``'s 1 (changes pending) is 0, and with
``fail-on-findings: false`` findings or drift (1) are 0 too. A comment that cannot be
posted is a warning: the report is in the job summary either way.
"""

from __future__ import annotations

import os
import secrets
import shlex
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from retell_lint.ci.comment import (
    DEFAULT_API_URL,
    CommentError,
    Target,
    comment_body,
    marker,
    post_or_update,
    pull_request_number,
)
from retell_lint.ci.summary import (
    CheckCounts,
    bounded,
    check_summary,
    read_sarif,
    report_summary,
)
from retell_lint.errors import FatalError
from retell_lint.jsontext import parse_json
from retell_lint.output import safe_text
from retell_lint.safe_io import make_folder, open_output, read_bytes, read_text, remove

COMMANDS = ("check", "plan", "drift")
USAGE = 2
# The Markdown report read back for the summary and the comment (it is ≤ 65,023 chars).
MAX_REPORT_BYTES = 4 * 1024 * 1024
# GitHub's event payloads are far smaller.
MAX_EVENT_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class Inputs:
    command: str
    paths: list[str]
    environment: str | None
    args: list[str]
    sarif: bool
    comment: bool
    fail_on_findings: bool
    out_dir: Path


class InputError(Exception):
    pass


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    value = env.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("true", "yes", "1", "on"):
        return True
    if value in ("false", "no", "0", "off"):
        return False
    raise InputError(f"{name} must be true or false, not {safe_text(value)!r}")


def _words(env: Mapping[str, str], name: str) -> list[str]:
    try:
        return shlex.split(env.get(name, ""))
    except ValueError as exc:
        raise InputError(f"{name}: {exc}") from None


def read_inputs(env: Mapping[str, str]) -> Inputs:
    command = env.get("RETELL_LINT_COMMAND", "check").strip() or "check"
    if command not in COMMANDS:
        raise InputError(
            f"command must be one of {', '.join(COMMANDS)}, not {safe_text(command)!r}"
        )
    out_dir = Path(env.get("RUNNER_TEMP") or ".") / "retell-lint"
    return Inputs(
        command=command,
        paths=_words(env, "RETELL_LINT_PATHS"),
        environment=env.get("RETELL_LINT_ENV", "").strip() or None,
        args=_words(env, "RETELL_LINT_ARGS"),
        sarif=_flag(env, "RETELL_LINT_SARIF", True),
        comment=_flag(env, "RETELL_LINT_COMMENT", True),
        fail_on_findings=_flag(env, "RETELL_LINT_FAIL_ON_FINDINGS", True),
        out_dir=out_dir,
    )


def command_line(inputs: Inputs, *options: str) -> list[str]:
    """``python -m retell_lint COMMAND OPTIONS [--env NAME] ARGS -- PATHS``."""
    line = [sys.executable, "-m", "retell_lint", inputs.command, *options]
    if inputs.environment:
        line += ["--env", inputs.environment]
    line += inputs.args
    if inputs.paths:
        line += ["--", *inputs.paths]
    return line


def _log(line: str) -> None:
    print(line, flush=True)


def _warning(message: str) -> None:
    escaped = safe_text(message).replace("%", "%25")
    _log(f"::warning title=retell-lint action::{escaped}")


def _run(
    line: Sequence[str], stdout: int | None = None, capture_err: bool = False
) -> tuple[int, str]:
    sys.stdout.flush()
    done = subprocess.run(
        list(line),
        stdout=stdout,
        stderr=subprocess.PIPE if capture_err else None,
        check=False,
    )
    err = done.stderr.decode("utf-8", "replace") if capture_err and done.stderr else ""
    return done.returncode, err


def _read_report(path: Path) -> str:
    try:
        data = read_bytes(str(path), what="the report", limit=MAX_REPORT_BYTES, cut=True)
    except FatalError:
        return ""
    return data.decode("utf-8", "replace")


def run_check(inputs: Inputs, outputs: dict[str, str]) -> tuple[int, str]:
    """Annotations in the log, then the SARIF report the summary is read from."""
    code, _ = _run(command_line(inputs, "--format", "github"))
    sarif_path = inputs.out_dir / "retell-lint.sarif"
    # Never an earlier run's report: the file is there only if this run wrote it.
    remove(str(sarif_path), what="the SARIF report")
    _, err = _run(
        command_line(inputs, "--format", "sarif", "--output", str(sarif_path)), capture_err=True
    )
    if err.strip():
        # Its own stderr (the SARIF caps, errors already shown above) in a folded group.
        _log("::group::retell-lint check --format sarif")
        for line in err.splitlines():
            _log(safe_text(line).replace("%", "%25"))
        _log("::endgroup::")
    counts: CheckCounts | None = None
    if sarif_path.is_file():
        try:
            counts = read_sarif(sarif_path)
        except (FatalError, ValueError, KeyError, IndexError, TypeError):
            counts = None
    if counts is not None:
        outputs.update(
            {
                "sarif-file": str(sarif_path) if inputs.sarif else "",
                "report": str(sarif_path),
                "findings": str(counts.findings),
                "errors": str(counts.errors),
                "warnings": str(counts.warnings),
            }
        )
    return code, check_summary(counts, code)


def run_report(inputs: Inputs, outputs: dict[str, str]) -> tuple[int, str, str]:
    """``plan`` or ``drift`` as Markdown: (exit code, report, summary)."""
    path = inputs.out_dir / f"retell-lint-{inputs.command}.md"
    fd = open_output(str(path), what="the report")
    try:
        code, _ = _run(command_line(inputs, "--format", "markdown"), stdout=fd)
    finally:
        os.close(fd)
    report = _read_report(path) if code != USAGE else ""
    outputs["report"] = str(path)
    return code, report, report_summary(inputs.command, report, code)


def _run_link(env: Mapping[str, str]) -> str:
    server = env.get("GITHUB_SERVER_URL", "https://github.com")
    repository, run_id = env.get("GITHUB_REPOSITORY", ""), env.get("GITHUB_RUN_ID", "")
    if not repository or not run_id.isdigit():
        return ""
    return f"{server}/{repository}/actions/runs/{run_id}"


def comment_on_pull_request(inputs: Inputs, env: Mapping[str, str], report: str, code: int) -> str:
    """Post or update the report's comment; returns its address ('' when none)."""
    event_path = env.get("GITHUB_EVENT_PATH", "")
    try:
        event = (
            parse_json(read_text(event_path, what="the event", limit=MAX_EVENT_BYTES))
            if event_path
            else None
        )
    except (FatalError, ValueError):
        event = None
    number = pull_request_number(event)
    if number is None:
        _log("retell-lint action: not a pull request; no comment posted")
        return ""
    link = _run_link(env)
    if code == USAGE or not report.strip():
        report = (
            f"### retell-lint {inputs.command}\n\n**retell-lint could not run** (exit {code}): "
            "see the workflow run's log."
        )
    footer = f"<sub>[retell-lint {inputs.command}]({link})</sub>" if link else ""
    target = Target(
        api_url=env.get("GITHUB_API_URL") or DEFAULT_API_URL,
        repository=env.get("GITHUB_REPOSITORY", ""),
        number=number,
        token=env.get("GITHUB_TOKEN", ""),
    )
    body = comment_body(marker(inputs.command, inputs.environment), report, footer)
    try:
        return post_or_update(target, marker(inputs.command, inputs.environment), body)
    except CommentError as exc:
        _warning(f"the pull-request comment was not posted: {exc}")
        return ""


def _append(path: str, text: str) -> None:
    if not path:
        return
    try:
        fd = open_output(path, what="the file", append=True)
    except FatalError as exc:
        _warning(f"cannot write {path}: {exc.message}")
        return
    try:
        view = memoryview(text.encode("utf-8"))
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        _warning(f"cannot write {path}: {exc.strerror or exc}")
    finally:
        os.close(fd)


def write_outputs(path: str, outputs: Mapping[str, str]) -> None:
    """``name<<DELIMITER`` blocks, so no value can end its block early."""
    blocks = []
    for name, value in outputs.items():
        delimiter = f"retell_lint_{secrets.token_hex(8)}"
        blocks.append(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
    _append(path, "".join(blocks))


def final_code(inputs: Inputs, code: int) -> int:
    if code == USAGE or code not in (0, 1):
        return USAGE
    if inputs.command == "plan" or not inputs.fail_on_findings:
        return 0
    return code


def main(env: Mapping[str, str] | None = None) -> int:
    env = os.environ if env is None else env
    try:
        inputs = read_inputs(env)
    except InputError as exc:
        _log(f"::error title=retell-lint action::{safe_text(str(exc)).replace('%', '%25')}")
        return USAGE
    outputs: dict[str, str] = {}
    try:
        make_folder(str(inputs.out_dir), what="the output folder")
        if inputs.command == "check":
            code, summary = run_check(inputs, outputs)
        else:
            code, report, summary = run_report(inputs, outputs)
            if inputs.comment:
                outputs["comment-url"] = comment_on_pull_request(inputs, env, report, code)
    except OSError as exc:
        where = safe_text(str(exc.filename or inputs.out_dir)).replace("%", "%25")
        _log(f"::error title=retell-lint action::cannot write {where}: {exc.strerror or exc}")
        return USAGE
    except FatalError as exc:
        _log(f"::error title=retell-lint action::{str(exc).replace('%', '%25')}")
        return USAGE
    outputs["exit-code"] = str(code)
    _append(env.get("GITHUB_STEP_SUMMARY", ""), bounded(summary))
    write_outputs(env.get("GITHUB_OUTPUT", ""), outputs)
    return final_code(inputs, code)


if __name__ == "__main__":
    sys.exit(main())
