"""Each file's outcome in a ``check`` run: its hits from the result cache when its
bytes and the settings are unchanged, else linted (in worker processes when many
files are: :mod:`retell_lint.pool`) and remembered; the numbers' facts decoded only
when project rules must run again; and the project rules' own findings, kept for an
unchanged tree.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any

from retell_lint.engine import lint_file
from retell_lint.filestate import FileState
from retell_lint.findings import Hit

if TYPE_CHECKING:
    from retell_lint.cache import ResultCache
    from retell_lint.engine import Checks
    from retell_lint.source import Source

# Below this many files to lint, worker processes cost more than they save.
POOL_THRESHOLD = 200


class Outcomes:
    """The files' states of one run: from the cache (numbers decoded only when project
    rules need them), else linted (in worker processes when many) and remembered."""

    def __init__(
        self, checks: Checks, cache: ResultCache | None, fields: frozenset[str], jobs: int
    ) -> None:
        self.checks, self.cache, self.fields, self.jobs = checks, cache, fields, jobs
        self.states: dict[str, FileState] = {}
        self.keys: dict[str, str] = {}
        # Files whose hits came from the cache: their numbers (``counts``, their facts
        # under ``keys``) decoded only when project rules must run.
        self.pending: set[str] = set()
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
            for source, name, entry in zip(
                sources, names, self.cache.get_many(wanted), strict=True
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
                        pending.add(name)
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
        self.pending.discard(name)
        self.counts[name] = len(state.numbers)

    def decode(self, sources: Sequence[Source]) -> None:
        """The numbers of these sources' cached states (a bad entry: linted again)."""
        if not self.pending:
            return
        import json

        from retell_lint.facts import BadEntry, decode_number, remember_phones

        bad: list[Source] = []
        for source in sources:
            if source.name not in self.pending:
                continue
            self.pending.discard(source.name)
            count, key = self.counts[source.name], self.keys[source.name]
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
