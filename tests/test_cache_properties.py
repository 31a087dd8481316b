"""The result cache never changes a report.

Random sequences of edits to a small project — change, add, delete and rename files;
change the configuration; add a team policy; upgrade the tool's version — and after
each edit the same check runs with the cache and without it. The reports must agree
finding for finding, for the whole tree and for files named one by one (where
project rules read the rest of the tree from the cache).

The number of sequences is RETELL_LINT_CACHE_EXAMPLES (default 1,000): keep it at
least that in CI.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retell_lint import cache as cache_module
from retell_lint import phones
from retell_lint.config import load_config
from retell_lint.engine import lint
from retell_lint.options import CheckOptions

EXAMPLES = int(os.environ.get("RETELL_LINT_CACHE_EXAMPLES", "1000"))

# Small files that exercise every kind of outcome: clean, reader errors, number
# checks, fixable findings, suppressions, and numbers, nicknames and fallbacks that
# project rules compare across files.
NUMBERS = ("+14157774444", "+14157774445", "+442071838750")
NICKNAMES = ("Support", "Sales", "support")
BODIES = (
    'phone_number: "{number}"\nnickname: {nickname}\n',
    'phone_number: "{number}"\nnickname: {nickname}\nfallback_number: "{other}"\n',
    'phone_number: "{number}"\nfallback_number: "{other}"  # retell-lint: ignore[RL402]\n',
    # A custom number's pseudo number, and a fallback to it (valid only as such).
    'phone_number: "+10000000001"\nphone_number_type: custom\nnickname: {nickname}\n',
    'phone_number: "{number}"\nfallback_number: "+10000000001"\n',
    "phone_number: {number}\nphone_number_pretty: x\nallowed_inbound_country_list: [us, UK]\n",
    'phone_number: "{number}"  # retell-lint: ignore[RL103]\nnickname: {nickname}\n',
    'phone_numbers:\n  - phone_number: "{number}"\n  - phone_number: "{other}"\n',
    'phone_number: "{number}"\ninbound_agent_id: agent_x\nnickname: [{nickname}\n',
    "",
    "\xff\xfe not text",
)
FILES = ("retell/a.yaml", "retell/b.yaml", "retell/sub/c.yaml", "retell/d.yml")
CONFIGS = (
    "",
    "rules:\n  RL103: warning\n",
    "rules:\n  RL601: off\n  RL006: error\n",
    "fail_level: warning\nrules:\n  duplicate-phone-number: info\n",
)
POLICIES = (
    "",
    "policies:\n  - id: ACME001\n    name: unique-nick\n    message: one nickname each\n"
    "    scope: project\n    field: nickname\n    require: {unique: true}\n",
    "policies:\n  - id: ACME002\n    name: nick-required\n    message: name it\n"
    "    field: nickname\n    require: {present: true}\n",
)

body = st.builds(
    lambda template, number, other, nickname: template.format(
        number=number, other=other, nickname=nickname
    ),
    st.sampled_from(BODIES),
    st.sampled_from(NUMBERS),
    st.sampled_from(NUMBERS),
    st.sampled_from(NICKNAMES),
)
edit = st.one_of(
    st.tuples(st.just("write"), st.sampled_from(FILES), body),
    st.tuples(st.just("delete"), st.sampled_from(FILES)),
    st.tuples(st.just("rename"), st.sampled_from(FILES), st.sampled_from(FILES)),
    st.tuples(st.just("config"), st.sampled_from(CONFIGS)),
    st.tuples(st.just("policy"), st.sampled_from(POLICIES)),
    st.tuples(st.just("version"), st.sampled_from(("0.1.0", "0.2.0"))),
)


def report(result: Any) -> Any:
    return (
        [finding.to_dict() for finding in result.findings],
        [error.to_dict() for error in result.errors],
        result.files,
        result.number_count,
    )


class Project:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.config = ""
        self.policy = ""
        self.cache_dir = str(root.parent / "cache")
        (root / ".git").mkdir()  # the configuration is looked up no further
        self.write_config()

    def write_config(self) -> None:
        text = self.config + self.policy or "fail_level: error\n"
        (self.root / ".retell-lint.yaml").write_text(text, encoding="utf-8")

    def apply(self, step: tuple[Any, ...]) -> None:
        kind = step[0]
        if kind == "write":
            path = self.root / step[1]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(
                step[2].encode("utf-8", "surrogateescape").replace(b"\xc3\xbf", b"\xff")
            )
        elif kind == "delete":
            (self.root / step[1]).unlink(missing_ok=True)
        elif kind == "rename":
            source, target = self.root / step[1], self.root / step[2]
            if source.exists() and source != target:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, target)
        elif kind == "config":
            self.config = step[1]
            self.write_config()
        elif kind == "policy":
            self.policy = step[1]
            self.write_config()

    def check(self, paths: tuple[str, ...], cached: bool) -> Any:
        # Each run starts as a new process does: without the phone facts of the last.
        phones._KNOWN.clear()
        config = load_config(None)
        options = CheckOptions(paths=paths, cache=cached, cache_dir=self.cache_dir, jobs=1)
        return report(lint(paths, config, options=options))


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)
@given(
    # A tree to start from (so later edits meet other files' numbers), then edits.
    st.lists(st.tuples(st.just("write"), st.sampled_from(FILES), body), min_size=2, max_size=4),
    st.lists(edit, min_size=1, max_size=4),
)
def test_cached_and_uncached_reports_agree_after_any_edits(tree, edits):
    # The tree is written, then checked once; each edit after it is checked.
    steps = [("tree", tree), *edits]
    before = os.getcwd()
    version = cache_module.__version__
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "project"
        root.mkdir()
        project = Project(root)
        os.chdir(root)
        try:
            for step in steps:
                if step[0] == "version":
                    cache_module.__version__ = step[1]
                elif step[0] == "tree":
                    for write in step[1]:
                        project.apply(write)
                else:
                    project.apply(step)
                uncached = project.check((), False)
                assert project.check((), True) == uncached
                # Unchanged since: the project rules' findings are reused, not rerun.
                assert project.check((), True) == uncached
                named = tuple(name for name in FILES if (root / name).exists())[:2]
                if named:
                    uncached = project.check(named, False)
                    assert project.check(named, True) == uncached
                    assert project.check(named, True) == uncached
        finally:
            os.chdir(before)
            cache_module.__version__ = version
