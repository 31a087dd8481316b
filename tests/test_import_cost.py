"""A plain one-file ``check`` (the pre-commit case) imports only what a check needs.

Each run is a fresh interpreter that lints one file and prints the modules it
imported; a module of another command, or one the run had no use for, fails the test.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

CLEAN = """\
phone_number: "+14157774444"
phone_number_type: retell-twilio
nickname: Support
inbound_agents:
  - agent_id: agent_abc
    weight: 1
    agent_version: 3
"""
# RL006 (a pasted read-only field) has a safe fix: the text report marks it [*].
FIXABLE = CLEAN + 'phone_number_pretty: "(415) 777-4444"\n'

PROBE = """
import json, sys
from retell_lint.entry import main
code = main(sys.argv[1:])
sys.stdout.flush()
print("\\n" + json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""

# Never needed by a check that is not --online, --fix or --diff, without policies.
NEVER = (
    "retell_lint.drift",
    "retell_lint.apply",
    "retell_lint.retell_api",
    "retell_lint.api_limits",
    "retell_lint.api_model",
    "retell_lint.online",
    "retell_lint.checks.online",
    "retell_lint.policy",
    "retell_lint.fix",
    "retell_lint.schema",
    "retell_lint.baseline",
    "retell_lint.pool",
    "retell_lint.forked",
    "retell_lint.render.json",
    "retell_lint.render.sarif",
    "retell_lint.environments",
    "retell_lint.accounts",
    "retell_lint.ownership",
    "retell_lint.environment_config",
    "httpx",
    "pydantic",
    "pycountry",
    "multiprocessing",
    "phonenumbers.asyoutypeformatter",
    "phonenumbers.phonenumbermatcher",
    "phonenumbers.shortnumberinfo",
)
# Not needed by the plain check pre-commit runs (paths and flags only): it starts
# without the command-line library (retell_lint.entry).
PLAIN_NEVER = ("click", "retell_lint.cli", "dataclasses", "inspect")


def imported(tmp_path: Path, text: str, *options: str) -> tuple[int, list[str]]:
    target = tmp_path / "retell" / "n.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "check", *options, "retell/n.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return report["code"], report["modules"]


def unneeded(modules: list[str], also: tuple[str, ...] = ()) -> list[str]:
    return [
        name
        for name in modules
        if any(name == prefix or name.startswith(prefix + ".") for prefix in (*NEVER, *also))
    ]


def test_a_clean_file_without_the_cache_imports_no_more_than_a_check_needs(tmp_path):
    code, modules = imported(tmp_path, CLEAN, "--no-cache")
    assert code == 0
    also = ("retell_lint.cache", "retell_lint.facts", "hashlib", *PLAIN_NEVER)
    assert unneeded(modules, also) == []
    assert "retell_lint.engine" in modules and "phonenumbers.phonenumberutil" in modules


def test_a_cached_run_needs_neither_the_reader_nor_the_phone_number_library(tmp_path):
    assert imported(tmp_path, CLEAN)[0] == 0
    code, modules = imported(tmp_path, CLEAN)
    assert code == 0
    assert unneeded(modules, ("phonenumbers", *PLAIN_NEVER)) == []
    assert "retell_lint.cache" in modules


def test_the_pre_commit_hook_s_check_starts_without_the_command_line_library(tmp_path):
    code, modules = imported(tmp_path, FIXABLE, "--force-exclude", "--no-cache")
    assert code == 0
    assert unneeded(modules, PLAIN_NEVER) == []


def test_a_json_report_on_two_cores_starts_without_the_command_line_library(tmp_path):
    code, modules = imported(tmp_path, CLEAN, "--no-cache", "--format", "json", "--jobs", "2")
    assert code == 0
    assert [name for name in modules if name.split(".")[0] in ("click", "inspect")] == []
    assert "retell_lint.cli" not in modules and "retell_lint.render.json" in modules


def test_other_options_with_a_value_are_parsed_by_the_command_line_library(tmp_path):
    # The probe must see click when it is loaded, or the tests above prove nothing.
    code, modules = imported(tmp_path, CLEAN, "--no-cache", "--fail-level", "error")
    assert code == 0
    assert "click" in modules


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_a_fixable_finding_is_marked_without_the_fix_modules(tmp_path, output_format):
    code, modules = imported(tmp_path, FIXABLE, "--no-cache", "--format", output_format)
    assert code == 0  # RL006 is info: it does not fail the run
    allowed_json = ("retell_lint.render.json",) if output_format == "json" else ()
    assert [m for m in unneeded(modules) if m not in allowed_json] == []
    assert "retell_lint.fixable" in modules


def test_the_probe_sees_a_module_that_is_imported(tmp_path):
    # The same probe on --diff must see the fix modules, or the tests above prove nothing.
    code, modules = imported(tmp_path, FIXABLE, "--no-cache", "--diff")
    assert code == 1
    assert "retell_lint.fix.registry" in unneeded(modules)


ENVIRONMENTS = """\
environments:
  staging: {paths: ["retell/**"], api_key_env: RETELL_API_KEY_STAGING}
  prod: {paths: ["prod/**"], api_key_env: RETELL_API_KEY_PROD}
"""


def test_environments_are_loaded_only_by_a_configuration_that_has_them(tmp_path):
    (tmp_path / ".git").mkdir()  # the configuration is looked up no further
    (tmp_path / ".retell-lint.yaml").write_text("fail_level: error\n", encoding="utf-8")
    code, modules = imported(tmp_path, CLEAN, "--no-cache")
    assert code == 0
    assert "retell_lint.environments" not in modules


def test_a_check_with_environments_needs_no_api_client(tmp_path):
    # Grouping the numbers by account must not cost the pre-commit hook the HTTP client:
    # environments without a base_url are told apart by their key variable alone.
    (tmp_path / ".git").mkdir()
    (tmp_path / ".retell-lint.yaml").write_text(ENVIRONMENTS, encoding="utf-8")
    code, modules = imported(tmp_path, CLEAN, "--no-cache")
    assert code == 0
    assert "retell_lint.environments" in modules  # the probe sees the module it should
    assert unneeded(modules, ("retell_lint.cache", "retell_lint.facts", "hashlib")) == [
        "retell_lint.environment_config",
        "retell_lint.environments",
        "retell_lint.ownership",
    ]
