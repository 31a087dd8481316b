"""Mutation score of the rule checks, the drift comparison and the apply body builder.

Usage::

    python benchmarks/mutation.py [--only agents,diff] [--max-children 2] [--survivors]
                                  [--min-score 95] [--out DIR] [--no-run]

For each target file, mutmut 3 (``pip install -e '.[test]'`` installs it) runs in a
scratch copy of the tree under ``OUT/<target>/`` (default ``benchmarks/out/mutation``,
which git ignores): ``retell_lint/`` and ``tests/`` are copied there with a
``pyproject.toml`` whose ``[tool.mutmut]`` mutates that one file and selects that
file's few test modules (mutmut then runs, for each mutant, only the tests that call
the mutated function). One file at a time keeps the load to ``--max-children``
processes and the test selection small.

A mutant is *killed* when a test fails on it (a time-out or a crash counts too); it
*survives* when every test passes or no test calls its function. Survivors listed in
``benchmarks/mutation_equivalent.toml`` (by function and mutated line) are equivalent
mutants: they change no behaviour, so they are left out of the score's denominator and
counted in their own column. The score is killed / (mutants - equivalent).

``--no-run`` counts the last run's results again (after editing the equivalent list).
Prints one line per target and one overall; with ``--survivors``, the diff of each
surviving mutant that is not listed as equivalent. Exit status: 0 when the overall
score is at least ``--min-score``; 1 when it is below; 2 when mutmut could not run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the project's own dependency on 3.10
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EQUIVALENT_FILE = HERE / "mutation_equivalent.toml"


@dataclass(frozen=True)
class Target:
    name: str
    source: str
    tests: tuple[str, ...]
    # mutmut mutant-name glob: which of the file's functions are scored (all by default).
    functions: str = "*"


API_TRUTH = ("tests/test_findings_api_truth.py", "tests/test_api_truth_pins.py")
DIGITS = "tests/test_unicode_digits.py"
BODY_TESTS = (
    "tests/apply/test_apply_actions.py",
    "tests/apply/test_apply_body_pins.py",
    "tests/apply/test_apply_bodies.py",
    "tests/apply/test_apply_refusal_pins.py",
)

TARGETS = (
    Target(
        "agents",
        "retell_lint/checks/agents.py",
        ("tests/checks/test_checks_agents.py", "tests/checks/test_checks_agents_pins.py", DIGITS),
    ),
    Target(
        "fallback",
        "retell_lint/checks/fallback.py",
        (
            "tests/checks/test_checks_fallback.py",
            "tests/checks/test_checks_fallback_pins.py",
            *API_TRUTH,
        ),
    ),
    Target(
        "countries",
        "retell_lint/checks/countries.py",
        (
            "tests/checks/test_checks_countries.py",
            "tests/checks/test_checks_countries_pins.py",
            *API_TRUTH,
        ),
    ),
    Target(
        "numbers",
        "retell_lint/checks/numbers.py",
        (
            "tests/checks/test_checks_numbers.py",
            "tests/checks/test_checks_numbers_pins.py",
            *API_TRUTH,
            DIGITS,
        ),
    ),
    Target(
        "normalise",
        "retell_lint/drift/normalise.py",
        # Apply's bodies carry the declared values normalise.py keeps as written.
        ("tests/drift/test_drift_pins.py", DIGITS, *BODY_TESTS),
    ),
    Target(
        "diff",
        "retell_lint/drift/diff.py",
        ("tests/drift/test_drift_pins.py",),
    ),
    Target(
        "body",
        "retell_lint/apply/actions.py",
        BODY_TESTS,
        # The body builder: the update and create bodies and what they refuse.
        functions="retell_lint.apply.actions.x*_Builder*",
    ),
)

# Left out of every selection: a property test draws new examples on each run, so whether
# it kills a mutant is chance (and a failing draw stops mutmut's clean run).
DESELECT = (
    "tests/apply/test_apply_bodies.py::test_any_declared_list_is_sent_as_parsed_or_refused",
)

# mutmut's exit codes of a mutant's test run (mutmut/stats.py).
KILLED = {1, 3, 24, -24, 36, 37, 152, 255, -9, -11}
SURVIVED = {0}
NO_TESTS = {5, 33}


@dataclass
class Tally:
    killed: int = 0
    survived: int = 0
    equivalent: int = 0
    other: int = 0
    survivors: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.killed + self.survived + self.equivalent + self.other

    @property
    def score(self) -> float:
        scored = self.total - self.equivalent
        return 100.0 * self.killed / scored if scored else 100.0

    def add(self, other: Tally) -> None:
        self.killed += other.killed
        self.survived += other.survived
        self.equivalent += other.equivalent
        self.other += other.other


@dataclass(frozen=True)
class Equivalent:
    function: str
    mutation: str
    reason: str
    # The unchanged line just above the mutated one, when the mutated line alone
    # (a bare "break") is not enough to tell which mutant it is.
    after: str | None = None

    def matches(self, function: str, diff: str) -> bool:
        return (
            self.function == function
            and self.mutation in added_lines(diff)
            and (self.after is None or self.after == line_before_change(diff))
        )


def load_equivalents(path: Path) -> list[Equivalent]:
    if not path.exists():
        return []
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        Equivalent(e["function"], e["mutation"].strip(), e["reason"], e.get("after"))
        for e in data.get("equivalent", [])
    ]


def pyproject_text(target: Target) -> str:
    """A pyproject.toml for the scratch tree: pytest's settings and this target's mutmut."""

    def toml_list(items: tuple[str, ...] | list[str]) -> str:
        return "[" + ", ".join(json.dumps(item) for item in items) + "]"

    deselect = [arg for test in DESELECT for arg in ("--deselect", test)]

    return (
        "[tool.pytest.ini_options]\n"
        'testpaths = ["tests"]\n\n'
        "[tool.mutmut]\n"
        'source_paths = ["retell_lint"]\n'
        f"only_mutate = {toml_list([target.source])}\n"
        "pytest_add_cli_args = "
        f"{toml_list(['-p', 'no:cacheprovider', '-q', '-x', '--hypothesis-seed=0', *deselect])}\n"
        f"pytest_add_cli_args_test_selection = {toml_list(target.tests)}\n"
        "use_git_change_detection = false\n"
    )


REGISTRATION = re.compile(r"^@((?:number|project)_check\(.*\))\n(def (\w+)\()", re.MULTILINE)


def undecorate(text: str) -> str:
    """Rule checks registered after the module's code instead of by decorator.

    mutmut 3 leaves decorated functions unmutated; the registry decorators only store
    the function and return it, so ``f = number_check("x")(f)`` at the end of the
    module registers the same checks, in the same order, and lets mutmut mutate them.
    """
    registrations = [
        f"{m.group(3)} = {m.group(1)}({m.group(3)})" for m in REGISTRATION.finditer(text)
    ]
    if not registrations:
        return text
    body = REGISTRATION.sub(lambda m: m.group(2), text)
    return body.rstrip("\n") + "\n\n\n" + "\n".join(registrations) + "\n"


def prepare(target: Target, out: Path) -> Path:
    scratch = out / target.name
    if scratch.exists():
        shutil.rmtree(scratch)
    scratch.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("retell_lint", "tests"):
        shutil.copytree(ROOT / folder, scratch / folder, ignore=ignore, symlinks=True)
    source = scratch / target.source
    source.write_text(undecorate(source.read_text(encoding="utf-8")), encoding="utf-8")
    tests = tuple(t for t in target.tests if (ROOT / t).exists())
    if tests != target.tests:
        print(f"note: missing test files left out: {sorted(set(target.tests) - set(tests))}")
    if not tests:
        raise SystemExit(f"no test file of {target.source} exists")
    selected = Target(target.name, target.source, tests, target.functions)
    (scratch / "pyproject.toml").write_text(pyproject_text(selected), encoding="utf-8")
    return scratch


def mutmut_bin() -> str:
    found = shutil.which("mutmut", path=str(Path(sys.executable).parent)) or shutil.which("mutmut")
    if found is None:
        raise SystemExit("mutmut is not installed: pip install -e '.[test]'")
    return found


def run_target(target: Target, out: Path, max_children: int, timeout: float) -> Path:
    scratch = prepare(target, out)
    log = scratch / "mutmut.log"
    args = [mutmut_bin(), "run", "--max-children", str(max_children)]
    if target.functions != "*":
        args.append(target.functions)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    with log.open("w", encoding="utf-8") as handle:
        code = subprocess.run(
            args, cwd=scratch, stdout=handle, stderr=subprocess.STDOUT, env=env, timeout=timeout
        ).returncode
    if code != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
        print(f"mutmut failed on {target.source} (exit {code}); log {log}:\n{tail}")
        raise SystemExit(2)
    return scratch


def mutant_diff(scratch: Path, name: str) -> str:
    return subprocess.run(
        [mutmut_bin(), "show", name], cwd=scratch, capture_output=True, text=True, timeout=120
    ).stdout


def added_lines(diff: str) -> list[str]:
    return [
        line[1:].strip()
        for line in diff.splitlines()
        if line.startswith("+") and not line.startswith("+++")
    ]


def line_before_change(diff: str) -> str | None:
    """The context line just above the first removed line of a diff, stripped."""
    before = None
    for line in diff.splitlines():
        if line.startswith("-") and not line.startswith("---"):
            return before
        if line.startswith(" "):
            before = line.strip()
    return None


def function_of(name: str) -> str:
    return re.sub(r"__mutmut_\d+$", "", name)


def tally(target: Target, scratch: Path, equivalents: list[Equivalent], used: set[int]) -> Tally:
    meta = scratch / "mutants" / (target.source + ".meta")
    codes: dict[str, int | None] = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    result = Tally()
    pattern = re.compile(re.escape(target.functions).replace(r"\*", ".*") + "$")
    for name, code in sorted(codes.items()):
        if not pattern.match(name):
            continue
        if code in KILLED:
            result.killed += 1
            continue
        if code not in SURVIVED and code not in NO_TESTS:
            result.other += 1  # not checked or suspicious: neither killed nor explained
            continue
        diff = mutant_diff(scratch, name)
        match = next(
            (index for index, e in enumerate(equivalents) if e.matches(function_of(name), diff)),
            None,
        )
        if match is not None:
            used.add(match)
            result.equivalent += 1
        else:
            result.survived += 1
            result.survivors.append(diff)
    return result


def row(name: str, t: Tally) -> str:
    return (
        f"{name:<10} {t.total:>7} {t.killed:>7} {t.survived:>8} {t.equivalent:>6} "
        f"{t.other:>6} {t.score:>7.1f}%"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--only", help="comma-separated target names: " + ", ".join(t.name for t in TARGETS)
    )
    parser.add_argument("--max-children", type=int, default=2)
    parser.add_argument("--survivors", action="store_true", help="print surviving mutants")
    parser.add_argument("--min-score", type=float, default=95.0)
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per target")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "mutation")
    parser.add_argument(
        "--no-run",
        action="store_true",
        help="count the results of the last run again (after editing the equivalent list)",
    )
    args = parser.parse_args(argv)
    chosen = TARGETS
    if args.only:
        names = set(args.only.split(","))
        unknown = names - {t.name for t in TARGETS}
        if unknown:
            parser.error(f"unknown target(s): {', '.join(sorted(unknown))}")
        chosen = tuple(t for t in TARGETS if t.name in names)
    equivalents = load_equivalents(EQUIVALENT_FILE)
    used: set[int] = set()
    overall = Tally()
    lines = [
        f"{'target':<10} {'mutants':>7} {'killed':>7} {'survived':>8} {'equiv':>6} "
        f"{'other':>6} {'score':>8}"
    ]
    started = time.monotonic()
    for target in chosen:
        began = time.monotonic()
        if args.no_run:
            scratch = args.out.resolve() / target.name
            if not (scratch / "mutants").is_dir():
                print(f"no earlier run of {target.name} in {scratch}")
                return 2
        else:
            scratch = run_target(target, args.out.resolve(), args.max_children, args.timeout)
        result = tally(target, scratch, equivalents, used)
        overall.add(result)
        lines.append(row(target.name, result))
        print(
            f"{target.source}: {result.score:.1f}% in {time.monotonic() - began:.0f}s", flush=True
        )
        if args.survivors:
            for diff in result.survivors:
                print(diff)
    lines.append(row("overall", overall))
    print()
    print("\n".join(lines))
    print(f"\n{time.monotonic() - started:.0f}s with --max-children {args.max_children}")
    stale = [
        e
        for index, e in enumerate(equivalents)
        if index not in used and any(e.function.startswith(_module(t)) for t in chosen)
    ]
    for e in stale:
        print(f"note: equivalent mutant not seen any more: {e.function}: {e.mutation}")
    return 0 if overall.score >= args.min_score else 1


def _module(target: Target) -> str:
    return target.source.removesuffix(".py").replace("/", ".") + "."


if __name__ == "__main__":
    sys.exit(main())
