"""The result cache on disk: where it is, what it holds, and what it survives."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from retell_lint import cache, cache_folder
from retell_lint.cli import main

NUMBER = 'phone_number: "+14157774444"\nnickname: Support\n'
OTHER = 'phone_number: "+14157774445"\nnickname: Sales\n'


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with two numbers; the cache where check puts it by default."""
    (tmp_path / ".git").mkdir()
    (tmp_path / ".retell-lint.yaml").write_text("fail_level: error\n", encoding="utf-8")
    (tmp_path / "retell").mkdir()
    (tmp_path / "retell" / "a.yaml").write_text(NUMBER, encoding="utf-8")
    (tmp_path / "retell" / "b.yaml").write_text(OTHER, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(cache.ENV_VAR, raising=False)
    return tmp_path


def packs(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json"))


# The rules these tests are about (the numbers are bare: RL308 and others say so too).
ACROSS_FILES = ("RL103", "RL601")


def json_check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict]]:
    code = main(["check", "--format", "json", *args])
    findings = json.loads(capsys.readouterr().out)["findings"]
    return code, [finding for finding in findings if finding["rule"] in ACROSS_FILES]


def run_uncached(capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict]]:
    return json_check(capsys, "--no-cache")


def test_the_cache_folder_is_tagged_and_ignored_by_git(project, capsys):
    assert main(["check"]) == 0
    folder = project / ".retell-lint-cache"
    assert (
        (folder / "CACHEDIR.TAG")
        .read_text()
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    assert len(packs(folder)) == 1


def test_no_cache_neither_reads_nor_writes(project, capsys, monkeypatch):
    assert main(["check", "--no-cache"]) == 0
    assert not (project / ".retell-lint-cache").exists()


def test_cache_dir_option_and_environment_variable(project, tmp_path_factory, capsys, monkeypatch):
    chosen = tmp_path_factory.mktemp("chosen") / "c"
    assert main(["check", "--cache-dir", str(chosen)]) == 0
    assert len(packs(chosen)) == 1
    from_env = tmp_path_factory.mktemp("env") / "c"
    monkeypatch.setenv(cache.ENV_VAR, str(from_env))
    assert main(["check"]) == 0
    assert len(packs(from_env)) == 1
    assert not (project / ".retell-lint-cache").exists()


def test_an_unchanged_file_is_not_linted_again_even_with_a_new_mtime(project, capsys, monkeypatch):
    assert main(["check"]) == 0
    os.utime(project / "retell" / "a.yaml", (1, 1))  # a fresh checkout: every mtime new
    from retell_lint import engine

    def fail(*args, **kwargs):
        raise AssertionError("linted again")

    monkeypatch.setattr(engine, "read_numbers", fail)
    assert main(["check"]) == 0


def test_a_corrupt_or_foreign_pack_is_ignored_and_rewritten(project, capsys):
    (project / "retell" / "b.yaml").write_text(NUMBER, encoding="utf-8")  # a duplicate
    code, expected = json_check(capsys)
    assert code == 1 and [f["rule"] for f in expected] == ["RL103", "RL601"]
    (pack,) = packs(project / ".retell-lint-cache")
    for damage in (
        b"{not json",
        b"",
        b'{"tool": "someone-else", "format": 1}',
        b"\x00" * 100,
        pack.read_bytes()[:-20],
    ):
        pack.write_bytes(damage)
        assert json_check(capsys) == (1, expected)
        data = json.loads(pack.read_bytes())  # rewritten whole
        assert data["tool"] == "retell-lint"
        # The two files' entries, and the project rules' findings over both.
        assert sorted(key.startswith("project-") for key in data["entries"]) == [
            False,
            False,
            True,
        ]


def test_a_bad_entry_is_linted_again_and_replaced(project, capsys):
    (project / "retell" / "b.yaml").write_text(NUMBER, encoding="utf-8")
    code, expected = json_check(capsys)
    (pack,) = packs(project / ".retell-lint-cache")
    data = json.loads(pack.read_bytes())
    # [hits, how many numbers], damaged in each part.
    bad = [["x", 1], [[["RL103", 1, 2]], 1], [[], "1"], {"hits": [], "numbers": []}, []]
    for entry in bad:
        for key in data["entries"]:
            if not key.startswith("project-"):
                data["entries"][key] = entry
        pack.write_text(json.dumps(data))
        assert json_check(capsys) == (code, expected)
        rewritten = json.loads(pack.read_bytes())["entries"]
        assert all(value != entry for value in rewritten.values())


def test_bad_facts_are_worked_out_again_and_replaced(project, capsys):
    # The numbers' facts are kept beside the pack and read when project rules run again
    # (here: b.yaml changes, so the project rules' findings are not the kept ones).
    (project / "retell" / "b.yaml").write_text(NUMBER, encoding="utf-8")
    json_check(capsys)
    (facts,) = (project / ".retell-lint-cache").glob("*.facts")
    data = json.loads(facts.read_bytes())
    bad = [
        '{"numbers": [{"document": "0"}], "phones": []}',
        '{"numbers": [], "phones": [["+1", null, "yes"]]}',
        "{not json",
        '{"numbers": [], "phones": []}',  # fewer numbers than the entry says
        None,
    ]
    for index, damage in enumerate(bad):
        for key in data["facts"]:
            data["facts"][key] = damage
        facts.write_text(json.dumps(data))
        changed = OTHER if index % 2 == 0 else NUMBER
        (project / "retell" / "b.yaml").write_text(changed, encoding="utf-8")
        uncached = run_uncached(capsys)
        assert json_check(capsys) == uncached
    for damage in (b"", b"\x00" * 10, b'{"tool": "someone-else"}'):
        facts.write_bytes(damage)
        (project / "retell" / "b.yaml").write_text(OTHER, encoding="utf-8")
        assert json_check(capsys) == run_uncached(capsys)
        (project / "retell" / "b.yaml").write_text(NUMBER, encoding="utf-8")
        assert json_check(capsys) == run_uncached(capsys)


def test_an_unchanged_tree_does_not_read_the_facts(project, capsys, monkeypatch):
    json_check(capsys)
    json_check(capsys)  # the project rules' findings are kept now
    read: list[str] = []
    original = cache.read_file

    def spy(name: str, folder_fd: int, limit: int) -> bytes | None:
        read.append(name)
        return original(name, folder_fd, limit)

    monkeypatch.setattr(cache, "read_file", spy)
    json_check(capsys)
    assert read and not any(name.endswith(cache_folder.FACTS_SUFFIX) for name in read)


def test_the_cache_is_never_written_through_a_symbolic_link(project, tmp_path_factory, capsys):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    os.symlink(elsewhere, project / ".retell-lint-cache")
    assert main(["check"]) == 0
    assert list(elsewhere.iterdir()) == []
    assert "symbolic link" in capsys.readouterr().err


def test_a_pack_that_is_a_link_is_not_read_or_followed(project, tmp_path_factory, capsys):
    assert main(["check"]) == 0
    (pack,) = packs(project / ".retell-lint-cache")
    target = tmp_path_factory.mktemp("target") / "victim.json"
    target.write_text("keep me")
    pack.unlink()
    os.symlink(target, pack)
    assert main(["check"]) == 0
    assert target.read_text() == "keep me"
    assert not pack.is_symlink()  # replaced by a pack of its own


def test_the_number_of_entries_is_bounded(project, capsys, monkeypatch):
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    for index in range(6):
        text = f'phone_number: "+1415777{4450 + index}"\n'
        (project / "retell" / f"n{index}.yaml").write_text(text, encoding="utf-8")
    assert main(["check"]) == 0
    (pack,) = packs(project / ".retell-lint-cache")
    assert len(json.loads(pack.read_bytes())["entries"]) == 3


def test_old_packs_are_removed(project, capsys, monkeypatch):
    monkeypatch.setattr(cache_folder, "MAX_PACKS", 2)
    for severity in ("warning", "info", "error"):
        (project / ".retell-lint.yaml").write_text(f"rules:\n  RL601: {severity}\n")
        assert main(["check"]) == 0
    assert len(packs(project / ".retell-lint-cache")) == 2
    # Each pack's facts go with it.
    kept = {pack.stem for pack in packs(project / ".retell-lint-cache")}
    assert {facts.stem for facts in (project / ".retell-lint-cache").glob("*.facts")} == kept


def test_clean_removes_the_cache_and_nothing_else(project, capsys):
    assert main(["check"]) == 0
    assert main(["clean"]) == 0
    assert not (project / ".retell-lint-cache").exists()
    assert "Removed" in capsys.readouterr().out
    assert main(["clean"]) == 0
    assert "No cache" in capsys.readouterr().out
    other = project / "not-ours"
    other.mkdir()
    (other / "keep.json").write_text("{}")
    assert main(["clean", "--cache-dir", str(other)]) == 2
    assert (other / "keep.json").exists()


def test_two_runs_at_once_leave_a_whole_pack(project):
    for index in range(300):
        text = f'phone_number: "+1415{5550000 + index}"\n'
        (project / "retell" / f"n{index}.yaml").write_text(text, encoding="utf-8")
    run = "import sys; from retell_lint.cli import main; sys.exit(main(sys.argv[1:]))"
    command = [sys.executable, "-c", run, "check", "--format", "json", "-j", "1"]
    runs = [
        subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0]
    assert [err for _out, err in outputs] == [b"", b"", b""]
    (pack,) = packs(project / ".retell-lint-cache")
    # 302 files, and the project rules' findings over them.
    assert len(json.loads(pack.read_bytes())["entries"]) == 303
    assert [p.name for p in (project / ".retell-lint-cache").iterdir() if p.suffix == ".tmp"] == []


def test_changed_files_hook_sees_a_duplicate_in_a_file_not_named(project, capsys):
    # pre-commit names only the staged file; the number it now repeats is in b.yaml.
    assert main(["check"]) == 0
    capsys.readouterr()
    (project / "retell" / "a.yaml").write_text(OTHER.replace("Sales", "Front"), encoding="utf-8")
    for cached in ([], ["--no-cache"]):
        code, findings = json_check(capsys, *cached, "--force-exclude", "retell/a.yaml")
        assert code == 1
        assert [(f["rule"], f["file"], f["line"]) for f in findings] == [
            ("RL103", "retell/a.yaml", 1)
        ]
        assert "first declared at retell/b.yaml:1" in findings[0]["message"]


def test_a_named_file_outside_the_tree_is_not_compared_with_it(project, capsys):
    (project / "elsewhere.yaml").write_text(NUMBER, encoding="utf-8")
    assert json_check(capsys, "elsewhere.yaml") == (0, [])


def test_stdin_is_compared_with_the_tree_but_not_with_its_own_file(project, capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(NUMBER.encode())))
    assert json_check(capsys, "--stdin-filename", "retell/a.yaml", "-") == (0, [])
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(OTHER.encode())))
    code, findings = json_check(capsys, "--stdin-filename", "retell/a.yaml", "-")
    assert code == 1 and [f["rule"] for f in findings] == ["RL103", "RL601"]


