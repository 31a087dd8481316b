"""The assertions of policies: ``present``, ``equals``, ``pattern``, ``min_items`` ...

An assertion mapping (``{pattern: '^https://', not_pattern: 'staging'}``) holds when
every assertion in it holds; ``all``, ``any`` and ``not`` compose mappings. Each
assertion is checked when the policy is loaded: its operand (a valid regex, a list of
strings...) and whether it can apply to the values of the policy's path at all (a
pattern on a number never can). Errors carry the config key they are about, so the
loader can name the file and line.

Evaluating an assertion on one value gives one of three answers: it holds (``[]``),
it fails (a list of :class:`Failure`, each with what is wrong and, for a list, the
offending item), or it does not apply (``None``): only ``present`` and ``type`` say
anything about a value that is not written or is null.

One module per family of assertions, each a part of :class:`Compiler`: ``base``
(failures, errors, an assertion mapping), ``values`` (how values are shown and
compared), ``composition`` (``all``, ``any``, ``not``), ``presence`` (``present``,
``type``), ``equality`` (``equals``, ``one_of``, ``not_one_of``), ``patterns``
(``pattern``, ``not_pattern``), ``numbers`` (``min``, ``max``), ``lists``
(``min_items``, ``max_items``, ``subset_of``, ``contains``, ``unique``).
"""

from __future__ import annotations

from retell_lint.policy.assertions.base import (
    MAX_MATCH_INPUT,
    NAMES,
    Evaluate,
    Failure,
    Outcome,
    PolicyError,
)
from retell_lint.policy.assertions.composition import Composition
from retell_lint.policy.assertions.equality import Equality
from retell_lint.policy.assertions.lists import Lists
from retell_lint.policy.assertions.numbers import Numbers
from retell_lint.policy.assertions.patterns import Patterns
from retell_lint.policy.assertions.presence import Presence
from retell_lint.policy.assertions.values import render_data, show

__all__ = [
    "MAX_MATCH_INPUT",
    "NAMES",
    "Compiler",
    "Evaluate",
    "Failure",
    "Outcome",
    "PolicyError",
    "render_data",
    "show",
]


class Compiler(Composition, Presence, Equality, Patterns, Numbers, Lists):
    """Builds evaluators from assertion mappings for one path (``slot``, ``field``).

    :meth:`~retell_lint.policy.assertions.base.CompilerBase.one` finds the assertion
    ``name`` as the method ``_name`` of one of the families.
    """
