"""The compiler of assertion mappings: every family of assertions in one class."""

from __future__ import annotations

from retell_lint.policy.assertions.composition import Composition
from retell_lint.policy.assertions.equality import Equality
from retell_lint.policy.assertions.lists import Lists
from retell_lint.policy.assertions.numbers import Numbers
from retell_lint.policy.assertions.patterns import Patterns
from retell_lint.policy.assertions.presence import Presence


class Compiler(Composition, Presence, Equality, Patterns, Numbers, Lists):
    """Builds evaluators from assertion mappings for one path (``slot``, ``field``).

    :meth:`~retell_lint.policy.assertions.base.CompilerBase.one` finds the assertion
    ``name`` as the method ``_name`` of one of the families.
    """
