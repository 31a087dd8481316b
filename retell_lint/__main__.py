"""``python -m retell_lint``: the same as the ``retell-lint`` command."""

from retell_lint.entry import run

run()