def test_worker_processes_give_the_same_report_in_the_same_order(project, capsys, monkeypatch):
    from retell_lint import outcomes

    monkeypatch.setattr(outcomes, "POOL_THRESHOLD", 4)
    for index in range(40):
        # Repeated numbers and nicknames across files, and findings in every file.
        text = f'phone_number: "+1415555{index % 7:04d}"\nnickname: N{index % 5}\nx: 1\n'
        (project / "retell" / f"n{index:02d}.yaml").write_text(text, encoding="utf-8")
    reports = []
    for jobs in ("1", "3"):
        assert main(["check", "--no-cache", "--format", "json", "--jobs", jobs]) == 1
        reports.append(capsys.readouterr().out)
    assert reports[0] == reports[1]
    assert len(json.loads(reports[0])["findings"]) > 80


def test_jobs_default_to_the_cores_this_process_may_use(monkeypatch):
    from retell_lint import lintrun

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 3}, raising=False)
    assert lintrun.default_jobs() == 2
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    assert lintrun.default_jobs() == 1


def test_an_editor_buffer_is_linted_with_the_rest_of_the_tree(project):
    # The function the language server calls: unsaved text, named as its file.
    from retell_lint.config import load_config
    from retell_lint.lintrun import lint_text

    config = load_config(None)
    for cached in (True, False):
        result = lint_text("retell/a.yaml", OTHER, config, cache=cached)
        found = [(f.rule, f.file) for f in result.findings if f.rule in ACROSS_FILES]
        assert found == [("RL103", "retell/a.yaml"), ("RL601", "retell/a.yaml")]
        alone = lint_text("retell/a.yaml", NUMBER, config, cache=cached)
        assert [f for f in alone.findings if f.rule in ACROSS_FILES] == []


