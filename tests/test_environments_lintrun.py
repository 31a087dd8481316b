"""``check`` with environments on its cached path: files named one by one (the
pre-commit hook) are compared with the rest of their account's files only, cached
runs agree with fresh ones, and stdin counts as the file it is named as."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from retell_lint.cli import main

SHARED = "+14157779999"
TWO_ACCOUNTS = """
environments:
  staging: {paths: ["retell/staging/**"], api_key_env: RETELL_API_KEY_STAGING}
  prod: {paths: ["retell/prod/**"], api_key_env: RETELL_API_KEY_PROD}
"""
# Two names for one account: the same key variable and the same (default) URL.
ONE_ACCOUNT = """
environments:
  blue: {paths: ["retell/staging/**"], api_key_env: RETELL_API_KEY}
  green: {paths: ["retell/prod/**"], api_key_env: RETELL_API_KEY}
"""


def number_file(number: str, nickname: str) -> str:
    return f'phone_number: "{number}"\nnickname: {nickname}\n'


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_ACTIONS", "NO_COLOR", "RETELL_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / ".git").mkdir()  # the configuration search stops here
    for env in ("staging", "prod"):
        folder = tmp_path / "retell" / env
        folder.mkdir(parents=True)
        (folder / "desk.yaml").write_text(number_file(SHARED, f"{env}-desk"), encoding="utf-8")
    return tmp_path


def configure(project: Path, text: str) -> None:
    (project / ".retell-lint.yaml").write_text(textwrap.dedent(text), encoding="utf-8")


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict, str]:
    capsys.readouterr()
    code = main(["check", "--format", "json", *args])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def duplicates(document: dict) -> list[tuple[str, str]]:
    return [(f["file"], f["message"]) for f in document["findings"] if f["rule"] == "RL103"]


@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_a_named_file_is_no_duplicate_of_another_account_file(
    project: Path, capsys: pytest.CaptureFixture[str], cache: list[str]
) -> None:
    configure(project, TWO_ACCOUNTS)
    # Twice: the second run reads the prod file's facts from the cache.
    for _ in range(2):
        code, document, err = check(capsys, *cache, "retell/staging/desk.yaml")
        assert code == 0, err
        assert duplicates(document) == []
        assert document["summary"]["files"] == 1


@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_a_named_file_is_a_duplicate_of_its_own_account_file(
    project: Path, capsys: pytest.CaptureFixture[str], cache: list[str]
) -> None:
    configure(project, ONE_ACCOUNT)
    for _ in range(2):
        code, document, _ = check(capsys, *cache, "retell/staging/desk.yaml")
        assert code == 1
        ((file, message),) = duplicates(document)
        # Reported in the file named, against the context file, naming both names.
        assert file == "retell/staging/desk.yaml"
        assert "first declared at retell/prod/desk.yaml:1" in message
        assert "by environments 'blue' and 'green'" in message


def test_an_environments_edit_is_seen_by_a_cached_run(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The per-file outcomes are cached; which files are one account is not.
    configure(project, ONE_ACCOUNT)
    assert check(capsys)[0] == 1
    configure(project, TWO_ACCOUNTS)
    code, document, _ = check(capsys)
    assert code == 0 and duplicates(document) == []
    configure(project, ONE_ACCOUNT)
    code, document, _ = check(capsys)
    assert code == 1 and len(duplicates(document)) == 1


@pytest.mark.parametrize(
    ("urls", "one_account"),
    [
        # The default URL written out is the default URL.
        (("https://api.retellai.com", None), True),
        (("https://api.retellai.com/", "https://api.retellai.com"), True),
        # One key variable at two URLs: two accounts.
        (("https://eu.example.com", None), False),
        (("https://eu.example.com", "https://us.example.com"), False),
    ],
)
def test_environments_of_one_key_are_one_account_only_at_one_url(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    urls: tuple[str | None, str | None],
    one_account: bool,
) -> None:
    lines = ["environments:"]
    for name, folder, url in (("blue", "staging", urls[0]), ("green", "prod", urls[1])):
        lines.append(f"  {name}:")
        lines.append(f'    paths: ["retell/{folder}/**"]')
        lines.append("    api_key_env: RETELL_API_KEY")
        if url is not None:
            lines.append(f"    base_url: {url}")
    configure(project, "\n".join(lines) + "\n")
    code, document, err = check(capsys)
    assert code == (1 if one_account else 0), err
    assert len(duplicates(document)) == (1 if one_account else 0)


def test_stdin_is_the_environment_file_it_is_named_as(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    configure(project, TWO_ACCOUNTS)
    text = number_file(SHARED, "edited")

    def from_stdin(*args: str) -> tuple[int, dict | None, str]:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
        capsys.readouterr()
        code = main(["check", "--format", "json", *args, "-"])
        out, err = capsys.readouterr()
        return code, (json.loads(out) if out.strip() else None), err

    # Named as a staging file: compared with staging's files only.
    code, document, err = from_stdin("--stdin-filename", "retell/staging/desk.yaml")
    assert code == 0, err
    assert document is not None and duplicates(document) == []
    # A prod file is not staging's to lint.
    code, _, err = from_stdin("--env", "staging", "--stdin-filename", "retell/prod/desk.yaml")
    assert code == 2
    assert "retell/prod/desk.yaml is not one of environment 'staging''s files" in err
    assert "(it belongs to 'prod')" in err


def test_stdin_named_as_a_file_of_two_environments_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    configure(
        project, TWO_ACCOUNTS.replace('["retell/prod/**"]', '["retell/prod/**", "**/x.yaml"]')
    )
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"phone_number: '+1'\n")))
    capsys.readouterr()
    code = main(["check", "--stdin-filename", "retell/staging/x.yaml", "-"])
    _, err = capsys.readouterr()
    assert code == 2
    assert "retell/staging/x.yaml is owned by two environments, 'staging' and 'prod'" in err


def test_each_file_environment_is_looked_up_a_bounded_number_of_times(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Naming the environments of each duplicate once looked up every number's owner
    # per duplicate: quadratic, minutes for a thousand repeats. Now: per file, once.
    from retell_lint import ownership

    configure(project, ONE_ACCOUNT)
    for env in ("staging", "prod"):
        for index in range(60):
            path = project / "retell" / env / f"n{index}.yaml"
            path.write_text(number_file(SHARED, f"{env}{index}"), "utf-8")
    files = 2 * 61
    calls = 0
    looked_up = ownership.Owners.of

    def counting(self: ownership.Owners, name: str, **kwargs: bool) -> object:
        nonlocal calls
        calls += 1
        return looked_up(self, name, **kwargs)

    monkeypatch.setattr(ownership.Owners, "of", counting)
    code, document, _ = check(capsys, "--no-cache")
    assert code == 1
    assert len(duplicates(document)) == files - 1
    assert all("by environments 'blue' and 'green'" in m for _, m in duplicates(document))
    # Once to refuse a file of two environments, once to group its numbers.
    assert calls <= 2 * files


@given(
    folder=st.text(alphabet="ab./*?", min_size=1, max_size=6),
    tail=st.sampled_from(["/**", "/*", "/**/*.yaml", "", "/a"]),
    path=st.text(alphabet="ab./", min_size=1, max_size=10),
)
@example(folder="/", tail="/**", path="//")  # a path that ends where the prefix does
def test_a_folder_pattern_matched_as_a_prefix_is_the_glob(
    folder: str, tail: str, path: str
) -> None:
    # The fast test for 'folder/**' must own exactly the files the glob owns.
    from retell_lint.ownership import _prefix_test
    from retell_lint.pathmatch import matches

    pattern = folder + tail
    prefix, _ = _prefix_test(pattern)
    if prefix is not None:
        assert path.startswith(prefix) == matches(path, [pattern])


def test_a_cached_run_follows_the_url_an_environment_without_base_url_takes(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # blue names its URL, green takes RETELL_BASE_URL's: one account only when they agree.
    configure(
        project,
        """
        environments:
          blue: {paths: ["retell/staging/**"], api_key_env: KEY, base_url: "https://eu.example.com"}
          green: {paths: ["retell/prod/**"], api_key_env: KEY}
        """,
    )
    for url, found in (("https://eu.example.com", 1), (None, 0), ("https://eu.example.com", 1)):
        if url is None:
            monkeypatch.delenv("RETELL_BASE_URL", raising=False)
        else:
            monkeypatch.setenv("RETELL_BASE_URL", url)
        for _ in range(2):  # the second run from the cache
            code, document, err = check(capsys)
            assert (code, len(duplicates(document))) == (found, found), err
