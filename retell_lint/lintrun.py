"""A ``check`` run over files: the cache, worker processes, and the tree's context.

- Each readable file's outcome (reader and number-check hits, and the facts of its
  numbers that project rules read) comes from the cache when its bytes and the
  settings are unchanged (:mod:`retell_lint.cache`), else it is linted — in worker
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
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from retell_lint.discover import STDIN, find_files
from retell_lint.engine import (
    Checks,
    FileState,
    LintResult,
    check_stdin_name,
    finish,
    lint_file,
    load_sources,
    prepare,
)
from retell_lint.output import echo_error

if TYPE_CHECKING:
    from retell_lint.build import NumberDoc
    from retell_lint.cache import ResultCache
    from retell_lint.config import Config
    from retell_lint.options import CheckOptions
    from retell_lint.source import Source

# Below this many files to lint, worker processes cost more than they save.
POOL_THRESHOLD = 200


def default_jobs() -> int:
    """The cores this process may run on (1 where that cannot be told)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return 1


def settings_parts(checks: Checks, config: Config, fields: frozenset[str]) -> list[Any]:
    """Everything besides a file's bytes that its cached outcome depends on.

    Not the environments, nor ``--env``: they choose which files are linted and which
    numbers project rules compare, and project rules run on every run over the
    remembered facts; a file's own outcome is the same in every environment (so
    ``check`` and ``check --env`` share one cache instead of evicting each other's).
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
    return [rules, policies, sorted(fields)]


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
    data_of: dict[str, bytes] = {}  # the bytes each cache key is made of
    sources, decode_hits, errors = load_sources(
        names, options.stdin_filename, data_of if use_cache else None
    )
    checks = prepare(config, account)
    fields = fact_fields(config.policies)
    cache = _open_cache(config, options, checks, fields) if use_cache else None
    jobs = options.jobs if options.jobs is not None else default_jobs()
    if account is not None:
        jobs = 1  # online checks read whole numbers; they are network-bound anyway
    lintable = [s for s in sources if not s.undecodable]
    outcome = _outcomes(lintable, data_of, checks, cache, fields, jobs)
    states = [outcome.get(s.name) or FileState(s) for s in sources]
    context: list[NumberDoc] = []
    if paths and all(path == STDIN or os.path.isfile(path) for path in paths):
        context = _tree_context(paths, names, config, options, checks, cache, fields, jobs)
    result = finish(states, checks, config, extra_hits=decode_hits, context=context)
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


def _outcomes(
    sources: Sequence[Source],
    data_of: dict[str, bytes],
    checks: Checks,
    cache: ResultCache | None,
    fields: frozenset[str],
    jobs: int,
) -> dict[str, FileState]:
    """Each source's state: from the cache, else linted (in workers when many)."""
    states: dict[str, FileState] = {}
    keys: dict[str, str] = {}
    missing: list[Source] = []
    if cache is None:
        missing = list(sources)
    else:
        from retell_lint.cache import file_key
        from retell_lint.facts import BadEntry, decode_hits, decode_number, remember_phones

        for source in sources:
            key = keys[source.name] = file_key(source.name, data_of[source.name])
            entry = cache.get(key)
            if entry is not None:
                try:
                    state = FileState(source)
                    if not isinstance(entry, dict):
                        raise BadEntry("entry")
                    state.hits = decode_hits(entry.get("hits"), source.name)
                    numbers = entry.get("numbers")
                    if not isinstance(numbers, list):
                        raise BadEntry("numbers")
                    state.numbers = [decode_number(item, source.name) for item in numbers]
                    remember_phones(entry.get("phones"))
                    states[source.name] = state
                    continue
                except BadEntry:
                    pass  # linted again below, and the entry rewritten
            missing.append(source)
    if not missing:
        return states
    if jobs > 1 and len(missing) >= POOL_THRESHOLD:
        from retell_lint.pool import lint_in_workers

        for source, entry in zip(
            missing, lint_in_workers(missing, checks, fields, jobs), strict=True
        ):
            states[source.name] = _from_entry(source, entry)
            if cache is not None:
                cache.put(keys[source.name], entry)
        return states
    for source in missing:
        state = lint_file(source, checks)
        states[source.name] = state
        if cache is not None:
            from retell_lint.facts import encode_entry

            # A value the cache cannot hold: this file is linted every run.
            with contextlib.suppress(TypeError, ValueError):
                cache.put(keys[source.name], encode_entry(state, fields))
    return states


def _from_entry(source: Source, entry: dict[str, Any]) -> FileState:
    from retell_lint.facts import decode_hits, decode_number, remember_phones

    state = FileState(source)
    state.hits = decode_hits(entry["hits"], source.name)
    state.numbers = [decode_number(item, source.name) for item in entry["numbers"]]
    remember_phones(entry["phones"])
    return state


def _tree_context(
    paths: tuple[str, ...],
    names: list[str],
    config: Config,
    options: CheckOptions,
    checks: Checks,
    cache: ResultCache | None,
    fields: frozenset[str],
    jobs: int,
) -> list[NumberDoc]:
    """The numbers of the configured tree's other files, when the files named (not
    folders: a folder is a tree of its own) are in it."""
    named = {os.path.realpath(name) for name in names if name != STDIN}
    if STDIN in names and options.stdin_filename:
        named.add(os.path.realpath(options.stdin_filename))
    if not named:
        return []
    tree = find_files((), config).names
    real = {name: os.path.realpath(name) for name in tree}
    if not named & set(real.values()):
        return []  # files outside the project: nothing to compare them with
    others = [name for name in tree if real[name] not in named]
    data_of: dict[str, bytes] = {}
    sources, _hits, _errors = load_sources(others, None, data_of if cache is not None else None)
    lintable = [s for s in sources if not s.undecodable]
    outcome = _outcomes(lintable, data_of, checks, cache, fields, jobs)
    return [number for source in lintable for number in outcome[source.name].numbers]


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
    data_of = {name: text.encode("utf-8", "surrogatepass")}
    state = _outcomes([source], data_of, checks, results, fields, 1)[name]
    context = _tree_context((STDIN,), [STDIN], config, options, checks, results, fields, 1)
    result = finish([state], checks, config, context=context)
    if results is not None:
        from retell_lint.cache import CacheError

        with contextlib.suppress(CacheError):
            results.save()
    return result
