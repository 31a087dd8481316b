"""Team policies: rules a team writes in YAML, compiled to the engine's rules and checks.

- :mod:`~retell_lint.policy.paths`: the path language (``inbound_agents[*].weight``),
  checked against :mod:`retell_lint.fields`.
- :mod:`~retell_lint.policy.assertions`: ``present``, ``pattern``, ``one_of`` ... and
  ``all``/``any``/``not``.
- :mod:`~retell_lint.policy.load`: policy entries from the configuration and from
  ``policy_files``, validated with the file and line of every error.
- :mod:`~retell_lint.policy.compile`: a policy → a catalogue ``Rule`` and a number or
  project check, so findings, suppressions, baselines and reports treat it as a rule.
- :mod:`~retell_lint.policy.schema`: the JSON Schema of policy files.

Imported only when a configuration has policies: a plain ``check`` never pays for it.
"""
