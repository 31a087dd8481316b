"""plan and apply: make the live Retell account match the declared files, safely.

- :mod:`.actions`: from the drift plan to write actions (update, create, import,
  delete) and differences apply cannot make; the :class:`~.actions.ActionPlan`
  owns the counts and the blast-radius check.
- :mod:`.secrets`: ``${NAME}`` references, resolved from the environment at apply
  time only.
- :mod:`.saved_plan`: the versioned plan file and the fingerprints that make a
  stale plan detectable.
- :mod:`.writer`: the write requests, with the client's retry rules for PATCH and,
  for POST and DELETE once sent, only on 429; the audit log.
- :mod:`.limiter`, :mod:`.scheduler`, :mod:`.stopping`: several writes at once under
  an adaptive limit, in dependency order, stoppable by SIGINT/SIGTERM.
- :mod:`.run`: applying one action, the account of what happened, and the
  verification read; :mod:`.journal` and :mod:`.resume`: the record of each write
  and resuming a saved plan from it; :mod:`.progress`: the progress display.
- :mod:`.render`: text, JSON and Markdown; :mod:`.commands`: the plan command and the
  preparation plan and apply share; :mod:`.applying`: the apply command.
"""
