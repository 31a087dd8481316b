"""Automatic fixes (``check --fix``, ``--diff``): edits to a config's source text.

- :mod:`edits`: :class:`~retell_lint.fix.edits.Edit` and
  :class:`~retell_lint.fix.edits.Fix` (ruff's model), positions, applying edits.
- :mod:`locate`: finding the YAML nodes a finding's path names, in the file's text.
- :mod:`values`: fixes that rewrite one value (quote, upper-case, E.164, weights).
- :mod:`structure`: fixes that remove, rename or move entries.
- :mod:`suppressions`: RL010's fix (unused suppression comments).
- :mod:`registry`: the fixer of each rule; fixes for a file's findings.
- :mod:`apply`: the pass loop, the check that a fix introduced nothing.
- :mod:`write`: atomic writes, and the unified diff of ``--diff``.
- :mod:`command`: ``check --fix`` and ``--diff`` on a lint run.

Nothing here is imported by a plain ``check`` unless it reports findings of a rule
that can fix (to mark them fixable).
"""
