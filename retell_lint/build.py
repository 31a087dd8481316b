"""Building the phone-number model from YAML nodes, reporting shape problems.

The builder walks only the structure a config can have (document → number →
agent list → agent entry → scalar), so alias expansion is bounded by a node
budget and a self-referencing alias can never loop. Every value's type is
checked here, where its position is known; values of the wrong type are
reported and left out of the model so later checks do not report them twice.

Rules reported here: RL002 duplicate-key, RL003 unknown-field, RL004
invalid-type, RL005 missing-required-field, RL007 implicit-type, RL008
not-a-phone-number-config, RL012 api-parameter-name, RL013 yaml11-ambiguous-value
(and RL001 when the alias budget is exceeded).

The API's flat request parameters for the SIP trunk (``transport``,
``sip_trunk_auth_username``, ...) are read into ``sip_outbound_trunk_config``, their
canonical place, so every check and the drift diff see one model; the number
remembers where each was written (:attr:`NumberDoc.written`), and findings name the
key as written.

The builder lives in ``retell_lint.builder``, in layers, each class adding one kind
of reading to the one below: ``nodes`` (YAML tags, limits, scalar text), ``numberdoc``
(:class:`NumberDoc`, the result), ``base`` (the node budget, hits, a mapping's keys
with merges and duplicates), ``values`` (scalars and lists of strings), ``nested``
(agent lists and the SIP trunk, also from flat request parameters) and ``document``
(:class:`Builder`: a document's numbers). This module is its one interface.
"""

from __future__ import annotations

from retell_lint.builder.document import Builder
from retell_lint.builder.numberdoc import Located, NumberDoc

__all__ = ["Builder", "Located", "NumberDoc"]
