"""The composite action (action.yml): its `run` step executed as the runner would, with
GITHUB_* variables pointing at temporary files, the fake Retell API and a stand-in for
GitHub's comment API on 127.0.0.1."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fake_github import FakeGitHub
from fake_retell import FakeRetell
from ruamel.yaml import YAML

from retell_lint.ci.action import Inputs, command_line, final_code
from retell_lint.ci.comment import marker
from retell_lint.ci.limits import COMMENT_MAX_CHARS

ROOT = Path(__file__).resolve().parents[2]
ACTION = ROOT / "action.yml"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
RETELL_KEY = "key_ACTIONTEST_8f7e6d5c4b3a"
MORE = re.compile(r"^… ([\d,]+) more numbers \(cut to fit a pull-request comment", re.M)


def load_action() -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load(ACTION.read_text(encoding="utf-8"))
    return data


@dataclass
class StepRun:
    code: int
    out: str
    err: str
    outputs: dict[str, str]
    summary: str
    seconds: float


def parse_outputs(text: str) -> dict[str, str]:
    """The runner's reading of GITHUB_OUTPUT: ``name<<DELIMITER`` blocks."""
    outputs: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        name, _, delimiter = line.partition("<<")
        assert delimiter, line
        value: list[str] = []
        for inner in lines:
            if inner == delimiter:
                break
            value.append(inner)
        outputs[name] = "\n".join(value)
    return outputs


class Runner:
    """Runs the action's `run` step in a project folder, as GitHub's runner does."""

    def __init__(self, tmp_path: Path, github: FakeGitHub, retell: FakeRetell) -> None:
        self.root = tmp_path / "repo"
        self.root.mkdir()
        self.temp = tmp_path / "runner-temp"
        self.temp.mkdir()
        self.github = github
        self.retell = retell
        self.event: dict[str, Any] = {"pull_request": {"number": 7}}
        self.api_key = retell.api_key

    def evaluate(self, text: str, inputs: dict[str, str]) -> str:
        def value(match: re.Match[str]) -> str:
            name = match.group(1)
            if name.startswith("inputs."):
                return self.evaluate(inputs[name.removeprefix("inputs.")], inputs)
            if name == "github.token":
                return self.github.token
            if name == "github.action_path":
                return str(ROOT)
            raise AssertionError(f"the test does not know how to evaluate {name}")

        return EXPRESSION.sub(value, text)

    def run(self, **given: str) -> StepRun:
        action = load_action()
        inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
        unknown = set(given) - set(inputs)
        assert not unknown, unknown
        inputs.update(given)
        step = next(step for step in action["runs"]["steps"] if step.get("id") == "run")
        summary, output = self.temp / "summary.md", self.temp / "output.txt"
        summary.write_text("", encoding="utf-8")
        output.write_text("", encoding="utf-8")
        event = self.temp / "event.json"
        event.write_text(json.dumps(self.event), encoding="utf-8")
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("GITHUB_", "RETELL_", "RUNNER_"))
        }
        env.update({name: self.evaluate(str(v), inputs) for name, v in step["env"].items()})
        env.update(
            {
                "RETELL_LINT_PYTHON_BIN": sys.executable,
                "GITHUB_ACTIONS": "true",
                "GITHUB_STEP_SUMMARY": str(summary),
                "GITHUB_OUTPUT": str(output),
                "GITHUB_EVENT_PATH": str(event),
                "GITHUB_EVENT_NAME": "pull_request",
                "GITHUB_API_URL": self.github.api_url,
                "GITHUB_REPOSITORY": self.github.repository,
                "GITHUB_SERVER_URL": "https://github.example",
                "GITHUB_RUN_ID": "4242",
                "RUNNER_TEMP": str(self.temp),
                "RETELL_API_KEY": self.api_key,
                "RETELL_BASE_URL": self.retell.base_url,
                "RETELL_LINT_TIMEOUT": "120",
            }
        )
        start = time.monotonic()
        done = subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            cwd=self.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        seconds = time.monotonic() - start
        for text in (done.stdout, done.stderr, summary.read_text(encoding="utf-8")):
            assert self.retell.api_key not in text and self.github.token not in text
        return StepRun(
            done.returncode,
            done.stdout,
            done.stderr,
            parse_outputs(output.read_text(encoding="utf-8")),
            summary.read_text(encoding="utf-8"),
            seconds,
        )


