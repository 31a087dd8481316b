"""A ``check`` run over files: the cache, worker processes, and the tree's context.

- Each readable file's outcome (reader and number-check hits, and the facts of its
  numbers that project rules read) comes from the cache when its bytes and the
  settings are unchanged (:mod:`retell_lint.outcomes`), else it is linted — in worker
  processes when many files are (:mod:`retell_lint.pool`) — and remembered.
- Project rules (duplicate numbers, nested fallbacks, unique policies) see every
  number of the configured tree. When files are named (the changed-files pre-commit
  hook) and they belong to the tree, the numbers of the tree's other files are read
  from the cache, or linted when missing, and seen first, so a duplicate between a
  named file and another is reported in the named file.
- Suppressions are worked out from each file's text on every run, so a cached file
  and a freshly linted one give the same findings.
"""

from __future__ import annotations

import contextlib
import os
from typing import TYPE_CHECKING, Any

from retell_lint.discover import STDIN, find_files
from retell_lint.engine import (
    Checks,
    LintResult,
    check_stdin_name,
    finish,
    prepare,
)
from retell_lint.filestate import FileState
from retell_lint.loading import load_sources
from retell_lint.outcomes import Outcomes
from retell_lint.output import echo_error

if TYPE_CHECKING:
    from retell_lint.cache import ResultCache
    from retell_lint.config import Config
    from retell_lint.options import CheckOptions
    from retell_lint.source import Source


