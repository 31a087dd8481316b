"""Fixes that remove, rename or move entries, written in the surrounding style.

RL006 removes a read-only field; RL304 a legacy field beside its list; RL202 a
repeated country; RL009 renames an old country-list key or turns a single-agent
field (and its version) into a one-entry list; RL012 moves a flat SIP parameter
under ``sip_outbound_trunk_config``;
Block mappings get whole lines (indented as the file indents), flow mappings a
``key: value`` written in flow style. A removed block entry takes its line with
it, trailing comment included; comments on other lines stay.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from retell_lint.fields import (
    FLAT_SIP_PARAMETERS,
    LEGACY_AGENT_DIRECTIONS,
    LEGACY_COUNTRY_LISTS,
    SIP_CONFLICT,
)
from retell_lint.fix.context import Context, field_name
from retell_lint.fix.edits import Edit, Fix, Skipped
from retell_lint.fix.locate import (
    MERGE,
    Step,
    is_flow,
    is_mapping,
    is_sequence,
    merged_names,
    plain_value,
)
from retell_lint.yamlread import tag_of

if TYPE_CHECKING:
    from ruamel.yaml.nodes import Node

    from retell_lint.findings import Finding

Result = Fix | Skipped | None
SIP = "sip_outbound_trunk_config"


def _entry(context: Context, finding: Finding) -> Step | Skipped:
    """The mapping entry (key and value) a finding's path names."""
    steps = context.follow(finding)
    if isinstance(steps, Skipped):
        return steps
    if not steps or steps[-1].key is None:
        return Skipped("the finding does not name a field")
    return steps[-1]


def _sibling(mapping: Node, name: str) -> Step | Skipped | None:
    """The entry ``name`` of a mapping; Skipped when a merge key may set it."""
    merged = False
    for index, (key, value) in enumerate(mapping.value):
        if tag_of(key) == MERGE:
            merged = True
        elif not isinstance(key.value, list) and str(key.value) == name:
            return Step(mapping, index, key, value)
    return Skipped(f"a merge key (<<) may set {name}") if merged else None


def _exposed(mapping: Node, *names: str) -> Skipped | None:
    """Skipped when a merge key (<<) also sets one of ``names``: taking the explicit
    key away would bring the merged value into use."""
    merged = merged_names(mapping) & set(names)
    if merged:
        return Skipped(f"a merge key (<<) also sets {sorted(merged)[0]}, which would then be used")
    return None


def remove_field(context: Context, finding: Finding) -> Result:
    """RL006, RL304: remove the entry."""
    step = _entry(context, finding)
    if isinstance(step, Skipped):
        return step
    edit = context.tree.remove_entry(step.container, step.position)
    if isinstance(edit, Skipped):
        return edit
    name = field_name(finding)
    return Fix(f"remove {name}", [edit])


def remove_repeat(context: Context, finding: Finding) -> Result:
    """RL202: remove the repeated code."""
    steps = context.follow(finding)
    if isinstance(steps, Skipped):
        return steps
    if not steps or steps[-1].key is not None:
        return None
    edit = context.tree.remove_item(steps[-1].container, steps[-1].position)
    if isinstance(edit, Skipped):
        return edit
    return Fix(f"remove the repeated '{plain_value(steps[-1].node)}'", [edit])


# -- RL009 ------------------------------------------------------------------------


def legacy(context: Context, finding: Finding) -> Result:
    """RL009: rename an old country list; migrate a single-agent field to its list."""
    step = _entry(context, finding)
    if isinstance(step, Skipped):
        return step
    name = field_name(finding) or ""
    if name in LEGACY_COUNTRY_LISTS:
        return _rename(context, step, name, LEGACY_COUNTRY_LISTS[name])
    for list_name, id_field, version_field in LEGACY_AGENT_DIRECTIONS:
        if name in (id_field, version_field):
            return _migrate(context, finding, step, list_name, id_field, version_field)
    return None


def _rename(context: Context, step: Step, name: str, new: str) -> Result:
    exposed = _exposed(step.container, name)
    if exposed is not None:
        return exposed
    other = _sibling(step.container, new)
    if isinstance(other, Skipped):
        return other
    if other is not None:
        return Skipped(f"{new} is also set; merge the two lists by hand")
    assert step.key is not None
    tree = context.tree
    if tree.raw(step.key) != name:
        return Skipped("the key is quoted or decorated")
    return Fix(f"rename {name} to {new}", [Edit(tree.start(step.key), tree.end(step.key), new)])