@pytest.fixture
def runner(tmp_path: Path) -> Iterator[Runner]:
    github = FakeGitHub().start()
    retell = FakeRetell(api_key=RETELL_KEY).start()
    try:
        yield Runner(tmp_path, github, retell)
    finally:
        github.stop()
        retell.stop()


def test_action_yml_is_a_valid_action() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-actions",
            str(ACTION),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_action_installs_its_own_checkout_and_uploads_sarif() -> None:
    steps = load_action()["runs"]["steps"]
    install = next(step for step in steps if step.get("id") == "install")
    assert install["env"]["RETELL_LINT_SOURCE"] == "${{ github.action_path }}"
    assert "pip install" in install["run"]
    upload = [step for step in steps if "upload-sarif" in step.get("uses", "")]
    assert upload and upload[0]["with"]["sarif_file"] == "${{ steps.run.outputs.sarif-file }}"
    # Uploaded also when the check step failed on findings.
    assert "!cancelled()" in upload[0]["if"]


STUB_PYTHON = """#!/bin/sh
# Stands in for Python: "-m venv DIR" makes DIR/bin/python a copy of this script;
# anything else is recorded, one call a line.
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
  mkdir -p "$3/bin" && cp "$0" "$3/bin/python" && exit 0
fi
echo "$*" >> "$STUB_CALLS"
"""