def default_jobs() -> int:
    """The cores this process may run on (1 where that cannot be told)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return 1


def settings_parts(checks: Checks, config: Config, fields: frozenset[str]) -> list[Any]:
    """Everything besides a file's bytes that its cached outcome depends on.

    With environments, which files are one account (the project rules' findings are
    kept, and they compare one account's numbers). Not ``--env``: it only chooses the
    files, and those are in the project findings' own key, so ``check`` and
    ``check --env`` share one cache instead of evicting each other's.
    """
    rules = []
    for rule_id in sorted(checks.rules):
        active = checks.rules[rule_id]
        rule = active.rule._replace(source="")
        rules.append([rule_id, active.severity, active.forced, repr(rule)])
    policies = [
        [policy.id, policy.severity, policy.enabled, policy.scope, policy.message, policy.data]
        for policy in config.policies
    ]
    parts: list[Any] = [rules, policies, sorted(fields)]
    if config.environments:
        from retell_lint.ownership import grouping

        parts.append(grouping(config))
    return parts


def lint_run(
    paths: tuple[str, ...], config: Config, options: CheckOptions, account: Any
) -> LintResult:
    from retell_lint.checks.project import fact_fields

    found = find_files(paths, config, force_exclude=options.force_exclude)
    names = found.names
    if options.stdin_filename is not None and STDIN in names:
        check_stdin_name(options.stdin_filename, names)
    if config.environments:
        from retell_lint.environments import check_owned

        # A file owned by two environments, or (check --env) not the environment's own;
        # stdin is the file it is named as (its numbers are grouped as that file's).
        stdin_as = options.stdin_filename or STDIN
        check_owned([stdin_as if name == STDIN else name for name in names], config)
    use_cache = options.cache and account is None
    jobs = options.jobs if options.jobs is not None else default_jobs()
    if account is not None:
        jobs = 1  # online checks read whole numbers; they are network-bound anyway
    checks = prepare(config, account)
    fields = fact_fields(config.policies)
    opened: list[ResultCache] = []  # the result cache, read while the files are read
    keys: dict[str, str] = {}  # each file's cache key, from its name and bytes
    sources, decode_hits, errors = load_sources(
        names,
        options.stdin_filename,
        keys if use_cache else None,
        found.regular,
        jobs,
        meanwhile=(lambda: opened.append(_open_cache(config, options, checks, fields)))
        if use_cache
        else None,
    )
    cache = opened[0] if opened else None
    run = Outcomes(checks, cache, fields, jobs)
    lintable = [s for s in sources if not s.undecodable]
    run.outcomes(lintable, keys)
    states = [run.states.get(s.name) or FileState(s) for s in sources]
    others: list[Source] = []
    if paths and all(path == STDIN or os.path.isfile(path) for path in paths):
        others = _tree_others(paths, names, config, options, run)
    # Unchanged files, and project findings kept for exactly these files: the numbers
    # are not decoded, the project rules not run.
    memo_key = run.project_key([s.name for s in others], [s.name for s in lintable])
    reported = {s.name for s in sources}
    remembered = None if memo_key is None else run.remembered_project_hits(memo_key, reported)
    if remembered is None:
        run.decode([*others, *lintable])
        context = [number for source in others for number in run.states[source.name].numbers]
        states = [run.states.get(s.name) or FileState(s) for s in sources]
        result = finish(states, checks, config, extra_hits=decode_hits, context=context)
        if memo_key is not None:
            run.remember_project_hits(memo_key, result.project_hits)
    else:
        result = finish(states, checks, config, extra_hits=decode_hits, project_hits=remembered)
        result.number_count = sum(run.counts.get(s.name, 0) for s in lintable)
    if cache is not None:
        from retell_lint.cache import CacheError

        try:
            cache.save()
        except CacheError as exc:
            echo_error(f"warning: {exc}; the run was not cached")
    result.errors.extend(found.errors)
    result.errors.extend(errors)
    result.files = len(names)
    result.excluded = found.excluded
    return result


def _open_cache(
    config: Config, options: CheckOptions, checks: Checks, fields: frozenset[str]
) -> ResultCache:
    from retell_lint.cache import ResultCache, folder_for, settings_key

    folder = folder_for(str(config.root), options.cache_dir)
    return ResultCache(folder, settings_key(settings_parts(checks, config, fields)))


def _tree_others(
    paths: tuple[str, ...],
    names: list[str],
    config: Config,
    options: CheckOptions,
    run: Outcomes,
) -> list[Source]:
    """The configured tree's other files, when the files named (not folders: a folder
    is a tree of its own) are in it; their states are in ``run``."""
    named = {os.path.realpath(name) for name in names if name != STDIN}
    if STDIN in names and options.stdin_filename:
        named.add(os.path.realpath(options.stdin_filename))
    if not named:
        return []
    listing = find_files((), config)
    tree = listing.names
    real = {name: os.path.realpath(name) for name in tree}
    if not named & set(real.values()):
        return []  # files outside the project: nothing to compare them with
    others = [name for name in tree if real[name] not in named]
    keys: dict[str, str] = {}
    cached = keys if run.cache is not None else None
    sources, _hits, _errors = load_sources(others, None, cached, listing.regular, run.jobs)
    lintable = [s for s in sources if not s.undecodable]
    run.outcomes(lintable, keys)
    return lintable


def lint_text(
    name: str,
    text: str,
    config: Config,
    *,
    cache: bool = True,
    cache_dir: str | None = None,
) -> LintResult:
    """Lint ``text`` as the file ``name`` (an editor's unsaved buffer), as
    ``check --stdin-filename NAME -`` does: reader and number rules on the text,
    project rules with the numbers of the configured tree's other files (from the
    cache when it is on)."""
    from retell_lint.checks.project import fact_fields
    from retell_lint.options import CheckOptions
    from retell_lint.source import Source

    options = CheckOptions(
        paths=(STDIN,), stdin_filename=name, cache=cache, cache_dir=cache_dir, jobs=1
    )
    checks = prepare(config)
    fields = fact_fields(config.policies)
    results = _open_cache(config, options, checks, fields) if cache else None
    source = Source(name, text)
    run = Outcomes(checks, results, fields, 1)
    keys: dict[str, str] = {}
    if results is not None:
        from retell_lint.cache import file_key

        keys[name] = file_key(name, text.encode("utf-8", "surrogatepass"))
    run.outcomes([source], keys)
    others = _tree_others((STDIN,), [STDIN], config, options, run)
    run.decode([*others, source])
    context = [number for other in others for number in run.states[other.name].numbers]
    result = finish([run.states[name]], checks, config, context=context)
    if results is not None:
        from retell_lint.cache import CacheError

        with contextlib.suppress(CacheError):
            results.save()
    return result
