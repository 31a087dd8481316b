"""README truth: its samples lint as the text around them says, its commands work.

Every ```yaml block in README.md is preceded by an HTML comment (invisible on GitHub)
saying what it is, which this test reads:

- ``<!-- readme-lint: clean -->``: a config file that lints with no finding at all;
- ``<!-- readme-lint: findings RL010 RL301 -->``: a config file whose findings are
  exactly of these rules;
- ``<!-- readme-lint: config -->``: a ``.retell-lint.yaml`` that loads;
- ``<!-- readme-lint: pre-commit -->``: a ``.pre-commit-config.yaml`` for the hooks;
- ``<!-- readme-lint: policies -->``: a team policy file, and
  ``<!-- readme-lint: policy-config -->`` the configuration naming it: both load;
- ``<!-- readme-lint: yaml (why) -->``: other YAML, which only has to parse.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from retell_lint import __version__, catalogue
from retell_lint.config import Config, load_config
from retell_lint.engine import lint, lint_sources
from retell_lint.source import Source

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"^```(?P<lang>\w*)\n(?P<body>.*?)^```$", re.M | re.S)
MARKER = re.compile(r"<!-- readme-lint: (?P<kind>[\w-]+)(?P<args>[^>]*)-->\s*$")


def blocks(lang: str) -> list[tuple[str, str, str, int]]:
    """(kind, arguments, body, line) of every README block in ``lang``."""
    found = []
    for match in BLOCK.finditer(README):
        if match["lang"] != lang:
            continue
        before = README[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        line = README.count("\n", 0, match.start()) + 1
        marker = MARKER.search(before)
        kind, args = (marker["kind"], marker["args"].strip()) if marker else ("", "")
        found.append((kind, args, match["body"], line))
    return found


YAML_BLOCKS = blocks("yaml")


def block_id(block: tuple[str, str, str, int]) -> str:
    return f"line{block[3]}-{block[0] or 'unmarked'}"


def lint_sample(body: str) -> list[str]:
    config = Config(root=ROOT)
    result = lint_sources([Source("sample.yaml", body)], config)
    assert result.errors == []
    return [f"{f.rule} {f.message}" for f in result.findings]


def test_every_yaml_sample_is_marked() -> None:
    kinds = {"clean", "findings", "config", "pre-commit", "yaml", "policies", "policy-config"}
    assert len(YAML_BLOCKS) >= 6
    for kind, _args, _body, line in YAML_BLOCKS:
        assert kind in kinds, f"README.md:{line}: yaml block without a readme-lint marker"


@pytest.mark.parametrize("block", YAML_BLOCKS, ids=block_id)
def test_yaml_sample_is_what_the_text_says(
    block: tuple[str, str, str, int], tmp_path: Path
) -> None:
    kind, args, body, line = block
    YAML(typ="safe", pure=True).load(body)  # every sample is valid YAML
    if kind == "clean":
        assert lint_sample(body) == [], f"README.md:{line}"
    elif kind == "findings":
        rules = {finding.split()[0] for finding in lint_sample(body)}
        assert rules == set(args.split()), f"README.md:{line}"
    elif kind == "config":
        (tmp_path / ".retell-lint.yaml").write_text(body, encoding="utf-8")
        config = load_config(cwd=tmp_path)
        assert config.path == tmp_path / ".retell-lint.yaml"
    elif kind == "pre-commit":
        check_pre_commit_sample(body, tmp_path)
    elif kind in ("policies", "policy-config"):
        check_policy_samples(tmp_path)


def check_policy_samples(tmp_path: Path) -> None:
    """The README's policy file loads through the README's configuration naming it."""
    (policies,) = [body for kind, _a, body, _l in YAML_BLOCKS if kind == "policies"]
    (configuration,) = [body for kind, _a, body, _l in YAML_BLOCKS if kind == "policy-config"]
    (tmp_path / "policies.yaml").write_text(policies, encoding="utf-8")
    (tmp_path / ".retell-lint.yaml").write_text(configuration, encoding="utf-8")
    config = load_config(cwd=tmp_path)
    assert [policy.id for policy in config.policies] == [
        f"ACME00{number}" for number in range(1, 6)
    ]


def check_pre_commit_sample(body: str, tmp_path: Path) -> None:
    data = YAML(typ="safe", pure=True).load(body)
    (repo,) = data["repos"]
    # The text tells users to tag the version they use: the sample pins that tag.
    assert repo["rev"] == f"v{__version__}"
    assert f"git tag v{__version__}" in README
    manifest = YAML(typ="safe", pure=True).load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert {hook["id"] for hook in repo["hooks"]} <= {hook["id"] for hook in manifest}
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(body, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", str(config)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_quick_start_output_is_real(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = lint(("examples/",), Config(root=ROOT))
    # examples/retell/ is clean; examples/needs-work/ is not.
    assert [f for f in result.findings if f.file.startswith("examples/retell/")] == []
    assert any(f.file.startswith("examples/needs-work/") for f in result.findings)
    from retell_lint.fix.registry import annotate
    from retell_lint.render import text

    annotate(result)  # as check does: fixable findings are marked [*]
    report = text.render(result)
    (sample,) = [body for kind, _a, body, _l in blocks("text") if not kind]
    for sample_line in sample.splitlines():
        assert sample_line in report.splitlines()


def test_rule_count_is_current() -> None:
    count = len(catalogue.load())
    assert f"\n{count} rules, from YAML pitfalls" in README


def test_pyproject_license_is_an_spdx_string() -> None:
    # The table form ({text = "MIT"}) makes setuptools print a deprecation banner on
    # every build; the SPDX string needs setuptools 77 or later.
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert data["project"]["license"] == "MIT"
    assert not any(c.startswith("License ::") for c in data["project"].get("classifiers", []))
    requires = data["build-system"]["requires"]
    assert "setuptools>=77" in requires


def test_benchmark_runs_without_the_test_extras(tmp_path: Path) -> None:
    # The README's reproduction installs only the package and yamllint: the drift
    # benchmark must not need pytest or any other test extra.
    blocked = ["pytest", "_pytest", "hypothesis", "jsonschema", "junitparser", "retell"]
    code = (
        "import runpy, sys\n"
        f"for name in {blocked!r}:\n"
        "    sys.modules[name] = None\n"
        "sys.argv = ['drift_bench.py', '--size', '5', '--repeat', '1', "
        f"'--out', {str(tmp_path)!r}]\n"
        "runpy.run_path('benchmarks/drift_bench.py', run_name='__main__')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # Exit 1 means a ratio above the target, which five files (start-up only) may show.
    assert done.returncode in (0, 1), done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    output = done.stdout + done.stderr
    assert re.search(r"run 1: drift [\d.]+ s \(exit 0\)", output), output
    assert re.search(r"run 1: check [\d.]+ s \(exit 0\)", output), output
    assert "python benchmarks/drift_bench.py --size" in README
