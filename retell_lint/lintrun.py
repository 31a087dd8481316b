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
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any

from retell_lint.discover import STDIN, find_files
from retell_lint.engine import (
    Checks,
    FileState,
    LintResult,
    check_stdin_name,
    finish,
    lint_file,
    prepare,
)
from retell_lint.findings import Hit
from retell_lint.loading import load_sources
from retell_lint.output import echo_error

if TYPE_CHECKING:
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
    run = _Run(checks, cache, fields, jobs)
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


class _Run:
    """The files' states of one run: from the cache (numbers decoded only when project
    rules need them), else linted (in worker processes when many) and remembered."""

    def __init__(
        self, checks: Checks, cache: ResultCache | None, fields: frozenset[str], jobs: int
    ) -> None:
        self.checks, self.cache, self.fields, self.jobs = checks, cache, fields, jobs
        self.states: dict[str, FileState] = {}
        self.keys: dict[str, str] = {}
        # Files whose state came from the cache, their numbers not decoded yet.
        # Files whose hits came from the cache: their numbers (how many, under which key
        # their facts are kept) decoded only when project rules must run.
        self.pending: dict[str, tuple[Source, int, str]] = {}
        self.counts: dict[str, int] = {}

    def outcomes(self, sources: Sequence[Source], keys: dict[str, str]) -> None:
        """Each source's state: its hits from the cache, else linted."""
        missing: list[Source] = []
        if self.cache is None:
            missing = list(sources)
        else:
            from retell_lint.facts import BadEntry, decode_hits

            names = [source.name for source in sources]
            wanted = [keys[name] for name in names]
            self.keys.update(zip(names, wanted, strict=True))
            states, pending, counts = self.states, self.pending, self.counts
            for source, name, key, entry in zip(
                sources, names, wanted, self.cache.get_many(wanted), strict=True
            ):
                if entry is not None:
                    try:
                        # [hits, how many numbers] (the numbers' facts are kept apart)
                        if type(entry) is not list or len(entry) != 2 or type(entry[1]) is not int:
                            raise BadEntry("entry")
                        state = FileState(source)
                        if entry[0] != []:  # most files have no findings
                            state.hits = decode_hits(entry[0], name)
                        states[name] = state
                        pending[name] = (source, entry[1], key)
                        counts[name] = entry[1]
                        continue
                    except BadEntry:
                        pass  # linted again below, and the entry rewritten
                missing.append(source)
        self._lint(missing)

    def _lint(self, missing: Sequence[Source]) -> None:
        if self.jobs > 1 and len(missing) >= POOL_THRESHOLD:
            from retell_lint.pool import lint_in_workers

            done = lint_in_workers(missing, self.checks, self.fields, self.jobs, self._lint_here)
            for source, entry in done:
                self._remember(_from_entry(source, entry))
                if self.cache is not None:
                    self.cache.put(self.keys[source.name], *_packed(entry))
            return
        self._lint_here(missing)

    def _lint_here(self, missing: Sequence[Source]) -> None:
        """Lint in this process (and remember in the cache)."""
        cache = self.cache
        for source in missing:
            state = lint_file(source, self.checks)
            self._remember(state)
            if cache is not None:
                from retell_lint.facts import encode_entry

                # A value the cache cannot hold: this file is linted every run.
                try:
                    cache.put(self.keys[source.name], *_packed(encode_entry(state, self.fields)))
                except (TypeError, ValueError):
                    self.keys.pop(source.name, None)

    def _remember(self, state: FileState) -> None:
        name = state.source.name
        self.states[name] = state
        self.pending.pop(name, None)
        self.counts[name] = len(state.numbers)

    def decode(self, sources: Sequence[Source]) -> None:
        """The numbers of these sources' cached states (a bad entry: linted again)."""
        if not self.pending:
            return
        import json

        from retell_lint.facts import BadEntry, decode_number, remember_phones

        bad: list[Source] = []
        for source in sources:
            pending = self.pending.pop(source.name, None)
            if pending is None:
                continue
            _source, count, key = pending
            try:
                assert self.cache is not None
                text = self.cache.facts(key)
                if text is None:
                    raise BadEntry("facts")
                try:
                    facts = json.loads(text)
                except (ValueError, RecursionError):
                    raise BadEntry("facts") from None
                items = facts.get("numbers") if type(facts) is dict else None
                if type(items) is not list or len(items) != count:
                    raise BadEntry("numbers")
                numbers = [decode_number(item, source.name) for item in items]
                remember_phones(facts.get("phones"))
            except BadEntry:
                bad.append(source)
                continue
            self.states[source.name].numbers = numbers
        self._lint(bad)

    def project_key(self, context: Sequence[str], reported: Sequence[str]) -> str | None:
        """A key for the project rules' findings over these files, in this order (the
        files' own keys say what they hold); None when a file is not in the cache."""
        if self.cache is None:
            return None
        from retell_lint.cache import blake2b

        digest = blake2b(b"project", digest_size=16)
        for group in (context, reported):
            digest.update(b"\1")
            for name in group:
                key = self.keys.get(name)
                if key is None:
                    return None
                digest.update(key.encode("ascii") + b"\0")
        return "project-" + digest.hexdigest()

    def remember_project_hits(self, key: str, hits: Sequence[Hit]) -> None:
        from retell_lint.facts import encode_hits

        assert self.cache is not None
        rows = encode_hits(list(hits))
        self.cache.put(
            key, {"project": [[hit.file, *row] for hit, row in zip(hits, rows, strict=True)]}
        )

    def remembered_project_hits(self, key: str, files: Collection[str]) -> list[Hit] | None:
        """The project findings kept under ``key``, each in one of ``files``; None when
        there are none or the entry is not what this version writes."""
        assert self.cache is not None
        from retell_lint.facts import BadEntry, decode_hits

        entry = self.cache.get(key)
        if not isinstance(entry, dict) or not isinstance(entry.get("project"), list):
            return None
        hits: list[Hit] = []
        try:
            for item in entry["project"]:
                if not isinstance(item, list) or not item or item[0] not in files:
                    raise BadEntry("project")
                hits.extend(decode_hits([item[1:]], item[0]))
        except BadEntry:
            return None
        return hits


def _packed(entry: dict[str, Any]) -> tuple[list[Any], str]:
    """A file's entry as the cache keeps it: its hits and how many numbers it declares;
    and apart, their facts as JSON text — read and parsed only when project rules must
    run again, so an unchanged tree's run reads a small pack."""
    import json

    facts = {"numbers": entry["numbers"], "phones": entry["phones"]}
    text = json.dumps(facts, separators=(",", ":"), ensure_ascii=False)
    return [entry["hits"], len(entry["numbers"])], text


def _from_entry(source: Source, entry: dict[str, Any]) -> FileState:
    from retell_lint.facts import decode_hits, decode_number, remember_phones

    state = FileState(source)
    state.hits = decode_hits(entry["hits"], source.name)
    state.numbers = [decode_number(item, source.name) for item in entry["numbers"]]
    remember_phones(entry["phones"])
    return state


def _tree_others(
    paths: tuple[str, ...],
    names: list[str],
    config: Config,
    options: CheckOptions,
    run: _Run,
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
    run = _Run(checks, results, fields, 1)
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