def test_fix_reports_what_remains_with_the_rest_of_the_tree_in_view(project, capsys):
    # A fixable finding beside a duplicate of b.yaml's number: after --fix the
    # duplicate is still reported, as check reported it before.
    text = OTHER.replace("Sales", "Front") + 'phone_number_pretty: "x"\n'
    (project / "retell" / "a.yaml").write_text(text, encoding="utf-8")
    code, findings = json_check(capsys, "--fix", "retell/a.yaml")
    assert code == 1
    assert [f["rule"] for f in findings] == ["RL103"]
    assert "phone_number_pretty" not in (project / "retell" / "a.yaml").read_text()


def test_a_cache_dir_that_holds_other_files_is_never_written(project, capsys):
    # --cache-dir . by mistake: the project's own files are not the cache's.
    (project / "data.json").write_text('{"mine": true}')
    assert main(["check", "--cache-dir", "."]) == 0
    assert "not a retell-lint cache" in capsys.readouterr().err
    assert not (project / ".gitignore").exists() and not (project / "CACHEDIR.TAG").exists()
    assert (project / "data.json").read_text() == '{"mine": true}'
    assert sorted(p.name for p in project.glob("*.json")) == ["data.json"]


def test_a_cached_custom_number_still_vouches_for_a_fallback_to_its_pseudo_number(project, capsys):
    # RL403 accepts a fallback to a custom number's pseudo number: that needs the
    # custom number's type, which the cache must keep with the number's facts.
    custom = 'phone_number: "+10000000001"\nphone_number_type: custom\nnickname: Desk\n'
    (project / "retell" / "a.yaml").write_text(custom, encoding="utf-8")
    (project / "retell" / "b.yaml").write_text(
        'phone_number: "+14157774444"\nfallback_number: "+10000000001"\n', encoding="utf-8"
    )
    reports = []
    for options in (["--no-cache"], [], []):  # uncached, filling the cache, from it
        main(["check", "--format", "json", *options])
        reports.append([f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]])
    assert "RL403" not in reports[0]
    assert reports[1] == reports[0] and reports[2] == reports[0]


def test_an_unchanged_tree_reuses_the_project_findings_without_decoding_numbers(project, capsys):
    (project / "retell" / "b.yaml").write_text(NUMBER, encoding="utf-8")  # a duplicate
    code, expected = json_check(capsys)
    assert code == 1 and [f["rule"] for f in expected] == ["RL103", "RL601"]
    from retell_lint import engine, facts

    def fail(*args, **kwargs):
        raise AssertionError("decoded or linted again")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(facts, "decode_number", fail)
        patch.setattr(engine, "read_numbers", fail)
        assert json_check(capsys) == (code, expected)
        assert main(["check"]) == 1
        assert "(2 numbers)" in capsys.readouterr().out
    # A changed file: the project rules run again, on decoded numbers.
    (project / "retell" / "b.yaml").write_text(OTHER, encoding="utf-8")
    assert json_check(capsys) == (0, [])
