"""plan and apply: make the live Retell account match the declared files, safely.

- :mod:`.actions`: from the drift plan to write actions (update, create, import,
  delete) and differences apply cannot make; the :class:`~.actions.ActionPlan`
  owns the counts and the blast-radius check.
- :mod:`.secrets`: ``${NAME}`` references, resolved from the environment at apply
  time only.
- :mod:`.saved_plan`: the versioned plan file and the fingerprints that make a
  stale plan detectable.
- :mod:`.writer`: the write requests, with the client's retry rules for PATCH and
  none for POST and DELETE once sent; the audit log.
- :mod:`.run`: applying actions one at a time, the account of what happened, and
  the verification read.
- :mod:`.render`: text, JSON and Markdown; :mod:`.commands`: the two commands.
"""