@pytest.mark.parametrize("version", ["", "retell-lint @ git+https://git.example.com/t/r@v0.1.0"])
def test_install_step_installs_the_checkout_or_the_given_version(
    tmp_path: Path, version: str
) -> None:
    action = load_action()
    step = next(step for step in action["runs"]["steps"] if step.get("id") == "install")
    stub = tmp_path / "python-stub"
    stub.write_text(STUB_PYTHON, encoding="utf-8")
    stub.chmod(0o755)
    calls, github_env = tmp_path / "calls.txt", tmp_path / "github_env"
    inputs = {"python": str(stub), "version": version}

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "github.action_path":
            return str(ROOT)
        return inputs[name.removeprefix("inputs.")]

    env = {key: v for key, v in os.environ.items() if not key.startswith(("GITHUB_", "RUNNER_"))}
    env.update({name: EXPRESSION.sub(value, str(v)) for name, v in step["env"].items()})
    env.update({"RUNNER_TEMP": str(tmp_path), "GITHUB_ENV": str(github_env)})
    env["STUB_CALLS"] = str(calls)
    done = subprocess.run(
        ["bash", "-e", "-c", step["run"]], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    (call,) = calls.read_text(encoding="utf-8").splitlines()
    assert call.startswith("-m pip install ")
    assert call.endswith(version or str(ROOT))
    venv_python = tmp_path / "retell-lint-venv" / "bin" / "python"
    assert github_env.read_text(encoding="utf-8") == f"RETELL_LINT_PYTHON_BIN={venv_python}\n"


def test_readme_documents_every_input_and_output() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    action = load_action()
    rows = set(re.findall(r"^\| `([\w-]+)` \|", readme, re.M))
    assert set(action["inputs"]) <= rows
    for name in action["outputs"]:
        assert f"`{name}`" in readme
    assert "uses: your-team/retell-lint@v0.1.0" in readme


def declare(root: Path, count: int, start: int = 14_155_550_000) -> None:
    lines = ["phone_numbers:"]
    for index in range(count):
        lines += [f'  - phone_number: "+{start + index}"', f"    nickname: Desk {index}"]
    (root / "retell").mkdir(exist_ok=True)
    (root / "retell" / "numbers.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_plan_of_5000_numbers_updates_its_one_comment(runner: Runner) -> None:
    runner.retell.add_numbers(5_000)
    declare(runner.root, 5_000)
    mark = marker("plan")
    runner.github.add_comment(7, "Looks good to me")
    runner.github.add_comment(7, f"quoting the bot: {mark}")
    previous = runner.github.add_comment(7, f"{mark}\nold plan", "github-actions[bot]")

    result = runner.run(command="plan")

    # Pending changes are not a failure; the command's own code is an output.
    assert result.code == 0, result.out + result.err
    assert result.outputs["exit-code"] == "1"
    report = Path(result.outputs["report"]).read_text(encoding="utf-8")
    assert "**5000 changes** to the Retell account." in report
    comments = runner.github.comments[7]
    assert len(comments) == 3
    body = comments[2]["body"]
    assert comments[2]["id"] == previous["id"]
    assert [m for m, _ in runner.github.requests if m != "GET"] == ["PATCH"]
    assert result.outputs["comment-url"] == previous["html_url"]
    assert body.startswith(mark + "\n### retell-lint plan")
    assert len(body) <= COMMENT_MAX_CHARS
    (cut,) = MORE.findall(body)
    shown = sum(1 for line in body.splitlines() if line.startswith("| ~ |"))
    assert shown > 100 and int(cut.replace(",", "")) == 5_000 - shown
    assert "https://github.example/acme/phones/actions/runs/4242" in body
    # The job summary shows the same report.
    assert result.summary.startswith("### retell-lint plan")
    assert MORE.search(result.summary)
    print(f"plan of 5,000 numbers through the action: {result.seconds:.1f} s")


def test_drift_posts_one_comment_then_updates_it(runner: Runner) -> None:
    runner.retell.add_numbers(3)
    declare(runner.root, 3)

    first = runner.run(command="drift")
    assert first.code == 1 and first.outputs["exit-code"] == "1"
    assert "**Drift in 3 numbers**" in first.summary
    assert [m for m, _ in runner.github.requests if m != "GET"] == ["POST"]
    (comment,) = runner.github.comments[7]
    assert comment["body"].startswith(marker("drift") + "\n### retell-lint drift")

    runner.retell.numbers["+14155550000"]["nickname"] = "Desk 0"
    second = runner.run(command="drift", **{"fail-on-findings": "false"})
    assert second.code == 0 and second.outputs["exit-code"] == "1"
    assert [m for m, _ in runner.github.requests if m != "GET"] == ["POST", "PATCH"]
    (comment,) = runner.github.comments[7]
    assert "**Drift in 2 numbers**" in comment["body"]


def test_no_comment_outside_a_pull_request(runner: Runner) -> None:
    runner.event = {"ref": "refs/heads/main"}
    declare(runner.root, 1)
    runner.retell.add_numbers(1)
    result = runner.run(command="drift")
    assert result.code == 1
    assert runner.github.requests == []
    assert result.outputs["comment-url"] == ""
    assert "not a pull request" in result.out


def test_a_comment_that_cannot_be_posted_is_a_warning(runner: Runner) -> None:
    declare(runner.root, 1)
    runner.retell.add_numbers(1)
    # The server expects another token: 401.
    result = runner.run(command="plan", **{"github-token": "ghs_WRONG_5a6b7c"})
    assert "ghs_WRONG_5a6b7c" not in result.out + result.err + result.summary
    assert result.code == 0
    warnings = [line for line in result.out.splitlines() if line.startswith("::warning ")]
    assert len(warnings) == 1 and "HTTP 401 (Bad credentials)" in warnings[0]
    assert "### retell-lint plan" in result.summary


def test_plan_that_cannot_run_says_so_and_fails(runner: Runner) -> None:
    declare(runner.root, 1)
    runner.api_key = "key_other"  # every Retell request is refused
    result = runner.run(command="plan")
    assert result.code == 2 and result.outputs["exit-code"] == "2"
    assert "**retell-lint could not run** (exit 2)" in result.summary
    (comment,) = runner.github.comments[7]
    assert "**retell-lint could not run** (exit 2)" in comment["body"]


def write_findings(root: Path) -> None:
    (root / "retell").mkdir()
    (root / "retell" / "bad.yaml").write_text(
        'phone_number: "+14157774444"\n'
        "inbound_agents:\n"
        "  - agent_id: agent_a\n"
        "    weight: 0.5\n"
        "allowed_inbound_country_list: [usa]\n",
        encoding="utf-8",
    )
    # An empty inbound list: RL308, an info finding (a notice).
    (root / "retell" / "good.yaml").write_text(
        'phone_number: "+14157770000"\ninbound_agents: []\n', encoding="utf-8"
    )


def test_check_annotates_writes_sarif_and_summary(runner: Runner) -> None:
    write_findings(runner.root)
    result = runner.run(command="check", paths="retell")
    assert result.code == 1 and result.outputs["exit-code"] == "1"
    annotations = [line for line in result.out.splitlines() if line.startswith("::error ")]
    assert annotations and all("file=retell/bad.yaml" in line for line in annotations)
    notices = [line for line in result.out.splitlines() if line.startswith("::notice ")]
    assert notices and notices[0].startswith("::notice file=retell/good.yaml")
    sarif = json.loads(Path(result.outputs["sarif-file"]).read_text(encoding="utf-8"))
    results = sarif["runs"][0]["results"]
    assert int(result.outputs["findings"]) == len(results) >= 2
    assert result.outputs["errors"] == str(sum(r["level"] == "error" for r in results))
    assert result.summary.startswith("### retell-lint check\n\n**")
    files = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert f"**{len(results)} findings** in {len(files)} files" in result.summary
    rows = [line for line in result.summary.splitlines() if line.startswith("| error |")]
    assert rows and "| retell/bad.yaml:" in rows[0]
    # Without SARIF upload the file is still the report, but not offered for upload.
    quiet = runner.run(
        command="check", paths="retell", sarif="false", **{"fail-on-findings": "false"}
    )
    assert quiet.code == 0 and quiet.outputs["sarif-file"] == ""
    assert runner.github.requests == []


def test_check_of_a_clean_tree(runner: Runner) -> None:
    (runner.root / "ok.yaml").write_text(
        'phone_number: "+14157770000"\ninbound_agents: [{agent_id: agent_a, weight: 1}]\n',
        encoding="utf-8",
    )
    result = runner.run(command="check", paths="ok.yaml")
    assert result.code == 0 and result.outputs["findings"] == "0"
    assert "**No findings.**" in result.summary


def test_check_that_cannot_run_uploads_nothing(runner: Runner) -> None:
    write_findings(runner.root)
    assert runner.run(command="check", paths="retell").outputs["sarif-file"]
    # The second run cannot start: the previous run's SARIF must not be offered again.
    result = runner.run(command="check", paths="retell", args="--config missing.yaml")
    assert result.code == 2 and result.outputs["exit-code"] == "2"
    assert "sarif-file" not in result.outputs
    assert "**retell-lint could not run** (exit 2)" in result.summary
    assert "missing.yaml" in result.err


def test_a_bad_input_is_one_error_line(runner: Runner) -> None:
    result = runner.run(command="apply")
    assert result.code == 2
    assert result.out.strip() == (
        "::error title=retell-lint action::command must be one of check, plan, drift, not 'apply'"
    )


def test_env_is_forwarded_only_when_given(tmp_path: Path) -> None:
    def inputs(environment: str | None) -> Inputs:
        return Inputs(
            "plan",
            ["retell/a b.yaml"],
            environment,
            ["--config", "c.yaml"],
            True,
            True,
            True,
            tmp_path,
        )

    with_env = command_line(inputs("staging"), "--format", "markdown")
    assert with_env[3:] == [
        "plan",
        "--format",
        "markdown",
        "--env",
        "staging",
        "--config",
        "c.yaml",
        "--",
        "retell/a b.yaml",
    ]
    without = command_line(inputs(None), "--format", "markdown")
    assert "--env" not in without
    assert marker("plan", "staging") == "<!-- retell-lint:plan:staging -->"
    # A name cannot close the HTML comment early.
    hostile = marker("plan", "x -->\ny")
    assert hostile.count("-->") == 1 and hostile.endswith("-->") and "\n" not in hostile


@pytest.mark.parametrize(
    ("command", "code", "fail", "expected"),
    [
        ("plan", 1, True, 0),
        ("plan", 2, True, 2),
        ("drift", 1, True, 1),
        ("drift", 1, False, 0),
        ("check", 1, True, 1),
        ("check", -9, True, 2),
    ],
)
def test_final_exit_code(
    tmp_path: Path, command: str, code: int, fail: bool, expected: int
) -> None:
    inputs = Inputs(command, [], None, [], True, True, fail, tmp_path)
    assert final_code(inputs, code) == expected
