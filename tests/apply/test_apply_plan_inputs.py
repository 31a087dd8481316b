"""``apply --plan``: a saved plan never chooses what it is checked against.

A plan made from YAML outside the project (with its own configuration raising the
blast-radius limit) used to be applied as it stood: apply read ``paths`` and
``config_file`` from the plan itself and checked the hashes against those files.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from drift_support import Cli
from fake_retell import FakeRetell

from retell_lint.apply.saved_plan import files_fingerprint

OUTSIDER = "+12015551000"
OURS = "+14157774444"


def _project(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number(OURS, nickname="Front desk")
    fake.add_number(OUTSIDER, nickname="Lobby")
    # The project declares its one number as it is live: nothing to do.
    cli.write("retell/a.yaml", f'phone_number: "{OURS}"\nnickname: Front desk\n')


def _elsewhere(tmp_path_factory: pytest.TempPathFactory, config: bool) -> Path:
    folder = tmp_path_factory.mktemp("elsewhere")
    (folder / "retell").mkdir()
    (folder / "retell" / "x.yaml").write_text(
        f'phone_number: "{OUTSIDER}"\nnickname: PWNED\n', encoding="utf-8"
    )
    if config:
        (folder / ".retell-lint.yaml").write_text(
            "apply:\n  max_changes: 1000\n  max_percent: 100\n", encoding="utf-8"
        )
    return folder


def test_a_plan_made_with_another_configuration_is_refused(
    fake: FakeRetell, cli: Cli, tmp_path_factory: pytest.TempPathFactory
) -> None:
    _project(fake, cli)
    elsewhere = _elsewhere(tmp_path_factory, config=True)
    # Made elsewhere with absolute names, then dropped into the project (a swapped CI
    # artifact): the plan's own hashes match the files it names.
    config = str(elsewhere / ".retell-lint.yaml")
    outside = str(elsewhere / "retell" / "x.yaml")
    assert cli("plan", outside, "--config", config, "-o", "plan.json").code == 1
    result = cli("apply", "--plan", "plan.json")
    assert result.code == 2
    assert "refusing the plan plan.json: it was made with" in result.err
    assert str(elsewhere / ".retell-lint.yaml") in result.err
    assert fake.writes() == []


def test_a_plan_naming_files_outside_the_project_is_refused(
    fake: FakeRetell, cli: Cli, tmp_path_factory: pytest.TempPathFactory
) -> None:
    _project(fake, cli)
    elsewhere = _elsewhere(tmp_path_factory, config=False)
    outside = str(elsewhere / "retell" / "x.yaml")
    assert cli("plan", outside, "-o", "plan.json").code == 1
    result = cli("apply", "--plan", "plan.json")
    assert result.code == 2
    assert f"it names files outside the project {cli.root}: {outside}" in result.err
    assert fake.writes() == []


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_plan_naming_a_link_out_of_the_project_is_refused(
    fake: FakeRetell, cli: Cli, tmp_path_factory: pytest.TempPathFactory
) -> None:
    _project(fake, cli)
    elsewhere = _elsewhere(tmp_path_factory, config=False)
    (cli.root / "linked").symlink_to(elsewhere / "retell")
    outside = elsewhere / "retell" / "x.yaml"
    assert cli("plan", str(outside), "-o", "plan.json").code == 1
    # Rewritten to name the link, with hashes of what the link leads to.
    saved = json.loads((cli.root / "plan.json").read_text(encoding="utf-8"))
    saved["paths"] = ["linked"]
    saved["declared"] = files_fingerprint([("linked/x.yaml", outside.read_text())], None)
    (cli.root / "plan.json").write_text(json.dumps(saved), encoding="utf-8")
    result = cli("apply", "--plan", "plan.json")
    assert result.code == 2 and "outside the project" in result.err
    assert fake.writes() == []


def test_limits_come_from_the_project_configuration(fake: FakeRetell, cli: Cli) -> None:
    # A plan made with a generous configuration, applied after the project's own
    # configuration tightened the limit: the project's limit holds (the hashes refuse
    # the plan too; this guards that no limit is ever taken from the plan).
    for index in range(3):
        number = f"+1415777000{index}"
        fake.add_number(number, nickname="Old")
        cli.write(f"retell/n{index}.yaml", f'phone_number: "{number}"\nnickname: New\n')
    cli.write(".retell-lint.yaml", "apply:\n  max_changes: 100\n")
    assert cli("plan", "-o", "plan.json").code == 1
    cli.write(".retell-lint.yaml", "apply:\n  max_changes: 1\n")
    result = cli("apply", "--plan", "plan.json")
    assert result.code == 2
    assert fake.writes() == []


def test_a_plan_of_the_project_applies_with_its_config_named(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number(OURS, nickname="Old")
    cli.write("conf/lint.yaml", "include: ['numbers/*.yaml']\n")
    cli.write("conf/numbers/a.yaml", f'phone_number: "{OURS}"\nnickname: New\n')
    assert cli("plan", "--config", "conf/lint.yaml", "-o", "plan.json").code == 1
    # Without --config this run's configuration is not the plan's: refused.
    refused = cli("apply", "--plan", "plan.json")
    assert refused.code == 2 and "it was made with conf/lint.yaml" in refused.err
    result = cli("apply", "--plan", "plan.json", "--config", "conf/lint.yaml")
    assert result.code == 0, result.err
    assert [r.path for r in fake.writes()] == [f"/update-phone-number/{OURS}"]