def _migrate(
    context: Context,
    finding: Finding,
    step: Step,
    list_name: str,
    id_field: str,
    version_field: str,
) -> Result:
    tree = context.tree
    mapping = step.container
    name = field_name(finding)
    existing = _sibling(mapping, list_name)
    if isinstance(existing, Skipped):
        return existing
    if existing is not None:
        if is_sequence(existing.node) and existing.node.value:
            edit = tree.remove_entry(mapping, step.position)
            if isinstance(edit, Skipped):
                return edit
            return Fix(f"remove {name}: {list_name} is set and used", [edit])
        return Skipped(f"{list_name} is also set; move the agent into it by hand")
    exposed = _exposed(mapping, id_field, version_field)
    if exposed is not None:
        return exposed
    agent = _sibling(mapping, id_field)
    version = _sibling(mapping, version_field)
    if isinstance(agent, Skipped) or agent is None:
        return (
            agent
            if isinstance(agent, Skipped)
            else Skipped(f"there is no {id_field}; remove {version_field} or add the agent")
        )
    if isinstance(version, Skipped):
        return version
    agent_text = _one_line_scalar(context, agent.node)
    if agent_text is None or not str(agent.node.value).strip():
        return Skipped(f"{id_field} is not a single-line value")
    fields = [("agent_id", agent_text), ("weight", "1")]
    if version is not None:
        version_text = _one_line_scalar(context, version.node)
        if version_text is None:
            return Skipped(f"{version_field} is not a single-line value")
        fields.append(("agent_version", version_text))
    assert agent.key is not None
    start = tree.start(agent.key)
    end = max(tree.end(agent.key), tree.end(agent.node))
    if is_flow(mapping):
        entry = ", ".join(f"{key}: {value}" for key, value in fields)
        text = f"{list_name}: [{{{entry}}}]"
    else:
        nl = tree.newline
        dash = " " * (agent.key.start_mark.column + tree.sequence_indent())
        inner = dash + "  "
        lines = [f"{list_name}:", f"{dash}- {fields[0][0]}: {fields[0][1]}"]
        lines += [f"{inner}{key}: {value}" for key, value in fields[1:]]
        text = nl.join(lines)
    edits = [Edit(start, end, text)]
    if version is not None:
        removal = tree.remove_entry(mapping, version.position)
        if isinstance(removal, Skipped):
            return removal
        edits.append(removal)
    moved = f"{id_field} and {version_field}" if version is not None else id_field
    return Fix(
        f"move {moved} into {list_name} with weight 1",
        edits,
        isolation=context.isolation(finding, list_name),
    )


def _one_line_scalar(context: Context, node: Node, flow: bool = False) -> str | None:
    """The value's text when it is one line: a scalar, or (``flow``) a flow collection."""
    raw = context.tree.raw(node)
    if not raw or "\n" in raw or "\r" in raw or raw[0] in "&!*|>":
        return None
    if isinstance(node.value, list) and not (flow and is_flow(node)):
        return None
    return raw


# -- RL012 ------------------------------------------------------------------------


def move_flat(context: Context, finding: Finding) -> Result:
    """RL012: move a flat SIP parameter under sip_outbound_trunk_config (or remove it
    when the same setting is also written there: that value is the one used)."""
    step = _entry(context, finding)
    if isinstance(step, Skipped):
        return step
    name = field_name(finding) or ""
    field = FLAT_SIP_PARAMETERS.get(name)
    if field is None:
        return None
    tree = context.tree
    mapping = step.container
    container = _sibling(mapping, SIP)
    if isinstance(container, Skipped):
        return container
    if SIP_CONFLICT in finding.message:
        return Skipped(f"{name} and {SIP}.{field} differ; keep the one you mean by hand")
    if _written_before(mapping, step.position, field, container):
        # The reader uses the value written first (under the container, or an earlier
        # flat name of the same setting); this one is ignored.
        edit = tree.remove_entry(mapping, step.position)
        if isinstance(edit, Skipped):
            return edit
        return Fix(f"remove {name}: {SIP}.{field} is set and used", [edit])
    exposed = _exposed(mapping, name)
    if exposed is not None:
        return exposed
    raw = _one_line_scalar(context, step.node, flow=True)
    if raw is None:
        return Skipped("the value is not written on one line")
    assert step.key is not None
    isolation = context.isolation(finding, SIP)
    description = f"move {name} under {SIP} as {field}"
    start = tree.start(step.key)
    end = max(tree.end(step.key), tree.end(step.node))
    if container is None:
        if is_flow(mapping):
            text = f"{SIP}: {{{field}: {raw}}}"
        else:
            indent = " " * (step.key.start_mark.column + tree.mapping_indent())
            text = f"{SIP}:{tree.newline}{indent}{field}: {raw}"
        return Fix(description, [Edit(start, end, text)], isolation=isolation)
    target = container.node
    if not is_mapping(target) or tree.decorated(target):
        return Skipped(f"{SIP} is not a plain mapping")
    removal = tree.remove_entry(mapping, step.position)
    if isinstance(removal, Skipped):
        return removal
    insert = _insert_into(context, target, field, raw, tree.after_value(step.node))
    if isinstance(insert, Skipped):
        return insert
    if removal.start < insert.start < removal.end:
        return Skipped(f"{name} is written inside {SIP}")
    return Fix(description, [insert, removal], isolation=isolation)


def _written_before(mapping: Node, position: int, field: str, container: Step | None) -> bool:
    """Whether the SIP setting ``field`` is already written: under the container, or by
    an earlier flat parameter of the same mapping."""
    if (
        container is not None
        and is_mapping(container.node)
        and _sibling(container.node, field) is not None
    ):
        return True
    for key, _value in mapping.value[:position]:
        if not isinstance(key.value, list) and FLAT_SIP_PARAMETERS.get(str(key.value)) == field:
            return True
    return False


def _insert_into(context: Context, target: Node, field: str, raw: str, tail: str) -> Edit | Skipped:
    tree = context.tree
    if is_flow(target):
        if not target.value:
            at = tree.start(target) + 1
            return Edit(at, at, f"{field}: {raw}")
        last_key, last_value = target.value[-1]
        at = max(tree.end(last_key), tree.end(last_value))
        return Edit(at, at, f", {field}: {raw}")
    if not target.value:
        return Skipped("sip_outbound_trunk_config is empty")
    first_key = target.value[0][0]
    last_key, last_value = target.value[-1]
    line = tree.last_content_line(last_key, last_value)
    lines = tree.lines
    indent = " " * first_key.start_mark.column
    if tree.text[lines.line_start(tree.start(first_key)) : tree.start(first_key)].strip():
        return Skipped(f"{SIP} starts on the line of its key")
    text = f"{indent}{field}: {raw}{tail.rstrip()}"
    if line + 1 < len(lines.starts):
        at = lines.starts[line + 1]
        return Edit(at, at, text + tree.newline)
    at = len(tree.text)
    return Edit(at, at, tree.newline + text)
